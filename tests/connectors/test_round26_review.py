"""A review of round 26's rules against what other variants of the same tools' answers hold:
an issue by a deleted GitHub account (the gh CLI's bare `app/`, the REST API's `ghost`), an
issue template's HTML comments, a Slack search match in a channel shared only inside an
Enterprise Grid, an app's post in a search answer (no `bot_id` there), a Marketplace
review's title."""

import json
from pathlib import Path
from typing import Any

from huddle.connectors.base import ConnectorOptions, ConnectorOutput
from tests.connectors.helpers import left_out_of, read_clean

OURS = ConnectorOptions(internal_domains=("ourco.com",), staff_names=("Sam Ortiz",))


def _write(tmp_path: Path, name: str, value: Any) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(value), encoding="utf-8")
    return path


def _gh(number: int, body: str, author: dict[str, Any]) -> dict[str, Any]:
    return {
        "number": number,
        "title": f"Issue {number}",
        "body": body,
        "author": author,
        "createdAt": "2026-11-20T08:00:00Z",
        "labels": [],
        "state": "OPEN",
        "url": f"https://github.com/ourco/sdk/issues/{number}",
    }


def test_an_issue_by_a_deleted_account_is_someones_words_by_no_one_named(
    tmp_path: Path,
) -> None:
    issues = [
        # gh's query gets no author for a deleted account: it writes an app's mark, no app.
        _gh(3, "Uploads over 2 GB fail without an error.", {"is_bot": True, "login": "app/"}),
        _gh(2, "Bumps lib from 1 to 2.", {"is_bot": True, "login": "app/dependabot"}),
    ]
    rest = {
        "id": 1001,
        "number": 1,
        "title": "Issue 1",
        "body": "The CSV export drops the header row.",
        "user": {"login": "ghost", "type": "User"},
        "author_association": "NONE",
        "created_at": "2026-11-20T08:00:00Z",
        "html_url": "https://github.com/ourco/sdk/issues/1",
    }
    read = read_clean("tickets", _write(tmp_path, "issues.json", [*issues, rest]), OURS)
    assert [(i.text, i.contact_name) for i in read.feedback] == [
        ("Uploads over 2 GB fail without an error.", None),
        ("The CSV export drops the header row.", None),
    ]
    assert left_out_of(read) == [("bot", "Bumps lib from 1 to 2.")]


def test_an_issue_templates_html_comments_are_not_the_reporters_words(tmp_path: Path) -> None:
    person = {"id": "U_1", "is_bot": False, "login": "ana-r", "name": "Ana Ruiz"}
    filled = (
        "<!--\n  Thanks for reporting! Please search the existing issues first.\n-->\n\n"
        "### Describe the bug\n\nRetries give up after one 429.\n\n"
        "<!-- What did you expect to happen? -->\n### Expected\n\nA backoff.\n"
    )
    left_empty = "<!-- Describe the bug -->\n\n<!-- Steps to reproduce -->\n"
    issues = [_gh(2, filled, person), _gh(1, left_empty, person)]
    read = read_clean("tickets", _write(tmp_path, "issues.json", issues), OURS)
    assert [i.text for i in read.feedback] == [
        "### Describe the bug\n\nRetries give up after one 429.\n\n### Expected\n\nA backoff.",
        "Issue 1",  # nothing but the template: its title
    ]


def _match(user: str, handle: str, ts: str, text: str, channel: dict[str, Any]) -> dict[str, Any]:
    return {
        "iid": f"iid-{ts}",
        "team": "T0OURCO01",
        "type": "message",
        "user": user,
        "username": handle,
        "ts": ts,
        "text": text,
        "channel": channel,
        "permalink": f"https://ourco.slack.com/archives/{channel['id']}/p{ts.replace('.', '')}",
    }


def _search(tmp_path: Path, *matches: dict[str, Any]) -> ConnectorOutput:
    page = {
        "ok": True,
        "query": "export",
        "messages": {
            "total": len(matches),
            "matches": list(matches),
            "paging": {"count": 20, "total": len(matches), "page": 1, "pages": 1},
        },
    }
    return read_clean("slack", _write(tmp_path, "search.json", page), OURS)


def _channel(cid: str, name: str, *, org: bool, ext: bool) -> dict[str, Any]:
    return {
        "id": cid,
        "name": name,
        "is_channel": True,
        "is_shared": org or ext,
        "is_org_shared": org,
        "is_ext_shared": ext,
        "is_private": False,
    }


def test_a_channel_shared_only_inside_the_enterprise_grid_names_no_company(
    tmp_path: Path,
) -> None:
    grid = _channel("C0GRID0001", "eng-platform", org=True, ext=False)
    connect = _channel("C0CONN0001", "ourco-globex-freight", org=False, ext=True)
    read = _search(
        tmp_path,
        _match("U1", "li.wei", "1796207412.000100", "The export drops accents in names", grid),
        _match("U2", "hector.ruiz", "1796207413.000100", "Our export fails on Mondays", connect),
    )
    assert [(i.title, i.mentions) for i in read.feedback] == [
        ("#eng-platform", ()),
        ("#ourco-globex-freight", ("ourco globex freight",)),
    ]


def test_a_search_match_by_a_name_with_no_user_is_an_apps_post(tmp_path: Path) -> None:
    connect = _channel("C0CONN0001", "ourco-globex-freight", org=False, ext=True)
    read = _search(
        tmp_path,
        # Slack's search answer gives an app's post no `bot_id` or `subtype`: no user, a name.
        _match("", "Statuspage", "1796207412.000100", "Export service degraded", connect),
        _match("U2", "hector.ruiz", "1796207413.000100", "Our export fails on Mondays", connect),
    )
    assert [i.text for i in read.feedback] == ["Our export fails on Mondays"]
    assert left_out_of(read) == [("bot", "Export service degraded")]


def test_a_marketplace_reviews_title_is_read(tmp_path: Path) -> None:
    review = {
        "userId": "user-1",
        "userDisplayName": "kbrandt",
        "updatedDate": "2026-11-27T19:20:41.107Z",
        "rating": 2,
        "title": "Proxy trouble",
        "text": "Sign-in loops behind our company proxy.",
        "productVersion": "2.3.0",
        "reply": None,
        "isDeleted": False,
        "isIgnored": False,
        "id": 1,
    }
    page = {"reviews": [review], "totalReviewCount": 1, "hasMoreReviews": False}
    read = read_clean("reviews", _write(tmp_path, "ratingreview.json", page), OURS)
    # The stars before it, as every review's title has them.
    assert [(i.text, i.title) for i in read.feedback] == [
        ("Sign-in loops behind our company proxy.", "\u2605\u2605\u2606\u2606\u2606 Proxy trouble")
    ]
