"""Undo is exact or refuses: whole-database snapshots before and after, not row counts."""

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from huddle.accounts.schemas import AccountUpdate
from huddle.accounts.service import update_account
from huddle.auth.actor import Actor
from huddle.errors import Conflict
from huddle.feedback.ingest import ingest
from huddle.feedback.schemas import IngestItem
from huddle.imports.service import import_file, import_with_connector
from huddle.imports.undo import UndoRefused, undo_import
from huddle.models import Account, Feedback
from huddle.problems import service as problems
from huddle.problems.schemas import ProblemCreate
from tests.factories import actor, create_user
from tests.snapshots import differences, snapshot

ACCOUNTS = """Company,Website,Segment,ARR,Renewal date,At risk,CRM Id
Acme Corp,acme.com,Enterprise,"$250,000",2027-03-01,yes,A-1
Globex,globex.io,SMB,12k,2027-06-01,no,A-2
"""
# The same accounts a month later: Acme renamed and grown, Globex untouched, one new.
ACCOUNTS_LATER = """Company,Website,Segment,ARR,Renewal date,At risk,CRM Id
Acme Corporation,acme.com,Enterprise,"$310,000",2028-03-01,no,A-1
Globex,globex.io,SMB,12k,2027-06-01,no,A-2
Initech,initech.com,Mid-market,80000,,,A-3
"""
TICKETS = """id,text,source,account,contact_email,date
T-1,Exports to Excel drop the cost centre column,ticket,A-1,jane@acme.com,2026-10-01
T-2,We need SSO with Okta before renewal,ticket,globex.io,,2026-10-02
"""
# The help desk export again: T-1 was re-worded by the customer, T-3 is new.
TICKETS_LATER = """id,text,source,account,contact_email,date
T-1,Exports to Excel drop the cost centre and the project columns,ticket,A-1,jane@acme.com,2026-10-01
T-2,We need SSO with Okta before renewal,ticket,globex.io,,2026-10-02
T-3,The dashboard takes 30 seconds to load,ticket,A-2,sam@globex.io,2026-10-05
"""


def _file(tmp_path: Path, name: str, content: str) -> Path:
    path = tmp_path / name
    path.write_text(content)
    return path


def _import(session: Session, admin: Actor, kind: str, path: Path) -> int:
    report = import_file(session, kind=kind, path=path, actor=admin)
    assert report.import_id is not None
    return report.import_id


def test_undoing_a_later_accounts_import_puts_the_old_values_back(
    database_url: str, session: Session, tmp_path: Path
) -> None:
    admin = actor(session, "admin")
    _import(session, admin, "accounts", _file(tmp_path, "a.csv", ACCOUNTS))
    before = snapshot(session)
    later = _import(session, admin, "accounts", _file(tmp_path, "b.csv", ACCOUNTS_LATER))
    acme = session.scalar(select(Account).where(Account.external_id == "A-1"))
    assert acme is not None and acme.name == "Acme Corporation"
    undone = undo_import(session, import_id=later, actor=admin)
    assert undone["accounts"] == 1 and undone["restored"] == 1
    session.expire_all()
    assert differences(before, snapshot(session)) == {}


def test_undoing_a_later_evidence_import_puts_the_replaced_text_back(
    database_url: str, session: Session, tmp_path: Path
) -> None:
    admin = actor(session, "admin")
    _import(session, admin, "accounts", _file(tmp_path, "a.csv", ACCOUNTS))
    _import(session, admin, "feedback", _file(tmp_path, "t1.csv", TICKETS))
    before = snapshot(session)
    later = _import(session, admin, "feedback", _file(tmp_path, "t2.csv", TICKETS_LATER))
    reworded = session.scalar(select(Feedback).where(Feedback.external_id == "T-1"))
    assert reworded is not None and "project columns" in reworded.text
    undo_import(session, import_id=later, actor=admin)
    session.expire_all()
    assert differences(before, snapshot(session)) == {}


def test_undoing_accounts_refuses_while_a_later_import_has_evidence_for_them(
    database_url: str, session: Session, tmp_path: Path
) -> None:
    """Today's bug: undoing the accounts cascaded into the tickets' contacts and detached
    the tickets from their accounts."""
    admin = actor(session, "admin")
    accounts = _import(session, admin, "accounts", _file(tmp_path, "a.csv", ACCOUNTS))
    tickets = _import(session, admin, "feedback", _file(tmp_path, "t1.csv", TICKETS))
    before = snapshot(session)
    with pytest.raises(UndoRefused) as refused:
        undo_import(session, import_id=accounts, actor=admin)
    assert f"evidence added by import {tickets}" in refused.value.message
    assert f"contacts added by import {tickets}" in refused.value.message
    assert differences(before, snapshot(session)) == {}
    # Undo in the other order works, and leaves nothing of either.
    undo_import(session, import_id=tickets, actor=admin)
    undo_import(session, import_id=accounts, actor=admin)
    empty = snapshot(session)
    assert not any(empty[t] for t in ("accounts", "contacts", "feedback", "account_keys"))


def test_undo_refuses_when_a_person_changed_what_the_import_wrote(
    database_url: str, session: Session, tmp_path: Path
) -> None:
    admin = actor(session, "admin")
    _import(session, admin, "accounts", _file(tmp_path, "a.csv", ACCOUNTS))
    later = _import(session, admin, "accounts", _file(tmp_path, "b.csv", ACCOUNTS_LATER))
    acme = session.scalar(select(Account).where(Account.external_id == "A-1"))
    initech = session.scalar(select(Account).where(Account.external_id == "A-3"))
    assert acme is not None and initech is not None
    # A person renames the account the import renamed: putting the old name back would
    # throw their name away.
    update_account(session, account_id=acme.id, data=AccountUpdate(name="ACME"), actor=admin)
    with pytest.raises(UndoRefused) as refused:
        undo_import(session, import_id=later, actor=admin)
    assert f"account {acme.id} was edited since (name)" in refused.value.message
    rename_back = AccountUpdate(name="Acme Corporation")
    update_account(session, account_id=acme.id, data=rename_back, actor=admin)
    # A person works on an account the import created: removing it would lose that.
    update_account(session, account_id=initech.id, data=AccountUpdate(plan="Growth"), actor=admin)
    with pytest.raises(UndoRefused) as refused:
        undo_import(session, import_id=later, actor=admin)
    assert f"account {initech.id} was updated by" in refused.value.message
    assert "was edited since" not in refused.value.message


def test_undo_keeps_a_persons_change_to_columns_the_import_did_not_touch(
    database_url: str, session: Session, tmp_path: Path
) -> None:
    admin = actor(session, "admin")
    _import(session, admin, "accounts", _file(tmp_path, "a.csv", ACCOUNTS))
    without_initech = "\n".join(ACCOUNTS_LATER.splitlines()[:3]) + "\n"
    later = _import(session, admin, "accounts", _file(tmp_path, "b.csv", without_initech))
    acme = session.scalar(select(Account).where(Account.external_id == "A-1"))
    assert acme is not None
    strategic = AccountUpdate(segment="Strategic")
    update_account(session, account_id=acme.id, data=strategic, actor=admin)
    undo_import(session, import_id=later, actor=admin)
    session.expire_all()
    acme = session.get(Account, acme.id)
    assert acme is not None
    assert (acme.name, acme.arr_minor, acme.segment) == ("Acme Corp", 25_000_000, "Strategic")


def test_undo_refuses_while_a_person_has_linked_the_evidence_then_is_exact(
    database_url: str, session: Session, tmp_path: Path
) -> None:
    admin = actor(session, "admin")
    pm = actor(session, "pm")
    _import(session, admin, "accounts", _file(tmp_path, "a.csv", ACCOUNTS))
    created = problems.create_problem(session, data=ProblemCreate(title="SSO with Okta"), actor=pm)
    before = snapshot(session)
    tickets = _import(session, admin, "feedback", _file(tmp_path, "t1.csv", TICKETS))
    item = session.scalar(select(Feedback).where(Feedback.external_id == "T-2"))
    assert item is not None
    problems.link_feedback(session, problem_id=created.id, feedback_ids=[item.id], actor=pm)
    with pytest.raises(UndoRefused) as refused:
        undo_import(session, import_id=tickets, actor=admin)
    assert f"evidence {item.id} was linked to problem {created.id} by a person" in (
        refused.value.message
    )
    problems.unlink_feedback(session, problem_id=created.id, feedback_ids=[item.id], actor=pm)
    undo_import(session, import_id=tickets, actor=admin)
    session.expire_all()
    assert differences(before, snapshot(session)) == {}
    with pytest.raises(Conflict):
        undo_import(session, import_id=tickets, actor=admin)


def test_undo_leaves_what_integrations_sent_alone(
    database_url: str, session: Session, tmp_path: Path
) -> None:
    """The same ticket id sent by an integration lives in its own namespace."""
    admin = actor(session, "admin")
    rep = Actor(user=create_user(session, role="contributor"))
    ingest(session, items=[IngestItem(text="Pushed by Zapier", external_id="T-1")], actor=rep)
    before = snapshot(session)
    unattached = TICKETS.replace(",A-1,", ",,").replace(",globex.io,", ",,")
    tickets = _import(session, admin, "feedback", _file(tmp_path, "t1.csv", unattached))
    undo_import(session, import_id=tickets, actor=admin)
    session.expire_all()
    assert differences(before, snapshot(session)) == {}


def test_undo_of_a_crm_import_after_a_csv_import_keeps_the_account_and_drops_its_new_key(
    database_url: str, session: Session, tmp_path: Path
) -> None:
    """A CRM export names Acme by its CRM id: the same account is found by domain, the CRM id
    is remembered as a key (no second Acme), and undo removes exactly that key."""
    admin = actor(session, "admin")
    _import(session, admin, "accounts", _file(tmp_path, "a.csv", ACCOUNTS))
    before = snapshot(session)
    crm = _file(
        tmp_path,
        "salesforce-accounts.csv",
        "Account ID,Account Name,Website,Type,Annual Revenue\n"
        "0015g00000AcmeAAA,Acme Corp,https://acme.com,Customer,250000\n",
    )
    report = import_with_connector(session, source="salesforce", path=crm, actor=admin)
    assert len(session.scalars(select(Account)).all()) == 2
    assert report.import_id is not None
    undo_import(session, import_id=report.import_id, actor=admin)
    session.expire_all()
    assert differences(before, snapshot(session)) == {}
