"""A second look at round 30's subtitle and annotation readers, on files other tools save:
a comma-separated log that is no SBV, SubViewer's head in a .txt, SubStation scripts whose
styles are the speakers or whose title is left empty, ELAN documents with a coded tier, one
tier for everyone, ELAN's own tier names and CHAT's codes; TTML declaring an entity; a call
file zipped; and a colleague from our own company named by name."""

import zipfile
from pathlib import Path

from sqlalchemy.orm import Session

from huddle.connectors.base import ConnectorOptions, ConnectorOutput
from huddle.connectors.transcript_formats import Call
from tests.connectors.helpers import calls_in, came_in, refused, run, turns
from tests.factories import actor

OURS = ConnectorOptions(internal_domains=("ourco.com",), staff_names=("Dana Lee", "Sam Ortiz"))


def _read(path: Path, text: str) -> tuple[list[Call], ConnectorOutput]:
    path.write_text(text, encoding="utf-8", newline="")
    return calls_in(path, OURS)


def _one(path: Path, text: str) -> Call:
    calls, output = _read(path, text)
    assert output.errors == []
    (call,) = calls
    return call


def test_a_log_of_comma_separated_times_is_no_sbv_but_sbv_as_text_is(tmp_path: Path) -> None:
    # Words after the times on the same line are a log's columns, not a cue: read as SBV,
    # the whole log was one unknown speaker's "Dana,Hello Ravi,The export is slow".
    _, output = _read(
        tmp_path / "log.txt", "10:02,10:05,Dana,Hello\n10:05,10:09,Ravi,The export is slow\n"
    )
    assert [e.line for e in output.errors] == [1, 2]
    assert output.errors[0].reason.startswith("expected 'Speaker: text'")
    # YouTube's download as Windows saves it (a byte-order mark, CRLF), a cue over two lines.
    call = _one(
        tmp_path / "captions.txt",
        "\ufeff0:00:01.000,0:00:03.000\r\n>> DANA LEE: How are exports?\r\n\r\n"
        "0:00:03.000,0:00:06.000\r\n>> RAVI SHAH: Slow. They time out\r\non big projects.\r\n",
    )
    assert turns(call) == [
        ("Dana Lee", "vendor", 1.0, "How are exports?"),
        ("Ravi Shah", "customer", 3.0, "Slow. They time out on big projects."),
    ]


def test_subviewer_2_saved_as_text_is_known_by_its_head(tmp_path: Path) -> None:
    call = _one(
        tmp_path / "review.txt",
        "[INFORMATION]\n[TITLE]Globex review\n[END INFORMATION]\n[SUBTITLE]\n"
        "00:00:01.00,00:00:04.00\nRAVI SHAH: The sync[br]drops records.\n",
    )
    assert call.title == "Globex review"
    assert turns(call) == [("Ravi Shah", "customer", 1.0, "The sync drops records.")]


_STYLES = "[V4+ Styles]\nFormat: Name, Fontname, Fontsize\n" + "".join(
    f"Style: {style},Arial,20\n" for style in ("Default", "Dana Lee", "Ravi", "Sign", "Italics")
)


def _script(title: str, events: list[tuple[str, str, str]]) -> str:
    return (
        f"[Script Info]\nTitle: {title}\nScriptType: v4.00+\n\n{_STYLES}\n[Events]\n"
        "Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text\n"
        + "".join(
            f"Dialogue: 0,{at},0:00:30.00,{style},,0,0,0,,{text}\n" for at, style, text in events
        )
    )


def test_substation_styles_named_for_their_speakers_are_the_speakers(tmp_path: Path) -> None:
    script = _script(
        "Globex interview",
        [
            ("0:00:01.00", "Dana Lee", "How are exports going?"),
            ("0:00:04.00", "Ravi", "They time out on big projects."),
            ("0:00:05.00", "Sign", "GLOBEX HQ"),
            ("0:00:06.00", "Default", "Every single week."),
            ("0:00:08.00", "Dana Lee", "Noted, thanks."),
        ],
    )
    call = _one(tmp_path / "interview.ass", script)
    # No Name column filled: each person has a style of their own. The sign is shown, not
    # said; a line in the Default style goes on with the turn before.
    assert turns(call) == [
        ("Dana Lee", "vendor", 1.0, "How are exports going?"),
        ("Ravi", "customer", 4.0, "They time out on big projects. Every single week."),
        ("Dana Lee", "vendor", 8.0, "Noted, thanks."),
    ]
    # Styles for how lines look (Default, Italics) are no one: an editor's empty title is
    # no title (Subtitle Edit writes "Title: ").
    plain = _one(
        tmp_path / "episode.ass",
        _script("", [("0:00:01.00", "Default", "Is it fixed?"), ("0:00:02.00", "Italics", "No.")]),
    )
    assert plain.title is None
    assert [u.speaker for u in plain.utterances] == ["Unknown"]


def _eaf(tiers: str, slots: str = "", types: str = "", header: str = "") -> str:
    times = slots or "".join(
        f'<TIME_SLOT TIME_SLOT_ID="ts{n}" TIME_VALUE="{n * 1000}"/>' for n in range(1, 9)
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<ANNOTATION_DOCUMENT AUTHOR="" DATE="2026-10-01T10:00:00+00:00" FORMAT="2.7" VERSION="2.7">
<HEADER MEDIA_FILE="" TIME_UNITS="milliseconds">{header}</HEADER>
<TIME_ORDER>{times}</TIME_ORDER>
{tiers}
<LINGUISTIC_TYPE GRAPHIC_REFERENCES="false" LINGUISTIC_TYPE_ID="default-lt" TIME_ALIGNABLE="true"/>
<LINGUISTIC_TYPE CONSTRAINTS="Symbolic_Association" LINGUISTIC_TYPE_ID="assoc" TIME_ALIGNABLE="false"/>
{types}
</ANNOTATION_DOCUMENT>
"""


def _tier(ident: str, annotations: list[tuple[int, str]], kind: str = "default-lt") -> str:
    """A tier of annotations, each (its first time slot, its words) lasting one slot."""
    return (
        f'<TIER LINGUISTIC_TYPE_REF="{kind}" TIER_ID="{ident}">'
        + "".join(
            f'<ANNOTATION><ALIGNABLE_ANNOTATION ANNOTATION_ID="{ident}{slot}" '
            f'TIME_SLOT_REF1="ts{slot}" TIME_SLOT_REF2="ts{slot + 1}">'
            f"<ANNOTATION_VALUE>{text}</ANNOTATION_VALUE></ALIGNABLE_ANNOTATION></ANNOTATION>"
            for slot, text in annotations
        )
        + "</TIER>\n"
    )


def test_an_elan_tier_of_a_controlled_vocabulary_is_codes_not_speech(tmp_path: Path) -> None:
    tiers = (
        _tier("A", [(1, "How do you plan rosters?")])
        + _tier("B", [(3, "In a spreadsheet, and it is painful.")])
        + _tier("Affect", [(3, "Frustrated")], kind="affect-lt")
    )
    types = (
        '<LINGUISTIC_TYPE CONTROLLED_VOCABULARY_REF="affect" LINGUISTIC_TYPE_ID="affect-lt" '
        'TIME_ALIGNABLE="true"/><CONTROLLED_VOCABULARY CV_ID="affect"><CV_ENTRY_ML '
        'CVE_ID="c1"><CVE_VALUE LANG_REF="und">Frustrated</CVE_VALUE></CV_ENTRY_ML>'
        "</CONTROLLED_VOCABULARY>"
    )
    call = _one(tmp_path / "coded.eaf", _eaf(tiers, types=types))
    # Without it, "Affect" was a speaker saying "Frustrated".
    assert [(u.speaker, u.text) for u in call.utterances] == [
        ("A", "How do you plan rosters?"),
        ("B", "In a spreadsheet, and it is painful."),
    ]


def test_one_elan_tier_for_everyone_is_read_by_the_names_in_its_words(tmp_path: Path) -> None:
    tier = _tier(
        "default",
        [
            (1, "Sam Ortiz: How do you plan rosters today?"),
            (2, "Kofi Mensah: In a spreadsheet. It takes hours."),
            (3, "And the rota view is missing."),
            (4, "Sam Ortiz: Thanks."),
        ],
    )
    call = _one(tmp_path / "session.eaf", _eaf(tier))
    assert turns(call) == [
        ("Sam Ortiz", "vendor", 1.0, "How do you plan rosters today?"),
        (
            "Kofi Mensah",
            "customer",
            2.0,
            "In a spreadsheet. It takes hours. And the rota view is missing.",
        ),
        ("Sam Ortiz", "vendor", 4.0, "Thanks."),
    ]
    # A tier its PARTICIPANT names is that person's, whatever the words open with.
    kofi = tier.replace('TIER_ID="default"', 'PARTICIPANT="Kofi Mensah" TIER_ID="default"')
    call = _one(tmp_path / "kofi.eaf", _eaf(kofi))
    assert [u.speaker for u in call.utterances] == ["Kofi Mensah"]


def test_elan_tier_names_give_their_speaker_and_chat_codes_are_no_words(
    tmp_path: Path,
) -> None:
    # ELAN's own example names a tier by the speaker and its kind ("K-Spch"); CHAT's
    # conversion by CHAT's line ("*PAR"), its words in CHAT's transcription codes.
    tiers = _tier("K-Spch", [(1, "How do you plan rosters?")]) + _tier(
        "*PAR",
        [
            (2, "&amp;-um we use a [/] a spreadsheet and it is &amp;=sighs painful ."),
            (3, "the app has no &lt;rota view&gt; [//] rota view +..."),
            (4, "xxx the night shift doin(g) it by hand [: by hand] ."),
        ],
    )
    call = _one(tmp_path / "chat.eaf", _eaf(tiers))
    assert [(u.speaker, u.text) for u in call.utterances] == [
        ("K", "How do you plan rosters?"),
        (
            "PAR",
            "We use a spreadsheet and it is painful. The app has no rota view... "
            "The night shift doing it by hand.",
        ),
    ]
    # Not a CHAT conversion: brackets and ampersands are the speaker's own.
    plain = _one(tmp_path / "plain.eaf", _eaf(_tier("P1", [(1, "R&amp;D [sic] is slow .")])))
    assert plain.utterances[0].text == "R&D [sic] is slow ."


def test_ttml_declaring_an_entity_is_refused_not_a_crash(session: Session, tmp_path: Path) -> None:
    path = tmp_path / "captions.ttml"
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE tt [<!ENTITY co "Acme">]>\n'
        '<tt xmlns="http://www.w3.org/ns/ttml"><body><div><p begin="1s">&co; is slow</p>'
        "</div></body></tt>"
    )
    (error,) = refused(session, actor(session, "admin"), "transcript", path).report.errors
    assert error.reason == (
        "not a TTML (DFXP) document as caption tools save it: it declares XML entities or a "
        "DTD (EntitiesForbidden); export the captions again"
    )


VTT = (
    "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Dana Lee>How are exports going?\n\n"
    "00:00:04.000 --> 00:00:08.000\n<v Ravi Shah>The export times out on big projects, "
    "which is really frustrating.\n"
)


def test_a_zip_holding_one_call_file_is_read_as_that_file(session: Session, tmp_path: Path) -> None:
    admin = actor(session, "admin")
    path = tmp_path / "recording.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("recording/call.vtt", VTT)
        archive.writestr("recording/audio.m4a", b"\0\0")
        archive.writestr("__MACOSX/recording/._call.vtt", b"\0")
    report = run(session, admin, "transcript", path, internal_domains=("ourco.com",))
    assert [text for text, _ in came_in(session, report)] == [
        "The export times out on big projects, which is really frustrating."
    ]
    # A zip of an export and a caption file still reads the export, as it did.
    mixed = tmp_path / "mixed.zip"
    with zipfile.ZipFile(mixed, "w") as archive:
        archive.writestr("notes.txt", "Ravi Shah: Billing is confusing, we pay twice.\n")
        archive.writestr("intro.srt", "1\n00:00:01,000 --> 00:00:02,000\nHello\n")
    report = run(session, admin, "transcript", mixed)
    assert [text for text, _ in came_in(session, report)] == ["Billing is confusing, we pay twice."]


def test_a_colleague_from_our_own_company_named_by_name_is_a_colleague(tmp_path: Path) -> None:
    sbv = (
        "0:00:01.000,0:00:04.000\n>> MARTA DIAZ: Hi all, I'm joined by Priya from OurCo.\n\n"
        "0:00:04.000,0:00:06.000\n>> PRIYA RAMAN: Thanks for having me.\n\n"
        "0:00:06.000,0:00:09.000\n>> RAVI SHAH: The export times out on big projects.\n\n"
        "0:00:09.000,0:00:11.000\n>> MARTA DIAZ: How do approvals work today? "
        "Tell me about your rollout.\n"
    )
    call = _one(tmp_path / "review.sbv", sbv)
    # Marta asks the questions; Priya, whom she is joined by from OurCo, is on her side.
    assert [(u.speaker, call.speakers[u.speaker].side) for u in call.utterances] == [
        ("Marta Diaz", "vendor"),
        ("Priya Raman", "vendor"),
        ("Ravi Shah", "customer"),
        ("Marta Diaz", "vendor"),
    ]
