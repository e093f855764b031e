"""On a phone (390 px wide) the navigation folds behind a Menu button and no page is wider
than the screen: wide tables scroll inside themselves."""

import pytest
from sqlalchemy.orm import Session

from tests.browser.conftest import LiveServer
from tests.browser.test_evidence_flow import sign_in
from tests.factories import create_account, create_feedback, create_problem, create_user, link

pytestmark = pytest.mark.browser


def test_pages_fit_a_phone(
    database_url: str, session: Session, live_server: LiveServer, browser: object
) -> None:
    pm = create_user(session, role="pm")
    account = create_account(session, name="A company with a rather long name indeed")
    problem = create_problem(session, title="Exports time out on large reports every morning")
    item = create_feedback(session, account=account)
    link(session, item, problem)
    create_feedback(session, text="An unlinked item for the inbox")
    session.commit()
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()  # type: ignore[attr-defined]
    sign_in(page, live_server, pm.email)
    menu = page.locator("button[data-menu]")
    assert menu.is_visible()
    assert not page.locator("#nav-links a[href='/problems']").is_visible()
    menu.click()
    assert page.locator("#nav-links a[href='/problems']").is_visible()
    assert menu.get_attribute("aria-expanded") == "true"
    for path in (
        "/inbox",
        "/problems",
        f"/problems/{problem.id}",
        "/accounts",
        f"/evidence/{item.id}",
        "/my/evidence",
    ):
        page.goto(f"{live_server.url}{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        wide = page.evaluate(
            "[...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right > 392)"
            ".slice(0, 3).map(e => e.tagName + '.' + e.className + '#' + e.id)"
        )
        assert width <= 390, (path, width, wide)
