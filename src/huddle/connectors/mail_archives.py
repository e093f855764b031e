"""Mail that arrives packed: a mailing list's digest, and a mail tool's export folder.

A **digest** is read as the messages in it, each with its own sender, date and subject; the
list's masthead ("Send X mailing list submissions to…"), its "Today's Topics", its footer and
its "End of X Digest" line are neither items nor noise. Mailman (2 and 3) writes a digest in
one of two ways: a MIME digest (a `multipart/digest` of `message/rfc822` parts beside the
masthead, topics and footer parts), or a plain RFC 1153 digest (one text body: the masthead
and topics, a rule of 70 dashes, then each message as "Message: N" and its kept headers and
words, messages set apart by a rule of 30 dashes, the footer as a message of its own without
a "Message:" line, and the sign-off above a row of asterisks). The list's "[list-name]"
subject tag is dropped from each title.

An **export folder** is read whole, its subfolders too: `.eml` files, mbox files and Maildir
messages (`cur/`, `new/`; never `tmp/`, where a message is still being delivered), as mail
tools and fetchers write them, Apple Mail's `.emlx` and `.partial.emlx` messages (its
`<Mailbox>.mbox/<UUID>/Data/…/Messages/` folders as they lie on disk; the attachments it keeps
under `Attachments/` beside them and its `Info.plist` are not mail), and files named without
a suffix whose head reads as mail: an MH folder's messages (`1`, `2`, … as Claws Mail,
Sylpheed and nmh keep them), an mbox named as its folder (Thunderbird's `Inbox`) or an MMDF
mailbox (mutt's). A mail client's own files beside them (dotfiles such as `.mh_sequences` and `.claws_cache`, Thunderbird's `.msf` indexes, Dovecot's
`dovecot-uidlist`, a message MH removed as `,12`) are not mail. The Proton Mail Export
Tool writes `<address>/mail_<time>/<id>.eml`, each beside an `<id>.metadata.json` whose
`LabelIDs` say the folders the message was in; a message Proton filed in Spam (label "4"),
like one under a folder named Spam or Junk, is left out as spam. Other files (metadata,
`labels.json`, Finder's `._` copies and `__MACOSX`) are not mail and are passed over.
"""

import json
import re
from collections.abc import Callable, Iterator
from email import policy
from email.message import EmailMessage
from email.parser import Parser
from email.utils import getaddresses
from pathlib import Path

from huddle.connectors.mail_stores import is_postmark

_HEADERS = Parser(policy=policy.default)

# RFC 1153's rules: 70 dashes under the topics, 30 between messages.
_RULE = re.compile(r"^(?:-{30}|-{70})[ \t]*$", re.MULTILINE)
_NUMBERED = re.compile(r"\A\s*Message:[ \t]*\d+[ \t]*\n(?=[\w-]+:)")
_HEADER_LINE = re.compile(r"\A\s*[\w-]+:[ \t]")
# What Mailman writes in place of a message: "[Message discarded by content filter]".
_NOTICE = re.compile(r"\A\s*\[[^\]\n]+\]\s*\Z")
# The digest's sign-off: "End of X Digest, Vol 38, Issue 4" over a row of asterisks.
_SIGN_OFF = re.compile(r"\n[^\n]+\n\*{10,}\s*\Z")
# Mailman's scrubber: what follows is a removed attachment or an HTML copy of the words.
_NEXT_PART = re.compile(r"^-{10,} next part -{10,}\s*$", re.MULTILINE)


def digest_messages(
    message: EmailMessage, body: Callable[[EmailMessage], str]
) -> list[EmailMessage] | None:
    """The messages a mailing-list digest holds, their subjects without the list's tag;
    None when `message` is no digest. `body` gives a message's text."""
    inner = _mime_digest(message)
    if inner is None and message.get_content_maintype() == "text":
        inner = _plain_digest(body(message))
    if not inner:
        return None
    tags = _list_names(message)
    for each in inner:
        subject = str(each.get("Subject", ""))
        untagged = " ".join(_untagged(subject, tags).split())
        if untagged != subject:
            del each["Subject"]
            each["Subject"] = untagged
    return inner


def _mime_digest(message: EmailMessage) -> list[EmailMessage] | None:
    digests = [part for part in message.walk() if part.get_content_type() == "multipart/digest"]
    if not digests:
        return None
    found: list[EmailMessage] = []
    for digest in digests:
        for part in digest.iter_parts():
            if part.get_content_type() != "message/rfc822":
                continue
            payload = part.get_payload()
            inner = payload[0] if isinstance(payload, list) and payload else None
            if isinstance(inner, EmailMessage):
                found.append(inner)
    return found


def _plain_digest(text: str) -> list[EmailMessage] | None:
    """The messages of an RFC 1153 digest's text, or None when the text is none."""
    text = text.replace("\r\n", "\n")
    if not _RULE.search(text):
        return None
    text = _SIGN_OFF.sub("\n", text)
    chunks: list[str] = []
    numbered = False
    for chunk in _RULE.split(text):
        if _NUMBERED.match(chunk):
            chunks.append(chunk)
            numbered = True
        elif numbered and not (_HEADER_LINE.match(chunk) or _NOTICE.match(chunk)):
            # A rule of dashes a sender wrote: their message goes on (the footer, a
            # "Subject: Digest Footer" section, is not part of it).
            chunks[-1] += "-" * 30 + chunk
        else:
            numbered = False
    if not chunks:
        return None
    return [_plain_message(chunk) for chunk in chunks]


def _plain_message(chunk: str) -> EmailMessage:
    head, _, words = _NUMBERED.sub("", chunk.lstrip("\n"), count=1).partition("\n\n")
    headers = _HEADERS.parsestr(head + "\n\n", headersonly=True)
    message = EmailMessage()
    for key, value in headers.items():
        if key not in message:  # a header given twice: the first
            message[key] = str(value)
    # The words are already text in the digest's charset, whatever their Content-Type said:
    # set_content replaces it.
    message.set_content(_NEXT_PART.split(words, maxsplit=1)[0].strip() + "\n")
    return message


def _list_names(message: EmailMessage) -> set[str]:
    """The list's names as its subject tag may give them: from `List-Id`, `List-Post` and
    the digest's subject ("ourco-users Digest, Vol 38, Issue 4")."""
    names: set[str] = set()
    listed = re.search(r"<([^.>]+)\.", str(message.get("List-Id", "")))
    if listed:
        names.add(listed.group(1))
    post = re.search(r"mailto:([^@>]+)@", str(message.get("List-Post", "")))
    if post:
        names.add(post.group(1))
    for _, address in getaddresses([str(message.get("To", ""))]):
        if "@" in address:
            names.add(address.split("@")[0])
    titled = re.match(r"\s*(.+?) Digest\b", str(message.get("Subject", "")))
    if titled:
        names.add(titled.group(1))
    return {name.casefold() for name in names if name}


def _untagged(subject: str, names: set[str]) -> str:
    tag = re.search(r"\[([^\]]+)\]\s*", subject)
    if tag is None or tag.group(1).casefold() not in names:
        return subject
    return (subject[: tag.start()] + subject[tag.end() :]).strip()


# Proton's system label for Spam (its API's `SpamLabel`).
_PROTON_SPAM = "4"
# A folder a mail tool files spam in, as exports and Maildir trees name it.
_SPAM_FOLDERS = {"spam", "junk", "junk email", "junk e-mail", "bulk mail", ".spam", ".junk"}


def mail_files(root: Path) -> Iterator[tuple[Path, str | None]]:
    """Each file of mail under `root` (in its subfolders too), in path order, with the
    reason its tool gives for it not being evidence ("spam" for its spam folder) or None."""
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if not path.is_file() or any(
            part.startswith("._") or part == "__MACOSX" for part in relative.parts
        ):
            continue
        if not _is_mail(path):
            continue
        folders = {_folder_name(part) for part in relative.parts[:-1]}
        if path.suffix.lower() in {"", ".mbox"}:
            folders.add(_folder_name(path.name))  # an mbox named as its folder ("Junk")
        spam = bool(folders & _SPAM_FOLDERS) or _PROTON_SPAM in _proton_labels(path)
        yield path, "spam" if spam else None


def _folder_name(part: str) -> str:
    """A mail folder's name as a client stores it on disk, without Thunderbird's `.sbd` (the
    folder of a folder's subfolders) or an mbox's `.mbox` (Apple Mail's export)."""
    return part.casefold().removesuffix(".sbd").removesuffix(".mbox")


_DELIVERY_NAME = re.compile(r"^\d{9,}\.[^/]+$")


def _is_mail(path: Path) -> bool:
    suffix = path.suffix.lower()
    if suffix in {".eml", ".mbox"} or path.name == "mbox":
        return True
    if path.name.startswith(_NOT_MESSAGES) or _apple_attachment(path):
        return False
    if suffix == ".emlx":
        return True  # Apple Mail's message (`1234.emlx`, `1234.partial.emlx`)
    if path.parent.name == "tmp" and {"cur", "new"} & _folders(path.parent.parent):
        return False  # a Maildir's message still being delivered
    # A Maildir message: a file in `cur/` or `new/` beside `tmp/`, named by its delivery
    # ("1764602280.M412P2201Q1.host:2,S"); a copy of the folder may have lost the empty `tmp/`
    # (git, and some archivers, keep no empty folder), so the name alone will do.
    if path.parent.name in {"cur", "new"}:
        return (path.parent.parent / "tmp").is_dir() or bool(_DELIVERY_NAME.match(path.name))
    return not suffix and reads_as_mail(path)


def _apple_attachment(path: Path) -> bool:
    """A file Apple Mail took out of a `.partial.emlx` message: under the `Attachments/`
    folder beside its `Messages/` (`Data/1/Attachments/1207/2/shift-board.png`)."""
    return any(
        folder.name == "Attachments" and (folder.parent / "Messages").is_dir()
        for folder in path.parents
    )


def _folders(path: Path) -> set[str]:
    return {child.name for child in path.iterdir() if child.is_dir()}


def _proton_labels(path: Path) -> list[str]:
    """The labels Proton's Export Tool gives a message in its metadata beside the `.eml`
    (`{"Version": 1, "Payload": {"LabelIDs": [...]}}`, or the payload alone)."""
    if path.suffix.lower() != ".eml":
        return []
    for name in (f"{path.stem}.metadata.json", f"{path.stem}metadata.json"):
        beside = path.with_name(name)
        if not beside.is_file():
            continue
        try:
            data = json.loads(beside.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError):
            return []
        payload = data.get("Payload", data) if isinstance(data, dict) else None
        labels = payload.get("LabelIDs") if isinstance(payload, dict) else None
        return [str(label) for label in labels] if isinstance(labels, list) else []
    return []


# Files a mail client keeps beside its messages that are no mail: dotfiles (MH's
# `.mh_sequences`, Claws Mail's `.claws_cache` and `.claws_mark`, xmh's `.xmhcache`; Maildir
# readers skip them too, macOS's `.DS_Store`), and a message MH removed (`rmm` renames `12`
# to `,12`, or `#12`).
_NOT_MESSAGES = (".", ",", "#")
# An mbox's envelope line: "From sender Wed Dec  2 15:21:48 2026" (Thunderbird's "From - …").
_ENVELOPE = re.compile(rb"From \S+ +\S.*\d{4}\s*$")
# A header field's name (RFC 5322: printable ASCII but the colon), at a line's start.
_FIELD = re.compile(rb"([!-9;-~]+):")
# Fields every delivered or saved mail has, one of which must come with a `From:`.
_MAIL_FIELDS = {b"date", b"subject", b"message-id", b"received", b"return-path"}


def reads_as_mail(path: Path) -> bool:
    """Whether a file named without a suffix holds mail, by its head: an mbox's envelope line
    (Thunderbird's `Inbox`), an MMDF mailbox's postmark (mutt's), or a header block naming the
    sender and its date, subject, id or delivery (a message of an MH folder, as Claws Mail,
    Sylpheed and nmh keep it: `1`, `2`, …). A client's index, cache or state file reads as
    none of these."""
    try:
        with path.open("rb") as handle:
            head = handle.read(16384).removeprefix(b"\xef\xbb\xbf")
    except OSError:
        return False
    lines = head.splitlines()
    if lines and (_ENVELOPE.match(lines[0]) or is_postmark(lines[0])):
        return True  # an mbox, or an MMDF mailbox (mutt's `mbox_type=MMDF`)
    fields: set[bytes] = set()
    for line in lines:
        if not line.strip():
            break
        if line[:1] in {b" ", b"\t"}:
            continue  # a long field's next line
        field = _FIELD.match(line)
        if field is None:
            return False
        fields.add(field[1].lower())
    return b"from" in fields and bool(fields & _MAIL_FIELDS)
