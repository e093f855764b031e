"""Saved views: a person names the filters and sort of the problem list or the inbox, and
comes back to them in one click. Each person sees only their own."""

from typing import Annotated
from urllib.parse import parse_qsl, urlencode

from fastapi import APIRouter, Form
from fastapi.responses import Response
from sqlalchemy.orm import Session

from huddle.auth.actor import Actor
from huddle.auth.repository import SavedViewRepository
from huddle.deps import SessionDep
from huddle.errors import Invalid, NotFound
from huddle.models.user import SavedView
from huddle.web.pages import FormActor, back

# The parameters each page's view may keep (not the page number, not notices).
KEPT = {
    "problems": ("sort", "status", "product_area"),
    "inbox": ("q", "match", "source", "team", "account_id", "segment", "since", "until", "state"),
}
MOST_PER_PERSON = 50

router = APIRouter()


def views_for(session: Session, actor: Actor, page: str) -> list[SavedView]:
    return list(SavedViewRepository(session).mine(actor.id, page))


def save(session: Session, *, actor: Actor, page: str, name: str, query: str) -> SavedView:
    if page not in KEPT:
        raise Invalid(f"no list page {page!r}", field="page")
    title = " ".join(name.replace("\x00", "").split())
    if not title or len(title) > 100:
        raise Invalid("name the view (at most 100 characters)", field="name")
    views = SavedViewRepository(session)
    if views.count(actor.id) >= MOST_PER_PERSON:
        raise Invalid(f"at most {MOST_PER_PERSON} saved views each; delete one first")
    kept = urlencode(
        [(k, v) for k, v in parse_qsl(query.lstrip("?"))[:50] if k in KEPT[page] and v][:20]
    )
    view = SavedView(user_id=actor.id, page=page, name=title, query=kept[:2000])
    views.add(view)
    return view


@router.post("/views")
def save_view(
    session: SessionDep,
    actor: FormActor,
    page: Annotated[str, Form()] = "",
    name: Annotated[str, Form()] = "",
    query: Annotated[str, Form()] = "",
) -> Response:
    target = "/inbox" if page == "inbox" else "/problems"
    try:
        view = save(session, actor=actor, page=page, name=name, query=query)
    except Invalid as error:
        return back(target + (f"?{query.lstrip('?')}" if query else ""), error=str(error))
    return back(f"{target}?{view.query}", notice=f"Saved as “{view.name}”")


@router.post("/views/{view_id}/delete")
def delete_view(view_id: int, session: SessionDep, actor: FormActor) -> Response:
    views = SavedViewRepository(session)
    view = views.get(view_id)
    if view is None or view.user_id != actor.id:
        raise NotFound(f"no saved view {view_id}")
    target = "/inbox" if view.page == "inbox" else "/problems"
    views.delete(view)
    return back(target, notice=f"Deleted the view “{view.name}”")
