"""Help Scout's conversations, read into the `intercom` connector's `Conversation` form.

Help Scout's Mailbox API v2 answers `{"_embedded": {"conversations": [...]}}`, each
conversation with its `_embedded.threads`, newest first.
"""

from typing import Any

from huddle.connectors.cell_text import html_to_text
from huddle.connectors.conversations import COMPANY_FIELDS, Conversation, Said, tag_names
from huddle.connectors.record_values import as_text, dict_at


def _help_scout_person(person: dict[str, Any]) -> tuple[str | None, str | None]:
    name = " ".join(str(person.get(k) or "").strip() for k in ("first", "last")).strip()
    return name or None, as_text(person.get("email"))


def _help_scout_time(thread: dict[str, Any]) -> str:
    # ISO 8601 in UTC ("2026-12-03T15:21:02Z"), which sorts as it reads.
    return str(thread.get("createdAt") or "")


def from_help_scout(conversation: dict[str, Any]) -> Conversation:
    """Help Scout's Mailbox API v2: threads newest first, each created by a `customer` or a
    `user` (one of the team); line items (status changes) have no body."""
    conversation_id = str(conversation.get("id"))
    threads = [
        t for t in dict_at(conversation, "_embedded").get("threads") or [] if isinstance(t, dict)
    ]
    said: list[Said] = []
    # Newest first as the API lists them; oldest first here (a stable sort keeps the order
    # of threads made in the same second).
    for thread in sorted(reversed(threads), key=_help_scout_time):
        if not thread.get("body"):
            continue
        if thread.get("state") not in (None, "published"):
            continue  # a draft, a thread under review
        author = dict_at(thread, "createdBy") or dict_at(thread, "customer")
        kind = str(author.get("type") or dict_at(thread, "source").get("via") or "")
        name, email = _help_scout_person(author)
        said.append(
            Said(
                who="customer"
                if kind == "customer"
                else "bot"
                if kind in {"bot", "workflow", "ai"}
                else "team",
                text=html_to_text(str(thread["body"])),
                name=name,
                email=email,
            )
        )
    company = next(
        (
            as_text(entry.get("text") or entry.get("value"))
            for entry in conversation.get("customFields") or []
            if isinstance(entry, dict) and str(entry.get("name") or "").lower() in COMPANY_FIELDS
        ),
        None,
    )
    web = dict_at(dict_at(conversation, "_links"), "web").get("href")
    return Conversation(
        id=conversation_id,
        created_at=conversation.get("createdAt"),
        when_field="createdAt",
        when_form="ISO 8601",
        said=said,
        title=as_text(conversation.get("subject")),
        link=as_text(web) or f"https://secure.helpscout.net/conversation/{conversation_id}",
        tags=tag_names(conversation),
        company=company or as_text(dict_at(conversation, "primaryCustomer").get("organization")),
        verdict="spam" if conversation.get("status") == "spam" else None,
        source="chat" if conversation.get("type") == "chat" else "ticket",
    )
