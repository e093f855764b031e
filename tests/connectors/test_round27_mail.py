"""What round 27's mail showed, each on a small input of its own: Apple Mail's mailbox folder
as it lies on disk (`.emlx` and `.partial.emlx` messages, the attachments and plists beside
them), a mutt folder saved as MMDF, and an S/MIME-encrypted reply; with the shapes the
samples did not show: an `.emlx` given alone or with a wrong byte count, an MMDF message
opening with an envelope line, a PGP/MIME or inline-PGP encrypted mail, an S/MIME mail
naming no smime-type, and signed mail (clear-signed PGP/MIME, opaque-signed S/MIME), which
is read."""

from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from huddle.connectors.base import ConnectorOptions, get_connector
from huddle.connectors.mail_dates import apple_date
from huddle.imports.report import ImportFailed
from tests.connectors.helpers import counts, left_out_of, read_clean, run
from tests.factories import actor

OURS = ConnectorOptions(internal_domains=("ourco.com",))

UMBRELLA = (
    "Return-Path: <fiona@umbrella.example>\n"
    "From: Fiona Gallagher <fiona@umbrella.example>\n"
    "To: Sam Ortiz <sam@ourco.com>\n"
    "Subject: Store audits\n"
    "Date: Tue, 1 Dec 2026 09:14:52 +0000\n"
    "Message-Id: <A41C@umbrella.example>\n"
    "Content-Type: text/plain; charset=utf-8\n\n"
    "The audit checklist can't be completed offline, so our stockroom audits stall.\n"
)
UMBRELLA_WORDS = "The audit checklist can't be completed offline, so our stockroom audits stall."
# Apple Mail's flags after the message.
PLIST = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" '
    '"http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n'
    '<plist version="1.0">\n<dict>\n\t<key>flags</key>\n\t<integer>8590195713</integer>\n'
    "</dict>\n</plist>\n"
)


def _emlx(message: str, count: int | None = None) -> bytes:
    raw = message.encode("utf-8")
    return f"{len(raw) if count is None else count}\n".encode() + raw + PLIST.encode()


def test_an_emlx_file_is_its_message_without_the_byte_count_or_the_flags(tmp_path: Path) -> None:
    path = tmp_path / "1031.emlx"
    path.write_bytes(_emlx(UMBRELLA))
    (item,) = read_clean("email", path, OURS).feedback
    assert item.text == UMBRELLA_WORDS
    assert (item.contact_email, item.external_id) == (
        "fiona@umbrella.example",
        "A41C@umbrella.example",
    )


def test_an_emlx_whose_byte_count_is_wrong_ends_where_the_flags_begin(tmp_path: Path) -> None:
    for count in (len(UMBRELLA) - 30, len(UMBRELLA) + 400):
        path = tmp_path / "1031.emlx"
        path.write_bytes(_emlx(UMBRELLA, count))
        (item,) = read_clean("email", path, OURS).feedback
        assert item.text == UMBRELLA_WORDS


PARTIAL = (
    "From: =?utf-8?Q?J=C3=B6rg_Albers?= <joerg@acme-robotics.example>\n"
    "To: Tom Becker <tom@ourco.com>\n"
    "Subject: Sync status (screenshot)\n"
    "Date: Wed, 2 Dec 2026 16:45:21 +0100\n"
    "Message-ID: <AM9PR07@acme-robotics.example>\n"
    "MIME-Version: 1.0\n"
    'Content-Type: multipart/mixed; boundary="b1"\n\n'
    "--b1\n"
    "Content-Type: text/plain; charset=utf-8\n\n"
    "Three work orders that the technicians closed yesterday show as open again.\n\n"
    "--b1\n"
    'Content-Type: image/png; name="shift-board.png"\n'
    'Content-Disposition: attachment; filename="shift-board.png"\n'
    "Content-Transfer-Encoding: base64\n"
    "X-Apple-Content-Length: 48211\n\n\n"
    "--b1--\n"
)


def _apple_mailbox(root: Path) -> Path:
    """Apple Mail's `Feedback.mbox` folder as ~/Library/Mail/V10 keeps it."""
    mailbox = root / "Feedback.mbox"
    data = mailbox / "8F3C2A1E-5B7D-4C9A-9E21-3A6B8D0F4C12" / "Data"
    (data / "Messages").mkdir(parents=True)
    (data / "Messages" / "1031.emlx").write_bytes(_emlx(UMBRELLA))
    (data / "1" / "Messages").mkdir(parents=True)
    (data / "1" / "Messages" / "1207.partial.emlx").write_bytes(_emlx(PARTIAL))
    # What Apple Mail took out of the partial message, and a file there that reads as mail.
    attachments = data / "1" / "Attachments" / "1207" / "2"
    attachments.mkdir(parents=True)
    (attachments / "shift-board.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (attachments / "forwarded").write_text(UMBRELLA.replace("A41C", "B52D"), encoding="utf-8")
    (mailbox / "Info.plist").write_text(PLIST, encoding="utf-8")
    return mailbox


def test_apple_mails_mailbox_folder_is_read_message_by_message(tmp_path: Path) -> None:
    read = read_clean("email", _apple_mailbox(tmp_path), OURS)
    assert sorted(item.text for item in read.feedback) == [
        UMBRELLA_WORDS,
        "Three work orders that the technicians closed yesterday show as open again.",
    ]
    assert read.rows_read == 2  # not the plist, nor the attachments Apple Mail kept aside


def test_an_apple_mail_junk_mailbox_is_spam(tmp_path: Path) -> None:
    """An account's folder of mailboxes, as ~/Library/Mail/V10/<account> holds them."""
    _apple_mailbox(tmp_path).rename(tmp_path / "Junk.mbox")
    read = get_connector("email").read(tmp_path, OURS)
    assert (read.feedback, {reason for reason, _ in left_out_of(read)}) == ([], {"spam"})


def test_an_apple_mail_forwards_date_is_read_in_its_zone() -> None:
    assert apple_date("2 December 2026 at 08:41:22 GMT+1").isoformat() == (  # type: ignore[union-attr]
        "2026-12-02T08:41:22+01:00"
    )
    assert apple_date("December 2, 2026 at 8:41:22 PM PST").isoformat() == (  # type: ignore[union-attr]
        "2026-12-02T20:41:22-08:00"
    )
    assert apple_date("2. Dezember 2026 um 08:41:22 MEZ").isoformat() == (  # type: ignore[union-attr]
        "2026-12-02T08:41:22+01:00"
    )
    assert apple_date("Tuesday, 1 December 2026") is None


def test_apple_mails_forward_dates_the_original_by_its_own_date(tmp_path: Path) -> None:
    path = tmp_path / "1037.emlx"
    path.write_bytes(
        _emlx(
            "From: Sam Ortiz <sam@ourco.com>\n"
            "Subject: Fwd: Audit log exports\n"
            "Date: Wed, 2 Dec 2026 09:21:40 +0000\n"
            "Message-Id: <3E2D@ourco.com>\n"
            "Content-Type: text/plain; charset=utf-8\n\n"
            "FYI, see below.\n\nBegin forwarded message:\n\n"
            "From: Grace Okoye <grace@initech.example>\n"
            "Subject: Audit log exports\n"
            "Date: 2 December 2026 at 08:41:22 GMT\n"
            "To: Sam Ortiz <sam@ourco.com>\n\n"
            "Our compliance team needs view events in the audit log export, not just edits.\n"
        )
    )
    read = read_clean("email", path, OURS)
    (item,) = read.feedback
    assert (item.contact_email, item.occurred_at.isoformat()) == (
        "grace@initech.example",
        "2026-12-02T08:41:22+00:00",
    )
    assert read.warnings == []


def _mmdf(*messages: str, envelope: str = "") -> bytes:
    return "".join(f"\x01\x01\x01\x01\n{envelope}{m}\x01\x01\x01\x01\n" for m in messages).encode()


GLOBEX = (
    "From: Tobias Grant <tobias@globex.example>\n"
    "To: feedback@ourco.com\n"
    "Subject: handover notes\n"
    "Date: Wed, 02 Dec 2026 06:58:40 -0600\n"
    "Message-ID: <CAJ8@globex.example>\n"
    "Content-Type: text/plain; charset=us-ascii\n\n"
    "Handover notes still vanish when a load is reassigned between shifts.\n"
    "From what we see, it happens at every shift change.\n"
)
GLOBEX_WORDS = (
    "Handover notes still vanish when a load is reassigned between shifts.\n"
    "From what we see, it happens at every shift change."
)
REMINDER = (
    "From: Sam Ortiz <sam@ourco.com>\n"
    "To: support-team@ourco.com\n"
    "Subject: Reminder: log call notes in the CRM\n"
    "Date: Wed, 02 Dec 2026 09:05:00 +0000\n"
    "Message-ID: <1B2C@ourco.com>\n\n"
    "Quick reminder to log customer call notes in the CRM within a day.\n"
)


def test_an_mmdf_mailbox_is_cut_at_its_postmarks_whatever_it_is_named(tmp_path: Path) -> None:
    """Mutt's MMDF folder: no 'From ' lines between messages, and a body line starting with
    'From ' is the sender's."""
    for name in ("support_archive", "support.mbox"):
        path = tmp_path / name
        path.write_bytes(_mmdf(GLOBEX, REMINDER))
        read = read_clean("email", path, OURS)
        assert [item.text for item in read.feedback] == [GLOBEX_WORDS]
        assert left_out_of(read) == [
            ("internal", "Quick reminder to log customer call notes in the CRM within a day.")
        ]


def test_an_mmdf_message_may_open_with_an_envelope_line(tmp_path: Path) -> None:
    """Python's `mailbox.MMDF` writes an mbox 'From ' line after each opening postmark."""
    path = tmp_path / "archive"
    path.write_bytes(_mmdf(GLOBEX, envelope="From MAILER-DAEMON Wed Dec  2 12:58:40 2026\n"))
    (item,) = read_clean("email", path, OURS).feedback
    assert (item.text, item.contact_email) == (GLOBEX_WORDS, "tobias@globex.example")


def test_an_mmdf_mailbox_in_a_folder_is_mail(tmp_path: Path) -> None:
    (tmp_path / "Mail").mkdir()
    (tmp_path / "Mail" / "support").write_bytes(_mmdf(GLOBEX))
    (item,) = read_clean("email", tmp_path / "Mail", OURS).feedback
    assert item.text == GLOBEX_WORDS


ENCRYPTED_HEAD = (
    "From: Grace Okoye <grace@initech.example>\n"
    "To: Priya Raman <priya@ourco.com>\n"
    "Subject: Re: BAA redlines\n"
    "Date: Fri, 4 Dec 2026 14:22:09 +0000\n"
    "Message-ID: <SN7PR04@initech.example>\n"
    "MIME-Version: 1.0\n"
)
# CMS EnvelopedData, as `openssl cms -encrypt` writes it (its start is what is looked at).
ENVELOPED = (
    "MIIBiwYJKoZIhvcNAQcDoIIBfDCCAXgCAQAxgcIwgb8CAQAwKDAQMQ4wDAYDVQQD\n"
    "DAVwcml5YQIUFnPmlap+42ZXc1XT7sEEjnMKp18wDQYJKoZIhvcNAQEBBQAEgYCi\n"
    "RkC25/LRPGSgtj9oLsVpC0k6CghbqFBO8pKHHZk2GqHTP5nzZIg73K07PWDQN3Nm\n"
    "sD70wNQIZk6I8XL+4mEGI9E75YYycrHS/8WTfaNSfJsPwQi3cVvnobOicgidNwBO\n"
    "6DI0WTOb9mb2bZ2LvqU9kobxfotClF0ja8QN9EbVUjCBrQYJKoZIhvcNAQcBMB0G\n"
    "CWCGSAFlAwQBKgQQvBMYztBa06VZcMjSGnRbPYCBgK6kbsXufwL6wuBMHntMOEos\n"
    "3D4KqIpBM8dD7W2dlztDE0el5b+whEBQCV+wo8UZbL+aPFcFgJMhnrQ8PBblfW1h\n"
    "Ukhj4P3U/TBH8eIpRa2QyhfQQ0faOkKm1tzxxwtHP8BZaYsulezfxuCAiaFcXkKo\n"
    "VXeQaDadQ8A0KijuftCP\n"
)
PGP_MESSAGE = (
    "-----BEGIN PGP MESSAGE-----\n\n"
    "hQEMA1x2bG9yZW1pcHN1bQEH/3Zf0E1qv2l0Y2hlbmluZ3Rlc3RkYXRhZm9ydGhl\n"
    "=Xk3Q\n"
    "-----END PGP MESSAGE-----\n"
)
ENCRYPTED = {
    "S/MIME": (
        "Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m\n"
        'Content-Disposition: attachment; filename="smime.p7m"\n'
        "Content-Transfer-Encoding: base64\n\n" + ENVELOPED
    ),
    # An older client's type, naming no smime-type: the CMS data says what it is.
    "S/MIME, unnamed": (
        "Content-Type: application/x-pkcs7-mime; name=smime.p7m\n"
        "Content-Transfer-Encoding: base64\n\n" + ENVELOPED
    ),
    "PGP/MIME": (
        'Content-Type: multipart/encrypted; protocol="application/pgp-encrypted"; '
        'boundary="enc"\n\n'
        "This is an OpenPGP/MIME encrypted message (RFC 4880 and 3156)\n"
        "--enc\nContent-Type: application/pgp-encrypted\n\nVersion: 1\n\n"
        '--enc\nContent-Type: application/octet-stream; name="encrypted.asc"\n\n'
        + PGP_MESSAGE
        + "--enc--\n"
    ),
    "inline PGP": "Content-Type: text/plain; charset=us-ascii\n\n" + PGP_MESSAGE,
}


def test_an_encrypted_mail_is_refused_as_encrypted_not_read_as_nothing(
    session: Session, tmp_path: Path
) -> None:
    for kind, body in ENCRYPTED.items():
        path = tmp_path / "reply.eml"
        path.write_text(ENCRYPTED_HEAD + body, encoding="utf-8")
        read = get_connector("email").read(path, OURS)
        assert (read.feedback, read.left_out) == ([], []), kind
        (error,) = read.errors
        assert "'Re: BAA redlines' is encrypted" in error.reason, kind
    before = counts(session)
    with pytest.raises(ImportFailed) as refused:
        run(session, actor(session, "admin"), "email", path, internal_domains=("ourco.com",))
    assert "encrypted" in refused.value.report.errors[0].reason
    assert counts(session) == before


def test_a_mail_that_says_something_beside_an_encrypted_attachment_is_read(tmp_path: Path) -> None:
    path = tmp_path / "note.eml"
    path.write_text(
        ENCRYPTED_HEAD + 'Content-Type: multipart/mixed; boundary="m"\n\n'
        "--m\nContent-Type: text/plain\n\n"
        "The signed BAA is attached, encrypted for your legal team as agreed.\n"
        "--m\n" + ENCRYPTED["S/MIME"] + "--m--\n",
        encoding="utf-8",
    )
    (item,) = read_clean("email", path, OURS).feedback
    assert item.text.startswith("The signed BAA is attached")


WORDS = "The audit log export must show who viewed a record, not only who edited it."
# `openssl smime -sign -nodetach` (definite lengths) and `openssl cms -sign -nodetach -stream`
# (BER's indefinite lengths and a constructed OCTET STRING, as Outlook writes it) of a
# text/plain entity holding WORDS.
OPAQUE_SIGNED = (
    "MIIBSAYJKoZIhvcNAQcCoIIBOTCCATUCAQExDzANBglghkgBZQMEAgEFADCBhwYJ\n"
    "KoZIhvcNAQcBoHoEeENvbnRlbnQtVHlwZTogdGV4dC9wbGFpbjsgY2hhcnNldD11\n"
    "dGYtOA0KDQpUaGUgYXVkaXQgbG9nIGV4cG9ydCBtdXN0IHNob3cgd2hvIHZpZXdl\n"
    "ZCBhIHJlY29yZCwgbm90IG9ubHkgd2hvIGVkaXRlZCBpdC4NCjGBlDCBkQIBATAo\n"
    "MBAxDjAMBgNVBAMMBWdyYWNlAhQbEUToclnFaZ60F/ATQR/d05NrMzANBglghkgB\n"
    "ZQMEAgEFADAKBggqhkjOPQQDAgRHMEUCIB/QCswL8g7qlr7jJ4ldWK4LT4IyRiGC\n"
    "8QCFev4Gd+bHAiEAuZqclo/4FnZekUVSKJnoXDdr4uyITLplYVSKUEZeybc=\n"
)
STREAMED_SIGNED = (
    "MIAGCSqGSIb3DQEHAqCAMIACAQExDTALBglghkgBZQMEAgEwgAYJKoZIhvcNAQcB\n"
    "oIAkgAR4Q29udGVudC1UeXBlOiB0ZXh0L3BsYWluOyBjaGFyc2V0PXV0Zi04DQoN\n"
    "ClRoZSBhdWRpdCBsb2cgZXhwb3J0IG11c3Qgc2hvdyB3aG8gdmlld2VkIGEgcmVj\n"
    "b3JkLCBub3Qgb25seSB3aG8gZWRpdGVkIGl0Lg0KAAAAAAAAMYGTMIGQAgEBMCgw\n"
    "EDEOMAwGA1UEAwwFZ3JhY2UCFBsRROhyWcVpnrQX8BNBH93Tk2szMAsGCWCGSAFl\n"
    "AwQCATAKBggqhkjOPQQDAgRIMEYCIQCcPgEZ8FGjxwMljXx9KaZQh1uMXa2laNBt\n"
    "pIA/QTOxRAIhAOt3OwZX3jBASRcrCWsi5C/FCbICG+KAtpvRouir2cfMAAAAAAAA\n"
)


def test_an_opaque_signed_smime_mail_is_read_from_inside_its_signature(tmp_path: Path) -> None:
    for data, content_type in (
        (OPAQUE_SIGNED, "application/pkcs7-mime; smime-type=signed-data; name=smime.p7m"),
        (STREAMED_SIGNED, "application/x-pkcs7-mime; name=smime.p7m"),
    ):
        path = tmp_path / "signed.eml"
        path.write_text(
            ENCRYPTED_HEAD.replace("Re: BAA redlines", "Audit log")
            + f"Content-Type: {content_type}\n"
            "Content-Transfer-Encoding: base64\n\n" + data,
            encoding="utf-8",
        )
        (item,) = read_clean("email", path, OURS).feedback
        assert (item.text, item.title, item.contact_email) == (
            WORDS,
            "Audit log",
            "grace@initech.example",
        )
        assert item.external_id == "SN7PR04@initech.example"


def test_a_pgp_mime_signed_mail_is_read_without_its_signature(tmp_path: Path) -> None:
    path = tmp_path / "signed.eml"
    path.write_text(
        ENCRYPTED_HEAD
        + 'Content-Type: multipart/signed; micalg=pgp-sha256; protocol="application/pgp-'
        'signature"; boundary="sig"\n\n'
        "--sig\nContent-Type: text/plain; charset=utf-8\n\n" + WORDS + "\n"
        "--sig\nContent-Type: application/pgp-signature; name=signature.asc\n\n"
        "-----BEGIN PGP SIGNATURE-----\n\niHUEARYIAB0WIQ==\n=abcd\n"
        "-----END PGP SIGNATURE-----\n--sig--\n",
        encoding="utf-8",
    )
    (item,) = read_clean("email", path, OURS).feedback
    assert item.text == WORDS
