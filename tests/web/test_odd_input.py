"""Odd input a fuzzer found in forms and uploads gets an answer a person can act on, never a
500: ids past 64 bits or in other scripts' digits, NUL characters, over-long fields."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from huddle.models import Account, Feedback, Problem, Theme
from tests.factories import create_feedback, create_problem, create_theme, create_user
from tests.helpers import client, login

TOO_BIG = str(2**64)


def test_forms_with_odd_ids_and_nul_characters(database_url: str, session: Session) -> None:
    pm = create_user(session, role="pm")
    problem = create_problem(session, title="Exports")
    other = create_theme(session, create_feedback(session), seed=1)
    theme = create_theme(session, create_feedback(session), seed=2)
    session.commit()
    browser = client(database_url)
    csrf = login(browser, pm.email)

    def post(path: str, **data: str) -> int:
        answer = browser.post(path, data={"csrf_token": csrf, **data}, follow_redirects=False)
        assert answer.status_code < 500, (path, data, answer.text[:300])
        return answer.status_code

    assert post(f"/problems/{problem.id}/unlink", feedback_id=TOO_BIG) == 303
    assert post(f"/problems/{problem.id}/merge", target_id="²") == 303
    assert post(f"/problems/{problem.id}/merge", target_id=TOO_BIG) == 303
    assert post(f"/problems/{problem.id}/edit", title="Exports", parent_id="²") == 303
    assert post(f"/themes/{theme.id}/merge", into_id=TOO_BIG) == 303
    assert post(f"/themes/{theme.id}/merge", into_id="٣") == 303
    assert post(f"/themes/{theme.id}/rename", label="Slow\x00 exports") == 303
    assert post(f"/themes/{other.id}/accept", title="Exports\x00 crawl") == 303
    session.expire_all()
    assert session.get(Problem, problem.id) is not None  # nothing merged, nothing lost
    renamed = session.get(Theme, theme.id)
    assert renamed is not None and renamed.label == "Slow exports"
    titles = set(session.scalars(select(Problem.title)))
    assert "Exports crawl" in titles


def test_uploads_with_over_long_or_nul_fields(database_url: str, session: Session) -> None:
    admin = create_user(session, role="admin")
    session.commit()
    browser = client(database_url)
    csrf = login(browser, admin.email)

    def upload(source: str, content: str) -> tuple[int, str]:
        answer = browser.post(
            "/admin/imports",
            data={"csrf_token": csrf, "source": source},
            files={"file": ("data.csv", content.encode(), "text/csv")},
            follow_redirects=True,
        )
        return answer.status_code, answer.text

    status, page = upload("accounts", "name,domain\n" + "N" * 250 + ",long.example\n")
    assert status == 422 and "longer than 200 characters" in page
    assert session.scalar(select(Account)) is None
    status, page = upload(
        "feedback", "text,date,source,title\nhel\x00lo,2026-10-01,call," + "T" * 400 + "\n"
    )
    assert status == 200, page[:500]
    item = session.scalar(select(Feedback))
    assert item is not None and item.text == "hello" and len(item.title or "") == 300
    status, page = upload(
        "tickets", "id,subject,description,created_at\n1," + "S" * 400 + ",Slow,2026-10-01\n"
    )
    assert status == 200, page[:500]
