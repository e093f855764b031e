"""Undoing one import exactly, or refusing and naming what is in the way."""

from collections.abc import Sequence

from sqlalchemy.orm import Session

from huddle.accounts import intake as accounts
from huddle.activity import record as record_activity
from huddle.auth.actor import Actor
from huddle.auth.policies import may_administer, require
from huddle.errors import Conflict, NotFound
from huddle.feedback import intake
from huddle.imports import repository as writer
from huddle.jobs import defer
from huddle.kit.bulk import bulk_update
from huddle.kit.time import utcnow
from huddle.kit.writes import take_turn
from huddle.models.account import AccountKey, Contact
from huddle.models.feedback import Feedback
from huddle.models.imports import ImportChange, ImportRun


class UndoRefused(Conflict):
    """An exact undo is impossible: later changes depend on what the import did."""

    def __init__(self, import_id: int, blockers: list[str]) -> None:
        shown = blockers[:10]
        more = f" (and {len(blockers) - 10} more)" if len(blockers) > 10 else ""
        super().__init__(
            f"import {import_id} cannot be undone exactly, nothing was changed: "
            + "; ".join(shown)
            + more
        )
        self.blockers = blockers


# What an undo compares and restores, per table: the columns an import writes.
_COMPARED = {
    "accounts": accounts.ACCOUNT_COLUMNS,
    "contacts": accounts.CONTACT_COLUMNS,
    "feedback": intake.CONTENT_COLUMNS,
}
_LABELS = {
    "accounts": "account",
    "account_keys": "account key",
    "contacts": "contact",
    "feedback": "evidence",
}


def undo_import(session: Session, *, import_id: int, actor: Actor | None) -> dict[str, int]:
    """Put back what one import changed and remove what it created — exactly, or not at all.

    Refused, naming what is in the way, when a later import or a person changed a row this
    import wrote, added something to what it created (evidence for its accounts, a link a
    person made to its evidence), or deleted a row it changed.
    """
    if actor is not None:
        require(may_administer(actor))
    run = session.get(ImportRun, import_id)
    if run is None:
        raise NotFound(f"no import {import_id}")
    if run.undone_at is not None:
        raise Conflict(f"import {import_id} was already undone")
    take_turn(session, intake.WRITES_TURN)
    changes = writer.changes_of(session, import_id)
    created = {
        table: writer.created_ids(session, table, import_id)
        for table in ("feedback", "contacts", "account_keys", "accounts")
    }
    blockers = _changed_since(session, import_id, changes) + _built_upon(session, run, created)
    if blockers:
        raise UndoRefused(import_id, blockers)
    restored_text: list[int] = []
    for change in reversed(changes):
        values = writer.typed_values(change.table_name, change.before)
        if change.table_name == "feedback" and "text" in values:
            values.update(embedding=None, embedding_model=None, embedded_at=None)
            restored_text.append(change.row_id)
        bulk_update(session, writer.TABLES[change.table_name], [{"id": change.row_id, **values}])
    removed = {
        _plural(table): writer.delete_rows(session, table, ids) for table, ids in created.items()
    }
    removed["restored"] = len(changes)
    if restored_text:
        defer(session, "insights.embed_feedback", ids=sorted(restored_text))
    run.undone_at = utcnow()
    run.status = "undone"
    session.flush()
    summary = ", ".join(f"{n} {label}" for label, n in removed.items() if n)
    record_activity(session, actor, "undid import", run, f"undid {run.filename}: {summary}")
    return removed


def _plural(table: str) -> str:
    return table.replace("_", " ")


def _changed_since(session: Session, import_id: int, changes: Sequence[ImportChange]) -> list[str]:
    """Rows this import updated must still hold what it wrote, or their old values would
    overwrite someone's later work."""
    blockers: list[str] = []
    by_table: dict[str, list[ImportChange]] = {}
    for change in changes:
        by_table.setdefault(change.table_name, []).append(change)
    for table, rows in by_table.items():
        ids = [c.row_id for c in rows]
        later = writer.later_changes(session, table, ids, import_id)
        compared = set(_COMPARED.get(table, ()))
        current = writer.current_values(session, table, ids, compared)
        label = _LABELS[table]
        for change in rows:
            if change.row_id not in current:
                blockers.append(f"{label} {change.row_id} it changed was deleted since")
            elif change.row_id in later:
                blockers.append(
                    f"{label} {change.row_id} was changed again by import {later[change.row_id]}"
                )
            else:
                wrote = writer.typed_values(table, change.after)
                now = current[change.row_id]
                edited = sorted(c for c in compared & set(wrote) if now.get(c) != wrote[c])
                if edited:
                    blockers.append(
                        f"{label} {change.row_id} was edited since ({', '.join(edited)})"
                    )
    return blockers


def _built_upon(session: Session, run: ImportRun, created: dict[str, list[int]]) -> list[str]:
    """Rows this import created must not carry anything added later by others."""
    import_id = run.id
    blockers: list[str] = []
    for table, ids in created.items():
        for row_id, later in sorted(writer.later_changes(session, table, ids, import_id).items()):
            blockers.append(f"{_LABELS[table]} {row_id} was changed by import {later}")
        if table in _COMPARED:
            for row_id, verb, who in writer.edited_by_people(session, table, ids, run.created_at):
                blockers.append(f"{_LABELS[table]} {row_id} was {verb} by {who} since")
    references = (
        (Feedback.account_id, "accounts", "evidence"),
        (Contact.account_id, "accounts", "contacts"),
        (AccountKey.account_id, "accounts", "account keys"),
        (Feedback.contact_id, "contacts", "evidence"),
    )
    for column, table, what in references:
        found = writer.referring(session, column, created[table], besides_import=import_id)
        by_source: dict[int | None, int] = {}
        for _row_id, source in found:
            by_source[source] = by_source.get(source, 0) + 1
        for source, count in sorted(by_source.items(), key=lambda kv: (kv[0] is None, kv[0])):
            who = f"import {source}" if source is not None else "people"
            blockers.append(f"{count} {what} added by {who} belong to {table} this import created")
    for link in writer.person_links(session, created["feedback"]):
        blockers.append(
            f"evidence {link.feedback_id} was linked to problem {link.problem_id} by a person"
        )
    for item in writer.merged_duplicates(session, created["feedback"]):
        blockers.append(
            f"evidence {item.id} was merged into evidence {item.duplicate_of_id} as its duplicate"
        )
    return blockers
