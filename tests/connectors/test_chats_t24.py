"""Chats and tickets as the t24 tuning files showed them: Intercom's API 2.x conversations
saved with their contacts and companies beside them, a Slack Connect channel whose partner's
people are in no users.json, and a Zendesk tickets page with embedded satisfaction ratings,
the suspended-tickets queue and follow-ups. Each rule on a small file of its own, so a change
that breaks one names it."""

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
# 2026-12-03 09:00:00 UTC in Unix seconds.
MORNING = 1796288400

# Intercom -----------------------------------------------------------------------------------


def _author(kind: str, person_id: str, name: str, email: str | None) -> dict[str, Any]:
    return {"type": kind, "id": person_id, "name": name, "email": email}


def _part(part_type: str, body: str | None, author: dict[str, Any], at: int) -> dict[str, Any]:
    return {
        "type": "conversation_part",
        "id": f"p{at}",
        "part_type": part_type,
        "body": body,
        "created_at": MORNING + at,
        "author": author,
    }


def _conversation(
    conversation_id: str, author: dict[str, Any], body: str, *parts: dict[str, Any], **more: Any
) -> dict[str, Any]:
    return {
        "type": "conversation",
        "id": conversation_id,
        "created_at": MORNING,
        "source": {"type": "conversation", "body": body, "author": author},
        "contacts": {"type": "contact.list", "contacts": [{"type": "contact", "id": author["id"]}]},
        "conversation_parts": {"type": "conversation_part.list", "conversation_parts": [*parts]},
        **more,
    }


ROHAN = _author("user", "c-2", "Rohan Mehta", "rohan.mehta@outlook.com")


def test_intercom_contacts_and_companies_saved_beside_the_page_name_the_account(
    tmp_path: Path,
) -> None:
    """A script that saves `GET /conversations` often saves the contacts and their companies
    after the conversations: a customer writing from a personal address (outlook.com) is of
    the company their contact names by id; its website and id are other names of it."""
    page = {
        "type": "conversation.list",
        "conversations": [
            _conversation("1", ROHAN, "<p>Our webhook endpoint lost every event in a deploy.</p>")
        ],
        "contacts": [
            {
                "type": "contact",
                "id": "c-2",
                "role": "user",
                "companies": {"type": "list", "data": [{"type": "company", "id": "co-7"}]},
            }
        ],
        "companies": [
            {
                "type": "company",
                "id": "co-7",
                "company_id": "hooli-007",
                "name": "Hooli Cloud",
                "website": "https://hooli.example",
            }
        ],
    }
    path = tmp_path / "conversations.json"
    path.write_text(json.dumps(page, indent=2))
    (record,) = read_clean("intercom", path, OURS).feedback
    assert record.account_ref == "Hooli Cloud"
    assert record.account_aliases == ("https://hooli.example", "hooli-007")
    assert record.contact_email == "rohan.mehta@outlook.com"


def test_an_intercom_conversations_own_company_names_the_account(tmp_path: Path) -> None:
    """API 2.11 puts the conversation's company on it (`company`): no side list needed."""
    conversation = _conversation(
        "2",
        ROHAN,
        "<p>Approvals time out after a day for our auditors.</p>",
        company={"type": "company", "id": "co-9", "name": "Initech Health"},
    )
    path = tmp_path / "conversations.json"
    path.write_text(json.dumps({"type": "conversation.list", "conversations": [conversation]}))
    (record,) = read_clean("intercom", path, OURS).feedback
    assert record.account_ref == "Initech Health"


def test_an_unknown_company_of_an_intercom_contact_is_listed_unmatched(
    session: Session, tmp_path: Path
) -> None:
    """A company Huddle does not know leaves the item unattached and is listed as such."""
    admin = actor(session, "admin")
    femi = _author("user", "c-7", "Femi Adeyemi", "femi@brackenridge-solar.example")
    page = {
        "type": "conversation.list",
        "conversations": [
            _conversation("3", femi, "<p>We were charged for 25 seats but only 18 log in.</p>")
        ],
        "contacts": [{"id": "c-7", "companies": {"data": [{"id": "co-4"}]}}],
        "companies": [{"id": "co-4", "name": "Brackenridge Solar Ltd"}],
    }
    path = tmp_path / "conversations.json"
    path.write_text(json.dumps(page))
    report = run(session, admin, "intercom", path, internal_domains=("ourco.com",))
    assert report.unmatched_accounts == {"Brackenridge Solar Ltd": 1}


def test_a_button_the_intercom_visitor_pressed_is_not_their_words(tmp_path: Path) -> None:
    """A quick reply ("That helped 👍" under Fin's answer, a topic from Operator's menu) is
    a button, written as the visitor's part: not what they said."""
    fin = _author("bot", "b-1", "Fin", "operator+ourco@intercom.io")
    lead = _author("lead", "c-3", "", "")
    conversation = _conversation(
        "4",
        lead,
        "<p>does the API let me pull approval history per department?</p>",
        _part("comment", "<p>Yes, use the /approvals endpoint.</p>", fin, 5),
        _part("quick_reply", "<p>That helped 👍</p>", lead, 30),
        _part("comment", "<p>we need it for our quarterly audit pack</p>", lead, 40),
    )
    path = tmp_path / "conversations.json"
    path.write_text(json.dumps([conversation]))
    (record,) = read_clean("intercom", path, OURS).feedback
    assert record.text == (
        "does the API let me pull approval history per department?\n\n"
        "we need it for our quarterly audit pack"
    )


# Slack --------------------------------------------------------------------------------------


def _slack_zip(tmp_path: Path, channel: dict[str, Any], messages: list[dict[str, Any]]) -> Path:
    users = [
        {"id": "U01DANA", "team_id": "T01OURCO", "real_name": "Dana Lee",
         "profile": {"real_name": "Dana Lee", "email": "dana@ourco.com"}},
    ]  # fmt: skip
    path = tmp_path / "OurCo Slack export Dec 1 2026 - Dec 6 2026.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("users.json", json.dumps(users))
        archive.writestr("channels.json", json.dumps([channel]))
        archive.writestr(f"{channel['name']}/2026-12-03.json", json.dumps(messages))
    return path


def _partner(user: str, name: str, ts: str, text: str, email: str | None = None) -> dict[str, Any]:
    """A Slack Connect partner's message: the writer in no users.json, known by the profile
    the message carries."""
    profile = {"real_name": name, "team": "T06ACME", **({"email": email} if email else {})}
    return {
        "type": "message",
        "user": user,
        "ts": ts,
        "text": text,
        "user_team": "T06ACME",
        "source_team": "T06ACME",
        "user_profile": profile,
    }


ACME_CHANNEL = {
    "id": "C01EXT",
    "name": "ext-acme-robotics",
    "purpose": {"value": "Slack Connect channel between OurCo and Acme Robotics"},
    "topic": {"value": ""},
}


def test_slack_group_here_and_date_markup_reads_as_people_saw_it(tmp_path: Path) -> None:
    """`<!subteam^…|@handle>` is the group's handle, `<!here>` is @here, a channel link its
    name, a date its fallback, a mailto link its label: never Slack's raw markup."""
    text = (
        "<!subteam^S04SUPPORT|@ourco-support> <!here> the SSO bug from <!date^1796288400^{date}"
        "|Dec 3> is back, see <#C09INC|incidents> or write <mailto:it@acme.example|it@acme.example>"
    )
    path = _slack_zip(
        tmp_path, ACME_CHANNEL, [_partner("U06KENJI", "Kenji W", "1796288400.000100", text)]
    )
    (record,) = read_clean("slack", path, OURS).feedback
    assert record.text == (
        "@ourco-support @here the SSO bug from Dec 3 is back, see #incidents or write "
        "it@acme.example"
    )


def test_a_slack_connect_partner_without_email_is_of_the_company_the_channel_names(
    session: Session, tmp_path: Path
) -> None:
    """A Slack Connect partner's people are in no users.json and give no email: the channel
    they write in names their company (its purpose, topic or name). A mention of one of them
    reads by the name their own messages carry."""
    admin = actor(session, "admin")
    create_account(session, name="Acme Robotics", domain="acme-robotics.example")
    messages = [
        _partner("U06KENJI", "Kenji Watanabe", "1796288400.000100", "The bulk edit keeps timing out at 200."),
        {"type": "message", "user": "U01DANA", "ts": "1796288460.000200",
         "text": "Thanks <@U06KENJI>! Looking into it now."},
    ]  # fmt: skip
    path = _slack_zip(tmp_path, ACME_CHANNEL, messages)
    read = read_clean("slack", path, OURS)
    assert left_out_of(read) == [("internal", "Thanks @Kenji Watanabe! Looking into it now.")]
    run(session, admin, "slack", path, internal_domains=("ourco.com",))
    rows = session.execute(
        select(Feedback.text, Account.name).join(Account, Account.id == Feedback.account_id)
    ).all()
    assert [tuple(row) for row in rows] == [
        ("The bulk edit keeps timing out at 200.", "Acme Robotics")
    ]


def test_an_emailless_stranger_where_customers_give_emails_is_not_the_channels(
    tmp_path: Path,
) -> None:
    """Where the channel's customers give emails (their domain names their company), someone
    who gives none may be of another company (an agency, a contractor): the channel's words
    do not name theirs."""
    messages = [
        _partner(
            "U07JONAH",
            "Jonah W",
            "1796288400.000100",
            "Exports time out at 200 rows.",
            "j@acme.example",
        ),
        _partner(
            "U08ANOUK",
            "Anouk de Vries",
            "1796288460.000200",
            "Same for our agency's dashboards here.",
        ),
    ]
    path = _slack_zip(tmp_path, ACME_CHANNEL, messages)
    records = read_clean("slack", path, OURS).feedback
    assert [(r.contact_name, r.mentions) for r in records] == [
        ("Jonah W", ()),
        ("Anouk de Vries", ()),
    ]


# Zendesk ------------------------------------------------------------------------------------

SITE = "https://ourco.zendesk.com/api/v2"


def _ticket(ticket_id: int, description: str, **more: Any) -> dict[str, Any]:
    return {
        "url": f"{SITE}/tickets/{ticket_id}.json",
        "id": ticket_id,
        "subject": f"Ticket {ticket_id}",
        "description": description,
        "created_at": "2026-12-01T09:00:00Z",
        "updated_at": "2026-12-03T09:00:00Z",
        "requester_id": 7107,
        "submitter_id": 7107,
        "organization_id": 505,
        "via": {"channel": "email", "source": {"rel": None}},
        **more,
    }


_PEOPLE = {
    "users": [
        {"id": 7107, "name": "Helga Jansen", "email": "helga@hooli.example", "role": "end-user"},
        {"id": 9003, "name": "Gainsight Integration", "email": "integrations@ourco.com",
         "role": "agent"},
    ],
    "organizations": [{"id": 505, "name": "Hooli (EMEA)", "domain_names": ["hooli.example"]}],
}  # fmt: skip


def _zendesk(tmp_path: Path, tickets: list[dict[str, Any]], **more: Any) -> Path:
    path = tmp_path / "tickets.json"
    path.write_text(json.dumps({"tickets": tickets, **_PEOPLE, **more}, indent=2))
    return path


def test_a_tickets_embedded_satisfaction_comment_is_an_item_of_its_own(tmp_path: Path) -> None:
    """A closed ticket's satisfaction rating with a comment is the customer's verdict: an
    item of its own on the ticket's requester and organisation, tagged with the score; a
    score without words is nothing."""
    rated = {"id": 361, "score": "bad", "comment": "Splitting the workspace is no workaround."}
    path = _zendesk(
        tmp_path,
        [
            _ticket(5090, "The Terraform provider times out.", satisfaction_rating=rated),
            _ticket(5110, "The report rounds every line.", satisfaction_rating={"score": "good"}),
        ],
    )
    records = read_clean("zendesk", path, OURS).feedback
    assert [(r.external_id, r.text) for r in records] == [
        ("5090", "The Terraform provider times out."),
        ("csat-361", "Splitting the workspace is no workaround."),
        ("5110", "The report rounds every line."),
    ]
    verdict = records[1]
    assert verdict.account_ref == "Hooli (EMEA)" and "csat:bad" in verdict.tags
    assert verdict.contact_email == "helga@hooli.example"
    assert verdict.link_url == "https://ourco.zendesk.com/agent/tickets/5090"


def test_the_suspended_tickets_queue_is_read_by_its_cause(tmp_path: Path) -> None:
    """Suspended tickets saved beside the page: one Zendesk detected as spam is spam, an
    automated response an auto-reply; one held for an unverified sender is a customer's mail;
    one already recovered into a ticket is read with the tickets, not twice."""

    def held(number: int, cause: str, content: str, ticket_id: int | None = None) -> Any:
        return {
            "url": f"{SITE}/suspended_tickets/{number}.json",
            "id": number,
            "author": {"id": None, "name": "Someone", "email": f"s{number}@mail.example"},
            "subject": f"Mail {number}",
            "content": content,
            "cause": cause,
            "ticket_id": ticket_id,
            "created_at": "2026-12-03T03:14:00Z",
        }

    path = _zendesk(
        tmp_path,
        [_ticket(5090, "The Terraform provider times out.")],
        suspended_tickets=[
            held(1, "Detected as spam", "Earn $5,000 weekly, claim your bonus now."),
            held(2, "Automated response mail", "Thank you for your email."),
            held(3, "Unverified email address", "Can the export keep our time zone?"),
            held(4, "Unverified email address", "Already a ticket.", ticket_id=5091),
        ],
    )
    read = read_clean("zendesk", path, OURS)
    assert [(r.external_id, r.text) for r in read.feedback] == [
        ("5090", "The Terraform provider times out."),
        ("suspended-3", "Can the export keep our time zone?"),
    ]
    assert left_out_of(read) == [
        ("spam", "Earn $5,000 weekly, claim your bonus now."),
        ("auto-reply", "Thank you for your email."),
    ]


def test_a_ticket_an_integration_made_through_the_api_is_a_bots(tmp_path: Path) -> None:
    """Gainsight (or a CRM, a monitor) opens tickets through the API as one of the team's
    accounts: no person's words, so a bot's rather than the team's own."""
    path = _zendesk(
        tmp_path,
        [
            _ticket(
                5104,
                "[Gainsight] Health score for Globex Freight dropped from 78 to 41.",
                requester_id=9003,
                submitter_id=9003,
                via={"channel": "api", "source": {}},
            )
        ],
    )
    read = read_clean("zendesk", path, OURS)
    assert [reason for reason, _ in left_out_of(read)] == ["bot"]


def test_zendesks_line_on_top_of_a_follow_up_is_cut(tmp_path: Path) -> None:
    """A follow-up to a closed request opens with Zendesk's line naming it (in the
    requester's language): not their words."""
    via = {"channel": "email", "source": {"rel": "follow_up", "from": {"ticket_id": 5090}}}
    path = _zendesk(
        tmp_path,
        [
            _ticket(
                5107,
                'Ceci est un suivi de votre demande précédente #5090 "Terraform"\n\n'
                "Still happening on provider v3.2.0.",
                via=via,
            ),
            _ticket(
                5108,
                "This is a follow-up to your previous request\n\nPlan still times out.",
                via={"channel": "email", "source": {"rel": "follow_up"}},
            ),
        ],
    )
    records = read_clean("zendesk", path, OURS).feedback
    assert [r.text for r in records] == [
        "Still happening on provider v3.2.0.",
        "Plan still times out.",
    ]
