"""The one way evidence enters Huddle.

The add-evidence form, `POST /api/v1/feedback`, `POST /api/v1/ingest`, file imports, every
connector and the demo all call `take_in`, so every item gets the same rules:

- **Validation** against the workspace: the account it names (external id, domain or name,
  or its id), its submitter, its contact; bad records come back as errors with their line
  (or index) and field, and then nothing is written.
- **PII masking** of the text, the title and a contact's name before anything is stored.
- **Idempotency** by (namespace, origin, external id); an item without an external id gets
  one from its text, its account and its date (when the sender gave one), so a retry finds
  the item it already sent. A known item is updated only in the fields that really change;
  fields the sender left out keep their stored value; sending the same thing again changes
  nothing and reports "unchanged".
- **Enrichment**: sentiment and urgency (inline for small batches; the embedding job scores
  large imports), and the follow-up job that embeds new or re-worded items, which then
  matches them to problems, flags duplicates and rediscovers themes.

Namespaces keep integrations apart: files an admin imports share the workspace's (""),
while what a person or an API client sends lives in that user's own, so one integration
can neither overwrite another's items nor learn whether an id exists.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sqlalchemy.orm import Session

from huddle.accounts.intake import CONTACT_LIMITS, AccountMatcher, email_domain, free_text
from huddle.accounts.repository import AccountRepository, ContactRepository
from huddle.auth.repository import UserRepository
from huddle.config import get_settings
from huddle.feedback.enrich import Enrichment, enrich_text
from huddle.feedback.repository import FeedbackRepository
from huddle.imports.records import FeedbackRecord, RowError
from huddle.imports.seen import SeenIds
from huddle.jobs import defer
from huddle.kit.bulk import (
    bulk_update,
    pending_rows,
    reads_ahead,
    reserve_ids,
    start_writing,
    write_rows,
)
from huddle.kit.ids import content_id
from huddle.kit.text import printable
from huddle.kit.time import utcnow
from huddle.kit.writes import take_turn
from huddle.models.account import Contact
from huddle.models.feedback import Feedback
from huddle.models.user import User

# Up to this many items are scored as they arrive; larger imports leave sentiment and
# urgency to the embedding job (they cost ~50 µs an item, a large share of a bulk import).
SCORE_INLINE_MAX = 1000
# Lengths of the columns that hold what a source sends.
TITLE_MAX = 300
EXTERNAL_ID_MAX = 200
LINK_MAX = 2000
ACCOUNT_REF_MAX = 200
# The fields a later version of an item may change; the rest is fixed at creation.
CONTENT_COLUMNS = (
    "text",
    "title",
    "source",
    "link_url",
    "account_id",
    "account_ref",
    "contact_id",
    "submitter_id",
    "team",
    "occurred_at",
    "tags",
)
DERIVED_FROM_TEXT = ("sentiment", "urgency", "pii_masked")
WRITES_TURN = "evidence"


class UnknownAccount(StrEnum):
    refuse = "refuse"  # the record is an error: import the accounts first
    keep = "keep"  # the item comes in without an account; the reference is kept


@dataclass(frozen=True)
class Outcome:
    line: int
    id: int
    status: str  # created, updated or unchanged


@dataclass
class Intake:
    outcomes: list[Outcome] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    # Items that need (re-)embedding: new ones and those whose text changed.
    to_embed: list[int] = field(default_factory=list)
    # (item id, new values, old values) of every item updated, for an import's undo.
    changes: list[tuple[int, dict[str, Any], dict[str, Any]]] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for outcome in self.outcomes if outcome.status == status)

    @property
    def created(self) -> int:
        return self.count("created")

    @property
    def updated(self) -> int:
        return self.count("updated")

    @property
    def unchanged(self) -> int:
        return self.count("unchanged")


def user_namespace(user_id: int) -> str:
    return f"user:{user_id}"


def take_in(
    session: Session,
    records: Sequence[FeedbackRecord],
    *,
    origin: str,
    namespace: str,
    channel: str,
    submitter: User | None = None,
    import_id: int | None = None,
    unknown_account: UnknownAccount = UnknownAccount.refuse,
    seen_ids: SeenIds | None = None,
    write: bool = True,
    matcher: AccountMatcher | None = None,
) -> Intake:
    """Check every record, then write them all; with any error, write nothing.

    Flushes, never commits: the caller's transaction decides. `submitter` is who sent the
    records (None for an admin's file, whose rows may name their own submitter). A large
    file comes in chunks: `seen_ids` carries the external ids of its earlier chunks (to
    report a repeated id), `write=False` only checks (after an earlier chunk failed), and
    `matcher` keeps the accounts found so far. Records are normalised in place (control
    characters out of text and title).
    """
    with reads_ahead(session):
        take_turn(session, WRITES_TURN)
    planner = _Planner(session, records, origin=origin, namespace=namespace, matcher=matcher)
    plan = planner.plan(
        submitter=submitter,
        unknown_account=unknown_account,
        seen_ids=SeenIds() if seen_ids is None else seen_ids,
    )
    if plan.errors:
        return Intake(errors=sorted(plan.errors, key=lambda e: e.line))
    if not write:
        return _counted(plan, [record.line for record in records])
    return _apply(
        session,
        plan,
        [record.line for record in records],
        origin=origin,
        namespace=namespace,
        channel=channel,
        import_id=import_id,
    )


@dataclass
class _Plan:
    creates: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    # Records are known by their position in the batch (several may share a line: one
    # call's statements, say). (position, item id, changed columns' new values, old values)
    updates: list[tuple[int, int, dict[str, Any], dict[str, Any]]] = field(default_factory=list)
    unchanged: list[tuple[int, int]] = field(default_factory=list)
    # A record saying the same as an earlier one of the same batch: (position, first's).
    repeats: list[tuple[int, int]] = field(default_factory=list)
    new_contacts: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Ids reserved for the evidence and the contacts the chunk may add (see _Planner.plan).
    ids: list[int] = field(default_factory=list)
    contact_ids: list[int] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    score: bool = True


class _Planner:
    def __init__(
        self,
        session: Session,
        records: Sequence[FeedbackRecord],
        *,
        origin: str,
        namespace: str,
        matcher: AccountMatcher | None,
    ) -> None:
        self.session = session
        self.records = records
        self.origin = origin
        self.namespace = namespace
        self.matcher = matcher
        self.mask = get_settings().mask_pii

    def plan(
        self,
        *,
        submitter: User | None,
        unknown_account: UnknownAccount,
        seen_ids: SeenIds,
    ) -> _Plan:
        records = self.records
        for record in records:
            # Once, here: every rule below reads the text as it will be stored.
            record.text = _clean(record.text) or ""
            record.title = _clean(record.title)
        plan = _Plan(score=len(records) <= SCORE_INLINE_MAX)
        keys = self._keys(plan, seen_ids)
        refs = {r.account_ref.strip() for r in records if r.account_ref and r.account_ref.strip()}
        emails = {r.contact_email.lower() for r in records if r.contact_email}
        wanted = {
            "external_ids": refs,
            "domains": {email_domain(r) if "@" in r else r.lower() for r in refs}
            | {email_domain(e) for e in emails},
            "names": refs,
        }
        # The chunk before this one is written while this one is checked: what this chunk
        # needs is looked up first, before that chunk's rows are in (they are asked apart).
        with reads_ahead(self.session):
            if self.matcher is None:
                self.matcher = AccountMatcher(self.session, **wanted)
            else:
                self.matcher.cover(**wanted)
            by_id = AccountRepository(self.session).by_ids(
                {r.account_id for r in records if r.account_id is not None}
            )
            submitters = UserRepository(self.session).by_emails(
                {r.submitter_email.lower() for r in records if r.submitter_email}
            )
            contacts = ContactRepository(self.session).by_emails(emails)
            for row in pending_rows(self.session, Contact):
                contacts.setdefault(row["email"], Contact(**row))
            chunk_keys = {k for k in keys if k}
            existing = self._existing(chunk_keys)
            # The ids of what this chunk may add, taken now: once the chunk before is on its
            # way, this one is checked and held without a statement, while it is written.
            plan.ids = reserve_ids(self.session, Feedback, len(chunk_keys - existing.keys()))
            plan.contact_ids = reserve_ids(self.session, Contact, len(emails - contacts.keys()))
        start_writing(self.session)
        matcher = self.matcher
        texts = [
            enrich_text(record.text, mask=self.mask, score=plan.score) if key else None
            for record, key in zip(records, keys, strict=True)
        ]
        titles = [
            free_text(record.title, mask=self.mask) if key and record.title else None
            for record, key in zip(records, keys, strict=True)
        ]
        first: dict[str, int] = {}
        for position, record in enumerate(records):
            key = keys[position]
            if key is None:
                continue
            if key in first:
                plan.repeats.append((position, first[key]))
                continue
            first[key] = position
            values = self._values(
                record,
                key,
                plan,
                (texts[position], titles[position]),
                matcher,
                by_id,
                submitters,
                submitter,
                contacts,
                unknown_account,
            )
            if values is None:
                continue
            known = existing.get(key)
            if known is None:
                plan.creates.append((position, values))
                continue
            before, after = _changes(known, values)
            if after:
                plan.updates.append((position, known.id, after, before))
            else:
                plan.unchanged.append((position, known.id))
        return plan

    def _existing(self, keys: set[str]) -> dict[str, Feedback]:
        """The stored items with these keys, and those of the chunk before still being
        written (an item made from its content may come again in a later chunk)."""
        existing = FeedbackRepository(self.session).by_external_ids(
            self.namespace, self.origin, keys
        )
        for row in pending_rows(self.session, Feedback):
            key = row["external_id"]
            if key in keys and row["namespace"] == self.namespace and row["origin"] == self.origin:
                existing[key] = Feedback(**row)
        return existing

    def _keys(self, plan: _Plan, given: SeenIds) -> list[str | None]:
        """Each record's external id, given or made from its content; bad ones are errors.
        `given` holds the ids given so far (this batch's and its earlier chunks')."""
        keys: list[str | None] = []
        # An id given with the record's content: the same row again (a download pasted twice
        # into one file) is the record it repeats, where the same id on another record is an
        # error.
        said = {
            id(r): f"{r.external_id.strip()}\x00{evidence_content_id(r)}"
            for r in self.records
            if r.external_id
        }
        earlier = given.earlier(
            [r.external_id.strip() for r in self.records if r.external_id] + list(said.values())
        )
        for record in self.records:
            problem = _check(record)
            if problem is not None:
                plan.errors.append(RowError(record.line, problem[0], problem[1]))
                keys.append(None)
                continue
            if record.external_id:
                key = record.external_id.strip()
                line = given.recent.get(key, earlier.get(key))
                again = said[id(record)]
                if line is not None and given.recent.get(again, earlier.get(again)) is None:
                    plan.errors.append(
                        RowError(record.line, "external_id", f"the same id {key!r} as line {line}")
                    )
                    keys.append(None)
                    continue
                if line is None:
                    given.add(key, record.line)
                    given.add(again, record.line)
            else:
                key = evidence_content_id(record)
            keys.append(key)
        return keys

    def _values(
        self,
        record: FeedbackRecord,
        key: str,
        plan: _Plan,
        written: tuple[Enrichment | None, str | None],
        matcher: AccountMatcher,
        by_id: dict[int, Any],
        submitters: dict[str, User],
        sender: User | None,
        contacts: dict[str, Contact],
        unknown_account: UnknownAccount,
    ) -> dict[str, Any] | None:
        line = record.line
        account = None
        account_ref = None
        if record.account_id is not None:
            account = by_id.get(record.account_id)
            if account is None:
                plan.errors.append(RowError(line, "account_id", f"no account {record.account_id}"))
                return None
        elif record.account_ref and record.account_ref.strip():
            ref = record.account_ref.strip()
            account = matcher.resolve(ref)
            if account is None:
                if unknown_account == UnknownAccount.refuse:
                    plan.errors.append(
                        RowError(
                            line,
                            "account",
                            f"no account {ref!r} (by id, domain or name); import accounts first",
                        )
                    )
                    return None
                account_ref = ref[:ACCOUNT_REF_MAX]
        elif record.contact_email:
            account = matcher.by_domain.get(email_domain(record.contact_email))
        submitter = sender
        if record.submitter_email:
            submitter = submitters.get(record.submitter_email.lower())
            if submitter is None:
                plan.errors.append(
                    RowError(
                        line, "submitter_email", f"no user with the email {record.submitter_email}"
                    )
                )
                return None
        contact_id = None
        if record.contact_email:
            email = record.contact_email.lower()
            known = contacts.get(email)
            if known is not None:
                contact_id = known.id
            else:
                plan.new_contacts.setdefault(
                    email,
                    {
                        "email": email,
                        "name": _shorten_or_none(
                            free_text(_clean(record.contact_name), mask=self.mask),
                            CONTACT_LIMITS["name"],
                        ),
                        "account_id": account.id if account else None,
                    },
                )
        enriched, title = written
        assert enriched is not None  # made for every record with a key
        values: dict[str, Any] = {
            "text": enriched.text,
            "title": _shorten(title, TITLE_MAX) if title else None,
            "source": record.source,
            "external_id": key,
            "link_url": record.link_url,
            "account_id": account.id if account else None,
            "account_ref": account_ref,
            "contact_id": contact_id,
            "contact_email": record.contact_email.lower() if record.contact_email else None,
            "submitter_id": submitter.id if submitter else None,
            "team": record.team or (submitter.team if submitter else None),
            "occurred_at": record.occurred_at,
            "tags": list(record.tags),
            "sentiment": enriched.sentiment,
            "urgency": enriched.urgency,
            "pii_masked": enriched.masked,
        }
        return values


def _check(record: FeedbackRecord) -> tuple[str, str] | None:
    """What is wrong with a record on its own (field, reason), if anything."""
    if not record.text:
        return ("text", "the text is empty")
    if record.external_id is not None and len(record.external_id.strip()) > EXTERNAL_ID_MAX:
        return ("external_id", f"longer than {EXTERNAL_ID_MAX} characters")
    if record.link_url is not None and len(record.link_url) > LINK_MAX:
        return ("link_url", f"longer than {LINK_MAX} characters")
    if record.contact_email is not None and len(record.contact_email) > CONTACT_LIMITS["email"]:
        return ("contact_email", f"longer than {CONTACT_LIMITS['email']} characters")
    return None


def _clean(text: str | None) -> str | None:
    if text is None:
        return None
    return printable(text).strip() or None


def _shorten_or_none(text: str | None, limit: int) -> str | None:
    return _shorten(text, limit) if text else None


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def evidence_content_id(record: FeedbackRecord) -> str:
    """Text, then the date only when the source gave one, then the account as named: a
    retried request without a date finds its first copy."""
    when = record.occurred_at.isoformat() if record.occurred_at is not None else ""
    account = record.account_ref if record.account_id is None else f"#{record.account_id}"
    return content_id(record.text, when, account)


def _changes(known: Feedback, values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Old and new values of what a new version changes; what it leaves out (None) stays."""
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for name in CONTENT_COLUMNS:
        new = values.get(name)
        if new is None or (name == "tags" and not new):
            continue
        if name == "contact_id" and new is None:
            continue
        old = getattr(known, name)
        if old != new:
            before[name], after[name] = old, new
    if "text" in after:
        for name in DERIVED_FROM_TEXT:
            before[name], after[name] = getattr(known, name), values[name]
    if values.get("occurred_at") is not None and not known.dated:
        # Its own date has arrived: the trend counts it from now on.
        before["dated"], after["dated"] = False, True
    return before, after


def _counted(plan: _Plan, line_of: list[int]) -> Intake:
    """What writing the plan would do, without writing (ids unknown: 0)."""
    intake = Intake()
    statuses = (
        [(at, "created") for at, _values in plan.creates]
        + [(at, "updated") for at, *_rest in plan.updates]
        + [(at, "unchanged") for at, _id in plan.unchanged]
        + [(at, "unchanged") for at, _first in plan.repeats]
    )
    intake.outcomes = [Outcome(line_of[at], 0, status) for at, status in sorted(statuses)]
    return intake


def _apply(
    session: Session,
    plan: _Plan,
    line_of: list[int],
    *,
    origin: str,
    namespace: str,
    channel: str,
    import_id: int | None,
) -> Intake:
    now = utcnow()
    new_contacts = [
        {**values, "id": contact_id, "import_id": import_id, "created_at": now}
        for values, contact_id in zip(plan.new_contacts.values(), plan.contact_ids, strict=False)
    ]
    assert len(new_contacts) == len(plan.new_contacts), "fewer contact ids than new contacts"
    contact_ids = {row["email"]: row["id"] for row in new_contacts}

    def finish(values: dict[str, Any]) -> dict[str, Any]:
        row = dict(values)
        email = row.pop("contact_email")
        if row["contact_id"] is None and email in contact_ids:
            row["contact_id"] = contact_ids[email]
        return row

    rows = []
    for _line, values in plan.creates:
        row = finish(values)
        row.update(
            origin=origin,
            namespace=namespace,
            channel=channel,
            import_id=import_id,
            created_at=now,
            occurred_at=row["occurred_at"] or now,
            # No date from a file: the import's moment stands in, out of the trend until an
            # import gives its date. Sent live (the API, an ingest hook, the form), the item
            # happened when it was sent.
            dated=row["occurred_at"] is not None or channel != "import",
        )
        rows.append(row)
    updates = []
    for _line, item_id, after, _before in plan.updates:
        row = {"id": item_id, **after}
        if "text" in after:
            row.update(embedding=None, embedding_model=None, embedded_at=None)
        updates.append(row)
    bulk_update(session, Feedback, updates)
    assert len(rows) <= len(plan.ids), "fewer evidence ids than new items"
    for row, item_id in zip(rows, plan.ids, strict=False):
        row["id"] = item_id
    created_ids = {row["external_id"]: row["id"] for row in rows}
    intake = Intake()
    found: dict[int, Outcome] = {}
    for at, values in plan.creates:
        found[at] = Outcome(line_of[at], created_ids[values["external_id"]], "created")
    for at, item_id, _after, _before in plan.updates:
        found[at] = Outcome(line_of[at], item_id, "updated")
    for at, item_id in plan.unchanged:
        found[at] = Outcome(line_of[at], item_id, "unchanged")
    for at, first in plan.repeats:
        found[at] = Outcome(line_of[at], found[first].id, "unchanged")
    intake.outcomes = [found[at] for at in sorted(found)]
    intake.changes = [(item_id, after, before) for _line, item_id, after, before in plan.updates]
    intake.to_embed = sorted(
        {found[at].id for at, _values in plan.creates}
        | {item_id for _line, item_id, after, _b in plan.updates if "text" in after}
    )
    if intake.to_embed:
        defer(session, "insights.embed_feedback", ids=intake.to_embed)
    # Held back, the contacts first (the evidence names them), and written while the next
    # chunk is read and checked.
    write_rows(session, Contact, new_contacts, background=True)
    write_rows(session, Feedback, rows, background=True)
    return intake
