"""Contributor impact: what each person's evidence led to, and who keeps the product team
informed.

For the evidence a person added in a period (by when it was added): how much of it backs a
problem, how many problems it backs and how many of those the product team validated,
planned or solved, how many shipped solutions address them, and how many accounts it came
from.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from huddle.auth.actor import Actor
from huddle.auth.policies import may_read, require
from huddle.kit.bulk import in_lists
from huddle.kit.time import utcnow
from huddle.models.feedback import Feedback
from huddle.models.problem import FeedbackLink, Problem
from huddle.models.solution import Solution, SolutionProblem
from huddle.models.user import User

ACTED_ON = ("validated", "planned", "solved")


@dataclass
class Impact:
    user: User
    items: int = 0
    linked: int = 0
    problems: set[int] = field(default_factory=set)
    acted_on: set[int] = field(default_factory=set)
    shipped: set[int] = field(default_factory=set)
    accounts: set[int] = field(default_factory=set)

    @property
    def linked_share(self) -> float:
        return self.linked / self.items if self.items else 0.0


def impact(
    session: Session,
    *,
    actor: Actor,
    days: int = 90,
    user_id: int | None = None,
    now: datetime | None = None,
) -> list[Impact]:
    """Each contributor's impact over the last `days` (or one person's), most items backing
    a problem first."""
    require(may_read(actor))
    since = (now or utcnow()) - timedelta(days=days)
    statement = select(Feedback.id, Feedback.submitter_id, Feedback.account_id).where(
        Feedback.submitter_id.is_not(None), Feedback.created_at >= since
    )
    if user_id is not None:
        statement = statement.where(Feedback.submitter_id == user_id)
    rows = session.execute(statement).all()
    by_user: dict[int, list[tuple[int, int | None]]] = defaultdict(list)
    for feedback_id, submitter_id, account_id in rows:
        if submitter_id is not None:
            by_user[submitter_id].append((feedback_id, account_id))
    problems_of: dict[int, set[int]] = defaultdict(set)
    for chunk in in_lists(sorted(feedback_id for feedback_id, _, _ in rows)):
        for feedback_id, problem_id in session.execute(
            select(FeedbackLink.feedback_id, FeedbackLink.problem_id).where(
                FeedbackLink.feedback_id.in_(chunk)
            )
        ):
            problems_of[feedback_id].add(problem_id)
    backed = {p for found in problems_of.values() for p in found}
    status: dict[int, str] = {}
    for chunk in in_lists(sorted(backed)):
        for problem_id, value in session.execute(
            select(Problem.id, Problem.status).where(Problem.id.in_(chunk))
        ):
            status[problem_id] = value
    shipped_for: dict[int, set[int]] = defaultdict(set)
    for chunk in in_lists(sorted(backed)):
        for problem_id, solution_id in session.execute(
            select(SolutionProblem.problem_id, SolutionProblem.solution_id)
            .join(Solution, Solution.id == SolutionProblem.solution_id)
            .where(SolutionProblem.problem_id.in_(chunk), Solution.commitment == "shipped")
        ):
            shipped_for[problem_id].add(solution_id)
    users = {u.id: u for u in session.scalars(select(User).where(User.id.in_(by_user)))}
    found = []
    for submitter_id, items in by_user.items():
        if submitter_id not in users:
            continue
        entry = Impact(users[submitter_id], items=len(items))
        for feedback_id, account_id in items:
            linked = problems_of.get(feedback_id, set())
            entry.linked += bool(linked)
            entry.problems |= linked
            if account_id:
                entry.accounts.add(account_id)
        entry.acted_on = {p for p in entry.problems if status.get(p) in ACTED_ON}
        entry.shipped = {s for p in entry.problems for s in shipped_for.get(p, set())}
        found.append(entry)
    return sorted(found, key=lambda e: (-e.linked, -e.items, e.user.name))
