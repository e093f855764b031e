"""All SQL of delivering and launching, scoped to what the actor may read."""

from collections.abc import Sequence

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from huddle.auth.actor import Actor
from huddle.auth.policies import may_read, require
from huddle.models.activity import Activity
from huddle.models.launch import Decision, Experiment, GateCheck, GateItem
from huddle.models.solution import Solution
from huddle.models.user import User


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

    # -- experiments and decisions ------------------------------------------------------------

    def experiments(self, actor: Actor, solution_id: int) -> Sequence[Experiment]:
        require(may_read(actor))
        statement = (
            select(Experiment)
            .where(Experiment.solution_id == solution_id)
            .order_by(Experiment.created_at.desc(), Experiment.id.desc())
        )
        return self.session.scalars(statement).all()

    def experiment(self, actor: Actor, experiment_id: int) -> Experiment | None:
        require(may_read(actor))
        return self.session.get(Experiment, experiment_id)

    def decision(self, actor: Actor, decision_id: int) -> Decision | None:
        require(may_read(actor))
        return self.session.get(Decision, decision_id)

    def decisions(
        self,
        actor: Actor,
        *,
        solution_id: int | None = None,
        text: str | None = None,
        outcome: str | None = None,
        limit: int = 200,
    ) -> Sequence[Decision]:
        require(may_read(actor))
        statement = (
            select(Decision)
            .join(Solution, Solution.id == Decision.solution_id)
            .order_by(Decision.created_at.desc(), Decision.id.desc())
            .limit(limit)
        )
        if solution_id is not None:
            statement = statement.where(Decision.solution_id == solution_id)
        if outcome:
            statement = statement.where(Decision.outcome == outcome)
        for word in (text or "").split()[:8]:
            lowered = word.lower()
            statement = statement.where(
                or_(
                    func.lower(Solution.title).contains(lowered, autoescape=True),
                    func.lower(Decision.reasons).contains(lowered, autoescape=True),
                    func.lower(Decision.risks).contains(lowered, autoescape=True),
                )
            )
        return self.session.scalars(statement).unique().all()

    def users(self, ids: Sequence[int]) -> dict[int, User]:
        if not ids:
            return {}
        found = self.session.scalars(select(User).where(User.id.in_(ids))).unique()
        return {u.id: u for u in found}

    def users_by_email(self, emails: Sequence[str]) -> dict[str, User]:
        if not emails:
            return {}
        lowered = [e.lower() for e in emails]
        found = self.session.scalars(select(User).where(User.email.in_(lowered))).unique()
        return {u.email: u for u in found}
