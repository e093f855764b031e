"""Zendesk tickets: the API's JSON (with sideloaded users and organizations) or JSON lines.

Accepted: `{"tickets": [...], "users": [...], "organizations": [...]}` (a page of
`/api/v2/tickets.json?include=users,organizations` or the incremental export), a bare array of
tickets, the Search API's `{"results": [...]}` (its users and organizations skipped),
Zendesk's admin JSON export (one ticket per line), a page of satisfaction ratings
(`{"satisfaction_ratings": [...]}`: each rating's comment, tagged `csat:good`/`csat:bad`),
or a page of Jira Service Management's issue search (`{"issues": [...]}`:
`connectors/jira_issues.py`), or the Ticket Audits API's `{"audits": [...]}` (no tickets: each
one rebuilt from its audits' Create, Change and Comment events: `connectors/zendesk_audits.py`;
trigger notifications are not anyone's words; the incremental ticket events' `{"ticket_events":
[...]}` read as audits: `connectors/zendesk_events.py`), or Zoho Desk's API page `{"data":
[...]}` (`connectors/zoho_desk.py`), or Pylon's issues page, also `{"data": [...]}`
(`connectors/pylon.py`), or Gorgias' tickets page, also `{"data": [...]}`, each ticket with
its `messages`, or its messages alone (`connectors/gorgias.py`). A tickets page may carry a
ticket's satisfaction rating with a comment (an item of its own), the suspended-tickets queue
under `suspended_tickets` (read by its cause) and follow-ups opening with Zendesk's line naming
the closed request (cut): `connectors/zendesk_extras.py`. A ticket made through the API (or by
a trigger) in the name of one of the team's accounts is an integration's: a bot's. A page of
Help Center community posts (`{"posts": [...], "users": [...]}`) is read post by post:
`connectors/zendesk_community.py`; a page of Help Center comments on articles or posts
(`{"comments": [...], "users": [...]}`) comment by comment:
`connectors/zendesk_help_center.py`. Zammad's tickets asked for whole (`?all=true`: the
ticket, its articles, users and organisation by id under `assets`), its search answers and
its articles saved by ticket: `connectors/zammad.py`. ServiceNow's cases from its Table API
(`{"result": [...]}`, whatever `sysparm_display_value`) or JSONv2: `connectors/servicenow.py`.
ManageEngine ServiceDesk Plus' requests from its API v3 (`{"requests": [...], "list_info":
…}`, the MSP edition's with their customer `account`, or one request):
`connectors/zendesk_sdp.py`.
The requester's email comes from the ticket's `requester` object or the sideloaded users,
and links the ticket to the account with that email domain. The link is the agent page of
the ticket.
"""

import re
from pathlib import Path
from typing import Any

from huddle.connectors.base import ConnectorOptions, ConnectorOutput
from huddle.connectors.cell_text import customer_lines, html_to_text
from huddle.connectors.common import pick_source, run_rows, workspace_site
from huddle.connectors.export_dates import parse_when
from huddle.connectors.gorgias import (
    gorgias_ticket,
    is_gorgias_message,
    is_gorgias_ticket,
    missing_messages,
    ticket_of_messages,
)
from huddle.connectors.jira_issues import is_jira_issue, jira_ticket
from huddle.connectors.json_reading import iter_json_records, json_shape, json_values_at
from huddle.connectors.noise import is_staff, noise_reason, opened_for_customer
from huddle.connectors.pylon import is_pylon_issue, pylon_ticket
from huddle.connectors.record_values import as_text, dict_at, tags_from
from huddle.connectors.replies import split_signature
from huddle.connectors.servicenow import cases, is_servicenow_case, servicenow_ticket
from huddle.connectors.zammad import (
    answers,
    is_zammad_answer,
    is_zammad_article,
    missing_articles,
    ticket_of_articles,
    zammad_ticket,
    zammad_tickets,
)
from huddle.connectors.zendesk_audits import audit_ticket, is_audit, side_loaded_site
from huddle.connectors.zendesk_community import is_community_post, post_ticket
from huddle.connectors.zendesk_events import (
    agents_of,
    as_audit,
    is_ticket_event,
    missing_comments,
)
from huddle.connectors.zendesk_extras import (
    rating_ticket,
    suspended,
    without_follow_up_line,
)
from huddle.connectors.zendesk_help_center import (
    NO_AUTHORS,
    comment_ticket,
    help_center_comments,
    is_help_center_comment,
    is_help_center_page,
    side_loaded_titles,
)
from huddle.connectors.zendesk_sdp import (
    is_sdp_request,
    more_requests,
    sdp_requests,
    sdp_ticket,
)
from huddle.connectors.zoho_desk import is_zoho_ticket, zoho_ticket
from huddle.imports.records import FeedbackRecord, RowError


def _agent_link(ticket: dict[str, Any]) -> str | None:
    url = as_text(ticket.get("url"))
    if url:
        # The API url of a ticket; a person wants the agent page of the same ticket.
        found = re.match(r"(https://[^/]+)/api/v2/tickets/(\d+)", url)
        return f"{found.group(1)}/agent/tickets/{found.group(2)}" if found else url
    return None


# Where a page keeps its records: tickets, the Search API's results, Jira's issues, ratings,
# ticket audits, Zoho Desk's tickets and Pylon's issues, the incremental ticket events.
_LIST_KEYS = (
    "tickets",
    "results",
    "issues",
    "satisfaction_ratings",
    "audits",
    "data",
    "ticket_events",
    "posts",
)


def _sideloaded(path: Path, encoding: str, key: str) -> dict[str, dict[str, Any]]:
    """Sideloaded `users` or `organizations` by id (an API page puts them after the tickets)."""
    if json_shape(path, _LIST_KEYS, encoding) != "object":
        return {}
    found: dict[str, dict[str, Any]] = {}
    for value in json_values_at(path, f"{key}.item", encoding=encoding, what=f"a {key[:-1]}"):
        if isinstance(value, dict) and value.get("id") is not None:
            found[str(value["id"])] = value
    return found


# What a satisfaction rating's score says (Zendesk's two-point CSAT, and a survey not
# answered yet).
_RATED = {"good", "bad", "offered", "unoffered"}


def _rating_ticket(rating: dict[str, Any]) -> dict[str, Any]:
    """A satisfaction rating, as the ticket this reader knows: its comment is the words, on
    the rated ticket's requester and organisation, tagged with the score."""
    score = str(rating.get("score"))
    url = as_text(rating.get("url")) or ""
    found = re.match(r"(https://[^/]+)/api/v2/", url)
    return {
        "id": f"csat-{rating.get('id')}",
        "subject": f"CSAT {score} (ticket {rating.get('ticket_id')})",
        "description": as_text(rating.get("comment")),
        "created_at": rating.get("created_at"),
        "requester_id": rating.get("requester_id"),
        "organization_id": rating.get("organization_id"),
        # The rated ticket's own requester and organisation, when it carries them.
        "requester": rating.get("requester"),
        "organization": rating.get("organization"),
        "tags": [f"csat:{score}"],
        # The rated ticket's agent page (`_agent_link` leaves a page's address as it is).
        "url": f"{found.group(1)}/agent/tickets/{rating.get('ticket_id')}" if found else None,
    }


def _flat(ticket: dict[str, Any], who: str) -> dict[str, Any]:
    """A person or organisation a warehouse copy of the tickets table (Fivetran's) writes
    flat: `requester_email`, `requester_name`, `organization_name`, `organization_external_id`."""
    prefix = f"{who}_"
    return {
        key.removeprefix(prefix): value
        for key, value in ticket.items()
        # (`requester_id`, `organization_id` are the tool's own ids, looked up elsewhere.)
        if key.startswith(prefix) and key != f"{prefix}id" and value not in (None, "")
    }


# The channels a ticket comes in by that no person types into: the API (an integration:
# Gainsight, a CRM, a monitoring tool), a trigger or automation.
_MACHINE_CHANNELS = {"api", "rule"}


def _by_integration(
    ticket: dict[str, Any], requester: dict[str, Any], options: ConnectorOptions
) -> bool:
    """A ticket an integration made through the API in the name of one of the team's own
    accounts (its requester an agent or the vendor's address): a machine's, not a person's."""
    channel = dict_at(ticket, "via").get("channel")
    staff = requester.get("role") in {"agent", "admin"} or is_staff(
        as_text(requester.get("email")), None, options
    )
    return channel in _MACHINE_CHANNELS and staff


# The channel of the sample ticket Zendesk creates in every new account ("Sample ticket:
# Meet the ticket", in the account's language), and its English subject where no channel is
# exported.
_SAMPLE_CHANNELS = {"sample_ticket", "sample"}
_SAMPLE_SUBJECT = re.compile(r"^\s*sample ticket\b", re.IGNORECASE)


def _sample_ticket(ticket: dict[str, Any], title: str | None) -> bool:
    """Zendesk's own example ticket, left in the account: a test, nobody's words."""
    channel = str(dict_at(ticket, "via").get("channel") or "").lower()
    return channel in _SAMPLE_CHANNELS or bool(_SAMPLE_SUBJECT.match(title or ""))


class ZendeskConnector:
    name = "zendesk"
    description = (
        "Zendesk tickets (API JSON with sideloads, the JSON-lines export, ticket audits or "
        "the incremental ticket events), Help Center community posts and comments; also "
        "Zammad's tickets, ServiceNow's cases, ServiceDesk Plus' requests, and another help "
        "desk's JSON page read as a table of its records."
    )
    suffixes = (".json", ".jsonl", ".ndjson")

    def read(self, path: Path, options: ConnectorOptions) -> ConnectorOutput:
        output = ConnectorOutput()
        users: dict[str, dict[str, Any]] = {}
        organizations: dict[str, dict[str, Any]] = {}
        titles: dict[str, str] = {}  # of the articles and posts Help Center comments are on

        def tickets() -> Any:
            # Sideloads come after the tickets in Zendesk's pages: a first pass reads only them.
            users.update(_sideloaded(path, options.encoding, "users"))
            organizations.update(_sideloaded(path, options.encoding, "organizations"))
            whole = answers(path, options.encoding)  # a Zammad answer saved alone
            if whole is not None:
                return whole
            found = cases(path, options.encoding)  # a ServiceNow Table API answer
            if found is not None:
                return found
            found = sdp_requests(path, options.encoding)  # ServiceDesk Plus' requests
            if found is not None:
                output.warnings.extend(more_requests(path, options.encoding))
                return found
            if is_help_center_page(path, options.encoding):  # Help Center comments
                titles.update(side_loaded_titles(path, options.encoding))
                if not users:  # who wrote each comment (an agent, a reader) is unknown
                    output.warnings.append(RowError(1, "users", NO_AUTHORS))
                return help_center_comments(path, options.encoding)
            return iter_json_records(
                path, list_keys=_LIST_KEYS, encoding=options.encoding, what="a ticket"
            )

        # The Ticket Audits API's audits, by ticket: each ticket is rebuilt once all are read.
        audits: dict[str, list[tuple[int, dict[str, Any]]]] = {}
        # The incremental ticket events among them, read as audits: who is an agent is known
        # only by what the stream shows they did.
        streamed: list[dict[str, Any]] = []
        # Gorgias' messages saved without their tickets, by ticket; Zammad's articles so.
        messages: dict[str, list[tuple[int, dict[str, Any]]]] = {}
        articles: dict[str, list[tuple[int, dict[str, Any]]]] = {}
        # The help desk's own address (`--workspace`), for links: Gorgias', Zammad's.
        desk_site = workspace_site(options)

        def handle(row: tuple[int, Any]) -> None:
            line, ticket = row
            if is_audit(ticket):
                audits.setdefault(str(ticket["ticket_id"]), []).append((line, ticket))
                return
            if is_ticket_event(ticket):
                # The incremental ticket events: each one an audit of its ticket.
                if (missing := missing_comments(ticket)) is not None:
                    output.errors.append(RowError(line, "child_events", missing))
                    return
                streamed.append(as_audit(ticket))
                audits.setdefault(str(ticket["ticket_id"]), []).append((line, streamed[-1]))
                return
            if is_gorgias_message(ticket):
                messages.setdefault(str(ticket["ticket_id"]), []).append((line, ticket))
                return
            if is_zammad_article(ticket):
                articles.setdefault(str(ticket["ticket_id"]), []).append((line, ticket))
                return
            if is_zammad_answer(ticket):
                # A Zammad ticket asked for whole, or a search: its tickets and articles by id.
                if (missing := missing_articles(ticket)) is not None:
                    output.errors.append(RowError(line, "assets", missing))
                    return
                for found in zammad_tickets(ticket, desk_site):
                    if found is None:
                        output.skipped_rows += 1  # no article with words: none saved
                    else:
                        take(line, found)
                return
            if isinstance(ticket, dict) and ticket.get("result_type", "ticket") != "ticket":
                # The Search API's `results` mix users and organizations among the tickets.
                output.skipped_rows += 1
                return
            if is_servicenow_case(ticket):
                ticket = servicenow_ticket(ticket, desk_site, options)
            elif is_community_post(ticket):
                ticket = post_ticket(ticket, users)  # a Help Center community post
            elif is_help_center_comment(ticket):
                ticket = comment_ticket(ticket, users, titles, options)
            elif is_jira_issue(ticket):
                ticket = jira_ticket(ticket)
            elif is_sdp_request(ticket):
                ticket = sdp_ticket(ticket, output.warnings)
            elif is_zoho_ticket(ticket):
                ticket = zoho_ticket(ticket)
            elif is_pylon_issue(ticket):
                ticket = pylon_ticket(ticket)
            elif is_gorgias_ticket(ticket):
                if (missing := missing_messages(ticket)) is not None:
                    output.errors.append(RowError(line, "messages", missing))
                    return
                ticket = gorgias_ticket(ticket, desk_site)
                if ticket is None:
                    output.skipped_rows += 1  # only images or files: no one's words
                    return
            elif isinstance(ticket, dict) and ticket.get("score") in _RATED:
                if not as_text(ticket.get("comment")):
                    # A score alone, or a survey sent and not answered: no words.
                    output.skipped_rows += 1
                    return
                ticket = _rating_ticket(ticket)
            if isinstance(ticket, dict) and (rated := rating_ticket(ticket)) is not None:
                # The customer's verdict with words, embedded in the ticket: an item of its own.
                take(line, ticket)
                ticket = _rating_ticket(rated)
            take(line, ticket)

        def take(line: int, ticket: Any) -> None:
            found = self.ticket(line, ticket, users, organizations, options, output.errors)
            deleted = isinstance(ticket, dict) and (
                ticket.get("status") == "deleted" or ticket.get("deleted") is True
            )
            if found is not None and found[1] is None and deleted:
                # An incremental export keeps deleted tickets: someone removed it (noise that
                # was deleted is still counted as what it is).
                output.skipped_rows += 1
                return
            if found is not None:
                output.take(found[0], found[1], options)

        run_rows(output, tickets, handle)
        if not output.errors and json_shape(path, _LIST_KEYS, options.encoding) == "object":
            # The suspended-tickets queue a script saved beside the tickets.
            run_rows(output, lambda: suspended(path, options.encoding), lambda row: take(*row))
        for ticket_id, held in messages.items():
            whole = gorgias_ticket(ticket_of_messages(ticket_id, [m for _, m in held]), desk_site)
            if whole is None:
                output.skipped_rows += 1
            else:
                take(held[0][0], whole)
        for ticket_id, held in articles.items():
            opened = ticket_of_articles(ticket_id, [a for _, a in held])
            whole = zammad_ticket(opened, [a for _, a in held], {}, {}, None, desk_site)
            if whole is None:
                output.skipped_rows += 1
            else:
                take(held[0][0], whole)
        for agent in agents_of(streamed):
            users.setdefault(agent, {"id": agent, "role": "agent"})
        site = side_loaded_site(users, organizations)
        for ticket_id, held in audits.items():
            rebuilt = audit_ticket(ticket_id, held, users, site)
            if rebuilt is None:
                output.skipped_rows += 1
            else:
                take(*rebuilt)
        return output

    @staticmethod
    def ticket(
        line: int,
        ticket: Any,
        users: dict[str, dict[str, Any]],
        organizations: dict[str, dict[str, Any]],
        options: ConnectorOptions,
        errors: list[RowError],
    ) -> tuple[FeedbackRecord, str | None] | None:
        """The ticket's first customer message, and why it is noise (None when it is not)."""
        if not isinstance(ticket, dict):
            errors.append(RowError(line, None, "a ticket must be a JSON object"))
            return None
        ticket_id = as_text(ticket.get("id"))
        label = f"ticket {ticket_id}" if ticket_id else "a ticket"
        if ticket_id is None:
            errors.append(RowError(line, "id", f"{label} has no id"))
            return None
        requester = ticket.get("requester")
        if not isinstance(requester, dict):
            requester = users.get(str(ticket.get("requester_id"))) or _flat(ticket, "requester")
        # (Freshdesk's API gives `description_text` beside its HTML `description`.)
        body = ticket.get("description") or ticket.get("description_text")
        if not body:
            # The requester's first comment; agents' replies and internal notes are not theirs.
            requester_id = str(requester.get("id") or ticket.get("requester_id") or "")
            comments = [c for c in ticket.get("comments") or [] if isinstance(c, dict)]
            theirs = [c for c in comments if str(c.get("author_id")) == requester_id]
            body = next((c.get("html_body") or c.get("body") for c in theirs or comments[:1]), None)
        name = as_text(requester.get("name"))
        words = ticket.get("_words")
        if isinstance(words, tuple):
            text, signature = words  # each message already cut on its own (Gorgias')
        else:
            # A messaging ticket's body is the chat: the requester's lines, not the bot's or
            # ours. The lines under their sign-off: the company a personal address (gmail.com)
            # writes for is known by them.
            said = customer_lines(html_to_text(str(body)), name) if body else ""
            text, signature = split_signature(said, name or "") if said else ("", "")
            text = without_follow_up_line(text, ticket)
        if not text:
            errors.append(RowError(line, "description", f"{label} has no description"))
            return None
        created = ticket.get("created_at")
        try:
            occurred_at = parse_when(created) if created is not None else None
        except ValueError as error:
            errors.append(RowError(line, "created_at", f"{label}: {error}"))
            return None
        if occurred_at is None:
            errors.append(RowError(line, "created_at", f"{label} has no created_at"))
            return None
        # Without side-loaded users, the address a mail ticket came from.
        source = dict_at(dict_at(dict_at(ticket, "via"), "source"), "from")
        email = as_text(requester.get("email") or source.get("address"))
        name = name or as_text(source.get("name"))
        tags = tags_from(ticket.get("tags"))
        for field_name in ("priority", "type", "status"):
            if ticket.get(field_name):
                tags.append(f"{field_name}:{str(ticket[field_name]).lower()}")
        # Freshdesk's API side-loads the ticket's company as `company`.
        organization = ticket.get("organization") or ticket.get("company")
        if not isinstance(organization, dict) or not organization:
            organization = organizations.get(str(ticket.get("organization_id"))) or _flat(
                ticket, "organization"
            )
        title = as_text(ticket.get("subject") or ticket.get("raw_subject"))
        reason = "spam" if ticket.get("spam") is True else ticket.get("_verdict")
        reason = reason or ("bot" if ticket.get("_by_app") else None)
        reason = reason or noise_reason(text, title, email=email, name=name, options=options)
        if reason in (None, "internal") and _by_integration(ticket, requester, options):
            reason = "bot"
        if reason is None and _sample_ticket(ticket, title):
            reason = "test"  # the example Zendesk puts in every new account: no customer's
        submitter = users.get(str(ticket.get("submitter_id"))) or _flat(ticket, "submitter")
        submitted_by = ticket.get("submitter_id") or submitter.get("email")
        if (
            reason is None
            and submitted_by not in (None, ticket.get("requester_id") or requester.get("email"))
            and (
                submitter.get("role") in {"agent", "admin"}
                or is_staff(as_text(submitter.get("email")), None, options)
            )
        ):
            reason = "staff"  # an agent opened it: the words are ours, not the customer's
        elif reason is None and (opened_for_customer(text) or ticket.get("source") == 10):
            reason = "staff"  # (Freshdesk's source 10: an Outbound Email one of ours sent)
        record = FeedbackRecord(
            line=line,
            text=text,
            source=pick_source(options, "ticket"),
            occurred_at=occurred_at,
            external_id=ticket_id,
            title=title,
            link_url=_agent_link(ticket),
            account_ref=as_text(organization.get("name")),
            # An organisation named otherwise than its account ("Globex Europe B.V."): its
            # CRM id, then its domains.
            account_aliases=tuple(
                ref
                for ref in (
                    as_text(organization.get("external_id")),
                    *(as_text(d) for d in organization.get("domain_names") or []),
                )
                if ref
            ),
            contact_email=email.lower() if email and "@" in email else None,
            contact_name=name,
            team="support",
            tags=sorted(set(tags)),
            mentions=(signature,) if signature else (),
        )
        return record, reason


connector = ZendeskConnector()
