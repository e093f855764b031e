"""What round 30 showed, each on a small input of its own: mail as mail services' APIs give
it, read as the mail it stands for. Mailgun's stored messages (its `stripped-text` not
trusted, its spam flag heeded, a form POST's and a raw mail's variants, its events named) and
a page of Nylas's messages (spam and draft folders, headers when asked, the next page told,
one alone, webhook notifications, v2, a body left out named)."""

import base64
import json
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from huddle.connectors.base import ConnectorOptions
from tests.connectors.helpers import came_in, left_out_of, read_clean, refused, run, write_json
from tests.factories import actor, create_account

OURS = ConnectorOptions(internal_domains=("ourco.com",))


def _mailgun(sender: str, subject: str, text: str, **more: Any) -> dict[str, Any]:
    """A stored message as `GET /v3/domains/{domain}/messages/{key}` gives it."""
    slug = subject.lower().replace(" ", "-").replace(":", "")
    headers = [
        ["Received", "from mx.example by mxa.mailgun.org; Tue, 01 Dec 2026 09:14:22 -0600"],
        ["From", sender],
        ["Date", "Tue, 01 Dec 2026 09:14:22 -0600"],
        ["Message-Id", f"<{slug}@mail.example>"],
        ["Subject", subject],
        ["To", "OurCo Feedback <feedback@ourco.com>"],
        ["Content-Type", "text/plain; charset=utf-8"],
        *more.pop("headers", []),
    ]
    return {
        "From": sender,
        "Subject": subject,
        "attachments": [],
        "body-plain": text,
        "content-id-map": {},
        "from": sender,
        "message-headers": headers,
        "recipients": "feedback@ourco.com",
        "sender": sender.rpartition("<")[2].rstrip(">"),
        "stripped-text": more.pop("stripped", text),
        "subject": subject,
        "timestamp": "1796138065",
        **more,
    }


INLINE = _mailgun(
    "Nadia Petrov <nadia.petrov@gmail.com>",
    "Re: Price sync",
    "Answers inline below.\n\nOn Tue, Dec 1, 2026 at 11:40 AM Kelsey <kelsey@ourco.com> wrote:\n"
    "> 1. How often do price changes fail?\n\nTwo stores miss a change every day.\n\n"
    "> 2. Would a resync button help?\n\nYes, the full push takes the stores offline.\n\n"
    "Nadia Petrov\nStore Systems Manager, Umbrella Retail\n",
    stripped="Answers inline below.",
)
FORWARD = _mailgun(
    "Sam Ortiz <sam@ourco.com>",
    "Fwd: Scanner feedback",
    "FYI, from Vandelay.\n\nBegin forwarded message:\n\n"
    "From: Marco Bianchi <marco@vandelay.example>\nSubject: Scanner feedback\n"
    "Date: 3 December 2026 at 16:05:12 GMT-5\nTo: Sam Ortiz <sam@ourco.com>\n\n"
    "The scan button is too small to hit with gloves.\n\nMarco\n",
    stripped="FYI, from Vandelay.",
)


def test_mailgun_stored_messages_are_read_as_their_mail(tmp_path: Path) -> None:
    """Each is the mail it stands for, its own quotes and signature cut: not Mailgun's
    `stripped-text`, which stops an inline-answered reply at its first line and keeps only
    the forwarder's note of a forward."""
    read = read_clean("email", write_json(tmp_path / "stored.json", [INLINE, FORWARD]), OURS)
    assert [
        (f.contact_email, f.title, f.text, f.external_id, str(f.occurred_at)) for f in read.feedback
    ] == [
        (
            "nadia.petrov@gmail.com",
            "Re: Price sync",
            "Answers inline below.\n\nTwo stores miss a change every day.\n\n"
            "Yes, the full push takes the stores offline.",
            "re-price-sync@mail.example",
            "2026-12-01 09:14:22-06:00",
        ),
        (
            "marco@vandelay.example",
            "Scanner feedback",
            "The scan button is too small to hit with gloves.",
            "fwd-scanner-feedback@mail.example",
            "2026-12-03 16:05:12-05:00",
        ),
    ]
    assert read.feedback[0].mentions == ("Store Systems Manager, Umbrella Retail",)


def test_mailguns_spam_flag_and_the_mails_own_headers_say_what_is_noise(tmp_path: Path) -> None:
    """`X-Mailgun-Sflag: Yes` is Mailgun's spam verdict however plain the words; `No` is
    read; an out-of-office by its Auto-Submitted header; a bounce by its sender."""
    flagged = _mailgun(
        "Deals <deals@partner.example>",
        "Quick question",
        "Can we schedule a call about your roadmap next week?",
        headers=[["X-Mailgun-Sflag", "Yes"], ["X-Mailgun-Sscore", "9.1"]],
    )
    clean = _mailgun(
        "Jo <jo@hooli.example>",
        "Exports",
        "The export drops the store column.",
        headers=[["X-Mailgun-Sflag", "No"], ["X-Mailgun-Sscore", "0.2"]],
    )
    away = _mailgun(
        "Marcus <marcus@hooli.example>",
        "Automatic reply: Release notes",
        "I am away until Monday.",
        headers=[["Auto-Submitted", "auto-replied"]],
    )
    bounce = _mailgun(
        "Mail Delivery Subsystem <mailer-daemon@googlemail.com>",
        "Delivery Status Notification (Failure)",
        "Your message wasn't delivered to ops@umbrella.example.",
    )
    path = write_json(tmp_path / "stored.json", [flagged, clean, away, bounce])
    read = read_clean("email", path, OURS)
    assert [f.text for f in read.feedback] == ["The export drops the store column."]
    assert [reason for reason, _ in left_out_of(read)] == ["spam", "auto-reply", "auto-reply"]


def test_one_stored_message_alone_and_json_lines_read_alike(tmp_path: Path) -> None:
    alone = read_clean("email", write_json(tmp_path / "one.json", FORWARD), OURS)
    lines = tmp_path / "stored.jsonl"
    lines.write_text(json.dumps(INLINE) + "\n" + json.dumps(FORWARD) + "\n", encoding="utf-8")
    many = read_clean("email", lines, OURS)
    assert [f.contact_email for f in alone.feedback] == ["marco@vandelay.example"]
    assert [(f.line, f.contact_email) for f in many.feedback] == [
        (1, "nadia.petrov@gmail.com"),
        (2, "marco@vandelay.example"),
    ]


def test_a_forward_routes_post_kept_as_json(tmp_path: Path) -> None:
    """A `forward()` route's form fields, kept as JSON: `message-headers` a JSON string, or
    left out with the mail's headers beside Mailgun's own keys; `body-html` alone."""
    posted = {**INLINE, "message-headers": json.dumps(INLINE["message-headers"])}
    bare = {
        "From": "Lena Okafor <lena@umbrella.example>",
        "Subject": "SFTP export",
        "Date": "Wed, 02 Dec 2026 10:00:00 +0100",
        "Message-Id": "<sftp@umbrella.example>",
        "X-Mailgun-Sflag": "No",
        "from": "Lena Okafor <lena@umbrella.example>",
        "subject": "SFTP export",
        "body-plain": "",
        # The HTML parts as Mailgun's route documentation has them: a list.
        "body-html": ["<p>The SFTP export fails silently.</p><p>Lena</p>"],
        "timestamp": "1796200000",
    }
    read = read_clean("email", write_json(tmp_path / "posted.json", [posted, bare]), OURS)
    assert [(f.text, f.external_id, str(f.occurred_at)) for f in read.feedback] == [
        (
            "Answers inline below.\n\nTwo stores miss a change every day.\n\n"
            "Yes, the full push takes the stores offline.",
            "re-price-sync@mail.example",
            "2026-12-01 09:14:22-06:00",
        ),
        ("The SFTP export fails silently.", "sftp@umbrella.example", "2026-12-02 10:00:00+01:00"),
    ]


def test_a_message_kept_without_headers_is_dated_by_mailguns_timestamp(tmp_path: Path) -> None:
    """No header list, no Date: when Mailgun received it (its `timestamp`), with a word;
    Mailgun's `stripped-text` stands in only when the message holds no other body."""
    kept = {
        "from": "Jo <jo@hooli.example>",
        "subject": "Rate limit",
        "body-plain": "",
        "stripped-text": "We hit the rate limit twice today.",
        "timestamp": 1796138065,
    }
    read = read_clean("email", write_json(tmp_path / "one.json", kept), OURS)
    assert [(f.contact_email, f.title, f.text, str(f.occurred_at)) for f in read.feedback] == [
        (
            "jo@hooli.example",
            "Rate limit",
            "We hit the rate limit twice today.",
            "2026-12-01 15:14:25+00:00",
        )
    ]
    assert "the time it was received was used" in read.warnings[0].reason


def test_the_raw_mail_is_read_when_mailgun_gives_it(tmp_path: Path) -> None:
    """Asked for `message/rfc2822`, the stored message is the mail as it came (`body-mime`),
    its spam flag heeded too."""
    raw = (
        "From: Lena Okafor <lena@umbrella.example>\r\nSubject: {subject}\r\n"
        "Date: Tue, 01 Dec 2026 10:00:00 +0100\r\nMessage-ID: <{subject}@umbrella.example>\r\n"
        "X-Mailgun-Sflag: {flag}\r\n\r\n{words}\r\n"
    )
    kept = [
        {"recipients": "feedback@ourco.com", "from": "lena@umbrella.example", "body-mime": m}
        for m in (
            raw.format(subject="sftp", flag="No", words="The SFTP export fails silently."),
            raw.format(subject="seo", flag="Yes", words="Rank first on Google today."),
        )
    ]
    read = read_clean("email", write_json(tmp_path / "mime.json", kept), OURS)
    assert [(f.text, f.external_id) for f in read.feedback] == [
        ("The SFTP export fails silently.", "sftp@umbrella.example")
    ]
    assert [reason for reason, _ in left_out_of(read)] == ["spam"]


def test_a_photo_sent_alone_is_nothing_to_read(tmp_path: Path) -> None:
    photo = _mailgun("Jo <jo@hooli.example>", "Screenshot", "")
    photo["stripped-text"] = ""
    photo["attachments"] = [
        {
            "url": "https://se.api.mailgun.net/v3/…/attachments/0",
            "content-type": "image/png",
            "name": "screen.png",
            "size": 48213,
        }
    ]
    read = read_clean("email", write_json(tmp_path / "one.json", [photo, FORWARD]), OURS)
    assert [f.contact_email for f in read.feedback] == ["marco@vandelay.example"]


def test_a_page_of_mailgun_events_is_named(tmp_path: Path, session: Session) -> None:
    page = {
        "items": [
            {
                "event": "stored",
                "timestamp": 1796138065.1,
                "id": "czsjqFATSlC3QtAK-C80nw",
                "storage": {
                    "url": "https://se.api.mailgun.net/v3/domains/mg/messages/AgE",
                    "key": "AgE",
                },
                "message": {"headers": {"from": "jo@hooli.example", "subject": "Exports"}},
            }
        ],
        "paging": {"next": "https://api.mailgun.net/v3/mg/events/W3siY"},
    }
    path = write_json(tmp_path / "events.json", page)
    failure = refused(session, actor(session, "admin"), "email", path)
    assert "page of Mailgun events" in failure.report.errors[0].reason


def _nylas(sender: tuple[str, str], subject: str, body: str, **more: Any) -> dict[str, Any]:
    """A message as Nylas v3's Messages API gives it."""
    return {
        "starred": False,
        "unread": True,
        "folders": more.pop("folders", ["INBOX"]),
        "grant_id": "3f8c6a1e-2b7d-4e90-9c1a-5d6e7f8a9b0c",
        "date": more.pop("date", 1796313720),
        "attachments": [],
        "bcc": [],
        "cc": [],
        "body": body,
        "from": [{"name": sender[0], "email": sender[1]}],
        "id": f"msg-{len(subject)}",
        "object": "message",
        "reply_to": [],
        "snippet": body[:100],
        "subject": subject,
        "thread_id": "1ccbb44c694a35704da0",
        "to": [{"name": "Dana Lee", "email": "dana@ourco.com"}],
        "created_at": 1796313720,
        **more,
    }


GMAIL_REPLY = _nylas(
    ("Ana Lopes", "ana.lopes@hooli.example"),
    "Re: Advisory session",
    '<div dir="ltr"><div>Splitting the invoice by cost center would save us hours.</div>'
    "<div><br></div><div>Thanks,</div><div>Ana</div></div><br>"
    '<div class="gmail_quote"><div class="gmail_attr">On Wed, Dec 2, 2026 at 5:10 PM Dana Lee '
    '&lt;dana@ourco.com&gt; wrote:<br></div><blockquote class="gmail_quote">'
    "<div>Thank you for joining the advisory session.</div></blockquote></div>",
)
PHONE = _nylas(
    ("Kofi Mensah", "kofi@initech.example"),
    "Swap notifications",
    '<div dir="auto">Android nurses get no push notifications for swaps.</div>'
    '<div dir="auto"><br></div><div dir="auto">Sent from my iPhone</div>',
    date=1796428080,
)


def _page(*messages: dict[str, Any], cursor: str | None = None) -> dict[str, Any]:
    return {"request_id": "5fa64c92", "data": list(messages), "next_cursor": cursor}


def test_a_nylas_page_is_read_as_its_mail(tmp_path: Path) -> None:
    """Each message its HTML body's words without Gmail's quote or the phone's line, dated by
    `date` (Unix seconds), from its `from`; not a call, as the transcript reader took it."""
    read = read_clean("email", write_json(tmp_path / "page.json", _page(GMAIL_REPLY, PHONE)), OURS)
    assert [(f.contact_email, f.title, f.text, str(f.occurred_at)) for f in read.feedback] == [
        (
            "ana.lopes@hooli.example",
            "Re: Advisory session",
            "Splitting the invoice by cost center would save us hours.",
            "2026-12-03 16:02:00+00:00",
        ),
        (
            "kofi@initech.example",
            "Swap notifications",
            "Android nurses get no push notifications for swaps.",
            "2026-12-04 23:48:00+00:00",
        ),
    ]
    assert read.warnings == []


def test_nylas_folders_say_spam_and_drafts(tmp_path: Path) -> None:
    """A message in Gmail's SPAM label, or an IMAP junk folder, is spam however plain its
    words; a draft was never sent and is passed over; Trash is still the customer's mail."""
    spam = _nylas(
        ("Deals", "deals@partner.example"),
        "Call",
        "<p>Can we talk next week?</p>",
        folders=["SPAM"],
    )
    junk = _nylas(
        ("Deals", "deals@partner.example"),
        "Again",
        "<p>Free audit for you.</p>",
        folders=["INBOX.Junk"],
    )
    draft = _nylas(
        ("Dana Lee", "dana@ourco.com"), "Draft", "<p>Half a reply</p>", folders=["DRAFT"]
    )
    binned = _nylas(
        ("Jo", "jo@hooli.example"),
        "Exports",
        "<p>The export drops a column.</p>",
        folders=["TRASH"],
    )
    path = write_json(tmp_path / "page.json", _page(spam, junk, draft, binned))
    read = read_clean("email", path, OURS)
    assert [f.text for f in read.feedback] == ["The export drops a column."]
    assert left_out_of(read) == [
        ("spam", "Can we talk next week?"),
        ("spam", "Free audit for you."),
    ]


def test_a_nylas_message_of_files_alone_is_nothing_to_read(tmp_path: Path) -> None:
    """Nylas gives attachments by name (`filename`, `content_type`), without content: a
    photo sent with no words is passed over, not a message with no text."""
    photo = _nylas(("Jo", "jo@hooli.example"), "Screenshot", "")
    photo["attachments"] = [
        {"id": "v0:c2NyZWVu", "filename": "screen.png", "content_type": "image/png", "size": 48213}
    ]
    read = read_clean("email", write_json(tmp_path / "page.json", _page(photo, PHONE)), OURS)
    assert [f.contact_email for f in read.feedback] == ["kofi@initech.example"]


def test_nylas_headers_when_asked_are_the_mails(tmp_path: Path) -> None:
    """`headers` (asked with `fields=include_headers`): an out-of-office by Auto-Submitted,
    the mail's Message-ID its id; Nylas's own fields over the headers."""
    away = _nylas(
        ("Rita Vasquez", "rita@vandelay.example"),
        "Quote",
        "<div>Back on December 14.</div>",
        headers=[{"name": "Auto-Submitted", "value": "auto-replied"}],
    )
    known = _nylas(
        ("Lena Marsh", "lena@brightwater.example"),
        "CSV import",
        "<div>The CSV import rejects DD/MM/YYYY dates.</div>",
        headers=[
            {"name": "From", "value": "someone-else@relay.example"},
            {"name": "Message-ID", "value": "<csv-1@brightwater.example>"},
            {"name": "Content-Type", "value": "multipart/alternative; boundary=x"},
        ],
    )
    read = read_clean("email", write_json(tmp_path / "page.json", _page(away, known)), OURS)
    assert [(f.contact_email, f.external_id, f.link_url) for f in read.feedback] == [
        ("lena@brightwater.example", "csv-1@brightwater.example", "mid:csv-1@brightwater.example")
    ]
    assert [reason for reason, _ in left_out_of(read)] == ["auto-reply"]


def test_a_further_nylas_page_is_told(tmp_path: Path) -> None:
    one = read_clean("email", write_json(tmp_path / "one.json", _page(PHONE, cursor="Cig")), OURS)
    pages = [_page(GMAIL_REPLY, cursor="Cig"), _page(PHONE)]
    all_of_them = read_clean("email", write_json(tmp_path / "all.json", pages), OURS)
    assert ["next_cursor" in w.reason for w in one.warnings] == [True]
    assert [f.contact_email for f in all_of_them.feedback] == [
        "ana.lopes@hooli.example",
        "kofi@initech.example",
    ]
    assert all_of_them.warnings == []


def test_one_message_alone_webhook_notifications_and_v2_read_alike(tmp_path: Path) -> None:
    """`GET …/messages/{id}` (`{"request_id", "data": message}`); `message.created`
    notifications kept one a line (`data.object`); a v2 message with its `labels`."""
    alone = read_clean(
        "email", write_json(tmp_path / "one.json", {"request_id": "r1", "data": PHONE}), OURS
    )
    notices = tmp_path / "webhooks.jsonl"
    notices.write_text(
        "".join(
            json.dumps(
                {
                    "specversion": "1.0",
                    "type": "message.created",
                    "id": str(n),
                    "data": {"application_id": "app", "object": m},
                }
            )
            + "\n"
            for n, m in enumerate((GMAIL_REPLY, PHONE))
        ),
        encoding="utf-8",
    )
    hooked = read_clean("email", notices, OURS)
    v2 = {k: v for k, v in PHONE.items() if k not in {"grant_id", "folders"}}
    v2 |= {"account_id": "acc1", "labels": [{"id": "l1", "name": "spam", "display_name": "Spam"}]}
    old = read_clean("email", write_json(tmp_path / "v2.json", [v2, GMAIL_REPLY]), OURS)
    assert [f.contact_email for f in alone.feedback] == ["kofi@initech.example"]
    assert [(f.line, f.contact_email) for f in hooked.feedback] == [
        (1, "ana.lopes@hooli.example"),
        (2, "kofi@initech.example"),
    ]
    assert [f.contact_email for f in old.feedback] == ["ana.lopes@hooli.example"]
    assert [reason for reason, _ in left_out_of(old)] == ["spam"]


def test_nylas_raw_mime_is_read_as_the_mail(tmp_path: Path) -> None:
    raw = (
        b"From: Lena Marsh <lena@brightwater.example>\r\nSubject: Dates\r\n"
        b"Date: Fri, 04 Dec 2026 14:22:00 +0000\r\nMessage-ID: <dates@brightwater.example>\r\n"
        b"\r\nThe CSV import rejects our dates.\r\n"
    )
    message = {
        "grant_id": "g1",
        "object": "message",
        "id": "m1",
        "raw_mime": base64.urlsafe_b64encode(raw).decode().rstrip("="),
    }
    read = read_clean(
        "email", write_json(tmp_path / "raw.json", {"request_id": "r", "data": message}), OURS
    )
    assert [(f.text, f.external_id) for f in read.feedback] == [
        ("The CSV import rejects our dates.", "dates@brightwater.example")
    ]


def test_a_body_left_out_and_a_page_of_threads_are_named(tmp_path: Path, session: Session) -> None:
    """A message given without its body (a truncated notification, a list with `select`) is
    never read from its 100-character snippet; a page of threads is not one of messages."""
    admin = actor(session, "admin")
    cut = {k: v for k, v in PHONE.items() if k != "body"}
    failure = refused(session, admin, "email", write_json(tmp_path / "cut.json", _page(cut)))
    assert "without its body" in failure.report.errors[0].reason
    thread = {
        "grant_id": "g1",
        "object": "thread",
        "id": "t1",
        "message_ids": ["m1"],
        "snippet": "Android nurses…",
        "latest_draft_or_message": PHONE,
    }
    failure = refused(session, admin, "email", write_json(tmp_path / "t.json", _page(thread)))
    assert "list of Nylas threads" in failure.report.errors[0].reason


def test_nylas_mail_comes_in_on_its_senders_account(session: Session, tmp_path: Path) -> None:
    create_account(session, name="Hooli Cloud", domain="hooli.example")
    path = write_json(tmp_path / "page.json", _page(GMAIL_REPLY))
    report = run(session, actor(session, "admin"), "email", path, internal_domains=("ourco.com",))
    assert came_in(session, report) == [
        ("Splitting the invoice by cost center would save us hours.", "Hooli Cloud")
    ]
