"""Writes a generated demo workspace into the database, replacing what the demo made before.

The demo never destroys real data: it refuses a database that holds anything it did not
create itself. After building, it records a fingerprint of the people's data (how many
rows each table holds, and the highest id); a later run replaces the workspace only while
that fingerprint still holds — nobody added a user, an account, evidence, a problem or a
link, or changed anything that leaves a trace in the activity log. `reset=True` (the CLI's
`--reset`) overrides.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from huddle.auth.passwords import hash_password
from huddle.demo.corpus_objectives import OBJECTIVES
from huddle.demo.corpus_solutions import QUESTIONS, ROADMAP, SOLUTIONS
from huddle.demo.generator import DEMO_PASSWORD, DemoWorkspace
from huddle.demo.launches import add_launches
from huddle.errors import Conflict
from huddle.feedback import intake
from huddle.ideas import approval
from huddle.ideas import figures as solution_figures
from huddle.imports.records import FeedbackRecord
from huddle.kit.time import current_quarter, shift_quarter, utcnow
from huddle.models import Base
from huddle.models.account import Account, Contact
from huddle.models.feedback import Feedback
from huddle.models.meta import WorkspaceMeta
from huddle.models.objective import CheckIn, KeyResult, KeyResultSolution, Objective
from huddle.models.problem import FeedbackLink, Problem, ProblemQuestion
from huddle.models.solution import Solution, SolutionProblem
from huddle.models.user import User
from huddle.plans.changelog import PUBLIC_KEY as PUBLIC_CHANGELOG
from huddle.plans.roadmap import PUBLIC_KEY as PUBLIC_ROADMAP


@dataclass(frozen=True)
class DemoSummary:
    company: str
    users: list[tuple[str, str, str]]
    accounts: int
    feedback: int
    problems: int
    links: int
    password: str


# Tables whose rows are somebody's data or work; the job queue, sessions and the theme
# engine's own output are not (a person's decisions on themes leave activity).
FINGERPRINTED = (
    "users",
    "api_tokens",
    "accounts",
    "account_keys",
    "contacts",
    "feedback",
    "problems",
    "feedback_links",
    "solutions",
    "import_runs",
    "activity",
)
DEMO_MARK = "demo"


class DemoRefused(Conflict):
    """The database holds data the demo did not create."""


def fingerprint(session: Session) -> dict[str, list[int]]:
    tables = {t.name: t for t in Base.metadata.sorted_tables}
    found = {}
    for name in FINGERPRINTED:
        table = tables[name]
        count, highest = session.execute(
            select(func.count(), func.max(table.c.id)).select_from(table)
        ).one()
        found[name] = [int(count), int(highest or 0)]
    return found


def foreign_data(session: Session) -> dict[str, int]:
    """Rows per table that the demo did not create (empty when it may replace everything)."""
    now = fingerprint(session)
    mark = session.get(WorkspaceMeta, DEMO_MARK)
    made = mark.value.get("fingerprint", {}) if mark is not None else {}
    foreign = {}
    for name, (count, highest) in now.items():
        was_count, was_highest = made.get(name, [0, 0])
        if (count, highest) != (was_count, was_highest):
            foreign[name] = max(count - was_count, 1) if count else 0
    return {name: n for name, n in foreign.items() if n}


def refuse_if_foreign(session: Session, where: str) -> None:
    foreign = foreign_data(session)
    if not foreign:
        return
    held = ", ".join(f"{n} {name.replace('_', ' ')}" for name, n in sorted(foreign.items()))
    raise DemoRefused(
        f"{where} holds data the demo did not create ({held}); the demo would erase it. "
        "Build the demo in its own database instead: huddle --db demo.db demo "
        "(or pass --reset to erase this one)."
    )


def remember(session: Session) -> None:
    """Record what the demo made, once its background work is done."""
    mark = session.get(WorkspaceMeta, DEMO_MARK) or WorkspaceMeta(key=DEMO_MARK, value={})
    mark.value = {"fingerprint": fingerprint(session), "at": utcnow().isoformat()}
    session.add(mark)
    session.flush()


def wipe(session: Session) -> None:
    for table in reversed(Base.metadata.sorted_tables):
        if table.name != "alembic_version":
            session.execute(delete(table))


def load(
    session: Session, workspace: DemoWorkspace, *, reset: bool = False, where: str = "The database"
) -> DemoSummary:
    if not reset:
        refuse_if_foreign(session, where)
    wipe(session)
    now = utcnow()
    # One hash for every demo login: Argon2 is slow by design, and the password is shared.
    password_hash = hash_password(DEMO_PASSWORD)
    session.execute(
        insert(User),
        [
            {
                "email": u.email,
                "name": u.name,
                "role": u.role,
                "team": u.team,
                "password_hash": password_hash,
                "is_active": True,
                "approves_for_sales": u.approves_for_sales,
                "created_at": now,
            }
            for u in workspace.users
        ],
    )
    users = {u.email: u.id for u in session.scalars(select(User))}
    session.execute(
        insert(Account),
        [
            {
                "name": a.name,
                "domain": a.domain,
                "segment": a.segment,
                "plan": a.plan,
                "arr_minor": a.arr_minor,
                "currency": a.currency,
                "owner_id": users.get(a.owner_email or ""),
                "status": a.status,
                "renewal_date": a.renewal_date,
                "at_risk": a.at_risk,
                "external_id": a.key,
                "created_at": now,
                "updated_at": now,
            }
            for a in workspace.accounts
        ],
    )
    accounts = {a.external_id: a.id for a in session.scalars(select(Account))}
    session.execute(
        insert(Contact),
        [
            {
                "account_id": accounts[a.key],
                "name": c.name,
                "email": c.email,
                "title": c.title,
                "created_at": now,
            }
            for a in workspace.accounts
            for c in a.contacts
        ],
    )
    problem_ids: dict[str, int] = {}
    pending = list(workspace.problems)
    # Parents first, so a child can point at its parent's id.
    while pending:
        ready = [p for p in pending if p.parent_key is None or p.parent_key in problem_ids]
        if not ready:
            raise ValueError("demo problems have a cycle of parents")
        for p in ready:
            problem = Problem(
                title=p.title,
                description=p.description,
                product_area=p.product_area,
                status=p.status,
                parent_id=problem_ids.get(p.parent_key or ""),
                created_by_id=_first_pm(workspace, users),
            )
            session.add(problem)
            session.flush()
            problem_ids[p.key] = problem.id
        pending = [p for p in pending if p.key not in problem_ids]
    # The demo's evidence comes in the way all evidence does: masked, scored, embedded.
    taken = intake.take_in(
        session,
        [
            FeedbackRecord(
                line=n,
                text=f.text,
                source=f.source,
                occurred_at=f.occurred_at,
                external_id=f.key,
                title=f.title,
                account_ref=f.account_key,
                contact_email=f.contact_email,
                submitter_email=f.submitter_email,
                team=f.team,
                tags=list(f.tags),
            )
            for n, f in enumerate(workspace.feedback, start=1)
        ],
        origin="demo",
        namespace="",
        channel="demo",
    )
    if taken.errors:
        raise ValueError(f"the demo generator made bad evidence: {taken.errors[:3]}")
    feedback_ids = {
        key: fid for key, fid in session.execute(select(Feedback.external_id, Feedback.id))
    }
    pm = _first_pm(workspace, users)
    links = [
        {
            "feedback_id": feedback_ids[f.key],
            "problem_id": problem_ids[link.problem_key],
            "quote": link.quote,
            "linked_by_id": pm,
            "created_at": _after(f.occurred_at, now),
        }
        for f in workspace.feedback
        for link in f.links
    ]
    if links:
        session.execute(insert(FeedbackLink), links)
    session.flush()
    solution_ids = _add_solutions(session, problem_ids, pm)
    for key, asked in QUESTIONS.items():
        if key in problem_ids:
            session.add_all(
                ProblemQuestion(problem_id=problem_ids[key], text=text, created_by_id=pm)
                for text in asked
            )
    _add_objectives(session, solution_ids, pm, now)
    _plan_roadmap(session, solution_ids, workspace, users, now)
    add_launches(session, solution_ids, now)
    return DemoSummary(
        company=workspace.company,
        users=[(u.email, u.role, u.team) for u in workspace.users],
        accounts=len(workspace.accounts),
        feedback=taken.created,
        problems=len(problem_ids),
        links=len(links),
        password=DEMO_PASSWORD,
    )


def _add_solutions(session: Session, problem_ids: dict[str, int], pm: int | None) -> dict[str, int]:
    """What the product team is weighing, with its evidence figures counted; their ids by
    title."""
    made = []
    for s in SOLUTIONS:
        solution = Solution(
            title=s.title,
            description=s.description,
            internal_notes=s.internal_notes,
            product_area=s.product_area,
            value_tags=list(s.value_tags),
            created_by_id=pm,
            owner_id=pm,
            criteria={},
            **s.estimates,
        )
        session.add(solution)
        session.flush()
        made.append(solution.id)
        for key in s.problems:
            if key in problem_ids:
                session.add(SolutionProblem(solution_id=solution.id, problem_id=problem_ids[key]))
    session.flush()
    solution_figures.write(session, made)
    titles = {s.title for s in SOLUTIONS}
    return {
        title: sid
        for sid, title in session.execute(select(Solution.id, Solution.title))
        if title in titles
    }


def _add_objectives(
    session: Session, solution_ids: dict[str, int], pm: int | None, now: datetime
) -> None:
    """This quarter's objectives, their key results checked in over the last weeks."""
    period = current_quarter(now.date())
    for o in OBJECTIVES:
        objective = Objective(
            title=o.title,
            description=o.description,
            period=period,
            status=o.status,
            owner_id=pm,
            created_by_id=pm,
        )
        session.add(objective)
        session.flush()
        for k in o.key_results:
            key_result = KeyResult(
                objective_id=objective.id,
                title=k.title,
                unit=k.unit,
                start_value=k.start,
                target_value=k.target,
                current_value=k.check_ins[-1][1],
            )
            session.add(key_result)
            session.flush()
            for weeks, value, note in k.check_ins:
                at = now - timedelta(weeks=weeks, hours=2)
                session.add(
                    CheckIn(key_result_id=key_result.id, value=value, at=at, by_id=pm, note=note)
                )
            for title in k.solutions:
                session.add(
                    KeyResultSolution(key_result_id=key_result.id, solution_id=solution_ids[title])
                )
    session.flush()


def _plan_roadmap(
    session: Session,
    solution_ids: dict[str, int],
    workspace: DemoWorkspace,
    users: dict[str, int],
    now: datetime,
) -> None:
    """The roadmap: columns, commitments and quarters, and what sales leadership approved."""
    approver = next((users[u.email] for u in workspace.users if u.approves_for_sales), None)
    positions: dict[str, int] = {}
    for title, plan in ROADMAP.items():
        solution = session.get(Solution, solution_ids[title])
        if solution is None:
            continue
        positions[plan.horizon] = positions.get(plan.horizon, 0) + 1
        solution.horizon = plan.horizon
        solution.position = float(positions[plan.horizon])
        solution.commitment = "exploring" if plan.sales == "changed" else plan.commitment
        solution.quarter = (
            shift_quarter(current_quarter(now.date()), plan.quarter)
            if plan.quarter is not None
            else None
        )
        solution.public = plan.public
        if plan.sales is not None and approver is not None:
            shown = approval.shown_to_sales(solution)
            shared = shown["quarter"] if plan.sales == "quarter" else None
            solution.sales_approved = {**shown, "shared_quarter": shared}
            solution.sales_approved_hash = approval.fingerprint(shown)
            solution.sales_approved_by_id = approver
            solution.sales_approved_at = now - timedelta(days=9)
        solution.commitment = plan.commitment
        if plan.commitment == "shipped":
            solution.shipped_at = now - timedelta(days=40)
    session.add(WorkspaceMeta(key=PUBLIC_ROADMAP, value={"enabled": True}))
    session.add(WorkspaceMeta(key=PUBLIC_CHANGELOG, value={"enabled": True}))
    session.flush()


def _first_pm(workspace: DemoWorkspace, users: dict[str, int]) -> int | None:
    return next((users[u.email] for u in workspace.users if u.role == "pm"), None)


def _after(moment: datetime, now: datetime) -> datetime:
    return min(moment, now)
