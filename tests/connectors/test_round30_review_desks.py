"""A review of round 30's readers of a Discourse forum's posts and of ServiceDesk Plus'
requests, each on a small input of a variant the first reader had not seen: a user's archive
as Discourse writes it (its words under `post`), a Data Explorer query over posts alone or
over topics, a poll's markup, a topic page holding only its first posts; a ServiceDesk Plus
page with more pages after it, a request's notes, and Zendesk's own Requests API page, which
is not ServiceDesk Plus'."""

from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from huddle.connectors.base import ConnectorOptions, get_connector
from tests.connectors.helpers import left_out_of, read_clean, run, write_json
from tests.factories import actor

OURS = ConnectorOptions(internal_domains=("ourco.com",))

# --- Discourse -------------------------------------------------------------------------------


def test_a_users_archive_as_discourse_writes_it_is_read(tmp_path: Path) -> None:
    """ "Download my posts" writes `topic_title, categories, is_pm, post, …`: the raw words
    under `post`, a topic's categories piped, Ruby's UTC time."""
    path = tmp_path / "user_archive.csv"
    path.write_text(
        "topic_title,categories,is_pm,post,like_count,reply_count,url,created_at\n"
        "Offline mode,Feature Requests|Mobile,No,Our technicians lose what they typed when "
        "the hangar has no signal :cry:,2,0,https://community.example.com/t/offline-mode/829/1,"
        "2026-11-20 08:00:00 UTC\n",
        encoding="utf-8",
    )
    (post,) = read_clean("tickets", path, OURS).feedback
    assert (post.title, post.text, str(post.occurred_at), post.tags) == (
        "Offline mode",
        "Our technicians lose what they typed when the hangar has no signal",
        "2026-11-20 08:00:00+00:00",
        ["feature requests", "mobile"],
    )


def test_a_query_over_posts_alone_is_read_as_the_forums(tmp_path: Path) -> None:
    """`SELECT p.id AS post_id, u.username, p.raw` (no topic column): the forum's posts, the
    system user's a bot's; `cooked` alone beside a user id reads so too, the negative id a
    bot."""
    raw = tmp_path / "posts@community-2026-12-01.dcqresult.csv"
    raw.write_text(
        "post_id,username,raw\n"
        '101,carla_w,"The **export** drops the store column."\n'
        '102,system,"This topic was automatically closed after 30 days."\n',
        encoding="utf-8",
    )
    cooked = tmp_path / "cooked@community-2026-12-01.dcqresult.csv"
    cooked.write_text(
        "post_id,user_id,cooked\n"
        '201,55,"<p>The export <strong>drops</strong> the store column.</p>"\n'
        '202,-1,"<p>This topic was automatically closed.</p>"\n',
        encoding="utf-8",
    )
    by_raw = read_clean("tickets", raw, OURS)
    by_cooked = read_clean("tickets", cooked, OURS)
    assert [(f.external_id, f.text, f.contact_name) for f in by_raw.feedback] == [
        ("101", "The export drops the store column.", "carla_w")
    ]
    assert left_out_of(by_raw) == [("bot", "This topic was automatically closed after 30 days.")]
    assert [(f.external_id, f.text) for f in by_cooked.feedback] == [
        ("201", "The export drops the store column.")
    ]
    assert left_out_of(by_cooked) == [("bot", "This topic was automatically closed.")]


def test_an_author_without_a_full_name_is_known_by_username(tmp_path: Path) -> None:
    path = tmp_path / "posts.csv"
    path.write_text(
        "post_id,topic_id,username,name,created_at,raw\n"
        "1,9,carla_w,,2026-11-23 10:00:00,Our exports drop the store column.\n"
        "2,9,bea,Bea Lopez,2026-11-23 11:00:00,Same for our clinics every Monday.\n",
        encoding="utf-8",
    )
    read = read_clean("tickets", path, OURS)
    assert [f.contact_name for f in read.feedback] == ["carla_w", "Bea Lopez"]


def test_a_query_over_topics_is_refused_saying_to_add_the_posts(tmp_path: Path) -> None:
    path = tmp_path / "topics@community-2026-12-01.dcqresult.csv"
    path.write_text(
        "topic_id,title,category,views,posts_count,created_at\n"
        "812,Let store managers create their own tasks,Feature Requests,340,12,"
        "2026-11-23 15:02:11.284913\n",
        encoding="utf-8",
    )
    read = get_connector("tickets").read(path, OURS)
    assert read.feedback == []
    assert len(read.errors) == 1
    assert "is a Discourse query over topics" in read.errors[0].reason
    assert "p.raw" in read.errors[0].reason


def _post(number: int, cooked: str, **more: Any) -> dict[str, Any]:
    return {
        "id": 9000 + number,
        "name": "Bea Lopez",
        "username": "bea",
        "created_at": f"2026-11-2{number}T10:00:00.000Z",
        "cooked": cooked,
        "post_number": number,
        "post_type": 1,
        "topic_id": 812,
        "topic_slug": "offline-mode",
        "moderator": False,
        "admin": False,
        "staff": False,
        "user_id": 100 + number,
        "hidden": False,
        "deleted_at": None,
        **more,
    }


_POLL = (
    '<div class="poll" data-poll-status="open" data-poll-name="poll">\n<div class="poll-container">'
    '\n<ul>\n<li data-poll-option-id="a1">Offline drafts</li>\n<li data-poll-option-id="b2">Sync on '
    'reconnect</li>\n</ul>\n</div>\n<div class="poll-info">\n<div class="poll-info_counts">\n<div '
    'class="poll-info_counts-count">\n<span class="info-number">0</span>\n<span class="info-label">'
    "voters</span>\n</div>\n</div>\n</div>\n</div>"
)


def test_a_polls_counts_and_tags_are_not_read_as_words(tmp_path: Path) -> None:
    """A post with a poll: the question and its options are the author's, the "0 voters"
    Discourse renders under it (and `[poll]` around the options in raw Markdown) are not."""
    topic = {
        "post_stream": {
            "posts": [_post(1, f"<p>Which would help your stores most?</p>\n{_POLL}")],
            "stream": [9001],
        },
        "id": 812,
        "title": "Offline mode",
    }
    latest = {
        "latest_posts": [
            _post(
                2,
                "<p>Ours first.</p>",
                raw="Ours first, sync matters more.\n\n[poll type=regular results=always]\n"
                "* Sync\n* Drafts\n[/poll]",
                topic_title="Offline mode",
            )
        ]
    }
    read = read_clean("tickets", write_json(tmp_path / "812.json", topic), OURS)
    posts = read_clean("tickets", write_json(tmp_path / "posts.json", latest), OURS)
    assert [f.text for f in [*read.feedback, *posts.feedback]] == [
        "Which would help your stores most?\n\nOffline drafts\n\nSync on reconnect",
        "Ours first, sync matters more.\n\n* Sync\n* Drafts",
    ]
    assert read.warnings == []


def test_a_topic_page_holding_its_first_posts_warns_of_the_rest(tmp_path: Path) -> None:
    """`/t/{id}.json` sends a topic's first 20 posts and lists every post's id in
    `post_stream.stream`: the rest are named as still to fetch."""
    posts = [_post(n, f"<p>Post number {n} says the export drops a column.</p>") for n in (1, 2)]
    topic = {"post_stream": {"posts": posts, "stream": list(range(9001, 9031))}, "id": 812}
    read = read_clean("tickets", write_json(tmp_path / "812.json", topic), OURS)
    assert len(read.feedback) == 2
    assert [(w.column, w.reason) for w in read.warnings] == [
        (
            "post_stream",
            "the topic has 30 posts and this page holds its first 2: fetch them all "
            "(/t/812.json?print=true, or /t/812/posts.json with the other ids as post_ids[]) "
            "and import that",
        )
    ]


# --- ServiceDesk Plus ------------------------------------------------------------------------

ANA = {"email_id": "ana@hooli.example", "is_technician": False, "name": "Ana Lopes", "id": "21"}
SAM = {"email_id": "sam@ourco.com", "is_technician": True, "name": "Sam Ortiz", "id": "9"}


def _request(number: int, words: str) -> dict[str, Any]:
    return {
        "id": str(number),
        "display_id": str(number),
        "subject": "Exports",
        "description": f"<div>{words}</div>",
        "requester": ANA,
        "created_by": ANA,
        "account": None,
        "created_time": {"display_value": "Dec 3, 2026 09:40 AM", "value": "1796290800000"},
        "status": {"name": "Open", "id": "2"},
        "is_service_request": False,
    }


def _page(list_info: dict[str, Any], *requests: dict[str, Any]) -> dict[str, Any]:
    return {
        "response_status": [{"status_code": 2000, "status": "success"}],
        "list_info": list_info,
        "requests": list(requests),
    }


def test_a_page_with_more_rows_after_it_warns_where_the_next_begins(tmp_path: Path) -> None:
    """On-premises pages by `start_index` and `row_count`, Cloud's by `page`; pages gathered in
    an array are judged by the last; a whole list says nothing."""
    first = _request(101, "The export drops the store column every time.")
    second = _request(102, "The CSV import rejects our day-first dates.")
    more = {"has_more_rows": True, "start_index": 1, "row_count": 1}
    warned = []
    for name, answer in (
        ("onprem.json", _page(more, first)),
        ("cloud.json", _page({"has_more_rows": True, "page": 3, "row_count": 1}, first)),
        ("gathered.json", [_page(more, first), _page({**more, "start_index": 2}, second)]),
        ("last.json", [_page(more, first), _page({"has_more_rows": False}, second)]),
    ):
        read = read_clean("zendesk", write_json(tmp_path / name, answer), OURS)
        assert read.feedback
        warned.append([(w.column, w.reason.split("(list_info ")[-1]) for w in read.warnings])
    assert warned == [
        [("list_info", '"start_index": 2) and the rest, and import them too')],
        [("list_info", '"page": 4) and the rest, and import them too')],
        [("list_info", '"start_index": 3) and the rest, and import them too')],
        [],
    ]


def test_a_requests_notes_are_read_by_who_added_them(tmp_path: Path) -> None:
    """`GET /requests/{id}/notes`: a technician's note is the team's own words; a requester's,
    added from the portal, theirs."""
    page = {
        "response_status": [{"status_code": 2000, "status": "success"}],
        "list_info": {"has_more_rows": False, "row_count": 2},
        "notes": [
            {
                "id": "7001",
                "description": "<div>Customer confirmed on the phone, escalate to dev.</div>",
                "show_to_requester": False,
                "added_time": {"display_value": "Dec 4, 2026 12:00 PM", "value": "1796385600000"},
                "added_by": SAM,
            },
            {
                "id": "7002",
                "description": "<div>It happened again today, for the north region only.</div>",
                "show_to_requester": True,
                "added_time": {"display_value": "Dec 4, 2026 01:00 PM", "value": "1796389200000"},
                "added_by": ANA,
            },
        ],
    }
    read = read_clean("zendesk", write_json(tmp_path / "notes.json", page), OURS)
    assert [
        (f.external_id, f.text, f.contact_email, str(f.occurred_at)) for f in read.feedback
    ] == [
        (
            "7002",
            "It happened again today, for the north region only.",
            "ana@hooli.example",
            "2026-12-04 13:00:00+00:00",
        )
    ]
    assert left_out_of(read) == [("internal", "Customer confirmed on the phone, escalate to dev.")]


def test_zendesks_own_requests_page_is_not_read_as_servicedesk_plus(
    tmp_path: Path, session: Session
) -> None:
    """Zendesk's Requests API answers `{"requests": [...]}` too: its requests name their
    requester by id and date by `created_at`, and are read as any help desk's page."""
    page = {
        "requests": [
            {
                "id": 33,
                "subject": "Exports drop the store column",
                "description": "The export drops the store column for more than one region.",
                "requester_id": 1462,
                "created_at": "2026-12-03T09:40:00Z",
                "status": "open",
                "via": {"channel": "web"},
            }
        ],
        "next_page": None,
        "count": 1,
    }
    path = write_json(tmp_path / "requests.json", page)
    report = run(session, actor(session, "admin"), "zendesk", path, dry_run=True)
    assert report.rows_read == 1
    assert [w.reason for w in report.warnings] == [
        "requests.json is a page no reader here knows: read as a table of its records (words "
        "from `description`, date from `created_at`)"
    ]
