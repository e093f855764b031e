"""Redirects stay on this site, and a generated password never travels in a URL."""

import re

import pytest
from sqlalchemy.orm import Session

from huddle.web.pages import local_path
from tests.factories import PASSWORD, create_feedback, create_problem, create_user
from tests.helpers import META_CSRF, client, login

ELSEWHERE = [
    "//evil.example",
    "//evil.example/inbox",
    "/\\evil.example",
    "/\\/evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/%2Fevil.example",
    "/%2F%2Fevil.example",
    "/%5Cevil.example",
    "/%252F%252Fevil.example",
    "/%09/evil.example",
    "https://evil.example",
    "javascript:alert(1)",
    "http:/evil.example",
    "evil.example",
    "",
]
HERE = ["/", "/inbox", "/inbox?q=50%25+off&page=2", "/problems/3#history", "/accounts?q=a%2Fb"]


@pytest.mark.parametrize("target", ELSEWHERE)
def test_a_target_off_this_site_falls_back(target: str) -> None:
    assert local_path(target, "/inbox") == "/inbox"


@pytest.mark.parametrize("target", HERE)
def test_a_path_on_this_site_is_kept(target: str) -> None:
    assert local_path(target) == target


def test_sign_in_and_inbox_link_only_go_to_local_paths(database_url: str, session: Session) -> None:
    pm = create_user(session, role="pm")
    problem = create_problem(session)
    item = create_feedback(session)
    session.commit()
    browser = client(database_url)
    page = browser.get("/login", params={"next": "/\\evil.example"})
    assert 'name="next" value="/"' in page.text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    signed_in = browser.post(
        "/login",
        data={
            "email": pm.email,
            "password": PASSWORD,
            "csrf_token": token,
            "next": "//evil.example",
        },
        follow_redirects=False,
    )
    assert signed_in.status_code == 303 and signed_in.headers["location"] == "/"
    csrf = META_CSRF.search(browser.get("/problems").text).group(1)  # type: ignore[union-attr]
    for target in ("//evil.example", "/\\evil.example", "/%2F%2Fevil.example"):
        linked = browser.post(
            "/inbox/link",
            data={"ids": str(item.id), "problem_id": "", "return_to": target, "csrf_token": csrf},
            follow_redirects=False,
        )
        assert linked.status_code == 303
        assert linked.headers["location"].startswith("/inbox?error="), linked.headers["location"]
    kept = browser.post(
        "/inbox/link",
        data={
            "ids": str(item.id),
            "problem_id": str(problem.id),
            "return_to": "/inbox?source=call",
            "csrf_token": csrf,
        },
        follow_redirects=False,
    )
    assert kept.headers["location"].startswith("/inbox?source=call&notice=Linked")


def test_signing_in_comes_back_to_the_page_asked_for(database_url: str) -> None:
    browser = client(database_url)
    asked = browser.get("/inbox?source=call&q=a%26b", follow_redirects=False)
    assert asked.status_code == 303
    assert asked.headers["location"] == "/login?next=%2Finbox%3Fsource%3Dcall%26q%3Da%2526b"
    page = browser.get(asked.headers["location"])
    assert 'name="next" value="/inbox?source=call&amp;q=a%26b"' in page.text


def test_a_generated_password_is_shown_on_the_answer_and_never_put_in_a_url(
    database_url: str, session: Session
) -> None:
    admin = create_user(session, role="admin")
    session.commit()
    browser = client(database_url)
    csrf = login(browser, admin.email)
    form = {"email": "new@example.com", "name": "New Rep", "role": "viewer", "csrf_token": csrf}
    answer = browser.post("/admin/users", data=form, follow_redirects=False)
    assert answer.status_code == 200 and "location" not in answer.headers
    assert answer.headers["cache-control"] == "no-store"
    password = re.search(r"Their password is <code>([^<]+)</code>", answer.text)
    assert password and len(password.group(1)) >= 12
    assert "Added new@example.com" in answer.text
    # It signs the new user in, and the users page never takes one from its address.
    assert login(client(database_url), "new@example.com", password.group(1))
    shown = browser.get("/admin/users", params={"password": "from-the-url"})
    assert "from-the-url" not in shown.text and "Their password is" not in shown.text
