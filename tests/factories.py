"""Plain builders of test data; each writes through the ORM and flushes."""

import itertools
from datetime import UTC, date, datetime
from functools import lru_cache

import numpy as np
from argon2 import PasswordHasher
from sqlalchemy.orm import Session

from huddle.auth.actor import Actor
from huddle.insights.embedding import pack_vector
from huddle.models.account import Account
from huddle.models.feedback import Feedback
from huddle.models.meta import WorkspaceMeta
from huddle.models.objective import KeyResult, Objective
from huddle.models.problem import FeedbackLink, Problem
from huddle.models.solution import Solution, SolutionProblem
from huddle.models.theme import Theme, ThemeMember
from huddle.models.user import User

PASSWORD = "correct horse battery"
_counter = itertools.count(1)


@lru_cache
def _password_hash() -> str:
    # Argon2 is slow on purpose; test users get cheap parameters (verify reads them from the hash).
    return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(PASSWORD)


def create_user(
    session: Session,
    *,
    role: str = "pm",
    team: str = "product",
    email: str | None = None,
    name: str | None = None,
    approves_for_sales: bool = False,
) -> User:
    n = next(_counter)
    user = User(
        email=email or f"{role}{n}@example.com",
        name=name or f"{role.title()} {n}",
        role=role,
        team=team,
        password_hash=_password_hash(),
        is_active=True,
        approves_for_sales=approves_for_sales,
    )
    session.add(user)
    session.flush()
    return user


def actor(session: Session, role: str = "pm", team: str = "product") -> Actor:
    return Actor(user=create_user(session, role=role, team=team))


def create_account(
    session: Session,
    *,
    name: str | None = None,
    arr: int = 10_000_00,
    segment: str | None = "Mid-market",
    at_risk: bool = False,
    renewal: date | None = None,
    domain: str | None = None,
    status: str = "customer",
    external_id: str | None = None,
) -> Account:
    n = next(_counter)
    account = Account(
        name=name or f"Account {n}",
        domain=domain,
        segment=segment,
        arr_minor=arr,
        currency="USD",
        at_risk=at_risk,
        renewal_date=renewal,
        status=status,
        external_id=external_id,
    )
    session.add(account)
    session.flush()
    return account


def create_feedback(
    session: Session,
    *,
    text: str = "The export to Excel drops the cost centre column",
    account: Account | None = None,
    submitter: User | None = None,
    source: str = "call",
    occurred_at: datetime | None = None,
    team: str | None = None,
) -> Feedback:
    item = Feedback(
        text=text,
        source=source,
        origin="test",
        account_id=account.id if account else None,
        submitter_id=submitter.id if submitter else None,
        team=team or (submitter.team if submitter else None),
        occurred_at=occurred_at or datetime.now(UTC),
        tags=[],
    )
    session.add(item)
    session.flush()
    return item


def create_problem(
    session: Session,
    *,
    title: str | None = None,
    parent: Problem | None = None,
    status: str = "new",
) -> Problem:
    problem = Problem(
        title=title or f"Problem {next(_counter)}",
        description="",
        status=status,
        parent_id=parent.id if parent else None,
    )
    session.add(problem)
    session.flush()
    return problem


def link(
    session: Session, feedback: Feedback, problem: Problem, quote: str | None = None
) -> FeedbackLink:
    item = FeedbackLink(feedback_id=feedback.id, problem_id=problem.id, quote=quote)
    session.add(item)
    session.flush()
    return item


def create_theme(session: Session, *members: Feedback, size: int = 4, seed: int = 0) -> Theme:
    """An open suggestion over the given evidence, topped up to `size` items with vectors."""
    rng = np.random.default_rng(seed + next(_counter))
    items = list(members)
    while len(items) < size:
        items.append(create_feedback(session, text=f"Exports are slow, case {next(_counter)}"))
    base = rng.normal(size=384)
    for item in items:
        vector = base + rng.normal(scale=0.3, size=384)
        item.embedding = pack_vector(vector / np.linalg.norm(vector))
    theme = Theme(
        label="slow exports",
        terms=["exports", "slow"],
        status="open",
        centroid=pack_vector(base / np.linalg.norm(base)),
    )
    session.add(theme)
    session.flush()
    for n, item in enumerate(items):
        session.add(
            ThemeMember(
                theme_id=theme.id,
                feedback_id=item.id,
                confidence=0.9 - n / 100,
                representative=n < 2,
            )
        )
    session.flush()
    return theme


def create_solution(
    session: Session,
    *,
    title: str | None = None,
    problems: tuple[Problem, ...] = (),
    **estimates: float | None,
) -> Solution:
    """A solution addressing `problems`, with these estimates (its figures are counted by the
    service, not here: zero until something writes them)."""
    solution = Solution(title=title or f"Solution {next(_counter)}", description="", **estimates)
    session.add(solution)
    session.flush()
    for problem in problems:
        session.add(SolutionProblem(solution_id=solution.id, problem_id=problem.id))
    session.flush()
    return solution


def define_custom_framework(session: Session) -> None:
    """The workspace's own framework: two criteria, no formula."""
    value = {
        "criteria": [
            {"name": "fit", "label": "Strategic fit", "weight": 2, "low": 1, "high": 5},
            {
                "name": "cost",
                "label": "Cost",
                "weight": 1,
                "low": 1,
                "high": 5,
                "higher_is_better": False,
            },
        ],
        "formula": None,
    }
    found = session.get(WorkspaceMeta, "scoring.custom")
    if found is None:
        session.add(WorkspaceMeta(key="scoring.custom", value=value))
    else:
        found.value = value
    session.flush()


def create_objective(
    session: Session,
    *,
    title: str | None = None,
    period: str = "2027-Q1",
    key_results: tuple[tuple[float, float, float], ...] = (),
) -> Objective:
    """An objective with key results given as (start, target, current), no check-ins."""
    objective = Objective(title=title or f"Objective {next(_counter)}", period=period)
    session.add(objective)
    session.flush()
    for n, (start, target, current) in enumerate(key_results, start=1):
        session.add(
            KeyResult(
                objective_id=objective.id,
                title=f"Key result {n}",
                start_value=start,
                target_value=target,
                current_value=current,
            )
        )
    session.flush()
    return objective


def first_key_result(session: Session, objective: Objective) -> KeyResult:
    from sqlalchemy import select

    found = session.scalars(
        select(KeyResult).where(KeyResult.objective_id == objective.id).order_by(KeyResult.id)
    ).first()
    assert found is not None
    return found
