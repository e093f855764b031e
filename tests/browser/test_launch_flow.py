"""A PM takes a solution from planning to launched in Chromium: ticks the gate, moves on
(with a reason past open items), enters an experiment's results, adds the go-to-market
plan, records a go decision and launches; the pages run under the Content-Security-Policy."""

import pytest
from sqlalchemy.orm import Session

from huddle.auth.actor import Actor
from huddle.launch import stages
from tests.browser.conftest import LiveServer
from tests.browser.test_content_security import WATCH_VIOLATIONS, Watched
from tests.browser.test_evidence_flow import sign_in
from tests.factories import create_solution, create_user

pytestmark = pytest.mark.browser


def test_pm_takes_a_solution_from_planning_to_launched_with_a_go_decision(
    database_url: str, session: Session, live_server: LiveServer, browser: object
) -> None:
    pm = create_user(session, role="pm", name="Pat PM")
    lead = create_user(session, role="contributor", team="sales", name="Sam Sales")
    solution = create_solution(session, title="SAML single sign-on")
    session.commit()
    stages.move(
        session, solution_id=solution.id, to="planning", reason="Validated in QBRs", actor=Actor(pm)
    )
    session.commit()

    context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    context.add_init_script(WATCH_VIOLATIONS)
    watched = Watched(context)
    page = watched.page
    sign_in(page, live_server, pm.email)

    # The solution's page shows its stage and leads to its launch page.
    watched.visit(f"{live_server.url}/solutions/{solution.id}", "#launch-link")
    assert page.inner_text("#stage") == "Planning"
    with page.expect_navigation():
        page.click("#launch-link")
    watched.wait_for("#gate")

    # Tick every item of the planning gate: each box saves itself.
    boxes = page.locator("#gate input[type=checkbox]")
    count = boxes.count()
    assert count == len(stages.DEFAULT_GATES["planning"])
    for i in range(count):
        with page.expect_navigation():
            page.locator("#gate input[type=checkbox]").nth(i).check()
    assert page.locator("#gate input[type=checkbox]:checked").count() == count

    # A closed gate: on to implementation without a reason.
    with page.expect_navigation():
        page.click("#move-stage")
    assert "Moved to implementation" in page.inner_text(".notice")
    assert page.inner_text("#stage") == "Implementation"

    # Past open items only with a reason.
    page.select_option("#stage-to", "ready")
    with page.expect_navigation():
        page.click("#move-stage")
    assert "gate items are still open" in page.inner_text(".error")
    assert page.inner_text("#stage") == "Implementation"
    page.select_option("#stage-to", "ready")
    page.fill("#stage-reason", "Docs follow in the first week")
    with page.expect_navigation():
        page.click("#move-stage")
    assert page.inner_text("#stage") == "Ready"

    # The experiment's results, analysed.
    page.click("#new-experiment summary")
    page.fill("#experiment-name", "SSO prompt on sign-in")
    page.fill("#experiment-metric", "enterprise trial to paid")
    page.fill(
        "#experiment-results",
        "variant,exposures,conversions\ncontrol,4000,400\nsso-prompt,4000,480\n",
    )
    with page.expect_navigation():
        page.click("#add-experiment")
    verdict = page.inner_text("#experiments .verdict")
    assert verdict.startswith("Supports shipping sso-prompt")

    # The go-to-market plan, then the go decision (its form is open at the ready stage).
    with page.expect_navigation():
        page.click("#standard-plan")
    assert "0/6" in page.inner_text("#readiness")
    page.select_option("#decision-outcome", "go")
    page.fill("#decision-reasons", "The prompt lifts conversion by two points")
    page.fill("#decision-risks", "Support macros are late")
    page.select_option("#decision-signed", str(lead.id))
    with page.expect_navigation():
        page.click("#record-decision")
    assert "Decision recorded" in page.inner_text(".notice")
    decision = page.inner_text("#decisions .decision-record")
    assert "Go" in decision and "Sam Sales" in decision and "two points" in decision

    page.select_option("#stage-to", "launched")
    page.fill("#stage-reason", "Go decision recorded; sales enablement in progress")
    with page.expect_navigation():
        page.click("#move-stage")
    assert page.inner_text("#stage") == "Launched"
    watched.check("launch page")

    # The decision is listed and found; the effort chart draws under the policy.
    watched.visit(f"{live_server.url}/decisions?q=conversion", "#decision-count")
    assert page.inner_text("#decision-count") == "1 decision"
    assert "SAML single sign-on" in page.inner_text("main")
    watched.visit(f"{live_server.url}/launches", "#stage-board")
    assert "SAML single sign-on" in page.inner_text("[data-stage=launched]")
    watched.visit(f"{live_server.url}/launches/effort", "#effort-chart")
    watched.wait_for("#effort-chart svg, #effort-chart canvas")
    watched.check("decisions, launches and effort pages")
    context.close()  # type: ignore[attr-defined]
