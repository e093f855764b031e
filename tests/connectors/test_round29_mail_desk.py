"""What round 29 showed, each on a small input of its own: Postmark's inbound webhook JSON read
as the mail it stands for (its text and HTML bodies, its headers, its attachments, its raw
mail when kept; its `StrippedTextReply` not trusted), and Zendesk Help Center comments on
articles and posts read comment by comment (the team's answers left out, quotes cut)."""

import base64
import json
import re
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from huddle.connectors.base import ConnectorOptions
from tests.connectors.helpers import came_in, left_out_of, read_clean, refused, run, write_json
from tests.factories import actor, create_account

OURS = ConnectorOptions(internal_domains=("ourco.com",))


def _postmark(address: str, name: str, subject: str, text: str = "", **more: Any) -> dict[str, Any]:
    """An inbound webhook body as Postmark POSTs it."""
    headers = more.pop("headers", [])
    return {
        "FromName": name,
        "MessageStream": "inbound",
        "From": address,
        "FromFull": {"Email": address, "Name": name, "MailboxHash": ""},
        "To": '"OurCo Feedback" <feedback@ourco.com>',
        "ToFull": [{"Email": "feedback@ourco.com", "Name": "OurCo Feedback", "MailboxHash": ""}],
        "Cc": "",
        "CcFull": [],
        "OriginalRecipient": "c0ffee+feedback@inbound.postmarkapp.com",
        "Subject": subject,
        "MessageID": f"pm-{_slug(subject)}",
        "ReplyTo": "",
        "MailboxHash": "feedback",
        "Date": "Mon, 30 Nov 2026 09:41:17 -05:00",
        "TextBody": text,
        "HtmlBody": "",
        "StrippedTextReply": more.pop("stripped", text),
        "Tag": "",
        "Headers": [
            {"Name": "X-Spam-Status", "Value": "No"},
            {"Name": "Message-ID", "Value": f"<{_slug(subject)}@mail.example>"},
            *headers,
        ],
        "Attachments": [],
        **more,
    }


def _slug(subject: str) -> str:
    return re.sub(r"\W+", "-", subject.lower()).strip("-")


def _lines(tmp_path: Path, *payloads: dict[str, Any]) -> Path:
    path = tmp_path / "postmark_inbound.jsonl"
    path.write_text("".join(json.dumps(p) + "\n" for p in payloads), encoding="utf-8")
    return path


REPLY = _postmark(
    "grace@initech.example",
    "Grace Whitfield",
    "Re: Weekly report",
    "The weekly clinic report arrived empty again.\n\nGrace Whitfield\n"
    "Director of Operations | Initech Health\n\n"
    "On Mon, Nov 30, 2026 at 7:02 AM OurCo Reports <reports@ourco.com> wrote:\n"
    "> 0 rows were exported.\n",
)
FORWARD = _postmark(
    "sam@ourco.com",
    "Sam Ortiz",
    "Fwd: Export question",
    "FYI, from Umbrella.\n\n---------- Forwarded message ---------\n"
    "From: Bruno Santos <b.santos@umbrella.example>\nDate: Mon, Nov 30, 2026 at 4:12 PM\n"
    "Subject: Export question\nTo: Sam Ortiz <sam@ourco.com>\n\n\n"
    "The photo column only has file names, not links.\n\nBruno\n",
    stripped="FYI, from Umbrella.",
)
HTML_ONLY = _postmark(
    "marta@kestrel.example",
    "Marta Lindqvist",
    "Invoices",
    HtmlBody="<p>Our invoices don&#39;t show our VAT number.</p><p>Best,<br>Marta Lindqvist</p>",
)


def test_postmark_inbound_json_lines_are_read_as_mail(tmp_path: Path) -> None:
    """Each payload is the mail it stands for: its quote and signature cut, a forward of ours
    read as the customer's mail (not Postmark's `StrippedTextReply`, which keeps only our
    note), an HTML-only mail by its HTML; the date keeps its zone, the id is the mail's."""
    read = read_clean("email", _lines(tmp_path, REPLY, FORWARD, HTML_ONLY), OURS)
    assert [
        (f.line, f.contact_email, f.title, f.text, f.external_id, str(f.occurred_at))
        for f in read.feedback
    ] == [
        (
            1,
            "grace@initech.example",
            "Re: Weekly report",
            "The weekly clinic report arrived empty again.",
            "re-weekly-report@mail.example",
            "2026-11-30 09:41:17-05:00",
        ),
        (
            2,
            "b.santos@umbrella.example",
            "Export question",
            "The photo column only has file names, not links.",
            "fwd-export-question@mail.example",
            "2026-11-30 16:12:00+00:00",
        ),
        (
            3,
            "marta@kestrel.example",
            "Invoices",
            "Our invoices don't show our VAT number.",
            "invoices@mail.example",
            "2026-11-30 09:41:17-05:00",
        ),
    ]
    assert read.feedback[0].mentions == ("Director of Operations\nInitech Health",)


def test_postmark_noise_is_known_by_its_headers(tmp_path: Path) -> None:
    """SpamAssassin's verdict (`X-Spam-Status: Yes, …`) is spam however plain its words; an
    out-of-office by its Auto-Submitted header; our own mail is internal."""
    flagged = _postmark(
        "deals@partner.example",
        "Deals",
        "Quick question",
        "Can we schedule a call about your roadmap next week?",
        headers=[{"Name": "X-Spam-Status", "Value": "Yes, score=7.1 required=5.0"}],
    )
    flagged["Headers"] = [h for h in flagged["Headers"] if h["Value"] != "No"]
    away = _postmark(
        "nadia@umbrella.example",
        "Nadia",
        "Re: Your digest",
        "I am away until Monday with limited access to mail.",
        headers=[{"Name": "Auto-Submitted", "Value": "auto-replied"}],
    )
    rota = _postmark("dana@ourco.com", "Dana", "Rota", "Support triages the inbox on weekdays.")
    read = read_clean("email", _lines(tmp_path, flagged, away, rota), OURS)
    assert read.feedback == []
    assert [reason for reason, _ in left_out_of(read)] == ["spam", "auto-reply", "internal"]


def test_one_payload_saved_alone_or_an_array_of_them_reads_alike(tmp_path: Path) -> None:
    alone = read_clean("email", write_json(tmp_path / "one.json", REPLY), OURS)
    many = read_clean("email", write_json(tmp_path / "many.json", [REPLY, HTML_ONLY]), OURS)
    assert [f.text for f in alone.feedback] == ["The weekly clinic report arrived empty again."]
    assert [f.contact_email for f in many.feedback] == [
        "grace@initech.example",
        "marta@kestrel.example",
    ]


def test_the_raw_mail_is_read_when_postmark_keeps_it(tmp_path: Path) -> None:
    raw = (
        "From: Lena Okafor <lena@umbrella.example>\r\nTo: feedback@ourco.com\r\n"
        "Subject: SFTP export\r\nDate: Tue, 01 Dec 2026 10:00:00 +0100\r\n"
        "Message-ID: <raw-1@umbrella.example>\r\n\r\nThe SFTP export fails silently.\r\n"
    )
    payload = _postmark(
        "lena@umbrella.example", "Lena Okafor", "SFTP export", "(parsed)", RawEmail=raw
    )
    read = read_clean("email", write_json(tmp_path / "one.json", payload), OURS)
    assert [(f.text, f.external_id) for f in read.feedback] == [
        ("The SFTP export fails silently.", "raw-1@umbrella.example")
    ]


def _attachment(name: str, kind: str, content: bytes) -> dict[str, Any]:
    return {
        "Name": name,
        "Content": base64.b64encode(content).decode(),
        "ContentType": kind,
        "ContentLength": len(content),
    }


def test_postmark_attachments_a_forwarded_mail_and_a_photo(tmp_path: Path) -> None:
    """A mail one of ours forwarded as an attachment is read as itself; a photo sent with no
    words is nothing to read, not a mail with no text."""
    original = (
        b"From: Bruno Santos <b.santos@umbrella.example>\r\nSubject: Checklists\r\n"
        b"Date: Mon, 30 Nov 2026 16:12:00 +0000\r\nMessage-ID: <orig@umbrella.example>\r\n"
        b"\r\nThe checklist export drops the photo links.\r\n"
    )
    forward = _postmark(
        "sam@ourco.com",
        "Sam Ortiz",
        "Fwd: Checklists",
        "",
        Attachments=[_attachment("Checklists.eml", "message/rfc822", original)],
    )
    photo = _postmark(
        "jo@hooli.example",
        "Jo",
        "Screenshot",
        "",
        Attachments=[_attachment("IMG_1.jpg", "image/jpeg", b"\xff\xd8\xff\xe0jpeg")],
    )
    read = read_clean("email", _lines(tmp_path, forward, photo), OURS)
    assert [(f.contact_email, f.text, f.tags) for f in read.feedback] == [
        ("b.santos@umbrella.example", "The checklist export drops the photo links.", ["forwarded"])
    ]
    assert read.left_out == []


def test_stripped_reply_stands_in_only_for_a_message_with_no_other_body(tmp_path: Path) -> None:
    bare = _postmark("jo@hooli.example", "Jo", "Rate limit", "", stripped="We hit the rate limit.")
    read = read_clean("email", _lines(tmp_path, bare), OURS)
    assert [f.text for f in read.feedback] == ["We hit the rate limit."]


def test_postmarks_message_search_without_words_is_named(tmp_path: Path, session: Session) -> None:
    listed = {k: v for k, v in REPLY.items() if k not in {"TextBody", "HtmlBody", "Headers"}}
    listed.pop("StrippedTextReply")
    path = write_json(tmp_path / "inbound.json", {"TotalCount": 1, "InboundMessages": [listed]})
    failure = refused(session, actor(session, "admin"), "email", path)
    assert "without their words" in failure.report.errors[0].reason


def _comment(number: int, author: int, body: str, **more: Any) -> dict[str, Any]:
    site = "https://ourco.zendesk.com"
    return {
        "id": number,
        "url": f"{site}/api/v2/help_center/en-us/articles/77/comments/{number}.json",
        "html_url": f"{site}/hc/en-us/articles/77/comments/{number}",
        "body": body,
        "author_id": author,
        "source_id": 77,
        "source_type": "Article",
        "locale": "en-us",
        "created_at": f"2026-11-{10 + number:02d}T09:00:00Z",
        "official": False,
        **more,
    }


def _user(number: int, name: str, email: str, role: str = "end-user") -> dict[str, Any]:
    return {"id": number, "name": name, "email": email, "role": role, "agent": role != "end-user"}


ARTICLE_PAGE = {
    "comments": [
        _comment(1, 11, "<p>The CSV button isn't there on our Team plan.</p>"),
        _comment(2, 12, "<p>It is Enterprise only; we've updated the article.</p>", official=True),
        _comment(3, 13, "<p>test comment, please ignore</p>"),
        _comment(
            4,
            11,
            "<blockquote><p>It is Enterprise only; we've updated the article.</p></blockquote>"
            "<p>Upgrading forty seats for one CSV a year is hard to justify.</p>",
        ),
        _comment(5, 13, "<p>I moved this article to the Reports section.</p>"),
    ],
    "users": [
        _user(11, "Jordan Pryce", "jordan@acme.example"),
        _user(12, "Kelly Ng", "kelly@ourco.com", "agent"),
        # As the Support API gives users: a role, no `agent` flag.
        {"id": 13, "name": "Dana Lee", "email": "dana@ourco.com", "role": "admin"},
    ],
    "articles": [{"id": 77, "title": "Exporting data", "html_url": "https://x.example/77"}],
    "next_page": None,
    "count": 4,
}


def test_help_center_article_comments_are_read_comment_by_comment(tmp_path: Path) -> None:
    """A customer's comments come in with the article's title, without the answer they
    quote; the agent's official answer is the team's, and so is an admin's comment (known by
    role alone), the admin's test a test."""
    # (No internal domain: the team is known by its Help Center role.)
    path = write_json(tmp_path / "comments.json", ARTICLE_PAGE)
    read = read_clean("zendesk", path, ConnectorOptions())
    assert [(f.external_id, f.title, f.text, f.contact_email, f.tags) for f in read.feedback] == [
        (
            "article-comment-1",
            "Exporting data",
            "The CSV button isn't there on our Team plan.",
            "jordan@acme.example",
            ["article-comment"],
        ),
        (
            "article-comment-4",
            "Exporting data",
            "Upgrading forty seats for one CSV a year is hard to justify.",
            "jordan@acme.example",
            ["article-comment"],
        ),
    ]
    assert read.feedback[0].link_url == "https://ourco.zendesk.com/hc/en-us/articles/77/comments/1"
    assert left_out_of(read) == [
        ("internal", "It is Enterprise only; we've updated the article."),
        ("test", "test comment, please ignore"),
        ("internal", "I moved this article to the Reports section."),
    ]


def test_help_center_comments_come_in_on_their_authors_account(
    session: Session, tmp_path: Path
) -> None:
    create_account(session, name="Acme Robotics", domain="acme.example")
    path = write_json(tmp_path / "comments.json", ARTICLE_PAGE)
    report = run(session, actor(session, "admin"), "zendesk", path, internal_domains=("ourco.com",))
    assert came_in(session, report) == [
        ("The CSV button isn't there on our Team plan.", "Acme Robotics"),
        ("Upgrading forty seats for one CSV a year is hard to justify.", "Acme Robotics"),
    ]


def test_community_post_comments_kept_bare_one_a_line(tmp_path: Path) -> None:
    """Post comments (`post_id`) a script kept one a line, no users side-loaded: a comment
    marked official is the team's answer even when its author is not known."""
    post = {
        k: v for k, v in _comment(5, 21, "<p>Dark mode would help on night shifts.</p>").items()
    }
    answer = _comment(6, 22, "<p>Dark mode is on our roadmap for spring.</p>", official=True)
    for each in (post, answer):
        del each["source_type"], each["source_id"]
        each["post_id"] = 99
    path = tmp_path / "post_comments.jsonl"
    path.write_text(json.dumps(post) + "\n" + json.dumps(answer) + "\n", encoding="utf-8")
    read = read_clean("zendesk", path, ConnectorOptions())
    assert [(f.external_id, f.text, f.tags) for f in read.feedback] == [
        ("post-comment-5", "Dark mode would help on night shifts.", ["post-comment"])
    ]
    assert [reason for reason, _ in left_out_of(read)] == ["internal"]
