"""Delivery links: a solution's tickets in Jira, Linear and GitHub, by URL, whose status
comes in from each tool's own webhook payloads, signed with the tool's secret; a delivery
taken once is not taken again (replays are ignored). A solution whose tickets are all done
is flagged ready for its launch gate. And after launch: whether the problems it addressed
are mentioned less.

Signatures, as each tool documents them:
- GitHub: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>`; delivery id in
  `X-GitHub-Delivery`; event in `X-GitHub-Event` (`issues`, `pull_request`).
- Linear: `Linear-Signature: <hex HMAC-SHA256 of the body>`; delivery id in
  `Linear-Delivery`; `webhookTimestamp` (ms) in the body, refused when over a minute old.
- Jira Cloud (admin webhooks with a secret): `X-Hub-Signature: sha256=<hex …>`; delivery id
  in `X-Atlassian-Webhook-Identifier`.
"""

import csv
import hashlib
import hmac
import io
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from huddle.activity import record
from huddle.auth.actor import Actor
from huddle.auth.policies import may_plan, may_read, require
from huddle.config import get_settings
from huddle.errors import Conflict, Invalid, NotAuthenticated, NotFound, NotPermitted
from huddle.kit.time import utcnow
from huddle.launch.repository import LaunchRepository
from huddle.models.feedback import Feedback
from huddle.models.launch import DeliveryLink, HookDelivery
from huddle.models.problem import FeedbackLink
from huddle.models.solution import Solution, SolutionProblem

TOOLS = ("jira", "linear", "github")
LINEAR_MAX_AGE = timedelta(seconds=60)
_GITHUB = re.compile(r"^/([\w.-]+)/([\w.-]+)/(issues|pull)/(\d+)/?$")
_LINEAR = re.compile(r"^/[\w.-]+/issue/([A-Za-z][A-Za-z0-9]*-\d+)(/.*)?$")
_JIRA_KEY = re.compile(r"^[A-Z][A-Z0-9_]+-\d+$")


def parse_ticket(url: str) -> tuple[str, str]:
    """(tool, key) of a ticket's URL: GitHub `owner/repo#123`, Linear and Jira `KEY-123`."""
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise Invalid("url: a ticket's web address (https://…)", field="url")
    host = parts.netloc.lower()
    if host in ("github.com", "www.github.com"):
        found = _GITHUB.match(parts.path)
        if found:
            return "github", f"{found[1].lower()}/{found[2].lower()}#{found[4]}"
    elif host == "linear.app":
        found = _LINEAR.match(parts.path)
        if found:
            return "linear", found[1].upper()
    else:
        if "/browse/" in parts.path:
            key = parts.path.split("/browse/", 1)[1].strip("/").upper()
            if _JIRA_KEY.match(key):
                return "jira", key
        selected = parse_qs(parts.query).get("selectedIssue", [""])[0].upper()
        if _JIRA_KEY.match(selected):
            return "jira", selected
    raise Invalid(
        "url: not a ticket of Jira (…/browse/KEY-1), Linear (linear.app/…/issue/KEY-1) or "
        "GitHub (github.com/owner/repo/issues/1 or /pull/1)",
        field="url",
    )


@dataclass(frozen=True)
class Links:
    links: list[DeliveryLink]

    @property
    def all_done(self) -> bool:
        """Ready for the launch gate: it has tickets, and every one is done."""
        return bool(self.links) and all(link.done for link in self.links)


def _solution(session: Session, actor: Actor, solution_id: int) -> Solution:
    found = LaunchRepository(session).solution(actor, solution_id)
    if found is None:
        raise NotFound(f"no solution {solution_id}")
    return found


def links(session: Session, *, solution_id: int, actor: Actor) -> Links:
    _solution(session, actor, solution_id)
    statement = (
        select(DeliveryLink)
        .where(DeliveryLink.solution_id == solution_id)
        .order_by(DeliveryLink.id)
    )
    return Links(list(session.scalars(statement)))


def add_link(session: Session, *, solution_id: int, url: str, actor: Actor) -> DeliveryLink:
    require(may_plan(actor))
    solution = _solution(session, actor, solution_id)
    if len(url) > 500:
        raise Invalid("url: at most 500 characters", field="url")
    tool, key = parse_ticket(url)
    clean = url.strip()
    taken = session.scalar(
        select(DeliveryLink.id).where(
            DeliveryLink.solution_id == solution.id, DeliveryLink.url == clean
        )
    )
    if taken is not None:
        raise Conflict(f"url: {key} is linked already", field="url")
    link = DeliveryLink(solution_id=solution.id, tool=tool, url=clean, key=key)
    session.add(link)
    session.flush()
    record(session, actor, "delivery.linked", solution, f"Linked {tool} {key}")
    return link


def remove_link(session: Session, *, link_id: int, actor: Actor) -> int:
    require(may_plan(actor))
    link = session.get(DeliveryLink, link_id)
    if link is None:
        raise NotFound(f"no delivery link {link_id}")
    require(may_read(actor))
    solution_id = link.solution_id
    session.delete(link)
    session.flush()
    return solution_id


# -- the tools' webhooks ---------------------------------------------------------------------


@dataclass(frozen=True)
class Update:
    key: str
    status: str
    done: bool


@dataclass(frozen=True)
class Receipt:
    outcome: str  # applied, replay
    links_changed: int


def _header(headers: Mapping[str, str], name: str) -> str:
    return headers.get(name) or headers.get(name.lower()) or ""


def _verify(tool: str, secret: str, headers: Mapping[str, str], body: bytes) -> None:
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    if tool == "github":
        sent, expected = _header(headers, "X-Hub-Signature-256"), f"sha256={digest}"
    elif tool == "jira":
        sent, expected = _header(headers, "X-Hub-Signature"), f"sha256={digest}"
    else:
        sent, expected = _header(headers, "Linear-Signature"), digest
    if not sent or not hmac.compare_digest(sent.strip(), expected):
        raise NotAuthenticated(f"the {tool} signature does not match this body and secret")


def _delivery_id(tool: str, headers: Mapping[str, str]) -> str:
    name = {
        "github": "X-GitHub-Delivery",
        "linear": "Linear-Delivery",
        "jira": "X-Atlassian-Webhook-Identifier",
    }[tool]
    found = _header(headers, name).strip()
    if not found or len(found) > 200:
        raise Invalid(f"{name}: the header naming this delivery is missing", field=name)
    return found


def _updates(tool: str, headers: Mapping[str, str], payload: dict[str, Any]) -> list[Update]:
    if tool == "github":
        event = _header(headers, "X-GitHub-Event")
        repo = str((payload.get("repository") or {}).get("full_name", "")).lower()
        if event == "issues" and isinstance(payload.get("issue"), dict):
            issue = payload["issue"]
            state = str(issue.get("state", ""))
            reason = str(issue.get("state_reason") or "")
            done = state == "closed" and reason != "not_planned"
            status = f"{state} ({reason})" if reason else state
            return [Update(f"{repo}#{issue.get('number')}", status, done)]
        if event == "pull_request" and isinstance(payload.get("pull_request"), dict):
            pull = payload["pull_request"]
            merged = bool(pull.get("merged"))
            status = "merged" if merged else str(pull.get("state", ""))
            return [Update(f"{repo}#{pull.get('number')}", status, merged)]
        return []
    if tool == "linear":
        data = payload.get("data")
        if payload.get("type") != "Issue" or not isinstance(data, dict):
            return []
        workflow: dict[str, Any] = data.get("state") or {}
        return [
            Update(
                str(data.get("identifier", "")).upper(),
                str(workflow.get("name", "")),
                workflow.get("type") == "completed",
            )
        ]
    issue = payload.get("issue")
    if not isinstance(issue, dict):
        return []
    jira_status: dict[str, Any] = ((issue.get("fields") or {}).get("status")) or {}
    category = (jira_status.get("statusCategory") or {}).get("key")
    return [
        Update(
            str(issue.get("key", "")).upper(), str(jira_status.get("name", "")), category == "done"
        )
    ]


def _apply(
    session: Session, tool: str, updates: list[Update], actor: Actor | None, how: str
) -> tuple[int, list[str]]:
    """Give every link to each updated ticket its new status; how many links changed, and
    the tickets no solution links to."""
    changed, unknown = 0, []
    now = utcnow()
    for update in updates:
        found = session.scalars(
            select(DeliveryLink).where(DeliveryLink.tool == tool, DeliveryLink.key == update.key)
        ).all()
        if not found:
            unknown.append(update.key)
        for link in found:
            if (link.status, link.done) != (update.status[:100], update.done):
                link.status, link.done, link.status_at = update.status[:100], update.done, now
                changed += 1
                record(
                    session,
                    actor,
                    "delivery.status",
                    session.get_one(Solution, link.solution_id),
                    f"{tool} {link.key}: {link.status}{how}",
                )
    return changed, unknown


def receive(session: Session, *, tool: str, headers: Mapping[str, str], body: bytes) -> Receipt:
    """Take one webhook delivery of `tool`: verify, refuse stale or replayed deliveries, and
    set the status of every link to the tickets it names."""
    if tool not in TOOLS:
        raise NotFound(f"no webhook for {tool!r} (use {', '.join(TOOLS)})")
    secret = getattr(get_settings(), f"{tool}_webhook_secret")
    if not secret:
        raise NotPermitted(
            f"{tool} webhooks are off: set HUDDLE_{tool.upper()}_WEBHOOK_SECRET to take them"
        )
    _verify(tool, secret, headers, body)
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise Invalid("the body is not JSON") from None
    if not isinstance(payload, dict):
        raise Invalid("the body is not a JSON object")
    delivery = _delivery_id(tool, headers)
    if tool == "linear":
        sent = payload.get("webhookTimestamp")
        if not isinstance(sent, int | float):
            raise Invalid("webhookTimestamp: missing", field="webhookTimestamp")
        age = utcnow() - datetime.fromtimestamp(sent / 1000, UTC)
        if abs(age) > LINEAR_MAX_AGE:
            raise Invalid(
                "webhookTimestamp: older than a minute: a replayed capture is not taken",
                field="webhookTimestamp",
            )
    seen = session.scalar(
        select(HookDelivery.id).where(
            HookDelivery.tool == tool, HookDelivery.delivery_id == delivery
        )
    )
    if seen is not None:
        return Receipt("replay", 0)
    changed, _ = _apply(session, tool, _updates(tool, headers, payload), None, "")
    try:
        with session.begin_nested():
            session.add(HookDelivery(tool=tool, delivery_id=delivery, links_changed=changed))
    except IntegrityError:
        # The same delivery, at the same moment, on another worker: that one took it.
        session.expire_all()
        return Receipt("replay", 0)
    session.flush()
    return Receipt("applied", changed)


# -- the tools' CSV exports ------------------------------------------------------------------

# Statuses that mean the work is done, whatever the tool calls its workflow.
DONE_STATUSES = frozenset(
    ["done", "closed", "resolved", "released", "complete", "completed", "merged", "shipped"]
)
# The columns each tool's export names its tickets and their status by.
_KEY_COLUMNS = ("issue key", "key", "id", "identifier", "url", "issue url", "link")
_STATUS_COLUMNS = ("status", "state")
# Jira's "Status Category", Linear's "Completed" and "Canceled" timestamps, Jira's "Resolution".
_CATEGORY_COLUMNS = ("status category",)


@dataclass(frozen=True)
class StatusImport:
    tickets: int  # rows read
    changed: int  # links whose status changed
    unknown: list[str]  # tickets no solution links to


def _key_of(tool: str, value: str) -> str:
    value = value.strip()
    if value.lower().startswith(("http://", "https://")):
        found_tool, key = parse_ticket(value)
        return key if found_tool == tool else ""
    if tool == "github":
        return value.lower()
    return value.upper()


def _done(row: Mapping[str, str], status: str) -> bool:
    category = row.get("status category", "").strip().lower()
    if category:
        return category == "done"
    if row.get("canceled", "").strip():
        return False
    if row.get("completed", "").strip() or row.get("closed", "").strip():
        return True
    return status.strip().lower() in DONE_STATUSES


def import_statuses(session: Session, *, tool: str, text: str, actor: Actor) -> StatusImport:
    """Ticket statuses from a tool's CSV export (Jira's "Export CSV", Linear's "Export CSV",
    a GitHub project's "Export view"), for the tools whose webhooks cannot reach Huddle: each
    row's ticket (its key, id or URL) takes the row's status on every link to it. Nothing
    changes when the file cannot be read."""
    require(may_plan(actor))
    if tool not in TOOLS:
        raise Invalid(f"tool: {tool!r} is not one of {', '.join(TOOLS)}", field="tool")
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    columns = {c.strip().lower(): c for c in (reader.fieldnames or []) if c}
    key_column = next((columns[c] for c in _KEY_COLUMNS if c in columns), None)
    status_column = next((columns[c] for c in _STATUS_COLUMNS if c in columns), None)
    if key_column is None or status_column is None:
        wanted = "a ticket column (Issue key, ID or URL) and a Status column"
        raise Invalid(f"line 1: the file needs {wanted}; it has {', '.join(columns) or 'none'}")
    updates: list[Update] = []
    for line, row in enumerate(reader, start=2):
        plain = {k.strip().lower(): (v or "") for k, v in row.items() if k}
        raw = (row.get(key_column) or "").strip()
        if not raw:
            continue
        try:
            key = _key_of(tool, raw)
        except Invalid as error:
            raise Invalid(f"line {line}: {error.message}", field=key_column) from None
        if not key:
            raise Invalid(f"line {line}: {raw!r} is not a {tool} ticket", field=key_column)
        status = (row.get(status_column) or "").strip()
        updates.append(Update(key, status, _done(plain, status)))
    changed, unknown = _apply(session, tool, updates, actor, " (from a CSV export)")
    session.flush()
    return StatusImport(len(updates), changed, unknown)


# -- after launch ----------------------------------------------------------------------------


@dataclass(frozen=True)
class MentionsChange:
    """Evidence on the problems a solution addressed, per 30 days, before and after launch."""

    launched_on: date
    before: int  # in the 30 days before launch
    after: float  # per 30 days since launch (scaled while fewer than 30 days have passed)
    days_after: int

    @property
    def change(self) -> float | None:
        return (self.after - self.before) / self.before if self.before else None


def mentions_change(session: Session, *, solution_id: int, actor: Actor) -> MentionsChange | None:
    solution = _solution(session, actor, solution_id)
    if solution.launch_on is None or solution.stage not in ("launched", "learning"):
        return None
    start = datetime.combine(solution.launch_on, datetime.min.time(), UTC)
    now = utcnow()
    days_after = max(0, min(30, (now - start).days))
    problems = select(SolutionProblem.problem_id).where(SolutionProblem.solution_id == solution.id)

    def count(since: datetime, until: datetime) -> int:
        statement = (
            select(func.count(func.distinct(Feedback.id)))
            .join(FeedbackLink, FeedbackLink.feedback_id == Feedback.id)
            .where(
                FeedbackLink.problem_id.in_(problems),
                Feedback.occurred_at >= since,
                Feedback.occurred_at < until,
            )
        )
        return int(session.scalar(statement) or 0)

    before = count(start - timedelta(days=30), start)
    after = count(start, start + timedelta(days=days_after)) if days_after else 0
    return MentionsChange(
        launched_on=solution.launch_on,
        before=before,
        after=after * 30 / days_after if days_after else 0.0,
        days_after=days_after,
    )
