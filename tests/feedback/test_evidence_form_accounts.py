"""The add-evidence form cannot misfile: an exact name or domain resolves the account, a pick
is dropped when the text no longer shows it, an unknown name stops the form (and PMs may
create it), and future dates and blank text are refused in plain words."""

from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from huddle.models import Account, Feedback
from tests.factories import create_account, create_user
from tests.helpers import client, login


def _add(browser: object, csrf: str, **fields: str) -> object:
    data = {
        "csrf_token": csrf,
        "text": "They need SAML",
        "source": "call",
        "account_field": "shown",
        **fields,
    }
    return browser.post("/evidence", data=data)  # type: ignore[attr-defined]


def _filed(session: Session, text: str) -> int | None:
    session.expire_all()
    return session.scalar(select(Feedback.account_id).where(Feedback.text == text))


def test_typed_names_and_stale_picks(database_url: str, session: Session) -> None:
    rep = create_user(session, role="contributor")
    acme = create_account(session, name="Acme Widgets")
    acme.domain = "acme.example"
    globex = create_account(session, name="Globex")
    session.commit()
    browser = client(database_url)
    csrf = login(browser, rep.email)

    assert (
        _add(browser, csrf, text="typed in full", account_query="  acme   WIDGETS ").status_code
        == 200
    )
    assert _filed(session, "typed in full") == acme.id
    assert _add(browser, csrf, text="by domain", account_query="acme.example").status_code == 200
    assert _filed(session, "by domain") == acme.id
    # Picked Acme from the list, then typed Globex over it: Globex it is.
    _add(browser, csrf, text="changed my mind", account_id=str(acme.id), account_query="Globex")
    assert _filed(session, "changed my mind") == globex.id
    # Picked and left as shown.
    _add(browser, csrf, text="picked", account_id=str(acme.id), account_query="Acme Widgets")
    assert _filed(session, "picked") == acme.id
    # No text: no account, whatever was picked before.
    _add(browser, csrf, text="no account", account_id=str(acme.id), account_query="")
    assert _filed(session, "no account") is None


def test_an_unknown_name_stops_the_form_and_a_pm_may_create_it(
    database_url: str, session: Session
) -> None:
    rep = create_user(session, role="contributor")
    pm = create_user(session, role="pm")
    session.commit()
    browser = client(database_url)
    csrf = login(browser, rep.email)
    refused = _add(browser, csrf, text="for initech", account_query="Initech")
    assert refused.status_code == 422  # type: ignore[attr-defined]
    assert "No account is called “Initech”" in refused.text  # type: ignore[attr-defined]
    assert "create_account" not in refused.text  # type: ignore[attr-defined]
    assert _filed(session, "for initech") is None
    assert session.scalar(select(func.count()).select_from(Feedback)) == 0

    browser = client(database_url)
    csrf = login(browser, pm.email)
    offered = _add(browser, csrf, text="for initech", account_query="Initech")
    assert 'name="create_account"' in offered.text  # type: ignore[attr-defined]
    made = _add(browser, csrf, text="for initech", account_query="Initech", create_account="yes")
    assert made.status_code == 200  # type: ignore[attr-defined]
    account = session.scalar(select(Account).where(Account.name == "Initech"))
    assert account is not None and account.status == "prospect"
    assert _filed(session, "for initech") == account.id


def test_future_dates_and_blank_text_are_refused(database_url: str, session: Session) -> None:
    rep = create_user(session, role="contributor")
    session.commit()
    browser = client(database_url)
    csrf = login(browser, rep.email)
    tomorrow = (date.today() + timedelta(days=2)).isoformat()
    future = _add(browser, csrf, occurred_on=tomorrow)
    assert future.status_code == 422 and "has not come yet" in future.text  # type: ignore[attr-defined]
    blank = _add(browser, csrf, text="   ")
    assert blank.status_code == 422 and "The text is empty" in blank.text  # type: ignore[attr-defined]
    assert session.scalar(select(func.count()).select_from(Feedback)) == 0
