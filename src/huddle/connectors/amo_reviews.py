"""Firefox Add-ons (addons.mozilla.org) ratings as its API gives them, read as reviews.

`GET /api/v5/ratings/rating/?addon=<slug>` (v4, v3 alike) answers `{"count", "next",
"previous", "results": [...]}` (several pages gathered in an array too); `GET
…/rating/<id>/` one rating alone. A rating is its `id`, `addon` (`id`, `slug`, `name`),
`body` (null for a rating left without words), `score` (1 to 5), `created` (ISO 8601),
`user` (`name`: "Firefox user 18990012" when the reviewer set none; `username`), `version`
(`version`), `is_deleted` (seen only by the add-on's developers) and `reply`: the developer's
answer, a rating of its own with `is_developer_reply` true (the vendor's words, left out).
A developer's reply listed on its own (a user's ratings: `?user=<id>`) is no review either.

Each rating becomes the row a reviews export would give, so the reviews connector reads both
alike; the link is the review's page on the site.
"""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from huddle.connectors.json_reading import paged_objects
from huddle.connectors.record_values import as_text, dict_at

STORE = "Firefox Add-ons"
SITE = "https://addons.mozilla.org"


# Keys a rating of the API carries that other reviews JSON (a scraper's, which links the
# site too) does not: v4 and v5's `is_developer_reply`; older answers' `is_latest` and
# `previous_count`, beside the site's address.
_OWN_KEY = b'"is_developer_reply"'
_OLDER_KEYS = (b'"is_latest"', b'"previous_count"')


def is_amo(head: bytes) -> bool:
    """Whether a JSON file's first bytes hold ratings from the add-ons site's API (not
    merely a link to the site)."""
    return head.lstrip().startswith((b"{", b"[")) and (
        _OWN_KEY in head
        or (b"addons.mozilla.org/" in head and any(key in head for key in _OLDER_KEYS))
    )


def amo_reviews(path: Path, encoding: str) -> Iterator[tuple[int, dict[str, Any] | None]]:
    """(line, the rating's cells as a reviews export names them) of each rating; None for a
    developer's reply or a deleted rating."""
    for line, rating in paged_objects(
        path, "results", alone="score", encoding=encoding, what="a rating"
    ):
        yield line, _row(rating)


def _row(rating: dict[str, Any]) -> dict[str, Any] | None:
    if rating.get("is_developer_reply") is True or rating.get("is_deleted") is True:
        return None
    rating_id = as_text(rating.get("id"))
    slug = as_text(dict_at(rating, "addon").get("slug"))
    user = dict_at(rating, "user")
    return {
        "rating": rating.get("score"),
        "title": None,
        "text": as_text(rating.get("body")),
        "author": as_text(user.get("name")) or as_text(user.get("username")),
        "occurred_at": rating.get("created"),
        "external_id": f"amo:{rating_id}" if rating_id else None,
        "link_url": (
            f"{SITE}/firefox/addon/{slug}/reviews/{rating_id}/" if slug and rating_id else None
        ),
        "version": as_text(dict_at(rating, "version").get("version")),
        "store": STORE,
    }
