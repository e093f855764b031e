"""Every inbox action can be taken back: a link, a new problem, an accepted suggestion."""

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from huddle.auth.actor import Actor
from huddle.errors import Invalid
from huddle.insights import service as insights
from huddle.insights import undo
from huddle.models import FeedbackLink, Problem, Theme
from huddle.problems import service as problems
from tests.factories import create_feedback, create_problem, create_theme, create_user, link
from tests.helpers import client, login


def test_a_link_from_the_inbox_is_undone_and_only_that(database_url: str, session: Session) -> None:
    pm = create_user(session, role="pm")
    problem = create_problem(session, title="Exports")
    before = create_feedback(session, text="linked before")
    link(session, before, problem)
    a, b = create_feedback(session, text="a"), create_feedback(session, text="b")
    session.commit()
    browser = client(database_url)
    csrf = login(browser, pm.email)
    page = browser.post(
        "/inbox/link",
        data={
            "csrf_token": csrf,
            "ids": [str(a.id), str(b.id), str(before.id)],
            "problem_id": str(problem.id),
        },
    ).text
    assert "Linked 2 items" in page and 'action="/inbox/unlink"' in page
    # The undo names the two new links, not the one that was there before.
    assert f'name="ids" value="{before.id}"' not in page
    undone = browser.post(
        "/inbox/unlink",
        data={"csrf_token": csrf, "ids": [str(a.id), str(b.id)], "problem_id": str(problem.id)},
    ).text
    assert "Back in the inbox: 2 items" in undone
    linked = set(session.scalars(select(FeedbackLink.feedback_id)))
    assert linked == {before.id}


def test_a_new_problem_from_the_inbox_is_undone(database_url: str, session: Session) -> None:
    pm = create_user(session, role="pm")
    item = create_feedback(session, text="bulk edit")
    session.commit()
    browser = client(database_url)
    csrf = login(browser, pm.email)
    page = browser.post(
        "/inbox/new-problem", data={"csrf_token": csrf, "ids": [str(item.id)], "title": "Bulk"}
    ).text
    assert 'action="/inbox/undo-new-problem"' in page
    made = session.scalar(select(Problem.id).where(Problem.title == "Bulk"))
    back = browser.post(
        "/inbox/undo-new-problem", data={"csrf_token": csrf, "problem_id": str(made)}
    ).text
    assert "Back in the inbox: 1 item" in back and "1 item left to triage" in back
    assert session.scalar(select(func.count()).select_from(Problem)) == 0


def test_an_accepted_suggestion_is_taken_back_unless_the_problem_moved_on(
    session: Session,
) -> None:
    pm = Actor(create_user(session, role="pm"))
    theme = create_theme(session, size=3)
    other = create_theme(session, size=3, seed=5)
    session.commit()
    outcome = insights.accept(session, theme_id=theme.id, actor=pm, title="Slow exports")
    session.commit()
    reopened = undo.undo_accept(session, theme_id=theme.id, actor=pm)
    session.commit()
    assert reopened.status == "open" and reopened.problem_id is None
    assert session.get(Problem, outcome.problem_id) is None
    assert session.scalar(select(func.count()).select_from(FeedbackLink)) == 0

    # Once the problem holds other evidence, taking the acceptance back is refused.
    second = insights.accept(session, theme_id=other.id, actor=pm)
    problems.link_feedback(
        session, problem_id=second.problem_id, feedback_ids=[create_feedback(session).id], actor=pm
    )
    session.commit()
    with pytest.raises(Invalid, match="more pieces of evidence"):
        undo.undo_accept(session, theme_id=other.id, actor=pm)
    session.rollback()
    assert session.get(Theme, other.id).status == "accepted"  # type: ignore[union-attr]


def test_a_merge_of_suggestions_is_taken_back_exactly(session: Session) -> None:
    from huddle.models import ThemeMember

    pm = Actor(create_user(session, role="pm"))
    shared = create_feedback(session, text="in both")
    source = create_theme(session, shared, size=3, seed=1)
    target = create_theme(session, shared, size=3, seed=2)
    session.commit()

    def members(theme: Theme) -> set[int]:
        statement = select(ThemeMember.feedback_id).where(ThemeMember.theme_id == theme.id)
        return set(session.scalars(statement))

    before_source, before_target = members(source), members(target)
    insights.merge(session, theme_id=source.id, into_id=target.id, actor=pm)
    session.commit()
    assert members(target) == before_source | before_target
    undo.undo_merge(session, theme_id=source.id, actor=pm)
    session.commit()
    session.expire_all()
    assert members(target) == before_target  # the shared item stays: it was there before
    assert members(source) == before_source
    assert session.get(Theme, source.id).status == "open"  # type: ignore[union-attr]
    with pytest.raises(Invalid):
        undo.undo_merge(session, theme_id=source.id, actor=pm)


def test_the_link_picker_takes_what_the_list_offers_or_a_title(
    database_url: str, session: Session
) -> None:
    pm = create_user(session, role="pm")
    problem = create_problem(session, title="Exports time out")
    a, b, c = (create_feedback(session, text=t) for t in "abc")
    session.commit()
    browser = client(database_url)
    csrf = login(browser, pm.email)

    def link_with(item: object, typed: str) -> str:
        data = {"csrf_token": csrf, "ids": [str(item.id)], "problem_id": typed}  # type: ignore[attr-defined]
        return browser.post("/inbox/link", data=data).text

    assert "Linked 1 item" in link_with(a, f"Exports time out (#{problem.id})")
    assert "Linked 1 item" in link_with(b, "  exports TIME out ")
    assert "Choose the problem to link to from the list" in link_with(c, "Exports")
    assert set(session.scalars(select(FeedbackLink.feedback_id))) == {a.id, b.id}
