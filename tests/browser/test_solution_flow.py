"""A PM goes from a ranked problem to two scored solutions and compares them — in Chromium."""

import pytest
from sqlalchemy.orm import Session

from tests.browser.conftest import LiveServer
from tests.browser.test_evidence_flow import sign_in
from tests.factories import create_account, create_feedback, create_problem, create_user, link

pytestmark = pytest.mark.browser


def test_pm_proposes_and_scores_two_solutions_then_compares_them(
    database_url: str, session: Session, live_server: LiveServer, browser: object
) -> None:
    pm = create_user(session, role="pm", name="Pat PM")
    sso = create_problem(session, title="No single sign-on with Okta")
    for name in ("Acme", "Globex", "Initech"):
        link(session, create_feedback(session, account=create_account(session, name=name)), sso)
    session.commit()

    context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    sign_in(page, live_server, pm.email)
    page.goto(f"{live_server.url}/problems/{sso.id}")
    page.click("#propose-solution")
    # The problem it came from is already chosen; reach is left to its evidence.
    assert page.is_checked(f"input[name=problem_ids][value='{sso.id}']")
    page.fill("#title", "SAML single sign-on")
    page.fill("#impact", "3")
    page.fill("#confidence", "80")
    page.fill("#effort", "2")
    page.check("input[name=value_tags][value=privacy]")
    page.click("#save-solution")
    page.wait_for_selector(".notice")
    # 3 accounts x 3 x 0.8 ÷ 2
    assert "3.6" in page.inner_text("#scores")
    assert page.inner_text("#accounts") == "3"

    page.goto(f"{live_server.url}/solutions/new")
    page.fill("#title", "Password-less email links")
    page.fill("#reach", "10")
    page.fill("#impact", "1")
    page.fill("#confidence", "50")
    page.fill("#effort", "1")
    page.click("#save-solution")
    page.wait_for_selector(".notice")

    page.goto(f"{live_server.url}/solutions")
    rows = page.locator("#solution-table tbody tr")
    assert rows.count() == 2
    # 10 x 1 x 0.5 ÷ 1 = 5 beats 3.6.
    assert "Password-less" in rows.nth(0).inner_text()
    page.check("#solution-table input[type=checkbox] >> nth=0")
    page.check("#solution-table input[type=checkbox] >> nth=1")
    page.click("#compare-button")
    page.wait_for_selector("#compare")
    compared = page.inner_text("#compare").lower()
    assert "saml single sign-on" in compared and "password-less email links" in compared
    assert "needs" in compared  # neither has WSJF's inputs

    # A bad estimate is refused naming the field, and nothing changes.
    page.goto(f"{live_server.url}/solutions")
    page.click("text=SAML single sign-on")
    page.click("#edit-solution")
    page.fill("#effort", "0")
    page.click("#save-solution")
    page.wait_for_selector(".error")
    assert "effort" in page.inner_text(".error").lower()
    context.close()
