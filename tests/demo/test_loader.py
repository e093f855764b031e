"""The demo replaces only what it made itself."""

from datetime import UTC, datetime

import pytest
from sqlalchemy.orm import Session

from huddle.demo import generator, loader
from huddle.feedback.schemas import FeedbackCreate
from huddle.feedback.service import add_feedback
from huddle.models.enums import SourceKind
from tests.factories import actor
from tests.snapshots import differences, snapshot

NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)


def _small() -> generator.DemoWorkspace:
    return generator.generate(3, now=NOW, accounts=12, feedback=80)


def test_the_demo_replaces_its_own_workspace_but_nothing_else(
    database_url: str, session: Session
) -> None:
    loader.load(session, _small())
    loader.remember(session)
    # Nothing but the demo's own data: a second run may replace it.
    loader.load(session, _small())
    loader.remember(session)
    # Somebody adds evidence of their own to the demo workspace.
    someone = actor(session, "contributor")
    add_feedback(
        session,
        data=FeedbackCreate(text="A real customer said this", source=SourceKind.call),
        actor=someone,
    )
    before = snapshot(session)
    with pytest.raises(loader.DemoRefused) as refused:
        loader.load(session, _small(), where="huddle.db")
    assert "huddle.db holds data the demo did not create" in refused.value.message
    assert "1 feedback" in refused.value.message and "1 users" in refused.value.message
    assert differences(before, snapshot(session)) == {}
    loader.load(session, _small(), reset=True)
    assert not any("A real customer" in str(row) for row in snapshot(session)["feedback"])


def test_an_empty_database_takes_the_demo(database_url: str, session: Session) -> None:
    summary = loader.load(session, _small())
    assert (summary.accounts, summary.feedback) == (12, 80)
