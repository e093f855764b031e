"""Solutions: their evidence figures come from the problems they address and follow that
evidence; they rank by each framework; bad estimates are refused naming the field; only the
product team reads internal notes."""

import csv
import io
import json
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from huddle.db import session_scope
from huddle.ideas import figures, service
from huddle.ideas.importer import IdeasImportFailed, import_ideas
from huddle.ideas.schemas import SolutionCreate, SolutionUpdate
from huddle.jobs.runner import run_until_idle
from huddle.kit.time import utcnow
from huddle.models.solution import Solution
from huddle.problems import figures as problem_figures
from huddle.problems import service as problems
from tests.factories import (
    actor,
    create_account,
    create_feedback,
    create_problem,
    create_user,
    define_custom_framework,
    link,
)
from tests.helpers import bearer, client, login


def test_figures_count_each_account_once_across_its_problems(session: Session) -> None:
    pm = actor(session)
    acme, globex, initech = (
        create_account(session, arr=100_00),
        create_account(session, arr=250_00),
        create_account(session, arr=40_00),
    )
    login, sso, other = create_problem(session), create_problem(session), create_problem(session)
    # Acme asked for both problems, twice for one; Initech only for a problem not addressed.
    link(session, create_feedback(session, account=acme), login)
    shared = create_feedback(session, account=acme)
    link(session, shared, login)
    link(session, shared, sso)
    link(session, create_feedback(session, account=globex), sso)
    link(session, create_feedback(session), sso)  # no account
    link(session, create_feedback(session, account=initech), other)
    solution = service.create_solution(
        session,
        data=SolutionCreate(title="SAML single sign-on", problem_ids=[login.id, sso.id]),
        actor=pm,
    )
    assert (solution.accounts, solution.arr_minor, solution.mentions) == (2, 350_00, 4)
    item = service.ranked_one(session, solution_id=solution.id, actor=pm)
    assert item.values["reach"] == 2 and item.reach_from_problems


def test_a_child_problems_evidence_counts_toward_a_parent_it_addresses(session: Session) -> None:
    pm = actor(session)
    parent = create_problem(session)
    child = create_problem(session, parent=parent)
    link(session, create_feedback(session, account=create_account(session)), child)
    solution = service.create_solution(
        session, data=SolutionCreate(title="Fix it", problem_ids=[parent.id]), actor=pm
    )
    assert (solution.accounts, solution.mentions) == (1, 1)


def test_figures_follow_new_evidence_through_the_job(database_url: str) -> None:
    with session_scope(database_url) as session:
        pm = actor(session)
        problem = create_problem(session)
        link(session, create_feedback(session, account=create_account(session)), problem)
        solution_id = service.create_solution(
            session, data=SolutionCreate(title="Exports", problem_ids=[problem.id]), actor=pm
        ).id
        problem_id = problem.id
    run_until_idle(database_url)
    with session_scope(database_url) as session:
        pm = actor(session)
        item = create_feedback(session, account=create_account(session, arr=900_00))
        problems.link_feedback(session, problem_id=problem_id, feedback_ids=[item.id], actor=pm)
    run_until_idle(database_url)
    with session_scope(database_url) as session:
        solution = session.get(Solution, solution_id)
        assert solution is not None
        assert (solution.accounts, solution.mentions) == (2, 2)
        assert solution.arr_minor == 10_000_00 + 900_00


def test_a_merged_problems_solutions_address_the_problem_that_absorbed_it(
    session: Session,
) -> None:
    pm = actor(session)
    source, target = create_problem(session), create_problem(session)
    both = service.create_solution(
        session, data=SolutionCreate(title="Both", problem_ids=[source.id, target.id]), actor=pm
    )
    one = service.create_solution(
        session, data=SolutionCreate(title="One", problem_ids=[source.id]), actor=pm
    )
    problems.merge_problems(session, source_id=source.id, target_id=target.id, actor=pm)
    by_id = {i.solution.id: i.problem_ids for i in service.ranked(session, actor=pm)}
    assert by_id == {both.id: [target.id], one.id: [target.id]}


def test_ranked_by_each_framework_with_the_unscored_last(session: Session) -> None:
    pm = actor(session)

    def make(title: str, **estimates: float) -> int:
        data = SolutionCreate(title=title, **estimates)
        return service.create_solution(session, data=data, actor=pm).id

    # RICE: 100x2x0.8/4 = 40, 50x3x1/1 = 150; WSJF: (8+5+3)/4 = 4, (1+1+1)/1 = 3.
    slow = make(
        "Slow big",
        reach=100,
        impact=2,
        confidence=0.8,
        effort=4,
        business_value=8,
        time_criticality=5,
        risk_reduction=3,
    )
    quick = make(
        "Quick win",
        reach=50,
        impact=3,
        confidence=1,
        effort=1,
        business_value=1,
        time_criticality=1,
        risk_reduction=1,
    )
    vague = make("Vague")
    rice = service.ranked(session, actor=pm, framework="rice")
    assert [i.solution.id for i in rice] == [quick, slow, vague]
    assert rice[0].scores["rice"].value == pytest.approx(150)
    assert rice[2].scores["rice"].value is None and "effort" in rice[2].scores["rice"].missing
    wsjf = service.ranked(session, actor=pm, framework="wsjf")
    assert [i.solution.id for i in wsjf] == [slow, quick, vague]
    assert wsjf[0].scores["wsjf"].value == pytest.approx(4)


def test_bad_estimates_are_refused_naming_the_field(database_url: str, session: Session) -> None:
    pm = create_user(session, role="pm")
    problem = create_problem(session)
    api, headers = client(database_url), bearer(session, pm)
    refused = api.post("/api/v1/solutions", json={"title": "X", "confidence": 1.5}, headers=headers)
    assert refused.status_code == 422 and "confidence" in refused.text
    refused = api.post("/api/v1/solutions", json={"title": "X", "effort": 0}, headers=headers)
    assert refused.status_code == 422 and "effort" in refused.text
    refused = api.post(
        "/api/v1/solutions",
        json={"title": "X", "problem_ids": [problem.id, 999_999]},
        headers=headers,
    )
    assert refused.status_code == 422 and "999999" in refused.text
    refused = api.post("/api/v1/solutions", json={"title": "X", "impact": "2"}, headers=headers)
    assert refused.status_code == 422
    made = api.post(
        "/api/v1/solutions",
        json={"title": "SSO", "problem_ids": [problem.id], "impact": 2, "confidence": 0.5},
        headers=headers,
    )
    assert made.status_code == 201, made.text
    changed = api.patch(
        f"/api/v1/solutions/{made.json()['id']}", json={"confidence": 2}, headers=headers
    )
    assert changed.status_code == 422 and "confidence" in changed.text


def test_only_the_product_team_reads_internal_notes(database_url: str, session: Session) -> None:
    pm, rep = create_user(session, role="pm"), create_user(session, role="contributor")
    made = service.create_solution(
        session,
        data=SolutionCreate(title="Bulk edit", internal_notes="Margin is thin on this deal"),
        actor=actor(session),
    )
    session.commit()
    api = client(database_url)
    mine = api.get(f"/api/v1/solutions/{made.id}", headers=bearer(session, pm)).json()
    theirs = api.get(f"/api/v1/solutions/{made.id}", headers=bearer(session, rep)).json()
    assert mine["internal_notes"] == "Margin is thin on this deal"
    assert theirs["internal_notes"] is None
    listed = api.get("/api/v1/solutions", headers=bearer(session, rep)).text
    assert "Margin is thin" not in listed
    page = client(database_url)
    login(page, rep.email)
    assert "Margin is thin" not in page.get(f"/solutions/{made.id}").text


def test_the_custom_framework_ranks_and_refuses_unknown_criteria(session: Session) -> None:
    pm = actor(session)
    define_custom_framework(session)
    good = service.create_solution(
        session, data=SolutionCreate(title="Good", criteria={"fit": 5, "cost": 1}), actor=pm
    )
    poor = service.create_solution(
        session, data=SolutionCreate(title="Poor", criteria={"fit": 1, "cost": 5}), actor=pm
    )
    ordered = service.ranked(session, actor=pm, framework="custom")
    assert [i.solution.id for i in ordered] == [good.id, poor.id]
    assert ordered[0].scores["custom"].value == pytest.approx(100)
    assert ordered[1].scores["custom"].value == pytest.approx(0)
    with pytest.raises(Exception, match="unknown criterion 'reach_x'"):
        service.update_solution(
            session, solution_id=good.id, data=SolutionUpdate(criteria={"reach_x": 1}), actor=pm
        )
    with pytest.raises(Exception, match="Strategic fit must be from 1 to 5, not 9"):
        service.update_solution(
            session, solution_id=good.id, data=SolutionUpdate(criteria={"fit": 9}), actor=pm
        )


def test_import_ideas_all_or_nothing(session: Session, tmp_path: Path) -> None:
    pm = actor(session)
    problem = create_problem(session)
    good = tmp_path / "ideas.csv"
    good.write_text(
        "title,description,problem_ids,reach,impact,confidence,effort,value_tags\n"
        f"SAML SSO,Okta and Azure AD,{problem.id},,2,80%,3,pain;privacy\n"
        "Dark mode,,,200,0.5,0.5,1,usability\n"
    )
    report = import_ideas(session, path=good, actor=pm)
    assert report.rows_read == 2 and len(report.created) == 2
    sso = session.get(Solution, report.created[0])
    assert sso is not None and sso.confidence == pytest.approx(0.8)
    assert sso.value_tags == ["pain", "privacy"]
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "title,problem_ids,effort,confidence\n"
        "Fine,,2,0.5\n"
        ",,1,0.5\n"
        "Costs nothing,,0,0.5\n"
        "Unknown problem,424242,1,0.5\n"
        "Words,,two,0.5\n"
    )
    before = session.query(Solution).count()
    with pytest.raises(IdeasImportFailed) as failed:
        import_ideas(session, path=bad, actor=pm)
    where = {(e.line, e.column) for e in failed.value.report.errors}
    assert {(3, "title"), (4, "effort"), (5, "problem_ids"), (6, "effort")} <= where
    assert session.query(Solution).count() == before


def test_import_ideas_onto_the_roadmap(session: Session, tmp_path: Path) -> None:
    pm = actor(session)
    good = tmp_path / "roadmap.csv"
    good.write_text(
        "title,horizon,commitment,quarter,public\n"
        "SAML SSO,Next,committed,2027-q2,yes\n"
        "Dark mode,,,,\n"
    )
    report = import_ideas(session, path=good, actor=pm)
    sso, dark = (session.get(Solution, i) for i in report.created)
    assert sso is not None and dark is not None
    assert (sso.horizon, sso.commitment, sso.quarter, sso.public) == (
        "next",
        "committed",
        "2027-Q2",
        True,
    )
    assert (dark.horizon, dark.commitment, dark.quarter, dark.public) == (
        None,
        "exploring",
        None,
        False,
    )
    bad = tmp_path / "bad-roadmap.csv"
    bad.write_text(
        "title,horizon,commitment,quarter,public\n"
        "A,soon,,,\n"
        "B,now,promised,,\n"
        "C,now,,Q3 2027,\n"
        "D,now,,,maybe\n"
    )
    before = session.query(Solution).count()
    with pytest.raises(IdeasImportFailed) as failed:
        import_ideas(session, path=bad, actor=pm)
    where = {(e.line, e.column) for e in failed.value.report.errors}
    assert where == {(2, "horizon"), (3, "commitment"), (4, "quarter"), (5, "public")}
    assert session.query(Solution).count() == before


def test_cli_import_and_list(database_url: str, tmp_path: Path) -> None:
    from tests.cli.test_cli import run

    run(
        database_url, "init", "--admin-email", "boss@example.com", "--admin-password", "s3cret-pass"
    )
    path = tmp_path / "ideas.jsonl"
    path.write_text(
        json.dumps({"title": "Quick", "reach": 50, "impact": 3, "confidence": 1, "effort": 1})
        + "\n"
        + json.dumps({"title": "Slow", "reach": 100, "impact": 2, "confidence": 0.8, "effort": 4})
        + "\n"
    )
    assert "imported 2 ideas" in run(database_url, "import", "ideas", str(path)).stdout
    listed = json.loads(run(database_url, "ideas", "list", "--json").stdout)
    assert [i["title"] for i in listed] == ["Quick", "Slow"]
    assert listed[0]["score"]["value"] == pytest.approx(150)
    assert listed[0]["score"]["inputs"]["reach"] == 50
    refused = run(database_url, "import", "ideas", str(tmp_path / "missing.csv"), ok=False)
    assert refused.returncode != 0
    wsjf = run(database_url, "ideas", "list", "--framework", "wsjf", "--json").stdout
    assert [i["score"]["framework"] for i in json.loads(wsjf)] == ["wsjf", "wsjf"]


def test_figures_job_refreshes_only_what_moved(session: Session) -> None:
    pm = actor(session)
    problem = create_problem(session)
    service.create_solution(
        session, data=SolutionCreate(title="S", problem_ids=[problem.id]), actor=pm
    )
    session.commit()
    # The new problem's own figures wait for their job: until it ran, the solution is
    # counted again; once both ran, nothing moved and nothing is done.
    problem_figures.refresh(session, today=utcnow().date())
    assert figures.refresh(session) == 1
    assert figures.refresh(session) == 0
    link(session, create_feedback(session, account=create_account(session)), problem)
    session.commit()
    assert figures.refresh(session) == 1


def test_value_balance_by_product_area(database_url: str, session: Session) -> None:
    pm = actor(session)

    def make(area: str, tags: list[str], effort: float | None = None) -> None:
        data = SolutionCreate(
            title=f"{area} {tags}", product_area=area, value_tags=tags, effort=effort
        )
        service.create_solution(session, data=data, actor=pm)

    make("Billing", ["pricing", "revenue"], 2)
    make("Billing", ["pain"], 1)
    make("Billing", ["monetisation"], 3)
    make("Mobile", ["usability", "engagement"], 4)
    make("Mobile", [])
    balance = {b.area: b for b in service.value_balance(service.ranked(session, actor=pm))}
    billing, mobile, overall = balance["Billing"], balance["Mobile"], balance["All solutions"]
    assert (billing.delivers, billing.derives, billing.both) == (1, 2, 0)
    assert (billing.delivers_effort, billing.derives_effort) == (1, 5)
    assert (mobile.both, mobile.untagged, mobile.delivers_effort, mobile.derives_effort) == (
        1,
        1,
        4,
        4,
    )
    assert (overall.delivers, overall.derives, overall.both, overall.untagged) == (1, 2, 1, 1)
    viewer = create_user(session, role="viewer")
    session.commit()
    page = client(database_url)
    login(page, viewer.email)
    html = page.get("/solutions").text
    assert 'id="value-balance"' in html and "derives value from users" in html


def test_value_balance_by_quarter(database_url: str, session: Session) -> None:
    pm = actor(session)
    for quarter, tags in (
        ("2027-Q1", ["pricing"]),
        ("2026-Q4", ["pain"]),
        ("2027-Q1", ["reliability", "revenue"]),
        (None, ["speed"]),
    ):
        data = SolutionCreate(title=f"{quarter} {tags}", quarter=quarter, value_tags=tags)
        service.create_solution(session, data=data, actor=pm)
    found = service.value_balance(service.ranked(session, actor=pm), by="quarter")
    assert [b.area for b in found] == ["2026-Q4", "2027-Q1", "No quarter", "All solutions"]
    q1 = found[1]
    assert (q1.delivers, q1.derives, q1.both) == (0, 1, 1)
    session.commit()
    page = client(database_url)
    login(page, pm.user.email)
    html = page.get("/solutions").text
    table = html.split('id="quarter-balance"', 1)[1].split("</table>", 1)[0]
    assert table.index("2026-Q4") < table.index("2027-Q1") < table.index("No quarter")


def test_the_form_takes_percentages_criteria_and_tags(database_url: str, session: Session) -> None:
    pm = create_user(session, role="pm")
    define_custom_framework(session)
    problem = create_problem(session)
    session.commit()
    page = client(database_url)
    csrf = login(page, pm.email)
    sent = {
        "csrf_token": csrf,
        "title": "Bulk approve",
        "problem_ids": str(problem.id),
        "confidence": "80%",
        "effort": "2",
        "criterion_fit": "4",
        "value_tags": ["usability", "nonsense"],
    }
    answer = page.post("/solutions", data=sent, follow_redirects=False)
    assert answer.status_code == 303 and "/solutions/" in answer.headers["location"]
    made = session.query(Solution).filter_by(title="Bulk approve").one()
    assert made.confidence == pytest.approx(0.8) and made.criteria == {"fit": 4}
    assert made.value_tags == ["usability"]
    refused = page.post(
        "/solutions", data={**sent, "criterion_fit": "many"}, follow_redirects=False
    )
    assert "fit" in refused.headers["location"] and "error=" in refused.headers["location"]


def test_the_ranked_list_exports_to_csv(database_url: str, session: Session) -> None:
    pm = actor(session)
    for title, reach in (("Low", 1), ("High", 50)):
        data = SolutionCreate(
            title=title, reach=reach, impact=1, confidence=1, effort=1, internal_notes="secret"
        )
        service.create_solution(session, data=data, actor=pm)
    viewer = create_user(session, role="viewer")
    session.commit()
    for user, notes in ((pm.user, True), (viewer, False)):
        page = client(database_url)
        login(page, user.email)
        answer = page.get("/solutions/export.csv?framework=rice")
        assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(answer.text)))
        assert [r[2] for r in rows[1:]] == ["High", "Low"]
        assert rows[1][rows[0].index("score_rice")] == "50.0"
        assert ("internal_notes" in rows[0]) is notes and ("secret" in answer.text) is notes
