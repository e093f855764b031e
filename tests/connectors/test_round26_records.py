"""What round 26's record exports showed, each on a small input of its own: HubSpot's legacy
Engagements API v1 page; GitHub issues (the gh CLI's JSON and the REST API's) as tickets; a
Salesforce report run through the Analytics REST API."""

import json
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from huddle.connectors.base import ConnectorOptions
from tests.connectors.helpers import came_in, left_out_of, read_clean, refused, run
from tests.factories import actor, create_account

OURS = ConnectorOptions(internal_domains=("zentro.io",), staff_names=("Mira Patel",))


def _write(tmp_path: Path, name: str, value: Any) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(value), encoding="utf-8")
    return path


def _v1(
    kind: str, metadata: dict[str, Any], companies: tuple[int, ...] = (), at: int = 1790000000000
) -> dict[str, Any]:
    return {
        "engagement": {"id": at // 1000, "portalId": 1, "type": kind, "timestamp": at},
        "associations": {"contactIds": [], "companyIds": list(companies), "dealIds": []},
        "attachments": [],
        "metadata": metadata,
    }


V1_PAGE = {
    "results": [
        _v1("NOTE", {"body": "<p>Depot leads can&rsquo;t see late vans.</p>"}, (5550001,)),
        _v1(
            "MEETING",
            {
                "title": "Harbor Freight - monthly sync",
                "body": "<p>They want the board on a TV in the yard.</p>",
                "internalMeetingNotes": "<p>Upsell the TV licence.</p>",
            },
            (5550002,),
            at=1790000100000,
        ),
        _v1(
            "CALL",
            {"title": "Recording", "body": "This call was recorded by Gong. https://gong.io/x"},
            at=1790000200000,
        ),
        _v1(
            "INCOMING_EMAIL",
            {
                "from": {"email": "ana@harbor.example", "firstName": "Ana", "lastName": "Ruiz"},
                "subject": "Rota",
                "text": "We still export the rota by hand.\n\nOn Mon, Mira wrote:\n> old",
            },
            at=1790000300000,
        ),
        _v1(
            "EMAIL",
            {"from": {"email": "mira@zentro.io"}, "text": "Just checking in on the renewal."},
            at=1790000400000,
        ),
    ],
    "hasMore": True,
    "offset": 1790000400,
}


def test_a_hubspot_engagements_v1_page_reads_as_the_notes_export(tmp_path: Path) -> None:
    read = read_clean("hubspot", _write(tmp_path, "engagements.json", V1_PAGE), OURS)
    assert [(f.text, f.account_ref, f.title) for f in read.feedback] == [
        ("Depot leads can\u2019t see late vans.", "5550001", None),
        # The meeting's body as the rep logged it; its internal notes are a private aside.
        ("They want the board on a TV in the yard.", "5550002", "Harbor Freight - monthly sync"),
        # An incoming mail: its sender's words, not the quote (its sender's address finds
        # its account on import).
        ("We still export the rota by hand.", None, "Rota"),
    ]
    assert read.feedback[0].occurred_at is not None
    assert read.feedback[0].occurred_at.isoformat().startswith("2026-09-21")
    assert read.feedback[2].contact_email == "ana@harbor.example"
    # A call on a page that holds mails is still a call: its recorder stub is a bot's.
    assert [reason for reason, _ in left_out_of(read)] == ["bot", "internal"]
    assert [(w.column, "1790000400" in w.reason) for w in read.warnings] == [("paging", True)]


def test_a_hubspot_v1_meeting_names_its_account_in_its_title(
    session: Session, tmp_path: Path
) -> None:
    create_account(session, name="Harbor Freight", domain="harbor.example")
    page = {"results": V1_PAGE["results"][1:2]}
    report = run(session, actor(session, "admin"), "hubspot", _write(tmp_path, "m.json", page))
    assert came_in(session, report) == [
        ("They want the board on a TV in the yard.", "Harbor Freight")
    ]


def _gh(number: int, login: str, body: str, **author: Any) -> dict[str, Any]:
    return {
        "number": number,
        "title": f"Issue {number}",
        "body": body,
        "author": {"login": login, "is_bot": False, "name": "", **author},
        "createdAt": "2026-11-20T08:00:00Z",
        "labels": [{"name": "bug", "color": "d73a4a"}],
        "state": "OPEN",
        "url": f"https://github.com/zentro/sdk/issues/{number}",
    }


def test_gh_issue_list_json_reads_as_tickets(tmp_path: Path) -> None:
    issues = [
        _gh(9, "ana-r", "Retries give up after one 429.", name="Ana Ruiz"),
        _gh(8, "release-helper", "Bumps lib from 1 to 2.", is_bot=True),
        _gh(7, "sync-app[bot]", "Update dependency lib to v3."),
        _gh(6, "mpatel", "Tracking issue for 2.0.", name="Mira Patel"),
    ]
    read = read_clean("tickets", _write(tmp_path, "issues.json", issues), OURS)
    (issue,) = read.feedback
    assert (issue.text, issue.title, issue.account_ref, issue.contact_name) == (
        "Retries give up after one 429.",
        "Issue 9",
        None,
        "Ana Ruiz",
    )
    assert issue.link_url == "https://github.com/zentro/sdk/issues/9"
    assert issue.tags == ["bug", "status:open"]
    assert left_out_of(read) == [
        ("bot", "Bumps lib from 1 to 2."),
        ("bot", "Update dependency lib to v3."),
        ("internal", "Tracking issue for 2.0."),
    ]


def test_the_rest_apis_issues_skip_pull_requests_and_know_the_repos_members(
    tmp_path: Path,
) -> None:
    def rest(number: int, login: str, association: str, **more: Any) -> dict[str, Any]:
        return {
            "id": 1000 + number,
            "number": number,
            "title": f"Issue {number}",
            "body": f"Body {number}: the export times out.",
            "user": {"login": login, "type": "User"},
            "author_association": association,
            "created_at": "2026-11-20T08:00:00Z",
            "html_url": f"https://github.com/zentro/sdk/issues/{number}",
            "url": f"https://api.github.com/repos/zentro/sdk/issues/{number}",
            "labels": [],
            "state": "open",
            **more,
        }

    issues = [
        rest(3, "ana-r", "NONE"),
        rest(2, "ana-r", "NONE", pull_request={"url": "https://api.github.com/x"}),
        rest(1, "lead-dev", "MEMBER"),
    ]
    read = read_clean("tickets", _write(tmp_path, "rest.json", issues), OURS)
    assert [(f.text, f.link_url) for f in read.feedback] == [
        ("Body 3: the export times out.", "https://github.com/zentro/sdk/issues/3")
    ]
    assert read.skipped_rows == 1
    assert left_out_of(read) == [("internal", "Body 1: the export times out.")]


def _report(rows: list[list[tuple[str, Any]]], **more: Any) -> dict[str, Any]:
    columns = ["SUBJECT", "ACCOUNT", "DUE_DATE", "TASK_SUBTYPE", "FULL_DESCRIPTION"]
    labels = ["Subject", "Company / Account", "Date", "Activity Subtype", "Full Comments"]
    types = ["string", "string", "date", "picklist", "textarea"]
    return {
        "attributes": {"reportId": "00O1", "type": "Report"},
        "allData": True,
        "factMap": {
            "T!T": {
                "aggregates": [{"label": str(len(rows)), "value": len(rows)}],
                "rows": [
                    {"dataCells": [{"label": label, "value": value} for label, value in row]}
                    for row in rows
                ],
            }
        },
        "reportMetadata": {"detailColumns": columns, "reportFormat": "TABULAR"},
        "reportExtendedMetadata": {
            "detailColumnInfo": {
                c: {"label": label, "dataType": kind}
                for c, label, kind in zip(columns, labels, types, strict=True)
            }
        },
        **more,
    }


REPORT_ROWS = [
    [
        ("Call - rota", "Call - rota"),
        ("Harbor Freight", "0015e00000HRBR01"),
        ("3/2/2026", "2026-03-02"),
        ("Call", "Call"),
        ("They export the rota by hand.", "They export the rota by hand."),
    ],
    [
        ("Webinar", "Webinar"),
        ("Harbor Freight", "0015e00000HRBR01"),
        ("3/3/2026", "2026-03-03"),
        ("List Email", "List Email"),
        ("Join our webinar next week.", "Join our webinar next week."),
    ],
]


def test_a_salesforce_analytics_report_reads_as_its_csv(tmp_path: Path) -> None:
    read = read_clean("salesforce", _write(tmp_path, "report.json", _report(REPORT_ROWS)), OURS)
    (note,) = read.feedback
    # The account's label (its name), not its value (the id); the date's ISO value, not the
    # label written for people (3/2 is 2 March here, not 3 February).
    assert (note.text, note.account_ref, note.title) == (
        "They export the rota by hand.",
        "Harbor Freight",
        "Call - rota",
    )
    assert note.occurred_at is not None
    assert note.occurred_at.date().isoformat() == "2026-03-02"
    # A List Email, by the report's "Activity Subtype" column, is marketing's mass mail.
    assert left_out_of(read) == [("bot", "Join our webinar next week.")]


def test_a_cut_salesforce_report_warns_and_one_without_details_is_refused(
    session: Session, tmp_path: Path
) -> None:
    cut = _report(REPORT_ROWS[:1], allData=False)
    read = read_clean("salesforce", _write(tmp_path, "cut.json", cut), OURS)
    assert [w.column for w in read.warnings] == ["allData"]
    bare = _report([])
    failure = refused(
        session, actor(session, "admin"), "salesforce", _write(tmp_path, "bare.json", bare)
    )
    assert "includeDetails=true" in str(failure.report.errors)
