"""A problem's owner, followers and comments through the API, under the problem page's rules."""

from sqlalchemy.orm import Session

from huddle.models.enums import TokenScope
from huddle.models.user import User
from tests.factories import create_problem, create_user
from tests.helpers import bearer, client, login


def _person(user: User) -> dict[str, object]:
    return {"id": user.id, "name": user.name}


def _people(*users: User) -> list[dict[str, object]]:
    return [_person(user) for user in sorted(users, key=lambda user: user.id)]


def test_owner_and_followers(database_url: str, session: Session) -> None:
    pm = create_user(session, role="pm", name="Pat PM")
    other_pm = create_user(session, role="pm", name="Olu PM")
    rep = create_user(session, role="contributor", name="Rae Rep")
    viewer = create_user(session, role="viewer", name="Vic Viewer")
    problem = create_problem(session)
    as_pm, as_viewer = bearer(session, pm), bearer(session, viewer)
    api = client(database_url)
    path = f"/api/v1/problems/{problem.id}"

    assert api.get(f"{path}/people", headers=as_viewer).json() == {"owner": None, "followers": []}
    answer = api.put(f"{path}/owner", json={"user_id": pm.id}, headers=as_pm)
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"owner": _person(pm), "followers": []}
    for _ in range(2):  # following twice is following
        answer = api.put(f"{path}/following", headers=as_viewer)
        assert answer.status_code == 200, answer.text
    # A new owner: the former one keeps following.
    answer = api.put(f"{path}/owner", json={"user_id": other_pm.id}, headers=as_pm)
    assert answer.json() == {
        "owner": _person(other_pm),
        "followers": _people(pm, viewer),
    }
    refused = api.put(f"{path}/owner", json={"user_id": rep.id}, headers=as_pm)
    assert refused.status_code == 422
    assert refused.json() == {
        "detail": "the owner must be an active PM or admin",
        "field": "user_id",
    }
    # The owner who stops following stays the owner; a follower who stops is gone.
    api.delete(f"{path}/following", headers=bearer(session, other_pm))
    answer = api.delete(f"{path}/following", headers=as_viewer)
    assert answer.json() == {"owner": _person(other_pm), "followers": [_person(pm)]}
    answer = api.put(f"{path}/owner", json={"user_id": None}, headers=as_pm)
    assert answer.json() == {
        "owner": None,
        "followers": _people(pm, other_pm),
    }
    # The page shows what the API set.
    browser = client(database_url)
    login(browser, viewer.email)
    assert (
        '<b id="owner">nobody yet</b> · 2 followers' in browser.get(f"/problems/{problem.id}").text
    )


def test_comments(database_url: str, session: Session) -> None:
    rep = create_user(session, role="contributor", name="Rae Rep")
    viewer = create_user(session, role="viewer")
    problem = create_problem(session)
    as_rep, as_viewer = bearer(session, rep), bearer(session, viewer)
    api = client(database_url)
    path = f"/api/v1/problems/{problem.id}/comments"

    made = []
    for body in (" Seen at Acme too ", "And at Globex"):
        answer = api.post(path, json={"body": body}, headers=as_rep)
        assert answer.status_code == 201, answer.text
        made.append(answer.json())
    assert [(c["body"], c["author"], c["problem_id"]) for c in made] == [
        ("Seen at Acme too", _person(rep), problem.id),
        ("And at Globex", _person(rep), problem.id),
    ]
    assert api.get(path, headers=as_viewer).json() == made
    assert api.get(path, params={"limit": 1, "offset": 1}, headers=as_viewer).json() == made[1:]
    blank = api.post(path, json={"body": "   "}, headers=as_rep)
    assert blank.status_code == 422 and blank.json()["field"] == "body"
    assert api.post(path, json={"body": "hi"}, headers=as_viewer).status_code == 403
    assert api.get(path, headers=as_viewer).json() == made
    browser = client(database_url)
    login(browser, viewer.email)
    page = browser.get(f"/problems/{problem.id}").text
    assert "Seen at Acme too" in page and "And at Globex" in page


def test_an_ingest_token_may_not_comment_or_follow(database_url: str, session: Session) -> None:
    rep = create_user(session, role="contributor")
    problem = create_problem(session)
    ingest = bearer(session, rep, TokenScope.ingest)
    api = client(database_url)
    path = f"/api/v1/problems/{problem.id}"
    refused = api.post(f"{path}/comments", json={"body": "spam"}, headers=ingest)
    assert refused.status_code == 403
    assert (
        refused.json()["detail"] == "this token may only add evidence, not commenting on problems"
    )
    assert api.put(f"{path}/following", headers=ingest).status_code == 403
    assert api.get(f"{path}/comments", headers=ingest).status_code == 403
    assert api.get(f"{path}/comments", headers=bearer(session, rep)).json() == []


def test_a_missing_problem_is_a_404_everywhere(database_url: str, session: Session) -> None:
    admin = bearer(session, create_user(session, role="admin"))
    api = client(database_url)
    path = "/api/v1/problems/999999"
    answers = [
        api.get(f"{path}/people", headers=admin),
        api.put(f"{path}/owner", json={"user_id": None}, headers=admin),
        api.put(f"{path}/following", headers=admin),
        api.delete(f"{path}/following", headers=admin),
        api.get(f"{path}/comments", headers=admin),
        api.post(f"{path}/comments", json={"body": "x"}, headers=admin),
    ]
    assert [a.status_code for a in answers] == [404] * 6
    assert {a.json()["detail"] for a in answers} == {"no problem 999999"}
