"""Sending messages: emails over SMTP (`HUDDLE_SMTP_*`, `HUDDLE_MAIL_FROM`) and webhooks
(notify/webhooks.py).

A message is sent by a job. Its status says whether it went: one already sent is not sent
again. A failed attempt is written down (attempts, the error) and the message is tried
again later, 10 s, 20 s, 40 s … at most an hour after, until `HUDDLE_JOB_MAX_ATTEMPTS`
attempts; then it is `failed`, which an admin sees and can replay. A worker killed after
the receiver took a message but before the job's commit leaves it queued, and the next
run sends it again under the same Message-ID or delivery key (made from the message's
key), by which the receiver drops the copy: at least once, recognisably the same message.
"""

import base64
import hashlib
import smtplib
from email import policy
from email.message import EmailMessage
from email.utils import formatdate
from html import escape
from urllib.parse import urlparse

from sqlalchemy import select
from sqlalchemy.orm import Session

from huddle import jobs
from huddle.config import Settings, get_settings
from huddle.jobs.runner import backoff
from huddle.kit.time import utcnow
from huddle.models.message import Message
from huddle.notify.preferences import unsubscribe_url
from huddle.notify.webhooks import send_chat, send_webhook

DELIVER_TASK = "notify.deliver"


def message_id(message: Message, settings: Settings) -> str:
    """The same on every attempt, made from the key alone: a mail system that has the message
    drops the copy."""
    digest = hashlib.sha256(message.key.encode()).hexdigest()[:24]
    domain = urlparse(settings.base_url).hostname or "huddle"
    return f"<huddle.{digest}@{domain}>"


# Headers up to RFC 5322's 998 characters stay on one line: folded, a List-Unsubscribe URL
# with no spaces would be written as an encoded word no mail client reads as a URL.
POLICY = policy.SMTP.clone(max_line_length=998)


def _email(message: Message, settings: Settings, unsubscribe: str | None) -> EmailMessage:
    email = EmailMessage(policy=POLICY)
    email["From"] = settings.mail_from
    email["To"] = message.address
    email["Subject"] = message.subject
    email["Date"] = formatdate(localtime=False)
    email["Message-ID"] = message_id(message, settings)
    email["X-Huddle-Key"] = message.key
    body = message.body
    if unsubscribe:
        email["List-Unsubscribe"] = f"<{unsubscribe}>"
        email["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        body += f"\n\n--\nStop these emails: {unsubscribe}\n"
    email.set_content(body)
    html = str((message.data or {}).get("html") or "")
    if html:
        # A digest: its HTML (charts as images attached by Content-ID) beside the text.
        if unsubscribe:
            stop = (
                f'<p style="color:#6b7280;font-size:12px">'
                f'<a href="{escape(unsubscribe)}">Stop these emails</a></p>'
            )
            html = html.replace("</body>", f"{stop}</body>", 1)
        email.add_alternative(html, subtype="html")
        part = next(p for p in email.iter_parts() if p.get_content_type() == "text/html")
        images = (message.data or {}).get("images")
        for cid, encoded in sorted(images.items() if isinstance(images, dict) else []):
            part.add_related(
                base64.b64decode(encoded), maintype="image", subtype="png", cid=f"<{cid}>"
            )
    return email


def send_email(
    message: Message, settings: Settings | None = None, unsubscribe: str | None = None
) -> None:
    settings = settings or get_settings()
    if not settings.smtp_host:
        raise RuntimeError("no SMTP server is set up (HUDDLE_SMTP_HOST)")
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=30) as server:
        if settings.smtp_tls:
            server.starttls()
        if settings.smtp_user:
            server.login(settings.smtp_user, settings.smtp_password)
        server.send_message(_email(message, settings, unsubscribe))


SENDERS = {"email": send_email, "webhook": send_webhook, "chat": send_chat}


def deliver(session: Session, message_ids: list[int]) -> int:
    """Send the queued messages among `message_ids`; the number sent."""
    sent = 0
    settings = get_settings()
    statement = (
        select(Message)
        .where(Message.id.in_(message_ids), Message.channel.in_(list(SENDERS)))
        .order_by(Message.id)
    )
    for message in session.scalars(statement):
        if message.status != "queued":
            continue
        message.attempts += 1
        try:
            if message.channel == "email":
                link = (
                    unsubscribe_url(session, message.recipient_id) if message.recipient_id else None
                )
                send_email(message, settings, link)
            else:
                SENDERS[message.channel](message, settings)
        except (OSError, RuntimeError, smtplib.SMTPException) as error:
            message.last_error = str(error)[:2000]
            if message.attempts >= settings.job_max_attempts:
                message.status = "failed"
            else:
                jobs.defer(
                    session,
                    DELIVER_TASK,
                    ids=[message.id],
                    run_after=utcnow() + backoff(message.attempts),
                )
            session.flush()
            continue
        message.status = "sent"
        message.sent_at = utcnow()
        message.last_error = ""
        session.flush()
        sent += 1
    return sent


def replay(session: Session, message_id: int) -> Message | None:
    """Send a delivered or failed message again (an admin's replay), under the same key."""
    message = session.get(Message, message_id)
    if message is None or message.channel not in SENDERS:
        return None
    message.status = "queued"
    message.attempts = 0
    message.last_error = ""
    session.flush()
    jobs.defer(session, DELIVER_TASK, ids=[message.id])
    return message
