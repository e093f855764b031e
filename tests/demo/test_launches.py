"""The demo shows delivery end to end: a solution in every stage, a launch with its full
go-to-market plan, experiments with results, and decisions with the evidence they saw."""

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from huddle.auth.actor import Actor
from huddle.demo import generator, loader
from huddle.launch import decisions, delivery, effort, plans, stages, trials
from huddle.models import Solution, User

NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)


def test_the_demo_shows_every_stage_a_full_launch_experiments_and_decisions(
    database_url: str, session: Session
) -> None:
    loader.load(session, generator.generate(3, now=NOW, accounts=12, feedback=80))
    pm = Actor(session.scalars(select(User).where(User.role == "pm")).first())  # type: ignore[arg-type]
    solutions = session.scalars(select(Solution)).all()
    assert {s.stage for s in solutions} == set(stages.ALL_STAGES)

    # At least one launch with a task for every team of the standard plan, all done.
    full = [
        plans.plan(session, solution_id=s.id, actor=pm)
        for s in solutions
        if s.stage in ("launched", "learning")
    ]
    standard_teams = {team for team, _ in plans.STANDARD_PLAN}
    assert any(
        standard_teams <= set(p.readiness.by_team) and p.readiness.done == p.readiness.total
        for p in full
    )
    # The launch being readied has a plan in progress, and a date on the calendar.
    ready = next(s for s in solutions if s.stage == "ready")
    progress = plans.readiness(session, solution_id=ready.id, actor=pm)
    assert 0 < progress.done < progress.total
    assert any(e.kind == "launch" for e in plans.calendar(session, actor=pm))

    analysed = [
        t for s in solutions for t in trials.for_solution(session, solution_id=s.id, actor=pm)
    ]
    assert analysed and all(t.analysis is not None for t in analysed)
    verdicts = [t.analysis.verdict for t in analysed if t.analysis]
    assert any(v.startswith("Supports shipping") for v in verdicts)
    assert any(v.startswith("No clear difference") for v in verdicts)

    made = decisions.search(session, actor=pm)
    assert {d.outcome for d, _ in made} == {"go", "no_go", "wait"}
    assert all(d.signed_off and d.evidence["experiments"] for d, _ in made)

    # Its tickets are all done: ready for the launch gate.
    assert delivery.links(session, solution_id=ready.id, actor=pm).all_done

    # What the launch in its learning stage taught the team is written down.
    learning = next(s for s in solutions if s.stage == "learning")
    assert "next bet" in learning.learned

    spread = effort.summary(session, actor=pm)
    assert len(spread.people) == 2 and spread.overall.total > 0
