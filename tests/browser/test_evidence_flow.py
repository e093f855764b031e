"""A sales rep adds evidence; a PM links it; the ranking changes — in a real Chromium."""

from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from tests.browser.conftest import LiveServer
from tests.factories import (
    PASSWORD,
    create_account,
    create_feedback,
    create_problem,
    create_user,
    link,
)

pytestmark = pytest.mark.browser
SHOTS = Path(__file__).parent / "screenshots"


def sign_in(page: object, server: LiveServer, email: str) -> None:
    page.goto(f"{server.url}/login")  # type: ignore[attr-defined]
    page.fill("#email", email)  # type: ignore[attr-defined]
    page.fill("#password", PASSWORD)  # type: ignore[attr-defined]
    page.click("button[type=submit]")  # type: ignore[attr-defined]
    page.wait_for_selector("header.top")  # type: ignore[attr-defined]


def test_rep_adds_evidence_pm_links_it_and_the_ranking_changes(
    database_url: str, session: Session, live_server: LiveServer, browser: object
) -> None:
    rep = create_user(session, role="contributor", team="sales", name="Sam Rep")
    pm = create_user(session, role="pm", team="product", name="Pat PM")
    small = create_account(session, name="Tiny Co", arr=5_000_00, segment="SMB")
    create_account(
        session, name="Acme Holdings", arr=900_000_00, segment="Enterprise", at_risk=True
    )
    noisy = create_problem(session, title="Onboarding emails are confusing")
    quiet = create_problem(session, title="No SSO with Okta")
    for _ in range(3):
        link(session, create_feedback(session, account=small), noisy)
    link(session, create_feedback(session, account=small), quiet)
    session.commit()

    context = browser.new_context()  # type: ignore[attr-defined]
    page = context.new_page()
    sign_in(page, live_server, rep.email)
    page.click("text=+ Add evidence")
    page.fill("#text", "Acme's IT lead: without Okta SSO they will not renew in March.")
    page.fill("#account_query", "Acme")
    page.click("[data-pick-account]")
    assert page.input_value("#account_query") == "Acme Holdings"
    page.select_option("#source", "call")
    page.click("button:has-text('Add evidence')")
    page.wait_for_selector(".notice")
    assert "Evidence added for Acme Holdings" in page.inner_text(".notice")
    context.close()

    context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    sign_in(page, live_server, pm.email)
    page.goto(f"{live_server.url}/problems")
    first = page.inner_text("#problem-table tbody tr:first-child")
    assert "Onboarding emails are confusing" in first
    page.goto(f"{live_server.url}/inbox")
    row = page.locator("tr", has_text="without Okta SSO")
    row.locator("input[name=ids]").check()
    assert page.inner_text("#selected-count") == "1 selected"
    page.fill("input[name=problem_id]", f"{quiet.title} (#{quiet.id})")
    page.click("button:has-text('Link')")
    page.wait_for_selector(".notice")
    assert "Linked 1 item" in page.inner_text(".notice")
    assert page.locator("tr", has_text="without Okta SSO").count() == 0

    page.goto(f"{live_server.url}/problems")
    first = page.inner_text("#problem-table tbody tr:first-child")
    assert "No SSO with Okta" in first
    page.click("text=No SSO with Okta")
    page.wait_for_selector("#rank")
    assert page.inner_text("#rank") == "#1"
    assert "Acme Holdings" in page.inner_text("main")
    page.wait_for_selector(".chart svg, .chart canvas", timeout=10_000)
    if "sqlite" in database_url:
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / "problem.png"), full_page=True)
    context.close()
