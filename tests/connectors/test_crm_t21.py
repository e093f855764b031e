"""CRM exports as the t21 tuning files showed them: Close's JSON lead export through `hubspot`
(a lead is the account, its activities read by type) and SuiteCRM's notes through
`salesforce` (text stored HTML-escaped, parents by ids no account answers to). Each rule on a
small file of its own, so a change that breaks one names it."""

import json
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from huddle.connectors.base import ConnectorOptions
from huddle.models import Account, Feedback
from tests.connectors.helpers import left_out_of, read_clean, refused, run
from tests.factories import actor, create_account

OURS = ConnectorOptions(internal_domains=("ourco.com",), staff_names=("Dana Lee", "Sam Ortiz"))


def _lead(name: str, url: str, *activities: dict[str, Any], **more: Any) -> dict[str, Any]:
    return {
        "id": f"lead_{name.split()[0].lower()}",
        "display_name": name,
        "name": name,
        "url": url,
        "status_label": "Customer",
        "contacts": more.pop("contacts", []),
        "custom": {},
        "activities": list(activities),
        **more,
    }


def _note(text: str, **more: Any) -> dict[str, Any]:
    return {
        "_type": "Note",
        "id": f"acti_{abs(hash(text))}",
        "note": text,
        "user_name": "Sam Ortiz",
        "activity_at": "2026-11-18T15:42:10.412000+00:00",
        **more,
    }


def _close(tmp_path: Path, *leads: dict[str, Any]) -> Path:
    path = tmp_path / "close_leads.json"
    path.write_text(json.dumps(list(leads), indent=2))
    return path


def _stored(session: Session) -> list[tuple[str, str | None]]:
    rows = session.execute(
        select(Feedback.text, Account.name)
        .outerjoin(Account, Account.id == Feedback.account_id)
        .order_by(Feedback.id)
    ).all()
    return [(text, account) for text, account in rows]


def test_a_close_lead_is_the_account_by_name_website_or_its_peoples_domain(
    session: Session, tmp_path: Path
) -> None:
    """The lead's name finds the account; a lead named otherwise is found by its website or,
    without one, by its contacts' mail domain; a lead no account answers to is listed."""
    admin = actor(session, "admin")
    create_account(session, name="Acme Robotics", domain="acme.example")
    create_account(session, name="Vandelay Imports", domain="vandelay.example")
    create_account(session, name="Hooli Cloud", domain="hooli.example")
    path = _close(
        tmp_path,
        _lead("Acme Robotics", "", _note("Wants bulk rescheduling of maintenance windows.")),
        _lead(
            "Vandelay Industries",
            "https://www.vandelay.example/about",
            _note("Needs UK commodity codes checked."),
        ),
        _lead(
            "Hooli",
            "",
            _note("SCIM creates duplicate users."),
            contacts=[{"id": "cont_1", "name": "Lukas", "emails": [{"email": "l@hooli.example"}]}],
        ),
        _lead("Kestrel Logistics", "kestrel.example", _note("Trailers get lost after 6pm.")),
    )
    report = run(session, admin, "hubspot", path, **vars(OURS))
    assert _stored(session) == [
        ("Wants bulk rescheduling of maintenance windows.", "Acme Robotics"),
        ("Needs UK commodity codes checked.", "Vandelay Imports"),
        ("SCIM creates duplicate users.", "Hooli Cloud"),
        ("Trailers get lost after 6pm.", None),
    ]
    assert report.unmatched_accounts == {"Kestrel Logistics": 1}


def test_close_activities_are_read_by_their_type(tmp_path: Path) -> None:
    """Notes, a call's and a meeting's notes and what came in (mail without its quote, a text)
    are evidence; what went out is the team's, or a sequence's; status changes, creations, a
    call with no notes and a meeting without notes hold no words."""
    thread = {
        "_type": "EmailThread",
        "id": "acti_thread",
        "emails": [
            {
                "_type": "Email",
                "id": "acti_in",
                "direction": "incoming",
                "subject": "Re: demo",
                "sender": "Omar Reyes <o.reyes@initech.example>",
                "body_text": "Barcode printing from the same screen is a must.\n\n"
                "On Tue, Nov 24, 2026 at 2:03 PM Sam Ortiz <sam@ourco.com> wrote:\n"
                "> Here is the pricing sheet.",
                "date_created": "2026-11-25T14:12:44.412000+00:00",
            }
        ],
    }
    path = _close(
        tmp_path,
        _lead(
            "Initech Health",
            "initech.example",
            {"_type": "Created", "id": "acti_c", "date_created": "2025-01-10T09:00:00+00:00"},
            {"_type": "LeadStatusChange", "id": "acti_s", "new_status_label": "Customer"},
            _note("Wants pricing per lab, not per seat.", note_html="<p>ignored</p>"),
            {"_type": "Call", "id": "acti_call", "note": "Asked for an offline mode."},
            {"_type": "Call", "id": "acti_vm", "note": "", "disposition": "vm-left"},
            {"_type": "Meeting", "id": "acti_m", "title": "QBR", "user_note_html": "<p>SIEM!</p>"},
            {"_type": "Meeting", "id": "acti_m2", "title": "Sync", "note": None},
            thread,
            dict(thread["emails"][0]),  # the same mail outside its thread: read once
            {
                "_type": "Email",
                "id": "acti_seq",
                "direction": "outgoing",
                "sender": "Sam Ortiz <sam@ourco.com>",
                "body_text": "Teams like yours lose 5 hours a week. Worth a chat?",
                "sequence_id": "seq_1",
            },
            {
                "_type": "Email",
                "id": "acti_out",
                "direction": "outgoing",
                "sender": "Sam Ortiz <sam@ourco.com>",
                "body_text": "Thanks Omar, the recording is attached.",
            },
            {"_type": "SMS", "id": "acti_sms", "direction": "inbound", "text": "Scanner froze."},
        ),
    )
    read = read_clean("hubspot", path, OURS)
    assert [(r.text, r.source, r.contact_email) for r in read.feedback] == [
        ("Wants pricing per lab, not per seat.", "internal", None),
        ("Asked for an offline mode.", "internal", None),
        ("SIEM!", "internal", None),
        ("Barcode printing from the same screen is a must.", "email", "o.reyes@initech.example"),
        ("Scanner froze.", "chat", None),
    ]
    assert left_out_of(read) == [
        ("bot", "Teams like yours lose 5 hours a week. Worth a chat?"),
        ("internal", "Thanks Omar, the recording is attached."),
    ]
    assert read.skipped_rows == 4  # Created, the status change, the voicemail, the meeting
    assert {r.account_ref for r in read.feedback} == {"Initech Health"}
    assert read.feedback[0].link_url == "https://app.close.com/lead/lead_initech/"
    assert read.feedback[0].occurred_at is not None


def test_a_test_lead_holds_only_tests(tmp_path: Path) -> None:
    """A lead named as a test has only tests for activities, whatever they say; a company
    whose name only starts with the word is heard."""
    path = _close(
        tmp_path,
        _lead("Test Lead (ignore)", "", _note("Customer wants SSO with Okta.")),
        _lead("Test Kitchen Foods", "testkitchen.example", _note("Wants recipe costing.")),
    )
    read = read_clean("hubspot", path, OURS)
    assert [r.text for r in read.feedback] == ["Wants recipe costing."]
    assert left_out_of(read) == [("test", "Customer wants SSO with Okta.")]


def test_json_that_is_no_close_lead_export_is_refused(session: Session, tmp_path: Path) -> None:
    """A JSON file of something else is read as a table of its records (`json_table`), and
    refused when it names no company or note, saying which columns it lacks and has; leads
    exported without their activities import nothing, with a warning saying so."""
    admin = actor(session, "admin")
    other = tmp_path / "tickets.json"
    other.write_text(json.dumps([{"id": 1, "subject": "Login fails", "requester": "a@b.example"}]))
    failure = refused(session, admin, "hubspot", other)
    assert "no column for name" in str(failure.report.errors[0])
    assert "columns are id, subject, requester" in str(failure.report.errors[0])
    bare = _close(tmp_path, _lead("Acme Robotics", "acme.example"))
    read = read_clean("hubspot", bare, OURS)
    assert read.feedback == [] and [w.reason for w in read.warnings] == [
        "the leads carry no activities: export them with activities"
    ]


SUITECRM = (
    '\ufeff"ID","Date Created","Subject","Parent Type","Parent ID","Note","Deleted"\n'
    '"n1","11/19/2026 16:05","Globex Freight &#8211; call","Accounts",'
    '"9c1f7e3a-52b4-4d8e-a6f0-3e2d1c0b9a21","It can&#039;t split by depot &amp; region.","0"\n'
    '"n2","11/27/2026 09:12","Umbrella - pilot feedback","Opportunities",'
    '"0a9b8c7d-6e5f-4a3b-8c2d-1e0f9a8b7c23","Alerts don&#039;t know about deliveries.","0"\n'
    '"n3","11/30/2026 17:55","Call notes","Contacts",'
    '"e7b3a1c9-4f2d-4e8b-9c6a-5d4e3f2a1b22","Barcode printing blocks the rollout.","0"\n'
    '"n4","11/30/2026 18:00","Globex Freight renewal","Accounts",'
    '"9c1f7e3a-52b4-4d8e-a6f0-3e2d1c0b9a21","Draft - duplicate of the renewal note.","1"\n'
)


def test_suitecrm_notes_are_unescaped_and_found_by_their_subject(
    session: Session, tmp_path: Path
) -> None:
    """SuiteCRM stores what people type HTML-escaped: the item reads as it was typed. A
    parent id no account answers to is as good as none: the subject names the account; a
    subject naming none leaves the note unattached, its parent listed."""
    admin = actor(session, "admin")
    create_account(session, name="Globex Freight", domain="globex.example")
    create_account(session, name="Umbrella Retail", domain="umbrella.example")
    path = tmp_path / "Notes.csv"
    path.write_text(SUITECRM)
    report = run(session, admin, "salesforce", path)
    assert _stored(session) == [
        ("It can't split by depot & region.", "Globex Freight"),
        ("Alerts don't know about deliveries.", "Umbrella Retail"),
        ("Barcode printing blocks the rollout.", None),
    ]
    title = session.scalar(select(Feedback.title).where(Feedback.external_id == "n1"))
    assert title == "Globex Freight \u2013 call"
    assert report.unmatched_accounts == {"e7b3a1c9-4f2d-4e8b-9c6a-5d4e3f2a1b22": 1}


def test_a_crms_own_record_by_id_or_a_first_line_does_not_move_a_note(
    session: Session, tmp_path: Path
) -> None:
    """A Salesforce opportunity given by its id alone stays the note's reference, though the
    title names an account; so does a HubSpot company id whose note only names an account in
    its first line (that line is read for notes with no parent at all)."""
    admin = actor(session, "admin")
    create_account(session, name="Hooli Cloud", domain="hooli.example")
    create_account(session, name="Initech Health", domain="initech.example")
    notes = tmp_path / "Note.csv"
    notes.write_text(
        "Id,ParentId,Title,Body,CreatedDate\n"
        '0025e00000NOTE12,0065e00000QWRT77,Renewal call - Hooli Cloud,"Blocked on managed '
        'keys.",2026-12-01T10:00:00.000Z\n'
    )
    report = run(session, admin, "salesforce", notes)
    assert _stored(session) == [("Blocked on managed keys.", None)]
    assert report.unmatched_accounts == {"0065e00000QWRT77": 1}
    hubspot = tmp_path / "hubspot_notes.csv"
    hubspot.write_text(
        "Activity ID,Activity date,Note body,Associated Company IDs\n"
        '71100234526,2026-12-11 17:48,"Omar (Initech): SCIM rehires duplicate users\n'
        'Grace: kiosk timeout too short",18840012802\n'
    )
    again = run(session, admin, "hubspot", hubspot)
    assert _stored(session)[-1][1] is None
    assert again.unmatched_accounts == {"18840012802": 1}
