"""A PM empties the inbox with the keyboard only: link, new problem, dismiss, snooze, undo;
each action updates the page in place and keeps the place in the list."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from huddle.models import Feedback, FeedbackLink, Problem
from tests.browser.conftest import LiveServer
from tests.browser.test_evidence_flow import sign_in
from tests.factories import create_feedback, create_problem, create_user

pytestmark = pytest.mark.browser


def test_ten_items_to_inbox_zero_from_the_keyboard(
    database_url: str, session: Session, live_server: LiveServer, browser: object
) -> None:
    pm = create_user(session, role="pm")
    create_problem(session, title="Exports time out")
    start = datetime(2026, 11, 1, tzinfo=UTC)
    # Newest first in the inbox: "Item 0" is the top row.
    for n in range(10):
        create_feedback(session, text=f"Item {n}", occurred_at=start - timedelta(days=n))
    session.commit()
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()  # type: ignore[attr-defined]
    sign_in(page, live_server, pm.email)
    page.goto(f"{live_server.url}/inbox")
    left = page.locator("#left")
    current = page.locator("tr.current")
    assert left.inner_text() == "10 items left to triage"

    def settled(count: int) -> None:
        page.wait_for_function(
            "n => document.querySelector('#left').textContent.startsWith(n + ' item')"
            " && !document.documentElement.dataset.busy",
            arg=count,
        )

    # Select the first two, link them to a problem picked by typing its name.
    page.keyboard.press("x")
    page.keyboard.press("j")
    page.keyboard.press("x")
    assert page.inner_text("#selected-count") == "2 selected"
    page.keyboard.press("l")
    # The picker finds by any part of the title; its exact title is enough.
    page.keyboard.type("Exports time out")
    page.keyboard.press("Enter")
    settled(8)
    assert "Linked 2 items to “Exports time out”" in page.inner_text(".notice")
    # The place is kept: the second row is current, now "Item 3".
    assert "Item 3" in current.inner_text()

    # Dismiss the current item, then undo it.
    page.keyboard.press("d")
    settled(7)
    assert "Item 4" in current.inner_text()
    page.keyboard.press("u")
    settled(8)
    assert "Back in the inbox" in page.inner_text(".notice")

    # Move down and dismiss three, one at a time.
    for count in (7, 6, 5):
        page.keyboard.press("d")
        settled(count)
    # Snooze two until tomorrow.
    page.keyboard.press("k")
    page.keyboard.press("s")
    settled(4)
    page.keyboard.press("s")
    settled(3)
    # The help lists every key.
    page.keyboard.press("?")
    assert page.locator("dialog#keys").is_visible()
    page.keyboard.press("Escape")
    # Select the remaining three at once, make a new problem of them, typed and entered.
    page.keyboard.press("a")
    assert page.inner_text("#selected-count") == "3 selected"
    page.keyboard.press("n")
    page.keyboard.type("Bulk edit is missing")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.inner_text("h1").startswith("Bulk edit is missing")

    page.goto(f"{live_server.url}/inbox")
    assert left.inner_text() == "0 items left to triage"
    assert "Inbox zero" in page.inner_text("table")
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(FeedbackLink)) == 5
    assert session.scalar(select(func.count()).where(Feedback.dismissed_reason.is_not(None))) == 3
    assert session.scalar(select(func.count()).where(Feedback.snoozed_until.is_not(None))) == 2
    assert session.scalar(select(func.count()).select_from(Problem)) == 2


def test_enter_opens_an_item_and_a_selected_passage_is_linked_as_the_quote(
    database_url: str, session: Session, live_server: LiveServer, browser: object
) -> None:
    pm = create_user(session, role="pm")
    problem = create_problem(session, title="Exports time out")
    item = create_feedback(
        session, text="Hello. Exports to CSV time out on large reports. Thanks for the help!"
    )
    session.commit()
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()  # type: ignore[attr-defined]
    sign_in(page, live_server, pm.email)
    page.goto(f"{live_server.url}/inbox")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(f"/evidence/{item.id}")
    # Select the middle sentence with the mouse's equivalent: a range over the text node.
    page.evaluate(
        """() => {
            const node = document.querySelector('#evidence-text').firstChild;
            const start = node.textContent.indexOf('Exports');
            const end = node.textContent.indexOf('reports.') + 'reports.'.length;
            const range = document.createRange();
            range.setStart(node, start);
            range.setEnd(node, end);
            document.getSelection().removeAllRanges();
            document.getSelection().addRange(range);
        }"""
    )
    page.wait_for_selector("#quote-chosen:not([hidden])")
    assert page.inner_text("#quote-chosen q") == "Exports to CSV time out on large reports."
    page.select_option("#problem_id", str(problem.id))
    with page.expect_navigation():
        page.click("#link-quote button[type=submit]")
    assert "The passage is now evidence of" in page.inner_text(".notice")
    session.expire_all()
    quote = session.scalar(select(FeedbackLink.quote).where(FeedbackLink.feedback_id == item.id))
    assert quote == "Exports to CSV time out on large reports."


def test_an_action_that_fails_keeps_the_selection(
    database_url: str, session: Session, live_server: LiveServer, browser: object
) -> None:
    pm = create_user(session, role="pm")
    doomed = create_problem(session, title="Exports time out")
    create_problem(session, title="Bulk edit is missing")
    start = datetime(2026, 11, 1, tzinfo=UTC)
    items = [
        create_feedback(session, text=f"Item {n}", occurred_at=start - timedelta(days=n))
        for n in range(4)
    ]
    session.commit()
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()  # type: ignore[attr-defined]
    sign_in(page, live_server, pm.email)
    page.goto(f"{live_server.url}/inbox")
    # Someone else deletes the problem while this inbox is open: its picker still offers it.
    session.delete(doomed)
    session.commit()

    page.keyboard.press("x")
    page.keyboard.press("j")
    page.keyboard.press("x")
    page.keyboard.press("l")
    page.keyboard.type(f"Exports time out (#{doomed.id})")
    page.keyboard.press("Enter")
    page.wait_for_selector("main [role=alert]")
    page.wait_for_function("() => !document.documentElement.dataset.busy")
    assert "is gone (deleted or merged): choose another" in page.inner_text("main [role=alert]")
    # The selection and the place are what they were, ready for another try.
    checked = page.eval_on_selector_all(
        'input[name="ids"]:checked', "boxes => boxes.map(b => Number(b.value))"
    )
    assert checked == [items[0].id, items[1].id]
    assert page.inner_text("#selected-count") == "2 selected"
    assert "Item 1" in page.locator("tr.current").inner_text()

    page.keyboard.press("l")
    page.keyboard.type("Bulk edit is missing")
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => document.querySelector('#left').textContent.startsWith('2 items')"
        " && !document.documentElement.dataset.busy"
    )
    assert "Linked 2 items to “Bulk edit is missing”" in page.inner_text(".notice")
    session.expire_all()
    linked = set(session.scalars(select(FeedbackLink.feedback_id)))
    assert linked == {items[0].id, items[1].id}
