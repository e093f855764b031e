"""Contributor impact: what each person's evidence led to, on their own page and for the
workspace."""

from sqlalchemy.orm import Session

from huddle.auth.actor import Actor
from huddle.notify import impact
from tests.helpers import client, login
from tests.notify.test_shipped import _ship, _workspace


def test_what_each_persons_evidence_led_to(database_url: str, session: Session) -> None:
    made = _workspace(session)
    _ship(session, made)
    rows = {r.user.name: r for r in impact.impact(session, actor=Actor(made["pm"]))}  # type: ignore[arg-type]
    rita, cal = rows["Rita Support"], rows["Cal Sales"]
    # Rita added three items on the SSO problem (from Acme, Globex, Umbrella); Cal two.
    assert (rita.items, rita.linked, len(rita.problems), len(rita.shipped)) == (3, 3, 1, 1)
    assert len(rita.accounts) == 3 and (cal.items, len(cal.accounts)) == (2, 2)
    assert list(rows) == ["Rita Support", "Cal Sales"]  # most evidence backing a problem first
    browser = client(database_url)
    login(browser, made["rita"].email)  # type: ignore[attr-defined]
    assert 'hx-get="/my/impact"' in browser.get("/my/evidence").text
    mine = browser.get("/my/impact").text
    assert 'id="my-impact"' in mine and "shipped solutions they fed" in mine
    board = browser.get("/contributors").text
    assert board.index("Rita Support") < board.index("Cal Sales")
