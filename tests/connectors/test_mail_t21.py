"""A mailing list's digest read as the messages in it (MIME and RFC 1153 plain text), and a
mail tool's export folder read whole (the Proton Mail Export Tool's nested folders, Maildir,
a spam folder), with Proton Mail's forward, quote rule and footer read as people read them."""

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from huddle.connectors.base import ConnectorOptions, ConnectorOutput
from huddle.connectors.email import connector as email_connector
from huddle.connectors.email import strip_replies
from huddle.models import Feedback
from tests.connectors.helpers import left_out_of, round_trip
from tests.factories import actor, create_account

OURCO = ConnectorOptions(internal_domains=("ourco.com",), staff_names=("Tom Becker",))

MIME_DIGEST = """\
From: users-request@lists.ourco.com
To: users@lists.ourco.com
Subject: Users Digest, Vol 2, Issue 7
Date: Fri, 04 Dec 2026 12:00:02 +0000
Message-ID: <digest-2-7@lists.ourco.com>
List-Id: OurCo users <users.lists.ourco.com>
Precedence: list
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="OUTER"

--OUTER
Content-Type: text/plain; charset="us-ascii"
Content-Description: Users Digest, Vol 2, Issue 7

Send Users mailing list submissions to
\tusers@lists.ourco.com

Today's Topics:

   1. Bulk archive (Kim Lindqvist)
   2. Re: Bulk archive (Dana Lee)

--OUTER
Content-Type: multipart/digest; boundary="INNER"

--INNER
Content-Type: message/rfc822

Date: Thu, 3 Dec 2026 08:02:17 +0100
From: Kim Lindqvist <kim@acme.example>
To: users@lists.ourco.com
Subject: [Users] Bulk archive
Message-ID: <kim-1@acme.example>
Content-Type: text/plain; charset="us-ascii"

Archiving projects one at a time takes our admins an hour every quarter.

--INNER
Content-Type: message/rfc822

Date: Thu, 3 Dec 2026 09:15:40 +0000
From: Dana Lee <dana@ourco.com>
To: users@lists.ourco.com
Subject: Re: [Users] Bulk archive
Message-ID: <dana-1@ourco.com>
Content-Type: text/plain; charset="us-ascii"

Bulk archive is planned for the spring release.

--INNER--

--OUTER
Content-Type: text/plain; charset="us-ascii"
Content-Description: Digest Footer

_______________________________________________
Users mailing list
users@lists.ourco.com

--OUTER--
"""

PLAIN_HEAD = """\
From: users-request@lists.ourco.com
To: users@lists.ourco.com
Subject: Users Digest, Vol 2, Issue 8
Date: Sat, 05 Dec 2026 12:00:02 +0000
Message-ID: <digest-2-8@lists.ourco.com>
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"
Content-Transfer-Encoding: 8bit

Send Users mailing list submissions to
\tusers@lists.ourco.com

Today's Topics:

   1. CSV import (J\u00fcrgen Maas)
   2. Re: CSV import (Dana Lee)

----------------------------------------------------------------------

Message: 1
Date: Fri, 4 Dec 2026 10:00:00 +0100
From: J\u00fcrgen Maas <juergen@acme.example>
To: users@lists.ourco.com
Subject: [Users] CSV
	import
Message-ID: <juergen-1@acme.example>
Content-Type: text/plain; charset="iso-8859-1"

The CSV import stops at 10,000 rows, so f\u00fcr every big client we do this:
------------------------------
1. split the file by hand
2. import each half and hope nothing is doubled

-------------- next part --------------
An HTML attachment was scrubbed...
URL: <https://lists.ourco.com/pipermail/users/attachment.html>

------------------------------

Message: 2
Date: Fri, 4 Dec 2026 11:00:00 +0000
From: Dana Lee <dana@ourco.com>
Subject: Re: [Users] CSV import
Message-ID: <dana-2@ourco.com>

We are raising the limit next week.

------------------------------

[Message discarded by content filter]
"""
PLAIN_FOOTER = """\
------------------------------

Subject: Digest Footer

_______________________________________________
Users mailing list
users@lists.ourco.com

------------------------------

End of Users Digest, Vol 2, Issue 8
***********************************
"""
# Without a footer the sign-off follows the last message.
PLAIN_SIGN_OFF = """\
End of Users Digest, Vol 2, Issue 8
***********************************
"""


def _read(path: Path) -> ConnectorOutput:
    output = email_connector.read(path, OURCO)
    assert output.errors == []
    return output


def test_a_mime_digest_is_the_messages_in_it(tmp_path: Path) -> None:
    """Each message of the `multipart/digest` is read with its own sender, date and subject
    (without the list's "[Users]" tag); the list's masthead, topics and footer are nothing."""
    path = tmp_path / "digest.eml"
    path.write_text(MIME_DIGEST)
    output = _read(path)
    assert [(r.title, r.contact_email, r.occurred_at, r.text) for r in output.feedback] == [
        (
            "Bulk archive",
            "kim@acme.example",
            datetime(2026, 12, 3, 7, 2, 17, tzinfo=UTC),
            "Archiving projects one at a time takes our admins an hour every quarter.",
        )
    ]
    assert left_out_of(output) == [("internal", "Bulk archive is planned for the spring release.")]


@pytest.mark.parametrize("ending", [PLAIN_FOOTER, PLAIN_SIGN_OFF])
def test_a_plain_rfc1153_digest_is_the_messages_in_it(tmp_path: Path, ending: str) -> None:
    """The "Message: N" sections between rules of dashes (a header Mailman wrapped, unwrapped);
    a rule the sender wrote stays in their words, Mailman's scrubbed attachment notice, a
    discarded message's notice, the footer section and the sign-off do not; the words keep
    the digest's charset whatever the section's Content-Type says."""
    path = tmp_path / "digest.eml"
    path.write_bytes((PLAIN_HEAD + ending).encode("utf-8"))
    output = _read(path)
    assert [(r.title, r.contact_name, r.external_id, r.text) for r in output.feedback] == [
        (
            "CSV import",
            "J\u00fcrgen Maas",
            "juergen-1@acme.example",
            "The CSV import stops at 10,000 rows, so f\u00fcr every big client we do this:\n"
            + "-" * 30
            + "\n1. split the file by hand\n2. import each half and hope nothing is doubled",
        )
    ]
    assert left_out_of(output) == [("internal", "We are raising the limit next week.")]


def test_a_digest_imports_its_messages_once(session: Session, tmp_path: Path) -> None:
    admin = actor(session, "admin")
    acme = create_account(session, name="Acme", domain="acme.example")
    path = tmp_path / "digest.eml"
    path.write_text(MIME_DIGEST)
    round_trip(session, admin, "email", path, internal_domains=("ourco.com",))
    items = session.scalars(select(Feedback)).all()
    assert [(i.external_id, i.account_id) for i in items] == [("kim-1@acme.example", acme.id)]


def _proton_message(sender: str, subject: str, body: str, origin: str = "external") -> str:
    return (
        f"Date: Fri, 04 Dec 2026 07:30:19 -0600\r\nFrom: {sender}\r\n"
        f"To: Tom Becker <tom.becker@ourco.com>\r\nSubject: {subject}\r\n"
        f"Message-ID: <{subject.replace(' ', '.')}@proton.me>\r\nX-Pm-Origin: {origin}\r\n"
        "X-Pm-Content-Encryption: end-to-end\r\nMime-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n" + body.replace("\n", "\r\n")
    )


def _proton_export(root: Path, messages: dict[str, tuple[str, list[str]]]) -> Path:
    """The Export Tool's layout: <address>/mail_<time>/<id>.eml and <id>.metadata.json."""
    folder = root / "tom.becker@ourco.com" / "mail_20261205_101530"
    folder.mkdir(parents=True)
    (folder / "labels.json").write_text(json.dumps({"Version": 1, "Payload": []}))
    for ident, (mail, labels) in messages.items():
        (folder / f"{ident}.eml").write_text(mail, newline="")
        meta = {"Version": 1, "Payload": {"ID": ident, "LabelIDs": labels}}
        (folder / f"{ident}.metadata.json").write_text(json.dumps(meta))
    return root


FORWARD = """\
Hi Priya, FYI: see below.

Tom

Sent with Proton Mail secure email.

\u2010\u2010\u2010\u2010\u2010\u2010\u2010 Forwarded Message \u2010\u2010\u2010\u2010\u2010\u2010\u2010
From: Marcus Hale <marcus.hale@umbrella.example>
Date: On Monday, November 30th, 2026 at 10:05 AM
Subject: Alerts after the pilot
To: Tom Becker <tom.becker@ourco.com>


> Hi Tom,
>
> The shelf photo is too small on the handhelds.
>
> > An older line Marcus quoted.
"""


def test_a_proton_mail_export_folder_is_read_whole(tmp_path: Path) -> None:
    """Every `.eml` under the nested folders, not the metadata beside them; Proton's own
    headers ("X-Pm-Origin: internal": sent within Proton) do not make a customer internal;
    Proton's forward block (its hyphen rule, "Date: On Monday, November 30th, …", the
    forwarded mail quoted whole) is read as the original; a message Proton filed in Spam is
    spam."""
    root = _proton_export(
        tmp_path / "export",
        {
            "Rs4Tg==": (
                _proton_message(
                    "Rosa Jim\u00e9nez <rosa@tallgrass.example>",
                    "Several editors?",
                    "Only one person can edit the harvest plan at a time.\n\n"
                    "Sent with Proton Mail secure email.\n",
                    origin="internal",
                ),
                ["0", "5"],
            ),
            "Zt5Yu==": (
                # The forward's subject rewritten: only Proton's rule says it is one.
                _proton_message("Tom Becker <tom.becker@ourco.com>", "Umbrella on alerts", FORWARD),
                ["7", "5"],
            ),
            "Sp4m==": (
                _proton_message(
                    "Deals <deals@example.net>", "Your invoice", "Please see the attachment.\n"
                ),
                ["4", "5"],
            ),
        },
    )
    output = _read(root)
    assert [(r.contact_email, r.occurred_at, r.tags, r.text) for r in output.feedback] == [
        (
            "rosa@tallgrass.example",
            datetime(2026, 12, 4, 13, 30, 19, tzinfo=UTC),
            [],
            "Only one person can edit the harvest plan at a time.",
        ),
        (
            "marcus.hale@umbrella.example",
            datetime(2026, 11, 30, 10, 5, tzinfo=UTC),
            ["forwarded"],
            "Hi Tom,\n\nThe shelf photo is too small on the handhelds.",
        ),
    ]
    assert left_out_of(output) == [("spam", "Please see the attachment.")]


def test_a_spam_or_junk_folder_is_spam_and_maildir_is_mail(tmp_path: Path) -> None:
    """A folder tree as mail tools and fetchers write it: Maildir's `cur/` and `new/` (beside
    `tmp/`) hold messages without a suffix; what sits under "Junk" is spam."""
    mail = _proton_message("Kim <kim@acme.example>", "Exports", "The export times out.\n")
    for box in ("cur", "new", "tmp"):
        (tmp_path / "Maildir" / box).mkdir(parents=True)
    (tmp_path / "Maildir" / "cur" / "1796380000.M1P2.host:2,S").write_text(mail)
    (tmp_path / "Maildir" / "new" / "1796380001.M2P2.host").write_text(
        mail.replace("Exports", "Imports").replace("export", "import")
    )
    (tmp_path / "Junk").mkdir()
    (tmp_path / "Junk" / "1.eml").write_text(mail.replace("Exports", "Deal"))
    (tmp_path / "Junk" / "._1.eml").write_bytes(b"\x00\x05\x16\x07Mac OS X")
    output = _read(tmp_path)
    assert sorted(r.text for r in output.feedback) == [
        "The export times out.",
        "The import times out.",
    ]
    assert left_out_of(output) == [("spam", "The export times out.")]


def test_a_bad_message_in_a_folder_is_named_by_its_file(tmp_path: Path) -> None:
    (tmp_path / "Inbox").mkdir()
    mail = _proton_message("Kim <kim@acme.example>", "Exports", "The export times out.\n")
    (tmp_path / "Inbox" / "undated.eml").write_text(mail.replace("Date:", "X-Date:"))
    output = email_connector.read(tmp_path, OURCO)
    assert [(e.line, e.column, e.reason.split(":")[0]) for e in output.errors] == [
        (1, "Date", "Inbox/undated.eml")
    ]


def test_proton_mails_quote_rule_and_footer_are_not_the_senders_words() -> None:
    """Proton Mail's "Original Message" rule of hyphens (U+2010) opens the quote even where
    its "On … wrote:" line is in a language not otherwise read (a Japanese one here), and its
    "Sent from Proton Mail" footer is no part of the message."""
    reply = (
        "CSV\u306e\u4ef6\u3001\u627f\u77e5\u3057\u307e\u3057\u305f\u3002\n\n"
        "\u2010\u2010\u2010\u2010\u2010\u2010\u2010 Original Message "
        "\u2010\u2010\u2010\u2010\u2010\u2010\u2010\n"
        "2026\u5e7412\u67081\u65e5\u706b\u66dc\u65e5 15:14\u3001Tom Becker "
        "<tom.becker@ourco.com> \u304c\u66f8\u304d\u307e\u3057\u305f:\n\n"
        "> \u3054\u78ba\u8a8d\u304f\u3060\u3055\u3044\u3002\n"
    )
    assert strip_replies(reply) == "CSV\u306e\u4ef6\u3001\u627f\u77e5\u3057\u307e\u3057\u305f\u3002"
    assert strip_replies("Works for us now.\n\nSent from Proton Mail for iOS\n") == (
        "Works for us now."
    )


def test_a_maildir_copied_without_its_empty_tmp_folder_is_still_mail(tmp_path: Path) -> None:
    """Round 15's lesson: git and some archivers keep no empty folder, so a Maildir copied
    from a server arrives as `cur/` and `new/` alone; its messages, named by their delivery,
    are still mail. A file without a suffix in a folder named `cur` is not, unless so named."""
    mail = _proton_message("Kim <kim@acme.example>", "Exports", "The export times out.\n")
    (tmp_path / "drop" / "cur").mkdir(parents=True)
    (tmp_path / "drop" / "new").mkdir()
    (tmp_path / "drop" / "cur" / "1764602280.M412P2201Q1.r15_drop:2,S").write_text(mail)
    (tmp_path / "drop" / "new" / "1764760021.M12P3310Q2.r15_drop").write_text(
        mail.replace("export", "import")
    )
    (tmp_path / "drop" / "cur" / "notes").write_text(mail.replace("export", "report"))
    output = _read(tmp_path)
    assert sorted(r.text for r in output.feedback) == [
        "The export times out.",
        "The import times out.",
    ]
