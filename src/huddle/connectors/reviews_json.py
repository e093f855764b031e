"""A review saved as JSON by a site or a scraper with no reader of its own (Google Business
Profile's `reviews.json`, Trustpilot's and Atlassian Marketplace's APIs, App Store Connect's
JSON:API resources), as the cells of a reviews export's row: each field from the first of
the places such JSON keeps it."""

from typing import Any

from huddle.imports.rows import RowShapeError

# Google Business Profile's star ratings, an enum of words (a CSV's "five" is no rating).
_STAR_WORDS = {"ONE": 1, "TWO": 2, "THREE": 3, "FOUR": 4, "FIVE": 5}
# Where a review's parts sit in a JSON review (Google Business Profile's first), by field.
JSON_PLACES: dict[str, tuple[str, ...]] = {
    "rating": ("starRating", "rating", "stars", "score"),
    "title": ("title", "headline"),
    "text": ("comment", "text", "body", "content", "review"),
    # Atlassian Marketplace's REST API names the author in the review's HAL `_embedded`,
    # Trustpilot's Business Units API in its nested `consumer`.
    "author": (
        "reviewer.displayName",
        "consumer.displayName",
        "_embedded.author.name",
        "author.name",
        "author.displayName",
        "author",
        "userName",
        "reviewer_name",
        # App Store Connect's customer reviews.
        "reviewerNickname",
    ),
    "occurred_at": ("createTime", "date", "createdAt", "created_at", "createdDate", "at"),
    "external_id": ("reviewId", "id", "review_id"),
    "link_url": ("url", "link"),
}


def review_values(record: Any) -> dict[str, Any]:
    """A JSON review as the cells of a review row (the owner's public reply is theirs: left
    out with the rest of the record)."""
    if not isinstance(record, dict):
        raise RowShapeError(1, "a review must be a JSON object")
    if isinstance(record.get("attributes"), dict):
        # A JSON:API resource (App Store Connect's `customerReviews`): its fields sit in
        # `attributes`, its id beside them; the developer's responses are other resources.
        record = {**record, **record["attributes"]}
    values: dict[str, Any] = {}
    for field, places in JSON_PLACES.items():
        for place in places:
            value: Any = record
            for key in place.split("."):
                value = value.get(key) if isinstance(value, dict) else None
            # A place that holds an object is not the field ("author": {"name": …}).
            if value not in (None, "") and not isinstance(value, (dict, list)):
                values[field] = value
                break
    if values.get("rating") in _STAR_WORDS:
        values["rating"] = _STAR_WORDS[values["rating"]]  # Google's "FOUR"
    review_id = values.get("external_id")
    if "link_url" not in values and isinstance(record.get("businessUnit"), dict) and review_id:
        # Trustpilot's API links only to itself; a person reads the review on its page.
        values["link_url"] = f"https://www.trustpilot.com/reviews/{review_id}"
    return values
