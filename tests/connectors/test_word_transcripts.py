"""A call transcript as a Word document: Teams offers a meeting's transcript as a .docx
download, and a Google Meet transcript is a Google Doc downloaded as one. Read as its text;
Teams' classic layout (a cue's timing, the speaker's name on its own line, the words) is
read as cues with their speakers, in the document or saved as text."""

import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from huddle.connectors.base import ConnectorOptions, ConnectorOutput
from huddle.connectors.transcript import read_calls
from huddle.errors import Invalid
from huddle.imports.document import as_text
from huddle.models import Feedback
from tests.connectors.helpers import counts, run
from tests.factories import actor

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
OURS = ConnectorOptions(internal_domains=("ourco.com",), staff_names=("Tom Becker",))


def _paragraph(text: str) -> str:
    # Each paragraph with a tab stop in its properties (Word's own), runs split at tabs.
    runs = "<w:r><w:tab/></w:r>".join(
        f'<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">{escape(part)}</w:t></w:r>'
        for part in text.split("\t")
    )
    return f'<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr>{runs}</w:p>'


def word_document(path: Path, paragraphs: list[str], body: str | None = None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("_rels/.rels", "<Relationships/>")
        inner = body if body is not None else "".join(_paragraph(p) for p in paragraphs)
        archive.writestr(
            "word/document.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}"><w:body>'
            f"{inner}<w:sectPr/></w:body></w:document>",
        )
    return path


TEAMS = [
    "Umbrella Retail weekly sync-20261201_140312-Meeting Recording",
    "December 1, 2026, 2:03PM",
    "43m 12s",
    "",
    "Tom Becker   0:03",
    "Hi everyone, thanks for joining. How are the exports going?",
    "",
    "Helen Marsh   0:10",
    "The exports keep timing out on large projects, we need them to run overnight.",
    "",
    "Tom Becker   0:25",
    "Understood, how big are the projects?",
    "",
    "Helen Marsh   0:31",
    "About forty thousand rows each, and finance cannot close the month without them.",
    "",
    "Tom Becker stopped transcription",
]
CLASSIC = [
    "0:0:0.0 --> 0:0:5.230",
    "Becker, Tom",
    "Hi everyone, thanks for joining. How are the exports going?",
    "",
    "0:0:5.230 --> 0:0:9.100",
    "Marsh, Helen",
    "The exports keep timing out on large projects, we need them to run overnight.",
    "",
    "0:0:9.100 --> 0:0:12.0",
    "Becker, Tom",
    "Understood, how big are the projects?",
    "",
    "0:0:12.0 --> 0:0:19.500",
    "Marsh, Helen",
    "About forty thousand rows each,",
    "and finance cannot close the month without them.",
]


def _turns(path: Path) -> list[tuple[str, str | None, float | None, str]]:
    output = ConnectorOutput()
    calls = read_calls(path, OURS, output)
    assert output.errors == []
    return [
        (u.speaker, c.speakers[u.speaker].side, u.start, u.text)
        for c in calls
        for u in c.utterances
    ]


@pytest.mark.parametrize("layout", [TEAMS, CLASSIC], ids=["teams", "teams-classic"])
def test_a_teams_transcript_in_word_comes_in_with_the_customers_words_only(
    session: Session, tmp_path: Path, layout: list[str]
) -> None:
    admin = actor(session, "admin")
    path = word_document(tmp_path / "Umbrella weekly sync.docx", layout)
    report = run(session, admin, "transcript", path, internal_domains=("ourco.com",))
    assert report.created == 2 and report.errors == []
    texts = session.scalars(select(Feedback.text).order_by(Feedback.id)).all()
    assert "exports keep timing out on large projects" in texts[0]
    assert "finance cannot close the month without them" in texts[1]
    assert not any("how big are the projects" in text for text in texts)


def test_teams_classic_layout_is_read_as_cues_with_their_speakers(tmp_path: Path) -> None:
    path = tmp_path / "transcript.txt"
    path.write_text("\n".join(CLASSIC) + "\n")
    turns = _turns(path)
    assert [(s, side, start) for s, side, start, _ in turns] == [
        ("Tom Becker", "vendor", 0.0),  # "Surname, Given" turned round, as Teams' .vtt
        ("Helen Marsh", "customer", 5.23),
        ("Tom Becker", "vendor", 9.1),
        ("Helen Marsh", "customer", 12.0),
    ]
    assert turns[3][3].endswith("cannot close the month without them.")
    assert not any(text.startswith(("Becker", "Marsh")) for *_, text in turns)


def test_subtitle_lines_broken_mid_sentence_are_no_speakers(tmp_path: Path) -> None:
    """A two-line cue's first line is a speaker only when names alone open most such cues,
    again and again: captions broken mid-sentence keep their words."""
    path = tmp_path / "captions.srt"
    path.write_text(
        "1\n00:00:01,000 --> 00:00:04,000\nHelen Marsh: Our exports keep\ntiming out every night.\n\n"
        "2\n00:00:04,000 --> 00:00:08,000\nNew York Office\nis where the reports run.\n\n"
        "3\n00:00:08,000 --> 00:00:12,000\nTom Becker: How big are\nthe projects?\n\n"
        "4\n00:00:12,000 --> 00:00:15,000\nHelen Marsh: Forty thousand rows,\nsometimes more.\n"
    )
    turns = _turns(path)
    assert [s for s, *_ in turns] == ["Helen Marsh", "Tom Becker", "Helen Marsh"]
    assert "New York Office is where the reports run." in turns[0][3]


@pytest.mark.parametrize(
    "openings",
    [
        # A name-shaped line again and again, but over few of the cues.
        ["New York Office", "New York Office", "our exports keep", "and then they", "so we"],
        # Name-shaped lines over most cues, but each once.
        ["New York Office", "Grand Central Station", "our exports keep"],
    ],
    ids=["repeated-but-few", "many-but-once"],
)
def test_lines_that_only_look_like_names_are_no_speakers(
    tmp_path: Path, openings: list[str]
) -> None:
    path = tmp_path / "captions.srt"
    path.write_text(
        "".join(
            f"{n}\n00:00:{n:02d},000 --> 00:00:{n + 1:02d},000\n{opening}\nrun late every night.\n\n"
            for n, opening in enumerate(openings, 1)
        )
    )
    turns = _turns(path)
    assert all(speaker == "" or speaker is None or "Office" not in speaker for speaker, *_ in turns)
    assert "New York Office run late every night." in " ".join(text for *_, text in turns)


def test_only_the_documents_words_are_read(tmp_path: Path) -> None:
    """Tab stops and run properties are not tabs, deleted text and field codes are not
    words, a line break starts a line."""
    body = (
        '<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr>'
        "<w:r><w:t>Helen Marsh</w:t></w:r><w:r><w:tab/></w:r><w:r><w:t>0:10</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>The exports</w:t></w:r>"
        "<w:del><w:r><w:delText> never</w:delText></w:r></w:del>"
        '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
        '<w:r><w:t xml:space="preserve"> time out.</w:t><w:br/><w:t>Every night.</w:t></w:r>'
        "<w:moveFrom><w:r><w:t>Moved away.</w:t></w:r></w:moveFrom></w:p>"
        '<w:p><mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-'
        'compatibility/2006"><mc:Choice Requires="wps"><w:r><w:t>In a box.</w:t></w:r>'
        "</mc:Choice><mc:Fallback><w:r><w:t>In a box.</w:t></w:r></mc:Fallback>"
        "</mc:AlternateContent></w:p>"
    )
    path = word_document(tmp_path / "t.docx", [], body=body)
    with as_text(path) as converted:
        assert converted.path.name == "t.docx"
        assert converted.path.read_text() == (
            "Helen Marsh\t0:10\nThe exports time out.\nEvery night.\nIn a box.\n"
        )


def test_a_word_document_given_to_another_importer_is_refused_as_one(
    session: Session, tmp_path: Path
) -> None:
    admin = actor(session, "admin")
    path = word_document(tmp_path / "tickets.csv", TEAMS)
    before = counts(session)
    with pytest.raises(Invalid) as failure:
        run(session, admin, "tickets", path)
    assert "tickets.csv is a Word document, not a data export" in failure.value.message
    assert counts(session) == before


def test_a_damaged_word_document_is_refused_and_writes_nothing(
    session: Session, tmp_path: Path
) -> None:
    admin = actor(session, "admin")
    path = word_document(tmp_path / "call.docx", [], body="<w:p><w:r><w:t>cut off here")
    before = counts(session)
    with pytest.raises(Invalid) as failure:
        run(session, admin, "transcript", path)
    assert "call.docx is a damaged Word document" in failure.value.message
    assert counts(session) == before
