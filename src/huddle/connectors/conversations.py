"""The one form the `intercom` connector reads every chat and help-desk conversation into,
whichever tool it comes from (Intercom, Help Scout, Crisp, Zendesk Chat, Drift, tawk.to): each
tool's reader fills a `Conversation`, and evidence is made of that alone."""

from dataclasses import dataclass, field
from typing import Any

from huddle.connectors.record_values import as_text, tags_from

CUSTOMER_AUTHORS = {"user", "lead", "contact"}
# Where a tool keeps the customer's company: a Help Scout custom field, Crisp's `meta.data`,
# a Drift contact's attributes.
COMPANY_FIELDS = {"company", "company name", "company_name", "organization", "organisation"}


def from_millis(value: Any) -> Any:
    """A time in Unix milliseconds (Crisp, Drift, Dixa) as seconds; anything else as it is."""
    return value / 1000 if isinstance(value, int | float) and not isinstance(value, bool) else value


def company_field(*holders: dict[str, Any]) -> str | None:
    """The company a tool's free-form attributes name (`company`, `company_name`,
    `organization`…), looked for in each of `holders` in turn."""
    for holder in holders:
        for key, value in holder.items():
            if key.lower() in COMPANY_FIELDS and isinstance(value, str) and as_text(value):
                return as_text(value)
    return None


def tag_names(conversation: dict[str, Any]) -> list[str]:
    """A conversation's tags: names, `{"name"}` or `{"tag"}` objects, bare or in the API's
    `{"tags": [...]}`."""
    holder = conversation.get("tags")
    tags = holder.get("tags") if isinstance(holder, dict) else holder
    return tags_from(
        [(t.get("name") or t.get("tag")) if isinstance(t, dict) else t for t in tags or []]
    )


@dataclass
class Said:
    """One message of a conversation: who wrote it (`customer`, `team` or `bot`), its words
    as plain text, and the writer's name and email."""

    who: str
    text: str
    name: str | None = None
    email: str | None = None


@dataclass
class Conversation:
    """A conversation of any tool the connector reads, in the one form evidence is made of."""

    id: str
    created_at: Any
    # What the date is called and how it is written, for the error when it cannot be read.
    when_field: str
    when_form: str
    # Every message oldest first, the opening one first.
    said: list[Said]
    title: str | None = None
    link: str | None = None
    tags: list[str] = field(default_factory=list)
    # The customer's company as the tool names it.
    company: str | None = None
    # Other ways the tool names the same company (its website, its id in the customer's CRM).
    company_aliases: tuple[str, ...] = ()
    # Where the customer's company may be named when their email names none (a display name:
    # "Beth (Vandelay Imports)"): an account the workspace knows, attached on import.
    mentions: tuple[str, ...] = ()
    # The tool's own verdict ("spam": filed as spam by the help desk).
    verdict: str | None = None
    source: str = "chat"
