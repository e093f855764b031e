"""The Visual Studio Marketplace's reviews of an extension, as its API gives them.

`GET https://marketplace.visualstudio.com/_apis/public/gallery/publishers/<publisher>/
extensions/<extension>/ratingreview?count=…&filterOptions=…` answers `{"reviews": [...],
"totalReviewCount": …, "hasMoreReviews": …}` (several pages gathered in an array too). A
review is its `id`, `userId`, `userDisplayName`, `updatedDate` (ISO 8601), `rating` (1 to 5),
`title` (when the review has one), `text`, `productVersion`, `isDeleted` (a deleted review
keeps only the Marketplace's placeholder words) and `isIgnored`, and the publisher's `reply`
nested in it (`replyText`: the vendor's words, left out).

Each review becomes the row a reviews export would give, so the reviews connector reads both
alike: a reviewer shown by the name of one of the workspace's people is the vendor's own.
"""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from huddle.connectors.json_reading import paged_objects
from huddle.connectors.record_values import as_text

STORE = "Visual Studio Marketplace"

# Keys only the Marketplace's reviews carry (other reviews JSON says `userName`, `author`).
_OWN_KEY = b'"userDisplayName"'
_PAGE_KEYS = (b'"productVersion"', b'"totalReviewCount"', b'"hasMoreReviews"', b'"replyText"')


def is_vscode_marketplace(head: bytes) -> bool:
    """Whether a JSON file's first bytes hold reviews from the Marketplace's API."""
    return (
        head.lstrip().startswith((b"{", b"["))
        and _OWN_KEY in head
        and any(key in head for key in _PAGE_KEYS)
    )


def marketplace_reviews(path: Path, encoding: str) -> Iterator[tuple[int, dict[str, Any] | None]]:
    """(line, the review's cells as a reviews export names them) of each review; None for a
    deleted one."""
    for line, review in paged_objects(
        path, "reviews", alone="userDisplayName", encoding=encoding, what="a review"
    ):
        yield line, _row(review)


def _row(review: dict[str, Any]) -> dict[str, Any] | None:
    if review.get("isDeleted") is True:
        return None  # its words are the Marketplace's placeholder now, not the reviewer's
    review_id = as_text(review.get("id"))
    return {
        "rating": review.get("rating"),
        "title": as_text(review.get("title")),
        "text": as_text(review.get("text")),
        "author": as_text(review.get("userDisplayName")),
        "occurred_at": review.get("updatedDate"),
        "external_id": f"vsmarketplace:{review_id}" if review_id else None,
        "link_url": None,
        "version": as_text(review.get("productVersion")),
        "store": STORE,
    }
