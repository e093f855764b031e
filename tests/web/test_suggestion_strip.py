"""The inbox's strip of suggested problems: counted by the database, a handful open, the
rest folded and fetched when opened, one searchable list of merge targets."""

import re

import pytest
from sqlalchemy.orm import Session

import huddle.feedback.views as inbox_views
from huddle.models import Theme
from tests.factories import create_account, create_feedback, create_theme, create_user
from tests.helpers import client, login


def test_figures_and_quotes_come_from_the_members(database_url: str, session: Session) -> None:
    pm = create_user(session, role="pm")
    big = create_account(session, name="Big Co", arr=500_000_00)
    gone = create_account(session, name="Gone Co", arr=900_000_00)
    gone.status = "churned"
    items = [
        create_feedback(session, text=f"Exports fail for Big Co, run {n}", account=big)
        for n in range(3)
    ]
    items.append(create_feedback(session, text="Exports fail here too", account=gone))
    wide = create_theme(session, *items, size=6, seed=1)
    wide.label = "Exports fail"
    narrow = create_theme(session, create_feedback(session, text="Dark mode please"), size=2)
    narrow.label = "Dark mode"
    session.commit()
    browser = client(database_url)
    login(browser, pm.email)

    page = browser.get("/inbox").text
    card = page[page.index(f'data-theme-id="{wide.id}"') :]
    card = card[: card.index("</details>")]
    # Two accounts; the churned one's ARR is not at stake.
    assert "6 items · 2 accounts · $500k ARR" in card
    # Representatives first, then the most confident; four at most.
    assert card.count("<li>") == 4
    assert "Exports are slow, case" not in card  # the two least confident are left out
    assert "Exports fail for Big Co, run 0" in card and "Exports fail for Big Co, run 1" in card
    # The broadest suggestion comes first; one list of targets serves them all.
    assert page.index(f'data-theme-id="{wide.id}"') < page.index(f'data-theme-id="{narrow.id}"')
    assert page.count('<datalist id="theme-targets"') == 1
    assert re.search(r'<option value="Dark mode \(#\d+\)">', page)


def test_folded_suggestions_are_fetched_when_opened(
    database_url: str, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(inbox_views, "EXPANDED_SUGGESTIONS", 1)
    pm = create_user(session, role="pm")
    themes = [create_theme(session, size=5 - n, seed=n) for n in range(3)]
    session.commit()
    browser = client(database_url)
    login(browser, pm.email)
    page = browser.get("/inbox").text
    assert page.count("<details") == 3
    assert page.count('<details class="card theme" data-theme-id') == 3
    assert page.count(" open>") == 1
    assert page.count('hx-get="/themes/') == 2
    assert page.count("Accept as problem") == 1
    folded = themes[2]
    fragment = browser.get(f"/themes/{folded.id}/card")
    assert fragment.status_code == 200
    assert "Accept as problem" in fragment.text and "<html" not in fragment.text
    assert f'action="/themes/{folded.id}/merge"' in fragment.text
    folded.status = "rejected"
    session.commit()
    assert browser.get(f"/themes/{folded.id}/card").status_code == 404


def test_merge_picker_takes_what_the_list_offers_or_a_label(
    database_url: str, session: Session
) -> None:
    pm = create_user(session, role="pm")
    source, by_offer, by_label, other = (create_theme(session, seed=n) for n in range(4))
    by_label.label = "SAML single sign-on"
    session.commit()
    browser = client(database_url)
    csrf = login(browser, pm.email)

    def merge(theme: Theme, typed: str) -> str:
        answer = browser.post(
            f"/themes/{theme.id}/merge", data={"csrf_token": csrf, "into_id": typed}
        )
        assert answer.status_code == 200
        return answer.text

    assert "Choose the suggestion to merge into" in merge(source, "no such thing")
    assert "Merged into" in merge(source, f"slow exports (#{by_offer.id})")
    assert "Merged into “SAML single sign-on”" in merge(other, "  saml SINGLE sign-on ")
    session.expire_all()
    assert session.get(Theme, source.id).status == "merged"  # type: ignore[union-attr]
    assert session.get(Theme, other.id).status == "merged"  # type: ignore[union-attr]
