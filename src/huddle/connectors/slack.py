"""Slack channel exports: the export's folder, its zip, or one day's JSON file.

Slack's export holds `users.json`, `channels.json` and a folder per channel with one JSON array
of messages per day (`general/2026-10-14.json`). Each person's message (not joins, bots or
other subtypes) becomes evidence of source `chat`; with `--internal-domain`, messages by your
own people are left out (so a shared customer channel yields only the customer's side). Emails
come from `users.json` and link messages to accounts by domain. Links are the message's
permalink: `https://<workspace>.slack.com/archives/<channel id>/p<ts>` with
`--map workspace=<name>`, else through slack.com. Slackbot's posts (`USLACKBOT`: a huddle's
AI notes, reminders) are a bot's. A customer's reply in a thread the vendor's people opened
with a post of their own (an update, an announcement) that only thanks them for it ("Thanks
Tom. 12/10 works for us") is skipped like a "thanks!"; one that asks, objects or says what
is still wrong ("Thanks, but…", "doesn't", "?") is evidence as any other message. Slack's
markup reads as people saw it (`<!subteam^…|@support>` as "@support", `<!here>`, channel
links, dates). A Slack Connect partner's people are often in no users.json and give no email:
they are of the company the channel's purpose, topic or name names, unless a customer in that
channel gave an email (then an emailless person may be of another company: unattached).

A Discord channel exported by DiscordChatExporter as JSON (`guild`, `channel`, `messages`;
one file, or a folder or zip of them) is read the same way: people's messages (not joins,
pins or thread notices), bots' posts left out as `bot`; the vendor's people are known by a
staff role ("OurCo Team") or a display name that names the vendor ("Dana | OurCo"), a
customer's company by the one their display name or role names ("Kenji | Acme Robotics").
Lines quoting someone else ("> …") are theirs, not the writer's. Links go to the message in
Discord.

A page of Slack's Web API saved as JSON (`conversations.history`: `{"ok": true, "messages":
[...]}`) is read as one channel's day file, by slack_pages.

Mattermost's bulk export (JSON lines) and Telegram Desktop's result.json are read by
chat_exports, Google Chat's Takeout and Microsoft Teams' messages from Microsoft Graph by
workspace_chats, a page of Webex's messages API by webex, a page of Zoom Team Chat's
messages API by zoom_chat, a page of Rocket.Chat's messages API by rocketchat, a page of
Basecamp's Campfire lines by basecamp, Element's
JSON export of a Matrix room (or its zip) by matrix, WhatsApp's exported chat text (or its
zip) by whatsapp, Skype's exported messages.json (or the .tar it is downloaded in) by skype;
every tool's messages become evidence as chat_messages says.
"""

import json
import re
import zipfile
from collections.abc import Iterator
from contextlib import ExitStack
from functools import partial
from pathlib import Path
from typing import Any

from huddle.connectors.base import ConnectorOptions, ConnectorOutput
from huddle.connectors.basecamp import basecamp, is_basecamp
from huddle.connectors.basecamp import messages_key as basecamp_key
from huddle.connectors.chat_exports import is_mattermost, is_telegram, mattermost, telegram
from huddle.connectors.chat_messages import (
    Place,
    Said,
    attachment_text,
    evidence,
    staff_role,
    thanks_only,
    too_short,
    unemphasised,
    unquoted,
)
from huddle.connectors.common import pick_source, run_rows
from huddle.connectors.matrix import element as matrix_room
from huddle.connectors.matrix import is_element
from huddle.connectors.noise import is_staff, names_us
from huddle.connectors.record_values import as_text, dict_at
from huddle.connectors.rocketchat import is_rocketchat, messages_key, rocketchat
from huddle.connectors.skype import SkypeTar, is_skype, is_tar, skype
from huddle.connectors.slack_export import (
    CONVERSATION_LISTS,
    SlackExport,
    export_channels,
    export_users,
)
from huddle.connectors.slack_markup import blocks_text, plain
from huddle.connectors.slack_pages import is_api_page, page_channel, read_ahead
from huddle.connectors.slack_search import MATCHES, is_search_page, search_matches
from huddle.connectors.transcript_rules import affiliation
from huddle.connectors.webex import is_webex, webex
from huddle.connectors.whatsapp import chat_title, is_whatsapp, not_a_chat, whatsapp
from huddle.connectors.workspace_chats import google_chat, is_google_chat, is_teams, teams
from huddle.connectors.zoom_chat import is_zoom_chat, zoom_chat
from huddle.connectors.zulip import is_zulip, is_zulip_export, zulip, zulip_export

# What other modules (and tests) take from here, now read in chat_messages.
__all__ = ["SKIPPED_SUBTYPES", "SlackConnector", "connector", "too_short", "unquoted"]
from huddle.errors import Invalid
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
# DiscordChatExporter's message types that are someone's words; the others (a member joined,
# a thread was created, a message pinned, a call) are Discord's notices.
DISCORD_SAID = {"Default", "Reply"}
_DAY = re.compile(r"(\d{4}-\d{2}-\d{2})\.json$")
_DISCORD = re.compile(rb'^\s*\{\s*"guild"\s*:\s*\{')
# Slack's own bot, which has no entry in users.json.
SLACKBOT = "USLACKBOT"


# How far into an unclaimed JSON file a chat tool's keys are looked for (`head` reads 4 KB).
_FAR = 1 << 16


def _beside(path: Path, single: bool) -> Any:
    """The group_info.json beside a Google Chat messages.json given alone."""
    info = path.with_name("group_info.json")
    if not single or not info.is_file():
        return None
    try:
        return json.loads(info.read_text(encoding="utf-8-sig"))
    except (OSError, ValueError):
        return None


class SlackConnector:
    name = "slack"
    description = (
        "A Slack channel export (folder, zip, one day's JSON or a conversations.history "
        "or search.messages page saved from Slack's Web API; also DiscordChatExporter's "
        "JSON, Mattermost's bulk export, Telegram's result.json, Google Chat's Takeout, "
        "Microsoft Teams' messages from Microsoft Graph, Webex's, Zoom Team Chat's and "
        "Rocket.Chat's messages APIs, Basecamp's Campfire lines, Element's export of a Matrix "
        "room, WhatsApp's exported chat text, Zulip's messages API or organisation export and "
        "Skype's exported messages.json or its .tar): "
        "people's messages as evidence."
    )
    suffixes = (".zip", ".json", ".jsonl", ".txt", ".tar")

    def read(self, path: Path, options: ConnectorOptions) -> ConnectorOutput:
        output = ConnectorOutput()
        source = pick_source(options, "chat")
        workspace = options.workspace or options.mapping.get("workspace")
        host = f"https://{workspace}.slack.com" if workspace else "https://slack.com"
        # The vendor's people's own posts (left out as internal), by external id: a thread
        # opened by one is theirs, and a reply only thanking them for it is no evidence.
        vendor_posts: set[str] = set()
        # A channel where a customer gave an email (their domain names their company), and the
        # records of its people who gave none, which the channel's words would attach.
        emailed: set[str] = set()
        nameless: list[tuple[str, FeedbackRecord]] = []
        with ExitStack() as stack:
            try:
                export = SkypeTar(path, stack) if is_tar(path) else SlackExport(path, stack)
            except (zipfile.BadZipFile, NotImplementedError, OSError):
                # Not a zip, or one whose directory is damaged (a header claiming a version
                # or a method no reader knows).
                output.errors.append(RowError(1, None, f"{path.name} is not a readable zip"))
                return output
            except Invalid as refusal:  # a password-protected zip
                output.errors.append(RowError(1, None, refusal.message.removeprefix("line 1: ")))
                return output
            names = export.names()
            single = export.zip is None and not path.is_dir() and not isinstance(export, SkypeTar)

            def messages() -> Iterator[tuple[str, int, Any, Place] | Said | None]:
                if single and export.head(path.name).startswith(b"<"):
                    raise RowShapeError(
                        1,
                        f"{path.name} is an HTML page, not JSON: slack reads a Slack export's "
                        "JSON (its folder or zip, or one day's JSON file), DiscordChatExporter's "
                        "JSON or Telegram's result.json (export as JSON, not HTML), or "
                        "Mattermost's bulk export",
                    )
                users = export_users(export, names, options.encoding)
                channels = export_channels(export, names, options.encoding)
                days = [n for n in names if _DAY.search(n)]
                others = [
                    n
                    for n in names
                    if n.lower().endswith((".json", ".jsonl"))
                    and not _DAY.search(n)
                    and n.rsplit("/", 1)[-1] not in {"users.json", *CONVERSATION_LISTS}
                ]
                texts = [n for n in names if n.lower().endswith(".txt")]
                heads = {n: export.head(n) for n in (names if single else [*others, *texts])}
                discord = [n for n, head in heads.items() if _DISCORD.match(head)]
                posts = [n for n, head in heads.items() if is_mattermost(head)]
                chats = [n for n, head in heads.items() if is_telegram(head)]
                spaces = [n for n, head in heads.items() if is_google_chat(n, head)]
                pages = [n for n, head in heads.items() if is_teams(head)]
                rooms = [n for n, head in heads.items() if is_element(head)]
                history = [n for n, head in heads.items() if is_api_page(head)]
                history += [n for n, head in heads.items() if is_search_page(head)]
                whatsapp_chats = [n for n, head in heads.items() if is_whatsapp(head)]
                webex_pages = [n for n, head in heads.items() if is_webex(head)]
                zulip_orgs = [n for n, head in heads.items() if is_zulip_export(n, head)]
                zoom_pages = [n for n, head in heads.items() if is_zoom_chat(head)]
                rocket_pages = [n for n, head in heads.items() if is_rocketchat(head)]
                campfires = [n for n, head in heads.items() if is_basecamp(head)]
                skype_exports = [n for n, head in heads.items() if is_skype(head)]
                found = days or discord or posts or chats or spaces or pages or rooms or history
                found = found or whatsapp_chats or webex_pages or zulip_orgs or zoom_pages
                found = found or rocket_pages or campfires or skype_exports
                # Zulip's and Zoom's messages carry their content before the sender's keys: a
                # long first message pushes them past the head, so an unclaimed JSON is looked
                # at further.
                further = {
                    n: export.head(n, _FAR)
                    for n, head in heads.items()
                    if not found and head.startswith((b"{", b"["))
                }
                zulip_pages = [
                    n
                    for n, head in heads.items()
                    if is_zulip(head) or is_zulip(further.get(n, b""))
                ]
                zoom_pages += [n for n, head in further.items() if is_zoom_chat(head)]
                rocket_pages += [n for n, head in further.items() if is_rocketchat(head)]
                found = found or zulip_pages or zoom_pages or rocket_pages
                if not found and single and path.suffix.lower() == ".txt":
                    raise not_a_chat(path.name)
                if not found and single:
                    days = names  # one day's file, whatever its name
                elif not found:
                    raise RowShapeError(1, "no day files (<channel>/YYYY-MM-DD.json) in the export")
                for name in days:
                    parts = Path(name).parts
                    channel = (
                        parts[-2] if len(parts) > 1 else (path.parent.name if single else path.stem)
                    )
                    channel_id, words = channels.get(channel, (channel, ()))
                    place = Place("slack", channel, channel_id, users, about=words)
                    for line, message in export.values(name, "item", options.encoding):
                        yield name, line, message, place
                for name in history:
                    if is_search_page(export.head(name)):  # search.messages: its matches
                        matches = export.values(name, MATCHES, options.encoding)
                        yield from search_matches(matches, name, users, options)
                        continue
                    # A Web API page saved (conversations.history): a channel's messages.
                    channel, channel_id = page_channel(name)
                    ahead = export.values(name, "messages.item", options.encoding)
                    about = read_ahead((message for _, message in ahead), users, options)
                    place = Place("slack", channel, channel_id, users, about=about)
                    for line, message in export.values(name, "messages.item", options.encoding):
                        yield name, line, message, place
                for name in discord:
                    guild = export.first(name, "guild", options.encoding)
                    room = export.first(name, "channel", options.encoding)
                    server = str((guild if isinstance(guild, dict) else {}).get("id") or "0")
                    room = room if isinstance(room, dict) else {}
                    place = Place(
                        "discord",
                        str(room.get("name") or Path(name).stem),
                        str(room.get("id") or ""),
                        {},
                        # A direct message's server is "0": its link says "@me".
                        guild="@me" if server == "0" else server,
                    )
                    for line, message in export.values(name, "messages.item", options.encoding):
                        yield name, line, message, place
                for name in posts:
                    with export.open(name) as raw:
                        yield from mattermost(raw, name, options, output.errors)
                for name in chats:
                    yield from telegram(
                        export.events(name, options.encoding), name, options, output.errors
                    )
                for name in spaces:
                    folder = str(Path(name).parent) if not single else path.parent.name
                    info = f"{folder}/group_info.json"
                    group = (
                        export.first(info, "", options.encoding) if info in names else None
                    ) or _beside(path, single)
                    messages = export.values(name, "messages.item", options.encoding)
                    yield from google_chat(
                        messages,
                        name,
                        group if isinstance(group, dict) else {},
                        Path(folder).name,
                        output.errors,
                    )
                for name in pages:
                    wrapped = not export.head(name).startswith(b"[")
                    messages = export.values(
                        name, "value.item" if wrapped else "item", options.encoding
                    )
                    yield from teams(messages, name, options, output.errors)
                for name in rooms:
                    header = {
                        key: export.first(name, key, options.encoding)
                        for key in ("room_name", "topic")
                    }
                    events = export.values(name, "messages.item", options.encoding)
                    yield from matrix_room(events, name, header, options, output.errors)
                for name in webex_pages:
                    key = "item" if export.head(name).startswith(b"[") else "items.item"
                    yield from webex(
                        export.values(name, key, options.encoding), name, output.errors
                    )
                for name in zulip_pages:
                    key = "item" if export.head(name).startswith(b"[") else "messages.item"
                    messages = export.values(name, key, options.encoding)
                    yield from zulip(messages, name, options, output.errors)
                for name in zoom_pages:
                    key = "item" if export.head(name).startswith(b"[") else "messages.item"
                    messages = export.values(name, key, options.encoding)
                    yield from zoom_chat(messages, name, options, output.errors)
                for name in rocket_pages:
                    key = messages_key(export.head(name))
                    messages = export.values(name, key, options.encoding)
                    yield from rocketchat(messages, name, options, output.errors)
                for name in campfires:  # Basecamp's Campfire lines
                    lines = export.values(name, basecamp_key(export.head(name)), options.encoding)
                    yield from basecamp(lines, name, options, output.errors)
                for name in skype_exports:
                    yield from skype(export, name, options, output.errors)
                for name in zulip_orgs:
                    tables = partial(export.values, encoding=options.encoding)
                    yield from zulip_export(name, names, tables, options, output.errors)
                for name in whatsapp_chats:
                    # Android names the file by the chat; iOS names the zip (or its folder).
                    title = chat_title(Path(name).stem, Path(name).parent.name, path.stem)
                    opener = partial(export.open, name)
                    yield from whatsapp(opener, name, title, options, output.errors)

            def handle(row: tuple[str, int, Any, Place] | Said | None) -> None:
                if row is None or isinstance(row, Said):
                    said = row  # read by chat_exports, or a notice it skipped
                else:
                    name, line, message, place = row
                    if not isinstance(message, dict):
                        output.errors.append(
                            RowError(line, None, f"{name}: a message must be a JSON object")
                        )
                        return
                    said = (
                        self.discord_message(name, line, message, place, options, output.errors)
                        if place.tool == "discord"
                        else self.message(name, line, message, place, host, output.errors)
                    )
                if said and said.email and not said.bot and not is_staff(said.email, None, options):
                    emailed.add(said.place.id)
                found = evidence(said, source, options, output.errors) if said else None
                if said is None or found is None:
                    return
                if said.place.about and said.mentions == said.place.about:
                    nameless.append((said.place.id, found[0]))
                if found[1] == "internal":
                    vendor_posts.add(said.external_id)
                if found[1] is None and said.replies_to in vendor_posts and thanks_only(said.text):
                    output.skipped_rows += 1  # "Thanks Tom, 12/10 works for us"
                    return
                output.take(found[0], found[1], options)

            run_rows(output, messages, handle)
        # A person without an email is of the company the channel names only where no
        # customer there is known by email: there, they may be of another (an agency, a
        # contractor), and nothing says which.
        for channel_id, record in nameless:
            if channel_id in emailed:
                record.mentions = ()
        return output

    @staticmethod
    def message(
        name: str,
        line: int,
        message: dict[str, Any],
        place: Place,
        host: str,
        errors: list[RowError],
    ) -> Said | None:
        """A person's Slack message, None for Slack's own notices."""
        if message.get("subtype") in SKIPPED_SUBTYPES:
            return None
        ts = as_text(message.get("ts"))
        if ts is None:
            errors.append(RowError(line, "ts", f"{name}: a message has no ts"))
            return None
        users = place.users
        user = users.get(str(message.get("user")), {})
        profile = dict_at(message, "user_profile")
        if not user and message.get("user") and as_text(profile.get("real_name")):
            # A Slack Connect partner's person, in no users.json, known by the profile their
            # messages carry: later mentions of them read by that name.
            user = users[str(message["user"])] = {
                "name": as_text(profile.get("real_name")),
                "email": as_text(profile.get("email")),
                "bot": False,
            }
        bot = bool(
            user.get("bot")
            or message.get("bot_id")
            or message.get("subtype") == "bot_message"
            or message.get("user") == SLACKBOT
        )
        text = plain(str(message.get("text") or ""), users) or blocks_text(
            message.get("blocks"), users
        )
        if bot and not text:
            # An app posts in attachments: its words are there, to be counted as a bot's.
            text = attachment_text(message.get("attachments"))
        permalink = f"{host}/archives/{place.id}/p{ts.replace('.', '')}"
        permalink = as_text(message.get("permalink")) or permalink  # a search match's own
        thread = as_text(message.get("thread_ts"))
        if thread and thread != ts:
            permalink += f"?thread_ts={thread}&cid={place.id}"
        email = as_text(user.get("email") or profile.get("email"))
        return Said(
            file=name,
            line=line,
            text=unquoted(text),
            when=ts,
            when_field="ts",
            person=as_text(profile.get("real_name") or user.get("real_name") or user.get("name")),
            email=email,
            bot=bot,
            external_id=f"{place.id}:{ts}",
            link=permalink,
            place=place,
            replies_to=f"{place.id}:{thread}" if thread and thread != ts else None,
            # Without an email, of the company the channel is shared with (unless someone else
            # there gave one: SlackConnector.read).
            mentions=place.about if not email and not bot and not user.get("staff") else (),
            # Of the vendor's workspace in a shared channel (slack_pages.read_ahead).
            staff=bool(user.get("staff")),
        )

    @staticmethod
    def discord_message(
        name: str,
        line: int,
        message: dict[str, Any],
        place: Place,
        options: ConnectorOptions,
        errors: list[RowError],
    ) -> Said | None:
        """A person's message in a DiscordChatExporter export, None for Discord's notices."""
        if str(message.get("type") or "Default") not in DISCORD_SAID:
            return None
        message_id = as_text(message.get("id"))
        if message_id is None:
            errors.append(RowError(line, "id", f"{name}: a message has no id"))
            return None
        author = dict_at(message, "author")
        shown = as_text(author.get("nickname") or author.get("name")) or ""
        person, company = affiliation(shown)
        roles = [
            role_name
            for role in author.get("roles") or []
            if isinstance(role, dict) and (role_name := as_text(role.get("name")))
        ]
        staff = any(staff_role(role, options) for role in roles) or bool(
            company and names_us(company, options)
        )
        text = unemphasised(str(message.get("content") or ""))
        if author.get("isBot") and not text.strip():
            # A bot posts in embeds (GitHub: "[ourco/sdk] New release published: v2.3.0").
            said = [
                str(part.get(key) or "").strip()
                for part in message.get("embeds") or []
                if isinstance(part, dict)
                for key in ("title", "description")
            ]
            text = "\n".join(dict.fromkeys(line for line in said if line))
        return Said(
            file=name,
            line=line,
            text=unquoted(text),
            when=message.get("timestamp"),
            when_field="timestamp",
            person=as_text(person) or shown or None,
            email=None,
            bot=bool(author.get("isBot")),
            external_id=f"{place.id}:{message_id}",
            link=f"https://discord.com/channels/{place.guild}/{place.id}/{message_id}",
            place=place,
            staff=staff,
            mentions=tuple(m for m in (company, *roles) if m and not staff),
        )


connector = SlackConnector()
