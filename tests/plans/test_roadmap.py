"""The roadmap for each audience: the board's order and moves, sales approval that holds only
while what it approved is unchanged, and what the sales-safe and public views never show
(an internal note, an unapproved item, a figure, a date nobody shared)."""

import csv
import io
import json

import pytest
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from huddle.auth.actor import Actor
from huddle.cli.main import app as cli
from huddle.errors import Invalid, NotFound, NotPermitted
from huddle.ideas import service as ideas
from huddle.ideas.schemas import SolutionUpdate
from huddle.kit.time import current_quarter, shift_quarter
from huddle.models.enums import TokenScope
from huddle.plans import roadmap
from huddle.plans.roadmap import Audience
from tests.factories import (
    create_account,
    create_feedback,
    create_problem,
    create_solution,
    create_user,
    link,
)
from tests.helpers import bearer, client, login

SECRET_NOTE = "SECRET-NOTE: legal has not signed off"
HIDDEN_TITLE = "UNAPPROVED-ITEM nobody promised"


def _pm(session: Session) -> Actor:
    return Actor(create_user(session, role="pm"))


def _leader(session: Session) -> Actor:
    return Actor(create_user(session, role="contributor", team="sales", approves_for_sales=True))


def _column(session: Session, actor: Actor, horizon: str) -> list[str]:
    found = roadmap.roadmap(session, actor=actor)
    return [item.title for item in found.column(horizon)]


def test_moves_keep_the_order_a_pm_gives(session: Session) -> None:
    pm = _pm(session)
    a, b, c = (create_solution(session, title=t) for t in ("A", "B", "C"))
    for s in (a, b, c):
        roadmap.move(session, solution_id=s.id, horizon="next", actor=pm)
    assert _column(session, pm, "next") == ["A", "B", "C"]
    roadmap.move(session, solution_id=c.id, horizon="next", before_id=a.id, actor=pm)
    assert _column(session, pm, "next") == ["C", "A", "B"]
    roadmap.move(session, solution_id=a.id, horizon="now", actor=pm)
    assert _column(session, pm, "next") == ["C", "B"] and _column(session, pm, "now") == ["A"]
    roadmap.move(session, solution_id=b.id, horizon=None, actor=pm)
    found = roadmap.roadmap(session, actor=pm)
    assert [i.title for i in found.unplanned] == ["B"] and "B" not in _column(session, pm, "next")
    with pytest.raises(Invalid):
        roadmap.move(session, solution_id=a.id, horizon="someday", actor=pm)
    with pytest.raises(NotPermitted):
        roadmap.move(
            session,
            solution_id=a.id,
            horizon="later",
            actor=Actor(create_user(session, role="contributor")),
        )


def _approved(session: Session, *, share_quarter: bool = True) -> tuple[Actor, Actor, int]:
    pm, leader = _pm(session), _leader(session)
    solution = create_solution(session, title="SAML SSO")
    ideas.update_solution(
        session,
        solution_id=solution.id,
        data=SolutionUpdate(horizon="next", commitment="committed", quarter="2027-Q2"),
        actor=pm,
    )
    roadmap.approve_for_sales(
        session, solution_id=solution.id, share_quarter=share_quarter, actor=leader
    )
    return pm, leader, solution.id


def _sales_titles(session: Session, actor: Actor) -> list[str]:
    return [i.title for i in roadmap.roadmap(session, actor=actor, audience=Audience.sales).items]


@pytest.mark.parametrize(
    "change",
    [
        {"title": "SAML SSO and SCIM"},
        {"description": "Now with SCIM"},
        {"product_area": "Security"},
        {"commitment": "planned"},
        {"commitment": "exploring"},
        {"quarter": "2027-Q4"},
        {"quarter": None},
        {"horizon": "later"},
    ],
)
def test_a_change_to_what_sales_shows_sends_it_back_for_approval(
    session: Session, change: dict[str, object]
) -> None:
    pm, leader, solution_id = _approved(session)
    assert _sales_titles(session, leader) == ["SAML SSO"]
    ideas.update_solution(session, solution_id=solution_id, data=SolutionUpdate(**change), actor=pm)
    assert _sales_titles(session, leader) == []
    [waiting] = roadmap.awaiting_approval(session, actor=leader)
    assert waiting.id == solution_id
    item = next(i for i in roadmap.roadmap(session, actor=pm).items if i.id == solution_id)
    assert item.approval == "changed"
    roadmap.approve_for_sales(session, solution_id=solution_id, share_quarter=False, actor=leader)
    assert len(_sales_titles(session, leader)) == 1


@pytest.mark.parametrize(
    "change",
    [
        {"internal_notes": "Two deals blocked"},
        {"impact": 3, "effort": 2},
        {"public": True},
        {"value_tags": ["privacy"]},
    ],
)
def test_what_sales_does_not_see_can_change_without_a_new_approval(
    session: Session, change: dict[str, object]
) -> None:
    pm, leader, solution_id = _approved(session)
    ideas.update_solution(session, solution_id=solution_id, data=SolutionUpdate(**change), actor=pm)
    assert _sales_titles(session, leader) == ["SAML SSO"]


def test_reordering_within_a_column_keeps_the_approval(session: Session) -> None:
    pm, leader, solution_id = _approved(session)
    other = create_solution(session, title="Other")
    roadmap.move(session, solution_id=other.id, horizon="next", before_id=solution_id, actor=pm)
    roadmap.move(session, solution_id=solution_id, horizon="next", before_id=other.id, actor=pm)
    assert _sales_titles(session, leader) == ["SAML SSO"]


def test_sales_sees_the_quarter_only_when_the_approver_shared_it(session: Session) -> None:
    _, leader, solution_id = _approved(session, share_quarter=False)
    [item] = roadmap.roadmap(session, actor=leader, audience=Audience.sales).items
    assert item.quarter is None and item.commitment == "committed"
    roadmap.approve_for_sales(session, solution_id=solution_id, share_quarter=True, actor=leader)
    [item] = roadmap.roadmap(session, actor=leader, audience=Audience.sales).items
    assert item.quarter == "2027-Q2"


def test_only_sales_leadership_approves(session: Session) -> None:
    pm = _pm(session)
    solution = create_solution(session)
    roadmap.move(session, solution_id=solution.id, horizon="now", actor=pm)
    admin = Actor(create_user(session, role="admin"))
    salesperson = Actor(create_user(session, role="contributor", team="sales"))
    for refused in (pm, admin, salesperson):
        with pytest.raises(NotPermitted, match="sales leadership"):
            roadmap.approve_for_sales(
                session, solution_id=solution.id, share_quarter=False, actor=refused
            )
    leader = _leader(session)
    ingest = Actor(leader.user, scope=TokenScope.ingest)
    with pytest.raises(NotPermitted):
        roadmap.approve_for_sales(
            session, solution_id=solution.id, share_quarter=False, actor=ingest
        )
    off = create_solution(session)
    with pytest.raises(Invalid, match="roadmap"):
        roadmap.approve_for_sales(session, solution_id=off.id, share_quarter=False, actor=leader)
    with pytest.raises(Invalid, match="no quarter"):
        roadmap.approve_for_sales(
            session, solution_id=solution.id, share_quarter=True, actor=leader
        )
    roadmap.approve_for_sales(session, solution_id=solution.id, share_quarter=False, actor=leader)
    roadmap.withdraw_sales_approval(session, solution_id=solution.id, actor=leader)
    assert _sales_titles(session, leader) == []


def test_the_public_roadmap_is_closed_until_an_admin_opens_it(session: Session) -> None:
    pm = _pm(session)
    shown, kept = create_solution(session, title="Public one"), create_solution(session)
    for s in (shown, kept):
        roadmap.move(session, solution_id=s.id, horizon="later", actor=pm)
    ideas.update_solution(session, solution_id=shown.id, data=SolutionUpdate(public=True), actor=pm)
    with pytest.raises(NotFound):
        roadmap.roadmap(session, actor=None, audience=Audience.public)
    with pytest.raises(NotPermitted):
        roadmap.set_public(session, enabled=True, actor=pm)
    roadmap.set_public(session, enabled=True, actor=Actor(create_user(session, role="admin")))
    found = roadmap.roadmap(session, actor=None, audience=Audience.public)
    assert [i.title for i in found.items] == ["Public one"]
    with pytest.raises(NotFound):
        roadmap.roadmap(session, actor=None, audience=Audience.internal)


def test_customer_facing_teams_read_the_sales_safe_roadmap_only(session: Session) -> None:
    create_solution(session)
    for team in ("sales", "support", "marketing"):
        reader = Actor(create_user(session, role="contributor", team=team))
        with pytest.raises(NotPermitted, match="sales-safe"):
            roadmap.roadmap(session, actor=reader)
        roadmap.roadmap(session, actor=reader, audience=Audience.sales)
    for team in ("engineering", "finance", "leadership", "product"):
        roadmap.roadmap(session, actor=Actor(create_user(session, role="viewer", team=team)))
    # A PM in the sales team plans, so reads the plan.
    roadmap.roadmap(session, actor=Actor(create_user(session, role="pm", team="sales")))


def test_quarters_of_the_timeline() -> None:
    assert shift_quarter("2026-Q4", 1) == "2027-Q1"
    assert shift_quarter("2027-Q1", -1) == "2026-Q4"
    assert shift_quarter("2026-Q2", 7) == "2028-Q1"
    now = current_quarter()
    found = roadmap.Roadmap(Audience.internal, [])
    assert found.quarters == [shift_quarter(now, i) for i in range(4)]


# -- what each audience may see, through every door ------------------------------------------


def _workspace(session: Session) -> dict[str, object]:
    """An approved item (with its quarter shared), one approved then changed, one never
    approved, one public; accounts with ARR behind them; a PM, a sales leader and an admin
    who opened the public roadmap."""
    pm, leader = _pm(session), _leader(session)
    admin = Actor(create_user(session, role="admin"))
    account = create_account(session, arr=987_654_321_00)
    problem = create_problem(session)
    link(session, create_feedback(session, account=account), problem)
    made = {}
    for key, title, public in (
        ("approved", "Approved item", True),
        ("changed", "Changed item", False),
        ("hidden", HIDDEN_TITLE, False),
        ("public", "Public only item", True),
    ):
        solution = ideas.create_solution(
            session,
            data=ideas.SolutionCreate(
                title=title,
                description=f"{key} description",
                internal_notes=SECRET_NOTE,
                problem_ids=[problem.id],
                impact=2,
                confidence=0.8,
                effort=1,
                horizon="next",
                commitment="planned",
                quarter="2031-Q3",
                public=public,
            ),
            actor=pm,
        )
        made[key] = solution.id
    for key in ("approved", "changed"):
        roadmap.approve_for_sales(
            session, solution_id=made[key], share_quarter=key == "approved", actor=leader
        )
    ideas.update_solution(
        session, solution_id=made["changed"], data=SolutionUpdate(commitment="committed"), actor=pm
    )
    roadmap.set_public(session, enabled=True, actor=admin)
    session.commit()
    return {"pm": pm.user, "leader": leader.user, **made}


LEAKS = (SECRET_NOTE, HIDDEN_TITLE, "Changed item", "9,876", "987", "arr", "ARR", "score")


def test_sales_views_never_show_what_was_not_approved(database_url: str, session: Session) -> None:
    made = _workspace(session)
    api = client(database_url)
    headers = bearer(session, made["leader"])  # type: ignore[arg-type]
    answer = api.get("/api/v1/roadmap/sales", headers=headers)
    assert answer.status_code == 200, answer.text
    [item] = answer.json()["items"]
    assert set(item) == {
        "id",
        "title",
        "description",
        "product_area",
        "horizon",
        "commitment",
        "quarter",
    }
    assert item["title"] == "Approved item" and item["quarter"] == "2031-Q3"
    for leak in LEAKS:
        assert leak not in answer.text, leak
    browser = client(database_url)
    login(browser, made["leader"].email)  # type: ignore[attr-defined]
    for view in ("board", "timeline"):
        page = browser.get(f"/roadmap?audience=sales&view={view}")
        assert page.status_code == 200 and "Approved item" in page.text
        body = page.text.split("<main>", 1)[1]
        for leak in LEAKS:
            assert leak not in body, (view, leak)
    exported = browser.get("/roadmap/export.csv?audience=sales")
    rows = list(csv.reader(io.StringIO(exported.text)))
    assert rows[0] == [
        "id",
        "title",
        "description",
        "product_area",
        "horizon",
        "commitment",
        "quarter",
    ]
    assert [r[1] for r in rows[1:]] == ["Approved item"]
    for leak in LEAKS:
        assert leak not in exported.text, leak
    # A salesperson asking for the internal roadmap is refused, not shown it.
    assert browser.get("/roadmap?audience=internal").status_code == 403
    assert browser.get("/roadmap/export.csv?audience=internal").status_code == 403
    assert api.get("/api/v1/roadmap", headers=headers).status_code == 403


def test_the_public_views_show_only_public_items_without_dates(
    database_url: str, session: Session
) -> None:
    made = _workspace(session)
    anyone = client(database_url)
    answer = anyone.get("/api/v1/public/roadmap", headers={"accept": "application/json"})
    assert answer.status_code == 200, answer.text
    assert sorted(i["title"] for i in answer.json()["items"]) == [
        "Approved item",
        "Public only item",
    ]
    assert all("quarter" not in i for i in answer.json()["items"])
    page = anyone.get("/public/roadmap")
    exported = anyone.get("/public/roadmap.csv")
    for text in (answer.text, page.text, exported.text):
        for leak in (*LEAKS, "2031", "Q3"):
            assert leak not in text, leak
    assert "Public only item" in page.text and "Public only item" in exported.text
    # The public page links nowhere inside the workspace.
    assert "/solutions/" not in page.text and "Sign out" not in page.text
    admin = create_user(session, role="admin")
    session.commit()
    closed = client(database_url)
    closed.put(
        "/api/v1/roadmap/public",
        json={"enabled": False},
        headers=bearer(session, admin) | {"accept": "application/json"},
    )
    assert closed.get("/public/roadmap").status_code == 404
    assert closed.get("/api/v1/public/roadmap").status_code == 404
    assert made


def test_the_internal_roadmap_shows_everything_to_the_product_team(
    database_url: str, session: Session
) -> None:
    made = _workspace(session)
    api = client(database_url)
    answer = api.get("/api/v1/roadmap", headers=bearer(session, made["pm"]))  # type: ignore[arg-type]
    items = {i["title"]: i for i in answer.json()["items"]}
    assert set(items) == {"Approved item", "Changed item", HIDDEN_TITLE, "Public only item"}
    assert items["Approved item"]["sales_approval"] == "approved"
    assert items["Changed item"]["sales_approval"] == "changed"
    assert items[HIDDEN_TITLE]["sales_approval"] == "awaiting"
    assert items[HIDDEN_TITLE]["internal_notes"] == SECRET_NOTE
    assert items[HIDDEN_TITLE]["arr_minor"] == 987_654_321_00
    viewer = create_user(session, role="viewer", team="engineering")
    session.commit()
    seen = api.get("/api/v1/roadmap", headers=bearer(session, viewer)).json()
    assert all(i["internal_notes"] is None for i in seen["items"])


def test_approval_through_the_api_and_the_pages(database_url: str, session: Session) -> None:
    made = _workspace(session)
    api = client(database_url)
    pm_headers = bearer(session, made["pm"])  # type: ignore[arg-type]
    leader_headers = bearer(session, made["leader"])  # type: ignore[arg-type]
    path = f"/api/v1/solutions/{made['hidden']}/sales-approval"
    assert api.post(path, json={}, headers=pm_headers).status_code == 403
    approved = api.post(path, json={"share_quarter": False}, headers=leader_headers)
    assert approved.status_code == 200, approved.text
    assert (
        approved.json()["sales_approval"] == "approved"
        and approved.json()["shared_quarter"] is None
    )
    titles = [
        i["title"] for i in api.get("/api/v1/roadmap/sales", headers=leader_headers).json()["items"]
    ]
    assert HIDDEN_TITLE in titles
    assert api.delete(path, headers=pm_headers).status_code == 403
    assert api.delete(path, headers=leader_headers).status_code == 204
    browser = client(database_url)
    csrf = login(browser, made["leader"].email)  # type: ignore[attr-defined]
    queue = browser.get("/roadmap/approvals")
    assert queue.status_code == 200 and HIDDEN_TITLE in queue.text
    # What changed since the earlier approval is shown beside the item.
    assert "committed" in queue.text.split("Changed item", 1)[1].split("</tr>", 1)[0]
    sent = browser.post(
        f"/solutions/{made['changed']}/sales-approval",
        data={"csrf_token": csrf, "share_quarter": "on"},
        follow_redirects=False,
    )
    assert sent.status_code == 303
    board = browser.get("/roadmap?audience=sales").text
    assert "Changed item" in board and "2031-Q3" in board
    refused = browser.post(
        f"/solutions/{made['changed']}/sales-approval", data={}, follow_redirects=False
    )
    assert refused.status_code == 403  # no CSRF token
    salesperson = create_user(session, role="contributor", team="sales")
    session.commit()
    other = client(database_url)
    other_csrf = login(other, salesperson.email)
    assert other.get("/roadmap/approvals").status_code == 403
    assert (
        other.post(
            f"/solutions/{made['hidden']}/sales-approval", data={"csrf_token": other_csrf}
        ).status_code
        == 403
    )
    assert (
        other.post(
            f"/solutions/{made['approved']}/sales-approval/withdraw",
            data={"csrf_token": other_csrf},
        ).status_code
        == 403
    )


def test_the_board_moves_without_a_script(database_url: str, session: Session) -> None:
    made = _workspace(session)
    browser = client(database_url)
    csrf = login(browser, made["pm"].email)  # type: ignore[attr-defined]
    moved = browser.post(
        "/roadmap/move",
        data={"csrf_token": csrf, "solution_id": str(made["approved"]), "horizon": "now"},
        follow_redirects=False,
    )
    assert moved.status_code == 303 and "Moved" in moved.headers["location"]
    board = browser.get("/roadmap").text
    now = board.split('data-horizon="now"', 1)[1].split('data-horizon="next"', 1)[0]
    assert "Approved item" in now and "changed since sales approval" in now
    refused = browser.post(
        "/roadmap/move",
        data={"csrf_token": csrf, "solution_id": str(made["approved"]), "horizon": "soon"},
        follow_redirects=False,
    )
    assert refused.status_code == 303 and "unknown+column" in refused.headers["location"]
    scripted = browser.post(
        "/roadmap/move",
        data={"csrf_token": csrf, "solution_id": str(made["hidden"]), "horizon": "later"},
        headers={"X-Requested-With": "fetch"},
    )
    assert scripted.status_code == 204


@pytest.mark.parametrize("audience", ["internal", "sales", "public"])
def test_cli_exports_each_audience(database_url: str, session: Session, audience: str) -> None:
    made = _workspace(session)
    runner = CliRunner()
    as_json = runner.invoke(
        cli,
        [
            "--db",
            database_url,
            "--as",
            made["pm"].email,
            "roadmap",
            "export",
            "--audience",
            audience,
            "--format",
            "json",
        ],  # type: ignore[attr-defined]
    )
    assert as_json.exit_code == 0, as_json.output
    titles = sorted(i["title"] for i in json.loads(as_json.output)["items"])
    expected = {
        "internal": sorted(["Approved item", "Changed item", HIDDEN_TITLE, "Public only item"]),
        "sales": ["Approved item"],
        "public": ["Approved item", "Public only item"],
    }
    assert titles == expected[audience]
    as_csv = runner.invoke(
        cli,
        [
            "--db",
            database_url,
            "--as",
            made["pm"].email,
            "roadmap",
            "export",
            "--audience",
            audience,
            "--format",
            "csv",
        ],  # type: ignore[attr-defined]
    )
    assert as_csv.exit_code == 0, as_csv.output
    rows = list(csv.reader(io.StringIO(as_csv.output)))
    assert sorted(r[1] for r in rows[1:]) == expected[audience]
    if audience != "internal":
        for leak in LEAKS:
            assert leak not in as_csv.output and leak not in as_json.output, leak
