"""What the tickets connector reads from a Discourse forum's posts.

A vendor's community forum on Discourse gives its posts as:

- a Data Explorer query's result downloaded as CSV (`<query>@<site>-<date>.dcqresult.csv`):
  the query's own column names (`post_id`, `topic_id`, `topic_title`, `category`,
  `post_number`, `username`, `name`, `raw`, `cooked`, `admin`, `moderator`, `hidden`,
  `deleted_at`, `created_at` as Postgres writes a UTC time, flags as `t`/`f` or
  `true`/`false`, a custom user field such as `company`), or a query over posts alone
  (`post_id` and `raw`, `cooked` beside its author); a query over topics, whose rows hold
  titles and no post's words, is refused saying to add them;
- a user's archive ("Download my posts": `user_archive.csv`, with `topic_title`,
  `categories` piped, `is_pm`, `post` (the raw words), `like_count`, `reply_count`, `url`,
  `created_at` as Ruby writes a UTC time);
- the API's JSON, read as the table of its posts (`json_table`): `/posts.json`
  (`{"latest_posts": [...]}`), a topic's `/t/{id}.json` or `/t/{id}/posts.json`
  (`{"post_stream": {"posts": [...]}, "title": …}`), each post with `raw` or `cooked`,
  `username`, `name`, `admin`, `moderator`, `staff`, `hidden`, `user_id`, `post_type`,
  `deleted_at`. A topic's page holds its first 20 posts and the ids of all
  (`post_stream.stream`): the rest are warned of, to fetch.

Each post is an item: its words (`raw` Markdown, else `cooked` HTML) without the posts it
quotes (`[quote="carla, post:1, topic:812"]…[/quote]`, `<aside class="quote">`), link
previews, uploads, emoji codes or a poll's markup and counts, and its topic's title as title;
an author without a full name is known by their username. The forum's staff (an
admin or a moderator, a whisper or a moderator's action, a company naming the vendor) write
the team's own words: internal. Discourse's own users (`system`, `discobot`; negative user
ids) are bots; a post hidden by the community's flags is spam; a deleted one says nothing
any more. A Data Explorer result saved as JSON holds its rows as bare arrays: refused, asking
for its CSV.
"""

import csv
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from huddle.connectors.base import ConnectorOptions
from huddle.connectors.chat_messages import unemphasised
from huddle.connectors.csv_reading import read_csv
from huddle.connectors.json_reading import first_bytes, first_record, first_value_at, is_json
from huddle.connectors.noise import names_us
from huddle.errors import Invalid
from huddle.imports.fields import FieldSpec, normalise, resolve_columns
from huddle.imports.records import FeedbackRecord, RowError
from huddle.imports.rows import RowShapeError

# A post's words: Markdown as written (a user's archive calls it `post`), else the HTML
# Discourse made of it.
_POST_TEXT = ("raw", "post_raw", "post", "cooked", "post_cooked")
# Columns only a forum's posts have.
_MARKERS = frozenset(("post_number", "topic_id", "topic_title", "topic_slug"))
# A query over posts alone (`SELECT p.id AS post_id, u.username, p.raw`): the posts table's
# `raw` beside a post's id, or its `cooked` (no other tool calls HTML so) beside its author.
_POSTS_TABLE = (
    (frozenset(("raw", "cooked")), frozenset(("post_id",))),
    (frozenset(("cooked",)), frozenset(("post_id", "username", "user_id"))),
)
# The header's names of what the tickets CSV reads by other names.
_COLUMNS = {"topic_title": "title", "post_id": "external_id", "category": "tags"}
# The flags Discourse sets on its staff's posts.
_STAFF = ("admin", "moderator", "staff", "is_admin", "is_moderator", "is_staff")
# Discourse's own users: the system user (id -1) and the welcome bot (id -2).
_BOTS = frozenset(("system", "discobot"))
# Post types that are not a member's post: a moderator's action, a small action ("closed
# this topic"), a whisper only staff see.
_STAFF_POST_TYPES = frozenset(("2", "3", "4"))
_YES = frozenset(("t", "true", "1", "yes"))

# Quoted posts, nested or not: Markdown's BBCode and the HTML Discourse renders it as (an
# aside, as link previews are too).
_QUOTE = re.compile(
    r"\[quote(?:=[^\]]*)?\](?:(?!\[quote\b).)*?\[/quote\]", re.DOTALL | re.IGNORECASE
)
_ASIDE = re.compile(r"<aside\b[^>]*>(?:(?!<aside\b).)*?</aside>", re.DOTALL | re.IGNORECASE)
# An upload ("![screenshot|690x388](upload://a1b2.png)") and an emoji code (":slight_smile:").
_UPLOAD = re.compile(r"!\[[^\]]*\]\(upload://[^)]*\)")
# A poll's markup around the options its author wrote: `[poll type=regular]`, `[/poll]`, and
# the counts Discourse renders under it ("0 voters", "Choose up to 2 options").
_POLL = re.compile(
    r"\[/?poll\b[^\]]*\]|<span class=\"info-(?:number|label|text)\">[^<]*</span>", re.IGNORECASE
)
_EMOJI = re.compile(r"(?<![\w:]):[a-z0-9_+-]+:(?![\w:])")
# Where the API's pages keep their posts.
_POST_LISTS = ("latest_posts", "posts")
# A page of the API's JSON, by its first bytes: the latest posts, a topic's post stream.
_API_PAGE = re.compile(rb'"(latest_posts|post_stream)"\s*:')
# A Data Explorer result saved as JSON: `result_count` and `default_limit` beside `columns`.
_EXPLORER_JSON = (rb'"result_count"\s*:', rb'"default_limit"\s*:', rb'"columns"\s*:\s*\[')


@dataclass(frozen=True)
class Forum:
    """A forum's posts file: the `--map` entries that read it, its header by normal name, and
    a topic page's title (its posts do not repeat it)."""

    mapping: dict[str, str]
    cells: dict[str, str]
    topic: str | None
    # Why the file cannot be read as posts: a query over topics, whose rows hold no words.
    refused: str | None = None

    def plain(self, values: Mapping[str, Any], text_column: str) -> Mapping[str, Any]:
        """A post's row with its own words alone in its text: nothing for a deleted post. An
        author who gave no full name is known by their username."""
        if self._cell(values, "deleted_at") or self._flag(values, "user_deleted"):
            return {**values, text_column: ""}
        named = self.cells.get("name") if "username" in self.cells else None
        if named and not self._cell(values, "name"):
            values = {**values, named: self._cell(values, "username")}
        return {**values, text_column: own_words(str(values.get(text_column) or ""))}

    def settle(
        self, record: FeedbackRecord, values: Mapping[str, Any], options: ConnectorOptions
    ) -> str | None:
        """Gives a topic page's post its title; why the post is not a customer's, as the forum
        says (its bots, a post hidden by flags, its staff), or None."""
        record.title = record.title or self.topic
        username = self._cell(values, "username").casefold()
        user_id = self._cell(values, "user_id")
        if username in _BOTS or re.fullmatch(r"-\d+", user_id):
            return "bot"
        if self._flag(values, "hidden"):
            return "spam"  # hidden by the community's flags or a moderator
        if (
            any(self._flag(values, name) for name in _STAFF)
            or self._cell(values, "post_type") in _STAFF_POST_TYPES
            or (record.account_ref and names_us(record.account_ref, options))
        ):
            return "internal"
        return None

    def _cell(self, values: Mapping[str, Any], name: str) -> str:
        return str(values.get(self.cells.get(name, ""), "") or "").strip()

    def _flag(self, values: Mapping[str, Any], name: str) -> bool:
        return self._cell(values, name).casefold() in _YES


def own_words(post: str) -> str:
    """A post's words without the posts it quotes, link previews, uploads, emoji codes and
    Markdown's emphasis marks."""
    for pattern in (_QUOTE, _ASIDE):
        while True:
            cut = pattern.sub("", post)
            if cut == post:
                break
            post = cut
    return unemphasised(_EMOJI.sub("", _UPLOAD.sub("", _POLL.sub("", post)))).strip()


def forum(path: Path, options: ConnectorOptions, text: FieldSpec) -> Forum | None:
    """The file as a forum's posts, when its header names a post's columns (`post_number`,
    `topic_id`, `topic_title`, `topic_slug`); None for another file, or one that cannot be
    read (reading it says why). Its post text is read as the text unless a column is already
    (by the user's `--map`, or by a name the tickets know: a query's `raw AS body`). A JSON
    file is looked into only when its first record is a post (a JSON table is read whole to
    learn its columns)."""
    json = is_json(path, options.encoding)
    if json and not _MARKERS & (first_record(path, _POST_LISTS, options.encoding) or {}).keys():
        return None
    spec = FieldSpec("text", _POST_TEXT)
    try:
        header, _, rows = read_csv(path, options.encoding, (spec,), {})
    except (Invalid, UnicodeDecodeError, RowShapeError, csv.Error, OSError):
        return None
    rows.close()
    cells = {normalise(name): name for name in header}
    posts_table = any(words & cells.keys() and ids & cells.keys() for words, ids in _POSTS_TABLE)
    if not _MARKERS & cells.keys() and not posts_table:
        return None
    mapped = set(options.mapping.values())
    found: dict[str, str] = {}
    named = resolve_columns(header, (text,), {}, strict=False)
    post_text = next((cells[name] for name in _POST_TEXT if name in cells), None)
    if post_text and "text" not in mapped and not named:
        found[post_text] = "text"
    for name, field in {**_COLUMNS, **_people(cells)}.items():
        if field == "tags" and {"tags", "categories"} & cells.keys():
            continue  # the topic's tags, the archive's categories: read by their names
        if name in cells and field not in mapped and field not in found.values():
            found[cells[name]] = field
    topic = first_value_at(path, "title", options.encoding) if json else None
    refused = None
    if not post_text and not named and "text" not in mapped and "title" in cells:
        refused = (
            f"{path.name} is a Discourse query over topics: its rows hold their titles and "
            "no post's words. Add the posts' words to the query (p.raw, joining posts on "
            "p.topic_id = t.id, with p.post_number = 1 for each topic's opening post), "
            "download its CSV again and import that"
        )
    return Forum(found, cells, topic if isinstance(topic, str) else None, refused)


def _people(cells: Mapping[str, str]) -> dict[str, str]:
    """Who wrote each post: a person's name (a `name` column, else the `username`), never
    read as a title."""
    if {"user_name", "display_name"} & cells.keys():
        return {}
    return {"name": "contact_name"} if "name" in cells else {"username": "contact_name"}


def api_page(path: Path, encoding: str) -> bool:
    """Whether a JSON file is a page of Discourse's API posts (`/posts.json`, a topic)."""
    return bool(_API_PAGE.search(first_bytes(path, encoding)))


def unfetched_posts(path: Path, encoding: str) -> list[RowError]:
    """The warning that a topic's page holds only its first posts: `/t/{id}.json` sends 20
    and lists the ids of all in `post_stream.stream`; none when it holds them all."""
    stream = first_value_at(path, "post_stream.stream", encoding)
    posts = first_value_at(path, "post_stream.posts", encoding)
    if not isinstance(stream, list) or not isinstance(posts, list) or len(posts) >= len(stream):
        return []
    topic = first_value_at(path, "id", encoding)
    return [
        RowError(
            1,
            "post_stream",
            f"the topic has {len(stream)} posts and this page holds its first {len(posts)}: "
            f"fetch them all (/t/{topic}.json?print=true, or /t/{topic}/posts.json with the "
            "other ids as post_ids[]) and import that",
        )
    ]


def explorer_json(path: Path, encoding: str) -> str | None:
    """Why a Data Explorer result saved as JSON is refused (its rows are bare arrays, their
    columns named apart); None for another file."""
    head = first_bytes(path, encoding)
    if not all(re.search(pattern, head) for pattern in _EXPLORER_JSON):
        return None
    return (
        f"{path.name} is a Discourse Data Explorer result saved as JSON, whose rows are bare "
        "lists: download the query's result as CSV instead (the CSV button beside JSON) and "
        "import that"
    )
