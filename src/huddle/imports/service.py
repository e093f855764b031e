"""Importing accounts and evidence from files: all rows are checked before any is written."""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from huddle.activity import record as record_activity
from huddle.auth.actor import Actor
from huddle.auth.policies import may_administer, require
from huddle.connectors.base import ConnectorOptions, get_connector
from huddle.errors import Conflict, Invalid, NotFound
from huddle.imports import fields
from huddle.imports import repository as writer
from huddle.imports.records import AccountRecord, ContactRecord, FeedbackRecord, RowError
from huddle.imports.rows import Row, RowShapeError, detect_format, open_text, read_rows
from huddle.jobs import defer
from huddle.kit.time import utcnow
from huddle.models.imports import ImportRun
from huddle.models.user import User

MAX_REPORTED_ERRORS = 1000
Progress = Callable[[int], None]


@dataclass
class ImportReport:
    source: str
    filename: str
    rows_read: int = 0
    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False
    import_id: int | None = None

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "file": self.filename,
            "rows": self.rows_read,
            "created": self.created,
            "updated": self.updated,
            "dry_run": self.dry_run,
            "import_id": self.import_id,
            "errors": [
                {"line": e.line, "column": e.column, "reason": e.reason} for e in self.errors
            ],
        }


class ImportFailed(Invalid):
    """Raised with the whole report when any row is bad; nothing has been written."""

    def __init__(self, report: ImportReport) -> None:
        count = len(report.errors)
        super().__init__(
            f"{report.filename}: {count} bad row{'s' if count != 1 else ''}; nothing was imported"
        )
        self.report = report


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
) -> list[Any]:
    records = []
    try:
        for row in rows:
            report.rows_read += 1
            parsed, errors = parse(row)
            if errors:
                report.errors.extend(errors)
            else:
                records.append(parsed)
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
    return records


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
) -> ImportReport:
    """Import `accounts` or `feedback` from a CSV/JSONL file; `actor` None is the system itself."""
    if actor is not None:
        require(may_administer(actor))
    if kind not in {"accounts", "feedback"}:
        raise Invalid(f"unknown import {kind!r}: use accounts or feedback")
    file_format = detect_format(path, fmt)
    report = ImportReport(source=kind, filename=path.name, dry_run=dry_run)
    specs = fields.ACCOUNT_FIELDS if kind == "accounts" else fields.FEEDBACK_FIELDS
    with open_text(path, encoding) as handle:
        try:
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
            records = _collect(
                rows,
                lambda r: fields.parse_account(r.line, r.values, columns_of(r)),
                report,
                progress,
            )
        else:
            source = fields.to_source(default_source) if default_source else None
            records = _collect(
                rows,
                lambda r: fields.parse_feedback(
                    r.line, r.values, columns_of(r), default_source=source
                ),
                report,
                progress,
            )
    if report.rows_read == 0 and not report.errors:
        raise Invalid(f"{path.name} has no rows to import")
    batch = Batch(
        accounts=[r for r in records if isinstance(r, AccountRecord)],
        feedback=[r for r in records if isinstance(r, FeedbackRecord)],
    )
    return import_records(
        session,
        source=kind,
        batch=batch,
        report=report,
        actor=actor,
        origin=origin or file_format,
        dry_run=dry_run,
    )


@dataclass
class Batch:
    """Everything one file holds, normalised: written together or not at all."""

    accounts: list[AccountRecord] = field(default_factory=list)
    contacts: list[ContactRecord] = field(default_factory=list)
    feedback: list[FeedbackRecord] = field(default_factory=list)


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
) -> ImportReport:
    """Check records against the database and write them all, or raise ImportFailed.

    Accounts go first, so that evidence in the same file can name them. Everything happens
    inside a savepoint: a bad row, or a dry run, rolls all of it back.
    """
    if report.errors:
        _finish_errors(report)
    savepoint = session.begin_nested()
    try:
        run = ImportRun(
            source=source,
            filename=report.filename,
            started_by_id=actor.id if actor else None,
            rows_read=report.rows_read,
        )
        session.add(run)
        session.flush()
        account_plan = writer.plan_accounts(session, batch.accounts)
        report.errors.extend(account_plan.errors)
        if report.errors:
            _finish_errors(report)
        writer.apply_accounts(session, account_plan, run.id)
        report.errors.extend(writer.apply_contacts(session, batch.contacts, run.id))
        feedback_plan = writer.plan_feedback(
            session, batch.feedback, origin=origin, default_submitter=default_submitter
        )
        report.errors.extend(feedback_plan.errors)
        report.created = len(account_plan.creates) + len(feedback_plan.creates)
        report.updated = len(account_plan.updates) + len(feedback_plan.updates)
        if report.errors:
            _finish_errors(report)
        changed = writer.apply_feedback(session, feedback_plan, run.id)
        if dry_run:
            savepoint.rollback()
            return report
        run.created_count, run.updated_count = report.created, report.updated
        report.import_id = run.id
        if changed:
            defer(session, "insights.embed_feedback", ids=changed)
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
    output = connector.read(path, options or ConnectorOptions())
    report = ImportReport(
        source=source, filename=path.name, dry_run=dry_run, rows_read=output.rows_read
    )
    report.errors.extend(output.errors)
    if not (output.accounts or output.contacts or output.feedback or output.errors):
        raise Invalid(f"{path.name} holds nothing to import from {source}")
    return import_records(
        session,
        source=source,
        batch=Batch(accounts=output.accounts, contacts=output.contacts, feedback=output.feedback),
        report=report,
        actor=actor,
        origin=source,
        dry_run=dry_run,
    )


def undo_import(session: Session, *, import_id: int, actor: Actor | None) -> dict[str, int]:
    """Removes exactly what one import added (evidence, then contacts, then accounts)."""
    if actor is not None:
        require(may_administer(actor))
    run = session.get(ImportRun, import_id)
    if run is None:
        raise NotFound(f"no import {import_id}")
    if run.undone_at is not None:
        raise Conflict(f"import {import_id} was already undone")
    removed = writer.remove_import(session, import_id)
    run.undone_at = utcnow()
    run.status = "undone"
    session.flush()
    record_activity(session, actor, "undid import", run, f"undid {run.filename}: removed {removed}")
    return removed
