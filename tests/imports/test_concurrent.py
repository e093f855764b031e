"""Two imports of the same file at once: the second waits for the first, then finds its rows."""

import threading
from pathlib import Path

from sqlalchemy import func, select

from huddle.auth.actor import Actor
from huddle.db import session_scope
from huddle.imports.report import ImportReport
from huddle.imports.service import import_file
from huddle.models import Feedback, User
from tests.factories import create_user


def test_the_same_file_imported_twice_at_once_is_stored_once(
    database_url: str, tmp_path: Path
) -> None:
    with session_scope(database_url) as session:
        admin_id = create_user(session, role="admin").id
    path = tmp_path / "tickets.csv"
    path.write_text(
        "id,text,source,date\n"
        + "".join(f"T-{n},Ticket number {n} about exports,ticket,2026-10-01\n" for n in range(800))
    )
    start = threading.Barrier(2)
    reports: list[ImportReport] = []
    failures: list[BaseException] = []

    def run() -> None:
        try:
            with session_scope(database_url) as session:
                user = session.get(User, admin_id)
                assert user is not None
                start.wait()
                reports.append(
                    import_file(session, kind="feedback", path=path, actor=Actor(user=user))
                )
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert failures == []
    assert sorted((r.created, r.unchanged) for r in reports) == [(0, 800), (800, 0)]
    with session_scope(database_url) as session:
        assert session.scalar(select(func.count()).select_from(Feedback)) == 800
