"""Round 29's review of its new readers, each finding on a small input of its own: an
EspoCRM post whose opening compares its account with a competitor, a Basecamp colleague of
the vendor's people writing from a personal address, a Twenty note a person made through the
API; and what the review found read right (a thanks that goes on to say more, a server's
"not spam" verdict) kept so."""

from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from huddle.connectors.base import ConnectorOptions
from tests.connectors.helpers import came_in, left_out_of, read_clean, run, write_json
from tests.factories import actor, create_account

OURS = ConnectorOptions(internal_domains=("ourco.com",), staff_names=("Dana Lee",))


def _espo_post(note_id: str, post: str, contact: str) -> dict[str, Any]:
    """A post on a contact whose account (by id only) the file names nowhere."""
    return {
        "id": note_id,
        "deleted": False,
        "type": "Post",
        "post": post,
        "data": {},
        "parentType": "Contact",
        "parentId": f"c-{note_id}",
        "parentName": contact,
        "superParentType": "Account",
        "superParentId": "a-77",
        "createdAt": "2026-12-01 10:00:00",
        "createdById": "u-1",
        "createdByName": "Dana Lee",
    }


def test_an_espocrm_opening_comparing_with_a_competitor_names_no_account_of_it(
    tmp_path: Path, session: Session
) -> None:
    """A post's opening names its account as a title would; what it is compared with, or
    moved to, is a competitor, not the account the post is on."""
    create_account(session, name="Globex")
    create_account(session, name="Initech")
    page = {
        "total": 2,
        "list": [
            _espo_post("1", "Globex asked us to compare with Initech. They want SSO first.", "Ana"),
            _espo_post("2", "Moving to Initech next quarter: the export is too slow.", "Bo Chen"),
        ],
    }
    path = write_json(tmp_path / "stream.json", page)
    report = run(
        session, actor(session, "admin"), "salesforce", path, internal_domains=("ourco.com",)
    )
    assert came_in(session, report) == [
        ("Globex asked us to compare with Initech. They want SSO first.", "Globex"),
        ("Moving to Initech next quarter: the export is too slow.", None),
    ]


def _campfire_line(n: int, who: str, email: str, company: dict[str, Any], words: str) -> Any:
    return {
        "id": 500 + n,
        "created_at": f"2026-12-01T10:0{n}:00.000Z",
        "type": "Chat::Lines::Text",
        "content": words,
        "parent": {"id": 9, "title": "Chat", "type": "Chat::Transcript"},
        "bucket": {"id": 7, "name": "Globex rollout", "type": "Project"},
        "creator": {
            "id": 100 + n,
            "name": who,
            "email_address": email,
            "personable_type": "User",
            "client": company["id"] != 1,
            "employee": company["id"] == 1,
            "company": company,
        },
    }


def test_a_basecamp_colleague_of_the_vendors_people_is_the_vendors(tmp_path: Path) -> None:
    """Basecamp names the company each person belongs to: the one the vendor's people (by
    their address) belong to is the vendor's, though its name ("OurCo Inc.") is not the
    domain's and one of them writes from a personal address."""
    ours = {"id": 1, "name": "OurCo Inc."}
    lines = [
        _campfire_line(1, "Pat Kim", "pat@ourco.com", ours, "We ship the export fix next week."),
        _campfire_line(
            2, "Lee Park", "lee.park@gmail.com", ours, "I can walk you through the new dashboards."
        ),
        _campfire_line(
            3,
            "Hector Ruiz",
            "hector@globex.example",
            {"id": 2, "name": "Globex Freight"},
            "Our drivers cannot see the new routes on their phones.",
        ),
    ]
    read = read_clean("slack", write_json(tmp_path / "lines.json", lines), OURS)
    assert [(f.text, f.mentions) for f in read.feedback] == [
        ("Our drivers cannot see the new routes on their phones.", ("Globex Freight",))
    ]
    assert [reason for reason, _ in left_out_of(read)] == ["internal", "internal"]


def _twenty_note(note_id: str, words: str, source: str, maker: str) -> dict[str, Any]:
    return {
        "id": note_id,
        "title": "Call",
        "bodyV2": {"blocknote": None, "markdown": words},
        "createdAt": "2026-12-01T10:00:00.000Z",
        "deletedAt": None,
        "createdBy": {"source": source, "workspaceMemberId": None, "name": maker},
        "noteTargets": [{"companyId": "c1", "company": {"id": "c1", "name": "Acme Robotics"}}],
    }


def test_a_twenty_note_a_person_made_through_the_api_is_the_teams(tmp_path: Path) -> None:
    """Notes come into Twenty through its API when a team moves them from another CRM: an API
    key named for that move writes the team's notes (as an IMPORT's are); one named for an
    integration or a sync, and a workflow, write a bot's."""
    page = {
        "data": {
            "notes": [
                _twenty_note("n1", "They need **SSO** before renewal.", "API", "HubSpot migration"),
                _twenty_note("n2", "New form submission received.", "API", "Zapier Integration"),
                _twenty_note("n3", "Stage changed to Negotiation.", "WORKFLOW", "Workflow"),
                _twenty_note("n4", "Synced 4 fields from billing.", "API", "Nightly sync"),
            ]
        },
        "pageInfo": {"hasNextPage": False},
    }
    read = read_clean("hubspot", write_json(tmp_path / "notes.json", page), OURS)
    assert [(f.text, f.account_ref) for f in read.feedback] == [
        ("They need SSO before renewal.", "Acme Robotics")
    ]
    assert left_out_of(read) == [
        ("bot", "New form submission received."),
        ("bot", "Stage changed to Negotiation."),
        ("bot", "Synced 4 fields from billing."),
    ]


def test_a_thanks_that_says_more_and_a_not_spam_verdict_are_kept(tmp_path: Path) -> None:
    """A JivoChat visitor's "Thanks, but …" is no thanks alone: it stays the customer's words
    (a bare "thanks!" does not); a mail Postmark's SpamAssassin calls `No` is no spam."""
    start = 1796115600
    chat = {
        "event_name": "chat_finished",
        "widget_id": "w1",
        "chat_id": 7,
        "visitor": {"name": "Ana Ruiz", "email": "ana@acme-robotics.example"},
        "agents": [{"id": "5", "name": "Dana Lee", "email": "dana@ourco.com"}],
        "chat": {
            "messages": [
                {"timestamp": start, "type": "visitor", "message": "The CSV export hangs."},
                {"timestamp": start + 60, "type": "agent", "agent_id": "5", "message": "Fixed!"},
                {
                    "timestamp": start + 120,
                    "type": "visitor",
                    "message": "Thanks, but the export is still broken for the EU workspace.",
                },
                {"timestamp": start + 180, "type": "visitor", "message": "thanks!"},
            ]
        },
    }
    read = read_clean("intercom", write_json(tmp_path / "jivo.json", [chat]), OURS)
    assert [f.text for f in read.feedback] == [
        "The CSV export hangs.\n\nThanks, but the export is still broken for the EU workspace."
    ]
    mail = {
        "FromName": "Ana Ruiz",
        "From": "ana@acme-robotics.example",
        "FromFull": {"Email": "ana@acme-robotics.example", "Name": "Ana Ruiz", "MailboxHash": ""},
        "To": "support@ourco.com",
        "ToFull": [{"Email": "support@ourco.com", "Name": "", "MailboxHash": ""}],
        "OriginalRecipient": "support@ourco.com",
        "Subject": "Export",
        "MessageID": "0f1e2d3c",
        "Date": "Tue, 1 Dec 2026 10:00:00 -05:00",
        "TextBody": "The CSV export drops every comment column since Monday.",
        "HtmlBody": "",
        "StrippedTextReply": "",
        "MailboxHash": "",
        "Headers": [
            {"Name": "X-Spam-Status", "Value": "No"},
            {"Name": "X-Spam-Score", "Value": "-0.1"},
            {"Name": "X-Spam-Flag", "Value": "NO"},
            {"Name": "Message-ID", "Value": "<a1@acme-robotics.example>"},
        ],
        "Attachments": [],
    }
    read = read_clean("email", write_json(tmp_path / "inbound.json", mail), OURS)
    assert [f.text for f in read.feedback] == [
        "The CSV export drops every comment column since Monday."
    ]
    spam = {**mail, "Headers": [{"Name": "X-Spam-Status", "Value": "Yes, score=7.1"}]}
    read = read_clean("email", write_json(tmp_path / "inbound.json", spam), OURS)
    assert read.feedback == [] and [r for r, _ in left_out_of(read)] == ["spam"]


def test_help_center_comments_without_their_authors_are_warned_of(tmp_path: Path) -> None:
    """A page of Help Center comments asked for without `include=users` cannot tell an
    agent's reply from a reader's comment: read, and warned of; with its users, no warning."""
    comment = {
        "id": 41,
        "body": "<p>The SSO steps in this article no longer work with Okta.</p>",
        "author_id": 6,
        "source_id": 3,
        "source_type": "Article",
        "created_at": "2026-12-01T10:00:00Z",
    }
    path = write_json(tmp_path / "comments.json", {"comments": [comment], "next_page": None})
    read = read_clean("zendesk", path, OURS)
    assert [f.text for f in read.feedback] == [
        "The SSO steps in this article no longer work with Okta."
    ]
    assert [(w.column, "include=users" in w.reason) for w in read.warnings] == [("users", True)]
    users = [{"id": 6, "name": "Ann Bo", "email": "ann@acme-robotics.example", "role": "end-user"}]
    path = write_json(tmp_path / "comments.json", {"comments": [comment], "users": users})
    assert read_clean("zendesk", path, OURS).warnings == []
