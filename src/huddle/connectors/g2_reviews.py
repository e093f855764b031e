"""G2's reviews as its API gives them, read as reviews.

G2's API (`data.g2.com/api/v1` and `v2`, `survey-responses` or a product's `reviews`) answers
in JSON:API: a page `{"data": [...], "included": [...], "links": {...}, "meta": {...}}`,
each review a resource `{"id", "type", "attributes", "relationships"}`. Its attributes: the
stars in half steps (`star_rating`, out of 5), `title`, the questions G2 asks as
`comment_answers` (`love`, `hate`, `recommendations`, `benefits`, each `{"text": the
question, "value": the answer}`; older pages give the answer alone, or a list of
`{"question"/"text", "answer"/"value"}`), `user_name` (a reviewer is "Dana L.": first name
and initial) or a nested `user`, `submitted_at` with its offset, `url` or `slug`. Sideloaded
users (`included`) name the reviewer a relationship points to.

Each review becomes the row G2's own CSV export would give (its questions as columns), so
the reviews connector reads both alike.
"""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from huddle.connectors.json_reading import first_bytes, iter_json_records, json_values_at
from huddle.connectors.record_values import as_text, dict_at, first_given
from huddle.imports.rows import RowShapeError

# What only G2's reviews carry, in a JSON file's first bytes.
_MARKERS = (b'"comment_answers"', b'"star_rating"')
# G2's questions by their keys, for an answer given without its question.
_QUESTIONS = {
    "love": "What do you like best?",
    "hate": "What do you dislike?",
    "benefits": "What problems is the product solving and how is that benefiting you?",
    "recommendations": "Recommendations to others considering the product",
}
_ANSWERS = ("comment_answers", "answers", "review_answers")
_RELATED_PEOPLE = ("user", "reviewer", "author")


def is_g2(head: bytes) -> bool:
    """Whether a JSON file's first bytes hold G2's reviews (a page, or its `data` alone)."""
    return head.lstrip().startswith((b"{", b"[")) and any(m in head for m in _MARKERS)


def g2_reviews(path: Path, encoding: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line, the review as the row of G2's CSV export) of each review of the file."""
    people = _included_people(path, encoding)
    records = iter_json_records(path, list_keys=("data",), encoding=encoding, what="a review")
    for line, resource in records:
        if not isinstance(resource, dict):
            raise RowShapeError(line, "a review must be a JSON object")
        yield line, _row(resource, people)


def _included_people(path: Path, encoding: str) -> dict[tuple[str, str], str]:
    """The names of the people a page sideloads (`included`), by their type and id."""
    if not first_bytes(path, encoding).lstrip().startswith(b"{"):
        return {}
    people = {}
    for resource in json_values_at(path, "included.item", encoding=encoding, what="a review"):
        if isinstance(resource, dict):
            attributes = dict_at(resource, "attributes")
            name = as_text(attributes.get("name") or attributes.get("user_name"))
            if name:
                people[(str(resource.get("type")), str(resource.get("id")))] = name
    return people


def _row(resource: dict[str, Any], people: dict[tuple[str, str], str]) -> dict[str, Any]:
    attributes = dict_at(resource, "attributes") or resource
    user = next((dict_at(attributes, k) for k in _RELATED_PEOPLE if dict_at(attributes, k)), {})
    row: dict[str, Any] = {
        "Review ID": as_text(resource.get("id")) or as_text(attributes.get("id")),
        "Star Rating": first_given(attributes, "star_rating", "rating", "stars", "overall_rating"),
        "Title": as_text(attributes.get("title")),
        "Reviewer": as_text(attributes.get("user_name"))
        or as_text(user.get("name"))
        or _related_name(resource, people),
        "Submitted At": first_given(attributes, "submitted_at", "published_at", "created_at"),
        "URL": as_text(attributes.get("url")) or _slug_link(attributes),
        "Email": as_text(attributes.get("user_email") or user.get("email")),
        "Store": "G2",
    }
    for question, answer in _answers(attributes):
        row[question] = answer
    return {key: value for key, value in row.items() if value not in (None, "")}


def _answers(attributes: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(question, answer) of each of G2's questions the review answers."""
    given = next((attributes[k] for k in _ANSWERS if attributes.get(k)), None)
    if isinstance(given, dict):
        for key, answer in given.items():
            if isinstance(answer, dict):
                question = as_text(answer.get("text") or answer.get("question"))
                value = as_text(answer.get("value") or answer.get("answer"))
            else:
                question, value = None, as_text(answer)
            if value:
                yield question or _QUESTIONS.get(str(key), str(key).replace("_", " ")), value
    elif isinstance(given, list):
        for answer in given:
            if not isinstance(answer, dict):
                continue
            question = as_text(answer.get("question") or answer.get("text") or answer.get("key"))
            value = as_text(answer.get("answer") or answer.get("value"))
            if question and value:
                yield _QUESTIONS.get(question, question), value


def _related_name(resource: dict[str, Any], people: dict[tuple[str, str], str]) -> str | None:
    """The reviewer's name from the person a relationship points to, sideloaded."""
    relationships = dict_at(resource, "relationships")
    for key in _RELATED_PEOPLE:
        target = dict_at(dict_at(relationships, key), "data")
        name = people.get((str(target.get("type")), str(target.get("id"))))
        if name:
            return name
    return None


def _slug_link(attributes: dict[str, Any]) -> str | None:
    slug = as_text(attributes.get("slug"))
    return f"https://www.g2.com/survey_responses/{slug}" if slug else None
