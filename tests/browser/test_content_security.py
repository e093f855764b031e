"""Every main page runs under its Content-Security-Policy in a real Chromium, with no violation.

The policy allows only our own scripts and styles: no inline <script>, no style attribute, no
<style> injected by a library, no eval. A page breaking that shows here as a violation event or
a console error, and the chart and the API docs must still draw.
"""

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.orm import Session

from huddle.models.objective import CheckIn
from tests.browser.conftest import LiveServer
from tests.browser.test_evidence_flow import sign_in
from tests.factories import (
    create_account,
    create_feedback,
    create_objective,
    create_problem,
    create_theme,
    create_user,
    first_key_result,
    link,
)

pytestmark = pytest.mark.browser

# Recorded before any script of the page runs; an init script is not subject to the policy.
WATCH_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
});
"""


class Watched:
    """A page whose console errors, uncaught exceptions and policy violations are kept."""

    def __init__(self, context: Any) -> None:
        self.page = context.new_page()
        self.problems: list[str] = []
        self.page.on(
            "console",
            lambda message: (
                self.problems.append(f"console {message.type}: {message.text}")
                if message.type == "error"
                else None
            ),
        )
        self.page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))

    def visit(self, url: str, ready: str) -> Any:
        response = self.page.goto(url)
        assert response is not None and response.ok, f"{url}: {response and response.status}"
        self.wait_for(ready)
        self.page.wait_for_load_state("networkidle")
        return response

    def wait_for(self, selector: str) -> None:
        try:
            self.page.wait_for_selector(selector, timeout=15_000)
        except Exception as error:
            violations = self.page.evaluate("window.__violations")
            raise AssertionError(f"no {selector}: {violations} {self.problems}") from error

    def check(self, where: str) -> None:
        violations = self.page.evaluate("window.__violations")
        assert not violations and not self.problems, f"{where}: {violations} {self.problems}"


def test_main_pages_run_under_the_policy_without_a_violation(
    database_url: str, session: Session, live_server: LiveServer, browser: Any
) -> None:
    admin = create_user(session, role="admin", name="Ada Admin")
    acme = create_account(session, name="Acme Holdings", segment="Enterprise", at_risk=True)
    problem = create_problem(session, title="Exports time out")
    now = datetime.now(UTC)
    for days in (5, 40, 70, 100, 130):
        item = create_feedback(
            session, account=acme, occurred_at=now - timedelta(days=days), submitter=admin
        )
        link(session, item, problem)
    theme = create_theme(session, create_feedback(session, text="Exports are slow at month end"))
    objective = create_objective(session, key_results=((900, 300, 600),))
    key_result = first_key_result(session, objective)
    for weeks, value in ((6, 900), (3, 750), (1, 600)):
        session.add(
            CheckIn(key_result_id=key_result.id, value=value, at=now - timedelta(weeks=weeks))
        )
    session.commit()

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(WATCH_VIOLATIONS)
    watched = Watched(context)
    login = watched.visit(f"{live_server.url}/login", "#email")
    policy = login.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    watched.check("login")
    sign_in(watched.page, live_server, admin.email)

    pages = [
        ("/inbox", "#bulk"),
        ("/problems", "#problem-table"),
        (f"/problems/{problem.id}", "#rank"),
        (f"/accounts/{acme.id}", "h1"),
        ("/evidence/new", "#account_query"),
        ("/admin/users", "form[action='/admin/users']"),
        ("/admin/imports", "form[action='/admin/imports']"),
        (f"/themes/{theme.id}", "h1"),
        ("/objectives", ".objective"),
        (f"/objectives/{objective.id}", ".key-result-card"),
        ("/docs", ".swagger-ui .opblock"),
    ]
    for path, ready in pages:
        watched.visit(f"{live_server.url}{path}", ready)
        if path.startswith(("/problems/", "/objectives/")):
            # The chart drew: Vega ran its expressions without eval and styled itself by file.
            watched.wait_for(".chart svg, .chart canvas")
            chart = watched.page.locator(".chart canvas, .chart svg").first.bounding_box()
            assert chart is not None and chart["width"] > 200 and chart["height"] > 100
        if path == "/docs":
            assert watched.page.locator(".swagger-ui .opblock").count() > 30
        watched.check(path)

    # Behaviours that used to be inline: htmx's account suggestions, and a select that submits.
    watched.visit(f"{live_server.url}/evidence/new", "#account_query")
    watched.page.fill("#account_query", "Acme")
    watched.wait_for("[data-pick-account]")
    watched.page.click("[data-pick-account]")
    assert watched.page.input_value("#account_query") == "Acme Holdings"
    watched.check("account suggestions")
    watched.visit(f"{live_server.url}/problems", "#problem-table")
    with watched.page.expect_navigation():
        watched.page.select_option("select[name=sort]", "mentions")
    assert re.search(r"sort=mentions", watched.page.url)
    watched.check("problems sorted")
    context.close()
