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


decisions_app = typer.Typer(help="Go/no-go decisions.", no_args_is_help=True)
effort_app = typer.Typer(
    help="The product team's effort per phase, against the intended split.", no_args_is_help=True
)


delivery_app = typer.Typer(
    help="Delivery tickets in Jira, Linear and GitHub.", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    app.add_typer(delivery_app, name="delivery")
    app.add_typer(experiments_app, name="experiments")
    app.add_typer(stages_app, name="stages")
    app.add_typer(decisions_app, name="decisions")
    app.add_typer(effort_app, name="effort")


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
        f"{control.name} (control): {control.conversions:,} of {control.exposures:,} "
        f"({control.rate:.2%}); effects in percentage points"
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
    if stage.learned:
        typer.echo(f"  learned: {stage.learned}")


@stages_app.command("show")
@reports_errors
def stages_show(solution_id: int, as_json: AsJson = False) -> None:
    """The solution's stage, its gate checklist (item ids to tick) and its latest moves."""
    from huddle.launch import stages

    with unit_of_work() as session:
        found = stages.view(session, solution_id=solution_id, actor=cli_actor(session))
        _show_stage(found, as_json)


@stages_app.command("learned")
@reports_errors
def stages_learned(
    solution_id: int,
    text: Annotated[str, typer.Argument(help="What its launch taught the team.")],
    as_json: AsJson = False,
) -> None:
    """Write what a launched solution taught the team (its learning stage's record)."""
    from huddle.launch import stages

    with unit_of_work() as session:
        actor = cli_actor(session)
        stages.record_learning(session, solution_id=solution_id, text=text, actor=actor)
        _show_stage(stages.view(session, solution_id=solution_id, actor=actor), as_json)


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


@experiments_app.command("import")
@reports_errors
def experiments_import(
    solution_id: int,
    file: Annotated[
        Path, typer.Argument(help="CSV: variant,exposures,conversions[,expected_share].")
    ],
    name: Annotated[str, typer.Option(help="The experiment's name.")] = "",
    hypothesis: Annotated[str, typer.Option()] = "",
    metric: Annotated[str, typer.Option(help="The primary metric.")] = "",
    experiment: Annotated[
        int | None, typer.Option(help="Replace the results of this experiment instead.")
    ] = None,
    as_json: AsJson = False,
) -> None:
    """Keep an experiment's results with a solution (a new experiment, or new counts for one);
    a bad row stores nothing."""
    from huddle.launch import trials
    from huddle.launch.api import read_experiment
    from huddle.launch.experiments import parse_csv

    try:
        text = file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        fail(f"{file}: cannot read it ({error})")
        return
    with unit_of_work() as session:
        actor = cli_actor(session)
        if experiment is not None:
            found = trials.get(session, experiment_id=experiment, actor=actor)
            if found.solution_id != solution_id:
                fail(f"experiment {experiment} belongs to solution {found.solution_id}")
            stored = trials.import_csv(session, experiment_id=experiment, text=text, actor=actor)
        else:
            stored = trials.create(
                session,
                solution_id=solution_id,
                name=name or file.stem,
                hypothesis=hypothesis,
                primary_metric=metric,
                variants=parse_csv(text),
                actor=actor,
            )
        shown = read_experiment(trials.analysed(stored))
    if as_json:
        echo_json(shown.model_dump(mode="json"))
        return
    typer.echo(f"experiment {shown.id}: {shown.name}")
    typer.echo(shown.verdict)


@experiments_app.command("list")
@reports_errors
def experiments_list(solution_id: int, as_json: AsJson = False) -> None:
    """A solution's experiments with their results."""
    from huddle.launch import trials
    from huddle.launch.api import read_experiment

    with unit_of_work() as session:
        found = trials.for_solution(session, solution_id=solution_id, actor=cli_actor(session))
        rows = [read_experiment(t) for t in found]
    if as_json:
        echo_json([r.model_dump(mode="json") for r in rows])
        return
    for row in rows:
        typer.echo(f"{row.id:>4}  {row.name}: {row.verdict}")


@decisions_app.command("list")
@reports_errors
def decisions_list(
    q: Annotated[
        str | None, typer.Option("--q", help="Words in the title, reasons or risks.")
    ] = None,
    decision: Annotated[str | None, typer.Option(help="go, no_go or wait")] = None,
    as_json: AsJson = False,
) -> None:
    """Go/no-go decisions, newest first."""
    from huddle.launch import decisions
    from huddle.launch.api import read_decision

    with unit_of_work() as session:
        found = decisions.search(session, actor=cli_actor(session), text=q, outcome=decision)
        rows = [read_decision(d, s) for d, s in found]
    if as_json:
        echo_json([r.model_dump(mode="json") for r in rows])
        return
    for row in rows:
        typer.echo(
            f"{row.created_at:%Y-%m-%d}  {row.decision:<6} {row.solution_title}: {row.reasons}"
        )


@decisions_app.command("record")
@reports_errors
def decisions_record(
    solution_id: int,
    decision: Annotated[str, typer.Option(help="go, no_go or wait")],
    reasons: Annotated[str, typer.Option(help="Why.")],
    risks: Annotated[str, typer.Option(help="Open risks.")] = "",
    signed_off: Annotated[
        list[str] | None, typer.Option(help="Email of who signed off (repeat).")
    ] = None,
    consulted: Annotated[
        list[str] | None, typer.Option(help="Email of who was consulted (repeat).")
    ] = None,
    review_on: Annotated[
        str | None, typer.Option(help="YYYY-MM-DD: when to review the outcome.")
    ] = None,
    as_json: AsJson = False,
) -> None:
    """Record a go/no-go decision with the evidence as it stands now."""
    from huddle.errors import Invalid
    from huddle.kit.time import parse_date
    from huddle.launch import decisions
    from huddle.launch.api import read_decision
    from huddle.launch.repository import LaunchRepository

    with unit_of_work() as session:
        actor = cli_actor(session)
        people = LaunchRepository(session).users_by_email([*(signed_off or []), *(consulted or [])])

        def ids(emails: list[str] | None, field: str) -> list[int]:
            found = []
            for email in emails or []:
                if email.lower() not in people:
                    raise Invalid(f"{field}: no user {email}", field=field)
                found.append(people[email.lower()].id)
            return found

        try:
            review = parse_date(review_on) if review_on else None
        except ValueError as error:
            raise Invalid(f"review_on: {error}", field="review_on") from None
        made = decisions.record_decision(
            session,
            solution_id=solution_id,
            outcome=decision,
            reasons=reasons,
            risks=risks,
            signed_off_ids=ids(signed_off, "signed_off"),
            consulted_ids=ids(consulted, "consulted"),
            review_on=review,
            actor=actor,
        )
        from huddle.models.solution import Solution

        shown = read_decision(made, session.get_one(Solution, made.solution_id))
    if as_json:
        echo_json(shown.model_dump(mode="json"))
        return
    typer.echo(f"decision {shown.id}: {shown.decision} for {shown.solution_title}")


@effort_app.command("log")
@reports_errors
def effort_log(
    phase: Annotated[str, typer.Option(help="discovery, implementation or launch")],
    days: Annotated[float, typer.Option(help="Days in that phase (at most 7 per entry).")],
    solution: Annotated[int | None, typer.Option(help="The solution it was for.")] = None,
    week_of: Annotated[str | None, typer.Option(help="YYYY-MM-DD, any day of the week.")] = None,
    estimated: Annotated[
        bool, typer.Option("--estimated", help="An estimate, not logged time.")
    ] = False,
    note: Annotated[str, typer.Option()] = "",
) -> None:
    """Log days the acting product person (--as) spent in a phase."""
    from huddle.errors import Invalid
    from huddle.kit.time import parse_date
    from huddle.launch import effort

    with unit_of_work() as session:
        try:
            week = parse_date(week_of) if week_of else None
        except ValueError as error:
            raise Invalid(f"week_of: {error}", field="week_of") from None
        entry = effort.log(
            session,
            actor=cli_actor(session),
            phase=phase,
            days=days,
            week_of=week,
            solution_id=solution,
            estimated=estimated,
            note=note,
        )
        typer.echo(f"logged {entry.days:g} days of {entry.phase}, week of {entry.week_of}")


@effort_app.command("summary")
@reports_errors
def effort_summary(
    since: Annotated[str | None, typer.Option(help="YYYY-MM-DD: only weeks from then.")] = None,
    as_json: AsJson = False,
) -> None:
    """Days per phase by each product person and overall, beside the intended split."""
    from huddle.errors import Invalid
    from huddle.kit.time import parse_date
    from huddle.launch import effort
    from huddle.launch.api import read_effort
    from huddle.launch.stages import PHASES

    with unit_of_work() as session:
        try:
            start = parse_date(since) if since else None
        except ValueError as error:
            raise Invalid(f"since: {error}", field="since") from None
        found = read_effort(effort.summary(session, actor=cli_actor(session), since=start))
    if as_json:
        echo_json(found.model_dump(mode="json"))
        return
    typer.echo(f"{'':<24}" + "".join(f"{p:>16}" for p in PHASES))
    for spread in [*found.people, found.overall]:
        cells = "".join(f"{spread.days[p]:>8g}d {spread.shares[p]:>5.0%}" for p in PHASES)
        typer.echo(f"{spread.name:<24}{cells}")
    typer.echo(f"{'intended':<24}" + "".join(f"{found.intended[p]:>16.0%}" for p in PHASES))


@delivery_app.command("statuses")
@reports_errors
def delivery_statuses(
    tool: Annotated[str, typer.Argument(help="jira, linear or github")],
    file: Annotated[Path, typer.Argument(help="The tool's CSV export of its tickets.")],
    as_json: AsJson = False,
) -> None:
    """Ticket statuses from a tool's CSV export (when its webhooks cannot reach Huddle): every
    solution's links to those tickets take their status; a solution whose tickets are all
    done is ready for its launch gate."""
    from huddle.launch.delivery import import_statuses

    try:
        text = file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        fail(f"{file}: cannot read it ({error})")
        return
    with unit_of_work() as session:
        found = import_statuses(session, tool=tool, text=text, actor=cli_actor(session))
    if as_json:
        echo_json({"tickets": found.tickets, "changed": found.changed, "unknown": found.unknown})
        return
    typer.echo(f"{found.tickets} tickets read, {found.changed} links changed")
    if found.unknown:
        typer.echo(f"not linked to any solution: {', '.join(found.unknown)}")
