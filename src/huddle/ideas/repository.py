from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from huddle.auth.actor import Actor
from huddle.auth.policies import may_read, require
from huddle.kit.bulk import in_lists
from huddle.models.account import Account
from huddle.models.feedback import Feedback
from huddle.models.meta import WorkspaceMeta
from huddle.models.problem import FeedbackLink, Problem, ProblemFigures
from huddle.models.solution import Solution, SolutionProblem


class SolutionRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, actor: Actor, solution_id: int) -> Solution | None:
        require(may_read(actor))
        return self.session.get(Solution, solution_id)

    def all(
        self, actor: Actor, *, product_area: str | None = None, problem_id: int | None = None
    ) -> Sequence[Solution]:
        require(may_read(actor))
        statement = select(Solution).order_by(Solution.id)
        if product_area:
            statement = statement.where(Solution.product_area == product_area)
        if problem_id is not None:
            statement = statement.where(
                Solution.id.in_(
                    select(SolutionProblem.solution_id).where(
                        SolutionProblem.problem_id == problem_id
                    )
                )
            )
        return self.session.scalars(statement).unique().all()

    def in_column(self, horizon: str) -> Sequence[Solution]:
        """The solutions of one column of the roadmap, in their order."""
        statement = (
            select(Solution)
            .where(Solution.horizon == horizon)
            .order_by(Solution.position, Solution.id)
        )
        return self.session.scalars(statement).unique().all()

    def add(self, solution: Solution) -> Solution:
        self.session.add(solution)
        self.session.flush()
        return solution

    def delete(self, solution: Solution) -> None:
        self.session.delete(solution)
        self.session.flush()

    def problem_ids(self, solution_ids: Collection[int]) -> dict[int, list[int]]:
        """The problems each solution addresses, in the order they were linked."""
        found: dict[int, list[int]] = {i: [] for i in solution_ids}
        for chunk in in_lists(sorted(solution_ids)):
            rows = self.session.execute(
                select(SolutionProblem.solution_id, SolutionProblem.problem_id)
                .where(SolutionProblem.solution_id.in_(chunk))
                .order_by(SolutionProblem.created_at, SolutionProblem.problem_id)
            )
            for solution_id, problem_id in rows:
                found[solution_id].append(problem_id)
        return found

    def set_problems(self, solution_id: int, problem_ids: Sequence[int]) -> None:
        self.session.execute(
            delete(SolutionProblem).where(
                SolutionProblem.solution_id == solution_id,
                SolutionProblem.problem_id.not_in(problem_ids),
            )
        )
        have = set(self.problem_ids([solution_id])[solution_id])
        for problem_id in problem_ids:
            if problem_id not in have:
                self.session.add(SolutionProblem(solution_id=solution_id, problem_id=problem_id))
        self.session.flush()

    def existing_problems(self, problem_ids: Collection[int]) -> set[int]:
        found: set[int] = set()
        for chunk in in_lists(sorted(problem_ids)):
            found.update(self.session.scalars(select(Problem.id).where(Problem.id.in_(chunk))))
        return found

    # -- kept figures (ideas/figures.py) ----------------------------------------------------

    def evidence_figures(self, problem_ids: Collection[int]) -> tuple[int, int, int]:
        """Distinct accounts, their ARR (minor units) and distinct items linked to any of
        `problem_ids`."""
        if not problem_ids:
            return 0, 0, 0
        chosen = sorted(problem_ids)
        linked = (
            select(FeedbackLink.feedback_id)
            .where(FeedbackLink.problem_id.in_(chosen))
            .distinct()
            .subquery()
        )
        mentions = self.session.scalar(select(func.count()).select_from(linked)) or 0
        accounts = (
            select(Feedback.account_id.label("account_id"))
            .join(FeedbackLink, FeedbackLink.feedback_id == Feedback.id)
            .where(FeedbackLink.problem_id.in_(chosen), Feedback.account_id.is_not(None))
            .distinct()
            .subquery()
        )
        count, arr = self.session.execute(
            select(func.count(Account.id), func.coalesce(func.sum(Account.arr_minor), 0)).join(
                accounts, accounts.c.account_id == Account.id
            )
        ).one()
        return int(count or 0), int(arr or 0), int(mentions)

    def stale_ids(self) -> list[int]:
        """Solutions whose problems' figures were written after the solution's were."""
        statement = (
            select(SolutionProblem.solution_id)
            .join(Solution, Solution.id == SolutionProblem.solution_id)
            .join(ProblemFigures, ProblemFigures.problem_id == SolutionProblem.problem_id)
            .where(
                (Solution.figures_at.is_(None))
                | (ProblemFigures.computed_at > Solution.figures_at)
                | ProblemFigures.stale.is_(True)
            )
            .distinct()
        )
        return sorted(self.session.scalars(statement))

    def all_ids(self) -> list[int]:
        return sorted(self.session.scalars(select(Solution.id)))

    def store_figures(self, solution_id: int, figures: tuple[int, int, int], at: datetime) -> None:
        solution = self.session.get(Solution, solution_id)
        if solution is None:
            return
        solution.accounts, solution.arr_minor, solution.mentions = figures
        solution.figures_at = at

    # -- the workspace's own framework -------------------------------------------------------

    def meta(self, key: str) -> dict[str, object] | None:
        row = self.session.get(WorkspaceMeta, key)
        return dict(row.value) if row is not None else None

    def set_meta(self, key: str, value: dict[str, object]) -> None:
        row = self.session.get(WorkspaceMeta, key)
        if row is None:
            self.session.add(WorkspaceMeta(key=key, value=value))
        else:
            row.value = value
        self.session.flush()
