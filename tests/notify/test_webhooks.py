"""Events go to the workspace's webhook, signed with HMAC-SHA256, retried when the receiver
fails, in a delivery log an admin reads and replays; a problem's status change reaches its
owner and followers with the reason. Against a real HTTP receiver on loopback."""

import hashlib
import hmac
import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from huddle.auth.actor import Actor
from huddle.ideas import service as ideas
from huddle.ideas.schemas import SolutionCreate
from huddle.jobs.runner import run_until_idle
from huddle.models.job import Job
from huddle.models.message import Message
from huddle.problems import service as problems
from huddle.problems.schemas import ProblemUpdate
from huddle.problems.team import follow
from tests.factories import create_problem, create_user
from tests.helpers import client, login
from tests.notify.conftest import SECRET, Receiver


def _verified(headers: dict[str, str], body: bytes) -> bool:
    expected = hmac.new(
        SECRET.encode(), headers["X-Huddle-Timestamp"].encode() + b"." + body, hashlib.sha256
    ).hexdigest()
    return hmac.compare_digest(headers["X-Huddle-Signature"], f"sha256={expected}")


def test_a_status_change_reaches_followers_with_the_reason_and_the_webhook(
    database_url: str, session: Session, receiver: Receiver
) -> None:
    pm = create_user(session, role="pm", name="Pat PM")
    follower = create_user(session, role="contributor", team="sales", name="Fay Follower")
    bystander = create_user(session, role="viewer")
    problem = create_problem(session, title="Exports time out")
    session.commit()
    follow(session, problem_id=problem.id, actor=Actor(follower), on=True)
    follow(session, problem_id=problem.id, actor=Actor(pm), on=True)
    session.commit()
    problems.update_problem(
        session,
        problem_id=problem.id,
        data=ProblemUpdate(status="validated", reason="seen in 12 QBRs this quarter"),
        actor=Actor(pm),
    )
    session.commit()
    run_until_idle(database_url)

    mine = session.scalars(select(Message).where(Message.channel == "app")).all()
    # The follower hears it with the reason; the PM who changed it and the bystander do not.
    assert [m.recipient_id for m in mine] == [follower.id]
    assert "is now validated" in mine[0].subject and "12 QBRs" in mine[0].body
    [(headers, body)] = receiver.posts
    assert headers["X-Huddle-Event"] == "problem.status_changed"
    assert _verified(headers, body)
    sent = json.loads(body)
    assert sent["data"]["after"] == "validated" and sent["data"]["reason"].startswith("seen")
    assert sent["delivery"] == headers["X-Huddle-Delivery"]
    # A body changed on the way fails the signature.
    assert not _verified(headers, body.replace(b"validated", b"wont_fix"))
    assert bystander.id not in {m.recipient_id for m in mine}


def test_a_failing_receiver_is_retried_logged_and_replayed(
    database_url: str, session: Session, receiver: Receiver
) -> None:
    receiver.status = 500
    pm = create_user(session, role="pm")
    admin = create_user(session, role="admin")
    session.commit()
    ideas.create_solution(
        session, data=SolutionCreate(title="Dark mode", commitment="shipped"), actor=Actor(pm)
    )
    session.commit()
    run_until_idle(database_url)
    session.expire_all()
    [message] = session.scalars(select(Message).where(Message.channel == "webhook")).all()
    assert message.status == "queued" and message.attempts == 1
    assert "500" in message.last_error
    # Tried again later: a delivery job waits, with back-off.
    waiting = session.scalars(
        select(Job).where(Job.task == "notify.deliver", Job.status == "queued")
    ).all()
    assert len(waiting) == 1 and waiting[0].run_after > message.created_at

    browser = client(database_url)
    csrf = login(browser, admin.email)
    log = browser.get("/admin/deliveries")
    assert "solution.shipped" in log.text and "500" in log.text
    receiver.status = 200
    replayed = browser.post(
        f"/admin/deliveries/{message.id}/replay", data={"csrf_token": csrf}, follow_redirects=False
    )
    assert replayed.status_code == 303
    run_until_idle(database_url)
    session.expire_all()
    assert session.get(Message, message.id).status == "sent"  # type: ignore[union-attr]
    delivered = receiver.events("solution.shipped")
    assert len(delivered) == 2
    assert all(_verified(h, b) for h, b in receiver.posts)
    # The same delivery key each time: the receiver can drop the copy.
    assert len({h["X-Huddle-Delivery"] for h, _ in delivered}) == 1

    others = client(database_url)
    pm_csrf = login(others, pm.email)
    assert others.get("/admin/deliveries").status_code == 403
    refused = others.post(f"/admin/deliveries/{message.id}/replay", data={"csrf_token": pm_csrf})
    assert refused.status_code == 403
