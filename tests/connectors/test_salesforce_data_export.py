"""Salesforce's data export (Setup > Data Export, weekly or on demand) is one zip of every
object chosen, each file named by its object: read whole through `salesforce`, the accounts
first and then the objects that hold the team's notes, as one import (one run, one undo); the
other objects are passed over, and the summary says which."""

import zipfile
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from huddle.connectors.base import DataExportPlan
from huddle.connectors.salesforce import plan_data_export
from huddle.errors import Invalid
from huddle.imports import workbook
from huddle.imports.undo import undo_import
from huddle.models import Account, Feedback
from tests.connectors.exports.scoring import CORPUS as EXPORTS
from tests.connectors.helpers import counts, refused, run
from tests.factories import actor

ACCOUNTS = (
    '"Id","Name","Website","Type"\n'
    '"0015e00000QRGA7AAA","Transportes Quiroga","https://quiroga.example","Prospect"\n'
    '"0015e00000LNDR3AAC","Lindqvist Dairy","https://lindqvist.example","Customer - Direct"\n'
)
NOTES = (
    '"Id","ParentId","Title","Body","CreatedDate","IsDeleted"\n'
    '"0025e00000NT001AAA","0015e00000QRGA7AAA","Call notes","They need shift exports in '
    'iCal.","2026-12-01T09:14:00.000Z","false"\n'
    '"0025e00000NT002AAA","0015e00000LNDR3AAC","QBR","Tank alarms arrive an hour late.",'
    '"2026-12-02T10:00:00.000Z","true"\n'
    # On a contact (003…): the contact's account, as Contact.csv gives it.
    '"0025e00000NT003AAA","0035e00000CT001AAA","Ana","Wants the rota in Spanish.",'
    '"2026-12-02T11:00:00.000Z","false"\n'
)
TASKS = (
    '"Id","WhatId","Subject","Description","ActivityDate","CreatedDate"\n'
    '"00T5e00000TK001AAA","0015e00000LNDR3AAC","Call","Wants orders split by depot.",'
    '"2026-12-03","2026-12-20T08:00:00.000Z"\n'
    # About a deal (006…): no account by its id; the subject names it.
    '"00T5e00000TK002AAA","0065e00000OPP01AAA","Lindqvist Dairy - renewal","Asks for a '
    'per-depot price sheet.","2026-12-04","2026-12-20T08:00:00.000Z"\n'
)
CONTACTS = (
    '"Id","AccountId","FirstName","LastName","Email"\n'
    '"0035e00000CT001AAA","0015e00000QRGA7AAA","Ana","Ruiz","ana@quiroga.example"\n'
)
USERS = '"Id","Name","Email"\n"0055e00000USR01AAA","Dana Lee","dana@ourco.com"\n'


def account_of(session: Session, text: str) -> str | None:
    """The name of the account the item of `text` is on."""
    return session.execute(
        select(Account.name)
        .join(Feedback, Feedback.account_id == Account.id)
        .where(Feedback.text == text)
    ).scalar_one_or_none()


def weekly_export(folder: Path, **files: str) -> Path:
    archive = folder / "WE_00D5e000000abcd_1.zip"
    with zipfile.ZipFile(archive, "w") as out:
        for name, text in files.items():
            out.writestr(f"{name}.csv", text)
        out.writestr("Attachments/", "")
    return archive


def test_a_weekly_export_is_read_whole_accounts_first(session: Session, tmp_path: Path) -> None:
    admin = actor(session, "admin")
    # Written as Salesforce orders them (alphabetically): the notes before their accounts.
    # An object with no rows (Event.csv) may be written empty.
    archive = weekly_export(
        tmp_path, Contact=CONTACTS, Event="", Note=NOTES, Task=TASKS, Account=ACCOUNTS, User=USERS
    )
    report = run(session, admin, "salesforce", archive)
    assert report.filename == archive.name
    assert report.unmatched_accounts == {}
    assert [str(w) for w in report.warnings] == [
        f"line 1: read Account.csv, Note.csv, Task.csv, Event.csv from {archive.name}; "
        "Contact.csv for the accounts of the records on them; passed over User.csv (of a data "
        "export Huddle reads the accounts, notes, tasks, events and case mail)"
    ]
    names = dict(
        session.execute(
            select(Feedback.text, Account.name).join(Account, Account.id == Feedback.account_id)
        ).all()
    )
    # The deleted note (the recycle bin's) is no record; a task is on the account it is about
    # (by its id, or for a deal by the name its subject gives), on the day it happened (not
    # the day it was logged).
    assert names == {
        "They need shift exports in iCal.": "Transportes Quiroga",
        "Wants the rota in Spanish.": "Transportes Quiroga",
        "Wants orders split by depot.": "Lindqvist Dairy",
        "Asks for a per-depot price sheet.": "Lindqvist Dairy",
    }
    task = session.scalars(select(Feedback).where(Feedback.text.startswith("Wants orders"))).one()
    assert task.occurred_at.date().isoformat() == "2026-12-03"
    # One run: one undo takes the accounts and the notes back.
    assert counts(session)["import_runs"] == 1
    undo_import(session, import_id=report.import_id, actor=admin)
    assert counts(session)["feedback"] == 0 and counts(session)["accounts"] == 0


def test_a_contact_file_in_another_encoding_still_links_its_notes(
    session: Session, tmp_path: Path
) -> None:
    """Contact.csv is read as every file of the export is: a UTF-16 file (Excel's "Unicode
    Text", re-zipped by someone) with Data Loader's upper-case headers links as well."""
    admin = actor(session, "admin")
    archive = weekly_export(tmp_path, Account=ACCOUNTS, Note=NOTES)
    contacts = CONTACTS.replace('"Id","AccountId"', '"ID","ACCOUNTID"')
    with zipfile.ZipFile(archive, "a") as out:
        out.writestr("Contact.csv", contacts.encode("utf-16"))
    run(session, admin, "salesforce", archive)
    assert account_of(session, "Wants the rota in Spanish.") == "Transportes Quiroga"


def test_a_link_file_that_cannot_be_read_whole_does_not_refuse_the_export(
    session: Session, tmp_path: Path
) -> None:
    """Contact.csv is read only to put notes on contacts on their accounts: a bad row in it
    is named in a warning, the rows before it are used, and the export still comes in."""
    admin = actor(session, "admin")
    contacts = (
        CONTACTS + '"0035e00000CT002AAA","0015e00000LNDR3AAC","Bo","Lind","b@x.example","?"\n'
    )
    archive = weekly_export(tmp_path, Account=ACCOUNTS, Note=NOTES, Contact=contacts)
    report = run(session, admin, "salesforce", archive)
    assert counts(session)["feedback"] == 2
    assert [w.file for w in report.warnings if w.file] == ["Contact.csv"]
    assert account_of(session, "Wants the rota in Spanish.") == "Transportes Quiroga"


@pytest.mark.parametrize(
    ("row", "error"),
    [
        # Found while reading.
        (
            '"0025e00000NT003AAA","0015e00000QRGA7AAA","Call","Slow.","31/31/2026",""',
            "Note.csv line 5, column 'CreatedDate': not a date: '31/31/2026' (use YYYY-MM-DD)",
        ),
        # Found once every file is read (each file numbers its own lines).
        (
            '"0025e00000NT001AAA","0015e00000QRGA7AAA","Again","Same id.","2026-12-01",""',
            "Note.csv line 5, column 'external_id': the same id '0025e00000NT001AAA' as "
            "Note.csv line 2",
        ),
    ],
)
def test_a_bad_row_refuses_the_whole_export_naming_its_file_and_line(
    session: Session, tmp_path: Path, row: str, error: str
) -> None:
    admin = actor(session, "admin")
    archive = weekly_export(tmp_path, Account=ACCOUNTS, Note=f"{NOTES}{row}\n")
    failure = refused(session, admin, "salesforce", archive)
    assert [str(found) for found in failure.report.errors] == [error]
    assert failure.report.as_dict()["errors"][0]["file"] == "Note.csv"
    assert counts(session)["accounts"] == 0 and counts(session)["feedback"] == 0


def test_a_warning_after_reading_is_named_by_its_file_too(session: Session, tmp_path: Path) -> None:
    """An account owner Huddle has no user for: the account comes in without an owner, and
    the summary names the row by its file."""
    admin = actor(session, "admin")
    owned = (
        '"Id","Name","Account Owner Email"\n'
        '"0015e00000QRGA7AAA","Transportes Quiroga","rep@elsewhere.example"\n'
    )
    archive = weekly_export(tmp_path, Account=owned, Note=NOTES)
    report = run(session, admin, "salesforce", archive)
    assert (
        "Account.csv line 2, column 'owner_email': no user with the email "
        "rep@elsewhere.example: left without an owner"
    ) in [str(w) for w in report.warnings]


def test_only_the_files_read_are_unpacked(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large object that is passed over (users) is never unpacked; the files read may not
    together unpack to more than the limit."""
    monkeypatch.setattr(workbook, "MAX_UNPACKED_BYTES", 4_000)
    admin = actor(session, "admin")
    users = USERS + USERS.splitlines()[1] * 100
    archive = weekly_export(tmp_path, Account=ACCOUNTS, User=users, Note=NOTES)
    assert run(session, admin, "salesforce", archive).created == 4
    notes = NOTES + NOTES.splitlines()[1] * 40
    archive = weekly_export(tmp_path, Account=ACCOUNTS, Note=notes)
    with pytest.raises(Invalid) as failure:
        run(session, admin, "salesforce", archive)
    assert "unpacks to more than 1 GiB of Account.csv, Note.csv" in failure.value.message


def test_only_salesforces_own_data_export_is_read_whole(session: Session, tmp_path: Path) -> None:
    """A zip of files not named by Salesforce's objects, or of objects with no notes in them,
    is a choice left to the person: refused, naming the files."""
    assert plan_data_export(["Account.csv", "Contact.csv", "Note.csv", "User.csv"]) == (
        DataExportPlan(["Account.csv", "Note.csv"], ["Contact.csv"], ["User.csv"])
    )
    assert plan_data_export(["Account.csv", "Contact.csv", "Opportunity.csv"]) is None
    assert plan_data_export(["Account.csv", "Note.csv", "notes (1).csv"]) is None
    assert plan_data_export(["Account.csv", "Note.csv", "README.txt"]) is None
    admin = actor(session, "admin")
    archive = weekly_export(tmp_path, Account=ACCOUNTS, Contact=CONTACTS)
    with pytest.raises(Invalid) as failure:
        run(session, admin, "salesforce", archive)
    assert "2 export files (Account.csv, Contact.csv)" in failure.value.message
    assert counts(session)["accounts"] == 0


def test_a_data_export_damaged_past_its_directory_is_refused_as_damaged(
    session: Session, tmp_path: Path
) -> None:
    """A weekly export re-saved as text (every byte past 127 replaced): its directory still
    lists the objects, but their offsets point outside the file. Refused, saying the zip is
    damaged, nothing written (it had crashed with "Invalid argument")."""
    admin = actor(session, "admin")
    export = EXPORTS / "salesforce" / "WE_00D5e000001OurCr19_1.zip"
    damaged = tmp_path / export.name
    damaged.write_bytes(export.read_bytes().decode("utf-8", "replace").encode("latin-1", "replace"))
    with pytest.raises(Invalid) as failure:
        run(session, admin, "salesforce", damaged)
    assert "is a damaged zip archive" in failure.value.message
    assert counts(session)["feedback"] == 0 and counts(session)["accounts"] == 0
