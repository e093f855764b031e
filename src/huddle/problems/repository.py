from collections.abc import Sequence

from sqlalchemy import Select, delete, select, update
from sqlalchemy.orm import Session

from huddle.auth.actor import Actor
from huddle.auth.policies import may_read, require
from huddle.models.account import Account
from huddle.models.feedback import Feedback
from huddle.models.problem import FeedbackLink, Problem, ProblemMerge
from huddle.problems.severity import AccountFacts, Evidence


class ProblemRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def readable(self, actor: Actor) -> Select[Problem]:
        require(may_read(actor))
        return select(Problem)

    def get(self, actor: Actor, problem_id: int) -> Problem | None:
        return self.session.scalar(self.readable(actor).where(Problem.id == problem_id))

    def all(self, actor: Actor) -> Sequence[Problem]:
        return self.session.scalars(self.readable(actor).order_by(Problem.id)).all()

    def add(self, problem: Problem) -> Problem:
        self.session.add(problem)
        self.session.flush()
        return problem

    def record_merge(self, source_id: int, target_id: int) -> None:
        self.session.execute(
            update(ProblemMerge)
            .where(ProblemMerge.target_id == source_id)
            .values(target_id=target_id)
        )
        self.session.add(ProblemMerge(source_id=source_id, target_id=target_id))
        self.session.flush()

    def merged_into(self, actor: Actor, problem_id: int) -> int | None:
        require(may_read(actor))
        return self.session.scalar(
            select(ProblemMerge.target_id).where(ProblemMerge.source_id == problem_id)
        )

    def product_areas(self, actor: Actor) -> list[str]:
        require(may_read(actor))
        statement = select(Problem.product_area).where(Problem.product_area.is_not(None)).distinct()
        return sorted(area for area in self.session.scalars(statement) if area)

    def evidence(self, actor: Actor) -> list[Evidence]:
        require(may_read(actor))
        statement = select(
            FeedbackLink.problem_id,
            FeedbackLink.feedback_id,
            Feedback.occurred_at,
            Feedback.account_id,
            Feedback.sentiment,
        ).join(Feedback, Feedback.id == FeedbackLink.feedback_id)
        return [Evidence(*row) for row in self.session.execute(statement)]

    def account_facts(self, actor: Actor) -> dict[int, AccountFacts]:
        require(may_read(actor))
        statement = select(
            Account.id,
            Account.arr_minor,
            Account.segment,
            Account.at_risk,
            Account.renewal_date,
            Account.status,
        )
        return {
            row[0]: AccountFacts(row[1], row[2], row[3], row[4], row[5] == "churned")
            for row in self.session.execute(statement)
        }


class LinkRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def for_problems(self, actor: Actor, problem_ids: Sequence[int]) -> Sequence[FeedbackLink]:
        require(may_read(actor))
        statement = (
            select(FeedbackLink)
            .join(Feedback, Feedback.id == FeedbackLink.feedback_id)
            .where(FeedbackLink.problem_id.in_(list(problem_ids)))
            .order_by(Feedback.occurred_at.desc())
        )
        return self.session.scalars(statement).all()

    def existing(self, problem_id: int, feedback_ids: Sequence[int]) -> set[int]:
        statement = select(FeedbackLink.feedback_id).where(
            FeedbackLink.problem_id == problem_id, FeedbackLink.feedback_id.in_(list(feedback_ids))
        )
        return set(self.session.scalars(statement))

    def add_all(self, links: list[FeedbackLink]) -> None:
        self.session.add_all(links)
        self.session.flush()

    def remove(self, problem_id: int, feedback_ids: Sequence[int]) -> int:
        result = self.session.execute(
            delete(FeedbackLink).where(
                FeedbackLink.problem_id == problem_id,
                FeedbackLink.feedback_id.in_(list(feedback_ids)),
            )
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    def move(self, source_id: int, target_id: int) -> None:
        """Re-point every link of one problem to another, dropping pairs that already exist."""
        already = set(
            self.session.scalars(
                select(FeedbackLink.feedback_id).where(FeedbackLink.problem_id == target_id)
            )
        )
        for link in self.session.scalars(
            select(FeedbackLink).where(FeedbackLink.problem_id == source_id)
        ):
            if link.feedback_id in already:
                self.session.delete(link)
            else:
                link.problem_id = target_id
        self.session.flush()
