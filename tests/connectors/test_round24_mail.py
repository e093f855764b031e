"""What round 24's mail showed, each on a small input of its own: an archive of Exchange
journal reports (the envelope block is the archive's, the attached original the evidence:
a customer's mail, an auto-reply, a bounce, the team's own reply), and a forward carrying
several customers' mails as attachments (each its own item on its sender's account, the
forwarder's note left out), with the shapes the sample did not show: a report without its
header, one whose original cannot be read, an attached `.eml` file, a forward of a forward,
an Outlook `.msg` item; and a sign-off written in two languages."""

import base64
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from huddle.connectors.base import ConnectorOptions, get_connector
from huddle.connectors.replies import split_signature
from huddle.models import Feedback
from tests.connectors.helpers import left_out_of, read_clean, run
from tests.factories import actor, create_account

# The vendor here is Tidewell; its people write from tidewell.example.
OURS = ConnectorOptions(internal_domains=("tidewell.example",), staff_names=("Noor Haddad",))
TENANT = "MicrosoftExchange8d1f0c2b7e6a4f93a5c1b0e2d4f6a8c0@tidewell.onmicrosoft.com"

PINECREST = (
    "From: Ines Moreau <ines.moreau@pinecrest.example>\n"
    "To: Tidewell Support <help@tidewell.example>\n"
    "Subject: RE: Dock schedule export [#5120]\n"
    "Date: Tue, 01 Dec 2026 09:14:02 +0000\n"
    "Message-ID: <AM9P-5120-reply@pinecrest.example>\n"
    "Content-Type: text/plain; charset=utf-8\n\n"
    "Hi Felix,\n\n"
    "The dock schedule export leaves out the trailer numbers, so the yard team retypes them "
    "every morning. Could the export carry the trailer number column?\n\n"
    "Kind regards,\nInes Moreau\nYard Operations | Pinecrest Logistics\n\n"
    "From: Tidewell Support <help@tidewell.example>\n"
    "Sent: Monday, November 30, 2026 4:40 PM\n"
    "To: Ines Moreau <ines.moreau@pinecrest.example>\n"
    "Subject: Dock schedule export [#5120]\n\n"
    "Hi Ines, the export is under Yard > Schedule > Download.\n"
)
PINECREST_WORDS = (
    "Hi Felix,\n\nThe dock schedule export leaves out the trailer numbers, so the yard team "
    "retypes them every morning. Could the export carry the trailer number column?"
)


def _journal(
    original: str,
    *,
    header: str = "X-MS-Journal-Report:",
    envelope: str = (
        "Sender: ines.moreau@pinecrest.example\n"
        "Subject: RE: Dock schedule export [#5120]\n"
        "Message-Id: <AM9P-5120-reply@pinecrest.example>\n"
        "To: help@tidewell.example, Expanded: support-team@tidewell.example\n"
    ),
    attached: str | None = None,
) -> str:
    """One journal report as Exchange Online writes it, its mbox 'From ' line first."""
    subject = next((line[9:] for line in original.splitlines() if line.startswith("Subject: ")), "")
    part = (
        attached or f"Content-Type: message/rfc822\nContent-Disposition: attachment\n\n{original}"
    )
    head = f"{header}\n" if header else ""
    return (
        f"From {TENANT} Tue Dec  1 09:14:05 2026\n"
        f"From: Microsoft Exchange <{TENANT}>\nTo: <journal@archive.tidewell.example>\n"
        f"Subject: {subject}\nDate: Tue, 01 Dec 2026 09:14:05 +0000\n"
        f"Message-ID: <JR{abs(hash(original)) % 10**8}@tidewell.onmicrosoft.com>\n"
        f'MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="_004_JR_"\n{head}'
        "X-MS-Exchange-Organization-Processed-By-Journaling: Journal Agent\n\n"
        '--_004_JR_\nContent-Type: text/plain; charset="us-ascii"\n\n'
        f"{envelope}\n--_004_JR_\n{part}\n--_004_JR_--\n\n"
    )


def test_a_journal_report_is_the_original_mail_it_carries(session: Session, tmp_path: Path) -> None:
    pinecrest = create_account(session, name="Pinecrest Logistics", domain="pinecrest.example")
    path = tmp_path / "journal.mbox"
    path.write_text(_journal(PINECREST), encoding="utf-8")

    (item,) = read_clean("email", path, OURS).feedback
    assert item.text == PINECREST_WORDS
    assert (item.contact_email, item.title) == (
        "ines.moreau@pinecrest.example",
        "RE: Dock schedule export [#5120]",
    )
    # The original's id and date, not the report's: the same mail journaled twice (once per
    # recipient, as Exchange may) is one item.
    assert item.external_id == "AM9P-5120-reply@pinecrest.example"
    assert item.occurred_at.isoformat() == "2026-12-01T09:14:02+00:00"

    report = run(
        session, actor(session, "admin"), "email", path, internal_domains=OURS.internal_domains
    )
    assert (report.created, report.errors) == (1, [])
    stored = session.scalars(select(Feedback)).one()
    assert stored.account_id == pinecrest.id


def test_a_journal_report_without_its_header_is_known_by_its_envelope(tmp_path: Path) -> None:
    """An export that kept no X- headers (or Exchange 2003's `Recipients:` envelope): the
    block of envelope fields above the attached mail still says what the message is."""
    path = tmp_path / "journal.mbox"
    envelope = (
        "Sender: ines.moreau@pinecrest.example\n"
        "Message-ID: <AM9P-5120-reply@pinecrest.example>\n"
        "Recipients: help@tidewell.example, noor@tidewell.example\n"
    )
    path.write_text(_journal(PINECREST, header="", envelope=envelope), encoding="utf-8")
    (item,) = read_clean("email", path, OURS).feedback
    assert item.text == PINECREST_WORDS


def test_a_report_marked_by_its_header_is_unwrapped_whatever_its_envelope_holds(
    tmp_path: Path,
) -> None:
    """Exchange has added envelope fields over the years (Label, Mailbox, SentUtc came
    after 2007): a report its header marks is one, fields Huddle does not know or not."""
    path = tmp_path / "journal.mbox"
    envelope = (
        "Sender: ines.moreau@pinecrest.example\n"
        "Message-ID: <AM9P-5120-reply@pinecrest.example>\n"
        "RetentionTag: Compliance 7y\n"
    )
    path.write_text(_journal(PINECREST, envelope=envelope), encoding="utf-8")
    (item,) = read_clean("email", path, OURS).feedback
    assert item.text == PINECREST_WORDS


AWAY = (
    "From: Ines Moreau <ines.moreau@pinecrest.example>\nTo: noor@tidewell.example\n"
    "Subject: Automatic reply: Yard pilot\nDate: Wed, 02 Dec 2026 08:00:01 +0000\n"
    "Message-ID: <away-1@pinecrest.example>\nAuto-Submitted: auto-replied\n"
    "Content-Type: text/plain; charset=utf-8\n\n"
    "I am on leave until 14 December and will answer when I am back.\n"
)
# Exchange's own bounce of the team's mail: from the vendor's postmaster, the returned mail
# (the team's, to a customer) attached inside its report.
BOUNCE = (
    "From: postmaster@tidewell.example\nTo: noor@tidewell.example\n"
    "Subject: Undeliverable: Yard pilot\nDate: Wed, 02 Dec 2026 08:05:00 +0000\n"
    "Message-ID: <ndr-77@tidewell.example>\n"
    'Content-Type: multipart/report; report-type=delivery-status; boundary="ndr"\n\n'
    "--ndr\nContent-Type: text/plain\n\n"
    "Delivery has failed to these recipients: i.moreau@pinecrest.example\n"
    "Remote server returned 550 5.1.10 RESOLVER.ADR.RecipientNotFound\n\n"
    "--ndr\nContent-Type: message/delivery-status\n\n"
    "Reporting-MTA: dns; AM9PR01MB.eurprd01.prod.outlook.com\n\n"
    "Final-Recipient: rfc822; i.moreau@pinecrest.example\nAction: failed\nStatus: 5.1.10\n\n"
    "--ndr\nContent-Type: message/rfc822\n\n"
    "From: Noor Haddad <noor@tidewell.example>\nTo: i.moreau@pinecrest.example\n"
    "Subject: FW: Yard pilot\nDate: Wed, 02 Dec 2026 08:04:58 +0000\n\n"
    "Ines, the pilot starts on Monday with the new trailer column.\n\n--ndr--\n"
)
REPLY = (
    "From: Felix Grant <help@tidewell.example>\nTo: ines.moreau@pinecrest.example\n"
    "Subject: Re: Dock schedule export [#5120]\nDate: Wed, 02 Dec 2026 10:00:00 +0000\n"
    "Message-ID: <t5120-2@tidewell.example>\nContent-Type: text/plain; charset=utf-8\n\n"
    "Hi Ines, the trailer column ships in next week's release.\n\nFelix\n"
)


def test_journaled_noise_is_left_out_for_what_the_original_is(tmp_path: Path) -> None:
    """Journaling captures every direction: an out-of-office, a bounce of the team's own
    mail and the team's reply come in the same archive, and each is noise for what the
    attached mail is, never an item of envelope lines."""
    path = tmp_path / "journal.mbox"
    path.write_text("".join(_journal(mail) for mail in (AWAY, BOUNCE, REPLY)), encoding="utf-8")
    read = read_clean("email", path, OURS)
    assert read.feedback == []
    assert [(reason, text.split("\n")[0]) for reason, text in left_out_of(read)] == [
        ("auto-reply", "I am on leave until 14 December and will answer when I am back."),
        ("auto-reply", "Delivery has failed to these recipients: i.moreau@pinecrest.example"),
        ("internal", "Hi Ines, the trailer column ships in next week's release."),
    ]


def test_a_journal_report_whose_original_cannot_be_read_is_named_not_imported(
    tmp_path: Path,
) -> None:
    """Exchange can journal in its own TNEF format (winmail.dat): the words are not there to
    read, and the envelope lines are not the customer's."""
    path = tmp_path / "journal.mbox"
    tnef = (
        "Content-Type: application/ms-tnef; name=winmail.dat\n"
        "Content-Transfer-Encoding: base64\n\neJ8+IgAAAQaQCAAEAAAAAAABAAEAAQeQBgAIAAAA5AQAAAAA\n"
    )
    path.write_text(_journal(PINECREST, attached=tnef), encoding="utf-8")
    read = get_connector("email").read(path, OURS)
    assert (read.feedback, read.left_out) == ([], [])
    (error,) = read.errors
    assert "journal report 'RE: Dock schedule export [#5120]'" in error.reason
    assert "no readable original" in error.reason


KESTREL = (
    "From: Lukas Brandt <lukas.brandt@kestrel-foods.example>\nTo: Noor Haddad "
    "<noor@tidewell.example>\nSubject: Pallet labels\nDate: Mon, 23 Nov 2026 07:30:00 +0000\n"
    "Message-ID: <kf-2231@kestrel-foods.example>\n"
    "Content-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: quoted-printable\n\n"
    "Hallo Noor,\n\nthe pallet labels print the best-before date in US format, so our "
    "warehouse in Ulm rejects them. Could the label follow the site's country?\n\n"
    "Mit freundlichen Gr=FC=DFen / Best regards\nLukas Brandt\nLogistikleiter\n\n"
    "Kestrel Foods GmbH\nSitz der Gesellschaft: Ulm, Registergericht Ulm HRB 72011\n"
    "Gesch=E4ftsf=FChrer: Anja Wolff\n"
)
ORCHARD = (
    "From: Orchard Facilities <facilities@orchard-schools.example>\n"
    "To: Noor Haddad <noor@tidewell.example>\nSubject: Room bookings over the holidays\n"
    "Date: Wed, 25 Nov 2026 15:02:00 +0000\nMessage-ID: <os-88@orchard-schools.example>\n"
    "Content-Type: text/plain; charset=us-ascii\n\n"
    "Hello Noor,\n\nWe have to cancel every room booking by hand for the holidays, 300 of "
    "them across six schools. A closure calendar that cancels them at once would help.\n\n"
    "Thanks,\nFacilities Team\nOrchard Schools Trust\n\n"
    "CONFIDENTIALITY NOTICE: This e-mail is intended solely for the addressee and may "
    "contain confidential information.\n"
)
HARBOUR = (
    "From: Priya Shah <priya.shah.rn@hotmail.com>\nTo: noor@tidewell.example\n"
    "Subject: Re: shift swaps\nDate: Thu, 26 Nov 2026 19:45:00 -0500\n"
    "Message-ID: <BY5PR-hs-19@hotmail.com>\nContent-Type: text/plain; charset=utf-8\n\n"
    "Noor, the shift swap screen loses the note I typed when the app locks. Please keep "
    "the draft.\n\nPriya Shah\nCharge Nurse, Harbourline Clinics\n\nSent from my iPhone\n"
)


def _forward(parts: list[str], *, sender: str = "Noor Haddad <noor@tidewell.example>") -> str:
    """A forward with the forwarder's note, then each of `parts` (a MIME part, headers
    first) attached."""
    attached = "".join(f"--_mix_\n{part}\n" for part in parts)
    return (
        f"From: {sender}\nTo: feedback@tidewell.example\n"
        "Subject: FW: asks for the roadmap review\nDate: Fri, 27 Nov 2026 11:00:00 +0000\n"
        "Message-ID: <fw-roadmap@tidewell.example>\nMIME-Version: 1.0\n"
        'Content-Type: multipart/mixed; boundary="_mix_"\n\n'
        "--_mix_\nContent-Type: text/plain; charset=utf-8\n\n"
        "Three more for the review pile, can we discuss on Tuesday?\n\nNoor\n\n"
        f"{attached}--_mix_--\n"
    )


def _rfc822(mail: str) -> str:
    return f"Content-Type: message/rfc822\nContent-Disposition: attachment\n\n{mail}"


def _eml_file(mail: str, name: str) -> str:
    """An .eml file attached as Outlook on the web attaches one: octets, base64."""
    data = base64.encodebytes(mail.encode("latin-1")).decode("ascii")
    return (
        f'Content-Type: application/octet-stream; name="{name}"\n'
        f'Content-Disposition: attachment; filename="{name}"\n'
        f"Content-Transfer-Encoding: base64\n\n{data}"
    )


KESTREL_WORDS = (
    "Hallo Noor,\n\nthe pallet labels print the best-before date in US format, so our "
    "warehouse in Ulm rejects them. Could the label follow the site's country?"
)
ORCHARD_WORDS = (
    "Hello Noor,\n\nWe have to cancel every room booking by hand for the holidays, 300 of "
    "them across six schools. A closure calendar that cancels them at once would help."
)
HARBOUR_WORDS = (
    "Noor, the shift swap screen loses the note I typed when the app locks. Please keep the draft."
)


def test_a_forward_carrying_several_mails_is_each_of_them_on_its_senders_account(
    session: Session, tmp_path: Path
) -> None:
    kestrel = create_account(session, name="Kestrel Foods", domain="kestrel-foods.example")
    orchard = create_account(
        session, name="Orchard Schools Trust", domain="orchard-schools.example"
    )
    harbour = create_account(session, name="Harbourline Clinics", domain="harbourline.example")
    path = tmp_path / "fw.eml"
    parts = [_rfc822(KESTREL), _eml_file(ORCHARD, "Room bookings.eml"), _rfc822(HARBOUR)]
    path.write_text(_forward(parts), encoding="latin-1")

    read = read_clean("email", path, OURS)
    assert [(i.contact_email, i.text, i.tags) for i in read.feedback] == [
        ("lukas.brandt@kestrel-foods.example", KESTREL_WORDS, ["forwarded"]),
        ("facilities@orchard-schools.example", ORCHARD_WORDS, ["forwarded"]),
        ("priya.shah.rn@hotmail.com", HARBOUR_WORDS, ["forwarded"]),
    ]
    assert [i.external_id for i in read.feedback] == [
        "kf-2231@kestrel-foods.example",
        "os-88@orchard-schools.example",
        "BY5PR-hs-19@hotmail.com",
    ]
    assert read.left_out == []

    report = run(
        session, actor(session, "admin"), "email", path, internal_domains=OURS.internal_domains
    )
    assert (report.created, report.errors) == (3, [])
    stored = session.scalars(select(Feedback).order_by(Feedback.occurred_at)).all()
    assert [f.account_id for f in stored] == [kestrel.id, orchard.id, harbour.id]


def test_a_forward_of_a_forward_is_the_customer_at_the_bottom(tmp_path: Path) -> None:
    """The PM forwards as an attachment a colleague's mail that forwarded the customer's,
    once inline (Gmail's block) and once as an attachment of its own."""
    inline = (
        "From: Felix Grant <help@tidewell.example>\nTo: noor@tidewell.example\n"
        "Subject: Fwd: Pallet labels\nDate: Mon, 23 Nov 2026 09:00:00 +0000\n"
        "Content-Type: text/plain; charset=utf-8\n\nFor your label epic.\n\n"
        "---------- Forwarded message ---------\n"
        "From: Lukas Brandt <lukas.brandt@kestrel-foods.example>\n"
        "Date: Mon, 23 Nov 2026 at 08:30\nSubject: Pallet labels\n"
        "To: Felix Grant <help@tidewell.example>\n\n"
        "The pallet labels print the best-before date in US format.\n\nLukas\n"
    )
    attached = (
        "From: Felix Grant <help@tidewell.example>\nTo: noor@tidewell.example\n"
        "Subject: FW: Room bookings over the holidays\nDate: Thu, 26 Nov 2026 09:00:00 +0000\n"
        'MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="_in_"\n\n'
        "--_in_\nContent-Type: text/plain\n\nSee attached.\n\n"
        f"--_in_\n{_rfc822(ORCHARD)}\n--_in_--\n"
    )
    for carried, words, sender in (
        (inline, "The pallet labels print the best-before date in US format.", "lukas"),
        (attached, ORCHARD_WORDS, "facilities"),
    ):
        path = tmp_path / "fw.eml"
        path.write_text(_forward([_rfc822(carried)]), encoding="utf-8")
        (item,) = read_clean("email", path, OURS).feedback
        assert item.text == words
        assert (item.contact_email or "").startswith(sender)


def test_an_attached_mail_without_a_date_takes_the_date_of_the_forward(tmp_path: Path) -> None:
    path = tmp_path / "fw.eml"
    undated = HARBOUR.replace("Date: Thu, 26 Nov 2026 19:45:00 -0500\n", "")
    path.write_text(_forward([_rfc822(undated)]), encoding="utf-8")
    (item,) = read_clean("email", path, OURS).feedback
    assert item.occurred_at.isoformat() == "2026-11-27T11:00:00+00:00"

    garbled = HARBOUR.replace("Thu, 26 Nov 2026 19:45:00 -0500", "sometime last week")
    path.write_text(_forward([_rfc822(garbled)]), encoding="utf-8")
    read = read_clean("email", path, OURS)
    assert read.feedback[0].occurred_at.isoformat() == "2026-11-27T11:00:00+00:00"
    assert ["'sometime last week'" in w.reason for w in read.warnings] == [True]


def test_an_attached_outlook_item_is_named_not_taken_for_the_forwarders_note(
    tmp_path: Path,
) -> None:
    """Outlook on the web attaches a saved Outlook item as a .msg file, which is not MIME:
    the reader is told, and the PM's note is the team's words, left out."""
    msg = (
        'Content-Type: application/vnd.ms-outlook; name="Pallet labels.msg"\n'
        'Content-Disposition: attachment; filename="Pallet labels.msg"\n'
        "Content-Transfer-Encoding: base64\n\n0M8R4KGxGuEAAAAAAAAAAAAAAAAAAAAAPgADAP7/CQAG\n"
    )
    path = tmp_path / "fw.eml"
    path.write_text(_forward([msg]), encoding="utf-8")
    read = read_clean("email", path, OURS)
    assert read.feedback == []
    assert [reason for reason, _ in left_out_of(read)] == ["internal"]
    (warning,) = read.warnings
    assert "'Pallet labels.msg' is an Outlook item (.msg)" in warning.reason


def test_a_sign_off_in_two_languages_ends_the_words() -> None:
    words, signature = split_signature(
        "Bonjour,\n\nThe invoice PDF has no VAT line.\n\nCordialement | Kind regards\n"
        "Claire Dubois\nComptable, Maison Vey SARL\nRCS Lyon 812 345 678\n",
        "Claire Dubois",
    )
    assert words == "Bonjour,\n\nThe invoice PDF has no VAT line."
    assert signature.startswith("Comptable, Maison Vey SARL")
    # A line that only looks like one, words either side of a slash, is the sender's.
    kept = "Hi,\n\nThe export works before / after the sync.\nThanks / Tom"
    assert split_signature(kept, "Tom")[0] == kept


def test_cut_or_garbled_journal_reports_are_errors_or_mail_never_envelope_lines(
    tmp_path: Path,
) -> None:
    """An archive cut off anywhere, or with bytes garbled, is read as far as it goes: a
    clear error for what cannot be read, and never the archive's envelope as an item."""
    whole = "".join(_journal(mail) for mail in (PINECREST, AWAY, REPLY)).encode("utf-8")
    path = tmp_path / "journal.mbox"
    for cut in range(200, len(whole), 97):
        for data in (whole[:cut], whole[:cut] + b"\xff\xfe\x00garbage\n--_004_JR_\n"):
            path.write_bytes(data)
            read = get_connector("email").read(path, OURS)
            assert all(error.reason for error in read.errors)
            texts = [i.text for i in read.feedback] + [o.record.text for o in read.left_out]
            assert not any("Sender: " in text or "Message-Id: " in text for text in texts)


def test_an_original_an_archiver_reencoded_as_base64_is_still_read(tmp_path: Path) -> None:
    """RFC 2046 allows no transfer encoding on an attached message, but archivers and
    gateways that re-pack journal mail write one."""
    encoded = base64.encodebytes(PINECREST.encode("utf-8")).decode("ascii")
    part = (
        "Content-Type: message/rfc822\nContent-Transfer-Encoding: base64\n"
        f"Content-Disposition: attachment\n\n{encoded}"
    )
    path = tmp_path / "journal.mbox"
    path.write_text(_journal(PINECREST, attached=part), encoding="utf-8")
    (item,) = read_clean("email", path, OURS).feedback
    assert (item.text, item.contact_email) == (PINECREST_WORDS, "ines.moreau@pinecrest.example")


def test_a_mail_whose_headers_were_damaged_is_an_error_not_header_lines_as_words(
    tmp_path: Path,
) -> None:
    """A line lost or garbled in an archive: read on, the rest of the headers or the MIME
    parts would come in as the sender's words. A mail that only lacks the blank line under
    its headers is sound, and read."""
    head = (
        "From: Lukas Brandt <lukas.brandt@kestrel-foods.example>\nSubject: Pallet labels\n"
        "Date: Mon, 23 Nov 2026 07:30:00 +0000\n"
    )
    parts = "--_p_\nContent-Type: text/plain\n\nThe pallet labels print US dates.\n--_p_--\n"
    damaged = {
        "broken": head.replace("Subject:", "Sub\x1bject") + "Message-ID: <k@x>\n\nWords.\n",
        "no content type": f"{head}MIME-Version: 1.0\n\n{parts}",
        "other boundary": f'{head}Content-Type: multipart/mixed; boundary="_q_"\n\n{parts}',
    }
    path = tmp_path / "mail.eml"
    for case, mail in damaged.items():
        path.write_text(mail, encoding="utf-8")
        read = get_connector("email").read(path, OURS)
        assert (read.feedback, read.left_out) == ([], []), case
        assert [e.column for e in read.errors] == ["headers"], case
        assert "is damaged" in read.errors[0].reason, case

    path.write_text(f"{head}The pallet labels print US dates.\n", encoding="utf-8")
    (item,) = read_clean("email", path, OURS).feedback
    assert item.text == "The pallet labels print US dates."
    # Words that look like headers, under sound ones, are words.
    journey = "From: Ulm depot\nTo: Munich hub\nDate: every Monday\n\nThe route planner drops it."
    path.write_text(f"{head}\n{journey}\n", encoding="utf-8")
    (item,) = read_clean("email", path, OURS).feedback
    assert item.text.endswith("The route planner drops it.")
