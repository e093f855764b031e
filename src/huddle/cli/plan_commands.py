"""Commands over what the product team plans: solutions (ideas) and their scores, and
objectives with their key results."""

import sys
from pathlib import Path
from typing import Annotated

import typer

from huddle.cli.context import cli_actor, echo_json, fail, reports_errors, unit_of_work
from huddle.cli.data_commands import AsJson, DryRun, Encoding, Format, import_app
from huddle.kit.money import format_money

ideas_app = typer.Typer(help="Solutions (ideas), scored and ranked.", no_args_is_help=True)
objectives_app = typer.Typer(help="Objectives and their key results.", no_args_is_help=True)
roadmap_app = typer.Typer(help="The roadmap, for each audience.", no_args_is_help=True)
changelog_app = typer.Typer(help="Release notes from shipped solutions.", no_args_is_help=True)
digests_app = typer.Typer(
    help="Weekly digests for sales, support and leadership.", no_args_is_help=True
)
alerts_app = typer.Typer(help="Warnings about accounts that may leave.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(ideas_app, name="ideas")
    app.add_typer(objectives_app, name="objectives")
    app.add_typer(roadmap_app, name="roadmap")
    app.add_typer(digests_app, name="digests")
    app.add_typer(changelog_app, name="changelog")
    app.add_typer(alerts_app, name="alerts")


@import_app.command("ideas")
@reports_errors
def import_ideas(
    file: Path,
    dry_run: DryRun = False,
    fmt: Format = None,
    encoding: Encoding = "utf-8-sig",
    as_json: AsJson = False,
) -> None:
    """Import solutions (CSV or JSONL): title, description, problem_ids and the frameworks'
    inputs. All or nothing: one bad row and nothing is written."""
    from huddle.ideas.importer import IdeasImportFailed
    from huddle.ideas.importer import import_ideas as run

    try:
        with unit_of_work() as session:
            report = run(
                session,
                path=file,
                actor=cli_actor(session),
                fmt=fmt,
                encoding=encoding,
                dry_run=dry_run,
            )
    except IdeasImportFailed as failure:
        if as_json:
            echo_json(failure.report.as_dict())
        for error in failure.report.errors[:50]:
            typer.echo(f"  {error}", err=True)
        fail(failure.message)
        return
    if as_json:
        echo_json(report.as_dict())
        return
    verb = "would import" if dry_run else "imported"
    typer.echo(f"{report.filename}: {verb} {report.rows_read} ideas.")


@ideas_app.command("list")
@reports_errors
def ideas_list(
    as_json: AsJson = False,
    framework: Annotated[str, typer.Option(help="rice, ice, wsjf or custom")] = "rice",
    limit: Annotated[int, typer.Option(help="Show at most this many.")] = 100,
) -> None:
    """Solutions ranked by a scoring framework, with each score and its inputs."""
    from huddle.ideas.api import read
    from huddle.ideas.service import ranked

    with unit_of_work() as session:
        items = ranked(session, actor=cli_actor(session), framework=framework)[:limit]
        rows = [read(item, framework) for item in items]
    if as_json:
        echo_json([row.model_dump(mode="json") for row in rows])
        return
    typer.echo(f"{'#':>3}  {framework:>8}  {'accounts':>8}  {'ARR':>8}  solution")
    for row in rows:
        value = "—" if row.score.value is None else f"{row.score.value:,.1f}"
        typer.echo(
            f"{row.rank:>3}  {value:>8}  {row.accounts:>8}  "
            f"{format_money(row.arr_minor, compact=True):>8}  {row.title}"
        )


@objectives_app.command("list")
@reports_errors
def objectives_list(
    as_json: AsJson = False,
    period: Annotated[str | None, typer.Option(help="Only this quarter, like 2027-Q1.")] = None,
) -> None:
    """Objectives, latest quarter first, with their key results and progress."""
    from huddle.plans.api import read
    from huddle.plans.service import objectives

    with unit_of_work() as session:
        rows = [read(item) for item in objectives(session, actor=cli_actor(session), period=period)]
    if as_json:
        echo_json([row.model_dump(mode="json") for row in rows])
        return
    for row in rows:
        typer.echo(f"{row.period}  {row.progress:>4.0%}  {row.title} ({row.status.value})")
        for kr in row.key_results:
            unit = f" {kr.unit}" if kr.unit else ""
            typer.echo(
                f"         {kr.progress:>4.0%}  {kr.title}: {kr.current_value:g}{unit}, "
                f"from {kr.start_value:g} to {kr.target_value:g}"
            )


@roadmap_app.command("export")
@reports_errors
def roadmap_export(
    audience: Annotated[
        str,
        typer.Option(help="internal (everything), sales (what sales leadership approved), public"),
    ] = "internal",
    fmt: Annotated[str, typer.Option("--format", help="csv or json")] = "csv",
    product_area: Annotated[str | None, typer.Option(help="Only this product area.")] = None,
    objective: Annotated[
        int | None, typer.Option(help="Only what serves this objective (id).")
    ] = None,
) -> None:
    """The roadmap as one audience sees it, in board order (now, next, later), with only the
    fields that audience may see: the same as the roadmap page's CSV and the API."""

    from huddle.kit.spreadsheet import SafeCsvWriter
    from huddle.plans.roadmap import Audience, roadmap, table
    from huddle.plans.roadmap_api import read

    if audience not in {a.value for a in Audience}:
        fail(f"unknown audience {audience!r}: use internal, sales or public")
    if fmt not in ("csv", "json"):
        fail(f"unknown format {fmt!r}: use csv or json")
    with unit_of_work() as session:
        found = roadmap(
            session,
            actor=cli_actor(session),
            audience=Audience(audience),
            product_area=product_area,
            objective_id=objective,
        )
    if fmt == "json":
        echo_json(read(found).model_dump(mode="json"))
        return
    writer = SafeCsvWriter(sys.stdout)
    writer.writerows(table(found))


@digests_app.command("send")
@reports_errors
def digests_send(
    audience: Annotated[str, typer.Option(help="sales, support or leadership")] = "sales",
    dry_run: Annotated[bool, typer.Option(help="Print them; send nothing.")] = False,
    as_json: AsJson = False,
) -> None:
    """One digest to each active member of that team, about their own accounts and requests,
    in the app and by email (when HUDDLE_SMTP_HOST is set). Sent twice in a week, it is one
    message."""
    from huddle import jobs
    from huddle.notify.delivery import DELIVER_TASK
    from huddle.notify.digests import send_digests

    with unit_of_work() as session:
        made, emails = send_digests(
            session, audience=audience, actor=cli_actor(session), dry_run=dry_run
        )
        for message_id in emails:
            jobs.defer(session, DELIVER_TASK, ids=[message_id])
        shown = [{"to": d.reader.email, "subject": d.subject, "text": d.text()} for d in made]
    if as_json:
        echo_json({"audience": audience, "dry_run": dry_run, "digests": shown})
        return
    for item in shown:
        if dry_run:
            typer.echo(f"To: {item['to']}\n{item['text']}\n")
    verb = "would send" if dry_run else "sent"
    typer.echo(f"{verb} {len(shown)} {audience} digest{'s' if len(shown) != 1 else ''}")


@alerts_app.command("churn")
@reports_errors
def alerts_churn(
    send: Annotated[
        bool, typer.Option(help="Also tell owners and followers now (the daily job does it).")
    ] = False,
    as_json: AsJson = False,
) -> None:
    """The watch list: customers whose recent evidence says they may leave, the most urgent
    first, with the signals and the evidence behind each warning."""
    from huddle import jobs
    from huddle.notify import churn
    from huddle.notify.delivery import DELIVER_TASK
    from huddle.notify.schemas import warning_read

    with unit_of_work() as session:
        actor = cli_actor(session)
        found = [warning_read(w) for w in churn.watch_list(session, actor=actor)]
        for message_id in churn.send_alerts(session, actor=actor) if send else []:
            jobs.defer(session, DELIVER_TASK, ids=[message_id])
    if as_json:
        echo_json([w.model_dump(mode="json") for w in found])
        return
    for w in found:
        arr = format_money(w.arr_minor, w.currency)
        renewal = f", renews in {w.renewal_days} days" if w.renewal_days is not None else ""
        typer.echo(f"{w.level.upper()}  {w.account} ({arr} ARR{renewal}), owner {w.owner or '-'}")
        for signal in w.signals:
            typer.echo(f"  - {signal.words}")
        for item in w.evidence[:3]:
            typer.echo(f"      {item.occurred_at:%Y-%m-%d} {item.source}: {item.text[:160]!r}")
    typer.echo(f"{len(found)} account{'s' if len(found) != 1 else ''} on the watch list")


@changelog_app.command("export")
@reports_errors
def changelog_export(
    fmt: Annotated[str, typer.Option("--format", help="md or atom")] = "md",
    audience: Annotated[
        str, typer.Option(help="public (shipped solutions marked public) or internal (all)")
    ] = "public",
) -> None:
    """Release notes from shipped solutions, newest first, as Markdown or an Atom feed."""
    from huddle.plans.changelog import atom, entries, markdown

    if fmt not in ("md", "atom"):
        fail(f"unknown format {fmt!r}: use md or atom")
    if audience not in ("public", "internal"):
        fail(f"unknown audience {audience!r}: use public or internal")
    with unit_of_work() as session:
        found = entries(session, actor=cli_actor(session), public=audience == "public")
    if fmt == "atom":
        sys.stdout.buffer.write(atom(found))
        sys.stdout.flush()
        return
    typer.echo(markdown(found), nl=False)
