"""Who is responsible, accountable, consulted and informed for each activity of each
phase: the workspace's matrix (defaults written on first use), shown on every solution."""

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from huddle.activity import record
from huddle.auth.actor import Actor
from huddle.auth.policies import may_plan, may_read, require
from huddle.errors import Invalid, NotFound
from huddle.kit.time import utcnow
from huddle.launch.stages import PHASES
from huddle.models.launch import RaciActivity
from huddle.models.meta import WorkspaceMeta

RACI_WRITTEN = "launch.raci"
ROLES = ("responsible", "accountable", "consulted", "informed")
# (phase, activity, R, A, C, I): teams by default; a workspace names people where it wants.
DEFAULT_RACI = (
    (
        "discovery",
        "Validate the problem with customers",
        "PM",
        "Head of product",
        "Sales, support",
        "Engineering",
    ),
    ("discovery", "Size the opportunity", "PM", "Head of product", "Finance, sales", "Leadership"),
    (
        "discovery",
        "Agree scope and approach",
        "PM, engineering lead",
        "Head of product",
        "Design",
        "Sales, support",
    ),
    (
        "implementation",
        "Build and test",
        "Engineering",
        "Engineering lead",
        "PM, design",
        "Support",
    ),
    (
        "implementation",
        "Run the experiment",
        "PM",
        "Head of product",
        "Data, engineering",
        "Leadership",
    ),
    (
        "implementation",
        "Go/no-go decision",
        "PM",
        "Head of product",
        "Sales, support, engineering",
        "Everyone",
    ),
    ("launch", "Sales enablement", "Product marketing", "Head of sales", "PM", "Account owners"),
    ("launch", "Support docs and macros", "Support", "Head of support", "PM", "Sales"),
    ("launch", "Announcement", "Marketing", "Head of marketing", "PM, legal", "Everyone"),
    ("launch", "Measure results and learn", "PM", "Head of product", "Data", "Leadership"),
)


def ensure_defaults(session: Session) -> None:
    if session.get(WorkspaceMeta, RACI_WRITTEN) is not None:
        return
    session.add(WorkspaceMeta(key=RACI_WRITTEN, value={"at": utcnow().isoformat()}))
    for position, (phase, activity, r, a, c, i) in enumerate(DEFAULT_RACI, start=1):
        session.add(
            RaciActivity(
                phase=phase,
                activity=activity,
                responsible=r,
                accountable=a,
                consulted=c,
                informed=i,
                position=float(position),
            )
        )
    session.flush()


def matrix(session: Session, *, actor: Actor) -> dict[str, list[RaciActivity]]:
    require(may_read(actor))
    ensure_defaults(session)
    rows = session.scalars(select(RaciActivity).order_by(RaciActivity.position, RaciActivity.id))
    found: dict[str, list[RaciActivity]] = {phase: [] for phase in PHASES}
    for row in rows:
        found.setdefault(row.phase, []).append(row)
    return found


def _clean(values: dict[str, str | None]) -> dict[str, str]:
    cleaned = {}
    for name, value in values.items():
        if value is None:
            continue
        text = value.strip()
        if len(text) > 200:
            raise Invalid(f"{name}: at most 200 characters", field=name)
        cleaned[name] = text
    return cleaned


def update(
    session: Session, *, activity_id: int, actor: Actor, **values: str | None
) -> RaciActivity:
    require(may_plan(actor))
    ensure_defaults(session)
    row = session.get(RaciActivity, activity_id)
    if row is None:
        raise NotFound(f"no RACI activity {activity_id}")
    changes = _clean({k: v for k, v in values.items() if k in (*ROLES, "activity")})
    if "activity" in changes and not changes["activity"]:
        raise Invalid("activity: name the activity", field="activity")
    if "accountable" in changes and not changes["accountable"]:
        raise Invalid("accountable: someone is accountable for every activity", field="accountable")
    for name, value in changes.items():
        setattr(row, name, value)
    record(session, actor, "raci.updated", row, f"RACI of “{row.activity}” changed", **changes)
    session.flush()
    return row


def add(
    session: Session, *, phase: str, activity: str, actor: Actor, **values: str
) -> RaciActivity:
    require(may_plan(actor))
    ensure_defaults(session)
    if phase not in PHASES:
        raise Invalid(f"phase: {phase!r} is not a phase (use {', '.join(PHASES)})", field="phase")
    cleaned = _clean({"activity": activity, **{k: v for k, v in values.items() if k in ROLES}})
    if not cleaned["activity"]:
        raise Invalid("activity: name the activity", field="activity")
    last = session.scalar(select(func.max(RaciActivity.position)))
    row = RaciActivity(phase=phase, position=(last or 0.0) + 1.0, **cleaned)
    session.add(row)
    session.flush()
    record(session, actor, "raci.added", row, f"RACI activity “{row.activity}” added")
    return row


def remove(session: Session, *, activity_id: int, actor: Actor) -> None:
    require(may_plan(actor))
    ensure_defaults(session)
    row = session.get(RaciActivity, activity_id)
    if row is None:
        raise NotFound(f"no RACI activity {activity_id}")
    record(session, actor, "raci.removed", row, f"RACI activity “{row.activity}” removed")
    session.delete(row)
    session.flush()
