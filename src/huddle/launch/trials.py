"""Experiments kept with a solution: hypothesis, primary metric and the arms' counts
(entered, or imported from the same CSV `huddle experiments analyze` reads), analysed by
launch/experiments.py whenever they are read."""

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from huddle.activity import record
from huddle.auth.actor import Actor
from huddle.auth.policies import may_plan, require
from huddle.errors import HuddleError, Invalid, NotFound
from huddle.launch import experiments as maths
from huddle.launch.repository import LaunchRepository
from huddle.models.launch import Experiment, ExperimentVariant
from huddle.models.solution import Solution

MAX_VARIANTS = 20
MAX_COUNT = 10**12


@dataclass(frozen=True)
class Trial:
    experiment: Experiment
    analysis: maths.Analysis | None
    # Why there is no analysis yet (no counts, an arm without exposures…).
    waiting: str | None


def _variants(experiment: Experiment) -> list[maths.Variant]:
    return [
        maths.Variant(v.name, v.exposures, v.conversions, v.expected_share)
        for v in experiment.variants
    ]


def analysed(experiment: Experiment) -> Trial:
    try:
        return Trial(experiment, maths.analyze(_variants(experiment)), None)
    except HuddleError as error:
        return Trial(experiment, None, error.message)


def _solution(session: Session, actor: Actor, solution_id: int) -> Solution:
    found = LaunchRepository(session).solution(actor, solution_id)
    if found is None:
        raise NotFound(f"no solution {solution_id}")
    return found


def get(session: Session, *, experiment_id: int, actor: Actor) -> Experiment:
    found = LaunchRepository(session).experiment(actor, experiment_id)
    if found is None:
        raise NotFound(f"no experiment {experiment_id}")
    return found


def for_solution(session: Session, *, solution_id: int, actor: Actor) -> list[Trial]:
    _solution(session, actor, solution_id)
    return [analysed(e) for e in LaunchRepository(session).experiments(actor, solution_id)]


def _check(variants: Sequence[maths.Variant], *, counted: bool) -> None:
    """Names and counts that make sense; `counted`: results are in, so every arm must have
    exposures (the analysis' own checks)."""
    if len(variants) > MAX_VARIANTS:
        raise Invalid(f"variants: at most {MAX_VARIANTS}", field="variants")
    for v in variants:
        if len(v.name) > 100:
            raise Invalid(
                f"variant: “{v.name[:30]}…” is longer than 100 characters", field="variant"
            )
        if v.exposures > MAX_COUNT or v.conversions > MAX_COUNT:
            raise Invalid(
                f"{v.name}: counts above {MAX_COUNT:,} are not believable", field="exposures"
            )
    if counted:
        maths.validate(list(variants))
        return
    for number, v in enumerate(variants, start=1):
        where = f"line {v.line} ({v.name})" if v.line else f"variant {number} ({v.name})"
        if v.conversions > v.exposures:
            raise Invalid(
                f"{where}: conversions: {v.conversions} is more than its {v.exposures} exposures",
                field="conversions",
            )
    try:
        maths.validate(list(variants))
    except Invalid as error:
        # Before any result, arms may have no exposures yet; anything else is wrong now.
        if error.field != "exposures" or "empty" not in error.message:
            raise


def _replace_variants(experiment: Experiment, variants: Sequence[maths.Variant]) -> None:
    experiment.variants.clear()
    for position, v in enumerate(variants):
        experiment.variants.append(
            ExperimentVariant(
                position=position,
                name=v.name.strip(),
                exposures=v.exposures,
                conversions=v.conversions,
                expected_share=v.expected_share,
            )
        )


def create(
    session: Session,
    *,
    solution_id: int,
    name: str,
    hypothesis: str = "",
    primary_metric: str = "",
    variants: Sequence[maths.Variant],
    actor: Actor,
) -> Experiment:
    require(may_plan(actor))
    solution = _solution(session, actor, solution_id)
    name = name.strip()
    if not name:
        raise Invalid("name: give the experiment a name", field="name")
    if len(name) > 200:
        raise Invalid("name: at most 200 characters", field="name")
    if len(primary_metric) > 200:
        raise Invalid("primary_metric: at most 200 characters", field="primary_metric")
    _check(variants, counted=any(v.exposures for v in variants))
    experiment = Experiment(
        solution_id=solution.id,
        name=name,
        hypothesis=hypothesis.strip(),
        primary_metric=primary_metric.strip(),
        created_by_id=actor.id,
    )
    _replace_variants(experiment, variants)
    session.add(experiment)
    session.flush()
    record(session, actor, "experiment.created", solution, f"Experiment “{name}” added")
    return experiment


def set_results(
    session: Session, *, experiment_id: int, variants: Sequence[maths.Variant], actor: Actor
) -> Experiment:
    """Replace the arms and their counts (all checked first: a bad row changes nothing)."""
    require(may_plan(actor))
    experiment = get(session, experiment_id=experiment_id, actor=actor)
    _check(variants, counted=True)
    _replace_variants(experiment, variants)
    session.flush()
    summary = ", ".join(f"{v.name} {v.conversions}/{v.exposures}" for v in variants)
    record(
        session,
        actor,
        "experiment.results",
        experiment,
        f"Results of “{experiment.name}”: {summary}",
        variants=[[v.name, v.exposures, v.conversions, v.expected_share] for v in variants],
    )
    session.expire(experiment, ["variants"])
    return experiment


def import_csv(session: Session, *, experiment_id: int, text: str, actor: Actor) -> Experiment:
    return set_results(
        session, experiment_id=experiment_id, variants=maths.parse_csv(text), actor=actor
    )


def delete(session: Session, *, experiment_id: int, actor: Actor) -> int:
    require(may_plan(actor))
    experiment = get(session, experiment_id=experiment_id, actor=actor)
    solution_id = experiment.solution_id
    record(
        session, actor, "experiment.deleted", experiment, f"Experiment “{experiment.name}” deleted"
    )
    session.delete(experiment)
    session.flush()
    return solution_id


def summary(trial: Trial) -> dict[str, object]:
    """What a decision keeps of an experiment: its figures and verdict as they were."""
    e = trial.experiment
    found: dict[str, object] = {
        "id": e.id,
        "name": e.name,
        "primary_metric": e.primary_metric,
        "hypothesis": e.hypothesis,
    }
    if trial.analysis is None:
        return {**found, "verdict": trial.waiting or "no results yet", "variants": []}
    return {**found, **trial.analysis.as_dict()}
