from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from huddle.accounts import service
from huddle.accounts.repository import AccountRepository, ContactRepository
from huddle.deps import SessionDep
from huddle.feedback import service as feedback
from huddle.feedback.schemas import FeedbackFilter
from huddle.problems import service as problems
from huddle.web.pages import PageActor, search_words
from huddle.web.render import render

router = APIRouter()
PAGE = 50
LAST_PAGE = 1_000_000  # past any list of accounts, and far inside a 64-bit offset


@router.get("/accounts", response_class=HTMLResponse)
def account_list(
    request: Request,
    session: SessionDep,
    actor: PageActor,
    q: str = "",
    segment: str = "",
    risk: str = "",
    mine: str = "",
    sort: str = "arr",
    page: int = 1,
) -> Response:
    repo = AccountRepository(session)
    page = min(max(page, 1), LAST_PAGE)
    q, segment = search_words(q), search_words(segment)
    items, total = repo.search(
        actor,
        text=q or None,
        segment=segment or None,
        at_risk=True if risk == "1" else None,
        owner_id=actor.id if mine == "1" else None,
        sort=sort,
        limit=PAGE,
        offset=(page - 1) * PAGE,
    )
    return render(
        request,
        "accounts.html",
        items=items,
        total=total,
        page=page,
        pages=max(1, -(-total // PAGE)),
        q=q,
        segment=segment,
        risk=risk,
        mine=mine,
        sort=sort,
        segments=repo.segments(actor),
    )


@router.get("/accounts/{account_id}", response_class=HTMLResponse)
def account_page(
    request: Request,
    account_id: int,
    session: SessionDep,
    actor: PageActor,
    notice: str | None = None,
) -> Response:
    account = service.get_account(session, account_id=account_id, actor=actor)
    evidence, total = feedback.list_feedback(
        session, where=FeedbackFilter(account_id=account.id), actor=actor, limit=200
    )
    linked = {pid for item in evidence for pid in item.problem_ids}
    ranked = [p for p in problems.ranked_problems(session, actor=actor) if p.id in linked]
    mentions: dict[int, int] = {}
    for item in evidence:
        for pid in item.problem_ids:
            mentions[pid] = mentions.get(pid, 0) + 1
    return render(
        request,
        "account.html",
        account=account,
        evidence=evidence,
        total=total,
        problems=ranked,
        mentions=mentions,
        contacts=ContactRepository(session).for_account(account.id),
        notice=notice,
    )
