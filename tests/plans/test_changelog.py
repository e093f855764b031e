"""The changelog: shipped solutions, newest first; the public page and its Atom feed show
only those marked public, once an admin opens them, and never what they answered inside."""

from datetime import timedelta
from xml.etree import ElementTree as ET

import pytest
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from huddle.auth.actor import Actor
from huddle.cli.main import app as cli
from huddle.errors import NotFound, NotPermitted
from huddle.ideas import service as ideas
from huddle.ideas.schemas import SolutionCreate, SolutionUpdate
from huddle.kit.time import utcnow
from huddle.models.solution import Solution
from huddle.plans import changelog
from tests.factories import create_user
from tests.helpers import client, login

ATOM = "{http://www.w3.org/2005/Atom}"


def _shipped(session: Session) -> dict[str, object]:
    pm = Actor(create_user(session, role="pm"))
    admin = create_user(session, role="admin")
    made = {}
    for key, title, public in (
        ("older", "Dark mode", True),
        ("newer", "SAML <SSO> & SCIM", True),
        ("hidden", "Internal audit export", False),
        ("planned", "Mobile approvals", True),
    ):
        made[key] = ideas.create_solution(
            session,
            data=SolutionCreate(title=title, description=f"{title} is here", public=public),
            actor=pm,
        ).id
    for key in ("older", "newer", "hidden"):
        ideas.update_solution(
            session, solution_id=made[key], data=SolutionUpdate(commitment="shipped"), actor=pm
        )
    for key, days in (("older", 30), ("hidden", 10)):
        solution = session.get(Solution, made[key])
        assert solution is not None
        solution.shipped_at = utcnow() - timedelta(days=days)
    session.commit()
    return {"pm": pm, "admin": admin, **made}


def test_the_changelog_lists_shipped_solutions_newest_first(session: Session) -> None:
    made = _shipped(session)
    inside = changelog.entries(session, actor=made["pm"])  # type: ignore[arg-type]
    assert [e.title for e in inside] == ["SAML <SSO> & SCIM", "Internal audit export", "Dark mode"]
    with pytest.raises(NotFound):
        changelog.entries(session, actor=None)
    with pytest.raises(NotPermitted):
        changelog.set_public(session, enabled=True, actor=made["pm"])  # type: ignore[arg-type]
    changelog.set_public(session, enabled=True, actor=Actor(made["admin"]))  # type: ignore[arg-type]
    public = changelog.entries(session, actor=None)
    assert [e.title for e in public] == ["SAML <SSO> & SCIM", "Dark mode"]
    assert all(e.problems is None and e.accounts is None for e in public)


def test_the_public_page_and_feed(database_url: str, session: Session) -> None:
    made = _shipped(session)
    anyone = client(database_url)
    assert anyone.get("/public/changelog").status_code == 404
    assert anyone.get("/public/changelog.atom").status_code == 404
    admin = client(database_url)
    csrf = login(admin, made["admin"].email)  # type: ignore[attr-defined]
    admin.post("/admin/changelog/public", data={"csrf_token": csrf, "enabled": "on"})
    page = anyone.get("/public/changelog")
    assert page.status_code == 200 and "Dark mode" in page.text
    assert "Internal audit export" not in page.text and "Mobile approvals" not in page.text
    assert "/solutions/" not in page.text and "problem" not in page.text.lower()
    feed = anyone.get("/public/changelog.atom")
    assert feed.headers["content-type"].startswith("application/atom+xml")
    root = ET.fromstring(feed.content)
    entries = root.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["SAML <SSO> & SCIM", "Dark mode"]
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert all(i and i.startswith("tag:") for i in ids) and len(set(ids)) == 2
    assert root.findtext(f"{ATOM}updated") == entries[0].findtext(f"{ATOM}updated")
    inside = admin.get("/changelog")
    assert "Internal audit export" in inside.text and "internal only" in inside.text


def test_the_cli_exports_markdown_and_atom(database_url: str, session: Session) -> None:
    made = _shipped(session)
    runner = CliRunner()
    base = ["--db", database_url, "--as", made["admin"].email, "changelog", "export"]  # type: ignore[attr-defined]
    md = runner.invoke(cli, [*base, "--format", "md"])
    assert md.exit_code == 0, md.output
    assert md.output.index("## SAML <SSO> & SCIM") < md.output.index("## Dark mode")
    assert "Internal audit export" not in md.output
    internal = runner.invoke(cli, [*base, "--format", "md", "--audience", "internal"])
    assert "Internal audit export" in internal.output and "Answers 0 problem" in internal.output
    feed = runner.invoke(cli, [*base, "--format", "atom"])
    assert feed.exit_code == 0, feed.output
    root = ET.fromstring(feed.stdout_bytes)
    assert len(root.findall(f"{ATOM}entry")) == 2
