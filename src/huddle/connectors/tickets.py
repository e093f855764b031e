"""A generic tickets CSV: any help desk's export with a subject, a description and a requester.

Columns are recognised by the names help desks use (`Ticket ID`, `Subject`, `Description`,
`Requester email`, `Organization`, `Created at`, `Status`, `Priority`, `Tags`, `URL`, and
`Source`/`Channel`/`Via`, kept as a `channel:` tag like status and priority); name
any other with `--map COLUMN=FIELD`. An `Organization`/`account` column names an account
(external id, domain or name; one Huddle does not know is created or left unattached, as
`--create-accounts` says); otherwise the requester's email domain links it. Auto-replies,
spam, tests and tickets the vendor's own people opened are left out (see `noise`).
"""

import re
from pathlib import Path

from huddle.connectors.base import ConnectorOptions, ConnectorOutput
from huddle.connectors.common import csv_records, export_date, pick_source
from huddle.connectors.email import strip_replies
from huddle.connectors.noise import noise_reason
from huddle.imports.fields import FieldSpec, parse_feedback
from huddle.imports.rows import Row

TICKET_FIELDS = (
    FieldSpec(
        "text",
        ("description", "body", "text", "message", "comment", "first_message", "content"),
        required=True,
    ),
    FieldSpec("title", ("subject", "title", "summary")),
    FieldSpec("external_id", ("ticket_id", "id", "ticket", "ticket_number", "case_number", "key")),
    FieldSpec("link_url", ("url", "link", "ticket_url", "link_url", "permalink")),
    FieldSpec(
        "account",
        (
            "organization",
            "organisation",
            "account",
            "company",
            "account_id",
            "customer",
            # Zoho Desk's "Account Name"; others' "Organization Name", "Company Name".
            "account_name",
            "organization_name",
            "organisation_name",
            "company_name",
            # Help Scout's "Customer Company", Jira Service Management's "Custom field
            # (Organizations)".
            "customer_company",
            "organizations",
            "organisations",
            "custom_field_organizations",
        ),
    ),
    FieldSpec(
        "contact_email",
        ("requester_email", "requester", "email", "customer_email", "contact_email", "from"),
    ),
    FieldSpec(
        "contact_name",
        # Freshdesk's "Full name", Jira's "Reporter".
        ("requester_name", "customer_name", "contact_name", "name", "full_name", "reporter"),
    ),
    FieldSpec(
        "occurred_at",
        (
            "created_at",
            "created",
            "date",
            "opened",
            "opened_at",
            "submitted_at",
            "timestamp",
            # Zoho Desk's "Created Time", "Created On", "Date Created", "Creation Date".
            "created_time",
            "created_on",
            "created_date",
            "date_created",
            "creation_date",
        ),
        required=True,
    ),
    FieldSpec("tags", ("tags", "labels", "tag")),
    # How the ticket came in (Freshdesk's "Source": Portal, Email, Phone; Zendesk's "Via"): a
    # tag, not Huddle's source, which is `ticket` (or --source) for every row of a help desk.
    FieldSpec("channel", ("source", "channel", "via", "channel_kind")),
    FieldSpec("team", ("team",)),
    FieldSpec("submitter_email", ("submitter_email",)),
    FieldSpec("status", ("status", "state")),
    FieldSpec("priority", ("priority", "severity", "urgency")),
)


_ON_BEHALF = re.compile(r"\b(on behalf of|for the customer|customer asked)\b", re.IGNORECASE)
# A chat transcript pasted into a ticket: "Customer: …" and "Agent: …" lines.
_CHAT_LINE = re.compile(
    r"^\s*(customer|visitor|client|user|contact|agent|support|operator|bot|staff)\s*:\s*",
    re.IGNORECASE,
)
_THEIRS = {"customer", "visitor", "client", "user", "contact"}


def customer_lines(text: str) -> str:
    """A chat transcript's customer lines, without their "Customer:" label; any other text
    as it is. A transcript is two or more lines so labelled, one of them the customer's."""
    lines = text.splitlines()
    labelled = [(line, _CHAT_LINE.match(line)) for line in lines]
    roles = [m.group(1).lower() for _, m in labelled if m]
    if len(roles) < 2 or not _THEIRS.intersection(roles):
        return text
    kept: list[str] = []
    speaking = None
    for line, found in labelled:
        if found:
            speaking = found.group(1).lower()
            line = line[found.end() :]
        if speaking is None or speaking in _THEIRS:
            kept.append(line)
    return "\n".join(kept).strip() or text


class TicketsConnector:
    name = "tickets"
    description = "A tickets CSV from any help desk (subject, description, requester, dates)."
    suffixes = (".csv", ".tsv")

    def read(self, path: Path, options: ConnectorOptions) -> ConnectorOutput:
        output = ConnectorOutput()
        source = pick_source(options, "ticket")

        def handle(row: Row, columns: dict[str, str], header: list[str]) -> None:
            record, errors = parse_feedback(
                row.line, row.values, columns, default_source=source, dates=export_date
            )
            if errors or record is None:
                output.errors.extend(errors)
                return
            for name in ("status", "priority", "channel"):
                value = str(row.values.get(columns.get(name, ""), "") or "").strip().lower()
                if value:
                    record.tags = sorted({*record.tags, f"{name}:{value}"})
            record.team = record.team or "support"
            # A ticket opened by replying to the help desk's mail carries the mail it quotes;
            # a chat's transcript carries the agent's lines.
            record.text = customer_lines(record.text)
            record.text = strip_replies(record.text, record.contact_name or "") or record.text
            reason = noise_reason(
                record.text,
                record.title,
                email=record.contact_email,
                name=record.contact_name,
                options=options,
            )
            channel = str(row.values.get(columns.get("channel", ""), "") or "").lower()
            if reason is None and "outbound" in channel:
                reason = "staff"  # the help desk wrote to the customer: our words
            elif reason == "internal" and (record.account_ref or _ON_BEHALF.search(record.text)):
                # One of ours opened it for a customer ("raised on behalf of …"): not an
                # announcement to the team, and still not the customer's own words.
                reason = "staff"
            output.take(record, reason, options)

        csv_records(output, path, options, TICKET_FIELDS, handle)
        return output


connector = TicketsConnector()
