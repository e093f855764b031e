"""The App Store's public customer-reviews feed saved as JSON, read as reviews.

Apple serves an app's latest reviews as an RSS feed, in JSON too
(`itunes.apple.com/<country>/rss/customerreviews/id=<app>/sortby=mostrecent/json`):
`{"feed": {"entry": [...]}}`, every value wrapped as `{"label": …}` (with its `attributes`
beside it where it has some), the stars in `im:rating`, the app's version in `im:version`, the
reviewer in `author.name`. The feed's first entry may be the app itself (its name in
`im:name`, its description in `summary`, no rating): not a review. A feed of one entry holds
it as an object, not a list.
"""

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from huddle.connectors.json_reading import json_records_at
from huddle.imports.rows import RowShapeError

_FEED = re.compile(rb'^\s*\{\s*"feed"\s*:\s*\{')


def is_feed(head: bytes) -> bool:
    """Whether a JSON file's first bytes open a feed converted to JSON (`{"feed": {…`)."""
    return bool(_FEED.match(head))


def feed_reviews(path: Path, encoding: str) -> Iterator[tuple[int, dict[str, Any] | None]]:
    """(line, the review's cells as a reviews CSV names them) of each entry of the feed; None
    for the app's own entry."""
    found = False
    for line, entry in json_records_at(path, "feed.entry.item", encoding=encoding, what="a review"):
        found = True
        yield line, _review(line, entry)
    if not found:
        for line, entry in json_records_at(path, "feed.entry", encoding=encoding, what="a review"):
            if isinstance(entry, dict):  # the one review of a feed of one
                yield line, _review(line, entry)


def _review(line: int, entry: Any) -> dict[str, Any] | None:
    if not isinstance(entry, dict):
        raise RowShapeError(line, "a feed's entry must be a JSON object")
    plain = _unlabelled(entry)
    if plain.get("im:rating") is None and "im:name" in plain:
        return None  # the app itself, listed before its reviews
    author = plain.get("author")
    return {
        "rating": plain.get("im:rating"),
        "title": plain.get("title"),
        "text": plain.get("content"),
        "author": author.get("name") if isinstance(author, dict) else author,
        "occurred_at": plain.get("updated"),
        "external_id": plain.get("id"),
        "version": plain.get("im:version"),
        "store": "App Store",
    }


def _unlabelled(value: Any) -> Any:
    """A feed's value without the `{"label": …}` JSON wraps it in; an object whose label is
    empty (an author's `{"name": {"label": …}, "label": ""}`) is its other parts."""
    if isinstance(value, list):
        return [_unlabelled(item) for item in value]
    if not isinstance(value, dict):
        return value
    label = value.get("label")
    if label not in (None, "") and not isinstance(label, (dict, list)):
        return label
    return {key: _unlabelled(item) for key, item in value.items() if key != "label"}
