"""A mailing list's rewritten sender, as the t23 Google Groups Takeout showed it: a list
server passing on mail from a domain with a strict DMARC policy writes its own address in
`From` ("'Name' via OurCo Support" <support@ourco.com>) and keeps the real sender in
`X-Original-From`, `Reply-To` or `Cc`. Mail tools show the real sender; so must Huddle, or a
customer's message to the vendor's group address reads as the vendor's own mail."""

from pathlib import Path

from huddle.connectors.base import ConnectorOptions
from huddle.connectors.list_senders import list_addresses
from tests.connectors.helpers import left_out_of, read_clean

OURCO = ConnectorOptions(internal_domains=("ourco.com",), staff_names=("Sam Ortiz",))

GROUPS_HEADERS = """\
Mailing-list: list support@ourco.com; contact support+owners@ourco.com
List-ID: <support.ourco.com>
List-Post: <https://groups.google.com/a/ourco.com/group/support/post>, <mailto:support@ourco.com>
To: OurCo Support <support@ourco.com>
MIME-Version: 1.0
Content-Type: text/plain; charset="UTF-8"
"""

FOOTER = """
--\x20
You received this message because you are subscribed to the Google Groups "OurCo Support" group.
To unsubscribe from this group and stop receiving emails from it, send an email to support+unsubscribe@ourco.com.
"""


def _mbox(tmp_path: Path, *messages: str) -> Path:
    path = tmp_path / "groups.mbox"
    path.write_text(
        "".join(f"From 17524921665@xxx Mon Nov 30 09:14:03 +0000 2026\n{m}\n" for m in messages)
    )
    return path


def _message(headers: str, body: str, number: int = 1) -> str:
    return (
        f"Date: Mon, 30 Nov 2026 09:1{number}:58 +0000\nMessage-ID: <m{number}@mail.example>\n"
        f"Subject: [OurCo Support] Question {number}\n{headers}{GROUPS_HEADERS}\n{body}\n{FOOTER}"
    )


def test_google_groups_dmarc_rewrite_reads_the_sender_from_x_original_from(
    tmp_path: Path,
) -> None:
    """Google Groups' "'Name' via Group" <group@ourco.com> is the customer's message, from
    the address `X-Original-From` keeps (not left out as the vendor's mail), without the
    group's footer; a reply the team sent to the group is still internal."""
    path = _mbox(
        tmp_path,
        _message(
            "From: \"'Rhea Kowalczyk' via OurCo Support\" <support@ourco.com>\n"
            "X-Original-From: Rhea Kowalczyk <rhea@acme.example>\n",
            "Is offline mode coming this quarter? Supervisors lose what they typed.",
        ),
        _message("From: Sam Ortiz <sam@ourco.com>\n", "Offline drafts are in beta now.", 2),
    )
    read = read_clean("email", path, OURCO)
    assert [(r.contact_email, r.contact_name) for r in read.feedback] == [
        ("rhea@acme.example", "Rhea Kowalczyk")
    ]
    assert "You received this message" not in read.feedback[0].text
    assert left_out_of(read) == [("internal", "Offline drafts are in beta now.")]


def test_reply_to_names_the_sender_when_the_list_rewrote_from(tmp_path: Path) -> None:
    """Without `X-Original-From`, the `Reply-To` of a message whose `From` is the list's
    address "via" the list is who wrote it ("Vega, Marisol" as the list wrote it)."""
    path = _mbox(
        tmp_path,
        _message(
            "From: \"'Vega, Marisol' via OurCo Support\" <support@ourco.com>\n"
            'Reply-To: "Vega, Marisol" <marisol.vega@initech.example>\n',
            "The handover report still takes our nurses 25 minutes per ward.",
        ),
    )
    read = read_clean("email", path, OURCO)
    assert [r.contact_email for r in read.feedback] == ["marisol.vega@initech.example"]
    assert read.left_out == []


def test_mailman_munged_from_finds_the_sender_in_cc(tmp_path: Path) -> None:
    """Mailman's DMARC mitigation when replies go to the list: `From: Jane Doe via Users
    <users@lists.ourco.com>`, `Reply-To` the list, the poster in `Cc` under their name."""
    message = (
        "Date: Tue, 1 Dec 2026 10:00:00 +0000\nMessage-ID: <mm1@lists.ourco.com>\n"
        "Subject: [Users] Exports\nFrom: Jane Doe via Users <users@lists.ourco.com>\n"
        "Reply-To: Users <users@lists.ourco.com>\n"
        "Cc: Jane Doe <jane@globex.example>, Kim Park <kim@globex.example>\n"
        "List-Id: OurCo users <users.lists.ourco.com>\n"
        "List-Post: <mailto:users@lists.ourco.com>\nTo: users@lists.ourco.com\n\n"
        "Our exports drop the time zone, so the audit team redoes them by hand.\n"
    )
    read = read_clean("email", _mbox(tmp_path, message), OURCO)
    assert [(r.contact_email, r.contact_name) for r in read.feedback] == [
        ("jane@globex.example", "Jane Doe")
    ]


def test_a_rewritten_sender_whose_address_is_nowhere_keeps_their_name(tmp_path: Path) -> None:
    """A group that hides posters' addresses: the name the list gives, no contact address,
    and not the vendor's mail for the group's own address."""
    path = _mbox(
        tmp_path,
        _message(
            "From: \"'Grace Okafor' via OurCo Support\" <support@ourco.com>\n",
            "Our store managers want to approve from the lock screen.",
        ),
    )
    read = read_clean("email", path, OURCO)
    assert [(r.contact_email, r.contact_name) for r in read.feedback] == [(None, "Grace Okafor")]


def test_the_lists_own_mail_with_a_reply_to_is_not_rewritten(tmp_path: Path) -> None:
    """An announcement the group sent from its own address, asking for replies to a
    customer-facing address elsewhere, is still the vendor's own mail: `Reply-To` names the
    sender only when the name says "via" the list."""
    path = _mbox(
        tmp_path,
        _message(
            "From: OurCo Support <support@ourco.com>\nReply-To: Events <events@partner.example>\n",
            "Our winter webinar is on 10 December.",
        ),
    )
    read = read_clean("email", path, OURCO)
    assert read.feedback == []
    assert [reason for reason, _ in left_out_of(read)] == ["internal"]


def test_staff_posting_through_the_group_stay_internal(tmp_path: Path) -> None:
    """The vendor's own people rewritten by their group are still the vendor's people, by
    the address `X-Original-From` keeps (Jo is no workspace user by name)."""
    path = _mbox(
        tmp_path,
        _message(
            "From: \"'Jo Quinn' via OurCo Support\" <support@ourco.com>\n"
            "X-Original-From: Jo Quinn <jo@ourco.com>\n",
            "Offline drafts ship to Android in January.",
        ),
    )
    assert [reason for reason, _ in left_out_of(read_clean("email", path, OURCO))] == ["internal"]


def test_list_addresses_from_the_list_headers() -> None:
    """The list's address as `List-Post`, Google's `Mailing-list` and `List-Id` give it."""
    from email import message_from_string, policy
    from email.message import EmailMessage

    message = message_from_string(
        "List-Id: Users <users.lists.ourco.com>\nMailing-list: list support@ourco.com; "
        "contact support+owners@ourco.com\nList-Post: <mailto:ask@ourco.com>\n\nx\n",
        policy=policy.default,
    )
    assert isinstance(message, EmailMessage)
    assert list_addresses(message) == {
        "users@lists.ourco.com",
        "support@ourco.com",
        "ask@ourco.com",
    }
