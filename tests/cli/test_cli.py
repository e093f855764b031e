"""The CLI as a person runs it: a real process, a real database file, exit codes and stderr."""

import csv
import io
import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from huddle.db import session_scope
from huddle.insights.off_topic import off_topic_by_rules
from huddle.models import Feedback
from tests.factories import create_feedback, create_theme
from tests.prebuilt import Prebuilt, prebuilt

HUDDLE = [sys.executable, "-m", "huddle.cli.main"]


def run(db: str, *args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [*HUDDLE, "--db", db, *args], capture_output=True, text=True, timeout=300
    )
    if ok:
        assert result.returncode == 0, result.stderr + result.stdout
    return result


def _initialised(url: str) -> None:
    run(url, "init", "--admin-email", "boss@example.com", "--admin-password", "s3cret-pass")


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def initialised(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Prebuilt[None]]:
    """`huddle init` run once per kind of database (a process start costs seconds)."""
    with prebuilt(request, tmp_path_factory, _initialised) as found:
        yield found


@pytest.fixture
def db(initialised: Prebuilt[None], monkeypatch: pytest.MonkeyPatch) -> str:
    """A migrated database that `huddle init` gave an admin, fresh for each test."""
    return initialised.fresh(monkeypatch)


@pytest.fixture
def database_url(db: str) -> str:
    # The `session` fixture opens the same database as `db`.
    return db


def test_init_is_idempotent_and_never_prompts(db: str) -> None:
    again = run(db, "init")
    assert "no admin was created" in again.stdout


def test_init_generates_and_prints_a_password(tmp_path: Path) -> None:
    result = run(str(tmp_path / "fresh.db"), "init", "--admin-email", "a@example.com")
    assert "Password (shown once):" in result.stdout


def test_users_and_tokens(db: str) -> None:
    created = run(
        db,
        "users",
        "create",
        "--email",
        "rep@example.com",
        "--name",
        "Rep",
        "--role",
        "contributor",
        "--team",
        "sales",
    )
    assert "Password (shown once)" in created.stdout
    listed = json.loads(run(db, "users", "list", "--json").stdout)
    assert {u["email"] for u in listed} == {"boss@example.com", "rep@example.com"}
    token = run(
        db, "token", "create", "--email", "rep@example.com", "--scope", "ingest"
    ).stdout.strip()
    assert token.startswith("hud_")
    bad = run(
        db,
        "users",
        "create",
        "--email",
        "x@example.com",
        "--name",
        "X",
        "--role",
        "emperor",
        ok=False,
    )
    assert bad.returncode != 0 and "role" in bad.stderr
    duplicate = run(db, "users", "create", "--email", "rep@example.com", "--name", "Rep", ok=False)
    assert duplicate.returncode == 1 and "already exists" in duplicate.stderr


def test_import_and_list(db: str, tmp_path: Path) -> None:
    accounts = tmp_path / "accounts.csv"
    accounts.write_text(
        "name,domain,arr,segment\nAcme,acme.com,120000,Enterprise\nGlobex,globex.com,9000,SMB\n"
    )
    feedback = tmp_path / "feedback.csv"
    feedback.write_text(
        "text,account,date\nExports are slow,acme.com,2026-11-01\nWe need SSO,Globex,2026-11-02\n"
    )
    assert "2 new" in run(db, "import", "accounts", str(accounts)).stdout
    assert "2 new" in run(db, "import", "feedback", str(feedback), "--source", "call").stdout
    again = run(db, "import", "feedback", str(feedback), "--source", "call", "--json")
    assert json.loads(again.stdout)["created"] == 0
    items = json.loads(run(db, "feedback", "list", "--json", "--unlinked").stdout)
    assert items["total"] == 2 and {i["account_name"] for i in items["items"]} == {"Acme", "Globex"}
    assert json.loads(run(db, "problems", "list", "--json").stdout) == []


def test_bad_import_exits_non_zero_names_the_line_and_changes_nothing(
    db: str, tmp_path: Path
) -> None:
    good = tmp_path / "good.csv"
    good.write_text("name,arr\nAcme,100\n")
    run(db, "import", "accounts", str(good))
    before = run(db, "feedback", "list", "--json").stdout
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "text,source,account,date\nFine,call,Acme,2026-01-01\nBroken,call,Acme,31/31/2026\n"
    )
    result = run(db, "import", "feedback", str(bad), ok=False)
    assert result.returncode == 1
    assert "line 3" in result.stderr and "'date'" in result.stderr and "31/31/2026" in result.stderr
    assert "nothing was imported" in result.stderr
    assert run(db, "feedback", "list", "--json").stdout == before


def test_missing_file_and_bad_mapping_are_clear(db: str, tmp_path: Path) -> None:
    missing = run(db, "import", "accounts", str(tmp_path / "nope.csv"), ok=False)
    assert missing.returncode == 1 and "no such file" in missing.stderr
    path = tmp_path / "a.csv"
    path.write_text("org,arr\nAcme,1\n")
    unmapped = run(db, "import", "accounts", str(path), ok=False)
    assert "no column for name" in unmapped.stderr and "--map" in unmapped.stderr
    mapped = run(db, "import", "accounts", str(path), "--map", "org=name")
    assert "1 new" in mapped.stdout
    wrong = run(db, "import", "accounts", str(path), "--map", "org=colour", ok=False)
    assert "unknown field 'colour'" in wrong.stderr


@dataclass(frozen=True)
class DemoRuns:
    refused: subprocess.CompletedProcess[str]
    users_before: str
    reset: subprocess.CompletedProcess[str]


def _demo_over_real_data(url: str) -> DemoRuns:
    run(url, "init", "--admin-email", "boss@example.com", "--admin-password", "s3cret-pass")
    refused = run(url, "demo", "--no-serve", "--seed", "3", ok=False)
    users_before = run(url, "users", "list").stdout
    return DemoRuns(refused, users_before, run(url, "demo", "--no-serve", "--seed", "3", "--reset"))


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def demo(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Prebuilt[DemoRuns]]:
    """The demo run over a database `huddle init` gave an admin: refused, then with --reset.
    Built once per kind of database (a demo build takes a minute) for the tests below."""
    with prebuilt(request, tmp_path_factory, _demo_over_real_data) as found:
        yield found


def test_demo_then_ranked_problems_and_theme_export(
    demo: Prebuilt[DemoRuns], monkeypatch: pytest.MonkeyPatch
) -> None:
    database_url = demo.fresh(monkeypatch)
    result = demo.built.reset
    assert "huddle-demo" in result.stdout and "admin@" in result.stdout
    problems = json.loads(run(database_url, "problems", "list", "--json").stdout)
    assert len(problems) >= 20
    scores = [p["severity"]["score"] for p in problems]
    assert scores == sorted(scores, reverse=True)
    top = problems[0]["severity"]
    assert top["mentions"] > 0 and top["accounts"] > 0 and top["arr_minor"] > 0 and top["reasons"]
    exported = run(database_url, "themes", "export").stdout.splitlines()
    assert exported[0] == "feedback_id,external_id,theme_id,theme_label,confidence"
    rows = [line.split(",") for line in exported[1:]]
    # Praise (the demo tags what it wrote as praise) and the account's business (renewals,
    # paperwork, out-of-office) are not suggested: they stay unthemed, while nearly all the
    # rest finds a suggestion. (The demo's dates follow the clock, so the shares move a
    # little from day to day.)
    with session_scope(database_url) as session:
        items = session.execute(select(Feedback.id, Feedback.tags, Feedback.text)).all()
    praised = {str(i) for i, tags, _ in items if "praise" in tags}
    business = {str(i) for i, _, text in items if off_topic_by_rules(text)} - praised
    praise = [r for r in rows if r[0] in praised]
    chatter = [r for r in rows if r[0] in business]
    others = [r for r in rows if r[0] not in praised | business]
    assert len(rows) > 300 and len(praise) > 30 and len(chatter) > 30
    assert sum(1 for r in others if r[2]) / len(others) > 0.9
    assert sum(1 for r in praise if r[2]) / len(praise) < 0.2
    assert sum(1 for r in chatter if r[2]) / len(chatter) < 0.5


def test_demo_never_destroys_real_data(
    demo: Prebuilt[DemoRuns], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A database holding an admin made by `huddle init`: the demo refuses it, says how to
    build the demo elsewhere, and changes nothing; --reset overrides."""
    database_url = demo.fresh(monkeypatch)
    refused = demo.built.refused
    assert refused.returncode != 0
    assert "holds data the demo did not create (" in refused.stderr
    assert "1 users" in refused.stderr
    assert "--db demo.db" in refused.stderr and "--reset" in refused.stderr
    assert "boss@example.com" in demo.built.users_before
    assert "boss@example.com" not in run(database_url, "users", "list").stdout


def test_demo_leaves_postgresql_statistics_of_what_it_loaded(
    demo: Prebuilt[DemoRuns], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Served straight after, the demo's inbox was planned on the empty tables the
    migrations analysed (a segment's page: 0.19 s of nested loops, 3 ms with statistics)."""
    from sqlalchemy import func, text

    database_url = demo.fresh(monkeypatch)
    if database_url.startswith("sqlite"):
        return
    with session_scope(database_url) as session:
        held = session.scalar(select(func.count()).select_from(Feedback))
        believed = session.scalar(text("SELECT reltuples FROM pg_class WHERE relname = 'feedback'"))
    assert held and believed == held


def test_theme_export_keeps_what_people_typed_as_text(db: str, session: Session) -> None:
    """A cell starting =, +, -, @, tab or CR would run as a formula in a spreadsheet."""
    typed = ['=HYPERLINK("http://x.example")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]
    items = []
    for n, external_id in enumerate(typed):
        item = create_feedback(session, text=f"Exports are slow, case {n}")
        item.external_id = external_id
        items.append(item)
    theme = create_theme(session, *items, size=len(items))
    theme.label = "=1+2 exports"
    session.commit()
    exported = run(db, "themes", "export").stdout
    rows = list(csv.reader(io.StringIO(exported, newline="")))
    assert rows[0] == ["feedback_id", "external_id", "theme_id", "theme_label", "confidence"]
    by_id = {int(row[0]): row for row in rows[1:]}
    # (`run` reads stdout with universal newlines: the CR comes back as LF.)
    expected = ["'" + text.replace("\r", "\n") for text in typed]
    assert [by_id[item.id][1] for item in items] == expected
    assert {by_id[item.id][3] for item in items} == {"'=1+2 exports"}
    assert all(float(by_id[item.id][4]) > 0 for item in items)


def test_reindex_rebuilds_the_kept_figures(db: str, session: Session) -> None:
    from sqlalchemy import select, update

    from huddle.models.problem import ProblemFigures
    from tests.factories import create_problem, link

    problem = create_problem(session)
    link(session, create_feedback(session), problem)
    link(session, create_feedback(session), create_problem(session, parent=problem))
    session.execute(update(ProblemFigures).values(mentions=99))
    session.commit()
    result = run(db, "reindex")
    assert "figures: 2 of 2 problems" in result.stdout
    assert "Rebuilt the figures of 2 problems." in result.stdout
    assert "Rebuilt the search index of 0 vectors." in result.stdout
    rows = session.execute(select(ProblemFigures.problem_id, ProblemFigures.mentions)).all()
    assert sorted(m for _, m in rows) == [1, 2]


def test_reindex_gathers_postgresql_statistics(db: str, session: Session) -> None:
    """A bulk load leaves PostgreSQL's planner the statistics of the table before it."""
    from sqlalchemy import text

    def analyzed() -> tuple[int, int]:
        # The number of times, from a new transaction (statistics views are read once each).
        session.commit()
        row = session.execute(
            text(
                "SELECT analyze_count, vacuum_count FROM pg_stat_user_tables "
                "WHERE relname = 'feedback'"
            )
        ).one()
        return row[0], row[1]

    create_feedback(session)
    session.commit()
    if db.startswith("sqlite"):
        assert "statistics" not in run(db, "reindex").stdout
        return
    before = analyzed()
    assert "Gathered the planner's statistics and cleared dead rows" in run(db, "reindex").stdout
    after = analyzed()
    assert after[0] > before[0] and after[1] > before[1]


def test_reindex_rebuilds_the_index_of_the_words(db: str, session: Session) -> None:
    from sqlalchemy import text

    item = create_feedback(session, text="Exports time out on big ledgers")
    session.commit()
    if db.startswith("sqlite"):
        # An index emptied behind Huddle's back (a restore of the table alone, say).
        session.execute(text("INSERT INTO feedback_words(feedback_words) VALUES ('delete-all')"))
        session.commit()
    listed = run(db, "feedback", "list", "--text", "ledger export", "--json")
    assert [row["id"] for row in json.loads(listed.stdout)["items"]] == (
        [] if db.startswith("sqlite") else [item.id]
    )
    result = run(db, "reindex")
    assert "Rebuilt the index of the evidence's words" in result.stdout
    listed = run(db, "feedback", "list", "--text", "ledger export", "--json")
    assert [row["id"] for row in json.loads(listed.stdout)["items"]] == [item.id]


def test_reindex_rebuilds_the_search_index(
    db: str, session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import numpy as np
    from sqlalchemy import select

    from huddle.insights.embedding import pack_vector
    from huddle.models.feedback import Feedback

    monkeypatch.setenv("HUDDLE_INDEX_DIR", str(tmp_path / "index"))
    rng = np.random.default_rng(0)
    items = [create_feedback(session, text=f"item {n}") for n in range(30)]
    for item in items:
        item.embedding = pack_vector(rng.standard_normal(384))
    session.commit()
    # Written behind Huddle's back: no embedding time yet.
    assert session.scalar(select(Feedback.embedded_at).where(Feedback.id == items[0].id)) is None
    result = run(db, "reindex")
    assert "Repaired the embedding time of 30 items." in result.stdout
    assert "Rebuilt the search index of 30 vectors." in result.stdout
    (folder,) = (tmp_path / "index").iterdir()
    current = json.loads((folder / "current.json").read_text())
    assert current["size"] == 30 and (folder / current["file"]).stat().st_size > 0
