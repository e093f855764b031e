"""A Facebook Page's reviews (recommendations) as the Graph API gives them, read as reviews.

`GET /{page-id}/ratings?fields=created_time,has_rating,has_review,rating,recommendation_type,
review_text,reviewer,open_graph_story` answers `{"data": [...], "paging": {"cursors": …,
"next"}}` (several pages gathered in an array too, or the list alone). Since 2018 a review
has no stars: `recommendation_type` says whether the reviewer recommends the Page
(`positive`) or not (`negative`); an older one keeps its `rating`, 1 to 5 (`has_rating`).
Its words are `review_text` (none when `has_review` is false: a recommendation without a
review, nothing to learn from), repeated in its `open_graph_story` (`message`, and
`data.review_text`, read when the review itself leaves them out); `reviewer` (`name`, `id`)
is missing where the Page lacks the permission to see who wrote it.

Each review becomes the row a reviews export would give, its recommendation beside its
rating, so the reviews connector reads both alike.
"""

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from huddle.connectors.json_reading import paged_objects
from huddle.connectors.record_values import as_text, dict_at, first_given

STORE = "Facebook"

# What a Page's rating has that no other reviews JSON does: a recommendation as Facebook says
# it (another tool's `recommendation_type` says something else: "upsell"), its story's type,
# or the flags an older rating with stars carries beside them.
_OWN = re.compile(
    rb'"recommendation_type"\s*:\s*"(?:positive|negative)"|"og\.recommends"'
    rb'|"has_(?:rating|review)"\s*:\s*(?:true|false)'
)
# How a recommendation is said in a review's title, where stars would be.
_SAID = {"positive": "Recommends", "negative": "Does not recommend"}


def is_facebook(head: bytes) -> bool:
    """Whether a JSON file's first bytes hold a Facebook Page's ratings from the Graph API."""
    return head.lstrip().startswith((b"{", b"[")) and bool(_OWN.search(head))


def facebook_reviews(path: Path, encoding: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line, the review's cells as a reviews export names them, with its `recommendation`)
    of each recommendation of the page."""
    for line, review in paged_objects(
        path, "data", alone="created_time", encoding=encoding, what="a review"
    ):
        yield line, _row(review)


def _row(review: dict[str, Any]) -> dict[str, Any]:
    story = dict_at(review, "open_graph_story")
    told = dict_at(story, "data")
    recommendation = as_text(
        first_given(review, "recommendation_type") or told.get("recommendation_type")
    )
    text = as_text(
        first_given(review, "review_text") or told.get("review_text") or story.get("message")
    )
    story_id = as_text(story.get("id"))
    return {
        "rating": review.get("rating") if review.get("has_rating") is not False else None,
        "recommendation": recommendation.lower() if recommendation else None,
        "title": None,
        "text": text,
        "author": as_text(dict_at(review, "reviewer").get("name")),
        "occurred_at": as_text(review.get("created_time")) or as_text(story.get("start_time")),
        "external_id": f"facebook:{story_id}" if story_id else None,
        "link_url": None,
        "store": STORE,
    }


def headline(rating: int | None, recommendation: str | None, title: str | None) -> str:
    """A review's title as Huddle shows it: its stars (★★★★☆), or where it has none its
    recommendation ("Recommends"), then the reviewer's own title."""
    if rating is not None:
        said = f"{'★' * rating}{'☆' * (5 - rating)}"
    else:
        said = _SAID.get(recommendation or "", "")
    return f"{said} {title or ''}".strip()
