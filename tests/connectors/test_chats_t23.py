"""Chat exports as the t23 tuning files showed them: Dixa's message export (a flat array of
messages, not of conversations) through `intercom`, and Element's JSON export of a Matrix
room (raw Matrix events, ids that are not emails) through `slack`. Each rule on a small file
of its own, so a change that breaks one names it."""

import json
import zipfile
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from huddle.connectors.base import ConnectorOptions
from huddle.models import Account, Feedback
from tests.connectors.helpers import left_out_of, read_clean, run
from tests.factories import actor, create_account

OURS = ConnectorOptions(internal_domains=("ourco.com",), staff_names=("Dana Lee", "Sam Ortiz"))
# 2026-12-03 09:00:00 UTC in Unix milliseconds, as both tools write their times.
MORNING = 1796288400000

# Dixa ---------------------------------------------------------------------------------------


def _dixa(
    csid: int, direction: str, text: str, at: int, *, author: str = "", **more: Any
) -> dict[str, Any]:
    """A message of Dixa's message export as the API documents it (`csid`, `from`)."""
    return {
        "id": f"m-{csid}-{at}",
        "csid": csid,
        "created_at": MORNING + at * 1000,
        "initial_channel": "widgetchat",
        "author_name": author or ("Ana Pereira" if direction == "inbound" else "Sam Ortiz"),
        "author_email": "ana@globex.example" if direction == "inbound" else "sam@ourco.com",
        "direction": direction,
        "text": text,
        "from": None,
        "to": None,
        "cc": [],
        "bcc": [],
        "attached_files": [],
        "is_automated_message": False,
        "chat_input_question": None,
        "chat_input_answer": None,
        "chat_menu_text": None,
        **more,
    }


def test_dixa_messages_are_gathered_by_their_conversation(tmp_path: Path) -> None:
    """The export is a flat array of messages: those of one conversation (`csid`, or
    `conversation_id` in some saved copies) make one item, the customer's inbound words oldest
    first whatever order the file keeps; the team's outbound reply and Dixa's automated
    greeting are not theirs; the time is the first message's, in Unix milliseconds."""
    messages = [
        _dixa(7, "inbound", "And the PDF export cuts our logo in half.", 60),
        _dixa(7, "outbound", "Thanks for reaching out! An agent will reply soon.", 1)
        | {"is_automated_message": True, "author_name": "OurCo", "author_email": None},
        _dixa(7, "inbound", "Our custom fields vanish from the printed report.", 0),
        _dixa(7, "outbound", "Sorry about that, I'll look into it.", 30),
    ]
    other = _dixa(8, "inbound", "Can approvals be delegated while someone is on leave?", 0)
    del other["csid"]
    other["conversation_id"] = 8
    path = tmp_path / "message_export.json"
    path.write_text(json.dumps([*messages, other]))
    read = read_clean("intercom", path, OURS)
    assert [(r.external_id, r.text) for r in read.feedback] == [
        (
            "7",
            "Our custom fields vanish from the printed report.\n\n"
            "And the PDF export cuts our logo in half.",
        ),
        ("8", "Can approvals be delegated while someone is on leave?"),
    ]
    first = read.feedback[0]
    assert first.contact_email == "ana@globex.example" and first.source == "chat"
    assert first.occurred_at is not None
    assert int(first.occurred_at.timestamp() * 1000) == MORNING
    assert read.left_out == []


def test_a_dixa_email_is_a_ticket_from_its_sender(tmp_path: Path) -> None:
    """An email conversation is a ticket; without `author_email` the customer is the mail's
    `from`; a message without `text` is read from its `html`, the Gmail quote under it cut."""
    html = (
        "<div>The import skips rows with an empty depot code.</div>"
        '<div class="gmail_quote"><div class="gmail_attr">On Mon, 30 Nov 2026 at 10:02, '
        "OurCo Support &lt;support@ourco.com&gt; wrote:<br></div>"
        '<blockquote class="gmail_quote">Could you send us the file?</blockquote></div>'
    )
    message = _dixa(9, "inbound", "", 0, initial_channel="email", html=html)
    message |= {"text": None, "author_email": None, "from": "p.osei@globex.example"}
    path = tmp_path / "message_export.json"
    path.write_text(json.dumps([message]))
    (record,) = read_clean("intercom", path, OURS).feedback
    assert record.text == "The import skips rows with an empty depot code."
    assert record.contact_email == "p.osei@globex.example"
    assert record.source == "ticket"


def test_a_dixa_chat_menu_answer_is_no_words_of_the_visitor(tmp_path: Path) -> None:
    """The option a visitor picked from a chat menu (`chat_input_answer`) is written back as
    their inbound message: not their words. What they typed after it is."""
    menu = {
        "chat_menu_text": "What is it about?",
        "chat_input_question": "What is it about?",
        "chat_input_answer": "Billing question",
    }
    path = tmp_path / "message_export.json"
    path.write_text(
        json.dumps(
            [
                _dixa(11, "inbound", "Billing question", 0, **menu),
                _dixa(11, "inbound", "We were charged twice for the November invoice.", 5),
            ]
        )
    )
    (record,) = read_clean("intercom", path, OURS).feedback
    assert record.text == "We were charged twice for the November invoice."


def test_a_dixa_conversation_only_the_team_or_a_bot_wrote_is_left_out(tmp_path: Path) -> None:
    """An outbound announcement nobody answered is the team's (internal); one only Dixa's
    automation sent is a bot's."""
    path = tmp_path / "message_export.json"
    path.write_text(
        json.dumps(
            [
                _dixa(20, "outbound", "Heads-up: maintenance on Sunday from 02:00 UTC.", 0),
                _dixa(21, "outbound", "Was this answer helpful?", 0, is_automated_message=True),
            ]
        )
    )
    read = read_clean("intercom", path, OURS)
    assert read.feedback == []
    assert left_out_of(read) == [
        ("internal", "Heads-up: maintenance on Sunday from 02:00 UTC."),
        ("bot", "Was this answer helpful?"),
    ]


# Element (Matrix) ---------------------------------------------------------------------------

ROOM = "!room:ourco.com"


def _event(eid: str, sender: str, at: int, kind: str = "m.room.message", **content: Any) -> dict:
    return {
        "type": kind,
        "sender": sender,
        "content": content,
        "origin_server_ts": MORNING + at * 1000,
        "unsigned": {"age": 1000},
        "event_id": f"${eid}",
        "room_id": ROOM,
    }


def _member(sender: str, name: str, at: int = 0) -> dict[str, Any]:
    event = _event(f"join-{name}", sender, at, "m.room.member", membership="join", displayname=name)
    return event | {"state_key": sender}


def _text(eid: str, sender: str, at: int, body: str, **more: Any) -> dict[str, Any]:
    return _event(eid, sender, at, msgtype="m.text", body=body, **more)


def _element(
    tmp_path: Path, events: list[dict[str, Any]], room: str = "OurCo & Hooli Cloud"
) -> Path:
    path = tmp_path / "matrix - room - Chat Export.json"
    path.write_text(
        json.dumps(
            {
                "room_name": room,
                "room_creator": "Dana Lee",
                "topic": "",
                "export_date": "12/4/2026",
                "exported_by": "Dana Lee",
                "messages": events,
            }
        )
    )
    return path


WEN = "@wen:hooli.example"
DANA = "@dana:ourco.com"


def test_element_room_messages_and_who_wrote_them(tmp_path: Path) -> None:
    """Only messages are words (the room's state events and joins are not); the vendor's people
    are known by their homeserver being the vendor's domain or by a workspace user's name (on
    another server), their messages internal; a notice is a bot's; a customer's name is the
    one their membership gives, their account named by the room's name or their server, as
    no email says; a sender whose id names a status page is a bot; the link goes to the
    event."""
    events = [
        _event("create", DANA, 0, "m.room.create", creator=DANA) | {"state_key": ""},
        _member(DANA, "Dana"),
        _member(WEN, "Wen Zhao"),
        _member("@sam_o:matrix.org", "Sam Ortiz"),
        _text("a", WEN, 10, "The retention setting only goes up to two years."),
        _text("b", DANA, 20, "Noted, I've raised it with product."),
        _text("c", "@sam_o:matrix.org", 30, "Seven-year retention is planned for Q1."),
        _event(
            "d", "@alerts:hooli.example", 40, msgtype="m.notice", body="Deploy 4411 finished OK"
        ),
        # A status integration with no membership event: its id names it.
        _text("s", "@ourco-status:ourco.com", 45, "Webhook delays are over, all systems normal."),
        _event("e", WEN, 50, "m.reaction", **{"m.relates_to": {"rel_type": "m.annotation"}}),
    ]
    read = read_clean("slack", _element(tmp_path, events), OURS)
    (record,) = read.feedback
    assert record.text == "The retention setting only goes up to two years."
    assert record.contact_name == "Wen Zhao" and record.contact_email is None
    assert record.mentions == ("OurCo & Hooli Cloud", "hooli.example")
    assert record.link_url == f"https://matrix.to/#/{ROOM}/$a"
    assert record.occurred_at is not None
    assert int(record.occurred_at.timestamp()) == (MORNING + 10_000) // 1000
    assert left_out_of(read) == [
        ("internal", "Noted, I've raised it with product."),
        ("internal", "Seven-year retention is planned for Q1."),
        ("bot", "Deploy 4411 finished OK"),
        ("bot", "Webhook delays are over, all systems normal."),
    ]


def test_an_element_edit_replaces_the_words_it_edits(tmp_path: Path) -> None:
    """An edit is a second event (`m.replace`): the message is read once, with its sender's
    latest words, never the " * " fallback (another sender's edit changes nothing); an edit
    whose message is not in the export stands for it."""
    replace = {"rel_type": "m.replace", "event_id": "$a"}
    events = [
        _text("a", WEN, 10, "Webhooks retry once and we reconcile by hand."),
        _text(
            "b",
            WEN,
            20,
            " * Webhooks retry once and we reconcile them manually in the ledger.",
            **{
                "m.new_content": {
                    "msgtype": "m.text",
                    "body": "Webhooks retry once and we reconcile them manually in the ledger.",
                },
                "m.relates_to": replace,
            },
        ),
        _text(
            "c",
            WEN,
            30,
            " * The approve button hides under the iPad keyboard.",
            **{
                "m.new_content": {
                    "msgtype": "m.text",
                    "body": "The approve button hides under the iPad keyboard.",
                },
                "m.relates_to": {"rel_type": "m.replace", "event_id": "$gone"},
            },
        ),
        _text(
            "c0",
            WEN,
            25,
            " * The approve button hides under the keyboard.",
            **{
                "m.new_content": {
                    "msgtype": "m.text",
                    "body": "The approve button hides under the keyboard.",
                },
                "m.relates_to": {"rel_type": "m.replace", "event_id": "$gone"},
            },
        ),
        # Only its sender may edit a message: another's "edit" is not its words.
        _text(
            "d",
            DANA,
            40,
            " * Something else entirely was said here.",
            **{
                "m.new_content": {"msgtype": "m.text", "body": "Something else entirely."},
                "m.relates_to": replace,
            },
        ),
    ]
    read = read_clean("slack", _element(tmp_path, events), OURS)
    assert [(r.external_id, r.text) for r in read.feedback] == [
        (f"{ROOM}:$a", "Webhooks retry once and we reconcile them manually in the ledger."),
        (f"{ROOM}:$gone", "The approve button hides under the iPad keyboard."),
    ]


def test_an_element_reply_redaction_and_media(tmp_path: Path) -> None:
    """A reply's body repeats the message it answers (`> <@user> …`): cut. A redacted
    message (emptied, `redacted_because`, or named by a redaction) says nothing, nor an image
    whose body is its file's name; an image's caption (a body beside its `filename`) is words; Markdown emphasis goes,
    the words stay."""
    reply = {"m.relates_to": {"m.in_reply_to": {"event_id": "$a"}}}
    events = [
        _text("a", DANA, 0, "Which browser are you on?"),
        _text(
            "b",
            WEN,
            10,
            "> <@dana:ourco.com> Which browser are you on?\n\nSafari 18, the export **never** starts.",
            **reply,
        ),
        # Emptied as a server sends it; one a client kept whole is still marked redacted.
        _event("c", WEN, 20) | {"unsigned": {"redacted_because": {"type": "m.room.redaction"}}},
        _text("h", WEN, 25, "Our passwords for the staging tenant are in this message.")
        | {"unsigned": {"redacted_because": {"type": "m.room.redaction"}}},
        _event(
            "d",
            WEN,
            30,
            msgtype="m.image",
            body="Screenshot 2026-12-03 at 10.14.22.png",
            url="mxc://hooli.example/x",
        ),
        _text("f", WEN, 50, "Here are the staging admin logins for the whole team."),
        _event("g", WEN, 60, "m.room.redaction", redacts="$f"),
        _event(
            "e",
            WEN,
            40,
            msgtype="m.image",
            body="The totals row overlaps the chart on the dashboard",
            filename="screenshot.png",
            url="mxc://hooli.example/y",
        ),
    ]
    read = read_clean("slack", _element(tmp_path, events), OURS)
    assert [r.text for r in read.feedback] == [
        "Safari 18, the export never starts.",
        "The totals row overlaps the chart on the dashboard",
    ]


def test_thanks_for_the_vendors_message_in_a_reply_or_its_thread_is_skipped(
    tmp_path: Path,
) -> None:
    """A customer's reply to one of the vendor's people's posts (`m.in_reply_to`), or in the
    thread it opened (`m.thread`), that only thanks them is no evidence; one that goes on to
    say what is still wrong is."""
    events = [
        _text("a", DANA, 0, "Update: seven-year retention ships with the Q1 release."),
        _text(
            "b",
            WEN,
            10,
            "> <@dana:ourco.com> Update: seven-year retention ships\n\nThanks Dana, that works for us",
            **{"m.relates_to": {"m.in_reply_to": {"event_id": "$a"}}},
        ),
        _text(
            "c",
            "@alex:matrix.org",
            20,
            "Thanks, looks good on our side",
            **{"m.relates_to": {"rel_type": "m.thread", "event_id": "$a"}},
        ),
        _text(
            "d",
            "@alex:matrix.org",
            30,
            "Thanks, but the export still drops the audit log's first page",
            **{"m.relates_to": {"rel_type": "m.thread", "event_id": "$a"}},
        ),
    ]
    read = read_clean("slack", _element(tmp_path, events), OURS)
    assert [r.text for r in read.feedback] == [
        "Thanks, but the export still drops the audit log's first page"
    ]


def test_an_element_zip_with_its_attachments_is_read(tmp_path: Path) -> None:
    """Element's export with attachments is a zip of the JSON beside the files."""
    source = _element(tmp_path, [_text("a", WEN, 0, "Bulk editing due dates takes an hour.")])
    path = tmp_path / "matrix - room - Chat Export.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.write(source, source.name)
        archive.writestr("images/image.png", b"\x89PNG\r\n")
    (record,) = read_clean("slack", path, OURS).feedback
    assert record.text == "Bulk editing due dates takes an hour."


def test_an_element_room_attaches_its_customers_to_the_account_it_names(
    session: Session, tmp_path: Path
) -> None:
    """Matrix ids are not emails: the customer's account is the one the room's name names;
    a customer whose display name names their company ("Alex Ruiz (Initech)") is theirs."""
    admin = actor(session, "admin")
    create_account(session, name="Hooli Cloud", domain="hooli.example")
    create_account(session, name="Initech Health", domain="initech.example")
    events = [
        _member("@alex:matrix.org", "Alex Ruiz (Initech)"),
        _text("a", "@wen:matrix.org", 10, "Our auditors want seven years of audit log."),
        _text("b", "@alex:matrix.org", 20, "Approvals time out after a day for us."),
    ]
    run(session, admin, "slack", _element(tmp_path, events), internal_domains=("ourco.com",))
    rows = session.execute(
        select(Feedback.text, Account.name)
        .join(Account, Account.id == Feedback.account_id)
        .order_by(Feedback.text)
    ).all()
    assert [tuple(row) for row in rows] == [
        ("Approvals time out after a day for us.", "Initech Health"),
        ("Our auditors want seven years of audit log.", "Hooli Cloud"),
    ]
