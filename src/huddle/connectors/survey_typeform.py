"""Typeform's responses as its APIs give them, read by the survey connector as the rows of a
survey export.

The Responses API (`GET /forms/{form_id}/responses`) answers `{"total_items", "page_count",
"items": [...]}` (several pages gathered in an array too, or the items alone); a webhook
delivers one response as `{"event_id", "event_type": "form_response", "form_response":
{...}}` (saved alone, in an array or as JSON lines). A response has its `response_id` (the
`token`), `response_type` (completed, partial, started), `landed_at` and `submitted_at` (none
for a partial one), `hidden` fields passed in the form's link (`email`, `company`…), and its
`answers`: each names its question only by `field` (`id`, `type`, and the `ref` the team
gave it; a webhook's `definition.fields` adds each question's `title`) and holds one value
under its own `type` (`number`, `text`, `email`, `choice` with a `label`, `choices`,
`boolean`, `date`, `url`…; a choice's `other` the words typed in its "Other" box). A webhook's
`form_response` saved without its envelope (a receiver that kept only the response) is read
too, known by its `landed_at` beside its `answers` or `definition`.

The score is the answer to an `nps`, `opinion_scale` or `rating` question (its kind from the
question's type, ref or title: a rating is a CSAT); the comment every open answer (`long_text`,
`short_text`) that does not ask the respondent's name, company or address; the respondent's
email an `email` answer or a hidden field, the company a hidden field or a question asking it,
the name the questions asking it (a contact info block's "First name" and "Last name"). A
choice is an option, not the respondent's words: left out, but for what was typed as "Other".
"""

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from huddle.connectors.json_reading import paged_objects
from huddle.connectors.record_values import as_text, dict_at, listed
from huddle.connectors.survey_questions import company_asked, email_asked
from huddle.imports.fields import FieldSpec, resolve_columns
from huddle.imports.rows import Row

# The row a response becomes, and the survey connector's field -> column for it.
COLUMNS = {
    "score": "score",
    "text": "comment",
    "contact_email": "email",
    "contact_name": "name",
    "account": "company",
    "occurred_at": "submitted_at",
    "external_id": "response_id",
    "response_type": "response_type",
    "kind": "survey",
}
HEADER = list(COLUMNS.values())

# Keys a Typeform response has that no other survey JSON does.
_OWN_KEYS = (b'"landing_id"', b'"form_response"')
# A webhook's envelope: known before its answers, which follow the form's whole definition.
_WEBHOOK = re.compile(rb'"event_type"\s*:\s*"form_response"')
# A webhook's response without its envelope: Typeform's `landed_at` beside the form's
# `definition` or the response's `answers` (the `form_id` and `token` it opens with say little).
_BARE = re.compile(rb'"landed_at"\s*:')
_BARE_WITH = (b'"definition"', b'"answers"')
# A question asking the respondent's name, by its ref or title ("first_name", "Last name").
_NAME_ASKED = re.compile(
    r"^\W*(?:what(?:'s| is) )?(?:your )?(?:(?:first|last|full|given|family|sur)[ _-]?)?name\W*$",
    re.IGNORECASE,
)
# The questions answered with a score, and the kind each is by its type.
_SCORED = {"nps": "nps", "rating": "csat", "opinion_scale": ""}
_OPEN = {"long_text", "short_text"}
# A question's ref or title naming its kind (an opinion scale's, which may be either).
_KIND_WORDS = (
    (re.compile(r"effort|(?<![a-z])ces(?![a-z])", re.IGNORECASE), "ces"),
    (re.compile(r"csat|satisf", re.IGNORECASE), "csat"),
    (re.compile(r"nps|recommend", re.IGNORECASE), "nps"),
)


def is_typeform(head: bytes) -> bool:
    """Whether a JSON file's first bytes hold Typeform responses (its API's or a webhook's)."""
    return head.lstrip().startswith((b"{", b"[")) and (
        bool(_WEBHOOK.search(head))
        or (b'"answers"' in head and any(key in head for key in _OWN_KEYS))
        or (bool(_BARE.search(head)) and any(key in head for key in _BARE_WITH))
    )


def typeform_rows(path: Path, encoding: str, who: tuple[FieldSpec, ...]) -> Iterator[Row]:
    """Each response as a survey row (`COLUMNS`); `who`: the survey's fields naming the
    respondent (email, name, company), to read hidden fields and questions by."""
    for line, record in paged_objects(
        path, "items", alone=("form_response", "answers"), encoding=encoding, what="a response"
    ):
        response = dict_at(record, "form_response") or record
        yield Row(line, _values(response, who))


def _values(response: dict[str, Any], who: tuple[FieldSpec, ...]) -> dict[str, Any]:
    titles = {
        as_text(field.get("id")): as_text(field.get("title"))
        for field in listed(dict_at(response, "definition").get("fields"))
        if isinstance(field, dict)
    }
    values: dict[str, Any] = {
        "submitted_at": as_text(response.get("submitted_at")) or as_text(response.get("landed_at")),
        "response_id": as_text(response.get("response_id")) or as_text(response.get("token")),
        "response_type": as_text(response.get("response_type")),
    }
    hidden = {str(k): v for k, v in dict_at(response, "hidden").items() if as_text(v)}
    for name, key in resolve_columns(list(hidden), who, {}, strict=False).items():
        values[COLUMNS[name]] = as_text(hidden[key])
    comments: list[str] = []
    names: list[str] = []
    for answer in listed(response.get("answers")):
        if not isinstance(answer, dict):
            continue
        field = dict_at(answer, "field")
        kind = as_text(field.get("type")) or ""
        ref = as_text(field.get("ref")) or ""
        title = titles.get(as_text(field.get("id"))) or ""
        value = answer.get(as_text(answer.get("type")) or "")
        if kind in _SCORED and isinstance(value, (int, float)) and "score" not in values:
            values["score"] = str(value)
            values["survey"] = _kind(kind, f"{ref} {title}")
        elif answer.get("type") == "email" and as_text(value):
            values.setdefault("email", as_text(value))
        elif kind in _OPEN and (text := as_text(value)):
            asked = _asked(ref, title, who)
            if asked is None:
                comments.append(text)
            elif asked == "contact_name":
                names.append(text)
            else:
                values.setdefault(COLUMNS[asked], text)
        elif isinstance(value, dict) and (other := as_text(value.get("other"))):
            comments.append(other)  # typed in a choice's "Other" box: the respondent's words
    if names:
        values.setdefault("name", " ".join(names))
    values["comment"] = "\n\n".join(comments) or None
    return values


def _kind(kind: str, named: str) -> str | None:
    """'nps', 'csat' or 'ces' for a scored question: by its type, else its ref or title."""
    said = next((k for pattern, k in _KIND_WORDS if pattern.search(named)), None)
    return _SCORED[kind] or said


def _asked(ref: str, title: str, who: tuple[FieldSpec, ...]) -> str | None:
    """The field an open question asks for, when it asks who the respondent is rather than
    their opinion: by its ref ("company", "work_email") or its title ("Which company do you
    work for?")."""
    found = resolve_columns([ref], who, {}, strict=False) if ref else {}
    if found:
        return next(iter(found))
    if any(_NAME_ASKED.match(said) for said in (ref, title) if said):
        return "contact_name"
    if title and company_asked([title], {}):
        return "account"
    if title and email_asked([title], {}):
        return "contact_email"
    return None
