"""GitHub issues saved as JSON, read by the `tickets` connector beside Canny's pages.

Two shapes: the GitHub CLI's `gh issue list --json number,title,body,author,labels,createdAt,
url,state,…` (a bare array; `author` is `{login, name, is_bot}`, `createdAt`, `url`), and the
REST API's `GET /repos/{owner}/{repo}/issues` (a bare array; `user` is `{login, type}`,
`created_at`, `html_url`, `author_association`; a pull request is listed there too, known by
its `pull_request` key, and is no issue). The search API's `{"items": [...]}` holds the same
issues. An issue's words are its Markdown body as GitHub shows it, without its HTML comments
(an issue template's instructions); its title when the body holds nothing else. GitHub names
no company: every issue comes in unattached. A bot (`is_bot`, a `Bot` user, a `[bot]` login,
Dependabot) wrote no one's words, but a deleted account (`ghost`; gh's bare `app/`) wrote
someone's; one of the workspace's people (by name, or the repo's `OWNER`/`MEMBER` by GitHub's
own association) wrote an internal issue.
"""

import re
from typing import Any

from huddle.connectors.base import ConnectorOptions, ConnectorOutput
from huddle.connectors.export_dates import parse_when
from huddle.connectors.noise import noise_reason
from huddle.connectors.record_values import as_text, dict_at
from huddle.imports.records import FeedbackRecord

# The update bots that open issues and pull requests on a repository.
_BOT_LOGIN = re.compile(r"\[bot\]$|^(dependabot|renovate|github-actions|snyk-bot)\b", re.I)
# A deleted account: GitHub shows its issues by "ghost"; the gh CLI, whose query gets no
# author for them, writes `{"is_bot": true, "login": "app/"}` (an app's mark, no app named).
# Someone's words still, by no one the workspace can know.
_DELETED_LOGINS = {"ghost", "app/"}
# What GitHub does not show of a body: its HTML comments, an issue template's instructions
# ("<!-- Please describe the bug -->"), the vendor's words left in every issue, not the
# reporter's. One left open hides the rest.
_HIDDEN = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_BLANK_LINES = re.compile(r"\n\s*\n(\s*\n)+")
# GitHub's own word that the author belongs to the repository's owner.
_TEAM_ASSOCIATIONS = {"OWNER", "MEMBER"}


def is_github_issue(record: Any) -> bool:
    """A gh CLI issue (`number`, `title`, `author`) or a REST API one (`number`, `title`,
    `user`, and its `html_url` or `repository_url`)."""
    if not isinstance(record, dict) or not {"number", "title"} <= record.keys():
        return False
    if isinstance(record.get("author"), dict) and ("url" in record or "createdAt" in record):
        return True
    return isinstance(record.get("user"), dict) and bool(
        {"html_url", "repository_url"} & record.keys()
    )


def read_issue(
    line: int, issue: dict[str, Any], options: ConnectorOptions, output: ConnectorOutput
) -> None:
    """One issue as a ticket; a pull request is skipped."""
    if issue.get("pull_request") is not None:
        output.skipped_rows += 1  # the REST API lists pull requests among the issues
        return
    author = dict_at(issue, "author") or dict_at(issue, "user")
    title = as_text(issue.get("title"))
    text = (_shown(as_text(issue.get("body")) or "") or title or "").strip()
    if not text:
        output.skipped_rows += 1
        return
    login = as_text(author.get("login")) or ""
    deleted = login in _DELETED_LOGINS
    name = as_text(author.get("name")) or None
    when = as_text(issue.get("createdAt")) or as_text(issue.get("created_at"))
    try:
        occurred = parse_when(when) if when else None
    except ValueError:
        occurred = None
    labels = [
        n
        for label in issue.get("labels") or []
        if (n := as_text(label.get("name") if isinstance(label, dict) else label))
    ]
    state = as_text(issue.get("state"))
    record = FeedbackRecord(
        line=line,
        text=text,
        source=options.default_source or "ticket",
        occurred_at=occurred,
        external_id=as_text(issue.get("id")) or as_text(issue.get("number")),
        title=title,
        link_url=as_text(issue.get("html_url")) or as_text(issue.get("url")),
        contact_name=None if deleted else name or login or None,
        team="support",
        tags=sorted({*labels, *([f"status:{state.lower()}"] if state else [])}),
    )
    bot = not deleted and (
        author.get("is_bot") is True
        or as_text(author.get("type")) == "Bot"
        or bool(_BOT_LOGIN.search(login))
    )
    # One of the workspace's people by name is told by `noise_reason` itself.
    team = as_text(issue.get("author_association")) in _TEAM_ASSOCIATIONS
    reason = "bot" if bot else None
    reason = reason or noise_reason(text, title, name=name, options=options, known_staff=team)
    output.take(record, reason, options)


def _shown(body: str) -> str:
    """An issue's Markdown body as GitHub shows it: without its HTML comments."""
    return _BLANK_LINES.sub("\n\n", _HIDDEN.sub("", body)).strip()
