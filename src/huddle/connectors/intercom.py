"""Intercom conversations: what the customer wrote, one evidence item per conversation.

Accepted: the API's `{"type": "conversation.list", "conversations": [...]}` (pages can be
concatenated into one array), a bare array of conversations, one conversation per line, or a
log of webhook deliveries (`notification_event` lines, a conversation's parts gathered).
The customer's words are the opening message when a user or lead wrote it, then every
comment part by a user or lead; admins' and bots' replies are left out, and a conversation
only the team or a bot wrote (an announcement nobody answered) is left out as internal or
bot, counted in the summary. The link is the
conversation in the Intercom inbox when the workspace's app id is known (the record's
`app_id`, or `--map app_id=<id>`).
"""

from pathlib import Path
from typing import Any

from huddle.connectors.base import ConnectorOptions, ConnectorOutput
from huddle.connectors.common import (
    as_text,
    dict_at,
    html_to_text,
    iter_json_records,
    parse_when,
    pick_source,
    run_rows,
    tags_from,
)
from huddle.connectors.email import strip_replies
from huddle.connectors.noise import noise_reason, says_nothing
from huddle.imports.records import FeedbackRecord, RowError

CUSTOMER_AUTHORS = {"user", "lead", "contact"}


def _parts(conversation: dict[str, Any]) -> list[dict[str, Any]]:
    holder = conversation.get("conversation_parts")
    parts = holder.get("conversation_parts") if isinstance(holder, dict) else holder
    return [p for p in parts or [] if isinstance(p, dict)]


def _when_made(part: dict[str, Any]) -> float:
    made = part.get("created_at")
    return float(made) if isinstance(made, int | float) else 0.0


def _tag_names(conversation: dict[str, Any]) -> list[str]:
    holder = conversation.get("tags")
    tags = holder.get("tags") if isinstance(holder, dict) else holder
    return tags_from([t.get("name") if isinstance(t, dict) else t for t in tags or []])


class IntercomConnector:
    name = "intercom"
    description = "Intercom conversations (API JSON): the customer's messages as evidence."
    suffixes = (".json", ".jsonl", ".ndjson")

    def read(self, path: Path, options: ConnectorOptions) -> ConnectorOutput:
        output = ConnectorOutput()
        app_id = options.mapping.get("app_id")

        # A webhook log: each delivery carries the conversation with only its newest part,
        # the same conversation on several lines. Its parts are gathered by conversation
        # (one conversation's parts are held until the log ends) and read once at the end.
        hooked: dict[str, tuple[int, dict[str, Any], dict[str, dict[str, Any]]]] = {}

        def handle(row: tuple[int, Any]) -> None:
            line, conversation = row
            if isinstance(conversation, dict) and conversation.get("type") == "notification_event":
                item = dict_at(dict_at(conversation, "data"), "item")
                if item.get("type") != "conversation" or item.get("id") is None:
                    output.skipped_rows += 1  # a ping, a new lead: not a conversation
                    return
                _, _, parts = hooked.setdefault(str(item["id"]), (line, item, {}))
                for part in _parts(item):
                    parts.setdefault(str(part.get("id") or len(parts)), part)
                return
            take(self.conversation(line, conversation, app_id, options, output.errors))

        def take(found: tuple[FeedbackRecord, str | None] | None) -> None:
            if found is not None and found[1] is None and says_nothing(found[0].text):
                output.skipped_rows += 1  # the visitor only said hello
            elif found is not None:
                output.take(found[0], found[1], options)

        run_rows(
            output,
            lambda: iter_json_records(
                path,
                list_keys=("conversations", "data"),
                encoding=options.encoding,
                what="a conversation",
            ),
            handle,
        )
        for line, item, parts in hooked.values():
            whole = {**item, "conversation_parts": sorted(parts.values(), key=_when_made)}
            take(self.conversation(line, whole, app_id, options, output.errors))
        return output

    @staticmethod
    def conversation(
        line: int,
        conversation: Any,
        app_id: str | None,
        options: ConnectorOptions,
        errors: list[RowError],
    ) -> tuple[FeedbackRecord, str | None] | None:
        """The customer's words in a conversation, and why they are noise (None if not)."""
        if not isinstance(conversation, dict):
            errors.append(RowError(line, None, "a conversation must be a JSON object"))
            return None
        conversation_id = as_text(conversation.get("id"))
        if conversation_id is None:
            errors.append(RowError(line, "id", "a conversation has no id"))
            return None
        label = f"conversation {conversation_id}"
        source = dict_at(conversation, "source")
        messages: list[str] = []
        customer: dict[str, Any] = {}
        author = dict_at(source, "author")
        if author.get("type") in CUSTOMER_AUTHORS and source.get("body"):
            messages.append(strip_replies(html_to_text(str(source["body"])), _name(author)))
            customer = author
        for part in _parts(conversation):
            who = dict_at(part, "author")
            if who.get("type") in CUSTOMER_AUTHORS and part.get("body"):
                messages.append(strip_replies(html_to_text(str(part["body"])), _name(who)))
                customer = customer or who
        text = "\n\n".join(m for m in messages if m)
        team_only: str | None = None
        if not text:
            # Started by the team (an announcement, a bot's message) and never answered: no
            # evidence, but counted as left out, so the summary says what was skipped.
            team_only = "bot" if author.get("type") == "bot" else "internal"
            text = html_to_text(str(source.get("body") or ""))
            customer = author
            if not text:
                return None
        try:
            occurred_at = parse_when(conversation.get("created_at"))
        except (ValueError, TypeError, OSError):
            errors.append(
                RowError(line, "created_at", f"{label}: no readable created_at (Unix seconds)")
            )
            return None
        email = as_text(customer.get("email"))
        app = app_id or as_text(conversation.get("app_id"))
        tags = _tag_names(conversation)
        if conversation.get("priority") == "priority":
            tags.append("priority")
        title = as_text(conversation.get("title") or source.get("subject"))
        reason = team_only or noise_reason(
            text, title, email=email, name=as_text(customer.get("name")), options=options
        )
        record = FeedbackRecord(
            line=line,
            text=text,
            source=pick_source(options, "chat"),
            occurred_at=occurred_at,
            external_id=conversation_id,
            title=title,
            link_url=(
                f"https://app.intercom.com/a/apps/{app}/inbox/inbox/conversation/{conversation_id}"
                if app
                else None
            ),
            contact_email=email.lower() if email and "@" in email else None,
            contact_name=as_text(customer.get("name")),
            team="support",
            tags=sorted(set(tags)),
        )
        return record, reason


def _name(author: dict[str, Any]) -> str:
    return str(author.get("name") or "")


connector = IntercomConnector()
