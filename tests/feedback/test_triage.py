"""Inbox zero: evidence dismissed with a reason or snoozed until a day leaves the inbox,
stays findable under its own tab, leaves open suggestions, and comes back on undo."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from huddle.auth.actor import Actor
from huddle.errors import Invalid
from huddle.feedback import service, triage
from huddle.feedback.schemas import FeedbackFilter
from huddle.kit.time import utcnow
from huddle.models import Activity, Feedback, Theme, ThemeMember
from tests.factories import create_feedback, create_theme, create_user
from tests.helpers import bearer, client, login


def _inbox(session: Session, actor: Actor, state: str | None = "open") -> set[int]:
    items, _ = service.list_feedback(
        session, where=FeedbackFilter(unlinked=True, triage=state), actor=actor, limit=500
    )
    return {item.id for item in items}


def test_dismissed_and_snoozed_leave_the_inbox_and_come_back(session: Session) -> None:
    pm = Actor(create_user(session, role="pm"))
    praise, spam, later, kept = (create_feedback(session, text=t) for t in "abcd")
    session.commit()
    assert triage.dismiss(session, ids=[praise.id], reason="praise", actor=pm) == 1
    triage.dismiss(session, ids=[spam.id], reason="spam", actor=pm)
    triage.snooze(session, ids=[later.id], until=utcnow().date() + timedelta(days=3), actor=pm)
    session.commit()
    assert _inbox(session, pm) == {kept.id}
    assert _inbox(session, pm, "dismissed") == {praise.id, spam.id}
    assert _inbox(session, pm, "snoozed") == {later.id}
    assert _inbox(session, pm, None) == {praise.id, spam.id, later.id, kept.id}
    # Who did what is in the activity log.
    verbs = set(session.scalars(select(Activity.verb).where(Activity.subject_type == "feedback")))
    assert {"dismissed", "snoozed"} <= verbs
    # Undo brings them back exactly as they were.
    triage.restore(session, ids=[praise.id, later.id], actor=pm)
    session.commit()
    assert _inbox(session, pm) == {kept.id, praise.id, later.id}
    assert session.get(Feedback, praise.id).dismissed_at is None  # type: ignore[union-attr]


def test_a_snooze_ends_by_itself(session: Session) -> None:
    pm = Actor(create_user(session, role="pm"))
    item = create_feedback(session)
    session.commit()
    triage.snooze(session, ids=[item.id], until=utcnow().date() + timedelta(days=1), actor=pm)
    session.commit()
    assert item.id not in _inbox(session, pm)
    # The day has come: the item is back without anyone touching it.
    item.snoozed_until = datetime.now(UTC) - timedelta(minutes=1)
    session.commit()
    assert item.id in _inbox(session, pm)
    assert item.id not in _inbox(session, pm, "snoozed")


def test_bad_requests_change_nothing(session: Session) -> None:
    pm = Actor(create_user(session, role="pm"))
    item = create_feedback(session)
    session.commit()
    with pytest.raises(Invalid, match="reason"):
        triage.dismiss(session, ids=[item.id], reason="boring", actor=pm)
    with pytest.raises(Invalid, match="after today"):
        triage.snooze(session, ids=[item.id], until=utcnow().date(), actor=pm)
    with pytest.raises(Exception, match="no evidence 999999"):
        triage.dismiss(session, ids=[item.id, 999_999], reason="spam", actor=pm)
    session.rollback()
    assert session.get(Feedback, item.id).dismissed_reason is None  # type: ignore[union-attr]


def test_a_dismissed_item_leaves_open_suggestions(session: Session) -> None:
    pm = Actor(create_user(session, role="pm"))
    thanks = create_feedback(session, text="Thanks, love the product!")
    theme = create_theme(session, thanks, size=4)
    session.commit()
    triage.dismiss(session, ids=[thanks.id], reason="praise", actor=pm)
    session.commit()
    members = set(
        session.scalars(select(ThemeMember.feedback_id).where(ThemeMember.theme_id == theme.id))
    )
    assert thanks.id not in members and len(members) == 3
    assert session.get(Theme, theme.id).status == "open"  # type: ignore[union-attr]


def test_the_api_dismisses_snoozes_restores_and_filters(
    database_url: str, session: Session
) -> None:
    pm = create_user(session, role="pm")
    a, b = create_feedback(session, text="Spam offer"), create_feedback(session, text="Later")
    headers = bearer(session, pm)
    api = client(database_url)
    answer = api.post(
        "/api/v1/feedback/dismiss",
        json={"feedback_ids": [a.id], "reason": "spam"},
        headers=headers,
    )
    assert answer.status_code == 200 and answer.json() == {"changed": 1}
    tomorrow = (date.today() + timedelta(days=2)).isoformat()
    answer = api.post(
        "/api/v1/feedback/snooze", json={"feedback_ids": [b.id], "until": tomorrow}, headers=headers
    )
    assert answer.status_code == 200
    listed = api.get("/api/v1/feedback?triage=dismissed", headers=headers).json()
    assert [(i["id"], i["dismissed_reason"]) for i in listed["items"]] == [(a.id, "spam")]
    listed = api.get("/api/v1/feedback?triage=open&unlinked=true", headers=headers).json()
    assert listed["total"] == 0
    assert (
        api.post(
            "/api/v1/feedback/dismiss",
            json={"feedback_ids": [b.id], "reason": "meh"},
            headers=headers,
        ).status_code
        == 422
    )
    answer = api.post(
        "/api/v1/feedback/restore", json={"feedback_ids": [a.id, b.id]}, headers=headers
    )
    assert answer.json() == {"changed": 2}
    assert api.get("/api/v1/feedback?triage=open", headers=headers).json()["total"] == 2


def test_the_inbox_page_dismisses_with_undo(database_url: str, session: Session) -> None:
    pm = create_user(session, role="pm")
    items = [create_feedback(session, text=f"Item {n}") for n in range(3)]
    session.commit()
    browser = client(database_url)
    csrf = login(browser, pm.email)
    page = browser.get("/inbox").text
    assert "3 items left to triage" in page
    answer = browser.post(
        "/inbox/dismiss",
        data={"csrf_token": csrf, "ids": [str(items[0].id), str(items[1].id)], "reason": "praise"},
    )
    assert answer.status_code == 200
    assert "1 item left to triage" in answer.text
    assert "Dismissed as praise: 2 items" in answer.text
    assert 'action="/inbox/restore"' in answer.text and "Undo" in answer.text
    assert "Dismissed (2)" in answer.text
    dismissed = browser.get("/inbox?state=dismissed").text
    assert "Item 0" in dismissed and "dismissed: praise" in dismissed and "Item 2" not in dismissed
    undone = browser.post(
        "/inbox/restore",
        data={"csrf_token": csrf, "ids": [str(items[0].id), str(items[1].id)]},
    )
    assert "3 items left to triage" in undone.text and "Back in the inbox: 2 items" in undone.text
    snoozed = browser.post(
        "/inbox/snooze",
        data={"csrf_token": csrf, "ids": [str(items[2].id)], "until": "2000-01-01"},
    )
    assert "after today" in snoozed.text and "3 items left to triage" in snoozed.text


def test_an_inbox_action_that_cannot_be_done_says_why_and_changes_nothing(
    database_url: str, session: Session
) -> None:
    from huddle.models import FeedbackLink, Problem
    from tests.factories import create_problem

    pm = create_user(session, role="pm")
    doomed = create_problem(session, title="Exports time out")
    item = create_feedback(session, text="Exports are slow")
    session.commit()
    browser = client(database_url)
    csrf = login(browser, pm.email)
    session.delete(doomed)
    session.commit()
    # The picker offered the problem when the page was drawn; it was deleted since.
    page = browser.post(
        "/inbox/link",
        data={"csrf_token": csrf, "ids": [str(item.id)], "problem_id": f"x (#{doomed.id})"},
    )
    assert page.status_code == 200
    assert f"Problem {doomed.id} is gone (deleted or merged): choose another" in page.text
    # Evidence deleted meanwhile: the new problem is not made at all.
    page = browser.post(
        "/inbox/new-problem",
        data={"csrf_token": csrf, "ids": [str(item.id), "999999"], "title": "Slow"},
    )
    assert page.status_code == 200
    assert "No problem was made: no evidence with id 999999" in page.text
    assert session.scalars(select(FeedbackLink)).all() == []
    assert session.scalars(select(Problem)).all() == []
