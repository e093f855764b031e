"""A solution's way through delivery: discovery → planning → implementation → ready →
launched → learning, or set aside (parked, stopped).

Each stage has a gate: the workspace's checklist a solution passes to leave it. Moving
forward past a gate with open items is allowed (people decide, not checklists) but needs a
reason, kept in the activity log with the items that were open.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from huddle.activity import record
from huddle.auth.actor import Actor
from huddle.auth.policies import may_plan, require
from huddle.errors import Invalid, NotFound
from huddle.kit.time import utcnow
from huddle.launch.repository import LaunchRepository
from huddle.models.launch import GateCheck, GateItem
from huddle.models.meta import WorkspaceMeta
from huddle.models.solution import Solution

STAGES = ("discovery", "planning", "implementation", "ready", "launched", "learning")
SET_ASIDE = ("parked", "stopped")
ALL_STAGES = STAGES + SET_ASIDE
STAGE_LABELS = {s: s.capitalize() for s in ALL_STAGES}
# The product team's three phases of work (effort, responsibilities).
PHASES = ("discovery", "implementation", "launch")
PHASE_OF = {
    "discovery": "discovery",
    "planning": "discovery",
    "implementation": "implementation",
    "ready": "implementation",
    "launched": "launch",
    "learning": "launch",
}
GATES = STAGES[:-1]  # learning is the last stage: nothing to pass
# What a solution passes to leave each stage, until the workspace changes it (docs/launch.md).
DEFAULT_GATES = {
    "discovery": (
        "Problem validated with at least 5 accounts",
        "Evidence linked to the problems it addresses",
        "Success metric chosen",
    ),
    "planning": (
        "Scope agreed with engineering",
        "Design reviewed with users",
        "Risks and dependencies listed",
    ),
    "implementation": (
        "All delivery tickets done",
        "Tested with a design partner",
        "Docs ready",
    ),
    "ready": (
        "Sales enablement done",
        "Support docs and macros ready",
        "Announcement ready",
        "Go decision recorded",
    ),
    "launched": ("Results measured against the success metric",),
}
GATES_WRITTEN = "launch.gates"


@dataclass(frozen=True)
class GateLine:
    item: GateItem
    done: bool
    checked_by: str | None = None
    checked_at: datetime | None = None


@dataclass(frozen=True)
class Gate:
    stage: str
    lines: list[GateLine]

    @property
    def open(self) -> list[GateLine]:
        return [line for line in self.lines if not line.done]

    @property
    def passed(self) -> bool:
        return not self.open


@dataclass(frozen=True)
class Move:
    at: datetime
    before: str
    after: str
    reason: str
    open_items: list[str]
    by: str | None


@dataclass(frozen=True)
class StageView:
    solution: Solution
    gate: Gate | None  # the gate of its current stage; None once learning or set aside
    history: list[Move]

    @property
    def next_stage(self) -> str | None:
        stage = self.solution.stage
        if stage in STAGES and stage != STAGES[-1]:
            return STAGES[STAGES.index(stage) + 1]
        return None


def ensure_default_gates(session: Session) -> None:
    """Write the default checklists the first time a workspace uses gates (a migration
    cannot: the demo and `--reset` empty every table). Once written, what the workspace
    removes stays removed."""
    if session.get(WorkspaceMeta, GATES_WRITTEN) is not None:
        return
    session.add(WorkspaceMeta(key=GATES_WRITTEN, value={"at": utcnow().isoformat()}))
    for stage, labels in DEFAULT_GATES.items():
        for position, label in enumerate(labels, start=1):
            session.add(GateItem(stage=stage, label=label, position=float(position)))
    session.flush()


def _solution(session: Session, actor: Actor, solution_id: int) -> Solution:
    found = LaunchRepository(session).solution(actor, solution_id)
    if found is None:
        raise NotFound(f"no solution {solution_id}")
    return found


def gate(session: Session, *, solution_id: int, stage: str, actor: Actor) -> Gate:
    ensure_default_gates(session)
    repository = LaunchRepository(session)
    checks = repository.checks(actor, solution_id)
    lines = []
    for item in repository.gate_items(actor, stage):
        check = checks.get(item.id)
        done = check is not None and check.done
        lines.append(
            GateLine(
                item=item,
                done=done,
                checked_by=check.checked_by.name if done and check and check.checked_by else None,
                checked_at=check.checked_at if done and check else None,
            )
        )
    return Gate(stage=stage, lines=lines)


def view(session: Session, *, solution_id: int, actor: Actor) -> StageView:
    solution = _solution(session, actor, solution_id)
    repository = LaunchRepository(session)
    history = [
        Move(
            at=a.at,
            before=str(a.data.get("before", "")),
            after=str(a.data.get("after", "")),
            reason=str(a.data.get("reason", "")),
            open_items=[str(i) for i in a.data.get("open_items", [])],
            by=a.actor.name if a.actor else None,
        )
        for a in repository.stage_history(actor, solution_id)
    ]
    current = (
        gate(session, solution_id=solution_id, stage=solution.stage, actor=actor)
        if solution.stage in GATES
        else None
    )
    return StageView(solution=solution, gate=current, history=history)


def set_check(
    session: Session, *, solution_id: int, gate_item_id: int, done: bool, actor: Actor
) -> GateLine:
    require(may_plan(actor))
    solution = _solution(session, actor, solution_id)
    repository = LaunchRepository(session)
    item = repository.gate_item(actor, gate_item_id)
    if item is None:
        raise NotFound(f"no gate item {gate_item_id}")
    check = repository.check(solution.id, item.id)
    if check is None:
        check = GateCheck(solution_id=solution.id, gate_item_id=item.id)
        session.add(check)
    check.done = done
    check.checked_by_id = actor.id
    check.checked_at = utcnow()
    record(
        session,
        actor,
        "gate.checked" if done else "gate.unchecked",
        solution,
        f"{'Ticked' if done else 'Unticked'} “{item.label}” ({item.stage} gate)",
        gate_item_id=item.id,
    )
    session.flush()
    return GateLine(item=item, done=done, checked_by=actor.user.name, checked_at=check.checked_at)


MAX_LEARNED = 10_000


def record_learning(session: Session, *, solution_id: int, text: str, actor: Actor) -> Solution:
    """What the launch taught the team (the results against the hypothesis, what customers
    said, what to do next): written once the solution has launched; kept in the log."""
    require(may_plan(actor))
    solution = _solution(session, actor, solution_id)
    if solution.stage not in ("launched", "learning"):
        raise Invalid(
            f"learned: write what was learned once it has launched (it is in "
            f"{STAGE_LABELS.get(solution.stage, solution.stage).lower()})",
            field="learned",
        )
    cleaned = text.strip()
    if len(cleaned) > MAX_LEARNED:
        raise Invalid(f"learned: at most {MAX_LEARNED:,} characters", field="learned")
    if cleaned != solution.learned:
        solution.learned = cleaned
        session.flush()
        record(session, actor, "learned", solution, f"what was learned: {cleaned[:200]}")
    return solution


def move(session: Session, *, solution_id: int, to: str, actor: Actor, reason: str = "") -> Move:
    """Move a solution to stage `to`. Forward past gates with open items, or aside (parked,
    stopped), needs a reason; nothing changes without one."""
    require(may_plan(actor))
    if to not in ALL_STAGES:
        raise Invalid(f"stage: {to!r} is not a stage (use {', '.join(ALL_STAGES)})", field="stage")
    solution = _solution(session, actor, solution_id)
    reason = reason.strip()
    before = solution.stage
    if to == before:
        raise Invalid(f"stage: the solution is already {to}", field="stage")
    open_items: list[str] = []
    if before in STAGES and to in STAGES and STAGES.index(to) > STAGES.index(before):
        for passed in STAGES[STAGES.index(before) : STAGES.index(to)]:
            found = gate(session, solution_id=solution.id, stage=passed, actor=actor)
            open_items += [f"{passed}: {line.item.label}" for line in found.open]
    if open_items and not reason:
        raise Invalid(
            f"reason: {len(open_items)} gate item{'s are' if len(open_items) > 1 else ' is'} "
            f"still open ({'; '.join(open_items[:5])}): say why it moves on anyway",
            field="reason",
        )
    if to in SET_ASIDE and not reason:
        raise Invalid(f"reason: say why the solution is {to}", field="reason")
    solution.stage = to
    solution.stage_changed_at = utcnow()
    summary = f"Moved from {before} to {to}" + (f": {reason}" if reason else "")
    record(
        session,
        actor,
        "stage.moved",
        solution,
        summary,
        before=before,
        after=to,
        reason=reason,
        open_items=open_items,
    )
    session.flush()
    return Move(
        at=solution.stage_changed_at,
        before=before,
        after=to,
        reason=reason,
        open_items=open_items,
        by=actor.user.name,
    )


# -- the workspace's checklists --------------------------------------------------------------


def gate_items(session: Session, *, actor: Actor) -> dict[str, list[GateItem]]:
    ensure_default_gates(session)
    items = LaunchRepository(session).gate_items(actor)
    return {stage: [i for i in items if i.stage == stage] for stage in GATES}


def add_gate_item(session: Session, *, stage: str, label: str, actor: Actor) -> GateItem:
    require(may_plan(actor))
    ensure_default_gates(session)
    if stage not in GATES:
        raise Invalid(f"stage: {stage!r} has no gate (use {', '.join(GATES)})", field="stage")
    label = label.strip()
    if not label:
        raise Invalid("label: say what must be done", field="label")
    if len(label) > 200:
        raise Invalid("label: at most 200 characters", field="label")
    last = session.scalar(select(func.max(GateItem.position)).where(GateItem.stage == stage))
    item = GateItem(stage=stage, label=label, position=(last or 0.0) + 1.0)
    session.add(item)
    session.flush()
    record(session, actor, "gate.item_added", item, f"{stage} gate: {label}")
    return item


def remove_gate_item(session: Session, *, item_id: int, actor: Actor) -> None:
    require(may_plan(actor))
    item = LaunchRepository(session).gate_item(actor, item_id)
    if item is None:
        raise NotFound(f"no gate item {item_id}")
    record(session, actor, "gate.item_removed", item, f"{item.stage} gate: {item.label}")
    session.delete(item)
    session.flush()


def counts_by_stage(session: Session, *, actor: Actor) -> dict[str, int]:
    solutions = LaunchRepository(session).solutions(actor)
    found = dict.fromkeys(ALL_STAGES, 0)
    for solution in solutions:
        found[solution.stage] = found.get(solution.stage, 0) + 1
    return found
