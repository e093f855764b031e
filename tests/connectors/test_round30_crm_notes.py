"""What round 30's CRM notes showed, each on a small input of its own: Affinity's notes API
(through hubspot), whose organizations come as ids alone so a note's opening names its
account, and Capsule CRM's entries (through salesforce), read as notes and emails by their
party and sender rather than as a table of accounts."""

from dataclasses import replace
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from huddle.connectors.base import ConnectorOptions
from tests.connectors.helpers import came_in, left_out_of, read_clean, refused, run, write_json
from tests.factories import actor, create_account

OURS = ConnectorOptions(internal_domains=("zentro.io",), staff_names=("Mira Patel",))


def _affinity(
    note_id: int, content: str, *organizations: int, kind: int = 0, parent: int | None = None
) -> dict[str, Any]:
    return {
        "id": note_id,
        "creator_id": 501,
        "person_ids": [7001],
        "associated_person_ids": [7001],
        "interaction_person_ids": [],
        "interaction_id": None,
        "interaction_type": None,
        "is_meeting": False,
        "mentioned_person_ids": [],
        "organization_ids": list(organizations),
        "opportunity_ids": [],
        "parent_id": parent,
        "content": content,
        "type": kind,
        "created_at": "2026-11-24T09:15:00.000-05:00",
        "updated_at": None,
    }


AFFINITY_NOTES = [
    _affinity(
        11,
        "<p><strong>Harbor Freight - onsite</strong></p><ul><li>Vans vanish from the map.</li></ul>",
        901,
        kind=2,
    ),
    _affinity(12, "Quayside intro call. Rota export is manual.", 904),
    # A reply to the first note, on nothing of its own: on what that note is on.
    _affinity(13, "Agreed, they also want SSO.", parent=11),
    # Affinity's Notetaker summary, the team's test and a call recorder's stub.
    _affinity(14, "Summary: the customer asked about pricing.", 901, kind=3),
    _affinity(15, "test note - please ignore"),
    _affinity(16, "This call was recorded by Gong. Listen: https://app.gong.io/call?id=1", 901),
]


def test_affinity_notes_read_by_organization_id_and_opening(tmp_path: Path) -> None:
    page = {"notes": AFFINITY_NOTES, "next_page_token": "tok-2"}
    read = read_clean("hubspot", write_json(tmp_path / "notes.json", page), OURS)
    assert [(f.text, f.account_ref, f.mentions) for f in read.feedback] == [
        # The organization by Affinity's id; the heading where its name may be.
        (
            "Harbor Freight - onsite\n\nVans vanish from the map.",
            "901",
            ("Harbor Freight - onsite",),
        ),
        ("Quayside intro call. Rota export is manual.", "904", ("Quayside intro call",)),
        (
            "Agreed, they also want SSO.",
            "901",
            ("Agreed, they also want SSO", "Harbor Freight - onsite"),
        ),
    ]
    first = read.feedback[0]
    assert (first.external_id, first.occurred_at and first.occurred_at.isoformat()) == (
        "11",
        "2026-11-24T14:15:00+00:00",
    )
    assert left_out_of(read) == [
        ("bot", "Summary: the customer asked about pricing."),
        ("test", "test note - please ignore"),
        ("bot", "This call was recorded by Gong. Listen: https://app.gong.io/call?id=1"),
    ]
    assert [(w.column, "page_token=tok-2" in w.reason) for w in read.warnings] == [
        ("next_page_token", True)
    ]


def test_affinity_pages_gathered_in_an_array_the_sdks_keys_and_one_note(tmp_path: Path) -> None:
    by_sdk = {
        "id": 21,
        "creatorId": 501,
        "organizationIds": [905],
        "personIds": [],
        "parentId": None,
        "content": "Tidewater: duplicates on sync.",
        "type": 0,
        "createdAt": "2026-11-25T10:00:00Z",
    }
    pages = [
        {"notes": AFFINITY_NOTES[1:2], "next_page_token": "tok-2"},
        {"notes": [by_sdk], "next_page_token": None},
    ]
    read = read_clean("hubspot", write_json(tmp_path / "pages.json", pages), OURS)
    assert [(f.text, f.account_ref) for f in read.feedback] == [
        ("Quayside intro call. Rota export is manual.", "904"),
        ("Tidewater: duplicates on sync.", "905"),
    ]
    # The last page saved has no page after it.
    assert read.warnings == []
    # One note alone; a portal id given makes no HubSpot link to an Affinity id.
    portal = replace(OURS, mapping={"portal_id": "4711"})
    one = read_clean("hubspot", write_json(tmp_path / "one.json", AFFINITY_NOTES[1]), portal)
    assert [(f.text, f.account_ref, f.link_url) for f in one.feedback] == [
        ("Quayside intro call. Rota export is manual.", "904", None)
    ]


def test_an_affinity_note_is_attached_by_its_opening_and_unknown_ids_listed(
    tmp_path: Path, session: Session
) -> None:
    create_account(session, name="Harbor Freight")
    path = write_json(tmp_path / "notes.json", {"notes": AFFINITY_NOTES[:3]})
    report = run(session, actor(session, "admin"), "hubspot", path)
    assert came_in(session, report) == [
        ("Harbor Freight - onsite\n\nVans vanish from the map.", "Harbor Freight"),
        ("Quayside intro call. Rota export is manual.", None),
        ("Agreed, they also want SSO.", "Harbor Freight"),
    ]
    assert list(report.unmatched_accounts) == ["904"]


def test_a_broken_affinity_page_is_refused(tmp_path: Path, session: Session) -> None:
    path = tmp_path / "notes.json"
    path.write_text('{"notes": [{"id": 1, "creator_id": 2, "organization_ids": [3], "content": "')
    failure = refused(session, actor(session, "admin"), "hubspot", path)
    assert "line 1" in str(failure.report.errors[0])


def _capsule(
    entry_id: int,
    content: str,
    party: dict[str, Any] | None,
    *,
    kind: str = "note",
    by: str = "Mira Patel",
    **fields: Any,
) -> dict[str, Any]:
    return {
        "id": entry_id,
        "type": kind,
        "creator": {"id": 3, "username": by.lower().replace(" ", "."), "name": by},
        "content": content,
        "createdAt": "2026-11-24T10:00:00Z",
        "updatedAt": "2026-11-24T10:00:00Z",
        "entryAt": "2026-11-23T16:30:00Z",
        "party": party,
        "kase": None,
        "opportunity": None,
        "activityType": {"id": -1, "name": "Note"},
        "attachments": [],
        "participants": [],
        **fields,
    }


HARBOR = {"id": 1, "type": "organisation", "name": "Harbor Freight"}
ANA = {"id": 2, "type": "person", "firstName": "Ana", "lastName": "Ruiz"}
OWEN = {
    "id": 3,
    "type": "person",
    "name": "Owen Pryce",
    "organisation": {"id": 4, "name": "Tidewater Logistics"},
    "emailAddresses": [{"id": 9, "type": "Work", "address": "owen@tidewater.example"}],
}


def _mail(sender: tuple[str, str], to: tuple[str, str]) -> list[dict[str, Any]]:
    return [
        {"id": 1, "address": sender[0], "name": sender[1], "role": "FROM", "party": None},
        {"id": 2, "address": to[0], "name": to[1], "role": "TO", "party": None},
    ]


CAPSULE_ENTRIES = [
    _capsule(1, "Vans vanish from the map.", HARBOR),
    # A person of an organisation: that organisation, the person's address beside it.
    _capsule(2, "Rota export is manual.", OWEN),
    # A person alone on a deal of an organisation; a person alone, named in the words.
    _capsule(
        3,
        "SSO is a blocker.",
        ANA,
        opportunity={"id": 5, "name": "Quayside - SSO add-on", "party": HARBOR},
    ),
    _capsule(4, "Ana (Quayside Retail) wants an offline mode for the yard.", ANA),
    # The customer's mail, quoting ours; the team's own mail.
    _capsule(
        5,
        "Can exports run nightly?\n\n-----Original Message-----\nFrom: Mira Patel\n"
        "Sent: Monday\nSubject: Exports\n\nHi Ana, checking in.",
        ANA,
        kind="email",
        subject="RE: Exports",
        participants=_mail(("ana@quayside.example", "Ana Ruiz"), ("mira@zentro.io", "Mira")),
    ),
    _capsule(
        6,
        "Hi Ana, yes: from the settings page.",
        ANA,
        kind="email",
        subject="RE: Exports",
        participants=_mail(("mira@zentro.io", "Mira Patel"), ("ana@quayside.example", "Ana")),
    ),
    # A mail with no sender given is read as a note; a completed task is the team's note.
    _capsule(7, "Forwarded: the rota is still manual.", HARBOR, kind="email", subject="Fwd"),
    _capsule(8, "Sent the SSO pricing sheet.", HARBOR, kind="task"),
    # A web-form sync's entry and the team's test.
    _capsule(9, "New website form submission\nName: Theo", ANA, by="Zapier Integration"),
    _capsule(10, "test entry, ignore", HARBOR),
]


def test_capsule_entries_read_by_party_and_sender(tmp_path: Path) -> None:
    page = {"entries": CAPSULE_ENTRIES}
    read = read_clean("salesforce", write_json(tmp_path / "entries.json", page), OURS)
    assert [(f.text, f.account_ref, f.contact_email, f.mentions) for f in read.feedback] == [
        ("Vans vanish from the map.", "Harbor Freight", None, ()),
        ("Rota export is manual.", "Tidewater Logistics", "owen@tidewater.example", ()),
        ("SSO is a blocker.", "Harbor Freight", None, ("Quayside - SSO add-on",)),
        (
            "Ana (Quayside Retail) wants an offline mode for the yard.",
            None,
            None,
            ("Ana (Quayside Retail) wants an offline mode for the yard",),
        ),
        ("Can exports run nightly?", None, "ana@quayside.example", ("RE: Exports",)),
        ("Forwarded: the rota is still manual.", "Harbor Freight", None, ("Fwd",)),
        ("Sent the SSO pricing sheet.", "Harbor Freight", None, ()),
    ]
    first = read.feedback[0]
    # The sales team's, with no Salesforce link to a Capsule id.
    assert (first.external_id, first.team, first.link_url, "author:mira_patel" in first.tags) == (
        "1",
        "sales",
        None,
        True,
    )
    assert first.occurred_at is not None and first.occurred_at.isoformat() == (
        "2026-11-23T16:30:00+00:00"
    )
    people = [read.feedback[i].contact_name for i in (1, 3, 4)]
    assert (people, read.feedback[4].title) == (
        ["Owen Pryce", "Ana Ruiz", "Ana Ruiz"],
        "RE: Exports",
    )
    assert left_out_of(read) == [
        ("internal", "Hi Ana, yes: from the settings page."),
        ("bot", "New website form submission\nName: Theo"),
        ("test", "test entry, ignore"),
    ]


def test_one_capsule_entry_and_the_entries_alone(tmp_path: Path) -> None:
    one = write_json(tmp_path / "one.json", {"entry": CAPSULE_ENTRIES[0]})
    assert [(f.text, f.account_ref) for f in read_clean("salesforce", one, OURS).feedback] == [
        ("Vans vanish from the map.", "Harbor Freight")
    ]
    alone = write_json(tmp_path / "alone.json", CAPSULE_ENTRIES[:2])
    assert [(f.text, f.account_ref) for f in read_clean("salesforce", alone, OURS).feedback] == [
        ("Vans vanish from the map.", "Harbor Freight"),
        ("Rota export is manual.", "Tidewater Logistics"),
    ]


def test_a_capsule_note_on_a_person_is_attached_by_its_words(
    tmp_path: Path, session: Session
) -> None:
    create_account(session, name="Quayside Retail")
    marlowe = {"id": 8, "type": "organisation", "name": "Marlowe Print Works"}
    entries = [CAPSULE_ENTRIES[3], _capsule(11, "Import rejects accents.", marlowe)]
    path = write_json(tmp_path / "entries.json", {"entries": entries})
    report = run(session, actor(session, "admin"), "salesforce", path)
    assert came_in(session, report) == [
        ("Ana (Quayside Retail) wants an offline mode for the yard.", "Quayside Retail"),
        ("Import rejects accents.", None),
    ]
    assert list(report.unmatched_accounts) == ["Marlowe Print Works"]
