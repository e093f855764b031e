"""A search for words finds those characters: `%` and `_` are not wildcards."""

from sqlalchemy.orm import Session

from tests.factories import create_account, create_feedback, create_user
from tests.helpers import bearer, client, login


def test_percent_and_underscore_are_searched_for_as_written(
    database_url: str, session: Session
) -> None:
    pm = create_user(session, role="pm")
    create_feedback(session, text="We churn if the price rises 50% at renewal")
    create_feedback(session, text="The 50 seats we bought are not enough")
    create_feedback(session, text="Column user_id is missing from the export")
    create_feedback(session, text="The userXid column is fine")
    create_account(session, name="Snake_Case Ltd", domain="snake-case.example")
    create_account(session, name="SnakeXCase Ltd", domain="snakexcase.example")
    create_account(session, name="Hundred Percent Inc", domain="pct.example")
    headers = bearer(session, pm)
    api = client(database_url)

    def texts(q: str) -> list[str]:
        found = api.get("/api/v1/feedback", params={"q": q}, headers=headers).json()["items"]
        return sorted(item["text"] for item in found)

    assert texts("50%") == ["We churn if the price rises 50% at renewal"]
    assert texts("user_id") == ["Column user_id is missing from the export"]
    assert texts("%") == ["We churn if the price rises 50% at renewal"]
    assert texts("\\") == []

    def accounts(q: str) -> list[str]:
        found = api.get("/api/v1/accounts", params={"q": q}, headers=headers).json()["items"]
        return sorted(item["name"] for item in found)

    assert accounts("snake_case") == ["Snake_Case Ltd"]
    assert accounts("%") == []
    # The pages search the same way: the inbox's exact words and the accounts list.
    browser = client(database_url)
    login(browser, pm.email)
    inbox = browser.get("/inbox", params={"q": "user_id", "match": "words"}).text
    assert "Column user_id is missing" in inbox and "userXid" not in inbox
    listing = browser.get("/accounts", params={"q": "snake_case"}).text
    assert "Snake_Case Ltd" in listing and "SnakeXCase Ltd" not in listing
    suggestions = browser.get("/accounts/suggest", params={"account_query": "_"}).text
    assert "Snake_Case Ltd" in suggestions and "Hundred Percent" not in suggestions
