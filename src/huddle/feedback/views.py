from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from huddle.accounts.repository import AccountRepository
from huddle.auth.policies import may_add_evidence, may_manage_accounts, may_triage, require
from huddle.deps import SessionDep
from huddle.errors import HuddleError, Invalid, NotFound
from huddle.feedback import service, triage
from huddle.feedback.accounts_typed import UnknownAccount, resolve_account
from huddle.feedback.repository import TRIAGE_STATES, FeedbackRepository
from huddle.feedback.schemas import FeedbackCreate, FeedbackFilter
from huddle.feedback.triage import MOST_AT_ONCE
from huddle.insights.search import similar_ids
from huddle.insights.service import theme_summaries
from huddle.kit.time import parse_date, utcnow
from huddle.models.enums import DismissReason, SourceKind, Team
from huddle.problems import service as problems
from huddle.problems import team
from huddle.problems.schemas import NewProblemFromFeedback
from huddle.web.pages import (
    FormActor,
    PageActor,
    back,
    first_problem,
    form_id,
    leave,
    local_path,
    picked_id,
    search_words,
)
from huddle.web.render import render
from huddle.web.saved_views import views_for

router = APIRouter()
# The inbox counts what is left up to this many ("1,000+ items left"): counting a million
# unlinked items exactly takes a second on every page.
COUNT_UP_TO = 1_000
# A search by words counts up to this many ("200+ items left"): its matches come from the
# index of the words, and each must then be read from its row (~2 KB) to know whether it is
# open and unlinked. Among a million items, finding 1,001 such matches of "export" read
# 17,793 rows (145-173 ms); 201 take 37-46 ms (PostgreSQL, 2026-12-04).
WORDS_COUNT_UP_TO = 200
PAGE = 50
# Suggestions shown open at the top of the inbox; the rest are one click away.
EXPANDED_SUGGESTIONS = 5
LAST_PAGE = 1_000_000  # past any inbox, and far inside a 64-bit offset


def _today() -> datetime:
    return datetime.combine(utcnow().date(), time.min, tzinfo=UTC)


def _day(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.combine(parse_date(value.replace("\x00", "")), time.min, tzinfo=UTC)
    except ValueError:
        return None


@router.get("/inbox", response_class=HTMLResponse)
def inbox(
    request: Request,
    session: SessionDep,
    actor: PageActor,
    source: str = "",
    team: str = "",
    account_id: str = "",
    segment: str = "",
    since: str = "",
    until: str = "",
    q: str = "",
    match: str = "meaning",
    state: str = "open",
    page: int = 1,
    undo: str = "",
    undo_problem: str = "",
    undo_merge: str = "",
    undo_split: str = "",
    undo_reject: str = "",
    undo_duplicate: str = "",
    undo_keep: str = "",
    notice: str | None = None,
    error: str | None = None,
) -> Response:
    q = search_words(q)
    state = state if state in TRIAGE_STATES else "open"
    filters = {
        "match": match,
        "source": source,
        "team": team,
        "account_id": account_id,
        "segment": segment,
        "since": since,
        "until": until,
        "q": q,
        "state": state if state != "open" else "",
    }
    until_day = _day(until)
    where = FeedbackFilter(
        # A value no item can have is ignored, not sent to the database.
        source=source if source in SourceKind.__members__ else None,
        team=team if team in Team.__members__ else None,
        account_id=form_id(account_id),
        segment=segment.replace("\x00", "") or None,
        since=_day(since),
        # The whole of the last day; the last day there is has no next one.
        until=until_day + timedelta(days=1) if until_day and until_day.year < 9999 else None,
        unlinked=True,
        triage=state,
    )
    scores: dict[int, float] = {}
    if q.strip() and match == "meaning":
        ranked = similar_ids(session, q)
        scores = dict(ranked)
        # Items with the very words come too while they wait to be embedded.
        literal = FeedbackRepository(session).unembedded_matching_ids(actor, q.strip(), limit=200)
        where.ranked_ids = [i for i, _ in ranked] + [i for i in literal if i not in scores]
    elif q.strip():
        where.text = q.strip()
    page = min(max(page, 1), LAST_PAGE)
    cap = WORDS_COUNT_UP_TO if where.text else COUNT_UP_TO
    items, total = service.list_feedback(
        session,
        where=where,
        actor=actor,
        limit=PAGE,
        offset=(page - 1) * PAGE,
        count_up_to=cap,
    )
    accounts = AccountRepository(session)
    can_triage = may_triage(actor) is None
    ranking = problems.problem_choices(session, actor=actor) if can_triage else []
    account = accounts.get(actor, where.account_id) if where.account_id else None
    return render(
        request,
        "inbox.html",
        items=items,
        total=min(total, cap),
        more=total > cap,
        page=page,
        # Past the counted matches, a next page as long as this one is full.
        pages=max(1, -(-total // PAGE), page + 1 if total > cap and len(items) == PAGE else 1),
        qs=urlencode({k: v for k, v in filters.items() if v}),
        filters=filters,
        scores=scores,
        account=account,
        sources=list(SourceKind),
        teams=list(Team),
        segments=accounts.segments(actor),
        problems=ranking,
        titles={p.id: p.title for p in ranking},
        themes=theme_summaries(session, actor=actor, quoted=EXPANDED_SUGGESTIONS)
        if can_triage and page == 1 and not q and state == "open"
        else [],
        state=state,
        views=views_for(session, actor, "inbox") if can_triage else [],
        here_query=request.url.query,
        set_aside=FeedbackRepository(session).set_aside_counts(actor) if can_triage else {},
        reasons=list(DismissReason),
        tomorrow=(utcnow().date() + timedelta(days=1)).isoformat(),
        undo=[i for i in (form_id(part) for part in undo.split(",")[:MOST_AT_ONCE]) if i],
        undo_problem=form_id(undo_problem),
        undo_action=_undo_action(
            undo_merge=undo_merge,
            undo_split=undo_split,
            undo_reject=undo_reject,
            undo_duplicate=undo_duplicate,
            undo_keep=undo_keep,
        ),
        expanded=EXPANDED_SUGGESTIONS,
        can_triage=can_triage,
        notice=notice,
        error=error,
    )


# The undo of each decision on a suggestion or a duplicate, by the name it comes back under.
_UNDO_PATHS = {
    "undo_merge": "/themes/{}/undo-merge",
    "undo_split": "/themes/{}/undo-split",
    "undo_reject": "/themes/{}/undo-reject",
    "undo_duplicate": "/feedback/{}/undo-merge-duplicate",
    "undo_keep": "/feedback/{}/undo-dismiss-duplicate",
}


def _undo_action(**offered: str) -> str | None:
    """Where the undo button of the decision just made posts to, if one was made."""
    for name, value in offered.items():
        chosen = form_id(value)
        if chosen is not None:
            return _UNDO_PATHS[name].format(chosen)
    return None


def _ids(values: list[str]) -> list[int]:
    return [i for i in map(form_id, values) if i is not None]


@router.post("/inbox/link")
def inbox_link(
    request: Request,
    session: SessionDep,
    actor: FormActor,
    ids: Annotated[list[str], Form()] = [],  # noqa: B006
    problem_id: Annotated[str, Form()] = "",
    return_to: Annotated[str, Form()] = "/inbox",
) -> Response:
    require(may_triage(actor))
    target = local_path(return_to, "/inbox")
    if not _ids(ids):
        return back(target, error="Select at least one item first")
    chosen = picked_id(
        problem_id, lambda title: problems.problem_titled(session, title=title, actor=actor)
    )
    if chosen is None:
        return back(target, error="Choose the problem to link to from the list")
    try:
        title = problems.get_problem(session, problem_id=chosen, actor=actor).title
    except NotFound:
        # Offered by the picker when the page was drawn, deleted or merged away since.
        return back(target, error=f"Problem {chosen} is gone (deleted or merged): choose another")
    already = problems.linked_ids(session, problem_id=chosen, actor=actor)
    try:
        linked = problems.link_feedback(
            session, problem_id=chosen, feedback_ids=_ids(ids), actor=actor
        )
    except HuddleError as error:
        if error.status == 403:
            raise
        return back(target, error=f"Nothing was linked: {error}")
    fresh = [i for i in _ids(ids) if i not in already]
    return back(
        target,
        notice=f"Linked {linked} item{'s' if linked != 1 else ''} to “{title}”",
        undo=",".join(map(str, fresh)),
        undo_problem=chosen if fresh else None,
    )


@router.post("/inbox/unlink")
def inbox_unlink(
    session: SessionDep,
    actor: FormActor,
    ids: Annotated[list[str], Form()] = [],  # noqa: B006
    problem_id: Annotated[str, Form()] = "",
    return_to: Annotated[str, Form()] = "/inbox",
) -> Response:
    """The undo of a link made from the inbox."""
    require(may_triage(actor))
    target = local_path(return_to, "/inbox")
    chosen = form_id(problem_id)
    if chosen is None or not _ids(ids):
        return back(target, error="Nothing to take back")
    removed = problems.unlink_feedback(
        session, problem_id=chosen, feedback_ids=_ids(ids), actor=actor
    )
    return back(target, notice=f"Back in the inbox: {removed} item{'s' if removed != 1 else ''}")


def _set_aside(
    ids: list[str], return_to: str, act: Callable[[list[int]], int], done: str
) -> Response:
    target = local_path(return_to, "/inbox")
    chosen = _ids(ids)
    if not chosen:
        return back(target, error="Select at least one item first")
    try:
        changed = act(chosen)
    except HuddleError as problem:
        return back(target, error=str(problem))
    undo = ",".join(map(str, chosen))
    return back(target, notice=f"{done} {changed} item{'s' if changed != 1 else ''}", undo=undo)


@router.post("/inbox/dismiss")
def inbox_dismiss(
    session: SessionDep,
    actor: FormActor,
    ids: Annotated[list[str], Form()] = [],  # noqa: B006
    reason: Annotated[str, Form()] = "",
    return_to: Annotated[str, Form()] = "/inbox",
) -> Response:
    require(may_triage(actor))
    label = reason.replace("_", " ")
    return _set_aside(
        ids,
        return_to,
        lambda chosen: triage.dismiss(session, ids=chosen, reason=reason, actor=actor),
        f"Dismissed as {label}:",
    )


@router.post("/inbox/snooze")
def inbox_snooze(
    session: SessionDep,
    actor: FormActor,
    ids: Annotated[list[str], Form()] = [],  # noqa: B006
    until: Annotated[str, Form()] = "",
    return_to: Annotated[str, Form()] = "/inbox",
) -> Response:
    require(may_triage(actor))
    day = _day(until)
    if day is None:
        return back(local_path(return_to, "/inbox"), error="Choose the day it comes back")
    return _set_aside(
        ids,
        return_to,
        lambda chosen: triage.snooze(session, ids=chosen, until=day.date(), actor=actor),
        f"Snoozed until {day.date().isoformat()}:",
    )


@router.post("/inbox/restore")
def inbox_restore(
    session: SessionDep,
    actor: FormActor,
    ids: Annotated[list[str], Form()] = [],  # noqa: B006
    return_to: Annotated[str, Form()] = "/inbox",
) -> Response:
    require(may_triage(actor))
    target = local_path(return_to, "/inbox")
    chosen = _ids(ids)
    if not chosen:
        return back(target, error="Select at least one item first")
    try:
        changed = triage.restore(session, ids=chosen, actor=actor)
    except HuddleError as problem:
        return back(target, error=str(problem))
    return back(target, notice=f"Back in the inbox: {changed} item{'s' if changed != 1 else ''}")


@router.post("/inbox/new-problem")
def inbox_new_problem(
    request: Request,
    session: SessionDep,
    actor: FormActor,
    ids: Annotated[list[str], Form()] = [],  # noqa: B006
    title: Annotated[str, Form()] = "",
    product_area: Annotated[str, Form()] = "",
) -> Response:
    require(may_triage(actor))
    if not _ids(ids):
        return back("/inbox", error="Select at least one item first")
    try:
        data = NewProblemFromFeedback(
            title=title.strip(), product_area=product_area.strip() or None, feedback_ids=_ids(ids)
        )
    except ValidationError:
        return back("/inbox", error="Give the new problem a title")
    try:
        problem = problems.create_from_feedback(session, data=data, actor=actor)
    except HuddleError as error:
        if error.status == 403:
            raise
        return back("/inbox", error=f"No problem was made: {error}")
    return leave(
        request,
        f"/problems/{problem.id}",
        notice=f"Created from {len(data.feedback_ids)} items",
        undo_new="1",
    )


@router.post("/inbox/undo-new-problem")
def inbox_undo_new_problem(
    session: SessionDep, actor: FormActor, problem_id: Annotated[str, Form()] = ""
) -> Response:
    """The undo of "New problem from selection": the problem goes, its evidence returns."""
    require(may_triage(actor))
    chosen = form_id(problem_id)
    if chosen is None:
        return back("/inbox", error="Nothing to take back")
    held = team.delete_problem(session, problem_id=chosen, actor=actor)
    return back("/inbox", notice=f"Back in the inbox: {held} item{'s' if held != 1 else ''}")


@router.get("/evidence/new", response_class=HTMLResponse)
def evidence_form(request: Request, actor: PageActor, notice: str | None = None) -> Response:
    require(may_add_evidence(actor))
    return render(
        request,
        "evidence_new.html",
        sources=list(SourceKind),
        teams=list(Team),
        notice=notice,
        values={},
        error=None,
    )


@router.post("/evidence")
def evidence_add(
    request: Request,
    session: SessionDep,
    actor: FormActor,
    text: Annotated[str, Form()] = "",
    source: Annotated[str, Form()] = "call",
    account_id: Annotated[str, Form()] = "",
    account_query: Annotated[str, Form()] = "",
    # Sent by the form beside its account field: an empty field then means "no account".
    account_field: Annotated[str, Form()] = "",
    contact_email: Annotated[str, Form()] = "",
    occurred_on: Annotated[str, Form()] = "",
    tags: Annotated[str, Form()] = "",
    link_url: Annotated[str, Form()] = "",
    create_account: Annotated[str, Form()] = "",
) -> Response:
    require(may_add_evidence(actor))
    values = {
        "text": text,
        "source": source,
        "account_id": account_id,
        "account_query": account_query,
        "contact_email": contact_email,
        "occurred_on": occurred_on,
        "tags": tags,
        "link_url": link_url,
    }
    try:
        # A day always: the same words for the same account on the same day are one item
        # (a form sent twice), on another day another mention.
        occurred = _day(occurred_on) if occurred_on else _today()
        if occurred is None:
            raise HuddleError("When: use a date such as 2026-11-30", field="occurred_on")
        if occurred > _today():
            raise Invalid(
                "When: that day has not come yet; use today or a day before", field="occurred_on"
            )
        if not text.strip():
            raise Invalid("What did the customer say? The text is empty", field="text")
        if account_id and form_id(account_id) is None:
            raise Invalid(f"no account {account_id}", field="account_id")
        account = resolve_account(
            session,
            actor=actor,
            chosen_id=form_id(account_id),
            typed=account_query if account_field else None,
            create=create_account == "yes",
        )
        data = FeedbackCreate(
            text=text,
            source=source,
            account_id=account,
            contact_email=contact_email.strip() or None,
            occurred_at=occurred,
            tags=[t for t in tags.split(",")],
            link_url=link_url.strip() or None,
        )
        item, status = service.add_feedback(session, data=data, actor=actor, channel="form")
    except ValidationError as error:
        message = first_problem(error)
        return render(
            request,
            "evidence_new.html",
            status_code=422,
            sources=list(SourceKind),
            teams=list(Team),
            values=values,
            error=message,
            notice=None,
        )
    except HuddleError as error:
        if error.status == 403:
            raise
        unknown = error.message if isinstance(error, UnknownAccount) else None
        return render(
            request,
            "evidence_new.html",
            status_code=error.status,
            sources=list(SourceKind),
            teams=list(Team),
            values=values,
            error=error.message,
            unknown_account=unknown,
            can_create_account=may_manage_accounts(actor) is None,
            notice=None,
        )
    where = f" for {item.account.name}" if item.account else ""
    if status == "unchanged":
        return back("/evidence/new", notice=f"Already there: this evidence was added{where}.")
    return back("/evidence/new", notice=f"Thanks! Evidence added{where}.")


@router.get("/accounts/suggest", response_class=HTMLResponse)
def account_suggest(
    request: Request, session: SessionDep, actor: PageActor, account_query: str = ""
) -> Response:
    items: list[object] = []
    words = search_words(account_query)
    if words:
        items = list(AccountRepository(session).search(actor, text=words, limit=8)[0])
    return render(request, "_account_suggest.html", accounts=items, query=words)
