"""Commands over delivering and launching solutions: experiments, stages and gates,
decisions."""

from pathlib import Path
from typing import Annotated

import typer

from huddle.cli.context import echo_json, fail, reports_errors
from huddle.cli.data_commands import AsJson

experiments_app = typer.Typer(
    help="Experiments (A/B tests) and their results.", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    app.add_typer(experiments_app, name="experiments")


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
