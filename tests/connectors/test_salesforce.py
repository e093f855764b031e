"""Salesforce exports: accounts with ARR, owner and renewal; notes as evidence on them."""

from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from huddle.connectors.base import ConnectorOptions
from huddle.imports.undo import undo_import
from huddle.models import Account, Feedback
from tests.connectors.helpers import read_clean, refused, round_trip, run
from tests.factories import actor, create_user

ACCOUNTS = """Account ID,Account Name,Website,Type,ARR__c,Account Owner Email,Renewal_Date__c,Segment__c,Health__c,Pain_Points__c,Last Activity Date
0015g00000AcmeAAA,Acme Corp,https://www.acme.com,Customer - Direct,"$250,000",rep@example.com,2027-03-01,Enterprise,Red,"Month-end close takes three days because exports drop the cost centre.",2026-10-10
0015g00000GlobAAA,Globex,globex.io,Prospect,12k,Pat Jones,,SMB,Green,,
0015g00000InitAAA,Initech,initech.com,Technology Partner,80000,,2026-12-31,Mid-market,,,
"""
NOTES = """Id,ParentId,Title,Body,CreatedDate
0025g0000001,0015g00000AcmeAAA,QBR notes,"CFO asked again for SSO with Okta; without it they will not add the EU team.",2026-10-12T14:00:00.000Z
0025g0000002,0015g00000GlobAAA,Discovery,"They track renewals in a spreadsheet and want alerts 90 days out.",2026-10-13T09:00:00.000Z
"""


def test_accounts_then_notes(session: Session, tmp_path: Path) -> None:
    admin = actor(session, "admin")
    rep = create_user(session, role="contributor", team="sales", email="rep@example.com")
    accounts = tmp_path / "Account.csv"
    accounts.write_text(ACCOUNTS)
    round_trip(session, admin, "salesforce", accounts)
    acme = session.scalar(select(Account).where(Account.external_id == "0015g00000AcmeAAA"))
    assert acme is not None
    assert (acme.name, acme.domain, acme.arr_minor, acme.status, acme.at_risk) == (
        "Acme Corp",
        "acme.com",
        25_000_000,
        "customer",
        True,
    )
    assert acme.owner_id == rep.id and acme.renewal_date == date(2027, 3, 1)
    globex = session.scalar(select(Account).where(Account.name == "Globex"))
    assert globex is not None and globex.status == "prospect" and globex.owner_id is None
    initech = session.scalar(select(Account).where(Account.name == "Initech"))
    assert initech is not None and initech.status == "customer"  # a partner type leaves the default
    pain = session.scalar(select(Feedback).where(Feedback.account_id == acme.id))
    assert pain is not None and "cost centre" in pain.text and pain.source == "internal"
    assert pain.link_url == "https://login.salesforce.com/0015g00000AcmeAAA"
    notes = tmp_path / "Note.csv"
    notes.write_text(NOTES)
    report = run(
        session, admin, "salesforce", notes, mapping={"instance": "acme.my.salesforce.com"}
    )
    assert report.created == 2
    sso = session.scalar(select(Feedback).where(Feedback.external_id == "0025g0000001"))
    assert sso is not None and sso.account_id == acme.id and sso.title == "QBR notes"
    assert sso.link_url == "https://acme.my.salesforce.com/0025g0000001"


def test_bad_rows_and_unknown_parents(session: Session, tmp_path: Path) -> None:
    admin = actor(session, "admin")
    path = tmp_path / "Account.csv"
    path.write_text(ACCOUNTS.replace('"$250,000"', "lots").replace("2026-12-31", "31/31/2026"))
    errors = refused(session, admin, "salesforce", path).report.errors
    assert [(e.line, e.column) for e in errors] == [(2, "ARR__c"), (4, "Renewal_Date__c")]
    notes = tmp_path / "Note.csv"
    notes.write_text(NOTES)
    # Parents Huddle does not know no longer stop the import: the notes come in unattached,
    # the reference kept on them, and the report names the parents.
    report = run(session, admin, "salesforce", notes)
    assert report.unmatched_accounts == {"0015g00000AcmeAAA": 1, "0015g00000GlobAAA": 1}
    stored = session.scalars(select(Feedback).order_by(Feedback.external_id)).all()
    assert [(f.external_id, f.account_id, f.account_ref) for f in stored] == [
        ("0025g0000001", None, "0015g00000AcmeAAA"),
        ("0025g0000002", None, "0015g00000GlobAAA"),
    ]
    # An id names no company: --create-accounts makes no prospect of it.
    undo_import(session, import_id=report.import_id or 0, actor=admin)
    again = run(session, admin, "salesforce", notes, create_accounts=True)
    assert again.created_accounts == [] and len(again.unmatched_accounts) == 2


def test_arr_from_the_company_revenue_field_is_said(tmp_path: Path) -> None:
    """Salesforce's standard Annual Revenue is the company's own revenue: read as ARR only
    where no ARR column is there, and the summary says so; an ARR__c beside it is taken and
    nothing is said."""
    path = tmp_path / "Account.csv"
    options = ConnectorOptions()
    path.write_text(
        '"Id","Name","Website","AnnualRevenue"\n'
        '"0015e00000QRGA7AAA","Transportes Quiroga","quiroga.example","4200000000"\n'
    )
    mapped = read_clean("salesforce", path, ConnectorOptions(mapping={"AnnualRevenue": "arr"}))
    assert mapped.accounts[0].arr_minor == 420_000_000_000 and mapped.warnings == []
    read = read_clean("salesforce", path, options)
    assert read.accounts[0].arr_minor == 420_000_000_000
    assert [w.reason for w in read.warnings] == [
        "ARR was read from the annual revenue column, the CRM's field for the company's own "
        "revenue: if what each account pays you is in another column, import again with "
        "--map COLUMN=arr"
    ]
    path.write_text(
        '"Id","Name","Website","AnnualRevenue","ARR__c"\n'
        '"0015e00000QRGA7AAA","Transportes Quiroga","quiroga.example","4200000000","36000"\n'
    )
    read = read_clean("salesforce", path, options)
    assert read.accounts[0].arr_minor == 3_600_000 and read.warnings == []
