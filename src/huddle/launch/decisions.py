"""Go/no-go decisions: the decision, its reasons, who signed off and who was consulted, a
day to review the outcome, and the evidence as it stood (stage and gate, launch plan
readiness, experiment results, open risks), kept as it was even when the evidence later
changes. Recording one tells the workspace's webhook (`decision.made`)."""

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from huddle import jobs
from huddle.activity import record
from huddle.auth.actor import Actor
from huddle.auth.policies import may_plan, require
from huddle.errors import Invalid, NotFound
from huddle.launch import plans, stages, trials
from huddle.launch.repository import LaunchRepository
from huddle.models.launch import Decision
from huddle.models.solution import Solution

OUTCOMES = {"go": "Go", "no_go": "No-go", "wait": "Not yet"}
# notify/tasks.py handles it; named here so launch/ does not import notify/.
DECISION_TASK = "notify.decision_made"


def _solution(session: Session, actor: Actor, solution_id: int) -> Solution:
    found = LaunchRepository(session).solution(actor, solution_id)
    if found is None:
        raise NotFound(f"no solution {solution_id}")
    return found


def evidence(session: Session, *, solution_id: int, actor: Actor) -> dict[str, Any]:
    """The evidence a decision would keep, now."""
    found = stages.view(session, solution_id=solution_id, actor=actor)
    gate = found.gate
    ready = plans.readiness(session, solution_id=solution_id, actor=actor)
    return {
        "stage": found.solution.stage,
        "gate": {
            "stage": gate.stage if gate else None,
            "done": len(gate.lines) - len(gate.open) if gate else 0,
            "total": len(gate.lines) if gate else 0,
            "open": [line.item.label for line in gate.open] if gate else [],
        },
        "launch_plan": {"done": ready.done, "total": ready.total, "late": ready.late},
        "experiments": [
            trials.summary(t)
            for t in trials.for_solution(session, solution_id=solution_id, actor=actor)
        ],
    }


def _people(session: Session, ids: Sequence[int], field: str) -> list[dict[str, Any]]:
    found = LaunchRepository(session).users(list(dict.fromkeys(ids)))
    missing = [i for i in ids if i not in found]
    if missing:
        raise Invalid(f"{field}: no user {missing[0]}", field=field)
    return [{"id": found[i].id, "name": found[i].name} for i in dict.fromkeys(ids)]


def record_decision(
    session: Session,
    *,
    solution_id: int,
    outcome: str,
    reasons: str,
    actor: Actor,
    risks: str = "",
    signed_off_ids: Sequence[int] = (),
    consulted_ids: Sequence[int] = (),
    review_on: date | None = None,
) -> Decision:
    require(may_plan(actor))
    solution = _solution(session, actor, solution_id)
    if outcome not in OUTCOMES:
        raise Invalid(
            f"decision: {outcome!r} is not a decision (use go, no_go or wait)", field="decision"
        )
    reasons = reasons.strip()
    if not reasons:
        raise Invalid(
            "reasons: say why; a decision without its reasons teaches nothing", field="reasons"
        )
    if len(reasons) > 20_000 or len(risks) > 20_000:
        raise Invalid("reasons: at most 20,000 characters", field="reasons")
    signed = _people(session, signed_off_ids, "signed_off")
    consulted = _people(session, consulted_ids, "consulted")
    decision = Decision(
        solution_id=solution.id,
        outcome=outcome,
        reasons=reasons,
        risks=risks.strip(),
        evidence=evidence(session, solution_id=solution.id, actor=actor),
        decided_by_id=actor.id,
        signed_off=signed,
        consulted=consulted,
        review_on=review_on,
    )
    session.add(decision)
    session.flush()
    record(
        session,
        actor,
        "decision.made",
        solution,
        f"{OUTCOMES[outcome]}: {reasons}",
        decision_id=decision.id,
    )
    jobs.defer(session, DECISION_TASK, ids=[decision.id])
    return decision


def get(session: Session, *, decision_id: int, actor: Actor) -> Decision:
    found = LaunchRepository(session).decision(actor, decision_id)
    if found is None:
        raise NotFound(f"no decision {decision_id}")
    return found


def search(
    session: Session,
    *,
    actor: Actor,
    text: str | None = None,
    outcome: str | None = None,
    solution_id: int | None = None,
) -> list[tuple[Decision, Solution]]:
    repository = LaunchRepository(session)
    found = repository.decisions(actor, solution_id=solution_id, text=text, outcome=outcome)
    return [(d, session.get_one(Solution, d.solution_id)) for d in found]
