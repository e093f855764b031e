"""Pages: sign-in, CSRF, throttling, and who may open or post each page route."""

import re
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from huddle.app import create_app
from huddle.auth.actor import Actor
from huddle.db import session_scope
from huddle.insights import service as insights
from huddle.models import Feedback, FeedbackLink, Problem, SavedView, Solution, User
from tests.factories import (
    PASSWORD,
    create_account,
    create_feedback,
    create_objective,
    create_problem,
    create_solution,
    create_theme,
    create_user,
    first_key_result,
    link,
)
from tests.helpers import client, login
from tests.launch.factories import (
    create_decision,
    create_delivery_link,
    create_experiment,
    create_gate_item,
    create_launch_task,
    create_raci_activity,
)
from tests.prebuilt import Prebuilt, prebuilt

ROLES = ["viewer", "contributor", "pm", "admin"]

# (method, path, minimum role, form fields). `{p}` problem, `{f}` feedback, `{a}` account, `{u}` user.
# A field named `@NAME` is sent as an uploaded file of that name holding the value.
PAGES = [
    ("GET", "/", "viewer", None),
    ("GET", "/inbox", "viewer", None),
    ("POST", "/inbox/link", "pm", {"ids": "{f}", "problem_id": "{p}"}),
    ("POST", "/inbox/new-problem", "pm", {"ids": "{f}", "title": "From the inbox"}),
    ("POST", "/inbox/dismiss", "pm", {"ids": "{f}", "reason": "praise"}),
    ("POST", "/inbox/snooze", "pm", {"ids": "{f}", "until": "2099-01-01"}),
    ("POST", "/inbox/restore", "pm", {"ids": "{f}"}),
    ("POST", "/inbox/unlink", "pm", {"ids": "{f}", "problem_id": "{p}"}),
    ("POST", "/inbox/undo-new-problem", "pm", {"problem_id": "{p}"}),
    ("GET", "/evidence/new", "contributor", None),
    ("GET", "/evidence/{f}", "viewer", None),
    ("GET", "/my/evidence", "viewer", None),
    ("POST", "/views", "viewer", {"page": "problems", "name": "Mine", "query": "sort=arr"}),
    ("POST", "/views/{v}/delete", "viewer", {}),
    ("POST", "/evidence/{f}/edit", "pm", {"text": "Edited words", "source": "call"}),
    ("POST", "/evidence/{f}/link", "pm", {"problem_id": "{p}"}),
    ("POST", "/evidence", "contributor", {"text": "They want SAML", "source": "call"}),
    ("GET", "/accounts/suggest", "viewer", None),
    ("GET", "/problems", "viewer", None),
    ("GET", "/solutions", "viewer", None),
    ("GET", "/solutions/new", "pm", None),
    ("POST", "/solutions", "pm", {"title": "SAML SSO", "problem_ids": "{p}", "effort": "2"}),
    ("GET", "/solutions/{s}", "viewer", None),
    ("GET", "/solutions/{s}/edit", "pm", None),
    ("POST", "/solutions/{s}/edit", "pm", {"title": "SAML SSO", "impact": "2"}),
    ("POST", "/solutions/{s}/delete", "pm", {}),
    ("GET", "/problems/{p}/solutions", "viewer", None),
    ("GET", "/solutions/{s}/key-results", "viewer", None),
    ("GET", "/launches", "viewer", None),
    ("GET", "/solutions/{s}/launch", "viewer", None),
    ("GET", "/solutions/{s}/stage", "viewer", None),
    ("POST", "/solutions/{s}/stage", "pm", {"stage": "planning", "reason": "Agreed"}),
    ("POST", "/solutions/{s}/gate/{g}", "pm", {"done": "on"}),
    ("GET", "/admin/gates", "pm", None),
    ("POST", "/admin/gates", "pm", {"stage": "ready", "label": "Pricing approved"}),
    ("POST", "/admin/gates/{g}/delete", "pm", {}),
    (
        "POST",
        "/solutions/{s}/experiments",
        "pm",
        {"name": "Pricing", "results": "variant,exposures,conversions\na,100,10\nb,100,12\n"},
    ),
    (
        "POST",
        "/experiments/{x}/results",
        "pm",
        {"results": "variant,exposures,conversions\na,100,10\nb,100,14\n"},
    ),
    ("POST", "/experiments/{x}/delete", "pm", {}),
    ("POST", "/solutions/{s}/decisions", "pm", {"decision": "go", "reasons": "Pilot won"}),
    ("GET", "/decisions", "viewer", None),
    (
        "POST",
        "/solutions/{s}/tasks",
        "pm",
        {"title": "Webinar", "team": "marketing", "due_on": "2027-01-10"},
    ),
    ("POST", "/solutions/{s}/tasks/standard", "pm", {}),
    ("POST", "/tasks/{lt}/done", "pm", {"done": "on"}),
    ("POST", "/tasks/{lt}/delete", "pm", {}),
    ("POST", "/solutions/{s}/launch-date", "pm", {"launch_on": "2027-01-20"}),
    ("GET", "/launches/calendar", "viewer", None),
    ("POST", "/solutions/{s}/links", "pm", {"url": "https://linear.app/acme/issue/ENG-900"}),
    ("POST", "/links/{ln}/delete", "pm", {}),
    ("GET", "/launches/raci", "viewer", None),
    ("POST", "/launches/raci/{r}", "pm", {"activity": "Pricing", "accountable": "CFO"}),
    (
        "POST",
        "/launches/raci",
        "pm",
        {"phase": "launch", "activity": "Pricing", "accountable": "CFO"},
    ),
    ("GET", "/launches/effort", "viewer", None),
    ("POST", "/launches/effort", "pm", {"phase": "discovery", "days": "2"}),
    (
        "POST",
        "/launches/effort/split",
        "admin",
        {"discovery": "50", "implementation": "25", "launch": "25"},
    ),
    ("GET", "/objectives", "viewer", None),
    ("GET", "/objectives/new", "pm", None),
    ("POST", "/objectives", "pm", {"title": "Win the mid-market", "period": "2027-Q1"}),
    ("GET", "/objectives/{o}", "viewer", None),
    ("GET", "/objectives/{o}/edit", "pm", None),
    (
        "POST",
        "/objectives/{o}/edit",
        "pm",
        {"title": "Renamed", "period": "2027-Q2", "status": "at_risk"},
    ),
    ("POST", "/objectives/{o}/delete", "pm", {}),
    (
        "POST",
        "/objectives/{o}/key-results",
        "pm",
        {"title": "Net retention", "start_value": "100", "target_value": "110"},
    ),
    ("GET", "/objectives/{o}/key-results/{k}/edit", "pm", None),
    (
        "POST",
        "/objectives/{o}/key-results/{k}/edit",
        "pm",
        {"title": "Net retention", "start_value": "100", "target_value": "115"},
    ),
    ("POST", "/objectives/{o}/key-results/{k}/delete", "pm", {}),
    ("POST", "/objectives/{o}/key-results/{k}/check-in", "pm", {"value": "104"}),
    ("POST", "/objectives/{o}/key-results/{k}/solutions", "pm", {"solution_id": "{s}"}),
    ("POST", "/objectives/{o}/key-results/{k}/solutions/{s}/unlink", "pm", {}),
    ("GET", "/solutions/export.csv", "viewer", None),
    ("GET", "/notifications", "viewer", None),
    ("POST", "/notifications/read", "viewer", {}),
    ("GET", "/admin/deliveries", "admin", None),
    ("GET", "/digests", "viewer", None),
    ("POST", "/solutions/{s}/follow", "viewer", {"on": "1"}),
    ("GET", "/solutions/{s}/following", "viewer", None),
    ("GET", "/accounts/{a}/following", "viewer", None),
    ("GET", "/settings/notifications", "viewer", None),
    ("GET", "/contributors", "viewer", None),
    ("GET", "/my/impact", "viewer", None),
    ("GET", "/accounts/{a}/brief", "viewer", None),
    ("GET", "/accounts/{a}/churn-warning", "viewer", None),
    ("GET", "/watch-list", "viewer", None),
    ("POST", "/problems/{p}/questions", "pm", {"text": "What do you do instead?"}),
    ("POST", "/settings/notifications", "viewer", {"email": "on"}),
    ("POST", "/accounts/{a}/follow", "viewer", {"on": "1"}),
    ("GET", "/changelog", "viewer", None),
    ("GET", "/changelog.md", "viewer", None),
    ("POST", "/admin/changelog/public", "admin", {"enabled": "on"}),
    ("GET", "/roadmap", "viewer", None),
    ("GET", "/roadmap/export.csv", "viewer", None),
    ("POST", "/roadmap/move", "pm", {"solution_id": "{s}", "horizon": "next"}),
    ("GET", "/roadmap/approvals", "pm", None),
    ("POST", "/admin/roadmap/public", "admin", {"enabled": "on"}),
    ("GET", "/admin/scoring", "admin", None),
    ("POST", "/admin/scoring", "admin", {"name": "fit", "label": "Fit", "weight": "1"}),
    ("POST", "/problems", "pm", {"title": "New one"}),
    ("GET", "/problems/{p}", "viewer", None),
    ("POST", "/problems/{p}/edit", "pm", {"title": "Renamed", "status": "validated"}),
    ("POST", "/problems/{p}/unlink", "pm", {"feedback_id": "{f}"}),
    ("POST", "/problems/{p}/merge", "pm", {"target_id": "{p2}"}),
    ("POST", "/problems/{p}/owner", "pm", {"owner_id": ""}),
    ("POST", "/problems/{p}/follow", "viewer", {"on": "1"}),
    ("POST", "/problems/{p}/comments", "contributor", {"body": "Seen at Acme too"}),
    ("POST", "/problems/{p}/delete", "pm", {}),
    ("POST", "/themes/discover", "pm", {}),
    ("GET", "/themes/{th}", "pm", None),
    ("GET", "/themes/{th}/card", "pm", None),
    ("POST", "/themes/{th}/accept", "pm", {"title": "Accepted"}),
    ("POST", "/themes/{ta}/undo-accept", "pm", {}),
    ("POST", "/themes/{tm}/undo-merge", "pm", {}),
    ("POST", "/themes/{ts}/undo-split", "pm", {}),
    ("POST", "/themes/{tr}/undo-reject", "pm", {}),
    ("POST", "/themes/{th}/rename", "pm", {"label": "Renamed"}),
    ("POST", "/themes/{th}/merge", "pm", {"into_id": "{th2}"}),
    ("POST", "/themes/{th}/split", "pm", {}),
    ("POST", "/themes/{th}/reject", "pm", {}),
    ("POST", "/themes/{th}/reject-items", "pm", {"ids": "{f}"}),
    ("POST", "/feedback/{f}/accept-suggestion", "pm", {}),
    ("POST", "/feedback/{f}/merge-duplicate", "pm", {}),
    ("POST", "/feedback/{f}/dismiss-duplicate", "pm", {}),
    ("POST", "/feedback/{fm}/undo-merge-duplicate", "pm", {}),
    ("POST", "/feedback/{fk}/undo-dismiss-duplicate", "pm", {}),
    ("GET", "/accounts", "viewer", None),
    ("GET", "/accounts/{a}", "viewer", None),
    ("GET", "/admin/users", "admin", None),
    (
        "POST",
        "/admin/users",
        "admin",
        {"email": "x{n}@example.com", "name": "X", "role": "viewer", "team": "sales"},
    ),
    ("POST", "/admin/users/{u}", "admin", {"role": "viewer", "team": "sales", "is_active": "on"}),
    ("GET", "/admin/imports", "admin", None),
    # A dry run of a one-row file: the page answers with what would be added.
    (
        "POST",
        "/admin/imports",
        "admin",
        {"source": "accounts", "dry_run": "on", "@file": "name,domain\nInitech,initech.com\n"},
    ),
    # No import {n} exists here: undo answers that nothing is left to undo.
    ("POST", "/admin/imports/{n}/undo", "admin", {}),
    # Nor anything it left out: bringing one in answers that there is none.
    ("POST", "/admin/imports/{n}/left-out/0", "admin", {}),
]
OPEN = {("GET", "/login"), ("POST", "/login"), ("POST", "/logout"), ("GET", "/docs")}
# Allowed by something other than a minimum role, and tested where that is explained
# (tests/plans/test_roadmap.py): sales approval is for those an admin marked as sales
# leadership; the public roadmap is read without signing in once an admin opens it.
ELSEWHERE = {
    # A left-out item by its place in the run's list: PAGES tests it as index 0.
    ("POST", "/admin/imports/{}/left-out/{}"),
    # Needs a launched solution; PM allowed, viewer refused: tests/launch/test_stages.py.
    ("POST", "/solutions/{}/learned"),
    # Needs a file upload; PM allowed, viewer refused: tests/launch/test_delivery.py.
    ("POST", "/solutions/{}/links/statuses"),
    ("POST", "/solutions/{}/sales-approval"),
    ("POST", "/solutions/{}/sales-approval/withdraw"),
    ("GET", "/public/roadmap"),
    ("GET", "/public/roadmap.csv"),
    ("GET", "/public/changelog"),
    # Without signing in, by the signed link of an email: tests/notify/test_preferences.py.
    ("GET", "/unsubscribe"),
    ("POST", "/unsubscribe"),
    ("GET", "/public/changelog.atom"),
    # Need a question to answer or remove: tests/notify/test_brief.py.
    ("POST", "/accounts/{}/brief/answers"),
    ("POST", "/problems/{}/questions/{}/delete"),
    # Needs a delivery to replay: tests/notify/test_webhooks.py.
    ("POST", "/admin/deliveries/{}/replay"),
    # Signed by Jira, Linear or GitHub with a shared secret: tests/launch/test_delivery.py.
    ("POST", "/hooks/{}"),
}


def _pattern(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "{}", path)


def test_every_page_route_is_in_the_matrix() -> None:
    app = create_app("sqlite://", run_jobs=False)
    listed = {(m, _pattern(p)) for m, p, _, _ in PAGES} | OPEN | ELSEWHERE
    # Routers are included lazily: walk the routes they hold, not only the app's own.
    routes = [r for r in iter_route_contexts(app.routes) if r.path and r.methods]
    assert len(routes) > len(PAGES), "the walk found too few routes to be checking anything"
    for route in routes:
        if not route.path.startswith("/api/") and route.path not in ("/healthz", "/openapi.json"):
            for method in route.methods - {"HEAD"}:
                assert (method, _pattern(route.path)) in listed, (
                    f"{method} {route.path} has no permission test"
                )


def _workspaces(url: str) -> list[tuple[str, dict[str, int]]]:
    """For each role, a user and a workspace of their own (a permitted delete or merge must
    leave the next role something to act on): each user's email and the ids of their objects."""
    built = []
    with session_scope(url) as session:
        other = create_user(session, role="contributor")
        keeper = Actor(create_user(session, role="pm"))
        account = create_account(session)
        for n, role in enumerate(ROLES):
            user = create_user(session, role=role)
            feedback = create_feedback(session, account=account, submitter=other)
            problem, second = create_problem(session), create_problem(session)
            link(session, create_feedback(session), problem)
            link(session, feedback, second)
            theme, theme2 = create_theme(session, feedback), create_theme(session)
            feedback.duplicate_candidate_id = create_feedback(session).id
            feedback.suggested_problem_id, feedback.suggestion_confidence = problem.id, 0.7
            accepted = create_theme(session, size=2)
            session.commit()
            insights.accept(session, theme_id=accepted.id, actor=keeper)
            merged_away, kept = create_theme(session, size=2), create_theme(session, size=2)
            session.commit()
            insights.merge(session, theme_id=merged_away.id, into_id=kept.id, actor=keeper)
            session.commit()
            # Decisions to take back, for the routes that take them back (a split labels its
            # halves with the model).
            split = create_theme(session, size=4)
            session.commit()
            insights.split(session, theme_id=split.id, actor=keeper)
            rejected = create_theme(session, size=2)
            session.commit()
            insights.reject(session, theme_id=rejected.id, actor=keeper)
            merged_copy, kept_copy = create_feedback(session), create_feedback(session)
            merged_copy.duplicate_candidate_id = kept_copy.duplicate_candidate_id = feedback.id
            session.commit()
            insights.merge_duplicate(session, feedback_id=merged_copy.id, actor=keeper)
            insights.dismiss_duplicate(session, feedback_id=kept_copy.id, actor=keeper)
            session.commit()
            objective = create_objective(session, key_results=((100, 110, 102),))
            view = SavedView(user_id=user.id, page="problems", name="Mine", query="sort=arr")
            session.add(view)
            session.commit()
            ids = {
                "v": view.id,
                "tm": merged_away.id,
                "ts": split.id,
                "tr": rejected.id,
                "fm": merged_copy.id,
                "fk": kept_copy.id,
                "ta": accepted.id,
                "th": theme.id,
                "th2": theme2.id,
                "p": problem.id,
                "p2": second.id,
                "f": feedback.id,
                "a": account.id,
                "u": other.id,
                "n": n,
                "s": create_solution(session, problems=(problem,)).id,
                "o": objective.id,
                "k": first_key_result(session, objective).id,
                "g": create_gate_item(session).id,
            }
            solution = session.get_one(Solution, ids["s"])
            ids["x"] = create_experiment(session, solution).id
            create_decision(session, solution)
            ids["lt"] = create_launch_task(session, solution).id
            ids["r"] = create_raci_activity(session).id
            ids["ln"] = create_delivery_link(session, solution).id
            session.commit()
            built.append((user.email, ids))
    return built


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def workspaces(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Prebuilt[list[tuple[str, dict[str, int]]]], FastAPI]]:
    """Built once for the whole matrix, restored before each row; one app serves every row."""
    with prebuilt(request, tmp_path_factory, _workspaces) as found:
        yield found, create_app(found.url, run_jobs=False)


@pytest.mark.parametrize(
    ("method", "path", "minimum", "form"), PAGES, ids=[f"{m} {p}" for m, p, _, _ in PAGES]
)
def test_roles(
    workspaces: tuple[Prebuilt[list[tuple[str, dict[str, int]]]], FastAPI],
    monkeypatch: pytest.MonkeyPatch,
    method: str,
    path: str,
    minimum: str,
    form: dict[str, str] | None,
) -> None:
    found, app = workspaces
    found.fresh(monkeypatch)
    for role, (email, ids) in zip(ROLES, found.built, strict=True):
        browser = TestClient(app, headers={"accept": "text/html"})
        csrf = login(browser, email)
        url = path.format(**ids)
        if method == "GET":
            response = browser.get(url, follow_redirects=False)
        else:
            data = {k: v.format(**ids) for k, v in (form or {}).items() if k[0] != "@"}
            files = {k[1:]: (f"{k[1:]}.csv", v) for k, v in (form or {}).items() if k[0] == "@"}
            response = browser.post(
                url, data={**data, "csrf_token": csrf}, files=files or None, follow_redirects=False
            )
        allowed = ROLES.index(role) >= ROLES.index(minimum)
        if allowed:
            assert response.status_code in (200, 303), (
                f"{role}: {response.status_code} {response.text[:300]}"
            )
            if response.status_code == 303:
                assert "error=" not in response.headers["location"], response.headers["location"]
        else:
            assert response.status_code == 403, f"{role} should be refused: {response.status_code}"


def test_pages_need_a_sign_in(database_url: str) -> None:
    browser = client(database_url)
    for path in ("/", "/inbox", "/problems", "/accounts", "/admin/users", "/evidence/new"):
        response = browser.get(path, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"].startswith("/login"), (
            path
        )


def test_forms_without_csrf_are_refused(database_url: str, session: Session) -> None:
    user = create_user(session, role="pm")
    session.commit()
    browser = client(database_url)
    login(browser, user.email)
    response = browser.post("/problems", data={"title": "Sneaky"}, follow_redirects=False)
    assert response.status_code == 403
    response = browser.post(
        "/problems", data={"title": "Sneaky", "csrf_token": "forged"}, follow_redirects=False
    )
    assert response.status_code == 403
    # A browser session calling the JSON API must send the token too.
    assert browser.post("/api/v1/problems", json={"title": "Sneaky"}).status_code == 403
    assert session.scalar(select(Problem).where(Problem.title == "Sneaky")) is None


def test_login_form_needs_its_csrf_cookie(database_url: str, session: Session) -> None:
    user = create_user(session, role="pm")
    session.commit()
    browser = client(database_url)
    response = browser.post(
        "/login",
        data={"email": user.email, "password": PASSWORD, "csrf_token": "x"},
        follow_redirects=False,
    )
    assert response.status_code == 403


def test_wrong_password_then_throttled(database_url: str, session: Session) -> None:
    user = create_user(session, role="pm")
    session.commit()
    browser = client(database_url)
    for _ in range(5):
        page = browser.get("/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
        response = browser.post(
            "/login", data={"email": user.email, "password": "nope", "csrf_token": token}
        )
        assert response.status_code == 401 and "wrong email or password" in response.text
    page = browser.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    response = browser.post(
        "/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 429 and "too many failed sign-ins" in response.text


def test_session_cookie_is_httponly_and_samesite(database_url: str, session: Session) -> None:
    user = create_user(session, role="viewer")
    session.commit()
    browser = client(database_url)
    page = browser.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    response = browser.post(
        "/login",
        data={"email": user.email, "password": PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )
    cookie = response.headers["set-cookie"]
    assert "huddle_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie


def test_passwords_are_argon2(database_url: str, session: Session) -> None:
    from huddle.auth.schemas import UserCreate
    from huddle.auth.service import create_user as create

    create(session, data=UserCreate(email="a@example.com", name="A", password="long enough"))
    stored = session.scalar(select(User.password_hash).where(User.email == "a@example.com"))
    assert stored is not None and stored.startswith("$argon2id$")


def test_logout_ends_the_session(database_url: str, session: Session) -> None:
    user = create_user(session, role="viewer")
    session.commit()
    browser = client(database_url)
    csrf = login(browser, user.email)
    browser.post("/logout", data={"csrf_token": csrf})
    assert browser.get("/problems", follow_redirects=False).status_code == 303


def test_inbox_filters_and_bulk_new_problem(database_url: str, session: Session) -> None:
    pm = create_user(session, role="pm")
    acme = create_account(session, name="Acme", segment="Enterprise")
    a = create_feedback(
        session, text="Exports time out on big ledgers", account=acme, source="ticket"
    )
    b = create_feedback(session, text="Export to CSV is slow", source="call")
    create_feedback(session, text="Love the new dashboard", source="review")
    session.commit()
    browser = client(database_url)
    csrf = login(browser, pm.email)
    page = browser.get("/inbox", params={"q": "export"})
    assert "Exports time out" in page.text and "Love the new dashboard" not in page.text
    page = browser.get("/inbox", params={"segment": "Enterprise"})
    assert "Exports time out" in page.text and "Export to CSV is slow" not in page.text
    page = browser.get("/inbox", params={"source": "call"})
    assert "Export to CSV" in page.text and "Exports time out" not in page.text
    response = browser.post(
        "/inbox/new-problem",
        data={"ids": [str(a.id), str(b.id)], "title": "Exports are slow", "csrf_token": csrf},
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"].startswith("/problems/")
    problem_page = browser.get(response.headers["location"])
    assert "Exports are slow" in problem_page.text and "Acme" in problem_page.text
    links = session.scalars(select(FeedbackLink.feedback_id)).all()
    assert sorted(links) == sorted([a.id, b.id])
    assert "Exports time out" not in browser.get("/inbox").text


def test_add_evidence_form_reports_bad_fields_and_keeps_the_text(
    database_url: str, session: Session
) -> None:
    rep = create_user(session, role="contributor", team="sales")
    acme = create_account(session, name="Acme Widgets")
    session.commit()
    browser = client(database_url)
    csrf = login(browser, rep.email)
    suggestions = browser.get("/accounts/suggest", params={"account_query": "widg"})
    assert (
        "Acme Widgets" in suggestions.text and f'data-pick-account="{acme.id}"' in suggestions.text
    )
    bad = browser.post(
        "/evidence",
        data={"text": "They need an audit log", "source": "telepathy", "csrf_token": csrf},
    )
    assert bad.status_code == 422 and "source" in bad.text and "They need an audit log" in bad.text
    good = browser.post(
        "/evidence",
        data={
            "text": "They need an audit log",
            "source": "call",
            "account_id": str(acme.id),
            "csrf_token": csrf,
        },
        follow_redirects=False,
    )
    assert good.status_code == 303
    item = session.scalar(select(Feedback).where(Feedback.text == "They need an audit log"))
    assert (
        item is not None
        and item.account_id == acme.id
        and item.team == "sales"
        and item.submitter_id == rep.id
    )


def test_admin_creates_user_and_password_is_shown_once(database_url: str, session: Session) -> None:
    admin = create_user(session, role="admin")
    session.commit()
    browser = client(database_url)
    csrf = login(browser, admin.email)
    response = browser.post(
        "/admin/users",
        data={
            "email": "new@example.com",
            "name": "New Rep",
            "role": "contributor",
            "team": "sales",
            "csrf_token": csrf,
        },
    )
    assert "Their password is" in response.text
    bad = browser.post(
        "/admin/users", data={"email": "not-an-email", "name": "X", "csrf_token": csrf}
    )
    assert "email" in bad.text and bad.status_code == 200
    demote_self = browser.post(
        f"/admin/users/{admin.id}",
        data={"role": "viewer", "team": "product", "is_active": "on", "csrf_token": csrf},
    )
    assert "cannot demote" in demote_self.text


def test_pages_load_nothing_from_outside(database_url: str) -> None:
    """Every script and stylesheet is served by Huddle itself (no CDN, no network)."""
    from pathlib import Path

    templates = Path(__file__).parents[2] / "src" / "huddle" / "web" / "templates"
    for template in templates.glob("*.html"):
        text = template.read_text()
        assert not re.search(r'(src|href)="(https?:)?//', text), template.name
    docs = client(database_url).get("/docs")
    assert docs.status_code == 200
    assert not re.search(r'(src|href)="(https?:)?//', docs.text)
