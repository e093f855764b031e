"""What round 25's files showed: a Word document made with Word's Transcribe (typed lines
above its "Transcript" heading, a date written day first, "Speaker 1" labels); a
password-protected zip, refused as such wherever a zip is opened (and a damaged one as
damaged); a mail client's MH folder, its messages files named by number beside its caches."""

import json
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from sqlalchemy.orm import Session

from huddle.connectors.base import ConnectorOptions, ConnectorOutput
from huddle.connectors.transcript import read_calls
from huddle.connectors.transcript_formats import Call
from huddle.errors import Invalid
from huddle.imports.unwrap import readable
from tests.connectors.helpers import counts, read_clean, refused, run
from tests.factories import actor

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
OURS = ConnectorOptions(internal_domains=("ourco.com",), staff_names=("Dana Lee",))
LOCKED = ("password-protected", "encrypted", "password")


def _word(path: Path, paragraphs: list[str]) -> Path:
    body = "".join(f"<w:p><w:r><w:t>{escape(text)}</w:t></w:r></w:p>" for text in paragraphs)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(
            "word/document.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}"><w:body>'
            f"{body}<w:sectPr/></w:body></w:document>",
        )
    return path


def _call(path: Path) -> tuple[Call, ConnectorOutput]:
    output = ConnectorOutput()
    with readable(path, documents=True) as converted:
        (call,) = read_calls(converted.path, OURS, output)
    return call, output


def _turns(call: Call) -> list[tuple[str, float | None, str]]:
    return [(u.speaker, u.start, u.text) for u in call.utterances]


ASK = "The export keeps timing out when we pick a whole month."
NEED = "We need the police reference number as its own field."


def test_a_word_transcribe_document_under_lines_typed_above_it(tmp_path: Path) -> None:
    """A title, a date written day first with words after it, an attendee line and the
    "Transcript" heading above `hh:mm:ss Name` lines over the words: the date is the call's,
    and every turn is read."""
    path = _word(
        tmp_path / "qbr.docx",
        [
            "Umbrella Retail \u2013 Q4 business review",
            "18 November 2026 · notes and transcript",
            "Attendees: Olivia Grant (Umbrella Retail); Dana Lee (OurCo)",
            "",
            "Transcript",
            "00:00:00 Dana Lee",
            "Welcome, how are the exports going?",
            "00:00:08 Olivia Grant",
            ASK,
            "00:00:15 Olivia Grant",
            NEED,
        ],
    )
    call, output = _call(path)
    assert output.errors == []
    assert call.title == "Umbrella Retail \u2013 Q4 business review"
    assert call.started_at is not None and call.started_at.date().isoformat() == "2026-11-18"
    assert _turns(call) == [
        ("Dana Lee", 0.0, "Welcome, how are the exports going?"),
        ("Olivia Grant", 8.0, f"{ASK} {NEED}"),
    ]


def test_words_opening_with_a_digit_are_still_no_date(tmp_path: Path) -> None:
    """Only a line that reads as a date may open with a digit above the turns: "3 things
    to cover" is no title, no date, and said by no one."""
    path = tmp_path / "call.txt"
    path.write_text("3 things to cover\n00:00:00 Dana Lee\nHello.\n")
    output = ConnectorOutput()
    read_calls(path, OURS, output)
    assert [(e.line, e.reason) for e in output.errors] == [
        (1, "expected 'Speaker: text' (a speaker label, a colon, what they said)")
    ]


def test_word_transcribes_audio_file_heading_names_the_call(tmp_path: Path) -> None:
    """Word adds "Audio file" over the recording's name, then "Transcript": headings, and
    the recording's name is the call's title."""
    path = _word(
        tmp_path / "transcribe.docx",
        [
            "Audio file",
            "Globex renewal call.m4a",
            "Transcript",
            "00:00:03 Speaker 1",
            "Thanks for making the time.",
            "00:00:07 Speaker 2",
            ASK,
        ],
    )
    call, output = _call(path)
    assert output.errors == []
    assert call.title == "Globex renewal call"
    assert _turns(call) == [
        ("Speaker 1", 3.0, "Thanks for making the time."),
        ("Speaker 2", 7.0, ASK),
    ]


def test_numbered_speakers_over_their_words_without_timestamps(tmp_path: Path) -> None:
    """Word's "With speakers" (no timestamps): "Speaker 1" alone over the words, in a
    document with no blank line between the turns."""
    path = _word(
        tmp_path / "speakers.docx",
        [
            "Speaker 1",
            "Thanks for making the time.",
            "Speaker 2",
            ASK,
            "It is the worst part of the week.",
            "Speaker 1",
            "How many rows is that?",
            "Speaker 2",
            NEED,
        ],
    )
    call, output = _call(path)
    assert output.errors == []
    assert _turns(call) == [
        ("Speaker 1", None, "Thanks for making the time."),
        ("Speaker 2", None, f"{ASK} It is the worst part of the week."),
        ("Speaker 1", None, "How many rows is that?"),
        ("Speaker 2", None, NEED),
    ]


def test_renamed_speakers_over_their_words_without_blank_lines(tmp_path: Path) -> None:
    path = _word(
        tmp_path / "renamed.docx",
        [
            "Dana Lee",
            "How are the exports going?",
            "Olivia Grant",
            ASK,
            "Dana Lee",
            "How many rows is that?",
            "Olivia Grant",
            NEED,
        ],
    )
    call, output = _call(path)
    assert output.errors == []
    assert [u.speaker for u in call.utterances] == [
        "Dana Lee",
        "Olivia Grant",
        "Dana Lee",
        "Olivia Grant",
    ]


def test_a_password_protected_word_document_is_refused_as_one(
    session: Session, tmp_path: Path
) -> None:
    """Word saves a document with a password as one encrypted OLE2 file: refused as such,
    not as an Excel workbook nor as text."""
    path = tmp_path / "call.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 8)
    with pytest.raises(Invalid) as failure:
        run(session, actor(session, "admin"), "transcript", path)
    message = failure.value.message
    assert message.startswith("line 1: call.docx is a password-protected (encrypted) Word")
    assert counts(session)["feedback"] == 0


# Zips.


def _locked(path: Path) -> Path:
    """The zip with every file marked encrypted (bit 0 of its flags, in its local header and
    its directory entry), as `zip -e` marks them: zipfile asks for a password to read one."""
    data = bytearray(path.read_bytes())
    for signature, flags in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.find(signature)
        while at != -1:
            data[at + flags] |= 1
            at = data.find(signature, at + 4)
    path.write_bytes(bytes(data))
    with zipfile.ZipFile(path) as archive:
        assert all(info.flag_bits & 1 for info in archive.infolist())
    return path


def _slack_zip(path: Path) -> Path:
    users = [{"id": "U1", "name": "olivia", "profile": {"email": "olivia@umbrella.example"}}]
    day = [{"type": "message", "user": "U1", "text": ASK, "ts": "1764600000.000100"}]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("users.json", json.dumps(users))
        archive.writestr("channels.json", json.dumps([{"id": "C1", "name": "umbrella"}]))
        archive.writestr("umbrella/2026-12-01.json", json.dumps(day))
    return path


def _notes_zip(path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "notes.csv",
            "Activity ID,Note body,Activity date,Associated Company IDs\n"
            + "".join(f"{n},{ASK} Case {n}.,2026-11-30,12\n" for n in range(200)),
        )
    return path


def test_a_password_protected_slack_export_is_refused_not_a_crash(
    session: Session, tmp_path: Path
) -> None:
    path = _locked(_slack_zip(tmp_path / "export.zip"))
    failure = refused(session, actor(session, "admin"), "slack", path)
    (error,) = failure.report.errors
    assert error.reason.startswith("export.zip is a password-protected zip archive")
    assert all(word in error.reason for word in LOCKED)


def test_a_slack_export_read_before_encryption_is_read(session: Session, tmp_path: Path) -> None:
    """The same export unlocked comes in: the refusal is the encryption's."""
    read = read_clean("slack", _slack_zip(tmp_path / "export.zip"), ConnectorOptions())
    assert [item.text for item in read.feedback] == [ASK]


def test_a_password_protected_zip_of_one_export_is_refused(
    session: Session, tmp_path: Path
) -> None:
    path = _locked(_notes_zip(tmp_path / "hubspot-notes.zip"))
    with pytest.raises(Invalid) as failure:
        run(session, actor(session, "admin"), "hubspot", path)
    message = failure.value.message
    assert message.startswith("line 1: hubspot-notes.zip is a password-protected zip archive")
    assert all(word in message for word in LOCKED)
    assert counts(session)["feedback"] == 0


def test_a_password_protected_zip_of_several_exports_says_so_first(
    session: Session, tmp_path: Path
) -> None:
    """Encrypted, a zip is refused as such before its files are counted: unzipping it one
    file at a time needs the password all the same."""
    path = tmp_path / "export.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("companies.csv", "Record ID,Company name\n12,Acme Robotics\n")
        archive.writestr("notes.csv", f"Activity ID,Note body\n1,{ASK}\n")
    _locked(path)
    with pytest.raises(Invalid) as failure:
        run(session, actor(session, "admin"), "hubspot", path)
    assert failure.value.message.startswith("line 1: export.zip is a password-protected zip")


def test_a_password_protected_data_export_is_refused_as_one(
    session: Session, tmp_path: Path
) -> None:
    """Salesforce's data export is read whole: encrypted, it is refused as encrypted, not
    as a zip of several exports to unzip."""
    path = tmp_path / "WE_00D5e000000abcd_1.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("Account.csv", "Id,Name\n0015e00000ACMER1AAA,Acme Robotics\n")
        archive.writestr(
            "Note.csv",
            "Id,ParentId,Title,Body,CreatedDate\n"
            f"0025e00000NT001AAA,0015e00000ACMER1AAA,Exports,{ASK},2026-12-01T09:14:00.000Z\n",
        )
    _locked(path)
    with pytest.raises(Invalid) as failure:
        run(session, actor(session, "admin"), "salesforce", path)
    assert failure.value.message.startswith(
        "line 1: WE_00D5e000000abcd_1.zip is a password-protected zip archive"
    )
    assert counts(session)["feedback"] == 0


def _bad_crc(path: Path, member: str) -> Path:
    """The zip with `member`'s stored checksum changed: its bytes no longer match it."""
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(member)
    data = bytearray(path.read_bytes())
    for signature, crc in ((b"PK\x03\x04", 14), (b"PK\x01\x02", 16)):
        at = data.find(signature)
        while at != -1:
            name_at = at + (30 if signature == b"PK\x03\x04" else 46)
            if data[name_at : name_at + len(member)] == member.encode():
                data[at + crc] ^= 0xFF
            at = data.find(signature, at + 4)
    path.write_bytes(bytes(data))
    with zipfile.ZipFile(path) as archive:
        assert archive.getinfo(member).CRC != info.CRC
    return path


def test_a_zip_of_one_export_with_a_bad_checksum_is_refused_as_damaged(
    session: Session, tmp_path: Path
) -> None:
    path = _bad_crc(_notes_zip(tmp_path / "notes.zip"), "notes.csv")
    with pytest.raises(Invalid) as failure:
        run(session, actor(session, "admin"), "hubspot", path)
    assert failure.value.message == (
        "line 1: notes.zip is a damaged zip archive (Bad CRC-32 for file 'notes.csv'): "
        "download it again"
    )
    assert counts(session)["feedback"] == 0


def test_a_slack_export_with_a_bad_checksum_or_cut_short_is_refused(
    session: Session, tmp_path: Path
) -> None:
    admin = actor(session, "admin")
    damaged = _bad_crc(_slack_zip(tmp_path / "damaged.zip"), "umbrella/2026-12-01.json")
    (error,) = refused(session, admin, "slack", damaged).report.errors
    assert "damaged" in error.reason
    whole = _slack_zip(tmp_path / "whole.zip").read_bytes()
    cut = tmp_path / "cut.zip"
    cut.write_bytes(whole[: len(whole) // 2])
    (error,) = refused(session, admin, "slack", cut).report.errors
    # The message every connector gives a damaged zip.
    assert error.reason == (
        "cut.zip is a damaged zip archive (File is not a zip file): download it again"
    )


# Mail folders.


def _mail(sender: str, subject: str, words: str, n: int) -> str:
    return (
        f"Return-Path: <{sender}>\nReceived: from mx.example by mail.ourco.com\n"
        f"From: {sender}\nTo: priya@ourco.com\nSubject: {subject}\n"
        f"Date: Wed, {n} Dec 2026 15:21:40 +0000\nMessage-ID: <m{n}@example>\n"
        "Content-Type: text/plain; charset=utf-8\n\n"
        f"Hi Priya,\n\n{words}\n\nInes\n"
    )


def test_an_mh_folder_is_read_and_the_clients_own_files_passed_over(tmp_path: Path) -> None:
    """Claws Mail's (and nmh's) MH folder: each message a file named by its number; beside
    them the client's dotfiles, a message MH removed (",3"), nmh's context, a server's index
    and a note that opens like a mail: none of them mail."""
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "1").write_text(_mail("ines@umbrella.example", "Dashboard", ASK, 1))
    (folder / "2").write_text(_mail("kenji@acme.example", "Counters", NEED, 2))
    (folder / ",3").write_text(_mail("old@acme.example", "Removed", "Gone for good.", 3))
    (folder / ".mh_sequences").write_text("unseen: 1-2\n")
    (folder / ".claws_cache").write_bytes(b"\x18\x00\x00\x00\x05\x00\x00\x00UTF-8\x01From: x")
    (folder / ".claws_mark").write_bytes(b"\x02\x00\x00\x00\x01\x00\x00\x00")
    (folder / "dovecot-uidlist").write_text("3 V1764602280 N3\n1 :1764602280.M1.host\n")
    (folder / "context").write_text("Current-Folder: inbox\n")  # nmh's own state
    (folder / "notes").write_text("From: the team\nSubject: filing\nFile these by Friday.\n")
    (folder / "README").write_text("Subject: Priya's inbox\nDate: 2026-12-05\n\nA copy.\n")
    (folder / ".draft").write_text(_mail("amara@initech.example", "Draft", "Not sent.", 4))
    read = read_clean("email", folder, OURS)
    assert [(item.contact_email, item.text.split("\n\n")[1]) for item in read.feedback] == [
        ("ines@umbrella.example", ASK),
        ("kenji@acme.example", NEED),
    ]
    assert (read.rows_read, read.left_out) == (2, [])


def test_a_maildirs_tmp_holds_no_mail_yet(tmp_path: Path) -> None:
    """Maildir delivers into `tmp/` and moves a message to `new/` once whole; a dotfile in
    `cur/` (Finder's `.DS_Store`) is no message either."""
    for part in ("cur", "new", "tmp"):
        (tmp_path / "Maildir" / part).mkdir(parents=True)
    delivered = tmp_path / "Maildir" / "new" / "1764602280.M1P2.host"
    delivered.write_text(_mail("ines@umbrella.example", "Dashboard", ASK, 1))
    arriving = tmp_path / "Maildir" / "tmp" / "1764602281.M2P2.host"
    arriving.write_text(_mail("kenji@acme.example", "Counters", NEED, 2))
    arriving_bare = tmp_path / "Maildir" / "tmp" / "1764602282"
    arriving_bare.write_text(_mail("kenji@acme.example", "Counters", NEED, 3))
    (tmp_path / "Maildir" / "cur" / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1\x00")
    read = read_clean("email", tmp_path / "Maildir", OURS)
    assert [item.contact_email for item in read.feedback] == ["ines@umbrella.example"]


def test_a_thunderbird_folder_is_mbox_files_without_a_suffix(tmp_path: Path) -> None:
    """Thunderbird keeps each folder as an mbox named as the folder (`Inbox`), its index
    beside it (`Inbox.msf`)."""
    folder = tmp_path / "Mail" / "pop.ourco.com"
    folder.mkdir(parents=True)
    (folder / "Inbox").write_text(
        "From - Wed Dec 02 15:21:48 2026\n"
        + _mail("ines@umbrella.example", "Dashboard", ASK, 1)
        + "\nFrom - Thu Dec 03 13:44:05 2026\n"
        + _mail("kenji@acme.example", "Counters", NEED, 2)
    )
    (folder / "Inbox.msf").write_text('// <!-- <mdb:mork:z v="1.4"/> -->\n< <(a=c)> >\n')
    (folder / "Trash").write_text("")
    read = read_clean("email", tmp_path / "Mail", OURS)
    assert [item.contact_email for item in read.feedback] == [
        "ines@umbrella.example",
        "kenji@acme.example",
    ]
