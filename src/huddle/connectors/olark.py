"""Olark chats, read into the `intercom` connector's `Conversation` form.

Olark's webhook posts each chat's transcript when the chat ends, as JSON in the form field
`data`: `{"kind": "Conversation", "id", "items": [...], "tags", "groups", "visitor": {...},
"operators": {id: {...}}}` (older deliveries write the kind in lower case). A request logger
saves the payloads themselves (an array, one per line) or the form field as it came
(`{"data": "<the JSON>"}`); both are read.

Each item has a `kind`: `MessageToOperator` is the visitor's message (its `nickname` is what
the visitor is called, sometimes with their email: "Bob (bob@example.com)"), `OfflineMessage`
the message a visitor left while no one was online; `MessageToVisitor` is an operator's reply
(with its `operatorId`), or, without one, a message the site sends by itself (its greeting, an
automated targeted message): a bot's. Other kinds (`EventJoined`, `EventLeft`, a transfer)
are Olark's notices, no one's words. Timestamps are epoch seconds as text
("1307116661.25"). The comment a visitor left with their rating (`visitor.chat_feedback
.comments`) is theirs too. The visitor's `fullName` and `emailAddress` say who they are, its
`organization` (or a custom field named Company) the company they write for; a custom field
named Website is another way the company is known.
"""

import json
import re
from typing import Any

from huddle.connectors.conversations import Conversation, Said, company_field, tag_names
from huddle.connectors.record_values import as_text, dict_at, listed

_VISITORS = {"messagetooperator", "offlinemessage"}
_WEBSITE_FIELDS = {"website", "company website", "company_website", "companywebsite", "url"}
# A visitor's nickname with their email beside it: "Bob (bob@example.com)".
_NICK_WITH_EMAIL = re.compile(r"^(?P<name>.*?)\s*\((?P<email>[^()\s]+@[^()\s]+)\)\s*$")


def olark_payload(record: Any) -> dict[str, Any] | None:
    """The Olark conversation a record is, or holds in the form field `data` as the webhook
    posted it; None when it is not one."""
    if not isinstance(record, dict):
        return None
    if str(record.get("kind") or "").casefold() == "conversation" and isinstance(
        record.get("items"), list
    ):
        return record
    posted = record.get("data")
    if isinstance(posted, str) and posted.lstrip().startswith("{"):
        try:
            return olark_payload(json.loads(posted))
        except ValueError:
            return None
    return None


def _when(item: dict[str, Any]) -> float:
    try:
        return float(str(item.get("timestamp")))
    except ValueError:
        return 0.0


def _nickname(item: dict[str, Any]) -> tuple[str | None, str | None]:
    """The name and email a visitor's message calls them by."""
    nickname = as_text(item.get("visitor_nickname") or item.get("nickname"))
    found = _NICK_WITH_EMAIL.match(nickname or "")
    if found:
        return as_text(found["name"]), found["email"]
    return nickname, None


def _website(visitor: dict[str, Any]) -> str | None:
    fields = dict_at(visitor, "customFields")
    return next(
        (
            as_text(value)
            for key, value in fields.items()
            if key.casefold() in _WEBSITE_FIELDS and isinstance(value, str)
        ),
        None,
    )


def from_olark(conversation: dict[str, Any]) -> Conversation:
    """An Olark chat: the visitor's messages (and an offline message) are theirs, operators'
    replies the team's, a message sent with no operator the site's own (a bot's)."""
    visitor = dict_at(conversation, "visitor")
    operators = dict_at(conversation, "operators")
    email = as_text(visitor.get("emailAddress"))
    items = sorted((i for i in listed(conversation.get("items")) if isinstance(i, dict)), key=_when)
    said: list[Said] = []
    for item in items:
        kind = str(item.get("kind") or "").casefold()
        text = as_text(item.get("body"))
        if not text:
            continue
        if kind in _VISITORS:
            nickname, nick_email = _nickname(item)
            name = as_text(visitor.get("fullName")) or nickname
            said.append(Said("customer", text, name, email or nick_email))
        elif kind == "messagetovisitor":
            operator_id = as_text(item.get("operatorId"))
            operator = dict_at(operators, operator_id) if operator_id else {}
            name = as_text(operator.get("nickname")) or as_text(item.get("nickname"))
            email_of = as_text(operator.get("emailAddress"))
            said.append(Said("team" if operator_id else "bot", text, name, email_of))
    comment = as_text(dict_at(visitor, "chat_feedback").get("comments"))
    if comment:
        said.append(Said("customer", comment, as_text(visitor.get("fullName")), email))
    website = _website(visitor)
    return Conversation(
        id=str(conversation.get("id")),
        created_at=items[0].get("timestamp") if items else None,
        when_field="timestamp",
        when_form="Unix seconds",
        said=said,
        tags=tag_names(conversation),
        company=as_text(visitor.get("organization"))
        or company_field(dict_at(visitor, "customFields")),
        company_aliases=(website,) if website else (),
    )
