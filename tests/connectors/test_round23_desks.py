"""Two help desks round 23 showed, each rule on a small input of its own: Chatwoot's
conversations through `intercom` (the API's `{"data": {"meta", "payload"}}` page, or the
messages alone; message types 0-3 or their names, private notes, a bot's menu, Captain's
assistant, a satisfaction comment) and Gorgias' tickets through `zendesk` (the words in each
ticket's messages, not a description; notes, rules, the team's own tickets, the list saved
without its messages)."""

import json
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from huddle.connectors.base import ConnectorOptions, get_connector
from huddle.models import Account, Feedback
from tests.connectors.helpers import (
    left_out_of,
    read_clean,
    refused,
    run,
    write_json,
)
from tests.factories import actor, create_account

OURS = ConnectorOptions(internal_domains=("ourco.com",), staff_names=("Priya Raman",))
# 2026-12-03 09:00:00 UTC in Unix seconds, as Chatwoot writes its times.
MORNING = 1796288400


def _attached(session: Session) -> list[tuple[str, str | None]]:
    rows = session.execute(
        select(Feedback.text, Account.name)
        .outerjoin(Account, Account.id == Feedback.account_id)
        .order_by(Feedback.text)
    ).all()
    return [(text, name) for text, name in rows]


# Chatwoot -----------------------------------------------------------------------------------

AGENT = {"id": 9, "name": "Priya Raman", "type": "user"}
MENU_BOT = {"id": 1, "name": "Front Desk Bot", "type": "agent_bot"}


def _contact(contact_id: int, name: str, email: str | None, company: str = "") -> dict[str, Any]:
    extra = {"company_name": company} if company else {}
    return {"id": contact_id, "name": name, "email": email, "type": "contact",
            "additional_attributes": extra, "custom_attributes": {}}  # fmt: skip


def _said(
    message_id: int, conversation: int, kind: int | str, text: str, at: int, **more: Any
) -> dict[str, Any]:
    """A message as Chatwoot's API serialises it (`message_type` 0 incoming, 1 outgoing, 2
    activity, 3 template)."""
    return {
        "id": message_id,
        "content": text,
        "account_id": 3,
        "inbox_id": 5,
        "conversation_id": conversation,
        "message_type": kind,
        "created_at": MORNING + at,
        "private": False,
        "content_type": "text",
        "content_attributes": {},
        "sender_type": None,
        "sender": {},
        **more,
    }


def _by(person: dict[str, Any]) -> dict[str, Any]:
    kinds = {"contact": "Contact", "user": "User", "agent_bot": "AgentBot"}
    return {"sender_type": kinds[person["type"]], "sender_id": person["id"], "sender": person}


def _conversation(
    conversation_id: int, contact: dict[str, Any], messages: list[dict[str, Any]]
) -> dict[str, Any]:
    return {
        "meta": {"sender": contact, "channel": "Channel::WebWidget", "assignee": AGENT},
        "id": conversation_id,
        "account_id": 3,
        "inbox_id": 5,
        "status": "open",
        "labels": ["routing"],
        "created_at": messages[0]["created_at"] if messages else MORNING,
        "messages": messages,
    }


def _page(*conversations: dict[str, Any]) -> dict[str, Any]:
    counts = {"mine_count": 0, "unassigned_count": 0, "all_count": len(conversations)}
    return {"data": {"meta": counts, "payload": list(conversations)}}


def test_a_chatwoot_page_keeps_each_contacts_words_on_their_company(
    session: Session, tmp_path: Path
) -> None:
    """The API's page holds its conversations under `data.payload`: the contact's incoming
    messages are one item, on the company their attributes name (a personal address) or their
    email's domain; the agent's reply, a private note (even one an integration filed as
    incoming, which the API allows) and Chatwoot's activity message are not theirs. A company
    Huddle does not know is listed as unmatched."""
    admin = actor(session, "admin")
    create_account(session, name="Brightwater Logistics", domain="brightwater.example")
    create_account(session, name="Kestrel Dental", domain="kestrel.example")
    mei = _contact(70, "Mei Tan", "mei.tan.ops@gmail.com", "Brightwater Logistics")
    omar = _contact(71, "Omar Haddad", "omar@kestrel.example")
    ines = _contact(72, "Ines Duarte", "ines@ashford-libraries.example", "Ashford Libraries")
    page = _page(
        _conversation(41, mei, [
            _said(1, 41, 0, "Route sheets print without the driver's phone number.", 0, **_by(mei)),
            _said(2, 41, 1, "Thanks Mei, checking with the team.", 60, **_by(AGENT)),
            _said(3, 41, 1, "Brightwater still uses the old sheet template.", 70, private=True,
                  **_by(AGENT)),
            _said(4, 41, 0, "We add the numbers by hand for forty drivers.", 90, **_by(mei)),
            _said(8, 41, 0, "Call logged: Mei asked about the renewal date.", 95, private=True),
            _said(5, 41, 2, "Conversation was marked resolved by Priya Raman", 120),
        ]),
        _conversation(42, omar, [
            _said(6, 42, 0, "Recall reminders go out in English only.", 0, **_by(omar)),
        ]),
        _conversation(43, ines, [
            _said(7, 43, 0, "Can branch staff share one reading list?", 0, **_by(ines)),
        ]),
    )  # fmt: skip
    report = run(
        session,
        admin,
        "intercom",
        write_json(tmp_path / "c.json", page),
        internal_domains=("ourco.com",),
    )
    assert _attached(session) == [
        ("Can branch staff share one reading list?", None),
        ("Recall reminders go out in English only.", "Kestrel Dental"),
        (
            "Route sheets print without the driver's phone number.\n\n"
            "We add the numbers by hand for forty drivers.",
            "Brightwater Logistics",
        ),
    ]
    assert report.unmatched_accounts == {"Ashford Libraries": 1}


def test_a_chatwoot_bots_menu_and_the_option_clicked_are_not_the_visitors_words(
    tmp_path: Path,
) -> None:
    """A webhook's copy names the types ("template", "incoming"): the bot's menu is the bot's,
    the option the visitor clicked (written back as their text) is no words of theirs, and
    Captain's assistant answering is a bot's; what the visitor typed after is theirs."""
    lena = _contact(80, "Lena Vogt", "lena@brightwater.example")
    captain = {"id": 2, "name": "Captain", "type": "captain_assistant"}
    menu = {
        "items": [
            {"title": "Billing", "value": "billing"},
            {"title": "Talk to sales", "value": "sales"},
        ]
    }
    conversation = _conversation(50, lena, [
        _said(11, 50, "template", "What brings you here today?", 0, content_type="input_select",
              content_attributes=menu, **_by(MENU_BOT)),
        _said(12, 50, "incoming", "Talk to sales", 5, **_by(lena)),
        _said(13, 50, "outgoing", "Happy to help with pricing. How many seats?", 6,
              sender_type="Captain::Assistant", sender=captain),
        _said(14, 50, "incoming", "Is there a discount for charities under 20 staff?", 40,
              **_by(lena)),
    ])  # fmt: skip
    (item,) = read_clean(
        "intercom", write_json(tmp_path / "c.json", _page(conversation)), OURS
    ).feedback
    assert item.text == "Is there a discount for charities under 20 staff?"
    assert item.contact_email == "lena@brightwater.example"


def test_chatwoot_messages_alone_are_gathered_by_their_conversation(tmp_path: Path) -> None:
    """The messages endpoint's page (`{"meta", "payload"}`), two of them saved in an array:
    messages are gathered by `conversation_id` whatever their order, each once (the later copy
    of a message wins: the survey the contact answered), and the comment left with a rating
    is the contact's."""
    nora = _contact(90, "Nora Lind", "nora@kestrel.example")
    survey = {"content_type": "input_csat", **_by(MENU_BOT)}
    answered = {
        **survey,
        "content_attributes": {
            "submitted_values": {
                "csat_survey_response": {"rating": 2, "feedback_message": "Took three days."}
            }
        },
    }
    first = [
        _said(21, 61, 0, "The calendar sync skips recurring events.", 0, **_by(nora)),
        _said(31, 62, 0, "Can we export invoices as UBL files?", 5, **_by(nora)),
        _said(22, 61, 1, "Fixed in today's release.", 50, **_by(AGENT)),
        _said(23, 61, 3, "Please rate the conversation", 60, **survey),
    ]
    second = [
        _said(21, 61, 0, "The calendar sync skips recurring events.", 0, **_by(nora)),
        _said(23, 61, 3, "Please rate the conversation", 60, **answered),
    ]
    meta = {"labels": [], "contact_id": 90}
    pages = [{"meta": meta, "payload": page} for page in (first, second)]
    read = read_clean("intercom", write_json(tmp_path / "messages.json", pages), OURS)
    assert sorted((r.external_id, r.text) for r in read.feedback) == [
        ("61", "The calendar sync skips recurring events.\n\nTook three days."),
        ("62", "Can we export invoices as UBL files?"),
    ]


def test_a_chatwoot_conversation_only_the_team_or_a_bot_wrote_is_left_out(tmp_path: Path) -> None:
    """An agent's message nobody answered is the team's (internal); a greeting alone, as a
    webhook names its type, or Captain's assistant alone, is a bot's."""
    pia = _contact(95, "Pia Berg", "pia@kestrel.example")
    captain = {"sender_type": "Captain::Assistant", "sender": {"id": 2, "name": "Captain"}}
    page = _page(
        _conversation(71, pia, [_said(41, 71, 1, "Our reports module is live.", 0, **_by(AGENT))]),
        _conversation(72, pia, [_said(42, 72, "template", "Hi! We reply within an hour.", 0)]),
        _conversation(73, pia, [_said(43, 73, 1, "I can answer plan questions.", 0, **captain)]),
    )  # fmt: skip
    read = read_clean("intercom", write_json(tmp_path / "c.json", page), OURS)
    assert read.feedback == []
    assert left_out_of(read) == [
        ("internal", "Our reports module is live."),
        ("bot", "Hi! We reply within an hour."),
        ("bot", "I can answer plan questions."),
    ]


def test_a_chatwoot_conversation_links_to_the_server_it_lives_on(tmp_path: Path) -> None:
    """Chatwoot Cloud's app by default; a self-hosted server when `--workspace` names it."""
    sol = _contact(97, "Sol Reyes", "sol@kestrel.example")
    path = write_json(
        tmp_path / "c.json",
        _page(_conversation(88, sol, [_said(51, 88, 0, "Export to XLSX drops dates.", 0)])),
    )
    (cloud,) = read_clean("intercom", path, OURS).feedback
    assert cloud.link_url == "https://app.chatwoot.com/app/accounts/3/conversations/88"
    hosted = ConnectorOptions(internal_domains=("ourco.com",), workspace="support.ourco.com")
    (own,) = read_clean("intercom", path, hosted).feedback
    assert own.link_url == "https://support.ourco.com/app/accounts/3/conversations/88"


# Gorgias ------------------------------------------------------------------------------------

SUPPORT = {"id": 901, "email": "support@ourco.com", "name": "OurCo Support"}
SAM = {"id": 902, "email": "sam@ourco.com", "name": "Sam Ortiz"}


def _person(person_id: int, name: str, email: str) -> dict[str, Any]:
    first, last = name.split()
    return {"id": person_id, "email": email, "name": name, "firstname": first, "lastname": last}


def _message(
    message_id: int, ticket: int, text: str, sender: dict[str, Any], *, agent: bool, **more: Any
) -> dict[str, Any]:
    """A ticket message as `GET /api/tickets/{id}` gives it."""
    return {
        "id": message_id,
        "ticket_id": ticket,
        "channel": "email",
        "via": "email",
        "from_agent": agent,
        "public": True,
        "sender": sender,
        "receiver": None,
        "subject": None,
        "body_text": text,
        "body_html": f"<div>{text}</div>",
        "stripped_text": None,
        "created_datetime": f"2026-12-0{1 + message_id % 8}T09:00:00+00:00",
        **more,
    }


def _ticket(
    ticket_id: int, customer: dict[str, Any], messages: list[dict[str, Any]], **more: Any
) -> dict[str, Any]:
    return {
        "id": ticket_id,
        "uri": f"/api/tickets/{ticket_id}/",
        "status": "open",
        "channel": "email",
        "via": "email",
        "from_agent": False,
        "customer": {**customer, "meta": {}},
        "subject": f"Ticket {ticket_id}",
        "tags": [{"id": 1, "name": "printing"}],
        "spam": False,
        "created_datetime": "2026-12-01T08:00:00+00:00",
        "trashed_datetime": None,
        "messages": messages,
        **more,
    }


def _tickets(path: Path, *tickets: dict[str, Any]) -> Path:
    page = {"data": list(tickets), "meta": {"prev_cursor": None, "next_cursor": None}}
    return write_json(path, {**page, "object": "list", "uri": "/api/tickets?limit=30"})


def test_a_gorgias_ticket_is_its_customers_messages_each_cut_on_its_own(
    session: Session, tmp_path: Path
) -> None:
    """Gorgias keeps no description: the words are the customer's public messages, each cut
    of the mail it quotes and of its signature (whose company attaches a personal address),
    not the team's reply, an internal note (the team's, or an app's on the customer) nor the
    out-of-office that answered ours."""
    admin = actor(session, "admin")
    create_account(session, name="Brightwater Logistics", domain="brightwater.example")
    tomasz = _person(5501, "Tomasz Nowak", "tomasz.nowak@outlook.com")
    asked = "Hi Tomasz, could you send a screenshot?"
    ticket = _ticket(9001, tomasz, [
        _message(1, 9001, asked, SUPPORT, agent=True),
        _message(2, 9001, "The label printer skips every second label since the update.\n\n"
                 "Tomasz Nowak\nWarehouse Lead, Brightwater Logistics\n\n"
                 "On Tue, Dec 1, 2026 at 9:02 AM OurCo Support <support@ourco.com> wrote:\n"
                 f"> {asked}", tomasz, agent=False),
        _message(3, 9001, "Known issue in 4.2, see the engineering board.", SAM, agent=True,
                 public=False, channel="internal-note", via="helpdesk"),
        _message(6, 9001, "Shopify: order #1009 refunded in full.", tomasz, agent=False,
                 public=False, channel="internal-note", via="api"),
        _message(4, 9001, "It also happens on the printers at our second site.", tomasz,
                 agent=False, channel="chat", via="chat"),
        _message(5, 9001, "I am out of the office until 14 December and will reply when I "
                 "return.", tomasz, agent=False),
    ])  # fmt: skip
    path = _tickets(tmp_path / "t.json", ticket)
    run(session, admin, "zendesk", path, internal_domains=("ourco.com",))
    assert _attached(session) == [
        (
            "The label printer skips every second label since the update.\n\n"
            "It also happens on the printers at our second site.",
            "Brightwater Logistics",
        )
    ]


def test_gorgias_tickets_only_the_team_or_a_rule_wrote_and_the_tools_verdicts(
    tmp_path: Path,
) -> None:
    """A ticket an agent opened for a customer is `staff`, one a rule sent `bot`; Gorgias'
    `spam` flag is spam whatever the words; a trashed ticket and one holding only a photo are
    skipped."""
    joan = _person(5601, "Joan Park", "joan@kestrel.example")
    logged = "Raised after a call with Joan: they need PO numbers on every invoice."
    path = _tickets(
        tmp_path / "t.json",
        _ticket(9101, joan, [_message(11, 9101, logged, SAM, agent=True, via="helpdesk")],
                from_agent=True, via="helpdesk"),
        _ticket(9102, joan, [_message(12, 9102, "Thanks for writing in, we read every message.",
                                      SUPPORT, agent=True, via="rule", rule_id=44)]),
        _ticket(9103, joan, [_message(13, 9103, "We buy used label printers for cash.", joan,
                                      agent=False)], spam=True),
        _ticket(9104, joan, [_message(14, 9104, "The scanner drops its pairing daily.", joan,
                                      agent=False)], trashed_datetime="2026-12-02T10:00:00+00:00"),
        _ticket(9105, joan, [_message(15, 9105, "", joan, agent=False, body_html="",
                                      attachments=[{"name": "photo.jpg"}])]),
    )  # fmt: skip
    read = read_clean("zendesk", path, OURS)
    assert read.feedback == []
    assert left_out_of(read) == [
        ("staff", logged),
        ("bot", "Thanks for writing in, we read every message."),
        ("spam", "We buy used label printers for cash."),
    ]
    assert read.skipped_rows == 2


def test_a_gorgias_tickets_list_without_its_messages_is_refused_saying_what_to_save(
    session: Session, tmp_path: Path
) -> None:
    """`GET /api/tickets` gives no messages (only an excerpt): nothing is written, and the
    refusal says where the words are."""
    admin = actor(session, "admin")
    bare = _ticket(9201, _person(5701, "Rui Costa", "rui@kestrel.example"), [])
    del bare["messages"]
    failure = refused(session, admin, "zendesk", _tickets(tmp_path / "t.json", bare))
    (error,) = failure.report.errors
    assert error.column == "messages"
    assert "Gorgias ticket 9201 has no messages" in error.reason
    assert "GET /api/tickets/{id}" in error.reason


def test_gorgias_messages_alone_are_gathered_by_their_ticket(tmp_path: Path) -> None:
    """A page of `GET /api/messages`: each ticket rebuilt from its messages, its customer the
    sender of the first message not the team's."""
    ada = _person(5801, "Ada Moss", "ada@brightwater.example")
    ben = _person(5802, "Ben Ito", "ben@kestrel.example")
    messages = [
        _message(21, 77, "Bulk edit resets the due dates to today.", ada, agent=False),
        _message(22, 78, "Please add SSO for our contractors.", ben, agent=False),
        _message(23, 77, "Thanks Ada, a fix ships Friday.", SUPPORT, agent=True),
    ]
    path = write_json(
        tmp_path / "m.json", {"data": messages, "object": "list", "uri": "/api/messages"}
    )
    read = read_clean("zendesk", path, OURS)
    assert sorted((r.external_id, r.text, r.contact_email) for r in read.feedback) == [
        ("77", "Bulk edit resets the due dates to today.", "ada@brightwater.example"),
        ("78", "Please add SSO for our contractors.", "ben@kestrel.example"),
    ]


def test_a_gorgias_satisfaction_comment_is_an_item_of_its_own(tmp_path: Path) -> None:
    """The survey's comment is the customer's verdict, on the ticket's customer and tagged with
    its score; a page whose `uri` names the help desk links each ticket to Gorgias' app."""
    eva = _person(5901, "Eva Lund", "eva@kestrel.example")
    survey = {
        "id": 7,
        "score": 2,
        "body_text": "Slow answers this week.",
        "scored_datetime": "2026-12-04T09:00:00+00:00",
    }
    said = _message(31, 9301, "Invoices show the wrong VAT rate.", eva, agent=False)
    site = "https://kestrel-help.gorgias.com"
    ticket = _ticket(9301, eva, [said], satisfaction_survey=survey, uri=f"{site}/api/tickets/9301/")
    read = read_clean("zendesk", _tickets(tmp_path / "t.json", ticket), OURS)
    found = {r.text: r for r in read.feedback}
    assert sorted(found) == ["Invoices show the wrong VAT rate.", "Slow answers this week."]
    rating = found["Slow answers this week."]
    assert "csat:2" in rating.tags and rating.contact_email == "eva@kestrel.example"
    assert found["Invoices show the wrong VAT rate."].link_url == f"{site}/app/ticket/9301"


def test_cut_or_odd_desk_files_are_refused_naming_what_is_wrong(tmp_path: Path) -> None:
    """A download cut short says so, with its line; a page whose records are not objects is
    refused row by row, not with a traceback."""
    sol = _contact(99, "Sol Reyes", "sol@kestrel.example")
    chatwoot = json.dumps(
        _page(_conversation(89, sol, [_said(61, 89, 0, "Dates drop in XLSX.", 0, **_by(sol))]))
    )
    cut = tmp_path / "cut.json"
    cut.write_text(chatwoot[: len(chatwoot) // 2])
    errors = get_connector("intercom").read(cut, OURS).errors
    assert [e.reason for e in errors] == [
        "the file ends in the middle of a conversation (truncated JSON?)"
    ]
    odd = write_json(tmp_path / "odd.json", {"data": [5, "ticket"], "object": "list"})
    errors = get_connector("zendesk").read(odd, OURS).errors
    assert [e.reason for e in errors] == ["a ticket must be a JSON object"] * 2
