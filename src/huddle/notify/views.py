"""A person's notifications in the app."""

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from huddle.accounts import service as accounts
from huddle.auth.actor import Actor
from huddle.auth.policies import may_add_evidence_and_read
from huddle.deps import SessionDep
from huddle.errors import HuddleError, NotFound
from huddle.notify import brief, churn, digests, follows, impact, preferences, service
from huddle.web.pages import FormActor, PageActor, back, form_id
from huddle.web.render import render

router = APIRouter()

# What a follower hears of each kind of subject, said when they start following.
HEARS = {
    "solution": "when its commitment changes",
    "account": "when its status or risk changes, and of churn warnings",
}


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


@router.get("/solutions/{solution_id}/following", response_class=HTMLResponse)
def solution_follow_button(
    request: Request, solution_id: int, session: SessionDep, actor: PageActor
) -> Response:
    """The Follow button of a solution's page (a part of that page)."""
    return _follow_button(request, session, actor, "solution", solution_id)


@router.get("/accounts/{account_id}/following", response_class=HTMLResponse)
def account_follow_button(
    request: Request, account_id: int, session: SessionDep, actor: PageActor
) -> Response:
    """The Follow button of an account's page (a part of that page)."""
    return _follow_button(request, session, actor, "account", account_id)


def _follow_button(
    request: Request, session: SessionDep, actor: PageActor, subject: str, subject_id: int
) -> Response:
    follows.require_subject(session, subject=subject, subject_id=subject_id, actor=actor)
    return render(
        request,
        "_follow_button.html",
        subject=subject,
        subject_id=subject_id,
        following=follows.following(session, subject=subject, subject_id=subject_id, actor=actor),
        hears=HEARS[subject],
    )


@router.post("/solutions/{solution_id}/follow")
def follow_solution(
    solution_id: int, session: SessionDep, actor: FormActor, on: Annotated[str, Form()] = "1"
) -> Response:
    return _follow(session, actor, "solution", solution_id, on == "1")


@router.post("/accounts/{account_id}/follow")
def follow_account(
    account_id: int, session: SessionDep, actor: FormActor, on: Annotated[str, Form()] = "1"
) -> Response:
    return _follow(session, actor, "account", account_id, on == "1")


def _follow(
    session: SessionDep, actor: FormActor, subject: str, subject_id: int, on: bool
) -> Response:
    now = follows.follow(session, subject=subject, subject_id=subject_id, actor=actor, on=on)
    return back(
        f"/{subject}s/{subject_id}",
        notice=f"Following: you hear {HEARS[subject]}" if now else "Not following",
    )


@router.get("/digests", response_class=HTMLResponse)
def digest_page(
    request: Request, session: SessionDep, actor: PageActor, audience: str = "", format: str = ""
) -> Response:
    """The person's own weekly digest (sales: their accounts; support: this week's tickets),
    as it would be sent now; `format=md` downloads it as Markdown."""
    if audience not in digests.AUDIENCES:
        audience = actor.user.team if actor.user.team in digests.AUDIENCES else "sales"
    found = digests.digest(session, audience=audience, actor=actor)
    if format == "md":
        return Response(
            found.markdown(),
            media_type="text/markdown; charset=utf-8",
            headers={
                "Content-Disposition": f'attachment; filename="digest-{audience}-{found.week}.md"'
            },
        )
    return render(
        request, "digest.html", digest=found, audience=audience, audiences=digests.AUDIENCES
    )


@router.get("/admin/deliveries", response_class=HTMLResponse)
def deliveries_page(
    request: Request,
    session: SessionDep,
    actor: PageActor,
    notice: str | None = None,
    error: str | None = None,
) -> Response:
    return render(
        request,
        "deliveries.html",
        messages=service.deliveries(session, actor=actor),
        notice=notice,
        error=error,
    )


@router.post("/admin/deliveries/{message_id}/replay")
def delivery_replay(message_id: int, session: SessionDep, actor: FormActor) -> Response:
    message = service.replay(session, message_id=message_id, actor=actor)
    return back("/admin/deliveries", notice=f"{message.subject} queued again")


@router.get("/settings/notifications", response_class=HTMLResponse)
def settings_page(
    request: Request,
    session: SessionDep,
    actor: PageActor,
    notice: str | None = None,
    error: str | None = None,
) -> Response:
    return render(
        request, "notification_settings.html", person=actor.user, notice=notice, error=error
    )


@router.post("/settings/notifications")
def settings_save(
    session: SessionDep,
    actor: FormActor,
    email: Annotated[str, Form()] = "",
    quiet: Annotated[str, Form()] = "",
    chat_webhook_url: Annotated[str, Form()] = "",
) -> Response:
    try:
        preferences.update(
            session,
            actor=actor,
            email=email == "on",
            quiet=quiet == "on",
            chat_webhook_url=chat_webhook_url,
        )
    except HuddleError as refused:
        if refused.status == 403:
            raise
        return back("/settings/notifications", error=refused.message)
    return back("/settings/notifications", notice="Saved")


@router.get("/unsubscribe", response_class=HTMLResponse)
def unsubscribe_page(request: Request, u: str = "", t: str = "") -> Response:
    """The link in every email: a page that asks, so a mail scanner opening links changes
    nothing; the button (or a mail client's one-click POST) stops the emails."""
    return render(request, "unsubscribe.html", u=u, t=t, done=False)


@router.post("/unsubscribe", response_class=HTMLResponse)
async def unsubscribe(request: Request, session: SessionDep, u: str = "", t: str = "") -> Response:
    form = await request.form()
    user_id = form_id(str(form.get("u") or u))
    token = str(form.get("t") or t)
    if user_id is None:
        raise NotFound("this link is not valid")
    person = preferences.unsubscribe(session, user_id=user_id, token=token)
    return render(request, "unsubscribe.html", u="", t="", done=True, email=person.email)


@router.get("/my/impact", response_class=HTMLResponse)
def my_impact(request: Request, session: SessionDep, actor: PageActor) -> Response:
    """What a year of my evidence led to (a part of My evidence)."""
    mine = impact.impact(session, actor=actor, days=365, user_id=actor.id)
    return render(request, "_my_impact.html", impact=mine[0] if mine else None)


@router.get("/contributors", response_class=HTMLResponse)
def contributors_page(
    request: Request, session: SessionDep, actor: PageActor, days: int = 90
) -> Response:
    """Who keeps the product team informed, and what their evidence led to."""
    days = min(max(days, 7), 3650)
    return render(
        request,
        "contributors.html",
        rows=impact.impact(session, actor=actor, days=days),
        days=days,
    )


@router.get("/accounts/{account_id}/brief", response_class=HTMLResponse)
def brief_page(
    request: Request,
    account_id: int,
    session: SessionDep,
    actor: PageActor,
    notice: str | None = None,
    error: str | None = None,
) -> Response:
    """Before a call: the account's open problems, what shipped that it asked for, its
    renewal and risk, and the questions to ask; after it, the answers."""
    return render(
        request,
        "brief.html",
        brief=brief.brief(session, account_id=account_id, actor=actor),
        warning=_warning(session, actor, account_id),
        can_answer=may_add_evidence_and_read(actor) is None,
        notice=notice,
        error=error,
    )


@router.post("/accounts/{account_id}/brief/answers")
async def brief_answers(
    request: Request, account_id: int, session: SessionDep, actor: FormActor
) -> Response:
    form = await request.form()
    answers = {
        question_id: str(value)
        for key, value in form.multi_items()
        if key.startswith("answer_")
        and (question_id := form_id(key.removeprefix("answer_"))) is not None
    }
    here = f"/accounts/{account_id}/brief"
    try:
        made = brief.log_answers(session, account_id=account_id, answers=answers, actor=actor)
    except HuddleError as refused:
        if refused.status in (403, 404):
            raise
        return back(here, error=refused.message)
    count = len(made)
    return back(here, notice=f"{count} answer{'s' if count != 1 else ''} added as evidence")


@router.post("/problems/{problem_id}/questions")
def question_add(
    problem_id: int, session: SessionDep, actor: FormActor, text: Annotated[str, Form()] = ""
) -> Response:
    here = f"/problems/{problem_id}"
    try:
        brief.add_question(session, problem_id=problem_id, text=text, actor=actor)
    except HuddleError as refused:
        if refused.status in (403, 404):
            raise
        return back(here, error=refused.message)
    return back(here, notice="Question added: it is on the call brief of every account behind it")


@router.post("/problems/{problem_id}/questions/{question_id}/delete")
def question_delete(
    problem_id: int, question_id: int, session: SessionDep, actor: FormActor
) -> Response:
    brief.remove_question(session, problem_id=problem_id, question_id=question_id, actor=actor)
    return back(f"/problems/{problem_id}", notice="Question removed")


@router.get("/accounts/{account_id}/churn-warning", response_class=HTMLResponse)
def churn_warning(
    request: Request, account_id: int, session: SessionDep, actor: PageActor
) -> Response:
    """The account's churn warning, if it has one (a part of the account's page)."""
    return render(request, "_churn_warning.html", warning=_warning(session, actor, account_id))


def _warning(session: SessionDep, actor: Actor, account_id: int) -> churn.Warning | None:
    accounts.get_account(session, account_id=account_id, actor=actor)  # or NotFound
    found = churn.watch_list(session, actor=actor, account_id=account_id)
    return found[0] if found else None


@router.get("/watch-list", response_class=HTMLResponse)
def watch_list_page(
    request: Request, session: SessionDep, actor: PageActor, mine: str = ""
) -> Response:
    """Customers whose recent evidence says they may leave, with what raised each warning;
    and the accounts a person marked at risk that the evidence does not (or no longer) show."""
    warnings = churn.watch_list(session, actor=actor)
    if mine == "1":
        warnings = [w for w in warnings if w.account.owner_id == actor.id]
    return render(
        request,
        "watch_list.html",
        warnings=warnings,
        quiet=churn.marked_but_quiet(session, warnings, actor=actor),
        mine=mine,
    )
