"""What the connector tests share: importing through the service, counting what is stored."""

import json
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from huddle.auth.actor import Actor
from huddle.connectors.base import ConnectorOptions, ConnectorOutput, get_connector
from huddle.connectors.transcript_formats import Call
from huddle.imports.report import ImportFailed, ImportReport
from huddle.imports.service import import_with_connector
from huddle.imports.undo import undo_import
from huddle.models import Account, Contact, Feedback, ImportRun

SAMPLES = Path(__file__).parent / "samples"


def read_clean(source: str, path: Path, options: ConnectorOptions) -> ConnectorOutput:
    """What a connector reads of a file, which must hold no bad row."""
    read = get_connector(source).read(path, options)
    assert read.errors == []
    return read


def left_out_of(read: ConnectorOutput) -> list[tuple[str, str]]:
    """(reason, text) of each item a connector left out."""
    return [(o.reason, o.record.text) for o in read.left_out]


def came_in(session: Session, report: ImportReport) -> list[tuple[str, str | None]]:
    """(text, account) of each item an import brought in, in the order stored."""
    rows = session.execute(
        select(Feedback.text, Account.name)
        .outerjoin(Account, Account.id == Feedback.account_id)
        .where(Feedback.import_id == report.import_id)
        .order_by(Feedback.id)
    ).all()
    return [(text, account) for text, account in rows]


def one_call(folder: Path, record: object, options: ConnectorOptions) -> Call:
    """The one call a JSON record reads as, written to a file in `folder`; no errors."""
    from huddle.connectors.transcript import read_calls

    path = folder / "call.json"
    path.write_text(json.dumps(record))
    output = ConnectorOutput()
    (call,) = read_calls(path, options, output)
    assert output.errors == []
    return call


def turns(call: Call) -> list[tuple[str, str | None, float | None, str]]:
    """(speaker, side, start, words) of each turn of a call, in order."""
    return [(u.speaker, call.speakers[u.speaker].side, u.start, u.text) for u in call.utterances]


def calls_in(path: Path, options: ConnectorOptions) -> tuple[list[Call], ConnectorOutput]:
    """The calls a transcript file reads as, and what the reading reported."""
    from huddle.connectors.transcript import read_calls

    output = ConnectorOutput()
    return read_calls(path, options, output), output


def counts(session: Session) -> dict[str, int]:
    return {
        model.__tablename__: session.scalar(select(func.count()).select_from(model)) or 0
        for model in (Account, Contact, Feedback, ImportRun)
    }


def run(
    session: Session,
    actor: Actor,
    source: str,
    path: Path,
    *,
    dry_run: bool = False,
    **options: object,
) -> ImportReport:
    report = import_with_connector(
        session,
        source=source,
        path=path,
        actor=actor,
        options=ConnectorOptions(**options),  # type: ignore[arg-type]
        dry_run=dry_run,
    )
    session.flush()
    return report


def refused(
    session: Session, actor: Actor, source: str, path: Path, **options: object
) -> ImportFailed:
    """Imports a bad file, expecting a refusal that names lines and writes nothing."""
    before = counts(session)
    try:
        run(session, actor, source, path, **options)
    except ImportFailed as failure:
        assert counts(session) == before
        assert failure.report.errors
        return failure
    raise AssertionError(f"{path.name} was not refused")


def round_trip(
    session: Session, actor: Actor, source: str, path: Path, **options: object
) -> ImportReport:
    """Imports, re-imports (idempotent: nothing new) and checks that undo is exact."""
    before = counts(session)
    dry = run(session, actor, source, path, dry_run=True, **options)
    assert counts(session) == before and dry.created > 0
    first = run(session, actor, source, path, **options)
    assert first.created == dry.created and first.import_id is not None
    after_first = counts(session)
    again = run(session, actor, source, path, **options)
    assert (again.created, again.updated, again.unchanged) == (0, 0, first.created), (
        again.created,
        again.updated,
        again.unchanged,
    )
    assert again.import_id is not None
    undo_import(session, import_id=again.import_id, actor=actor)
    assert {k: v for k, v in counts(session).items() if k != "import_runs"} == {
        k: v for k, v in after_first.items() if k != "import_runs"
    }
    undo_import(session, import_id=first.import_id, actor=actor)
    restored = counts(session)
    assert {k: v for k, v in restored.items() if k != "import_runs"} == {
        k: v for k, v in before.items() if k != "import_runs"
    }
    report = run(session, actor, source, path, **options)
    return report


def write_json(path: Path, value: Any) -> Path:
    """`value` written to `path` as JSON, indented as tools save it."""
    path.write_text(json.dumps(value, indent=1), encoding="utf-8")
    return path


def left_out_by_run(session: Session, report: ImportReport) -> list[tuple[str, str]]:
    """(reason, text) of each item an import left out, as its run keeps them."""
    held = session.get(ImportRun, report.import_id)
    assert held is not None
    return [(left["reason"], left["record"]["text"]) for left in held.left_out]
