"""What round 28's CRM exports showed, each on a small input of its own: Attio's notes API
(through hubspot), read by the record each note hangs on and the actor who made it, and Zoho
CRM's Notes API (through salesforce), read by its parent's module."""

import json
from pathlib import Path
from typing import Any

from huddle.connectors.base import ConnectorOptions
from tests.connectors.helpers import left_out_of, read_clean

OURS = ConnectorOptions(internal_domains=("zentro.io",), staff_names=("Mira Patel",))


def _write(tmp_path: Path, name: str, value: Any) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(value, indent=1), encoding="utf-8")
    return path


def _attio(
    note_id: str, parent: str, title: str, text: str, actor: str = "workspace-member"
) -> dict[str, Any]:
    return {
        "id": {"workspace_id": "w-1", "note_id": note_id},
        "parent_object": parent,
        "parent_record_id": f"rec-{note_id}",
        "title": title,
        "meeting_id": None,
        "content_plaintext": text,
        "content_markdown": text,
        "tags": [],
        "created_by_actor": {"type": actor, "id": None if actor == "system" else "u-1"},
        "created_at": "2026-11-24T16:02:11.512000000Z",
    }


ATTIO_PAGE = {
    "data": [
        _attio("n1", "companies", "Harbor Freight - QBR", "Vans vanish from the map."),
        _attio("n2", "people", "Call w/ Ana (Quayside Retail)", "Rota export is manual."),
        _attio("n3", "deals", "Tidewater - SSO add-on", "SSO is a blocker."),
        # An integration's note (a call recorder's summary), and Attio's own.
        _attio("n4", "companies", "Weekly sync", "The team discussed the release.", "api-token"),
        _attio("n5", "companies", "Enrichment", "Employee count updated to 120.", "system"),
        _attio("n6", "companies", "test", "testing note sync from the extension, ignore"),
    ]
}


def test_attio_notes_read_by_their_parent_and_their_maker(tmp_path: Path) -> None:
    read = read_clean("hubspot", _write(tmp_path, "notes.json", ATTIO_PAGE), OURS)
    assert [(f.text, f.account_ref, f.mentions) for f in read.feedback] == [
        # A company by its record id, which no account may answer to: its title may name it.
        ("Vans vanish from the map.", "rec-n1", ("Harbor Freight - QBR",)),
        # A person's or a deal's note: no account but the one its title names.
        ("Rota export is manual.", None, ("Call w/ Ana (Quayside Retail)",)),
        ("SSO is a blocker.", None, ("Tidewater - SSO add-on",)),
    ]
    first = read.feedback[0]
    assert (first.external_id, first.title) == ("n1", "Harbor Freight - QBR")
    assert first.occurred_at is not None and first.occurred_at.isoformat().startswith(
        "2026-11-24T16:02:11.512"
    )
    # An API token's and the system's notes are no person's; the team's test is a test.
    assert [reason for reason, _ in left_out_of(read)] == ["bot", "bot", "test"]


def test_one_attio_note_with_markdown_only_is_read(tmp_path: Path) -> None:
    note = _attio("n7", "companies", "Harbor Freight", "")
    note["content_plaintext"] = None
    note["content_markdown"] = "[@Sam Ortiz](attio://members/u-2) they want **SSO**."
    read = read_clean("hubspot", _write(tmp_path, "note.json", {"data": note}), OURS)
    assert [(f.text, f.account_ref) for f in read.feedback] == [
        ("@Sam Ortiz they want **SSO**.", "rec-n7")
    ]


def _zoho(
    note_id: str, module: str, parent: str | None, title: str, text: str, **fields: Any
) -> dict[str, Any]:
    return {
        "Owner": {"name": "Mira Patel", "id": "9001", "email": "mira@zentro.io"},
        "Created_Time": "2026-11-24T10:14:22+01:00",
        "$attachments": None,
        "Parent_Id": {"name": parent, "id": f"57{note_id}"},
        "$se_module": module,
        "id": note_id,
        "Created_By": {"name": "Mira Patel", "id": "9001", "email": "mira@zentro.io"},
        "Note_Title": title,
        "Note_Content": text,
        **fields,
    }


ZOHO_NOTES = [
    _zoho("1", "Accounts", "Harbor Freight, Inc.", "Call", "Vans vanish.<br>Maps lag."),
    _zoho("2", "Deals", "Tidewater - Fleet FY27", "Blockers", "Duplicates on sync."),
    _zoho("3", "Contacts", "Ana Ruiz", "Quayside - follow-up", "Rota export is manual."),
    _zoho("4", "Leads", "Owen Pryce", "Inbound demo", "They retype answers."),
    # The module given with the parent (v4 on); the parent's name not asked for.
    {
        **_zoho("5", "", None, "Security", "crm[user#9001#77]crm can you check? Tokens stay."),
        "Parent_Id": {"name": None, "id": "575", "module": {"api_name": "Accounts"}},
    },
    _zoho("6", "Accounts", "Harbor Freight, Inc.", "Voice note", "", **{"$voice_note": True}),
    _zoho("7", "Accounts", "Harbor Freight, Inc.", "test", "test note, please ignore"),
]
ZOHO_PAGE = {
    "data": ZOHO_NOTES,
    "info": {"per_page": 7, "count": 7, "page": 1, "more_records": True, "next_page_token": "t2"},
}


def test_zoho_notes_read_by_their_parents_module(tmp_path: Path) -> None:
    read = read_clean("salesforce", _write(tmp_path, "notes.json", ZOHO_PAGE), OURS)
    assert [(f.text, f.account_ref, f.mentions) for f in read.feedback] == [
        # (The account's name before a comma, as a CRM's list of companies is read.)
        ("Vans vanish.\nMaps lag.", "Harbor Freight", ("Harbor Freight, Inc.", "Call")),
        # A deal's, a contact's or a lead's note: the account its name or title names, if any.
        ("Duplicates on sync.", None, ("Tidewater - Fleet FY27", "Blockers")),
        ("Rota export is manual.", None, ("Ana Ruiz", "Quayside - follow-up")),
        ("They retype answers.", None, ("Owen Pryce", "Inbound demo")),
        # An account by its id when its name is not given; a user's mention token left out.
        ("can you check? Tokens stay.", "575", ("Security",)),
    ]
    first = read.feedback[0]
    assert (first.external_id, first.title) == ("1", "Call")
    assert "author:mira_patel" in first.tags
    assert first.occurred_at is not None and first.occurred_at.isoformat().startswith(
        "2026-11-24T09:14:22"
    )
    # The voice note has no words; the test is a test.
    assert read.skipped_rows == 1
    assert left_out_of(read) == [("test", "test note, please ignore")]
    assert [(w.column, "page_token=t2" in w.reason) for w in read.warnings] == [
        ("info.more_records", True)
    ]


def test_a_last_zoho_page_says_nothing_of_more(tmp_path: Path) -> None:
    page: dict[str, Any] = {"data": ZOHO_NOTES[:1], "info": {"page": 3, "more_records": False}}
    read = read_clean("salesforce", _write(tmp_path, "notes.json", page), OURS)
    assert len(read.feedback) == 1 and read.warnings == []
    page["info"] = {"page": 3, "more_records": True}
    read = read_clean("salesforce", _write(tmp_path, "notes.json", page), OURS)
    assert ["page=4" in w.reason for w in read.warnings] == [True]
