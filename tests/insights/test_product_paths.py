"""Search by meaning and duplicate flagging, through the routes and the jobs users run."""

from sqlalchemy.orm import Session

from huddle.models import Feedback
from tests.factories import create_account, create_feedback
from tests.helpers import login
from tests.insights.workspace import workspace

SIGN_ON = "the sign-on page keeps bouncing me"
LOCKED_OUT = "I can't log in after resetting my password"
UNRELATED = [
    "Please add dark mode",
    "Invoices should show the VAT number",
    "The CSV export is missing columns",
    "Mobile app crashes on startup",
    "Too many notification emails",
]


def test_search_by_meaning_finds_what_no_word_matches(database_url: str, session: Session) -> None:
    space = workspace(database_url, session)
    ids = space.ingest(*UNRELATED, SIGN_ON, LOCKED_OUT)

    hits = space.call("GET", "/api/v1/search?q=users can't log in")
    # The same words first, then the paraphrase sharing none; nothing unrelated comes close.
    assert [hit["feedback_id"] for hit in hits] == [ids[LOCKED_OUT], ids[SIGN_ON]]
    assert hits[0]["similarity"] > hits[1]["similarity"]

    browser = space.api
    login(browser, space.admin.email)
    html = {"accept": "text/html"}
    page = browser.get("/inbox?q=users can't log in&match=meaning", headers=html).text
    assert 0 < page.index("after resetting my password") < page.index(SIGN_ON)
    assert not [text for text in UNRELATED if text in page]
    words = browser.get("/inbox?q=users can't log in&match=words", headers=html).text
    assert SIGN_ON not in words
    # An item still waiting for its vector is found by its very words; once embedded, by
    # its meaning (the words alone are not looked up among a million embedded texts).
    waiting = create_feedback(session, text="Quarterly reconciliation of card spend fails")
    session.commit()
    page = browser.get(
        "/inbox?q=quarterly reconciliation of card spend&match=meaning", headers=html
    ).text
    assert f'data-id="{waiting.id}"' in page or waiting.text in page


def test_the_embedding_job_flags_copies_from_the_same_customer_only(
    database_url: str, session: Session
) -> None:
    space = workspace(database_url, session)
    create_account(session, name="Acme", domain="acme.com")
    create_account(session, name="Globex", domain="globex.com")
    session.commit()
    export = "The CSV export drops the cost centre column"
    crash = "The app crashes when I open the settings page"
    dark = "Dark mode would make late shifts easier on the eyes"
    first = space.ingest(
        {"text": export, "account": "Acme"},
        {"text": crash},
        {"text": dark, "contact_email": "pat@example.org"},
    )

    later = space.ingest(
        {"text": f"Re: {export}", "account": "Acme"},
        {"text": f"{export}!", "account": "Globex"},
        {"text": f"{crash}!"},
        {"text": f"{dark}.", "contact_email": "pat@example.org"},
    )

    flagged = {
        text: session.get(Feedback, feedback_id).duplicate_candidate_id  # type: ignore[union-attr]
        for text, feedback_id in later.items()
    }
    assert flagged == {
        f"Re: {export}": first[export],  # the same account, a month apart at most
        f"{export}!": None,  # another customer saying the same: corroboration
        f"{crash}!": None,  # two people without an account: nothing says they are one
        f"{dark}.": first[dark],  # no account, but the same contact
    }
