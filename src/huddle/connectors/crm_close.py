"""Close's lead export in JSON (Settings > Export > Leads, JSON, with activities; the API's
`export/lead/`), read through the `hubspot` connector by a team whose CRM has none of its own.

The download is one JSON array of leads (JSON lines and an API page's `data` are read too).
A lead is a company: its `display_name` (or `name`) is the account, its website (`url`) and
its contacts' email domains other references to the same account, so a lead named otherwise
than the account Huddle knows is still found by its domain; a lead no account answers to is
listed as unknown. Each lead's `activities` are read by their `_type`:

- `Note`, and a `Call`'s or a `Meeting`'s notes: the team's account of what the customer said,
  evidence as a CRM note is (a test, or what a tool logged, is left out);
- an `Email` (also inside an `EmailThread`), an `SMS` or a `WhatsAppMessage` that came in: the
  customer's words, without the mail they quote; one that went out is the team's (`internal`),
  or a sequence's (`bot`);
- `Created`, `LeadStatusChange`, `OpportunityStatusChange`, `TaskCompleted` and the like carry
  no words and are skipped, as are a call with no notes and a meeting without the team's notes.

A lead whose name says it is a test ("Test Lead (ignore)") has only tests for activities.
"""

import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from huddle.connectors.base import ConnectorOptions, ConnectorOutput
from huddle.connectors.cell_text import html_to_text
from huddle.connectors.common import pick_source, run_rows
from huddle.connectors.crm_note_noise import note_noise
from huddle.connectors.email_addresses import domain_of, domain_of_site, email_in
from huddle.connectors.export_dates import parse_when
from huddle.connectors.json_reading import first_record, iter_json_records
from huddle.connectors.noise import noise_reason, test_submission
from huddle.connectors.record_values import as_text, dict_at
from huddle.connectors.replies import strip_replies
from huddle.imports.fields import normalise
from huddle.imports.records import FeedbackRecord, RowError

# What Close's leads are found under: the export's array, an API page's `data`.
_LIST_KEYS = ("data", "leads")
# The fields of a lead no other JSON a CRM connector is given has together.
_LEAD_KEYS = {"display_name", "activities", "contacts", "status_label", "html_url"}
# A lead the team made to try Close out: "Test Lead (ignore)", "ZZ Test Account".
_TEST_LEAD = re.compile(
    r"\b(test|dummy|sample|fake)\s+(lead|account|company|customer|record|org(anization)?)\b|"
    r"\(\s*(test|ignore|do not use)\s*\)|\bdo not use\b",
    re.IGNORECASE,
)
# An email, a text or a WhatsApp message the customer sent (Close writes "incoming" for mail
# and "inbound" for texts and calls).
_INCOMING = {"incoming", "inbound"}
# A mail or text a sequence (Close's workflows) or a bulk send made: no one wrote it.
_AUTOMATED = ("sequence_id", "sequence_subscription_id", "sequence_name", "bulk_email_action_id")


def is_close(path: Path, encoding: str) -> bool:
    """Whether the JSON file is Close's lead export (its first record a lead)."""
    lead = first_record(path, _LIST_KEYS, encoding)
    return lead is not None and bool(_LEAD_KEYS & lead.keys())


def read_close(path: Path, options: ConnectorOptions) -> ConnectorOutput:
    output = ConnectorOutput()

    def handle(row: tuple[int, Any]) -> None:
        line, lead = row
        if output.errors:
            return  # a file already refused: its first record not a lead says enough
        if not isinstance(lead, dict) or not (_LEAD_KEYS & lead.keys()):
            output.errors.append(
                RowError(
                    line,
                    None,
                    f"{path.name} is JSON but not Close's lead export (each lead with "
                    "`display_name` and `activities`); hubspot reads HubSpot's CSV exports of "
                    "companies or notes, and Close's JSON lead export",
                )
            )
            return
        _read_lead(line, lead, options, output)

    run_rows(
        output,
        lambda: iter_json_records(
            path, list_keys=_LIST_KEYS, encoding=options.encoding, what="a lead"
        ),
        handle,
    )
    if output.rows_read and not (output.feedback or output.left_out or output.skipped_rows):
        # Exported without activities: the leads alone hold no one's words.
        output.warnings.append(
            RowError(1, "activities", "the leads carry no activities: export them with activities")
        )
    return output


def _read_lead(
    line: int, lead: dict[str, Any], options: ConnectorOptions, output: ConnectorOutput
) -> None:
    name = as_text(lead.get("display_name")) or as_text(lead.get("name"))
    site = as_text(lead.get("url"))
    contacts = _contacts(lead)
    # The lead's website, then its people's mail domains: the account by another reference.
    domains = [domain_of_site(site).lower()] if site else []
    domains += [d for email, _ in contacts.values() if (d := domain_of(email))]
    domains = [d for d in domains if "." in d and d not in options.internal_domains]
    references = list(dict.fromkeys(r for r in [name, *domains] if r))
    account = references[0] if references else None
    test_lead = name is not None and _test_lead(name)
    link = as_text(lead.get("html_url")) or (
        f"https://app.close.com/lead/{lead['id']}/" if as_text(lead.get("id")) else None
    )
    seen: set[str] = set()
    for activity in _activities(lead):
        key = as_text(activity.get("id"))
        if key is not None and key in seen:
            continue  # an email read once already, inside its thread
        seen.add(key or str(id(activity)))
        found = _evidence(line, activity, contacts, options, output)
        if found is None:
            output.skipped_rows += 1  # a status change, a creation: no one's words
            continue
        record, reason = found
        record.account_ref = account
        record.account_aliases = tuple(references[1:])
        record.link_url = link
        output.take(record, "test" if test_lead else reason, options)


def _test_lead(name: str) -> bool:
    """A lead named as a test ("Test Lead (ignore)"), or only a test word ("asdf"); not a
    company whose name starts with one ("Test Kitchen Foods")."""
    return bool(_TEST_LEAD.search(name)) or (len(name.split()) == 1 and test_submission(name))


def _contacts(lead: dict[str, Any]) -> dict[str, tuple[str | None, str | None]]:
    """Each contact's id -> (first email, name)."""
    found: dict[str, tuple[str | None, str | None]] = {}
    for contact in lead.get("contacts") or []:
        if not isinstance(contact, dict) or as_text(contact.get("id")) is None:
            continue
        emails = [e for e in contact.get("emails") or [] if isinstance(e, dict)]
        email = next((email_in(str(e.get("email"))) for e in emails if e.get("email")), None)
        found[str(contact["id"])] = (email, as_text(contact.get("name")))
    return found


def _activities(lead: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The lead's activities, an email thread's emails in its place."""
    for activity in lead.get("activities") or []:
        if not isinstance(activity, dict):
            continue
        if activity.get("_type") == "EmailThread" and isinstance(activity.get("emails"), list):
            yield from (e for e in activity["emails"] if isinstance(e, dict))
        else:
            yield activity


def _evidence(
    line: int,
    activity: dict[str, Any],
    contacts: dict[str, tuple[str | None, str | None]],
    options: ConnectorOptions,
    output: ConnectorOutput,
) -> tuple[FeedbackRecord, str | None] | None:
    """The activity as a record and why it is noise (None: evidence); None when it holds no
    one's words."""
    kind = str(activity.get("_type") or ("Email" if "body_text" in activity else ""))
    email, name = contacts.get(str(activity.get("contact_id") or ""), (None, None))
    if kind in {"Note", "Call", "Meeting"}:
        text = _rich(activity, "note") or _rich(activity, "user_note")
        if text is None:
            return None  # a call with no notes, a meeting that is only its invitation
        title = as_text(activity.get("title")) or (
            f"{kind} with {name}" if kind != "Note" and name else None
        )
        record = _record(line, activity, text, title, kind, "internal", options, output)
        record.contact_email, record.contact_name = email, name
        author = as_text(activity.get("created_by_name")) or as_text(activity.get("user_name"))
        if author:
            record.tags.append(f"author:{normalise(author)}")
        return record, note_noise(text, title, options)
    if kind in {"Email", "SMS", "WhatsAppMessage"}:
        return _message(line, activity, kind, email, name, options, output)
    return None


def _message(
    line: int,
    activity: dict[str, Any],
    kind: str,
    email: str | None,
    name: str | None,
    options: ConnectorOptions,
    output: ConnectorOutput,
) -> tuple[FeedbackRecord, str | None] | None:
    """An email or a text: the customer's words when it came in, the team's or a sequence's
    when it went out."""
    text = (
        _rich(activity, "body")
        if kind == "Email"
        else as_text(activity.get("text")) or as_text(activity.get("message_markdown"))
    )
    if text is None:
        return None
    sender = dict(next(iter(dict_at(activity, "envelope").get("from") or []), None) or {})
    sender_email = email_in(str(sender.get("email") or activity.get("sender") or "")) or email
    sender_name = as_text(sender.get("name")) or name
    came_in = str(activity.get("direction") or "").lower() in _INCOMING
    if came_in and kind == "Email":
        text = strip_replies(text, sender_name or "") or text
    subject = as_text(activity.get("subject"))
    source = "email" if kind == "Email" else "chat"
    record = _record(line, activity, text, subject, kind, source, options, output)
    if came_in:
        record.contact_email, record.contact_name = sender_email, sender_name
        reason = noise_reason(text, subject, email=sender_email, name=sender_name, options=options)
    elif any(activity.get(key) for key in _AUTOMATED):
        reason = "bot"
    else:
        reason = "internal"
    return record, reason


def _rich(activity: dict[str, Any], field: str) -> str | None:
    """A field Close gives as plain text and as HTML (`note`/`note_html`, `body_text`/
    `body_html`): the text, else the HTML read as words."""
    plain = as_text(activity.get(f"{field}_text")) or as_text(activity.get(field))
    marked = as_text(activity.get(f"{field}_html"))
    return plain or (html_to_text(marked) or None if marked else None)


def _record(
    line: int,
    activity: dict[str, Any],
    text: str,
    title: str | None,
    kind: str,
    source: str,
    options: ConnectorOptions,
    output: ConnectorOutput,
) -> FeedbackRecord:
    return FeedbackRecord(
        line=line,
        text=text,
        source=pick_source(options, source),
        occurred_at=_when(line, activity, output),
        external_id=as_text(activity.get("id")),
        title=title,
        team="sales",
        tags=["crm:close", f"activity:{normalise(kind)}"],
    )


def _when(line: int, activity: dict[str, Any], output: ConnectorOutput) -> datetime | None:
    """When it happened (`activity_at`; a mail's `date_sent`), else when Close made it."""
    for key in ("activity_at", "date_sent", "date_created"):
        value = as_text(activity.get(key))
        if value is None:
            continue
        try:
            return parse_when(value)
        except ValueError:
            output.errors.append(RowError(line, key, f"not a date: {value!r}"))
            return None
    return None
