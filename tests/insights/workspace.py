"""Evidence brought in the way the product brings it: the ingest API, then the job runner,
which embeds it, matches it, flags duplicates and rediscovers suggestions by itself."""

from dataclasses import dataclass
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from huddle.jobs.runner import run_until_idle
from huddle.models import Theme
from huddle.models.theme import ThemeMember
from huddle.models.user import User
from tests.factories import create_user
from tests.helpers import bearer, client

TOPICS = {
    "sso": [
        "We need single sign-on with Okta before rollout",
        "IT requires SAML SSO for every tool we buy",
        "No Azure AD login is blocking our security review",
        "Please support SSO through Okta, our users hate another password",
        "Security says no to the tool until we get SAML single sign-on",
        "Can we log in with our Google Workspace SSO yet?",
    ],
    "export": [
        "The Excel export drops our custom fields",
        "CSV export breaks the date format every time",
        "Exported spreadsheets lose the currency column",
        "Export to Excel cuts off after ten thousand rows",
        "When I export the report to CSV the amounts are wrong",
        "Our accountant can't use the exported Excel file",
    ],
    "mobile": [
        "The mobile app logs me out before I can approve",
        "Approving invoices on my phone takes forever",
        "The iPhone app crashes when opening an attachment",
        "Approve button is hidden on the Android app",
        "Mobile approvals keep failing on the train",
        "The phone app is too slow to approve anything",
    ],
    "notifications": [
        "Too many email notifications, I get one for every comment",
        "Please let me turn off the daily digest emails",
        "Notification emails are flooding my inbox",
        "I want to mute notifications for projects I don't follow",
        "The email alerts are too noisy to be useful",
        "Can I get a weekly summary instead of constant notification emails?",
    ],
    "dashboard": [
        "The dashboard takes 20 seconds to load every morning",
        "Dashboard loading is painfully slow with many projects",
        "Charts on the dashboard spin forever before showing",
        "Our home dashboard times out for large workspaces",
        "The dashboard page is so slow the team stopped using it",
        "Opening the dashboard freezes the browser tab",
    ],
}
CALENDAR = [
    "Please sync deadlines to Google Calendar",
    "We need an Outlook calendar integration for due dates",
    "Calendar sync would help us track milestones",
    "Add due dates to my calendar automatically",
    "An iCal feed of deadlines would be great",
    "Integrate with our team calendar so launches show up",
]


@dataclass
class Workspace:
    url: str
    session: Session
    api: TestClient
    headers: dict[str, str]
    admin: User

    def ingest(self, *items: str | dict[str, Any]) -> dict[str, int]:
        """Push evidence and let the jobs run to the end; returns text -> feedback id."""
        batch = [item if isinstance(item, dict) else {"text": item} for item in items]
        response = self.api.post("/api/v1/ingest", json={"items": batch}, headers=self.headers)
        assert response.status_code == 200, response.text
        run_until_idle(self.url)
        self.session.expire_all()
        return {
            entry["text"]: outcome["id"]
            for entry, outcome in zip(batch, response.json()["items"], strict=True)
        }

    def call(self, method: str, path: str, body: object = None) -> Any:
        response = self.api.request(method, path, json=body, headers=self.headers)
        assert response.status_code < 400, response.text
        self.session.expire_all()
        return response.json() if response.content else None

    def open_suggestions(self) -> dict[int, tuple[str, frozenset[int]]]:
        """Every open suggestion: id -> (label, member ids)."""
        self.session.expire_all()
        found: dict[int, tuple[str, frozenset[int]]] = {}
        for theme in self.session.scalars(select(Theme).where(Theme.status == "open")):
            found[theme.id] = (theme.label, self.members(theme.id))
        return found

    def members(self, theme_id: int) -> frozenset[int]:
        statement = select(ThemeMember.feedback_id).where(ThemeMember.theme_id == theme_id)
        return frozenset(self.session.scalars(statement))

    def suggestion_of(self, ids: set[int]) -> int:
        """The open suggestion holding most of these items."""
        best = max(self.open_suggestions().items(), key=lambda kv: len(kv[1][1] & ids))
        assert len(best[1][1] & ids) > len(ids) // 2, (ids, self.open_suggestions())
        return best[0]


def workspace(url: str, session: Session) -> Workspace:
    # Discovery in the background acts for the first admin.
    admin = create_user(session, role="admin")
    return Workspace(url, session, client(url), bearer(session, admin), admin)


def with_topics(space: Workspace) -> dict[str, set[int]]:
    """All TOPICS imported at once; the job queued after the import groups them."""
    ids = space.ingest(*(text for texts in TOPICS.values() for text in texts))
    return {topic: {ids[text] for text in texts} for topic, texts in TOPICS.items()}
