"""The labelled exports are what the bench and the tests say they are: enough files of every
connector, split into halves fixed in the labels, and labels that quote their files."""

import html
import io
import json
import re
import zipfile
import zlib
from collections import Counter
from pathlib import Path
from typing import Any

from huddle.connectors.base import iter_connectors
from tests.connectors.exports.scoring import CORPUS, corpus, norm

LABEL_KEYS = {
    "connector",
    "half",
    "about",
    "options",
    "refused",
    "items",
    "noise",
    "cut",
    "statements",
    "account",
    "unmatched",
    "created",
    "accounts",
    "was_held",
    "held_round",
}
REASONS = {"auto-reply", "spam", "test", "internal", "bot", "staff"}


def _strings(value: Any) -> list[str]:
    """Every string a JSON document holds, keys and values, as read."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (k, *_strings(v))]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return [str(value)]


def _mail_parts(raw: bytes) -> list[str]:
    from email import policy
    from email.parser import BytesParser

    # The charset labels mail clients write that Python does not know (iso-8859-8-i…), as
    # the email connector reads them.
    import huddle.connectors.mail_charsets  # noqa: F401

    found = []
    for chunk in re.split(rb"(?m)^From .*\r?\n", raw):
        message = BytesParser(policy=policy.default).parsebytes(chunk)
        for part in message.walk():
            if part.get_content_maintype() == "text":
                try:
                    found.append(str(part.get_content()))
                except (LookupError, UnicodeDecodeError):
                    continue
    return found


def _said(path: Path) -> list[str]:
    """What a call's speakers say, turn by turn, as the transcript connector reads it."""
    from huddle.connectors.base import ConnectorOptions, ConnectorOutput
    from huddle.connectors.transcript import read_calls

    calls = read_calls(path, ConnectorOptions(), ConnectorOutput())
    return [u.text for call in calls for u in call.utterances]


def _member(archive: zipfile.ZipFile, name: str) -> bytes:
    """A zip member's bytes; a damaged one's (a broken file's, which must be refused) none."""
    try:
        return archive.read(name)
    except (zipfile.BadZipFile, zlib.error):
        return b""


def _raw(path: Path) -> str:
    if path.is_file() and zipfile.is_zipfile(path):  # a zip, or an Excel workbook (XML parts)
        with zipfile.ZipFile(path) as archive:
            # A member encrypted with a password (a broken file, refused) holds no phrase.
            texts = [
                _member(archive, info.filename)
                for info in sorted(archive.infolist(), key=lambda info: info.filename)
                if not info.flag_bits & 0x1
            ]
        # A workbook inside a zip (HubSpot's mailed export): its own XML parts.
        texts += [
            _member(zipfile.ZipFile(io.BytesIO(text)), name)
            for text in list(texts)
            if text.startswith(b"PK\x03\x04")
            for name in sorted(zipfile.ZipFile(io.BytesIO(text)).namelist())
        ]
    else:
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        texts = [f.read_bytes() for f in files]
    # JSON escapes what it quotes, and CSV doubles a quote inside a quoted field; a phrase is
    # looked for as read. Mail is read as mail: each part decoded by its own charset and
    # transfer encoding (iso-8859-1, quoted-printable).
    decoded = [
        t.decode("utf-16")
        if t.startswith((b"\xff\xfe", b"\xfe\xff"))
        else t.decode("utf-8", "replace")
        for t in texts
    ]
    if path.is_dir() or path.suffix in {".eml", ".mbox"}:
        decoded += [part for t in texts for part in _mail_parts(t)]
    unescaped = []
    for text in decoded:
        try:
            unescaped.append("\n".join(_strings(json.loads(text))))
        except ValueError:
            unescaped.append(text.replace('""', '"') if path.suffix == ".csv" else text)
    # A rich-text cell's entities ("10&ndash;15 s") are read as the characters they stand for.
    return "\n".join(decoded + unescaped + [html.unescape(t) for t in unescaped if "&" in t])


def test_every_connector_has_files_in_both_halves() -> None:
    files = corpus()
    assert len(files) >= 40
    connectors = {c.name for c in iter_connectors()}
    by_half = Counter((f.connector, f.half) for f in files)
    for name in connectors:
        assert by_half[(name, "tune")] >= 1, name
        assert by_half[(name, "held")] >= 1, name
    # Each half at least as many files as the issue asks of the whole corpus (40). The tuning
    # half grows by a round each time a held-back round is measured and moves to it
    # (`was_held`); the held-back half stays at a round plus the files held back from the
    # start (round 9: 137 and 42 of 179).
    halves = Counter(f.half for f in files)
    assert min(halves["tune"], halves["held"]) >= 40, halves


def test_labels_are_well_formed_and_quote_their_files() -> None:
    for item in corpus():
        labels = item.labels
        assert item.path.exists(), item.path
        assert set(labels) <= LABEL_KEYS, (item.path.name, set(labels) - LABEL_KEYS)
        assert labels["about"], item.path.name
        raw = _raw(item.path)
        read = norm(raw)
        if labels["connector"] == "transcript" and "refused" not in labels:
            # A sentence a subtitle file splits over two cues is one in what the call says.
            read += "\n" + norm("\n".join(_said(item.path)))
        phrases = [p for i in labels.get("items", []) for p in i["keep"]]
        phrases += labels.get("statements", []) + labels.get("cut", [])
        for phrase in phrases:
            # Markup to be cut ("<p>", "font-size") is in the file as it is, not as read.
            found = norm(phrase) in read if norm(phrase) else False
            assert found or phrase.casefold() in raw.casefold(), (item.path.name, phrase)
        for noise in labels.get("noise", []):
            assert noise["reason"] in REASONS, (item.path.name, noise)
        if "refused" in labels:
            # Nothing must come in: no items, noise or statements (an empty list says so too).
            assert not any(labels.get(k) for k in ("items", "noise", "statements")), item.path


def test_the_workspace_is_invented() -> None:
    workspace = json.loads((CORPUS / "workspace.json").read_text())
    domains = {a["domain"] for a in workspace["accounts"]}
    assert all(d.endswith(".example") for d in domains)
