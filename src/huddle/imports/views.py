"""The admin page for imports: each source's last run, past runs, upload, dry run, undo, and
what each run left out as noise and why, with a way to bring an item in.

A failed import writes nothing (not even its run), so its errors are shown on the page that
answers the upload, right away, with a 4xx status. Re-running is uploading the same file
again: external ids make it update instead of duplicate. Undo removes exactly what that run
added.
"""

import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from huddle.auth.actor import Actor
from huddle.auth.policies import may_administer, require
from huddle.connectors.base import ConnectorOptions, iter_connectors
from huddle.deps import SessionDep
from huddle.errors import Conflict, HuddleError, NotFound
from huddle.imports.connected import bring_in
from huddle.imports.report import ImportFailed, ImportReport
from huddle.imports.repository import recent_imports
from huddle.imports.rows import bom_encoding
from huddle.imports.service import import_file, import_with_connector
from huddle.imports.undo import UndoRefused
from huddle.imports.undo import undo_import as undo_service
from huddle.kit.time import parse_datetime
from huddle.models.imports import ImportRun
from huddle.web.pages import FormActor, PageActor, back
from huddle.web.render import render

router = APIRouter()
BUILT_IN = {
    "accounts": "Accounts (CSV or JSON lines)",
    "feedback": "Evidence (CSV or JSON lines)",
}


@dataclass
class SourceSummary:
    name: str
    description: str
    last: ImportRun | None
    runs: int
    added: int


def _sources() -> dict[str, str]:
    found = dict(BUILT_IN)
    for connector in iter_connectors():
        found[connector.name] = connector.description
    return found


def _page(
    request: Request,
    session: Session,
    *,
    notice: str | None = None,
    error: str | None = None,
    report: ImportReport | None = None,
    chosen: str = "",
    status: int = 200,
) -> HTMLResponse:
    runs = list(recent_imports(session, limit=500))
    summaries = []
    for name, description in _sources().items():
        mine = [r for r in runs if r.source == name]
        summaries.append(
            SourceSummary(
                name=name,
                description=description,
                last=mine[0] if mine else None,
                runs=len(mine),
                added=sum(r.created_count for r in mine if r.undone_at is None),
            )
        )
    return render(
        request,
        "imports.html",
        status_code=status,
        sources=summaries,
        runs=runs[:50],
        notice=notice,
        error=error,
        report=report,
        chosen=chosen,
    )


@router.get("/admin/imports", response_class=HTMLResponse)
def imports_page(
    request: Request,
    session: SessionDep,
    actor: PageActor,
    notice: str | None = None,
    error: str | None = None,
) -> Response:
    require(may_administer(actor))
    return _page(request, session, notice=notice, error=error)


def _run(
    session: Session,
    actor: Actor,
    *,
    source: str,
    path: Path,
    dry_run: bool,
    encoding: str,
    internal_domains: tuple[str, ...],
    create_accounts: bool = False,
    keep_noise: bool = False,
    occurred_at: datetime | None = None,
) -> ImportReport:
    if source in BUILT_IN:
        return import_file(
            session,
            kind=source,
            path=path,
            actor=actor,
            dry_run=dry_run,
            encoding="utf-8-sig" if encoding == "utf-8" else encoding,
            occurred_at=occurred_at,
        )
    options = ConnectorOptions(
        occurred_at=occurred_at,
        encoding=encoding,
        internal_domains=internal_domains,
        create_accounts=create_accounts,
        keep_noise=keep_noise,
    )
    return import_with_connector(
        session, source=source, path=path, actor=actor, options=options, dry_run=dry_run
    )


@router.post("/admin/imports", response_class=HTMLResponse)
def imports_upload(
    request: Request,
    session: SessionDep,
    actor: FormActor,
    source: Annotated[str, Form()] = "",
    file: Annotated[UploadFile | None, File()] = None,
    dry_run: Annotated[str, Form()] = "",
    encoding: Annotated[str, Form()] = "utf-8",
    internal_domains: Annotated[str, Form()] = "",
    create_accounts: Annotated[str, Form()] = "",
    keep_noise: Annotated[str, Form()] = "",
    occurred_at: Annotated[str, Form()] = "",
) -> Response:
    require(may_administer(actor))

    def refused(error: str, report: ImportReport | None = None, status: int = 422) -> HTMLResponse:
        # The page itself, its errors on it, and a status that says nothing was stored.
        return _page(request, session, error=error, report=report, chosen=source, status=status)

    if source not in _sources():
        return refused("Choose what kind of file this is.")
    if file is None or not file.filename:
        return refused("Choose a file to upload.")
    domains = tuple(d.strip().lower() for d in internal_domains.replace(",", " ").split() if d)
    try:
        # The date items without one of their own take (the CLI's --occurred-at).
        undated_on = parse_datetime(occurred_at) if occurred_at.strip() else None
    except ValueError as error:
        return refused(f"Date for undated items: {error}.")
    with tempfile.TemporaryDirectory(prefix="huddle-import-") as folder:
        # The original name is kept (connectors read the format from it and link back to
        # it), less any folders or characters a file name cannot safely carry.
        path = Path(folder) / upload_name(file.filename)
        with path.open("wb") as target:
            shutil.copyfileobj(file.file, target, length=1024 * 1024)
        declared = encoding.strip() or "utf-8"
        try:
            report = _run(
                session,
                actor,
                source=source,
                path=path,
                dry_run=dry_run == "on",
                encoding=bom_encoding(path) or declared,
                internal_domains=domains,
                create_accounts=create_accounts == "on",
                keep_noise=keep_noise == "on",
                occurred_at=undated_on,
            )
        except ImportFailed as failure:
            return refused(failure.message, failure.report)
        except HuddleError as error:
            if error.status == 403:
                raise
            return refused(error.message, status=error.status)
        except LookupError:
            return refused(f"Unknown encoding {declared!r}.")
    if report.dry_run:
        return _page(
            request,
            session,
            notice=f"Dry run of {report.filename}: would add {report.created} and update "
            f"{report.updated} from {report.rows_read} {report.rows_are}. Nothing was stored.",
            report=report,
            chosen=source,
        )
    notes = "".join(f" {note[0].upper()}{note[1:]}." for note in report.notes(on_page=True))
    return back(
        "/admin/imports",
        notice=f"Imported {report.filename}: {report.created} new, {report.updated} updated, "
        f"{report.unchanged} unchanged.{notes}",
    )


def upload_name(filename: str) -> str:
    """A browser's file name as a plain name inside our folder: no folders, no '..', no NUL."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    if name.strip(".") == "":
        return "upload"
    stem, suffix = Path(name).stem, Path(name).suffix[:16]
    # Most file systems allow 255 bytes in a name.
    while len((stem + suffix).encode()) > 200:
        stem = stem[:-1]
    return stem + suffix


@router.post("/admin/imports/{import_id}/undo")
def imports_undo(import_id: int, session: SessionDep, actor: FormActor) -> Response:
    require(may_administer(actor))
    try:
        removed = undo_service(session, import_id=import_id, actor=actor)
    except UndoRefused as refused:
        return back("/admin/imports", error=f"Not undone: {refused.message}.")
    except (NotFound, Conflict) as error:
        # Undo is asked for an end state: when it already holds, say so rather than fail.
        return back("/admin/imports", notice=f"Nothing to undo: {error.message}.")
    restored = removed.pop("restored", 0)
    summary = ", ".join(f"{count} {label}" for label, count in removed.items() if count)
    put_back = f"; put back {restored} changed rows" if restored else ""
    return back(
        "/admin/imports",
        notice=f"Import {import_id} undone: removed {summary or 'nothing'}{put_back}.",
    )


@router.post("/admin/imports/{import_id}/left-out/{index}")
def imports_bring_in(import_id: int, index: int, session: SessionDep, actor: FormActor) -> Response:
    """Brings in one item the run left out as noise: a person judged it evidence after all."""
    require(may_administer(actor))
    try:
        item_id = bring_in(session, import_id=import_id, index=index, actor=actor)
    except (NotFound, Conflict) as error:
        # A second click, or a run undone since: the item is not left out any more.
        return back("/admin/imports", notice=f"Nothing to bring in: {error.message}.")
    return back("/admin/imports", notice=f"Brought in as evidence {item_id} of import {import_id}.")
