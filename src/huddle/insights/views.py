from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from huddle.auth.policies import may_triage, require
from huddle.deps import SessionDep
from huddle.errors import HuddleError, NotFound
from huddle.insights import service, undo
from huddle.insights.rediscovery import REPLACED_KEPT_DAYS
from huddle.insights.repository import InsightRepository
from huddle.web.pages import FormActor, PageActor, back, form_id, picked_id
from huddle.web.render import render

router = APIRouter()


@router.post("/themes/discover")
def discover(session: SessionDep, actor: FormActor) -> Response:
    outcome = service.discover(session, actor=actor)
    kept = f"; {outcome.kept} kept as people shaped them" if outcome.kept else ""
    if outcome.run.clustered is not None:
        kept += f"; clustered a sample of {outcome.run.clustered}, the others placed"
    return back(
        "/inbox",
        notice=f"{len(outcome.themes)} suggested problems from {outcome.run.items} items{kept}",
    )


@router.get("/themes/{theme_id}/card", response_class=HTMLResponse)
def theme_card(request: Request, theme_id: int, session: SessionDep, actor: PageActor) -> Response:
    """The quotes and actions of one open suggestion, for a folded card of the inbox strip."""
    require(may_triage(actor))
    found = service.theme_summaries(session, actor=actor, only={theme_id})
    if not found:
        raise NotFound(f"no open suggestion {theme_id}")
    return render(request, "_theme_card.html", t=found[0])


@router.get("/themes/{theme_id}", response_class=HTMLResponse)
def theme_page(
    request: Request,
    theme_id: int,
    session: SessionDep,
    actor: PageActor,
    notice: str | None = None,
    error: str | None = None,
) -> Response:
    require(may_triage(actor))
    repo = InsightRepository(session)
    theme = repo.theme(actor, theme_id)
    if theme is None:
        if 0 < theme_id <= repo.newest_theme_id():
            raise NotFound(
                f"Suggestion {theme_id} is no longer kept: suggestions replaced by rediscovery "
                f"are removed after {REPLACED_KEPT_DAYS} days. Its evidence is in the inbox "
                "or linked to problems."
            )
        raise NotFound(f"no suggestion {theme_id}")
    what = service.fate(session, theme=theme, actor=actor) if theme.status != "open" else None
    return render(request, "theme.html", theme=theme, fate=what, notice=notice, error=error)


def _stale(error: service.NotOpen) -> Response:
    """An action on a suggestion decided or replaced meanwhile: show what became of it."""
    return back(f"/themes/{error.theme_id}", error=error.message)


@router.post("/themes/{theme_id}/accept")
def accept(
    theme_id: int, session: SessionDep, actor: FormActor, title: Annotated[str, Form()] = ""
) -> Response:
    try:
        outcome = service.accept(session, theme_id=theme_id, actor=actor, title=title or None)
    except service.NotOpen as error:
        return _stale(error)
    notice = f"Suggestion accepted: {outcome.linked} items linked"
    if outcome.skipped:
        notice += (
            f"; {outcome.skipped} already linked to another problem or merged as duplicates "
            "were left where they were"
        )
    return back(f"/problems/{outcome.problem_id}", notice=notice, undo_accept=theme_id)


@router.post("/themes/{theme_id}/undo-accept")
def undo_accept(theme_id: int, session: SessionDep, actor: FormActor) -> Response:
    try:
        theme = undo.undo_accept(session, theme_id=theme_id, actor=actor)
    except HuddleError as error:
        if error.status == 403:
            raise
        return back("/inbox", error=str(error))
    return back("/inbox", notice=f"“{theme.label}” is a suggestion again")


@router.post("/themes/{theme_id}/rename")
def rename(
    theme_id: int, session: SessionDep, actor: FormActor, label: Annotated[str, Form()] = ""
) -> Response:
    try:
        service.rename(session, theme_id=theme_id, label=label, actor=actor)
    except service.NotOpen as error:
        return _stale(error)
    return back("/inbox", notice="Renamed: rediscovery will keep this name")


@router.post("/themes/{theme_id}/merge")
def merge(
    theme_id: int, session: SessionDep, actor: FormActor, into_id: Annotated[str, Form()] = ""
) -> Response:
    into = picked_id(
        into_id, lambda label: service.open_theme_named(session, label=label, actor=actor)
    )
    if into is None:
        return back("/inbox", error="Choose the suggestion to merge into from the list")
    try:
        target = service.merge(session, theme_id=theme_id, into_id=into, actor=actor)
    except service.NotOpen as error:
        return _stale(error)
    return back("/inbox", notice=f"Merged into “{target.label}”", undo_merge=theme_id)


@router.post("/themes/{theme_id}/undo-merge")
def undo_merge(theme_id: int, session: SessionDep, actor: FormActor) -> Response:
    try:
        theme = undo.undo_merge(session, theme_id=theme_id, actor=actor)
    except service.NotOpen as error:
        return _stale(error)
    except HuddleError as error:
        if error.status == 403:
            raise
        return back("/inbox", error=str(error))
    return back("/inbox", notice=f"“{theme.label}” is its own suggestion again")


@router.post("/themes/{theme_id}/split")
def split(theme_id: int, session: SessionDep, actor: FormActor) -> Response:
    try:
        halves = service.split(session, theme_id=theme_id, actor=actor)
    except service.NotOpen as error:
        return _stale(error)
    return back(
        "/inbox",
        notice="Split into " + " and ".join(f"“{h.label}”" for h in halves),
        undo_split=theme_id,
    )


def _refused(error: HuddleError) -> Response:
    """An undo that cannot be done (any more): back to the inbox, saying why."""
    if error.status == 403:
        raise error
    return back("/inbox", error=str(error))


@router.post("/themes/{theme_id}/undo-split")
def undo_split(theme_id: int, session: SessionDep, actor: FormActor) -> Response:
    try:
        theme = undo.undo_split(session, theme_id=theme_id, actor=actor)
    except HuddleError as error:
        return _refused(error)
    return back("/inbox", notice=f"“{theme.label}” is one suggestion again")


@router.post("/themes/{theme_id}/reject")
def reject(theme_id: int, session: SessionDep, actor: FormActor) -> Response:
    try:
        service.reject(session, theme_id=theme_id, actor=actor)
    except service.NotOpen as error:
        return _stale(error)
    return back(
        "/inbox", notice="Rejected: this grouping will not be suggested again", undo_reject=theme_id
    )


@router.post("/themes/{theme_id}/undo-reject")
def undo_reject(theme_id: int, session: SessionDep, actor: FormActor) -> Response:
    try:
        theme = undo.undo_reject(session, theme_id=theme_id, actor=actor)
    except HuddleError as error:
        return _refused(error)
    return back("/inbox", notice=f"“{theme.label}” is a suggestion again")


@router.post("/themes/{theme_id}/reject-items")
def reject_items(
    theme_id: int,
    session: SessionDep,
    actor: FormActor,
    ids: Annotated[list[str], Form()] = [],  # noqa: B006
) -> Response:
    chosen = [i for i in (form_id(value) for value in ids) if i is not None]
    if not chosen:
        return back(f"/themes/{theme_id}", notice="Select the items that do not belong")
    try:
        removed = service.reject_items(session, theme_id=theme_id, feedback_ids=chosen, actor=actor)
    except service.NotOpen as error:
        return _stale(error)
    return back(
        f"/themes/{theme_id}", notice=f"Took {removed} item{'s' if removed != 1 else ''} out"
    )


@router.post("/feedback/{feedback_id}/accept-suggestion")
def accept_suggestion(feedback_id: int, session: SessionDep, actor: FormActor) -> Response:
    service.accept_suggestion(session, feedback_id=feedback_id, actor=actor)
    return back("/inbox", notice="Linked to the suggested problem")


@router.post("/feedback/{feedback_id}/merge-duplicate")
def merge_duplicate(feedback_id: int, session: SessionDep, actor: FormActor) -> Response:
    service.merge_duplicate(session, feedback_id=feedback_id, actor=actor)
    return back(
        "/inbox", notice="Merged the duplicate into the original", undo_duplicate=feedback_id
    )


@router.post("/feedback/{feedback_id}/undo-merge-duplicate")
def undo_merge_duplicate(feedback_id: int, session: SessionDep, actor: FormActor) -> Response:
    try:
        undo.undo_merge_duplicate(session, feedback_id=feedback_id, actor=actor)
    except HuddleError as error:
        return _refused(error)
    return back("/inbox", notice="Back in the inbox as its own evidence")


@router.post("/feedback/{feedback_id}/dismiss-duplicate")
def dismiss_duplicate(feedback_id: int, session: SessionDep, actor: FormActor) -> Response:
    service.dismiss_duplicate(session, feedback_id=feedback_id, actor=actor)
    return back("/inbox", notice="Kept as separate evidence", undo_keep=feedback_id)


@router.post("/feedback/{feedback_id}/undo-dismiss-duplicate")
def undo_dismiss_duplicate(feedback_id: int, session: SessionDep, actor: FormActor) -> Response:
    try:
        undo.undo_keep_duplicate(session, feedback_id=feedback_id, actor=actor)
    except HuddleError as error:
        return _refused(error)
    return back("/inbox", notice="Flagged as a likely duplicate again")
