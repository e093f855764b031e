"""What became of a suggestion that is no longer open, and where its evidence is now.

Suggestion ids are never reused, and a suggestion that rediscovery replaced is kept for a
while instead of deleted, so an old link can say what happened rather than 404 or show
another suggestion.
"""

from collections import Counter
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy.orm import Session

from huddle.auth.actor import Actor
from huddle.insights.repository import InsightRepository
from huddle.models.problem import Problem
from huddle.models.theme import Theme
from huddle.models.user import User
from huddle.problems import service as problems


@dataclass(frozen=True)
class Destination:
    """Where some of a suggestion's items are now."""

    kind: str  # suggestion, problem, duplicate, inbox
    id: int | None
    name: str
    count: int


@dataclass(frozen=True)
class Fate:
    status: str
    when: datetime | None
    by: str | None
    sentence: str  # completes "suggestion 12 …", for messages
    problem: tuple[int, str] | None  # the problem it was accepted as, or that absorbed it
    problem_merged: bool  # that problem was merged into `problem` since
    successors: list[tuple[int, str, str]]  # (id, label, status) of what it became
    destinations: list[Destination]


def fate(session: Session, *, theme: Theme, actor: Actor) -> Fate:
    repo = InsightRepository(session)
    # With the items linked or merged away while it was open, so none goes unaccounted.
    released = [int(i) for i in (theme.details or {}).get("released", [])]
    members = sorted(set(repo.member_ids([theme.id])[theme.id]) | set(released))
    found: Counter[tuple[str, int | None, str]] = Counter()
    for place in repo.whereabouts(actor, members).values():
        for theme_id, label in place.suggestions:
            if theme_id != theme.id:
                found["suggestion", theme_id, label] += 1
        for problem_id, title in place.problems:
            found["problem", problem_id, title] += 1
        if place.duplicate_of is not None:
            found["duplicate", None, "merged into other evidence as duplicates"] += 1
        if not place.suggestions and not place.problems and place.duplicate_of is None:
            found["inbox", None, "in the inbox, in no suggestion"] += 1
    destinations = [
        Destination(kind, id_, name, count) for (kind, id_, name), count in found.most_common()
    ]
    details = theme.details or {}
    successor_ids = {
        "merged": [details.get("merged_into")],
        "split": details.get("split_into", []),
        "replaced": [details.get("replaced_by")],
    }.get(theme.status, [])
    if theme.status == "merged" and "split_into" in details:  # splits made before "split"
        successor_ids = details["split_into"]
    successors = []
    for successor_id in successor_ids:
        successor = session.get(Theme, successor_id) if successor_id else None
        if successor is not None:
            successors.append((successor.id, successor.label, successor.status))
    problem = session.get(Problem, theme.problem_id) if theme.problem_id else None
    merged = False
    if problem is None and details.get("problem_id"):
        absorbed_by = problems.merged_into(session, problem_id=details["problem_id"], actor=actor)
        problem = session.get(Problem, absorbed_by) if absorbed_by else None
        merged = problem is not None
    user = session.get(User, theme.decided_by_id) if theme.decided_by_id else None
    fate = Fate(
        status=theme.status,
        when=theme.decided_at,
        by=user.name if user else None,
        sentence="",
        problem=(problem.id, problem.title) if problem else None,
        problem_merged=merged,
        successors=successors,
        destinations=destinations,
    )
    return replace(fate, sentence=_sentence(fate, theme))


def _sentence(fate: Fate, theme: Theme) -> str:
    on = f" on {fate.when:%d %b %Y %H:%M} UTC" if fate.when else ""
    by = f" by {fate.by}" if fate.by else ""
    named = " and ".join(f"suggestion {i} “{label}”" for i, label, _ in fate.successors)
    if fate.status == "accepted":
        if fate.problem and fate.problem_merged:
            return (
                f"was accepted{by}{on} as a problem since merged into problem "
                f"{fate.problem[0]} “{fate.problem[1]}”"
            )
        if fate.problem:
            return f"was accepted{by}{on} as problem {fate.problem[0]} “{fate.problem[1]}”"
        return f"was accepted{by}{on} as a problem that has since been merged or deleted"
    if fate.status == "rejected":
        return f"was rejected{by}{on}: discovery will not suggest this grouping again"
    if fate.status == "merged" and "split_into" not in (theme.details or {}):
        return f"was merged{by}{on} into {named or 'another suggestion'}"
    if fate.status in ("split", "merged"):
        return f"was split{by}{on} into {named or 'two suggestions'}"
    if fate.status == "replaced":
        where = f"; most of its items are now in {named}" if named else ""
        return f"was replaced by rediscovery{on}, which regrouped the evidence{where}"
    if fate.status == "closed":
        return f"was closed{on}: all its items were linked to problems or merged as duplicates"
    return f"is {fate.status}"
