"""The people and integrations of the load benchmark, as locust users (bench/load.py runs it).

- **Person** (half the users): signs in through the login form, then reads pages — home,
  problems, a problem, the inbox, accounts, an account, a search of the inbox — as a PM does.
- **ApiReader** (a third): an integration or a script reading the API with a token.
- **Integration** (the rest): a connector pushing evidence to `POST /api/v1/ingest` with an
  ingest-scope token: mostly new items, some retries of the same item, one or a few at a time.

Every answer is checked: a person's page must be a 200 HTML page (not the login page), an
API answer a 200/201 with JSON. Anything else counts as a failure in the figures.

Settings come from the environment bench/load.py sets: HUDDLE_LOAD_EMAILS (comma separated),
HUDDLE_LOAD_PASSWORD, HUDDLE_LOAD_READ_TOKEN, HUDDLE_LOAD_INGEST_TOKEN, HUDDLE_LOAD_PROBLEMS,
HUDDLE_LOAD_ACCOUNTS (ids, comma separated), HUDDLE_LOAD_THINK (seconds between actions,
"low,high").
"""

import itertools
import os
import random
import re
import uuid

from locust import FastHttpUser, between, task

EMAILS = os.environ.get("HUDDLE_LOAD_EMAILS", "").split(",")
PASSWORD = os.environ.get("HUDDLE_LOAD_PASSWORD", "")
READ_TOKEN = os.environ.get("HUDDLE_LOAD_READ_TOKEN", "")
INGEST_TOKEN = os.environ.get("HUDDLE_LOAD_INGEST_TOKEN", "")
PROBLEMS = [int(x) for x in os.environ.get("HUDDLE_LOAD_PROBLEMS", "1").split(",") if x]
ACCOUNTS = [int(x) for x in os.environ.get("HUDDLE_LOAD_ACCOUNTS", "1").split(",") if x]
SOLUTIONS = [int(x) for x in os.environ.get("HUDDLE_LOAD_SOLUTIONS", "1").split(",") if x]
THINK = tuple(float(x) for x in os.environ.get("HUDDLE_LOAD_THINK", "1,5").split(","))
WORDS = [
    "export",
    "to",
    "csv",
    "times",
    "out",
    "on",
    "large",
    "workspaces,",
    "the",
    "admin",
    "page",
    "is",
    "slow,",
    "we",
    "need",
    "SAML",
    "single",
    "sign-on",
    "before",
    "security",
    "review,",
    "the",
    "mobile",
    "app",
    "logs",
    "us",
    "out",
    "every",
    "day,",
    "invoices",
    "show",
    "the",
    "wrong",
    "currency,",
    "bulk",
    "edit",
    "would",
    "save",
    "our",
    "team",
    "hours",
    "every",
    "week",
]
READ = {"Authorization": f"Bearer {READ_TOKEN}"}
INGEST = {"Authorization": f"Bearer {INGEST_TOKEN}"}
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
_people = itertools.cycle(EMAILS)


def _sentence() -> str:
    return " ".join(random.choices(WORDS, k=random.randint(8, 30)))


class Person(FastHttpUser):
    weight = 3
    wait_time = between(*THINK)

    def on_start(self) -> None:
        form = self.client.get("/login", name="/login")
        token = CSRF.search(form.text or "")
        with self.client.post(
            "/login",
            data={
                "email": next(_people),
                "password": PASSWORD,
                "csrf_token": token.group(1) if token else "",
                "next": "/",
            },
            name="/login [POST]",
            catch_response=True,
        ) as answer:
            if not any(cookie.name == "huddle_session" for cookie in self.client.cookiejar):
                answer.failure(f"not signed in ({answer.status_code})")

    def _page(self, path: str, name: str) -> None:
        with self.client.get(path, name=name, catch_response=True) as answer:
            if answer.status_code != 200 or 'name="password"' in (answer.text or ""):
                answer.failure(f"{answer.status_code} (or the sign-in page) at {path}")

    @task(3)
    def problems(self) -> None:
        self._page("/problems", "/problems")

    @task(3)
    def problem(self) -> None:
        self._page(f"/problems/{random.choice(PROBLEMS)}", "/problems/{id}")

    @task(2)
    def home(self) -> None:
        self._page("/", "/")

    @task(2)
    def inbox(self) -> None:
        self._page("/inbox", "/inbox")

    @task(1)
    def accounts(self) -> None:
        self._page("/accounts", "/accounts")

    @task(1)
    def account(self) -> None:
        self._page(f"/accounts/{random.choice(ACCOUNTS)}", "/accounts/{id}")

    @task(1)
    def search(self) -> None:
        word = random.choice(("export", "sso", "invoice", "mobile", "slow"))
        self._page(f"/inbox?q={word}", "/inbox?q=")

    @task(1)
    def roadmap(self) -> None:
        view = random.choice(("board", "timeline"))
        self._page(f"/roadmap?view={view}", "/roadmap")

    @task(1)
    def watch_list(self) -> None:
        self._page("/watch-list", "/watch-list")

    @task(1)
    def digest(self) -> None:
        self._page("/digests?audience=leadership", "/digests")

    @task(1)
    def launches(self) -> None:
        self._page("/launches", "/launches")

    @task(1)
    def launch(self) -> None:
        self._page(f"/solutions/{random.choice(SOLUTIONS)}/launch", "/solutions/{id}/launch")

    @task(1)
    def decisions(self) -> None:
        self._page("/decisions", "/decisions")


class ApiReader(FastHttpUser):
    weight = 2
    wait_time = between(*THINK)

    def _read(self, path: str, name: str) -> None:
        with self.client.get(path, name=name, headers=READ, catch_response=True) as answer:
            if answer.status_code != 200:
                answer.failure(f"{answer.status_code}: {answer.text[:200]}")

    @task(3)
    def problems(self) -> None:
        self._read("/api/v1/problems?limit=50", "/api/v1/problems")

    @task(2)
    def problem(self) -> None:
        self._read(f"/api/v1/problems/{random.choice(PROBLEMS)}", "/api/v1/problems/{id}")

    @task(3)
    def feedback(self) -> None:
        self._read(f"/api/v1/feedback?limit=50&offset={random.randint(0, 500)}", "/api/v1/feedback")

    @task(1)
    def accounts(self) -> None:
        self._read("/api/v1/accounts?limit=50", "/api/v1/accounts")

    @task(1)
    def roadmap(self) -> None:
        self._read("/api/v1/roadmap/sales", "/api/v1/roadmap/sales")

    @task(1)
    def watch_list(self) -> None:
        self._read("/api/v1/watch-list", "/api/v1/watch-list")


class Integration(FastHttpUser):
    weight = 1
    wait_time = between(*THINK)

    def on_start(self) -> None:
        self.sent: list[dict[str, object]] = []

    def _push(self, body: object, name: str) -> None:
        with self.client.post(
            "/api/v1/ingest", json=body, name=name, headers=INGEST, catch_response=True
        ) as a:
            if a.status_code not in (200, 201):
                a.failure(f"{a.status_code}: {a.text[:200]}")

    def _item(self) -> dict[str, object]:
        item: dict[str, object] = {
            "text": _sentence(),
            "origin": "loadtest",
            "external_id": uuid.uuid4().hex,
            "source": "ticket",
        }
        self.sent = [item, *self.sent[:20]]
        return item

    @task(4)
    def one(self) -> None:
        self._push(self._item(), "/api/v1/ingest (1 item)")

    @task(1)
    def batch(self) -> None:
        self._push({"items": [self._item() for _ in range(10)]}, "/api/v1/ingest (10 items)")

    @task(1)
    def retry(self) -> None:
        if self.sent:
            self._push(random.choice(self.sent), "/api/v1/ingest (retry)")
