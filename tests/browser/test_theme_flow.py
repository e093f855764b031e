"""A PM works through suggested problems in a real Chromium: accept, merge, split, reject,
rename; a rediscovery keeps what they did and an old link says where a suggestion went."""

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

import huddle.feedback.views as inbox_views
from huddle.auth.actor import Actor
from huddle.insights import service
from huddle.insights.embedding import get_default_embedder, pack_vectors
from huddle.models import Problem, Theme
from tests.browser.conftest import LiveServer
from tests.browser.test_evidence_flow import sign_in
from tests.factories import create_account, create_feedback, create_user

pytestmark = pytest.mark.browser

TOPICS = {
    "sso": [
        "We need single sign-on with Okta before rollout",
        "IT requires SAML SSO for every tool we buy",
        "No Azure AD login is blocking our security review",
        "Please support SSO through Okta, our users hate another password",
        "Security says no to the tool until we get SAML single sign-on",
        "Can we log in with our Google Workspace SSO yet?",
    ],
    "export": [
        "The Excel export drops our custom fields",
        "CSV export breaks the date format every time",
        "Exported spreadsheets lose the currency column",
        "Export to Excel cuts off after ten thousand rows",
        "When I export the report to CSV the amounts are wrong",
        "Our accountant can't use the exported Excel file",
    ],
    "mobile": [
        "The mobile app logs me out before I can approve",
        "Approving invoices on my phone takes forever",
        "The iPhone app crashes when opening an attachment",
        "Approve button is hidden on the Android app",
        "Mobile approvals keep failing on the train",
        "The phone app is too slow to approve anything",
    ],
}


def test_pm_accepts_merges_splits_and_rejects(
    database_url: str,
    session: Session,
    live_server: LiveServer,
    browser: object,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pm = create_user(session, role="pm")
    account = create_account(session, name="Initrode")
    items = [
        create_feedback(session, text=t, account=account)
        for texts in TOPICS.values()
        for t in texts
    ]
    vectors = get_default_embedder().encode([i.text for i in items])
    for item, blob in zip(items, pack_vectors(vectors), strict=True):
        item.embedding = blob
    outcome = service.discover(session, actor=Actor(user=pm))
    session.commit()
    assert len(outcome.themes) >= 3

    page = browser.new_context(viewport={"width": 1280, "height": 1000}).new_page()  # type: ignore[attr-defined]
    sign_in(page, live_server, pm.email)
    page.goto(f"{live_server.url}/inbox")
    cards = page.locator(".theme")
    assert cards.count() == len(outcome.themes)
    # Past the first few, suggestions are folded; opening one fetches its quotes and actions.
    monkeypatch.setattr(inbox_views, "EXPANDED_SUGGESTIONS", 1)
    page.reload()
    folded = page.locator(".theme").nth(1)
    assert folded.get_attribute("open") is None
    assert folded.locator("button:has-text('Accept as problem')").count() == 0
    folded.locator("summary .theme-label").click()
    folded.locator("button:has-text('Accept as problem')").wait_for()
    assert folded.locator("ul.quotes li").count() >= 1
    monkeypatch.undo()
    page.reload()

    sso = page.locator(".theme", has_text="SSO").first
    sso.locator("input[name=title]").fill("No SSO with Okta or Azure AD")
    with page.expect_navigation():
        sso.locator("button:has-text('Accept as problem')").click()
    page.wait_for_selector(".notice")
    assert "Suggestion accepted" in page.inner_text(".notice")
    assert page.inner_text("h1").startswith("No SSO with Okta or Azure AD")
    problem = session.scalar(select(Problem).where(Problem.title == "No SSO with Okta or Azure AD"))
    assert problem is not None

    page.goto(f"{live_server.url}/inbox")
    before = page.locator(".theme").count()
    first = page.locator(".theme").first
    merged_away = first.get_attribute("data-theme-id")
    into = page.locator(".theme").nth(1).get_attribute("data-theme-id")
    # One searchable list of targets serves every suggestion: type, pick, merge.
    into_label = page.locator(".theme").nth(1).locator(".theme-label").inner_text()
    picked = page.locator(f"#theme-targets option[value='{into_label} (#{into})']")
    assert picked.count() == 1
    first.locator("input[name=into_id]").fill(f"{into_label} (#{into})")
    with page.expect_navigation():
        first.locator("button:has-text('Merge')").click()
    page.wait_for_selector(".notice")
    assert "Merged into" in page.inner_text(".notice")
    assert page.locator(".theme").count() == before - 1
    # Undo takes the merge back exactly; then merge again for what follows.
    with page.expect_navigation():
        page.click("#undo")
    assert "is its own suggestion again" in page.inner_text(".notice")
    assert page.locator(".theme").count() == before
    first = page.locator(f".theme[data-theme-id='{merged_away}']")
    first.locator("input[name=into_id]").fill(f"{into_label} (#{into})")
    with page.expect_navigation():
        first.locator("button:has-text('Merge')").click()
    assert page.locator(".theme").count() == before - 1

    merged = page.locator(".theme").first
    with page.expect_navigation():
        merged.locator("button:has-text('Split')").click()
    page.wait_for_selector(".notice")
    assert "Split into" in page.inner_text(".notice")
    assert page.locator(".theme").count() == before

    label = page.locator(".theme .theme-label").first.inner_text()
    with page.expect_navigation():
        page.locator(".theme").first.locator("button:has-text('Not a problem')").click()
    page.wait_for_selector(".notice")
    assert "will not be suggested again" in page.inner_text(".notice")
    assert page.locator(".theme", has_text=label).count() == 0
    session.expire_all()
    assert session.scalar(select(Theme).where(Theme.status == "rejected")) is not None

    # An old link to the suggestion merged away says where it went.
    page.goto(f"{live_server.url}/themes/{merged_away}")
    assert "This suggestion was merged" in page.inner_text(".fate")
    assert page.locator(".fate a.successor").count() == 1

    # A renamed suggestion keeps its name when discovery runs again.
    page.goto(f"{live_server.url}/inbox")
    target = page.locator(".theme").first.get_attribute("data-theme-id")
    page.goto(f"{live_server.url}/themes/{target}")
    page.fill("input[name=label]", "Approvals on phones")
    with page.expect_navigation():
        page.locator("button:has-text('Rename')").click()
    with page.expect_navigation():
        page.locator("#themes button:has-text('Rediscover')").click()
    page.wait_for_selector(".notice")
    assert "kept as people shaped them" in page.inner_text(".notice")
    card = page.locator(f".theme[data-theme-id='{target}']")
    assert card.locator(".theme-label").inner_text() == "Approvals on phones"
