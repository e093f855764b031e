"""bulk_update writes what it is given, NULLs and typed values included, and on PostgreSQL in
one statement a chunk (its figure triggers mark once per statement; an executemany is a
statement per row there)."""

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from huddle.db import get_engine
from huddle.kit.bulk import bulk_update, insert_new_ids
from huddle.models.feedback import Feedback
from tests.factories import create_account, create_feedback


def test_bulk_update_writes_each_row_in_one_statement_on_postgresql(
    database_url: str, session: Session
) -> None:
    items = [create_feedback(session, text=f"Export number {n} is slow") for n in range(5)]
    session.commit()
    when = datetime(2026, 11, 3, 9, 30, tzinfo=UTC)
    rows: list[dict[str, Any]] = [
        {"id": item.id, "sentiment": n / 10, "occurred_at": when, "embedding": None}
        for n, item in enumerate(items)
    ]
    rows.append({"id": items[0].id, "tags": ["pricing", "renewal"]})
    statements: list[tuple[str, bool]] = []

    def note(_c: Any, _cur: Any, statement: str, _p: Any, _x: Any, many: bool) -> None:
        if statement.lstrip().upper().startswith("UPDATE FEEDBACK"):
            statements.append((statement, many))

    engine = get_engine(database_url)
    event.listen(engine, "before_cursor_execute", note)
    try:
        bulk_update(session, Feedback, rows)
        session.commit()
    finally:
        event.remove(engine, "before_cursor_execute", note)
    session.expire_all()
    stored = session.execute(
        select(Feedback.id, Feedback.sentiment, Feedback.occurred_at, Feedback.tags)
        .where(Feedback.id.in_([i.id for i in items]))
        .order_by(Feedback.id)
    ).all()
    assert [(s, o.replace(tzinfo=UTC) if o.tzinfo is None else o) for _, s, o, _t in stored] == [
        (n / 10, when) for n in range(5)
    ]
    assert stored[0].tags == ["pricing", "renewal"]
    # Two groups of columns: two statements, each one execution (not one per row).
    assert len(statements) == 2
    if database_url.startswith("postgresql"):
        assert [many for _, many in statements] == [False, False]


def test_insert_new_ids_stores_every_value_and_gives_ids_in_order(session: Session) -> None:
    account = create_account(session, name="Acme")
    when = datetime(2026, 11, 3, 9, 30, tzinfo=UTC)
    now = datetime(2026, 12, 4, 20, 0, tzinfo=UTC)
    rows: list[dict[str, Any]] = [
        {
            "text": f"Export {n} is slow, tab\there",
            "title": None if n % 2 else f"Title {n}",
            "source": "call",
            "origin": "csv",
            "namespace": "",
            "channel": "import",
            "external_id": f"E{n}",
            "account_id": account.id if n % 2 else None,
            "occurred_at": when,
            "created_at": now,
            "dated": n != 1,
            "tags": ["pricing", 'a "quoted" tag'] if n else [],
            "sentiment": -0.5 if n else None,
            "pii_masked": n,
        }
        for n in range(3)
    ]
    ids = insert_new_ids(session, Feedback, rows)
    session.flush()
    stored = session.execute(
        select(
            Feedback.id,
            Feedback.external_id,
            Feedback.text,
            Feedback.title,
            Feedback.account_id,
            Feedback.occurred_at,
            Feedback.dated,
            Feedback.tags,
            Feedback.sentiment,
            Feedback.pii_masked,
        ).order_by(Feedback.id)
    ).all()
    expected = [
        (
            row["external_id"],
            row["text"],
            row["title"],
            row["account_id"],
            when,
            row["dated"],
            row["tags"],
            row["sentiment"],
            row["pii_masked"],
        )
        for row in rows
    ]
    assert [tuple(s[1:]) for s in stored] == expected
    if ids is not None:  # PostgreSQL: the ids of the rows as given
        assert ids == [s.id for s in stored]
    else:
        assert session.get_bind().dialect.name == "sqlite"


def test_insert_new_ids_refuses_rows_that_leave_a_python_default_out(session: Session) -> None:
    row = {"text": "Export is slow", "source": "call", "occurred_at": datetime.now(UTC)}
    if session.get_bind().dialect.name != "postgresql":
        pytest.skip("SQLite inserts through Core, which applies the defaults")
    with pytest.raises(ValueError, match="origin"):
        insert_new_ids(session, Feedback, [row])
