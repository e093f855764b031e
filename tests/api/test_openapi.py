"""The OpenAPI document tells the truth about errors: each status an operation answers with is
declared, and each error body validates against the schema declared for it."""

from typing import Any

# jsonschema_rs comes with schemathesis, which validates responses with it too.
from jsonschema_rs import Draft202012Validator
from sqlalchemy.orm import Session

from huddle.app import create_app
from tests.factories import create_account, create_problem, create_user
from tests.helpers import bearer, client

EVERY_OPERATION = {"400", "401", "403", "413", "422"}


def _operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method.upper(), path, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if path.startswith("/api/")
    ]


def test_every_api_operation_declares_its_errors() -> None:
    document = create_app("sqlite://", run_jobs=False).openapi()
    assert "HTTPValidationError" not in document["components"]["schemas"]
    operations = _operations(document)
    assert len(operations) == 105
    for method, path, operation in operations:
        declared = set(operation["responses"])
        assert declared >= EVERY_OPERATION, f"{method} {path}: {declared}"
        if "{" in path:
            assert "404" in declared, f"{method} {path}"
    for method, path in (
        ("POST", "/api/v1/users"),
        ("POST", "/api/v1/accounts"),
        ("POST", "/api/v1/feedback"),
    ):
        assert "409" in document["paths"][path][method.lower()]["responses"]
    assert "429" in document["paths"]["/api/v1/ingest"]["post"]["responses"]


def _declared(document: dict[str, Any], method: str, path: str, status: int) -> dict[str, Any]:
    response = document["paths"][path][method.lower()]["responses"][str(status)]
    return {**response["content"]["application/json"]["schema"], **document}


def test_error_bodies_match_their_declared_schemas(database_url: str, session: Session) -> None:
    pm = create_user(session, role="pm")
    viewer = create_user(session, role="viewer")
    problem = create_problem(session)
    create_account(session, name="Acme", external_id="crm-1")
    headers = bearer(session, pm)
    api = client(database_url)
    document = api.get("/openapi.json").json()
    answers = [
        ("PATCH", "/api/v1/problems/{problem_id}", {"title": None}, headers, 422),
        ("PATCH", "/api/v1/problems/{problem_id}", {"parent_id": problem.id}, headers, 422),
        ("GET", "/api/v1/problems/{problem_id}", None, headers, 404),
        ("POST", "/api/v1/accounts", {"name": "X", "external_id": "crm-1"}, headers, 409),
        ("POST", "/api/v1/problems", {"title": "X"}, {}, 401),
        ("POST", "/api/v1/problems", {"title": "X"}, bearer(session, viewer), 403),
        ("POST", "/api/v1/problems", "not json", headers, 422),
    ]
    seen = set()
    for method, path, body, sent_headers, status in answers:
        url = path.replace("{problem_id}", str(problem.id if status != 404 else 10**9))
        if isinstance(body, str):
            response = api.request(
                method,
                url,
                content=body,
                headers={**sent_headers, "content-type": "application/json"},
            )
        else:
            response = api.request(method, url, json=body, headers=sent_headers)
        assert response.status_code == status, f"{method} {url}: {response.text}"
        schema = _declared(document, method, path, status)
        errors = list(Draft202012Validator(schema).iter_errors(response.json()))
        assert not errors, f"{method} {path} {status}: {errors[0].message}"
        seen.add(type(response.json()["detail"]))
    assert seen == {str, list}  # both 422 shapes came back and both were declared


def test_a_wrong_method_names_every_method_the_path_takes(
    database_url: str, session: Session
) -> None:
    headers = bearer(session, create_user(session, role="pm"))
    api = client(database_url)
    response = api.put("/api/v1/accounts/1", json={}, headers=headers)
    assert response.status_code == 405 and response.headers["allow"] == "GET, PATCH"
    # A fixed path is not a bad id for the parameter beside it.
    response = api.patch("/api/v1/problems/from-feedback", json={}, headers=headers)
    assert response.status_code == 405 and response.headers["allow"] == "POST"
