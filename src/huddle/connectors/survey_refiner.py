"""Refiner's survey responses as its REST API gives them, read by the survey connector as the
rows of a survey export.

`GET https://api.refiner.io/v1/responses` answers `{"items": [...], "pagination":
{"current_page", "last_page", "page_length", "next_page_cursor"}}` (several pages gathered in
an array too, the items alone, JSON lines, or one response alone: a webhook's "survey
completed" delivery). A response has its `uuid`, the times it was shown (`first_shown_at`,
`last_shown_at`, `show_counter`), answered (`first_data_reception_at`,
`last_data_reception_at`, `completed_at`; none for one `dismissed_at` unanswered) and
`received_at`; its `form` (`uuid`, `name`), its `tags`, and the `contact` who answered:
`remote_id` (the id the product gave the user), `email`, `display_name`, the `attributes`
the product sent about them (`company`, `plan`, `role`…) and the Refiner `account` they belong
to (`remote_id`, often the CRM's account id; `display_name`; `domain`).

Its answers are `data`, keyed by each question's identifier, which Refiner makes from the
question's words unless the team renamed it (`how_likely_are_you_to_recommend_…`,
`what_is_the_main_reason_for_your_score`): the score is the answer to a question named as a
score (else the one answer that is a number, or a number's digits), its kind (NPS, CSAT or
a Customer Effort Score) what the question's identifier says, else its form's name; the
comment every answer to a question named as an open one (else a sentence typed where no question is so named: a choice's option is a
word or two, and a multiple choice a list). The respondent's company is the Refiner account's
name (else an attribute or a question naming the company), its CRM id and domain tried after
it: a respondent writing from a personal address is still their company's.
"""

import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from huddle.connectors.json_reading import paged_objects
from huddle.connectors.record_values import as_text, dict_at, listed
from huddle.imports.fields import FieldSpec, also_named, resolve_columns
from huddle.imports.rows import Row

# The row a response becomes, and the survey connector's field -> column for it.
COLUMNS = {
    "score": "score",
    "text": "comment",
    "contact_email": "email",
    "contact_name": "name",
    "account": "company",
    "occurred_at": "completed_at",
    "external_id": "uuid",
    "kind": "survey",
    "tags": "tags",
}
HEADER = list(COLUMNS.values())
# Where the row keeps the other references to the respondent's company (its CRM id, its
# domain), tried when its name names no account.
_ALIASES = "account_aliases"

# What a Refiner response has that no other survey JSON does: the times it was shown and its
# answers received, beside its form and contact.
_OWN = re.compile(
    rb'"(?:first_shown_at|show_counter|first_data_reception_at|last_data_reception_at)"'
)
_WITH = (b'"contact"', b'"form"')
# A question's identifier (else its form's name) naming its kind, first match wins: a
# Customer Effort Score says so or asks how easy it was ("how_easy_was_it_to…",
# "ourco_made_it_easy_for_me_to…"), an NPS whether they would recommend, a CSAT their
# satisfaction or a rating; in English, German, French, Spanish, Italian, Portuguese, Dutch.
_KIND_WORDS = (
    (re.compile(r"effort|(?<![a-z])ces(?![a-z])", re.IGNORECASE), "ces"),
    (re.compile(r"nps|net.promoter|recommend|empfehl|recomm?and|recomend|aanbevel", re.I), "nps"),
    (
        re.compile(
            r"(?<![a-z])(?:easy|easily|difficult|einfach|facile|f[aá]cil|gemakkelijk|makkelijk)"
            r"(?![a-z])",
            re.IGNORECASE,
        ),
        "ces",
    ),
    (
        re.compile(
            r"csat|satisf|zufrieden|tevreden|soddisf|(?<![a-z])rat(?:e|ing)s?(?![a-z])",
            re.IGNORECASE,
        ),
        "csat",
    ),
)
# An answer to a question no name says is open, read as the respondent's words when it is a
# sentence: a choice's option ("Pricing", "Not sure yet") is shorter.
_SENTENCE_WORDS = 4


def is_refiner(head: bytes) -> bool:
    """Whether a JSON file's first bytes hold Refiner responses."""
    return (
        head.lstrip().startswith((b"{", b"["))
        and bool(_OWN.search(head))
        and all(key in head for key in _WITH)
    )


def refiner_rows(path: Path, encoding: str, specs: tuple[FieldSpec, ...]) -> Iterator[Row]:
    """Each response as a survey row (`COLUMNS`, and `account_aliases`); `specs`: the survey's
    fields for the score, the comment and the respondent, to read the questions' identifiers
    by."""
    for line, response in paged_objects(
        path, "items", alone=("data", "contact"), encoding=encoding, what="a response"
    ):
        yield Row(line, _values(response, specs))


def _values(response: dict[str, Any], specs: tuple[FieldSpec, ...]) -> dict[str, Any]:
    contact = dict_at(response, "contact")
    account = dict_at(contact, "account")
    values: dict[str, Any] = {
        "completed_at": as_text(response.get("completed_at"))
        or as_text(response.get("last_data_reception_at"))
        or as_text(response.get("received_at")),
        "uuid": as_text(response.get("uuid")),
        "email": as_text(contact.get("email")),
        "name": as_text(contact.get("display_name")) or as_text(contact.get("name")),
        "tags": ", ".join(tag for tag in listed(response.get("tags")) if isinstance(tag, str)),
    }
    who = tuple(spec for spec in specs if spec.name in {"contact_email", "contact_name", "account"})
    attributes = {str(k): v for k, v in dict_at(contact, "attributes").items() if as_text(v)}
    for name, key in resolve_columns(list(attributes), who, {}, strict=False).items():
        values[COLUMNS[name]] = values.get(COLUMNS[name]) or as_text(attributes[key])
    values.update(_answers(dict_at(response, "data"), specs, values))
    if values.get("score") is not None and values.get("survey") is None:
        values["survey"] = _kind(as_text(dict_at(response, "form").get("name")) or "")
    references = [
        as_text(account.get("display_name")) or as_text(account.get("name")),
        values.get("company"),
        as_text(account.get("remote_id")) or as_text(account.get("id")),
        as_text(account.get("domain")),
    ]
    known = list(dict.fromkeys(ref for ref in references if ref))
    values["company"] = known[0] if known else None
    values[_ALIASES] = tuple(known[1:])
    return values


def account_aliases(values: Mapping[str, Any]) -> tuple[str, ...]:
    """The other references to a row's company a Refiner response gave (none for a CSV's
    row, whatever its columns)."""
    aliases = values.get(_ALIASES)
    return aliases if isinstance(aliases, tuple) else ()


def _answers(
    data: dict[str, Any], specs: tuple[FieldSpec, ...], given: dict[str, Any]
) -> dict[str, Any]:
    """The score, its kind, the comment and what the respondent said of themselves, from the
    answers keyed by their questions' identifiers."""
    answers = {str(k): v for k, v in data.items() if v not in (None, "", [])}
    named = resolve_columns(list(answers), specs, {}, strict=False)
    text_spec = next(spec for spec in specs if spec.name == "text")
    found: dict[str, Any] = {}
    score_key = named.get("score") or _only_number(answers)
    if score_key is not None and _number(answers[score_key]) is not None:
        found["score"] = as_text(answers[score_key])
        found["survey"] = _kind(score_key)
    for name in ("contact_email", "contact_name", "account"):
        if name in named and isinstance(answers[named[name]], str) and not given.get(COLUMNS[name]):
            found[COLUMNS[name]] = as_text(answers[named[name]])
    taken = {*named.values(), score_key}
    open_keys = (
        [named["text"], *also_named(list(answers), text_spec, named)] if "text" in named else []
    )
    if not open_keys:
        open_keys = [
            key
            for key, value in answers.items()
            if key not in taken and isinstance(value, str) and len(value.split()) >= _SENTENCE_WORDS
        ]
    # A multiple choice's options (a list) are not the respondent's words.
    typed = [answers[key] for key in open_keys if key != score_key]
    comments = [text for value in typed if isinstance(value, str) and (text := as_text(value))]
    found["comment"] = "\n\n".join(comments) or None
    return found


def _kind(words: str) -> str | None:
    """'ces', 'nps' or 'csat' as a question's identifier or a form's name says; None when it
    says none."""
    return next((kind for pattern, kind in _KIND_WORDS if pattern.search(words)), None)


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return float(str(value).strip())
    except ValueError:
        return None


def _only_number(answers: dict[str, Any]) -> str | None:
    """The one answer given as a number (or a number's digits: "9"), when no question is
    named as the score."""
    numbers = [
        key
        for key, value in answers.items()
        if (isinstance(value, (int, float)) and not isinstance(value, bool))
        or (isinstance(value, str) and value.strip().isdigit())
    ]
    return numbers[0] if len(numbers) == 1 else None
