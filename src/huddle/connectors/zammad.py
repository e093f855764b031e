"""Zammad tickets, read as the tickets the `zendesk` connector knows.

Zammad's REST API answers a ticket asked for whole (`GET /api/v1/tickets/{id}?all=true`, what
its agent screen loads) as `{"ticket_id", "ticket_article_ids": [...], "assets": {"Ticket":
{id: …}, "TicketArticle": {id: …}, "User": {id: …}, "Organization": {id: …}}, "tags", …}`,
and a search (`GET /api/v1/tickets/search?query=…`) as `{"tickets": [ids], "tickets_count",
"assets": {…}}`: records by table and id, pointing at each other by id. A ticket holds its
`title`, `customer_id`, `organization_id`, `created_by_id`, `created_at`; an article its
`ticket_id`, `body` (`content_type` text/html or text/plain), `from`, `internal`, its sender
(`sender_id`: 1 Agent, 2 Customer, 3 System; `sender` by name when asked with
`expand=true`) and `preferences` (`is-auto-response`, set on mail an auto-responder sent).
Articles alone (`GET /api/v1/ticket_articles/by_ticket/{id}`, saved together) are read
too, by their tickets.

A ticket's words are its customer's public articles, each without the mail it quotes and its
signature (an out-of-office answer after their first is passed over); agents' replies and
internal notes are not theirs. A ticket no customer wrote in (an agent logging a call) is
the agent's words: staff, or a bot's when Zammad itself (System) wrote them. The customer's
organisation is the account (its domain, when it has one, another name for it); an
auto-responder's mail is an auto-reply. An answer of search results saved without articles
holds no words: it is refused, saying to fetch each ticket with `?all=true`.
"""

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from huddle.connectors.cell_text import html_to_text
from huddle.connectors.email_addresses import email_in
from huddle.connectors.json_reading import first_bytes, json_shape, json_values_at
from huddle.connectors.noise import auto_reply
from huddle.connectors.record_values import as_text, dict_at, listed, tags_from
from huddle.connectors.replies import split_signature

# Zammad's article senders by their seeded ids.
_SENDERS = {"1": "agent", "2": "customer", "3": "system"}
# A whole answer: its records by table, the tickets among them.
_ASSETS = re.compile(rb'"assets"\s*:\s*\{')
_TICKETS = re.compile(rb'"Ticket"\s*:\s*\{')


def answers(path: Path, encoding: str) -> Iterator[tuple[int, Any]] | None:
    """The file's one Zammad answer (a ticket or a search saved alone), as its only record;
    None for any other file, an array or JSON lines of answers among them (whose records
    are read one by one as they are)."""
    head = first_bytes(path, encoding)
    if not (_ASSETS.search(head) and _TICKETS.search(head)):
        return None
    if json_shape(path, ("assets",), encoding) != "object":
        return None
    return ((1, value) for value in json_values_at(path, "", encoding=encoding, what="a ticket"))


def is_zammad_answer(record: Any) -> bool:
    return isinstance(record, dict) and isinstance(dict_at(record, "assets").get("Ticket"), dict)


def is_zammad_article(record: Any) -> bool:
    """An article saved without its ticket (`ticket_articles/by_ticket`)."""
    return (
        isinstance(record, dict)
        and record.get("ticket_id") is not None
        and "body" in record
        and "internal" in record
        and ("sender_id" in record or "sender" in record)
    )


def missing_articles(answer: dict[str, Any]) -> str | None:
    """Why an answer cannot be read (a search saved without its tickets' articles), or None."""
    if dict_at(answer, "assets").get("TicketArticle"):
        return None
    return (
        "this Zammad answer holds tickets but none of their articles (a search's answer "
        "lists the tickets alone): fetch each ticket whole (GET /api/v1/tickets/{id}?all=true) "
        "and import those answers"
    )


def zammad_tickets(answer: dict[str, Any], site: str | None) -> Iterator[dict[str, Any] | None]:
    """Each ticket of an answer as the ticket the Zendesk reader knows (None: no words)."""
    assets = dict_at(answer, "assets")
    tickets = {str(k): v for k, v in dict_at(assets, "Ticket").items() if isinstance(v, dict)}
    articles = [a for a in dict_at(assets, "TicketArticle").values() if isinstance(a, dict)]
    wanted = [answer["ticket_id"]] if answer.get("ticket_id") is not None else answer.get("tickets")
    ids = [str(i) for i in listed(wanted)] or list(tickets)
    for ticket_id in ids:
        if ticket_id not in tickets:
            continue
        own = [a for a in articles if str(a.get("ticket_id")) == ticket_id]
        yield zammad_ticket(
            tickets[ticket_id],
            own,
            dict_at(assets, "User"),
            dict_at(assets, "Organization"),
            answer.get("tags"),
            site,
        )


def ticket_of_articles(ticket_id: str, articles: list[dict[str, Any]]) -> dict[str, Any]:
    """The ticket a list of its articles alone tells of: its title and time the first's."""
    first = min(articles, key=_order)
    return {
        "id": ticket_id,
        "title": as_text(first.get("subject")),
        "created_at": first.get("created_at"),
        "created_by_id": first.get("created_by_id"),
    }


def zammad_ticket(
    ticket: dict[str, Any],
    articles: list[dict[str, Any]],
    users: dict[str, Any],
    organizations: dict[str, Any],
    tags: Any,
    site: str | None,
) -> dict[str, Any] | None:
    """A Zammad ticket as the ticket the Zendesk reader knows: its customer's public articles,
    each cut on its own (`_words`); when the customer wrote none, the first public article,
    whose writer opened it for them. None when no article holds a word."""
    ordered = sorted(articles, key=_order)
    customer = dict_at(users, str(ticket.get("customer_id")))
    words: list[str] = []
    signature = ""
    auto = False
    for article in ordered:
        if article.get("internal") is True or _sender(article) != "customer":
            continue
        customer = customer or _from(article)
        said, signed = split_signature(_text(article), _name(customer) or "")
        if not said or (words and (_auto(article) or auto_reply(said))):
            continue  # an image alone; their out-of-office answering our reply
        auto = auto or (not words and _auto(article))
        words.append(said)
        signature = signature or signed
    opener: dict[str, Any] = {}
    if not words:
        public = [a for a in ordered if a.get("internal") is not True and _text(a)]
        opener = next(iter(public or [a for a in ordered if _text(a)]), {})
        if not opener:
            return None
        words.append(split_signature(_text(opener), "")[0] or _text(opener))
    by_system = bool(opener) and _sender(opener) == "system"
    writer = dict_at(users, str(opener.get("created_by_id"))) if opener else {}
    organization = dict_at(organizations, str(ticket.get("organization_id")))
    domain = as_text(organization.get("domain"))
    named_org = (
        as_text(ticket.get("organization")) if isinstance(ticket.get("organization"), str) else None
    )
    state = as_text(ticket.get("state")) if isinstance(ticket.get("state"), str) else None
    return {
        "id": ticket.get("id") or ticket.get("number"),
        "subject": ticket.get("title"),
        "description": "\n\n".join(words),
        "_words": ("\n\n".join(words), signature),
        "created_at": ticket.get("created_at")
        or (ordered[0].get("created_at") if ordered else None),
        "requester": {
            "id": as_text(customer.get("id")),
            "name": _name(customer),
            "email": as_text(customer.get("email")),
        },
        "requester_id": as_text(customer.get("id")),
        "organization": {
            "name": as_text(organization.get("name")) or named_org,
            "domain_names": [domain] if domain else [],
        },
        "status": state,
        "tags": tags_from(tags),
        "url": f"{site}/#ticket/zoom/{ticket.get('id')}" if site else None,
        "_verdict": "auto-reply" if auto else None,
        "_by_app": by_system,
        # The team's words (an agent logging a call): its writer opened it for the customer.
        "submitter_id": (as_text(writer.get("id")) or "team") if opener and not by_system else None,
        "submitter_role": "agent" if opener and not by_system else None,
        "submitter_email": as_text(writer.get("email")) if opener else None,
    }


def _order(article: dict[str, Any]) -> tuple[str, int]:
    # ISO 8601 in UTC sorts as it reads; the id (which grows) orders articles of one moment.
    article_id = article.get("id")
    return str(article.get("created_at") or ""), article_id if isinstance(article_id, int) else 0


def _sender(article: dict[str, Any]) -> str:
    """'customer', 'agent' or 'system': by name when expanded, else by its seeded id."""
    named = as_text(article.get("sender"))
    return named.lower() if named else _SENDERS.get(str(article.get("sender_id")), "")


def _auto(article: dict[str, Any]) -> bool:
    """Mail an auto-responder sent, as Zammad marked it on arrival."""
    return dict_at(article, "preferences").get("is-auto-response") is True


def _text(article: dict[str, Any]) -> str:
    body = str(article.get("body") or "")
    html = str(article.get("content_type") or "").lower() == "text/html"
    return (html_to_text(body) if html else body).strip()


def _name(person: dict[str, Any]) -> str | None:
    full = " ".join(str(person.get(k) or "").strip() for k in ("firstname", "lastname")).strip()
    return full or as_text(person.get("name"))


def _from(article: dict[str, Any]) -> dict[str, Any]:
    """The customer as an article's `from` tells ('Tobias Grant <tobias@…>'), without the
    users the answer would list."""
    sender = str(article.get("from") or "")
    email = email_in(sender) or email_in(str(article.get("created_by") or ""))
    name = re.sub(r"<[^>]*>|\"", "", sender).strip()
    return {"name": name or None, "email": email} if email or name else {}
