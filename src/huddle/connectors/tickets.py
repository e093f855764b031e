"""A generic tickets CSV: any help desk's export with a subject, a description and a requester.

Columns are recognised by the names help desks use (`Ticket ID`, `Subject`, `Description`,
`Requester email`, `Organization`, `Created at`, `Status`, `Priority`, `Tags`, `URL`, and
`Source`/`Channel`/`Via`, kept as a `channel:` tag like status and priority); name
any other with `--map COLUMN=FIELD`. An `Organization`/`account` column names an account
(external id, domain or name; one Huddle does not know is created or left unattached, as
`--create-accounts` says); otherwise the requester's email domain links it. Auto-replies,
spam, tests and tickets the vendor's own people opened are left out (see `noise`). A
Discourse forum's posts (a Data Explorer query's CSV, a user's archive, the API's posts and
topics as JSON) are read post by post, its staff's and bots' posts told apart:
`tickets_discourse`.
"""

import csv
import re
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from huddle.connectors import (
    tickets_discourse,
    tickets_glpi,
    tickets_json,
    tickets_otrs,
    tickets_tools,
)
from huddle.connectors.base import ConnectorOptions, ConnectorOutput
from huddle.connectors.cell_text import MARKUP, customer_lines, html_to_text
from huddle.connectors.common import column_overrides, pick_source
from huddle.connectors.csv_reading import csv_records, read_csv
from huddle.connectors.export_dates import export_date
from huddle.connectors.json_reading import is_json
from huddle.connectors.json_table import json_columns, json_header
from huddle.connectors.noise import (
    machine_notice,
    names_us,
    noise_reason,
    opened_for_customer,
    sample_data,
    says_nothing,
)
from huddle.connectors.record_values import said_yes
from huddle.connectors.replies import strip_replies
from huddle.connectors.tickets_fields import TICKET_FIELDS
from huddle.errors import Invalid
from huddle.imports.fields import (
    FieldSpec,
    also_named,
    filled_from,
    parse_feedback,
)
from huddle.imports.records import RowError
from huddle.imports.rows import Row, RowShapeError

_ON_BEHALF = re.compile(r"\b(on behalf of|for the customer|customer asked)\b", re.IGNORECASE)
# How a ticket came in when one of ours opened it, or a machine did.
# Freshdesk's "Outbound Email" in Italian, Spanish, French, German, Dutch, Portuguese too.
_OURS = re.compile(
    r"\b(outbound|outgoing|internal|staff|in uscita|uscente|saliente|sortant|ausgehende?|"
    r"uitgaande?|de sa[ií]da|interno|interne|intern)\b",
    re.IGNORECASE,
)
# A message's direction in a messages export (Front's "Outbound", Kustomer's "out").
_OUTBOUND = re.compile(r"^(out|outbound|outgoing|sent)$", re.IGNORECASE)
# "Template", "Template: new request", not "Template export breaks…" or "Template: editor
# crashes when I add an image" (a customer's words).
_HOUSEKEEPING = re.compile(
    r"^\W*(how to use this|read ?me\b|template(\s*[-\u2013\u2014:|(\[]\s*(\S+\s*){0,3})?\s*$|"
    r"start here\b|instructions\b)",
    re.IGNORECASE,
)
# A board's or a table's example row, named as one ("Example item - delete me", "Sample
# request"): the team's template, a test.
_EXAMPLE_ROW = re.compile(
    r"^\W*(an? )?(example|sample|dummy) (item|row|record|entry|task|request|ticket|card|post)"
    r"( \d+)?(\W+(please )?(delete|remove)( (me|it|this( \w+)?))?)?\W*$|"
    r"\b(delete|remove) me\W*$|"
    # A task tracker's template task: "[Template] Customer request - duplicate me"; a
    # board's template card, which says to copy it: "TEMPLATE - copy this card for new
    # feedback".
    r"^\W*\[template\]|^\W*template\s*[-\u2013\u2014:|]\s.*\b(copy|duplicate|clone) (me|this|it)\b",
    re.IGNORECASE,
)
_SCOPED_ACCOUNT = re.compile(
    r"(?:^|[,;|]\s*)(?:customer|client|account|company|org|organi[sz]ation)\s*::\s*([^,;|]+)",
    re.IGNORECASE,
)
# A channel a machine opens tickets by: a monitoring alert, Dynamics 365's "IoT" origin.
_MACHINE = re.compile(r"\b(monitoring|event|alert|integration|iot)\b", re.IGNORECASE)


class TicketsConnector:
    name = "tickets"
    description = (
        "A tickets CSV or Excel workbook from any help desk (subject, description, requester, "
        "dates); also a Discourse forum's posts (a Data Explorer CSV, the API's JSON), Canny's "
        "posts, GitHub's and YouTrack's issues as JSON, and any tool's JSON page read as a "
        "table of its records."
    )
    suffixes = (".csv", ".tsv", ".xlsx")

    def read(self, path: Path, options: ConnectorOptions) -> ConnectorOutput:
        if is_json(path, options.encoding) and tickets_json.knows(path, options.encoding):
            # A feedback tool's API page saved as JSON (Canny's posts and comments, GitHub
            # issues); another tool's page is read as a table of its records.
            return tickets_json.read(path, options)
        if is_json(path, options.encoding):
            if refused := tickets_discourse.explorer_json(path, options.encoding):
                output = ConnectorOutput()
                output.errors.append(RowError(1, None, refused))
                return output
            if tickets_discourse.api_page(path, options.encoding):
                output = self.read_csv(path, options)  # Discourse's posts, as a table
                output.warnings.extend(tickets_discourse.unfetched_posts(path, options.encoding))
                return output
            return _table(path, options)
        return self.read_csv(path, options)

    def read_csv(self, path: Path, options: ConnectorOptions) -> ConnectorOutput:
        """The tickets of a CSV, or of a JSON page read as a table (`json_table`)."""
        output = ConnectorOutput()
        source = pick_source(options, "ticket")
        notes = _task_notes(path, options)
        if notes is not None:
            options = replace(options, mapping={**options.mapping, notes: "text"})
        # An OTRS/Znuny ticket search: its words in its "Article Tree" (`tickets_otrs`).
        if otrs := tickets_otrs.columns(path, options, _TEXT):
            options = replace(options, mapping={**options.mapping, **otrs})
        # A Discourse forum's posts: its posts' words, its staff and bots (`tickets_discourse`).
        forum = tickets_discourse.forum(path, options, _TEXT)
        if forum is not None and forum.refused:
            output.errors.append(RowError(1, None, forum.refused))
            return output
        if forum is not None:
            options = replace(options, mapping={**options.mapping, **forum.mapping})
        fields = _fields_for(path, options)
        # A messages export (Front's: one row per message) is read a conversation at a time:
        # its rows in a run, the customer's messages kept.
        thread: list[Row] = []
        # The team's messages of the conversation being read: kept aside in case no
        # customer wrote in it (a conversation the team opened).
        ours: list[Row] = []
        found: dict[str, Any] = {"roots": set()}
        unread_dates = tickets_tools.UnreadDates()

        def ticket(rows: list[Row], columns: dict[str, str]) -> None:
            """One ticket: a row, or the customer's messages of one conversation (the first's
            subject, date and sender; each message's own words, in order)."""
            row = rows[0]
            values: Mapping[str, Any] = row.values
            text_column, title_column = columns["text"], columns.get("title", "")
            # A feedback inbox's snippet, empty where none was highlighted: the whole message.
            values = filled_from(values, columns, "text", found["texts"])
            if not str(values.get(text_column) or "").strip() and values.get(title_column):
                # A feedback board's post may be its title alone ("Dark mode for the app").
                values = {**values, text_column: values[title_column]}
            # The account's other column, when the one taken is empty on this row.
            values = filled_from(values, columns, "account", found["accounts"])
            if forum is not None:
                values = forum.plain(values, text_column)  # no quoted post, nothing deleted
            if not str(values.get(text_column) or "").strip():
                # A vote with no words (Savio's, a board's upvote): no item, not an error.
                output.skipped_rows += 1
                return
            if len(rows) > 1 or "conversation" in columns:
                name = _cell(row, columns, "contact_name")
                said = [_words(str(r.values.get(text_column) or ""), name) for r in rows]
                conversation = _cell(row, columns, "conversation")
                first = _cell(row, columns, "message_id")
                values = {
                    **values,
                    text_column: "\n\n".join(s for s in said if s),
                    columns.get("external_id", "external_id"): _cell(row, columns, "external_id")
                    or (f"{conversation}:{first}" if first else conversation),
                }
            if tickets_otrs.is_tree(text_column):
                values = tickets_otrs.plain_from(values, columns)  # '"Ana" <ana@…>'
            record, errors = parse_feedback(
                row.line, values, columns, default_source=source, dates=export_date
            )
            if errors or record is None:
                output.errors.extend(errors)
                return
            forum_reason = forum.settle(record, row.values, options) if forum else None
            tree_reason = None
            if tickets_otrs.is_tree(text_column):
                tree_reason = tickets_otrs.read_tree(record, _cell(row, columns, "group"), options)
                if not record.text:
                    output.skipped_rows += 1  # a ticket with no article: no words
                    return
            if record.occurred_at is None and record.external_id:
                # Undated, the import dates it; a Trello card says when it was made.
                record.occurred_at = tickets_tools.card_created(
                    record.external_id, columns.get("external_id", "")
                )
            for name in ("status", "priority", "channel", "group"):
                value = _cell(row, columns, name).lower()
                if value:
                    record.tags = sorted({*record.tags, f"{name}:{value}"})
            record.team = record.team or "support"
            if not record.account_ref:
                # GitLab's scoped labels name the customer: "customer::Initech Health".
                scoped = _SCOPED_ACCOUNT.search(_cell(row, columns, "tags"))
                record.account_ref = scoped.group(1).strip() if scoped else None
            if MARKUP.search(record.text):
                # A rich-text cell (Aha!'s ideas, Productboard's notes): its words.
                record.text = html_to_text(record.text) or record.text
            record.text = tickets_tools.jira_markup(record.text)
            # An IT service desk's ticket (GLPI's): its entity under the root, its id, its
            # requester known by address.
            tickets_glpi.settle(record, found["roots"])
            if record.account_ref:
                # A joint interview's, an idea's several customers: the first named.
                record.account_ref = tickets_tools.first_account(record.account_ref)
            # A ticket opened by replying to the help desk's mail carries the mail it quotes;
            # a chat's transcript carries the agent's lines.
            record.text = customer_lines(record.text, record.contact_name)
            if says_nothing(record.text):
                # A chat where the visitor only said hello, a bare "+1": nothing to learn from.
                output.skipped_rows += 1
                return
            record.text = _words(record.text, record.contact_name)
            reason = noise_reason(
                record.text,
                record.title,
                email=record.contact_email,
                name=record.contact_name,
                options=options,
            )
            if forum_reason and reason in (None, "internal"):
                reason = forum_reason  # the forum's staff, its bots, a post hidden by flags
            channel = _cell(row, columns, "channel").lower()
            if reason == "internal" and machine_notice(record.text, record.title):
                reason = "bot"  # a monitoring tool's alert, sent from one of our addresses
            elif reason is None and (
                _EXAMPLE_ROW.search(record.title or "")
                or sample_data(_cell(row, columns, "account"))
            ):
                reason = "test"  # the board's example, the tool's sample data, left in
            elif reason is None and _HOUSEKEEPING.match(record.title or ""):
                # A feedback table's own page: how to use it, its template.
                reason = "internal"
            elif reason is None and opened_for_customer(record.text):
                reason = "staff"
            elif reason is None and _MACHINE.search(channel):
                reason = "bot"  # a monitoring alert the help desk turned into a ticket
            elif reason is None and (
                _OURS.search(channel)
                or _OUTBOUND.match(_cell(row, columns, "direction"))
                or said_yes(_cell(row, columns, "from_agent"))
            ):
                reason = "staff"  # one of ours opened it (an outbound mail, a case logged)
            elif reason == "internal" and (
                (record.account_ref and not names_us(record.account_ref, options))
                or _ON_BEHALF.search(record.text)
            ):
                # One of ours opened it for a customer ("raised on behalf of …"): not an
                # announcement to the team, and still not the customer's own words.
                reason = "staff"
            if tree_reason and reason in (None, "internal", "staff"):
                reason = tree_reason  # no customer wrote in it, or it sits in the Junk queue
            reason = tickets_tools.tool_reason(
                reason,
                record,
                kind=_cell(row, columns, "kind"),
                creator=_cell(row, columns, "creator"),
                names_who={"contact_email", "contact_name"} & columns.keys() != set(),
                options=options,
            )
            output.take(record, reason, options)

        def handle(row: Row, columns: dict[str, str], header: list[str]) -> None:
            if "accounts" not in found:  # the header is the file's: looked up once
                found["accounts"] = also_named(header, _ACCOUNT, columns)
                found["texts"] = also_named(header, _TEXT, columns)
            unread_dates.look(row.values, columns)
            if _cell(row, columns, "parent") and not any(
                _cell(row, columns, name) for name in ("account", "contact_email", "contact_name")
            ):
                # A subtask the team split off a request (ClickUp's, Jira's): their own work,
                # no customer's words; a customer's request filed under a parent names them.
                output.skipped_rows += 1
                return
            if "conversation" not in columns:
                ticket([row], columns)
                return
            found["columns"] = columns
            conversation = _cell(row, columns, "conversation")
            current = (thread or ours)[:1]
            if current and _cell(current[0], columns, "conversation") != conversation:
                finish(columns)
            (ours if _OUTBOUND.match(_cell(row, columns, "direction")) else thread).append(row)

        def finish(columns: dict[str, str]) -> None:
            """The conversation read so far: its customer's messages, the team's replies in
            it skipped; one only the team wrote is a ticket they opened."""
            if thread:
                ticket(thread, columns)
                output.skipped_rows += len(ours)
            elif ours:
                ticket(ours[:1], columns)
                output.skipped_rows += len(ours) - 1
            thread.clear()
            ours.clear()

        # The header is found as in any tickets CSV, by a row naming a date too: a board's
        # cells ("Customer feedback", a "Priority" label) may name fields as well as its header.
        csv_records(output, path, options, fields, handle, header_specs=TICKET_FIELDS)
        if (thread or ours) and not output.errors:
            finish(found["columns"])
        tickets_glpi.off_the_root(
            [*output.feedback, *(left.record for left in output.left_out)], found["roots"]
        )
        if any(record.occurred_at is None for record in output.feedback):
            output.warnings.extend(unread_dates.warnings())
        return output


# A task tracker's export (Asana's "Notes" under the task's "Name"): its notes are the words
# only when no column of the ticket's own text is there (a help desk's "Notes" are its team's).
_TASK_NOTES = (FieldSpec("text", ("notes",), required=True),)


def _task_notes(path: Path, options: ConnectorOptions) -> str | None:
    """The "Notes" column to read as the text of a CSV that names no text column otherwise."""
    if "text" in options.mapping.values() or path.suffix.lower() not in {".csv", ".tsv", ".txt"}:
        return None
    found = _first_fitting(path, options, TICKET_FIELDS, _TASK_NOTES)
    return found[1]["text"] if found is not None and found[0] is _TASK_NOTES else None


def _first_fitting(
    path: Path, options: ConnectorOptions, *candidates: tuple[FieldSpec, ...]
) -> tuple[tuple[FieldSpec, ...], dict[str, str]] | None:
    """The first of `candidates` whose required fields a CSV's header names, with its
    columns; None when none does or the file cannot be read (reading it says why)."""
    overrides = column_overrides(options)
    for specs in candidates:
        try:
            _, columns, rows = read_csv(path, options.encoding, specs, overrides)
        except (Invalid, UnicodeDecodeError, RowShapeError, csv.Error, OSError):
            continue
        rows.close()
        return specs, columns
    return None


# A board's export may name no date its cards were made (Trello's has a "Last Activity Date"
# only, a card's last edit or comment): read without one, its cards dated as the import
# says (`ConnectorOptions.occurred_at`, else the import's date, marked undated).
_UNDATED_FIELDS = tuple(
    replace(spec, required=False) if spec.name == "occurred_at" else spec for spec in TICKET_FIELDS
)


def _fields_for(path: Path, options: ConnectorOptions) -> tuple[FieldSpec, ...]:
    """The fields to read a CSV's tickets by: a date is required, unless the file names their
    text and no date at all (lacking its text too, it is refused naming every column it
    lacks)."""
    found = _first_fitting(path, options, TICKET_FIELDS, _UNDATED_FIELDS)
    return found[0] if found is not None else TICKET_FIELDS


def _words(text: str, sender: str | None) -> str:
    """The sender's own words in a ticket's or a message's text: no quoted mail, signature.
    A sender the desk lists surname first ("Morel Camille") signs given name first."""
    words = strip_replies(text, sender or "") or text
    signed = tickets_glpi.given_name_first(sender or "")
    if signed and signed.split()[0].casefold() in text[-400:].casefold():
        words = min(words, strip_replies(text, signed) or text, key=len)
    return words


_ACCOUNT = next(spec for spec in TICKET_FIELDS if spec.name == "account")
_TEXT = next(spec for spec in TICKET_FIELDS if spec.name == "text")


def _cell(row: Row, columns: dict[str, str], name: str) -> str:
    return str(row.values.get(columns.get(name, ""), "") or "").strip()


connector = TicketsConnector()


# Words a record must hold, in one record at least, for a JSON page read as a table to be
# evidence: a users or organisations list gives names ("Nadia Price"), not sentences.
_SENTENCE_WORDS = 4
# What a table's fields are said to be read from, in the warning.
_SAID_FIELDS = (
    ("text", "words"),
    ("occurred_at", "date"),
    ("contact_email", "sender"),
    ("account", "company"),
)


def read_as_table(path: Path, options: ConnectorOptions, source: str) -> ConnectorOutput | None:
    """A JSON page of a tool another connector has no reader for (a chat tool's messages API,
    a help desk's conversations), read as the tickets connector reads it, its items of that
    connector's kind (`source`); None when it cannot be (no JSON, no records, no sentence)."""
    if not is_json(path, options.encoding):
        return None
    output = _table(path, replace(options, default_source=options.default_source or source))
    return None if output.errors else output


def _table(path: Path, options: ConnectorOptions) -> ConnectorOutput:
    """A JSON page of a tool no reader here knows, as the table of its records by the tickets
    CSV's column names (`json_table`); the output warns which fields were read. Refused when
    none of its records holds a sentence (a users list, an API's error body)."""
    output = TicketsConnector().read_csv(path, options)
    if output.errors:
        return output
    said = [*output.feedback, *(left.record for left in output.left_out)]
    if not any(len(record.text.split()) >= _SENTENCE_WORDS for record in said):
        output.errors.append(
            RowError(
                1,
                None,
                f"{path.name} is JSON, but no reader knows its records and none of them holds "
                "a customer's words (a list of people or companies, an API's error?): "
                + tickets_json.KNOWN,
            )
        )
        return output
    header = json_header(path, options.encoding)
    columns = json_columns(header, _fields_for(path, options), column_overrides(options))
    fields = ", ".join(
        f"{label} from `{columns[name]}`" for name, label in _SAID_FIELDS if name in columns
    )
    output.warnings.append(
        RowError(
            1,
            None,
            f"{path.name} is a page no reader here knows: read as a table of its records "
            f"({fields})",
        )
    )
    return output
