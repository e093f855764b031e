"""Saved views: named filters and sort of the problem list and the inbox, each person's own."""

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from huddle.models import SavedView
from tests.factories import create_user
from tests.helpers import client, login


def test_a_view_is_saved_listed_opened_and_deleted_by_its_owner_only(
    database_url: str, session: Session
) -> None:
    pm = create_user(session, role="pm")
    other = create_user(session, role="pm")
    session.commit()
    browser = client(database_url)
    csrf = login(browser, pm.email)
    saved = browser.post(
        "/views",
        data={
            "csrf_token": csrf,
            "page": "problems",
            "name": "  At risk   first ",
            "query": "sort=arr_at_risk&status=all&page=3&notice=x&evil=1",
        },
    )
    assert saved.status_code == 200 and "Saved as “At risk first”" in saved.text
    view = session.scalar(select(SavedView))
    assert view is not None and view.query == "sort=arr_at_risk&status=all"
    assert f'href="/problems?{view.query}"' in browser.get("/problems").text.replace("&amp;", "&")
    inbox = browser.post(
        "/views",
        data={"csrf_token": csrf, "page": "inbox", "name": "Tickets", "query": "source=ticket"},
    )
    assert "Saved as “Tickets”" in inbox.text and "/inbox?source=ticket" in inbox.text
    # Someone else neither sees nor deletes it.
    theirs = client(database_url)
    their_csrf = login(theirs, other.email)
    assert "At risk first" not in theirs.get("/problems").text
    assert (
        theirs.post(f"/views/{view.id}/delete", data={"csrf_token": their_csrf}).status_code == 404
    )
    assert (
        browser.post(
            "/views", data={"csrf_token": csrf, "page": "problems", "name": " "}
        ).text.count("name the view")
        == 1
    )
    gone = browser.post(f"/views/{view.id}/delete", data={"csrf_token": csrf})
    assert "Deleted the view" in gone.text
    assert session.scalar(select(func.count()).select_from(SavedView)) == 1
