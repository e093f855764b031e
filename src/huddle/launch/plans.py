"""A launch's go-to-market plan: tasks with an owning team (and person) and a due day,
readiness at a glance, the standard plan in one click, and the launch calendar of every
planned launch and its tasks."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from huddle.activity import record
from huddle.auth.actor import Actor
from huddle.auth.policies import may_plan, may_read, require
from huddle.errors import Invalid, NotFound
from huddle.kit.time import utcnow
from huddle.launch.repository import LaunchRepository
from huddle.models.enums import Team
from huddle.models.launch import LaunchTask
from huddle.models.solution import Solution
from huddle.models.user import User

TEAMS = (*(t.value for t in Team), "legal")
# The plan most launches need, one task per team that takes part (docs/launch.md).
STANDARD_PLAN = (
    ("sales", "Sales enablement: pitch, demo script, objection handling"),
    ("support", "Support docs and macros"),
    ("marketing", "Announcement: blog post, email, in-app message"),
    ("finance", "Pricing and packaging agreed"),
    ("legal", "Legal review: terms, privacy, claims"),
    ("product", "Release notes and changelog entry"),
)


@dataclass(frozen=True)
class Readiness:
    done: int
    total: int
    late: int
    by_team: dict[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def share(self) -> float:
        return self.done / self.total if self.total else 0.0


@dataclass(frozen=True)
class Plan:
    solution: Solution
    tasks: list[LaunchTask]
    readiness: Readiness


def _solution(session: Session, actor: Actor, solution_id: int) -> Solution:
    found = LaunchRepository(session).solution(actor, solution_id)
    if found is None:
        raise NotFound(f"no solution {solution_id}")
    return found


def _tasks(session: Session, solution_id: int) -> list[LaunchTask]:
    statement = (
        select(LaunchTask)
        .where(LaunchTask.solution_id == solution_id)
        .order_by(
            LaunchTask.due_on.is_(None), LaunchTask.due_on, LaunchTask.position, LaunchTask.id
        )
    )
    return list(session.scalars(statement).unique())


def _readiness(tasks: list[LaunchTask], today: date | None = None) -> Readiness:
    today = today or utcnow().date()
    by_team: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for task in tasks:
        by_team[task.team][1] += 1
        by_team[task.team][0] += int(task.done)
    return Readiness(
        done=sum(t.done for t in tasks),
        total=len(tasks),
        late=sum(1 for t in tasks if not t.done and t.due_on is not None and t.due_on < today),
        by_team={team: (d, n) for team, (d, n) in sorted(by_team.items())},
    )


def plan(session: Session, *, solution_id: int, actor: Actor) -> Plan:
    solution = _solution(session, actor, solution_id)
    tasks = _tasks(session, solution.id)
    return Plan(solution=solution, tasks=tasks, readiness=_readiness(tasks))


def readiness(session: Session, *, solution_id: int, actor: Actor) -> Readiness:
    return plan(session, solution_id=solution_id, actor=actor).readiness


def _owner(session: Session, owner_id: int | None) -> User | None:
    if owner_id is None:
        return None
    user = session.get(User, owner_id)
    if user is None or not user.is_active:
        raise Invalid(f"owner_id: no active user {owner_id}", field="owner_id")
    return user


def _check_team(team: str) -> str:
    team = team.strip().lower()
    if team not in TEAMS:
        raise Invalid(f"team: {team!r} is not a team (use {', '.join(TEAMS)})", field="team")
    return team


def add_task(
    session: Session,
    *,
    solution_id: int,
    title: str,
    team: str,
    actor: Actor,
    owner_id: int | None = None,
    due_on: date | None = None,
) -> LaunchTask:
    require(may_plan(actor))
    solution = _solution(session, actor, solution_id)
    title = title.strip()
    if not title:
        raise Invalid("title: say what must be done", field="title")
    if len(title) > 200:
        raise Invalid("title: at most 200 characters", field="title")
    team = _check_team(team)
    owner = _owner(session, owner_id)
    last = session.scalar(
        select(func.max(LaunchTask.position)).where(LaunchTask.solution_id == solution.id)
    )
    task = LaunchTask(
        solution_id=solution.id,
        title=title,
        team=team,
        owner_id=owner.id if owner else None,
        due_on=due_on,
        position=(last or 0.0) + 1.0,
    )
    session.add(task)
    session.flush()
    record(session, actor, "launch.task_added", solution, f"Launch task ({team}): {title}")
    return task


def add_standard_plan(session: Session, *, solution_id: int, actor: Actor) -> list[LaunchTask]:
    """The standard plan's tasks the solution does not have yet (by title): adding it twice
    adds nothing the second time."""
    require(may_plan(actor))
    solution = _solution(session, actor, solution_id)
    have = {t.title for t in _tasks(session, solution.id)}
    due = solution.launch_on
    return [
        add_task(session, solution_id=solution.id, title=title, team=team, due_on=due, actor=actor)
        for team, title in STANDARD_PLAN
        if title not in have
    ]


def _task(session: Session, actor: Actor, task_id: int) -> LaunchTask:
    require(may_read(actor))
    task = session.get(LaunchTask, task_id)
    if task is None:
        raise NotFound(f"no launch task {task_id}")
    return task


def update_task(
    session: Session,
    *,
    task_id: int,
    actor: Actor,
    done: bool | None = None,
    title: str | None = None,
    team: str | None = None,
    owner_id: int | None = None,
    clear_owner: bool = False,
    due_on: date | None = None,
    clear_due: bool = False,
) -> LaunchTask:
    require(may_plan(actor))
    task = _task(session, actor, task_id)
    if title is not None:
        if not title.strip():
            raise Invalid("title: say what must be done", field="title")
        task.title = title.strip()[:200]
    if team is not None:
        task.team = _check_team(team)
    if owner_id is not None or clear_owner:
        owner = _owner(session, owner_id)
        task.owner_id = owner.id if owner else None
    if due_on is not None or clear_due:
        task.due_on = due_on
    if done is not None and done != task.done:
        task.done = done
        task.done_at = utcnow() if done else None
        solution = session.get_one(Solution, task.solution_id)
        verb = "done" if done else "reopened"
        record(session, actor, f"launch.task_{verb}", solution, f"Launch task {verb}: {task.title}")
    session.flush()
    return task


def delete_task(session: Session, *, task_id: int, actor: Actor) -> int:
    require(may_plan(actor))
    task = _task(session, actor, task_id)
    solution_id = task.solution_id
    session.delete(task)
    session.flush()
    return solution_id


def set_launch_date(
    session: Session, *, solution_id: int, launch_on: date | None, actor: Actor
) -> Solution:
    require(may_plan(actor))
    solution = _solution(session, actor, solution_id)
    solution.launch_on = launch_on
    record(
        session,
        actor,
        "launch.date_set",
        solution,
        f"Launch planned for {launch_on.isoformat()}" if launch_on else "Launch date cleared",
    )
    session.flush()
    return solution


# -- the launch calendar ---------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarEntry:
    day: date
    kind: str  # launch, task
    solution_id: int
    solution_title: str
    title: str
    team: str | None = None
    owner: str | None = None
    done: bool = False
    stage: str | None = None


def calendar(
    session: Session, *, actor: Actor, start: date | None = None, end: date | None = None
) -> list[CalendarEntry]:
    """Planned launches and their tasks' due days, in order, within [start, end]."""
    require(may_read(actor))
    solutions = {s.id: s for s in LaunchRepository(session).solutions(actor)}
    found: list[CalendarEntry] = []
    for s in solutions.values():
        if s.launch_on is not None:
            found.append(
                CalendarEntry(s.launch_on, "launch", s.id, s.title, s.title, stage=s.stage)
            )
    tasks = session.scalars(select(LaunchTask).where(LaunchTask.due_on.is_not(None))).unique()
    for t in tasks:
        s = solutions[t.solution_id]
        assert t.due_on is not None
        found.append(
            CalendarEntry(
                t.due_on,
                "task",
                s.id,
                s.title,
                t.title,
                team=t.team,
                owner=t.owner.name if t.owner else None,
                done=t.done,
            )
        )
    found = [
        e for e in found if (start is None or e.day >= start) and (end is None or e.day <= end)
    ]
    return sorted(found, key=lambda e: (e.day, e.kind != "launch", e.solution_title, e.title))
