"""What every command shares: the database it works on and the person it acts as."""

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import wraps
from typing import Any, ParamSpec, TypeVar

import typer
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from huddle.auth.actor import Actor
from huddle.db import session_scope
from huddle.errors import HuddleError
from huddle.models.user import User

P = ParamSpec("P")
R = TypeVar("R")


@dataclass
class CliState:
    database_url: str
    acting_as: str | None = None


state = CliState(database_url="")


@contextmanager
def unit_of_work() -> Iterator[Session]:
    with session_scope(state.database_url) as session:
        yield session


def cli_actor(session: Session) -> Actor:
    """The CLI acts as the admin named by --as, or the first active admin."""
    statement = select(User).where(User.is_active.is_(True))
    if state.acting_as:
        user = session.scalar(statement.where(User.email == state.acting_as.lower()))
        if user is None:
            raise HuddleError(f"no active user {state.acting_as}")
    else:
        user = session.scalar(statement.where(User.role == "admin").order_by(User.id))
        if user is None:
            raise HuddleError("no admin yet: run `huddle init` first")
    return Actor(user=user)


def fail(message: str, code: int = 1) -> None:
    typer.secho(f"error: {message}", err=True, fg=typer.colors.RED)
    raise typer.Exit(code)


def reports_errors(function: Callable[P, R]) -> Callable[P, R]:
    """Turns domain and database errors into one line on stderr and a non-zero exit."""

    @wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return function(*args, **kwargs)
        except HuddleError as error:
            fail(error.message)
        except BrokenPipeError:
            # The reader went away (`| head`): not an error of ours.
            sys.stderr.close()
            raise typer.Exit(0) from None
        except Exception as error:  # a broken database URL, a locked file…
            if isinstance(error, SQLAlchemyError | OSError):
                fail(
                    _schema_missing(error)
                    or f"{type(error).__name__}: {str(error).splitlines()[0]}"
                )
            raise
        raise AssertionError("unreachable")

    return wrapper


# What SQLite and PostgreSQL say of a table or a column the schema does not have.
_NO_TABLE = ("no such table", "UndefinedTable")
_NO_COLUMN = ("no such column", "UndefinedColumn")


def _schema_missing(error: BaseException) -> str | None:
    """What to do when the database has no Huddle schema, or an older one: a new user's first
    command on a new file would otherwise read "no such table: users"."""
    said = f"{type(getattr(error, 'orig', None)).__name__} {error}"
    if any(mark in said for mark in _NO_TABLE):
        return (
            "the database has no Huddle tables (a new file, or not Huddle's database): "
            "run `huddle init` first to create them and the first admin"
        )
    if any(mark in said for mark in _NO_COLUMN):
        return (
            "the database's tables are older than this Huddle: run `huddle init` to upgrade "
            "them (it migrates and keeps the data)"
        )
    return None


def echo_json(value: Any) -> None:
    sys.stdout.write(json.dumps(value, indent=2, default=str) + "\n")
