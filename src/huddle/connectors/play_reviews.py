"""Google Play's reviews as the Play Developer API gives them, read as reviews.

`reviews.list` (androidpublisher v3) answers `{"reviews": [...], "tokenPagination":
{"nextPageToken"}, "pageInfo": {…}}` (several gathered in an array too); `reviews.get` one
review alone. A review is its `reviewId`, `authorName` ("A Google user" when the reviewer is
not named) and `comments`: the reviewer's `userComment` (`text`, a title and body joined by a
tab where the reviewer wrote both, else a bare leading tab; `starRating` 1 to 5;
`lastModified` as `{"seconds": "1796129882", "nanos": …}`; `reviewerLanguage`,
`appVersionName`, `device`; and `originalText`, the reviewer's own words, when
`translationLanguage` asked for a translation) and the developer's public reply
(`developerComment`: the vendor's words, left out). A reviewer who edits a review replaces
it: the newest `userComment` is the review, dated when it was last changed.

Each review becomes the row a Play Console reviews export would give, so the reviews
connector reads both alike.
"""

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from huddle.connectors.json_reading import paged_objects
from huddle.connectors.record_values import as_text, dict_at, listed

STORE = "Google Play"


def is_play_api(head: bytes) -> bool:
    """Whether a JSON file's first bytes hold reviews from the Play Developer API."""
    return head.lstrip().startswith((b"{", b"[")) and b'"userComment"' in head


def play_reviews(path: Path, encoding: str) -> Iterator[tuple[int, dict[str, Any] | None]]:
    """(line, the review's cells as a reviews export names them) of each review; None for a
    review without the reviewer's comment (the developer's reply alone)."""
    for line, review in paged_objects(
        path, "reviews", alone="comments", encoding=encoding, what="a review"
    ):
        yield line, _row(review)


def _modified(comment: dict[str, Any]) -> datetime | None:
    """When a comment was last changed: the API's `{"seconds", "nanos"}`, or the RFC 3339
    text other clients write it as (None: kept as it is, for the reader to judge)."""
    stamp = comment.get("lastModified")
    if not isinstance(stamp, dict):
        return None
    try:
        seconds = int(str(stamp.get("seconds")))
        nanos = int(str(stamp.get("nanos") or 0))
        return datetime.fromtimestamp(seconds + nanos / 1e9, UTC)
    except (ValueError, OverflowError, OSError):
        return None


def _parts(text: str) -> tuple[str, str]:
    """A comment's title and body: "title<TAB>body", "<TAB>body" or the body alone."""
    title, tab, body = text.partition("\t")
    return (title.strip(), body.strip()) if tab else ("", title.strip())


def _row(review: dict[str, Any]) -> dict[str, Any] | None:
    theirs = [
        comment
        for item in listed(review.get("comments"))
        if isinstance(item, dict) and (comment := dict_at(item, "userComment"))
    ]
    if not theirs:
        return None
    # The newest version of the reviewer's comment, should a page carry an older one too.
    comment = max(theirs, key=lambda c: _modified(c) or datetime.min.replace(tzinfo=UTC))
    own = as_text(comment.get("originalText"))
    title, text = _parts(own or str(comment.get("text") or ""))
    translated = _parts(str(comment.get("text") or ""))[1] if own else ""
    if translated and translated != text:
        # The reviewer's words first; the translation the API was asked for after them.
        lang = as_text(comment.get("reviewerLanguage"))
        text = f"{text}\n\nTranslation{f' (from {lang})' if lang else ''}: {translated}"
    when = _modified(comment)
    return {
        "rating": comment.get("starRating"),
        "title": title or None,
        "text": text or None,
        "author": as_text(review.get("authorName")),
        "occurred_at": when.isoformat() if when else comment.get("lastModified"),
        "external_id": as_text(review.get("reviewId")),
        "version": as_text(comment.get("appVersionName")),
        "store": STORE,
    }
