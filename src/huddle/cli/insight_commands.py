"""`huddle themes …`: discovery from the command line, and its results as CSV to check."""

import sys
from typing import Annotated

import typer

from huddle.cli.context import cli_actor, echo_json, reports_errors, unit_of_work
from huddle.kit.spreadsheet import SafeCsvWriter

themes_app = typer.Typer(
    help="Suggested problems found in the unlinked evidence.", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    app.add_typer(themes_app, name="themes")


@themes_app.command("discover")
@reports_errors
def discover(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Embed what is not embedded yet, then group the unlinked evidence into suggestions."""
    from huddle.cli.context import state
    from huddle.insights import service
    from huddle.jobs.runner import run_until_idle

    run_until_idle(state.database_url)
    with unit_of_work() as session:
        outcome = service.discover(session, actor=cli_actor(session))
        summary = {
            "items": outcome.run.items,
            "themes": len(outcome.themes),
            "unthemed": outcome.run.unthemed,
            "clustered": outcome.run.clustered,
            "seconds": outcome.run.seconds,
            "labels": [(t.label, len(t.members)) for t in outcome.themes],
        }
    if as_json:
        echo_json(summary)
        return
    typer.echo(
        f"{summary['themes']} suggested problems from {summary['items']} unlinked items "
        f"({summary['unthemed']} left unthemed) in {summary['seconds']:.1f} s"
    )
    if outcome.run.clustered is not None:
        typer.echo(
            f"clustered a sample of {outcome.run.clustered} of them; the others joined the "
            "suggestion they clearly belong to, or were left unthemed"
        )
    for theme in outcome.themes:
        typer.echo(f"  {len(theme.members):>5}  {theme.label}")


@themes_app.command("export")
@reports_errors
def export(
    fmt: Annotated[str, typer.Option("--format", help="csv")] = "csv",
) -> None:
    """One row per unlinked item: external id, suggested theme id, theme label, confidence."""
    from huddle.insights.service import theme_assignments

    if fmt != "csv":
        raise typer.BadParameter("only csv is supported", param_hint="--format")
    with unit_of_work() as session:
        rows = theme_assignments(session, actor=cli_actor(session))
    writer = SafeCsvWriter(sys.stdout)
    writer.writerow(["feedback_id", "external_id", "theme_id", "theme_label", "confidence"])
    writer.writerows(rows)
