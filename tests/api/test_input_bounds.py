"""Bad input is refused with a 4xx naming the field, never a 500, on SQLite and PostgreSQL alike;
and what was stored is left as it was."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from huddle.models import Account, Feedback, Problem
from huddle.params import MAX_ID
from tests.factories import create_account, create_feedback, create_problem, create_user
from tests.helpers import bearer, client


def _fields(response: object) -> set[str]:
    detail = response.json()["detail"]  # type: ignore[attr-defined]
    return {p["field"] for p in detail} if isinstance(detail, list) else {response.json()["field"]}  # type: ignore[attr-defined]


def test_patch_refuses_null_for_what_cannot_be_empty(database_url: str, session: Session) -> None:
    admin = create_user(session, role="admin")
    other = create_user(session, role="viewer")
    problem = create_problem(session, title="Exports time out")
    account = create_account(session, name="Acme", arr=5_000_00)
    item = create_feedback(session, text="Exports time out at month end", submitter=admin)
    headers = bearer(session, admin)
    api = client(database_url)
    refused = {
        f"/api/v1/problems/{problem.id}": ["title", "description", "status"],
        f"/api/v1/accounts/{account.id}": ["name", "arr_minor", "status", "at_risk"],
        f"/api/v1/feedback/{item.id}": ["text", "source", "tags"],
        f"/api/v1/users/{other.id}": ["name", "role", "team", "is_active"],
    }
    for path, fields in refused.items():
        for name in fields:
            response = api.patch(path, json={name: None}, headers=headers)
            assert response.status_code == 422, f"{path} {name}: {response.text}"
            assert _fields(response) == {name}
    session.expire_all()
    assert (problem.title, problem.status) == ("Exports time out", "new")
    assert (account.name, account.arr_minor, account.at_risk) == ("Acme", 5_000_00, False)
    # null still clears what may be empty.
    problem.product_area = "Reporting"
    session.commit()
    cleared = api.patch(
        f"/api/v1/problems/{problem.id}", json={"product_area": None}, headers=headers
    )
    assert cleared.status_code == 200 and cleared.json()["product_area"] is None


def test_patch_holds_the_limits_create_holds(database_url: str, session: Session) -> None:
    pm = create_user(session, role="pm")
    problem = create_problem(session, title="Exports time out")
    account = create_account(session, name="Acme")
    item = create_feedback(session, submitter=pm)
    headers = bearer(session, pm)
    api = client(database_url)
    too_long = [
        (f"/api/v1/problems/{problem.id}", "title", 201),
        (f"/api/v1/problems/{problem.id}", "product_area", 101),
        (f"/api/v1/accounts/{account.id}", "segment", 51),
        (f"/api/v1/accounts/{account.id}", "plan", 51),
        (f"/api/v1/feedback/{item.id}", "title", 301),
    ]
    for path, name, length in too_long:
        response = api.patch(path, json={name: "x" * length}, headers=headers)
        assert response.status_code == 422 and _fields(response) == {name}, response.text
        fits = api.patch(path, json={name: "x" * (length - 1)}, headers=headers)
        assert fits.status_code == 200, fits.text


def test_nul_characters_are_refused_by_name(database_url: str, session: Session) -> None:
    pm = create_user(session, role="pm")
    problem = create_problem(session, title="Exports time out")
    headers = bearer(session, pm)
    api = client(database_url)
    attempts = [
        ("POST", "/api/v1/problems", {"title": "Slow\x00 exports"}, "title"),
        ("PATCH", f"/api/v1/problems/{problem.id}", {"description": "a\x00b"}, "description"),
        ("POST", "/api/v1/feedback", {"text": "ok", "tags": ["fine", "bad\x00"]}, "tags"),
        ("POST", "/api/v1/accounts", {"name": "Acme\x00"}, "name"),
        ("POST", "/api/v1/ingest", {"text": "pushed", "title": "\x00"}, "title"),
    ]
    for method, path, body, name in attempts:
        response = api.request(method, path, json=body, headers=headers)
        assert response.status_code == 422, f"{path}: {response.text}"
        assert _fields(response) == {name}
        assert "NUL" in response.text
    search = api.get("/api/v1/feedback", params={"q": "a\x00"}, headers=headers)
    assert search.status_code == 422 and _fields(search) == {"query.q"}
    assert session.scalar(select(Problem.title).where(Problem.id == problem.id)) == problem.title
    assert session.scalar(select(Account.id)) is None


def test_ids_and_offsets_past_64_bits_are_refused_not_a_server_error(
    database_url: str, session: Session
) -> None:
    pm = create_user(session, role="pm")
    problem = create_problem(session)
    headers = bearer(session, pm)
    api = client(database_url)
    huge = 2**64 + 1
    for path in (
        f"/api/v1/problems/{huge}",
        f"/api/v1/accounts/{huge}",
        f"/api/v1/feedback/{huge}",
        f"/api/v1/problems/{problem.id}/links/{huge}",
    ):
        method = "DELETE" if path.count("/") > 5 else "GET"
        assert api.request(method, path, headers=headers).status_code == 422, path
    assert api.get(f"/api/v1/problems/{MAX_ID}", headers=headers).status_code == 404
    assert (
        api.post(
            f"/api/v1/themes/{MAX_ID}/rename", json={"label": "x"}, headers=headers
        ).status_code
        == 404
    )
    for params in ({"offset": MAX_ID + 1}, {"account_id": huge}, {"problem_id": -(2**70)}):
        response = api.get("/api/v1/feedback", params=params, headers=headers)
        assert response.status_code == 422, params
    assert (
        api.get("/api/v1/feedback", params={"offset": MAX_ID}, headers=headers).json()["items"]
        == []
    )
    body = {"title": "From items", "feedback_ids": [huge]}
    assert api.post("/api/v1/problems/from-feedback", json=body, headers=headers).status_code == 422
    patch = api.patch(f"/api/v1/problems/{problem.id}", json={"parent_id": huge}, headers=headers)
    assert patch.status_code == 422 and _fields(patch) == {"parent_id"}
    # A moment that cannot be put in UTC is refused too.
    early = api.get(
        "/api/v1/feedback", params={"since": "0001-01-01T00:00:00+05:00"}, headers=headers
    )
    assert early.status_code == 422 and _fields(early) == {"query.since"}


def test_a_duplicate_external_id_is_a_409_naming_the_field(
    database_url: str, session: Session
) -> None:
    pm = create_user(session, role="pm")
    headers = bearer(session, pm)
    api = client(database_url)
    first = api.post(
        "/api/v1/accounts", json={"name": "Acme", "external_id": "crm-1"}, headers=headers
    )
    assert first.status_code == 201
    again = api.post(
        "/api/v1/accounts", json={"name": "Acme 2", "external_id": "crm-1"}, headers=headers
    )
    assert again.status_code == 409 and again.json()["field"] == "external_id"
    assert "crm-1" in again.json()["detail"]
    # A blank id is no id: any number of accounts may have none.
    for name in ("Globex", "Initech"):
        blank = api.post(
            "/api/v1/accounts", json={"name": name, "external_id": " "}, headers=headers
        )
        assert blank.status_code == 201 and blank.json()["external_id"] is None
    for text in ("one", "two"):
        blank = api.post(
            "/api/v1/feedback", json={"text": text, "external_id": ""}, headers=headers
        )
        assert blank.status_code == 201, blank.text
    names = session.scalars(select(Account.name).order_by(Account.id)).all()
    assert names == ["Acme", "Globex", "Initech"]
    # Evidence without an id is known by its content instead (a retry finds it again).
    kept = session.scalars(select(Feedback.external_id).order_by(Feedback.id)).all()
    assert len(kept) == 2 and all(k and k.startswith("sha1:") for k in kept) and len(set(kept)) == 2
