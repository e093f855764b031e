"""What the Salesforce and HubSpot connectors share: accounts with ARR, owner and renewal, and
notes as evidence, read from the CSV exports both tools make.

A file is an **accounts** export when it has an account-name column; each row becomes an
account (matched on the CRM id, so re-imports update), and a notes-like column on the row
(`Notes`, `Pain points`, `Feedback`) becomes evidence on that account. A file is a **notes**
export when it has a note-body column and no account name: each note becomes evidence on the
account its parent id (or company name) names, which must have been imported first.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from huddle.connectors.base import ConnectorOptions, ConnectorOutput
from huddle.connectors.common import csv_records, email_in, pick_source
from huddle.imports.fields import FieldSpec, RowParser, normalise, parse_account, resolve_columns
from huddle.imports.records import FeedbackRecord, RowError
from huddle.imports.rows import Row
from huddle.kit.ids import content_id
from huddle.kit.money import parse_money_to_minor
from huddle.kit.time import parse_datetime, utcnow


@dataclass(frozen=True)
class CrmShape:
    name: str
    account_fields: tuple[FieldSpec, ...]
    note_fields: tuple[FieldSpec, ...]
    # The record's page in the CRM, from its id and the options (`--map portal_id=…`).
    link: Callable[[str, dict[str, str]], str | None]


def crm_status(text: str) -> str:
    """A CRM's type or lifecycle stage as Huddle's status; ValueError for partners and others."""
    value = text.strip().lower()
    if any(word in value for word in ("former", "churn", "cancel", "lost")):
        return "churned"
    if "customer" in value or value in {"evangelist", "client", "active"}:
        return "customer"
    if any(
        word in value
        for word in ("prospect", "lead", "opportunit", "subscriber", "qualified", "trial")
    ):
        return "prospect"
    raise ValueError(f"not a customer status: {text!r}")


def health_at_risk(text: str) -> bool:
    value = text.strip().lower()
    if value in {"red", "poor", "at risk", "at_risk", "critical", "yes", "true", "1", "y"}:
        return True
    if value in {"green", "yellow", "amber", "good", "healthy", "no", "false", "0", "n", ""}:
        return False
    raise ValueError(f"not a health or yes/no: {text!r}")


def _when(row: RowParser, name: str) -> datetime | None:
    value: datetime | None = row.get(name, parse_datetime)
    return value


def read_crm(path: Path, options: ConnectorOptions, shape: CrmShape) -> ConnectorOutput:
    output = ConnectorOutput()
    kind = _kind(path, options, shape)
    source = pick_source(options, "internal")
    specs = shape.account_fields if kind == "accounts" else shape.note_fields

    def handle(row: Row, columns: dict[str, str], header: list[str]) -> None:
        if kind == "accounts":
            _account_row(row, columns, shape, options, source, output)
        else:
            _note_row(row, columns, shape, options, source, output)

    csv_records(output, path, options, specs, handle)
    return output


def _kind(path: Path, options: ConnectorOptions, shape: CrmShape) -> str:
    try:
        with path.open(
            "r", encoding="utf-8-sig" if options.encoding == "utf-8" else options.encoding
        ) as handle:
            first = handle.readline()
    except (UnicodeDecodeError, OSError):
        return "accounts"
    header = [c.strip().strip('"') for c in re.split(r"[,\t]", first)]
    names = resolve_columns(header, shape.account_fields, {}, strict=False)
    notes = resolve_columns(header, shape.note_fields, {}, strict=False)
    if "name" not in names and "text" in notes:
        return "notes"
    return "accounts"


def _account_row(
    row: Row,
    columns: dict[str, str],
    shape: CrmShape,
    options: ConnectorOptions,
    source: str,
    output: ConnectorOutput,
) -> None:
    own = {columns[n] for n in ("status", "at_risk", "arr") if n in columns}
    values = {k: v for k, v in row.values.items() if k not in own | {"status", "at_risk", "arr"}}
    values.update(
        {
            columns[n]: row.values.get(columns[n])
            for n in ("status", "at_risk", "arr")
            if n in columns
        }
    )
    owner_column = columns.get("owner_email")
    if owner_column and values.get(owner_column):
        # CRMs export the owner's name as often as their email; only an email can be matched.
        values[owner_column] = email_in(str(values[owner_column])) or ""
    status_column = columns.get("status")
    parser = RowParser(row.line, values, columns)
    status = parser.get("status", crm_status) if status_column else None
    if parser.errors:  # a partner or "Other" type is not an error: the status stays unset
        parser.errors.clear()
        status = None
    at_risk = parser.get("at_risk", health_at_risk)
    arr = parser.get("arr", parse_money_to_minor)
    # Status, health and ARR were read above in the CRM's own terms; the rest as any account.
    trimmed = {k: v for k, v in columns.items() if k not in {"status", "at_risk", "arr", "mrr"}}
    plain = {k: v for k, v in values.items() if k not in own}
    record, errors = parse_account(row.line, plain, trimmed)
    errors = [*errors, *parser.errors]
    if record is None or errors:
        output.errors.extend(errors)
        return
    record.status, record.at_risk = status, at_risk
    if arr is not None:
        record.arr_minor = arr
    output.accounts.append(record)
    note = parser.get("note")
    if note:
        ref = record.external_id or record.name
        output.feedback.append(
            FeedbackRecord(
                line=row.line,
                text=note,
                source=source,
                occurred_at=_when(parser, "last_activity") or utcnow(),
                external_id=f"{ref}:note:{content_id(note)[5:15]}",
                title=f"{shape.name} notes on {record.name}",
                link_url=shape.link(record.external_id, options.mapping)
                if record.external_id
                else None,
                account_ref=ref,
                team="sales",
                tags=[f"crm:{shape.name}"],
            )
        )


def _note_row(
    row: Row,
    columns: dict[str, str],
    shape: CrmShape,
    options: ConnectorOptions,
    source: str,
    output: ConnectorOutput,
) -> None:
    parser = RowParser(row.line, row.values, columns)
    text = parser.get("text", required=True)
    occurred_at = _when(parser, "occurred_at")
    if occurred_at is None and not parser.errors:
        parser.errors.append(
            RowError(row.line, columns.get("occurred_at", "date"), "the note's date is required")
        )
    account = parser.get("account")
    if account is None:
        parser.errors.append(
            RowError(
                row.line,
                columns.get("account", "account"),
                "a note needs the account it belongs to (parent id or company)",
            )
        )
    if parser.errors or text is None or occurred_at is None:
        output.errors.extend(parser.errors)
        return
    # HubSpot lists several associated companies separated by ';': the first is the note's.
    account = re.split(r"[;,]", account)[0].strip()
    note_id = parser.get("external_id") or content_id(text, occurred_at.isoformat(), account)
    author = parser.get("author")
    output.feedback.append(
        FeedbackRecord(
            line=row.line,
            text=text,
            source=source,
            occurred_at=occurred_at,
            external_id=note_id,
            title=parser.get("title"),
            link_url=shape.link(note_id, options.mapping)
            if not note_id.startswith("sha1:")
            else None,
            account_ref=account,
            team="sales",
            tags=[f"crm:{shape.name}"] + ([f"author:{normalise(author)}"] if author else []),
        )
    )
