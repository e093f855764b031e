from fastapi import APIRouter, Query

from huddle.accounts import service
from huddle.accounts.repository import AccountRepository
from huddle.accounts.schemas import AccountCreate, AccountList, AccountRead, AccountUpdate
from huddle.deps import RequirePM, RequireReader, SessionDep
from huddle.params import Offset, PathId, QueryText
from huddle.web.errors import documented

router = APIRouter(prefix="/api/v1/accounts", tags=["accounts"])


@router.get("", response_model=AccountList)
def list_accounts(
    session: SessionDep,
    actor: RequireReader,
    q: QueryText = None,
    segment: QueryText = None,
    at_risk: bool | None = None,
    sort: str = Query("arr", pattern="^(arr|name|renewal)$"),
    limit: int = Query(50, ge=1, le=500),
    offset: Offset = 0,
) -> AccountList:
    items, total = AccountRepository(session).search(
        actor, text=q, segment=segment, at_risk=at_risk, sort=sort, limit=limit, offset=offset
    )
    return AccountList(items=[AccountRead.model_validate(a) for a in items], total=total)


@router.post("", response_model=AccountRead, status_code=201, responses=documented(409))
def create_account(data: AccountCreate, session: SessionDep, actor: RequirePM) -> AccountRead:
    return AccountRead.model_validate(service.create_account(session, data=data, actor=actor))


@router.get("/{account_id}", response_model=AccountRead, responses=documented(404))
def get_account(account_id: PathId, session: SessionDep, actor: RequireReader) -> AccountRead:
    return AccountRead.model_validate(
        service.get_account(session, account_id=account_id, actor=actor)
    )


@router.patch("/{account_id}", response_model=AccountRead, responses=documented(404))
def update_account(
    account_id: PathId, data: AccountUpdate, session: SessionDep, actor: RequirePM
) -> AccountRead:
    account = service.update_account(session, account_id=account_id, data=data, actor=actor)
    return AccountRead.model_validate(account)
