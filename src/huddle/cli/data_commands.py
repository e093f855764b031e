"""Commands over the workspace's data: imports and listings."""

import time
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from huddle.cli.context import cli_actor, echo_json, fail, reports_errors, state, unit_of_work
from huddle.connectors.base import ConnectorOptions, iter_connectors
from huddle.feedback.schemas import FeedbackFilter
from huddle.imports.report import ImportFailed, ImportReport
from huddle.imports.service import import_file, import_with_connector, parse_mapping
from huddle.imports.undo import undo_import
from huddle.kit.money import format_money
from huddle.kit.text import truncate

import_app = typer.Typer(help="Import accounts and evidence from files.", no_args_is_help=True)
problems_app = typer.Typer(help="User problems, ranked by severity.", no_args_is_help=True)
feedback_app = typer.Typer(help="Customer evidence.", no_args_is_help=True)

MapOption = Annotated[
    list[str] | None,
    typer.Option(
        "--map", help="COLUMN=FIELD for a column whose name is not recognised; repeatable."
    ),
]
DryRun = Annotated[
    bool, typer.Option("--dry-run", help="Check every row and report; write nothing.")
]
Format = Annotated[
    str | None, typer.Option("--format", help="csv or jsonl (default: from the file name).")
]
Encoding = Annotated[str, typer.Option(help="Text encoding of the file.")]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def register(app: typer.Typer) -> None:
    for connector in iter_connectors():
        _add_connector_command(connector.name, connector.description)
    app.add_typer(import_app, name="import")
    app.add_typer(problems_app, name="problems")
    app.add_typer(feedback_app, name="feedback")
    app.command("reindex")(reindex)


@reports_errors
def reindex() -> None:
    """Rebuild what is derived from the stored evidence: the kept severity figures of every
    problem (pages and the API rank by them), the index of the evidence's words (search by
    words, docs/search-by-words.md) and the search index of the stored vectors
    (docs/search-index.md). Each is otherwise kept up to date as evidence changes; run this
    after a restore or a bulk load done outside Huddle.

    On PostgreSQL it first gathers the planner's statistics and clears dead rows (VACUUM
    ANALYZE): a restore or a bulk load leaves the statistics saying what the tables held
    before (an empty table, say), and a bulk rewrite leaves as many dead rows as live ones,
    until autovacuum gets to them, and it may be off. Without them the inbox's first page of
    a million items took 3.8 s (a parallel scan of every row, an anti-join probe per row)
    against 1.7 ms, and its "N left" count 1.5 s against 16 ms; a word search's count
    290-380 ms with the dead rows, 69-72 ms vacuumed."""
    from huddle.db import gather_statistics, get_engine
    from huddle.insights.service import rebuild_search_index
    from huddle.problems.service import reindex_figures

    def show(done: int, total: int) -> None:
        typer.echo(f"figures: {done:,} of {total:,} problems")

    if get_engine(state.database_url).dialect.name == "postgresql":
        started = time.perf_counter()
        # It also clears the dead rows a bulk rewrite leaves (an UPDATE of every item doubles
        # the table until vacuumed).
        gather_statistics(state.database_url)
        typer.echo(
            "Gathered the planner's statistics and cleared dead rows in "
            f"{time.perf_counter() - started:.0f} s."
        )
    with unit_of_work() as session:
        written = reindex_figures(session, actor=cli_actor(session), progress=show)
    typer.echo(f"Rebuilt the figures of {written:,} problems.")
    from huddle.ideas.service import reindex_figures as reindex_solutions

    with unit_of_work() as session:
        solutions = reindex_solutions(session, actor=cli_actor(session))
    typer.echo(f"Rebuilt the figures of {solutions:,} solutions.")
    from huddle.feedback.service import reindex_words

    started = time.perf_counter()
    with unit_of_work() as session:
        reindex_words(session, actor=cli_actor(session))
    typer.echo(
        f"Rebuilt the index of the evidence's words in {time.perf_counter() - started:.0f} s."
    )
    # Vectors are read, added to the graph in a random order, then each is looked for by
    # its own vector (those the graph does not reach are kept apart: docs/search-index.md).
    with Progress(
        TextColumn("search index: {task.fields[stage]}"),
        BarColumn(),
        TextColumn("{task.completed:,.0f} of {task.fields[of]:,} vectors"),
        TimeElapsedColumn(),
    ) as bar:
        task = bar.add_task("index", total=None, of=0, stage="reading")

        def advance(stage: str, done: int, total: int) -> None:
            bar.update(task, completed=done, total=total, of=total, stage=stage)

        with unit_of_work() as session:
            indexed, repaired = rebuild_search_index(
                session, actor=cli_actor(session), progress=advance
            )
    if repaired:
        typer.echo(f"Repaired the embedding time of {repaired:,} items.")
    typer.echo(f"Rebuilt the search index of {indexed:,} vectors.")


def _run_import(
    kind: str,
    file: Path,
    mapping: list[str] | None,
    dry_run: bool,
    fmt: str | None,
    encoding: str,
    as_json: bool,
    **options: Any,
) -> None:
    total_bytes = file.stat().st_size if file.exists() else 0
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.fields[rows]} rows"),
        TimeElapsedColumn(),
        transient=True,
        disable=as_json or total_bytes < 2_000_000,
    ) as bar:
        task = bar.add_task(f"reading {file.name}", total=None, rows=0)
        try:
            with unit_of_work() as session:
                report = import_file(
                    session,
                    kind=kind,
                    path=file,
                    actor=cli_actor(session),
                    mapping=parse_mapping(mapping or []),
                    fmt=fmt,
                    dry_run=dry_run,
                    encoding=encoding,
                    progress=lambda rows: bar.update(task, rows=rows),
                    **options,
                )
        except ImportFailed as failure:
            _print_report(failure.report, as_json)
            fail(failure.message)
            return
    _print_report(report, as_json)


def _print_report(report: ImportReport, as_json: bool) -> None:
    if as_json:
        echo_json(report.as_dict())
        return
    for error in report.errors[:50]:
        typer.echo(f"  {error}", err=True)
    if len(report.errors) > 50:
        typer.echo(f"  … and {len(report.errors) - 50} more", err=True)
    if report.ok:
        verb = "would import" if report.dry_run else "imported"
        if report.source == "transcript":
            # A call's rows are its turns, both sides'; what comes in is the customer's
            # statements, one item a turn that holds any: "27 rows: 10 new" read as 17 lost.
            typer.echo(
                f"{report.filename}: read {report.rows_read} turns; {verb} the customer's "
                f"statements as {report.created} new items, {report.updated} updated, "
                f"{report.unchanged} unchanged."
            )
        else:
            typer.echo(
                f"{report.filename}: {verb} {report.rows_read} rows: {report.created} new, "
                f"{report.updated} updated, {report.unchanged} unchanged."
            )
        for note in report.notes():
            typer.echo(f"  {note}")


@import_app.command("accounts")
@reports_errors
def import_accounts(
    file: Path,
    mapping: MapOption = None,
    dry_run: DryRun = False,
    fmt: Format = None,
    encoding: Encoding = "utf-8-sig",
    as_json: AsJson = False,
) -> None:
    """Import accounts (CSV or JSONL). Re-importing updates instead of duplicating."""
    _run_import("accounts", file, mapping, dry_run, fmt, encoding, as_json)


OccurredAt = Annotated[
    str | None,
    typer.Option(
        "--occurred-at",
        help="Date for items that have none (YYYY-MM-DD; default: when they arrive).",
    ),
]


def _occurred_at(value: str | None) -> datetime | None:
    """`--occurred-at`, read; a clear error when it is not a date."""
    from huddle.kit.time import parse_datetime

    try:
        return parse_datetime(value) if value else None
    except ValueError as error:
        fail(f"--occurred-at: {error}")  # exits
        return None


@import_app.command("feedback")
@reports_errors
def import_feedback(
    file: Path,
    mapping: MapOption = None,
    dry_run: DryRun = False,
    fmt: Format = None,
    encoding: Encoding = "utf-8-sig",
    as_json: AsJson = False,
    source: Annotated[
        str | None, typer.Option(help="Source for rows that name none (call, ticket, …).")
    ] = None,
    origin: Annotated[
        str | None, typer.Option(help="Name of the system the ids come from (default: the format).")
    ] = None,
    occurred_at: OccurredAt = None,
) -> None:
    """Import evidence (CSV, JSONL, or a pasted column of comments). External ids, or ids
    made from the content, make re-imports idempotent."""
    when = _occurred_at(occurred_at)
    _run_import(
        "feedback",
        file,
        mapping,
        dry_run,
        fmt,
        encoding,
        as_json,
        default_source=source,
        origin=origin,
        occurred_at=when,
    )


def _add_connector_command(name: str, description: str) -> None:
    @import_app.command(name, help=description)
    @reports_errors
    def command(
        file: Path,
        dry_run: DryRun = False,
        encoding: Encoding = "utf-8",
        as_json: AsJson = False,
        mapping: MapOption = None,
        source: Annotated[
            str | None, typer.Option(help="Source kind for items that name none.")
        ] = None,
        internal_domain: Annotated[
            list[str] | None,
            typer.Option(
                help="Your company's email domain (its people are not the customer); repeatable. "
                "The domains of Huddle's own users count without it."
            ),
        ] = None,
        workspace: Annotated[
            str | None,
            typer.Option(help="The Slack workspace's name, for message links (acme.slack.com)."),
        ] = None,
        create_accounts: Annotated[
            bool,
            typer.Option(
                "--create-accounts",
                help="Create accounts the file names but Huddle does not know, as prospects "
                "(else their items come in unattached); the summary lists them.",
            ),
        ] = False,
        keep_noise: Annotated[
            bool,
            typer.Option(
                "--keep-noise",
                help="Bring in auto-replies, spam, tests, internal and bot messages too "
                "(tagged noise:REASON) instead of leaving them out.",
            ),
        ] = False,
        occurred_at: OccurredAt = None,
    ) -> None:
        options = ConnectorOptions(
            occurred_at=_occurred_at(occurred_at),
            encoding=encoding,
            default_source=source,
            mapping=parse_mapping(mapping or []),
            internal_domains=tuple(d.lower() for d in internal_domain or ()),
            workspace=workspace,
            create_accounts=create_accounts,
            keep_noise=keep_noise,
        )
        try:
            with unit_of_work() as session:
                report = import_with_connector(
                    session,
                    source=name,
                    path=file,
                    actor=cli_actor(session),
                    options=options,
                    dry_run=dry_run,
                )
        except ImportFailed as failure:
            _print_report(failure.report, as_json)
            fail(failure.message)
            return
        _print_report(report, as_json)


@import_app.command("undo")
@reports_errors
def import_undo(import_id: int) -> None:
    """Remove exactly what one import added."""
    with unit_of_work() as session:
        removed = undo_import(session, import_id=import_id, actor=cli_actor(session))
    typer.echo(
        f"Import {import_id} undone: "
        + ", ".join(f"{n} {label}" for label, n in removed.items() if n)
    )


@import_app.command("list")
@reports_errors
def import_list(as_json: AsJson = False) -> None:
    """Recent imports, newest first."""
    from huddle.imports.repository import recent_imports

    with unit_of_work() as session:
        cli_actor(session)
        rows: list[dict[str, Any]] = [
            {
                "id": r.id,
                "source": r.source,
                "file": r.filename,
                "rows": r.rows_read,
                "created": r.created_count,
                "updated": r.updated_count,
                "at": r.created_at.isoformat(),
                "undone": r.undone_at is not None,
            }
            for r in recent_imports(session)
        ]
    if as_json:
        echo_json(rows)
        return
    for r in rows:
        typer.echo(
            f"{r['id']!s:>5}  {r['at'][:16]}  {r['source']:<10} {r['file']:<30} {r['created']:>6} new {r['updated']:>6} upd {'(undone)' if r['undone'] else ''}"
        )


@problems_app.command("list")
@reports_errors
def problems_list(
    as_json: AsJson = False,
    sort: Annotated[
        str, typer.Option(help="score, mentions, accounts, arr, arr_at_risk, segments or trend")
    ] = "score",
    limit: Annotated[int, typer.Option(help="Show at most this many.")] = 100,
) -> None:
    """Problems ranked by severity, with the figures behind each rank."""
    from huddle.problems.service import ranked_problems

    with unit_of_work() as session:
        items = ranked_problems(session, actor=cli_actor(session), sort=sort)[:limit]
    if as_json:
        echo_json([item.model_dump(mode="json") for item in items])
        return
    typer.echo(
        f"{'#':>3}  {'score':>6}  {'mentions':>8}  {'accounts':>8}  {'ARR':>8}  {'at risk':>8}  {'trend':>7}  problem"
    )
    for p in items:
        s = p.severity
        typer.echo(
            f"{p.rank:>3}  {s.score:>6.1f}  {s.mentions:>8}  {s.accounts:>8}  {format_money(s.arr_minor, compact=True):>8}  "
            f"{format_money(s.arr_at_risk_minor, compact=True):>8}  {f'{s.recent}/{s.previous}':>7}  {p.title}"
        )


@feedback_app.command("list")
@reports_errors
def feedback_list(
    as_json: AsJson = False,
    unlinked: Annotated[
        bool, typer.Option("--unlinked", help="Only evidence not linked to a problem.")
    ] = False,
    source: Annotated[str | None, typer.Option(help="Only this source.")] = None,
    text: Annotated[
        str | None,
        typer.Option("--text", help="Only items holding these words (docs/search-by-words.md)."),
    ] = None,
    limit: Annotated[int, typer.Option()] = 50,
) -> None:
    """Evidence, newest first."""
    from huddle.feedback.service import list_feedback

    with unit_of_work() as session:
        items, total = list_feedback(
            session,
            where=FeedbackFilter(unlinked=unlinked, source=source, text=text),
            actor=cli_actor(session),
            limit=limit,
        )
    if as_json:
        echo_json({"total": total, "items": [item.model_dump(mode="json") for item in items]})
        return
    for item in items:
        typer.echo(
            f"{item.id:>6}  {item.occurred_at:%Y-%m-%d}  {item.source:<9} {(item.account_name or '-')[:24]:<24}  {truncate(item.text, 80)}"
        )
    typer.echo(f"({len(items)} of {total})")
