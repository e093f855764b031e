"""Each person chooses: emails or not, and quiet (by email only the weekly digest). Every
email carries a signed link (and List-Unsubscribe headers) that stops them without signing
in, for that person only."""

import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from huddle.auth.actor import Actor
from huddle.jobs.runner import run_until_idle
from huddle.models.message import Message
from huddle.models.user import User
from huddle.notify import digests
from huddle.notify.preferences import unsubscribe_token
from tests.helpers import bearer, client, login
from tests.notify.conftest import Inbox, Receiver
from tests.notify.test_shipped import _ship, _workspace


def test_quiet_and_email_off_are_respected(
    database_url: str, session: Session, smtp: Inbox
) -> None:
    made = _workspace(session)
    olga, sam, rita = made["olga"], made["sam"], made["rita"]
    api = client(database_url)
    assert api.put(
        "/api/v1/me/notifications", json={"quiet": True}, headers=bearer(session, olga)
    ).json() == {  # type: ignore[arg-type]
        "email": True,
        "quiet": True,
        "chat_webhook_url": None,
    }
    browser = client(database_url)
    csrf = login(browser, sam.email)  # type: ignore[attr-defined]
    saved = browser.post(
        "/settings/notifications", data={"csrf_token": csrf}, follow_redirects=False
    )
    assert saved.status_code == 303  # both boxes unticked: no email at all
    _ship(session, made)
    run_until_idle(database_url)
    to = {m["To"] for m in smtp.received}
    assert olga.email not in to and sam.email not in to  # type: ignore[attr-defined]
    assert rita.email in to  # type: ignore[attr-defined]
    # Everyone still has it in the app.
    in_app = set(session.scalars(select(Message.recipient_id).where(Message.channel == "app")))
    assert {olga.id, sam.id, rita.id} <= in_app  # type: ignore[attr-defined]
    # Quiet still gets the weekly digest by email; email off gets nothing.
    session.expire_all()
    _, emails = digests.send_digests(session, audience="sales")
    session.commit()
    recipients = {session.get(Message, i).address for i in emails}  # type: ignore[union-attr]
    assert olga.email in recipients and sam.email not in recipients  # type: ignore[attr-defined]


def test_the_link_in_an_email_stops_them_for_that_person_only(
    database_url: str, session: Session, smtp: Inbox
) -> None:
    made = _workspace(session)
    _ship(session, made)
    run_until_idle(database_url)
    rita = made["rita"]
    [email] = [m for m in smtp.received if m["To"] == rita.email]  # type: ignore[attr-defined]
    body = email.get_payload(decode=True).decode()
    link = next(line for line in body.splitlines() if line.startswith("Stop these emails: "))
    url = link.removeprefix("Stop these emails: ")
    assert email["List-Unsubscribe"] == f"<{url}>"
    assert email["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    path = url.split("huddle.example", 1)[1]
    anyone = client(database_url)
    page = anyone.get(path)
    assert page.status_code == 200 and "Stop emails" in page.text
    session.expire_all()
    assert session.get(User, rita.id).email_notifications is True  # type: ignore[union-attr, attr-defined]
    # A mail client's one-click POST to the same URL.
    done = anyone.post(path, data={"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200 and "No more emails" in done.text
    session.expire_all()
    assert session.get(User, rita.id).email_notifications is False  # type: ignore[union-attr, attr-defined]
    # Rita's token does not work for Cal, nor a made-up one.
    cal = made["cal"]
    forged = anyone.post(
        "/unsubscribe",
        data={"u": str(cal.id), "t": unsubscribe_token(session, rita.id)},  # type: ignore[attr-defined]
    )
    assert forged.status_code == 403
    assert anyone.post("/unsubscribe", data={"u": str(cal.id), "t": "0" * 64}).status_code == 403  # type: ignore[attr-defined]
    session.expire_all()
    assert session.get(User, cal.id).email_notifications is True  # type: ignore[union-attr, attr-defined]
    assert Actor  # the settings page is reached signed in: tests/web/test_pages.py


def test_a_persons_chat_webhook_gets_slack_format_posts(
    database_url: str, session: Session, receiver: Receiver
) -> None:
    made = _workspace(session)
    olga = made["olga"]
    api = client(database_url)
    bad = api.put(
        "/api/v1/me/notifications",
        json={"chat_webhook_url": "ftp://example.com/x"},
        headers=bearer(session, olga),  # type: ignore[arg-type]
    )
    assert bad.status_code == 422
    chat = receiver.url.replace("/hooks/huddle", "/chat/olga")
    saved = api.put(
        "/api/v1/me/notifications",
        json={"chat_webhook_url": chat},
        headers=bearer(session, olga),  # type: ignore[arg-type]
    )
    assert saved.json()["chat_webhook_url"] == chat
    _ship(session, made)
    run_until_idle(database_url)
    posts = [
        json.loads(body) for headers, body in receiver.posts if "X-Huddle-Event" not in headers
    ]
    assert len(posts) == 1 and set(posts[0]) == {"text"}
    assert posts[0]["text"].startswith("*Shipped: “SAML single sign-on”")
    assert "Acme" in posts[0]["text"]
