"""Theme discovery, matching, duplicates: the rules, over the vectors the repository loads.

Discovery itself is in `rediscovery.py`; what became of a closed suggestion in `fate.py`.
"""

from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from huddle.activity import record
from huddle.auth.actor import Actor
from huddle.auth.policies import may_administer, may_triage, require
from huddle.errors import Conflict, Invalid, NotFound
from huddle.insights import search, vector_index
from huddle.insights import themes as engine
from huddle.insights.calibration import hint_threshold
from huddle.insights.embedding import get_default_embedder, pack_vector
from huddle.insights.fate import Fate, fate
from huddle.insights.labels import label_themes
from huddle.insights.rediscovery import REPRESENTATIVES, DiscoveryOutcome, discover
from huddle.insights.repository import InsightRepository, ThemeReach
from huddle.insights.schemas import Quote, ThemeRead
from huddle.insights.similarity import DUPLICATE_THRESHOLD, MATCH_THRESHOLD
from huddle.kit.text import printable
from huddle.kit.time import utcnow
from huddle.models.feedback import Feedback
from huddle.models.problem import FeedbackLink
from huddle.models.theme import Theme, ThemeMember, ThemeRejection
from huddle.problems import service as problems
from huddle.problems.schemas import ProblemCreate

__all__ = [
    "AcceptOutcome",
    "DiscoveryOutcome",
    "Fate",
    "NotOpen",
    "accept",
    "discover",
    "fate",
    "merge",
    "reject",
    "reject_items",
    "rename",
    "split",
]

# Matching confidence is the margin of the best problem over the runner-up (similarity.py).
# At or above LINK it is linked without asking (95.7% precision on held-out Banking77);
# between SUGGEST and LINK it waits in the inbox with the problem suggested. SUGGEST is where
# at least half of such suggestions were right on held-out data (calibration.py).
LINK_CONFIDENCE = MATCH_THRESHOLD
SUGGEST_CONFIDENCE = hint_threshold()
DUPLICATE_SIMILARITY = DUPLICATE_THRESHOLD
DUPLICATE_WINDOW_DAYS = 31
DUPLICATE_NEIGHBOURS = 64


@dataclass(frozen=True)
class AcceptOutcome:
    problem_id: int
    linked: int
    # Items already linked to another problem or merged as duplicates: left where they are.
    skipped: int


class NotOpen(Conflict):
    """The suggestion was decided or replaced meanwhile; the message says what became of it."""

    def __init__(self, theme: Theme, what: Fate) -> None:
        super().__init__(f"Suggestion {theme.id} {what.sentence}.")
        self.theme_id = theme.id


def _claim(session: Session, actor: Actor, theme_ids: Sequence[int], *, curate: bool) -> None:
    """Hold the suggestions for this action; refused when one is no longer open.

    A rediscovery running at the same moment finishes first; the action then sees what it
    made of the suggestion (usually the same suggestion, carried on under its id)."""
    require(may_triage(actor))
    repo = InsightRepository(session)
    for theme_id in theme_ids:
        if repo.theme(actor, theme_id) is None:
            raise NotFound(f"no suggestion {theme_id}")
    if not repo.claim_open(theme_ids, curate=curate):
        for theme_id in theme_ids:
            theme = repo.theme(actor, theme_id)
            if theme is not None and theme.status != "open":
                raise NotOpen(theme, fate(session, theme=theme, actor=actor))


def _theme(session: Session, actor: Actor, theme_id: int) -> Theme:
    theme = InsightRepository(session).theme(actor, theme_id)
    assert theme is not None
    return theme


def _decide(theme: Theme, actor: Actor, status: str) -> None:
    theme.status = status
    theme.decided_by_id = actor.id
    theme.decided_at = utcnow()


def accept(
    session: Session,
    *,
    theme_id: int,
    actor: Actor,
    title: str | None = None,
    product_area: str | None = None,
) -> AcceptOutcome:
    """The suggestion becomes a problem with its evidence linked.

    Items linked to another problem meanwhile (by a person, by matching) or merged as
    duplicates stay where they are: accepting never gives evidence a second problem."""
    _claim(session, actor, [theme_id], curate=False)
    theme = _theme(session, actor, theme_id)
    name = printable(title or theme.label).strip()
    if not name:
        raise Invalid("the problem needs a title", field="title")
    members = [m.feedback_id for m in theme.members]
    settled = InsightRepository(session).settled(members)
    free = [i for i in members if i not in settled]
    if not free:
        raise Invalid(
            "every item of this suggestion is already linked to a problem or merged as a "
            "duplicate; there is nothing left to accept"
        )
    problem = problems.create_problem(
        session, data=ProblemCreate(title=name[:200], product_area=product_area), actor=actor
    )
    # Decided before linking: linking takes evidence out of open suggestions, not this one.
    _decide(theme, actor, "accepted")
    theme.problem_id = problem.id
    # Kept apart from problem_id, which a merge of that problem empties: the page can then
    # follow the merge to the problem that absorbed it.
    theme.details = {**(theme.details or {}), "problem_id": problem.id}
    session.flush()
    linked = problems.link_feedback(session, problem_id=problem.id, feedback_ids=free, actor=actor)
    note = f" ({len(settled)} already linked elsewhere, left there)" if settled else ""
    record(
        session, actor, "accepted", theme, f"accepted suggestion “{theme.label}” as “{name}”{note}"
    )
    return AcceptOutcome(problem_id=problem.id, linked=linked, skipped=len(settled))


def rename(session: Session, *, theme_id: int, label: str, actor: Actor) -> Theme:
    require(may_triage(actor))
    label = printable(label).strip()
    if not label:
        raise Invalid("a name cannot be empty", field="label")
    _claim(session, actor, [theme_id], curate=True)
    theme = _theme(session, actor, theme_id)
    theme.label = label[:200]
    session.flush()
    record(session, actor, "renamed", theme, f"renamed suggestion to “{theme.label}”")
    return theme


def open_theme_named(session: Session, *, label: str, actor: Actor) -> int | None:
    """The open suggestion whose label is exactly `label` (ignoring case), if only one is."""
    found = InsightRepository(session).open_theme_ids_labelled(actor, label)
    return found[0] if len(found) == 1 else None


def merge(session: Session, *, theme_id: int, into_id: int, actor: Actor) -> Theme:
    require(may_triage(actor))
    if theme_id == into_id:
        raise Invalid("a suggestion cannot be merged into itself", field="into_id")
    _claim(session, actor, [theme_id, into_id], curate=True)
    source, target = _theme(session, actor, theme_id), _theme(session, actor, into_id)
    present = {m.feedback_id for m in target.members}
    moved = sorted({m.feedback_id for m in source.members} - present)
    for member in list(source.members):
        if member.feedback_id not in present:
            target.members.append(
                ThemeMember(
                    feedback_id=member.feedback_id,
                    confidence=member.confidence,
                    representative=False,
                )
            )
    target.details = {
        **(target.details or {}),
        "taken_out": sorted(_taken_out(target) | _taken_out(source)),
    }
    _recentre(session, target)
    _decide(source, actor, "merged")
    # What the merge added to the target, so that it can be taken back exactly.
    source.details = {"merged_into": target.id, "moved": moved}
    session.flush()
    record(
        session,
        actor,
        "merged",
        target,
        f"merged suggestion “{source.label}” into “{target.label}”",
    )
    return target


def split(session: Session, *, theme_id: int, actor: Actor) -> list[Theme]:
    """Cut one suggestion in two along its own structure; both halves are kept as cut."""
    require(may_triage(actor))
    theme = InsightRepository(session).theme(actor, theme_id)
    if theme is not None and theme.status == "open" and len(theme.members) < 4:
        raise Invalid("a suggestion needs at least 4 items to split")
    _claim(session, actor, [theme_id], curate=False)
    theme = _theme(session, actor, theme_id)
    ids = [m.feedback_id for m in theme.members]
    repo = InsightRepository(session)
    vectors = repo.vectors_for(ids)
    if len(vectors) < 4:
        raise Invalid("a suggestion needs at least 4 items to split")
    texts = repo.texts(ids)
    groups = engine.split_theme(vectors.matrix)
    cuts = []
    for group in sorted(set(groups.tolist())):
        rows = [n for n, g in enumerate(groups.tolist()) if g == group]
        centre = vectors.matrix[rows].mean(axis=0)
        closeness = (
            vectors.matrix[rows] @ (centre / max(float(np.linalg.norm(centre)), 1e-9))
        ).tolist()
        cuts.append(
            (rows, centre, closeness, sorted(range(len(rows)), key=lambda n: -closeness[n]))
        )
    names = label_themes(
        [[texts[int(vectors.ids[rows[n]])] for n in order] for rows, _, _, order in cuts],
        np.vstack([centre for _, centre, _, _ in cuts]),
        get_default_embedder(),
    )
    now = utcnow()
    halves = []
    cut: list[dict[str, object]] = []
    for (rows, centre, closeness, order), named in zip(cuts, names, strict=True):
        half = Theme(
            run_id=theme.run_id,
            label=named.label,
            terms=list(named.terms),
            status="open",
            centroid=pack_vector(centre),
            curated_at=now,
            details={"split_from": theme.id, "taken_out": sorted(_taken_out(theme))},
        )
        session.add(half)
        session.flush()
        for rank, n in enumerate(order):
            session.add(
                ThemeMember(
                    theme_id=half.id,
                    feedback_id=int(vectors.ids[rows[n]]),
                    confidence=round(float(closeness[n]), 4),
                    representative=rank < REPRESENTATIVES,
                )
            )
        halves.append(half)
        cut.append(
            {"id": half.id, "label": half.label, "members": sorted(vectors.ids[rows].tolist())}
        )
    _decide(theme, actor, "split")
    # The halves' own record of the moment a person last shaped them: the split can be taken
    # back while it is still this one (undo.py).
    theme.decided_at = now
    # What the split replaced and what it made, so that it can be taken back exactly.
    theme.details = {
        "split_into": [h.id for h in halves],
        "before": theme.details or {},
        "halves": cut,
    }
    session.flush()
    for half in halves:
        session.refresh(half)
    record(session, actor, "split", theme, f"split “{theme.label}” into {len(halves)}")
    return halves


def reject(session: Session, *, theme_id: int, actor: Actor) -> None:
    """Not a problem: remember the grouping, so discovery does not offer it again."""
    _claim(session, actor, [theme_id], curate=False)
    theme = _theme(session, actor, theme_id)
    theme.rejected_members = [m.feedback_id for m in theme.members]
    _decide(theme, actor, "rejected")
    session.flush()
    record(session, actor, "rejected", theme, f"rejected suggestion “{theme.label}”")


def reject_items(
    session: Session, *, theme_id: int, feedback_ids: Sequence[int], actor: Actor
) -> int:
    """Take items out of a suggestion; they are kept away from that grouping from now on."""
    _claim(session, actor, [theme_id], curate=True)
    theme = _theme(session, actor, theme_id)
    wanted = set(feedback_ids)
    removed = [m for m in theme.members if m.feedback_id in wanted]
    if not removed:
        raise Invalid("none of those items is in this suggestion", field="feedback_ids")
    for member in removed:
        session.add(
            ThemeRejection(
                feedback_id=member.feedback_id,
                centroid=theme.centroid or b"",
                rejected_by_id=actor.id,
            )
        )
        theme.members.remove(member)
    theme.details = {
        **(theme.details or {}),
        "taken_out": sorted(_taken_out(theme) | {m.feedback_id for m in removed}),
    }
    _recentre(session, theme)
    session.flush()
    record(session, actor, "took out", theme, f"took {len(removed)} items out of “{theme.label}”")
    return len(removed)


def _taken_out(theme: Theme) -> set[int]:
    return {int(i) for i in (theme.details or {}).get("taken_out", [])}


def _recentre(session: Session, theme: Theme) -> None:
    session.flush()
    vectors = InsightRepository(session).vectors_for([m.feedback_id for m in theme.members])
    if len(vectors):
        theme.centroid = pack_vector(vectors.matrix.mean(axis=0))


def match_new_evidence(session: Session, feedback_ids: Sequence[int]) -> Counter[str]:
    """Link new evidence to the known problem it belongs to, or suggest it, with a confidence."""
    repo = InsightRepository(session)
    problem_ids, centroids = repo.problem_centroids()
    outcome: Counter[str] = Counter()
    if not problem_ids:
        return outcome
    vectors = repo.vectors_for(feedback_ids)
    if not len(vectors):
        return outcome
    already = set(
        session.scalars(
            select(FeedbackLink.feedback_id).where(
                FeedbackLink.feedback_id.in_(vectors.ids.tolist())
            )
        )
    )
    best, confidence = engine.match_to_centroids(vectors.matrix, centroids)
    linked: list[int] = []
    for row, feedback_id in enumerate(vectors.ids.tolist()):
        if feedback_id in already:
            continue
        score = float(confidence[row])
        if int(best[row]) < 0:
            continue
        problem_id = problem_ids[int(best[row])]
        if score >= LINK_CONFIDENCE:
            session.add(
                FeedbackLink(
                    feedback_id=feedback_id, problem_id=problem_id, confidence=round(score, 4)
                )
            )
            linked.append(feedback_id)
        elif score >= SUGGEST_CONFIDENCE:
            session.execute(
                update(Feedback)
                .where(Feedback.id == feedback_id)
                .values(suggested_problem_id=problem_id, suggestion_confidence=round(score, 4))
            )
            outcome["suggested"] += 1
    session.flush()
    repo.release(linked)
    outcome["linked"] = len(linked)
    return +outcome


def rebuild_search_index(
    session: Session, *, actor: Actor, progress: vector_index.Progress | None = None
) -> tuple[int, int]:
    """Build the search index again from every stored vector (`huddle reindex`), after
    making `embedded_at` agree with the stored vectors; returns (vectors indexed, rows
    repaired)."""
    require(may_administer(actor))
    repaired = InsightRepository(session).repair_embedded_at()
    session.flush()
    meta = vector_index.index_for(session).rebuild(session, progress=progress)
    return (meta.size if meta else 0), repaired


def flag_duplicates(session: Session, feedback_ids: Sequence[int]) -> int:
    """Mark new evidence that is a near-copy of older evidence from the same customer within
    a month (the same ticket synced twice, one complaint pasted into two tools). Similar
    words from different customers are corroboration, not duplicates.

    The same customer means the same account, or the same contact. Two items that have
    neither in common are never duplicates, however alike: two anonymous app-store reviews
    saying "crashes on launch" are two people, and nothing shows otherwise."""
    fresh = InsightRepository(session).vectors_for(feedback_ids)
    if not len(fresh):
        return 0
    # The nearest stored items of each new one (through the search index in a large
    # workspace); more copies than this of one text are a flood, not a duplicate to flag.
    neighbours = search.nearest(
        session, fresh.matrix, limit=DUPLICATE_NEIGHBOURS, floor=DUPLICATE_SIMILARITY
    )
    # Only older items count as originals (the oldest first), and an item is not its own
    # duplicate.
    candidates = sorted(
        (int(own), other)
        for own, hits in zip(fresh.ids.tolist(), neighbours, strict=True)
        for other, _similarity in hits
        if other < own
    )
    if not candidates:
        return 0
    facts = InsightRepository(session).origin_facts({i for pair in candidates for i in pair})
    chosen: dict[int, int] = {}
    for newer, older in candidates:
        (account_a, contact_a, when_a), (account_b, contact_b, when_b) = facts[newer], facts[older]
        same_account = account_a is not None and account_a == account_b
        same_contact = contact_a is not None and contact_a == contact_b
        if (same_account or same_contact) and abs((when_a - when_b).days) <= DUPLICATE_WINDOW_DAYS:
            chosen.setdefault(newer, older)
    for newer, older in chosen.items():
        session.execute(
            update(Feedback).where(Feedback.id == newer).values(duplicate_candidate_id=older)
        )
    session.flush()
    return len(chosen)


def accept_suggestion(session: Session, *, feedback_id: int, actor: Actor) -> int:
    """Link evidence to the problem matching suggested for it; returns the problem id."""
    require(may_triage(actor))
    item = session.get(Feedback, feedback_id)
    if item is None or item.suggested_problem_id is None:
        raise NotFound(f"evidence {feedback_id} has no suggested problem")
    problem_id = item.suggested_problem_id
    problems.link_feedback(
        session,
        problem_id=problem_id,
        feedback_ids=[feedback_id],
        actor=actor,
        confidence=item.suggestion_confidence,
    )
    return problem_id


def merge_duplicate(session: Session, *, feedback_id: int, actor: Actor) -> None:
    """Fold a flagged near-duplicate into its original: it leaves the inbox and counts once."""
    require(may_triage(actor))
    item = session.get(Feedback, feedback_id)
    if item is None or item.duplicate_candidate_id is None:
        raise NotFound(f"evidence {feedback_id} is not flagged as a duplicate")
    repo = InsightRepository(session)
    # Where it was a suggested item, so that taking the merge back puts it there again.
    held = []
    for theme_id, _ in repo.whereabouts(actor, [item.id])[item.id].suggestions:
        theme = _theme(session, actor, theme_id)
        member = next(m for m in theme.members if m.feedback_id == item.id)
        held.append([theme_id, member.confidence, member.representative])
    item.duplicate_of_id = item.duplicate_candidate_id
    item.duplicate_candidate_id = None
    session.flush()
    repo.release([item.id])
    record(
        session,
        actor,
        "merged duplicate",
        item,
        f"merged into evidence {item.duplicate_of_id}",
        original=item.duplicate_of_id,
        suggestions=held,
    )


def dismiss_duplicate(session: Session, *, feedback_id: int, actor: Actor) -> None:
    require(may_triage(actor))
    item = session.get(Feedback, feedback_id)
    if item is None:
        raise NotFound(f"no evidence {feedback_id}")
    if item.duplicate_candidate_id is not None:
        record(
            session,
            actor,
            "kept apart",
            item,
            f"kept apart from evidence {item.duplicate_candidate_id}, not a duplicate",
            original=item.duplicate_candidate_id,
        )
    item.duplicate_candidate_id = None
    session.flush()


def theme_summaries(
    session: Session,
    *,
    actor: Actor,
    quotes: int = REPRESENTATIVES,
    only: Collection[int] | None = None,
    quoted: int | None = None,
) -> list[ThemeRead]:
    """Open suggestions (or those `only` names), the most accounts and ARR first, with their best quotes
    (for the first `quoted` of them only, when given: the inbox folds the rest).

    Counted and ranked by the database (members, accounts, ARR, the best quotes): loading
    every member made the inbox the slowest page under load and grows with the workspace."""
    repo = InsightRepository(session)
    reach = repo.open_theme_reach(only)
    summaries = [
        ThemeRead(
            id=theme.id,
            label=theme.label,
            terms=theme.terms,
            size=reach.get(theme.id, ThemeReach(0, 0, 0)).size,
            accounts=reach.get(theme.id, ThemeReach(0, 0, 0)).accounts,
            arr_minor=reach.get(theme.id, ThemeReach(0, 0, 0)).arr_minor,
            representatives=[],
            created_at=theme.created_at,
            curated_at=theme.curated_at,
        )
        for theme in repo.open_theme_heads(actor, only)
    ]
    # The suggestions that matter most to customers first: accounts, then ARR, then size.
    summaries.sort(key=lambda t: (t.accounts, t.arr_minor, t.size), reverse=True)
    wanted = summaries if quoted is None else summaries[:quoted]
    if not wanted:
        return summaries
    by_id = {t.id: t for t in wanted}
    for row in repo.open_theme_quotes(quotes, None if quoted is None else set(by_id)):
        if row.theme_id in by_id:
            by_id[row.theme_id].representatives.append(
                Quote(
                    feedback_id=row.feedback_id,
                    text=row.text,
                    account_name=row.account_name,
                    confidence=row.confidence,
                )
            )
    return summaries


def theme_assignments(
    session: Session, *, actor: Actor
) -> list[tuple[int, str, int | str, str, str]]:
    """Every unlinked item with its open suggestion (blank when unthemed), for export."""
    repo = InsightRepository(session)
    member_of: dict[int, tuple[Theme, float]] = {}
    for theme in repo.open_themes(actor):
        for member in theme.members:
            member_of[member.feedback_id] = (theme, member.confidence)
    rows: list[tuple[int, str, int | str, str, str]] = []
    for feedback_id, external_id in repo.unlinked_items(actor):
        found = member_of.get(feedback_id)
        if found is None:
            rows.append((feedback_id, external_id or "", "", "", ""))
        else:
            rows.append(
                (feedback_id, external_id or "", found[0].id, found[0].label, f"{found[1]:.3f}")
            )
    return rows
