"""Each person's notification settings, and unsubscribing from an email without signing in.

- `email_notifications`: off, no email at all (messages stay in the app).
- `quiet`: by email only the weekly digest; everything else in the app.

Every email carries a link to stop them (and the `List-Unsubscribe` headers mail clients
show as a button, RFC 8058's one-click included). The link holds the person's id and an
HMAC of it under the workspace's secret (`HUDDLE_SECRET_KEY`, or one Huddle draws once and
keeps in the database), so it works without signing in and for that person only.
"""

import hashlib
import hmac
import secrets

from sqlalchemy.orm import Session

from huddle.activity import record
from huddle.auth.actor import Actor
from huddle.auth.policies import may_read, require
from huddle.config import get_settings
from huddle.errors import Invalid, NotFound, NotPermitted
from huddle.models.meta import WorkspaceMeta
from huddle.models.user import User

SECRET_KEY = "notify.secret"


def _secret(session: Session) -> bytes:
    configured = get_settings().secret_key
    if configured:
        return configured.encode()
    row = session.get(WorkspaceMeta, SECRET_KEY)
    if row is None:
        row = WorkspaceMeta(key=SECRET_KEY, value={"secret": secrets.token_hex(32)})
        session.add(row)
        session.flush()
    return str(row.value["secret"]).encode()


def unsubscribe_token(session: Session, user_id: int) -> str:
    digest = hmac.new(_secret(session), f"unsubscribe:{user_id}".encode(), hashlib.sha256)
    return digest.hexdigest()[:32]


def unsubscribe_url(session: Session, user_id: int) -> str:
    base = get_settings().base_url.rstrip("/")
    return f"{base}/unsubscribe?u={user_id}&t={unsubscribe_token(session, user_id)}"


def unsubscribe(session: Session, *, user_id: int, token: str) -> User:
    """Stop every email to the person the link was made for."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("this link is not valid")
    if not hmac.compare_digest(unsubscribe_token(session, user_id), token or ""):
        raise NotPermitted("this link is not valid: use the one in your latest email")
    if user.email_notifications:
        user.email_notifications = False
        session.flush()
        record(session, Actor(user), "unsubscribed", user, "stopped email notifications")
    return user


def update(
    session: Session,
    *,
    actor: Actor,
    email: bool | None,
    quiet: bool | None,
    chat_webhook_url: str | None = None,
) -> User:
    """Change the actor's own settings; `chat_webhook_url` "" clears it, None leaves it."""
    require(may_read(actor))
    user = actor.user
    if email is not None:
        user.email_notifications = email
    if quiet is not None:
        user.quiet = quiet
    if chat_webhook_url is not None:
        url = chat_webhook_url.strip()
        if url and not url.startswith(("https://", "http://")):
            raise Invalid("a chat webhook is an http(s) URL", field="chat_webhook_url")
        if len(url) > 500:
            raise Invalid("a chat webhook URL is at most 500 characters", field="chat_webhook_url")
        user.chat_webhook_url = url or None
    session.flush()
    return user


def wants_chat(user: User, key: str) -> bool:
    """Whether a message under `key` is posted to `user`'s chat webhook too."""
    if not (user.chat_webhook_url and user.is_active):
        return False
    return not user.quiet or key.startswith("digest:")


def wants_email(user: User, key: str) -> bool:
    """Whether a message under `key` goes to `user` by email too."""
    if not (user.email and user.is_active and user.email_notifications):
        return False
    return not user.quiet or key.startswith("digest:")
