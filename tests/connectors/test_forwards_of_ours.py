"""A forward inline whose forwarded mail is our own: one of our people passing on their own
(or a colleague's) mail is not a customer's words; a customer passing on ours with words of
their own above it is, those words only."""

from pathlib import Path

from huddle.connectors.base import ConnectorOptions
from tests.connectors.helpers import left_out_of, read_clean

OURS = ConnectorOptions(internal_domains=("tidewell.example",), staff_names=("Noor Haddad",))

OUR_MAIL = (
    "---------- Forwarded message ---------\n"
    "From: Felix Brandt <felix@tidewell.example>\n"
    "Date: Mon, 30 Nov 2026 at 16:40\n"
    "Subject: Dock schedule export\n"
    "To: Ines Moreau <ines.moreau@pinecrest.example>\n\n"
    "Hi Ines, the export is under Yard > Schedule > Download, and trailer numbers are on the "
    "roadmap for the first quarter.\n"
)


def _mail(path: Path, sender: str, body: str) -> Path:
    path.write_text(
        f"From: {sender}\nTo: feedback@tidewell.example\nSubject: Fwd: Dock schedule export\n"
        "Date: Tue, 01 Dec 2026 09:14:02 +0000\nMessage-ID: <fwd-1@example>\n"
        f"Content-Type: text/plain; charset=utf-8\n\n{body}",
        encoding="utf-8",
    )
    return path


def test_our_own_mail_forwarded_inline_by_one_of_us_is_internal(tmp_path: Path) -> None:
    path = _mail(tmp_path / "a.eml", "Noor Haddad <noor@tidewell.example>", f"FYI\n\n{OUR_MAIL}")
    read = read_clean("email", path, OURS)
    assert read.feedback == []
    assert [reason for reason, _ in left_out_of(read)] == ["internal"]
    # Our mail named by its sender's name alone (Outlook's "From: Noor Haddad"), passed on by
    # a customer with a pointer: ours all the same, not the customer's.
    named = OUR_MAIL.replace("Felix Brandt <felix@tidewell.example>", "Noor Haddad")
    path = _mail(tmp_path / "b.eml", "Ines <ines.moreau@pinecrest.example>", f"FYI\n\n{named}")
    assert [reason for reason, _ in left_out_of(read_clean("email", path, OURS))] == ["internal"]


def test_a_customer_forwarding_our_mail_is_their_words_above_it(tmp_path: Path) -> None:
    note = (
        "Felix, this is the third time you've promised trailer numbers and the yard still "
        "retypes them every morning. We need a date we can plan around."
    )
    path = _mail(
        tmp_path / "a.eml", "Ines Moreau <ines.moreau@pinecrest.example>", f"{note}\n\n{OUR_MAIL}"
    )
    (item,) = read_clean("email", path, OURS).feedback
    assert (item.text, item.contact_email) == (note, "ines.moreau@pinecrest.example")
    # With only a pointer above it ("FYI"), nothing of theirs: our mail is left out as ours.
    path = _mail(
        tmp_path / "b.eml", "Ines Moreau <ines.moreau@pinecrest.example>", f"FYI\n\n{OUR_MAIL}"
    )
    read = read_clean("email", path, OURS)
    assert read.feedback == []
    assert [reason for reason, _ in left_out_of(read)] == ["internal"]


def test_a_customers_mail_forwarded_by_one_of_us_is_still_theirs(tmp_path: Path) -> None:
    theirs = OUR_MAIL.replace(
        "Felix Brandt <felix@tidewell.example>", "Ines <ines.moreau@pinecrest.example>"
    )
    path = _mail(tmp_path / "a.eml", "Noor Haddad <noor@tidewell.example>", f"FYI\n\n{theirs}")
    (item,) = read_clean("email", path, OURS).feedback
    assert item.contact_email == "ines.moreau@pinecrest.example"
    assert item.text.startswith("Hi Ines, the export is under Yard")
    # Named by name alone, theirs too, and never under the forwarder's address.
    named = OUR_MAIL.replace("Felix Brandt <felix@tidewell.example>", "Ines Moreau")
    path = _mail(tmp_path / "b.eml", "Noor Haddad <noor@tidewell.example>", named)
    (item,) = read_clean("email", path, OURS).feedback
    assert (item.contact_email, item.contact_name) == (None, "Ines Moreau")
    # A forward that names no sender at all: what it carries is not taken for ours.
    unnamed = OUR_MAIL.replace("From: Felix Brandt <felix@tidewell.example>\n", "")
    path = _mail(tmp_path / "c.eml", "Noor Haddad <noor@tidewell.example>", unnamed)
    assert len(read_clean("email", path, OURS).feedback) == 1
