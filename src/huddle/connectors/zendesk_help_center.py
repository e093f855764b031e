"""Zendesk Help Center comments, read as the tickets the zendesk reader knows.

Readers comment on knowledge-base articles and on community posts. The Help Center API lists
them a page at a time: an article's (`GET /api/v2/help_center/{locale}/articles/{id}/comments
.json?include=users,articles`), a post's (`GET /api/v2/community/posts/{id}/comments.json
?include=users,posts`) or a user's (`…/users/{id}/comments.json`), each page
`{"comments": [...], "users": [...], "articles"/"posts": [...], "next_page": …}`. A comment
has an `id`, its words in HTML `body`, its `author_id` (a side-loaded user: `name`, `email`,
`role` — end-user, agent, manager or admin — and `agent`), `created_at`, `html_url` and
what it was made on: `source_type` ("Article", "Post") and `source_id`, or `post_id`. An
agent may mark a comment as the `official` answer. A script may keep the comments bare, in an
array or one a line.

A comment by the team (an agent's, a manager's, an admin's, or one marked official) is the
team's own words: left out as internal, or as a test when it is one (a page saved without
its users side-loaded cannot tell them: it is read, and warned of). A comment quoting
another (the Help Center editor's `<blockquote>`) is read as a ticket's HTML is: the quote
becomes "> " lines, which are cut. The article's or post's title, when side-loaded, is the
title.
"""

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import ijson  # type: ignore[import-untyped]

from huddle.connectors.base import ConnectorOptions
from huddle.connectors.cell_text import html_to_text
from huddle.connectors.json_reading import first_bytes, json_records_at, json_values_at
from huddle.connectors.noise import noise_reason
from huddle.connectors.record_values import as_text
from huddle.errors import Invalid
from huddle.imports.rows import RowShapeError

# The Help Center roles of the team's own people (a Help Center manager among them).
_TEAM_ROLES = {"agent", "admin", "manager"}
# A page asked for without its authors: the team's comments cannot be told from readers'.
NO_AUTHORS = (
    "the comments' authors are not side-loaded, so the team's comments cannot be told from "
    "readers' and are read as theirs: fetch the pages with ?include=users and import those"
)
# What a comment may be made on, and the tag its item carries.
_SOURCES = {"article": "article-comment", "post": "post-comment"}


def is_help_center_comment(record: Any) -> bool:
    """A comment on a Help Center article or community post (not a ticket's comment, which
    has no `source_type` or `post_id`)."""
    if not isinstance(record, dict) or record.get("author_id") is None or "body" not in record:
        return False
    kind = str(record.get("source_type") or "").lower()
    return kind in _SOURCES or record.get("post_id") is not None


def is_help_center_page(path: Path, encoding: str = "utf-8") -> bool:
    """Whether the file is a page of Help Center comments: an object whose `comments` list
    holds them, by its first comment (read from the file's head only)."""
    try:
        head = first_bytes(path, encoding)
    except (Invalid, OSError, LookupError):
        return False
    if not head.lstrip().startswith(b"{") or b'"comments"' not in head:
        return False
    try:
        for comment in ijson.items(io.BytesIO(head), "comments.item"):
            return is_help_center_comment(comment)
    except ijson.JSONError:
        pass  # the head ends mid-file (or is no JSON): what it showed is all there is
    return False


def help_center_comments(path: Path, encoding: str = "utf-8") -> Iterator[tuple[int, Any]]:
    """(line, comment) of each comment of a page."""
    return json_records_at(path, "comments.item", encoding=encoding, what="a comment")


def side_loaded_titles(path: Path, encoding: str = "utf-8") -> dict[str, str]:
    """The titles of the articles and posts a page side-loads, by "article:{id}" and
    "post:{id}"."""
    titles: dict[str, str] = {}
    for key, kind in (("articles", "article"), ("posts", "post")):
        try:
            for value in json_values_at(path, f"{key}.item", encoding=encoding):
                title = as_text(value.get("title")) if isinstance(value, dict) else None
                if title and value.get("id") is not None:
                    titles[f"{kind}:{value['id']}"] = title
        except RowShapeError:
            return titles  # reading the comments says what is wrong with the file
    return titles


def comment_ticket(
    comment: dict[str, Any],
    users: dict[str, dict[str, Any]],
    titles: dict[str, str],
    options: ConnectorOptions,
) -> dict[str, Any]:
    """A Help Center comment as the ticket the zendesk reader knows: its author the requester
    (with their organisation), its page on the Help Center its link; by one of the team, the team's words (or a test)."""
    author_id = as_text(comment.get("author_id"))
    author = users.get(author_id or "", {})
    kind = str(comment.get("source_type") or "post").lower()
    source_id = comment.get("source_id") if comment.get("post_id") is None else comment["post_id"]
    team = (
        author.get("role") in _TEAM_ROLES
        or author.get("agent") is True
        or comment.get("official") is True
    )
    verdict = None
    if team:
        said = html_to_text(str(comment.get("body") or ""))
        verdict = noise_reason(said, None, options=options, known_staff=True) or "internal"
    return {
        "id": f"{_SOURCES.get(kind, 'comment')}-{comment.get('id')}",
        "subject": titles.get(f"{kind}:{source_id}"),
        "description": comment.get("body"),
        "created_at": comment.get("created_at"),
        "requester_id": author_id,
        "organization_id": author.get("organization_id"),
        "tags": [_SOURCES.get(kind, "comment"), *(["official"] if comment.get("official") else [])],
        "url": as_text(comment.get("html_url")) or as_text(comment.get("url")),
        "_verdict": verdict,
    }
