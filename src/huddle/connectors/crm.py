"""What the Salesforce and HubSpot connectors share: accounts with ARR, owner and renewal, and
notes as evidence, read from the CSV exports both tools make.

A file is an **accounts** export when it has an account-name column; each row becomes an
account (matched on the CRM id, so re-imports update), and a notes-like column on the row
(`Notes`, `Pain points`, `Feedback`) becomes evidence on that account. A file is a **notes**
export when it has a note-body or note-date column and no account columns besides a name:
each note becomes evidence on the account its parent names — by id, name, domain or website —
or, with no parent or an id no account answers to, on a known account its title mentions; a
note naming no account comes in unattached. An account's id with its name beside it (Data
Loader's `Parent.Name`) names the account by that name for every note on the same id, in
either of its forms (`CrmShape.id_forms`). A mail the CRM logged is read by its direction
(`crm_activity`). Text stored HTML-escaped (SugarCRM, SuiteCRM) reads as it was typed.
Report exports' titles, totals and footers are skipped (`report_rows.not_a_record`).
"""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from huddle.connectors.base import ConnectorOptions, ConnectorOutput
from huddle.connectors.cell_text import MARKUP, html_to_text, unescaped
from huddle.connectors.common import column_overrides, pick_source, run_rows
from huddle.connectors.crm_activity import (
    contacts_in,
    forwarded_mail,
    mail_direction,
    without_sign_off,
)
from huddle.connectors.crm_labels import (
    ANNUAL_REVENUE,
    SALESFORCE_TASK_SUBTYPE,
    crm_status,
    health_at_risk,
)
from huddle.connectors.crm_note_noise import logged_words, mail_noise, note_noise
from huddle.connectors.crm_odoo import is_messages, odoo_columns, partner_account, posted_as
from huddle.connectors.csv_reading import csv_records
from huddle.connectors.email_addresses import domain_of_site, email_in
from huddle.connectors.export_dates import export_date
from huddle.connectors.join_blocks import without_join_block
from huddle.connectors.noise import is_staff
from huddle.connectors.record_values import said_yes
from huddle.connectors.replies import strip_replies
from huddle.connectors.report_rows import HEADER_SEARCH_ROWS
from huddle.imports.fields import (
    FieldSpec,
    RowParser,
    account_reference,
    also_named,
    filled_from,
    normalise,
    parse_account,
    resolve_columns,
)
from huddle.imports.records import SHORT_PLACE_WORDS, FeedbackRecord, RowError
from huddle.imports.rows import Row
from huddle.kit.ids import content_id
from huddle.kit.money import parse_money_to_minor
from huddle.kit.time import utcnow


@dataclass(frozen=True)
class CrmShape:
    name: str
    account_fields: tuple[FieldSpec, ...]
    note_fields: tuple[FieldSpec, ...]
    # The record's page in the CRM, from its id and the options (`--map portal_id=…`).
    link: Callable[[str, dict[str, str]], str | None]
    # A note's parent that is another kind of record (an opportunity, a contact): with the
    # parent's name beside it, the account is named by that name or the note's title.
    not_an_account: Callable[[str], bool] = lambda parent: False
    # The forms one record's id is written in, the one its other forms are known by first
    # (Salesforce's 15-character id, then its 18-character one); () for no id of the CRM's.
    id_forms: Callable[[str], tuple[str, ...]] = lambda ref: ()
    # Whether an id is an account's by its form (Salesforce's "001…"): a parent's name beside
    # it, with no parent type given, is that account's name.
    account_id: Callable[[str], bool] = lambda ref: False


def _when(row: RowParser, name: str) -> datetime | None:
    value: datetime | None = row.get(name, export_date)
    return value


# A handler of one row, given the row, field -> column and the header.
RowHandler = Callable[[Row, dict[str, str], list[str]], None]
# What streams a file's rows through a handler, by the fields read: a CSV's rows
# (`csv_records`), or JSON records as rows (`crm_records`).
RowSource = Callable[[ConnectorOutput, tuple[FieldSpec, ...], RowHandler], None]


def read_crm(path: Path, options: ConnectorOptions, shape: CrmShape) -> ConnectorOutput:
    """A CRM's CSV export: its accounts or its notes, as its header says."""
    return read_crm_rows(
        _kind(path, options, shape),
        options,
        shape,
        lambda output, specs, handle: csv_records(output, path, options, specs, handle),
    )


def more_notes(column: str, fetch: str | None) -> list[RowError]:
    """The warning that a notes file is one page of an API's answer, `column` where the file
    says so and `fetch` how to get the next page; none when there is no next page."""
    if fetch is None:
        return []
    message = (
        f"this is one page of the notes: more follow; fetch them ({fetch}) and import them too"
    )
    return [RowError(1, column, message)]


def read_json_rows(
    kind: str,
    header: list[str],
    options: ConnectorOptions,
    shape: CrmShape,
    records: Callable[[ConnectorOutput], Iterator[Row]],
    after: Callable[[], list[RowError]] = list,
) -> ConnectorOutput:
    """A CRM's JSON (an API page, a CLI's query) read as its export's rows would be:
    `records(output)` gives each record as a row under `header`, counting in `output` what it
    skips; `after()` gives the warnings of a file read whole (a next page to fetch)."""
    overrides = column_overrides(options)

    def rows(output: ConnectorOutput, specs: tuple[FieldSpec, ...], handle: RowHandler) -> None:
        found: dict[str, dict[str, str]] = {}

        def stream() -> Iterator[Row]:
            # Resolved as the rows are read: a column the user named wrongly is a row error.
            found["columns"] = resolve_columns(header, specs, overrides)
            yield from records(output)

        run_rows(output, stream, lambda row: handle(row, found["columns"], header))

    output = read_crm_rows(kind, options, shape, rows)
    if not output.errors:
        output.warnings.extend(after())
    return output


def read_crm_rows(
    kind: str, options: ConnectorOptions, shape: CrmShape, rows: RowSource
) -> ConnectorOutput:
    """A CRM's accounts or notes (`kind`), whichever file their rows come from."""
    output = ConnectorOutput()
    source = pick_source(options, "internal")
    specs = shape.account_fields if kind == "accounts" else shape.note_fields

    found: dict[str, Any] = {}
    # Each account's name by its id, where a note names both: another note on the same account
    # by its id alone is on the account of that name.
    names: dict[str, str] = {}
    account_spec = next((spec for spec in specs if spec.name == "account"), None)

    def handle(row: Row, columns: dict[str, str], header: list[str]) -> None:
        if "deleted" not in found:  # the header is the file's: looked up once
            # Odoo's messages: their type, subtype, record and sender by its own names.
            found["columns"] = odoo_columns(header, columns) if kind == "notes" else columns
            found["deleted"] = [c for c in header if normalise(c) in _DELETED]
            # A note's other account columns, when the one taken is empty on a row: HubSpot
            # gives "Associated Companies" (names) and "Associated Company IDs".
            found["accounts"] = also_named(header, account_spec, columns) if account_spec else []
            found["attachment"] = [c for c in header if normalise(c) in _ATTACHMENT]
            found["revenue"] = (
                kind == "accounts"
                and "arr" not in options.mapping.values()  # mapped so on purpose
                and normalise(columns.get("arr", "")) in _COMPANY_REVENUE
            )
        if any(said_yes(row.values.get(column)) for column in found["deleted"]):
            # Data Loader's "Export All" brings the recycle bin along: not a record any more.
            output.skipped_rows += 1
            return
        if kind == "notes" and _only_an_attachment(row, columns, found["attachment"]):
            # A note that is only an attachment (Dynamics 365's "Is Document"): no words.
            output.skipped_rows += 1
            return
        if kind == "accounts":
            _account_row(row, columns, shape, options, source, output)
        else:
            _note_row(
                row, found["columns"], shape, options, source, output, found["accounts"], names
            )

    rows(output, specs, handle)
    _named_by_id(output, shape, names)
    if found.get("revenue") and any(a.arr_minor for a in output.accounts):
        output.warnings.append(
            RowError(
                1,
                None,
                "ARR was read from the annual revenue column, the CRM's field for the company's "
                "own revenue: if what each account pays you is in another column, import again "
                "with --map COLUMN=arr",
            )
        )
    return output


def _named_by_id(output: ConnectorOutput, shape: CrmShape, names: dict[str, str]) -> None:
    """A note on an account by its id: the account by the name a note gave beside the id (in
    any of its forms, 15 or 18 characters), the id then its other forms after it; so an
    account Huddle does not know is one account, named, whichever row names it."""
    records = [*output.feedback, *(left.record for left in output.left_out)]
    for record in records:
        ref = record.account_ref
        forms = shape.id_forms(ref) if ref else ()
        if ref and not forms and ref in names:
            forms = (ref,)
        if not ref or not forms:
            continue
        others = tuple(form for form in forms if form != ref)
        name = names.get(forms[0])
        if name:
            record.account_ref, record.account_aliases = name, (ref, *others)
        else:
            record.account_aliases = (*others, *record.account_aliases)


# The CRMs' standard "Annual Revenue" (Salesforce's `AnnualRevenue`, HubSpot's
# `annualrevenue`): the company's own revenue, which teams without an ARR field of their own
# often keep what the account pays in. Read as ARR when no ARR column is there, and said so.
_COMPANY_REVENUE = {"annual_revenue", "annualrevenue", *ANNUAL_REVENUE}
# The column that marks a record deleted (Salesforce's `IsDeleted`).
# A record in the recycle bin (Data Loader's "Export All"), or one a sync tool marks deleted
# (Fivetran's "_FIVETRAN_DELETED").
_DELETED = {"isdeleted", "is_deleted", "deleted", "fivetran_deleted", "is_removed"}
# Columns only an accounts export has: a notes export may still name the account.
_ACCOUNT_ONLY = {"arr", "mrr", "status", "domain", "owner_email", "renewal_date", "at_risk"}


def _kind(path: Path, options: ConnectorOptions, shape: CrmShape) -> str:
    """'notes' or 'accounts', from the first row that looks like a header (a report export
    puts its title and filters above it)."""
    try:
        with path.open(
            "r", encoding="utf-8-sig" if options.encoding == "utf-8" else options.encoding
        ) as handle:
            head = [handle.readline() for _ in range(HEADER_SEARCH_ROWS)]
    except (UnicodeDecodeError, OSError):
        return "accounts"
    for line in head:
        header = [c.strip().strip('"') for c in re.split(r"[,;\t]", line) if c.strip()]
        kind = kind_of(header, shape) if len(header) >= 2 else None
        if kind is not None:
            return kind
    return "accounts"


def kind_of(header: list[str], shape: CrmShape) -> str | None:
    """'notes' or 'accounts' by the columns a header names; None when it names neither."""
    if _ACTIVITY & {normalise(c) for c in header} or is_messages(header):
        # Salesforce's Task and Event objects: logged calls, emails and meetings; Odoo's
        # messages, each a note, a mail or a change on a record.
        return "notes"
    names = resolve_columns(header, shape.account_fields, {}, strict=False)
    notes = resolve_columns(header, shape.note_fields, {}, strict=False)
    if notes.get("text") is not None and notes.get("text") == names.get("note"):
        # An accounts export's own notes column ("Notes"): not a notes export's text.
        del notes["text"]
    evidence = _ACCOUNT_ONLY & names.keys()
    if evidence == {"status"} and "text" in notes and "account" in notes:
        # A feed item's or a case comment's STATUS ("Published") beside its text and its
        # parent: a notes export, whose rows have a status of their own.
        evidence = set()
    if ("text" in notes or "occurred_at" in notes) and not evidence:
        return "notes"
    if "name" in names:
        return "accounts"
    return None


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
    record.owner_optional = True
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
    other_accounts: list[str],
    names: dict[str, str],
) -> None:
    values = filled_from(row.values, columns, "account", other_accounts)
    # A mail with no plain-text body: its HTML (Salesforce's EmailMessage `HtmlBody`).
    values = filled_from(values, columns, "text", [columns["html"]] if "html" in columns else [])
    parser = RowParser(row.line, values, columns)
    # An email the CRM keeps (Salesforce's EmailMessage, HubSpot's email activities): who sent
    # it, and which way it went.
    is_mail = ("incoming" in columns or "direction" in columns) and not _NOT_A_MAIL.match(
        parser.raw("activity_type") or ""
    )
    direction = (
        mail_direction(parser.raw("direction"))
        if "direction" in columns
        else ("in" if said_yes(parser.raw("incoming")) else "out")
    )
    # An Odoo message: a note, a mail either way, or the system's own (`crm_odoo`).
    posted = posted_as(parser.raw("message_type"), parser.raw("activity_type"))
    if posted in {"in", "out"}:
        is_mail, direction = True, posted
    if (
        parser.raw("text") is None
        or posted == "system"
        or _CHANGE_LOGGED.match(parser.raw("activity_type") or "")
    ):
        # A logged call with no notes (a voicemail, no answer), an empty note: no words; a
        # change the CRM logged by itself (Copper's "Property Changed": "Status changed from
        # Open to Won", Odoo's notifications) is no one's words either.
        output.skipped_rows += 1
        return
    text = parser.get("text", required=True)
    if text and MARKUP.search(text):
        # HubSpot's note bodies (and Salesforce's rich-text notes) are HTML.
        text = html_to_text(text) or None
        if text is None:
            parser.errors.append(
                RowError(row.line, columns.get("text", "text"), "the note holds no text")
            )
    elif text:
        text = unescaped(text)
    sender, name = parser.get("contact_email"), parser.get("contact_name")
    if sender and "<" in sender:
        # '"Farah Qureshi" <farah@initech.example>' (Odoo's "From"): the address, the name.
        name = name or re.sub(r"<[^>]*>|\"", "", sender).strip() or None
        sender = email_in(sender)
    if sender and not is_mail and is_staff(sender, None, options):
        # A note's writer, one of the team: no customer's address.
        sender, name = None, None
    forwarded = forwarded_mail(text) if is_mail and text and direction == "forwarded" else None
    if forwarded is not None:
        # A customer's mail a rep forwarded into the CRM: that mail, by its sender.
        text, sender, name = forwarded
    elif text and not is_mail:  # (a mail's own words are read below, by its sender's name)
        text = logged_words(text, parser)
    # Without a date the import dates it (`ConnectorOptions.occurred_at`).
    occurred_at = _when(parser, "occurred_at")
    account = parser.get("account", account_reference)
    what = parser.get("what")
    if not account and what and shape.account_id(what):
        # A task with no AccountId about an account (a data export's WhatId, 001…); one about
        # a deal or a case names no account, and its title may.
        account = what
    contacts = contacts_in(parser.raw("contacts"))
    if sender and not name:
        # The sender among the contacts the export lists ("Name (email)"): their name.
        name = next((n for n, e in contacts if e and e == sender.lower()), None)
    if not sender and not is_mail:
        # The note's contact (HubSpot's "Associated Contact"): the first not one of the team.
        sender, name = next(
            ((e, n) for n, e in contacts if e and not is_staff(e, None, options)), (None, name)
        )
    if is_mail and text and forwarded is None:
        # The sender's words: no quote, signature, or the case's thread token.
        text = _THREAD_TOKEN.sub("", strip_replies(text, name or "") or text).strip() or None
    if text:
        # A meeting invitation's join details under the notes, a "-- Tom" at the end.
        text = without_sign_off(without_join_block(text)) or None
        if text is None:
            output.skipped_rows += 1  # a meeting that is only its invitation: no words
            return
    if parser.errors or text is None:
        output.errors.extend(parser.errors)
        return
    if account:
        # HubSpot lists several associated companies separated by ';': the first is the note's.
        account = domain_of_site(re.split(r"[;,]", account)[0].strip())
    if is_mail and account and shape.not_an_account(account):
        # Mail on a case (500…): the sender's address finds the account.
        account = None
    parent = parser.get("parent_name")
    parent_type = parser.get("parent_type")
    forms = shape.id_forms(account) if account else ()
    if (
        parent
        and account
        and (
            _AN_ACCOUNT.match(parent_type or "") or (not parent_type and shape.account_id(account))
        )
    ):
        # An account's id with its name beside it (Data Loader's "Parent.Name"): its name, for
        # this note and for others on the same account by its id alone. (An id of another
        # length than Salesforce's, typed as an Account or an account's by its prefix, is
        # kept as it is.)
        names.setdefault(forms[0] if forms else account, parent)
    if not account and parent and _AN_ACCOUNT.match(parent_type or ""):
        # A note whose parent is a company (Copper's "Related To", Freshsales' "Targetable"
        # with its type beside it): that parent is its account.
        account = parent
    elif not account and parent:
        account = partner_account(parent, parent_type)  # an Odoo partner's company
    if account and parent and shape.not_an_account(account):
        # A note on an opportunity or a contact whose name the export gives ("Globex Freight
        # - Renewal 2027"): the account is the one that name or the title names, if any. (By
        # its id alone, the parent stays the note's reference, listed as unknown.)
        account = None
    title = parser.get("title")
    title = unescaped(title) if title else None
    note_id = parser.get("external_id") or content_id(
        text, occurred_at.isoformat() if occurred_at else "", account or ""
    )
    author = parser.get("author")
    output.take(
        FeedbackRecord(
            line=row.line,
            text=text,
            source=source,
            occurred_at=occurred_at,
            external_id=note_id,
            title=title,
            link_url=shape.link(note_id, options.mapping)
            if not note_id.startswith("sha1:")
            else None,
            account_ref=account or None,
            contact_email=sender.lower() if sender and "@" in sender else None,
            contact_name=name,
            team="support" if "incoming" in columns else "sales",
            tags=[f"crm:{shape.name}"] + ([f"author:{normalise(author)}"] if author else []),
            # Where the account may be named: read when the note names none, or names one by
            # a name or an id the workspace does not know ("Acme Robotics - Line 3 rollout", a
            # deal; another CRM's id).
            mentions=_heading(parent, title, text, account, shape),
        ),
        mail_noise(parser, direction, text, title, sender, name, options)
        if is_mail
        else note_noise(text, title, options, parser.raw("activity_type"), author),
        options,
    )


# Columns only an activity export has (Salesforce's Task and Event: calls, emails, meetings
# the team logged; its EmailMessage: the mail of a case): its notes are evidence as a note's
# are.
_ACTIVITY = {
    "whoid", "whatid", "tasksubtype", "eventsubtype", "activitydate", "activity_date",
    "fromaddress", "textbody", "htmlbody",
    # A report's "Task Subtype" in Salesforce's other languages ("Subtipo de tarea").
    *SALESFORCE_TASK_SUBTYPE,
}  # fmt: skip
# Salesforce's Email-to-Case thread token: "ref:!00D5e0ABCD.!5005e00001Xk2Ab:ref".
_THREAD_TOKEN = re.compile(r"\[?\s*ref:[!_\w.]+:ref\s*\]?")
# A call, meeting, note or task on a page that also holds mails (HubSpot's API pages, whose
# header is every result's cells): not a mail, whatever the mail columns beside it.
_NOT_A_MAIL = re.compile(r"^\s*(call|meeting|note|task)s?\s*$", re.IGNORECASE)
_CHANGE_LOGGED = re.compile(
    r"^\s*(property|field|status|stage|owner)\s+(changed?|updated?)\s*$", re.IGNORECASE
)
# A parent type that is an account: Copper's "Company", Freshsales' "SalesAccount".
_AN_ACCOUNT = re.compile(r"^\s*(sales\s*)?(account|company|organi[sz]ation)\s*$", re.IGNORECASE)


# Columns that say a note is a file: set ("Is Document"), or a file's name given.
_ATTACHMENT = {"is_document", "isdocument", "file_name", "has_attachment"}


def _only_an_attachment(row: Row, columns: dict[str, str], flags: list[str]) -> bool:
    """A note with no words whose flags say it holds a file."""
    if RowParser(row.line, row.values, columns).raw("text") is not None:
        return False
    return any(
        said_yes(row.values.get(column))
        or (normalise(column) == "file_name" and str(row.values.get(column) or "").strip())
        for column in flags
    )


def _heading(
    parent: str | None, title: str | None, text: str, account: str | None, shape: CrmShape
) -> tuple[str, ...]:
    """Where a note whose parent is no known account may name its account: its parent's name
    ("Globex Freight - Renewal 2027", an opportunity), its title, else, for a note with no
    parent, the first line of a note of several lines when that line is short ("Globex",
    "Initech Health - QBR"). Not for the CRM's own record of another kind given by its id
    alone (a Salesforce opportunity 006…): that record is the note's, listed as unknown."""
    if account and shape.not_an_account(account):
        return ()
    if parent or title or account:
        return tuple(place for place in (parent, title) if place)
    first, _, rest = text.strip().partition("\n")
    return (first,) if rest.strip() and len(first.split()) <= SHORT_PLACE_WORDS else ()
