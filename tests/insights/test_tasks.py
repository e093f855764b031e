"""The intelligence layer's jobs run twice (a second import of the same ids, a job delivered
again) and change nothing the second time; people's decisions in between stay decided."""

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from huddle.auth.actor import Actor
from huddle.db import session_scope
from huddle.insights import service, tasks
from huddle.insights.embedding import Embedder, get_default_embedder
from huddle.jobs import defer
from huddle.jobs.runner import run_until_idle
from huddle.models import Feedback, FeedbackLink, Job, Theme, ThemeMember, ThemeRun, User
from tests.factories import create_account, create_feedback, create_problem, create_user, link
from tests.insights.test_themes import EXPORT, LOGIN

BILLING = [
    "We were charged twice for the same invoice this month",
    "The invoice shows the wrong VAT number for our company",
    "Billing page does not let us change the credit card",
    "Our annual plan renewed at the wrong price",
    "Refund for the duplicate charge never arrived",
    "Invoices are missing the purchase order number",
    "Cannot download past invoices as PDF from the billing page",
    "We were billed for seats we removed last month",
]
DUPLICATE = "the csv export times out for large reports "


@pytest.fixture
def workspace(database_url: str) -> Iterator[dict[str, Any]]:
    """Two problems with evidence linked by a person, and new evidence waiting to be embedded:
    more of both problems, a topic of its own, a near-copy of an earlier item."""
    with session_scope(database_url) as session:
        admin = create_user(session, role="admin")
        acme = create_account(session, name="Acme")
        login, export = (
            create_problem(session, title="Login"),
            create_problem(session, title="Export"),
        )
        day = datetime(2026, 11, 2, tzinfo=UTC)
        items: list[Feedback] = []
        for n, text in enumerate(LOGIN):
            items.append(create_feedback(session, text=text, occurred_at=day))
            if n < 6:
                link(session, items[-1], login)
        for n, text in enumerate(EXPORT):
            items.append(create_feedback(session, text=text, account=acme, occurred_at=day))
            if n < 6:
                link(session, items[-1], export)
        items += [create_feedback(session, text=text, occurred_at=day) for text in BILLING]
        items.append(create_feedback(session, text=DUPLICATE, account=acme, occurred_at=day))
        ids = [item.id for item in items]
        defer(session, "insights.embed_feedback", ids=ids)
        admin_id = admin.id
    yield {"ids": ids, "admin_id": admin_id}


def snapshot(url: str) -> dict[str, Any]:
    """Everything the jobs write, in full."""
    with session_scope(url) as session:
        feedback = session.execute(
            select(
                Feedback.id,
                Feedback.embedding,
                Feedback.embedding_model,
                Feedback.sentiment,
                Feedback.urgency,
                Feedback.suggested_problem_id,
                Feedback.suggestion_confidence,
                Feedback.duplicate_candidate_id,
            ).order_by(Feedback.id)
        ).all()
        links = session.execute(
            select(
                FeedbackLink.feedback_id, FeedbackLink.problem_id, FeedbackLink.confidence
            ).order_by(FeedbackLink.feedback_id, FeedbackLink.problem_id)
        ).all()
        themes = session.execute(
            select(Theme.id, Theme.label, Theme.status).order_by(Theme.id)
        ).all()
        members = session.execute(
            select(ThemeMember.theme_id, ThemeMember.feedback_id, ThemeMember.confidence).order_by(
                ThemeMember.theme_id, ThemeMember.feedback_id
            )
        ).all()
        runs = session.scalars(select(ThemeRun.id).order_by(ThemeRun.id)).all()
        return {
            "feedback": [tuple(r) for r in feedback],
            "links": [tuple(r) for r in links],
            "themes": [tuple(r) for r in themes],
            "members": [tuple(r) for r in members],
            "runs": list(runs),
        }


def jobs(url: str) -> list[tuple[str, str]]:
    with session_scope(url) as session:
        return [tuple(r) for r in session.execute(select(Job.task, Job.status).order_by(Job.id))]


def admin(session: Session, admin_id: int) -> Actor:
    user = session.get(User, admin_id)
    assert user is not None
    return Actor(user=user)


def test_embedding_the_same_items_again_changes_nothing(
    database_url: str, workspace: dict[str, Any]
) -> None:
    run_until_idle(database_url)
    first = snapshot(database_url)
    assert jobs(database_url) == [
        ("insights.embed_feedback", "done"),
        ("problems.refresh_figures", "done"),  # matching linked items
        ("insights.discover", "done"),
    ]
    # The first run did every kind of work, so the second has something to repeat.
    found = {row[0]: row for row in first["feedback"]}
    assert all(row[1] is not None and row[3] is not None for row in first["feedback"])
    assert any(confidence is not None for _, _, confidence in first["links"])
    duplicate = next(fid for fid, row in found.items() if row[7] is not None)
    assert first["themes"] and first["runs"]

    # A person dismisses the duplicate flag; then the same ids are queued again.
    with session_scope(database_url) as session:
        service.dismiss_duplicate(
            session, feedback_id=duplicate, actor=admin(session, workspace["admin_id"])
        )
    with session_scope(database_url) as session:
        defer(session, "insights.embed_feedback", ids=workspace["ids"])
    run_until_idle(database_url)

    expected = dict(first)
    expected["feedback"] = [
        row if row[0] != duplicate else (*row[:7], None) for row in first["feedback"]
    ]
    assert snapshot(database_url) == expected
    assert jobs(database_url) == [
        ("insights.embed_feedback", "done"),
        ("problems.refresh_figures", "done"),
        ("insights.discover", "done"),
        ("insights.embed_feedback", "done"),
    ]


def test_discovering_again_when_nothing_changed_keeps_the_suggestions(
    database_url: str, workspace: dict[str, Any]
) -> None:
    run_until_idle(database_url)
    first = snapshot(database_url)
    with session_scope(database_url) as session:
        defer(session, "insights.discover")
    run_until_idle(database_url)
    assert snapshot(database_url) == first

    # Once a person links an item, discovery has something new to read: it runs.
    with session_scope(database_url) as session:
        member = session.scalar(select(ThemeMember.feedback_id).limit(1))
        problem = session.scalar(select(FeedbackLink.problem_id).limit(1))
        session.add(FeedbackLink(feedback_id=member, problem_id=problem))
        defer(session, "insights.discover")
    run_until_idle(database_url)
    assert len(snapshot(database_url)["runs"]) == len(first["runs"]) + 1


def test_an_edited_item_is_embedded_again_and_only_it(
    database_url: str, workspace: dict[str, Any]
) -> None:
    run_until_idle(database_url)
    before = {row[0]: row for row in snapshot(database_url)["feedback"]}
    edited = workspace["ids"][-2]
    with session_scope(database_url) as session:
        item = session.get(Feedback, edited)
        assert item is not None
        # What editing the text does (feedback.service.update_feedback).
        item.text, item.embedding = "Dark mode for the whole app, please", None
        defer(session, "insights.embed_feedback", ids=workspace["ids"])
    run_until_idle(database_url)
    after = {row[0]: row for row in snapshot(database_url)["feedback"]}
    assert after[edited][1] is not None and after[edited][1] != before[edited][1]
    assert {k: v for k, v in after.items() if k != edited} == {
        k: v for k, v in before.items() if k != edited
    }


class EditsWhileEncoding:
    """An embedder during whose work a person edits one of the items being embedded."""

    def __init__(self, url: str, feedback_id: int) -> None:
        self.url, self.feedback_id = url, feedback_id
        self.inner: Embedder = get_default_embedder()
        self.name = self.inner.name

    def encode(self, texts: list[str]) -> np.ndarray:
        with session_scope(self.url) as session:
            item = session.get(Feedback, self.feedback_id)
            assert item is not None
            item.text, item.embedding = "Edited meanwhile: dark mode, please", None
        return self.inner.encode(texts)


def test_an_item_edited_while_it_is_embedded_keeps_no_stale_vector(
    database_url: str, workspace: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    edited = workspace["ids"][-2]
    monkeypatch.setattr(
        tasks, "get_default_embedder", lambda: EditsWhileEncoding(database_url, edited)
    )
    run_until_idle(database_url)
    after = {row[0]: row for row in snapshot(database_url)["feedback"]}
    assert after[edited][1:3] == (None, None)
    assert all(row[1] is not None for fid, row in after.items() if fid != edited)
