"""What several connectors share: streaming JSON and CSV with line numbers, emails, times, HTML.

Every reader here streams: a file is read in small chunks and only one record is held at a
time, so a 200 MB export costs the records it yields, not the file's size. A file that cannot
be read is reported as `RowShapeError(line, reason)`; `run_rows` turns that (and a wrong
encoding) into the connector's `RowError`s instead of a traceback.
"""

import codecs
import csv
import io
import itertools
import json
import re
import zipfile
import zlib
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping
from contextvars import ContextVar
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import IO, Any

import ijson  # type: ignore[import-untyped]

from huddle.connectors.base import ConnectorOptions, ConnectorOutput
from huddle.errors import Invalid
from huddle.imports.fields import FieldSpec, resolve_columns, spelled
from huddle.imports.records import RowError
from huddle.imports.rows import Row, RowShapeError, bom_of, csv_format, read_rows
from huddle.kit.time import parse_datetime

# Small reads keep the line counter close to where the parser is; ijson's C backend does
# not slow down noticeably at this size.
JSON_CHUNK = 2048
# `--map KEY=VALUE` entries that are settings of a connector, not COLUMN=FIELD.
SETTING_KEYS = {"instance", "portal_id", "app_id", "workspace", "account", "recording", "kind"}
_EMAIL = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")


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


# Files that are not text, by their first bytes: a compressed download saved under its inner
# name ("tickets.csv" that is gzip), a report saved as PDF, a screenshot.
_NOT_TEXT = (
    (
        b"\x1f\x8b",
        "is gzip-compressed, not text: decompress it first (gunzip, or open it with your "
        "archive tool) and import the file inside",
    ),
    (
        b"%PDF-",
        "is a PDF document, not a data export: download the export itself from the tool "
        "(CSV or JSON), not its printed report",
    ),
    (
        b"\x28\xb5\x2f\xfd",
        "is Zstandard-compressed (zstd), not text: saved as the server sent it, still compressed "
        '(a browser\'s "Copy as cURL" without --compressed); download it again, or decompress '
        "it first (zstd -d)",
    ),
    (
        b"\xfd7zXZ\x00",
        "is xz-compressed, not text: decompress it first (xz -d) and import the file inside",
    ),
    (b"\x89PNG", "is a PNG image, not a data export"),
    (b"\xff\xd8\xff", "is a JPEG image, not a data export"),
)


# A web page saved under an export's name: a report's printable view, a sign-in or a
# bot-check page ("Just a moment...") the browser was shown instead of the download.
_HTML_PAGE = re.compile(
    rb"^\s*(?:<!--.*?-->\s*)?<(?:!doctype\s+html|html)\b", re.IGNORECASE | re.DOTALL
)


def refuse_binary(path: Path, head: bytes) -> None:
    """Invalid, naming the file and what it is, when its first bytes are those of a format
    that is not text (gzip, PDF, an image) or of a web page."""
    for magic, what in _NOT_TEXT:
        if head.startswith(magic):
            raise Invalid(f"line 1: {path.name} {what}")
    if _HTML_PAGE.match(head.removeprefix(codecs.BOM_UTF8)):
        raise Invalid(
            f"line 1: {path.name} is an HTML page (a web page saved from the browser), not an "
            "export: download the export file itself from the tool"
        )


def _first_bytes(path: Path, encoding: str, size: int = 65536) -> bytes:
    with path.open("rb") as handle:
        head = handle.read(size)
    refuse_binary(path, head)
    if codecs.lookup(encoding).name != "utf-8":
        head = head.decode(encoding, errors="ignore").encode("utf-8")
    return head.removeprefix(codecs.BOM_UTF8)


def json_shape(path: Path, list_keys: tuple[str, ...], encoding: str = "utf-8") -> str:
    """'lines' (one record per line), 'array', 'object' (a wrapper), or 'empty'."""
    head = _first_bytes(path, encoding)
    if _looks_like_json_lines(head, list_keys):
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
    export with sideloads), also under HAL's `_embedded`; one JSON object per line. For
    arrays the line is where the reader was when the record was complete, so it is within a
    few lines of the record's end.
    """
    head = _first_bytes(path, encoding)
    if _looks_like_json_lines(head, list_keys):
        yield from _json_lines(path, encoding, what)
        return
    key = _wrapper_key(head, list_keys)
    prefix = f"{key}.item" if key else "item"
    if key and re.search(rb'"_embedded"\s*:\s*\{\s*"%b"\s*:' % re.escape(key.encode()), head):
        # A HAL page (Help Scout's API): the records sit under `_embedded`.
        prefix = f"_embedded.{prefix}"
    with path.open("rb") as raw:
        reader = LineCountingReader(raw, encoding)
        try:
            for record in ijson.items(reader, prefix, buf_size=JSON_CHUNK, use_float=True):
                yield reader.line, record
        except (ijson.JSONError, UnicodeDecodeError) as error:
            raise _json_failure(error, reader.line, what) from None


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


def _looks_like_json_lines(head: bytes, list_keys: tuple[str, ...]) -> bool:
    first, newline, _ = head.partition(b"\n")
    if not newline or not first.strip().startswith(b"{"):
        return False
    try:
        value = json.loads(first)
    except ValueError:
        return False
    return isinstance(value, dict) and not any(isinstance(value.get(k), list) for k in list_keys)


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


# The first cell of a report's rows that are not records: totals, averages, footers.
_NOT_A_RECORD = re.compile(
    r"^\s*(grand totals?|totals?|subtotals?|sum|average( rating| score)?|count|responses|"
    r"records|showing \d|generated (by|on|at)|exported (by|on|at)|confidential|copyright|©|"
    r"\(c\)|page \d)\b",
    re.IGNORECASE,
)
_TOTAL_CELL = re.compile(r"^\s*(grand\s+|sub)?totals?\s*(\(\d+\s*records?\)|:)?\s*$", re.IGNORECASE)
_FIGURE = re.compile(r"^[\s$€£%.,:()\d-]*(records?)?[\s)]*$", re.IGNORECASE)
# A grouped report's group row ("Customer - Direct (4)", its figures beside it), and the
# row of sub-headers SurveyMonkey writes under its questions ("Response", "Open-Ended
# Response", one column per choice).
_GROUP = re.compile(r"^.{1,80}\(\d+\)\s*$")
_SUB_HEADERS = {
    "response",
    "open-ended response",
    "open ended response",
    "other (please specify)",
    # SurveyMonkey in Spanish, German, French, Portuguese, Italian.
    "respuesta",
    "respuesta abierta",
    "otro (especifique)",
    "antwort",
    "offene antwort",
    "réponse",
    "réponse ouverte",
    "resposta",
    "resposta aberta",
    "risposta",
    "risposta aperta",
}
# Qualtrics writes a third header row under the questions' words: each cell the column's
# import id as JSON ({"ImportId":"QID1"}).
_IMPORT_ID = re.compile(r'^\{\s*"ImportId"\s*:')
# How far down a report export's header may be (title, filters, "Generated By", a blank).
HEADER_SEARCH_ROWS = 30


def header_row(
    path: Path, encoding: str, specs: tuple[FieldSpec, ...], overrides: Mapping[str, str]
) -> int:
    """Which CSV row names the columns: the first with every required field and at least two
    fields known (a record's cell may happen to spell one: a HubSpot activity of type "Note"
    is not a header naming the note). Report exports put a title, filters or a date above
    it; 0 (the first row) when none qualifies, so a file that lacks a column is refused at
    line 1 as before."""
    try:
        with path.open("r", encoding="utf-8-sig" if encoding == "utf-8" else encoding) as handle:
            sample = handle.read(64 * 1024)
    except (UnicodeDecodeError, OSError, LookupError):
        return 0
    required = [spec.name for spec in specs if spec.required]
    delimiter, quoting = csv_format(sample)
    reader = csv.reader(io.StringIO(sample), delimiter=delimiter, quoting=quoting)
    try:
        for index, cells in enumerate(reader):
            if index >= HEADER_SEARCH_ROWS:
                break
            names = [cell.strip() for cell in cells]
            if not any(names):
                continue
            mapped = {k: v for k, v in overrides.items() if k in names}
            try:
                columns = resolve_columns(names, specs, mapped, strict=False)
            except Invalid:
                return 0
            if all(name in columns for name in required) and len(columns) >= 2:
                return index
    except csv.Error:
        return 0
    return 0


def not_a_record(row: Row, columns: Mapping[str, str], specs: tuple[FieldSpec, ...]) -> bool:
    """A report's title, totals, averages or footer rows, read as a person reads them: a row
    whose first cell says "Total"/"Generated By"/"Confidential…" and whose other cells hold
    only figures, a lone cell where the record's required fields are missing, a grouped
    report's group row ("Customer - Direct (4)" and its figures, the record's fields empty),
    or a row under the header that is more header: column ids (Qualtrics' `{"ImportId":…}`)
    or sub-headers (SurveyMonkey's "Response", "Open-Ended Response")."""
    filled = [str(v).strip() for v in row.values.values() if v is not None and str(v).strip()]
    if not filled:
        return True
    required = [columns.get(spec.name) for spec in specs if spec.required]
    lacking = any(
        not column or not str(row.values.get(column) or "").strip() for column in required
    )
    if all(_IMPORT_ID.match(cell) for cell in filled):
        return True
    if any(cell.lower() in _SUB_HEADERS for cell in filled) and all(
        str(row.values.get(column) or "").strip().lower() in _SUB_HEADERS
        for column in required
        if column
    ):
        return True
    if lacking and _GROUP.match(filled[0]) and all(_FIGURE.match(c) for c in filled[1:]):
        return True
    if lacking and any(_TOTAL_CELL.match(cell) for cell in filled[1:]):
        # A grouped report's subtotal row, its group's name beside it (a merged cell down
        # the group, read on every row): "Acme Robotics, Subtotal, 3".
        return all(_FIGURE.match(c) or _TOTAL_CELL.match(c) for c in filled[2:])
    if _NOT_A_RECORD.match(filled[0]):
        # "Total,10,,", or "Generated By,Freshdesk Analytics on 02 Dec 2026" spilling into
        # the next column where the record's own fields are empty.
        return all(_FIGURE.match(cell) for cell in filled[1:]) or lacking
    return len(filled) == 1 and lacking


def read_csv(
    path: Path,
    encoding: str,
    specs: tuple[FieldSpec, ...],
    overrides: Mapping[str, str],
) -> tuple[list[str], dict[str, str], Generator[Row]]:
    """Header, field -> column, and the row stream of a CSV file; Invalid on a bad header."""
    with path.open("rb") as raw:
        magic = raw.read(512)
    refuse_binary(path, magic)
    if magic.startswith(b"PK\x03\x04"):
        # A zip (an Excel workbook is read before it gets here: imports/workbook.py).
        raise Invalid(
            f"line 1: {path.name} is a zip archive, not CSV text: unzip it and import the "
            "export inside"
        )
    # Excel's "Unicode Text" is UTF-16 with a byte-order mark: the mark says so.
    marked = bom_of(magic)
    if marked and marked.startswith("utf-16"):
        encoding = marked
    skip = header_row(path, encoding, specs, overrides)
    handle = path.open("r", encoding="utf-8-sig" if encoding == "utf-8" else encoding, newline="")
    try:
        header, rows = read_rows(handle, "csv", skip=skip)
        columns = resolve_columns(header, specs, overrides)
    except UnicodeDecodeError:
        handle.close()
        raise Invalid(
            f"line 1: {path.name} is not {encoding} text; pass --encoding (e.g. cp1252)"
        ) from None
    except BaseException:
        handle.close()
        raise

    def stream() -> Generator[Row]:
        with handle:
            yield from rows

    return header, columns, stream()


def run_rows(
    output: ConnectorOutput, rows: Callable[[], Iterator[Any]], handle: Callable[[Any], None]
) -> None:
    """Feeds each row to `handle`, turning unreadable input into RowErrors, never a traceback."""
    last_line = 1
    try:
        for row in rows():
            output.rows_read += 1
            last_line = getattr(row, "line", last_line)
            handle(row)
    except RowShapeError as error:
        output.errors.append(RowError(error.line, None, error.reason))
    except Invalid as error:
        output.errors.append(RowError(1, None, error.message.removeprefix("line 1: ")))
    except UnicodeDecodeError as error:
        output.errors.append(
            RowError(
                last_line + 1,
                None,
                f"the file is not {error.encoding} text; pass --encoding (e.g. cp1252)",
            )
        )
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, OSError) as error:
        # A zip whose member fails its checksum or cannot be inflated: damaged on the way.
        output.errors.append(
            RowError(
                last_line,
                None,
                f"the file is damaged ({error}); download the export again",
            )
        )


def email_in(text: str | None) -> str | None:
    """The first email address in 'Dana Lee <dana@example.com>' or similar, lower-cased."""
    if not text:
        return None
    found = _EMAIL.search(text)
    return found.group(0).lower() if found else None


def domain_of(email: str | None) -> str | None:
    return email.rsplit("@", 1)[1].lower() if email and "@" in email else None


def is_internal(email: str | None, internal_domains: tuple[str, ...]) -> bool:
    domain = domain_of(email)
    return domain is not None and any(
        domain == d or domain.endswith("." + d) for d in internal_domains if d
    )


def parse_when(value: Any) -> datetime:
    """ISO text, or Unix seconds (Intercom's and Slack's '1700000000.000100'); raises ValueError."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return datetime.fromtimestamp(float(value), UTC)
    text = str(value).strip()
    if re.fullmatch(r"\d{9,11}(\.\d+)?", text):
        return datetime.fromtimestamp(float(text), UTC)
    if re.fullmatch(r"\d{12,14}", text):
        return datetime.fromtimestamp(int(text) / 1000, UTC)
    return parse_datetime(text)


# A chat transcript pasted into a ticket (a help desk CSV, a Zendesk messaging ticket):
# "Customer: …", "Agent: …", or the speakers' names, perhaps after the time
# ("(2026-12-03 09:14:22) Marta Kowalski: …").
_CHAT_LINE = re.compile(
    r"^\s*(?:[(\[][^)\]]{4,30}[)\]]\s*)?(?P<who>[A-Z][\w'.-]*(?: [A-Z][\w'.-]*){0,3}|"
    r"customer|visitor|client|user|contact|caller|agent|support|operator|bot)\s*:[ \t]+\S",
    re.IGNORECASE,
)
_THEIRS = {"customer", "visitor", "client", "user", "contact", "caller"}


def customer_lines(text: str, customer: str | None = None) -> str:
    """A chat transcript's customer lines (by role, or by the customer's name), without their
    labels; any other text as it is. A transcript is two or more labelled lines, one of them
    the customer's and one someone else's."""
    first = customer.split()[0].casefold() if customer and customer.split() else None

    def theirs(who: str) -> bool:
        said = who.casefold()
        return said in _THEIRS or (
            customer is not None and (said == customer.casefold() or said == first)
        )

    labelled = [(line, _CHAT_LINE.match(line)) for line in text.splitlines()]
    speakers = [theirs(m.group("who")) for _, m in labelled if m]
    if len(speakers) < 2 or all(speakers) or not any(speakers):
        return text
    kept: list[str] = []
    speaking: bool | None = None
    for line, found in labelled:
        if found:
            speaking = theirs(found.group("who"))
            line = line[found.start("who") :].split(":", 1)[1].strip()
        if speaking is None or speaking:
            kept.append(line)
    return "\n".join(kept).strip() or text


def export_date(value: str, *, relative: bool = False) -> datetime:
    """A date cell of a tool's export: ISO or Unix time (`parse_when`), else a date written
    for people as tools write them ("November 28, 2026", Jira's "03/Dec/26 9:14 AM", Google
    Forms' "11/30/2026 16:40:05"; `human_date`), and with `relative` one copied from a web
    page ("3 days ago", "Dec 3"; `relative_date`). Raises `parse_when`'s ValueError when
    none reads it."""
    if SLASH_MONTH_FIRST.get() is not None and _SLASH_DATE.match(value):
        # 3/12/2026 in a file whose other dates say which comes first.
        ordered = human_date(value)
        if ordered is not None:
            return ordered
    try:
        return parse_when(value)
    except ValueError:
        found = human_date(value) or (relative_date(value) if relative else None)
        if found is None:
            raise
        return found


_AGO = re.compile(
    r"^(?:(\d+)|an?|one) (minute|hour|day|week|month|year)s? ago$|^(yesterday|today)$",
    re.IGNORECASE,
)
_UNITS = {"minute": 1 / 1440, "hour": 1 / 24, "day": 1, "week": 7, "month": 30, "year": 365}


def relative_date(value: str) -> datetime | None:
    """A date copied from a web page: "3 days ago", "yesterday", or "Dec 3" without its year
    (the latest such day up to today)."""
    now = datetime.now(UTC).replace(microsecond=0)
    text = value.strip()
    found = _AGO.match(text)
    if found:
        if found.group(3):
            return now - timedelta(days=1 if found.group(3).lower() == "yesterday" else 0)
        count = int(found.group(1) or 1)
        return now - timedelta(days=count * _UNITS[found.group(2).lower()])
    for fmt in ("%b %d", "%B %d", "%d %b", "%d %B"):
        try:
            day = datetime.strptime(f"{text} {now.year}", f"{fmt} %Y").replace(tzinfo=UTC)
        except ValueError:
            continue
        return day if day <= now else day.replace(year=now.year - 1)
    return None


class _TextOf(HTMLParser):
    BREAKS = {"p", "br", "div", "li", "tr", "h1", "h2", "h3", "h4", "blockquote"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0
        # Inside a <blockquote>: quoted mail, written as "> " lines as a plain-text client
        # writes it, which strip_replies leaves out wherever the quote sits.
        self.quoted = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "style"}:
            self.skip += 1
        elif tag in self.BREAKS:
            self.parts.append("\n")
        if tag == "blockquote":
            self.quoted += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style"}:
            self.skip = max(0, self.skip - 1)
        elif tag in self.BREAKS:
            self.parts.append("\n")
        if tag == "blockquote":
            self.quoted = max(0, self.quoted - 1)

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if self.quoted and data.strip():
            data = "\n".join(f"> {line}" for line in data.splitlines())
        self.parts.append(data)


# A tag of the markup rich-text cells are exported in (CRM notes, Aha! ideas, Productboard
# notes): not a "<" in plain words ("p95 < 2 s").
MARKUP = re.compile(
    r"</?(?:p|br|div|span|strong|b|i|em|u|ul|ol|li|a|h[1-6]|table|tr|td)\b[^>]*>", re.I
)


def html_to_text(html: str) -> str:
    if "<" not in html:
        return html.strip()
    parser = _TextOf()
    parser.feed(html)
    parser.close()
    text = "".join(parser.parts)
    lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def as_text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def tags_from(value: Any) -> list[str]:
    if isinstance(value, list):
        items = [str(v) for v in value]
    elif value:
        items = re.split(r"[;,|]", str(value))
    else:
        items = []
    return sorted({t.strip().lower() for t in items if t and t.strip()})


def csv_records(
    output: ConnectorOutput,
    path: Path,
    options: ConnectorOptions,
    specs: tuple[FieldSpec, ...],
    handle: Callable[[Row, dict[str, str], list[str]], None],
    *,
    one_of: tuple[str, ...] = (),
) -> None:
    """Streams a CSV through `handle(row, field -> column, header)`; bad input becomes RowErrors.
    `one_of`: fields of which the header must name at least one (a review's text may be one
    column or a site's two questions), or the file is refused."""
    state: dict[str, Any] = {}
    overrides = {k: v for k, v in options.mapping.items() if k not in SETTING_KEYS}

    def rows() -> Iterator[Row]:
        header, columns, stream = read_csv(path, options.encoding, specs, overrides)
        state["order"] = SLASH_MONTH_FIRST.set(
            file_slash_order(path, options.encoding, specs, overrides, columns)
        )
        if one_of and not any(name in columns for name in one_of):
            wanted = [spec for spec in specs if spec.name in one_of]
            names = " or ".join(spelled(spec, 2) for spec in wanted)
            raise Invalid(
                f"line 1: no column for {wanted[0].name} (a column named {names}); columns are "
                f"{', '.join(header)} (name one with --map COLUMN={wanted[0].name})"
            )
        state["header"], state["columns"] = header, columns
        state["header_cells"] = [h.strip() for h in header if h.strip()]
        return stream

    def each(row: Row) -> None:
        filled = [c for v in row.values.values() if v is not None and (c := str(v).strip())]
        if any("\x00" in cell for cell in filled):
            # Zeroed bytes where text should be: a download the disk kept the full size of
            # but never filled, or a damaged copy. The rows after it are lost: refused.
            raise RowShapeError(
                row.line,
                "the file holds NUL bytes from here on (a download cut short, or a damaged "
                "copy): download the export again",
            )
        if filled == state["header_cells"]:
            # The header again (two downloads pasted into one file): not a record.
            output.skipped_rows += 1
            state.pop("nested", None)
            return
        if _nested(row, state):
            output.skipped_rows += 1
            return
        if not_a_record(row, state["columns"], specs):
            output.skipped_rows += 1
            return
        handle(row, state["columns"], state["header"])

    try:
        run_rows(output, rows, each)
    finally:
        if "order" in state:
            SLASH_MONTH_FIRST.reset(state["order"])
    if "header" in state and output.rows_read == 0 and not output.errors:
        # A report whose filter matched nothing: well formed, nothing in it. Said, not refused.
        output.warnings.append(RowError(1, None, "the file names its columns and holds no rows"))


def _nested(row: Row, state: dict[str, Any]) -> bool:
    """Whether the row belongs to a table nested under a record, set in by a column with a
    header of its own (monday.com's subitems under their item: "Name, Owner, Status…" one
    column in, then their rows, until a row starts in the first column again)."""
    cells = [str(v).strip() if v is not None else "" for v in row.values.values()]
    lead = next((i for i, cell in enumerate(cells) if cell), len(cells))
    if "nested" in state:
        if 0 < state["nested"] <= lead < len(cells):
            return True
        del state["nested"]
    filled = [cell for cell in cells if cell]
    names = {name.casefold() for name in state["header_cells"]}
    known = sum(cell.casefold() in names for cell in filled)
    if lead > 0 and len(filled) >= 3 and known * 4 >= len(filled) * 3:
        state["nested"] = lead
        return True
    return False


# Whether a numeric date such as 3/12/2026 is month first (True), day first (False), or not
# known (None: day first unless a 12-hour clock says American). A file writes every date one
# way, so a CSV import settles it from the file's own dates (`file_slash_order`).
SLASH_MONTH_FIRST: ContextVar[bool | None] = ContextVar("slash_month_first", default=None)
_SLASH_DATE = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-]\d{2,4}\b")
# Enough rows to meet a day past the 12th in any real export; a file whose dates all fall
# on the 1st to 12th is not read further than this.
_ORDER_SCAN_ROWS = 20_000


def slash_order(values: Iterable[str]) -> bool | None:
    """Month first (True) when a date's second number is past 12, day first (False) when
    its first is, from the first such date; None when every date reads both ways."""
    for value in values:
        found = _SLASH_DATE.match(value)
        if not found:
            continue
        first, second = int(found.group(1)), int(found.group(2))
        if first > 12 >= second:
            return False
        if second > 12 >= first:
            return True
    return None


def file_slash_order(
    path: Path,
    encoding: str,
    specs: tuple[FieldSpec, ...],
    overrides: Mapping[str, str],
    columns: Mapping[str, str],
) -> bool | None:
    """The order of the numeric dates in a CSV's date columns (`slash_order`), read from
    its first rows in a pass of its own; None when the file has no date column."""
    dated = [column for field, column in columns.items() if field.endswith(("_at", "_date"))]
    if not dated:
        return None
    _, _, stream = read_csv(path, encoding, specs, overrides)
    values = (
        str(row.values.get(column) or "")
        for row in itertools.islice(stream, _ORDER_SCAN_ROWS)
        for column in dated
    )
    try:
        return slash_order(values)
    except (UnicodeDecodeError, RowShapeError, csv.Error):
        # A row this pass cannot read is reported, by its line, when the rows are read.
        return None
    finally:
        stream.close()


def said_yes(value: Any) -> bool:
    """A flag cell an export set: "true", "1", "yes" (IsDeleted, Is Document, First Message
    From Agent)."""
    return str(value or "").strip().lower() in {"true", "1", "yes"}


def pick_source(options: ConnectorOptions, fallback: str) -> str:
    """The `--source` a person gave (checked), else the connector's own kind."""
    if not options.default_source:
        return fallback
    from huddle.imports.fields import to_source

    try:
        return to_source(options.default_source)
    except ValueError as error:
        raise Invalid(str(error), field="source") from None


def dict_at(record: Mapping[str, Any], key: str) -> dict[str, Any]:
    """record[key] when it is an object, else an empty one: exports leave parts out."""
    value = record.get(key)
    return value if isinstance(value, dict) else {}


_WEEKDAY = re.compile(
    r"^((mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?|"
    # German, French, Spanish, Italian, Portuguese, Dutch weekdays as mail clients write them;
    # the short forms only with their dot or comma ("Mar 3" is March).
    r"(montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|"
    r"lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|"
    r"lunes|martes|miércoles|jueves|viernes|sábado|domingo|"
    r"lunedì|martedì|mercoledì|giovedì|venerdì|sabato|domenica|"
    r"segunda-feira|terça-feira|quarta-feira|quinta-feira|sexta-feira|"
    r"maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag|"
    # Norwegian, Danish and Swedish; Czech.
    r"mandag|tirsdag|onsdag|torsdag|fredag|lørdag|søndag|måndag|tisdag|lördag|söndag|"
    r"pondělí|úterý|středa|čtvrtek|pátek|sobota|neděle)\.?,?|"
    r"(mo|di|mi|do|fr|sa|so|lun|mar|mer|jeu|ven|sam|dim|mié|jue|vie|sáb|dom|gio|ma|wo|vr|za|zo)"
    r"(\.,?|,))\s+",
    re.IGNORECASE,
)
# Months in the languages mail clients write dates in, to their English names.
_MONTHS = {
    "January": ("januar", "janvier", "enero", "gennaio", "janeiro", "januari", "ledna", "január"),
    "February": (
        "februar",
        "février",
        "fevrier",
        "febrero",
        "febbraio",
        "fevereiro",
        "februari",
        "února",
        "február",
    ),
    "March": ("märz", "maerz", "mars", "marzo", "março", "maart", "mär", "března", "március"),
    "April": ("avril", "abril", "aprile", "dubna", "április"),
    "May": ("mai", "mayo", "maggio", "maio", "mei", "maj", "května", "május"),
    "June": ("juni", "juin", "junio", "giugno", "junho", "června", "június"),
    "July": ("juli", "juillet", "julio", "luglio", "julho", "července", "július"),
    "August": ("août", "aout", "agosto", "augustus", "augusti", "srpna", "augusztus"),
    "September": ("septembre", "septiembre", "settembre", "setembro", "září", "szeptember"),
    "October": ("oktober", "octobre", "octubre", "ottobre", "outubro", "okt", "října", "október"),
    "November": ("novembre", "noviembre", "novembro", "listopadu"),
    "December": (
        "dezember",
        "décembre",
        "decembre",
        "diciembre",
        "dicembre",
        "dezembro",
        "desember",
        "prosince",
        "dez",
        "déc",
        "dic",
        "des",
    ),
}
_MONTH_WORD = {word: english for english, words in _MONTHS.items() for word in words}
_FOREIGN_MONTH = re.compile(
    r"\b(" + "|".join(sorted(map(re.escape, _MONTH_WORD), key=len, reverse=True)) + r")\b\.?",
    re.IGNORECASE,
)
_HUMAN_FORMATS = (
    "%B %d %Y %I:%M %p",
    "%b %d %Y %I:%M %p",
    # Pendo's "Dec 1, 2026, 7:41:12 AM" (the commas go before parsing).
    "%b %d %Y %I:%M:%S %p",
    "%B %d %Y %I:%M:%S %p",
    "%b %d %Y %H:%M:%S",
    "%B %d %Y %H:%M",
    "%b %d %Y %H:%M",
    "%d %B %Y %H:%M",
    "%d %b %Y %H:%M",
    "%d %B %Y %I:%M %p",
    "%d %b %Y %I:%M %p",  # HappyFox's "01 Dec 2026 09:14 AM"
    "%B %d %Y",
    "%b %d %Y",
    "%d %B %Y",
    "%d %b %Y",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",  # Google Sheets' "2026-12-03 9:14:22"
    "%b %d %H:%M:%S %Y",
    # Jira's "03/Dec/26 9:14 AM"; Google Forms' and US spreadsheets' "11/30/2026 16:40:05"
    # (day first where both read: "12/1/2026" is 12 January).
    "%d/%b/%y %I:%M %p",
    "%d/%b/%Y %I:%M %p",
    "%d/%b/%y %H:%M",
    "%d/%b/%y",
    "%d/%m/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M:%S",
    "%d/%m/%y %H:%M:%S",
    "%m/%d/%y %H:%M:%S",
    "%d/%m/%y %H:%M",
    "%m/%d/%y %I:%M %p",
    # Salesforce's "12/3/2026, 9:14 AM" (the comma goes before parsing).
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y",
    # A 12-hour clock is American: month first ("12/01/2026 09:14:02 AM", SurveyMonkey).
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %I:%M %p",
    "%d/%m/%Y %I:%M:%S %p",
    "%d/%m/%Y %I:%M %p",
)
# The formats to try when the file's order of numeric dates is known (`SLASH_MONTH_FIRST`).
_FORMATS_BY_ORDER = {
    None: _HUMAN_FORMATS,
    True: tuple(f for f in _HUMAN_FORMATS if not f.startswith("%d/%m/")),
    False: tuple(f for f in _HUMAN_FORMATS if not f.startswith("%m/%d/")),
}


_GMT_OFFSET = re.compile(r"\s*\b(?:GMT|UTC)([+-])(\d{2}):?(\d{2})$")


def human_date(value: str) -> datetime | None:
    """A date written for people — 'Tuesday, November 10, 2026 4:12 PM', 'Nov 9, 2026 at
    14:02', '20.11.2026' — as UTC (a zone name is ignored; day first where it is ambiguous),
    or None."""
    # "… 2:00PM • 3:37" (a recorder's date, then the call's length), "… 15:00
    # (America/Chicago)" (the zone as a name): the date is what comes first.
    text = re.split(r"\s+[•·|]\s+", value.strip())[0]
    text = re.sub(r"\s*\([^()]*\)\s*$", "", text)
    # "… 10:00 AM Eastern Time (US and Canada)": a zone written in words, ignored as a name is.
    text = re.sub(r"\s+(?:[A-Z][a-z]+ ){1,3}Time$", "", text)
    text = _WEEKDAY.sub("", text)
    # JavaScript's "Mon Nov 30 2026 08:10:11 GMT+0100 (Central European Standard Time)":
    # the offset is kept, the zone's name (gone above) is not.
    offset = timedelta(0)
    zoned = _GMT_OFFSET.search(text)
    if zoned:
        sign = -1 if zoned.group(1) == "-" else 1
        offset = sign * timedelta(hours=int(zoned.group(2)), minutes=int(zoned.group(3)))
        text = text[: zoned.start()]
    # "8. Dezember 2026 16:12", "7 déc. 2026 à 15:02", "8 de diciembre de 2026 16:12".
    text = _FOREIGN_MONTH.sub(lambda m: _MONTH_WORD[m.group(1).lower()], text)
    text = re.sub(r"(?<=\d)\.(?=\s+[A-Z][a-z]+)", "", text)
    text = re.sub(r"\s+(de|del|um|à|a las|alle|om|kl\.?)\s+", " ", text, flags=re.IGNORECASE)
    # Spanish "02:14:09 p. m." (CLDR's, with its space; "p.m." is also American): a 12-hour
    # clock, and a date written day first, as Spain and Latin America write it.
    order = SLASH_MONTH_FIRST.get()
    if order is None and re.search(r"\d\s*[ap]\.\s+m\.", text, re.IGNORECASE):
        order = False
    text = re.sub(r"(?<=\d)\s*([ap])\.\s?m\.", r" \1m", text, flags=re.IGNORECASE)
    text = re.sub(r"(?<=\d)\s*([AaPp][Mm])\b", lambda m: " " + m.group(1).upper(), text)
    text = re.sub(r"\s+at\s+", " ", text)
    text = re.sub(r"(?<=\d)(st|nd|rd|th)\b", "", text)
    text = re.sub(r"\s*\(?\b(?!AM\b|PM\b)[A-Z]{2,5}\)?$", "", text.replace(",", " ")).strip()
    text = re.sub(r"\s+", " ", text)
    for fmt in _FORMATS_BY_ORDER[order]:
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=UTC) - offset
        except ValueError:
            continue
    try:
        return parse_when(text) - offset
    except ValueError:
        return None
