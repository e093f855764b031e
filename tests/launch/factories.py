"""Factories of launch objects, beside the shared ones of tests/factories.py."""

from sqlalchemy.orm import Session

from huddle.models.launch import (
    Decision,
    DeliveryLink,
    Experiment,
    ExperimentVariant,
    GateItem,
    LaunchTask,
    RaciActivity,
)
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


def create_launch_task(session: Session, solution: Solution) -> LaunchTask:
    task = LaunchTask(solution_id=solution.id, title="Sales deck", team="sales")
    session.add(task)
    session.flush()
    return task


def create_raci_activity(session: Session) -> RaciActivity:
    row = RaciActivity(phase="launch", activity="Pricing page", accountable="Finance")
    session.add(row)
    session.flush()
    return row


def create_delivery_link(session: Session, solution: Solution) -> DeliveryLink:
    found = DeliveryLink(
        solution_id=solution.id,
        tool="linear",
        url=f"https://linear.app/acme/issue/ENG-{solution.id}",
        key=f"ENG-{solution.id}",
    )
    session.add(found)
    session.flush()
    return found
