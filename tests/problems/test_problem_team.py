"""Problems a team can own: an owner, followers, comments; deleting a problem sends its
evidence back to the inbox and lifts the problems below it."""

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from huddle.auth.actor import Actor
from huddle.errors import Invalid, NotPermitted
from huddle.feedback import service as feedback
from huddle.feedback.schemas import FeedbackFilter
from huddle.models import FeedbackLink, Problem, ProblemPerson
from huddle.problems import team
from tests.factories import create_feedback, create_problem, create_user, link
from tests.helpers import client, login


def test_owner_followers_and_comments(session: Session) -> None:
    pm, other_pm = (Actor(create_user(session, role="pm")) for _ in range(2))
    rep = Actor(create_user(session, role="contributor"))
    viewer = Actor(create_user(session, role="viewer"))
    problem = create_problem(session)
    session.commit()
    team.set_owner(session, problem_id=problem.id, user_id=pm.id, actor=pm)
    team.set_owner(session, problem_id=problem.id, user_id=other_pm.id, actor=pm)
    with pytest.raises(Invalid, match="PM or admin"):
        team.set_owner(session, problem_id=problem.id, user_id=rep.id, actor=pm)
    with pytest.raises(NotPermitted):
        team.set_owner(session, problem_id=problem.id, user_id=rep.id, actor=rep)
    team.follow(session, problem_id=problem.id, actor=viewer, on=True)
    team.follow(session, problem_id=problem.id, actor=other_pm, on=False)  # the owner stays
    roles = {
        p.user_id: p.role
        for p in session.scalars(
            select(ProblemPerson).where(ProblemPerson.problem_id == problem.id)
        )
    }
    # One owner; the former owner keeps following.
    assert roles == {other_pm.id: "owner", pm.id: "follower", viewer.id: "follower"}
    team.comment(session, problem_id=problem.id, body=" Seen at Acme too ", actor=rep)
    with pytest.raises(Invalid, match="empty"):
        team.comment(session, problem_id=problem.id, body="   ", actor=rep)
    with pytest.raises(NotPermitted):
        team.comment(session, problem_id=problem.id, body="hi", actor=viewer)


def test_deleting_a_problem_sends_its_evidence_back(session: Session) -> None:
    pm = Actor(create_user(session, role="pm"))
    top = create_problem(session, title="Top")
    doomed = create_problem(session, title="Doomed", parent=top)
    below = create_problem(session, title="Below", parent=doomed)
    only_here, also_elsewhere = (
        create_feedback(session, text="a"),
        create_feedback(session, text="b"),
    )
    link(session, only_here, doomed)
    link(session, also_elsewhere, doomed)
    link(session, also_elsewhere, top)
    session.commit()
    assert team.delete_problem(session, problem_id=doomed.id, actor=pm) == 2
    session.commit()
    session.expire_all()
    assert session.get(Problem, doomed.id) is None
    assert session.get(Problem, below.id).parent_id == top.id  # type: ignore[union-attr]
    inbox, _ = feedback.list_feedback(
        session, where=FeedbackFilter(unlinked=True, triage="open"), actor=pm
    )
    assert [item.id for item in inbox] == [only_here.id]
    assert (
        session.scalar(
            select(FeedbackLink.problem_id).where(FeedbackLink.feedback_id == also_elsewhere.id)
        )
        == top.id
    )


def test_the_page_shows_and_changes_them(database_url: str, session: Session) -> None:
    pm = create_user(session, role="pm", name="Pat PM")
    problem = create_problem(session, title="Exports time out")
    link(session, create_feedback(session), problem)
    session.commit()
    browser = client(database_url)
    csrf = login(browser, pm.email)
    page = browser.post(
        f"/problems/{problem.id}/owner", data={"csrf_token": csrf, "owner_id": str(pm.id)}
    ).text
    assert '<b id="owner">Pat PM</b>' in page
    page = browser.post(
        f"/problems/{problem.id}/comments", data={"csrf_token": csrf, "body": "Acme too"}
    ).text
    assert "Acme too" in page and "Comment added" in page
    page = browser.post(f"/problems/{problem.id}/delete", data={"csrf_token": csrf}).text
    assert "Deleted; 1 item back in the inbox" in page
    assert browser.get(f"/problems/{problem.id}").status_code == 404
