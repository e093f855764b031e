"""Which column holds which field: common header names, auto-detected, overridable."""

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from huddle.errors import Invalid
from huddle.imports.records import AccountRecord, FeedbackRecord, RowError
from huddle.kit.money import parse_money_to_minor
from huddle.kit.text import parse_bool, split_tags
from huddle.kit.time import parse_date, parse_datetime
from huddle.models.enums import AccountStatus, SourceKind, Team


def normalise(header: str) -> str:
    """A column's name as compared: lower case, accents off ("Überschrift" is
    "uberschrift", "Fecha de finalización" "fecha_de_finalizacion"), words joined by "_".
    Letters of every script are kept: a Japanese export's "メモ本文" is a name, not nothing."""
    plain = unicodedata.normalize("NFKD", header.strip().lower())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return re.sub(r"[\W_]+", "_", plain).strip("_")


@dataclass(frozen=True)
class FieldSpec:
    name: str
    # Normalised column names; one ending in "*" matches any name that starts with it (a
    # survey question that names the company: "How likely are you to recommend Acme…").
    aliases: tuple[str, ...]
    required: bool = False


ACCOUNT_FIELDS = (
    FieldSpec(
        "name",
        (
            "name",
            "account",
            "account_name",
            "company",
            "company_name",
            "organization",
            "organisation",
        ),
        required=True,
    ),
    FieldSpec("domain", ("domain", "website", "company_domain", "email_domain", "url")),
    FieldSpec("segment", ("segment", "tier", "customer_segment", "market_segment")),
    FieldSpec("plan", ("plan", "product_plan", "subscription", "package", "edition")),
    FieldSpec(
        "arr", ("arr", "annual_recurring_revenue", "arr_usd", "annual_revenue", "acv", "revenue")
    ),
    FieldSpec("mrr", ("mrr", "monthly_recurring_revenue")),
    FieldSpec("currency", ("currency", "arr_currency", "currency_code")),
    FieldSpec(
        "owner_email",
        ("owner_email", "owner", "account_owner", "account_owner_email", "csm", "sales_rep"),
    ),
    FieldSpec(
        "status", ("status", "account_status", "type", "account_type", "lifecycle_stage", "stage")
    ),
    FieldSpec(
        "renewal_date",
        (
            "renewal_date",
            "renewal",
            "renews_on",
            "next_renewal",
            "contract_end",
            "contract_end_date",
        ),
    ),
    FieldSpec("at_risk", ("at_risk", "risk", "churn_risk", "is_at_risk")),
    FieldSpec(
        "external_id",
        ("external_id", "id", "account_id", "crm_id", "salesforce_id", "hubspot_id", "record_id"),
    ),
)

FEEDBACK_FIELDS = (
    FieldSpec(
        "text",
        (
            "text",
            "feedback",
            "body",
            "comment",
            "comments",
            "description",
            "note",
            "notes",
            "content",
            "message",
            "verbatim",
            "quote",
        ),
        required=True,
    ),
    FieldSpec("title", ("title", "subject", "summary", "headline")),
    FieldSpec("source", ("source", "source_kind", "kind", "channel", "type")),
    FieldSpec("external_id", ("external_id", "id", "ticket_id", "feedback_id", "item_id")),
    FieldSpec("link_url", ("link_url", "url", "link", "source_url", "permalink")),
    FieldSpec(
        "account",
        (
            "account",
            "account_name",
            "company",
            "customer",
            "organization",
            "organisation",
            "account_id",
            "account_external_id",
            "account_domain",
            "domain",
        ),
    ),
    FieldSpec(
        "contact_email",
        ("contact_email", "customer_email", "requester_email", "email", "from", "from_email"),
    ),
    FieldSpec(
        "contact_name", ("contact_name", "contact", "customer_name", "requester", "requester_name")
    ),
    FieldSpec(
        "submitter_email",
        (
            "submitter_email",
            "submitter",
            "submitted_by",
            "author_email",
            "author",
            "reporter",
            "created_by",
        ),
    ),
    FieldSpec("team", ("team", "department", "submitter_team")),
    FieldSpec(
        "occurred_at",
        (
            "occurred_at",
            "date",
            "created_at",
            "created",
            "timestamp",
            "time",
            "submitted_at",
            "received_at",
        ),
    ),
    FieldSpec("tags", ("tags", "labels", "tag", "label")),
)

SOURCE_SYNONYMS = {
    "phone": "call",
    "meeting": "call",
    "sales_call": "call",
    "demo": "call",
    "transcript": "call",
    "support": "ticket",
    "helpdesk": "ticket",
    "zendesk": "ticket",
    "case": "ticket",
    "bug": "ticket",
    "nps": "survey",
    "csat": "survey",
    "questionnaire": "survey",
    "app_store": "review",
    "g2": "review",
    "capterra": "review",
    "play_store": "review",
    "slack": "chat",
    "intercom": "chat",
    "live_chat": "chat",
    "message": "chat",
    "mail": "email",
    "e_mail": "email",
    "idea": "internal",
    "note": "internal",
    "user_research": "interview",
    "research": "interview",
}
STATUS_SYNONYMS = {
    "client": "customer",
    "active": "customer",
    "paying": "customer",
    "customers": "customer",
    "lead": "prospect",
    "opportunity": "prospect",
    "trial": "prospect",
    "prospects": "prospect",
    "former": "churned",
    "cancelled": "churned",
    "canceled": "churned",
    "lost": "churned",
    "churn": "churned",
}
TEAM_SYNONYMS = {
    "customer_success": "support",
    "cs": "support",
    "success": "support",
    "pm": "product",
    "eng": "engineering",
    "r_d": "engineering",
    "dev": "engineering",
    "gtm": "marketing",
    "pmm": "marketing",
    "exec": "leadership",
    "management": "leadership",
}


def resolve_columns(
    header: list[str],
    specs: tuple[FieldSpec, ...],
    overrides: Mapping[str, str],
    *,
    strict: bool = True,
) -> dict[str, str]:
    """Field name -> the column that holds it, from `--map column=field` and the header's names."""
    known = {spec.name for spec in specs}
    columns: dict[str, str] = {}
    for column, field_name in overrides.items():
        if field_name not in known:
            raise Invalid(
                f"--map {column}={field_name}: unknown field {field_name!r}; fields are "
                + ", ".join(sorted(known))
            )
        if strict and header and column not in header:
            raise Invalid(f"--map {column}={field_name}: the file has no column {column!r}")
        columns[field_name] = column
    by_normal = {normalise(name): name for name in header}
    taken = set(columns.values())
    _name_fields(by_normal, specs, columns, taken)
    if strict and any(spec.required and spec.name not in columns for spec in specs):
        _name_fields(_after_the_entity(by_normal), specs, columns, taken)
    _name_fields(_custom_fields(by_normal), specs, columns, taken)
    _name_fields(_undecorated(by_normal), specs, columns, taken)
    for part in range(3):
        _name_fields(_coded(by_normal, part), specs, columns, taken)
    # A heading in two scripts ("会社名 (Company)", "Отзыв / Feedback"): its Latin words.
    _name_fields(_latin(header), specs, columns, taken)
    if strict:
        missing = [spec for spec in specs if spec.required and spec.name not in columns]
        if missing:
            # The names looked for, as the tool's own export spells them ("Note body").
            wanted = [f"{spec.name} (a column named {spelled(spec, 3)})" for spec in missing]
            raise Invalid(
                f"line 1: no column for {', '.join(wanted)}; columns are {', '.join(header)} "
                f"(name one with --map COLUMN={missing[0].name})"
            )
    return columns


# How many columns must open with the same word for it to be the export's entity ("Idea
# name", "Idea description", "Idea created at").
_ENTITY_COLUMNS = 3


def _name_fields(
    by_normal: Mapping[str, str],
    specs: tuple[FieldSpec, ...],
    columns: dict[str, str],
    taken: set[str],
) -> None:
    """Each field not yet in `columns`: the first of its aliases some untaken column (by its
    normalised name) fits."""
    for spec in specs:
        if spec.name in columns:
            continue
        for alias in spec.aliases:
            # Of the columns a question's words begin, the question itself: Qualtrics puts
            # "… colleague? - Group" (the NPS group) beside "… colleague?" (the score).
            found = min(
                (n for k, n in by_normal.items() if _named(k, alias) and n not in taken),
                key=len,
                default=None,
            )
            if found is not None:
                columns[spec.name] = found
                taken.add(found)
                break


def _after_the_entity(by_normal: Mapping[str, str]) -> dict[str, str]:
    """The columns by the words after the word several of them open with: Aha!'s "Idea
    description", "Idea created at"; Productboard's "Note text". Read only for a file that
    would be refused otherwise (a required field unnamed): a file read before is read as
    before."""
    openers = Counter(normal.split("_", 1)[0] for normal in by_normal if "_" in normal)
    entities = {word for word, count in openers.items() if count >= _ENTITY_COLUMNS}
    return {
        normal.split("_", 1)[1]: name
        for normal, name in by_normal.items()
        if "_" in normal and normal.split("_", 1)[0] in entities
    }


def _custom_fields(by_normal: Mapping[str, str]) -> dict[str, str]:
    """The columns a tool marks as custom fields by their names without the mark: Salesforce's
    "Company__c", AskNicely's "company_c". Read for the fields no column named plainly: a
    plain "Company" column comes first."""
    return {
        normal.removesuffix("_c"): name
        for normal, name in by_normal.items()
        if normal.endswith("_c") and len(normal) > 2
    }


def _undecorated(by_normal: Mapping[str, str]) -> dict[str, str]:
    """The columns by their names without what a tool adds in brackets at the end: GitLab's
    "Created At (UTC)", "Amount (USD)", "Date (dd/mm/yyyy)". Read for the fields no column
    named plainly."""
    return {
        normalise(plain): name
        for name in by_normal.values()
        if (plain := re.sub(r"\s*[(\[][^()\[\]]*[)\]]\s*$", "", name)) != name and plain.strip()
    }


# A heading of a question's code and its text, as LimeSurvey writes them ("Question code &
# question text", its separator ". "): "NPS. How likely are you to recommend …?", a
# subquestion's "Q2[SQ001]. Which features do you use? [Reports]"; or of its number, as
# Formbricks writes its questions: "1. How likely are you to recommend …?".
# A code is a survey tool's: capitals ("NPS", "REASON"), lower case ("submitdate",
# LimeSurvey's own columns), letters with digits ("Q2", "G01Q03") or a number ("1."); a
# capitalised abbreviation ("Acct. Type", "Ref. ID", "Prev. ARR") is none.
_CODED = re.compile(
    r"^(?P<code>(?:[A-Z][A-Z0-9_]*|[a-z_][a-z0-9_]*|[A-Za-z_]+\d\w*|\d{1,3})(?:\[[^\[\]]*\])*)"
    r"\. "
    r"(?P<text>\S.*)$",
    re.DOTALL,
)
# A file's headings are read by their codes only when several are coded: one "ID. Notes"
# among plain names is a name.
_CODED_HEADINGS = 2
_SUBQUESTION = re.compile(r"\s*\[([^\[\]]+)\]$")


def question_words(heading: str) -> tuple[str, str | None, str] | None:
    """A coded heading's question text, its subquestion's own text (None for a question
    without one) and its code without the subquestion's ("Q2"); None for another heading."""
    found = _CODED.match(heading.strip())
    if found is None:
        return None
    text, code = found.group("text").strip(), found.group("code")
    sub = _SUBQUESTION.search(text) if "[" in code else None
    return text, sub.group(1) if sub else None, code.split("[", 1)[0]


def _coded(by_normal: Mapping[str, str], part: int) -> dict[str, str]:
    """The columns by one part of their coded heading (`question_words`): its question's
    text (also without a note in brackets at its end), its subquestion's text, its code.
    Read for the fields no column named plainly."""
    named: dict[str, str] = {}
    if not _coded_file(list(by_normal.values())):
        return named
    for name in by_normal.values():
        words = question_words(name)
        said = words[part] if words else None
        if said:
            named.setdefault(normalise(said), name)
            plain = re.sub(r"\s*[(\[][^()\[\]]*[)\]]\s*$", "", said)
            if plain.strip():
                named.setdefault(normalise(plain), name)
    return named


def _latin(header: list[str]) -> dict[str, str]:
    """The headings that hold words of another script beside Latin ones, by their Latin
    words alone, as `normalise` wrote every heading before it kept every script."""
    named: dict[str, str] = {}
    for name in header:
        normal = normalise(name)
        latin = re.sub(r"[^a-z0-9]+", "_", normal).strip("_")
        if latin and latin != normal:
            named.setdefault(latin, name)
    return named


def _named(normal: str, alias: str) -> bool:
    return normal.startswith(alias[:-1]) if alias.endswith("*") else normal == alias


def also_named(header: list[str], spec: FieldSpec, columns: Mapping[str, str]) -> list[str]:
    """The header's other columns a field's names fit, beyond the one `resolve_columns` took
    for it and those taken by other fields: a survey's second open question."""
    taken = set(columns.values())
    coded = _coded_file(header)
    return [
        name
        for name in header
        if name not in taken
        and any(_named(normal, alias) for normal in _spoken(name, coded) for alias in spec.aliases)
    ]


def _coded_file(header: list[str]) -> bool:
    return sum(question_words(name) is not None for name in header) >= _CODED_HEADINGS


def _spoken(heading: str, coded: bool) -> list[str]:
    """A heading as its fields are looked for: itself, and in a file of coded headings its
    question and subquestion texts ("REASON. Why did you give this score?")."""
    words = question_words(heading) if coded else None
    return [normalise(heading), *(normalise(w) for w in (words or ())[:2] if w)]


def filled_from(
    values: Mapping[str, Any], columns: Mapping[str, str], name: str, others: list[str]
) -> Mapping[str, Any]:
    """The row with field `name` taken from the first of its `others` columns that holds a
    value, when its own column holds none on this row (an account's name column and its id
    column: HubSpot's "Associated Companies" and "Associated Company IDs", UserVoice's).
    A placeholder ("(No value)", "N/A") holds none."""

    def holds(value: Any) -> bool:
        text = str(value or "").strip()
        return bool(text) and text.casefold() not in PLACEHOLDERS

    column = columns.get(name, name)
    if holds(values.get(column)):
        return values
    other = next((c for c in others if holds(values.get(c))), None)
    return values if other is None else {**values, column: values[other]}


def spelled(spec: FieldSpec, count: int) -> str:
    """The first `count` names a field is looked for under, as a tool's own export spells
    them: "'Note body' or 'Body'"."""
    return " or ".join(
        repr(alias.rstrip("*").replace("_", " ").capitalize()) for alias in spec.aliases[:count]
    )


# What exports write in a cell that holds nothing (a required field keeps it as written).
PLACEHOLDERS = {
    "n/a",
    "#n/a",
    "-",
    "--",
    "\u2014",
    "(no value)",
    "null",
    "\\n",  # a warehouse's unload writes NULL so
    "anonymous",
    # Excel's errors where a formula failed.
    "#name?",
    "#value!",
    "#ref!",
    "#div/0!",
    "#null!",
    "#num!",
}


# (An Excel in a decimal-comma locale writes "3,86504E+17".)
_EXCEL_NUMBER = re.compile(r"^\d([.,]\d+)?E\+\d+$", re.IGNORECASE)


class RowParser:
    """Reads one field at a time from a row, collecting every problem instead of stopping."""

    def __init__(self, line: int, values: Mapping[str, Any], columns: Mapping[str, str]) -> None:
        self.line = line
        self.values = values
        self.columns = columns
        self.errors: list[RowError] = []

    def raw(self, name: str) -> str | None:
        column = self.columns.get(name, name)
        value = self.values.get(column)
        if value is None:
            return None
        if isinstance(value, list):
            value = ",".join(str(v) for v in value)
        text = str(value).strip()
        return text or None

    def get(self, name: str, convert: Callable[[str], Any] = str, *, required: bool = False) -> Any:
        text = self.raw(name)
        column = self.columns.get(name, name)
        if name == "external_id" and text is not None and _EXCEL_NUMBER.match(text):
            # Excel turned a long id into "1.23457E+11": several rows now share it, and it
            # names nothing. The row gets an id from its content instead.
            text = None
        if text is not None and not required and text.casefold() in PLACEHOLDERS:
            # "N/A", "-", HubSpot's "(No value)": an export's way of writing nothing.
            text = None
        if text is None:
            if required:
                self.errors.append(RowError(self.line, column, f"{name} is required"))
            return None
        try:
            return convert(text)
        except ValueError as error:
            self.errors.append(RowError(self.line, column, str(error)))
            return None


def _choice(allowed: type[Any], synonyms: Mapping[str, str], label: str) -> Callable[[str], str]:
    values = {member.value for member in allowed}

    def convert(text: str) -> str:
        key = normalise(text)
        key = synonyms.get(key, key)
        if key not in values:
            raise ValueError(f"unknown {label} {text!r}; use one of {', '.join(sorted(values))}")
        return key

    return convert


to_source = _choice(SourceKind, SOURCE_SYNONYMS, "source")
to_status = _choice(AccountStatus, STATUS_SYNONYMS, "status")
to_team = _choice(Team, TEAM_SYNONYMS, "team")


def _email(text: str) -> str:
    # A lookup of several contacts ("a@x.example,b@x.example"): the first is the sender.
    text = re.split(r"\s*[,;]\s*", text.strip())[0]
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", text):
        raise ValueError(f"not an email address: {text!r}")
    return text.lower()


def _currency(text: str) -> str:
    if not re.fullmatch(r"[A-Za-z]{3}", text):
        raise ValueError(f"not a currency code: {text!r} (use e.g. USD)")
    return text.upper()


def parse_account(
    line: int, values: Mapping[str, Any], columns: Mapping[str, str]
) -> tuple[AccountRecord | None, list[RowError]]:
    row = RowParser(line, values, columns)
    name = row.get("name", required=True)
    arr = row.get("arr", parse_money_to_minor)
    mrr = row.get("mrr", parse_money_to_minor)
    domain = row.get("domain")
    record = AccountRecord(
        line=line,
        name=name or "",
        domain=domain.lower()
        .removeprefix("https://")
        .removeprefix("http://")
        .removeprefix("www.")
        .split("/")[0]
        if domain
        else None,
        segment=row.get("segment"),
        plan=row.get("plan"),
        arr_minor=arr if arr is not None else (mrr * 12 if mrr is not None else None),
        currency=row.get("currency", _currency),
        owner_email=row.get("owner_email", _email),
        status=row.get("status", to_status),
        renewal_date=row.get("renewal_date", parse_date),
        at_risk=row.get("at_risk", parse_bool),
        external_id=row.get("external_id"),
    )
    return (None if row.errors else record), row.errors


# A reference copied out of a no-code tool: Notion's relation "Acme Robotics
# (https://www.notion.so/…)", Airtable's linked record quoted for its comma ("\"Vandelay
# Imports, LLC\"").
_LINK_AFTER = re.compile(r"\s*\((https?://[^)\s]+)\)\s*$")


def account_reference(text: str) -> str:
    """An account's name, id or domain as a tool wrote it, without the quotes and link a
    no-code tool puts around it."""
    cleaned = _LINK_AFTER.sub("", text.strip())
    if len(cleaned) > 1 and cleaned[0] == cleaned[-1] == '"':
        cleaned = cleaned[1:-1].strip()
    return cleaned or text.strip()


def parse_feedback(
    line: int,
    values: Mapping[str, Any],
    columns: Mapping[str, str],
    *,
    default_source: str | None,
    dates: Callable[[str], datetime] = parse_datetime,
) -> tuple[FeedbackRecord | None, list[RowError]]:
    """One row of evidence. A row without a date has `occurred_at` None: the import dates it
    (see `huddle.imports.service.import_file`). `dates` reads the date cell (a connector
    reads its tool's own forms)."""
    row = RowParser(line, values, columns)
    text = row.get("text", required=True)
    source = row.get("source", to_source)
    if source is None and row.raw("source") is None:
        source = default_source
        if source is None:
            row.errors.append(
                RowError(
                    line, columns.get("source", "source"), "source is required (or pass --source)"
                )
            )
    occurred_at = row.get("occurred_at", dates)
    external_id = row.get("external_id")
    account_ref = row.get("account", account_reference)
    record = FeedbackRecord(
        line=line,
        text=text or "",
        source=source or "",
        occurred_at=occurred_at,
        external_id=external_id,
        title=row.get("title"),
        link_url=row.get("link_url"),
        account_ref=account_ref,
        contact_email=row.get("contact_email", _email),
        contact_name=row.get("contact_name"),
        submitter_email=row.get("submitter_email", _email),
        team=row.get("team", to_team),
        tags=row.get("tags", split_tags) or [],
    )
    return (None if row.errors else record), row.errors
