"""Streaming a JSON export with line numbers: an array, a wrapper object (an API page, its
records perhaps one object down: HAL's `_embedded`, Chatwoot's `data`) or JSON lines.

A file is read in small chunks and only one record is held at a time, so a 200 MB export
costs the records it yields, not the file's size. A file that cannot be read (not JSON, cut
short, not UTF-8 where no `--encoding` says otherwise) is reported as
`RowShapeError(line, reason)`, which `common.run_rows` turns into the connector's `RowError`s
instead of a traceback.
"""

import codecs
import io
import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

import ijson  # type: ignore[import-untyped]

from huddle.connectors.binary_files import refuse_binary
from huddle.errors import Invalid
from huddle.imports.rows import RowShapeError

# Small reads keep the line counter close to where the parser is; ijson's C backend does
# not slow down noticeably at this size.
JSON_CHUNK = 2048


class LineCountingReader:
    """A binary reader that knows which line of the file it has reached.

    A file in another encoding is re-encoded to UTF-8 on the fly, since JSON parsers (and
    RFC 8259) speak UTF-8; a UTF-8 byte-order mark is dropped.
    """

    def __init__(self, raw: IO[bytes], encoding: str = "utf-8") -> None:
        self.line = 1
        self._raw = raw
        normal = codecs.lookup(encoding).name
        self._text = None if normal == "utf-8" else codecs.getreader(encoding)(raw)
        self._first = True

    def read(self, size: int = -1) -> bytes:
        if size == 0:
            return b""  # ijson probes with read(0) to learn bytes from text
        if self._text is not None:
            data = self._text.read(size if size > 0 else -1).encode("utf-8")
        else:
            data = self._raw.read(size)
        if self._first:
            self._first = False
            data = data.removeprefix(codecs.BOM_UTF8)
        self.line += data.count(b"\n")
        return data


def _json_failure(error: Exception, line: int, what: str) -> RowShapeError:
    message = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    if "UTF8" in message or isinstance(error, UnicodeDecodeError):
        return RowShapeError(
            line, "the file is not UTF-8 text here; pass --encoding (e.g. cp1252 or utf-16)"
        )
    if isinstance(error, ijson.IncompleteJSONError) and "premature EOF" in message:
        return RowShapeError(line, f"the file ends in the middle of {what} (truncated JSON?)")
    return RowShapeError(line, f"not valid JSON near here ({message})")


def is_json(path: Path, encoding: str = "utf-8") -> bool:
    """Whether the file holds JSON (its first character a bracket or a brace), not a CSV."""
    try:
        with path.open("rb") as handle:
            head = handle.read(512)
    except OSError:
        return False
    text = head.decode(encoding, errors="ignore").lstrip("\ufeff \t\r\n")
    return text[:1] in {"[", "{"}


def first_bytes(path: Path, encoding: str, size: int = 65536) -> bytes:
    """A JSON file's first bytes as UTF-8 without a byte-order mark, to tell its shape by;
    Invalid for a file that is not text (`refuse_binary`)."""
    with path.open("rb") as handle:
        head = handle.read(size)
    refuse_binary(path, head)
    if codecs.lookup(encoding).name != "utf-8":
        head = head.decode(encoding, errors="ignore").encode("utf-8")
    return head.removeprefix(codecs.BOM_UTF8)


def json_shape(path: Path, list_keys: tuple[str, ...], encoding: str = "utf-8") -> str:
    """'lines' (one record per line), 'array', 'object' (a wrapper), or 'empty'."""
    head = first_bytes(path, encoding)
    if looks_like_json_lines(head, list_keys):
        return "lines"
    stripped = head.lstrip()
    if not stripped:
        return "empty"
    return "object" if stripped.startswith(b"{") else "array"


def iter_json_records(
    path: Path, *, list_keys: tuple[str, ...], encoding: str = "utf-8", what: str = "a record"
) -> Iterator[tuple[int, Any]]:
    """(line, record) for each record of a JSON array, a wrapper object or JSON lines.

    Accepted shapes: `[{…}, …]`; `{"<one of list_keys>": [{…}, …], …}` (an API page or an
    export with sideloads), also inside a wrapper object (HAL's `{"_embedded": {…}}`,
    Chatwoot's `{"data": {"meta": …, "payload": [...]}}`); one JSON object per line. For
    arrays the line is where the reader was when the record was complete, so it is within a
    few lines of the record's end.
    """
    head = first_bytes(path, encoding)
    if looks_like_json_lines(head, list_keys):
        yield from _json_lines(path, encoding, what)
        return
    key = _wrapper_key(head, list_keys)
    prefix = f"{_array_path(head, key)}.item" if key else "item"
    yield from json_records_at(path, prefix, encoding=encoding, what=what)


def first_record(
    path: Path, list_keys: tuple[str, ...], encoding: str = "utf-8"
) -> dict[str, Any] | None:
    """The first record of a JSON export (as `iter_json_records` finds them), to tell whose
    export it is by; None when there is none or it cannot be read (the reader that takes the
    file reports why)."""
    try:
        for _, record in iter_json_records(path, list_keys=list_keys, encoding=encoding):
            return record if isinstance(record, dict) else None
    except (RowShapeError, ValueError):
        return None
    return None


def paged_objects(
    path: Path,
    key: str,
    *,
    alone: str | tuple[str, ...],
    encoding: str = "utf-8",
    what: str = "a record",
) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line, object) of each object of an API page's `key` list (`{"results": [...]}`), of
    pages a script gathered in an array, or of the list alone; when there is none, the file's
    one object saved alone (a detail endpoint's answer), known by holding `alone` (or one of
    them). Raises RowShapeError for a listed value that is not an object."""
    keys = (alone,) if isinstance(alone, str) else alone
    found = False
    for line, record in iter_json_records(path, list_keys=(key,), encoding=encoding, what=what):
        page = record.get(key) if isinstance(record, dict) else None
        for value in page if isinstance(page, list) else [record]:
            if not isinstance(value, dict):
                raise RowShapeError(line, f"{what} must be a JSON object")
            found = True
            yield line, value
    if not found:
        for value in json_values_at(path, "", encoding=encoding, what=what):
            if isinstance(value, dict) and any(k in value for k in keys):
                yield 1, value


def json_records_at(
    path: Path, prefix: str, *, encoding: str = "utf-8", what: str = "a record"
) -> Iterator[tuple[int, Any]]:
    """(line, value) of the values at one ijson prefix (`feed.entry.item`), streamed; the line
    is where the reader was when the value was complete."""
    with path.open("rb") as raw:
        reader = LineCountingReader(raw, encoding)
        try:
            for record in ijson.items(reader, prefix, buf_size=JSON_CHUNK, use_float=True):
                yield reader.line, record
        except (ijson.JSONError, UnicodeDecodeError) as error:
            raise _json_failure(error, reader.line, what) from None


def first_value_at(path: Path, prefix: str, encoding: str = "utf-8") -> Any | None:
    """The first value at one ijson prefix (an API page's `paging.next`), to tell whether more
    pages follow; None when there is none or the file cannot be read there (the reader that
    takes the file reports why)."""
    try:
        return next(json_values_at(path, prefix, encoding=encoding), None)
    except (RowShapeError, Invalid):
        return None


def json_values_at(
    path: Path, prefix: str, *, encoding: str = "utf-8", what: str = "a record"
) -> Iterator[Any]:
    """The values at one ijson prefix (e.g. `users.item`), streamed."""
    with path.open("rb") as raw:
        reader = LineCountingReader(raw, encoding)
        try:
            yield from ijson.items(reader, prefix, buf_size=JSON_CHUNK * 8, use_float=True)
        except (ijson.JSONError, UnicodeDecodeError) as error:
            raise _json_failure(error, reader.line, what) from None


def looks_like_json_lines(head: bytes, list_keys: tuple[str, ...]) -> bool:
    """Whether the file is JSON lines (an object a line), not an object written on one line
    (an API page saved minified): its first line an object holding none of `list_keys`; when
    no second line follows, not an id-less wrapper of a list of records either."""
    first, newline, rest = head.partition(b"\n")
    if not newline or not first.strip().startswith(b"{"):
        return False
    try:
        value = json.loads(first)
    except ValueError:
        return False
    if not isinstance(value, dict) or any(isinstance(value.get(k), list) for k in list_keys):
        return False
    if rest.strip():
        return True
    # One line: a record holds an id of its own; a page holds its records and a cursor.
    return bool(_OWN_ID & value.keys()) or not _holds_records(value, _WRAPPER_DEPTH)


# The keys naming a record's own id, which a page's wrapper does not have.
_OWN_ID = frozenset(("id", "_id", "uuid", "guid", "key"))
# How deep a one-line wrapper nests its list of records (`{"result": {"items": [...]}}`): a
# record of JSON lines may keep an API's envelopes deeper (Drift's messages page in a line).
_WRAPPER_DEPTH = 2


def _holds_records(value: Any, depth: int) -> bool:
    """Whether a list of objects lies in the value, at most `depth` objects down."""
    if isinstance(value, list):
        return any(isinstance(item, dict) for item in value)
    if isinstance(value, dict) and depth > 0:
        return any(_holds_records(inner, depth - 1) for inner in value.values())
    return False


def _wrapper_key(head: bytes, list_keys: tuple[str, ...]) -> str | None:
    stripped = head.lstrip()
    if not stripped.startswith(b"{"):
        return None
    found: list[tuple[int, str]] = []
    for key in list_keys:
        match = re.search(rb'"' + re.escape(key.encode()) + rb'"\s*:\s*\[', head)
        if match:
            found.append((match.start(), key))
    # The wrapper's records may come after other arrays (sideloads), so the first known key wins.
    return min(found)[1] if found else list_keys[0]


def _array_path(head: bytes, key: str) -> str:
    """Where the array named `key` sits: at the top of the wrapper, else the first one the
    head shows inside its objects (not inside a record), as `_embedded.conversations` or
    `data.payload`; `key` itself when the head shows neither (it is cut, or not JSON)."""
    inside: list[str] = []
    try:
        for prefix, event, _ in ijson.parse(io.BytesIO(head)):
            if event != "start_array" or prefix.rpartition(".")[2] != key:
                continue
            if prefix == key:
                return key
            if "item" not in prefix.split("."):
                inside.append(prefix)
    except ijson.JSONError:
        pass  # the head ends mid-file: what it showed is enough
    return inside[0] if inside else key


def _json_lines(path: Path, encoding: str, what: str) -> Iterator[tuple[int, Any]]:
    with path.open("r", encoding=encoding) as handle:
        yield from json_lines(handle, what)


def json_lines(lines: Iterable[str], what: str) -> Iterator[tuple[int, Any]]:
    """(line, value) of each line of JSON lines that is not blank; a line that is no JSON is a
    RowShapeError naming `what` ("line 6 is not valid JSON"), as is text that is not UTF-8."""
    number = 0
    try:
        for number, text in enumerate(lines, start=1):
            if not text.strip():
                continue
            try:
                value = json.loads(text)
            except json.JSONDecodeError as error:
                raise RowShapeError(
                    number, f"{what} is not valid JSON ({error.msg}; truncated?)"
                ) from None
            yield number, value
    except UnicodeDecodeError as error:
        raise _json_failure(error, number + 1, what) from None


def last_page_value(path: Path, keys: frozenset[str], encoding: str = "utf-8") -> str | None:
    """The string at one of `keys` (ijson prefixes: `next_cursor`, `item.next_cursor`) on the
    file's last page, as an API names its next page; a script's array of pages is complete
    when its last page names none. None too for a file that cannot be read (reading its
    records says what is wrong with it)."""
    found: str | None = None
    with path.open("rb") as raw:
        try:
            for prefix, event, value in ijson.parse(LineCountingReader(raw, encoding)):
                if prefix == "item" and event == "start_map":
                    found = None  # a new page of a script's array of pages
                elif prefix in keys and event == "string":
                    found = value or None
        except (ijson.JSONError, UnicodeDecodeError):
            return None
    return found
