"""YouTrack's issues as its REST API gives them (a Helpdesk project's tickets among them), read
by the `tickets` connector beside Canny's pages and GitHub's issues.

`GET /api/issues?query=…&fields=idReadable,summary,description,created,reporter(login,
fullName,email,userType(id)),customFields(name,value(name)),tags(name),comments(text,author(…))`
answers a bare array of issues, every object carrying its `$type` ("Issue"); `GET
/api/issues/{id}` one issue alone. An issue has its `id` ("2-4401") and `idReadable`
("SUP-301"), `summary`, `description` (Markdown; an emailed ticket's quoted mail in it),
`created` in epoch milliseconds, its `reporter` (`login`, `fullName`, `email`; in a Helpdesk
project a `userType` saying whether a customer, REPORTER, or one of the team, AGENT, raised
it), `tags` and its `customFields`: each a `name` (or `projectCustomField.field.name`) and a
`value`, an object (`name`, a user's `fullName`/`login`, a text field's `text`), a list of
them, a plain value or null. The customer's company is such a field (`Organization`,
`Company`, `Customer`…): it names the account, created by `--create-accounts` when Huddle
does not know it; otherwise the reporter's address links the ticket. State, Priority and Type
become tags. The reporter's own comments follow the description; the team's are theirs.
"""

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from huddle.connectors.base import ConnectorOptions, ConnectorOutput
from huddle.connectors.cell_text import MARKUP, html_to_text
from huddle.connectors.common import workspace_site
from huddle.connectors.email_addresses import domain_of, is_internal
from huddle.connectors.export_dates import parse_when
from huddle.connectors.json_reading import first_bytes, first_value_at
from huddle.connectors.noise import names_us, noise_reason, opened_for_customer
from huddle.connectors.record_values import as_text, dict_at, listed
from huddle.connectors.replies import strip_replies
from huddle.imports.connected import is_public_mail
from huddle.imports.fields import normalise
from huddle.imports.records import FeedbackRecord

# The custom fields naming the customer's company, by their normalised names.
_ACCOUNT_FIELDS = frozenset(
    (
        "organization",
        "organisation",
        "organizations",
        "organisations",
        "organization_name",
        "organisation_name",
        "company",
        "company_name",
        "customer",
        "customer_company",
        "customer_organization",
        "client",
        "account",
        "account_name",
    )
)
# The custom fields kept as tags, by the tag's name.
_TAGGED = {"state": "status", "status": "status", "priority": "priority", "type": "type"}
# A Helpdesk project's user types that are the vendor's own people.
_TEAM_TYPES = ("AGENT",)


def is_youtrack_issue(record: Any) -> bool:
    """An issue of YouTrack's REST API: its `$type`, or its readable id beside its summary or
    custom fields (not a knowledge base article's, which has them too: its `$type` another)."""
    if not isinstance(record, dict):
        return False
    if "$type" in record:
        return bool(record["$type"] == "Issue")
    return "idReadable" in record and bool({"summary", "customFields"} & record.keys())


def not_an_issue(record: Any) -> str | None:
    """The `$type` of a YouTrack entity that is no issue (a knowledge base `Article`: the
    team's writing), by its readable id beside it; None for any other record."""
    if isinstance(record, dict) and "idReadable" in record and not is_youtrack_issue(record):
        return as_text(record.get("$type"))
    return None


def issue_alone(path: Path, encoding: str) -> dict[str, Any] | None:
    """The file's one issue, saved alone (`GET /api/issues/{id}`): not a page of them, whose
    first list (its comments, its custom fields) the readers would take for its records."""
    head = first_bytes(path, encoding).lstrip()
    if not head.startswith(b"{") or b'"idReadable"' not in head:
        return None
    if first_value_at(path, "idReadable", encoding) is None:
        return None
    record = first_value_at(path, "", encoding)
    return record if is_youtrack_issue(record) else None


def read_issue(
    line: int, issue: dict[str, Any], options: ConnectorOptions, output: ConnectorOutput
) -> None:
    """One issue as a ticket, its account the company its custom field names."""
    reporter = dict_at(issue, "reporter")
    name = as_text(reporter.get("fullName")) or as_text(reporter.get("login"))
    email = as_text(reporter.get("email"))
    title = as_text(issue.get("summary"))
    said = [_words(as_text(issue.get("description")) or "", name)]
    said += [
        _words(as_text(comment.get("text")) or "", name)
        for comment in listed(issue.get("comments"))
        if isinstance(comment, dict) and _same_person(dict_at(comment, "author"), reporter)
    ]
    text = "\n\n".join(part for part in said if part) or title or ""
    if not text:
        output.skipped_rows += 1
        return
    fields = _custom_fields(issue)
    account = next((value for key, value in fields.items() if key in _ACCOUNT_FIELDS), None)
    readable = as_text(issue.get("idReadable"))
    site = workspace_site(options)
    tags = {f"{tag}:{value.lower()}" for key, tag in _TAGGED.items() if (value := fields.get(key))}
    tags |= {
        n
        for t in listed(issue.get("tags"))
        if isinstance(t, dict) and (n := as_text(t.get("name")))
    }
    record = FeedbackRecord(
        line=line,
        text=text,
        source=options.default_source or "ticket",
        occurred_at=_when(issue.get("created")),
        external_id=readable or as_text(issue.get("id")),
        title=title,
        link_url=f"{site}/issue/{readable}" if site and readable else None,
        account_ref=account,
        account_aliases=_domain(email, options),
        contact_email=email.lower() if email and "@" in email else None,
        contact_name=name,
        team="support",
        tags=sorted(tags),
    )
    agent = as_text(dict_at(reporter, "userType").get("id")) in _TEAM_TYPES
    reason = noise_reason(
        text, title, email=record.contact_email, name=name, options=options, known_staff=agent
    )
    if reason is None and opened_for_customer(text):
        reason = "staff"
    elif reason == "internal" and (
        opened_for_customer(text) or (account is not None and not names_us(account, options))
    ):
        reason = "staff"  # one of the team raised it for a customer: not the customer's words
    output.take(record, reason, options)


def _custom_fields(issue: dict[str, Any]) -> dict[str, str]:
    """Each custom field's value as text, by the field's normalised name (a list's first);
    a field holding a user is none of the company's, state's or priority's."""
    found: dict[str, str] = {}
    for field in listed(issue.get("customFields")):
        if not isinstance(field, dict):
            continue
        named = as_text(field.get("name")) or as_text(
            dict_at(dict_at(field, "projectCustomField"), "field").get("name")
        )
        value = field.get("value")
        value = next(iter(value), None) if isinstance(value, list) else value
        if isinstance(value, dict) and (value.get("$type") == "User" or "login" in value):
            continue  # a person (an assignee, a user field named "Customer"): no company
        if isinstance(value, dict):
            value = next(
                (
                    value[k]
                    for k in ("name", "fullName", "login", "text", "presentation")
                    if value.get(k)
                ),
                None,
            )
        text = as_text(value) if isinstance(value, (str, int, float)) else None
        if named and text:
            found.setdefault(normalise(named), text)
    return found


def _same_person(author: dict[str, Any], reporter: dict[str, Any]) -> bool:
    return any(
        (mine := as_text(author.get(key))) is not None and mine == as_text(reporter.get(key))
        for key in ("login", "email")
    )


def _words(text: str, sender: str | None) -> str:
    """The reporter's own words: Markdown as written, without the mail it quotes."""
    if MARKUP.search(text):
        text = html_to_text(text) or text
    return strip_replies(text, sender or "") or text.strip()


def _domain(email: str | None, options: ConnectorOptions) -> tuple[str, ...]:
    """The reporter's mail domain, another name of the account: not a personal address's or
    the vendor's own."""
    domain = (domain_of(email) or "").lower()
    if not domain or is_public_mail(domain) or is_internal(f"x@{domain}", options.internal_domains):
        return ()
    return (domain,)


def _when(value: Any) -> datetime | None:
    """`created` in epoch milliseconds (or ISO text, as another client may write it)."""
    try:
        if isinstance(value, int | float) and not isinstance(value, bool) and value > 10**11:
            return datetime.fromtimestamp(value / 1000, UTC)
        return parse_when(value) if as_text(value) else None
    except (ValueError, OverflowError, OSError):
        return None
