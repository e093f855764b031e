"""Chat and help-desk exports as the t21 tuning files showed them: Drift's Conversations API
through `intercom`, and Zendesk's Ticket Audits API (audits only, no tickets) through
`zendesk`. Each rule on a small file of its own, so a change that breaks one names it."""

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from huddle.connectors.base import ConnectorOptions
from tests.connectors.helpers import left_out_of, read_clean, refused
from tests.factories import actor

OURS = ConnectorOptions(internal_domains=("ourco.com",), staff_names=("Dana Lee", "Sam Ortiz"))
# 2026-12-03 09:00:00 UTC in Drift's Unix milliseconds.
MORNING = 1796288400000

# Drift --------------------------------------------------------------------------------------


def _said(mid: int, by: str, body: str, at: int, **more: Any) -> dict[str, Any]:
    """A Drift message: `by` is `contact`, `user` (one of the team) or `bot` (a user with
    `bot: true`, as Drift writes its chatbot)."""
    author = {"type": "user" if by == "bot" else by, "id": 7, "bot": by == "bot"}
    return {
        "id": mid,
        "conversationId": 501,
        "type": "chat",
        "author": author,
        "body": body,
        "createdAt": MORNING + at * 1000,
        **more,
    }


def _contact(email: str | None, **attributes: Any) -> dict[str, Any]:
    return {"id": 90, "attributes": {"name": "Ana Pereira", "email": email, **attributes}}


def _drift(cid: int, messages: list[Any], contact: dict[str, Any], **more: Any) -> dict[str, Any]:
    return {
        "id": cid,
        "contactId": 90,
        "participants": [7],
        "status": "closed",
        "createdAt": MORNING,
        "messages": messages,
        "contact": contact,
        **more,
    }


GREETING = {"label": "I'm a customer", "value": "customer", "type": "reply"}


def test_drift_conversations_are_the_contacts_chat_messages(tmp_path: Path) -> None:
    """The contact's chat messages, oldest first whatever order the dump keeps, are the
    conversation's words; the bot's greeting and its "we typically reply", the agent's reply,
    a private note and the playbook button the visitor clicked (Drift writes its label back as
    their message) are not. The date is read in milliseconds, the tags are Drift's
    conversation tags, the link the conversation in Drift's inbox, the email the contact's."""
    messages = [
        _said(6, "contact", "<p>Would be great <b>per role</b> though.</p>", 90),
        # (The buttons of this dump's greeting were not kept: the click is known by its value.)
        _said(1, "bot", "<p>What brings you here?</p>", 0),
        _said(2, "contact", "<p>I'm a customer</p>", 5, attributes={"buttonValue": "customer"}),
        _said(3, "contact", "<p>We get logged out after 8 hours.</p>", 20),
        _said(4, "bot", "<p>Our team typically replies in under an hour.</p>", 21),
        _said(5, "user", "<p>Admins can change it under Settings.</p>", 60),
        _said(7, "user", "<p>Renews in Feb, flag it.</p>", 95, type="private_note"),
    ]
    tags = [{"color": "E6F2FF", "name": "Support"}]
    path = tmp_path / "drift.json"
    conversation = _drift(501, messages, _contact("ana@globex.example"), conversationTags=tags)
    path.write_text(json.dumps([conversation]))

    [record] = read_clean("intercom", path, OURS).feedback
    assert (record.text, record.contact_email, record.contact_name, record.tags) == (
        "We get logged out after 8 hours.\n\nWould be great per role though.",
        "ana@globex.example",
        "Ana Pereira",
        ["support"],
    )
    assert record.occurred_at == datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
    assert record.link_url == "https://app.drift.com/conversations/501"
    assert (record.external_id, record.source, record.account_ref) == ("501", "chat", None)


def test_a_button_label_the_visitor_clicked_is_cut_without_its_value(tmp_path: Path) -> None:
    """A dump that dropped the message's `attributes` still shows the click: the visitor's
    message is one of the buttons the bot offered."""
    messages = [
        _said(1, "bot", "What brings you here?", 0, buttons=[GREETING]),
        _said(2, "contact", "I'm a customer", 5),
        _said(3, "contact", "Can invoices be exported as CSV?", 20),
    ]
    path = tmp_path / "drift.json"
    path.write_text(json.dumps([_drift(501, messages, _contact("ana@globex.example"))]))
    assert [r.text for r in read_clean("intercom", path, OURS).feedback] == [
        "Can invoices be exported as CSV?"
    ]


def test_a_drift_edit_replaces_or_deletes_the_message_it_names(tmp_path: Path) -> None:
    """An `edit` message is not said: it replaces the body of the message it names, or
    deletes it."""
    edit = {"type": "edit", "editedMessageId": 2, "editType": "replace_body"}
    messages = [
        _said(2, "contact", "Exports time out at 10k rows", 10),
        _said(3, "contact", "ignore that, wrong window", 20),
        _said(4, "contact", "Exports time out at 10,000 rows.", 30, **edit),
        _said(5, "contact", "", 40, type="edit", editedMessageId=3, editType="delete"),
    ]
    path = tmp_path / "drift.json"
    path.write_text(json.dumps([_drift(501, messages, _contact("ana@globex.example"))]))
    assert [r.text for r in read_clean("intercom", path, OURS).feedback] == [
        "Exports time out at 10,000 rows."
    ]


def test_drift_api_responses_nested_as_saved(tmp_path: Path) -> None:
    """A dump that kept the API's own envelopes: the conversation in `data`, its messages page
    (`{"data": {"messages": [...]}}`) and its contact (`{"data": {...}}`) beside it, one
    conversation a line. The contact's company attribute is the account."""
    contact = {"data": _contact("raj@gmail.example", employment_name="Hooli Cloud")}
    messages = {"data": {"messages": [_said(1, "contact", "Slack posts every change.", 0)]}}
    conversation = {"id": 502, "contactId": 90, "status": "open", "createdAt": MORNING}
    path = tmp_path / "drift.jsonl"
    line = {"data": conversation, "messages": messages, "contact": contact}
    path.write_text(json.dumps(line) + "\n")
    [record] = read_clean("intercom", path, OURS).feedback
    assert (record.external_id, record.text, record.account_ref, record.contact_email) == (
        "502",
        "Slack posts every change.",
        "Hooli Cloud",
        "raj@gmail.example",
    )


def test_drift_messages_saved_alone_are_gathered_by_conversation(tmp_path: Path) -> None:
    """Messages saved without their conversations (an array of them, or the API's pages one a
    line) are gathered by `conversationId`; the date is the first message's."""
    first = [
        _said(1, "bot", "Hi there!", 0),
        {**_said(2, "contact", "Do you sign BAAs?", 30), "conversationId": 601},
    ]
    page = {"data": {"messages": first}, "pagination": {"more": True, "next": "2"}}
    later = {
        "data": {"messages": [{**_said(3, "contact", "Soon, please.", 60), "conversationId": 601}]},
        "pagination": {"more": False},
    }
    path = tmp_path / "messages.jsonl"
    path.write_text(f"{json.dumps(page)}\n{json.dumps(later)}\n")
    [record] = read_clean("intercom", path, OURS).feedback
    assert (record.external_id, record.text) == ("601", "Do you sign BAAs?\n\nSoon, please.")
    assert record.occurred_at == datetime(2026, 12, 3, 9, 0, 30, tzinfo=UTC)


def test_drift_noise_is_left_out_with_its_reason(tmp_path: Path) -> None:
    """A visitor who only said hello is skipped; one of the vendor's people trying a playbook
    is a test; a conversation only the bot wrote is the bot's."""
    hello = _drift(1, [_said(1, "bot", "Hi!", 0), _said(2, "contact", "hello?", 9)], _contact(None))
    trying = _drift(
        2,
        [_said(3, "contact", "testing the playbook, please ignore", 0)],
        _contact("sam@ourco.com"),
    )
    unanswered = _drift(3, [_said(4, "bot", "Looks like you stepped away.", 0)], _contact(None))
    path = tmp_path / "drift.json"
    path.write_text(json.dumps([hello, trying, unanswered]))
    read = read_clean("intercom", path, OURS)
    assert read.feedback == []
    assert left_out_of(read) == [
        ("test", "testing the playbook, please ignore"),
        ("bot", "Looks like you stepped away."),
    ]
    assert read.skipped_rows == 1


def test_drift_conversations_without_their_messages_are_refused(
    session: Session, tmp_path: Path
) -> None:
    """The conversations list alone (`GET /conversations/list`) holds no one's words: the
    refusal says where the messages come from."""
    path = tmp_path / "list.json"
    conversation = {"id": 503, "contactId": 90, "status": "open", "createdAt": MORNING}
    path.write_text(json.dumps({"data": [conversation], "links": {"next": None}}))
    failure = refused(session, actor(session, "admin"), "intercom", path)
    assert "Drift conversation 503 has no messages" in failure.report.errors[0].reason


# Zendesk ticket audits ----------------------------------------------------------------------

SITE = "https://ourco.zendesk.com"
USERS = [
    {
        "id": 39001,
        "url": f"{SITE}/api/v2/users/39001.json",
        "name": "Yuki Tanaka",
        "email": "yuki@acme-robotics.example",
        "role": "end-user",
        "organization_id": 9101,
    },
    {
        "id": 1101,
        "url": f"{SITE}/api/v2/users/1101.json",
        "name": "Sam Ortiz",
        "email": "sam@ourco.com",
        "role": "agent",
        "organization_id": None,
    },
]
ORGANIZATIONS = [
    {
        "id": 9101,
        "name": "Acme Robotics K.K.",
        "domain_names": ["acme-robotics.example"],
        "external_id": "0015e00000ACMER1",
    },
]


def _comment(author: int, body: str, *, public: bool = True) -> dict[str, Any]:
    return {"type": "Comment", "author_id": author, "body": body, "public": public}


def _create(**fields: Any) -> list[dict[str, Any]]:
    return [
        {"type": "Create", "field_name": name, "value": value} for name, value in fields.items()
    ]


def _audit(aid: int, ticket: int, at: str, author: int, events: list[Any]) -> dict[str, Any]:
    return {
        "id": aid,
        "ticket_id": ticket,
        "created_at": at,
        "author_id": author,
        "via": {"channel": "web", "source": {"from": {}, "to": {}}},
        "events": events,
    }


NOTIFICATION = {
    "type": "Notification",
    "subject": "Re: {{ticket.title}}",
    "body": "Your request ({{ticket.id}}) has been received.",
    "recipients": [39001],
}


def _page(audits: list[Any]) -> dict[str, Any]:
    return {"audits": audits, "users": USERS, "organizations": ORGANIZATIONS, "after_url": None}


def test_a_ticket_is_rebuilt_from_its_audits_newest_first(tmp_path: Path) -> None:
    """A page of audits, newest first: the ticket's description is the comment of the audit
    that created it (not the agent's reply, not the customer's follow-up, not the trigger's
    notification), its subject, tags and last status from its Create and Change events, its
    date the creating audit's, its organisation the requester's (the account by its name, CRM
    id or domain), its link the ticket's agent page."""
    opened = _comment(39001, "The nightly digest misses offline robots.\n\nBest regards,\nYuki")
    created = _create(
        subject="Digest misses robots",
        requester_id="39001",
        status="new",
        tags=["digest"],
        priority=None,
    )
    reply = [
        _comment(1101, "A fix is scheduled."),
        {"type": "Change", "field_name": "status", "value": "pending", "previous_value": "new"},
    ]
    audits = [
        _audit(13, 5101, "2026-12-04T09:30:02Z", 39001, [_comment(39001, "Also show how long.")]),
        _audit(12, 5101, "2026-12-04T08:12:40Z", 1101, reply),
        _audit(11, 5101, "2026-12-03T22:41:09Z", 39001, [opened, *created, NOTIFICATION]),
    ]
    path = tmp_path / "ticket_audits.json"
    path.write_text(json.dumps(_page(audits), indent=1))

    [record] = read_clean("zendesk", path, OURS).feedback
    assert (record.external_id, record.title, record.text) == (
        "5101",
        "Digest misses robots",
        "The nightly digest misses offline robots.",
    )
    assert record.occurred_at == datetime(2026, 12, 3, 22, 41, 9, tzinfo=UTC)
    assert record.tags == ["digest", "status:pending"]
    assert (record.account_ref, record.account_aliases, record.contact_email) == (
        "Acme Robotics K.K.",
        ("0015e00000ACMER1", "acme-robotics.example"),
        "yuki@acme-robotics.example",
    )
    assert record.link_url == f"{SITE}/agent/tickets/5101"


def test_an_agent_opening_a_ticket_for_a_customer_is_staff(tmp_path: Path) -> None:
    """The audit that created the ticket is an agent's, the requester a customer: the words
    (a private note, whatever it says) are the team's, left out as staff."""
    note = _comment(1101, "Customer wants the audit log sent to Splunk.", public=False)
    audits = [
        _audit(21, 5103, "2026-12-02T15:44:18Z", 1101, [note, *_create(requester_id="39001")])
    ]
    path = tmp_path / "ticket_audits.json"
    path.write_text(json.dumps(_page(audits)))
    read = read_clean("zendesk", path, OURS)
    assert read.feedback == []
    assert left_out_of(read) == [("staff", "Customer wants the audit log sent to Splunk.")]


def test_a_ticket_whose_creating_audit_is_on_another_page(tmp_path: Path) -> None:
    """A page that starts after the ticket was created: the requester is the first end user
    who commented in public, their first comment the words, dated when they wrote it; the
    agent's reply is not. A ticket with only the team's replies and changes on the page is
    skipped, not refused (its words are on another page)."""
    solved = {"type": "Change", "field_name": "status", "value": "solved"}
    audits = [
        _audit(33, 5111, "2026-12-05T11:00:00Z", 1101, [_comment(1101, "Closing this."), solved]),
        _audit(32, 5110, "2026-12-05T10:00:00Z", 39001, [_comment(39001, "Still broken today.")]),
        _audit(31, 5110, "2026-12-05T09:00:00Z", 1101, [_comment(1101, "Fixed, please check.")]),
    ]
    path = tmp_path / "ticket_audits.json"
    path.write_text(json.dumps(_page(audits)))
    read = read_clean("zendesk", path, OURS)
    [record] = read.feedback
    assert (record.text, record.contact_email, record.account_ref) == (
        "Still broken today.",
        "yuki@acme-robotics.example",
        "Acme Robotics K.K.",
    )
    assert record.occurred_at == datetime(2026, 12, 5, 10, 0, tzinfo=UTC)
    assert (read.left_out, read.skipped_rows) == ([], 1)


def test_audits_one_a_line_without_sideloads(tmp_path: Path) -> None:
    """Audits saved one a line with no users: the requester's address is the one the mail
    came from; a ticket deleted later is skipped."""
    mail = {
        "channel": "email",
        "source": {"from": {"address": "p.novak@globex.example", "name": "Petr Novák"}, "to": {}},
    }
    first = {
        **_audit(
            41,
            5105,
            "2026-11-30T13:22:07Z",
            39005,
            [
                _comment(39005, "The driver app crashes on a damaged barcode."),
                *_create(requester_id="39005", subject="Crash"),
            ],
        ),
        "via": mail,
    }
    gone = _audit(
        42,
        5106,
        "2026-11-30T14:00:00Z",
        39008,
        [_comment(39008, "Where is my parcel?"), *_create(requester_id="39008")],
    )
    deleted = _audit(
        43,
        5106,
        "2026-11-30T15:00:00Z",
        1101,
        [{"type": "Change", "field_name": "status", "value": "deleted"}],
    )
    path = tmp_path / "ticket_audits.jsonl"
    path.write_text("".join(json.dumps(a) + "\n" for a in (first, gone, deleted)))
    read = read_clean("zendesk", path, OURS)
    assert [(r.external_id, r.text, r.contact_email, r.contact_name) for r in read.feedback] == [
        (
            "5105",
            "The driver app crashes on a damaged barcode.",
            "p.novak@globex.example",
            "Petr Novák",
        ),
    ]
    assert read.skipped_rows == 1
    assert read.feedback[0].link_url is None
