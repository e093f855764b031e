"""From a ranked problem to a scored, roadmapped, sales-approved solution — in Chromium: a PM
scores two ideas and drags one to "next"; sales leadership approves it; a salesperson sees
it on the sales-safe roadmap, and not the other."""

import pytest
from sqlalchemy.orm import Session

from tests.browser.conftest import LiveServer
from tests.browser.test_evidence_flow import sign_in
from tests.factories import create_account, create_feedback, create_problem, create_user, link

pytestmark = pytest.mark.browser


def _score(page: object, url: str, title: str, impact: str, effort: str) -> None:
    page.goto(url)  # type: ignore[attr-defined]
    page.fill("#title", title)  # type: ignore[attr-defined]
    page.fill("#impact", impact)  # type: ignore[attr-defined]
    page.fill("#confidence", "80")  # type: ignore[attr-defined]
    page.fill("#effort", effort)  # type: ignore[attr-defined]
    page.fill("#internal_notes", "Legal has not signed off")  # type: ignore[attr-defined]
    page.click("#save-solution")  # type: ignore[attr-defined]
    page.wait_for_selector(".notice")  # type: ignore[attr-defined]


def test_score_two_ideas_drag_one_to_next_approve_it_and_sales_sees_it(
    database_url: str, session: Session, live_server: LiveServer, browser: object
) -> None:
    pm = create_user(session, role="pm", name="Pat PM")
    leader = create_user(
        session, role="contributor", team="sales", name="Sal Leader", approves_for_sales=True
    )
    rep = create_user(session, role="contributor", team="sales", name="Rae Rep")
    sso = create_problem(session, title="No single sign-on with Okta")
    for name in ("Acme", "Globex", "Initech"):
        link(session, create_feedback(session, account=create_account(session, name=name)), sso)
    session.commit()

    context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    sign_in(page, live_server, pm.email)
    # From the ranked problem: propose and score two ideas.
    page.goto(f"{live_server.url}/problems")
    page.click(f"a[href='/problems/{sso.id}']")
    page.click("#propose-solution")
    _score(page, page.url, "SAML single sign-on", "3", "2")
    _score(page, f"{live_server.url}/solutions/new", "SCIM provisioning", "1", "4")

    # Neither is on the roadmap yet: drag the first from the unplanned list to "Next".
    page.goto(f"{live_server.url}/roadmap")
    card = page.locator("#unplanned [data-card]", has_text="SAML single sign-on")
    # The board saves the move, then reloads to show it as kept.
    with page.expect_navigation():
        card.drag_to(page.locator(".road-column[data-horizon=next]"))
    next_column = page.inner_text(".road-column[data-horizon=next]")
    assert "SAML single sign-on" in next_column and "awaiting sales approval" in next_column
    assert "SCIM provisioning" in page.inner_text("#unplanned")
    # The other one to "Later", then from "Later" to "Now" on the board itself.
    with page.expect_navigation():
        page.locator("#unplanned [data-card]", has_text="SCIM").drag_to(
            page.locator(".road-column[data-horizon=later]")
        )
    assert "SCIM provisioning" in page.inner_text(".road-column[data-horizon=later]")
    with page.expect_navigation():
        page.locator(".road-column[data-horizon=later] [data-card]").drag_to(
            page.locator(".road-column[data-horizon=now]")
        )
    assert "SCIM provisioning" in page.inner_text(".road-column[data-horizon=now]")
    assert "SCIM provisioning" not in page.inner_text(".road-column[data-horizon=later]")
    context.close()

    # Sales leadership approves the first, with no date.
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    sign_in(page, live_server, leader.email)
    page.goto(f"{live_server.url}/roadmap/approvals")
    row = page.locator("#awaiting tr", has_text="SAML single sign-on")
    row.locator("button", has_text="Approve for sales").click()
    page.wait_for_selector(".notice")
    assert "SAML single sign-on" in page.inner_text("#approved")
    context.close()

    # A salesperson sees it on the sales-safe roadmap, without notes, figures or the other.
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    sign_in(page, live_server, rep.email)
    page.goto(f"{live_server.url}/roadmap")
    assert "sales-safe" in page.inner_text("#audience-label")
    board = page.inner_text("#board")
    assert "SAML single sign-on" in board
    assert "SCIM" not in board and "Legal" not in board and "ARR" not in board
    assert "SAML single sign-on" in page.inner_text(".road-column[data-horizon=next]")
    # Printed, the roadmap is the board alone: no menu, filters, tabs or buttons.
    page.emulate_media(media="print")
    assert page.is_visible("#board") and page.is_visible(".print-only")
    for control in ("header.top", "#export-csv", "form.filters", "nav.tabs", "[data-print]"):
        assert not page.is_visible(control), control
    context.close()
