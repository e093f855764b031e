"""Evidence on its own page: what is known about it, its problems and history; edited by
PMs and by the person who added it; a passage of it linked as a quote."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from huddle.models import Feedback, FeedbackLink
from tests.factories import create_account, create_feedback, create_problem, create_user, link
from tests.helpers import client, login

TEXT = "Hi team. Exports to CSV time out on large reports. Otherwise we are happy."


def test_the_page_shows_the_item_its_problems_and_history(
    database_url: str, session: Session
) -> None:
    rep = create_user(session, role="contributor", name="Sam Rep")
    viewer = create_user(session, role="viewer")
    account = create_account(session, name="Initech")
    item = create_feedback(session, text=TEXT, account=account, submitter=rep)
    item.link_url = "https://support.example.com/tickets/42"
    item.sentiment, item.urgency = -0.4, 0.7
    problem = create_problem(session, title="Exports time out")
    link(session, item, problem, quote="Exports to CSV time out on large reports.")
    session.commit()
    browser = client(database_url)
    login(browser, viewer.email)
    page = browser.get(f"/evidence/{item.id}").text
    for expected in (
        TEXT,
        "Initech",
        "added by Sam Rep",
        'href="https://support.example.com/tickets/42"',
        "-0.40",
        "0.70",
        "Exports time out",
        "Exports to CSV time out on large reports.",
    ):
        assert expected in page, expected
    # A viewer reads; the forms are not offered.
    assert f"/evidence/{item.id}/edit" not in page and "link-quote" not in page
    assert browser.get("/evidence/999999").status_code == 404


def test_the_submitter_edits_their_own_and_no_one_elses(
    database_url: str, session: Session
) -> None:
    rep = create_user(session, role="contributor")
    other = create_user(session, role="contributor")
    mine = create_feedback(session, text="Slow exports", submitter=rep)
    theirs = create_feedback(session, text="Dark mode", submitter=other)
    session.commit()
    browser = client(database_url)
    csrf = login(browser, rep.email)
    assert "/edit" in browser.get(f"/evidence/{mine.id}").text
    saved = browser.post(
        f"/evidence/{mine.id}/edit",
        data={
            "csrf_token": csrf,
            "text": "Exports are slow",
            "title": "",
            "source": "email",
            "tags": "exports, speed",
        },
    )
    assert saved.status_code == 200 and "Saved" in saved.text
    refused = browser.post(
        f"/evidence/{theirs.id}/edit",
        data={"csrf_token": csrf, "text": "Hijacked", "source": "call"},
        follow_redirects=False,
    )
    assert refused.status_code == 403
    blank = browser.post(
        f"/evidence/{mine.id}/edit", data={"csrf_token": csrf, "text": "   ", "source": "call"}
    )
    assert "text" in blank.text and "Saved" not in blank.text
    session.expire_all()
    assert session.get(Feedback, mine.id).text == "Exports are slow"  # type: ignore[union-attr]
    assert session.get(Feedback, mine.id).tags == ["exports", "speed"]  # type: ignore[union-attr]
    assert session.get(Feedback, theirs.id).text == "Dark mode"  # type: ignore[union-attr]


def test_a_passage_is_linked_as_the_quote_and_only_a_passage(
    database_url: str, session: Session
) -> None:
    pm = create_user(session, role="pm")
    item = create_feedback(session, text=TEXT)
    problem = create_problem(session, title="Exports time out")
    session.commit()
    browser = client(database_url)
    csrf = login(browser, pm.email)
    wrong = browser.post(
        f"/evidence/{item.id}/link",
        data={"csrf_token": csrf, "problem_id": str(problem.id), "quote": "words never said"},
    )
    assert "passage of the evidence" in wrong.text
    done = browser.post(
        f"/evidence/{item.id}/link",
        data={
            "csrf_token": csrf,
            "problem_id": str(problem.id),
            "quote": " Exports to CSV time out ",
        },
    )
    assert "The passage is now evidence of “Exports time out”" in done.text
    again = browser.post(
        f"/evidence/{item.id}/link", data={"csrf_token": csrf, "problem_id": str(problem.id)}
    )
    assert "Already linked" in again.text
    quotes = session.scalars(select(FeedbackLink.quote).where(FeedbackLink.feedback_id == item.id))
    assert list(quotes) == ["Exports to CSV time out"]


def test_my_evidence_says_what_became_of_each_item(database_url: str, session: Session) -> None:
    rep = create_user(session, role="contributor")
    someone = create_user(session, role="contributor")
    backing = create_feedback(session, text="Exports crawl", submitter=rep)
    dismissed = create_feedback(session, text="Great product", submitter=rep)
    dismissed.dismissed_reason = "praise"
    create_feedback(session, text="Dark mode please", submitter=rep)
    create_feedback(session, text="Not mine", submitter=someone)
    problem = create_problem(session, title="Exports are slow")
    problem.status = "planned"
    link(session, backing, problem)
    session.commit()
    browser = client(database_url)
    login(browser, rep.email)
    page = browser.get("/my/evidence").text
    assert "3 items you added" in page and "Not mine" not in page
    assert f'backs <a href="/problems/{problem.id}">Exports are slow</a>' in page
    assert "planned" in page
    assert "dismissed as praise" in page
    assert (
        "waiting in the product team&#39;s inbox" in page
        or "waiting in the product team's inbox" in page
    )
