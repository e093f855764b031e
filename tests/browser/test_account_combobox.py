"""The account field of the add-evidence form, used as a combobox from the keyboard, and an
account typed in full without picking."""

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from huddle.models import Feedback
from tests.browser.conftest import LiveServer
from tests.browser.test_evidence_flow import sign_in
from tests.factories import create_account, create_user

pytestmark = pytest.mark.browser


def test_arrows_pick_an_account_and_a_full_name_needs_no_pick(
    database_url: str, session: Session, live_server: LiveServer, browser: object
) -> None:
    rep = create_user(session, role="contributor")
    first = create_account(session, name="Acme Holdings")
    second = create_account(session, name="Acme Labs")
    session.commit()
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()  # type: ignore[attr-defined]
    sign_in(page, live_server, rep.email)

    page.goto(f"{live_server.url}/evidence/new")
    page.fill("#text", "Picked with the keyboard")
    field = page.locator("#account_query")
    field.click()
    page.keyboard.type("Acme")
    page.wait_for_selector("#account-suggestions [role=option]")
    assert field.get_attribute("aria-expanded") == "true"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    active = field.get_attribute("aria-activedescendant")
    assert (
        active is not None and page.locator(f"#{active}").get_attribute("aria-selected") == "true"
    )
    page.keyboard.press("Enter")
    picked = page.input_value("#account_query")
    assert picked in ("Acme Holdings", "Acme Labs")
    assert field.get_attribute("aria-expanded") == "false"
    page.click("button:has-text('Add evidence')")
    page.wait_for_selector(".notice")
    assert f"Evidence added for {picked}" in page.inner_text(".notice")

    # Typed in full, nothing picked: filed under that account all the same.
    page.fill("#text", "Typed in full")
    page.fill("#account_query", "acme labs")
    page.click("button:has-text('Add evidence')")
    page.wait_for_selector(".notice")
    assert "Evidence added for Acme Labs" in page.inner_text(".notice")
    session.expire_all()
    filed = session.scalar(select(Feedback.account_id).where(Feedback.text == "Typed in full"))
    assert filed == second.id
    assert first.id != second.id
