"""Sending an email message over SMTP (`HUDDLE_SMTP_*`, `HUDDLE_MAIL_FROM`).

A message is sent by a job. Its status says whether it went: one already sent is not sent
again. A worker killed after the server took the mail but before the job's commit leaves it
queued, and the job's next run sends it again, with the same Message-ID (made from the
message's key), which mail systems use to drop the copy: at least once, and recognisably
the same message.
"""

import smtplib
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from sqlalchemy import select
from sqlalchemy.orm import Session

from huddle.config import Settings, get_settings
from huddle.kit.time import utcnow
from huddle.models.message import Message


def _email(message: Message, settings: Settings) -> EmailMessage:
    email = EmailMessage()
    email["From"] = settings.mail_from
    email["To"] = message.address
    email["Subject"] = message.subject
    email["Date"] = formatdate(localtime=False)
    # The same key gives the same Message-ID on every attempt.
    email["Message-ID"] = make_msgid(idstring=message.key.replace(":", "."), domain="huddle")
    email["X-Huddle-Key"] = message.key
    email.set_content(message.body)
    return email


def send_email(message: Message, settings: Settings | None = None) -> None:
    settings = settings or get_settings()
    if not settings.smtp_host:
        raise RuntimeError("no SMTP server is set up (HUDDLE_SMTP_HOST)")
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=30) as server:
        if settings.smtp_tls:
            server.starttls()
        if settings.smtp_user:
            server.login(settings.smtp_user, settings.smtp_password)
        server.send_message(_email(message, settings))


def deliver(session: Session, message_ids: list[int]) -> int:
    """Send the queued email messages among `message_ids`; the number sent. An error stops
    the batch and fails the job, which runs again later (with back-off): the messages sent
    before it are marked sent in a commit of their own first."""
    sent = 0
    statement = (
        select(Message)
        .where(Message.id.in_(message_ids), Message.channel == "email")
        .order_by(Message.id)
    )
    for message in session.scalars(statement):
        if message.status != "queued":
            continue
        message.attempts += 1
        send_email(message)
        message.status = "sent"
        message.sent_at = utcnow()
        session.flush()
        sent += 1
    return sent
