"""What a connector reads in a file as `unwrap.readable` gives it: an Excel workbook's sheet
read as the CSV it holds, its rows and messages named as the sheet numbers them; a zip of
several exports a connector reads whole (Salesforce's data export) read file by file as one
import, each bad row named by its file and line."""

import re
from dataclasses import replace
from pathlib import Path

from huddle.connectors.base import (
    Connector,
    ConnectorOptions,
    ConnectorOutput,
    DataExportPlan,
    ReadsDataExport,
)
from huddle.imports import unwrap, workbook
from huddle.imports.records import RowError
from huddle.imports.report import ImportReport


def report_in_sheet(report: ImportReport | ConnectorOutput, readable: workbook.Converted) -> None:
    """A report's errors and warnings named by the workbook's rows, and what was read."""
    report.errors[:] = [replace(e, line=readable.in_sheet(e.line)) for e in report.errors]
    report.warnings[:] = [replace(e, line=readable.in_sheet(e.line)) for e in report.warnings]
    report.warnings.extend(RowError(1, None, note) for note in readable.notes())


def read_converted(
    connector: Connector, readable: workbook.Converted, options: ConnectorOptions
) -> tuple[ConnectorOutput, ConnectorOptions]:
    """What `connector` reads in a file as `unwrap.readable` gives it, and the options it was
    read with: an Excel workbook is read as the UTF-8 CSV it holds, its rows named as the
    sheet numbers them."""
    if not readable.as_is:
        options = replace(options, encoding="utf-8")
    output = connector.read(readable.path, options)
    in_sheet(output, readable)
    return output, options


def data_export(connector: Connector, path: Path) -> DataExportPlan | None:
    """How `path` is read when it is a zip of several exports that `connector` reads whole
    (Salesforce's data export); None otherwise (a zip of several is then refused, naming
    them)."""
    if not isinstance(connector, ReadsDataExport):
        return None
    names = unwrap.export_names(path)
    if len(names) < 2 or len(set(names)) != len(names):
        return None
    return connector.plan_data_export(names)


# While a data export is imported its files' lines are numbered apart (the k-th file read's
# line n is k * _FILE_LINES + n), so what the import finds once every file is read (the same
# id twice, a value too long) is still named by its file and line (`_in_its_file`).
_FILE_LINES = 10**9
_SHIFTED_LINE = re.compile(r"\bline (\d{10,})\b")


def read_data_export(
    connector: Connector, path: Path, options: ConnectorOptions, plan: DataExportPlan
) -> ConnectorOutput:
    """Every file of a data export the plan reads, in its order (the accounts before the notes
    that name them), as one import: one run, one undo; records on a contact or a deal put on
    its account. A bad row is named by its file; the files passed over are said in the
    summary."""
    assert isinstance(connector, ReadsDataExport)
    read, passed_over = plan.read, plan.passed_over
    whole = ConnectorOutput()
    with unwrap.exports_named(path, [*read, *plan.links]) as by_name:
        for number, name in enumerate(read, 1):
            if by_name[name].stat().st_size == 0:
                continue  # an object with no rows: Salesforce may write it empty
            with unwrap.readable(by_name[name], unzip=False) as readable:
                output, _ = read_converted(connector, readable, options)
            for record in output.records():
                record.line += number * _FILE_LINES
            output.errors[:] = [replace(error, file=name) for error in output.errors]
            output.warnings[:] = [replace(warning, file=name) for warning in output.warnings]
            whole.extend(output)
        connector.link_accounts(whole, {name: by_name[name] for name in plan.links}, options)
    said = [f"read {', '.join(read)} from {path.name}"]
    if plan.links:
        said.append(f"{', '.join(plan.links)} for the accounts of the records on them")
    if passed_over:
        said.append(
            f"passed over {', '.join(passed_over)} (of a data export Huddle reads the accounts, "
            "notes, tasks, events and case mail)"
        )
    whole.warnings.append(RowError(1, None, "; ".join(said)))
    return whole


def in_their_files(report: ImportReport, read: list[str]) -> None:
    """What the import found in a data export's records (errors, and warnings: an owner it
    does not know), each named by its file and line."""
    report.errors[:] = [_in_its_file(error, read) for error in report.errors]
    report.warnings[:] = [_in_its_file(warning, read) for warning in report.warnings]


def _in_its_file(error: RowError, read: list[str]) -> RowError:
    if error.line < _FILE_LINES:
        return error

    def where(line: int) -> str:
        return f"{read[line // _FILE_LINES - 1]} line {line % _FILE_LINES}"

    reason = _SHIFTED_LINE.sub(lambda found: where(int(found.group(1))), error.reason)
    return replace(
        error,
        line=error.line % _FILE_LINES,
        reason=reason,
        file=read[error.line // _FILE_LINES - 1],
    )


def in_sheet(output: ConnectorOutput, readable: workbook.Converted) -> None:
    """A workbook's CSV lines renumbered as the rows of its sheet, and the sheet it read."""
    if readable.as_is:
        report_in_sheet(output, readable)
        return
    for record in output.records():
        record.line = readable.in_sheet(record.line)
    for left in output.left_out:
        left.line = readable.in_sheet(left.line)
        left.record.line = readable.in_sheet(left.record.line)
    report_in_sheet(output, readable)
