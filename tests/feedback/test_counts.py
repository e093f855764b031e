"""Lists count their matches only up to a cap (a million unlinked items take a second to
count exactly): the inbox says "N+ left", the API says `total_capped`, and an API client may
ask for the exact total."""

import pytest
from sqlalchemy.orm import Session

from huddle.feedback import api as feedback_api
from huddle.feedback import views as feedback_views
from tests.factories import create_feedback, create_user
from tests.helpers import bearer, client, login


def test_inbox_and_api_count_up_to_the_cap(
    database_url: str, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(feedback_views, "COUNT_UP_TO", 3)
    monkeypatch.setattr(feedback_api, "COUNT_UP_TO", 3)
    pm = create_user(session, role="pm")
    for n in range(5):
        create_feedback(session, text=f"Item number {n} about exports")
    session.commit()
    page = client(database_url)
    login(page, pm.email)
    assert "3+ items left to triage" in page.get("/inbox").text
    api, headers = client(database_url), bearer(session, pm)
    capped = api.get("/api/v1/feedback?unlinked=true&limit=2", headers=headers).json()
    assert (capped["total"], capped["total_capped"], len(capped["items"])) == (3, True, 2)
    exact = api.get(
        "/api/v1/feedback?unlinked=true&limit=2&exact_total=true", headers=headers
    ).json()
    assert (exact["total"], exact["total_capped"]) == (5, False)
    monkeypatch.setattr(feedback_views, "COUNT_UP_TO", 10)
    monkeypatch.setattr(feedback_api, "COUNT_UP_TO", 10)
    assert "5 items left to triage" in page.get("/inbox").text
    whole = api.get("/api/v1/feedback?unlinked=true", headers=headers).json()
    assert (whole["total"], whole["total_capped"]) == (5, False)


def test_a_ranked_list_pages_in_rank_order_and_counts_what_the_filters_keep(
    session: Session,
) -> None:
    """A search by meaning's hits, best first: the inbox keeps the unlinked ones, pages
    through them in rank order and counts them."""
    from huddle.feedback.repository import FeedbackRepository
    from huddle.feedback.schemas import FeedbackFilter
    from tests.factories import actor, create_problem, link

    reader = actor(session)
    problem = create_problem(session)
    items = [create_feedback(session, text=f"Exports time out, case {n}") for n in range(9)]
    for item in items[::3]:
        link(session, item, problem)
    ranked = [items[n].id for n in (4, 0, 8, 7, 3, 5, 2, 1, 6)]
    repo = FeedbackRepository(session)
    where = FeedbackFilter(ranked_ids=ranked, unlinked=True)

    def shown(offset: int, count_up_to: int | None = None) -> tuple[list[int], int]:
        page, total = repo.search(reader, where, limit=2, offset=offset, count_up_to=count_up_to)
        return [item.id for item in page], total

    kept = [items[n].id for n in (4, 8, 7, 5, 2, 1)]
    assert shown(0) == (kept[0:2], 6)
    assert shown(2) == (kept[2:4], 6)
    assert shown(4) == (kept[4:6], 6)
    assert shown(6) == ([], 6)
    assert shown(0, count_up_to=3) == (kept[0:2], 4)


def test_a_search_by_words_counts_up_to_its_own_cap(
    database_url: str, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each match of a search by words is read from its row to know whether it is left to
    triage: the inbox counts fewer of them, and says so."""
    monkeypatch.setattr(feedback_views, "COUNT_UP_TO", 10)
    monkeypatch.setattr(feedback_views, "WORDS_COUNT_UP_TO", 3)
    pm = create_user(session, role="pm")
    for n in range(5):
        create_feedback(session, text=f"Item number {n} about exports")
    create_feedback(session, text="Approvals are stuck")
    session.commit()
    page = client(database_url)
    login(page, pm.email)
    assert "6 items left to triage" in page.get("/inbox").text
    searched = page.get("/inbox?q=exports&match=words").text
    assert "3+ items left to triage" in searched
    assert searched.count("about exports") == 5
    assert "1 item left to triage" in page.get("/inbox?q=approvals&match=words").text
