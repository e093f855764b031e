"""A solution's stages and gates: moving on past open items needs a reason that is kept;
without one nothing changes; the workspace edits its checklists; page, API and CLI."""

import json

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from huddle.auth.actor import Actor
from huddle.cli.main import app as cli
from huddle.errors import Invalid, NotPermitted
from huddle.launch import stages
from huddle.models import Activity, GateItem
from huddle.models.solution import Solution
from tests.factories import create_solution, create_user
from tests.helpers import bearer, client, login


def _pm(session: Session) -> Actor:
    return Actor(create_user(session, role="pm"))


def _labels(gate: stages.Gate) -> list[tuple[str, bool]]:
    return [(line.item.label, line.done) for line in gate.lines]


def test_defaults_are_written_once_and_removals_stay(session: Session) -> None:
    pm = _pm(session)
    found = stages.gate_items(session, actor=pm)
    assert {s: [i.label for i in items] for s, items in found.items()} == {
        s: list(labels) for s, labels in stages.DEFAULT_GATES.items()
    }
    for item in found["launched"]:
        stages.remove_gate_item(session, item_id=item.id, actor=pm)
    assert stages.gate_items(session, actor=pm)["launched"] == []


def test_moving_past_open_items_needs_a_reason_and_records_it(session: Session) -> None:
    pm = _pm(session)
    solution = create_solution(session, title="SAML SSO")
    gate = stages.view(session, solution_id=solution.id, actor=pm).gate
    assert gate is not None and len(gate.open) == 3
    first = gate.lines[0].item
    stages.set_check(session, solution_id=solution.id, gate_item_id=first.id, done=True, actor=pm)

    before = session.scalars(select(Activity.id)).all()
    with pytest.raises(Invalid) as refused:
        stages.move(session, solution_id=solution.id, to="planning", actor=pm)
    assert refused.value.field == "reason"
    assert "2 gate items are still open" in refused.value.message
    assert "Success metric chosen" in refused.value.message
    session.expire_all()
    assert session.get(Solution, solution.id).stage == "discovery"  # type: ignore[union-attr]
    assert session.scalars(select(Activity.id)).all() == before

    moved = stages.move(
        session, solution_id=solution.id, to="planning", reason="Sales needs it for Q1", actor=pm
    )
    assert moved.open_items == [
        "discovery: Evidence linked to the problems it addresses",
        "discovery: Success metric chosen",
    ]
    view = stages.view(session, solution_id=solution.id, actor=pm)
    assert view.solution.stage == "planning" and view.next_stage == "implementation"
    [kept] = view.history
    assert (kept.before, kept.after, kept.reason, kept.open_items, kept.by) == (
        "discovery",
        "planning",
        "Sales needs it for Q1",
        moved.open_items,
        pm.user.name,
    )
    assert view.gate is not None and view.gate.stage == "planning"


def test_a_closed_gate_needs_no_reason_and_skipping_stages_counts_every_gate(
    session: Session,
) -> None:
    pm = _pm(session)
    solution = create_solution(session)
    for line in stages.gate(session, solution_id=solution.id, stage="discovery", actor=pm).lines:
        stages.set_check(
            session, solution_id=solution.id, gate_item_id=line.item.id, done=True, actor=pm
        )
    assert stages.move(session, solution_id=solution.id, to="planning", actor=pm).open_items == []
    with pytest.raises(Invalid, match="planning: Scope agreed"):
        stages.move(session, solution_id=solution.id, to="ready", actor=pm)
    # Backwards needs nothing; aside needs a reason.
    stages.move(session, solution_id=solution.id, to="discovery", actor=pm)
    with pytest.raises(Invalid, match="say why the solution is parked"):
        stages.move(session, solution_id=solution.id, to="parked", actor=pm)
    stages.move(session, solution_id=solution.id, to="parked", reason="No team", actor=pm)
    assert stages.view(session, solution_id=solution.id, actor=pm).gate is None


def test_bad_stages_and_unticking(session: Session) -> None:
    pm = _pm(session)
    solution = create_solution(session)
    with pytest.raises(Invalid, match="'shipping' is not a stage"):
        stages.move(session, solution_id=solution.id, to="shipping", actor=pm)
    with pytest.raises(Invalid, match="already discovery"):
        stages.move(session, solution_id=solution.id, to="discovery", actor=pm)
    item = stages.gate_items(session, actor=pm)["discovery"][0]
    stages.set_check(session, solution_id=solution.id, gate_item_id=item.id, done=True, actor=pm)
    stages.set_check(session, solution_id=solution.id, gate_item_id=item.id, done=False, actor=pm)
    gate = stages.gate(session, solution_id=solution.id, stage="discovery", actor=pm)
    assert not any(done for _, done in _labels(gate))
    with pytest.raises(Invalid, match="label: say what must be done"):
        stages.add_gate_item(session, stage="ready", label="  ", actor=pm)
    with pytest.raises(Invalid, match="'learning' has no gate"):
        stages.add_gate_item(session, stage="learning", label="x", actor=pm)


def test_viewers_read_but_do_not_move(session: Session) -> None:
    viewer = Actor(create_user(session, role="viewer"))
    solution = create_solution(session)
    assert stages.view(session, solution_id=solution.id, actor=viewer).solution.stage == "discovery"
    with pytest.raises(NotPermitted):
        stages.move(session, solution_id=solution.id, to="planning", reason="x", actor=viewer)


def test_api_moves_and_refuses_naming_the_field(database_url: str, session: Session) -> None:
    pm = create_user(session, role="pm")
    solution = create_solution(session)
    headers = bearer(session, pm)
    session.commit()
    api = client(database_url)
    url = f"/api/v1/solutions/{solution.id}/stage"
    refused = api.post(url, json={"stage": "planning"}, headers=headers)
    assert refused.status_code == 422 and "reason" in refused.text
    assert api.get(url, headers=headers).json()["stage"] == "discovery"
    gate = api.get(url, headers=headers).json()["gate"]
    for line in gate:
        done = api.put(
            f"/api/v1/solutions/{solution.id}/gate/{line['id']}",
            json={"done": True},
            headers=headers,
        )
        assert done.status_code == 200 and done.json()["done"] is True
    moved = api.post(url, json={"stage": "planning"}, headers=headers)
    assert moved.status_code == 200, moved.text
    assert moved.json()["stage"] == "planning" and moved.json()["history"][0]["open_items"] == []
    bad = api.post(url, json={"stage": "done"}, headers=headers)
    assert bad.status_code == 422 and "stage" in bad.text
    added = api.post(
        "/api/v1/gates", json={"stage": "ready", "label": "Pricing approved"}, headers=headers
    )
    assert added.status_code == 201
    labels = [i["label"] for i in api.get("/api/v1/gates", headers=headers).json()["items"]]
    assert "Pricing approved" in labels
    assert api.delete(f"/api/v1/gates/{added.json()['id']}", headers=headers).status_code == 204


def test_page_moves_with_a_reason_and_shows_the_history(
    database_url: str, session: Session
) -> None:
    pm = create_user(session, role="pm")
    solution = create_solution(session, title="Audit log")
    session.commit()
    browser = client(database_url)
    csrf = login(browser, pm.email)
    url = f"/solutions/{solution.id}/stage"
    refused = browser.post(
        url, data={"stage": "planning", "csrf_token": csrf}, follow_redirects=False
    )
    assert "error=reason" in refused.headers["location"]
    done = browser.post(
        url, data={"stage": "planning", "reason": "Board asked", "csrf_token": csrf}
    )
    assert (
        done.status_code == 200 and "Board asked" in done.text and "Moved to planning" in done.text
    )
    assert browser.post(url, data={"stage": "ready", "reason": "x"}).status_code == 403  # no CSRF
    page = browser.get(f"/solutions/{solution.id}")
    assert f'hx-get="/solutions/{solution.id}/stage"' in page.text
    assert 'id="stage">Planning' in browser.get(url).text


def test_cli_shows_moves_and_ticks(database_url: str, session: Session) -> None:
    pm = create_user(session, role="pm")
    solution = create_solution(session)
    session.commit()
    runner = CliRunner()
    base = ["--db", database_url, "--as", pm.email, "stages"]
    refused = runner.invoke(cli, [*base, "move", str(solution.id), "planning"])
    assert refused.exit_code == 1 and "reason" in refused.output
    shown = runner.invoke(cli, [*base, "show", str(solution.id), "--json"])
    assert shown.exit_code == 0, shown.output
    first = json.loads(shown.output)["gate"][0]["id"]
    ticked = runner.invoke(cli, [*base, "check", str(solution.id), str(first)])
    assert ticked.exit_code == 0 and "[x]" in ticked.output
    moved = runner.invoke(
        cli, [*base, "move", str(solution.id), "planning", "--reason", "Agreed", "--json"]
    )
    assert moved.exit_code == 0, moved.output
    assert json.loads(moved.output)["stage"] == "planning"
    items = session.scalars(select(GateItem)).all()
    assert len(items) == sum(len(v) for v in stages.DEFAULT_GATES.values())


def test_what_was_learned_is_written_once_it_has_launched(
    database_url: str, session: Session
) -> None:
    pm = _pm(session)
    solution = create_solution(session, title="Slack approvals")
    session.commit()
    with pytest.raises(Invalid) as early:
        stages.record_learning(session, solution_id=solution.id, text="Too soon", actor=pm)
    assert early.value.field == "learned" and "once it has launched" in early.value.message
    stages.move(session, solution_id=solution.id, to="launched", reason="Shipped", actor=pm)
    session.commit()
    browser = client(database_url)
    token = login(browser, pm.user.email)
    saved = browser.post(
        f"/solutions/{solution.id}/learned",
        data={"csrf_token": token, "learned": "Approval time fell 40%; managers want mobile next."},
        follow_redirects=True,
    )
    assert "What was learned is saved" in saved.text
    assert "Approval time fell 40%" in browser.get(f"/solutions/{solution.id}/launch").text
    api = browser.get(
        f"/api/v1/solutions/{solution.id}/stage", headers={"accept": "application/json"}
    )
    assert api.json()["learned"].startswith("Approval time fell 40%")
    logged = session.scalars(select(Activity).where(Activity.verb == "learned")).all()
    assert len(logged) == 1
    args = ["--db", database_url, "--as", pm.user.email, "stages", "learned", str(solution.id)]
    shown = CliRunner().invoke(cli, [*args, "Also: SSO users", "--json"])
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.output)["learned"] == "Also: SSO users"
    viewer = create_user(session, role="viewer")
    session.commit()
    onlooker = client(database_url)
    refused = onlooker.post(
        f"/solutions/{solution.id}/learned",
        data={"csrf_token": login(onlooker, viewer.email), "learned": "x"},
    )
    assert refused.status_code == 403
