"""Commands over delivering and launching solutions: experiments, stages and gates,
decisions."""

from pathlib import Path
from typing import Annotated

import typer

from huddle.cli.context import cli_actor, echo_json, fail, reports_errors, unit_of_work
from huddle.cli.data_commands import AsJson

experiments_app = typer.Typer(
    help="Experiments (A/B tests) and their results.", no_args_is_help=True
)


stages_app = typer.Typer(
    help="A solution's delivery stage and the gate to leave it.", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    app.add_typer(experiments_app, name="experiments")
    app.add_typer(stages_app, name="stages")


def _fraction(value: float | None) -> str:
    return "—" if value is None else f"{value:+.2%}"


@experiments_app.command("analyze")
@reports_errors
def experiments_analyze(
    file: Annotated[
        Path,
        typer.Argument(
            help="CSV: variant,exposures,conversions[,expected_share]; the first row is the control."
        ),
    ],
    as_json: AsJson = False,
) -> None:
    """Each variant against the control: effect, its 95% interval, the two-proportion test's
    p-value, the probability of being better, and the sample-ratio check."""
    from huddle.launch.experiments import analyze, parse_csv

    try:
        text = file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        fail(f"{file}: cannot read it ({error})")
        return
    analysis = analyze(parse_csv(text))
    if as_json:
        echo_json(analysis.as_dict())
        return
    control = analysis.control
    typer.echo(
        f"control {control.name}: {control.conversions:,} of {control.exposures:,} "
        f"({control.rate:.2%})"
    )
    typer.echo(
        f"{'variant':<16} {'rate':>8} {'effect':>9} {'relative':>9} {'95% interval':>21} "
        f"{'p-value':>8} {'P(better)':>9}"
    )
    for c in analysis.comparisons:
        interval = f"{c.ci_low:+.2%} to {c.ci_high:+.2%}"
        typer.echo(
            f"{c.variant:<16} {c.rate:>8.2%} {c.effect:>+9.2%} {_fraction(c.relative_effect):>9} "
            f"{interval:>21} {c.p_value:>8.3g} {c.prob_better:>9.1%}"
        )
    typer.echo(f"sample-ratio check: p = {analysis.srm_p_value:.3g}")
    typer.echo(analysis.verdict)


def _show_stage(found: "object", as_json: bool) -> None:
    from huddle.launch.api import read_stage

    stage = read_stage(found)  # type: ignore[arg-type]
    if as_json:
        echo_json(stage.model_dump(mode="json"))
        return
    typer.echo(f"solution {stage.solution_id}: {stage.stage}")
    for line in stage.gate:
        typer.echo(f"  [{'x' if line.done else ' '}] {line.id:>4}  {line.label}")
    for move in stage.history[:5]:
        why = f": {move.reason}" if move.reason else ""
        typer.echo(f"  {move.at:%Y-%m-%d} {move.before} -> {move.after}{why}")


@stages_app.command("show")
@reports_errors
def stages_show(solution_id: int, as_json: AsJson = False) -> None:
    """The solution's stage, its gate checklist (item ids to tick) and its latest moves."""
    from huddle.launch import stages

    with unit_of_work() as session:
        found = stages.view(session, solution_id=solution_id, actor=cli_actor(session))
        _show_stage(found, as_json)


@stages_app.command("move")
@reports_errors
def stages_move(
    solution_id: int,
    stage: Annotated[
        str,
        typer.Argument(
            help="discovery, planning, implementation, ready, launched, learning, parked or stopped"
        ),
    ],
    reason: Annotated[
        str, typer.Option(help="Needed past open gate items, or to park or stop it.")
    ] = "",
    as_json: AsJson = False,
) -> None:
    """Move a solution to a stage; nothing changes when a reason is needed and missing."""
    from huddle.launch import stages

    with unit_of_work() as session:
        actor = cli_actor(session)
        stages.move(session, solution_id=solution_id, to=stage, reason=reason, actor=actor)
        _show_stage(stages.view(session, solution_id=solution_id, actor=actor), as_json)


@stages_app.command("check")
@reports_errors
def stages_check(
    solution_id: int,
    item_id: Annotated[int, typer.Argument(help="The gate item (ids: `huddle stages show`).")],
    undo: Annotated[bool, typer.Option("--undo", help="Untick it.")] = False,
) -> None:
    """Tick a gate item for a solution."""
    from huddle.launch import stages

    with unit_of_work() as session:
        line = stages.set_check(
            session,
            solution_id=solution_id,
            gate_item_id=item_id,
            done=not undo,
            actor=cli_actor(session),
        )
        typer.echo(f"[{'x' if line.done else ' '}] {line.item.label}")
