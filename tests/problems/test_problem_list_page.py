"""The problem list: open problems by default, any figure's column sorts it, and each score
says where it stands among the problems listed."""

from sqlalchemy.orm import Session

from tests.factories import create_account, create_feedback, create_problem, create_user, link
from tests.helpers import client, login


def test_closed_problems_are_one_choice_away_and_columns_sort(
    database_url: str, session: Session
) -> None:
    viewer = create_user(session, role="viewer")
    rich = create_account(session, name="Rich", arr=900_000_00)
    loud, wide, done = (
        create_problem(session, title=t) for t in ("Loud problem", "Rich problem", "Done problem")
    )
    done.status = "solved"
    for n in range(4):
        link(session, create_feedback(session, text=f"loud {n}"), loud)
    link(session, create_feedback(session, text="rich", account=rich), wide)
    link(session, create_feedback(session, text="done"), done)
    session.commit()
    browser = client(database_url)
    login(browser, viewer.email)

    page = browser.get("/problems").text
    assert "Loud problem" in page and "Rich problem" in page and "Done problem" not in page
    assert "Done problem" in browser.get("/problems?status=all").text
    assert "Done problem" in browser.get("/problems?status=solved").text
    # Column headers are links that sort; the sorted one says so.
    assert 'href="/problems?sort=mentions"' in page and 'aria-sort="descending"' in page
    by_mentions = browser.get("/problems?sort=mentions").text
    assert by_mentions.index("Loud problem") < by_mentions.index("Rich problem")
    by_arr = browser.get("/problems?sort=arr").text
    assert by_arr.index("Rich problem") < by_arr.index("Loud problem")
    # Two problems listed: the first is in the top 50%, the second in the top 100%.
    assert "top 50%" in page and "top 100%" in page
    assert browser.get("/problems?status=bogus&sort=nope").status_code == 200
