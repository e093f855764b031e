"""Chat and help-desk conversations as their tools' APIs give them: what the customer wrote,
one evidence item per conversation.

Accepted: Intercom's `{"type": "conversation.list", "conversations": [...]}` (pages can be
concatenated into one array), a bare array of conversations, one conversation per line, or a
log of webhook deliveries (`notification_event` lines, a conversation's parts gathered).
Also read, by their own shapes: Help Scout's Mailbox API v2 (`{"_embedded":
{"conversations": [...]}}`, each with its `_embedded.threads`, newest first:
`connectors/helpscout.py`) and a Crisp dump
(sessions with `session_id`, `meta` and `messages`, times in Unix milliseconds; or the
messages alone, gathered by session: `connectors/crisp.py`); Zendesk Chat's (the old Zopim)
`GET /api/v2/chats` (`{"chats": [...]}`: a chat's `history` of events, an offline message's
`message`: `connectors/zendesk_chat.py`); Drift's
Conversations API (conversations with `contactId`, their messages and contact nested, or the
messages alone, gathered by `conversationId`: `connectors/drift.py`); Freshchat's API v2
(conversations with `conversation_id`, their messages and user nested:
`connectors/freshchat.py`); LiveChat's `list_archives` (`{"chats": [...]}`, each with its
`users` and `thread` of events: `connectors/livechat.py`); Dixa's message export (a flat array
of messages, gathered by their conversation's `csid`: `connectors/dixa.py`); LivePerson's
Messaging Interactions API (`{"conversationHistoryRecords": [...]}`: `connectors/liveperson.py`);
Chatwoot's conversations (`{"data": {"payload": [...]}}`, each with its `messages`, or the
messages alone, gathered by conversation: `connectors/chatwoot.py`); Zendesk Sunshine
Conversations' messages (a page of one conversation, or webhook deliveries gathered by
conversation: `connectors/sunco.py`); Olark's webhook transcripts (`{"kind": "Conversation",
"items", "visitor", "operators"}`, or the `data` form field they were posted in:
`connectors/olark.py`); tawk.to's webhook deliveries (`chat:transcript_created`, `chat:start`,
`ticket:create`: each chat once, however many deliveries hold it: `connectors/tawkto.py`);
HubSpot's Conversations inbox (threads with their messages, or both answers saved together:
`connectors/hubspot_inbox.py`); JivoChat's webhook deliveries (`chat_finished`,
`offline_message`: `connectors/jivochat.py`); Re:amaze's messages API (`{"messages": [...]}`,
each message with its conversation nested, gathered by the conversation's slug) or
conversations API (`{"conversations": [...]}`: `connectors/reamaze.py`).

The customer's words are every message a customer wrote, oldest first (Intercom's opening
message when a user or lead wrote it, then its comment parts; Help Scout's customer threads;
Crisp's visitor's text messages, not the topic they picked from the chatbot's menu; Zendesk
Chat's visitor's messages and the comment left with a rating, not a trigger's welcome;
Drift's contact's chat messages, not the playbook button they clicked; not an Intercom quick
reply, a button the visitor pressed). The
team's replies and notes and a bot's messages are left out, and a conversation only the team
or a bot wrote (an announcement nobody answered) is left out as internal or bot (as a test when
it says it is one: a teammate trying the chat widget), counted in the summary. The account is
the company the tool names (a Help Scout custom field named Company, Crisp's
`meta.data.company`, a Drift contact's company attribute; Intercom's conversation `company`, or
the company of its customer in the `contacts` and `companies` a script saved beside the page:
`connectors/intercom_people.py`), else the customer's email; with an email at a public mail
provider (or none), a known account the customer's display name names (a tawk.to visitor's
"Beth (Vandelay Imports)"). A conversation the tool filed as spam is left out as spam. The link
is the conversation in the tool's inbox (for Intercom when the workspace's app id is known: the
record's `app_id`, or `--map app_id=<id>`).
"""

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from huddle.connectors import jivochat
from huddle.connectors.base import ConnectorOptions, ConnectorOutput
from huddle.connectors.cell_text import html_to_text
from huddle.connectors.chat_messages import thanks_alone
from huddle.connectors.chatwoot import (
    CLOUD,
    Gathered,
    from_chatwoot,
    gather,
    is_chatwoot,
    is_chatwoot_message,
)
from huddle.connectors.common import pick_source, run_rows, workspace_site
from huddle.connectors.conversations import CUSTOMER_AUTHORS, Conversation, Said, tag_names
from huddle.connectors.crisp import from_crisp, is_crisp_message
from huddle.connectors.dixa import dixa_conversation_id, from_dixa, is_dixa_message
from huddle.connectors.drift import drift_conversation, drift_messages, from_drift, messages_alone
from huddle.connectors.export_dates import parse_when
from huddle.connectors.freshchat import freshchat_messages, from_freshchat, is_freshchat
from huddle.connectors.helpscout import from_help_scout
from huddle.connectors.hubspot_inbox import Gathered as HubspotGathered
from huddle.connectors.hubspot_inbox import conversations as hubspot_conversations
from huddle.connectors.hubspot_inbox import gather as gather_hubspot
from huddle.connectors.hubspot_inbox import pages as hubspot_pages
from huddle.connectors.intercom_people import Company, companies_of_contacts, conversation_company
from huddle.connectors.json_reading import first_bytes, iter_json_records, json_records_at
from huddle.connectors.livechat import from_livechat, is_livechat
from huddle.connectors.liveperson import LIST_KEY as LIVEPERSON_LIST
from huddle.connectors.liveperson import from_liveperson, is_liveperson
from huddle.connectors.noise import names_us, noise_reason, says_nothing, says_test
from huddle.connectors.olark import from_olark, olark_payload
from huddle.connectors.reamaze import Gathered as ReamazeGathered
from huddle.connectors.reamaze import from_reamaze, page_prefix
from huddle.connectors.reamaze import gather as gather_reamaze
from huddle.connectors.record_values import as_text, dict_at
from huddle.connectors.replies import strip_replies
from huddle.connectors.sunco import Gathered as SuncoGathered
from huddle.connectors.sunco import from_sunco, sunco_prefix
from huddle.connectors.sunco import gather as gather_sunco
from huddle.connectors.tawkto import Gathered as TawktoGathered
from huddle.connectors.tawkto import from_tawkto, is_tawkto
from huddle.connectors.tawkto import gather as gather_tawkto
from huddle.connectors.zendesk_chat import from_zendesk_chat, is_zendesk_chat
from huddle.imports.records import FeedbackRecord, RowError


def _parts(conversation: dict[str, Any]) -> list[dict[str, Any]]:
    holder = conversation.get("conversation_parts")
    parts = holder.get("conversation_parts") if isinstance(holder, dict) else holder
    return [p for p in parts or [] if isinstance(p, dict)]


def _when_made(part: dict[str, Any]) -> float:
    made = part.get("created_at")
    return float(made) if isinstance(made, int | float) else 0.0


def _page_of(record: dict[str, Any]) -> list[Any] | None:
    """The conversations of an API page saved whole inside an array or a line (Intercom's
    `conversation.list`, Help Scout's HAL page, Chatwoot's `data.payload`), or None when the
    record is not a page."""
    for holder in (record, dict_at(record, "_embedded"), dict_at(record, "data")):
        for key in ("conversations", "chats", "payload"):
            conversations = holder.get(key)
            if isinstance(conversations, list):
                return conversations
    return None


class IntercomConnector:
    name = "intercom"
    description = (
        "Intercom conversations (API JSON; also Help Scout's, Crisp's, Zendesk Chat's, "
        "Drift's, Freshchat's, LiveChat's, Dixa's, LivePerson's, Chatwoot's, Sunshine "
        "Conversations', Olark's, tawk.to's, HubSpot's inbox, JivoChat's and Re:amaze's): the "
        "customer's messages as evidence."
    )
    suffixes = (".json", ".jsonl", ".ndjson")

    def read(self, path: Path, options: ConnectorOptions) -> ConnectorOutput:
        output = ConnectorOutput()
        app_id = options.mapping.get("app_id")
        # Intercom's contacts and their companies, when a script saved them beside the page.
        people = companies_of_contacts(path, options.encoding)

        # A webhook log: each delivery carries the conversation with only its newest part,
        # the same conversation on several lines. Its parts are gathered by conversation
        # (one conversation's parts are held until the log ends) and read once at the end.
        # Crisp's messages saved without their sessions are gathered by session the same way.
        hooked: dict[str, tuple[int, dict[str, Any], dict[str, dict[str, Any]]]] = {}
        chatted: dict[str, tuple[int, list[dict[str, Any]]]] = {}
        drifted: dict[str, tuple[int, list[dict[str, Any]]]] = {}
        dixa: dict[str, tuple[int, list[dict[str, Any]]]] = {}
        # Chatwoot's conversations and messages, each message once, whichever the file holds.
        chatwoot: Gathered = {}
        # Sunshine Conversations' messages by conversation (a page saved alone: the file's).
        sunco: SuncoGathered = {}
        # tawk.to's webhook deliveries by chat (a retried one logged twice: its chat once).
        tawkto: TawktoGathered = {}
        # HubSpot's inbox threads and their messages, however the file holds them.
        hubspot: HubspotGathered = {}
        # JivoChat's webhook deliveries by chat (a retried one: its chat once).
        jivo: jivochat.Gathered = {}
        # Re:amaze's messages by their conversation's slug (each message once).
        reamaze: ReamazeGathered = {}

        def handle(row: tuple[int, Any]) -> None:
            line, record = row
            page = _page_of(record) if isinstance(record, dict) else None
            if page is not None:
                for conversation in page:
                    one(line, conversation)
            else:
                one(line, record)

        def one(line: int, record: Any) -> None:
            if isinstance(record, dict) and record.get("type") == "notification_event":
                item = dict_at(dict_at(record, "data"), "item")
                if item.get("type") != "conversation" or item.get("id") is None:
                    output.skipped_rows += 1  # a ping, a new lead: not a conversation
                    return
                _, _, parts = hooked.setdefault(str(item["id"]), (line, item, {}))
                for part in _parts(item):
                    parts.setdefault(str(part.get("id") or len(parts)), part)
                return
            if jivochat.is_jivochat(record):
                if not jivochat.gather(jivo, line, record):
                    output.skipped_rows += 1  # a chat taken, a contact updated: no words
                return
            if gather_sunco(sunco, line, record, path.stem):
                return
            if is_tawkto(record):
                gather_tawkto(tawkto, line, record)
                return
            if gather_hubspot(hubspot, line, record):
                return
            if is_crisp_message(record):
                chatted.setdefault(str(record["session_id"]), (line, []))[1].append(record)
                return
            if is_chatwoot_message(record) or (
                isinstance(record, dict) and is_chatwoot(record) and as_text(record.get("id"))
            ):
                gather(chatwoot, line, record)
                return
            if is_dixa_message(record):
                dixa.setdefault(dixa_conversation_id(record), (line, []))[1].append(record)
                return
            if gather_reamaze(reamaze, line, record, path.stem):
                return
            alone = messages_alone(record) if isinstance(record, dict) else None
            if alone is not None:
                for message in alone:
                    drifted.setdefault(str(message["conversationId"]), (line, []))[1].append(
                        message
                    )
                return
            take(line, _conversation(line, record, app_id, output.errors, people))

        def take(line: int, conversation: Conversation | None) -> None:
            found = _evidence(line, conversation, options, output.errors) if conversation else None
            if found is not None and found[1] is None and says_nothing(found[0].text):
                output.skipped_rows += 1  # the visitor only said hello
            elif found is not None:
                output.take(found[0], found[1], options)

        def records() -> Iterator[tuple[int, Any]]:
            # A Sunco page or webhook delivery saved whole: its messages (or events) one by one.
            head = first_bytes(path, options.encoding)
            # Re:amaze's page of messages saved whole: its messages one by one too (a
            # conversation or message fetched alone: the whole document, prefix "").
            prefix = sunco_prefix(head) or page_prefix(head)
            if prefix is not None:
                return json_records_at(path, prefix, encoding=options.encoding, what="a message")
            threads = hubspot_pages(path, options.encoding)  # an inbox answer saved alone
            if threads is not None:
                return threads
            return iter_json_records(
                path,
                list_keys=("conversations", "data", "chats", LIVEPERSON_LIST, "payload"),
                encoding=options.encoding,
                what="a conversation",
            )

        run_rows(output, records, handle)
        for line, item, parts in hooked.values():
            whole = {**item, "conversation_parts": sorted(parts.values(), key=_when_made)}
            take(line, _from_intercom(whole, app_id, people))
        for session_id, (line, messages) in chatted.items():
            take(line, from_crisp({"session_id": session_id, "messages": messages}))
        for conversation_id, (line, messages) in drifted.items():
            take(line, from_drift({"id": conversation_id}, messages))
        for conversation_id, (line, messages) in dixa.items():
            take(line, from_dixa(conversation_id, messages))
        site = workspace_site(options) or CLOUD
        for line, conversation, held in chatwoot.values():
            take(line, from_chatwoot(conversation, list(held.values()), site))
        for line, conversation, held in sunco.values():
            take(line, from_sunco(conversation, list(held.values())))
        for slug, thread in reamaze.items():
            take(thread.line, from_reamaze(slug, thread))
        for chat_id, chat in tawkto.items():
            take(chat.line, from_tawkto(chat_id, chat))
        saved_at = int(path.stat().st_mtime) if jivo else 0  # dates what the log does not
        for key, event in jivo.items():
            take(event.line, jivochat.from_jivochat(key, event, saved_at))
        portal = options.mapping.get("portal_id")
        for line, found in hubspot_conversations(hubspot, portal, output.errors):
            take(line, found)
        return output


def _conversation(
    line: int,
    record: Any,
    app_id: str | None,
    errors: list[RowError],
    people: dict[str, Company],
) -> Conversation | None:
    """The conversation a record holds, read by its tool's shape; None (and an error naming
    the line) when it cannot be read."""
    if not isinstance(record, dict):
        errors.append(RowError(line, None, "a conversation must be a JSON object"))
        return None
    olark = olark_payload(record)
    if olark is not None and as_text(olark.get("id")) is None:
        errors.append(RowError(line, "id", "an Olark chat has no id"))
        return None
    if olark is not None:
        return from_olark(olark)
    if "session_id" in record:
        if not isinstance(record.get("messages"), list):
            errors.append(
                RowError(
                    line,
                    "messages",
                    f"Crisp session {record['session_id']} has no messages: save each "
                    "conversation's messages in its `messages`",
                )
            )
            return None
        return from_crisp(record)
    drift = drift_conversation(record)
    if drift is not None and as_text(drift.get("id")) is not None:
        messages = drift_messages(drift)
        if messages is None:
            errors.append(
                RowError(
                    line,
                    "messages",
                    f"Drift conversation {drift['id']} has no messages: save each "
                    "conversation's messages (GET /conversations/{id}/messages) in its `messages`",
                )
            )
            return None
        return from_drift(drift, messages)
    if is_freshchat(record) and as_text(record.get("conversation_id")) is not None:
        messages = freshchat_messages(record)
        if messages is None:
            errors.append(
                RowError(
                    line,
                    "messages",
                    f"Freshchat conversation {record['conversation_id']} has no messages: save "
                    "each conversation's messages (GET /v2/conversations/{id}/messages) in its "
                    "`messages`",
                )
            )
            return None
        return from_freshchat(record, messages)
    if is_liveperson(record):
        return from_liveperson(record)
    if as_text(record.get("id")) is None:
        errors.append(RowError(line, "id", "a conversation has no id"))
        return None
    if is_livechat(record):
        return from_livechat(record)
    if is_zendesk_chat(record):
        return from_zendesk_chat(record)
    if "mailboxId" in record or "threads" in dict_at(record, "_embedded"):
        return from_help_scout(record)
    return _from_intercom(record, app_id, people)


# Parts a customer is the author of that are not their words: a button they pressed (a bot's
# quick reply, "That helped 👍"), an attribute a workflow collected.
_NOT_WORDS = {"quick_reply", "attribute_collected", "conversation_attribute_updated_by_user"}


def _from_intercom(
    conversation: dict[str, Any], app_id: str | None, people: dict[str, Company]
) -> Conversation:
    conversation_id = str(conversation.get("id"))
    source = dict_at(conversation, "source")
    parts = [p for p in _parts(conversation) if p.get("part_type") not in _NOT_WORDS]

    def said(message: dict[str, Any]) -> Said:
        author = dict_at(message, "author")
        kind = author.get("type")
        return Said(
            who="customer" if kind in CUSTOMER_AUTHORS else "bot" if kind == "bot" else "team",
            text=html_to_text(str(message.get("body") or "")),
            name=as_text(author.get("name")),
            email=as_text(author.get("email")),
        )

    tags = tag_names(conversation)
    if conversation.get("priority") == "priority":
        tags.append("priority")
    app = app_id or as_text(conversation.get("app_id"))
    customer_ids = [
        str(author["id"])
        for message in (source, *parts)
        if (author := dict_at(message, "author")).get("type") in CUSTOMER_AUTHORS
        and author.get("id") is not None
    ]
    company = conversation_company(conversation, customer_ids, people)
    return Conversation(
        id=conversation_id,
        created_at=conversation.get("created_at"),
        when_field="created_at",
        when_form="Unix seconds",
        # The opening message, even without words: a conversation opened by the team and
        # carried on only by the team is the team's.
        said=[said(source), *(said(part) for part in parts)],
        title=as_text(conversation.get("title") or source.get("subject")),
        link=(
            f"https://app.intercom.com/a/apps/{app}/inbox/inbox/conversation/{conversation_id}"
            if app
            else None
        ),
        tags=tags,
        company=company.name if company else None,
        company_aliases=company.aliases if company else (),
    )


def _evidence(
    line: int, conversation: Conversation, options: ConnectorOptions, errors: list[RowError]
) -> tuple[FeedbackRecord, str | None] | None:
    """The customer's words in a conversation, and why they are noise (None if not)."""
    label = f"conversation {conversation.id}"
    theirs = [m for m in conversation.said if m.who == "customer" and m.text]
    # A message that only thanks ("thanks!" as the chat ends) says nothing, unless it is all.
    theirs = [m for m in theirs if not thanks_alone(m.text)] or theirs
    text = "\n\n".join(t for m in theirs if (t := strip_replies(m.text, m.name or "")))
    customer = theirs[0] if theirs else None
    team_only: str | None = None
    if not text:
        # Started by the team (an announcement, a bot's message) and never answered: no
        # evidence, but counted as left out, so the summary says what was skipped.
        opening = conversation.said[0] if conversation.said else None
        if opening is None or not opening.text:
            return None
        # A teammate trying the widget ("testing the chat colours, please ignore"): a test.
        team_only = (
            "bot" if opening.who == "bot" else "test" if says_test(opening.text) else "internal"
        )
        text, customer = opening.text, opening
    try:
        occurred_at: datetime = parse_when(conversation.created_at)
    except (ValueError, TypeError, OSError, OverflowError):
        errors.append(
            RowError(
                line,
                conversation.when_field,
                f"{label}: no readable {conversation.when_field} ({conversation.when_form})",
            )
        )
        return None
    email = customer.email if customer else None
    name = customer.name if customer else None
    reason = (
        team_only
        or conversation.verdict
        or noise_reason(text, conversation.title, email=email, name=name, options=options)
    )
    company = conversation.company
    record = FeedbackRecord(
        line=line,
        text=text,
        source=pick_source(options, conversation.source),
        occurred_at=occurred_at,
        external_id=conversation.id,
        title=conversation.title,
        link_url=conversation.link,
        account_ref=company if company and not names_us(company, options) else None,
        account_aliases=conversation.company_aliases if company else (),
        mentions=conversation.mentions,
        contact_email=email.lower() if email and "@" in email else None,
        contact_name=name,
        team="support",
        tags=sorted(set(conversation.tags)),
    )
    return record, reason


connector = IntercomConnector()
