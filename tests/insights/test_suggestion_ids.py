"""A suggestion's id always opens that suggestion, or says what became of it."""

from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from huddle.insights.rediscovery import REPLACED_KEPT_DAYS
from huddle.kit.time import utcnow
from huddle.models import Theme
from tests.helpers import login
from tests.insights.workspace import CALENDAR, with_topics, workspace

BILLING = [
    "Let us pay the annual plan by bank transfer",
    "We need to pay invoices by SEPA direct debit",
    "Paying by credit card only is a problem for our finance team",
    "Can we get purchase order billing instead of card payments?",
    "Our procurement requires paying by wire transfer",
    "Please accept ACH payments for the subscription",
]


def test_an_old_id_never_opens_a_different_suggestion(database_url: str, session: Session) -> None:
    space = workspace(database_url, session)
    topics = with_topics(space)
    first = space.open_suggestions()
    export = space.suggestion_of(topics["export"])
    # Most of the export evidence goes to a problem; the two items left no longer make
    # that suggestion, so the rediscovery after the next import replaces it.
    problem = space.call("POST", "/api/v1/problems", {"title": "Exports lose data"})["id"]
    linked = sorted(topics["export"])[:4]
    space.call("POST", f"/api/v1/problems/{problem}/links", {"feedback_ids": linked})

    space.ingest(*CALENDAR)

    replaced = session.get(Theme, export)
    assert replaced is not None and replaced.status == "replaced"
    second = space.open_suggestions()
    assert min(set(second) - set(first)) > max(first)
    browser = space.api
    login(browser, space.admin.email)
    for theme_id, (label, members) in first.items():
        page = browser.get(f"/themes/{theme_id}", headers={"accept": "text/html"})
        assert page.status_code == 200
        if theme_id in second:
            # Carried on under its id: the same evidence, whatever the computed label says.
            assert len(second[theme_id][1] & members) > len(members) / 2
        else:
            assert f"<h1>{label} " in page.text and "This suggestion was" in page.text
    page = browser.get(f"/themes/{export}", headers={"accept": "text/html"}).text
    assert "was replaced by rediscovery" in page
    assert "4</td><td>linked to problem" in page and f'href="/problems/{problem}"' in page

    # A month later it is pruned; its id is not handed out again.
    session.execute(
        update(Theme)
        .where(Theme.id == export)
        .values(decided_at=utcnow() - timedelta(days=REPLACED_KEPT_DAYS + 1))
    )
    session.commit()
    space.ingest(*BILLING)
    assert session.get(Theme, export) is None
    gone = browser.get(f"/themes/{export}", headers={"accept": "text/html"})
    assert gone.status_code == 404 and "no longer kept" in gone.text
    third = space.open_suggestions()
    assert min(set(third) - set(second)) > max(second)
    every = session.scalars(select(Theme.id)).all()
    assert export not in every


def test_rediscovery_without_changes_keeps_every_suggestion_as_it_is(
    database_url: str, session: Session
) -> None:
    space = workspace(database_url, session)
    with_topics(space)
    before = space.open_suggestions()

    space.call("POST", "/api/v1/themes/discover")
    space.call("POST", "/api/v1/themes/discover")

    assert space.open_suggestions() == before
    statuses = session.scalars(select(Theme.status)).all()
    assert set(statuses) == {"open"}  # nothing replaced: the table does not grow


def test_an_accepted_suggestion_leads_to_its_problem_after_that_is_merged(
    database_url: str, session: Session
) -> None:
    space = workspace(database_url, session)
    topics = with_topics(space)
    sso = space.suggestion_of(topics["sso"])
    accepted = space.call("POST", f"/api/v1/themes/{sso}/accept", {"title": "SSO"})
    other = space.call("POST", "/api/v1/problems", {"title": "Single sign-on, all of it"})["id"]
    space.call("POST", f"/api/v1/problems/{accepted['problem_id']}/merge-into/{other}")

    browser = space.api
    login(browser, space.admin.email)
    page = browser.get(f"/themes/{sso}", headers={"accept": "text/html"}).text
    assert f"since merged into problem {other} “Single sign-on, all of it”" in page
    assert f'href="/problems/{other}"' in page
