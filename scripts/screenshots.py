"""Regenerates the README's screenshots from the demo workspace in a real Chromium.

    python scripts/screenshots.py [--out docs/screenshots]

Builds the demo in a temporary database, serves it on a free local port, signs in as the
demo PM and captures the main pages.
"""

import argparse
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright
from tests.browser.conftest import CHROMIUM, FLAGS, LiveServer

from huddle.db import session_scope
from huddle.demo import generator, loader
from huddle.demo.generator import DEMO_PASSWORD
from huddle.jobs.runner import run_until_idle
from huddle.migrate import upgrade

PAGES = {
    "problems.png": "/problems",
    "inbox.png": "/inbox",
    "problem.png": None,  # the top-ranked problem
    "account.png": None,  # the largest account
    "evidence.png": "/evidence/new",
    "item.png": None,  # the first item of the inbox, on its own page
    "my-evidence.png": None,  # a contributor's own evidence and what became of it
    "solutions.png": "/solutions",
    "solution.png": None,  # the top solution by RICE
    "objective.png": None,  # the first objective, its key results and their check-ins
    "roadmap.png": "/roadmap",
    "roadmap-sales.png": "/roadmap?audience=sales",
    "digest.png": "/digests?audience=leadership",
    "brief.png": None,  # the call brief of the largest account at risk
    "changelog.png": "/changelog",
    "watch-list.png": "/watch-list",
    "launches.png": "/launches",
    "launch.png": None,  # the launch in its learning stage: gate, experiments, decision, plan
    "decisions.png": "/decisions",
    "effort.png": "/launches/effort",
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/demo.db"
        upgrade(url)
        workspace = generator.generate(7)
        with session_scope(url) as session:
            loader.load(session, workspace)
        run_until_idle(url)
        pm = next(u for u in workspace.users if u.role == "pm")
        with LiveServer(url) as server, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(f"{server.url}/login")
            page.fill("#email", pm.email)
            page.fill("#password", DEMO_PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_selector("header.top")
            for name, path in PAGES.items():
                if name == "problem.png":
                    page.goto(f"{server.url}/problems")
                    page.click("#problem-table tbody tr:first-child a")
                    page.wait_for_selector(".chart svg, .chart canvas")
                elif name == "account.png":
                    page.goto(f"{server.url}/accounts")
                    page.click("table tbody tr:first-child a")
                elif name == "item.png":
                    page.goto(f"{server.url}/inbox")
                    page.click("tr[data-row] a[data-open]")
                elif name == "solution.png":
                    page.goto(f"{server.url}/solutions")
                    page.click("#solution-table tbody tr:first-child a")
                elif name == "objective.png":
                    page.goto(f"{server.url}/objectives")
                    page.click("main a[href^='/objectives/']:not([href$='/new'])")
                    page.wait_for_selector(".chart svg, .chart canvas")
                elif name == "brief.png":
                    page.goto(f"{server.url}/accounts?risk=1")
                    page.click("table tbody tr:first-child a")
                    page.click("#call-brief")
                elif name == "launch.png":
                    page.goto(f"{server.url}/launches")
                    page.click("a[href$='/launch']:text('Notification digest')")
                elif name == "my-evidence.png":
                    page.goto(f"{server.url}/my/evidence")
                else:
                    page.goto(f"{server.url}{path}")
                page.wait_for_load_state("networkidle")
                page.screenshot(path=str(args.out / name), full_page=False)
                print(f"wrote {args.out / name}")
            browser.close()


if __name__ == "__main__":
    main()
