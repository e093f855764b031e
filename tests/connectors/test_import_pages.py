"""The admin imports page: upload with dry run, errors shown at once, runs listed, undo."""

import re
import sys

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from huddle.imports import service
from huddle.models import Contact, Feedback, ImportRun
from tests.connectors import test_tickets
from tests.factories import create_account, create_user
from tests.helpers import client, login

BAD = test_tickets.TICKETS.replace("2026-10-06", "yesterday")


def _count(session: Session, model: type) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(model)) or 0


def test_upload_dry_run_then_import_then_undo(database_url: str, session: Session) -> None:
    admin = create_user(session, role="admin")
    create_account(session, name="Acme", domain="acme.com")
    session.commit()
    browser = client(database_url)
    csrf = login(browser, admin.email)
    page = browser.get("/admin/imports")
    assert page.status_code == 200 and "transcript" in page.text and "never" in page.text
    assert 'href="/admin/imports"' in page.text  # the nav link

    def upload(text: str, dry_run: bool) -> object:
        data = {"csrf_token": csrf, "source": "tickets", "encoding": "utf-8"}
        if dry_run:
            data["dry_run"] = "on"
        files = {"file": ("helpdesk tickets.csv", text.encode(), "text/csv")}
        return browser.post("/admin/imports", data=data, files=files, follow_redirects=False)

    dry = upload(test_tickets.TICKETS, dry_run=True)
    assert dry.status_code == 200 and "would add 2" in dry.text  # type: ignore[attr-defined]
    assert _count(session, Feedback) == 0 and _count(session, ImportRun) == 0
    failed = upload(BAD, dry_run=False)
    # Refused: a 4xx, and the page itself with the errors on it.
    assert failed.status_code == 422  # type: ignore[attr-defined]
    assert '<form method="post" action="/admin/imports"' in failed.text  # type: ignore[attr-defined]
    assert "nothing was imported" in failed.text and "not a date" in failed.text  # type: ignore[attr-defined]
    assert '<td class="num">4</td>' in failed.text  # type: ignore[attr-defined]  # its line
    assert _count(session, Feedback) == 0
    done = upload(test_tickets.TICKETS, dry_run=False)
    assert done.status_code == 303  # type: ignore[attr-defined]
    assert _count(session, Feedback) == 2
    again = upload(test_tickets.TICKETS, dry_run=False)
    assert "0+new%2C+0+updated%2C+2+unchanged" in again.headers["location"]  # type: ignore[attr-defined]
    listing = browser.get("/admin/imports")
    assert "helpdesk tickets.csv" in listing.text and listing.text.count("Undo</button>") == 2
    first = session.scalar(select(func.min(ImportRun.id)))
    undo = browser.post(
        f"/admin/imports/{first}/undo", data={"csrf_token": csrf}, follow_redirects=True
    )
    assert "removed 2 feedback" in undo.text and _count(session, Feedback) == 0
    twice = browser.post(
        f"/admin/imports/{first}/undo", data={"csrf_token": csrf}, follow_redirects=True
    )
    assert "Nothing to undo" in twice.text and "already undone" in twice.text


def test_pm_may_not_see_or_upload(database_url: str, session: Session) -> None:
    pm = create_user(session, role="pm")
    session.commit()
    browser = client(database_url)
    csrf = login(browser, pm.email)
    assert browser.get("/admin/imports").status_code == 403
    files = {"file": ("t.csv", test_tickets.TICKETS.encode(), "text/csv")}
    response = browser.post(
        "/admin/imports", data={"csrf_token": csrf, "source": "tickets"}, files=files
    )
    assert response.status_code == 403 and _count(session, Feedback) == 0
    assert 'href="/admin/imports"' not in browser.get("/problems").text


def test_upload_without_csrf_is_refused(database_url: str, session: Session) -> None:
    admin = create_user(session, role="admin")
    session.commit()
    browser = client(database_url)
    login(browser, admin.email)
    files = {"file": ("t.csv", test_tickets.TICKETS.encode(), "text/csv")}
    response = browser.post("/admin/imports", data={"source": "tickets"}, files=files)
    assert response.status_code == 403 and _count(session, Feedback) == 0


def test_left_out_items_shown_with_why_and_brought_in(database_url: str, session: Session) -> None:
    from tests.connectors.exports.scoring import CORPUS

    admin = create_user(session, role="admin")
    session.commit()
    browser = client(database_url)
    csrf = login(browser, admin.email)
    report_rows = (CORPUS / "tickets" / "tk_report_rows.csv").read_bytes()
    done = browser.post(
        "/admin/imports",
        data={"csrf_token": csrf, "source": "tickets", "encoding": "utf-8"},
        files={"file": ("report.csv", report_rows, "text/csv")},
        follow_redirects=True,
    )
    assert "Left out: 1 auto-reply, 1 spam" in done.text and "2 left out" in done.text
    assert "Partnership opportunity" in done.text and "guaranteed first-page" in done.text
    run_id = session.scalar(select(func.max(ImportRun.id)))
    brought = browser.post(
        f"/admin/imports/{run_id}/left-out/1", data={"csrf_token": csrf}, follow_redirects=True
    )
    assert "Brought in as evidence" in brought.text and "1 left out" in brought.text
    session.expire_all()
    item = session.scalars(
        select(Feedback).where(Feedback.title == "Partnership opportunity")
    ).one()
    assert item.import_id == run_id and "noise:spam" in item.tags
    run = session.get(ImportRun, run_id)
    assert run is not None and [e["reason"] for e in run.left_out] == ["auto-reply"]
    gone = browser.post(
        f"/admin/imports/{run_id}/left-out/5", data={"csrf_token": csrf}, follow_redirects=True
    )
    assert "Nothing to bring in" in gone.text
    # Undoing the run takes what was brought in with it.
    browser.post(f"/admin/imports/{run_id}/undo", data={"csrf_token": csrf})
    assert _count(session, Feedback) == 0


def test_an_upload_of_many_chunks_is_written_whole(
    database_url: str, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An upload goes through the same pipelined import as the CLI (each chunk written from
    another thread while the next is read and checked): in the web process too, every row
    and every new contact comes in once, and the switch interval is given back."""
    monkeypatch.setattr(service, "CHUNK_RECORDS", 3)
    interval = sys.getswitchinterval()
    admin = create_user(session, role="admin")
    create_account(session, name="Acme", domain="acme.com")
    session.commit()
    browser = client(database_url)
    csrf = login(browser, admin.email)
    header = test_tickets.TICKETS.splitlines()[0]
    rows = [
        f"FD-{n},Export {n} fails,The export number {n} times out,Open,Low,"
        f"user{n % 4}@acme.com,User {n % 4},Acme,2026-10-05 09:12,,"
        for n in range(20)
    ]
    files = {"file": ("tickets.csv", ("\n".join([header, *rows]) + "\n").encode(), "text/csv")}
    data = {"csrf_token": csrf, "source": "tickets", "encoding": "utf-8"}
    done = browser.post("/admin/imports", data=data, files=files, follow_redirects=False)
    assert done.status_code == 303, done.text
    session.expire_all()
    stored = dict(session.execute(select(Feedback.external_id, Feedback.contact_id)).all())
    assert len(stored) == 20
    contacts = dict(session.execute(select(Contact.email, Contact.id)).all())
    assert sorted(contacts) == [f"user{n}@acme.com" for n in range(4)]
    assert all(stored[f"FD-{n}"] == contacts[f"user{n % 4}@acme.com"] for n in range(20))
    assert sys.getswitchinterval() == interval


@pytest.mark.parametrize(
    ("source", "filename", "content"),
    [
        (
            "feedback",
            "comments.txt",
            "Exports time out on big boards\nI can't find the undo button\n",
        ),
        (
            "survey",
            "nps.csv",
            "score,comment\n3,Exports time out on big boards\n9,Love the roadmap\n",
        ),
    ],
)
def test_undated_items_take_the_date_given_on_the_page(
    database_url: str, session: Session, source: str, filename: str, content: str
) -> None:
    """The page's "Date for undated items" is the CLI's --occurred-at, for built-in kinds and
    connectors alike; a date that is not one is refused by name and nothing is written."""
    admin = create_user(session, role="admin")
    session.commit()
    browser = client(database_url)
    csrf = login(browser, admin.email)

    def upload(when: str) -> object:
        data = {"csrf_token": csrf, "source": source, "encoding": "utf-8", "occurred_at": when}
        files = {"file": (filename, content.encode(), "text/csv")}
        return browser.post("/admin/imports", data=data, files=files, follow_redirects=True)

    bad = upload("last Tuesday")
    assert bad.status_code == 422  # type: ignore[attr-defined]
    assert "Date for undated items: not a date" in bad.text  # type: ignore[attr-defined]
    assert _count(session, Feedback) == 0 and _count(session, ImportRun) == 0
    done = upload("2026-11-02")
    assert "had no date: dated 2026-11-02" in done.text  # type: ignore[attr-defined]
    # The page names its own field, not the command line's flag.
    assert "“Date for undated items” sets another" in done.text  # type: ignore[attr-defined]
    assert "--occurred-at" not in done.text  # type: ignore[attr-defined]
    # Every row read is counted on the run, evidence streamed in as it was written too.
    run = session.scalar(select(ImportRun))
    assert run is not None and run.rows_read == 2
    session.expire_all()
    items = session.scalars(select(Feedback)).all()
    assert len(items) == 2
    assert {item.occurred_at.date().isoformat() for item in items} == {"2026-11-02"}


def test_a_run_that_left_out_more_than_it_lists_says_so(
    database_url: str, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run keeps the first LEFT_OUT_KEPT items it left out; the page gives the exact count
    and says how to bring in the rest."""
    from huddle.imports import connected
    from tests.connectors.exports.scoring import CORPUS

    monkeypatch.setattr(connected, "LEFT_OUT_KEPT", 1)
    admin = create_user(session, role="admin")
    session.commit()
    browser = client(database_url)
    csrf = login(browser, admin.email)
    done = browser.post(
        "/admin/imports",
        data={"csrf_token": csrf, "source": "tickets", "encoding": "utf-8"},
        files={"file": ("report.csv", (CORPUS / "tickets" / "tk_report_rows.csv").read_bytes())},
        follow_redirects=True,
    )
    assert "2 left out" in done.text and "Left out as noise: 2" in done.text
    assert "1 more are not listed here" in done.text
    run = session.scalar(select(ImportRun).order_by(ImportRun.id.desc()))
    assert run is not None and len(run.left_out) == 1 and run.left_out_count == 2
    brought = browser.post(
        f"/admin/imports/{run.id}/left-out/0", data={"csrf_token": csrf}, follow_redirects=True
    )
    assert "1 left out" in brought.text and "1 more are not listed here" in brought.text
    session.expire_all()
    assert session.get(ImportRun, run.id).left_out_count == 1  # type: ignore[union-attr]


def test_a_calls_dry_run_counts_its_turns_not_rows(database_url: str, session: Session) -> None:
    """A call's rows are both sides' turns; the page says so ("from 5 turns"), where "5 rows"
    beside "would add 2" read as three lost."""
    admin = create_user(session, role="admin")
    session.commit()
    browser = client(database_url)
    csrf = login(browser, admin.email)
    call = (
        "Dana Lee (OurCo): How is the rollout going?\n"
        "Ingrid Holm (Acme Robotics): The sync creates duplicates whenever two people edit.\n"
        "Dana Lee (OurCo): Since when?\n"
        "Ingrid Holm (Acme Robotics): Since the upgrade. We need the sync to merge edits.\n"
        "Dana Lee (OurCo): Thanks, we'll look at it.\n"
    )
    data = {"csrf_token": csrf, "source": "transcript", "encoding": "utf-8", "dry_run": "on"}
    files = {"file": ("call.txt", call.encode(), "text/plain")}
    dry = browser.post("/admin/imports", data=data, files=files, follow_redirects=False)
    assert dry.status_code == 200
    assert "from 5 turns" in dry.text and "5 turns read" in dry.text


def test_past_runs_say_a_calls_count_is_of_turns(database_url: str, session: Session) -> None:
    """The Sources and Past runs tables count what each run read; a call's count is its turns
    (both sides'), said beside the number, a table's its rows."""
    admin = create_user(session, role="admin")
    session.commit()
    browser = client(database_url)
    csrf = login(browser, admin.email)
    call = (
        "Dana Lee (OurCo): How is the rollout going?\n"
        "Ingrid Holm (Acme Robotics): The sync creates duplicates whenever two people edit.\n"
        "Dana Lee (OurCo): Thanks, we'll look at it.\n"
    )
    data = {"csrf_token": csrf, "source": "transcript", "encoding": "utf-8"}
    files = {"file": ("call.txt", call.encode(), "text/plain")}
    page = browser.post("/admin/imports", data=data, files=files, follow_redirects=True)
    assert page.status_code == 200
    runs = page.text.split("<h2>Past runs</h2>")[1]
    assert re.search(r'<td class="num">3 <span class="muted small">turns</span></td>', runs)
    sources = page.text.split("<h2>Sources</h2>")[1].split("<h2>Past runs</h2>")[0]
    assert '3 <span class="muted small">turns</span>' in sources
    assert "Read</th>" in runs and ">Rows<" not in page.text
