"""A launch's go-to-market plan (readiness at a glance, the standard plan once, the
calendar), the workspace's RACI matrix shown on every solution, and the product team's
effort per phase against the intended split."""

import json
from datetime import date, timedelta

import pytest
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from huddle.auth.actor import Actor
from huddle.cli.main import app as cli
from huddle.errors import Invalid, NotPermitted
from huddle.kit.time import utcnow
from huddle.launch import decisions, effort, plans, raci
from tests.factories import create_solution, create_user
from tests.helpers import bearer, client, login


def _pm(session: Session, name: str = "Pat PM") -> Actor:
    return Actor(create_user(session, role="pm", name=name))


def test_readiness_counts_done_late_and_by_team(session: Session) -> None:
    pm = _pm(session)
    owner = create_user(session, role="contributor", team="sales", name="Sam Sales")
    solution = create_solution(session, title="Audit log")
    today = utcnow().date()
    late = plans.add_task(
        session,
        solution_id=solution.id,
        title="Sales deck",
        team="sales",
        owner_id=owner.id,
        due_on=today - timedelta(days=2),
        actor=pm,
    )
    docs = plans.add_task(
        session,
        solution_id=solution.id,
        title="Help article",
        team="support",
        due_on=today,
        actor=pm,
    )
    plans.add_task(session, solution_id=solution.id, title="Blog post", team="marketing", actor=pm)
    plans.update_task(session, task_id=docs.id, done=True, actor=pm)
    found = plans.plan(session, solution_id=solution.id, actor=pm)
    r = found.readiness
    assert (r.done, r.total, r.late) == (1, 3, 1)
    assert r.by_team == {"marketing": (0, 1), "sales": (0, 1), "support": (1, 1)}
    # Due first, undated last.
    assert [t.title for t in found.tasks] == ["Sales deck", "Help article", "Blog post"]
    assert found.tasks[0].owner is not None and found.tasks[0].owner.name == "Sam Sales"
    plans.update_task(session, task_id=late.id, done=True, actor=pm)
    assert plans.readiness(session, solution_id=solution.id, actor=pm).late == 0


def test_bad_tasks_write_nothing(session: Session) -> None:
    pm = _pm(session)
    solution = create_solution(session)
    with pytest.raises(Invalid, match="team: 'ops' is not a team"):
        plans.add_task(session, solution_id=solution.id, title="x", team="ops", actor=pm)
    with pytest.raises(Invalid, match="title: say what must be done"):
        plans.add_task(session, solution_id=solution.id, title=" ", team="sales", actor=pm)
    with pytest.raises(Invalid, match="owner_id: no active user 987654"):
        plans.add_task(
            session, solution_id=solution.id, title="x", team="sales", owner_id=987654, actor=pm
        )
    assert plans.plan(session, solution_id=solution.id, actor=pm).tasks == []
    viewer = Actor(create_user(session, role="viewer"))
    with pytest.raises(NotPermitted):
        plans.add_task(session, solution_id=solution.id, title="x", team="sales", actor=viewer)


def test_the_standard_plan_is_added_once_due_on_the_launch_day(session: Session) -> None:
    pm = _pm(session)
    solution = create_solution(session)
    plans.set_launch_date(session, solution_id=solution.id, launch_on=date(2027, 1, 20), actor=pm)
    first = plans.add_standard_plan(session, solution_id=solution.id, actor=pm)
    assert sorted(t.team for t in first) == sorted(team for team, _ in plans.STANDARD_PLAN)
    assert {t.due_on for t in first} == {date(2027, 1, 20)}
    assert plans.add_standard_plan(session, solution_id=solution.id, actor=pm) == []


def test_calendar_lists_launches_and_tasks_in_order(session: Session) -> None:
    pm = _pm(session)
    a = create_solution(session, title="Audit log")
    b = create_solution(session, title="Bulk edit")
    plans.set_launch_date(session, solution_id=a.id, launch_on=date(2027, 2, 10), actor=pm)
    plans.set_launch_date(session, solution_id=b.id, launch_on=date(2027, 1, 15), actor=pm)
    plans.add_task(
        session, solution_id=a.id, title="Deck", team="sales", due_on=date(2027, 2, 1), actor=pm
    )
    plans.add_task(
        session,
        solution_id=b.id,
        title="Post",
        team="marketing",
        due_on=date(2027, 1, 15),
        actor=pm,
    )
    found = plans.calendar(session, actor=pm)
    assert [(e.day.isoformat(), e.kind, e.title) for e in found] == [
        ("2027-01-15", "launch", "Bulk edit"),
        ("2027-01-15", "task", "Post"),
        ("2027-02-01", "task", "Deck"),
        ("2027-02-10", "launch", "Audit log"),
    ]
    later = plans.calendar(session, actor=pm, start=date(2027, 2, 1))
    assert [e.title for e in later] == ["Deck", "Audit log"]


def test_a_decision_keeps_the_plan_readiness(session: Session) -> None:
    pm = _pm(session)
    solution = create_solution(session)
    task = plans.add_task(session, solution_id=solution.id, title="Deck", team="sales", actor=pm)
    plans.add_task(session, solution_id=solution.id, title="Docs", team="support", actor=pm)
    plans.update_task(session, task_id=task.id, done=True, actor=pm)
    made = decisions.record_decision(
        session, solution_id=solution.id, outcome="wait", reasons="Docs missing", actor=pm
    )
    assert made.evidence["launch_plan"] == {"done": 1, "total": 2, "late": 0}


def test_raci_defaults_are_editable_and_need_someone_accountable(session: Session) -> None:
    pm = _pm(session)
    found = raci.matrix(session, actor=pm)
    assert list(found) == ["discovery", "implementation", "launch"]
    assert sum(len(rows) for rows in found.values()) == len(raci.DEFAULT_RACI)
    first = found["discovery"][0]
    with pytest.raises(Invalid, match="accountable: someone is accountable"):
        raci.update(session, activity_id=first.id, accountable=" ", actor=pm)
    raci.update(session, activity_id=first.id, responsible="Pat PM", accountable="CPO", actor=pm)
    added = raci.add(
        session, phase="launch", activity="Pricing page", accountable="Finance", actor=pm
    )
    again = raci.matrix(session, actor=pm)
    assert (again["discovery"][0].responsible, again["discovery"][0].accountable) == (
        "Pat PM",
        "CPO",
    )
    assert again["launch"][-1].id == added.id
    with pytest.raises(Invalid, match="phase: 'later' is not a phase"):
        raci.add(session, phase="later", activity="x", actor=pm)
    viewer = Actor(create_user(session, role="viewer"))
    with pytest.raises(NotPermitted):
        raci.update(session, activity_id=first.id, responsible="me", actor=viewer)


def test_effort_shares_per_person_and_against_the_intended_split(session: Session) -> None:
    ana = _pm(session, "Ana")
    bo = _pm(session, "Bo")
    admin = Actor(create_user(session, role="admin"))
    # Ana: 6 discovery, 2 implementation, 2 launch = 60/20/20; Bo: 2 + 4 + 4 = 20/40/40.
    for actor, phase, days in [
        (ana, "discovery", 6),
        (ana, "implementation", 2),
        (ana, "launch", 2),
        (bo, "discovery", 2),
        (bo, "implementation", 4),
        (bo, "launch", 4),
    ]:
        effort.log(session, actor=actor, phase=phase, days=days)
    found = effort.summary(session, actor=ana)
    assert [(p.name, p.share("discovery")) for p in found.people] == [("Ana", 0.6), ("Bo", 0.2)]
    # Overall 8/6/6 of 20 days: 40/30/30 against the default 50/25/25.
    assert found.overall.days == {"discovery": 8, "implementation": 6, "launch": 6}
    assert found.gap("discovery") == pytest.approx(-0.10)
    assert found.gap("launch") == pytest.approx(0.05)
    effort.set_intended_split(
        session, split={"discovery": 2, "implementation": 1, "launch": 1}, actor=admin
    )
    assert effort.summary(session, actor=ana).intended == {
        "discovery": 0.5,
        "implementation": 0.25,
        "launch": 0.25,
    }
    with pytest.raises(NotPermitted):
        effort.set_intended_split(
            session, split={"discovery": 1, "implementation": 1, "launch": 1}, actor=ana
        )
    with pytest.raises(Invalid, match="days: more than 0"):
        effort.log(session, actor=ana, phase="discovery", days=0)
    with pytest.raises(Invalid, match="phase: 'planning' is not a phase"):
        effort.log(session, actor=ana, phase="planning", days=1)
    with pytest.raises(NotPermitted):
        effort.log(session, actor=ana, phase="discovery", days=1, user_id=bo.id)
    chart = effort.chart(found)
    rows = chart["data"]["values"]  # type: ignore[index]
    assert {"who": "Intended", "phase": "discovery", "share": 0.5} in rows


def test_api_plan_and_effort(database_url: str, session: Session) -> None:
    pm = create_user(session, role="pm", name="Pat PM")
    solution = create_solution(session)
    headers = bearer(session, pm)
    session.commit()
    api = client(database_url)
    added = api.post(
        f"/api/v1/solutions/{solution.id}/tasks",
        json={"title": "Deck", "team": "sales", "due_on": "2027-01-10"},
        headers=headers,
    )
    assert added.status_code == 201, added.text
    bad = api.post(
        f"/api/v1/solutions/{solution.id}/tasks",
        json={"title": "Deck", "team": "ops"},
        headers=headers,
    )
    assert bad.status_code == 422 and "team" in bad.text
    done = api.patch(f"/api/v1/tasks/{added.json()['id']}", json={"done": True}, headers=headers)
    assert done.json()["done"] is True and done.json()["due_on"] == "2027-01-10"
    cleared = api.patch(
        f"/api/v1/tasks/{added.json()['id']}", json={"due_on": None}, headers=headers
    )
    assert cleared.json()["due_on"] is None and cleared.json()["done"] is True
    plan = api.get(f"/api/v1/solutions/{solution.id}/plan", headers=headers).json()
    assert plan["readiness"] == {"done": 1, "total": 1, "late": 0, "by_team": {"sales": [1, 1]}}
    logged = api.post("/api/v1/effort", json={"phase": "discovery", "days": 2.5}, headers=headers)
    assert logged.status_code == 201
    assert date.fromisoformat(logged.json()["week_of"]).weekday() == 0
    summary = api.get("/api/v1/effort", headers=headers).json()
    assert summary["overall"]["shares"]["discovery"] == 1.0
    assert (
        api.post(
            "/api/v1/effort", json={"phase": "discovery", "days": 9}, headers=headers
        ).status_code
        == 422
    )
    assert (
        api.put(
            "/api/v1/effort/split",
            json={"discovery": 1, "implementation": 1, "launch": 1},
            headers=headers,
        ).status_code
        == 403
    )


def test_pages_show_the_plan_and_the_raci_on_every_solution(
    database_url: str, session: Session
) -> None:
    pm = create_user(session, role="pm")
    solution = create_solution(session, title="Bulk edit")
    session.commit()
    browser = client(database_url)
    csrf = login(browser, pm.email)
    browser.post(f"/solutions/{solution.id}/tasks/standard", data={"csrf_token": csrf})
    page = browser.get(f"/solutions/{solution.id}/launch")
    assert f"<b>0/{len(plans.STANDARD_PLAN)}</b> tasks done" in page.text
    strip = browser.get(f"/solutions/{solution.id}/stage")
    assert "Validate the problem with customers" in strip.text and "launch plan 0/6" in strip.text
    refused = browser.post(
        "/launches/effort",
        data={"csrf_token": csrf, "phase": "discovery", "days": "lots"},
        follow_redirects=False,
    )
    assert "error=days" in refused.headers["location"]
    browser.post("/launches/effort", data={"csrf_token": csrf, "phase": "launch", "days": "2"})
    assert "data-vega" in browser.get("/launches/effort").text


def test_cli_logs_effort_and_summarises(database_url: str, session: Session) -> None:
    pm = create_user(session, role="pm", name="Pat PM")
    session.commit()
    runner = CliRunner()
    base = ["--db", database_url, "--as", pm.email, "effort"]
    logged = runner.invoke(cli, [*base, "log", "--phase", "discovery", "--days", "3"])
    assert logged.exit_code == 0, logged.output
    runner.invoke(cli, [*base, "log", "--phase", "launch", "--days", "1", "--estimated"])
    refused = runner.invoke(cli, [*base, "log", "--phase", "soon", "--days", "1"])
    assert refused.exit_code == 1 and "phase" in refused.output
    summary = runner.invoke(cli, [*base, "summary", "--json"])
    found = json.loads(summary.output)
    assert found["people"][0]["name"] == "Pat PM"
    assert found["overall"]["shares"] == {"discovery": 0.75, "implementation": 0.0, "launch": 0.25}
