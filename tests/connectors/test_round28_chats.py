"""Round 28's help-desk and chat shapes, each on a small input of its own: ServiceNow's
Customer Service cases from its Table API (read by `zendesk`), HubSpot's Conversations inbox
threads (read by `intercom`) and a page of Rocket.Chat's messages API (read by `slack`)."""

import hashlib
import json
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from huddle.connectors.base import ConnectorOptions
from tests.connectors.helpers import (
    came_in,
    left_out_by_run,
    left_out_of,
    read_clean,
    refused,
    run,
    write_json,
)
from tests.factories import actor, create_account, create_user

OURS = ConnectorOptions(internal_domains=("ourco.com",), staff_names=("Dana Lee", "Sam Ortiz"))
SITE = "https://ourco.service-now.com"


# ServiceNow ----------------------------------------------------------------------------------


def _ref(name: str, table: str) -> dict[str, str]:
    sys_id = hashlib.md5(name.encode()).hexdigest()
    return {
        "display_value": name,
        "link": f"{SITE}/api/now/table/{table}/{sys_id}",
        "value": sys_id,
    }


def _all(value: str, shown: str | None = None) -> dict[str, str]:
    return {"display_value": value if shown is None else shown, "value": value}


def _case(
    number: int, words: str, *, contact: str | None, opener: str, **more: Any
) -> dict[str, Any]:
    """A case as `sysparm_display_value=all` writes it: every field shown and valued."""
    case: dict[str, Any] = {
        "number": _all(f"CS00{number}"),
        "sys_id": _all(f"{number:032x}"),
        "short_description": _all(f"Case {number}"),
        "description": _all(words),
        "account": _ref(more.pop("account", "Hooli Cloud"), "customer_account"),
        "contact": _ref(contact, "customer_contact") if contact else _all(""),
        "opened_by": _ref(opener, "sys_user"),
        "contact_type": _all(more.pop("channel", "web")),
        "sys_created_on": _all(f"2026-12-01 1{number % 10}:00:00", "12/01/2026 09:00:00 AM"),
        "sys_created_by": _all(more.pop("created_by", opener.lower().replace(" ", "."))),
        "comments": _all(more.pop("comments", "")),
        "work_notes": _all(more.pop("work_notes", "")),
    }
    return {**case, **more}


def test_servicenow_cases_are_their_contacts_words_on_their_accounts(
    session: Session, tmp_path: Path
) -> None:
    """The description without the mail it quotes, then the contact's own additional
    comments (not the team's, nor work notes); a call an agent logged for the contact is
    staff, an alert no person opened a bot's, a transcript pasted into a case its contact's
    lines; an account the workspace does not know is listed unmatched."""
    create_account(session, name="Hooli Cloud", domain="hooli.example")
    create_account(session, name="Globex Freight", domain="globex.example")
    comments = (
        "2026-12-01 11:30:00 PST - Ingrid Solberg (Additional comments)\n"
        "It happened again at noon, 12 more.\n\n"
        "2026-12-01 11:20:08 PST - Tom Becker (Additional comments)\n"
        "Thanks Ingrid, we're on it.\n\n"
    )
    mail = (
        "The duplicate shipments are back since this morning's sync.\n\nIngrid\n\n"
        "-----Original Message-----\nFrom: OurCo Support <support@ourco.com>\n"
        "Sent: Wednesday, November 25, 2026 4:02 PM\nSubject: Carrier sync\n\n"
        "Hi Ingrid, the fix was deployed tonight."
    )
    chat = (
        "Chat transcript\nVirtual Agent: Hi, I'm the OurCo virtual agent.\n"
        "Riya Kapoor: the SAML login sends us back to the sign-in page in a loop\n"
        "Priya Raman: I'm pulling up your SSO settings now."
    )
    answer = {
        "result": [
            _case(1, "SCIM deprovisioning leaves users active.", contact="Mei", opener="Mei"),
            _case(
                2,
                mail,
                contact="Ingrid Solberg",
                opener="Ingrid Solberg",
                account="Globex Freight",
                channel="email",
                comments=comments,
                work_notes="2026-12-01 11:31:00 PST - Sam Ortiz (Work notes)\nSame as PRB7731.",
            ),
            _case(
                3,
                "Greg asked whether store tablets can log in with a shared badge.",
                contact="Greg Whitman",
                opener="Tom Becker",
                channel="phone",
            ),
            _case(
                4,
                "Value 2.84s exceeds threshold 2.00s for 10 minutes.",
                contact=None,
                opener="Event Management",
                created_by="system",
                channel="integration",
            ),
            _case(
                5,
                chat,
                contact="Riya Kapoor",
                opener="Priya Raman",
                channel="chat",
                account="Northwind Ceramics",
            ),
        ]
    }
    path = write_json(tmp_path / "cases.json", answer)
    report = run(session, actor(session, "admin"), "zendesk", path)
    assert came_in(session, report) == [
        ("SCIM deprovisioning leaves users active.", "Hooli Cloud"),
        (
            "The duplicate shipments are back since this morning's sync.\n\n"
            "It happened again at noon, 12 more.",
            "Globex Freight",
        ),
        ("the SAML login sends us back to the sign-in page in a loop", None),
    ]
    assert left_out_by_run(session, report) == [
        ("staff", "Greg asked whether store tablets can log in with a shared badge."),
        ("bot", "Value 2.84s exceeds threshold 2.00s for 10 minutes."),
    ]
    assert sorted(report.unmatched_accounts) == ["Northwind Ceramics"]
    read = read_clean("zendesk", path, OURS)
    assert [(r.external_id, r.link_url, r.occurred_at.hour) for r in read.feedback][:1] == [
        ("CS001", f"{SITE}/sn_customerservice_case.do?sys_id={1:032x}", 11)
    ]


def test_servicenow_answers_with_shown_values_or_sys_ids_alone(tmp_path: Path) -> None:
    """`sysparm_display_value=true` writes shown strings (a reference `{"display_value",
    "link"}`), `false` values (a reference its sys_id alone, no name); one record asked for
    by its sys_id is `{"result": {...}}`; JSONv2 answers `{"records": [...]}`. A case ServiceNow's Guest opened for a sender it
    did not know is the sender's, as is the mail a contact sent that an agent filed."""

    def shown_case(number: int, words: str, contact: str, opener: str) -> dict[str, Any]:
        return {
            "number": f"CS00420{number}",
            "sys_id": f"{number:032x}",
            "short_description": "Export",
            "description": words,
            "account": {"display_value": "Hooli Cloud", "link": f"{SITE}/api/now/table/x/1"},
            "contact": {"display_value": contact, "link": f"{SITE}/api/now/table/y/{number}"},
            "opened_by": {"display_value": opener, "link": f"{SITE}/api/now/table/z/{number}"},
            "sys_created_on": "2026-12-01 10:00:00",
        }

    mailed = shown_case(2, "Can the export keep whole comments?", "Bayo Adeyemi", "Tom Becker")
    shown = {
        "result": [
            shown_case(1, "The export cuts comments at 255 characters.", "Mei Tanaka", "Guest"),
            {**mailed, "contact_type": "Email"},
        ]
    }
    read = read_clean("zendesk", write_json(tmp_path / "shown.json", shown), OURS)
    assert [(r.text, r.account_ref, r.contact_name) for r in read.feedback] == [
        ("The export cuts comments at 255 characters.", "Hooli Cloud", "Mei Tanaka"),
        ("Can the export keep whole comments?", "Hooli Cloud", "Bayo Adeyemi"),
    ]
    assert read.left_out == []
    values = {
        "result": {
            "number": "CS0042003",
            "sys_id": "b" * 32,
            "short_description": "Dashboards load slowly on Mondays",
            "description": "",
            "account": {"link": f"{SITE}/api/now/table/x/1", "value": "c" * 32},
            "contact": {"link": f"{SITE}/api/now/table/y/2", "value": "d" * 32},
            "opened_by": {"link": f"{SITE}/api/now/table/z/3", "value": "d" * 32},
            "sys_created_on": "2026-12-01 10:00:00",
        }
    }
    read = read_clean("zendesk", write_json(tmp_path / "values.json", values), OURS)
    assert [(r.text, r.account_ref) for r in read.feedback] == [
        ("Dashboards load slowly on Mondays", None)
    ]
    # JSONv2 asked with `displayvalue=all`: the shown value beside each as `dv_<field>`.
    jsonv2 = {
        "records": [
            {
                "number": "CS0042004",
                "sys_id": "e" * 32,
                "short_description": "Slow dashboards",
                "description": "Dashboards take a minute to load on Mondays.",
                "account": "c" * 32,
                "dv_account": "Hooli Cloud",
                "contact": "d" * 32,
                "dv_contact": "Mei Tanaka",
                "opened_by": "d" * 32,
                "dv_opened_by": "Mei Tanaka",
                "sys_created_on": "2026-12-01 10:00:00",
            }
        ]
    }
    read = read_clean("zendesk", write_json(tmp_path / "v2.json", jsonv2), OURS)
    assert [(r.text, r.account_ref) for r in read.feedback] == [
        ("Dashboards take a minute to load on Mondays.", "Hooli Cloud")
    ]


# HubSpot's inbox -----------------------------------------------------------------------------


def _message(number: int, actor_id: str | None, text: str, **more: Any) -> dict[str, Any]:
    sender: dict[str, Any] = {"name": more.pop("name", "Ines Carvalho")}
    if actor_id:
        sender["actorId"] = actor_id
    if "email" in more:
        sender["deliveryIdentifier"] = {"type": "HS_EMAIL_ADDRESS", "value": more.pop("email")}
    return {
        "type": more.pop("type", "MESSAGE"),
        "id": f"m{number}",
        "conversationsThreadId": more.pop("thread", "t1"),
        "createdAt": f"2026-12-01T09:{number:02d}:00.000Z",
        "createdBy": actor_id or "",
        "senders": [sender],
        "text": text,
        "direction": more.pop("direction", "INCOMING"),
        "channelId": more.pop("channel", "1000"),
        **more,
    }


def _thread(thread_id: str, *messages: dict[str, Any], **more: Any) -> dict[str, Any]:
    thread: dict[str, Any] = {
        "id": thread_id,
        "createdAt": "2026-12-01T09:00:00.000Z",
        "status": "CLOSED",
        "originalChannelId": more.pop("channel", "1000"),
        "latestMessageTimestamp": "2026-12-01T09:30:00.000Z",
        "spam": more.pop("spam", False),
        "associatedContactId": "90142",
    }
    if messages:
        thread["messages"] = list(messages)
    return {**thread, **more}


def test_hubspot_inbox_threads_are_their_visitors_words(session: Session, tmp_path: Path) -> None:
    """A visitor's messages, oldest first; an agent's replies and notes, the widget's greeting
    and HubSpot's records of changes are no one's words; an email's quote and signature are
    cut; a thread HubSpot filed as spam is spam; the link is the thread in the inbox."""
    create_account(session, name="Acme Robotics", domain="acme-robotics.example")
    ines = {"email": "ines@acme-robotics.example"}
    chat = _thread(
        "t1",
        _message(3, "V-1", "Could the alert include the account name?", **ines),
        _message(1, "B-9", "Questions? Ask away.", type="WELCOME_MESSAGE", direction=None),
        _message(2, "V-1", "The Slack alerts have no link back to the response.", **ines),
        _message(4, "A-7", "Passed it to the team.", name="Sam Ortiz", direction="OUTGOING"),
        _message(5, "A-7", "Same request as Umbrella.", type="COMMENT", direction=None),
        _message(6, "A-7", "", type="THREAD_STATUS_CHANGE", direction=None),
    )
    mail = _thread(
        "t2",
        _message(
            7,
            None,  # an address HubSpot knows no contact for: no actor since 2023
            "The CSV export cuts comments at 255 characters.\n\nRiya Kapoor\nQuality | Initech"
            "\n\nOn Tue, Nov 24, 2026 at 3:10 PM OurCo <support@ourco.com> wrote:\n> See Reports",
            name="Riya Kapoor",
            email="riya@initech.example",
            thread="t2",
            channel="1002",
            subject="Re: Export",
        ),
        channel="1002",
    )
    spam = _thread(
        "t3", _message(8, "V-5", "We would love to write a guest post for your blog."), spam=True
    )
    path = write_json(tmp_path / "threads.json", {"results": [chat, mail, spam], "paging": {}})
    report = run(session, actor(session, "admin"), "intercom", path)
    assert came_in(session, report) == [
        (
            "The Slack alerts have no link back to the response.\n\n"
            "Could the alert include the account name?",
            "Acme Robotics",
        ),
        ("The CSV export cuts comments at 255 characters.", None),
    ]
    assert left_out_by_run(session, report) == [
        ("spam", "We would love to write a guest post for your blog.")
    ]
    options = ConnectorOptions(internal_domains=("ourco.com",), mapping={"portal_id": "4431"})
    read = read_clean("intercom", path, options)
    assert [(r.external_id, r.source, r.title, r.link_url) for r in read.feedback] == [
        ("t1", "chat", None, "https://app.hubspot.com/live-messages/4431/inbox/t1"),
        ("t2", "ticket", "Re: Export", "https://app.hubspot.com/live-messages/4431/inbox/t2"),
    ]


def test_hubspot_threads_and_messages_saved_apart_are_gathered(
    session: Session, tmp_path: Path
) -> None:
    """The threads' answer and each thread's messages' answer saved together in an array:
    each thread read once with its messages; a thread whose messages were not saved is
    refused, saying to fetch them."""
    threads = {"results": [_thread("t1"), _thread("t2", spam=True)]}
    asked = "Can members give feedback without an account?"
    first = {"results": [_message(1, "V-1", asked, direction=None)]}  # its actor tells
    second = {
        "results": [
            _message(2, "V-2", "Partner with us on a guest post for your blog.", thread="t2")
        ]
    }
    path = tmp_path / "pages.json"
    path.write_text(json.dumps([threads, first, second]), encoding="utf-8")
    read = read_clean("intercom", path, OURS)
    assert [(r.external_id, r.text) for r in read.feedback] == [
        ("t1", "Can members give feedback without an account?")
    ]
    assert left_out_of(read) == [("spam", "Partner with us on a guest post for your blog.")]
    lonely = write_json(tmp_path / "lonely.json", {"results": [_thread("t9")]})
    failure = refused(session, actor(session, "admin"), "intercom", lonely)
    assert [(error.column, error.reason) for error in failure.report.errors] == [
        (
            "messages",
            "HubSpot thread t9 has no messages: save each thread's messages (GET "
            "/conversations/v3/conversations/threads/{threadId}/messages) in its `messages`",
        )
    ]


# Rocket.Chat ---------------------------------------------------------------------------------


def _rocket(number: int, user: str, name: str, text: str, **more: Any) -> dict[str, Any]:
    return {
        "_id": f"r{number}",
        "rid": "ROOM1",
        "msg": text,
        "ts": f"2026-11-17T08:{number:02d}:00.000Z",
        "u": {"_id": f"u-{user}", "username": user, "name": name},
        "_updatedAt": f"2026-11-17T08:{number:02d}:00.000Z",
        **more,
    }


def _history(*messages: dict[str, Any]) -> dict[str, Any]:
    """A channels.history answer: newest first."""
    listed = list(reversed(messages))
    return {"messages": listed, "count": len(listed), "offset": 0, "success": True}


def test_a_rocketchat_page_reads_the_customers_on_the_company_its_topic_names(
    session: Session, tmp_path: Path
) -> None:
    """Oldest first though the API gives them newest first: Rocket.Chat's notices are no one's
    words but the topic names the company; the team known by name or by a username made of
    it; an integration's post (`bot`, its `alias`, words in attachments) and Rocket.Cat's are
    a bot's; a customer's thanks in a thread one of ours opened is skipped; a quote's link is
    not words, and a file's description is."""
    create_user(session, name="Sam Ortiz", email="sam@ourco.com")
    create_user(session, name="Dana Lee", email="dana@ourco.com")
    create_account(session, name="Acme Robotics", domain="acme-robotics.example")
    jira = [{"title": "SUP-2211 Jira sync duplicates", "text": "Status changed: To Do → Done"}]
    page = _history(
        _rocket(1, "sam", "S.", "Acme Robotics and OurCo, shared", t="room_changed_topic"),
        _rocket(2, "kenji", "Kenji Nakamura", "kenji", t="uj"),
        _rocket(3, "sam.ortiz", "", "Welcome! We watch this channel during EU hours."),
        _rocket(4, "kenji", "Kenji Nakamura", "The Jira sync created 40 duplicate issues."),
        _rocket(5, "jira", "Jira", "", bot={"i": "b1"}, attachments=jira),
        _rocket(6, "dana.lee", "Dana Lee", "The fix ships on Friday.", tcount=1),
        _rocket(7, "kenji", "Kenji Nakamura", "Thanks Dana, works for us.", tmid="r6"),
        _rocket(8, "rocket.cat", "Rocket.Cat", "Scheduled maintenance tonight 22:00 UTC."),
        _rocket(11, "svc.deploy", "Service", "Release 4.3 deployed to eu-west.", alias="Deploys"),
        _rocket(
            9,
            "ines",
            "Ines Carvalho",
            "[ ](https://chat.ourco.com/channel/x?msg=r4) Same here, every comment makes one.",
        ),
        _rocket(
            10,
            "ines",
            "Ines Carvalho",
            "",
            attachments=[
                {
                    "title": "dupes.png",
                    "type": "file",
                    "description": "Here is the sync log from last night.",
                }
            ],
        ),
    )
    path = write_json(tmp_path / "shared-support.json", page)
    report = run(session, actor(session, "admin"), "slack", path)
    assert came_in(session, report) == [
        ("The Jira sync created 40 duplicate issues.", "Acme Robotics"),
        ("Same here, every comment makes one.", "Acme Robotics"),
        ("Here is the sync log from last night.", "Acme Robotics"),
    ]
    assert left_out_by_run(session, report) == [
        ("internal", "Welcome! We watch this channel during EU hours."),
        ("bot", "SUP-2211 Jira sync duplicates\nStatus changed: To Do → Done"),
        ("internal", "The fix ships on Friday."),
        ("bot", "Scheduled maintenance tonight 22:00 UTC."),
        ("bot", "Release 4.3 deployed to eu-west."),
    ]
    read = read_clean(
        "slack", path, ConnectorOptions(staff_names=("Sam Ortiz",), workspace="chat.ourco.com")
    )
    assert [(r.external_id, r.link_url) for r in read.feedback][:1] == [
        ("ROOM1:r4", "https://chat.ourco.com/channel/shared-support?msg=r4")
    ]


def test_rocketchat_answers_that_keep_their_messages_elsewhere(tmp_path: Path) -> None:
    """chat.syncThreadMessages keeps them under `messages.update`, a script may save the list
    alone; a long first message leaves the writer's keys past the first bytes looked at; the
    company a display name names is the customer's."""
    long = "Theme names stay in English in the Swedish dashboards. " * 90
    update = {"messages": {"update": [_rocket(1, "tove", "Tove | Acme", long.strip())]}}
    read = read_clean("slack", write_json(tmp_path / "a.json", update), OURS)
    assert [(r.external_id, r.mentions[:1]) for r in read.feedback] == [("ROOM1:r1", ("Acme",))]
    alone = [_rocket(2, "tove", "Tove Ahlberg", "Can theme names be shown in Swedish?")]
    read = read_clean("slack", write_json(tmp_path / "b.json", alone), OURS)
    assert [r.text for r in read.feedback] == ["Can theme names be shown in Swedish?"]


def test_a_rocketchat_page_with_messages_it_cannot_read_is_refused_naming_them(
    session: Session, tmp_path: Path
) -> None:
    nameless = _rocket(2, "kenji", "Kenji Nakamura", "Overdue tasks should come first.")
    del nameless["_id"]
    page = _history(_rocket(1, "kenji", "Kenji Nakamura", "The audit photos fail."), nameless)
    page["messages"].append("?")
    failure = refused(
        session, actor(session, "admin"), "slack", write_json(tmp_path / "c.json", page)
    )
    assert sorted(error.reason for error in failure.report.errors) == [
        "c.json: a message has no _id",
        "c.json: a message must be a JSON object",
    ]
