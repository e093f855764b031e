"""Problems a team can own: an owner, followers, comments; and deleting a problem, which
sends its evidence back to the inbox."""

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from huddle.activity import record
from huddle.auth.actor import Actor
from huddle.auth.policies import may_comment, may_read, may_triage, require
from huddle.auth.repository import UserRepository
from huddle.errors import Invalid
from huddle.models.enums import Role
from huddle.models.problem import ProblemComment, ProblemQuestion
from huddle.models.user import User
from huddle.problems.repository import ProblemRepository, TeamRepository
from huddle.problems.service import get_problem

MAX_COMMENT = 10_000


@dataclass(frozen=True)
class People:
    owner: User | None
    followers: list[User]


def people(session: Session, *, problem_id: int, actor: Actor) -> People:
    """Who answers for the problem, and who follows it (the former owners among them)."""
    problem = get_problem(session, problem_id=problem_id, actor=actor)
    found = TeamRepository(session).people(actor, problem.id)
    return People(
        owner=next((p.user for p in found if p.role == "owner"), None),
        followers=[p.user for p in found if p.role == "follower"],
    )


def comments(
    session: Session, *, problem_id: int, actor: Actor, limit: int | None = None, offset: int = 0
) -> Sequence[ProblemComment]:
    """The problem's comments, oldest first."""
    problem = get_problem(session, problem_id=problem_id, actor=actor)
    return TeamRepository(session).comments(actor, problem.id, limit=limit, offset=offset)


def comment(session: Session, *, problem_id: int, body: str, actor: Actor) -> ProblemComment:
    """Anyone who may add evidence may comment; viewers read."""
    require(may_comment(actor))
    problem = get_problem(session, problem_id=problem_id, actor=actor)
    text = body.replace("\x00", "").strip()
    if not text:
        raise Invalid("the comment is empty", field="body")
    if len(text) > MAX_COMMENT:
        raise Invalid(f"a comment holds at most {MAX_COMMENT} characters", field="body")
    made = TeamRepository(session).add_comment(
        ProblemComment(problem_id=problem.id, author_id=actor.id, body=text)
    )
    record(session, actor, "commented", problem, f"commented: {text[:80]}")
    return made


def set_owner(session: Session, *, problem_id: int, user_id: int | None, actor: Actor) -> None:
    """The one person who answers for the problem (a PM or an admin), or none."""
    require(may_triage(actor))
    problem = get_problem(session, problem_id=problem_id, actor=actor)
    team = TeamRepository(session)
    current = team.owner(problem.id)
    if current is not None and current.user_id == user_id:
        return
    user = None
    if user_id is not None:
        user = UserRepository(session).get(user_id)
        if user is None or not user.is_active or Role(user.role).rank < Role.pm.rank:
            raise Invalid("the owner must be an active PM or admin", field="user_id")
    if current is not None:
        current.role = "follower"  # a former owner keeps hearing about it
    if user is None:
        record(session, actor, "unowned", problem, "no owner now")
        session.flush()
        return
    team.put(problem.id, user.id, "owner")
    record(session, actor, "owned", problem, f"owner: {user.name}")


def follow(session: Session, *, problem_id: int, actor: Actor, on: bool) -> None:
    """Follow a problem to hear when it changes; stop following. The owner stays owner."""
    require(may_read(actor))
    problem = get_problem(session, problem_id=problem_id, actor=actor)
    team = TeamRepository(session)
    found = team.person(problem.id, actor.id)
    if on and found is None:
        team.put(problem.id, actor.id, "follower")
    elif not on and found is not None and found.role == "follower":
        team.remove(found)


def delete_problem(session: Session, *, problem_id: int, actor: Actor) -> int:
    """Delete a problem; its evidence goes back to the inbox (unless linked elsewhere), the
    problems below it move up to its parent. Returns how many items it held."""
    require(may_triage(actor))
    problem = get_problem(session, problem_id=problem_id, actor=actor)
    problems = ProblemRepository(session)
    held = problems.link_count(problem.id)
    for child in problems.children(actor, problem.id):
        child.parent_id = problem.parent_id
    record(session, actor, "deleted", problem, f"deleted “{problem.title}” ({held} items back)")
    session.delete(problem)
    session.flush()
    return held


def questions_of(session: Session, problem_ids: list[int]) -> dict[int, list[ProblemQuestion]]:
    """The "dig deeper" questions attached to each problem, in the order they were asked."""
    found: dict[int, list[ProblemQuestion]] = {i: [] for i in problem_ids}
    for question in TeamRepository(session).questions(problem_ids):
        found[question.problem_id].append(question)
    return found
