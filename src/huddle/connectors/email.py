"""Email: one .eml message, an mbox, or a folder of mail (a mail drop, a mail tool's export).

Each message from a customer becomes evidence of source `email`: the subject is the title,
the body (plain text, or the HTML part as text) without quoted replies and signatures is the
text, `Message-ID` is the external id (so re-reading a mailbox is idempotent) and the link is
`mid:<message-id>` (RFC 2392). A message that your own people forwarded (`Fwd:`, a
"Forwarded message" block) is read as the original: its sender, date and words — this is the
forward-to-an-address pattern of docs/connectors.md. With `--internal-domain`, mail written by
your own people that is not a forward is left out as internal.

Mail as it really is: quoted replies, signatures and disclaimers are cut (`replies`); a
calendar invitation is its description. Forwarded messages carry dates written for people
("Tuesday, November 10, 2026 4:12 PM"). A message whose `Date` header is missing or cannot be
read takes the mbox envelope's date, else the time its top `Received` header stamps, and is
reported, not refused (`mail_dates`). Where each message comes from (a mailbox, a folder,
a mail service's JSON) is `mail_messages`; its words, `mail_body`.
Noise (auto-replies, spam, tests, internal mail) is left out and counted: see `noise`.
A mailing list's digest is read as the messages in it, and a folder with its subfolders (as
the Proton Mail Export Tool writes it): see `mail_archives`. Apple Mail's own `.emlx` files
(its mailbox folders as they lie on disk) and MMDF mailboxes are read by their content:
see `mail_stores`. An encrypted mail (S/MIME, PGP) is named as an error, never read as a
mail with no words; a signed one is read: see `mail_sealed`. Microsoft Graph's JSON of
messages (`GET /me/messages`, a page or several) is read as the mail it holds: see
`mail_graph`; so are Postmark's inbound webhook JSON (`mail_postmark`), Mailgun's stored
messages (`mail_mailgun`) and a page of Nylas's messages (`mail_nylas`).
"""

import re
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses
from pathlib import Path
from typing import Any, NamedTuple

from huddle.connectors.base import ConnectorOptions, ConnectorOutput
from huddle.connectors.chat_messages import thanks_alone
from huddle.connectors.common import pick_source, run_rows
from huddle.connectors.email_addresses import email_in, is_internal
from huddle.connectors.list_senders import real_sender
from huddle.connectors.mail_archives import digest_messages
from huddle.connectors.mail_body import body_text, files_only
from huddle.connectors.mail_carriers import (
    attached_mails,
    journal_original,
    outlook_items,
    says_something,
)
from huddle.connectors.mail_damage import damage
from huddle.connectors.mail_dates import envelope_date, mail_date, received_date
from huddle.connectors.mail_graph import graph_kind, next_page
from huddle.connectors.mail_messages import Mail, messages, more_pages
from huddle.connectors.mail_quotes import above_forward, forwarded_part
from huddle.connectors.mail_sealed import encryption, signed_content
from huddle.connectors.noise import is_staff, noise_reason
from huddle.connectors.replies import split_signature, strip_replies
from huddle.imports.records import FeedbackRecord, RowError
from huddle.kit.ids import content_id

__all__ = ["EmailConnector", "connector", "strip_replies"]

# A reply's subject ("Re: …", "AW: …", "SV: …", "RE : …"): what it asks was asked before.
_REPLY_SUBJECT = re.compile(r"^\s*((re|aw|sv|vs|antw|odp|ynt|r|rif)\s?:\s*)+", re.IGNORECASE)

_PARSER = BytesParser(policy=policy.default)
# The mailboxes a mail server sends its bounces from.
_MAIL_SERVER = {"mailer-daemon", "postmaster"}
_FORWARD_SUBJECT = re.compile(
    # Outlook's forward prefix by language; Portuguese "ENC:", Polish "PD:", Finnish "VL:" and
    # Hungarian "TOV:" since round 16.
    # Apple Mail in French writes "Tr. :".
    r"^\s*(fwd?|fw|wg|tr\.?|rv|i|doorst|vs|vb|enc|pd|vl|tov)\s*:",
    re.IGNORECASE,
)


def _forwarded(text: str, subject: str | None) -> dict[str, Any] | None:
    """The original sender, date, subject and words inside a forwarded message's body."""
    forward_subject = bool(subject and _FORWARD_SUBJECT.match(subject))
    found = forwarded_part(text, unmarked=forward_subject)
    if found is None:
        return None
    headers, body = found
    words, signature = split_signature(body, _from_header(headers)[1])
    above = above_forward(text, unmarked=forward_subject)
    return {"headers": headers, "body": words, "signature": signature, "above": above}


def _from_header(headers: dict[str, str]) -> tuple[str, str]:
    """A forwarded mail's sender as its "From:" line gives them: (address, name)."""
    sender = headers.get("from", "")
    return email_in(sender) or "", re.sub(r"<[^>]*>|\[mailto:[^\]]*\]", "", sender).strip()


def _ours(address: str, name: str, options: ConnectorOptions) -> bool:
    """Mail written by one of our people: by its address, or (an Exchange X.500 address, no
    domain) by a workspace user's name."""
    return is_internal(address, options.internal_domains) or (
        "@" not in address and is_staff(None, name, options)
    )


class _Carried(NamedTuple):
    mail: EmailMessage
    carrier: EmailMessage | None  # the journal report or forward it came in
    forwarded: bool  # one of our people forwarded it: its sender is the customer


# How deep mail may sit in mail that carries it: a forward of a forward of a journal report.
_CARRIED_DEPTH = 4


def _carried(
    message: EmailMessage, options: ConnectorOptions, output: ConnectorOutput, line: int
) -> list[_Carried]:
    """The mails a message stands for (`mail_carriers`, `mail_archives`): a journal report's
    original, a digest's messages, each mail attached to a forward of ours (or to a mail
    titled as a forward) when its text forwards none inline; else the message itself."""

    def unpacked(mail: EmailMessage, depth: int) -> list[_Carried]:
        # An opaque-signed S/MIME mail: the mail its signature holds.
        mail = signed_content(mail) or mail
        if depth >= _CARRIED_DEPTH:
            return [_Carried(mail, None, False)]
        original = journal_original(mail)
        if original is not None:
            if not original:
                subject = str(mail.get("Subject", "")).strip()
                output.errors.append(
                    RowError(
                        line,
                        "body",
                        f"the journal report {subject!r} has no readable original mail "
                        "attached: the archive was cut off, or Exchange journaled it as TNEF",
                    )
                )
            return [
                c._replace(carrier=c.carrier or mail)
                for m in original
                for c in unpacked(m, depth + 1)
            ]
        inner = digest_messages(mail, body_text)
        if inner:
            return [c for each in inner for c in unpacked(each, depth + 1)]
        subject = str(mail.get("Subject", "")).strip()
        name, address = _sender(mail)
        ours = is_internal(address, options.internal_domains)
        body = body_text(mail)
        if (
            # A delivery or read report carries the returned mail: not a forward.
            mail.get_content_type() != "multipart/report"
            and (bool(_FORWARD_SUBJECT.match(subject)) or ours)
            and _forwarded(body, subject or None) is None
        ):
            attached = attached_mails(mail)
            for name in outlook_items(mail) if not attached else []:
                output.warnings.append(
                    RowError(
                        line,
                        "attachment",
                        f"{name!r} is an Outlook item (.msg), which is "
                        "not read: forward the mail as an attachment from Outlook instead",
                    )
                )
            carried = [
                c._replace(carrier=c.carrier or mail, forwarded=True)
                for each in attached
                for c in unpacked(each, depth + 1)
            ]
            # A customer forwarding mail with words of their own above it ("Third time this
            # month the invoice did not arrive, see below"): those are theirs too.
            if carried and not ours and says_something(strip_replies(body, name)):
                carried.insert(0, _Carried(mail, None, False))
            return carried or [_Carried(mail, None, False)]
        return [_Carried(mail, None, False)]

    return unpacked(message, 0)


class EmailConnector:
    name = "email"
    description = (
        "Email: an .eml or .emlx file, an mbox or MMDF mailbox, a folder of mail, or "
        "Microsoft Graph's JSON of Outlook messages, Postmark's inbound JSON, Mailgun's stored "
        "messages or Nylas's messages; forwards are unwrapped."
    )
    suffixes = (".eml", ".emlx", ".mbox", "")

    def read(self, path: Path, options: ConnectorOptions) -> ConnectorOutput:
        output = ConnectorOutput()
        source = pick_source(options, "email")

        def handle(mail: Mail) -> None:
            errors_before = len(output.errors)
            message = _parse(mail.line, mail.raw, output)
            if message is not None:
                # A digest, a journal report or a forward of attached mails: the mails in it.
                for each in _carried(message, options, output, mail.line):
                    found = self.parsed(mail.line, each, source, options, output, mail.envelope)
                    if found is not None:
                        output.take(found[0], found[1] or mail.verdict, options)
            if mail.place is not None:
                # In a folder, a bad message is named by its file.
                output.errors[errors_before:] = [
                    RowError(e.line, e.column, f"{mail.place}: {e.reason}")
                    for e in output.errors[errors_before:]
                ]

        run_rows(output, lambda: messages(path, options.encoding), handle)
        if (
            path.is_file()
            and graph_kind(path, options.encoding) == "mail"
            and next_page(path, options.encoding) is not None
        ):
            output.warnings.append(
                RowError(
                    1,
                    "@odata.nextLink",
                    "this is one page of a Microsoft Graph message list and there are more "
                    "messages: follow its @odata.nextLink (GET it, then each page's own, until "
                    "none is given), save each page and import it too",
                )
            )
        if (more := more_pages(path, options.encoding)) is not None:
            output.warnings.append(more)
        return output

    @staticmethod
    def message(
        line: int,
        raw: bytes,
        source: str,
        options: ConnectorOptions,
        output: ConnectorOutput,
        envelope: str = "",
    ) -> tuple[FeedbackRecord, str | None] | None:
        """The message as evidence, with the reason it is noise (None when it is not); of a
        message that carries several mails, the first."""
        message = _parse(line, raw, output)
        if message is None:
            return None
        for each in _carried(message, options, output, line):
            return EmailConnector.parsed(line, each, source, options, output, envelope)
        return None

    @staticmethod
    def parsed(
        line: int,
        carried: _Carried,
        source: str,
        options: ConnectorOptions,
        output: ConnectorOutput,
        envelope: str = "",
    ) -> tuple[FeedbackRecord, str | None] | None:
        """A parsed mail as evidence, with the reason it is noise (None when it is not)."""
        errors = output.errors
        message = carried.mail
        damaged = damage(message)
        if damaged is not None:
            title = str(message.get("Subject", "")).strip()
            errors.append(RowError(line, "headers", f"the mail {title!r} is damaged: {damaged}"))
            return None
        name, address = _sender(message)
        automatic = (
            str(message.get("Auto-Submitted", "no")).strip().lower() not in {"", "no"}
            or any(message.get(h) is not None for h in ("X-Autoreply", "X-Autorespond"))
            or str(message.get("Precedence", "")).strip().lower() == "auto_reply"
            # A bounce: a mail server's report ("Failure Notice", "Undeliverable: …") from
            # its MAILER-DAEMON or postmaster.
            or address.partition("@")[0] in _MAIL_SERVER
            # A report a mail system sends by itself: a bounce's delivery status, or a read
            # receipt (Outlook's "Read: …", a disposition notification).
            or message.get_content_type() == "multipart/report"
        )
        subject = str(message.get("Subject", "")).strip() or None
        text = body_text(message)
        sealed = encryption(message, text)
        if sealed is not None:
            errors.append(
                RowError(
                    line,
                    "body",
                    f"the mail {subject or ''!r} is encrypted ({sealed}): its words can be read "
                    "only with its recipient's private key; decrypt it in the mail client, "
                    "then save or export it again",
                )
            )
            return None
        when: Any = message.get("Date")
        if carried.carrier is not None and mail_date(when) is None:
            # An attached mail without a date it can be read by: the one it came in has.
            if when:
                output.warnings.append(
                    RowError(
                        line,
                        "Date",
                        f"unreadable attached mail's date {str(when)!r}: the "
                        "date of the mail it came in was used",
                    )
                )
            when = carried.carrier.get("Date")
        forwarded = _forwarded(text, subject)
        if (
            forwarded is not None
            and not _ours(address, name, options)
            and _ours(*_from_header(forwarded["headers"]), options)
            and says_something(strip_replies(forwarded["above"], name))
        ):
            # A customer forwarding our own mail with words of theirs above it ("third time
            # you've sent this, and it's still wrong"): their words are the evidence, ours
            # below are not. (Forwarded by one of ours, or with no words above, our own mail
            # is left out as internal below.)
            text, forwarded = forwarded["above"], None
        if forwarded is not None:
            original = forwarded["headers"]
            if original.get("from"):
                # Its sender, by name alone when the forward shows no address (Outlook's
                # "From: Ines Moreau"): never the forwarder's address.
                address, name = _from_header(original)
            subject = (
                original.get("subject")
                or re.sub(r"^(fwd?|fw):\s*", "", subject or "", flags=re.I)
                or None
            )
            told = original.get("date") or original.get("sent")
            if told and mail_date(told) is None:
                # A date written in a way not read: the forward's own date, and a word.
                output.warnings.append(
                    RowError(
                        line, "Date", f"unreadable forwarded date {told!r}: the forward's was used"
                    )
                )
            elif told:
                when = told
            text, signature = forwarded["body"], forwarded["signature"]
        else:
            text, signature = split_signature(text, name)
        if not text:
            if files_only(message):
                return None  # only files (a photo, "Sent from my iPhone"): nothing to read
            errors.append(RowError(line, "body", f"the message {subject or ''!r} has no text"))
            return None
        if thanks_alone(text) and _REPLY_SUBJECT.match(subject or "Re:"):
            # A reply that only says thanks ("Thanks!" over the quote): nothing to read. (A new
            # mail may ask in its subject and only thank in its body: that one is kept.)
            output.skipped_rows += 1
            return None
        occurred_at = mail_date(when)
        if occurred_at is None and envelope:
            occurred_at = envelope_date(envelope)
            if occurred_at is not None:
                output.warnings.append(
                    RowError(
                        line, "Date", f"unreadable date {str(when)!r}: the mbox envelope's was used"
                    )
                )
        if occurred_at is None and (occurred_at := received_date(message)) is not None:
            # A mail saved without a date of its own (a relay's or a webhook's copy): the time
            # our server received it, which its top `Received` header stamps.
            output.warnings.append(
                RowError(
                    line,
                    "Date",
                    f"{'unreadable date ' + repr(str(when)) if when else 'no Date header'}: "
                    "the time it was received was used",
                )
            )
        if occurred_at is None:
            errors.append(RowError(line, "Date", f"no readable date: {when!r}"))
            return None
        if occurred_at.tzinfo is None:
            from datetime import UTC

            occurred_at = occurred_at.replace(tzinfo=UTC)
        message_id = str(message.get("Message-ID", "")).strip().strip("<>")
        # Words one of our people passed on, inline or attached: the sender is the customer.
        by_us = forwarded is not None or carried.forwarded
        reason = "auto-reply" if automatic else None
        if reason is None:
            # Our own mail: by its address, or (an Exchange X.500 address, no domain) by a
            # workspace user's name.
            # A forwarded mail, inline or attached, is read as itself (its own sender): one
            # of ours forwarded is ours.
            internal = _ours(address, name, options) and not (
                forwarded is not None and not forwarded["headers"].get("from")
            )
            reason = noise_reason(text, subject, email=None if by_us else address, options=options)
            if reason is None and _filed_as_spam(message):
                reason = "spam"  # Gmail filed it in Spam (Takeout's X-Gmail-Labels)
            if reason is None and internal:
                reason = "internal"  # our own mail that is not a forward
        record = FeedbackRecord(
            line=line,
            text=text,
            source=source,
            occurred_at=occurred_at,
            external_id=message_id or content_id(address, occurred_at.isoformat(), text[:200]),
            title=subject,
            link_url=f"mid:{message_id}" if message_id else None,
            contact_email=address if "@" in address else None,
            contact_name=name or None,
            tags=["forwarded"] if by_us else [],
            # A customer writing from a personal address (gmail.com) is known by the company
            # their signature names, when it is an account the workspace knows.
            mentions=(signature,) if signature else (),
        )
        return record, reason


def _sender(message: EmailMessage) -> tuple[str, str]:
    """(name, address) of who wrote the message; a list that rewrote the sender ("'Name' via
    Group" <group@…>) is seen through."""
    sender = getaddresses([str(message.get("From", ""))])
    name, address = sender[0] if sender else ("", "")
    return real_sender(message, name, address.lower())


def _filed_as_spam(message: EmailMessage) -> bool:
    """Gmail's Takeout names the labels of each message, its Spam folder among them
    (`X-Gmail-Labels: Spam,Category Promotions`; a label holding a comma is quoted); a mail
    server running SpamAssassin (Postmark's inbound one) marks spam `X-Spam-Status: Yes, …`
    or `X-Spam-Flag: YES`."""
    if _SPAM_MARK.match(str(message.get("X-Spam-Status", message.get("X-Spam-Flag", "")))):
        return True
    labels = str(message.get("X-Gmail-Labels", ""))
    return any(
        label.strip().strip('"').casefold() == "spam"
        for label in re.findall(r'"[^"]*"|[^,]+', labels)
    )


_SPAM_MARK = re.compile(r"\s*yes\b", re.IGNORECASE)


def _parse(line: int, raw: bytes, output: ConnectorOutput) -> EmailMessage | None:
    message = _PARSER.parsebytes(raw)
    if not isinstance(message, EmailMessage) or not message.keys():
        output.errors.append(RowError(line, None, "not an email message (no headers)"))
        return None
    return message


connector = EmailConnector()
