from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from huddle.config import SeverityWeights
from huddle.errors import Invalid
from huddle.problems import service
from huddle.problems.schemas import ProblemUpdate
from huddle.problems.severity import AccountFacts, Evidence, compute
from tests.factories import actor, create_account, create_feedback, create_problem, link

TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 12, tzinfo=UTC)


def ev(problem: int, feedback: int, days_ago: float, account: int | None) -> Evidence:
    return Evidence(problem, feedback, NOW - timedelta(days=days_ago), account, None)


def test_figures_count_distinct_accounts_and_arr_once() -> None:
    accounts = {
        1: AccountFacts(100_000_00, "Enterprise", False, None, False),
        2: AccountFacts(20_000_00, "SMB", True, None, False),
        3: AccountFacts(50_000_00, "SMB", False, TODAY + timedelta(days=30), False),
        4: AccountFacts(999_000_00, "SMB", False, None, True),  # churned: no ARR at stake
    }
    evidence = [
        ev(1, 1, 1, 1),
        ev(1, 2, 2, 1),
        ev(1, 3, 40, 2),
        ev(1, 4, 45, 3),
        ev(1, 5, 3, 4),
        ev(1, 6, 5, None),
    ]
    figures = compute({1: None}, evidence, accounts, SeverityWeights(), today=TODAY)[1]
    assert figures.mentions == 6
    assert figures.accounts == 4
    assert figures.arr_minor == 170_000_00
    assert (
        figures.arr_at_risk_minor == 70_000_00
    )  # at-risk account 2 + account 3 renewing in 30 days
    assert figures.segments == ["Enterprise", "SMB"]
    assert (figures.recent, figures.previous) == (4, 2)


def test_the_score_of_a_hand_worked_example() -> None:
    """docs/severity.md, with the default weights, worked out by hand:

    accounts      3   x ln(1 + 4)                          = 4.8283
    mentions      1   x ln(1 + 6)                          = 1.9459
    ARR at stake  2   x log10(1 + 170,000 / 1,000)         = 4.4660
    ARR at risk   2   x log10(1 + 70,000 / 1,000)          = 3.7025
    segments      0.5 x (2 - 1)                            = 0.5000
    trend         1.5 x log2((4 + 1) / (2 + 1))            = 1.1054
                                                     score = 16.55
    """
    accounts = {
        1: AccountFacts(100_000_00, "Enterprise", False, None, False),
        2: AccountFacts(20_000_00, "SMB", True, None, False),
        3: AccountFacts(50_000_00, "SMB", False, TODAY + timedelta(days=30), False),
        4: AccountFacts(999_000_00, "SMB", False, None, True),
    }
    evidence = [
        ev(1, 1, 1, 1),
        ev(1, 2, 2, 1),
        ev(1, 3, 40, 2),
        ev(1, 4, 45, 3),
        ev(1, 5, 3, 4),
        ev(1, 6, 5, None),
    ]
    figures = compute({1: None}, evidence, accounts, SeverityWeights(), today=TODAY)[1]
    points = {r.label: round(r.points, 4) for r in figures.reasons}
    assert points == {
        "accounts": 4.8283,
        "mentions": 1.9459,
        "ARR at stake": 4.4660,
        "ARR at risk or renewing ≤90 days": 3.7025,
        "segments": 0.5,
        "trend (30 days vs 30 before)": 1.1054,
    }
    assert figures.score == 16.55


def test_parent_counts_its_children_evidence_once() -> None:
    accounts = {1: AccountFacts(10_000_00, "SMB", False, None, False)}
    evidence = [ev(2, 1, 1, 1), ev(3, 1, 1, 1), ev(3, 2, 1, 1), ev(1, 3, 1, None)]
    figures = compute({1: None, 2: 1, 3: 1}, evidence, accounts, SeverityWeights(), today=TODAY)
    assert figures[1].mentions == 3
    assert figures[2].mentions == 1
    assert figures[1].score > figures[2].score


def test_weights_change_the_ranking() -> None:
    accounts = {
        1: AccountFacts(900_000_00, "Enterprise", False, None, False),
        2: AccountFacts(1_000_00, "SMB", False, None, False),
    }
    many_mentions = [ev(1, i, 100, 2) for i in range(1, 40)]
    big_account = [ev(2, 100, 100, 1)]
    by_mentions = SeverityWeights(accounts=0, mentions=5, arr=0, arr_at_risk=0, segments=0, trend=0)
    by_money = SeverityWeights(accounts=0, mentions=0, arr=5, arr_at_risk=0, segments=0, trend=0)
    a = compute({1: None, 2: None}, many_mentions + big_account, accounts, by_mentions, today=TODAY)
    b = compute({1: None, 2: None}, many_mentions + big_account, accounts, by_money, today=TODAY)
    assert a[1].score > a[2].score
    assert b[2].score > b[1].score


def test_ranking_through_the_service(database_url: str, session: Session) -> None:
    pm = actor(session, "pm")
    big = create_account(session, arr=500_000_00, segment="Enterprise", at_risk=True)
    small = create_account(session, arr=5_000_00, segment="SMB")
    painful, minor = (
        create_problem(session, title="SSO breaks"),
        create_problem(session, title="Typo"),
    )
    for _ in range(3):
        link(session, create_feedback(session, account=big), painful)
    link(session, create_feedback(session, account=small), minor)
    ranked = service.ranked_problems(session, actor=pm)
    assert [p.title for p in ranked] == ["SSO breaks", "Typo"]
    assert ranked[0].severity.arr_at_risk_minor == 500_000_00
    by_mentions = service.ranked_problems(session, actor=pm, sort="mentions")
    assert by_mentions[0].severity.mentions == 3
    with pytest.raises(Invalid):
        service.ranked_problems(session, actor=pm, sort="colour")


def test_rollup_cycle_is_refused(database_url: str, session: Session) -> None:
    pm = actor(session, "pm")
    cause = create_problem(session)
    symptom = create_problem(session, parent=cause)
    with pytest.raises(Invalid, match="roll up"):
        service.update_problem(
            session, problem_id=cause.id, data=ProblemUpdate(parent_id=symptom.id), actor=pm
        )
    with pytest.raises(Invalid, match="roll up"):
        service.update_problem(
            session, problem_id=cause.id, data=ProblemUpdate(parent_id=cause.id), actor=pm
        )


def test_merge_moves_evidence_and_children(database_url: str, session: Session) -> None:
    pm = actor(session, "pm")
    keep, dup = create_problem(session, title="Keep"), create_problem(session, title="Dup")
    child = create_problem(session, parent=dup)
    shared = create_feedback(session)
    link(session, shared, keep)
    link(session, shared, dup)
    link(session, create_feedback(session), dup)
    service.merge_problems(session, source_id=dup.id, target_id=keep.id, actor=pm)
    session.expire_all()
    detail = service.problem_detail(session, problem_id=keep.id, actor=pm)
    assert detail.severity.mentions == 2
    assert [c.id for c in detail.children] == [child.id]


def test_a_merged_problems_address_leads_to_the_one_that_absorbed_it(
    database_url: str, session: Session
) -> None:
    from tests.factories import create_user
    from tests.helpers import bearer, client, login

    pm = create_user(session, role="pm")
    first, second, third = (create_problem(session, title=t) for t in ("A", "B", "C"))
    as_pm = actor(session, "pm")
    service.merge_problems(session, source_id=first.id, target_id=second.id, actor=as_pm)
    service.merge_problems(session, source_id=second.id, target_id=third.id, actor=as_pm)
    newest = create_problem(session, title="D")
    headers = bearer(session, pm)
    session.commit()
    assert newest.id > third.id  # ids of merged problems are never handed out again
    browser = client(database_url)
    login(browser, pm.email)
    for old in (first.id, second.id):
        page = browser.get(f"/problems/{old}", follow_redirects=False)
        assert (page.status_code, page.headers["location"]) == (301, f"/problems/{third.id}")
        api = browser.get(f"/api/v1/problems/{old}", headers=headers, follow_redirects=False)
        assert api.status_code == 308
        assert api.headers["location"] == f"/api/v1/problems/{third.id}"
    assert browser.get(f"/problems/{third.id + 100}").status_code == 404


def test_link_and_unlink_change_the_inbox(database_url: str, session: Session) -> None:
    from huddle.feedback.schemas import FeedbackFilter
    from huddle.feedback.service import list_feedback

    pm = actor(session, "pm")
    item = create_feedback(session, text="Please add dark mode")
    problem = create_problem(session)
    assert list_feedback(session, where=FeedbackFilter(unlinked=True), actor=pm)[1] == 1
    assert (
        service.link_feedback(
            session, problem_id=problem.id, feedback_ids=[item.id], quote="dark mode", actor=pm
        )
        == 1
    )
    assert (
        service.link_feedback(session, problem_id=problem.id, feedback_ids=[item.id], actor=pm) == 0
    )
    assert list_feedback(session, where=FeedbackFilter(unlinked=True), actor=pm)[1] == 0
    with pytest.raises(Invalid, match="quote"):
        service.link_feedback(
            session,
            problem_id=create_problem(session).id,
            feedback_ids=[item.id],
            quote="light mode",
            actor=pm,
        )
    service.unlink_feedback(session, problem_id=problem.id, feedback_ids=[item.id], actor=pm)
    assert list_feedback(session, where=FeedbackFilter(unlinked=True), actor=pm)[1] == 1
