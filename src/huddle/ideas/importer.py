"""`huddle import ideas FILE`: solutions from CSV or JSONL, all or nothing.

Columns: `title` (required), `description`, `internal_notes`, `product_area`, `problem_ids`
(ids separated by commas, semicolons or spaces; a JSON list in JSONL), `value_tags`, and the
frameworks' inputs `reach`, `impact`, `confidence` (0.8 or 80%), `effort`,
`business_value`, `time_criticality`, `risk_reduction`, `ease`, and where it stands on the
roadmap: `horizon` (now, next, later), `commitment` (exploring, planned, committed, shipped),
`quarter` (2027-Q1), `public` (yes or no). Every bad row is reported with its line and
column; if there is one, nothing is written.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from huddle.auth.actor import Actor
from huddle.auth.policies import may_plan, require
from huddle.errors import HuddleError
from huddle.ideas import scoring, service
from huddle.ideas.repository import SolutionRepository
from huddle.ideas.schemas import SolutionCreate
from huddle.imports.records import RowError
from huddle.imports.rows import Row, RowShapeError, detect_format, open_text, read_rows

COLUMNS = (
    "title",
    "description",
    "internal_notes",
    "product_area",
    "problem_ids",
    "value_tags",
    *scoring.INPUTS,
    "horizon",
    "commitment",
    "quarter",
    "public",
)
YES = {"yes", "y", "true", "1", "x", "public"}
NO = {"no", "n", "false", "0", ""}
_SEPARATORS = re.compile(r"[\s,;|]+")


@dataclass
class IdeasReport:
    filename: str
    rows_read: int = 0
    created: list[int] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.filename,
            "ok": self.ok,
            "dry_run": self.dry_run,
            "rows_read": self.rows_read,
            "created": len(self.created),
            "ids": self.created,
            "errors": [
                {"line": e.line, "column": e.column, "reason": e.reason} for e in self.errors
            ],
        }


class IdeasImportFailed(HuddleError):
    status = 422

    def __init__(self, report: IdeasReport) -> None:
        count = len(report.errors)
        super().__init__(
            f"{report.filename}: {count} bad row{'s' if count != 1 else ''}; nothing was imported"
        )
        self.report = report


def _number(text: str, column: str) -> float | None:
    cleaned = text.strip().replace(",", "") if isinstance(text, str) else text
    if cleaned in ("", None):
        return None
    if isinstance(cleaned, int | float) and not isinstance(cleaned, bool):
        return float(cleaned)
    if not isinstance(cleaned, str):
        raise ValueError("must be a number")
    percent = cleaned.endswith("%")
    try:
        value = float(cleaned.rstrip("%").strip())
    except ValueError:
        raise ValueError(f"{text!r} is not a number") from None
    if percent or (column == "confidence" and value > 1):
        # 80% and 80 both mean 0.8 for confidence; other columns take a percent as given.
        return value / 100 if column == "confidence" else value
    return value


def _ids(value: Any) -> list[int]:
    if value in (None, ""):
        return []
    parts = value if isinstance(value, list) else _SEPARATORS.split(str(value).strip())
    found = []
    for part in parts:
        text = str(part).strip().lstrip("#")
        if not text:
            continue
        if not text.isdigit():
            raise ValueError(f"{part!r} is not a problem id")
        found.append(int(text))
    return found


def _tags(value: Any) -> list[str]:
    if value in (None, ""):
        return []
    parts = value if isinstance(value, list) else _SEPARATORS.split(str(value).strip())
    return [str(p).strip().lower().replace("-", "_") for p in parts if str(p).strip()]


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value if value is not None else "").strip().lower()
    if text in YES | NO:
        return text in YES
    raise ValueError(f"{value!r}: write yes or no")


def _parse(row: Row, reported: set[str]) -> tuple[SolutionCreate | None, list[RowError]]:
    values = {k.strip().lower(): v for k, v in row.values.items() if k}
    # An unknown column is named once, where it first appears.
    unknown = sorted(set(values) - set(COLUMNS) - reported)
    reported.update(unknown)
    errors = [
        RowError(row.line, name, f"unknown column (known: {', '.join(COLUMNS)})")
        for name in unknown
    ]
    data: dict[str, Any] = {}
    for name in ("title", "description", "internal_notes", "product_area"):
        if values.get(name) not in (None, ""):
            data[name] = str(values[name])
    for name in scoring.INPUTS:
        try:
            data[name] = _number(values.get(name, ""), name)
        except ValueError as error:
            errors.append(RowError(row.line, name, str(error)))
    try:
        data["problem_ids"] = _ids(values.get("problem_ids"))
    except ValueError as error:
        errors.append(RowError(row.line, "problem_ids", str(error)))
    data["value_tags"] = _tags(values.get("value_tags"))
    for name in ("horizon", "commitment"):
        if values.get(name) not in (None, ""):
            data[name] = str(values[name]).strip().lower()
    if values.get("quarter") not in (None, ""):
        data["quarter"] = str(values["quarter"]).strip().upper()
    try:
        data["public"] = _flag(values.get("public"))
    except ValueError as error:
        errors.append(RowError(row.line, "public", str(error)))
    if errors:
        return None, errors
    try:
        parsed = SolutionCreate(**data)
    except ValidationError as error:
        for problem in error.errors():
            column = str(problem["loc"][0]) if problem["loc"] else None
            errors.append(RowError(row.line, column, problem["msg"]))
        return None, errors
    for name, message in scoring.validate_inputs(
        {n: getattr(parsed, n) for n in scoring.INPUTS}
    ).items():
        errors.append(RowError(row.line, name, message))
    return (parsed if not errors else None), errors


def _rows(path: Path, fmt: str | None, encoding: str) -> Iterator[Row]:
    kind = detect_format(path, fmt)
    with open_text(path, encoding) as handle:
        _header, rows = read_rows(handle, kind)
        yield from rows


def import_ideas(
    session: Session,
    *,
    path: Path,
    actor: Actor,
    fmt: str | None = None,
    encoding: str = "utf-8-sig",
    dry_run: bool = False,
) -> IdeasReport:
    """Create a solution per row, or none: raises IdeasImportFailed listing every bad row."""
    require(may_plan(actor))
    report = IdeasReport(filename=path.name, dry_run=dry_run)
    parsed: list[tuple[int, SolutionCreate]] = []
    reported: set[str] = set()
    try:
        for row in _rows(path, fmt, encoding):
            report.rows_read += 1
            found, errors = _parse(row, reported)
            report.errors.extend(errors)
            if found is not None:
                parsed.append((row.line, found))
    except RowShapeError as error:
        report.errors.append(RowError(error.line, None, error.reason))
    known = SolutionRepository(session).existing_problems(
        {i for _line, data in parsed for i in data.problem_ids}
    )
    for line, data in parsed:
        missing = [i for i in data.problem_ids if i not in known]
        if missing:
            report.errors.append(
                RowError(line, "problem_ids", f"no problem {', '.join(map(str, missing))}")
            )
    if not report.errors and report.rows_read == 0:
        report.errors.append(RowError(1, None, "the file holds no ideas"))
    if report.errors:
        report.errors.sort(key=lambda e: e.line)
        raise IdeasImportFailed(report)
    if dry_run:
        return report
    for line, data in parsed:
        try:
            report.created.append(service.create_solution(session, data=data, actor=actor).id)
        except HuddleError as error:
            report.errors.append(RowError(line, error.field, error.message))
    if report.errors:
        raise IdeasImportFailed(report)
    return report
