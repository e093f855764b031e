"""What people decide about suggestions survives the rediscovery queued after every import."""

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from huddle.auth.actor import Actor
from huddle.db import session_scope
from huddle.insights import rediscovery, service
from huddle.insights.repository import InsightRepository, Vectors
from huddle.models import Feedback, Theme
from huddle.models.problem import FeedbackLink
from huddle.models.theme import ThemeRun
from huddle.models.user import User
from huddle.problems import service as problems
from tests.factories import create_problem, link
from tests.helpers import login
from tests.insights.workspace import CALENDAR, Workspace, with_topics, workspace


def _runs(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(ThemeRun)) or 0


def _curate(space: Workspace, topics: dict[str, set[int]]) -> dict[str, int]:
    """A PM shapes the suggestions: renames, merges, splits, takes an item out, rejects."""
    found = {topic: space.suggestion_of(ids) for topic, ids in topics.items()}
    space.call("POST", f"/api/v1/themes/{found['sso']}/rename", {"label": "No SSO with Okta"})
    space.call("POST", f"/api/v1/themes/{found['dashboard']}/merge", {"into_id": found["mobile"]})
    halves = space.call("POST", f"/api/v1/themes/{found['export']}/split")["theme_ids"]
    stray = min(space.members(found["notifications"]))
    space.call(
        "POST", f"/api/v1/themes/{found['notifications']}/reject-items", {"feedback_ids": [stray]}
    )
    return {**found, "half_a": halves[0], "half_b": halves[1], "stray": stray}


def test_decisions_survive_the_rediscovery_queued_after_an_import(
    database_url: str, session: Session
) -> None:
    space = workspace(database_url, session)
    topics = with_topics(space)
    assert _runs(session) == 1  # the import queued discovery by itself
    shaped = _curate(space, topics)
    before = space.open_suggestions()
    assert before[shaped["sso"]][0] == "No SSO with Okta"
    assert before[shaped["mobile"]][1] == frozenset(topics["mobile"] | topics["dashboard"])
    assert shaped["stray"] not in before[shaped["notifications"]][1]

    calendar = set(space.ingest(*CALENDAR).values())

    assert _runs(session) == 2
    after = space.open_suggestions()
    kept = ["sso", "mobile", "half_a", "half_b", "notifications"]
    assert {shaped[k]: after[shaped[k]] for k in kept} == {
        shaped[k]: before[shaped[k]] for k in kept
    }
    assert session.get(Theme, shaped["dashboard"]).status == "merged"  # type: ignore[union-attr]
    assert session.get(Theme, shaped["export"]).status == "split"  # type: ignore[union-attr]
    # The new evidence got a suggestion of its own; nothing is in two suggestions.
    assert space.suggestion_of(calendar) not in shaped.values()
    everywhere = [i for _, items in after.values() for i in items]
    assert len(everywhere) == len(set(everywhere))

    # Asking for a rediscovery by hand keeps them too, and the item taken out stays out.
    space.call("POST", "/api/v1/themes/discover")
    again = space.open_suggestions()
    assert {shaped[k]: again[shaped[k]] for k in kept} == {
        shaped[k]: before[shaped[k]] for k in kept
    }


def test_what_people_do_while_discovery_is_clustering_is_kept(
    database_url: str, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    space = workspace(database_url, session)
    topics = with_topics(space)
    sso = space.suggestion_of(topics["sso"])
    moved = min(topics["export"])
    problem = create_problem(session, title="Exports lose data")
    session.commit()
    clustering = rediscovery._group

    def meanwhile(repo: InsightRepository, free: Vectors) -> list[rediscovery.Group]:
        groups = clustering(repo, free)
        # A person acts, in their own transaction, while the clustering runs.
        with session_scope(database_url) as other:
            pm = Actor(user=other.get(User, space.admin.id))  # type: ignore[arg-type]
            service.rename(other, theme_id=sso, label="No SSO with Okta", actor=pm)
            problems.link_feedback(other, problem_id=problem.id, feedback_ids=[moved], actor=pm)
        return groups

    monkeypatch.setattr(rediscovery, "_group", meanwhile)
    with session_scope(database_url) as own:
        service.discover(own, actor=None)

    after = space.open_suggestions()
    assert after[sso] == ("No SSO with Okta", frozenset(topics["sso"]))
    everywhere = [i for _, items in after.values() for i in items]
    assert moved not in everywhere
    assert len(everywhere) == len(set(everywhere))


def test_a_rejected_grouping_is_not_suggested_again(database_url: str, session: Session) -> None:
    space = workspace(database_url, session)
    topics = with_topics(space)
    rejected = space.suggestion_of(topics["notifications"])
    space.call("POST", f"/api/v1/themes/{rejected}/reject")

    space.ingest(*CALENDAR, "Email notifications arrive twice for every mention")

    assert session.get(Theme, rejected).status == "rejected"  # type: ignore[union-attr]
    for _, items in space.open_suggestions().values():
        assert len(items & topics["notifications"]) <= 1


def test_new_evidence_that_clearly_belongs_joins_a_renamed_suggestion(
    database_url: str, session: Session
) -> None:
    space = workspace(database_url, session)
    topics = with_topics(space)
    sso = space.suggestion_of(topics["sso"])
    space.call("POST", f"/api/v1/themes/{sso}/rename", {"label": "No SSO with Okta"})
    taken_out = min(topics["sso"])
    space.call("POST", f"/api/v1/themes/{sso}/reject-items", {"feedback_ids": [taken_out]})

    new = space.ingest("Okta SAML single sign-on is a must for our security team", *CALENDAR)

    label, members = space.open_suggestions()[sso]
    assert label == "No SSO with Okta"
    assert members == frozenset(topics["sso"] - {taken_out} | {new[next(iter(new))]})


def test_linked_evidence_leaves_open_suggestions(database_url: str, session: Session) -> None:
    space = workspace(database_url, session)
    topics = with_topics(space)
    export = space.suggestion_of(topics["export"])
    problem = space.call("POST", "/api/v1/problems", {"title": "Exports lose data"})["id"]
    linked = sorted(topics["export"])[:2]
    space.call("POST", f"/api/v1/problems/{problem}/links", {"feedback_ids": linked})

    # At once, by the person's link, not only at the next rediscovery.
    assert space.members(export) == frozenset(topics["export"]) - set(linked)
    space.ingest(*CALENDAR)
    for _, items in space.open_suggestions().values():
        assert not items & set(linked)


def test_rediscovery_drops_settled_evidence_from_a_kept_suggestion(
    database_url: str, session: Session
) -> None:
    space = workspace(database_url, session)
    topics = with_topics(space)
    sso = space.suggestion_of(topics["sso"])
    space.call("POST", f"/api/v1/themes/{sso}/rename", {"label": "No SSO with Okta"})
    linked, merged = sorted(topics["sso"])[:2]
    # Written straight to the tables, as a path that does not know about suggestions would.
    link(session, session.get(Feedback, linked), create_problem(session))  # type: ignore[arg-type]
    session.execute(update(Feedback).where(Feedback.id == merged).values(duplicate_of_id=linked))
    session.commit()

    space.call("POST", "/api/v1/themes/discover")

    assert space.open_suggestions()[sso] == (
        "No SSO with Okta",
        frozenset(topics["sso"] - {linked, merged}),
    )


def test_a_shaped_suggestion_emptied_by_links_is_closed(
    database_url: str, session: Session
) -> None:
    space = workspace(database_url, session)
    topics = with_topics(space)
    sso = space.suggestion_of(topics["sso"])
    space.call("POST", f"/api/v1/themes/{sso}/rename", {"label": "No SSO with Okta"})
    problem = space.call("POST", "/api/v1/problems", {"title": "Single sign-on"})["id"]
    space.call("POST", f"/api/v1/problems/{problem}/links", {"feedback_ids": sorted(topics["sso"])})

    theme = session.get(Theme, sso)
    assert theme is not None and theme.status == "closed"
    browser = space.api
    login(browser, space.admin.email)
    page = browser.get(f"/themes/{sso}", headers={"accept": "text/html"})
    assert "was closed" in page.text and "Single sign-on" in page.text


def test_evidence_matched_to_a_problem_leaves_its_suggestion(
    database_url: str, session: Session
) -> None:
    space = workspace(database_url, session)
    topics = with_topics(space)
    accepted = space.call(
        "POST", f"/api/v1/themes/{space.suggestion_of(topics['sso'])}/accept", {"title": "SSO"}
    )
    export = space.suggestion_of(topics["export"])
    space.call("POST", f"/api/v1/themes/{export}/rename", {"label": "Exports lose data"})
    moved = min(topics["export"])
    # The integration re-sends one export item with new text: it is embedded again, and
    # matching links it to the SSO problem by itself.
    item = space.call("GET", f"/api/v1/feedback/{moved}")
    space.ingest(
        {
            "text": "Update: what we really need is SAML single sign-on with Okta",
            "external_id": item["external_id"],
        }
    )

    links = session.scalars(select(FeedbackLink).where(FeedbackLink.feedback_id == moved)).all()
    assert [link.problem_id for link in links] == [accepted["problem_id"]]
    assert space.open_suggestions()[export] == (
        "Exports lose data",
        frozenset(topics["export"] - {moved}),
    )
    assert all(moved not in items for _, items in space.open_suggestions().values())


def test_accepting_never_links_evidence_a_second_time(database_url: str, session: Session) -> None:
    space = workspace(database_url, session)
    topics = with_topics(space)
    mobile = space.suggestion_of(topics["mobile"])
    elsewhere = create_problem(session, title="Phone app login")
    taken = session.get(Theme, mobile).members[0].feedback  # type: ignore[union-attr]
    # Linked by another transaction while this suggestion was on screen.
    link(session, taken, elsewhere)
    session.commit()

    accepted = space.call("POST", f"/api/v1/themes/{mobile}/accept", {"title": "Mobile approvals"})

    assert (accepted["linked"], accepted["skipped"]) == (len(topics["mobile"]) - 1, 1)
    problems = session.scalars(
        select(FeedbackLink.problem_id).where(FeedbackLink.feedback_id == taken.id)
    ).all()
    assert problems == [elsewhere.id]


def test_a_stale_action_says_what_became_of_the_suggestion(
    database_url: str, session: Session
) -> None:
    space = workspace(database_url, session)
    topics = with_topics(space)
    source = space.suggestion_of(topics["dashboard"])
    target = space.suggestion_of(topics["mobile"])
    space.call("POST", f"/api/v1/themes/{source}/merge", {"into_id": target})

    response = space.api.post(
        f"/api/v1/themes/{source}/rename", json={"label": "Too late"}, headers=space.headers
    )
    assert response.status_code == 409
    assert response.json()["detail"].startswith(f"Suggestion {source} was merged")

    browser = space.api
    csrf = login(browser, space.admin.email)
    page = browser.post(
        f"/themes/{source}/accept",
        data={"title": "Too late", "csrf_token": csrf},
        headers={"accept": "text/html"},
    )
    assert page.status_code == 200
    assert f"/themes/{target}" in page.text and "was merged" in page.text
    theme = session.get(Theme, source)
    assert theme is not None
    successors = service.fate(session, theme=theme, actor=Actor(user=space.admin)).successors
    assert successors == [(target, space.open_suggestions()[target][0], "open")]


def test_more_free_evidence_than_a_run_clusters_is_sampled_and_the_rest_placed(
    database_url: str, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Beyond `CLUSTER_AT_MOST` free items a run clusters a seeded sample, places each other
    item in the group it clearly belongs to, and says how many it clustered (the run, the
    API); at or under it nothing is sampled."""
    monkeypatch.setattr(rediscovery, "CLUSTER_AT_MOST", 20)
    space = workspace(database_url, session)
    topics = with_topics(space)  # 30 items, five topics of six
    run = session.scalar(select(ThemeRun).order_by(ThemeRun.id.desc()).limit(1))
    assert run is not None and (run.items, run.clustered) == (30, 20)
    themed = set().union(*(members for _, members in space.open_suggestions().values()))
    # More items are in suggestions than were clustered: the others were placed.
    assert len(themed) > 20
    # A topic the sample holds enough of is one suggestion, its unsampled items placed in it.
    whole = [
        ids
        for ids in topics.values()
        if any(ids == members for _, members in space.open_suggestions().values())
    ]
    assert len(whole) >= 3, space.open_suggestions()
    listed = space.call("GET", "/api/v1/themes")
    assert listed["clustered"] == 20 and listed["unthemed"] == 30 - len(themed)
    # The same free evidence, the same sample: discovering again changes no grouping.
    before = space.open_suggestions()
    space.call("POST", "/api/v1/themes/discover")
    assert space.open_suggestions() == before

    monkeypatch.setattr(rediscovery, "CLUSTER_AT_MOST", 30)
    space.call("POST", "/api/v1/themes/discover")
    assert space.call("GET", "/api/v1/themes")["clustered"] is None
