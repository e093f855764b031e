"""Tools' exports as the t23 tuning files showed them: Pylon's issues API through `zendesk`
(the same `data` key as Zoho Desk's page, no contact), Trustpilot's Business Units reviews
API (the reviewer in a nested `consumer`), ClickUp's list export (the team's own subtasks)
and monday.com's board export (group title rows, the header repeated per group, a subitems
table under a header of its own, the template item). Each rule on a small file of its own,
so a change that breaks one names it."""

import json
from pathlib import Path
from typing import Any

from huddle.connectors.base import ConnectorOptions
from tests.connectors.helpers import left_out_of, read_clean

OURS = ConnectorOptions(
    internal_domains=("ourco.com",), staff_names=("Dana Lee", "Tom Becker", "Priya Raman")
)


def _pylon_issue(number: int, body: str, requester: str, **more: Any) -> dict[str, Any]:
    return {
        "id": f"6d19c2cb-0000-4000-8000-{number:012d}",
        "number": number,
        "title": f"Issue {number}",
        "link": f"https://app.usepylon.com/support/issues/views/all-issues?issueNumber={number}",
        "body_html": body,
        "state": "new",
        "account": {"id": "0e108913-5aeb-4cd9-a56a-e9713fdfefe6"},
        "assignee": {"id": "2bf5c7d5", "email": "nadia@ourco.com"},
        "requester": {"id": f"req-{number}", "email": requester},
        "tags": ["bug"],
        "created_at": "2026-11-30T10:15:22Z",
        "source": "email",
        "type": "Conversation",
        **more,
    }


def test_pylons_issues_page(tmp_path: Path) -> None:
    """Pylon's `GET /issues` page shares Zoho Desk's `data` key but has no `contact`: the
    words are the HTML `body_html`, the requester's email finds the account (Pylon's account
    is only its own id, unless it carries a name), the link is the issue's page, and an
    issue the team logged by hand (`source: manual`) is their words, `staff`."""
    path = tmp_path / "pylon.json"
    page = {
        "data": [
            _pylon_issue(
                1,
                "<p>The form doesn&#39;t save on <b>Android</b>.</p><p>We retype it daily.</p>",
                "kenji@acme-robotics.example",
                source="slack",
            ),
            _pylon_issue(
                2,
                "<p>Logged after the QBR: they want notice before certificate rotation.</p>",
                "marisol@initech.example",
                source="manual",
                assignee={"id": "7c568415", "email": "dana@ourco.com"},
            ),
            _pylon_issue(
                3,
                "<div>Reports time out on a full year.</div>",
                "ops@globex.example",
                account={"id": "7931db9d", "name": "Globex Freight", "domains": ["globex.example"]},
            ),
        ],
        "pagination": {"cursor": None, "has_next_page": False},
        "request_id": "7421d889",
    }
    path.write_text(json.dumps(page))
    read = read_clean("zendesk", path, OURS)
    got = [(r.text, r.contact_email, r.account_ref, r.link_url) for r in read.feedback]
    assert got == [
        (
            "The form doesn't save on Android.\n\nWe retype it daily.",
            "kenji@acme-robotics.example",
            None,
            "https://app.usepylon.com/support/issues/views/all-issues?issueNumber=1",
        ),
        (
            "Reports time out on a full year.",
            "ops@globex.example",
            "Globex Freight",
            "https://app.usepylon.com/support/issues/views/all-issues?issueNumber=3",
        ),
    ]
    assert "channel:slack" in read.feedback[0].tags
    assert [reason for reason, _ in left_out_of(read)] == ["staff"]


def _trustpilot_review(review_id: str, name: str, stars: int, text: str, **more: Any) -> Any:
    return {
        "links": [{"href": f"https://api.trustpilot.com/v1/reviews/{review_id}", "rel": "reviews"}],
        "id": review_id,
        "consumer": {"id": f"c-{review_id}", "displayName": name, "displayLocation": "GB"},
        "businessUnit": {"id": "5f2a9c1e", "identifyingName": "ourco.com", "displayName": "OurCo"},
        "stars": stars,
        "title": "A title",
        "text": text,
        "language": "en",
        "createdAt": "2026-11-28T09:41:12Z",
        "companyReply": None,
        **more,
    }


def test_trustpilots_business_units_reviews(tmp_path: Path) -> None:
    """Trustpilot's API page (`{links, reviews}`): the reviewer is the nested `consumer`'s
    `displayName`, so a workspace user's own review is internal; the `companyReply` is the
    vendor's answer, not the reviewer's words; the link is the review's page."""
    path = tmp_path / "trustpilot.json"
    reviews = [
        _trustpilot_review(
            "8b0e7153",
            "Marta K.",
            2,
            "PDF exports cut off everything after page two.",
            companyReply={"text": "A fix is rolling out this month.", "createdAt": None},
        ),
        _trustpilot_review("2b0c3a4a", "Tom Becker", 5, "Biased, but the inbox is great."),
    ]
    path.write_text(json.dumps({"links": [], "reviews": reviews}))
    read = read_clean("reviews", path, OURS)
    got = [(r.text, r.contact_name, r.link_url, r.tags) for r in read.feedback]
    assert got == [
        (
            "PDF exports cut off everything after page two.",
            "Marta K.",
            "https://www.trustpilot.com/reviews/8b0e7153",
            ["rating:2"],
        )
    ]
    assert left_out_of(read) == [("internal", "Biased, but the inbox is great.")]


CLICKUP_HEADER = (
    "Task ID,Task Name,Task Content,Status,Date Created,Parent ID,Assignees,Comments,"
    "Account (drop down),Requester Email (email)\n"
)


def test_a_subtask_the_team_split_off_is_not_a_customers_words(tmp_path: Path) -> None:
    """ClickUp's list export: a subtask (its `Parent ID` set) that names no requester, no
    account, is the team's own work on a request and is skipped, not counted as noise; a
    customer's request filed under a parent task (it names the requester) comes in. The
    team's `Comments` are not the task's words."""
    path = tmp_path / "clickup.csv"
    path.write_text(
        CLICKUP_HEADER + "86b2x4k1q,SCIM groups,Our group should follow Okta automatically.,open,"
        "1795443243000,,[Tom Becker],[Priya Raman (11/24/2026): not before Q2.],"
        "Initech Health,it@initech.example\n"
        "86b2x4m7z,Spike,Estimate effort for SCIM group push.,to do,1795536160000,86b2x4k1q,"
        "[Sam Ortiz],[],,\n"
        "86b2x4n8y,Also for Entra,We need the same for Entra ID groups.,open,1795536170000,"
        "86b2x4k1q,[],[],,it@vandelay.example\n"
    )
    read = read_clean("tickets", path, OURS)
    assert [(r.text, r.account_ref) for r in read.feedback] == [
        ("Our group should follow Okta automatically.", "Initech Health"),
        ("We need the same for Entra ID groups.", None),
    ]
    assert read.left_out == [] and read.skipped_rows == 1


# monday.com's "Export board to Excel", as the CSV Huddle reads the workbook as
# (imports/workbook.py): the board's name and description, a group's title row, its header,
# an item with subitems and the subitems' table one column in, the next group.
MONDAY = """Customer Requests
Requests logged by CS. One item per request.
New requests
Name,Subitems,Person,Status,Customer,Customer email,Request details,Date,Item ID (auto generated)
Copy templates,,Tom Becker,Working on it,Acme Robotics,lena@acme-robotics.example,We rebuild every template by hand in the second workspace.,2026-11-30,1723456781
Example item - delete me,,,,,,Use this board to track requests. Duplicate this item to start.,,1698000112
Teams notifications,Check Graph API permissions,Sam Ortiz,Stuck,Globex Freight,p.osei@globex.example,We need approval requests to post into a Teams channel.,2026-12-02,1723456840
,Name,Owner,Status,Date,Item ID (auto generated)
,Check Graph API permissions,Sam Ortiz,Stuck,2026-12-04,1723456855

Shipped
Name,Subitems,Person,Status,Customer,Customer email,Request details,Date,Item ID (auto generated)
Dark mode,,Tom Becker,Done,Hooli Cloud,tomas@hooli.example,The white screen is blinding at 3am.,2026-11-12,1719003321
"""


def test_a_monday_board_export(tmp_path: Path) -> None:
    """A monday.com board: the long-text "Request details" column is the words (so the
    header is found under the board's name and description), "Item ID (auto generated)"
    the id; group title rows and the header repeated per group are skipped; a subitems
    table under its own header, one column in, is the team's tasks and skipped; the
    board's template item ("Example item - delete me") is a test."""
    path = tmp_path / "board.csv"
    path.write_text(MONDAY)
    read = read_clean("tickets", path, OURS)
    got = [(r.external_id, r.title, r.account_ref, r.contact_email) for r in read.feedback]
    assert got == [
        ("1723456781", "Copy templates", "Acme Robotics", "lena@acme-robotics.example"),
        ("1723456840", "Teams notifications", "Globex Freight", "p.osei@globex.example"),
        ("1719003321", "Dark mode", "Hooli Cloud", "tomas@hooli.example"),
    ]
    assert all("Graph API" not in r.text for r in read.feedback)
    assert [reason for reason, _ in left_out_of(read)] == ["test"]
