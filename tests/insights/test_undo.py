"""A split, a rejection, a duplicate merged or kept apart: each is offered an undo in the inbox,
and the undo puts back exactly the rows the decision changed, or says why it cannot."""

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from huddle.auth.actor import Actor
from huddle.errors import Conflict, Invalid
from huddle.insights import rediscovery, service, undo
from huddle.insights.embedding import pack_vector
from huddle.insights.repository import InsightRepository
from huddle.models import Feedback, Theme
from huddle.models.theme import ThemeMember
from huddle.problems import service as problems
from tests.factories import create_feedback, create_problem, create_theme, create_user
from tests.helpers import client, login
from tests.insights.workspace import with_topics, workspace
from tests.snapshots import differences, snapshot


def _two_topics(session: Session, size: int = 8) -> Theme:
    """A suggestion of two clear clusters of evidence: a split cuts it in two equal halves."""
    theme = create_theme(session, size=size)
    rng = np.random.default_rng(3)
    bases = rng.normal(size=(2, 384))
    for n, member in enumerate(theme.members):
        vector = bases[n % 2] + rng.normal(scale=0.1, size=384)
        member.feedback.embedding = pack_vector(vector / np.linalg.norm(vector))
    session.flush()
    return theme


def _signed_in(database_url: str, session: Session) -> tuple[TestClient, str]:
    pm = create_user(session, role="pm")
    session.commit()
    browser = client(database_url)
    return browser, login(browser, pm.email)


def _offered_undo(page: str, action: str) -> None:
    assert f'<form method="post" action="{action}" class="undo">' in page, page[:3000]


def test_a_split_is_taken_back_to_the_very_rows_it_changed(
    database_url: str, session: Session
) -> None:
    browser, csrf = _signed_in(database_url, session)
    theme = _two_topics(session)
    theme.label = "Exports are slow"
    theme.curated_at = None
    theme.details = {"taken_out": [], "released": [1234]}
    session.commit()
    before = snapshot(session)

    page = browser.post(f"/themes/{theme.id}/split", data={"csrf_token": csrf}).text
    assert "Split into" in page
    _offered_undo(page, f"/themes/{theme.id}/undo-split")
    session.expire_all()
    halves = session.get(Theme, theme.id).details["split_into"]  # type: ignore[union-attr]
    assert len(halves) == 2

    page = browser.post(f"/themes/{theme.id}/undo-split", data={"csrf_token": csrf}).text
    assert "“Exports are slow” is one suggestion again" in page
    session.expire_all()
    # The suggestion with its items, label and details as before; the halves are gone.
    assert differences(before, snapshot(session)) == {}
    assert all(session.get(Theme, half) is None for half in halves)


def _accept(session: Session, pm: Actor, half: int, other: int) -> None:
    service.accept(session, theme_id=half, actor=pm)


def _merge_away(session: Session, pm: Actor, half: int, other: int) -> None:
    service.merge(session, theme_id=half, into_id=other, actor=pm)


def _rename(session: Session, pm: Actor, half: int, other: int) -> None:
    service.rename(session, theme_id=half, label="Something else", actor=pm)


def _rename_and_back(session: Session, pm: Actor, half: int, other: int) -> None:
    label = session.get(Theme, half).label  # type: ignore[union-attr]
    service.rename(session, theme_id=half, label="Something else", actor=pm)
    service.rename(session, theme_id=half, label=label, actor=pm)


def _merge_into(session: Session, pm: Actor, half: int, other: int) -> None:
    service.merge(session, theme_id=other, into_id=half, actor=pm)


def _link_an_item(session: Session, pm: Actor, half: int, other: int) -> None:
    item = min(InsightRepository(session).member_ids([half])[half])
    problems.link_feedback(
        session, problem_id=create_problem(session).id, feedback_ids=[item], actor=pm
    )


@pytest.mark.parametrize(
    ("change", "refusal"),
    [
        (_accept, "was accepted"),
        (_merge_away, "was merged"),
        (_rename, "it was renamed “Something else”"),
        (_rename_and_back, "a person shaped it since"),
        (_merge_into, "its items changed"),
        (_link_an_item, "its items changed"),
    ],
    ids=["accepted", "merged away", "renamed", "renamed and back", "merged into", "item linked"],
)
def test_a_split_is_not_taken_back_once_a_half_moved_on(
    session: Session, change: Callable[[Session, Actor, int, int], None], refusal: str
) -> None:
    pm = Actor(create_user(session, role="pm"))
    theme, other = _two_topics(session), create_theme(session, size=3, seed=9)
    session.commit()
    halves = [h.id for h in service.split(session, theme_id=theme.id, actor=pm)]
    session.commit()
    assert [len(m) for m in InsightRepository(session).member_ids(halves).values()] == [4, 4]
    change(session, pm, halves[1], other.id)
    session.commit()
    before = snapshot(session)
    with pytest.raises(Conflict, match="the split cannot be undone") as refused:
        undo.undo_split(session, theme_id=theme.id, actor=pm)
    assert refusal in refused.value.message
    session.rollback()
    assert differences(before, snapshot(session)) == {}


def test_a_rejection_is_taken_back_and_forgotten(database_url: str, session: Session) -> None:
    browser, csrf = _signed_in(database_url, session)
    theme = create_theme(session, size=5)
    session.commit()
    before = snapshot(session)

    page = browser.post(f"/themes/{theme.id}/reject", data={"csrf_token": csrf}).text
    _offered_undo(page, f"/themes/{theme.id}/undo-reject")
    assert InsightRepository(session).rejected_groups() != []
    page = browser.post(f"/themes/{theme.id}/undo-reject", data={"csrf_token": csrf}).text
    assert "“slow exports” is a suggestion again" in page
    session.expire_all()
    assert differences(before, snapshot(session)) == {}
    # Nothing is held against the grouping any more.
    assert InsightRepository(session).rejected_groups() == []
    assert InsightRepository(session).rejected_centroids() == []
    again = browser.post(f"/themes/{theme.id}/undo-reject", data={"csrf_token": csrf}).text
    assert "this suggestion is not rejected" in again


def test_an_undone_rejection_leaves_out_what_went_elsewhere_meanwhile(session: Session) -> None:
    pm = Actor(create_user(session, role="pm"))
    theme = create_theme(session, size=5)
    session.commit()
    ids = sorted(InsightRepository(session).member_ids([theme.id])[theme.id])
    service.reject(session, theme_id=theme.id, actor=pm)
    session.commit()
    problems.link_feedback(
        session, problem_id=create_problem(session).id, feedback_ids=[ids[0]], actor=pm
    )
    session.get(Feedback, ids[1]).dismissed_reason = "praise"  # type: ignore[union-attr]
    create_theme(session, session.get(Feedback, ids[2]), size=3)  # type: ignore[arg-type]
    session.commit()
    undo.undo_reject(session, theme_id=theme.id, actor=pm)
    session.commit()
    session.expire_all()
    reopened = session.get(Theme, theme.id)
    assert reopened is not None and reopened.status == "open"
    assert sorted(InsightRepository(session).member_ids([theme.id])[theme.id]) == ids[3:]
    assert reopened.details["released"] == ids[:3]


def test_rediscovery_suggests_a_grouping_again_once_its_rejection_is_undone(
    database_url: str, session: Session
) -> None:
    space = workspace(database_url, session)
    topics = with_topics(space)
    pm = Actor(space.admin)
    sso = space.suggestion_of(topics["sso"])
    service.reject(session, theme_id=sso, actor=pm)
    session.commit()
    rediscovery.discover(session, actor=pm)
    session.commit()
    assert all(not (m & topics["sso"]) for _, m in space.open_suggestions().values())

    undo.undo_reject(session, theme_id=sso, actor=pm)
    session.commit()
    rediscovery.discover(session, actor=pm)
    session.commit()
    # Grouped and suggested again (under its id or another): the rejection is forgotten.
    assert space.suggestion_of(topics["sso"])


def _duplicate_in_a_suggestion(session: Session) -> tuple[Feedback, Feedback, Theme]:
    original = create_feedback(session, text="Exports time out on big ledgers")
    copy = create_feedback(session, text="Exports time out on big ledgers!")
    theme = create_theme(session, copy, size=4)
    copy.duplicate_candidate_id = original.id
    session.commit()
    return original, copy, theme


def _without_ids(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    at = list(ThemeMember.__table__.columns.keys()).index("id")
    return sorted(row[:at] + row[at + 1 :] for row in rows)


def test_a_merged_duplicate_is_taken_back_as_it_was(database_url: str, session: Session) -> None:
    browser, csrf = _signed_in(database_url, session)
    original, copy, theme = _duplicate_in_a_suggestion(session)
    before = snapshot(session)

    page = browser.post(f"/feedback/{copy.id}/merge-duplicate", data={"csrf_token": csrf}).text
    assert "Merged the duplicate into the original" in page
    _offered_undo(page, f"/feedback/{copy.id}/undo-merge-duplicate")
    session.expire_all()
    assert session.get(Feedback, copy.id).duplicate_of_id == original.id  # type: ignore[union-attr]
    assert copy.id not in InsightRepository(session).member_ids([theme.id])[theme.id]

    page = browser.post(f"/feedback/{copy.id}/undo-merge-duplicate", data={"csrf_token": csrf}).text
    assert "Back in the inbox as its own evidence" in page
    session.expire_all()
    changed = differences(before, snapshot(session))
    # The one row that differs is its place in the suggestion, written again under a new id
    # (ids are never reused) with the same suggestion, confidence and representative flag.
    assert set(changed) <= {"theme_members"}
    gone, back = changed.get("theme_members", ([], []))
    assert _without_ids(gone) == _without_ids(back)
    again = browser.post(f"/feedback/{copy.id}/undo-merge-duplicate", data={"csrf_token": csrf})
    assert "is not merged as a duplicate" in again.text


def test_a_merged_duplicate_goes_back_only_into_suggestions_still_open(session: Session) -> None:
    pm = Actor(create_user(session, role="pm"))
    original, copy, theme = _duplicate_in_a_suggestion(session)
    service.merge_duplicate(session, feedback_id=copy.id, actor=pm)
    session.commit()
    service.reject(session, theme_id=theme.id, actor=pm)
    session.commit()
    undo.undo_merge_duplicate(session, feedback_id=copy.id, actor=pm)
    session.commit()
    session.expire_all()
    item = session.get(Feedback, copy.id)
    assert item is not None and item.duplicate_of_id is None
    assert item.duplicate_candidate_id == original.id
    assert copy.id not in InsightRepository(session).member_ids([theme.id])[theme.id]


def test_keeping_both_is_taken_back(database_url: str, session: Session) -> None:
    browser, csrf = _signed_in(database_url, session)
    original, copy, _ = _duplicate_in_a_suggestion(session)
    before = snapshot(session)
    page = browser.post(f"/feedback/{copy.id}/dismiss-duplicate", data={"csrf_token": csrf}).text
    assert "Kept as separate evidence" in page
    _offered_undo(page, f"/feedback/{copy.id}/undo-dismiss-duplicate")
    page = browser.post(
        f"/feedback/{copy.id}/undo-dismiss-duplicate", data={"csrf_token": csrf}
    ).text
    assert "Flagged as a likely duplicate again" in page
    session.expire_all()
    assert differences(before, snapshot(session)) == {}
    again = browser.post(f"/feedback/{copy.id}/undo-dismiss-duplicate", data={"csrf_token": csrf})
    assert "was not kept apart from a duplicate" in again.text
    with pytest.raises(Invalid):
        undo.undo_keep_duplicate(
            session, feedback_id=original.id, actor=Actor(create_user(session, role="pm"))
        )


def test_merges_made_before_undo_existed_are_refused_plainly(session: Session) -> None:
    pm = Actor(create_user(session, role="pm"))
    original, copy, _ = _duplicate_in_a_suggestion(session)
    copy.duplicate_of_id, copy.duplicate_candidate_id = original.id, None
    session.commit()
    with pytest.raises(Invalid, match="not since undo exists"):
        undo.undo_merge_duplicate(session, feedback_id=copy.id, actor=pm)
    members = select(ThemeMember.feedback_id).where(ThemeMember.feedback_id == copy.id)
    assert list(session.scalars(members)) == [copy.id]
