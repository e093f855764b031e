"""Normalised records every importer and connector produces before anything is written."""

from dataclasses import dataclass, field
from datetime import date, datetime

# A place (`FeedbackRecord.mentions`) at most this long is a title or a file name: an account
# may be named there by its first word alone ("Acme" for Acme Robotics); in longer text only
# by its name or domain.
SHORT_PLACE_WORDS = 12


@dataclass(frozen=True)
class RowError:
    line: int
    column: str | None
    reason: str
    # The file of an import of several (a data export's "Note.csv"); None for the one file.
    file: str | None = None

    def __str__(self) -> str:
        where = f"{self.file} line {self.line}" if self.file else f"line {self.line}"
        where += f", column '{self.column}'" if self.column else ""
        return f"{where}: {self.reason}"


@dataclass
class AccountRecord:
    line: int
    name: str
    domain: str | None = None
    segment: str | None = None
    plan: str | None = None
    arr_minor: int | None = None
    currency: str | None = None
    owner_email: str | None = None
    status: str | None = None
    renewal_date: date | None = None
    at_risk: bool | None = None
    external_id: str | None = None
    # A CRM's owners are not all Huddle users: one the workspace does not know is left unset
    # (and reported) instead of refusing the file.
    owner_optional: bool = False


@dataclass
class ContactRecord:
    line: int
    email: str
    name: str | None = None
    title: str | None = None
    account_ref: str | None = None
    external_id: str | None = None


@dataclass
class FeedbackRecord:
    """One piece of evidence as a source gave it. None means "not given": a new item gets the
    default, a known item keeps what it has."""

    line: int
    text: str
    source: str
    occurred_at: datetime | None = None
    external_id: str | None = None
    title: str | None = None
    link_url: str | None = None
    # An account's external id, domain or name, tried in that order; or its id when the
    # sender already knows it (the add-evidence form, the feedback API).
    account_ref: str | None = None
    account_id: int | None = None
    contact_email: str | None = None
    contact_name: str | None = None
    submitter_email: str | None = None
    team: str | None = None
    tags: list[str] = field(default_factory=list)
    # Where the account may be named when no field names it, most telling first (a CRM note's
    # title; a call's title, file name and words): an import attaches the item to a known
    # account named in the first place that names one.
    mentions: tuple[str, ...] = ()
    # Other references to the same account, tried in order when `account_ref` names none
    # (a Zendesk organisation's name, then its CRM id and its domains).
    account_aliases: tuple[str, ...] = ()
