"""Gorgias tickets, read as the tickets the `zendesk` connector knows.

Gorgias' REST API lists tickets as `{"data": [...], "meta": {"next_cursor": …}, "object":
"list", "uri": …}` (`GET /api/tickets`): each with its `id`, `subject`, `status`,
`priority`, `channel` and `via` (how its first message came: email, chat, contact_form, api,
helpdesk…), `from_agent` (its first message was the team's), `spam`, the `customer` (`email`,
`name`, `firstname`, `lastname`, `data`), `tags` as `{"name"}` objects, `created_datetime` and
`trashed_datetime` (ISO 8601), an `excerpt` and its `satisfaction_survey` (`score` 1 to 5,
`body_text` the customer's comment); no description. The words are in its `messages`, which
`GET /api/tickets/{id}` adds (a script saves them in each ticket), or which a page of messages
(`GET /api/messages`, each naming its `ticket_id`) gives alone, gathered by ticket.

A message (`from_agent`, `public`, `channel`, `via`, `sender`, `rule_id`, `integration_id`,
`body_text`, `body_html`, `stripped_text` without the quoted mail, `created_datetime`) is the
customer's when it is public and not the team's; the team's replies, an internal note
(`public: false`, channel `internal-note`) and a later message of the customer's that is only
an auto-reply are not. Each message is cut on its own (the quote, the signature: Gorgias'
`stripped_text` keeps the signature), the signature kept to name the company a personal
address writes for. A ticket without a word of the customer's is the team's: `staff` (an
agent opening it for a customer), or `bot` when a rule or the API sent it. A trashed ticket
is skipped like a deleted Zendesk ticket. The link is the ticket in Gorgias' app, when the
page's `uri` or `--workspace` names the help desk (`ourco.gorgias.com`).
"""

import re
from typing import Any

from huddle.connectors.cell_text import html_to_text
from huddle.connectors.conversations import company_field
from huddle.connectors.noise import auto_reply
from huddle.connectors.record_values import as_text, dict_at, listed, tags_from
from huddle.connectors.replies import split_signature

# How a message that no person typed reaches Gorgias: a rule (an auto-responder), the API (an
# integration, a script).
_MACHINE_VIA = {"rule", "api"}
_NOTE_CHANNELS = {"internal-note"}


def is_gorgias_ticket(record: Any) -> bool:
    return (
        isinstance(record, dict)
        and "created_datetime" in record
        and isinstance(record.get("customer"), dict)
        and "ticket_id" not in record
    )


def is_gorgias_message(record: Any) -> bool:
    """One message of a ticket, saved without it (a page of `GET /api/messages`)."""
    return (
        isinstance(record, dict)
        and record.get("ticket_id") is not None
        and "from_agent" in record
        and isinstance(record.get("sender"), dict)
    )


def missing_messages(ticket: dict[str, Any]) -> str | None:
    """Why a ticket cannot be read (a tickets page saved without its messages), or None."""
    if isinstance(ticket.get("messages"), list):
        return None
    return (
        f"Gorgias ticket {ticket.get('id')} has no messages: the tickets list holds none; save "
        "each ticket's messages (GET /api/tickets/{id}) in its `messages`"
    )


def ticket_of_messages(ticket_id: str, messages: list[dict[str, Any]]) -> dict[str, Any]:
    """The ticket a page of messages alone tells of: its customer the sender of the first
    message not the team's (else whom the team wrote to), its time and subject the first
    message's."""
    ordered = sorted(messages, key=lambda m: str(m.get("created_datetime") or ""))
    theirs = next((m for m in ordered if m.get("from_agent") is False), None)
    customer = dict_at(theirs, "sender") if theirs else dict_at(ordered[0], "receiver")
    first = ordered[0]
    return {
        "id": ticket_id,
        "customer": customer,
        "subject": first.get("subject"),
        "channel": first.get("channel"),
        "via": first.get("via"),
        "created_datetime": first.get("created_datetime"),
        "messages": ordered,
    }


def _name(person: dict[str, Any]) -> str | None:
    full = " ".join(str(person.get(k) or "").strip() for k in ("firstname", "lastname")).strip()
    return as_text(person.get("name")) or full or None


def _text(message: dict[str, Any]) -> str:
    for key in ("stripped_text", "body_text"):
        if text := as_text(message.get(key)):
            return text
    return html_to_text(str(message.get("stripped_html") or message.get("body_html") or ""))


def _public(message: dict[str, Any]) -> bool:
    return message.get("public") is not False and str(message.get("channel")) not in _NOTE_CHANNELS


def _customers(message: dict[str, Any], customer: dict[str, Any]) -> bool:
    """The customer wrote it: not from the team (a copy without `from_agent`: its sender is
    the ticket's customer)."""
    if isinstance(message.get("from_agent"), bool):
        return not message["from_agent"]
    sender, wanted = dict_at(message, "sender"), (customer.get("id"), customer.get("email"))
    return any(
        value is not None and value in wanted for value in (sender.get("id"), sender.get("email"))
    )


def _site(ticket: dict[str, Any], site: str | None) -> str | None:
    found = re.match(r"(https://[^/]+)/api/", str(ticket.get("uri") or ""))
    return found.group(1) if found else site


def gorgias_ticket(ticket: dict[str, Any], site: str | None = None) -> dict[str, Any] | None:
    """A Gorgias ticket as the ticket the Zendesk reader knows: the customer's public messages,
    each cut on its own, its words (`_words`, read as they are); or, when the customer wrote
    nothing, the team's first message, opened by one of the team or by a machine. None when no
    message holds a word (an image, a file)."""
    customer = dict_at(ticket, "customer")
    name = _name(customer)
    messages = sorted(
        (m for m in listed(ticket.get("messages")) if isinstance(m, dict)),
        key=lambda m: str(m.get("created_datetime") or ""),
    )
    words: list[str] = []
    signature = ""
    for message in messages:
        if not (_public(message) and _customers(message, customer)):
            continue
        said, signed = split_signature(
            _text(message), _name(dict_at(message, "sender")) or name or ""
        )
        if not said or (words and auto_reply(said)):
            continue  # a photo alone; their mail's out-of-office answering ours
        words.append(said)
        signature = signature or signed
    opener: dict[str, Any] = {}
    if not words:
        opener = next((m for m in messages if _text(m)), {})
        if not opener:
            return None
        words.append(
            split_signature(_text(opener), _name(dict_at(opener, "sender")) or "")[0]
            or _text(opener)
        )
    team = dict_at(opener, "sender")
    by_machine = bool(opener) and (
        opener.get("rule_id") is not None or str(opener.get("via")) in _MACHINE_VIA
    )
    channel = as_text(ticket.get("channel"))
    survey = dict_at(ticket, "satisfaction_survey")
    company = company_field(dict_at(customer, "data"), dict_at(customer, "meta"))
    found = _site(ticket, site)
    return {
        "id": ticket.get("id"),
        "subject": ticket.get("subject"),
        "description": "\n\n".join(words),
        "_words": ("\n\n".join(words), signature),
        "created_at": ticket.get("created_datetime")
        or (messages[0].get("created_datetime") if messages else None),
        "requester": {
            "id": customer.get("id"),
            "name": name,
            "email": as_text(customer.get("email")),
        },
        "requester_id": customer.get("id"),
        "organization": {"name": company} if company else {},
        "priority": ticket.get("priority"),
        "status": ticket.get("status"),
        "tags": [
            *tags_from(
                [t.get("name") if isinstance(t, dict) else t for t in listed(ticket.get("tags"))]
            ),
            *([f"channel:{channel.lower()}"] if channel else []),
        ],
        "url": f"{found}/app/ticket/{ticket.get('id')}" if found else None,
        "spam": ticket.get("spam") is True,
        "deleted": ticket.get("trashed_datetime") is not None,
        "_by_app": by_machine,
        # The team's words (an agent logging a call for a customer): its writer opened it.
        "submitter_id": (as_text(team.get("id")) or "team") if opener and not by_machine else None,
        "submitter_role": "agent" if opener and not by_machine else None,
        "submitter_email": as_text(team.get("email")) if opener else None,
        "satisfaction_rating": {
            "id": survey.get("id"),
            "score": survey.get("score"),
            "comment": survey.get("body_text"),
            "created_at": survey.get("scored_datetime") or survey.get("created_datetime"),
        }
        if as_text(survey.get("body_text"))
        else None,
    }
