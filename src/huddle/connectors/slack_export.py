"""The files of a Slack export wherever they live (its folder, its zip, one day's file), read
as a stream of JSON values with their lines; its people (`users.json`) and its conversations
(`channels.json`, `groups.json`, `dms.json`, `mpims.json`) with what names the company a
shared channel is with."""

import zipfile
from collections.abc import Generator
from contextlib import ExitStack
from pathlib import Path
from typing import IO, Any

import ijson  # type: ignore[import-untyped]

from huddle.connectors.json_reading import JSON_CHUNK, LineCountingReader
from huddle.connectors.record_values import as_text, dict_at
from huddle.imports import zips
from huddle.imports.rows import RowShapeError


class SlackExport:
    """The files of an export, wherever they live: a folder, a zip, or one day's file."""

    def __init__(self, path: Path, stack: ExitStack) -> None:
        self.path = path
        self.zip: zipfile.ZipFile | None = None
        if path.suffix.lower() == ".zip" or zipfile.is_zipfile(path):
            self.zip = stack.enter_context(zips.opened(path))
        else:
            zips.refuse_split(path)

    def names(self) -> list[str]:
        if self.zip is not None:
            # A zip made in macOS's Finder carries `__MACOSX/._name` resource files and
            # `.DS_Store`: not the export's.
            return sorted(
                n
                for n in self.zip.namelist()
                if not n.endswith("/")
                and not n.startswith("__MACOSX/")
                and not n.rsplit("/", 1)[-1].startswith(".")
            )
        if self.path.is_dir():
            return sorted(
                str(p.relative_to(self.path))
                for p in self.path.rglob("*")
                if p.suffix.lower() in {".json", ".jsonl", ".txt"}
            )
        return [self.path.name]

    def open(self, name: str) -> IO[bytes]:
        if self.zip is not None:
            return self.zip.open(name)
        if self.path.is_dir():
            return (self.path / name).open("rb")
        return self.path.open("rb")

    def head(self, name: str, size: int = 4096) -> bytes:
        with self.open(name) as raw:
            return raw.read(size).removeprefix(b"\xef\xbb\xbf").lstrip()

    def first(self, name: str, prefix: str, encoding: str) -> Any:
        """The first value at `prefix` (a Discord export's `guild`), without reading on."""
        values = self.values(name, prefix, encoding)
        try:
            return next(values, (0, None))[1]
        finally:
            values.close()

    def values(self, name: str, prefix: str, encoding: str) -> Generator[tuple[int, Any]]:
        with self.open(name) as raw:
            reader = LineCountingReader(raw, encoding)
            try:
                for value in ijson.items(reader, prefix, buf_size=JSON_CHUNK, use_float=True):
                    yield reader.line, value
            except (ijson.JSONError, UnicodeDecodeError) as error:
                raise _broken(name, reader.line, error) from None

    def events(self, name: str, encoding: str) -> Generator[tuple[int, str, str, Any]]:
        """ijson's (prefix, event, value) of the whole file, each with its line."""
        with self.open(name) as raw:
            reader = LineCountingReader(raw, encoding)
            try:
                for prefix, event, value in ijson.parse(
                    reader, buf_size=JSON_CHUNK, use_float=True
                ):
                    yield reader.line, prefix, event, value
            except (ijson.JSONError, UnicodeDecodeError) as error:
                raise _broken(name, reader.line, error) from None


def _broken(name: str, line: int, error: Exception) -> RowShapeError:
    reason = str(error).strip().splitlines()[0] if str(error).strip() else "truncated"
    if "premature EOF" in reason:
        reason = "the file ends in the middle of a message (truncated JSON?)"
    elif "UTF8" in reason or isinstance(error, UnicodeDecodeError):
        reason = "not UTF-8 text; pass --encoding"
    return RowShapeError(line, f"{name}: {reason}")


def export_users(export: SlackExport, names: list[str], encoding: str) -> dict[str, dict[str, Any]]:
    found = next((n for n in names if n.rsplit("/", 1)[-1] == "users.json"), None)
    if found is None:
        return {}
    users = {}
    for _, user in export.values(found, "item", encoding):
        if isinstance(user, dict) and user.get("id"):
            profile = dict_at(user, "profile")
            users[str(user["id"])] = {
                "email": as_text(profile.get("email")),
                "name": as_text(
                    profile.get("real_name") or user.get("real_name") or user.get("name")
                ),
                "bot": bool(user.get("is_bot")),
            }
    return users


# Public channels, private channels, direct messages, group messages: each lists its
# conversations; a direct message's folder is named by its id.
CONVERSATION_LISTS = {"channels.json", "groups.json", "dms.json", "mpims.json"}


def export_channels(
    export: SlackExport, names: list[str], encoding: str
) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Each conversation's folder name: its id, and what names the company it is shared with
    (its purpose, its topic, its name: "Slack Connect channel between OurCo and Acme
    Robotics", "ext-acme-robotics")."""
    found_channels: dict[str, tuple[str, tuple[str, ...]]] = {}
    for found in (n for n in names if n.rsplit("/", 1)[-1] in CONVERSATION_LISTS):
        for _, c in export.values(found, "item", encoding):
            if isinstance(c, dict) and c.get("id"):
                folder = str(c.get("name") or c["id"])
                places = [w for key in _CHANNEL_WORDS if (w := _words_of(c.get(key)))]
                if c.get("name"):
                    places.append(str(c["name"]).replace("-", " ").replace("_", " "))
                found_channels[folder] = (str(c["id"]), tuple(dict.fromkeys(places)))
    return found_channels


# Where a channel says what it is for, and so whom it is shared with.
_CHANNEL_WORDS = ("purpose", "topic")


def _words_of(value: Any) -> str | None:
    """A channel's purpose or topic: `{"value": …}` in an export, a string in some copies."""
    return as_text(value.get("value") if isinstance(value, dict) else value)
