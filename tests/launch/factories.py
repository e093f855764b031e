"""Factories of launch objects, beside the shared ones of tests/factories.py."""

from sqlalchemy.orm import Session

from huddle.models.launch import Decision, Experiment, ExperimentVariant, GateItem
from huddle.models.solution import Solution


def create_gate_item(session: Session, *, stage: str = "planning", label: str = "") -> GateItem:
    item = GateItem(stage=stage, label=label or f"Check for {stage}", position=99.0)
    session.add(item)
    session.flush()
    return item


def create_experiment(session: Session, solution: Solution) -> Experiment:
    experiment = Experiment(solution_id=solution.id, name="Checklist A/B")
    experiment.variants = [
        ExperimentVariant(position=0, name="control", exposures=1000, conversions=100),
        ExperimentVariant(position=1, name="checklist", exposures=1000, conversions=120),
    ]
    session.add(experiment)
    session.flush()
    return experiment


def create_decision(session: Session, solution: Solution, outcome: str = "go") -> Decision:
    decision = Decision(solution_id=solution.id, outcome=outcome, reasons="It works", evidence={})
    session.add(decision)
    session.flush()
    return decision
