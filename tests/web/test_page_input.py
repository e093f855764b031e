"""Pages answer odd input with a page, never a server error: ids past 64 bits, NUL characters,
a page number past any list, digits that are not ASCII."""

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from huddle.models import Feedback
from tests.factories import create_account, create_feedback, create_problem, create_user
from tests.helpers import client, login

HUGE = str(2**64)


def test_odd_input_on_pages_is_a_page_not_a_server_error(
    database_url: str, session: Session
) -> None:
    admin = create_user(session, role="admin")
    problem = create_problem(session, title="Exports time out")
    account = create_account(session, name="Acme")
    create_feedback(session, text="Exports time out at month end", account=account)
    session.commit()
    browser = client(database_url)
    csrf = login(browser, admin.email)
    nothing_there = [f"/problems/{HUGE}", f"/themes/{HUGE}", f"/accounts/{HUGE}"]
    for path in nothing_there:
        assert browser.get(path).status_code == 404, path
    shown = [
        ("/inbox", {"page": "9" * 21}),
        ("/inbox", {"account_id": HUGE}),
        ("/inbox", {"account_id": "²"}),
        ("/inbox", {"q": "time\x00out", "match": "words"}),
        ("/inbox", {"source": "call\x00", "segment": "a\x00", "team": "\x00"}),
        ("/inbox", {"until": "9999-12-31", "since": "0001-01-01"}),
        ("/accounts", {"page": "9" * 21, "q": "ac\x00me", "segment": "\x00"}),
        ("/accounts/suggest", {"account_query": "Ac\x00"}),
    ]
    for path, params in shown:
        response = browser.get(path, params=params)
        assert response.status_code == 200, f"{path} {params}: {response.status_code}"
    assert "Acme" in browser.get("/accounts/suggest", params={"account_query": "Ac\x00"}).text
    posted = [
        (f"/problems/{HUGE}/edit", {"title": "x"}, 404),
        (f"/admin/users/{HUGE}", {"role": "viewer"}, 404),
        (f"/admin/imports/{HUGE}/undo", {}, 404),
        ("/evidence", {"text": "They need SSO\x00", "source": "call"}, 422),
        ("/evidence", {"text": "They need SSO", "source": "call", "account_id": HUGE}, 422),
        ("/inbox/link", {"ids": HUGE, "problem_id": str(problem.id)}, 303),
        ("/inbox/link", {"ids": "1", "problem_id": HUGE}, 303),
    ]
    for path, form, status in posted:
        response = browser.post(path, data={**form, "csrf_token": csrf}, follow_redirects=False)
        assert response.status_code == status, f"{path} {form}: {response.status_code}"
    assert session.scalars(select(Feedback.text)).all() == ["Exports time out at month end"]


@pytest.mark.parametrize("value", ["1", "42", "9223372036854775807"])
def test_a_form_id_is_ascii_digits_in_64_bits(value: str) -> None:
    from huddle.web.pages import form_id

    assert form_id(value) == int(value)
    for bad in ("", "-1", "1.0", "²", "\u0661", "9223372036854775808", "1e3", " "):
        assert form_id(bad) is None, bad
