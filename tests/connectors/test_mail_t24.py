"""Mail as the t24 tuning files showed it: Apple Mail's "Export Mailbox" and a Gmail Takeout
of everything a product manager received. Outlook's empty plain part beside the HTML that
holds the words, a photo sent from a phone with no words, read receipts, Gmail's Spam label,
a customer's meeting request (its agenda above the Teams join block), Dutch sign-offs and
quote headers, a `>From ` line the mbox writer escaped, and a customer writing from a
personal address who is known by the company their signature names. Each rule on a small
mailbox of its own, so a change that breaks one names it."""

import base64
from pathlib import Path

from huddle.connectors.base import ConnectorOptions, get_connector
from huddle.connectors.replies import split_signature
from tests.connectors.helpers import left_out_of, read_clean

OURS = ConnectorOptions(
    internal_domains=("ourco.com",), staff_names=("Dana Lee", "Tom Becker", "Priya Raman")
)


def _mbox(tmp_path: Path, *messages: str) -> Path:
    path = tmp_path / "mail.mbox"
    path.write_text(
        "".join(
            f"From 1851{n}@xxx Mon Nov 30 08:41:17 +0000 2026\n{m}\n"
            for n, m in enumerate(messages)
        )
    )
    return path


def _headers(sender: str, subject: str, number: int = 1) -> str:
    return (
        f"From: {sender}\nTo: Priya Raman <priya@ourco.com>\nSubject: {subject}\n"
        f"Date: Mon, 30 Nov 2026 08:4{number}:12 +0000\nMessage-ID: <m{number}@mail.example>\n"
        "MIME-Version: 1.0\n"
    )


def test_an_empty_plain_part_beside_the_html_reads_the_html(tmp_path: Path) -> None:
    """Outlook may send a multipart/alternative whose text/plain part is empty and whose
    HTML part holds the words: the HTML is read (entities decoded), not refused as "no
    text"."""
    path = _mbox(
        tmp_path,
        _headers("Lena Fischer <lena@acme.example>", "Weekly defect summary")
        + 'Content-Type: multipart/alternative; boundary="b1"\n\n'
        "--b1\nContent-Type: text/plain; charset=us-ascii\n\n\n\n"
        "--b1\nContent-Type: text/html; charset=us-ascii\n\n"
        "<div>Please export the defect summary to PDF for the Quality &amp; Safety review."
        "</div><div>&nbsp;</div>\n--b1--\n",
    )
    read = read_clean("email", path, OURS)
    assert [r.text for r in read.feedback] == [
        "Please export the defect summary to PDF for the Quality & Safety review."
    ]


def test_a_photo_without_words_is_skipped_not_refused(tmp_path: Path) -> None:
    """An iPhone message holding only a picture and "Sent from my iPhone" has nothing to
    read: it is passed over without an error and is not noise either; a message with no
    words and no file is still refused."""
    png = base64.b64encode(b"\x89PNG\r\n\x1a\n").decode()
    path = _mbox(
        tmp_path,
        _headers("Dwayne Pitts <dwayne@umbrella.example>", "screenshots from the tablets")
        + 'Content-Type: multipart/mixed; boundary="b2"\n\n'
        "--b2\nContent-Type: image/png; name=a.png\nContent-Disposition: inline; filename=a.png\n"
        f"Content-Transfer-Encoding: base64\n\n{png}\n"
        "--b2\nContent-Type: text/plain; charset=us-ascii\n\n\n\nSent from my iPhone\n--b2--\n",
    )
    read = read_clean("email", path, OURS)
    assert (read.feedback, read.left_out) == ([], [])
    empty = _mbox(
        tmp_path, _headers("A <a@umbrella.example>", "x") + "Content-Type: text/plain\n\n\n"
    )
    assert [e.column for e in get_connector("email").read(empty, OURS).errors] == ["body"]


def test_read_receipts_are_auto_replies(tmp_path: Path) -> None:
    """Outlook's read receipt ("Read: …", a multipart/report disposition notification with no
    Auto-Submitted header) is the customer's mail system, not the customer; so is its text
    when a receipt arrives as plain mail."""
    path = _mbox(
        tmp_path,
        _headers("Marcus Oyelaran <marcus@globex.example>", "Read: Renewal quote")
        + "Content-Type: multipart/report; report-type=disposition-notification; "
        'boundary="b3"\n\n'
        "--b3\nContent-Type: text/plain; charset=us-ascii\n\nYour message\n\n"
        "  Subject: Renewal quote\n\nwas displayed to the recipient.\n"
        "--b3\nContent-Type: message/disposition-notification\n\n"
        "Disposition: manual-action/MDN-sent-manually; displayed\n\n--b3--\n",
        _headers("Ana Ruiz <ana@globex.example>", "Gelesen: Angebot", 2)
        + "Content-Type: text/plain; charset=utf-8\n\nIhre Nachricht\n\n  Betreff: Angebot\n\n"
        "wurde am Donnerstag, 3. Dezember 2026 15:02:44 (UTC+01:00) gelesen.\n",
    )
    read = read_clean("email", path, OURS)
    assert read.feedback == []
    assert [reason for reason, _ in left_out_of(read)] == ["auto-reply", "auto-reply"]


def test_gmail_takeout_spam_label_is_spam(tmp_path: Path) -> None:
    """A message Gmail filed in Spam (`X-Gmail-Labels: Spam,…` in Takeout) is spam even when
    its words give one signal only; a label that merely holds the word is not."""
    body = "Content-Type: text/plain\n\nWe can double your webinar attendance in a week.\n"
    path = _mbox(
        tmp_path,
        "X-Gmail-Labels: Spam,Category Promotions\n"
        + _headers("Ryan <ryan@growth.example>", "Quick question")
        + body,
        'X-Gmail-Labels: Inbox,"Spam filters, EU"\n'
        + _headers("Ana Ruiz <ana@globex.example>", "Webinars", 2)
        + body,
    )
    read = read_clean("email", path, OURS)
    assert [r.contact_email for r in read.feedback] == ["ana@globex.example"]
    assert [reason for reason, _ in left_out_of(read)] == ["spam"]


TEAMS_BLOCK = (
    "\n"
    + "_" * 80
    + "\nMicrosoft Teams meeting\nJoin on your computer, mobile app or room device\n"
    "Click here to join the meeting<https://teams.microsoft.com/l/meetup-join/19>\n"
    "Meeting ID: 318 442 907 155\nPasscode: p7Xk2M\n"
    "Download Teams<https://www.microsoft.com/en-us/microsoft-teams/download-app> | "
    "Join on the web<https://www.microsoft.com/microsoft-teams/join-a-meeting>\n" + "_" * 80 + "\n"
)


def test_a_customers_meeting_request_is_its_agenda(tmp_path: Path) -> None:
    """A meeting request a customer sends (Outlook, a Teams meeting) is what they wrote above
    the join block: the block's "Click here" and links are not the customer's, and made the
    request look like spam. A Google invitation's description, under its Meet block, is
    still read."""
    path = _mbox(
        tmp_path,
        _headers("Aditya Rao <aditya@hooli.example>", "Night shift approvals - walkthrough")
        + "Content-Type: text/plain; charset=utf-8\n\nHi Priya,\n\nAgenda: why shift-swap "
        "approvals time out for the night staff.\n\nAditya\n" + TEAMS_BLOCK,
        _headers("Yuki Tanaka <yuki@hooli.example>", "Invitation: webhook review", 2)
        + "Content-Type: text/plain; charset=utf-8\n\nYou have been invited to an event.\n\n"
        "Join with Google Meet\nhttps://meet.google.com/qxv\n\nDescription\n"
        "Agenda: how webhook payloads are signed.\n\n"
        "Invitation from Google Calendar: https://calendar.google.com/\n",
    )
    read = read_clean("email", path, OURS)
    assert [r.text for r in read.feedback] == [
        "Hi Priya,\n\nAgenda: why shift-swap approvals time out for the night staff.",
        "Agenda: how webhook payloads are signed.",
    ]


def test_dutch_sign_off_and_apple_mail_quote_header() -> None:
    """Dutch mail closes with "Groet," (or "Groetjes", "Met vriendelijke groeten") and Apple
    Mail in Dutch heads its quote "Op … heeft … het volgende geschreven:"."""
    text = (
        "Sam, the price check shows the promo price after the promotion ended.\n\n"
        "Groet,\nDaan\n\n"
        "Op 3 dec 2026, om 09:12 heeft Sam Ortiz <sam@ourco.com> het volgende geschreven:\n\n"
        "Could you send a screenshot?\n"
    )
    assert split_signature(text, "Daan de Vries")[0] == (
        "Sam, the price check shows the promo price after the promotion ended."
    )
    quoted_only = "Klopt, elke ochtend.\n\nOp 3 dec 2026 heeft Sam het volgende geschreven:\nA?"
    assert split_signature(quoted_only)[0] == "Klopt, elke ochtend."


def test_an_escaped_from_line_is_the_customers_words(tmp_path: Path) -> None:
    """The mbox writer escapes a body line starting "From " as ">From ": it is the customer's
    sentence (not a quote, not a new message)."""
    path = _mbox(
        tmp_path,
        _headers("Olga Berg <olga@globex.example>", "Overnight sync")
        + "Content-Type: text/plain; charset=utf-8; format=flowed\n\nHi Priya,\n\n"
        ">From what I can tell, the overnight sync stops after midnight UTC.\n\nCheers,\nOlga\n",
    )
    read = read_clean("email", path, OURS)
    assert [r.text for r in read.feedback] == [
        "Hi Priya,\n\nFrom what I can tell, the overnight sync stops after midnight UTC."
    ]


def test_a_personal_address_is_known_by_its_signature(tmp_path: Path) -> None:
    """A customer writing from a personal address (gmail.com) says who they work for in their
    signature: the signature is cut from the words and kept as the place the import looks
    for a known account's name (the sender's own name left out)."""
    path = _mbox(
        tmp_path,
        _headers("Rafael Quintero <rafa.q84@gmail.com>", "price labels")
        + "Content-Type: text/plain; charset=utf-8\n\n"
        "The new price labels print with the old tax rate.\n\nThanks,\nRafael Quintero\n"
        "Operations Lead, Umbrella Retail\n",
    )
    read = read_clean("email", path, OURS)
    assert [(r.text, r.mentions) for r in read.feedback] == [
        (
            "The new price labels print with the old tax rate.",
            ("Operations Lead, Umbrella Retail",),
        )
    ]
    # A signature opened by the name, no sign-off above it; a disclaimer is no part of it.
    assert split_signature(
        "It fails.\n\nMarcus Oyelaran\nDispatch Lead | Globex Freight\n", "Marcus Oyelaran"
    ) == ("It fails.", "Dispatch Lead\nGlobex Freight")
    assert split_signature(
        "It fails.\n\nBest,\nNoor\nLab Manager\nThis e-mail and any attachments are private.",
        "Noor Haddad",
    ) == ("It fails.", "Lab Manager")
