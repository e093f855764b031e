"""Re:amaze conversations, read into the `intercom` connector's `Conversation` form.

Re:amaze's API answers pages of `{"page_size", "page_count", "total_count", ...}`:

- `GET /api/v1/messages` (and `GET /conversations/{slug}/messages`): `"messages"`, newest
  first, each with its `body` (HTML from email, plain text from chat), `created_at` (ISO
  8601), `visibility` (0 a reply, 1 an internal note, 2 Re:amaze's warning that two people
  were answering at once), the `user` who wrote it {`name`, `email`, `staff?`}, and its
  `conversation` nested: `slug`, `subject`, `status`, `category` (the channel it came
  through), `tag_list`, `perma_url`, the `author` who opened it with their custom `data`;
- `GET /api/v1/conversations`: `"conversations"`, each with the same keys and, instead of
  its messages, the opening `message`, the `last_customer_message` (and `last_staff_message`
  for `GET /conversations/{slug}`, one conversation alone); a script may nest each
  conversation's `messages` in it.

Pages are saved alone, gathered in an array, or one message or conversation a line; one
conversation or message fetched alone is read too. A message two pages both hold (one that
arrived while they were fetched) is read once. A conversation's messages are gathered by its
slug, oldest first: the customer's are those Re:amaze does not mark as a staff member's.
Without the `staff?` flag (the answers its documentation shows, with no author either), the
brand's people are the team: those writing from its channel's address's domain
(support@ourco.com) or the one its reamaze.com name names (ourco.reamaze.com: ourco.com),
not a chat visitor's address there; then the author's side is the customer's, and in a
conversation one of the team opened everyone else is. Staff replies and internal notes are
the team's. A conversation filed as spam (status 3, or 9 when Re:amaze's AI filed it) is spam.
The account is the company the author's custom data names (`company`), else their email's.
"""

import io
import json
import re
from dataclasses import dataclass
from typing import Any

import ijson  # type: ignore[import-untyped]

from huddle.connectors.cell_text import html_to_text
from huddle.connectors.conversations import Conversation, Said, company_field
from huddle.connectors.export_dates import parse_when
from huddle.connectors.record_values import as_text, dict_at, tags_from
from huddle.imports.connected import is_public_mail

# Keys only Re:amaze's messages carry.
_MESSAGE_KEYS = (b'"visibility"', b'"staff?"', b'"perma_url"')
# Spam, as a person filed it and as Re:amaze's AI did.
_SPAM = {3, 9}
# Visibility: a reply, an internal note, Re:amaze's notice that two staff were replying.
_INTERNAL_NOTE = 1
_COLLISION = 2
# Where Re:amaze hosts a brand: its inbox (https://ourco.reamaze.com/admin/…) and the
# addresses it gives a chat's anonymous visitors (visitor-55120@ourco.reamaze.com).
_HOSTED = re.compile(r"^([a-z0-9-]+)\.reamaze\.(?:com|io)$", re.IGNORECASE)
_HOSTED_URL = re.compile(r"//([a-z0-9-]+)\.reamaze\.(?:com|io)\b", re.IGNORECASE)


@dataclass
class _Thread:
    line: int
    conversation: dict[str, Any]
    messages: dict[str, dict[str, Any]]


Gathered = dict[str, _Thread]


def page_prefix(head: bytes) -> str | None:
    """Where a Re:amaze answer saved whole keeps what to read: a page of messages its
    `messages`, one conversation or one message fetched alone (spread over lines) the whole
    document; None for another file (a page of conversations is read conversation by
    conversation, an object a line as JSON lines)."""
    start = head.lstrip()
    if not start.startswith(b"{") or b'"body"' not in head:
        return None
    keys: set[str] = set()
    try:
        for prefix, event, value in ijson.parse(io.BytesIO(start)):
            if prefix == "" and event == "map_key":
                keys.add(value)
    except ijson.JSONError:
        pass  # the head ends mid-file: the keys seen so far
    if "conversations" in keys:
        return None
    conversation = {"slug", "category"} <= keys and bool(keys & {"message", "messages", "author"})
    alone = conversation or {"body", "conversation"} <= keys
    if alone and not _json_lines(start):
        return ""
    if "messages" in keys and any(key in head for key in _MESSAGE_KEYS):
        return "messages.item"
    return None


def _json_lines(start: bytes) -> bool:
    """Whether the file is an object a line: its first line a whole JSON value, and more
    after it."""
    first, _, rest = start.partition(b"\n")
    try:
        json.loads(first)
    except ValueError:
        return False
    return bool(rest.strip())


def _is_message(record: Any) -> bool:
    return (
        isinstance(record, dict)
        and "body" in record
        and isinstance(record.get("user"), (dict, type(None)))
        and ("visibility" in record or "slug" in dict_at(record, "conversation"))
    )


def _is_conversation(record: Any) -> bool:
    return (
        isinstance(record, dict)
        and as_text(record.get("slug")) is not None
        and isinstance(record.get("category"), dict)
        and any(key in record for key in ("message", "messages", "author"))
    )


def _key(message: dict[str, Any]) -> str:
    made = as_text(message.get("id")) or as_text(message.get("origin_id"))
    return made or f"{message.get('created_at')}:{message.get('body')}"


def gather(gathered: Gathered, line: int, record: Any, alone: str) -> bool:
    """A Re:amaze page, message or conversation kept by its conversation's slug (`alone`, the
    file's name, for messages saved without theirs); False for another tool's record."""
    conversation = record.get("conversation") if isinstance(record, dict) else None
    if isinstance(conversation, dict) and "body" not in record:
        record = conversation  # a conversation fetched alone: {"conversation": {...}}
    listed = record.get("messages") if isinstance(record, dict) else None
    if _is_conversation(record):
        thread = _thread(gathered, line, record, str(record["slug"]))
        for message in listed if isinstance(listed, list) else []:
            if _is_message(message):
                thread.messages.setdefault(_key(message), message)
        return True
    if _is_message(record):
        conversation = dict_at(record, "conversation")
        slug = as_text(conversation.get("slug")) or alone
        _thread(gathered, line, conversation, slug).messages.setdefault(_key(record), record)
        return True
    if isinstance(listed, list) and listed and all(_is_message(m) for m in listed):
        for message in listed:  # a page inside an array of pages, or on a line
            gather(gathered, line, message, alone)
        return True
    return False


def _thread(gathered: Gathered, line: int, conversation: dict[str, Any], slug: str) -> _Thread:
    thread = gathered.setdefault(slug, _Thread(line, conversation, {}))
    if len(conversation) > len(thread.conversation):
        thread.conversation = conversation  # the fullest copy: a listing's, not a stub
    return thread


def _when(record: dict[str, Any]) -> float:
    try:
        return parse_when(record.get("created_at")).timestamp()
    except (ValueError, TypeError, OverflowError):
        return 0.0


def _domain(email: str | None) -> str:
    return email.rsplit("@", 1)[-1].casefold() if email and "@" in email else ""


@dataclass
class _Brand:
    """Who is the brand's: its own email domains (a channel's address, support@ourco.com)
    and its name on Re:amaze (`ourco` of ourco.reamaze.com, where its inbox is)."""

    domains: set[str]
    name: str | None

    def writes(self, email: str | None) -> bool:
        domain = _domain(email)
        if not domain or _HOSTED.match(domain):
            return False  # an anonymous visitor's address at the brand's Re:amaze domain
        return domain in self.domains or self.name in domain.split(".")[:-1]


def _brand(conversation: dict[str, Any]) -> _Brand:
    channel = _domain(as_text(dict_at(conversation, "category").get("email")))
    hosted = _HOSTED.match(channel) or _HOSTED_URL.search(str(conversation.get("perma_url") or ""))
    # A brand answering from a mail provider's address (ourco.help@gmail.com) shares its
    # domain with customers: only its own domain tells its people.
    own = channel and not _HOSTED.match(channel) and not is_public_mail(channel)
    return _Brand(
        {channel} if own else set(),
        hosted.group(1).casefold() if hosted else None,
    )


def _who(user: dict[str, Any], author: dict[str, Any], brand: _Brand) -> str:
    """`customer` or `team`: by Re:amaze's `staff?` flag; without it (its documented
    answers), the brand's own people are the team, and in a conversation a customer opened,
    the author and people of the author's email domain the customer's side."""
    staff = user.get("staff?")
    if isinstance(staff, bool):
        return "team" if staff else "customer"
    email, theirs = as_text(user.get("email")), as_text(author.get("email"))
    if brand.writes(email):
        return "team"
    if not email or not theirs or brand.writes(theirs) or _domain(email) == _domain(theirs):
        return "customer"  # a conversation the team opened: everyone else is the customer's
    return "team"


def _said(message: dict[str, Any], author: dict[str, Any], brand: _Brand) -> Said | None:
    visibility = message.get("visibility")
    if visibility == _COLLISION:
        return None  # Re:amaze's notice, no one's words
    user = dict_at(message, "user")
    who = (
        "team"
        if visibility == _INTERNAL_NOTE
        else "bot"
        if not user  # no one's: Re:amaze's own message, or an integration's
        else _who(user, author, brand)
    )
    text = html_to_text(str(message.get("body") or ""))
    return Said(who, text, as_text(user.get("name")), as_text(user.get("email")))


def _listed(conversation: dict[str, Any], author: dict[str, Any], brand: _Brand) -> list[Said]:
    """A listing's conversation: its opening message (the author's: the team's when one of
    them opened it, or it is the team's last message too) and the customer's last, when that
    is another."""
    name, email = as_text(author.get("name")), as_text(author.get("email"))
    opening, last, staff_last = (
        html_to_text(str(dict_at(conversation, key).get("body") or ""))
        for key in ("message", "last_customer_message", "last_staff_message")
    )
    by_team = _who(author, author, brand) == "team" or (opening and opening == staff_last)
    if by_team:
        said = [Said("team", opening, name, email)] if opening else []
        return [*said, *([Said("customer", last, None, None)] if last else [])]
    return [Said("customer", text, name, email) for text in dict.fromkeys((opening, last)) if text]


def from_reamaze(slug: str, thread: _Thread) -> Conversation:
    conversation = thread.conversation
    author = dict_at(conversation, "author")
    messages = sorted(thread.messages.values(), key=_when)  # stable: same-second in order
    brand = _brand(conversation)
    said = [s for m in messages if (s := _said(m, author, brand))] or _listed(
        conversation, author, brand
    )
    status = conversation.get("status")
    tags = conversation.get("tag_list")
    return Conversation(
        id=slug,
        created_at=conversation.get("created_at")
        or (messages[0].get("created_at") if messages else None),
        when_field="created_at",
        when_form="ISO 8601",
        said=said,
        title=as_text(conversation.get("subject")),
        link=as_text(conversation.get("perma_url")),
        tags=tags_from(tags if isinstance(tags, list) else []),
        company=company_field(dict_at(author, "data"), dict_at(conversation, "data")),
        verdict="spam" if status in _SPAM else None,
    )
