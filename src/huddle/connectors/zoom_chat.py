"""Zoom Team Chat messages that `slack` reads beside Slack's own export: a page of Zoom's chat
messages API saved as JSON.

`GET /v2/chat/users/{userId}/messages?to_channel=…` (or `to_contact=…`) answers `{"date",
"from", "to", "page_size", "next_page_token", "messages": [...]}`, newest first: each message
with its `id`, `message` (plain text), `sender` (the sender's email), `sender_member_id`,
`sender_display_name`, `date_time` (ISO 8601), `timestamp` (Unix milliseconds),
`reply_main_message_id` when it replies in a thread, `files`, `reactions`, `at_items` (its
mentions), `rich_text` (formatting), `status` ("Deleted" for a deleted one, when deleted and
edited messages were asked for) and, for an app's post, `bot_message` (its card: a `head` and
`body` items with their `text`; an empty object on a person's message).

Since March 2023 Zoom leaves the ids and the email of a user outside the caller's account
empty: a customer in a shared channel is known by their display name alone. Who wrote is
known as in other chats: the vendor's people by their address or a workspace user's name;
and where the page shows people outside the account (a `sender` left empty), everyone whose
`sender` it gives is of the same account as the vendor's people it names. A customer's
company is the one their display name names ("Kenji | Acme Robotics"), else the one the
channel's name names. The page names neither the channel nor the space: people save it under
the channel's name, which the file's name is taken as.
"""

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from huddle.connectors.base import ConnectorOptions
from huddle.connectors.chat_messages import Place, Said, page_of_messages, unquoted
from huddle.connectors.noise import is_staff
from huddle.connectors.record_values import as_text, dict_at
from huddle.connectors.transcript_rules import affiliation
from huddle.imports.records import RowError

# Keys only Zoom's chat messages carry beside their `date_time`.
_ZOOM_KEYS = (b'"sender_member_id"', b'"sender_display_name"', b'"reply_main_message_id"')
_DELETED = "deleted"


def is_zoom_chat(head: bytes) -> bool:
    """A page of Zoom Team Chat's messages API (or the list alone)."""
    return (
        head.startswith((b"{", b"["))
        and b'"date_time"' in head
        and any(key in head for key in _ZOOM_KEYS)
    )


def zoom_chat(
    messages: Iterable[tuple[int, Any]],
    name: str,
    options: ConnectorOptions,
    errors: list[RowError],
) -> Iterator[Said | None]:
    """Each message of a page, oldest first (a reply after the post it replies to): the page
    is read whole, as the API gives it newest first, and who is of the vendor's account is
    known only once all its senders have been seen."""
    page = page_of_messages(messages, name, "id", errors)
    ours = _vendor_account(page, options)
    channel = Path(name).stem
    place = Place(
        "zoom", channel, channel, {}, about=(channel.replace("-", " ").replace("_", " "),)
    )
    for line, message in sorted(page, key=lambda held: _order(held[1])):
        if str(message.get("status") or "").casefold() == _DELETED:
            yield None  # its words are gone
            continue
        yield _said(message, line, name, place, staff=ours and bool(_sender(message)))


def _sender(message: dict[str, Any]) -> str | None:
    return as_text(message.get("sender"))


def _vendor_account(page: list[tuple[int, dict[str, Any]]], options: ConnectorOptions) -> bool:
    """Whether the senders the page gives an address for are the vendor's people: Zoom gives
    it only for the caller's own account, and one of them is known to be the vendor's."""
    if all(_sender(message) for _, message in page):
        return False  # no one outside the account, or a page from before Zoom hid them
    return any(
        is_staff(sender, as_text(message.get("sender_display_name")), options)
        for _, message in page
        if (sender := _sender(message)) and not _is_bot(message)
    )


def _when(message: dict[str, Any]) -> float:
    stamp = message.get("timestamp")
    return float(stamp) if isinstance(stamp, int | float) else 0.0


def _order(message: dict[str, Any]) -> tuple[float, str]:
    # Unix milliseconds, else the ISO 8601 time in UTC, which sorts as it reads.
    return _when(message), str(message.get("date_time") or "")


def _is_bot(message: dict[str, Any]) -> bool:
    """An app's post: its card in `bot_message` (a person's message carries it empty)."""
    return bool(dict_at(message, "bot_message"))


def _card_words(card: dict[str, Any]) -> str:
    """The words of an app's card: its head's and each body item's text."""
    said = [as_text(dict_at(card, "head").get("text"))]
    said += [as_text(item.get("text")) for item in card.get("body") or [] if isinstance(item, dict)]
    return "\n".join(dict.fromkeys(line for line in said if line))


def _said(message: dict[str, Any], line: int, name: str, place: Place, *, staff: bool) -> Said:
    bot = _is_bot(message)
    text = as_text(message.get("message")) or ""
    if bot and not text:
        text = _card_words(dict_at(message, "bot_message"))
    sender = _sender(message)
    shown = as_text(message.get("sender_display_name")) or ""
    person, company = affiliation(shown)
    main = as_text(message.get("reply_main_message_id"))
    return Said(
        file=name,
        line=line,
        text=unquoted(text),
        when=message.get("date_time") or _when(message) / 1000 or None,
        when_field="date_time",
        person=as_text(person) or shown or None,
        email=sender if sender and "@" in sender else None,
        bot=bot,
        external_id=f"{place.id}:{message['id']}",
        link=None,
        place=place,
        staff=staff,
        # Without an address, of the company their name or the channel's names.
        mentions=tuple(m for m in (company, *place.about) if m)
        if not sender and not bot and not staff
        else (),
        replies_to=f"{place.id}:{main}" if main else None,
    )
