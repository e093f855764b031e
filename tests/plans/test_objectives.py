"""Objectives and key results: progress whichever way a target lies, every check-in kept in
order, solutions linked to the key results they serve, and only the product team writing."""

import html
import json
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from huddle.errors import Invalid, NotPermitted
from huddle.kit.time import utcnow
from huddle.models.objective import CheckIn, KeyResult, KeyResultSolution
from huddle.plans import service
from huddle.plans.schemas import KeyResultCreate, ObjectiveCreate
from tests.factories import actor, create_solution, create_user
from tests.helpers import bearer, client, login


@pytest.mark.parametrize(
    ("start", "target", "current", "expected"),
    [
        (0, 100, 25, 0.25),
        (20, 60, 50, 0.75),
        # p95 latency brought down from 900 ms to 300 ms: at 600 ms, half way.
        (900, 300, 600, 0.5),
        (900, 300, 450, 0.75),
        (900, 300, 250, 1.0),  # beyond the target: done, not 108%
        (900, 300, 1200, 0.0),  # worse than the start: nothing yet, not -50%
        (0, 100, -10, 0.0),
        (0, 100, 130, 1.0),
        # A target that is the start ("keep churn at 2%"): done while it holds there.
        (2, 2, 2, 1.0),
        (2, 2, 3, 0.0),
        (2, 2, 1, 0.0),
    ],
)
def test_progress(start: float, target: float, current: float, expected: float) -> None:
    assert service.progress(start, target, current) == pytest.approx(expected)


def _objective(session: Session, pm: object, **kr: float) -> tuple[int, int]:
    objective = service.create_objective(
        session, data=ObjectiveCreate(title="Reports people trust", period="2027-Q1"), actor=pm
    )  # type: ignore[arg-type]
    key_result = service.add_key_result(
        session,
        objective_id=objective.id,
        data=KeyResultCreate(title="p95 report load", unit="ms", **kr),
        actor=pm,  # type: ignore[arg-type]
    )
    return objective.id, key_result.id


def test_check_ins_are_kept_in_order_and_the_latest_is_current(
    database_url: str, session: Session
) -> None:
    pm_user = create_user(session, role="pm", name="Pat PM")
    session.commit()
    headers = bearer(session, pm_user)
    api = client(database_url)
    made = api.post(
        "/api/v1/objectives",
        json={"title": "Reports people trust", "period": "2027-Q1"},
        headers=headers,
    )
    assert made.status_code == 201, made.text
    objective_id = made.json()["id"]
    assert made.json()["owner_id"] == pm_user.id and made.json()["status"] == "on_track"
    kr = api.post(
        f"/api/v1/objectives/{objective_id}/key-results",
        json={"title": "p95 report load", "unit": "ms", "start_value": 900, "target_value": 300},
        headers=headers,
    )
    assert kr.status_code == 201, kr.text
    kr_id = kr.json()["id"]
    path = f"/api/v1/objectives/{objective_id}/key-results/{kr_id}/check-ins"
    for value, note in ((820, "cache warmed"), (600, ""), (640, "a slow week")):
        answer = api.post(path, json={"value": value, "note": note}, headers=headers)
        assert answer.status_code == 201, answer.text
    read = api.get(f"/api/v1/objectives/{objective_id}", headers=headers).json()
    [kr_read] = read["key_results"]
    assert [(c["value"], c["note"], c["by_id"]) for c in kr_read["check_ins"]] == [
        (900, "", pm_user.id),  # the start, kept when the key result was set
        (820, "cache warmed", pm_user.id),
        (600, "", pm_user.id),
        (640, "a slow week", pm_user.id),
    ]
    times = [c["at"] for c in kr_read["check_ins"]]
    assert times == sorted(times)
    assert kr_read["current_value"] == 640
    assert kr_read["progress"] == pytest.approx(260 / 600)
    assert read["progress"] == pytest.approx(260 / 600)


def test_check_ins_read_oldest_first_whatever_order_they_were_stored(session: Session) -> None:
    pm = actor(session)
    objective_id, kr_id = _objective(session, pm, start_value=0, target_value=10)
    now = utcnow()
    # Stored out of order (an import of history would): read back by when they were taken.
    session.add_all(
        [
            CheckIn(key_result_id=kr_id, value=7, at=now - timedelta(days=1)),
            CheckIn(key_result_id=kr_id, value=3, at=now - timedelta(days=20)),
            CheckIn(key_result_id=kr_id, value=5, at=now - timedelta(days=10)),
        ]
    )
    session.flush()
    [kr] = service.measured(session, objective_id=objective_id, actor=pm).key_results
    assert [c.value for c in kr.check_ins] == [3, 5, 7, 0]


def test_a_check_in_by_someone_below_pm_is_refused_and_changes_nothing(session: Session) -> None:
    pm = actor(session)
    objective_id, kr_id = _objective(session, pm, start_value=0, target_value=10)
    for role in ("viewer", "contributor"):
        with pytest.raises(NotPermitted):
            service.check_in(
                session,
                objective_id=objective_id,
                key_result_id=kr_id,
                value=9,
                actor=actor(session, role=role),
            )
    assert session.get(KeyResult, kr_id).current_value == 0  # type: ignore[union-attr]
    assert session.scalar(select(func.count(CheckIn.id))) == 1
    # Readers read.
    viewer = actor(session, role="viewer")
    assert service.measured(session, objective_id=objective_id, actor=viewer).progress == 0


def test_a_key_result_of_another_objective_is_not_found_through_this_one(
    database_url: str, session: Session
) -> None:
    pm = actor(session)
    _, kr_id = _objective(session, pm, start_value=0, target_value=10)
    second, _ = _objective(session, pm, start_value=0, target_value=10)
    session.commit()
    answer = client(database_url).post(
        f"/api/v1/objectives/{second}/key-results/{kr_id}/check-ins",
        json={"value": 5},
        headers=bearer(session, pm.user),
    )
    assert answer.status_code == 404
    assert session.get(KeyResult, kr_id).current_value == 0  # type: ignore[union-attr]


def test_a_period_that_is_not_a_quarter_is_refused_naming_it(
    database_url: str, session: Session
) -> None:
    pm_user = create_user(session, role="pm")
    session.commit()
    answer = client(database_url).post(
        "/api/v1/objectives",
        json={"title": "x", "period": "2027-Q5"},
        headers=bearer(session, pm_user),
    )
    assert answer.status_code == 422
    assert "period" in json.dumps(answer.json()["detail"])


def test_an_owner_who_does_not_exist_is_refused_naming_the_field(session: Session) -> None:
    with pytest.raises(Invalid) as refused:
        service.create_objective(
            session,
            data=ObjectiveCreate(title="x", period="2027-Q1", owner_id=10**9),
            actor=actor(session),
        )
    assert refused.value.field == "owner_id"


def test_solutions_serve_several_key_results_and_key_results_several_solutions(
    database_url: str, session: Session
) -> None:
    pm = actor(session)
    objective_id, latency = _objective(session, pm, start_value=900, target_value=300)
    trust = service.add_key_result(
        session,
        objective_id=objective_id,
        data=KeyResultCreate(title="Exports that match", unit="%", start_value=70, target_value=99),
        actor=pm,
    ).id
    reports = create_solution(
        session, title="Reporting overhaul", reach=10, impact=2, confidence=0.5, effort=1
    )
    cache = create_solution(session, title="Report cache")
    for kr, solution in (
        (latency, reports),
        (latency, cache),
        (trust, reports),
        (latency, reports),
    ):
        service.link_solution(
            session, objective_id=objective_id, key_result_id=kr, solution_id=solution.id, actor=pm
        )
    item = service.measured(session, objective_id=objective_id, actor=pm)
    assert [kr.solution_ids for kr in item.key_results] == [[reports.id, cache.id], [reports.id]]
    served = service.serving(session, solution_id=reports.id, actor=pm)
    assert [kr.key_result.title for kr, _ in served] == ["p95 report load", "Exports that match"]

    with pytest.raises(Invalid) as refused:
        service.link_solution(
            session, objective_id=objective_id, key_result_id=trust, solution_id=10**9, actor=pm
        )
    assert refused.value.field == "solution_id"

    service.unlink_solution(
        session, objective_id=objective_id, key_result_id=latency, solution_id=reports.id, actor=pm
    )
    item = service.measured(session, objective_id=objective_id, actor=pm)
    assert [kr.solution_ids for kr in item.key_results] == [[cache.id], [reports.id]]
    session.commit()

    # The objective's page names each key result's solutions with their RICE score; the
    # solution's page lists the key results it serves.
    browser = client(database_url)
    login(browser, pm.user.email)
    page = browser.get(f"/objectives/{objective_id}").text
    trust_card = page[page.index(f'id="kr-{trust}"') :]
    assert "Reporting overhaul" in trust_card and "RICE 10.0" in trust_card
    fragment = browser.get(f"/solutions/{reports.id}/key-results").text
    assert "Exports that match" in fragment and "p95 report load" not in fragment
    assert (
        f'hx-get="/solutions/{reports.id}/key-results"'
        in browser.get(f"/solutions/{reports.id}").text
    )


def test_deleting_an_objective_takes_its_key_results_check_ins_and_links_not_solutions(
    session: Session,
) -> None:
    pm = actor(session)
    objective_id, kr_id = _objective(session, pm, start_value=0, target_value=10)
    solution = create_solution(session)
    service.check_in(session, objective_id=objective_id, key_result_id=kr_id, value=4, actor=pm)
    service.link_solution(
        session, objective_id=objective_id, key_result_id=kr_id, solution_id=solution.id, actor=pm
    )
    service.delete_objective(session, objective_id=objective_id, actor=pm)
    session.expire_all()
    for model in (KeyResult, CheckIn, KeyResultSolution):
        assert session.scalar(select(func.count()).select_from(model)) == 0, model
    assert service.serving(session, solution_id=solution.id, actor=pm) == []
    from huddle.models.solution import Solution

    assert session.get(Solution, solution.id) is not None


def test_the_list_groups_by_quarter_and_each_page_charts_the_check_ins(
    database_url: str, session: Session
) -> None:
    pm = actor(session)
    older = service.create_objective(
        session, data=ObjectiveCreate(title="Win the mid-market", period="2026-Q4"), actor=pm
    )
    objective_id, kr_id = _objective(session, pm, start_value=900, target_value=300)
    service.check_in(session, objective_id=objective_id, key_result_id=kr_id, value=600, actor=pm)
    session.commit()
    browser = client(database_url)
    login(browser, pm.user.email)
    listing = browser.get("/objectives").text
    assert listing.index("2027-Q1") < listing.index("Reports people trust")
    assert listing.index("Reports people trust") < listing.index("2026-Q4")
    assert listing.index("2026-Q4") < listing.index(older.title)
    assert "50%" in listing
    page = browser.get(f"/objectives/{objective_id}").text
    spec = json.loads(html.unescape(re.search(r'data-vega="([^"]*)"', page).group(1)))  # type: ignore[union-attr]
    points = spec["layer"][0]["data"]["values"]
    assert [p["value"] for p in points] == [900, 600]
    assert spec["layer"][1]["data"]["values"] == [{"target": 300}]
    assert "<script>" not in page and "style=" not in page


def test_a_measure_must_be_a_json_number_and_finite(database_url: str, session: Session) -> None:
    pm = actor(session)
    objective_id, kr_id = _objective(session, pm, start_value=0, target_value=10)
    session.commit()
    api, headers = client(database_url), bearer(session, pm.user)
    path = f"/api/v1/objectives/{objective_id}/key-results/{kr_id}/check-ins"
    for body in ('{"value": "6"}', '{"value": true}', '{"value": NaN}', '{"value": 1e300}'):
        answer = api.post(
            path, content=body, headers={**headers, "content-type": "application/json"}
        )
        assert answer.status_code == 422, body
        assert "value" in json.dumps(answer.json()["detail"]), body
    assert session.scalar(select(func.count(CheckIn.id))) == 1


def test_patches_change_only_what_is_sent_and_are_recorded(
    database_url: str, session: Session
) -> None:
    pm = actor(session)
    objective_id, kr_id = _objective(session, pm, start_value=900, target_value=300)
    service.check_in(session, objective_id=objective_id, key_result_id=kr_id, value=600, actor=pm)
    session.commit()
    api, headers = client(database_url), bearer(session, pm.user)
    answer = api.patch(
        f"/api/v1/objectives/{objective_id}", json={"status": "at_risk"}, headers=headers
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert (body["status"], body["period"], body["title"], body["owner_id"]) == (
        "at_risk",
        "2027-Q1",
        "Reports people trust",
        pm.id,
    )
    # A new target: progress follows, the current value and its history stay.
    answer = api.patch(
        f"/api/v1/objectives/{objective_id}/key-results/{kr_id}",
        json={"target_value": 500},
        headers=headers,
    )
    kr = answer.json()
    assert (kr["start_value"], kr["target_value"], kr["current_value"]) == (900, 500, 600)
    assert kr["progress"] == pytest.approx(0.75)
    assert [c["value"] for c in kr["check_ins"]] == [900, 600]
    from huddle.activity import recent_for

    summaries = [a.summary for a in recent_for(session, "objectives", objective_id)]
    assert summaries[:3] == [
        "edited key result “p95 report load”: target_value",
        "edited status",
        "“p95 report load” is at 600 ms",
    ]


def test_cli_lists_objectives_with_their_progress(database_url: str, session: Session) -> None:
    from tests.cli.test_cli import run

    run(
        database_url, "init", "--admin-email", "boss@example.com", "--admin-password", "s3cret-pass"
    )
    pm = actor(session)
    objective_id, kr_id = _objective(session, pm, start_value=900, target_value=300)
    service.check_in(session, objective_id=objective_id, key_result_id=kr_id, value=600, actor=pm)
    session.commit()
    listed = json.loads(run(database_url, "objectives", "list", "--json").stdout)
    assert [(o["title"], o["progress"]) for o in listed] == [("Reports people trust", 0.5)]
    assert [c["value"] for c in listed[0]["key_results"][0]["check_ins"]] == [900, 600]
    text = run(database_url, "objectives", "list").stdout
    assert "2027-Q1   50%  Reports people trust (on_track)" in text
    assert "50%  p95 report load: 600 ms, from 900 to 300" in text
    assert (
        json.loads(run(database_url, "objectives", "list", "--period", "2026-Q4", "--json").stdout)
        == []
    )
