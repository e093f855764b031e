"""Basecamp's Campfire chat lines that `slack` reads beside Slack's own export: a page of
Basecamp 4's API (Basecamp 3's is the same) saved as JSON.

`GET /buckets/{project}/chats/{campfire}/lines.json` (or `GET /chats/{campfire}/lines.json`)
answers a JSON array of lines, newest first (one line alone: `…/lines/{id}.json`). Each line
has its `id`, `created_at` (ISO 8601), a `type` of `Chat::Lines::Text` (its `content` plain
text) or `Chat::Lines::RichText` (its `content` HTML; `title` the same words in plain text),
the `parent` Campfire, the `bucket` (the project: `{"id", "name", "type": "Project"}`), its
`app_url`, and its `creator`, a whole person: `name`, `email_address`, `personable_type`
(`User`, `Client` for a client in older accounts, `Integration` for a chatbot), `client`
(true for the client's people in a project shared with a client), `employee`, and the
`company` {`id`, `name`} they belong to.

A chatbot's line (an `Integration`, or a creator named as a bot: "Deploy Bot") is a bot's.
The vendor's people are known by their address or name as the workspace's users, by a
company naming the vendor or shared with one of the vendor's people known by their address or
name (a colleague writing from a personal address), or by Basecamp: one of the account's `employee`s who is no client
and names no company of their own. A client's company is the `company` Basecamp names (a
client writing from a public mail provider is of it too); without one, the company the
project's name names ("OurCo and Acme Robotics rollout").
"""

from collections.abc import Iterable, Iterator
from typing import Any

from huddle.connectors.base import ConnectorOptions
from huddle.connectors.cell_text import html_to_text
from huddle.connectors.chat_messages import Place, Said, machine_name, page_of_messages, unquoted
from huddle.connectors.email_addresses import is_internal
from huddle.connectors.noise import names_us
from huddle.connectors.record_values import as_text, dict_at
from huddle.imports.records import RowError

# A line's type, as every Campfire line names it.
_LINE_TYPE = b'"Chat::Lines::'
# Who a creator is, by `personable_type`: a chatbot, a client.
_MACHINES = {"integration", "chatbot", "bot"}
_CLIENTS = {"client"}


def is_basecamp(head: bytes) -> bool:
    """A page of a Campfire's lines (or one line): a line's type and its creator."""
    return head.startswith((b"{", b"[")) and _LINE_TYPE in head and b'"creator"' in head


def messages_key(head: bytes) -> str:
    """Where the page keeps its lines: the array itself, or one line alone."""
    return "item" if head.startswith(b"[") else ""


def basecamp(
    lines: Iterable[tuple[int, Any]],
    name: str,
    options: ConnectorOptions,
    errors: list[RowError],
) -> Iterator[Said | None]:
    """Each line of a page, oldest first (the API gives them newest first)."""
    page = page_of_messages(lines, name, "id", errors)
    # ISO 8601 in UTC sorts as it reads; a stable sort keeps same-second lines in order.
    page.sort(key=lambda held: str(held[1].get("created_at") or ""))
    ours = _our_companies(page, options)
    for line, said in page:
        yield _said(said, line, name, options, ours)


def _our_companies(page: list[tuple[int, dict[str, Any]]], options: ConnectorOptions) -> set[str]:
    """The ids of the companies Basecamp names for the vendor's people known by their address
    or name: their colleagues are the vendor's too, whatever their address (a personal one)
    or the company's name ("OurCo Inc." for ourco.com)."""
    staff = {name.casefold() for name in options.staff_names}
    found: set[str] = set()
    for _, line in page:
        creator = dict_at(line, "creator")
        company = as_text(dict_at(creator, "company").get("id"))
        person = (as_text(creator.get("name")) or "").casefold()
        if (
            company
            and not creator.get("client")
            and (
                is_internal(as_text(creator.get("email_address")), options.internal_domains)
                or person in staff
            )
        ):
            found.add(company)
    return found


def _words(line: dict[str, Any]) -> str:
    """A line's words as plain text: rich text's HTML read (a quote left out), else the
    plain `content`, else its `title`."""
    content = str(line.get("content") or "")
    if str(line.get("type") or "").endswith("RichText") or "<" in content:
        content = html_to_text(content)
    return unquoted(content.strip() or str(line.get("title") or "").strip())


def _said(
    line: dict[str, Any], number: int, name: str, options: ConnectorOptions, ours: set[str]
) -> Said:
    creator = dict_at(line, "creator")
    bucket = dict_at(line, "bucket")
    campfire = dict_at(line, "parent")
    kind = str(creator.get("personable_type") or "").casefold()
    person = as_text(creator.get("name"))
    client = bool(creator.get("client")) or kind in _CLIENTS
    company = as_text(dict_at(creator, "company").get("name"))
    bot = kind in _MACHINES or bool(person and machine_name(person, options))
    staff = not bot and (
        bool(company and names_us(company, options))
        or (not client and as_text(dict_at(creator, "company").get("id")) in ours)
        or (bool(creator.get("employee")) and not client and company is None)
    )
    project = as_text(bucket.get("name"))
    place = Place(
        "basecamp",
        project or as_text(campfire.get("title")) or name,
        str(campfire.get("id") or bucket.get("id") or name),
        {},
    )
    return Said(
        file=name,
        line=number,
        text=_words(line),
        when=line.get("created_at"),
        when_field="created_at",
        person=person,
        email=as_text(creator.get("email_address")),
        bot=bot,
        external_id=f"{place.id}:{line['id']}",
        link=as_text(line.get("app_url")),
        place=place,
        staff=staff,
        # Of the company Basecamp names, else of the one the project's name names.
        mentions=() if bot or staff else tuple(m for m in (company or project,) if m),
    )
