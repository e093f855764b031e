"""When a file reads as nothing, a word on what it is: the other source that reads it, or a
browser's recording of a page (HAR) rather than an export."""

import re
from pathlib import Path

from huddle.connectors.base import ConnectorOptions, iter_connectors
from huddle.errors import HuddleError

# A file larger than this is not read again by every other source to find the one it fits.
_HINT_MAX_BYTES = 20 * 1024 * 1024


# A HAR file opens with its log: `{"log": {"version": "1.2", "creator": {…}, …, "entries"`.
_HAR_HEAD = re.compile(rb'^\s*\{\s*"log"\s*:\s*\{[^{}]*"(?:version|creator)"')


def browser_recording(path: Path) -> bool:
    """Whether the file is a HAR file: a browser's record of the requests a page made."""
    if not path.is_file():
        return False
    with path.open("rb") as handle:
        return _HAR_HEAD.match(handle.read(512).removeprefix(b"\xef\xbb\xbf")) is not None


def reads_as(path: Path, source: str, options: ConnectorOptions) -> str | None:
    """The other source that reads the file without a bad row and finds the most evidence in
    it, as a sentence to add to the refusal; None when none does."""
    if path.is_file() and path.stat().st_size > _HINT_MAX_BYTES:
        return None
    suffix = path.suffix.lower() if path.is_file() else ""
    best: tuple[int, str] | None = None
    for other in iter_connectors():
        if other.name == source or suffix not in other.suffixes:
            continue
        try:
            output = other.read(path, options)
        except (HuddleError, ValueError, OSError, LookupError):
            continue
        # Evidence, not accounts: any table naming companies reads as a CRM's accounts.
        found = len(output.feedback) + len(output.left_out)
        if found and not output.errors and (best is None or found > best[0]):
            best = (found, other.name)
    if best is None:
        return None
    return f"It reads as a {best[1]} export: import it with the source {best[1]!r}"
