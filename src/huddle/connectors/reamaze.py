"""Re:amaze conversations, read into the `intercom` connector's `Conversation` form.

Re:amaze's API answers pages of `{"page_size", "page_count", "total_count", ...}`:

- `GET /api/v1/messages` (and `GET /conversations/{slug}/messages`): `"messages"`, newest
  first, each with its `body` (HTML from email, plain text from chat), `created_at` (ISO
  8601), `visibility` (0 a reply, 1 an internal note, 2 Re:amaze's warning that two people
  were answering at once), the `user` who wrote it {`name`, `email`, `staff?`}, and its
  `conversation` nested: `slug`, `subject`, `status`, `category` (the channel it came
  through), `tag_list`, `perma_url`, the `author` who opened it with their custom `data`;
- `GET /api/v1/conversations`: `"conversations"`, each with the same keys and, instead of
  its messages, the opening `message` and the `last_customer_message`; a script may nest
  each conversation's `messages` in it.

Pages are saved alone, gathered in an array, or one message or conversation a line; a
message two pages both hold (one that arrived while they were fetched) is read once. A
conversation's messages are gathered by its slug, oldest first: the customer's are those
Re:amaze does not mark as a staff member's (without the `staff?` flag, older answers: the
author's and their colleagues', by email domain); staff replies and internal notes are the
team's. A conversation filed as spam (status 3, or 9 when Re:amaze's AI filed it) is spam.
The account is the company the author's custom data names (`company`), else their email's.
"""

import io
from dataclasses import dataclass
from typing import Any

import ijson  # type: ignore[import-untyped]

from huddle.connectors.cell_text import html_to_text
from huddle.connectors.conversations import Conversation, Said, company_field
from huddle.connectors.export_dates import parse_when
from huddle.connectors.record_values import as_text, dict_at, tags_from

# Keys only Re:amaze's messages carry.
_MESSAGE_KEYS = (b'"visibility"', b'"staff?"', b'"perma_url"')
# Spam, as a person filed it and as Re:amaze's AI did.
_SPAM = {3, 9}
# Visibility: a reply, an internal note, Re:amaze's notice that two staff were replying.
_INTERNAL_NOTE = 1
_COLLISION = 2


@dataclass
class _Thread:
    line: int
    conversation: dict[str, Any]
    messages: dict[str, dict[str, Any]]


Gathered = dict[str, _Thread]


def page_prefix(head: bytes) -> str | None:
    """Where a page of Re:amaze's messages saved whole keeps them; None for another file
    (a page of conversations, their messages nested, is read conversation by conversation)."""
    if not head.lstrip().startswith(b"{") or b'"body"' not in head:
        return None
    if not any(key in head for key in _MESSAGE_KEYS):
        return None
    try:
        for prefix, event, _ in ijson.parse(io.BytesIO(head)):
            if event == "start_array" and "." not in prefix:
                return "messages.item" if prefix == "messages" else None
    except ijson.JSONError:
        pass  # the head ends mid-file before any list: not a page
    return None


def _is_message(record: Any) -> bool:
    return (
        isinstance(record, dict)
        and "body" in record
        and isinstance(record.get("user"), dict)
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


def _who(user: dict[str, Any], author: dict[str, Any]) -> str:
    """`customer` or `team`: by Re:amaze's `staff?` flag; without it, the author and people
    of the author's email domain are the customer's side."""
    staff = user.get("staff?")
    if isinstance(staff, bool):
        return "team" if staff else "customer"
    email, theirs = as_text(user.get("email")), as_text(author.get("email"))
    if not email or not theirs or _domain(email) == _domain(theirs):
        return "customer"
    return "team"


def _said(message: dict[str, Any], author: dict[str, Any]) -> Said | None:
    visibility = message.get("visibility")
    if visibility == _COLLISION:
        return None  # Re:amaze's notice, no one's words
    user = dict_at(message, "user")
    who = "team" if visibility == _INTERNAL_NOTE else _who(user, author)
    text = html_to_text(str(message.get("body") or ""))
    return Said(who, text, as_text(user.get("name")), as_text(user.get("email")))


def _listed(conversation: dict[str, Any], author: dict[str, Any]) -> list[Said]:
    """A listing's conversation: its opening message (the author's) and the customer's last,
    when that is another."""
    name, email = as_text(author.get("name")), as_text(author.get("email"))
    bodies = [
        html_to_text(str(dict_at(conversation, key).get("body") or ""))
        for key in ("message", "last_customer_message")
    ]
    return [Said("customer", text, name, email) for text in dict.fromkeys(bodies) if text]


def from_reamaze(slug: str, thread: _Thread) -> Conversation:
    conversation = thread.conversation
    author = dict_at(conversation, "author")
    messages = sorted(thread.messages.values(), key=_when)  # stable: same-second in order
    said = [s for m in messages if (s := _said(m, author))] or _listed(conversation, author)
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
