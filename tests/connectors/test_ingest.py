"""The ingest API: single items and batches, idempotent, all or nothing, rate-limited."""

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from huddle.app import create_app
from huddle.feedback.ingest import TokenBucket
from huddle.models import Feedback
from huddle.models.enums import TokenScope
from tests.factories import create_account, create_user
from tests.helpers import bearer


def _client(database_url: str) -> TestClient:
    return TestClient(create_app(database_url, run_jobs=False))


def _count(session: Session) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(Feedback)) or 0


def test_one_item_then_the_same_again_updates(database_url: str, session: Session) -> None:
    user = create_user(session, role="contributor", team="support")
    headers = bearer(session, user, TokenScope.ingest)
    api = _client(database_url)
    item = {
        "text": "Agents want canned replies in Spanish",
        "source": "chat",
        "external_id": "zd-1",
        "origin": "helpdesk",
    }
    first = api.post("/api/v1/ingest", json=item, headers=headers)
    assert first.status_code == 200, first.text
    body = first.json()
    assert (body["created"], body["updated"]) == (1, 0)
    again = api.post(
        "/api/v1/ingest",
        json={**item, "text": "Agents want canned replies in Spanish and Portuguese"},
        headers=headers,
    )
    assert again.json()["updated"] == 1 and again.json()["items"][0]["id"] == body["items"][0]["id"]
    stored = session.scalar(select(Feedback))
    assert stored is not None and stored.text.endswith("Portuguese")
    assert (stored.origin, stored.team, stored.submitter_id) == ("helpdesk", "support", user.id)
    # Without an external id a retried push is still not a duplicate.
    plain = {"text": "Dark mode please", "occurred_at": "2026-10-01T10:00:00Z"}
    api.post("/api/v1/ingest", json=plain, headers=headers)
    api.post("/api/v1/ingest", json=plain, headers=headers)
    assert _count(session) == 2
    assert api.get("/api/v1/feedback", headers=headers).status_code == 403


def test_a_batch_links_accounts_and_contacts(database_url: str, session: Session) -> None:
    user = create_user(session, role="contributor")
    acme = create_account(session, name="Acme", domain="acme.com", external_id="A-1")
    headers = bearer(session, user, TokenScope.ingest)
    batch = {
        "items": [
            {"text": "Needs SSO", "account": "A-1", "source": "call", "tags": ["SSO", " sso "]},
            {"text": "Exports are slow", "contact_email": "Jo@Acme.com", "source": "ticket"},
        ]
    }
    response = _client(database_url).post("/api/v1/ingest", json=batch, headers=headers)
    assert response.status_code == 200, response.text
    assert [i["index"] for i in response.json()["items"]] == [0, 1]
    items = list(session.scalars(select(Feedback).order_by(Feedback.id)))
    assert [i.account_id for i in items] == [acme.id, acme.id]
    assert items[0].tags == ["sso"] and items[1].contact is not None


def test_a_bad_batch_stores_nothing_and_names_index_and_field(
    database_url: str, session: Session
) -> None:
    user = create_user(session, role="contributor")
    headers = bearer(session, user)
    api = _client(database_url)
    batch = {
        "items": [
            {"text": "fine"},
            {"text": "  ", "source": "carrier pigeon"},
            {"text": "who?", "account": "nobody.example"},
            {"text": "dup", "external_id": "x"},
            # The same id on other words (the same item sent twice is the one item).
            {"text": "dup, edited", "external_id": "x"},
        ]
    }
    response = api.post("/api/v1/ingest", json=batch, headers=headers)
    assert response.status_code == 422
    fields = {(p["index"], p["field"]) for p in response.json()["detail"]}
    assert fields == {(1, "text"), (1, "source")}
    response = api.post("/api/v1/ingest", json={"items": batch["items"][2:]}, headers=headers)
    assert response.status_code == 422
    problems = response.json()["detail"]
    # An unknown account does not refuse an item (it would tell the sender which accounts
    # exist); only the repeated id does.
    assert [(p["index"], p["field"]) for p in problems] == [(2, "external_id")]
    assert "as item 1" in problems[0]["reason"]
    too_many = api.post("/api/v1/ingest", json={"items": [{"text": "x"}] * 1001}, headers=headers)
    assert too_many.status_code == 422 and too_many.json()["detail"][0]["field"] == "items"
    assert _count(session) == 0


def test_viewers_may_not_push(database_url: str, session: Session) -> None:
    viewer = create_user(session, role="viewer")
    response = _client(database_url).post(
        "/api/v1/ingest", json={"text": "x"}, headers=bearer(session, viewer)
    )
    assert response.status_code == 403


def test_rate_limit_answers_429_with_retry_after(database_url: str, session: Session) -> None:
    user, other = create_user(session, role="contributor"), create_user(session, role="contributor")
    headers, other_headers = bearer(session, user), bearer(session, other)
    now = [1000.0]
    app = create_app(database_url, run_jobs=False)
    app.state.ingest_limiter = TokenBucket(rate=2.0, burst=3, clock=lambda: now[0])
    api = TestClient(app)
    batch = {"items": [{"text": f"item {n}"} for n in range(3)]}
    assert api.post("/api/v1/ingest", json=batch, headers=headers).status_code == 200
    limited = api.post("/api/v1/ingest", json={"text": "one more"}, headers=headers)
    assert limited.status_code == 429 and limited.headers["Retry-After"] == "1"
    # Each token has its own bucket; the first refills with time.
    assert (
        api.post("/api/v1/ingest", json={"text": "other"}, headers=other_headers).status_code == 200
    )
    now[0] += 0.5
    assert api.post("/api/v1/ingest", json={"text": "one more"}, headers=headers).status_code == 200
    assert _count(session) == 5
