"""Email: .eml, mbox and a mail-drop folder; forwards unwrapped, our own replies left out."""

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from huddle.models import Feedback
from tests.connectors.helpers import refused, round_trip, run
from tests.factories import actor, create_account

CUSTOMER = """From: Olga Ivanova <olga@initech.com>
To: support@huddle-vendor.io
Subject: Timesheet approvals
Date: Tue, 14 Oct 2026 09:30:00 +0200
Message-ID: <CAOlga-1@mail.initech.com>
Content-Type: text/plain; charset=utf-8

Hello,

Approving timesheets one by one is painful with 60 contractors. Could you add bulk approval?

Thanks,
Olga
--
Olga Ivanova | Operations | Initech
"""
REPLY = """From: Raj Patel <raj@huddle-vendor.io>
To: olga@initech.com
Subject: Re: Timesheet approvals
Date: Tue, 14 Oct 2026 11:00:00 +0200
Message-ID: <reply-1@huddle-vendor.io>

Thanks Olga, logged it.

On Tue, 14 Oct 2026 at 09:30, Olga Ivanova <olga@initech.com> wrote:
> Approving timesheets one by one is painful
"""
FORWARD = """From: Dana Lee <dana@huddle-vendor.io>
To: feedback+hud_ab12@huddle-vendor.io
Subject: Fwd: Reporting
Date: Wed, 15 Oct 2026 08:00:00 +0000
Message-ID: <fwd-7@huddle-vendor.io>
MIME-Version: 1.0
Content-Type: text/html; charset=utf-8

<p>FYI, from the Acme QBR follow-up.</p>
<p>---------- Forwarded message ---------<br>
From: Ben Cole &lt;ben.cole@acme.com&gt;<br>
Date: Tue, 14 Oct 2026 17:45:00 +0000<br>
Subject: Reporting<br>
To: Dana Lee &lt;dana@huddle-vendor.io&gt;</p>
<p>The quarterly report still can't group by cost centre, so we rebuild it in Excel every time.</p>
"""


def test_mbox_with_a_reply_and_a_forward(session: Session, tmp_path: Path) -> None:
    admin = actor(session, "admin")
    acme = create_account(session, name="Acme", domain="acme.com")
    initech = create_account(session, name="Initech", domain="initech.com")
    mbox = tmp_path / "feedback.mbox"
    mbox.write_text(
        "".join(
            f"From someone@example.com Tue Oct 14 09:30:00 2026\n{m}\n"
            for m in (CUSTOMER, REPLY, FORWARD)
        )
    )
    round_trip(session, admin, "email", mbox, internal_domains=("huddle-vendor.io",))
    items = {i.external_id: i for i in session.scalars(select(Feedback))}
    assert set(items) == {"CAOlga-1@mail.initech.com", "fwd-7@huddle-vendor.io"}
    olga = items["CAOlga-1@mail.initech.com"]
    assert olga.account_id == initech.id and olga.title == "Timesheet approvals"
    assert "bulk approval" in olga.text and "Operations | Initech" not in olga.text
    assert olga.link_url == "mid:CAOlga-1@mail.initech.com" and olga.source == "email"
    forwarded = items["fwd-7@huddle-vendor.io"]
    assert forwarded.account_id == acme.id and forwarded.contact is not None
    assert forwarded.contact.email == "ben.cole@acme.com" and forwarded.title == "Reporting"
    assert forwarded.text.startswith("The quarterly report") and "FYI" not in forwarded.text
    assert forwarded.occurred_at.isoformat().startswith("2026-10-14T17:45")
    assert forwarded.tags == ["forwarded"]


def test_eml_and_mail_drop_folder(session: Session, tmp_path: Path) -> None:
    admin = actor(session, "admin")
    drop = tmp_path / "drop"
    drop.mkdir()
    (drop / "1.eml").write_text(CUSTOMER)
    (drop / "2.eml").write_text(FORWARD)
    assert run(session, admin, "email", drop / "1.eml").created == 1
    report = run(session, admin, "email", drop)
    assert (report.created, report.updated, report.unchanged) == (1, 0, 1)


def test_a_message_without_a_date_is_refused(session: Session, tmp_path: Path) -> None:
    admin = actor(session, "admin")
    path = tmp_path / "x.eml"
    path.write_text(CUSTOMER.replace("Date: Tue, 14 Oct 2026 09:30:00 +0200\n", ""))
    errors = refused(session, admin, "email", path).report.errors
    assert errors[0].column == "Date"


def test_a_one_line_signature_with_separators_is_cut() -> None:
    """A signature on one line after a blank one, "Name | Title | Company", with no sign-off
    or "--" before it (round 9 of the labelled exports kept it as the customer's words)."""
    from huddle.connectors.email import strip_replies

    body = (
        "Hi Raj,\n\nThe weekly export drops the cost centre column again.\n\n"
        "Olga Ivanova | Head of Operations | Initech Holdings, Inc.\n"
    )
    assert strip_replies(body, "Olga Ivanova") == (
        "Hi Raj,\n\nThe weekly export drops the cost centre column again."
    )
    # A last paragraph of words that starts with the sender's name is not a signature.
    words = "Hi Raj,\n\nThe export is slow.\n\nOlga and her team re-run it every Monday, which takes an hour or more."
    assert strip_replies(words, "Olga Ivanova") == words


def test_a_one_line_signature_is_the_signature_that_names_the_company() -> None:
    """A signature on one line is cut from the words and returned as the signature, its parts
    as lines without the sender's name: the company a personal address writes for is read
    from it (Zendesk recovered it on its own before; email dropped it)."""
    from huddle.connectors.replies import split_signature

    body = (
        "Hi Raj,\n\nThe weekly export drops the cost centre column again.\n\n"
        "Olga Ivanova | Head of Operations | Initech Holdings, Inc.\n"
    )
    words, signature = split_signature(body, "Olga Ivanova")
    assert words == "Hi Raj,\n\nThe weekly export drops the cost centre column again."
    assert signature == "Head of Operations\nInitech Holdings, Inc."
    # Under a sign-off, the same line is read the same way.
    signed = "The export is slow again.\n\nThanks,\nOlga Ivanova | Head of Operations | Initech"
    assert split_signature(signed, "Olga Ivanova") == (
        "The export is slow again.",
        "Head of Operations\nInitech",
    )


def test_a_thread_pasted_whole_keeps_its_newest_message() -> None:
    """An Outlook thread pasted into a ticket's cell opens with its newest message's headers;
    that message is the customer's words, the older ones below it are quoted mail."""
    from huddle.connectors.email import strip_replies

    thread = (
        "From: Dr. Alan Pryce <a.pryce@initech.example>\nSent: 02 December 2026 18:21\n"
        "To: OurCo Support <support@ourco.com>\nSubject: RE: Consent forms\n\n"
        "Still happening. The signed form is missing from the visit record.\n\nAlan\n\n"
        "From: OurCo Support <support@ourco.com>\nSent: 01 December 2026 11:03\n"
        "To: Dr. Alan Pryce <a.pryce@initech.example>\nSubject: RE: Consent forms\n\n"
        "Hi Alan, which app version are the nurses on?\n\n"
        "From: Dr. Alan Pryce <a.pryce@initech.example>\nSent: 30 November 2026 08:47\n"
        "Subject: Consent forms\n\nSigned forms are not attached to visits."
    )
    assert strip_replies(thread, "Alan Pryce") == (
        "Still happening. The signed form is missing from the visit record."
    )
