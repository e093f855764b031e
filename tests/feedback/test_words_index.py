"""The index of the evidence's words: kept in the same transaction as every write of a text,
whatever made it, and read the same way on SQLite and PostgreSQL."""

import importlib.util
import re
import sqlite3
import unicodedata
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import ModuleType

import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.orm import Session

from huddle.auth.actor import Actor
from huddle.db import get_engine
from huddle.feedback import repository as feedback_repository
from huddle.feedback import service, triage
from huddle.feedback.repository import FeedbackRepository
from huddle.feedback.schemas import FeedbackFilter, FeedbackUpdate
from huddle.imports.service import import_file
from huddle.imports.undo import undo_import
from huddle.kit.bulk import bulk_insert, bulk_update
from huddle.kit.time import utcnow
from huddle.kit.words import search_phrases
from huddle.models import Feedback
from tests.factories import actor, create_account, create_feedback, create_problem, link
from tests.feedback.pages import assert_pages_match

MIGRATION = (
    Path(__file__).parents[2] / "src/huddle/migrations/versions/20261203_0025_words_index.py"
)
TRIGGERS = {"feedback_words_added", "feedback_words_removed", "feedback_words_changed"}
QUERIES = ("export", "exp", "csv", "export csv", "sso okta", "renewal", "café", "user_id", "id")


def _words(value: str) -> list[str]:
    """A text's words as the tests expect them: letters and digits, lower case, the accents
    of Latin letters removed (the tests' texts keep to those)."""
    bare = "".join(c for c in unicodedata.normalize("NFD", value) if not unicodedata.combining(c))
    return re.findall(r"[^\W_]+", bare.lower())


def _holds(value: str, typed: str) -> bool:
    """Every phrase typed is in the text: its words in a row, the last one a prefix."""
    words = _words(value)
    for phrase in search_phrases(typed):
        wanted = _words(phrase)
        if not any(
            words[start : start + len(wanted) - 1] == wanted[:-1]
            and words[start + len(wanted) - 1].startswith(wanted[-1])
            for start in range(len(words) - len(wanted) + 1)
        ):
            return False
    return bool(search_phrases(typed))


def _found(session: Session, typed: str) -> list[int]:
    repo = FeedbackRepository(session)
    statement = select(Feedback.id).where(repo.has_words(typed)).order_by(Feedback.id)
    return list(session.scalars(statement))


def _expected(session: Session, typed: str) -> list[int]:
    stored = session.execute(select(Feedback.id, Feedback.text).order_by(Feedback.id))
    return [feedback_id for feedback_id, value in stored if _holds(value, typed)]


def _agrees_with_the_texts(session: Session) -> None:
    session.flush()
    for typed in QUERIES:
        assert _found(session, typed) == _expected(session, typed), typed
    if session.get_bind().dialect.name == "sqlite":
        # FTS5's own check, against the texts in `feedback` (rank 1).
        session.execute(
            text("INSERT INTO feedback_words(feedback_words, rank) VALUES ('integrity-check', 1)")
        )


def _row(value: str, **extra: object) -> dict[str, object]:
    return {
        "text": value,
        "source": "call",
        "origin": "bulk",
        "occurred_at": utcnow(),
        "tags": [],
        "created_at": utcnow(),
        **extra,
    }


def test_the_index_follows_every_write_of_a_text(
    database_url: str, session: Session, tmp_path: Path
) -> None:
    admin = actor(session, "admin")
    # The ORM, one by one.
    first = create_feedback(session, text="The export to CSV drops the cost centre")
    second = create_feedback(session, text="We need SSO with Okta before renewal")
    create_feedback(session, text="Le café est froid")
    _agrees_with_the_texts(session)
    assert _found(session, "export csv") == [first.id]
    # Core, many rows in one statement (imports write this way).
    bulk_insert(
        session,
        Feedback,
        [_row(f"Bulk {n}: export of invoices as CSV is slow") for n in range(5)]
        + [_row("Column user_id is missing"), _row("The user ID of the owner")],
    )
    _agrees_with_the_texts(session)
    # The service's edit; then Core updates by id, by a condition, and plain SQL.
    service.update_feedback(
        session,
        feedback_id=first.id,
        data=FeedbackUpdate(text="Renewal is blocked on SAML"),
        actor=admin,
    )
    _agrees_with_the_texts(session)
    assert _found(session, "export csv") == _expected(session, "export csv")
    assert first.id not in _found(session, "export")
    bulked = list(session.scalars(select(Feedback.id).where(Feedback.origin == "bulk")))
    bulk_update(session, Feedback, [{"id": bulked[0], "text": "Okta SSO please"}])
    session.execute(
        update(Feedback).where(Feedback.id == bulked[1]).values(text="Café au lait exports")
    )
    session.execute(
        text("UPDATE feedback SET text = text || ' (renewal)' WHERE id = :id"),
        {"id": bulked[2]},
    )
    # A write that leaves the text as it was, and one of another column only.
    session.execute(update(Feedback).where(Feedback.id == second.id).values(text=second.text))
    session.execute(update(Feedback).where(Feedback.id == bulked[3]).values(source="ticket"))
    _agrees_with_the_texts(session)
    # Deletes: the service's, and Core's.
    service.delete_feedback(session, feedback_id=second.id, actor=admin)
    session.execute(delete(Feedback).where(Feedback.id == bulked[4]))
    _agrees_with_the_texts(session)
    assert _found(session, "sso okta") == [bulked[0]]
    session.commit()
    # An import, a later one that rewords an item, then both undone.
    older = tmp_path / "a.csv"
    older.write_text("id,text,date\nT-1,Exports stall at the quarter end,2026-10-01\n")
    newer = tmp_path / "b.csv"
    newer.write_text("id,text,date\nT-1,Okta login loops after renewal,2026-10-01\n")
    imported = import_file(session, kind="feedback", path=older, actor=admin).import_id
    reworded = import_file(session, kind="feedback", path=newer, actor=admin).import_id
    assert imported is not None and reworded is not None
    _agrees_with_the_texts(session)
    undo_import(session, import_id=reworded, actor=admin)
    _agrees_with_the_texts(session)
    undo_import(session, import_id=imported, actor=admin)
    session.commit()
    _agrees_with_the_texts(session)
    # What a transaction rolled back is not found either: the index moved with it.
    kept = _found(session, "quarter")
    create_feedback(session, text="Quarter end close is slow")
    session.rollback()
    assert _found(session, "quarter") == kept == []
    _agrees_with_the_texts(session)


def test_the_triggers_and_the_index_exist_at_the_latest_revision(
    database_url: str, session: Session
) -> None:
    """SQLite drops a table's triggers when a migration rebuilds it (migration 0005)."""
    if database_url.startswith("sqlite"):
        query = "SELECT name FROM sqlite_master WHERE type = 'trigger'"
        assert set(session.scalars(text(query))) >= TRIGGERS
    else:
        query = "SELECT indexname FROM pg_indexes WHERE tablename = 'feedback'"
        assert "ix_feedback_words" in set(session.scalars(text(query)))


def test_reindex_rebuilds_an_index_that_fell_behind(database_url: str, session: Session) -> None:
    admin = actor(session, "admin")
    item = create_feedback(session, text="Exports time out on big ledgers")
    session.commit()
    if database_url.startswith("sqlite"):
        # What a rebuild of `feedback` that lost the triggers would leave behind.
        session.execute(text("DROP TRIGGER feedback_words_added"))
        create_feedback(session, text="Ledgers export slowly")
        session.execute(text("INSERT INTO feedback_words(feedback_words) VALUES ('delete-all')"))
        assert _found(session, "ledgers") == []
    service.reindex_words(session, actor=admin)
    assert _found(session, "ledgers") == _expected(session, "ledgers")
    assert item.id in _found(session, "ledgers")


def test_the_words_are_those_of_the_masked_text(database_url: str, session: Session) -> None:
    """The index reads the stored text, which the intake masked: a hidden email or card
    number cannot be found by searching for it."""
    pm = actor(session, "pm")
    item, _ = service.add_feedback(
        session,
        data=service.FeedbackCreate(text="Mail jane.doe@example.com, card 4111 1111 1111 1111"),
        actor=pm,
    )
    session.flush()
    assert "jane" not in item.text and "4111" not in item.text
    assert _found(session, "jane") == _found(session, "example") == _found(session, "4111") == []
    assert _found(session, "mail") == [item.id]


# --- how a search is read --------------------------------------------------------------

TEXTS = [
    "Café crème brûlée is GREAT",
    "CAFE opens at nine",
    "re\u0301sume\u0301 (decomposed accents) written",
    "Żółć gęślą jaźń; Ærøskøbing",
    "Column user_id is missing from export.csv",
    "The user ID of the owner",
    "We churn if the price rises 50% at renewal",
    "The 500 seats are not enough",
    "数据导出\uff0c很慢",
    "ΚΕΦΑΛΑΙΑ και πεζά",
    "can\u2019t log in with e-mail a@b.com",
    "Near the end, NOT AND OR NEAR",
]

# typed: the texts found (by their position in TEXTS), the same on both databases
READ = {
    "cafe": [0, 1],
    "CAFÉ": [0, 1],
    "café crème": [0],
    "creme cafe": [0],
    "brul": [0],
    "résumé": [2],
    "resume": [2],
    "gesla jazn": [3],
    "żółć": [3],
    "ærøskøbing": [3],
    "user_id": [4, 5],
    "id user": [4, 5],
    "export.csv": [4],
    "csv": [4],
    "50%": [6, 7],
    "50% renewal": [6],
    "数据导出": [8],
    "κεφαλαια": [9],
    "can't": [10],
    "e-mail": [10],
    "b.com": [10],
    "near": [11],
    "NOT": [11, 7],
    "NEAR(the": [11],
    "AND OR": [11],
    "-the": [5, 6, 7, 11],
    "nine*": [1],
    "gr": [0],
    "zzz": [],
    "%": [],
    '"': [],
    "": [],
}


def test_words_are_found_whatever_their_case_accents_and_order(
    database_url: str, session: Session
) -> None:
    items = [create_feedback(session, text=value).id for value in TEXTS]
    for typed, positions in READ.items():
        assert _found(session, typed) == sorted(items[p] for p in positions), typed


def _sqlite_words(values: list[str], removal: int = 2) -> list[list[str]]:
    """The words SQLite's tokenizer reads in each of `values`, in order."""
    with closing(sqlite3.connect(":memory:")) as connection:
        connection.execute(
            "CREATE VIRTUAL TABLE t USING fts5(x, "
            f"tokenize='unicode61 remove_diacritics {removal}')"
        )
        connection.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, instance)")
        connection.executemany(
            "INSERT INTO t(rowid, x) VALUES (?, ?)", list(enumerate(values, start=1))
        )
        words: dict[int, list[str]] = {}
        for row, term in connection.execute("SELECT doc, term FROM v ORDER BY doc, offset"):
            words.setdefault(row, []).append(term)
    return [words.get(row, []) for row in range(1, len(values) + 1)]


def test_the_accents_migration_0025_lists_are_those_sqlite_removes() -> None:
    """Every character SQLite's tokenizer folds, to what it folds it, and no other."""
    spec = importlib.util.spec_from_file_location("words_migration", MIGRATION)
    assert spec and spec.loader
    migration: ModuleType = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    points = [p for p in range(0x80, 0x30000) if not 0xD800 <= p <= 0xDFFF]
    values = [f"q{chr(p)}q" for p in points]
    # "qéq" read as "qeq" with accents removed, "qéq" without: é folds to e; "qq": dropped.
    folded = {
        chr(p): removed[0][1:-1]
        for p, removed, kept in zip(
            points, _sqlite_words(values), _sqlite_words(values, 0), strict=True
        )
        if removed != kept
    }
    expected = {
        **{accented: letter for letter, run in migration.UNACCENTED.items() for accented in run},
        **dict.fromkeys(migration.COMBINING_ACCENTS, ""),
    }
    assert folded == expected
    assert len(folded) == 513


@pytest.mark.postgres
def test_postgresql_reads_the_words_sqlite_reads(postgres_url: str) -> None:
    """Each Latin letter, accent mark and ASCII character between two letters, and a few
    texts: the words PostgreSQL's index holds are the words SQLite's holds."""
    latin = [*range(0x20, 0x7F), *range(0xA0, 0x250), *range(0x300, 0x370)]
    latin += range(0x1E00, 0x1F00)
    values = [f"q{chr(p)}q" for p in latin] + [
        "Café crème BRÛLÉE",
        "re\u0301sume\u0301 written",
        "Żółć gęślą jaźń; Ærøskøbing Łódź STRASSE straße",
        "user_id export.csv a@b.com e-mail 3.5 v1.2.3 https://acme.com/reports?x=1",
        "<b>bold</b> &amp; C++ C# 50% don't can\u2019t",
        "ΚΕΦΑΛΑΙΑ και πεζά, Кириллица МОЙ",
        "数据导出\uff0c很慢 データ",
    ]
    engine = get_engine(postgres_url)
    with engine.connect() as connection:
        read = connection.execute(
            text(
                "SELECT array(SELECT w.lexeme FROM unnest(huddle_words(v)) AS w, "
                "unnest(w.positions) AS p ORDER BY p) FROM unnest(CAST(:values AS text[])) "
                "WITH ORDINALITY AS t(v, n) ORDER BY n"
            ),
            {"values": values},
        ).scalars()
        postgres = [list(words) for words in read]
    sqlite = _sqlite_words(values)
    differing = {
        value: (mine, theirs)
        for value, mine, theirs in zip(values, sqlite, postgres, strict=True)
        if mine != theirs
    }
    # Known: superscripts and fractions are letters to SQLite's Unicode 6.1 tables, which
    # also put the micro sign and the long s in lower case as Greek mu and s.
    assert differing == {
        **{f"q{c}q": ([f"q{c}q"], ["q", "q"]) for c in "\u00b2\u00b3\u00b9\u00bc\u00bd\u00be"},
        "q\u00b5q": (["q\u03bcq"], ["q\u00b5q"]),
        "q\u017fq": (["qsq"], ["q\u017fq"]),
    }


# --- with the inbox's other filters ----------------------------------------------------

START = datetime(2026, 11, 1, tzinfo=UTC)
DAY = timedelta(days=1)


def _world(session: Session) -> dict[str, int]:
    acme = create_account(session, name="Acme", segment="Enterprise")
    small = create_account(session, name="Small", segment="SMB")
    problem = create_problem(session)
    made: dict[str, int] = {}
    for n in range(40):
        item = create_feedback(
            session,
            text=("Export to CSV times out" if n % 2 else "Exports are slow")
            + (" for SSO users" if n % 3 == 0 else ""),
            account=acme if n % 4 == 0 else small if n % 4 == 1 else None,
            source="ticket" if n % 5 == 0 else "call",
            occurred_at=START + timedelta(hours=n),
        )
        made[f"item{n}"] = item.id
        if n % 7 == 0:
            link(session, item, problem)
    create_feedback(session, text="Dashboard is lovely", occurred_at=START)
    return made


@pytest.mark.parametrize("lead_below", [10_000, 1], ids=["matches-lead", "dates-lead"])
def test_words_combine_with_every_other_filter(
    database_url: str, session: Session, monkeypatch: pytest.MonkeyPatch, lead_below: int
) -> None:
    """Both ways SQLite reads a search (from the matches, or from the newest items keeping
    the matching ones) give the same pages, equal to filtering every item in Python."""
    monkeypatch.setattr(feedback_repository, "LEAD_BELOW", lead_below)
    pm = Actor(actor(session, "pm").user)
    _world(session)
    every = list(session.scalars(select(Feedback)))
    snoozed = [i for i in every if "SSO" in i.text][:2]
    triage.snooze(
        session, ids=[i.id for i in snoozed], until=utcnow().date() + timedelta(2), actor=pm
    )
    session.commit()
    linked = {f for (f,) in session.execute(text("SELECT feedback_id FROM feedback_links"))}
    accounts = {i.id: i.account for i in every}
    cases = [
        (FeedbackFilter(text="export"), lambda i: True),
        (FeedbackFilter(text="export csv", source="ticket"), lambda i: i.source == "ticket"),
        (
            FeedbackFilter(text="sso", segment="Enterprise"),
            lambda i: accounts[i.id] is not None and accounts[i.id].segment == "Enterprise",
        ),
        (
            FeedbackFilter(text="exp", unlinked=True, triage="open"),
            lambda i: i.id not in linked and i not in snoozed,
        ),
        (FeedbackFilter(text="sso", triage="snoozed"), lambda i: i in snoozed),
        (
            FeedbackFilter(text="slow", since=START + timedelta(hours=10), until=START + DAY),
            lambda i: (
                START + timedelta(hours=10) <= i.occurred_at.replace(tzinfo=UTC) < START + DAY
            ),
        ),
        (
            FeedbackFilter(text="csv", account_id=_account_id(every, "Small")),
            lambda i: accounts[i.id] is not None and accounts[i.id].name == "Small",
        ),
    ]
    for where, keeps in cases:
        assert_pages_match(
            session,
            pm,
            where,
            every,
            lambda i, where=where, keeps=keeps: keeps(i) and _holds(i.text, where.text or ""),
            first_page=5,
        )


def _account_id(items: list[Feedback], name: str) -> int:
    return next(i.account.id for i in items if i.account is not None and i.account.name == name)


def test_items_waiting_for_their_vector_are_found_by_their_words(
    database_url: str, session: Session
) -> None:
    """Search by meaning adds the items the embedding job has not reached, by the same
    words index: every word, in any order; embedded items are left to their meaning."""
    reader = actor(session, "viewer")
    waiting = create_feedback(session, text="Quarterly reconciliation of card spend fails")
    embedded = create_feedback(session, text="Card spend reconciliation, quarterly")
    newest = create_feedback(session, text="Card payments fail")
    embedded.embedded_at = utcnow()
    session.flush()
    repo = FeedbackRepository(session)
    assert repo.unembedded_matching_ids(reader, "spend card quarterly", limit=200) == [waiting.id]
    assert repo.unembedded_matching_ids(reader, "card", limit=1) == [newest.id]
