"""Delivery links: tickets by URL; their status arrives from Jira, Linear and GitHub webhook
payloads (the shapes each tool documents) posted to a real server on loopback, signed with
the tool's secret; a wrong signature, a stale Linear delivery and a replay change nothing. A
solution whose tickets are all done is ready for its launch gate. After launch, whether the
problems it addressed are mentioned less."""

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from huddle.auth.actor import Actor
from huddle.cli.main import app as cli
from huddle.config import get_settings
from huddle.errors import Conflict, Invalid, NotPermitted
from huddle.kit.time import utcnow
from huddle.launch import delivery, plans, stages
from huddle.models import DeliveryLink, HookDelivery
from tests.browser.conftest import LiveServer
from tests.factories import create_feedback, create_problem, create_solution, create_user, link
from tests.helpers import bearer, client, login

SECRETS = {"github": "gh-secret", "linear": "lin-secret", "jira": "jira-secret"}


@pytest.fixture
def secrets(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for tool, secret in SECRETS.items():
        monkeypatch.setenv(f"HUDDLE_{tool.upper()}_WEBHOOK_SECRET", secret)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.mark.parametrize(
    ("url", "tool", "key"),
    [
        ("https://github.com/Ledgerline/app/issues/123", "github", "ledgerline/app#123"),
        ("https://github.com/ledgerline/app/pull/77", "github", "ledgerline/app#77"),
        ("https://linear.app/ledgerline/issue/ENG-42/saml-login", "linear", "ENG-42"),
        ("https://ledgerline.atlassian.net/browse/PAY-7", "jira", "PAY-7"),
        (
            "https://ledgerline.atlassian.net/jira/software/projects/PAY/boards/1?selectedIssue=PAY-9",
            "jira",
            "PAY-9",
        ),
    ],
)
def test_ticket_urls(url: str, tool: str, key: str) -> None:
    assert delivery.parse_ticket(url) == (tool, key)


def test_other_urls_are_refused_naming_the_field() -> None:
    for url in ("https://example.com/PAY-7", "ftp://github.com/a/b/issues/1", "PAY-7"):
        with pytest.raises(Invalid) as refused:
            delivery.parse_ticket(url)
        assert refused.value.field == "url"


def _sign(tool: str, body: bytes) -> dict[str, str]:
    digest = hmac.new(SECRETS[tool].encode(), body, hashlib.sha256).hexdigest()
    return {
        "github": {"X-Hub-Signature-256": f"sha256={digest}"},
        "jira": {"X-Hub-Signature": f"sha256={digest}"},
        "linear": {"Linear-Signature": digest},
    }[tool]


def _post(
    server: LiveServer, tool: str, body: bytes, headers: dict[str, str]
) -> tuple[int, dict[str, object]]:
    request = urllib.request.Request(
        f"{server.url}/hooks/{tool}",
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", **headers},
    )
    try:
        with urllib.request.urlopen(request, timeout=20) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


# The payload shapes each tool documents, cut to the fields Huddle reads and their neighbours.
def _github_issue(number: int, state: str, reason: str | None) -> bytes:
    return json.dumps(
        {
            "action": "closed" if state == "closed" else "reopened",
            "issue": {
                "number": number,
                "html_url": f"https://github.com/ledgerline/app/issues/{number}",
                "state": state,
                "state_reason": reason,
                "title": "SAML login",
            },
            "repository": {"full_name": "Ledgerline/app"},
            "sender": {"login": "wen"},
        }
    ).encode()


def _github_pull(number: int, merged: bool) -> bytes:
    return json.dumps(
        {
            "action": "closed",
            "number": number,
            "pull_request": {"number": number, "state": "closed", "merged": merged},
            "repository": {"full_name": "ledgerline/app"},
        }
    ).encode()


def _linear(identifier: str, name: str, kind: str, sent_ms: int | None = None) -> bytes:
    return json.dumps(
        {
            "action": "update",
            "type": "Issue",
            "data": {
                "id": "2174add1-f7c8-44e3-bbf3-2d60b5ea8bc9",
                "identifier": identifier,
                "title": "SAML login",
                "state": {"id": "s1", "name": name, "type": kind},
            },
            "url": f"https://linear.app/ledgerline/issue/{identifier}",
            "webhookTimestamp": sent_ms if sent_ms is not None else int(time.time() * 1000),
        }
    ).encode()


def _jira(key: str, name: str, category: str) -> bytes:
    return json.dumps(
        {
            "timestamp": int(time.time() * 1000),
            "webhookEvent": "jira:issue_updated",
            "issue": {
                "id": "10001",
                "key": key,
                "self": "https://ledgerline.atlassian.net/rest/api/2/issue/10001",
                "fields": {"status": {"name": name, "statusCategory": {"key": category}}},
            },
        }
    ).encode()


def test_statuses_arrive_signed_and_replays_are_ignored(
    database_url: str, session: Session, secrets: None
) -> None:
    pm = Actor(create_user(session, role="pm"))
    solution = create_solution(session, title="SAML single sign-on")
    other = create_solution(session, title="Audit log")
    urls = [
        "https://github.com/ledgerline/app/issues/123",
        "https://github.com/ledgerline/app/pull/77",
        "https://linear.app/ledgerline/issue/ENG-42",
        "https://ledgerline.atlassian.net/browse/PAY-7",
    ]
    for url in urls:
        delivery.add_link(session, solution_id=solution.id, url=url, actor=pm)
    delivery.add_link(session, solution_id=other.id, url=urls[2], actor=pm)
    with pytest.raises(Conflict):
        delivery.add_link(session, solution_id=solution.id, url=urls[0], actor=pm)
    session.commit()

    with LiveServer(database_url) as server:
        body = _github_issue(123, "closed", "completed")
        # A wrong signature is refused and changes nothing.
        status, answer = _post(
            server,
            "github",
            body,
            {
                "X-Hub-Signature-256": "sha256=" + "0" * 64,
                "X-GitHub-Event": "issues",
                "X-GitHub-Delivery": "d-1",
            },
        )
        assert status == 401 and "signature" in str(answer)
        headers = {**_sign("github", body), "X-GitHub-Event": "issues", "X-GitHub-Delivery": "d-1"}
        assert _post(server, "github", body, headers) == (
            200,
            {"outcome": "applied", "links_changed": 1},
        )
        # The same delivery again (a replay): ignored.
        assert _post(server, "github", body, headers) == (
            200,
            {"outcome": "replay", "links_changed": 0},
        )
        # A body changed under an old signature: refused.
        forged = _github_issue(123, "open", None)
        assert _post(server, "github", forged, {**headers, "X-GitHub-Delivery": "d-2"})[0] == 401

        pull = _github_pull(77, merged=True)
        assert (
            _post(
                server,
                "github",
                pull,
                {
                    **_sign("github", pull),
                    "X-GitHub-Event": "pull_request",
                    "X-GitHub-Delivery": "d-3",
                },
            )[1]["links_changed"]
            == 1
        )

        stale = _linear("ENG-42", "Done", "completed", sent_ms=int((time.time() - 600) * 1000))
        status, answer = _post(
            server, "linear", stale, {**_sign("linear", stale), "Linear-Delivery": "l-0"}
        )
        assert status == 422 and "webhookTimestamp" in str(answer)
        done = _linear("ENG-42", "Done", "completed")
        # One Linear issue linked from two solutions: both hear it.
        assert _post(server, "linear", done, {**_sign("linear", done), "Linear-Delivery": "l-1"})[
            1
        ] == {
            "outcome": "applied",
            "links_changed": 2,
        }

        progress = _jira("PAY-7", "In Review", "indeterminate")
        jira_headers = {**_sign("jira", progress), "X-Atlassian-Webhook-Identifier": "j-1"}
        assert _post(server, "jira", progress, jira_headers)[1]["links_changed"] == 1
        session.expire_all()
        found = delivery.links(session, solution_id=solution.id, actor=pm)
        assert [(x.key, x.status, x.done) for x in found.links] == [
            ("ledgerline/app#123", "closed (completed)", True),
            ("ledgerline/app#77", "merged", True),
            ("ENG-42", "Done", True),
            ("PAY-7", "In Review", False),
        ]
        assert not found.all_done
        finished = _jira("PAY-7", "Done", "done")
        _post(
            server,
            "jira",
            finished,
            {**_sign("jira", finished), "X-Atlassian-Webhook-Identifier": "j-2"},
        )
        session.expire_all()
        assert delivery.links(session, solution_id=solution.id, actor=pm).all_done

    kept = session.scalars(select(HookDelivery.delivery_id).order_by(HookDelivery.id)).all()
    assert kept == ["d-1", "d-3", "l-1", "j-1", "j-2"]


def test_without_a_secret_a_tool_is_refused(
    database_url: str, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("HUDDLE_GITHUB_WEBHOOK_SECRET", raising=False)
    get_settings.cache_clear()
    api = client(database_url)
    body = _github_issue(1, "closed", "completed")
    refused = api.post("/hooks/github", content=body, headers={"X-GitHub-Event": "issues"})
    assert refused.status_code == 403 and "HUDDLE_GITHUB_WEBHOOK_SECRET" in refused.text
    assert api.post("/hooks/gitlab", content=body).status_code == 422


def test_links_through_the_api_and_page(database_url: str, session: Session) -> None:
    pm = create_user(session, role="pm")
    solution = create_solution(session)
    headers = bearer(session, pm)
    session.commit()
    api = client(database_url)
    url = f"/api/v1/solutions/{solution.id}/links"
    made = api.post(url, json={"url": "https://linear.app/ledgerline/issue/eng-5"}, headers=headers)
    assert made.status_code == 201 and made.json()["key"] == "ENG-5"
    bad = api.post(url, json={"url": "https://example.com/x"}, headers=headers)
    assert bad.status_code == 422 and "url" in bad.text
    again = api.post(
        url, json={"url": "https://linear.app/ledgerline/issue/eng-5"}, headers=headers
    )
    assert again.status_code == 409
    listed = api.get(url, headers=headers).json()
    assert [i["key"] for i in listed["items"]] == ["ENG-5"] and listed["all_done"] is False
    assert api.delete(f"/api/v1/links/{made.json()['id']}", headers=headers).status_code == 204
    assert session.scalars(select(DeliveryLink)).all() == []


def test_after_launch_mentions_before_and_since(session: Session) -> None:
    pm = Actor(create_user(session, role="pm"))
    problem = create_problem(session, title="No SSO")
    solution = create_solution(session, problems=(problem,))
    now = utcnow()
    launched = (now - timedelta(days=10)).date()
    # 6 mentions in the 30 days before launch, 1 in the 10 days since (3 per 30 days).
    for days in (12, 15, 20, 25, 30, 38, 5):
        link(session, create_feedback(session, occurred_at=now - timedelta(days=days)), problem)
    link(session, create_feedback(session, occurred_at=now - timedelta(days=45)), problem)
    assert delivery.mentions_change(session, solution_id=solution.id, actor=pm) is None
    plans.set_launch_date(session, solution_id=solution.id, launch_on=launched, actor=pm)
    stages.move(session, solution_id=solution.id, to="launched", reason="Shipped", actor=pm)
    found = delivery.mentions_change(session, solution_id=solution.id, actor=pm)
    assert found is not None
    assert (found.before, found.after, found.days_after) == (6, 3.0, 10)
    assert found.change == pytest.approx(-0.5)


# The tools' own CSV export shapes (trimmed to the columns that matter, plus a few others).
JIRA_CSV = (
    "Summary,Issue key,Issue id,Issue Type,Status,Status Category,Resolution\n"
    "SAML login,PAY-7,10007,Story,Released,Done,Done\n"
    "SCIM,PAY-9,10009,Story,In Review,In Progress,\n"
    "Unrelated,PAY-11,10011,Bug,Done,Done,Done\n"
)
LINEAR_CSV = (
    "ID,Title,Status,Priority,Created,Completed,Canceled\n"
    "ENG-42,SAML login,Done,High,2026-11-01T10:00:00.000Z,2026-11-20T10:00:00.000Z,\n"
    "ENG-43,Old idea,Canceled,Low,2026-10-01T10:00:00.000Z,,2026-10-02T10:00:00.000Z\n"
)
GITHUB_CSV = (
    "Title,URL,Assignees,Status,Repository\n"
    "SAML login,https://github.com/Ledgerline/app/issues/123,ana,Shipped,Ledgerline/app\n"
)


def test_statuses_come_in_from_the_tools_csv_exports(database_url: str, session: Session) -> None:
    pm = create_user(session, role="pm")
    solution = create_solution(session, title="SAML SSO")
    other = create_solution(session, title="SCIM")
    session.commit()
    as_pm = Actor(pm)
    for url, on in (
        ("https://ledgerline.atlassian.net/browse/PAY-7", solution),
        ("https://ledgerline.atlassian.net/browse/PAY-9", other),
        ("https://linear.app/ledgerline/issue/ENG-42/saml", solution),
        ("https://linear.app/ledgerline/issue/ENG-43/old", solution),
        ("https://github.com/ledgerline/app/issues/123", solution),
    ):
        delivery.add_link(session, solution_id=on.id, url=url, actor=as_pm)
    session.commit()
    jira = delivery.import_statuses(session, tool="jira", text=JIRA_CSV, actor=as_pm)
    assert (jira.tickets, jira.changed, jira.unknown) == (3, 2, ["PAY-11"])
    linear = delivery.import_statuses(session, tool="linear", text=LINEAR_CSV, actor=as_pm)
    assert (linear.tickets, linear.changed) == (2, 2)
    github = delivery.import_statuses(session, tool="github", text=GITHUB_CSV, actor=as_pm)
    assert github.changed == 1
    session.commit()
    found = {(k.key, k.status, k.done) for k in session.scalars(select(DeliveryLink))}
    assert found == {
        ("PAY-7", "Released", True),  # Jira's status category says done
        ("PAY-9", "In Review", False),
        ("ENG-42", "Done", True),
        ("ENG-43", "Canceled", False),  # cancelled is not delivered
        ("ledgerline/app#123", "Shipped", True),
    }
    assert not delivery.links(session, solution_id=solution.id, actor=as_pm).all_done
    # The same file again changes nothing.
    again = delivery.import_statuses(session, tool="jira", text=JIRA_CSV, actor=as_pm)
    assert again.changed == 0


def test_a_bad_export_is_refused_naming_the_line_and_changes_nothing(
    database_url: str, session: Session
) -> None:
    pm = create_user(session, role="pm")
    solution = create_solution(session)
    session.commit()
    as_pm = Actor(pm)
    delivery.add_link(
        session,
        solution_id=solution.id,
        url="https://ledgerline.atlassian.net/browse/PAY-7",
        actor=as_pm,
    )
    session.commit()
    with pytest.raises(Invalid) as no_columns:
        delivery.import_statuses(session, tool="jira", text="Summary,Owner\nx,y\n", actor=as_pm)
    assert "line 1" in no_columns.value.message and "Status" in no_columns.value.message
    wrong_tool = "URL,Status\nhttps://ledgerline.atlassian.net/browse/PAY-7,Done\n"
    broken = "URL,Status\nhttps://github.com/a/b/issues/1,Done\nnot a url at all,Done\n"
    for tool, text, line in (("github", wrong_tool, 2), ("jira", broken, 2)):
        with pytest.raises(Invalid) as refused:
            delivery.import_statuses(session, tool=tool, text=text, actor=as_pm)
        assert f"line {line}" in refused.value.message
    session.rollback()
    (kept,) = session.scalars(select(DeliveryLink)).all()
    assert (kept.status, kept.done) == ("", False)
    viewer = Actor(create_user(session, role="viewer"))
    with pytest.raises(NotPermitted):
        delivery.import_statuses(session, tool="jira", text=JIRA_CSV, actor=viewer)


def test_statuses_from_an_export_on_the_page_and_the_cli(
    database_url: str, session: Session, tmp_path: Path
) -> None:
    pm = create_user(session, role="pm")
    create_user(session, role="admin")
    solution = create_solution(session)
    session.commit()
    delivery.add_link(
        session,
        solution_id=solution.id,
        url="https://linear.app/ledgerline/issue/ENG-42/saml",
        actor=Actor(pm),
    )
    session.commit()
    browser = client(database_url)
    token = login(browser, pm.email)
    answer = browser.post(
        f"/solutions/{solution.id}/links/statuses",
        data={"csrf_token": token, "tool": "linear"},
        files={"file": ("linear.csv", LINEAR_CSV.encode(), "text/csv")},
        follow_redirects=True,
    )
    assert "2 tickets read, 1 links changed" in answer.text
    assert "not linked to any solution: ENG-43" in answer.text
    viewer = create_user(session, role="viewer")
    session.commit()
    onlooker = client(database_url)
    refused = onlooker.post(
        f"/solutions/{solution.id}/links/statuses",
        data={"csrf_token": login(onlooker, viewer.email), "tool": "linear"},
        files={"file": ("linear.csv", LINEAR_CSV.encode(), "text/csv")},
    )
    assert refused.status_code == 403
    path = tmp_path / "jira.csv"
    path.write_text(JIRA_CSV)
    result = CliRunner().invoke(
        cli, ["--db", database_url, "delivery", "statuses", "jira", str(path), "--json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {
        "tickets": 3,
        "changed": 0,
        "unknown": ["PAY-7", "PAY-9", "PAY-11"],
    }
