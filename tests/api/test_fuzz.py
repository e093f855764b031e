"""Schemathesis drives every API operation with generated input on a seeded workspace, as an
admin, and runs all its checks on every answer: never a server error, every status and body as
the OpenAPI document declares, schema-violating input refused, a wrong method a 405 naming the
right ones. On SQLite and on PostgreSQL, which is stricter (NUL, lengths, 64-bit ids).

Bounded by `MAX_EXAMPLES` per operation with a fixed derandomised seed, so a run is repeatable
and takes a minute or two; bench/README.md ("API fuzzing") has a longer run of the CLI.
"""

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, assume, settings
from hypothesis import strategies as st
from pydantic import EmailStr, TypeAdapter, ValidationError
from schemathesis.specs.openapi.checks import positive_data_acceptance
from sqlalchemy import select

from huddle.app import create_app
from huddle.auth.service import issue_token
from huddle.db import dispose_engine, session_scope
from huddle.demo import generator, loader
from huddle.jobs.runner import run_until_idle
from huddle.models.enums import TokenScope
from huddle.models.user import User
from huddle.params import MAX_ID, NUL_MESSAGE

MAX_EXAMPLES = 20
NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Workspace:
    app: Any
    headers: dict[str, str]
    token_id: int


def _seed(url: str) -> Workspace:
    """A small demo workspace, built by the code `huddle demo` runs, with an admin's token."""
    workspace = generator.generate(5, now=NOW, accounts=25, feedback=160)
    with session_scope(url) as session:
        loader.load(session, workspace)
    run_until_idle(url)  # embeddings and suggested problems
    with session_scope(url) as session:
        admin = session.scalars(select(User).where(User.role == "admin")).first()
        assert admin is not None
        token, secret = issue_token(
            session, user=admin, name="fuzz", scope=TokenScope.full, actor=None
        )
        token_id = token.id
    headers = {"Authorization": f"Bearer {secret}"}
    return Workspace(create_app(url, run_jobs=False), headers, token_id)


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def workspace(
    request: pytest.FixtureRequest, sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Workspace]:
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("fuzz") / "huddle.db"
        shutil.copy(sqlite_template, path)
        url = f"sqlite:///{path}"
    else:
        from tests.conftest import _empty_postgres

        url = request.getfixturevalue("postgres_url")
        _empty_postgres(url)
    yield _seed(url)
    if request.param == "sqlite":
        dispose_engine(url)


def valid_input_passes_validation(ctx: Any, response: Any, case: Any) -> bool | None:
    """Input the document calls valid is not refused as invalid.

    Schemathesis' own check also fails a 422 that a rule the document cannot state gives for
    valid input: an owner email no user has, a quote that is not a passage of the text. Those
    answer `{"detail": "...", "field": ...}` and pass here. A list of fields failing
    validation does not: the document would promise more than the API takes. The exceptions
    are NUL characters, which JSON Schema has no word for; the probe just past a 64-bit id's
    maximum, which the generator checks as a double (2**63 - 1 + 200 rounds to the bound);
    and the ingest operation, which refuses rules between a batch's items (a repeated
    external id) and addresses that are not email addresses, neither stated in its schema.
    """
    if case.meta is None or not case.meta.generation.mode.is_positive:
        return None
    if response.status_code != 422 or case.operation.path == "/api/v1/ingest":
        return None
    detail = response.json()["detail"]
    unstated = (NUL_MESSAGE, f"less than or equal to {MAX_ID}")
    if isinstance(detail, list) and not all(
        any(reason in p["reason"] for reason in unstated) for p in detail
    ):
        raise AssertionError(f"schema-valid input refused: {detail}")
    return None


def _accepted_email(value: str) -> bool:
    try:
        TypeAdapter(EmailStr).validate_python(value)
    except ValidationError:
        return False
    return True


# "email" in the document is what email-validator accepts, which refuses special-use domains
# such as .test and .local that the format's grammar allows; generate addresses it takes.
schemathesis.openapi.format("email", st.emails().filter(_accepted_email))
# The document does not depend on the database; each call goes to the seeded workspace's app.
schema = schemathesis.openapi.from_dict(create_app("sqlite://", run_jobs=False).openapi())


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_answers_generated_input_as_documented(case: Any, workspace: Workspace) -> None:
    # Revoking the token the run signs in with would leave the rest of it testing 401s.
    token_id = (case.path_parameters or {}).get("token_id")
    assume(str(token_id).strip() != str(workspace.token_id))
    case.call_and_validate(
        app=workspace.app,
        headers=workspace.headers,
        excluded_checks=[positive_data_acceptance],
        additional_checks=[valid_input_passes_validation],
    )
