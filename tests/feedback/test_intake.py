"""One way in: the form, the feedback API, ingest and imports share validation, masking,
idempotency and follow-up jobs."""

from datetime import date
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from huddle.app import create_app
from huddle.imports.service import import_file, import_with_connector
from huddle.jobs.runner import run_until_idle
from huddle.models import Account, AccountKey, Contact, Feedback, Job
from huddle.models.enums import TokenScope
from tests.factories import actor, create_account, create_user
from tests.helpers import bearer, client, login


def _api(database_url: str) -> TestClient:
    return TestClient(create_app(database_url, run_jobs=False))


def _items(session: Session) -> list[Feedback]:
    session.expire_all()
    return list(session.scalars(select(Feedback).order_by(Feedback.id)))


def _queued_embeds(session: Session) -> set[int]:
    ids: set[int] = set()
    for job in session.scalars(select(Job).where(Job.task == "insights.embed_feedback")):
        ids.update(job.payload["ids"])
    return ids


def test_a_retried_ingest_without_id_or_date_is_stored_once(
    database_url: str, session: Session
) -> None:
    user = create_user(session, role="contributor")
    headers = bearer(session, user, TokenScope.ingest)
    api = _api(database_url)
    item = {"text": "Please add a dark mode", "account": "nobody.example"}
    first = api.post("/api/v1/ingest", json=item, headers=headers).json()
    second = api.post("/api/v1/ingest", json=item, headers=headers).json()
    assert first["items"][0]["status"] == "created"
    assert second["items"][0] == {"index": 0, "id": first["items"][0]["id"], "status": "unchanged"}
    stored = _items(session)
    assert len(stored) == 1
    # The unknown account did not refuse the item; its reference is kept for later.
    assert stored[0].account_id is None and stored[0].account_ref == "nobody.example"


def test_every_way_in_masks_text_title_and_contact_name_and_queues_embedding(
    database_url: str, session: Session, tmp_path: Path
) -> None:
    admin = actor(session, "admin")
    rep = create_user(session, role="contributor", team="sales")
    acme = create_account(session, name="Acme", domain="acme.com")
    session.commit()
    card = "4111 1111 1111 1111"
    # The form.
    browser = client(database_url)
    csrf = login(browser, rep.email)
    browser.post(
        "/evidence",
        data={
            "csrf_token": csrf,
            "text": f"Card {card} was charged twice, mail jo@acme.com",
            "source": "call",
            "account_id": str(acme.id),
        },
        follow_redirects=False,
    )
    # The feedback API.
    token = bearer(session, rep)
    _api(database_url).post(
        "/api/v1/feedback",
        json={"text": "Call me on +44 20 7946 0958", "title": f"card {card}", "source": "email"},
        headers=token,
    )
    # Ingest.
    _api(database_url).post(
        "/api/v1/ingest",
        json={
            "text": "Exports time out",
            "title": "From jo@acme.com",
            "contact_email": "jo@acme.com",
            "contact_name": "Jo (jo.private@gmail.com)",
        },
        headers=bearer(session, rep, TokenScope.ingest),
    )
    # A file.
    path = tmp_path / "f.csv"
    path.write_text(
        f'text,title,source,date\n"IBAN GB82 WEST 1234 5698 7654 32",{card},call,2026-10-01\n'
    )
    import_file(session, kind="feedback", path=path, actor=admin)
    session.commit()
    stored = _items(session)
    assert [s.channel for s in stored] == ["form", "api", "ingest", "import"]
    everything = " ".join(f"{s.text} {s.title or ''}" for s in stored)
    for secret in (card, "jo@acme.com", "+44 20 7946 0958", "GB82 WEST"):
        assert secret not in everything, secret
    contact = session.scalar(select(Contact).where(Contact.email == "jo@acme.com"))
    assert contact is not None and "gmail" not in (contact.name or "")
    assert _queued_embeds(session) == {s.id for s in stored}
    run_until_idle(database_url)
    assert all(s.embedding is not None for s in _items(session))


def test_an_integration_can_neither_overwrite_nor_probe_anothers_items(
    database_url: str, session: Session
) -> None:
    zapier = create_user(session, role="contributor")
    rogue = create_user(session, role="contributor")
    api = _api(database_url)
    mine = {"text": "Okta SSO is a must", "external_id": "crm-1", "origin": "crm"}
    created = api.post("/api/v1/ingest", json=mine, headers=bearer(session, zapier)).json()
    rogue_headers = bearer(session, rogue, TokenScope.ingest)
    overwrite = api.post(
        "/api/v1/ingest", json={**mine, "text": "nothing to see"}, headers=rogue_headers
    )
    unknown = api.post(
        "/api/v1/ingest",
        json={**mine, "external_id": "crm-never-sent", "text": "nothing to see"},
        headers=rogue_headers,
    )
    # The same answer whether the id exists elsewhere or not: a new item of its own.
    assert overwrite.status_code == unknown.status_code == 200
    assert overwrite.json()["items"][0]["status"] == unknown.json()["items"][0]["status"]
    assert overwrite.json()["items"][0]["id"] != created["items"][0]["id"]
    original = session.get(Feedback, created["items"][0]["id"])
    session.expire_all()
    assert original is not None and original.text == "Okta SSO is a must"
    # And PATCH of someone else's item stays refused for a contributor.
    patched = api.patch(
        f"/api/v1/feedback/{original.id}",
        json={"text": "nothing"},
        headers=bearer(session, rogue),
    )
    assert patched.status_code == 403


def test_the_feedback_api_is_idempotent_too(database_url: str, session: Session) -> None:
    rep = create_user(session, role="contributor")
    headers = bearer(session, rep)
    api = _api(database_url)
    body = {"text": "SAML please", "source": "call", "external_id": "n-1", "origin": "notes"}
    first = api.post("/api/v1/feedback", json=body, headers=headers)
    again = api.post("/api/v1/feedback", json=body, headers=headers)
    changed = api.post("/api/v1/feedback", json={**body, "text": "SAML with Okta"}, headers=headers)
    assert (first.status_code, again.status_code, changed.status_code) == (201, 200, 200)
    assert first.json()["id"] == again.json()["id"] == changed.json()["id"]
    assert len(_items(session)) == 1 and _items(session)[0].text == "SAML with Okta"


def test_evidence_sent_live_without_a_date_is_dated_when_sent_but_a_file_is_not(
    database_url: str, session: Session, tmp_path: Path
) -> None:
    """An item sent by the API, an ingest hook or the form without a date happened when it
    was sent: it counts in the trend. A file's row without a date happened some time
    before the import: it stays out until dated (`dated` false, shown by the API)."""
    admin = actor(session, "admin")
    rep = create_user(session, role="contributor")
    session.commit()
    api = _api(database_url)
    sent = api.post(
        "/api/v1/feedback",
        json={"text": "SAML please", "source": "call"},
        headers=bearer(session, rep),
    )
    hooked = api.post(
        "/api/v1/ingest",
        json={"text": "Dark mode for the mobile app"},
        headers=bearer(session, rep, TokenScope.ingest),
    )
    path = tmp_path / "comments.csv"
    path.write_text("text\nThe export is slow\n")
    import_file(session, kind="feedback", path=path, actor=admin)
    session.commit()
    headers = bearer(session, create_user(session, role="admin"))
    listed = api.get("/api/v1/feedback?limit=10", headers=headers).json()["items"]
    assert {i["text"]: i["dated"] for i in listed} == {
        "SAML please": True,
        "Dark mode for the mobile app": True,
        "The export is slow": False,
    }
    assert sent.json()["dated"] is True and hooked.status_code == 200


def test_the_form_sent_twice_is_one_item_but_another_day_is_another_mention(
    database_url: str, session: Session
) -> None:
    rep = create_user(session, role="contributor")
    session.commit()
    browser = client(database_url)
    csrf = login(browser, rep.email)
    form = {"csrf_token": csrf, "text": "Wants SSO", "source": "call", "occurred_on": "2026-10-01"}
    first = browser.post("/evidence", data=form)
    twice = browser.post("/evidence", data=form)
    browser.post("/evidence", data={**form, "occurred_on": "2026-10-08"})
    assert "Evidence added" in first.text and "Already there" in twice.text
    days = [item.occurred_at.date() for item in _items(session)]
    assert days == [date(2026, 10, 1), date(2026, 10, 8)]


def test_an_account_named_with_its_legal_form_is_the_account_named_without(
    database_url: str, session: Session, tmp_path: Path
) -> None:
    """A help desk writes "Hooli Cloud, Inc." where Huddle knows "Hooli Cloud" (round 7 of
    the labelled exports); a different name stays unknown."""
    admin = actor(session, "admin")
    hooli = create_account(session, name="Hooli Cloud")
    vandelay = create_account(session, name="Vandelay Imports")
    tickets = tmp_path / "tickets.csv"
    tickets.write_text(
        "Ticket ID,Subject,Description,Organization,Created at\n"
        '1,Export,The export times out,"Hooli Cloud, Inc.",2026-11-02\n'
        "2,Seats,We pay for seats nobody uses,Vandelay Imports LLC,2026-11-03\n"
        "3,Login,SSO asks twice,Hooli Clouds Ltd,2026-11-04\n"
    )
    report = import_with_connector(session, source="tickets", path=tickets, actor=admin)
    assert report.errors == [] and report.unmatched_accounts == {"Hooli Clouds Ltd": 1}
    attached = {f.external_id: f.account_id for f in _items(session)}
    assert attached == {"1": hooli.id, "2": vandelay.id, "3": None}


def test_accounts_match_by_id_then_domain_then_name_across_sources(
    database_url: str, session: Session, tmp_path: Path
) -> None:
    """A CRM export after a CSV import finds the same accounts (today: a second Acme)."""
    admin = actor(session, "admin")
    csv = tmp_path / "accounts.csv"
    csv.write_text("Company,Website,CRM Id\nAcme,acme.com,BILL-1\nGlobex,,\n")
    import_file(session, kind="accounts", path=csv, actor=admin)
    crm = tmp_path / "accounts-export.csv"
    crm.write_text(
        "Account ID,Account Name,Website,Type\n"
        "001A,Acme,https://acme.com,Customer\n"  # found by domain; keeps BILL-1, learns 001A
        "001G,globex,,Customer\n"  # found by name, case aside; learns its first id
    )
    report = import_with_connector(session, source="salesforce", path=crm, actor=admin)
    assert report.created == 0
    accounts = {a.name: a for a in session.scalars(select(Account))}
    assert set(accounts) == {"Acme", "Globex"}
    assert accounts["Acme"].external_id == "BILL-1"
    assert accounts["Globex"].external_id == "001G"
    assert session.scalars(select(AccountKey.external_id)).all() == ["001A"]
    # Notes that name Acme by its CRM id resolve to it.
    notes = tmp_path / "notes.csv"
    notes.write_text("Id,Body,Created Date,Account ID\nN-1,Wants SSO,2026-10-01,001A\n")
    import_with_connector(session, source="salesforce", path=notes, actor=admin)
    note = session.scalar(select(Feedback))
    assert note is not None and note.account_id == accounts["Acme"].id
    assert session.scalar(select(func.count()).select_from(Account)) == 2
