"""Canny's API pages saved as JSON and given to `tickets` (t26): `posts/list` and
`comments/list`, recognised by their shape; the team known by Canny's `isAdmin`, their
address or their name; each rule on a small page of its own, so a change that breaks one
names it."""

import json
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from huddle.connectors.base import ConnectorOptions, get_connector
from tests.connectors.helpers import left_out_of, read_clean, refused
from tests.factories import actor

OURS = ConnectorOptions(
    internal_domains=("ourco.com",), staff_names=("Dana Lee", "Tom Becker", "Priya Raman")
)


def _person(pid: str, name: str, email: str, *companies: str, admin: bool = False) -> dict:
    return {
        "id": pid,
        "name": name,
        "email": email,
        "isAdmin": admin,
        "companies": [{"id": f"c-{c}", "name": c} for c in companies],
    }


CUSTOMER = _person("u1", "Ana Ruiz", "ana@globex.example", "Globex Freight")
ADMIN = _person("a1", "Sam Ortiz", "sam@ourco.com", admin=True)


def _post(pid: str, author: dict, title: str, details: str, **more: Any) -> dict:
    return {
        "id": pid,
        "author": author,
        "board": {"id": "b1", "name": "Feature Requests"},
        "by": None,
        "created": "2026-09-08T14:22:10.512Z",
        "details": details,
        "mergeHistory": [],
        "score": 3,
        "status": "open",
        "tags": [],
        "title": title,
        "url": f"https://feedback.ourco.com/p/{pid}",
        **more,
    }


def _comment(cid: str, author: dict, value: str, **more: Any) -> dict:
    return {
        "id": cid,
        "author": author,
        "created": "2026-09-09T09:00:00.000Z",
        "internal": False,
        "parentID": None,
        "post": {"id": "p1", "title": "Export to PDF", "url": "https://feedback.ourco.com/p/p1"},
        "value": value,
        **more,
    }


def _page(tmp_path: Path, key: str, *records: dict) -> Path:
    path = tmp_path / f"canny_{key}.json"
    path.write_text(json.dumps({"hasMore": False, key: list(records)}))
    return path


def test_a_customers_post_with_its_company_id_and_link(tmp_path: Path) -> None:
    """A post is an item on its author's Canny company, with its id, its `url` as the link,
    its status as a tag; a post that is only its title comes in as its title."""
    path = _page(
        tmp_path,
        "posts",
        _post("p1", CUSTOMER, "Export to PDF", "Our execs will not log in to see dashboards."),
        _post("p2", CUSTOMER, "Dark mode for the driver app", ""),
    )
    read = read_clean("tickets", path, OURS)
    got = [(r.text, r.account_ref, r.external_id, r.link_url) for r in read.feedback]
    assert got == [
        (
            "Our execs will not log in to see dashboards.",
            "Globex Freight",
            "p1",
            "https://feedback.ourco.com/p/p1",
        ),
        ("Dark mode for the driver app", "Globex Freight", "p2", "https://feedback.ourco.com/p/p2"),
    ]
    assert "status:open" in read.feedback[0].tags


def test_a_post_an_admin_wrote_for_a_customer_is_staff(tmp_path: Path) -> None:
    """`by` names the admin who posted on the customer's behalf (after a call): their
    summary, not the customer's words."""
    path = _page(
        tmp_path,
        "posts",
        _post(
            "p1", CUSTOMER, "Read-only access", "Ana on our call: she needs read-only.", by=ADMIN
        ),
    )
    read = read_clean("tickets", path, OURS)
    assert read.feedback == []
    assert left_out_of(read) == [("staff", "Ana on our call: she needs read-only.")]


def test_the_teams_own_post_is_internal(tmp_path: Path) -> None:
    """A post whose author is a Canny admin (an announcement) is the team's."""
    admin = _person("a2", "Kim Vo", "kim@example.org", admin=True)
    path = _page(tmp_path, "posts", _post("p1", admin, "Beta is live", "The beta is live now."))
    read = read_clean("tickets", path, OURS)
    assert left_out_of(read) == [("internal", "The beta is live now.")]


def test_a_merged_post_comes_in_on_its_own_unattached(tmp_path: Path) -> None:
    """A post merged into another lives only in its `mergeHistory`, without its author: its
    words come in as an item of their own, with its own id, attached to no account."""
    merged = {"post": {"id": "p9", "title": "PDF", "details": "PDF export please, urgent."}}
    path = _page(
        tmp_path,
        "posts",
        _post("p1", CUSTOMER, "Export to PDF", "We screenshot dashboards.", mergeHistory=[merged]),
    )
    read = read_clean("tickets", path, OURS)
    got = [(r.text, r.account_ref, r.external_id) for r in read.feedback]
    assert got == [
        ("We screenshot dashboards.", "Globex Freight", "p1"),
        ("PDF export please, urgent.", None, "p9"),
    ]


def test_comments_of_customers_and_of_the_team(tmp_path: Path) -> None:
    """A customer's comment is an item (on their Canny company even from a gmail address);
    an admin's public reply and an `internal: true` note are the team's; "+1" and a reply
    that only thanks ("Great news, thanks!") are skipped, not counted as noise."""
    gmail = _person("u2", "Gwen Ade", "gwen@gmail.com", "Acme Robotics")
    path = _page(
        tmp_path,
        "comments",
        _comment("c1", gmail, "The white screen is blinding in the cold store."),
        _comment("c2", ADMIN, "This is now on our roadmap for Q1."),
        _comment("c3", CUSTOMER, "Globex renews in May, bump this.", internal=True),
        _comment("c4", CUSTOMER, "+1"),
        _comment("c5", CUSTOMER, "Great news, thanks!", parentID="c2"),
    )
    read = read_clean("tickets", path, OURS)
    got = [(r.text, r.account_ref, r.external_id, r.link_url) for r in read.feedback]
    assert got == [
        (
            "The white screen is blinding in the cold store.",
            "Acme Robotics",
            "c1",
            "https://feedback.ourco.com/p/p1",
        )
    ]
    assert left_out_of(read) == [
        ("internal", "This is now on our roadmap for Q1."),
        ("internal", "Globex renews in May, bump this."),
    ]
    assert read.skipped_rows == 2


def test_a_comment_by_the_team_known_by_name_only(tmp_path: Path) -> None:
    """Without `isAdmin` nor an address, a workspace user's name says it is the team."""
    tom = {"id": "a4", "name": "Tom Becker", "isAdmin": False, "companies": []}
    path = _page(tmp_path, "comments", _comment("c1", tom, "We shipped a fix for this today."))
    read = read_clean("tickets", path, OURS)
    assert left_out_of(read) == [("internal", "We shipped a fix for this today.")]


def test_other_json_is_refused_saying_what_tickets_reads(session: Session, tmp_path: Path) -> None:
    """A JSON file that is not a Canny page is refused naming what `tickets` reads: a CSV or
    workbook, and Canny's API pages."""
    path = tmp_path / "notes.json"
    path.write_text(json.dumps({"data": [{"id": 1, "content": "hello"}]}))
    read = get_connector("tickets").read(path, OURS)
    assert read.feedback == [] and len(read.errors) == 1
    assert "CSV" in read.errors[0].reason and "Canny" in read.errors[0].reason
    path.write_text(json.dumps([{"id": 1, "content": "hello"}]))
    failure = refused(session, actor(session, "admin"), "tickets", path)
    assert "Canny's API pages" in str(failure.report.errors[0])


def test_an_author_without_a_canny_company(tmp_path: Path) -> None:
    """Without a Canny company, a company address names the account by its domain; a
    personal one (gmail.com) names none."""
    work = _person("u3", "Lu Chen", "lu@initech.example")
    gmail = _person("u4", "Bo Park", "bo.park@gmail.com")
    path = _page(
        tmp_path,
        "comments",
        _comment("c1", work, "Exports time out on big boards."),
        _comment("c2", gmail, "Exports time out for us as well."),
    )
    read = read_clean("tickets", path, OURS)
    assert [(r.account_ref, r.account_aliases) for r in read.feedback] == [
        ("initech.example", ()),
        (None, ()),
    ]
