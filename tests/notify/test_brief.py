"""Before a call: the account's brief (open problems, what shipped that it asked for, renewal
and risk, the PMs' questions); after it, the answers come back as evidence on the problems."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from huddle.auth.actor import Actor
from huddle.models.feedback import Feedback
from huddle.models.problem import FeedbackLink
from huddle.notify import brief
from huddle.problems import service as problems
from huddle.problems.schemas import ProblemUpdate
from tests.factories import create_user
from tests.helpers import client, login
from tests.notify.test_shipped import _ship, _workspace


def test_a_brief_and_its_answers(database_url: str, session: Session) -> None:
    made = _workspace(session)
    _ship(session, made)
    pm = made["pm"]
    sso_id = session.scalar(select(FeedbackLink.problem_id).limit(1))
    assert sso_id is not None
    question = brief.add_question(
        session,
        problem_id=sso_id,
        text="  Which IdP,   and how many users? ",
        actor=Actor(pm),  # type: ignore[arg-type]
    )
    session.commit()
    assert question.text == "Which IdP, and how many users?"
    acme = session.scalar(
        select(Feedback.account_id).where(Feedback.text.like("%Okta before security%"))
    )
    found = brief.brief(session, account_id=acme, actor=Actor(made["olga"]))  # type: ignore[arg-type]
    assert [b.problem.id for b in found.problems] == [sso_id]
    assert found.problems[0].mentions == 2  # Acme raised it twice
    assert [s.title for s in found.shipped] == ["SAML single sign-on"]
    assert [q.text for q, _ in found.questions] == ["Which IdP, and how many users?"]

    browser = client(database_url)
    csrf = login(browser, made["olga"].email)  # type: ignore[attr-defined]
    page = browser.get(f"/accounts/{acme}/brief")
    assert page.status_code == 200 and "Which IdP, and how many users?" in page.text
    sent = browser.post(
        f"/accounts/{acme}/brief/answers",
        data={"csrf_token": csrf, f"answer_{question.id}": "Okta, 140 users, rollout in March"},
        follow_redirects=False,
    )
    assert sent.status_code == 303 and "1+answer" in sent.headers["location"]
    session.expire_all()
    item = session.scalar(
        select(Feedback).where(Feedback.text == "Okta, 140 users, rollout in March")
    )
    assert item is not None and item.account_id == acme and item.source == "call"
    assert item.submitter_id == made["olga"].id  # type: ignore[attr-defined]
    assert "Which IdP" in (item.title or "")
    linked = session.scalars(
        select(FeedbackLink.problem_id).where(FeedbackLink.feedback_id == item.id)
    )
    assert list(linked) == [sso_id]
    # Nothing to send: said so, nothing written.
    empty = browser.post(
        f"/accounts/{acme}/brief/answers", data={"csrf_token": csrf}, follow_redirects=False
    )
    assert "error=" in empty.headers["location"]

    # A solved problem leaves the brief; only PMs add or remove questions.
    problems.update_problem(
        session,
        problem_id=sso_id,
        data=ProblemUpdate(status="solved"),
        actor=Actor(pm),  # type: ignore[arg-type]
    )
    session.commit()
    assert brief.brief(session, account_id=acme, actor=Actor(pm)).problems == []  # type: ignore[arg-type]
    contributor = create_user(session, role="contributor")
    session.commit()
    other = client(database_url)
    other_csrf = login(other, contributor.email)
    assert (
        other.post(
            f"/problems/{sso_id}/questions/{question.id}/delete", data={"csrf_token": other_csrf}
        ).status_code
        == 403
    )
    assert (
        other.post(
            f"/problems/{sso_id}/questions", data={"csrf_token": other_csrf, "text": "x"}
        ).status_code
        == 403
    )
    pm_browser = client(database_url)
    pm_csrf = login(pm_browser, pm.email)  # type: ignore[attr-defined]
    removed = pm_browser.post(
        f"/problems/{sso_id}/questions/{question.id}/delete",
        data={"csrf_token": pm_csrf},
        follow_redirects=False,
    )
    assert removed.status_code == 303
    assert brief.brief(session, account_id=acme, actor=Actor(pm)).questions == []  # type: ignore[arg-type]
