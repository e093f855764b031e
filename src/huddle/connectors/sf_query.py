"""What a SOQL query's answer holds beyond a flat list of records: the sf CLI's JSON wrapper,
a parent-child query's nested records, and the pages it did not fetch.

`sf data query --json` prints `{"status": 0, "result": {"records": [...], "totalSize": …,
"done": true}, "warnings": [...]}` (a failed command `{"status": 1, "name":
"INVALID_FIELD", "message": …}`); the REST API's query answer is the `result` alone, with a
`nextRecordsUrl` while `done` is false. A parent-child query (`SELECT Name, (SELECT Subject,
Description FROM ActivityHistories) FROM Account`) nests each account's related records
under the relationship's name as a query answer of their own (`{"totalSize", "done",
"records"}`, or null for none). Those children are the evidence: each is read as the row a
Task or Note export writes, on its parent account (`AccountId` and `Parent.Name` from the
parent's `Id` and `Name`; a parent of another kind gives its own `AccountId`/`Account.Name`
if the query chose them, else its name, read for an account's). The parents are not imported
as accounts: the query is about their activities.
"""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from huddle.connectors.json_reading import first_bytes, json_values_at
from huddle.connectors.record_values import as_text, dict_at
from huddle.imports.records import RowError
from huddle.imports.rows import RowShapeError

# Where the records are: the REST answer's, or inside the sf CLI's wrapper.
_ANSWERS = ("", "result.")
# A field the REST API gives as the URL of its file, not its value (ContentNote's `Content`,
# an Attachment's `Body`): no words.
_BLOB = "/services/data/"


def cli_failure(path: Path, encoding: str) -> str | None:
    """The message of a failed sf command saved with --json (`status` not 0, no `result`);
    None for any other file."""
    head = first_bytes(path, encoding).lstrip()
    if not head.startswith(b"{") or b'"status"' not in head:
        return None
    try:
        status = next(json_values_at(path, "status", encoding=encoding), 0)
        # The CLI's status is its exit code: a number ("status": "success" is another tool's).
        if not _exit_code(status) or next(json_values_at(path, "result", encoding=encoding), None):
            return None
        name = next(json_values_at(path, "name", encoding=encoding), None)
        message = next(json_values_at(path, "message", encoding=encoding), None)
    except RowShapeError:
        return None
    said = ": ".join(t for t in (as_text(name), " ".join(str(message or "").split())) if t)
    reason = said or f"status {status}"
    return f"{path.name} is the sf CLI's answer to a command that failed ({reason})"


def _exit_code(status: Any) -> bool:
    """Whether `status` is a failed command's exit code (an integer other than 0)."""
    return isinstance(status, int) and not isinstance(status, bool) and status != 0


def children(record: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Each record a parent-child query nested in `record`, as its own record with its
    parent's account beside it (its fields win where it has them)."""
    for value in record.values():
        if not (isinstance(value, dict) and isinstance(value.get("records"), list)):
            continue
        context = _parent_context(record)
        for child in value["records"]:
            if isinstance(child, dict):
                yield {**context, **child}


def cut_children(record: dict[str, Any]) -> int:
    """How many of a record's subqueries were cut at their first page (`done` false)."""
    return sum(
        1
        for value in record.values()
        if isinstance(value, dict)
        and isinstance(value.get("records"), list)
        and value.get("done") is False
    )


def _parent_context(parent: dict[str, Any]) -> dict[str, Any]:
    """The fields a child record is read on its account by: an account parent's own id and
    name; another parent's account (its `AccountId`, `Account.Name`), else its name."""
    kind = as_text(dict_at(parent, "attributes").get("type"))
    record_id, name = as_text(parent.get("Id")), as_text(parent.get("Name"))
    if kind == "Account" or (kind is None and (record_id or "").startswith("001")):
        return {"AccountId": record_id, "Parent": {"Name": name, "Type": "Account"}}
    account_id = as_text(parent.get("AccountId"))
    account_name = as_text(dict_at(parent, "Account").get("Name"))
    if account_id or account_name:
        return {"AccountId": account_id, "Parent": {"Name": account_name, "Type": "Account"}}
    return {"Parent": {"Name": name, "Type": kind}}


def no_blob(value: Any) -> Any:
    """A field's value, None where it is only the URL of a file the API keeps."""
    return None if isinstance(value, str) and value.startswith(_BLOB) else value


def blob_fields(record: dict[str, Any]) -> set[str]:
    """The fields of a record that hold only a file's URL."""
    return {key for key, value in record.items() if no_blob(value) is None and value is not None}


def blob_warning(fields: set[str]) -> list[RowError]:
    """What the user can do about fields read as no words because they are files' URLs."""
    return [
        RowError(
            1,
            field,
            "holds the URL of a file the API keeps, not its words, and was left out (a "
            "ContentNote's words are in TextPreview: query that field)",
        )
        for field in sorted(fields)
    ]


def unfetched(path: Path, encoding: str, cut: int) -> list[RowError]:
    """Warnings for what the saved answer does not hold: the next page of the records (a
    `nextRecordsUrl`), the rest of `cut` subqueries' records."""
    warnings = []
    for at in _ANSWERS:
        try:
            more = next(json_values_at(path, f"{at}nextRecordsUrl", encoding=encoding), None)
        except RowShapeError:
            more = None
        if as_text(more):
            warnings.append(
                RowError(
                    1,
                    "nextRecordsUrl",
                    f"the query's answer is one page: the rest is at {more}; fetch every page "
                    "(sf data query fetches them all) and import them too",
                )
            )
            break
    if cut:
        warnings.append(
            RowError(
                1,
                "done",
                f"{cut} parent record(s) hold only the first page of their related records "
                "(done: false); query those records on their own (FROM Task WHERE AccountId …) "
                "to import the rest",
            )
        )
    return warnings
