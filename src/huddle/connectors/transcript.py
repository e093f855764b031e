"""Call transcripts (WebVTT, SRT, TTML captions, YouTube's SBV captions, SubStation Alpha
subtitles, ELAN annotation documents, "Speaker: text" plain text, a Markdown note's
transcript, call-recorder JSON) to evidence.

Each customer statement that is feedback becomes one item of source `call`, linked to the
moment it was said (`<recording url or file name>#t=MM:SS`) and to the call's account. The
vendor's own lines never become evidence. Which side a speaker is on: `transcript_rules`;
which sentences are feedback: `statements` (a lexicon, and a classifier over the sentences'
vectors, all the customer sentences of a file encoded in one batch); the formats:
`transcript_formats`, `transcript_captions`, `transcript_subtitle_files`, `transcript_elan`,
`transcript_plain`, `transcript_markdown` and `transcript_json`.
"""

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import numpy.typing as npt

from huddle.connectors.base import ConnectorOptions, ConnectorOutput
from huddle.connectors.common import pick_source, run_rows
from huddle.connectors.export_dates import parse_when
from huddle.connectors.statements import (
    StatementModel,
    answered,
    judge,
    judged,
    shipped_model,
)
from huddle.connectors.transcript_captions import is_captions, read_captions
from huddle.connectors.transcript_elan import is_elan, read_elan
from huddle.connectors.transcript_formats import (
    CUE_TIME,
    Call,
    Utterance,
    moment,
    read_subtitles,
)
from huddle.connectors.transcript_jitsi import is_jitsi, read_jitsi
from huddle.connectors.transcript_json import read_json
from huddle.connectors.transcript_lexicon import is_question, split_sentences
from huddle.connectors.transcript_markdown import is_markdown, read_markdown
from huddle.connectors.transcript_names import name_unnamed, uncased, with_names_cased
from huddle.connectors.transcript_plain import read_plain
from huddle.connectors.transcript_rules import Speaker, assign_sides, vendor_names
from huddle.connectors.transcript_speakers import HOSTED
from huddle.connectors.transcript_subtitle_files import (
    is_substation,
    is_subviewer,
    read_substation,
    read_subviewer,
)
from huddle.imports.connected import is_public_mail
from huddle.imports.fields import normalise
from huddle.imports.records import FeedbackRecord, RowError
from huddle.insights.embedding import Embedder, get_default_embedder


@dataclass
class Turn:
    """A customer's turn in a call, cut into sentences."""

    call: Call
    index: int
    utterance: Utterance
    speaker: Speaker
    sentences: list[str]
    # The question the vendor's side put just before the turn, if it ended on one: a short
    # answer ("About two hours every Monday.") is evidence only read after it.
    asked: str | None = None


def read_calls(path: Path, options: ConnectorOptions, output: ConnectorOutput) -> list[Call]:
    """The calls of a file with their metadata settled and each speaker's side assigned; what
    cannot be read goes to `output.errors`."""
    calls: list[Call] = []

    def load() -> list[Call]:
        suffix = path.suffix.lower()
        if suffix == ".json":
            return read_json(path, options, output.errors, output.warnings)
        if is_captions(path):
            return [read_captions(path, options, output.errors)]
        if is_elan(path):
            return [read_elan(path, options, output.errors)]
        with path.open("r", encoding=options.encoding) as handle:
            start = handle.read(64).lstrip("\ufeff")
        if suffix in {".ass", ".ssa"} or is_substation(start):
            return [read_substation(path, options, output.errors)]
        if suffix == ".sbv" or is_subviewer(start):
            return [read_subviewer(path, options, output.errors)]
        if (
            suffix in {".vtt", ".srt"}
            or start.startswith("WEBVTT")
            or re.match(r"(?:\d+\s*\n\s*)?" + CUE_TIME + r"\s*-->", start)
        ):
            return [read_subtitles(path, options, output.errors)]
        if is_jitsi(start):
            return [read_jitsi(path, options, output.errors)]
        if is_markdown(path):
            return [read_markdown(path, options, output.errors)]
        return [read_plain(path, options, output.errors)]

    run_rows(output, lambda: iter(load()), calls.append)
    output.rows_read = sum(len(call.utterances) for call in calls)
    overrides = {normalise(k): v for k, v in options.mapping.items()}
    for call in calls:
        call.account = overrides.get("account", call.account)
        call.recording_url = overrides.get("recording", call.recording_url)
        if call.started_at is None:
            dated = re.search(r"(\d{4}-\d{2}-\d{2})", path.name)
            call.started_at = (
                parse_when(dated.group(1))
                if dated
                else datetime.fromtimestamp(path.stat().st_mtime, UTC)
            )
        if not call.utterances:
            if not output.errors:  # an unreadable cue already says why
                output.errors.append(RowError(call.line, None, "no utterances found in this call"))
            continue
        call.settle_addresses({u.speaker for u in call.utterances})
        said = [(u.speaker, u.text) for u in call.utterances]
        if uncased([text for _, text in said]):
            # Written without case: the workspace's people and the vendor's names are still
            # known, and what tells sides apart reads names by their capitals.
            vendors = vendor_names(options.internal_domains)
            said = [
                (who, with_names_cased(text, options.staff_names, vendors)) for who, text in said
            ]
        name_unnamed(call.speakers, said)
        assign_sides(call.speakers, said, options.internal_domains, options.staff_names)
        people = call.speakers.values()
        if len(people) > 1 and not any(s.side == "vendor" for s in people):
            # Nothing else said who the vendor is: the meeting's host, flagged on its turns.
            for speaker in people:
                speaker.side = "vendor" if speaker.role == HOSTED else speaker.side
    return calls


def customer_turns(calls: list[Call]) -> list[Turn]:
    """Every turn of a customer-side speaker; the vendor's own lines never become evidence,
    but the question a vendor turn ends on is kept with the answer after it."""
    return [
        Turn(
            call,
            index,
            utterance,
            call.speakers[utterance.speaker],
            split_sentences(utterance.text),
            _asked(call, index),
        )
        for call in calls
        for index, utterance in enumerate(call.utterances)
        if call.speakers[utterance.speaker].side == "customer"
    ]


def _asked(call: Call, index: int) -> str | None:
    """The question the turn before `index` ended on, when the vendor's side said it."""
    if index == 0:
        return None
    before = call.utterances[index - 1]
    if call.speakers[before.speaker].side == "customer":
        return None
    sentences = split_sentences(before.text)
    return sentences[-1] if sentences and is_question(sentences[-1]) else None


def _classifier(output: ConnectorOutput) -> tuple[Embedder, StatementModel] | None:
    """The encoder and the statement model; None (the lexicon decides alone, and the summary
    says so) when either cannot be loaded or they do not fit together."""
    try:
        model = shipped_model()
        embedder = get_default_embedder()
    except Exception as error:  # a broken install must not stop the evidence coming in
        reason = f"{type(error).__name__}: {error}"
    else:
        if embedder.name == model.encoder:
            return embedder, model
        reason = f"the encoder is {embedder.name}, the model was trained on {model.encoder}"
    output.warnings.append(
        RowError(
            1,
            None,
            "customer statements were found by the lexicon alone (the statement classifier "
            f"is unavailable: {reason})",
        )
    )
    return None


_NOT_A_COMPANY = re.compile(
    r"/|\b(vp|svp|evp|head|director|manager|engineer|lead|chief|officer|president|founder|"
    r"ceo|cto|cfo|coo|cio|ciso|analyst|consultant|specialist|coordinator|admin)\b",
    re.IGNORECASE,
)


def _places(call: Call, path: Path) -> tuple[str, ...]:
    """Where a call may name its account, most telling first."""
    said = "\n".join(u.text for u in call.utterances)
    # The one company domain of the customer's people who came with an address: the account
    # of one who dialled in with none (Gong's party known by a phone number). Two companies'
    # domains, or a public mail provider's, name no account.
    domains = {
        speaker.email.rpartition("@")[2].lower()
        for speaker in call.speakers.values()
        if speaker.side == "customer" and speaker.email
    }
    domain = domains.pop() if len(domains) == 1 and not any(map(is_public_mail, domains)) else ""
    # The company a meeting tool writes beside a customer's name ("Rosa Jimenez | Acme
    # Robotics", Zoom's display name): theirs when the customer's people name one alone.
    companies = {
        part
        for speaker in call.speakers.values()
        if speaker.side == "customer"
        and "|" in speaker.name
        # Not pronouns ("Dana Lee | she/her") nor a job ("Rosa Jimenez | VP Operations").
        and not _NOT_A_COMPANY.search(part := speaker.name.rpartition("|")[2].strip())
    }
    company = companies.pop() if len(companies) == 1 else ""
    return (call.title or "", domain, company, re.sub(r"[\W_]+", " ", path.stem), said)


class TranscriptConnector:
    name = "transcript"
    description = "Call transcripts (WebVTT, SRT, TTML/DFXP, SBV and SubStation captions, ELAN documents, 'Speaker: text' text, call-recorder JSON): the customer's feedback statements, each linked to its moment."
    suffixes = (
        ".vtt",
        ".srt",
        ".sbv",
        ".ass",
        ".ssa",
        ".txt",
        ".json",
        ".docx",
        ".dfxp",
        ".ttml",
        ".xml",
        ".eaf",
        ".md",
    )

    def read(self, path: Path, options: ConnectorOptions) -> ConnectorOutput:
        output = ConnectorOutput()
        calls = read_calls(path, options, output)
        turns = customer_turns(calls)
        # Where each call naming no account may name it: one tuple a call, shared by its items.
        places = {id(call): _places(call, path) for call in calls if not call.account}
        said = [turn.sentences for turn in turns]
        sentences = [sentence for turn in said for sentence in turn]
        # When the hard rules leave a sentence to judge, every sentence needs a vector (each
        # is read with the one before it), and so does each question a turn answers: one
        # batch for the file.
        model: StatementModel | None = None
        vectors: npt.NDArray[np.float64] | None = None
        asked: npt.NDArray[np.float64] | None = None
        if judged(sentences) and (classifier := _classifier(output)) is not None:
            embedder, model = classifier
            vectors, asked = answered(embedder, sentences, [turn.asked for turn in turns])
        kinds = iter(judge(said, vectors, model, asked))
        for turn in turns:
            found = [(s, kind) for s in turn.sentences if (kind := next(kinds)) is not None]
            if found:
                self._record(turn, found, path, options, output, places.get(id(turn.call), ()))
        return output

    def _record(
        self,
        turn: Turn,
        found: list[tuple[str, str]],
        path: Path,
        options: ConnectorOptions,
        output: ConnectorOutput,
        places: tuple[str, ...],
    ) -> None:
        call, utterance, speaker = turn.call, turn.utterance, turn.speaker
        assert call.started_at is not None  # read_calls settles it
        text = " ".join(sentence for sentence, _ in found)
        start = utterance.start_of(text[:40])
        at = moment(start)
        where = call.recording_url or path.name
        key = call.call_id or call.recording_url or path.name
        output.feedback.append(
            FeedbackRecord(
                line=utterance.line,
                text=text,
                source=pick_source(options, "call"),
                occurred_at=call.started_at + timedelta(seconds=start or 0),
                external_id=f"{key}#{turn.index}",
                title=f"{call.title or path.stem} — {speaker.name} at {at}",
                link_url=f"{where}#t={at}",
                account_ref=call.account,
                # A call naming no account is attached to a known account its title names
                # ("OurCo / Acme Robotics - Q4 business review"), else its file name
                # ("acme_discovery.vtt"), else its lines name in full.
                mentions=places,
                contact_email=speaker.email,
                contact_name=speaker.name,
                tags=sorted({f"feedback:{kind}" for _, kind in found}),
            )
        )


connector = TranscriptConnector()
