"""A search by words finds words: punctuation separates them and is never a wildcard or a
full-text operator, whatever is typed (docs/search-by-words.md); the accounts list searches
names for the characters typed."""

from sqlalchemy.orm import Session

from tests.factories import create_account, create_feedback, create_user
from tests.helpers import bearer, client, login


def test_percent_and_underscore_are_neither_wildcards_nor_syntax(
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

    # Words, not characters: "50%" is the word 50 (or a word it starts), "user_id" the
    # words user and id in a row; a search of punctuation alone has no word to find.
    assert texts("50%") == [
        "The 50 seats we bought are not enough",
        "We churn if the price rises 50% at renewal",
    ]
    assert texts("50% renewal") == ["We churn if the price rises 50% at renewal"]
    assert texts("user_id") == ["Column user_id is missing from the export"]
    assert texts("%") == texts("_") == texts("\\") == []

    def accounts(q: str) -> list[str]:
        found = api.get("/api/v1/accounts", params={"q": q}, headers=headers).json()["items"]
        return sorted(item["name"] for item in found)

    assert accounts("snake_case") == ["Snake_Case Ltd"]
    assert accounts("%") == []
    # The pages search the same way: the inbox's words and the accounts list.
    browser = client(database_url)
    login(browser, pm.email)
    inbox = browser.get("/inbox", params={"q": "user_id", "match": "words"}).text
    assert "Column user_id is missing" in inbox and "userXid" not in inbox
    listing = browser.get("/accounts", params={"q": "snake_case"}).text
    assert "Snake_Case Ltd" in listing and "SnakeXCase Ltd" not in listing
    suggestions = browser.get("/accounts/suggest", params={"account_query": "_"}).text
    assert "Snake_Case Ltd" in suggestions and "Hundred Percent" not in suggestions


HOSTILE = [
    '"',
    '""',
    "'",
    "*",
    "-",
    ":",
    "^",
    "NEAR",
    "NEAR(export time, 2)",
    "export NEAR/2 time",
    '"export',
    'export"',
    "export*",
    "*export",
    "-export",
    "export -time",
    "text:export",
    "{text}: export",
    "export AND",
    "OR export",
    "NOT",
    "export & time | out",
    "!export",
    "export:*",
    "'export':* & !time <-> out",
    "(",
    "())(",
    "\\",
    "%_%",
    "'; DROP TABLE feedback; --",
    "\u202eexport",
    "\ufeff",
    "e\u0301",
    "\U0001f600 export",
    "x" * 400,
    " ".join(f"w{n}" for n in range(100)),
    "-" * 400,
]


def test_whatever_is_typed_is_answered_never_a_server_error(
    database_url: str, session: Session
) -> None:
    """Quotes, stars, NEAR, minus signs, colons: characters like any other, on every path
    a search by words takes (the API, the inbox by words, the inbox by meaning's literal
    hits), on SQLite and PostgreSQL alike."""
    pm = create_user(session, role="pm")
    create_feedback(session, text="Export time out: NEAR the end of the month (AND/OR)")
    headers = bearer(session, pm)
    api = client(database_url)
    browser = client(database_url)
    login(browser, pm.email)
    for typed in HOSTILE:
        answer = api.get("/api/v1/feedback", params={"q": typed}, headers=headers)
        assert answer.status_code == 200, (typed, answer.text)
        for match in ("words", "meaning"):
            page = browser.get("/inbox", params={"q": typed, "match": match})
            assert page.status_code == 200, (typed, match)
    # Operators are words like any other.
    found = api.get("/api/v1/feedback", params={"q": "near AND"}, headers=headers).json()
    assert [item["text"] for item in found["items"]] == [
        "Export time out: NEAR the end of the month (AND/OR)"
    ]
    found = api.get("/api/v1/feedback", params={"q": "-export"}, headers=headers).json()
    assert found["total"] == 1
