"""What round 26's held-back pages showed, each on a small input of its own: Slack's
`search.messages` answer (each match with its channel, senders known only by handle, an
app's message, the match's own permalink); Zendesk Help Center community posts with their
authors side-loaded (an agent's announcement, an end user with or without an
organisation); the Visual Studio Marketplace's reviews API (a review by one of the
workspace's people, a deleted one, the publisher's reply nested)."""

import json
from pathlib import Path
from typing import Any

from huddle.connectors.base import ConnectorOptions, ConnectorOutput
from huddle.connectors.reviews import connector as reviews
from huddle.connectors.slack import connector as slack
from huddle.connectors.zendesk import connector as zendesk

OURS = ConnectorOptions(internal_domains=("ourco.com",), staff_names=("Dana Lee", "Sam Ortiz"))


def _read(reader: Any, path: Path, record: Any) -> ConnectorOutput:
    path.write_text(json.dumps(record))
    output = reader.read(path, OURS)
    assert output.errors == []
    return output


def _left(output: ConnectorOutput) -> list[tuple[str, str]]:
    return [(left.reason, left.record.text) for left in output.left_out]


def _match(user: str | None, handle: str, ts: str, text: str, **more: Any) -> dict[str, Any]:
    channel = {"id": "C07ACMEXT1", "name": "ourco-acme-robotics", "is_ext_shared": True}
    return {
        "type": "message",
        "user": user,
        "username": handle,
        "ts": ts,
        "text": text,
        "channel": channel,
        "permalink": f"https://ourco.slack.com/archives/C07ACMEXT1/p{ts.replace('.', '')}",
        **more,
    }


def test_a_slack_search_answer_is_read_match_by_match(tmp_path: Path) -> None:
    page = {
        "ok": True,
        "query": "in:#ourco-acme-robotics",
        "messages": {
            "total": 4,
            "matches": [
                _match("U1", "nina.park", "1796207412.339019", "The export to CSV drops accents"),
                _match("U2", "sam.ortiz", "1796207000.000100", "We are shipping a fix next week"),
                _match(
                    None,
                    "Jira Cloud",
                    "1796206000.000100",
                    "ACME-12 was transitioned from To Do to Done",
                    subtype="bot_message",
                    bot_id="B01",
                ),
                _match("U1", "nina.park", "1796205000.000100", "thanks!"),
                _match(
                    "U3",
                    "li.wei",
                    "1796204000.000100",
                    "Search is slow on big boards again",
                    channel={"id": "C01INTERNL", "name": "support-escalations", "is_shared": False},
                ),
            ],
            "paging": {"count": 20, "total": 4, "page": 1, "pages": 1},
        },
    }
    output = _read(slack, tmp_path / "search.json", page)
    item, unshared = output.feedback
    assert (item.text, item.contact_name, item.title, item.mentions, item.link_url) == (
        "The export to CSV drops accents",
        "nina.park",
        "#ourco-acme-robotics",
        ("ourco acme robotics",),
        "https://ourco.slack.com/archives/C07ACMEXT1/p1796207412339019",
    )
    # A channel of the workspace alone names no company.
    assert (unshared.title, unshared.mentions) == ("#support-escalations", ())
    assert _left(output) == [
        ("internal", "We are shipping a fix next week"),
        ("bot", "ACME-12 was transitioned from To Do to Done"),
    ]


def test_a_history_page_is_not_read_as_a_search_answer(tmp_path: Path) -> None:
    page = {
        "ok": True,
        "messages": [
            {
                "type": "message",
                "user": "U1",
                "ts": "1796207412.339019",
                "text": "The export to CSV drops accents",
                "user_profile": {"real_name": "Nina Park"},
            }
        ],
        "has_more": False,
    }
    [item] = _read(slack, tmp_path / "C07ACMEXT1.json", page).feedback
    assert (item.contact_name, item.link_url) == (
        "Nina Park",
        "https://slack.com/archives/C07ACMEXT1/p1796207412339019",
    )


def _post(post_id: int, author: int, title: str, details: str) -> dict[str, Any]:
    return {
        "id": post_id,
        "html_url": f"https://help.ourco.com/hc/en-us/community/posts/{post_id}",
        "title": title,
        "details": details,
        "author_id": author,
        "topic_id": 360004112233,
        "created_at": "2026-11-28T17:00:00Z",
        "status": "planned",
    }


def test_zendesk_community_posts_are_read_by_their_side_loaded_authors(tmp_path: Path) -> None:
    page = {
        "posts": [
            _post(1, 10, "Bulk edit", "<p>Please let us edit <b>many users</b> at once.</p>"),
            _post(2, 11, "Region filter", "<p>A filter for users without a region, please.</p>"),
            _post(3, 12, "November update", "<p>Here is what shipped this month for you.</p>"),
        ],
        "users": [
            {"id": 10, "name": "Lena Vogt", "role": "end-user", "organization_id": 7},
            {"id": 11, "name": "Owen Fitzgerald", "role": "end-user", "organization_id": None},
            {"id": 12, "name": "Kim Tran", "role": "agent", "agent": True},
        ],
        "organizations": [{"id": 7, "name": "Hooli Cloud"}],
        "next_page": None,
    }
    output = _read(zendesk, tmp_path / "posts.json", page)
    assert [
        (i.text, i.title, i.account_ref, i.contact_name, i.link_url, i.tags)
        for i in output.feedback
    ] == [
        (
            "Please let us edit many users at once.",
            "Bulk edit",
            "Hooli Cloud",
            "Lena Vogt",
            "https://help.ourco.com/hc/en-us/community/posts/1",
            ["community-post", "post:planned"],
        ),
        (
            "A filter for users without a region, please.",
            "Region filter",
            None,
            "Owen Fitzgerald",
            "https://help.ourco.com/hc/en-us/community/posts/2",
            ["community-post", "post:planned"],
        ),
    ]
    assert _left(output) == [("internal", "Here is what shipped this month for you.")]


def _review(review_id: int, name: str, text: str, **more: Any) -> dict[str, Any]:
    return {
        "userId": f"user-{review_id}",
        "userDisplayName": name,
        "updatedDate": "2026-11-27T19:20:41.107Z",
        "rating": 2,
        "text": text,
        "productVersion": "2.3.0",
        "reply": None,
        "isDeleted": False,
        "isIgnored": False,
        "id": review_id,
        **more,
    }


def test_visual_studio_marketplace_reviews_are_read_as_reviews(tmp_path: Path) -> None:
    reply = {"replyId": 9, "replyText": "We are looking into proxy support.", "isDeleted": False}
    page = {
        "reviews": [
            _review(1, "kbrandt", "Sign-in loops behind our company proxy.", reply=reply),
            _review(2, "Sam Ortiz", "Great extension, our whole team loves it!", rating=5),
            _review(3, "anon42", "Removed this review", isDeleted=True),
        ],
        "totalReviewCount": 3,
        "hasMoreReviews": False,
    }
    output = _read(reviews, tmp_path / "ratingreview.json", page)
    assert [(i.text, i.contact_name, i.external_id, i.tags) for i in output.feedback] == [
        (
            "Sign-in loops behind our company proxy.",
            "kbrandt",
            "vsmarketplace:1",
            ["rating:2", "store:visual_studio_marketplace", "version:2.3.0"],
        )
    ]
    assert _left(output) == [("internal", "Great extension, our whole team loves it!")]
    assert output.skipped_rows == 1
