"""Importing accounts and evidence from files: all rows are checked before any is written."""

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from sqlalchemy.orm import Session

from huddle.accounts import intake as accounts
from huddle.activity import record as record_activity
from huddle.auth.actor import Actor
from huddle.auth.policies import may_administer, require
from huddle.connectors.base import (
    Connector,
    ConnectorOptions,
    ConnectorOutput,
    get_connector,
)
from huddle.connectors.tickets import read_as_table
from huddle.errors import Invalid
from huddle.feedback import intake
from huddle.feedback.intake import UnknownAccount
from huddle.imports import connected, fields, unwrap
from huddle.imports import repository as writer
from huddle.imports.converted import (
    data_export,
    in_their_files,
    read_converted,
    read_data_export,
    report_in_sheet,
)
from huddle.imports.hints import browser_recording, reads_as
from huddle.imports.records import AccountRecord, ContactRecord, FeedbackRecord, RowError
from huddle.imports.report import MAX_REPORTED_ERRORS, ImportFailed, ImportReport
from huddle.imports.rows import (
    DELIMITERS,
    Row,
    RowShapeError,
    detect_format,
    open_text,
    read_rows,
)
from huddle.imports.seen import SeenIds
from huddle.kit.bulk import batches
from huddle.kit.time import utcnow
from huddle.kit.writes import take_turn
from huddle.models.imports import ImportRun
from huddle.models.user import User

Progress = Callable[[int], None]


def parse_mapping(pairs: Iterable[str]) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for pair in pairs:
        column, sep, field_name = pair.partition("=")
        if not sep or not column.strip() or not field_name.strip():
            raise Invalid(f"--map takes COLUMN=FIELD, not {pair!r}")
        mapping[column.strip()] = field_name.strip()
    return mapping


def _collect(
    rows: Iterable[Row],
    parse: Callable[[Row], tuple[Any, list[RowError]]],
    report: ImportReport,
    progress: Progress | None,
) -> Iterator[Any]:
    """Parsed records, one at a time; bad rows go to the report as they are read."""
    try:
        for row in rows:
            report.rows_read += 1
            parsed, errors = parse(row)
            if errors:
                report.errors.extend(errors)
            else:
                yield parsed
            if progress is not None and report.rows_read % 1000 == 0:
                progress(report.rows_read)
    except RowShapeError as error:
        report.errors.append(RowError(error.line, None, error.reason))
    except UnicodeDecodeError as error:
        report.errors.append(
            RowError(
                report.rows_read + 2,
                None,
                f"the file is not {error.encoding} text (byte {error.start}); "
                "save it as UTF-8 or pass --encoding (e.g. cp1252)",
            )
        )
    if progress is not None:
        progress(report.rows_read)


def import_file(
    session: Session,
    *,
    kind: str,
    path: Path,
    actor: Actor | None,
    mapping: Mapping[str, str] | None = None,
    fmt: str | None = None,
    dry_run: bool = False,
    origin: str | None = None,
    default_source: str | None = None,
    encoding: str = "utf-8-sig",
    progress: Progress | None = None,
    occurred_at: datetime | None = None,
) -> ImportReport:
    """Import `accounts` or `feedback` from a CSV/JSONL file; `actor` None is the system itself.

    The simplest file is a column of comments: no date, id or source. Rows without a date
    take `occurred_at`, else the moment they first arrive (kept on re-import); rows without
    an id get one from their content (and `occurred_at` when given), so importing the same
    file again changes nothing. Rows without a source are `internal` unless `default_source` says otherwise. A
    file whose only column has no known name is a pasted column: every line is a comment.
    """
    if actor is not None:
        require(may_administer(actor))
    if kind not in {"accounts", "feedback"}:
        raise Invalid(f"unknown import {kind!r}: use accounts or feedback")
    # An Excel workbook is read as the CSV it holds, its errors named by the sheet's rows; a
    # zip holding one export file as that file.
    with unwrap.readable(path) as readable:
        try:
            report = _import_rows(
                session,
                kind=kind,
                path=readable.path,
                actor=actor,
                mapping=mapping,
                fmt=fmt if readable.as_is else "csv",
                dry_run=dry_run,
                origin=origin,
                default_source=default_source,
                encoding=encoding if readable.as_is else "utf-8",
                progress=progress,
                occurred_at=occurred_at,
            )
        except ImportFailed as failed:
            report_in_sheet(failed.report, readable)
            raise ImportFailed(failed.report) from None
    report_in_sheet(report, readable)
    return report


def _import_rows(
    session: Session,
    *,
    kind: str,
    path: Path,
    actor: Actor | None,
    mapping: Mapping[str, str] | None,
    fmt: str | None,
    dry_run: bool,
    origin: str | None,
    default_source: str | None,
    encoding: str,
    progress: Progress | None,
    occurred_at: datetime | None,
) -> ImportReport:
    file_format = detect_format(path, fmt)
    report = ImportReport(source=kind, filename=path.name, dry_run=dry_run)
    specs = fields.ACCOUNT_FIELDS if kind == "accounts" else fields.FEEDBACK_FIELDS
    with open_text(path, encoding) as handle:
        try:
            if kind == "feedback" and file_format == "csv" and _pasted_column(handle, mapping):
                file_format = "lines"
                header, rows = ["text"], _lines(handle)
            else:
                header, rows = read_rows(handle, file_format)
        except UnicodeDecodeError:
            raise Invalid(
                f"{path.name} is not UTF-8 text; save it as UTF-8 or pass --encoding (e.g. cp1252)"
            ) from None
        overrides = mapping or {}
        if header:
            fixed = fields.resolve_columns(header, specs, overrides)

            def columns_of(row: Row) -> dict[str, str]:
                return fixed

        else:
            # JSON lines name their fields row by row; a missing field is that row's error.
            cache: dict[tuple[str, ...], dict[str, str]] = {}

            def columns_of(row: Row) -> dict[str, str]:
                keys = tuple(row.values)
                if keys not in cache:
                    cache[keys] = fields.resolve_columns(list(keys), specs, overrides, strict=False)
                return cache[keys]

        if kind == "accounts":
            batch = Batch(
                accounts=list(
                    _collect(
                        rows,
                        lambda r: fields.parse_account(r.line, r.values, columns_of(r)),
                        report,
                        progress,
                    )
                )
            )
        else:
            source = fields.to_source(default_source) if default_source else "internal"
            report.dated_as = (occurred_at or utcnow()).date()

            def parse(row: Row) -> tuple[FeedbackRecord | None, list[RowError]]:
                record, errors = fields.parse_feedback(
                    row.line, row.values, columns_of(row), default_source=source
                )
                if record is not None and record.occurred_at is None:
                    report.undated += 1
                    record.occurred_at = occurred_at
                return record, errors

            batch = Batch(feedback=_collect(rows, parse, report, progress))
        # Evidence is read while it is written: the file stays open until the import ends.
        report = import_records(
            session,
            source=kind,
            batch=batch,
            report=report,
            actor=actor,
            origin=origin or ("csv" if file_format == "lines" else file_format),
            dry_run=dry_run,
        )
    return report


def _pasted_column(handle: IO[str], mapping: Mapping[str, str] | None) -> bool:
    """A file of one column whose first line names no known field: comments pasted as
    they are, one a line (a comment may hold commas, so the line is not cut at them)."""
    first = handle.readline()
    handle.seek(0)
    if mapping or not first.strip():
        return False
    header = first.lstrip("\ufeff")
    for delimiter in DELIMITERS:
        cells = [c.strip() for c in header.split(delimiter)]
        if fields.resolve_columns(cells, fields.FEEDBACK_FIELDS, {}, strict=False):
            return False
    return "\t" not in first and (len(header.split(",")) == 1 or len(first.split()) > 3)


def _lines(handle: IO[str]) -> Iterator[Row]:
    for number, line in enumerate(handle, start=1):
        text = line.strip().lstrip("\ufeff").strip('"').strip()
        if text:
            yield Row(number, {"text": text})


@dataclass
class Batch:
    """Everything one file holds, normalised: written together or not at all. Evidence may
    be a stream (a large file is read as it is written), the rest is held whole."""

    accounts: list[AccountRecord] = field(default_factory=list)
    contacts: list[ContactRecord] = field(default_factory=list)
    feedback: Iterable[FeedbackRecord] = field(default_factory=list)


# Evidence is checked and written this many records at a time, inside the import's one
# transaction: memory stays flat however long the file is.
CHUNK_RECORDS = 5000


def import_records(
    session: Session,
    *,
    source: str,
    batch: Batch,
    report: ImportReport,
    actor: Actor | None,
    origin: str,
    dry_run: bool = False,
    default_submitter: User | None = None,
    unknown_account: UnknownAccount = UnknownAccount.refuse,
    left_out: list[dict[str, Any]] | None = None,
) -> ImportReport:
    """Check records against the database and write them all, or raise ImportFailed.

    Accounts go first, so that evidence in the same file can name them. Everything happens
    inside a savepoint: a bad row, or a dry run, rolls all of it back. Evidence goes through
    the same intake as every other way in (`huddle.feedback.intake`). What the import
    changes in rows it did not create is recorded, so that undo can put it back.
    """
    if report.errors:
        _finish_errors(report)
    # Imports take turns with each other and with the API: see kit.writes.take_turn.
    take_turn(session, intake.WRITES_TURN)
    savepoint = session.begin_nested()
    try:
        run = ImportRun(
            source=source,
            filename=report.filename,
            started_by_id=actor.id if actor else None,
            rows_read=report.rows_read,
            left_out=left_out or [],
            left_out_count=sum(report.left_out.values()),
        )
        session.add(run)
        session.flush()
        account_plan = accounts.plan_accounts(session, batch.accounts)
        report.errors.extend(account_plan.errors)
        report.warnings.extend(account_plan.warnings)
        if report.errors:
            _finish_errors(report)
        accounts.apply_accounts(session, account_plan, run.id)
        contact_plan = accounts.plan_contacts(session, batch.contacts)
        report.errors.extend(contact_plan.errors)
        accounts.apply_contacts(session, contact_plan, run.id)
        report.created = len(account_plan.creates)
        report.updated = len(account_plan.updates) + len(account_plan.new_keys)
        report.unchanged = account_plan.unchanged
        seen_ids = SeenIds()
        matcher = accounts.AccountMatcher(session, external_ids=set(), domains=set(), names=set())
        for chunk in batches(batch.feedback, CHUNK_RECORDS):
            # After the first bad row the rest is only checked, to report every bad row.
            taken = intake.take_in(
                session,
                chunk,
                origin=origin,
                namespace="",
                channel="import",
                submitter=default_submitter,
                import_id=run.id,
                seen_ids=seen_ids,
                write=not report.errors,
                matcher=matcher,
                unknown_account=unknown_account,
            )
            report.errors.extend(taken.errors)
            report.created += taken.created
            report.updated += taken.updated
            report.unchanged += taken.unchanged
            if taken.changes:
                writer.record_updates(session, run.id, "feedback", taken.changes)
            if len(report.errors) >= MAX_REPORTED_ERRORS:
                break
        # Its file on disk, if a long file needed one (an error on the way leaves it to the
        # garbage collector, which closes it as well).
        seen_ids.close()
        if report.errors:
            _finish_errors(report)
        if report.rows_read == 0 and not report.left_out and not report.warnings:
            # (A connector says why a file holds nothing — a header and no rows — as a
            # warning: that import is done, with nothing in it.)
            raise Invalid(f"{report.filename} has no rows to import")
        if dry_run:
            savepoint.rollback()
            return report
        writer.record_updates(session, run.id, "accounts", account_plan.updates)
        writer.record_updates(session, run.id, "contacts", contact_plan.updates)
        run.created_count, run.updated_count = report.created, report.updated
        run.skipped_count = report.unchanged
        # Evidence streams in while the run is written: its rows are counted only now.
        run.rows_read = report.rows_read
        report.import_id = run.id
        record_activity(
            session,
            actor,
            "imported",
            run,
            f"imported {report.filename}: {report.created} new, {report.updated} updated",
        )
        savepoint.commit()
        return report
    except BaseException:
        if savepoint.is_active:
            savepoint.rollback()
        raise


def _finish_errors(report: ImportReport) -> None:
    report.errors.sort(key=lambda e: e.line)
    del report.errors[MAX_REPORTED_ERRORS:]
    raise ImportFailed(report)


def import_with_connector(
    session: Session,
    *,
    source: str,
    path: Path,
    actor: Actor | None,
    options: ConnectorOptions | None = None,
    dry_run: bool = False,
) -> ImportReport:
    """Import one file through the connector registered as `source` (see huddle.connectors)."""
    if actor is not None:
        require(may_administer(actor))
    if not path.exists():
        raise Invalid(f"no such file: {path}")
    connector = get_connector(source)
    options = connected.with_workspace_people(session, options or ConnectorOptions())
    plan = data_export(connector, path)
    if plan is not None:
        output = read_data_export(connector, path, options, plan)
        try:
            report = _import_output(
                session, connector, source, path, actor, options, dry_run, output
            )
        except ImportFailed as failure:
            in_their_files(failure.report, plan.read)
            raise
        in_their_files(report, plan.read)
        return report
    with unwrap.readable(
        path, unzip=".zip" not in connector.suffixes, documents=".docx" in connector.suffixes
    ) as readable:
        output, options = read_converted(connector, readable, options)
        return _import_output(
            session, connector, source, readable.path, actor, options, dry_run, output
        )


def _import_output(
    session: Session,
    connector: Connector,
    source: str,
    path: Path,
    actor: Actor | None,
    options: ConnectorOptions,
    dry_run: bool,
    output: ConnectorOutput,
) -> ImportReport:
    if _nothing(output) and not (output.errors or output.warnings) and source in _TABLE_KINDS:
        # A JSON page of a tool the connector has no reader for: a table of its records.
        output = read_as_table(path, options, _TABLE_KINDS[source]) or output
    report = ImportReport(
        source=source,
        filename=path.name,
        dry_run=dry_run,
        rows_read=output.rows_read,
        left_out=connected.reasons(output.left_out),
        skipped_rows=output.skipped_rows,
        warnings=list(output.warnings),
    )
    report.errors.extend(output.errors)
    read_nothing = _nothing(output)
    if read_nothing and (output.errors or not output.warnings):
        # Handed to the wrong source, perhaps (Intercom's CSV to `intercom`, a G2 export to
        # `survey`): say which source reads it.
        report.hint = reads_as(path, source, options)
    if read_nothing and not (output.errors or output.warnings):
        if browser_recording(path):
            raise Invalid(
                f"line 1: {path.name} is a HAR file (the browser's record of its network "
                "requests, saved from its developer tools), not an export: download the export "
                "itself, or save the one response that holds it"
            )
        raise Invalid(
            f"{path.name} holds nothing to import from {source}: it reads "
            f"{connector.description[0].lower()}{connector.description[1:].rstrip('.')}"
            + (f". {report.hint}" if report.hint else "")
        )
    undated = [record for record in output.feedback if record.occurred_at is None]
    if undated:
        report.undated = len(undated)
        report.dated_as = (options.occurred_at or utcnow()).date()
        for record in undated:
            record.occurred_at = options.occurred_at
    connected.attach_mentions(session, output.feedback, output.accounts)
    connected.take_aliases(session, output.feedback)
    missing = connected.unknown_accounts(session, output)
    if options.create_accounts:
        created = connected.prospects(missing)
        output.accounts.extend(created)
        report.created_accounts = [account.name for account in created]
        missing = {ref: lines for ref, lines in missing.items() if not connected.nameable(ref)}
    report.unmatched_accounts = {ref: len(lines) for ref, lines in missing.items()}
    return import_records(
        session,
        source=source,
        batch=Batch(accounts=output.accounts, contacts=output.contacts, feedback=output.feedback),
        report=report,
        actor=actor,
        origin=source,
        dry_run=dry_run,
        unknown_account=UnknownAccount.keep,
        left_out=connected.left_out_entries(output.left_out),
    )


def _nothing(output: ConnectorOutput) -> bool:
    return not (output.accounts or output.contacts or output.feedback or output.left_out)


# The connectors whose files, when one is a JSON page none of their readers knows, are read
# as a table of records (`tickets.read_as_table`), and the kind of their items. The others
# read a JSON page as a table themselves (tickets, survey, reviews, a CRM's notes) or read
# calls (transcript).
_TABLE_KINDS = {"zendesk": "ticket", "intercom": "chat", "slack": "chat", "email": "email"}


# Undo lives in huddle.imports.undo; it stays importable from here for callers elsewhere.
from huddle.imports.undo import UndoRefused, undo_import  # noqa: E402

__all__ = ["UndoRefused", "undo_import"]
