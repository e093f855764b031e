"""Theme discovery, matching, duplicates: the rules, over the vectors the repository loads."""

import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from huddle.activity import record
from huddle.auth.actor import Actor
from huddle.auth.policies import may_triage, require
from huddle.errors import Invalid, NotFound
from huddle.insights import search
from huddle.insights import themes as engine
from huddle.insights.embedding import get_default_embedder, pack_vector, unpack_vector
from huddle.insights.labels import distinctive_terms, label_from_terms
from huddle.insights.repository import InsightRepository, Vectors
from huddle.insights.schemas import Quote, ThemeRead
from huddle.insights.similarity import DUPLICATE_THRESHOLD, MATCH_THRESHOLD
from huddle.kit.time import utcnow
from huddle.models.feedback import Feedback
from huddle.models.problem import FeedbackLink
from huddle.models.theme import Theme, ThemeMember, ThemeRejection, ThemeRun
from huddle.models.user import User
from huddle.problems import service as problems
from huddle.problems.schemas import ProblemCreate

# Matching confidence is the margin of the best problem over the runner-up (similarity.py).
# At or above LINK it is linked without asking (95.7% precision on held-out Banking77);
# between SUGGEST and LINK it waits in the inbox with the problem suggested.
LINK_CONFIDENCE = MATCH_THRESHOLD
SUGGEST_CONFIDENCE = 0.15
DUPLICATE_SIMILARITY = DUPLICATE_THRESHOLD
REPRESENTATIVES = 4
DUPLICATE_WINDOW_DAYS = 31


@dataclass(frozen=True)
class DiscoveryOutcome:
    run: ThemeRun
    themes: list[Theme]


def discover(session: Session, *, actor: Actor | None) -> DiscoveryOutcome:
    """Group the unlinked evidence into suggested problems, replacing the open suggestions."""
    if actor is not None:
        require(may_triage(actor))
    reader = actor or _system_reader(session)
    repo = InsightRepository(session)
    started = time.perf_counter()
    vectors = repo.unlinked_vectors(reader)
    for theme in repo.open_themes(reader):
        session.delete(theme)
    session.flush()
    run = ThemeRun(items=len(vectors), model=get_default_embedder().name)
    session.add(run)
    session.flush()
    created: list[Theme] = []
    if len(vectors) >= engine.MIN_ITEMS:
        texts = repo.texts(vectors.ids.tolist())
        ordered_texts = [texts[int(i)] for i in vectors.ids]
        constraints = engine.Constraints(
            rejected_themes=repo.rejected_centroids(), excluded=_excluded(repo, vectors)
        )
        result = engine.discover_themes(vectors.matrix, ordered_texts, constraints=constraints)
        for found in result.themes:
            created.append(
                _store_theme(
                    session,
                    run,
                    vectors,
                    found.members.tolist(),
                    found.confidence.tolist(),
                    found.label,
                    found.terms,
                    found.representatives,
                )
            )
    run.themes = len(created)
    run.unthemed = len(vectors) - sum(len(t.members) for t in created)
    run.seconds = round(time.perf_counter() - started, 3)
    session.flush()
    return DiscoveryOutcome(run=run, themes=created)


def _excluded(repo: InsightRepository, vectors: Vectors) -> list[tuple[int, np.ndarray]]:
    """Items a person took out of a grouping, with that grouping's centroid (row indices)."""
    position = {int(i): n for n, i in enumerate(vectors.ids)}
    return [
        (position[fid], unpack_vector(blob)) for fid, blob in repo.rejections() if fid in position
    ]


def _store_theme(
    session: Session,
    run: ThemeRun,
    vectors: Vectors,
    members: list[int],
    confidences: list[float],
    label: str,
    terms: list[str],
    representatives: list[int],
) -> Theme:
    centroid = vectors.matrix[members].mean(axis=0)
    theme = Theme(
        run_id=run.id,
        label=label,
        terms=list(terms),
        status="open",
        centroid=pack_vector(centroid),
    )
    session.add(theme)
    session.flush()
    chosen = set(representatives[:REPRESENTATIVES])
    for index, confidence in zip(members, confidences, strict=True):
        session.add(
            ThemeMember(
                theme_id=theme.id,
                feedback_id=int(vectors.ids[index]),
                confidence=round(float(confidence), 4),
                representative=index in chosen,
            )
        )
    session.flush()
    session.refresh(theme)
    return theme


def _system_reader(session: Session) -> Actor:

    user = session.scalar(select(User).where(User.role == "admin").order_by(User.id).limit(1))
    if user is None:
        raise NotFound("no admin to act for the background job")
    return Actor(user=user)


def _open_theme(session: Session, actor: Actor, theme_id: int) -> Theme:
    require(may_triage(actor))
    theme = InsightRepository(session).theme(actor, theme_id)
    if theme is None or theme.status != "open":
        raise NotFound(f"no open suggestion {theme_id}")
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
) -> int:
    """The suggestion becomes a problem with all its evidence linked; returns the problem id."""
    theme = _open_theme(session, actor, theme_id)
    name = (title or theme.label).strip()
    if not name:
        raise Invalid("the problem needs a title", field="title")
    problem = problems.create_problem(
        session, data=ProblemCreate(title=name[:200], product_area=product_area), actor=actor
    )
    problems.link_feedback(
        session,
        problem_id=problem.id,
        feedback_ids=[m.feedback_id for m in theme.members],
        actor=actor,
    )
    theme.problem_id = problem.id
    _decide(theme, actor, "accepted")
    record(session, actor, "accepted", theme, f"accepted suggestion “{theme.label}” as “{name}”")
    return problem.id


def rename(session: Session, *, theme_id: int, label: str, actor: Actor) -> Theme:
    theme = _open_theme(session, actor, theme_id)
    if not label.strip():
        raise Invalid("a name cannot be empty", field="label")
    theme.label = label.strip()[:200]
    session.flush()
    return theme


def merge(session: Session, *, theme_id: int, into_id: int, actor: Actor) -> Theme:
    if theme_id == into_id:
        raise Invalid("a suggestion cannot be merged into itself", field="into_id")
    source = _open_theme(session, actor, theme_id)
    target = _open_theme(session, actor, into_id)
    present = {m.feedback_id for m in target.members}
    for member in list(source.members):
        if member.feedback_id not in present:
            target.members.append(
                ThemeMember(
                    feedback_id=member.feedback_id,
                    confidence=member.confidence,
                    representative=False,
                )
            )
    _recentre(session, target)
    _decide(source, actor, "merged")
    source.details = {"merged_into": target.id}
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
    """Cut one suggestion in two along its own structure."""
    theme = _open_theme(session, actor, theme_id)
    ids = [m.feedback_id for m in theme.members]
    if len(ids) < 4:
        raise Invalid("a suggestion needs at least 4 items to split")
    repo = InsightRepository(session)
    vectors = repo.vectors_for(ids)
    texts = repo.texts(ids)
    groups = engine.split_theme(vectors.matrix)
    ordered_texts = [texts[int(i)] for i in vectors.ids]
    terms_of = distinctive_terms(ordered_texts, groups.astype(np.int64), int(groups.max()) + 1)
    halves = []
    for group in sorted(set(groups.tolist())):
        rows = [n for n, g in enumerate(groups.tolist()) if g == group]
        centre = vectors.matrix[rows].mean(axis=0)
        closeness = (
            vectors.matrix[rows] @ (centre / max(float(np.linalg.norm(centre)), 1e-9))
        ).tolist()
        order = sorted(range(len(rows)), key=lambda n: -closeness[n])
        terms = terms_of[group]
        halves.append(
            _store_theme(
                session,
                _run_of(session, theme),
                vectors,
                [rows[n] for n in order],
                [closeness[n] for n in order],
                label_from_terms(terms),
                terms,
                [rows[n] for n in order[:REPRESENTATIVES]],
            )
        )
    _decide(theme, actor, "merged")
    theme.details = {"split_into": [h.id for h in halves]}
    session.flush()
    record(session, actor, "split", theme, f"split “{theme.label}” into {len(halves)}")
    return halves


def _run_of(session: Session, theme: Theme) -> ThemeRun:
    run = session.get(ThemeRun, theme.run_id) if theme.run_id else None
    if run is None:
        run = ThemeRun(items=0)
        session.add(run)
        session.flush()
    return run


def reject(session: Session, *, theme_id: int, actor: Actor) -> None:
    """Not a problem: remember the grouping, so discovery does not offer it again."""
    theme = _open_theme(session, actor, theme_id)
    theme.rejected_members = [m.feedback_id for m in theme.members]
    _decide(theme, actor, "rejected")
    session.flush()
    record(session, actor, "rejected", theme, f"rejected suggestion “{theme.label}”")


def reject_items(
    session: Session, *, theme_id: int, feedback_ids: Sequence[int], actor: Actor
) -> int:
    """Take items out of a suggestion; they are kept away from that grouping from now on."""
    theme = _open_theme(session, actor, theme_id)
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
    _recentre(session, theme)
    session.flush()
    return len(removed)


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
            outcome["linked"] += 1
        elif score >= SUGGEST_CONFIDENCE:
            session.execute(
                update(Feedback)
                .where(Feedback.id == feedback_id)
                .values(suggested_problem_id=problem_id, suggestion_confidence=round(score, 4))
            )
            outcome["suggested"] += 1
    session.flush()
    return outcome


def flag_duplicates(session: Session, feedback_ids: Sequence[int]) -> int:
    """Mark new evidence that is a near-copy of older evidence from the same account within
    a month (the same ticket synced twice, one complaint pasted into two tools). Similar
    words from different customers are corroboration, not duplicates."""
    stored = search.stored_vectors(session)
    fresh = InsightRepository(session).vectors_for(feedback_ids)
    if not len(fresh) or len(stored.ids) < 2:
        return 0
    candidates: list[tuple[int, int]] = []
    for start in range(0, len(fresh), 1000):
        block = fresh.matrix[start : start + 1000] @ stored.matrix.T
        own = fresh.ids[start : start + 1000]
        # Only older items count as originals, and an item is not its own duplicate.
        block[stored.ids[None, :] >= own[:, None]] = -1.0
        rows, columns = np.nonzero(block >= DUPLICATE_SIMILARITY)
        candidates.extend(
            (int(own[r]), int(stored.ids[c])) for r, c in zip(rows, columns, strict=True)
        )
    if not candidates:
        return 0
    facts = InsightRepository(session).origin_facts({i for pair in candidates for i in pair})
    chosen: dict[int, int] = {}
    for newer, older in candidates:
        (account_a, when_a), (account_b, when_b) = facts[newer], facts[older]
        if account_a == account_b and abs((when_a - when_b).days) <= DUPLICATE_WINDOW_DAYS:
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
    item.duplicate_of_id = item.duplicate_candidate_id
    item.duplicate_candidate_id = None
    session.flush()
    record(session, actor, "merged duplicate", item, f"merged into evidence {item.duplicate_of_id}")


def dismiss_duplicate(session: Session, *, feedback_id: int, actor: Actor) -> None:
    require(may_triage(actor))
    item = session.get(Feedback, feedback_id)
    if item is None:
        raise NotFound(f"no evidence {feedback_id}")
    item.duplicate_candidate_id = None
    session.flush()


def theme_summaries(
    session: Session, *, actor: Actor, quotes: int = REPRESENTATIVES
) -> list[ThemeRead]:
    """Open suggestions, the broadest first, with their best quotes."""
    summaries = []
    for theme in InsightRepository(session).open_themes(actor):
        accounts = {
            m.feedback.account.id: m.feedback.account for m in theme.members if m.feedback.account
        }
        best = sorted(theme.members, key=lambda m: (not m.representative, -m.confidence))[:quotes]
        summaries.append(
            ThemeRead(
                id=theme.id,
                label=theme.label,
                terms=theme.terms,
                size=len(theme.members),
                accounts=len(accounts),
                arr_minor=sum(a.arr_minor for a in accounts.values() if a.status != "churned"),
                representatives=[
                    Quote(
                        feedback_id=m.feedback_id,
                        text=m.feedback.text,
                        account_name=m.feedback.account.name if m.feedback.account else None,
                        confidence=m.confidence,
                    )
                    for m in best
                ],
                created_at=theme.created_at,
            )
        )
    summaries.sort(key=lambda t: (t.size * (1 + t.accounts), t.arr_minor), reverse=True)
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
