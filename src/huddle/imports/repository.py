"""The SQL of imports: bulk writes, the record of what each import changed, and its undo.

No rules live here: which rows to create or update is decided by the services
(`huddle.feedback.intake`, `huddle.accounts.intake`); this module only reads and writes.
"""

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Table, TypeDecorator, delete, select
from sqlalchemy.orm import Session

from huddle.kit.bulk import bulk_insert, in_lists
from huddle.models.account import Account, AccountKey, Contact
from huddle.models.activity import Activity
from huddle.models.feedback import Feedback
from huddle.models.imports import ImportChange, ImportRun
from huddle.models.problem import FeedbackLink
from huddle.models.user import User

TABLES: dict[str, Any] = {
    "accounts": Account,
    "account_keys": AccountKey,
    "contacts": Contact,
    "feedback": Feedback,
}


def _json_safe(values: dict[str, Any]) -> dict[str, Any]:
    return {
        key: value.isoformat() if isinstance(value, date | datetime) else value
        for key, value in values.items()
    }


def _python_type(table: Table, column: str) -> type:
    if column not in table.c:
        return object
    kind = table.c[column].type
    if isinstance(kind, TypeDecorator):
        kind = kind.impl_instance
    try:
        return kind.python_type
    except NotImplementedError:
        return object


def typed_values(table_name: str, values: dict[str, Any]) -> dict[str, Any]:
    """Values read back from a change record, in the column's own Python type."""
    table: Table = TABLES[table_name].__table__
    typed: dict[str, Any] = {}
    for key, value in values.items():
        kind = _python_type(table, key)
        if isinstance(value, str) and kind is datetime:
            typed[key] = datetime.fromisoformat(value)
        elif isinstance(value, str) and kind is date:
            typed[key] = date.fromisoformat(value)
        else:
            typed[key] = value
    return typed


def record_updates(
    session: Session,
    import_id: int,
    table_name: str,
    changes: Iterable[tuple[int, dict[str, Any], dict[str, Any]]],
) -> None:
    """Keep (row id, new values, old values) of rows an import changed, for its undo."""
    bulk_insert(
        session,
        ImportChange,
        [
            {
                "import_id": import_id,
                "table_name": table_name,
                "row_id": row_id,
                "action": "updated",
                "after": _json_safe(after),
                "before": _json_safe(before),
            }
            for row_id, after, before in changes
        ],
    )


def changes_of(session: Session, import_id: int) -> Sequence[ImportChange]:
    statement = select(ImportChange).where(ImportChange.import_id == import_id)
    return session.scalars(statement.order_by(ImportChange.id)).all()


def later_changes(
    session: Session, table_name: str, row_ids: Sequence[int], after_import_id: int
) -> dict[int, int]:
    """Row id -> the first import after `after_import_id` (not undone) that changed it."""
    found: dict[int, int] = {}
    for chunk in in_lists(row_ids):
        statement = (
            select(ImportChange.row_id, ImportChange.import_id)
            .join(ImportRun, ImportRun.id == ImportChange.import_id)
            .where(
                ImportChange.table_name == table_name,
                ImportChange.row_id.in_(chunk),
                ImportChange.import_id > after_import_id,
                ImportRun.undone_at.is_(None),
            )
            .order_by(ImportChange.import_id)
        )
        for row_id, import_id in session.execute(statement):
            found.setdefault(row_id, import_id)
    return found


def current_values(
    session: Session, table_name: str, row_ids: Sequence[int], columns: set[str]
) -> dict[int, dict[str, Any]]:
    table: Table = TABLES[table_name].__table__
    wanted = sorted(c for c in columns if c in table.c)
    found: dict[int, dict[str, Any]] = {}
    for chunk in in_lists(row_ids):
        statement = select(table.c.id, *[table.c[c] for c in wanted]).where(table.c.id.in_(chunk))
        for row in session.execute(statement):
            found[row[0]] = dict(zip(wanted, row[1:], strict=True))
    return found


def created_ids(session: Session, table_name: str, import_id: int) -> list[int]:
    model = TABLES[table_name]
    return list(session.scalars(select(model.id).where(model.import_id == import_id)))


def referring(
    session: Session, column: Any, ids: Sequence[int], *, besides_import: int
) -> list[tuple[int, int | None]]:
    """(row id, its import) of rows whose `column` points at `ids`, other than the import's own."""
    model = column.class_
    found: list[tuple[int, int | None]] = []
    for chunk in in_lists(ids):
        statement = select(model.id, model.import_id).where(
            column.in_(chunk),
            (model.import_id.is_(None)) | (model.import_id != besides_import),
        )
        found.extend((row[0], row[1]) for row in session.execute(statement))
    return found


def person_links(session: Session, feedback_ids: Sequence[int]) -> list[FeedbackLink]:
    """Links a person made (not matching) to these items."""
    found: list[FeedbackLink] = []
    for chunk in in_lists(feedback_ids):
        statement = select(FeedbackLink).where(
            FeedbackLink.feedback_id.in_(chunk),
            FeedbackLink.confidence.is_(None),
        )
        found.extend(session.scalars(statement))
    return found


def merged_duplicates(session: Session, feedback_ids: Sequence[int]) -> list[Feedback]:
    """Evidence a person folded into one of these items as its duplicate."""
    found: list[Feedback] = []
    for chunk in in_lists(feedback_ids):
        statement = select(Feedback).where(Feedback.duplicate_of_id.in_(chunk))
        found.extend(session.scalars(statement))
    return found


def edited_by_people(
    session: Session, table_name: str, ids: Sequence[int], since: datetime
) -> list[tuple[int, str, str]]:
    """(row id, what was done, by whom) for changes people recorded on these rows since."""
    found: list[tuple[int, str, str]] = []
    for chunk in in_lists(ids):
        statement = (
            select(Activity.subject_id, Activity.verb, User.name)
            .join(User, User.id == Activity.actor_id)
            .where(
                Activity.subject_type == table_name,
                Activity.subject_id.in_(chunk),
                Activity.at >= since,
            )
            .order_by(Activity.id)
        )
        found.extend((row[0], row[1], row[2]) for row in session.execute(statement))
    return found


def delete_rows(session: Session, table_name: str, ids: Sequence[int]) -> int:
    model = TABLES[table_name]
    removed = 0
    for chunk in in_lists(ids):
        result = session.execute(delete(model).where(model.id.in_(chunk)))
        removed += int(result.rowcount)  # type: ignore[attr-defined]
    return removed


def recent_imports(session: Session, limit: int = 100) -> Sequence[ImportRun]:
    return session.scalars(select(ImportRun).order_by(ImportRun.id.desc()).limit(limit)).all()


def account_names(session: Session) -> Sequence[tuple[str, str | None]]:
    """Every account's name and domain: what a note's title may mention."""
    return [
        (name, domain) for name, domain in session.execute(select(Account.name, Account.domain))
    ]


def workspace_people(session: Session) -> Sequence[tuple[str, str]]:
    """The names and emails of the workspace's active users: the vendor's side."""
    rows = session.execute(select(User.name, User.email).where(User.is_active.is_(True)))
    return [(name, email) for name, email in rows]
