"""All SQL of delivering and launching, scoped to what the actor may read."""

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from huddle.auth.actor import Actor
from huddle.auth.policies import may_read, require
from huddle.models.activity import Activity
from huddle.models.launch import GateCheck, GateItem
from huddle.models.solution import Solution


class LaunchRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def solution(self, actor: Actor, solution_id: int) -> Solution | None:
        require(may_read(actor))
        return self.session.get(Solution, solution_id)

    def solutions(self, actor: Actor) -> Sequence[Solution]:
        require(may_read(actor))
        return self.session.scalars(select(Solution).order_by(Solution.id)).unique().all()

    def gate_items(self, actor: Actor, stage: str | None = None) -> Sequence[GateItem]:
        require(may_read(actor))
        statement = select(GateItem).order_by(GateItem.stage, GateItem.position, GateItem.id)
        if stage is not None:
            statement = statement.where(GateItem.stage == stage)
        return self.session.scalars(statement).all()

    def gate_item(self, actor: Actor, item_id: int) -> GateItem | None:
        require(may_read(actor))
        return self.session.get(GateItem, item_id)

    def checks(self, actor: Actor, solution_id: int) -> dict[int, GateCheck]:
        require(may_read(actor))
        found = self.session.scalars(
            select(GateCheck).where(GateCheck.solution_id == solution_id)
        ).unique()
        return {c.gate_item_id: c for c in found}

    def check(self, solution_id: int, gate_item_id: int) -> GateCheck | None:
        return self.session.get(GateCheck, (solution_id, gate_item_id))

    def stage_history(self, actor: Actor, solution_id: int) -> Sequence[Activity]:
        require(may_read(actor))
        statement = (
            select(Activity)
            .where(
                Activity.subject_type == Solution.__tablename__,
                Activity.subject_id == solution_id,
                Activity.verb == "stage.moved",
            )
            .order_by(Activity.at.desc(), Activity.id.desc())
        )
        return self.session.scalars(statement).unique().all()
