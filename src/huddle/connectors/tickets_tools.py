"""What the tickets CSV reads from the tools a product team keeps feedback and research in.

Research repositories (Airtable tables, Dovetail's highlights), feedback inboxes (Savio,
Harvestr, Pendo Feedback, Productboard) and idea boards (Jira Product Discovery) export rows a
help desk's never hold: a researcher's own observation beside a participant's quote, an
interviewer's question, a vote with no words, a note an automation (Zapier, Automation for
Jira) pushed in, Jira's wiki markup, several customers named in one cell.
"""

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from huddle.connectors.base import ConnectorOptions
from huddle.connectors.email_addresses import email_in
from huddle.connectors.export_dates import export_date
from huddle.connectors.noise import is_staff
from huddle.imports.fields import FieldSpec, normalise
from huddle.imports.records import FeedbackRecord, RowError
from huddle.kit.time import utcnow

FIELDS = (
    # A research repository's kind of highlight ("Quote", "Observation", "Insight").
    FieldSpec(
        "kind",
        ("highlight_type", "snippet_type", "note_type", "evidence_type", "entry_type"),
    ),
    # Who put the row into the tool (Dovetail's "Created by", Airtable's "Researcher", Jira's
    # "Creator"), not always whom its words are from (the participant, the requester); an
    # issue tracker's "Author" (Redmine's, GitLab's) is who opened the issue: a customer (by
    # mail, on the portal) or one of the team filing their own work.
    FieldSpec(
        "creator", ("created_by", "creator", "researcher", "interviewer", "logged_by", "author")
    ),
)

# A researcher's own entries in a research table: what they saw or concluded, not words the
# participant said.
_TEAMS_KIND = re.compile(
    r"^\W*(observation|synthesis|insight|finding|hypothesis|takeaway|researcher note|"
    r"interviewer note)s?\W*$",
    re.IGNORECASE,
)
# An interviewer's own line kept as a highlight: "[Interviewer] Walk me through …", "Q: …".
_INTERVIEWER = re.compile(
    r"^\W*(\[(interviewer|moderator|researcher|facilitator)\]|"
    r"(interviewer|moderator|researcher|facilitator)\s*:)",
    re.IGNORECASE,
)
# The table's example row: "Example: paste the customer's exact words here".
_PLACEHOLDER = re.compile(
    r"^\W*(example|sample|e\.g\.)\s*[:\-\u2013]\s*(paste|enter|type|write|add|put|insert)\b"
    r".*\bhere\W*$",
    re.IGNORECASE,
)
# An automation that writes in a tool under its own name: Zapier, Make, IFTTT, Jira's
# "Automation for Jira", "Jira Cloud for Slack", Trello's Butler, a "… integration" or
# "… bot" user.
# Make (once Integromat) by its capital: "created by make test" is a build step.
_AUTOMATIONS = (
    r"zapier|(?-i:Make)|ifttt|n8n|workato|tray\.io|butler|automation for jira|jira automation"
)
_AUTOMATION = re.compile(
    rf"^\W*({_AUTOMATIONS}|jira cloud for slack|.+\b(integration|automation|bot))\W*$",
    re.IGNORECASE,
)
# Its words about itself: "This note was created automatically by Zapier", "Triggered by
# Zapier", "Automated message: …", a card opening "Created by Butler on Monday …" (only
# at the start: a customer may tell what the tickets Zapier creates get wrong).
_AUTOMATED_TEXT = re.compile(
    r"\b(created|generated|posted|added|imported) automatically\b|^\W*automated message\b|"
    r"\btriggered by (zapier|make|ifttt|n8n|workato)\b|^\W*zap (run )?summary\b|"
    rf"^\W*(this \w+ was )?(created|generated|posted|added) by ({_AUTOMATIONS})\b",
    re.IGNORECASE,
)
# Jira's wiki markup: headings, quote and panel blocks, colour.
_JIRA_HEADING = re.compile(r"^\s*h[1-6]\.\s+", re.MULTILINE)
_JIRA_BLOCK = re.compile(r"\{(quote|noformat|panel|code|color)(:[^}]*)?\}", re.IGNORECASE)
# A company's legal form after a comma ("Hooli Cloud, Inc."): one company, not two.
_LEGAL_FORM = re.compile(
    r"^(inc|llc|ltd|limited|gmbh|ag|sa|sas|sarl|bv|nv|plc|corp|co|pty|ab|as|oy|srl|spa)\.?$",
    re.IGNORECASE,
)


# A Trello card's id is a MongoDB ObjectId, whose first eight hex digits are the second it
# was made: the card's creation time, which Trello's CSV has no column for.
_OBJECT_ID = re.compile(r"^[0-9a-f]{24}$")
# Trello opened in September 2011: an id dated before then (or after now) is no card's.
_TRELLO_OPENED = datetime(2011, 9, 1, tzinfo=UTC)


def card_created(card_id: str, column: str) -> datetime | None:
    """When a Trello card was made, read from its id (a "Card ID" column's); None for any
    other id."""
    if normalise(column) != "card_id" or not _OBJECT_ID.match(card_id):
        return None
    made = datetime.fromtimestamp(int(card_id[:8], 16), UTC)
    return made if _TRELLO_OPENED <= made <= utcnow() else None


def teams_kind(kind: str) -> bool:
    """A research row the researcher wrote (an observation, an insight), not a quote."""
    return bool(_TEAMS_KIND.match(kind))


def interviewer_line(text: str) -> bool:
    return bool(_INTERVIEWER.match(text))


def placeholder(text: str) -> bool:
    """A table's example row telling whoever fills it what to write."""
    return bool(_PLACEHOLDER.match(text))


def automation(name: str, text: str) -> bool:
    """A row an automation wrote: its author is one, or its text says it was."""
    return bool(_AUTOMATION.match(name) or _AUTOMATED_TEXT.search(text))


def jira_markup(text: str) -> str:
    """Jira's wiki markup cut: the words of `h3.` headings and `{quote}` blocks kept."""
    if not (_JIRA_HEADING.search(text) or _JIRA_BLOCK.search(text)):
        return text
    return _JIRA_BLOCK.sub("", _JIRA_HEADING.sub("", text)).strip()


def first_account(reference: str) -> str:
    """The first of several companies named in one cell ("Umbrella Retail, Vandelay
    Imports", a joint interview's linked records), without the quotes a linked record's name
    may carry; a legal form after a comma stays ("Hooli Cloud, Inc.")."""
    parts = [p.strip().strip('"').strip() for p in re.split(r"[,;]", reference)]
    first = parts[0]
    if len(parts) > 1 and _LEGAL_FORM.match(parts[1]):
        return reference.strip().strip('"').strip()
    return first or reference


def tool_reason(
    reason: str | None,
    record: FeedbackRecord,
    *,
    kind: str,
    creator: str,
    names_who: bool,
    options: ConnectorOptions,
) -> str | None:
    """Noise a product team's feedback and research tools export: an automation's note, a
    researcher's observation or question, the table's example row, a row one of the team
    added naming no customer."""
    if reason not in (None, "internal", "staff"):
        return reason
    if automation(record.contact_name or "", record.text):
        return "bot"
    if reason is not None:
        return reason
    if placeholder(record.text):
        return "test"
    if teams_kind(kind) or interviewer_line(record.text):
        return "internal"
    if (
        creator
        and names_who
        and _one_of_us(creator, options)
        and not (record.contact_email or record.contact_name or record.account_ref)
    ):
        # A table that names who said each row (a participant, a requester): a row naming
        # nobody, added by one of the team, is their own entry (a debrief, a synthesis; a
        # tracker's bug the team raised, with no customer's field filled).
        return "internal"
    return None


def _one_of_us(creator: str, options: ConnectorOptions) -> bool:
    """Whether who added a row is one of the team: by name, or by the address an identity
    written as 'Name <email>' carries (Azure Boards' "Created By")."""
    name = re.sub(r"<[^>]*>", "", creator).strip()
    return is_staff(email_in(creator), name or None, options)


# How many rows are looked at for dates the file holds but the import did not read.
_DATE_SAMPLE = 50


class UnreadDates:
    """The columns of an undated file (no column named as its items' date) whose cells are
    dates all the same ("Submitted", "Erfasst am", a custom field): the import dates its items
    itself, and the summary names each such column, so the user can say it is the date
    rather than find every item dated today. Looked for in the
    first rows only; an id or a Unix time (digits alone) is no date here."""

    def __init__(self) -> None:
        self._seen: dict[str, list[int]] = {}  # column: [cells filled, cells that are dates]
        self._rows = 0

    def look(self, values: Mapping[str, Any], columns: Mapping[str, str]) -> None:
        if "occurred_at" in columns or self._rows >= _DATE_SAMPLE:
            return
        self._rows += 1
        read = set(columns.values())
        for column, value in values.items():
            cell = str(value or "").strip()
            if column in read or not column or not cell:
                continue
            tally = self._seen.setdefault(column, [0, 0])
            tally[0] += 1
            if not cell.isdigit() and len(cell) <= 40 and _a_date(cell):
                tally[1] += 1

    def warnings(self) -> list[RowError]:
        return [
            RowError(
                1,
                column,
                "holds dates, but no column is named as the items' date, so the import dated "
                "them; if this column says when each was made, name it 'Date' in the file "
                f"(or import with --map '{column}=occurred_at')",
            )
            for column, (filled, dated) in self._seen.items()
            if dated and dated * 5 >= filled * 4
        ]


def _a_date(cell: str) -> bool:
    try:
        export_date(cell)
    except ValueError:
        return False
    return True
