from collections.abc import Collection, Sequence

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from huddle.auth.actor import Actor
from huddle.auth.policies import may_read, require
from huddle.kit.bulk import in_lists
from huddle.models.objective import CheckIn, KeyResult, KeyResultSolution, Objective
from huddle.models.solution import Solution
from huddle.models.user import User


class ObjectiveRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, actor: Actor, objective_id: int) -> Objective | None:
        require(may_read(actor))
        return self.session.get(Objective, objective_id)

    def all(self, actor: Actor, *, period: str | None = None) -> Sequence[Objective]:
        """Latest period first; within one, in the order they were set."""
        require(may_read(actor))
        statement = select(Objective).order_by(Objective.period.desc(), Objective.id)
        if period:
            statement = statement.where(Objective.period == period)
        return self.session.scalars(statement).unique().all()

    def add(self, row: Objective | KeyResult | CheckIn) -> None:
        self.session.add(row)
        self.session.flush()

    def delete(self, row: Objective | KeyResult) -> None:
        self.session.delete(row)
        self.session.flush()

    def key_result(self, actor: Actor, key_result_id: int) -> KeyResult | None:
        require(may_read(actor))
        return self.session.get(KeyResult, key_result_id)

    def key_results(self, objective_ids: Collection[int]) -> dict[int, list[KeyResult]]:
        found: dict[int, list[KeyResult]] = {i: [] for i in objective_ids}
        for chunk in in_lists(sorted(objective_ids)):
            statement = (
                select(KeyResult).where(KeyResult.objective_id.in_(chunk)).order_by(KeyResult.id)
            )
            for key_result in self.session.scalars(statement):
                found[key_result.objective_id].append(key_result)
        return found

    def check_ins(self, key_result_ids: Collection[int]) -> dict[int, list[CheckIn]]:
        """Each key result's check-ins, oldest first."""
        found: dict[int, list[CheckIn]] = {i: [] for i in key_result_ids}
        for chunk in in_lists(sorted(key_result_ids)):
            statement = (
                select(CheckIn)
                .where(CheckIn.key_result_id.in_(chunk))
                .order_by(CheckIn.at, CheckIn.id)
            )
            for check_in in self.session.scalars(statement).unique():
                found[check_in.key_result_id].append(check_in)
        return found

    def solution_ids(self, key_result_ids: Collection[int]) -> dict[int, list[int]]:
        """The solutions linked to each key result, in the order they were linked."""
        found: dict[int, list[int]] = {i: [] for i in key_result_ids}
        for chunk in in_lists(sorted(key_result_ids)):
            rows = self.session.execute(
                select(KeyResultSolution.key_result_id, KeyResultSolution.solution_id)
                .where(KeyResultSolution.key_result_id.in_(chunk))
                .order_by(KeyResultSolution.created_at, KeyResultSolution.solution_id)
            )
            for key_result_id, solution_id in rows:
                found[key_result_id].append(solution_id)
        return found

    def serving(self, actor: Actor, solution_id: int) -> list[tuple[KeyResult, Objective]]:
        """The key results a solution is linked to, with their objectives."""
        require(may_read(actor))
        statement = (
            select(KeyResult, Objective)
            .join(KeyResultSolution, KeyResultSolution.key_result_id == KeyResult.id)
            .join(Objective, Objective.id == KeyResult.objective_id)
            .where(KeyResultSolution.solution_id == solution_id)
            .order_by(Objective.period.desc(), Objective.id, KeyResult.id)
        )
        return [(kr, objective) for kr, objective in self.session.execute(statement).unique()]

    def link(self, key_result_id: int, solution_id: int) -> bool:
        """False when they were linked already."""
        found = self.session.get(KeyResultSolution, (key_result_id, solution_id))
        if found is not None:
            return False
        self.session.add(KeyResultSolution(key_result_id=key_result_id, solution_id=solution_id))
        self.session.flush()
        return True

    def unlink(self, key_result_id: int, solution_id: int) -> bool:
        """False when they were not linked."""
        gone = self.session.execute(
            delete(KeyResultSolution).where(
                KeyResultSolution.key_result_id == key_result_id,
                KeyResultSolution.solution_id == solution_id,
            )
        )
        return bool(gone.rowcount)  # type: ignore[attr-defined]

    def solution_exists(self, solution_id: int) -> bool:
        return self.session.get(Solution, solution_id) is not None

    def user_exists(self, user_id: int) -> bool:
        return self.session.get(User, user_id) is not None
