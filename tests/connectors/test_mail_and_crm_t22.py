"""Mail and CRM exports as the t22 tuning files showed them: Yahoo Mail's quote headers,
signature and bounces; a Copper activity export through `hubspot` (its parent by type, its
synced mail without the quote); Freshsales' notes through `salesforce` (the parent by
"Targetable type" and "Targetable"). Each rule on a small input of its own."""

from pathlib import Path

from huddle.connectors.base import ConnectorOptions
from huddle.connectors.replies import strip_replies
from tests.connectors.helpers import left_out_of, read_clean

OURS = ConnectorOptions(internal_domains=("ourco.com",), staff_names=("Sam Ortiz",))


def test_yahoo_android_quote_runs_on_the_header_line_and_its_signature_is_cut() -> None:
    """Yahoo's Android app writes "Sent from Yahoo Mail on Android" and an indented "On …,
    Name<address> wrote:" with the quoted text on the same line and no "> " marks."""
    mail = (
        "One export for all depots, please.\n\n"
        "Sent from Yahoo Mail on Android\n\n"
        "   On Mon, Nov 30, 2026 at 17:02, OurCo Support<support@ourco.com> wrote:   "
        "Hi Marek,\nPick the depot in the filter.\n"
    )
    assert strip_replies(mail) == "One export for all depots, please."
    # Without the device line, the header alone cuts the quote.
    assert strip_replies(mail.replace("Sent from Yahoo Mail on Android\n\n", "")) == (
        "One export for all depots, please."
    )


def test_yahoo_webs_indented_quote_header_cuts_in_any_language() -> None:
    """Yahoo's web mail indents its "On …, Name wrote:" (with or without the address; in
    Spanish "El … escribió:") above an unmarked quote."""
    english = (
        "Can shift leads see the board without invoices?\n\n"
        "    On Tuesday, December 1, 2026, 08:41:10 AM EST, OurCo Team wrote:\n"
        " \n Your trial ends in 3 days.\n"
    )
    spanish = (
        "Las etiquetas salen cortadas.\n\n"
        "    El martes, 1 de diciembre de 2026, 11:20:05 CET, OurCo Support "
        "<support@ourco.com> escribió:\n \n Hola, ¿nos envías un ejemplo?\n"
    )
    assert strip_replies(english) == "Can shift leads see the board without invoices?"
    assert strip_replies(spanish) == "Las etiquetas salen cortadas."


BOUNCE = """\
From MAILER-DAEMON Wed Dec  2 13:05:12 2026
Return-Path: <>
From: MAILER-DAEMON@yahoo.com
To: support@ourco.com
Subject: Failure Notice
Date: Wed, 2 Dec 2026 13:05:10 +0000
Message-ID: <bounce.1@mta.example>
Content-Type: text/plain; charset=us-ascii

Sorry, we could not pass your message on to the following address.

<old.buyer@initech.example>: user unknown

From - Wed Dec  2 14:00:00 2026
From: Ravi Menon <ravi@hooli.example>
To: support@ourco.com
Subject: Fwd: Audit log retention
Date: Wed, 2 Dec 2026 14:00:00 +0000
Message-ID: <fwd.1@hooli.example>
Content-Type: text/plain; charset=us-ascii

Sam, see below.

----- Forwarded Message -----
From: Ravi Menon <ravi.menon@hooli.example>
To: Sam Ortiz <sam@ourco.com>
Sent: Monday, November 30, 2026 at 04:12:09 PM PST
Subject: Audit log retention

We need audit log entries kept for seven years.
"""


def test_a_mail_servers_bounce_is_an_auto_reply_whatever_it_says(tmp_path: Path) -> None:
    """A bounce from MAILER-DAEMON or postmaster is left out as an auto-reply even when its
    words are none the noise filter knows; Yahoo's forward block is the forwarded mail."""
    path = tmp_path / "inbox.mbox"
    path.write_text(BOUNCE)
    read = read_clean("email", path, OURS)
    assert [r.text for r in read.feedback] == ["We need audit log entries kept for seven years."]
    assert [reason for reason, _ in left_out_of(read)] == ["auto-reply"]


COPPER = (
    "Activity ID,Activity Type,Details,Activity Date,Related To,Related To Type,Company,Owner\r\n"
    "1,Note,Wants SLA timers paused at night.,11/30/2026 10:30 AM,Acme Robotics,Company,,Tom\r\n"
    '2,Email,"Customs documents from the order, please.\r\n\r\n'
    "On Tue, Dec 1, 2026 at 3:02 PM Sam Ortiz <sam@ourco.com> wrote:\r\n"
    '> Which documents do you prepare?",12/2/2026 10:14 AM,Jonas Weber,Person,Vandelay,Sam\r\n'
    "3,Property Changed,,12/1/2026 12:10 PM,Globex - 2027,Opportunity,Globex,Tom\r\n"
)


def test_a_copper_activity_is_on_its_company_and_a_synced_mail_loses_its_quote(
    tmp_path: Path,
) -> None:
    """Copper's activity export: the words in "Details"; the parent is the account when its
    type is a company; an Email activity is the customer's words without the quote; a
    property change holds no words."""
    path = tmp_path / "copper.csv"
    path.write_bytes(COPPER.encode())
    read = read_clean("hubspot", path, OURS)
    assert [(r.text, r.account_ref) for r in read.feedback] == [
        ("Wants SLA timers paused at night.", "Acme Robotics"),
        ("Customs documents from the order, please.", "Vandelay"),
    ]
    assert read.skipped_rows == 1


FRESHSALES = (
    "\ufeffId,Description,Targetable type,Targetable,Account name,Created at\n"
    '1,"<div>Needs IP allow-listing.</div>",SalesAccount,Initech Health,,'
    "2026-11-30T15:05:11+05:30\n"
    "2,<div>Blocked on multi-warehouse stock.</div>,Deal,Vandelay Imports \u2013 EU rollout,,"
    "2026-12-01T10:20:45+05:30\n"
)


def test_a_freshsales_note_is_on_its_targetable_account_or_named_by_its_deal(
    tmp_path: Path,
) -> None:
    """A note whose "Targetable type" is an account is on that account; a deal's name is
    where its account may be named."""
    path = tmp_path / "freshsales.csv"
    path.write_text(FRESHSALES, encoding="utf-8")
    read = read_clean("salesforce", path, OURS)
    assert [(r.text, r.account_ref, r.mentions) for r in read.feedback] == [
        ("Needs IP allow-listing.", "Initech Health", ("Initech Health",)),
        ("Blocked on multi-warehouse stock.", None, ("Vandelay Imports \u2013 EU rollout",)),
    ]
    assert read.feedback[0].occurred_at is not None
    assert read.feedback[0].occurred_at.utcoffset() is not None
