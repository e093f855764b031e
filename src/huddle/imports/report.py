"""What an import did, as the command line, the imports page and the API tell it: rows read,
items new and updated, what was left out and why, rows that are not records, accounts left
unattached or created, undated items, warnings; and the refusal that carries it when any row
is bad (nothing written)."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from huddle.connectors import noise
from huddle.errors import Invalid
from huddle.imports.records import RowError

MAX_REPORTED_ERRORS = 1000


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
    unchanged: int = 0
    # Read as a person reads an export: what was left out as noise (reason -> count), rows of
    # a report that are not records, messages read with a fallback.
    left_out: dict[str, int] = field(default_factory=dict)
    skipped_rows: int = 0
    warnings: list[RowError] = field(default_factory=list)
    # Accounts named but unknown: reference -> items left unattached; and those created.
    unmatched_accounts: dict[str, int] = field(default_factory=dict)
    created_accounts: list[str] = field(default_factory=list)
    # Items without a date of their own, dated with `dated_as` (the import's date by default).
    undated: int = 0
    dated_as: date | None = None
    # When nothing could be read: the source the file reads as instead ("it reads as …").
    hint: str | None = None

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def rows_are(self) -> str:
        """What a row read is: a call's rows are its turns, both sides' (what comes in is the
        customer's statements, one item a turn that holds any)."""
        return "turns" if self.source == "transcript" else "rows"

    def notes(self, *, on_page: bool = False) -> list[str]:
        """What a person should know beside the counts, one line each; `on_page` names the
        imports page's fields where the command line's flags would be named."""
        keep_noise, occurred_at = (
            ("“Keep noise”", "“Date for undated items”")
            if on_page
            else ("--keep-noise", "--occurred-at")
        )
        lines = []
        if self.left_out:
            lines.append(f"left out: {noise.summary(self.left_out)} ({keep_noise} brings them in)")
        if self.skipped_rows:
            lines.append(
                f"skipped {self.skipped_rows} row{'s' if self.skipped_rows != 1 else ''} "
                "that are not records (titles, totals, footers, blank rows)"
            )
        if self.unmatched_accounts:
            named = ", ".join(f"{ref} ({n})" for ref, n in sorted(self.unmatched_accounts.items()))
            count = sum(self.unmatched_accounts.values())
            lines.append(
                f"{count} item{'s' if count != 1 else ''} left unattached, naming accounts "
                f"Huddle does not know: {named}"
            )
        if self.created_accounts:
            lines.append("created as prospects: " + ", ".join(self.created_accounts))
        if self.undated:
            lines.append(
                f"{self.undated} item{'s' if self.undated != 1 else ''} had no date: dated "
                f"{self.dated_as.isoformat() if self.dated_as else 'today'}"
                f" ({occurred_at} sets another)"
            )
        lines.extend(f"warning: {warning}" for warning in self.warnings)
        return lines

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "file": self.filename,
            "rows": self.rows_read,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "dry_run": self.dry_run,
            "import_id": self.import_id,
            "errors": [_row_error(e) for e in self.errors],
            "left_out": self.left_out,
            "skipped_rows": self.skipped_rows,
            "warnings": [_row_error(e) for e in self.warnings],
            "unmatched_accounts": self.unmatched_accounts,
            "created_accounts": self.created_accounts,
            "undated": self.undated,
            "dated_as": self.dated_as.isoformat() if self.dated_as else None,
        }


def _row_error(error: RowError) -> dict[str, Any]:
    found = {"line": error.line, "column": error.column, "reason": error.reason}
    # The file, in an import of several (a data export's "Note.csv").
    return found | ({"file": error.file} if error.file else {})


class ImportFailed(Invalid):
    """Raised with the whole report when any row is bad; nothing has been written."""

    def __init__(self, report: ImportReport) -> None:
        count = len(report.errors)
        super().__init__(
            f"{report.filename}: {count} bad row{'s' if count != 1 else ''}; nothing was imported"
            + (f". {report.hint}" if report.hint else "")
        )
        self.report = report
