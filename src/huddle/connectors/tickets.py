"""A generic tickets CSV: any help desk's export with a subject, a description and a requester.

Columns are recognised by the names help desks use (`Ticket ID`, `Subject`, `Description`,
`Requester email`, `Organization`, `Created at`, `Status`, `Priority`, `Tags`, `URL`, and
`Source`/`Channel`/`Via`, kept as a `channel:` tag like status and priority); name
any other with `--map COLUMN=FIELD`. An `Organization`/`account` column names an account
(external id, domain or name; one Huddle does not know is created or left unattached, as
`--create-accounts` says); otherwise the requester's email domain links it. Auto-replies,
spam, tests and tickets the vendor's own people opened are left out (see `noise`).
"""

from pathlib import Path

from huddle.connectors.base import ConnectorOptions, ConnectorOutput
from huddle.connectors.common import csv_records, pick_source
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
        ),
    ),
    FieldSpec(
        "contact_email",
        ("requester_email", "requester", "email", "customer_email", "contact_email", "from"),
    ),
    FieldSpec("contact_name", ("requester_name", "customer_name", "contact_name", "name")),
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


class TicketsConnector:
    name = "tickets"
    description = "A tickets CSV from any help desk (subject, description, requester, dates)."
    suffixes = (".csv", ".tsv")

    def read(self, path: Path, options: ConnectorOptions) -> ConnectorOutput:
        output = ConnectorOutput()
        source = pick_source(options, "ticket")

        def handle(row: Row, columns: dict[str, str], header: list[str]) -> None:
            record, errors = parse_feedback(row.line, row.values, columns, default_source=source)
            if errors or record is None:
                output.errors.extend(errors)
                return
            for name in ("status", "priority", "channel"):
                value = str(row.values.get(columns.get(name, ""), "") or "").strip().lower()
                if value:
                    record.tags = sorted({*record.tags, f"{name}:{value}"})
            record.team = record.team or "support"
            # A ticket opened by replying to the help desk's mail carries the mail it quotes.
            record.text = strip_replies(record.text, record.contact_name or "") or record.text
            reason = noise_reason(
                record.text,
                record.title,
                email=record.contact_email,
                name=record.contact_name,
                options=options,
            )
            output.take(record, reason, options)

        csv_records(output, path, options, TICKET_FIELDS, handle)
        return output


connector = TicketsConnector()
