"""Factories of launch objects, beside the shared ones of tests/factories.py."""

from sqlalchemy.orm import Session

from huddle.models.launch import GateItem


def create_gate_item(session: Session, *, stage: str = "planning", label: str = "") -> GateItem:
    item = GateItem(stage=stage, label=label or f"Check for {stage}", position=99.0)
    session.add(item)
    session.flush()
    return item
