"""The demo workspace has objectives worth opening: key results checked in over the last
weeks and linked to the demo's solutions."""

from datetime import UTC, datetime

from sqlalchemy.orm import Session

from huddle.demo import generator, loader
from huddle.plans import service
from tests.factories import actor

NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)


def test_the_demo_sets_objectives_with_check_ins_and_linked_solutions(session: Session) -> None:
    loader.load(session, generator.generate(3, now=NOW, accounts=12, feedback=80))
    items = service.objectives(session, actor=actor(session, "viewer"))
    assert len(items) == 3
    for item in items:
        assert 2 <= len(item.key_results) <= 3
        for kr in item.key_results:
            assert len(kr.check_ins) >= 3
            spread = kr.check_ins[-1].at - kr.check_ins[0].at
            assert spread.days >= 14
            assert kr.key_result.current_value == kr.check_ins[-1].value
            assert kr.solution_ids
            assert 0 < kr.progress < 1
    # A falling target among them: the report load time comes down.
    falling = [
        kr.key_result
        for item in items
        for kr in item.key_results
        if kr.key_result.target_value < kr.key_result.start_value
    ]
    assert falling
