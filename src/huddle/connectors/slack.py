"""Slack channel exports: the export's folder, its zip, or one day's JSON file.

Slack's export holds `users.json`, `channels.json` and a folder per channel with one JSON array
of messages per day (`general/2026-10-14.json`). Each person's message (not joins, bots or
other subtypes) becomes evidence of source `chat`; with `--internal-domain`, messages by your
own people are left out (so a shared customer channel yields only the customer's side). Emails
come from `users.json` and link messages to accounts by domain. Links are the message's
permalink: `https://<workspace>.slack.com/archives/<channel id>/p<ts>` with
`--map workspace=<name>`, else through slack.com.
"""

import re
import zipfile
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import IO, Any

import ijson  # type: ignore[import-untyped]

from huddle.connectors.base import ConnectorOptions, ConnectorOutput
from huddle.connectors.common import (
    JSON_CHUNK,
    LineCountingReader,
    as_text,
    dict_at,
    parse_when,
    pick_source,
    run_rows,
)
from huddle.connectors.noise import noise_reason
from huddle.imports.records import FeedbackRecord, RowError
from huddle.imports.rows import RowShapeError

# Slack's own notices: no one's words, skipped without counting.
SKIPPED_SUBTYPES = {
    "channel_join",
    "channel_leave",
    "channel_topic",
    "channel_purpose",
    "channel_name",
    "pinned_item",
    "tombstone",
    "reminder_add",
}
_DAY = re.compile(r"(\d{4}-\d{2}-\d{2})\.json$")
_MENTION = re.compile(r"<@([A-Z0-9]+)>")
_LINK = re.compile(r"<(https?://[^|>]+)(?:\|([^>]+))?>")


class _Export:
    """The files of an export, wherever they live: a folder, a zip, or one day's file."""

    def __init__(self, path: Path, stack: ExitStack) -> None:
        self.path = path
        if path.suffix.lower() == ".zip" and not zipfile.is_zipfile(path):
            raise zipfile.BadZipFile(path.name)
        self.zip = stack.enter_context(zipfile.ZipFile(path)) if zipfile.is_zipfile(path) else None

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
            return sorted(str(p.relative_to(self.path)) for p in self.path.rglob("*.json"))
        return [self.path.name]

    def open(self, name: str) -> IO[bytes]:
        if self.zip is not None:
            return self.zip.open(name)
        if self.path.is_dir():
            return (self.path / name).open("rb")
        return self.path.open("rb")

    def values(self, name: str, prefix: str, encoding: str) -> Iterator[tuple[int, Any]]:
        with self.open(name) as raw:
            reader = LineCountingReader(raw, encoding)
            try:
                for value in ijson.items(reader, prefix, buf_size=JSON_CHUNK, use_float=True):
                    yield reader.line, value
            except (ijson.JSONError, UnicodeDecodeError) as error:
                reason = str(error).strip().splitlines()[0] if str(error).strip() else "truncated"
                if "premature EOF" in reason:
                    reason = "the file ends in the middle of a message (truncated JSON?)"
                elif "UTF8" in reason or isinstance(error, UnicodeDecodeError):
                    reason = "not UTF-8 text; pass --encoding"
                raise RowShapeError(reader.line, f"{name}: {reason}") from None


def _users(export: _Export, names: list[str], encoding: str) -> dict[str, dict[str, Any]]:
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
_CONVERSATION_LISTS = {"channels.json", "groups.json", "dms.json", "mpims.json"}


def _channel_ids(export: _Export, names: list[str], encoding: str) -> dict[str, str]:
    ids: dict[str, str] = {}
    for found in (n for n in names if n.rsplit("/", 1)[-1] in _CONVERSATION_LISTS):
        for _, c in export.values(found, "item", encoding):
            if isinstance(c, dict) and c.get("id"):
                ids[str(c.get("name") or c["id"])] = str(c["id"])
    return ids


def _plain(text: str, users: dict[str, dict[str, Any]]) -> str:
    text = _MENTION.sub(lambda m: "@" + (users.get(m.group(1), {}).get("name") or m.group(1)), text)
    text = _LINK.sub(lambda m: m.group(2) or m.group(1), text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").strip()


def _blocks_text(blocks: Any, users: dict[str, dict[str, Any]]) -> str:
    """A message written only in Block Kit's rich text (no `text`): its words, a list item a
    line each, mentions by name; a quote is someone else's words, left out."""
    lines: list[str] = []

    def words(elements: Any) -> str:
        said = []
        for element in elements if isinstance(elements, list) else []:
            if not isinstance(element, dict):
                continue
            kind = element.get("type")
            if kind == "text":
                said.append(str(element.get("text") or ""))
            elif kind == "link":
                said.append(str(element.get("text") or element.get("url") or ""))
            elif kind == "user":
                who = users.get(str(element.get("user_id")), {}).get("name")
                said.append(f"@{who or element.get('user_id')}")
            elif kind == "emoji":
                said.append(f":{element.get('name')}:")
            elif kind == "broadcast":
                said.append(f"@{element.get('range') or 'here'}")
        return "".join(said).strip()

    def walk(element: Any) -> None:
        if not isinstance(element, dict):
            return
        kind = element.get("type")
        if kind in {"rich_text_section", "rich_text_preformatted"}:
            lines.append(words(element.get("elements")))
        elif kind in {"rich_text", "rich_text_list"}:
            for child in element.get("elements") or []:
                walk(child)
        elif kind == "section" and isinstance(element.get("text"), dict):
            lines.append(str(element["text"].get("text") or ""))

    for block in blocks if isinstance(blocks, list) else []:
        walk(block)
    return _plain("\n".join(line for line in lines if line.strip()), users)


class SlackConnector:
    name = "slack"
    description = (
        "A Slack channel export (folder, zip, or one day's JSON): people's messages as evidence."
    )
    suffixes = (".zip", ".json")

    def read(self, path: Path, options: ConnectorOptions) -> ConnectorOutput:
        output = ConnectorOutput()
        source = pick_source(options, "chat")
        workspace = options.workspace or options.mapping.get("workspace")
        host = f"https://{workspace}.slack.com" if workspace else "https://slack.com"
        with ExitStack() as stack:
            try:
                export = _Export(path, stack)
            except zipfile.BadZipFile:
                output.errors.append(RowError(1, None, f"{path.name} is not a readable zip"))
                return output
            names = export.names()

            def messages() -> Iterator[tuple[str, int, Any, dict[str, Any], dict[str, str]]]:
                users = _users(export, names, options.encoding)
                channels = _channel_ids(export, names, options.encoding)
                days = [n for n in names if _DAY.search(n)]
                if not days and export.zip is None and not path.is_dir():
                    days = names  # one day's file, whatever its name
                if not days:
                    raise RowShapeError(1, "no day files (<channel>/YYYY-MM-DD.json) in the export")
                for name in days:
                    parts = Path(name).parts
                    channel = (
                        parts[-2]
                        if len(parts) > 1
                        else (
                            path.parent.name if not export.zip and not path.is_dir() else path.stem
                        )
                    )
                    for line, message in export.values(name, "item", options.encoding):
                        yield (
                            f"{name}",
                            line,
                            message,
                            users,
                            {"name": channel, "id": channels.get(channel, channel)},
                        )

            def handle(row: tuple[str, int, Any, dict[str, Any], dict[str, str]]) -> None:
                name, line, message, users, channel = row
                found = self.message(
                    name, line, message, users, channel, host, source, options, output.errors
                )
                if found is not None:
                    output.take(found[0], found[1], options)

            run_rows(output, messages, handle)
        return output

    @staticmethod
    def message(
        name: str,
        line: int,
        message: Any,
        users: dict[str, dict[str, Any]],
        channel: dict[str, str],
        host: str,
        source: str,
        options: ConnectorOptions,
        errors: list[RowError],
    ) -> tuple[FeedbackRecord, str | None] | None:
        """A person's message, and why it is noise (None when it is not)."""
        if not isinstance(message, dict):
            errors.append(RowError(line, None, f"{name}: a message must be a JSON object"))
            return None
        if message.get("subtype") in SKIPPED_SUBTYPES:
            return None
        ts = as_text(message.get("ts"))
        if ts is None:
            errors.append(RowError(line, "ts", f"{name}: a message has no ts"))
            return None
        user = users.get(str(message.get("user")), {})
        bot = bool(
            user.get("bot") or message.get("bot_id") or message.get("subtype") == "bot_message"
        )
        profile = dict_at(message, "user_profile")
        email = as_text(user.get("email") or profile.get("email"))
        person = as_text(profile.get("real_name") or user.get("real_name") or user.get("name"))
        text = _plain(str(message.get("text") or ""), users) or _blocks_text(
            message.get("blocks"), users
        )
        if bot and not text:
            # An app posts in attachments (Statuspage: "[Resolved] Delayed email
            # notifications"): its words are there, to be counted as a bot's.
            said = [
                str(part.get(key) or "").strip()
                for part in message.get("attachments") or []
                if isinstance(part, dict)
                for key in ("pretext", "fallback", "title", "text")
            ]
            text = "\n".join(dict.fromkeys(line for line in said if line))
        if len(text.split()) < 3:
            return None  # "+1", "thanks!", an emoji: not evidence
        try:
            occurred_at = parse_when(ts)
        except ValueError as error:
            errors.append(RowError(line, "ts", f"{name}: {error}"))
            return None
        permalink = f"{host}/archives/{channel['id']}/p{ts.replace('.', '')}"
        thread = as_text(message.get("thread_ts"))
        if thread and thread != ts:
            permalink += f"?thread_ts={thread}&cid={channel['id']}"
        reason = "bot" if bot else noise_reason(text, email=email, name=person, options=options)
        record = FeedbackRecord(
            line=line,
            text=text,
            source=source,
            occurred_at=occurred_at,
            external_id=f"{channel['id']}:{ts}",
            title=f"#{channel['name']}",
            link_url=permalink,
            contact_email=email.lower() if email and "@" in email else None,
            contact_name=person,
            tags=[f"slack:{channel['name'].lower()}"],
        )
        return record, reason


connector = SlackConnector()
