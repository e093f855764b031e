"""Taking back a decision on suggestions and duplicates: an acceptance, a merge, a split, a
rejection; a duplicate merged into its original or kept apart from it.

Each puts back exactly what the decision changed, from what the decision recorded, and is
refused, saying why, once something was built on it since (the problem an acceptance made
holds other evidence, a half of a split was renamed or accepted…).
"""

from sqlalchemy.orm import Session

from huddle.activity import last_data, record
from huddle.auth.actor import Actor
from huddle.auth.policies import may_triage, require
from huddle.errors import Conflict, Invalid, NotFound
from huddle.feedback.repository import FeedbackRepository
from huddle.insights.repository import InsightRepository
from huddle.insights.service import NotOpen, _claim, _recentre, _theme
from huddle.kit.time import utcnow
from huddle.models.feedback import Feedback
from huddle.models.theme import Theme
from huddle.problems import service as problems


def _decided(session: Session, actor: Actor, theme_id: int) -> Theme:
    require(may_triage(actor))
    theme = InsightRepository(session).theme(actor, theme_id)
    if theme is None:
        raise NotFound(f"no suggestion {theme_id}")
    return theme


def _reopen(theme: Theme) -> None:
    theme.status, theme.decided_by_id, theme.decided_at = "open", None, None


def undo_merge(session: Session, *, theme_id: int, actor: Actor) -> Theme:
    """Take a merge back: the suggestion merged away is open again with its items, and the
    one it went into loses what the merge added (what it held before stays). Refused once the
    target is no longer an open suggestion."""
    source = _decided(session, actor, theme_id)
    repo = InsightRepository(session)
    details = source.details or {}
    if source.status != "merged" or "moved" not in details:
        raise Invalid("this suggestion was not merged into another, or not since undo exists")
    _claim(session, actor, [int(details["merged_into"])], curate=True)
    target = _theme(session, actor, int(details["merged_into"]))
    moved = {int(i) for i in details["moved"]}
    session.flush()
    repo.remove_members(target.id, moved)
    _recentre(session, target)
    _reopen(source)
    source.details = {}
    source.curated_at = utcnow()
    record(
        session, actor, "unmerged", source, f"took “{source.label}” back out of “{target.label}”"
    )
    session.flush()
    return source


def undo_accept(session: Session, *, theme_id: int, actor: Actor) -> Theme:
    """Take an acceptance back: the problem it made is deleted (its evidence returns to the
    inbox) and the suggestion is open again. Refused, naming why, once that problem has a
    life of its own: other evidence, a problem below it, or a merge."""
    theme = _decided(session, actor, theme_id)
    made = (theme.details or {}).get("problem_id")
    if theme.status != "accepted" or made is None or theme.problem_id != made:
        raise Invalid("this suggestion is not accepted as a problem that still exists")
    members = {m.feedback_id for m in theme.members}
    held = problems.linked_ids(session, problem_id=made, actor=actor)
    if held - members:
        raise Invalid(
            f"the problem it made has {len(held - members)} more pieces of evidence since; "
            "unlink them or delete the problem instead"
        )
    if problems.has_children(session, problem_id=made, actor=actor):
        raise Invalid("the problem it made has problems below it now; move them first")
    problems.delete_for_undo(session, problem_id=made, actor=actor)
    _reopen(theme)
    theme.problem_id = None
    theme.details = {k: v for k, v in (theme.details or {}).items() if k != "problem_id"}
    record(session, actor, "reopened", theme, f"took back the acceptance of “{theme.label}”")
    session.flush()
    return theme


def undo_split(session: Session, *, theme_id: int, actor: Actor) -> Theme:
    """Take a split back: the suggestion is open again with exactly the items and the name it
    had, and the two halves are removed. Refused while either half is no longer as the split
    left it: accepted, merged, rejected, renamed, or holding other items."""
    theme = _decided(session, actor, theme_id)
    details = theme.details or {}
    if theme.status != "split" or "halves" not in details:
        raise Invalid("this suggestion was not split, or not since undo exists")
    cut = {int(h["id"]): h for h in details["halves"]}
    try:
        _claim(session, actor, sorted(cut), curate=False)
    except NotFound as error:
        raise Conflict(f"the split cannot be undone: {error.message}") from error
    except NotOpen as error:
        raise Conflict(f"the split cannot be undone: {error.message}") from error
    repo = InsightRepository(session)
    now_in = repo.member_ids(sorted(cut))
    for half_id, was in sorted(cut.items()):
        half = _theme(session, actor, half_id)
        why = ""
        if half.label != was["label"]:
            why = f"it was renamed “{half.label}”"
        elif sorted(now_in[half_id]) != sorted(int(i) for i in was["members"]):
            why = "its items changed (some were linked, merged or taken out, or new ones joined)"
        elif half.curated_at != theme.decided_at:
            why = "a person shaped it since (another suggestion was merged into it)"
        if why:
            raise Conflict(
                f"the split cannot be undone: suggestion {half_id} “{was['label']}” "
                f"changed since: {why}"
            )
    for half_id in sorted(cut):
        session.delete(_theme(session, actor, half_id))
    _reopen(theme)
    theme.details = dict(details.get("before", {}))
    record(session, actor, "unsplit", theme, f"took back the split of “{theme.label}”")
    session.flush()
    return theme


def undo_reject(session: Session, *, theme_id: int, actor: Actor) -> Theme:
    """Take a rejection back: the suggestion is open again and the rejection is forgotten,
    so rediscovery may suggest this grouping again. Items linked, merged as duplicates,
    dismissed or grouped into another suggestion since stay where they went."""
    theme = _decided(session, actor, theme_id)
    if theme.status != "rejected":
        raise Invalid("this suggestion is not rejected")
    repo = InsightRepository(session)
    members = [m.feedback_id for m in theme.members]
    gone = repo.settled(members)
    gone |= {
        item.id
        for item in FeedbackRepository(session).get_many(actor, members)
        if item.dismissed_reason is not None
    }
    gone |= {
        feedback_id
        for feedback_id, place in repo.whereabouts(actor, members).items()
        if any(other != theme.id for other, _ in place.suggestions)
    }
    if not set(members) - gone:
        raise Invalid(
            f"every item of “{theme.label}” was linked, merged, dismissed or suggested "
            "elsewhere since; there is nothing left to suggest"
        )
    _reopen(theme)
    theme.rejected_members = []
    if gone:
        repo.remove_members(theme.id, gone)
        _recentre(session, theme)
        released = {int(i) for i in (theme.details or {}).get("released", [])}
        theme.details = {**(theme.details or {}), "released": sorted(released | gone)}
    record(session, actor, "unrejected", theme, f"took back the rejection of “{theme.label}”")
    session.flush()
    return theme


def _flagged(session: Session, actor: Actor, feedback_id: int) -> Feedback:
    require(may_triage(actor))
    item = FeedbackRepository(session).get(actor, feedback_id)
    if item is None:
        raise NotFound(f"no evidence {feedback_id}")
    return item


def undo_merge_duplicate(session: Session, *, feedback_id: int, actor: Actor) -> Feedback:
    """Take a duplicate merge back: the item is its own evidence again, flagged as a likely
    duplicate of the same original, and back in the open suggestions it left (those still
    open)."""
    item = _flagged(session, actor, feedback_id)
    done = last_data(session, item, "merged duplicate")
    if item.duplicate_of_id is None or done is None or done.get("original") != item.duplicate_of_id:
        raise Invalid(
            f"evidence {feedback_id} is not merged as a duplicate, or not since undo exists"
        )
    item.duplicate_candidate_id, item.duplicate_of_id = item.duplicate_of_id, None
    session.flush()
    repo = InsightRepository(session)
    back = []
    if not repo.settled([item.id]):
        for theme_id, confidence, representative in sorted(done.get("suggestions", [])):
            # One at a time in id order, as release() holds them: never a wait in a circle.
            if not repo.claim_open([theme_id], curate=False):
                continue
            theme = _theme(session, actor, theme_id)
            if any(m.feedback_id == item.id for m in theme.members):
                continue
            repo.add_members(
                [
                    {
                        "theme_id": theme_id,
                        "feedback_id": item.id,
                        "confidence": confidence,
                        "representative": representative,
                    }
                ]
            )
            released = [i for i in (theme.details or {}).get("released", []) if i != item.id]
            theme.details = {**(theme.details or {}), "released": released}
            if not released:
                theme.details = {k: v for k, v in theme.details.items() if k != "released"}
            session.expire(theme, ["members"])
            back.append(theme_id)
    record(
        session,
        actor,
        "unmerged duplicate",
        item,
        f"took back the merge into evidence {item.duplicate_candidate_id}",
        suggestions=back,
    )
    session.flush()
    return item


def undo_keep_duplicate(session: Session, *, feedback_id: int, actor: Actor) -> Feedback:
    """Take back "keep both": the item is flagged as a likely duplicate of its original again."""
    item = _flagged(session, actor, feedback_id)
    done = last_data(session, item, "kept apart")
    if item.duplicate_candidate_id is not None or item.duplicate_of_id is not None or done is None:
        raise Invalid(f"evidence {feedback_id} was not kept apart from a duplicate")
    original = FeedbackRepository(session).get(actor, int(done["original"]))
    if original is None:
        raise Invalid(f"evidence {done['original']}, its original, is gone")
    item.duplicate_candidate_id = original.id
    record(
        session,
        actor,
        "flagged duplicate",
        item,
        f"looks like a duplicate of evidence {original.id} again",
    )
    session.flush()
    return item
