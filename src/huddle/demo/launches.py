"""Writes the demo's launches (corpus_launch.py) through the launch services, so stages,
gates, decisions and their evidence are exactly what a person would have produced."""

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from huddle.auth.actor import Actor
from huddle.demo.corpus_launch import EFFORT, LAUNCHES, DemoLaunch
from huddle.launch import decisions, delivery, effort, plans, raci, stages, trials
from huddle.launch.experiments import Variant
from huddle.models.launch import Decision
from huddle.models.user import User


def add_launches(session: Session, solution_ids: dict[str, int], now: datetime) -> None:
    people = {u.email.split("@")[0]: u for u in session.scalars(select(User)).unique()}
    pm = Actor(people["priya"])
    stages.ensure_default_gates(session)
    raci.ensure_defaults(session)
    for title, launch in LAUNCHES.items():
        if title in solution_ids:
            _launch(session, solution_ids[title], launch, people, pm, now)
    _effort(session, people, now)


def _walk(session: Session, solution_id: int, launch: DemoLaunch, pm: Actor) -> None:
    """Through each gate to the launch's stage, ticking its items but those left open."""
    target = launch.stage if launch.stage in stages.STAGES else "discovery"
    for stage in stages.STAGES[: stages.STAGES.index(target)]:
        gate = stages.gate(session, solution_id=solution_id, stage=stage, actor=pm)
        left = launch.left_open.get(stage, ())
        for n, line in enumerate(gate.lines, start=1):
            if n not in left:
                stages.set_check(
                    session, solution_id=solution_id, gate_item_id=line.item.id, done=True, actor=pm
                )
        reason = launch.reason if left else ""
        stages.move(
            session,
            solution_id=solution_id,
            to=stages.STAGES[stages.STAGES.index(stage) + 1],
            reason=reason,
            actor=pm,
        )
    if target in stages.GATES:
        gate = stages.gate(session, solution_id=solution_id, stage=target, actor=pm)
        for line in gate.lines[: launch.ticked_now]:
            stages.set_check(
                session, solution_id=solution_id, gate_item_id=line.item.id, done=True, actor=pm
            )


def _launch(
    session: Session,
    solution_id: int,
    launch: DemoLaunch,
    people: dict[str, User],
    pm: Actor,
    now: datetime,
) -> None:
    for e in launch.experiments:
        trials.create(
            session,
            solution_id=solution_id,
            name=e.name,
            hypothesis=e.hypothesis,
            primary_metric=e.metric,
            variants=[Variant(*arm) for arm in e.arms],
            actor=pm,
        )
    launch_day = (
        now.date() + timedelta(days=launch.launch_in_days)
        if launch.launch_in_days is not None
        else None
    )
    if launch_day is not None:
        plans.set_launch_date(session, solution_id=solution_id, launch_on=launch_day, actor=pm)
        for t in launch.tasks:
            task = plans.add_task(
                session,
                solution_id=solution_id,
                title=t.title,
                team=t.team,
                owner_id=people[t.owner].id if t.owner else None,
                due_on=launch_day + timedelta(days=t.due_in_days),
                actor=pm,
            )
            if t.done:
                plans.update_task(session, task_id=task.id, done=True, actor=pm)
    for url, status, done in launch.tickets:
        ticket = delivery.add_link(session, solution_id=solution_id, url=url, actor=pm)
        ticket.status, ticket.done, ticket.status_at = status, done, now - timedelta(days=2)
    # Decisions before the last move: they saw the solution as it stood then.
    stopping = launch.stage in stages.SET_ASIDE
    if not stopping and launch.stage in ("launched", "learning"):
        _walk(
            session,
            solution_id,
            DemoLaunch(
                stage="ready", left_open=launch.left_open, reason=launch.reason, ticked_now=99
            ),
            pm,
        )
    else:
        _walk(session, solution_id, launch, pm)
    for d in launch.decisions:
        made = decisions.record_decision(
            session,
            solution_id=solution_id,
            outcome=d.outcome,
            reasons=d.reasons,
            risks=d.risks,
            signed_off_ids=[people[p].id for p in d.signed_off],
            consulted_ids=[people[p].id for p in d.consulted],
            review_on=(now + timedelta(days=d.review_in_days - d.days_ago)).date()
            if d.review_in_days is not None
            else None,
            actor=pm,
        )
        session.get_one(Decision, made.id).created_at = now - timedelta(days=d.days_ago)
    if stopping:
        stages.move(
            session,
            solution_id=solution_id,
            to=launch.stage,
            reason=launch.set_aside_reason,
            actor=pm,
        )
    elif launch.stage in ("launched", "learning"):
        stages.move(session, solution_id=solution_id, to="launched", actor=pm)
        if launch.stage == "learning":
            gate = stages.gate(session, solution_id=solution_id, stage="launched", actor=pm)
            for line in gate.lines:
                stages.set_check(
                    session, solution_id=solution_id, gate_item_id=line.item.id, done=True, actor=pm
                )
            stages.move(session, solution_id=solution_id, to="learning", actor=pm)
            if launch.learned:
                stages.record_learning(
                    session, solution_id=solution_id, text=launch.learned, actor=pm
                )
    session.flush()


def _effort(session: Session, people: dict[str, User], now: datetime) -> None:
    for name, (discovery, implementation, launch) in EFFORT.items():
        actor = Actor(people[name])
        for week in range(12):
            day = (now - timedelta(weeks=week)).date()
            # A little week-to-week variation, the same every run.
            wobble = ((week * 7 + len(name)) % 5 - 2) * 0.25
            for phase, days in (
                ("discovery", discovery + wobble),
                ("implementation", implementation - wobble / 2),
                ("launch", launch - wobble / 2),
            ):
                if days > 0:
                    effort.log(session, actor=actor, phase=phase, days=round(days, 2), week_of=day)
