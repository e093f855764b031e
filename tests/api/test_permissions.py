"""Who may call each API route and who may not: every route of the app is listed here."""

import re
from collections.abc import Iterator

import pytest
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from huddle.app import create_app
from huddle.db import session_scope
from huddle.models.enums import TokenScope
from huddle.models.feedback import Feedback
from tests.factories import (
    create_account,
    create_feedback,
    create_objective,
    create_problem,
    create_solution,
    create_theme,
    create_user,
    define_custom_framework,
    first_key_result,
    link,
)
from tests.helpers import bearer, client
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

# (method, path template, minimum role, body). `{p}` problem, `{f}` feedback, `{a}` account, `{u}` user.
API = [
    ("GET", "/api/v1/me", "viewer", None),
    ("GET", "/api/v1/users", "admin", None),
    ("POST", "/api/v1/users", "admin", {"email": "new@example.com", "name": "New"}),
    ("PATCH", "/api/v1/users/{u}", "admin", {"team": "sales"}),
    ("GET", "/api/v1/tokens", "viewer", None),
    ("POST", "/api/v1/tokens", "viewer", {"name": "script"}),
    ("DELETE", "/api/v1/tokens/{t}", "viewer", None),
    ("GET", "/api/v1/accounts", "viewer", None),
    ("POST", "/api/v1/accounts", "pm", {"name": "Initech", "arr_minor": 100}),
    ("GET", "/api/v1/accounts/{a}", "viewer", None),
    ("PATCH", "/api/v1/accounts/{a}", "pm", {"at_risk": True}),
    ("GET", "/api/v1/feedback", "viewer", None),
    ("POST", "/api/v1/feedback", "contributor", {"text": "Needs SSO", "source": "call"}),
    ("GET", "/api/v1/feedback/{f}", "viewer", None),
    ("PATCH", "/api/v1/feedback/{f}", "pm", {"tags": ["x"]}),
    ("DELETE", "/api/v1/feedback/{f}", "pm", None),
    ("GET", "/api/v1/problems", "viewer", None),
    ("POST", "/api/v1/problems", "pm", {"title": "Slow exports"}),
    (
        "POST",
        "/api/v1/problems/from-feedback",
        "pm",
        {"title": "From items", "feedback_ids": ["{f}"]},
    ),
    ("GET", "/api/v1/problems/{p}", "viewer", None),
    ("PATCH", "/api/v1/problems/{p}", "pm", {"status": "validated"}),
    ("POST", "/api/v1/problems/{p}/merge-into/{p2}", "pm", None),
    ("GET", "/api/v1/problems/{p}/links", "viewer", None),
    ("POST", "/api/v1/problems/{p}/links", "pm", {"feedback_ids": ["{f}"]}),
    ("DELETE", "/api/v1/problems/{p}/links/{f}", "pm", None),
    ("GET", "/api/v1/problems/{p}/people", "viewer", None),
    ("PUT", "/api/v1/problems/{p}/owner", "pm", {"user_id": "{pm}"}),
    ("PUT", "/api/v1/problems/{p}/following", "viewer", None),
    ("DELETE", "/api/v1/problems/{p}/following", "viewer", None),
    ("GET", "/api/v1/problems/{p}/comments", "viewer", None),
    ("POST", "/api/v1/problems/{p}/comments", "contributor", {"body": "Seen at Acme too"}),
    ("GET", "/api/v1/solutions", "viewer", None),
    ("POST", "/api/v1/solutions", "pm", {"title": "SAML SSO", "problem_ids": ["{p}"], "effort": 2}),
    ("GET", "/api/v1/solutions/{s}", "viewer", None),
    ("PATCH", "/api/v1/solutions/{s}", "pm", {"impact": 2}),
    ("DELETE", "/api/v1/solutions/{s}", "pm", None),
    ("GET", "/api/v1/solutions/scoring/custom", "viewer", None),
    (
        "PUT",
        "/api/v1/solutions/scoring/custom",
        "admin",
        {"criteria": [{"name": "fit", "label": "Fit", "weight": 1}]},
    ),
    ("GET", "/api/v1/objectives", "viewer", None),
    ("POST", "/api/v1/objectives", "pm", {"title": "Win the mid-market", "period": "2027-Q1"}),
    ("GET", "/api/v1/objectives/{o}", "viewer", None),
    ("PATCH", "/api/v1/objectives/{o}", "pm", {"status": "at_risk"}),
    ("DELETE", "/api/v1/objectives/{o}", "pm", None),
    (
        "POST",
        "/api/v1/objectives/{o}/key-results",
        "pm",
        {"title": "Net retention", "unit": "%", "start_value": 100, "target_value": 110},
    ),
    ("PATCH", "/api/v1/objectives/{o}/key-results/{k}", "pm", {"target_value": 120}),
    ("DELETE", "/api/v1/objectives/{o}/key-results/{k}", "pm", None),
    ("POST", "/api/v1/objectives/{o}/key-results/{k}/check-ins", "pm", {"value": 104}),
    ("PUT", "/api/v1/objectives/{o}/key-results/{k}/solutions/{s}", "pm", None),
    ("DELETE", "/api/v1/objectives/{o}/key-results/{k}/solutions/{s}", "pm", None),
    ("PUT", "/api/v1/solutions/{s}/following", "viewer", None),
    ("DELETE", "/api/v1/solutions/{s}/following", "viewer", None),
    ("PUT", "/api/v1/accounts/{a}/following", "viewer", None),
    ("DELETE", "/api/v1/accounts/{a}/following", "viewer", None),
    ("GET", "/api/v1/me/notifications", "viewer", None),
    ("GET", "/api/v1/watch-list", "viewer", None),
    ("PUT", "/api/v1/me/notifications", "viewer", {"quiet": True}),
    ("GET", "/api/v1/roadmap", "viewer", None),
    ("GET", "/api/v1/roadmap/sales", "viewer", None),
    ("PUT", "/api/v1/roadmap/public", "admin", {"enabled": True}),
    ("POST", "/api/v1/roadmap/moves", "pm", {"solution_id": "{s}", "horizon": "next"}),
    ("GET", "/api/v1/solutions/{s}/stage", "viewer", None),
    ("POST", "/api/v1/solutions/{s}/stage", "pm", {"stage": "planning", "reason": "Agreed"}),
    ("PUT", "/api/v1/solutions/{s}/gate/{g}", "pm", {"done": True}),
    ("GET", "/api/v1/gates", "viewer", None),
    ("POST", "/api/v1/gates", "pm", {"stage": "ready", "label": "Pricing approved"}),
    ("DELETE", "/api/v1/gates/{g}", "pm", None),
    ("GET", "/api/v1/solutions/{s}/experiments", "viewer", None),
    (
        "POST",
        "/api/v1/solutions/{s}/experiments",
        "pm",
        {"name": "Pricing", "variants": [{"name": "control"}, {"name": "annual"}]},
    ),
    ("GET", "/api/v1/experiments/{x}", "viewer", None),
    (
        "PUT",
        "/api/v1/experiments/{x}/results",
        "pm",
        {
            "variants": [
                {"name": "control", "exposures": 100, "conversions": 10},
                {"name": "annual", "exposures": 100, "conversions": 14},
            ]
        },
    ),
    ("DELETE", "/api/v1/experiments/{x}", "pm", None),
    ("GET", "/api/v1/decisions", "viewer", None),
    ("POST", "/api/v1/solutions/{s}/decisions", "pm", {"decision": "go", "reasons": "Won"}),
    ("GET", "/api/v1/decisions/{d}", "viewer", None),
    ("GET", "/api/v1/solutions/{s}/plan", "viewer", None),
    ("GET", "/api/v1/solutions/{s}/links", "viewer", None),
    ("POST", "/api/v1/solutions/{s}/links", "pm", {"url": "https://github.com/acme/app/issues/9"}),
    ("DELETE", "/api/v1/links/{ln}", "pm", None),
    ("POST", "/api/v1/solutions/{s}/tasks", "pm", {"title": "Deck", "team": "sales"}),
    ("PATCH", "/api/v1/tasks/{lt}", "pm", {"done": True}),
    ("DELETE", "/api/v1/tasks/{lt}", "pm", None),
    ("GET", "/api/v1/launches/calendar", "viewer", None),
    ("GET", "/api/v1/raci", "viewer", None),
    ("PATCH", "/api/v1/raci/{r}", "pm", {"responsible": "PM"}),
    ("GET", "/api/v1/effort", "viewer", None),
    ("POST", "/api/v1/effort", "pm", {"phase": "discovery", "days": 2}),
    ("PUT", "/api/v1/effort/split", "admin", {"discovery": 50, "implementation": 25, "launch": 25}),
    ("GET", "/api/v1/themes", "viewer", None),
    ("POST", "/api/v1/themes/discover", "pm", None),
    ("POST", "/api/v1/themes/{th}/accept", "pm", {"title": "Accepted"}),
    ("POST", "/api/v1/themes/{th}/rename", "pm", {"label": "Renamed"}),
    ("POST", "/api/v1/themes/{th}/merge", "pm", {"into_id": "{th2}"}),
    ("POST", "/api/v1/themes/{th}/split", "pm", None),
    ("POST", "/api/v1/themes/{th}/reject", "pm", None),
    ("POST", "/api/v1/themes/{th}/reject-items", "pm", {"feedback_ids": ["{f}"]}),
    ("GET", "/api/v1/search?q=exports", "viewer", None),
    ("POST", "/api/v1/feedback/{f}/merge-duplicate", "pm", None),
    ("POST", "/api/v1/feedback/{f}/dismiss-duplicate", "pm", None),
    ("POST", "/api/v1/feedback/dismiss", "pm", {"feedback_ids": ["{f}"], "reason": "praise"}),
    ("POST", "/api/v1/feedback/snooze", "pm", {"feedback_ids": ["{f}"], "until": "2099-01-01"}),
    ("POST", "/api/v1/feedback/restore", "pm", {"feedback_ids": ["{f}"]}),
    ("POST", "/api/v1/ingest", "contributor", {"text": "Pushed by an integration"}),
]
PUBLIC = {("GET", "/healthz")}
# Allowed by something other than a minimum role, and tested where that is explained
# (tests/plans/test_roadmap.py): sales approval is for those an admin marked as sales
# leadership; the public roadmap is read without a token once an admin opens it.
ELSEWHERE = {
    ("POST", "/api/v1/solutions/{}/sales-approval"),
    ("DELETE", "/api/v1/solutions/{}/sales-approval"),
    ("GET", "/api/v1/public/roadmap"),
}


def test_every_api_route_is_in_the_matrix() -> None:
    app = create_app("sqlite://", run_jobs=False)
    listed = {(m, _pattern(p)) for m, p, _, _ in API} | PUBLIC | ELSEWHERE
    # Routers are included lazily: walk the routes they hold, not only the app's own.
    routes = [r for r in iter_route_contexts(app.routes) if r.path and r.methods]
    api_routes = [r for r in routes if r.path.startswith("/api/")]
    assert len(api_routes) == len(API) + len(ELSEWHERE)
    for route in routes:
        if route.path.startswith("/api/") or route.path == "/healthz":
            for method in route.methods - {"HEAD"}:
                assert (method, _pattern(route.path)) in listed, (
                    f"{method} {route.path} has no permission test"
                )


def _pattern(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "{}", path.split("?")[0])


def _fill(value: object, ids: dict[str, int]) -> object:
    if isinstance(value, str):
        for key, number in ids.items():
            if value == "{" + key + "}":
                return number
            value = value.replace("{" + key + "}", str(number))
        return value
    if isinstance(value, list):
        return [_fill(v, ids) for v in value]
    if isinstance(value, dict):
        return {k: _fill(v, ids) for k, v in value.items()}
    return value


def _workspaces(url: str) -> list[tuple[dict[str, str], dict[str, int]]]:
    """For each role, a user and a workspace of their own (a permitted DELETE or merge must
    leave the next role something to act on): the user's token headers and their objects' ids."""
    built = []
    with session_scope(url) as session:
        other = create_user(session, role="contributor")
        owner = create_user(session, role="pm")
        account = create_account(session)
        define_custom_framework(session)
        for role in ROLES:
            user = create_user(session, role=role)
            feedback = create_feedback(session, account=account, submitter=other)
            problem, second = create_problem(session), create_problem(session)
            link(session, feedback, problem)
            theme, theme2 = create_theme(session, feedback), create_theme(session)
            solution = create_solution(session, problems=(problem,))
            objective = create_objective(session, key_results=((100, 110, 102),))
            feedback.duplicate_candidate_id = create_feedback(session).id
            headers = bearer(session, user)
            ids = {
                "p": problem.id,
                "p2": second.id,
                "f": feedback.id,
                "a": account.id,
                "u": other.id,
                "pm": owner.id,
                "t": _token_id(session, user),
                "th": theme.id,
                "th2": theme2.id,
                "s": solution.id,
                "o": objective.id,
                "k": first_key_result(session, objective).id,
                "g": create_gate_item(session).id,
                "x": create_experiment(session, solution).id,
                "d": create_decision(session, solution).id,
                "lt": create_launch_task(session, solution).id,
                "r": create_raci_activity(session).id,
                "ln": create_delivery_link(session, solution).id,
            }
            built.append((headers, ids))
    return built


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def workspaces(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Prebuilt[list[tuple[dict[str, str], dict[str, int]]]], TestClient]]:
    """Built once for the whole matrix, restored before each row; one app serves every row."""
    with prebuilt(request, tmp_path_factory, _workspaces) as found:
        yield found, client(found.url)


@pytest.mark.parametrize(
    ("method", "path", "minimum", "body"), API, ids=[f"{m} {p}" for m, p, _, _ in API]
)
def test_roles(
    workspaces: tuple[Prebuilt[list[tuple[dict[str, str], dict[str, int]]]], TestClient],
    monkeypatch: pytest.MonkeyPatch,
    method: str,
    path: str,
    minimum: str,
    body: object,
) -> None:
    found, test_client = workspaces
    found.fresh(monkeypatch)
    for role, (headers, ids) in zip(ROLES, found.built, strict=True):
        response = test_client.request(
            method, _fill(path, ids), json=_fill(body, ids), headers=headers
        )  # type: ignore[arg-type]
        allowed = ROLES.index(role) >= ROLES.index(minimum)
        if allowed:
            assert response.status_code < 400, (
                f"{role} should be allowed: {response.status_code} {response.text}"
            )
        else:
            assert response.status_code == 403, (
                f"{role} should be refused: {response.status_code} {response.text}"
            )


def _token_id(session: Session, user: object) -> int:
    from sqlalchemy import select

    from huddle.models.user import ApiToken

    return session.scalar(
        select(ApiToken.id).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())
    )  # type: ignore[attr-defined]


def test_no_token_is_refused_with_401(database_url: str) -> None:
    response = client(database_url).get("/api/v1/problems", headers={"accept": "application/json"})
    assert response.status_code == 401
    assert "Bearer" in response.json()["detail"]


def test_a_wrong_or_revoked_token_is_refused(database_url: str, session: Session) -> None:
    user = create_user(session, role="admin")
    headers = bearer(session, user)
    test_client = client(database_url)
    assert (
        test_client.get("/api/v1/me", headers={"Authorization": "Bearer hud_nope"}).status_code
        == 401
    )
    token_id = _token_id(session, user)
    assert test_client.delete(f"/api/v1/tokens/{token_id}", headers=headers).status_code == 204
    assert test_client.get("/api/v1/me", headers=headers).status_code == 401


def test_ingest_token_adds_evidence_but_reads_nothing(database_url: str, session: Session) -> None:
    user = create_user(session, role="contributor", team="support")
    create_account(session, name="Acme Secret Corp", domain="acme.example")
    session.commit()
    headers = bearer(session, user, TokenScope.ingest)
    test_client = client(database_url)
    # The feedback API answers with the stored item (its account's name, its submitter):
    # an ingest token may not read those back.
    refused = test_client.post(
        "/api/v1/feedback", json={"text": "Bulk edit please", "source": "ticket"}, headers=headers
    )
    assert refused.status_code == 403 and "/api/v1/ingest" in refused.json()["detail"]
    created = test_client.post(
        "/api/v1/ingest",
        json={"text": "Bulk edit please", "source": "ticket", "account": "acme.example"},
        headers=headers,
    )
    assert created.status_code == 200, created.text
    body = created.json()
    assert set(body) == {"created", "updated", "unchanged", "items"}
    assert body["items"][0].keys() == {"index", "id", "status"}
    assert "Acme" not in created.text
    stored = session.get(Feedback, body["items"][0]["id"])
    assert stored is not None and stored.team == "support" and stored.account_id is not None
    assert test_client.get("/api/v1/feedback", headers=headers).status_code == 403
    assert test_client.get("/api/v1/problems", headers=headers).status_code == 403


def test_tokens_are_stored_hashed(database_url: str, session: Session) -> None:
    from sqlalchemy import select

    from huddle.models.user import ApiToken

    user = create_user(session, role="pm")
    headers = bearer(session, user)
    secret = headers["Authorization"].split()[1]
    stored = session.scalars(select(ApiToken.token_hash)).all()
    assert secret not in stored and all(len(h) == 64 for h in stored)
