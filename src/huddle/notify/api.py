"""Following solutions and accounts through the API, to hear when they change; notification
settings; the watch list of accounts that may leave."""

from fastapi import APIRouter
from pydantic import BaseModel, Field

from huddle.deps import RequireReader, SessionDep
from huddle.notify import churn, follows, preferences
from huddle.notify.schemas import WarningRead, warning_read
from huddle.params import Flag, Input, PathId
from huddle.web.errors import documented

router = APIRouter(prefix="/api/v1", tags=["notifications"])


class FollowingRead(BaseModel):
    following: bool


def _follow(
    session: SessionDep, actor: RequireReader, subject: str, subject_id: int, on: bool
) -> FollowingRead:
    found = follows.follow(session, subject=subject, subject_id=subject_id, actor=actor, on=on)
    return FollowingRead(following=found)


@router.put(
    "/solutions/{solution_id}/following", response_model=FollowingRead, responses=documented(404)
)
def follow_solution(
    solution_id: PathId, session: SessionDep, actor: RequireReader
) -> FollowingRead:
    """Hear when the solution's commitment changes (in the app, by email, with the reason)."""
    return _follow(session, actor, "solution", solution_id, True)


@router.delete(
    "/solutions/{solution_id}/following", response_model=FollowingRead, responses=documented(404)
)
def unfollow_solution(
    solution_id: PathId, session: SessionDep, actor: RequireReader
) -> FollowingRead:
    return _follow(session, actor, "solution", solution_id, False)


@router.put(
    "/accounts/{account_id}/following", response_model=FollowingRead, responses=documented(404)
)
def follow_account(account_id: PathId, session: SessionDep, actor: RequireReader) -> FollowingRead:
    """Hear when the account's status or risk changes."""
    return _follow(session, actor, "account", account_id, True)


@router.delete(
    "/accounts/{account_id}/following", response_model=FollowingRead, responses=documented(404)
)
def unfollow_account(
    account_id: PathId, session: SessionDep, actor: RequireReader
) -> FollowingRead:
    return _follow(session, actor, "account", account_id, False)


class NotificationSettings(Input):
    email: Flag | None = Field(default=None, description="email too; false: in the app only")
    quiet: Flag | None = Field(default=None, description="by email only the weekly digest")
    chat_webhook_url: str | None = Field(
        default=None, max_length=500, description="Slack-format incoming webhook; empty clears"
    )


class NotificationSettingsRead(BaseModel):
    email: bool
    quiet: bool
    chat_webhook_url: str | None


@router.get("/me/notifications", response_model=NotificationSettingsRead)
def my_settings(actor: RequireReader) -> NotificationSettingsRead:
    user = actor.user
    return NotificationSettingsRead(
        email=user.email_notifications, quiet=user.quiet, chat_webhook_url=user.chat_webhook_url
    )


@router.put("/me/notifications", response_model=NotificationSettingsRead)
def set_my_settings(
    data: NotificationSettings, session: SessionDep, actor: RequireReader
) -> NotificationSettingsRead:
    user = preferences.update(
        session,
        actor=actor,
        email=data.email,
        quiet=data.quiet,
        chat_webhook_url=data.chat_webhook_url,
    )
    return NotificationSettingsRead(
        email=user.email_notifications, quiet=user.quiet, chat_webhook_url=user.chat_webhook_url
    )


@router.get("/watch-list", response_model=list[WarningRead])
def watch_list(session: SessionDep, actor: RequireReader) -> list[WarningRead]:
    """Customers whose recent evidence says they may leave, the most urgent first, each with
    the signals that raised it and the evidence behind them."""
    return [warning_read(w) for w in churn.watch_list(session, actor=actor)]
