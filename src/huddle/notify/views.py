"""A person's notifications in the app."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from huddle.deps import SessionDep
from huddle.notify import service
from huddle.web.pages import FormActor, PageActor, back
from huddle.web.render import render

router = APIRouter()


@router.get("/notifications", response_class=HTMLResponse)
def notifications_page(
    request: Request, session: SessionDep, actor: PageActor, notice: str | None = None
) -> Response:
    return render(
        request,
        "notifications.html",
        messages=service.inbox(session, actor=actor),
        unread=service.unread(session, actor=actor),
        notice=notice,
    )


@router.post("/notifications/read")
def notifications_read(session: SessionDep, actor: FormActor) -> Response:
    count = service.mark_read(session, actor=actor)
    return back("/notifications", notice=f"{count} marked as read" if count else None)
