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
