"""Where the product team's time goes: days logged (or estimated) per phase (discovery,
implementation, launch) by each product person, against the split the workspace intends."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from huddle.activity import record
from huddle.auth.actor import Actor
from huddle.auth.policies import may_administer, may_plan, may_read, require
from huddle.errors import Invalid, NotFound
from huddle.kit.time import utcnow
from huddle.launch.stages import PHASES
from huddle.models.launch import EffortEntry
from huddle.models.meta import WorkspaceMeta
from huddle.models.solution import Solution
from huddle.models.user import User

SPLIT_KEY = "launch.intended_split"
# Most of a product person's time belongs in discovery: a default, changed by an admin.
DEFAULT_SPLIT = {"discovery": 50.0, "implementation": 25.0, "launch": 25.0}
MAX_DAYS = 7.0  # in one entry (a week)


@dataclass(frozen=True)
class Spread:
    """Days per phase of one person (or everyone), and each phase's share of them."""

    name: str
    days: dict[str, float]

    @property
    def total(self) -> float:
        return sum(self.days.values())

    def share(self, phase: str) -> float:
        return self.days.get(phase, 0.0) / self.total if self.total else 0.0


@dataclass(frozen=True)
class EffortSummary:
    people: list[Spread]
    overall: Spread
    intended: dict[str, float]  # shares, summing to 1
    since: date | None

    def gap(self, phase: str) -> float:
        """The overall share minus the intended share (positive: more than intended)."""
        return self.overall.share(phase) - self.intended.get(phase, 0.0)


def intended_split(session: Session) -> dict[str, float]:
    meta = session.get(WorkspaceMeta, SPLIT_KEY)
    raw = {**DEFAULT_SPLIT, **(meta.value if meta else {})}
    total = sum(float(raw[p]) for p in PHASES) or 1.0
    return {p: float(raw[p]) / total for p in PHASES}


def set_intended_split(
    session: Session, *, split: dict[str, float], actor: Actor
) -> dict[str, float]:
    require(may_administer(actor))
    for phase in PHASES:
        value = split.get(phase)
        if value is None or not 0 <= value <= 100:
            raise Invalid(f"{phase}: a share from 0 to 100", field=phase)
    if sum(split[p] for p in PHASES) <= 0:
        raise Invalid("discovery: the shares cannot all be 0", field="discovery")
    meta = session.get(WorkspaceMeta, SPLIT_KEY) or WorkspaceMeta(key=SPLIT_KEY, value={})
    meta.value = {p: float(split[p]) for p in PHASES}
    session.add(meta)
    session.flush()
    return intended_split(session)


def log(
    session: Session,
    *,
    actor: Actor,
    phase: str,
    days: float,
    week_of: date | None = None,
    solution_id: int | None = None,
    user_id: int | None = None,
    estimated: bool = False,
    note: str = "",
) -> EffortEntry:
    """Days in a phase, for oneself (or, for an admin, for another product person)."""
    require(may_plan(actor))
    if phase not in PHASES:
        raise Invalid(f"phase: {phase!r} is not a phase (use {', '.join(PHASES)})", field="phase")
    if not 0 < days <= MAX_DAYS:
        raise Invalid(f"days: more than 0 and at most {MAX_DAYS:g} in one entry", field="days")
    if len(note) > 500:
        raise Invalid("note: at most 500 characters", field="note")
    person = actor.user
    if user_id is not None and user_id != actor.id:
        require(may_administer(actor))
        found = session.get(User, user_id)
        if found is None:
            raise Invalid(f"user_id: no user {user_id}", field="user_id")
        person = found
    if solution_id is not None and session.get(Solution, solution_id) is None:
        raise Invalid(f"solution_id: no solution {solution_id}", field="solution_id")
    today = utcnow().date()
    monday = (week_of or today) - timedelta(days=(week_of or today).weekday())
    entry = EffortEntry(
        user_id=person.id,
        solution_id=solution_id,
        phase=phase,
        days=float(days),
        week_of=monday,
        estimated=estimated,
        note=note.strip(),
    )
    session.add(entry)
    session.flush()
    record(
        session,
        actor,
        "effort.logged",
        entry,
        f"{days:g} days of {phase} for {person.name}" + (" (estimate)" if estimated else ""),
    )
    return entry


def delete(session: Session, *, entry_id: int, actor: Actor) -> None:
    require(may_plan(actor))
    entry = session.get(EffortEntry, entry_id)
    if entry is None:
        raise NotFound(f"no effort entry {entry_id}")
    if entry.user_id != actor.id:
        require(may_administer(actor))
    session.delete(entry)
    session.flush()


def summary(session: Session, *, actor: Actor, since: date | None = None) -> EffortSummary:
    require(may_read(actor))
    statement = select(EffortEntry)
    if since is not None:
        statement = statement.where(EffortEntry.week_of >= since)
    per_person: dict[int, dict[str, float]] = defaultdict(lambda: dict.fromkeys(PHASES, 0.0))
    names: dict[int, str] = {}
    overall = dict.fromkeys(PHASES, 0.0)
    for entry in session.scalars(statement).unique():
        per_person[entry.user_id][entry.phase] += entry.days
        overall[entry.phase] += entry.days
        names[entry.user_id] = entry.user.name
    people = sorted(
        (Spread(names[uid], days) for uid, days in per_person.items()), key=lambda s: s.name
    )
    return EffortSummary(
        people=people,
        overall=Spread("Everyone", overall),
        intended=intended_split(session),
        since=since,
    )


def chart(found: EffortSummary) -> dict[str, object]:
    """Vega-Lite: each person's (and everyone's) share per phase, beside the intended."""
    rows = [
        {"who": spread.name, "phase": phase, "share": round(spread.share(phase), 4)}
        for spread in [*found.people, found.overall]
        for phase in PHASES
    ] + [
        {"who": "Intended", "phase": phase, "share": round(found.intended[phase], 4)}
        for phase in PHASES
    ]
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "data": {"values": rows},
        "mark": "bar",
        "width": "container",
        "encoding": {
            "y": {"field": "who", "type": "nominal", "title": None, "sort": None},
            "x": {
                "field": "share",
                "type": "quantitative",
                "stack": "normalize",
                "axis": {"format": "%"},
                "title": "share of days",
            },
            "color": {
                "field": "phase",
                "type": "nominal",
                "sort": list(PHASES),
                "scale": {"domain": list(PHASES)},
            },
            "order": {"field": "phase"},
            "tooltip": [
                {"field": "who"},
                {"field": "phase"},
                {"field": "share", "format": ".0%"},
            ],
        },
    }
