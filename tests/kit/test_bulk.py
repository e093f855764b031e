"""bulk_update writes what it is given, NULLs and typed values included, and on PostgreSQL in
one statement a chunk (its figure triggers mark once per statement; an executemany is a
statement per row there)."""

import sys
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import event, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from huddle.db import get_engine, session_scope
from huddle.kit import bulk
from huddle.kit.bulk import (
    bulk_update,
    pending_rows,
    reads_ahead,
    reserve_ids,
    start_writing,
    write_rows,
)
from huddle.models.account import Contact
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


def _evidence_rows(account_id: int, count: int) -> list[dict[str, Any]]:
    when = datetime(2026, 11, 3, 9, 30, tzinfo=UTC)
    return [
        {
            "text": f"Export {n} is slow, tab\there",
            "title": None if n % 2 else f"Title {n}",
            "source": "call",
            "origin": "csv",
            "namespace": "",
            "channel": "import",
            "external_id": f"E{n}",
            "account_id": account_id if n % 2 else None,
            "occurred_at": when,
            "created_at": datetime(2026, 12, 4, 20, 0, tzinfo=UTC),
            "dated": n != 1,
            "tags": ["pricing", 'a "quoted" tag'] if n else [],
            "sentiment": -0.5 if n else None,
            "pii_masked": n,
        }
        for n in range(count)
    ]


def _reserve(session: Session, rows: list[dict[str, Any]]) -> list[int]:
    """Gives each row an id reserved for it; returns them."""
    ids = reserve_ids(session, Feedback, len(rows))
    for row, row_id in zip(rows, ids, strict=True):
        row["id"] = row_id
    return ids


COPIED = (
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
)


def _as_stored(row: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(row[c.key] for c in COPIED)


def test_reserved_ids_are_handed_out_once(session: Session) -> None:
    before = create_feedback(session, text="Export is slow")
    session.flush()
    ids = reserve_ids(session, Feedback, 3)
    assert ids == list(range(ids[0], ids[0] + 3)) and ids[0] > before.id
    # Neither a row added the usual way nor the next reservation is given one of them.
    after = create_feedback(session, text="Import is slow")
    session.flush()
    assert after.id > ids[-1]
    assert reserve_ids(session, Feedback, 2)[0] > after.id
    assert reserve_ids(session, Feedback, 0) == []


def test_ids_of_deleted_rows_are_not_reserved_again(database_url: str) -> None:
    with session_scope(database_url) as session:
        top = create_feedback(session, text="Export is slow")
        session.flush()
        top_id = top.id
        session.delete(top)
    with session_scope(database_url) as session:
        assert reserve_ids(session, Feedback, 1)[0] > top_id


@pytest.mark.parametrize("background", [False, True])
def test_write_rows_stores_every_value_under_the_reserved_ids(
    session: Session, background: bool
) -> None:
    account = create_account(session, name="Acme")
    rows = _evidence_rows(account.id, 3)
    ids = _reserve(session, rows)
    assert len(set(ids)) == 3
    write_rows(session, Feedback, rows, background=background)
    # The next statement waits for rows still being written, and sees them.
    stored = session.execute(select(*COPIED).order_by(Feedback.id)).all()
    assert [tuple(s) for s in stored] == [_as_stored(row) for row in rows]


@pytest.mark.parametrize("pipelined", [False, True], ids=["alone", "while the next are held"])
def test_a_failed_background_write_fails_the_next_statement_and_rolls_back(
    database_url: str, pipelined: bool
) -> None:
    with session_scope(database_url) as session:
        account_id = create_account(session, name="Acme").id
    with pytest.raises(IntegrityError), session_scope(database_url) as session:
        rows = _evidence_rows(account_id, 3)
        _reserve(session, rows)
        rows[1]["id"] = rows[0]["id"]  # a primary key twice: the write fails
        if pipelined:
            # Sent from another thread while the next rows are held: the next statement fails.
            write_rows(session, Feedback, rows[:2], background=True)
            with reads_ahead(session):
                session.execute(select(Feedback.id)).all()
            start_writing(session)
            write_rows(session, Feedback, rows[2:], background=True)
        else:
            write_rows(session, Feedback, rows[:1])
            write_rows(session, Feedback, rows[1:], background=True)
        session.execute(select(Feedback.id)).all()
    with session_scope(database_url) as session:
        assert session.scalars(select(Feedback.id)).all() == []


def test_write_rows_refuses_rows_that_leave_a_python_default_out(session: Session) -> None:
    row = {"id": 1, "text": "Export is slow", "source": "call", "occurred_at": datetime.now(UTC)}
    with pytest.raises(ValueError, match="origin"):
        write_rows(session, Feedback, [row])


def test_held_rows_wait_for_reads_ahead_and_are_written_before_anything_else(
    session: Session,
) -> None:
    account = create_account(session, name="Acme")
    rows = _evidence_rows(account.id, 2)
    ids = _reserve(session, rows)
    write_rows(session, Feedback, rows, background=True)
    with reads_ahead(session):
        # Looked up before the held rows are written: they are asked apart.
        assert session.scalars(select(Feedback.id)).all() == []
        assert [row["id"] for row in pending_rows(session, Feedback)] == ids
    start_writing(session)
    assert pending_rows(session, Feedback) == []
    assert session.scalars(select(Feedback.id).order_by(Feedback.id)).all() == ids


def test_any_other_statement_writes_held_rows_first_and_a_rollback_drops_them(
    database_url: str,
) -> None:
    with session_scope(database_url) as session:
        account_id = create_account(session, name="Acme").id
    with session_scope(database_url) as session:
        rows = _evidence_rows(account_id, 2)
        _reserve(session, rows)
        write_rows(session, Feedback, rows, background=True)
        assert len(session.scalars(select(Feedback.id)).all()) == 2
    with session_scope(database_url) as session:
        rows = _evidence_rows(account_id, 1)
        rows[0]["external_id"] = "dropped"
        rows[0]["id"] = reserve_ids(session, Feedback, 1)[0]
        write_rows(session, Feedback, rows, background=True)
        session.rollback()
        assert session.scalars(select(Feedback.external_id).order_by(Feedback.id)).all() == [
            "E0",
            "E1",
        ]


def _contact_row(contact_id: int, account_id: int, email: str) -> dict[str, Any]:
    return {
        "id": contact_id,
        "email": email,
        "name": None,
        "account_id": account_id,
        "import_id": None,
        "created_at": datetime(2026, 11, 3, tzinfo=UTC),
    }


def test_rows_held_while_others_are_written_wait_for_them_and_keep_their_order(
    session: Session,
) -> None:
    # An import's pipeline: hold a chunk (contacts, then the evidence naming them), read
    # ahead, send it, then hold the next chunk while it is being written.
    account = create_account(session, name="Acme")
    (first_contact,) = reserve_ids(session, Contact, 1)
    first = _evidence_rows(account.id, 2)
    for row, row_id in zip(first, reserve_ids(session, Feedback, 2), strict=True):
        row.update(id=row_id, contact_id=first_contact)
    write_rows(
        session, Contact, [_contact_row(first_contact, account.id, "a@acme.com")], background=True
    )
    write_rows(session, Feedback, first, background=True)
    assert [r["email"] for r in pending_rows(session, Contact)] == ["a@acme.com"]
    with reads_ahead(session):
        (second_contact,) = reserve_ids(session, Contact, 1)
        second_ids = reserve_ids(session, Feedback, 1)
    start_writing(session)
    # Sent: nothing is held any more, and the next chunk may be held while it is written.
    assert pending_rows(session, Feedback) == [] and pending_rows(session, Contact) == []
    second = _evidence_rows(account.id, 1)
    second[0].update(id=second_ids[0], external_id="E9", contact_id=second_contact)
    write_rows(
        session, Contact, [_contact_row(second_contact, account.id, "b@acme.com")], background=True
    )
    write_rows(session, Feedback, second, background=True)
    with reads_ahead(session):
        # Waits for the rows being written, and sees them; the held ones are asked apart.
        assert session.scalars(select(Feedback.id).order_by(Feedback.id)).all() == [
            row["id"] for row in first
        ]
        assert [row["id"] for row in pending_rows(session, Feedback)] == second_ids
    # Any other statement writes what is held first.
    stored = session.execute(select(Feedback.id, Feedback.contact_id).order_by(Feedback.id)).all()
    assert [tuple(s) for s in stored] == [
        (first[0]["id"], first_contact),
        (first[1]["id"], first_contact),
        (second_ids[0], second_contact),
    ]
    assert session.scalars(select(Contact.email).order_by(Contact.id)).all() == [
        "a@acme.com",
        "b@acme.com",
    ]


def test_sending_rows_shortens_the_switch_interval_and_gives_it_back(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    # While rows are sent from another thread, Python switches threads more often (the sender
    # waits for the GIL after every wait for the socket); afterwards, as it was.
    before = sys.getswitchinterval()
    seen: list[float] = []
    account = create_account(session, name="Acme")
    rows = _evidence_rows(account.id, 3)
    _reserve(session, rows)
    write_rows(session, Feedback, rows, background=True)
    original = bulk._Writer._send

    def send(writer: Any, part: Any) -> None:
        seen.append(sys.getswitchinterval())
        original(writer, part)

    monkeypatch.setattr(bulk._Writer, "_send", send)
    start_writing(session)
    assert len(session.scalars(select(Feedback.id)).all()) == 3
    assert seen == [min(before, bulk._Switching.INTERVAL)]
    assert sys.getswitchinterval() == before


def test_a_copy_gives_the_plan_cache_mode_back(database_url: str, session: Session) -> None:
    # The COPY plans its foreign-key checks once (plan_cache_mode auto); every other statement
    # is planned on its values, as huddle.db sets each connection.
    if not database_url.startswith("postgresql"):
        pytest.skip("PostgreSQL's setting")
    account = create_account(session, name="Acme")
    rows = _evidence_rows(account.id, 2)
    _reserve(session, rows)
    write_rows(session, Feedback, rows)
    assert session.scalar(text("SHOW plan_cache_mode")) == "force_custom_plan"
    session.commit()
    assert session.scalar(text("SHOW plan_cache_mode")) == "force_custom_plan"
