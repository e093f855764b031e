from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from huddle.db import session_scope
from huddle.errors import Invalid
from huddle.feedback import intake
from huddle.imports import seen, service
from huddle.imports.report import ImportFailed
from huddle.imports.service import import_file
from huddle.models import Account, Contact, Feedback, ImportRun
from tests.factories import actor, create_user

ACCOUNTS = """Company,Website,Segment,Plan,ARR,Owner,Renewal date,At risk,CRM Id
Acme Corp,https://www.acme.com,Enterprise,Business,"$250,000",rep@example.com,2027-03-01,yes,A-1
Globex,globex.io,SMB,Starter,12k,,01/06/2027,no,A-2
Initech,initech.com,Mid-market,Growth,80000,rep@example.com,,,A-3
"""

FEEDBACK = """id,text,source,account,contact_email,submitted_by,date,tags
T-1,"Exports to Excel drop the cost centre column",ticket,A-1,jane@acme.com,rep@example.com,2026-10-01,"export, excel"
T-2,We need SSO with Okta before renewal,call,globex.io,,rep@example.com,2026-10-02T10:00:00Z,renewal
T-3,"Dashboard takes 30s to load
when filtering by region",chat,Initech,,,2026-10-03,
"""


def write(tmp_path: Path, name: str, content: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_text(content, encoding=encoding)
    return path


def counts(session: Session) -> tuple[int, int, int, int]:
    return tuple(
        session.scalar(select(func.count()).select_from(m)) or 0
        for m in (Account, Feedback, Contact, ImportRun)
    )  # type: ignore[return-value]


def test_accounts_import_with_auto_detected_columns(
    database_url: str, session: Session, tmp_path: Path
) -> None:
    admin = actor(session, "admin")
    create_user(session, role="contributor", team="sales", email="rep@example.com")
    report = import_file(
        session, kind="accounts", path=write(tmp_path, "a.csv", ACCOUNTS), actor=admin
    )
    assert (report.created, report.updated, report.errors) == (3, 0, [])
    acme = session.scalar(select(Account).where(Account.external_id == "A-1"))
    assert acme is not None
    assert (acme.domain, acme.arr_minor, acme.at_risk, acme.segment) == (
        "acme.com",
        25_000_000,
        True,
        "Enterprise",
    )
    assert acme.owner is not None and acme.owner.email == "rep@example.com"
    globex = session.scalar(select(Account).where(Account.name == "Globex"))
    assert (
        globex is not None
        and globex.arr_minor == 1_200_000
        and str(globex.renewal_date) == "2027-06-01"
    )


def test_reimport_updates_instead_of_duplicating(
    database_url: str, session: Session, tmp_path: Path
) -> None:
    admin = actor(session, "admin")
    create_user(session, role="contributor", team="sales", email="rep@example.com")
    accounts = write(tmp_path, "a.csv", ACCOUNTS)
    feedback = write(tmp_path, "f.csv", FEEDBACK)
    import_file(session, kind="accounts", path=accounts, actor=admin)
    import_file(session, kind="feedback", path=feedback, actor=admin)
    before = counts(session)
    again = import_file(session, kind="feedback", path=feedback, actor=admin)
    import_file(session, kind="accounts", path=accounts, actor=admin)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    after = counts(session)
    assert after[:3] == before[:3]


def test_feedback_import_links_accounts_contacts_and_submitters(
    database_url: str, session: Session, tmp_path: Path
) -> None:
    admin = actor(session, "admin")
    rep = create_user(session, role="contributor", team="sales", email="rep@example.com")
    import_file(session, kind="accounts", path=write(tmp_path, "a.csv", ACCOUNTS), actor=admin)
    report = import_file(
        session, kind="feedback", path=write(tmp_path, "f.csv", FEEDBACK), actor=admin
    )
    assert report.created == 3
    items = {f.external_id: f for f in session.scalars(select(Feedback))}
    assert items["T-1"].account is not None and items["T-1"].account.name == "Acme Corp"
    assert items["T-1"].submitter_id == rep.id and items["T-1"].team == "sales"
    assert items["T-1"].tags == ["excel", "export"]
    assert items["T-2"].account is not None and items["T-2"].account.name == "Globex"
    assert items["T-3"].account is not None and "when filtering" in items["T-3"].text
    assert items["T-3"].submitter_id is None
    contact = session.scalar(select(Contact).where(Contact.email == "jane@acme.com"))
    assert contact is not None and contact.account_id == items["T-1"].account_id


def test_one_bad_row_writes_nothing_and_names_line_column_reason(
    database_url: str, session: Session, tmp_path: Path
) -> None:
    admin = actor(session, "admin")
    create_user(session, role="contributor", team="sales", email="rep@example.com")
    import_file(session, kind="accounts", path=write(tmp_path, "a.csv", ACCOUNTS), actor=admin)
    session.commit()
    before = counts(session)
    # The multi-line row 3 starts on line 4, so the bad date is on line 6.
    bad = FEEDBACK + "T-4,Fine row,email,A-2,,,2026-10-04,\nT-5,Another,call,A-1,,,yesterday-ish,\n"
    with pytest.raises(ImportFailed) as failure:
        import_file(session, kind="feedback", path=write(tmp_path, "f.csv", bad), actor=admin)
    errors = failure.value.report.errors
    assert [(e.line, e.column) for e in errors] == [(7, "date")]
    assert "yesterday-ish" in errors[0].reason
    session.rollback()
    assert counts(session) == before


def test_every_bad_row_is_reported(database_url: str, session: Session, tmp_path: Path) -> None:
    admin = actor(session, "admin")
    content = "name,arr,owner,status\nGood,100,,customer\n,200,,customer\nBad money,lots,,customer\nX,1,nobody@example.com,alien\n"
    with pytest.raises(ImportFailed) as failure:
        import_file(session, kind="accounts", path=write(tmp_path, "a.csv", content), actor=admin)
    found = {(e.line, e.column) for e in failure.value.report.errors}
    assert found == {(3, "name"), (4, "arr"), (5, "status")}
    reasons = " ".join(e.reason for e in failure.value.report.errors)
    assert (
        "name is required" in reasons
        and "not an amount" in reasons
        and "unknown status 'alien'" in reasons
    )


def test_unknown_references_are_errors(database_url: str, session: Session, tmp_path: Path) -> None:
    admin = actor(session, "admin")
    content = "text,source,account,submitter,date\nHello,call,Nope Inc,,2026-01-01\nHi,call,,ghost@example.com,2026-01-01\n"
    with pytest.raises(ImportFailed) as failure:
        import_file(session, kind="feedback", path=write(tmp_path, "f.csv", content), actor=admin)
    assert [(e.line, e.column) for e in failure.value.report.errors] == [
        (2, "account"),
        (3, "submitter_email"),
    ]


def test_missing_required_column_is_named(
    database_url: str, session: Session, tmp_path: Path
) -> None:
    admin = actor(session, "admin")
    with pytest.raises(Exception, match="no column for text"):
        import_file(
            session,
            kind="feedback",
            path=write(tmp_path, "f.csv", "body_text,when\nhi,2026-01-01\n"),
            actor=admin,
        )


def test_column_mapping_and_jsonl(database_url: str, session: Session, tmp_path: Path) -> None:
    admin = actor(session, "admin")
    lines = '{"verbatim_answer": "Love it", "when": "2026-05-01", "ref": 7}\n\n{"verbatim_answer": "Too slow", "when": "2026-05-02", "ref": 8}\n'
    report = import_file(
        session,
        kind="feedback",
        path=write(tmp_path, "s.jsonl", lines),
        actor=admin,
        mapping={"verbatim_answer": "text", "when": "occurred_at", "ref": "external_id"},
        default_source="survey",
    )
    assert report.created == 2
    assert {f.external_id for f in session.scalars(select(Feedback))} == {"7", "8"}


def test_broken_jsonl_line_is_reported(database_url: str, session: Session, tmp_path: Path) -> None:
    admin = actor(session, "admin")
    lines = '{"text": "ok", "source": "call", "date": "2026-01-01"}\n{"text": "broken\n'
    with pytest.raises(ImportFailed) as failure:
        import_file(session, kind="feedback", path=write(tmp_path, "f.jsonl", lines), actor=admin)
    assert failure.value.report.errors[0].line == 2


def test_wrong_encoding_late_in_a_large_file_names_the_line(
    database_url: str, session: Session, tmp_path: Path
) -> None:
    admin = actor(session, "admin")
    rows = "".join(f"Company {i},SMB\n" for i in range(5000))
    path = tmp_path / "big.csv"
    path.write_bytes(("name,segment\n" + rows).encode() + "Café,SMB\n".encode("cp1252"))
    with pytest.raises(ImportFailed) as failure:
        import_file(session, kind="accounts", path=path, actor=admin)
    assert "--encoding" in failure.value.report.errors[0].reason
    assert counts(session)[0] == 0


def test_wrong_encoding_is_refused_clearly(
    database_url: str, session: Session, tmp_path: Path
) -> None:
    admin = actor(session, "admin")
    path = write(tmp_path, "a.csv", "name,segment\nCafé Müller,SMB\n", encoding="cp1252")
    with pytest.raises(Invalid, match="--encoding"):
        import_file(session, kind="accounts", path=path, actor=admin)
    report = import_file(session, kind="accounts", path=path, actor=admin, encoding="cp1252")
    assert report.created == 1


def test_dry_run_writes_nothing(database_url: str, session: Session, tmp_path: Path) -> None:
    admin = actor(session, "admin")
    create_user(session, role="contributor", team="sales", email="rep@example.com")
    report = import_file(
        session, kind="accounts", path=write(tmp_path, "a.csv", ACCOUNTS), actor=admin, dry_run=True
    )
    assert (report.created, report.import_id) == (3, None)
    assert counts(session)[0] == 0


def test_crash_mid_import_leaves_nothing(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with session_scope(database_url) as session:
        admin_id = actor(session, "admin").id
    rows = 2 * service.CHUNK_RECORDS + 10
    path = write(
        tmp_path,
        "f.csv",
        "text,source,date\n" + "".join(f"item {i},call,2026-01-01\n" for i in range(rows)),
    )
    calls = {"n": 0}

    def flaky(write: Any) -> Any:
        def written(session: Session, model: Any, rows: Any, **kwargs: Any) -> Any:
            if model is Feedback and rows:
                calls["n"] += 1
                if calls["n"] == 3:  # the third chunk: two are already written
                    raise RuntimeError("disk full")
            return write(session, model, rows, **kwargs)

        return written

    # The chunk before is still being written when the third one fails.
    monkeypatch.setattr(intake, "write_rows", flaky(intake.write_rows))
    with pytest.raises(RuntimeError), session_scope(database_url) as session:
        from huddle.auth.actor import Actor
        from huddle.models.user import User

        user = session.get(User, admin_id)
        assert user is not None
        import_file(session, kind="feedback", path=path, actor=Actor(user=user))
    with session_scope(database_url) as session:
        assert counts(session) == (0, 0, 0, 0)


def test_contributors_cannot_import(database_url: str, session: Session, tmp_path: Path) -> None:
    from huddle.errors import NotPermitted

    with pytest.raises(NotPermitted):
        import_file(
            session,
            kind="accounts",
            path=write(tmp_path, "a.csv", ACCOUNTS),
            actor=actor(session, "pm"),
        )


def test_undo_removes_exactly_what_the_import_added(
    database_url: str, session: Session, tmp_path: Path
) -> None:
    from huddle.errors import Conflict
    from huddle.imports.undo import undo_import
    from tests.factories import create_feedback

    admin = actor(session, "admin")
    create_user(session, role="contributor", team="sales", email="rep@example.com")
    kept = create_feedback(session, text="typed by hand")
    import_file(session, kind="accounts", path=write(tmp_path, "a.csv", ACCOUNTS), actor=admin)
    report = import_file(
        session, kind="feedback", path=write(tmp_path, "f.csv", FEEDBACK), actor=admin
    )
    assert report.import_id is not None
    removed = undo_import(session, import_id=report.import_id, actor=admin)
    assert removed == {
        "feedback": 3,
        "contacts": 1,
        "account keys": 0,
        "accounts": 0,
        "restored": 0,
    }
    session.expire_all()
    assert [f.id for f in session.scalars(select(Feedback))] == [kept.id]
    assert session.scalar(select(func.count()).select_from(Account)) == 3
    with pytest.raises(Conflict):
        undo_import(session, import_id=report.import_id, actor=admin)


def test_imported_text_is_masked_at_once_and_scored_by_the_embedding_job(
    database_url: str, session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Large imports leave sentiment and urgency to the embedding job (small ones score
    inline); masking never waits."""
    from huddle.feedback import intake
    from huddle.jobs.runner import run_until_idle

    monkeypatch.setattr(intake, "SCORE_INLINE_MAX", 0)
    admin = actor(session, "admin")
    content = 'text,source,date\n"Furious!! reach me at jo@acme.com, the export is broken and we are losing money",ticket,2026-01-01\n'
    import_file(session, kind="feedback", path=write(tmp_path, "f.csv", content), actor=admin)
    session.commit()
    item = session.scalar(select(Feedback))
    assert item is not None and "jo@acme.com" not in item.text and item.pii_masked == 1
    assert item.sentiment is None
    run_until_idle(database_url)
    session.expire_all()
    item = session.scalar(select(Feedback))
    assert item is not None and item.embedding is not None
    assert item.sentiment is not None and item.sentiment < 0 and (item.urgency or 0) > 0.3


def test_a_column_of_comments_imports_dated_by_the_import(
    database_url: str, session: Session, tmp_path: Path
) -> None:
    """The first file many people try: comments, no date, no id, no source."""
    admin = actor(session, "admin")
    path = write(
        tmp_path,
        "comments.csv",
        'Comment\n"Export to Excel drops the cost centre, we fix it by hand"\nLove the new board\n',
    )
    report = import_file(session, kind="feedback", path=path, actor=admin)
    assert (report.created, report.undated) == (2, 2)
    assert report.notes() == [
        f"2 items had no date: dated {report.dated_as} (--occurred-at sets another)"
    ]
    stored = session.scalars(select(Feedback).order_by(Feedback.id)).all()
    assert [(f.text, f.source) for f in stored] == [
        ("Export to Excel drops the cost centre, we fix it by hand", "internal"),
        ("Love the new board", "internal"),
    ]
    assert all(f.occurred_at is not None and f.external_id.startswith("sha1:") for f in stored)
    again = import_file(session, kind="feedback", path=path, actor=admin)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_a_pasted_column_with_a_date_given(
    database_url: str, session: Session, tmp_path: Path
) -> None:
    admin = actor(session, "admin")
    pasted = "The mobile app logs us out every day, twice on Mondays\nWe need SSO with Okta\n"
    path = write(tmp_path, "pasted.txt", pasted)
    when = datetime(2026, 10, 1, tzinfo=UTC)
    report = import_file(
        session, kind="feedback", path=path, actor=admin, occurred_at=when, default_source="call"
    )
    assert report.created == 2 and str(report.dated_as) == "2026-10-01"
    stored = session.scalars(select(Feedback).order_by(Feedback.id)).all()
    assert [(f.text, f.source, f.occurred_at) for f in stored] == [
        ("The mobile app logs us out every day, twice on Mondays", "call", when),
        ("We need SSO with Okta", "call", when),
    ]


def test_undated_evidence_stays_out_of_the_trend_until_its_date_arrives(
    database_url: str, session: Session, tmp_path: Path
) -> None:
    """An item the source gave no date takes the import's, and severity's trend leaves it out
    (the day of the import says nothing of when it was said); a later import giving its date
    counts it, and marks its problem's kept figures stale in the same transaction, as any
    change of date does; so does a change of `dated` alone (migration 20261204_0028)."""
    from datetime import timedelta

    from sqlalchemy import text

    from huddle.jobs.runner import run_until_idle
    from huddle.kit.time import utcnow
    from huddle.models.problem import ProblemFigures
    from tests.factories import create_problem, link

    admin = actor(session, "admin")
    problem = create_problem(session)
    path = write(tmp_path, "first.csv", "id,text\nT-1,Exports time out on big ledgers\n")
    assert import_file(session, kind="feedback", path=path, actor=admin).undated == 1
    item = session.scalars(select(Feedback)).one()
    assert item.dated is False
    link(session, item, problem)
    session.commit()
    run_until_idle(database_url)

    def figures() -> ProblemFigures:
        session.expire_all()
        row = session.get(ProblemFigures, problem.id)
        assert row is not None
        return row

    assert (figures().mentions, figures().recent, figures().stale) == (1, 0, False)
    # Nor is it charted by month: its month would be the import's.
    assert figures().mentions_by_month == {}
    yesterday = (utcnow() - timedelta(days=1)).date().isoformat()
    path = write(
        tmp_path, "dated.csv", f"id,text,date\nT-1,Exports time out on big ledgers,{yesterday}\n"
    )
    assert import_file(session, kind="feedback", path=path, actor=admin).updated == 1
    assert figures().stale is True
    session.commit()
    run_until_idle(database_url)
    assert session.scalars(select(Feedback.dated)).one() is True
    assert (figures().recent, figures().stale) == (1, False)
    assert figures().mentions_by_month == {yesterday[:7]: 1}
    session.execute(text("UPDATE feedback SET dated = false"))
    assert figures().stale is True
    # While stale, a problem's page counts its months from the evidence: undated, none.
    from huddle.problems.repository import LinkRepository

    assert LinkRepository(session).family_months([problem.id]) == {}
    session.commit()
    run_until_idle(database_url)
    assert (figures().recent, figures().stale) == (0, False)


def test_the_same_text_again_in_the_next_chunk_is_one_item(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Chunks of three, without ids: each item is known by its content. A chunk's rows are
    # still being written while the next one is looked up; the repeat must find them.
    monkeypatch.setattr(service, "CHUNK_RECORDS", 3)
    texts = ["export fails", "login loops", "sync is slow", "export fails", "new one", "x"]
    path = write(
        tmp_path,
        "f.csv",
        "text,source,date\n"
        + "".join(f"{t},call,2026-03-0{n % 3 + 1}\n" for n, t in enumerate(texts)),
    )
    # "export fails" on line 2 is dated 03-01, on line 5 03-01 again: the same item.
    report = import_file(session, kind="feedback", path=path, actor=None)
    assert (report.created, report.unchanged) == (5, 1)
    session.commit()
    assert counts(session)[1] == 5


@pytest.mark.parametrize("in_memory", [1_000, 4], ids=["in memory", "on disk"])
def test_a_repeated_id_is_named_with_its_first_line_in_any_chunk(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, in_memory: int
) -> None:
    # Chunks of three: the ids of earlier chunks are kept apart from the current one's, in
    # memory up to a bound, then in a file on disk (a long file's memory stays flat).
    monkeypatch.setattr(service, "CHUNK_RECORDS", 3)
    monkeypatch.setattr(seen, "IN_MEMORY", in_memory)
    ids = ["A0", "A1", "A2", "A3", "A4", "A5", "A1", "A7", "A7", "A0"]
    path = write(
        tmp_path,
        "f.csv",
        "id,text,source\n" + "".join(f"{i},item {n},call\n" for n, i in enumerate(ids)),
    )
    with pytest.raises(ImportFailed) as failed:
        import_file(session, kind="feedback", path=path, actor=None)
    assert [str(e) for e in failed.value.report.errors] == [
        "line 8, column 'external_id': the same id 'A1' as line 3",
        "line 10, column 'external_id': the same id 'A7' as line 9",
        "line 11, column 'external_id': the same id 'A0' as line 2",
    ]
    assert counts(session)[1] == 0


@pytest.mark.parametrize("in_memory", [1_000, 4], ids=["in memory", "on disk"])
def test_the_same_rows_again_are_the_items_they_repeat(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, in_memory: int
) -> None:
    # A download pasted twice into one file: its rows come again with their ids. The same
    # row again is the item it repeats (in this chunk or an earlier one); the same id on
    # another text is still refused.
    monkeypatch.setattr(service, "CHUNK_RECORDS", 3)
    monkeypatch.setattr(seen, "IN_MEMORY", in_memory)
    rows = [("A0", "one"), ("A1", "two"), ("A2", "three"), ("A3", "four")]
    body = "".join(f"{i},{t},call,2026-03-01\n" for i, t in rows)
    path = write(tmp_path, "twice.csv", "id,text,source,date\n" + body + body)
    report = import_file(session, kind="feedback", path=path, actor=None)
    assert (report.created, report.unchanged) == (4, 4)
    session.commit()
    assert counts(session)[1] == 4
    changed = write(
        tmp_path, "changed.csv", "id,text,source,date\n" + body + "A2,other,call,2026-03-01\n"
    )
    with pytest.raises(ImportFailed) as failed:
        import_file(session, kind="feedback", path=changed, actor=None)
    assert [str(e) for e in failed.value.report.errors] == [
        "line 6, column 'external_id': the same id 'A2' as line 4"
    ]


def test_ids_past_the_bound_go_to_disk_and_a_repeat_still_names_its_first_line() -> None:
    given = seen.SeenIds(in_memory=3)
    for line, key in enumerate(["a", "b"], start=2):
        given.add(key, line)
    assert given.earlier(["c"]) == {} and given._disk is None and len(given) == 2
    for line, key in enumerate(["c", "d", "a"], start=4):
        given.add(key, line)
    assert given.earlier(["a", "d", "z"]) == {"a": 2, "d": 5}
    assert given._disk is not None and len(given.lines) == 0 and len(given) == 4
    given.close()


def test_a_new_contact_named_again_in_the_next_chunks_is_one_contact(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Chunks of two: a chunk's new contacts are held with its evidence while the next chunk is
    # looked up, then written while it is checked; the next chunks must find them all the same.
    monkeypatch.setattr(service, "CHUNK_RECORDS", 2)
    emails = ["ann@acme.com", "bo@acme.com", "ANN@acme.com", "cy@acme.com", "bo@acme.com", ""]
    path = write(
        tmp_path,
        "f.csv",
        "id,text,source,contact_email,date\n"
        + "".join(f"T{n},item {n},call,{e},2026-03-01\n" for n, e in enumerate(emails)),
    )
    report = import_file(session, kind="feedback", path=path, actor=None)
    assert report.created == 6
    session.commit()
    contacts = dict(session.execute(select(Contact.email, Contact.id)).all())
    assert sorted(contacts) == ["ann@acme.com", "bo@acme.com", "cy@acme.com"]
    linked = dict(session.execute(select(Feedback.external_id, Feedback.contact_id)).all())
    assert linked == {
        "T0": contacts["ann@acme.com"],
        "T1": contacts["bo@acme.com"],
        "T2": contacts["ann@acme.com"],
        "T3": contacts["cy@acme.com"],
        "T4": contacts["bo@acme.com"],
        "T5": None,
    }


def test_a_semicolon_file_is_read_by_its_own_delimiter() -> None:
    """Excel where the comma is the decimal mark saves with semicolons; text holding commas
    must not make it a comma file, nor semicolons in a pasted comment a semicolon one."""
    from huddle.imports.rows import csv_delimiter

    semicolons = 'Text;Date;Account\n"Slow, very slow, on Mondays";2026-12-01;Acme\nOk, fine;2026-12-02;Acme\n'
    assert csv_delimiter(semicolons) == ";"
    assert csv_delimiter("text,date\nslow; very slow,2026-12-01\nfine,2026-12-02\n") == ","
    assert csv_delimiter("text\tdate\nslow, very slow\t2026-12-01\n") == "\t"
    assert csv_delimiter("just one comment\n") == ","


def test_a_semicolon_export_imports_and_a_pasted_comment_with_a_semicolon_stays_one(
    database_url: str, session: Session, tmp_path: Path
) -> None:
    admin = actor(session, "admin")
    path = write(
        tmp_path,
        "excel.csv",
        'Comment;Date\n"Slow, very slow, on Mondays";2026-12-01\nNeed SSO, with Okta;2026-12-02\n',
    )
    report = import_file(session, kind="feedback", path=path, actor=admin)
    assert (report.created, report.undated) == (2, 0)
    pasted = write(tmp_path, "pasted.txt", "Slow; really slow\nThe export drops the cost centre\n")
    report = import_file(session, kind="feedback", path=pasted, actor=admin)
    assert report.created == 2
    texts = session.scalars(select(Feedback.text).order_by(Feedback.id)).all()
    assert texts == [
        "Slow, very slow, on Mondays",
        "Need SSO, with Okta",
        "Slow; really slow",
        "The export drops the cost centre",
    ]
