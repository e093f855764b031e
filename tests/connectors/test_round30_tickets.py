"""What round 30 showed of forums and IT service desks, each on a small input of its own: a
Discourse forum's posts (a Data Explorer query's CSV, a topic's and the latest posts' JSON, a
user's archive) read post by post, its staff, bots, hidden and deleted posts told apart; and
ManageEngine ServiceDesk Plus' requests from its API v3 (the MSP edition's customer
accounts, a technician's call log, a monitoring alarm) read as tickets."""

import csv
import io
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from huddle.connectors.base import ConnectorOptions
from tests.connectors.helpers import came_in, left_out_of, read_clean, refused, run, write_json
from tests.factories import actor, create_account

OURS = ConnectorOptions(internal_domains=("ourco.com",), staff_names=("Dana Lee",))

# --- Discourse -------------------------------------------------------------------------------

_EXPLORER_HEADER = [
    "post_id",
    "topic_title",
    "category",
    "post_number",
    "username",
    "name",
    "company",
    "admin",
    "moderator",
    "hidden",
    "deleted_at",
    "created_at",
    "raw",
]


def _explorer_csv(tmp_path: Path, *rows: list[str]) -> Path:
    """A Data Explorer result as its CSV button downloads it: Postgres' own flags and times."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(_EXPLORER_HEADER)
    writer.writerows(rows)
    path = tmp_path / "feature-requests@community-ourco-2026-12-01.dcqresult.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def _post(
    post_id: str, who: str, name: str, raw: str, *, company: str = "", flags: str = "fff"
) -> list[str]:
    admin, moderator, hidden = ("t" if flag == "t" else "f" for flag in flags)
    when = f"2026-11-2{post_id[-1]} 10:00:00.123456"
    return [
        post_id,
        "Offline mode",
        "Feature Requests",
        "1",
        who,
        name,
        company,
        admin,
        moderator,
        hidden,
        "",
        when,
        raw,
    ]


CARLA = _post(
    "401",
    "carla_w",
    "Carla Whitfield",
    "Our **technicians lose what they typed** when the hangar has no signal :cry:",
    company="Kestrel Aviation",
)
QUOTING = _post(
    "402",
    "bea",
    "Bea Lopez",
    '[quote="carla_w, post:1, topic:829"]\nour technicians lose what they typed\n[/quote]\n\n'
    "Same in our clinic basements, the shift swap screen times out.",
    company="Initech Health",
)
MODERATOR = _post(
    "403",
    "jules",
    "Jules Marin",
    "We are prototyping an offline queue for work orders.",
    flags="ftf",
)
OUR_COMPANY = _post(
    "404", "kim", "Kim Soto", "I can confirm the queue keeps edits for a day.", company="OurCo"
)
DISCOBOT = _post("405", "discobot", "discobot", "Hi! Reply with @discobot start tutorial to begin.")
HIDDEN = _post(
    "406", "rico", "Rico", "Why does nobody answer here, this forum is useless.", flags="fft"
)
DELETED = _post("407", "hector_r", "Hector Ruiz", "Sorry, wrong topic.", company="Globex Freight")
DELETED[_EXPLORER_HEADER.index("deleted_at")] = "2026-11-27 08:00:00"


def test_a_data_explorer_csv_is_read_post_by_post(tmp_path: Path) -> None:
    """Each post is an item: its raw Markdown without the post it quotes, the emphasis marks
    or emoji codes; its topic's title, its post id, its time in UTC, its author's company,
    its category a tag."""
    read = read_clean("tickets", _explorer_csv(tmp_path, CARLA, QUOTING), OURS)
    assert read.feedback[0].tags == ["feature requests"]
    assert [
        (f.external_id, f.title, f.text, f.contact_name, f.account_ref, str(f.occurred_at))
        for f in read.feedback
    ] == [
        (
            "401",
            "Offline mode",
            "Our technicians lose what they typed when the hangar has no signal",
            "Carla Whitfield",
            "Kestrel Aviation",
            "2026-11-21 10:00:00.123456+00:00",
        ),
        (
            "402",
            "Offline mode",
            "Same in our clinic basements, the shift swap screen times out.",
            "Bea Lopez",
            "Initech Health",
            "2026-11-22 10:00:00.123456+00:00",
        ),
    ]


def test_the_forums_staff_bots_and_hidden_posts_are_left_out(tmp_path: Path) -> None:
    """A moderator's post (`t`, as Postgres writes it) and one by someone of a company naming
    the vendor are the team's; discobot's is a bot's; a post hidden by flags is spam however
    plain its words; a deleted post says nothing any more."""
    path = _explorer_csv(tmp_path, MODERATOR, OUR_COMPANY, DISCOBOT, HIDDEN, DELETED)
    read = read_clean("tickets", path, OURS)
    assert read.feedback == []
    assert left_out_of(read) == [
        ("internal", "We are prototyping an offline queue for work orders."),
        ("internal", "I can confirm the queue keeps edits for a day."),
        ("bot", "Hi! Reply with @discobot start tutorial to begin."),
        ("spam", "Why does nobody answer here, this forum is useless."),
    ]
    assert read.skipped_rows == 1


def _cooked(post_id: int, username: str, user_id: int, cooked: str, **more: Any) -> dict[str, Any]:
    return {
        "id": post_id,
        "name": username.title(),
        "username": username,
        "created_at": "2026-11-24T09:00:00.000Z",
        "cooked": cooked,
        "post_number": post_id - 100,
        "post_type": 1,
        "topic_id": 829,
        "topic_slug": "offline-mode",
        "moderator": False,
        "admin": False,
        "staff": False,
        "user_id": user_id,
        "hidden": False,
        "deleted_at": None,
        "user_deleted": False,
        **more,
    }


def test_a_topic_page_is_read_with_its_title(tmp_path: Path) -> None:
    """`/t/{id}.json`: each post's cooked HTML without the quote Discourse rendered as an
    aside, the topic's title (beside the posts) as title; a user with a negative id (an AI
    bot, the system user) is a bot's, a whisper the staff's; read as a page tickets knows
    (no warning). A post its author withdrew is skipped."""
    topic = {
        "post_stream": {
            "posts": [
                _cooked(101, "owen", 40, "<p>The app loses work orders offline.</p>"),
                _cooked(
                    102,
                    "gwen",
                    41,
                    '<aside class="quote no-group" data-username="owen" data-post="1">'
                    '<div class="title">owen:</div><blockquote><p>The app loses work orders'
                    "</p></blockquote></aside>\n<p>Same for our <strong>shift swap</strong> "
                    "screen.</p>",
                ),
                _cooked(103, "forum_helper", -110, "<p>Here are three related topics.</p>"),
                _cooked(104, "priya", 7, "<p>Owen is on the beta list.</p>", post_type=4),
                _cooked(105, "owen", 40, "<p>(post withdrawn by author)</p>", user_deleted=True),
            ],
            "stream": [101, 102, 103, 104, 105],
        },
        "id": 829,
        "title": "Offline mode for the mobile app",
        "posts_count": 4,
        "created_at": "2026-11-24T09:00:00.000Z",
    }
    read = read_clean("tickets", write_json(tmp_path / "829.json", topic), OURS)
    assert [(f.external_id, f.title, f.text) for f in read.feedback] == [
        ("101", "Offline mode for the mobile app", "The app loses work orders offline."),
        ("102", "Offline mode for the mobile app", "Same for our shift swap screen."),
    ]
    assert left_out_of(read) == [
        ("bot", "Here are three related topics."),
        ("internal", "Owen is on the beta list."),
    ]
    assert read.warnings == []
    assert read.skipped_rows == 1


def test_a_users_archive_is_read_by_its_own_columns(tmp_path: Path) -> None:
    """A user's archive ("Download my posts"): `post_raw` the words, `categories` a tag, each
    post's url."""
    path = tmp_path / "user_archive.csv"
    path.write_text(
        "topic_title,categories,is_pm,post_raw,post_cooked,like_count,reply_count,url,created_at\n"
        'Offline mode,Feature Requests,No,"[quote=""priya, post:3, topic:829""]\nWe are '
        'prototyping\n[/quote]\n\nHappy to test it on our tablets.",<p>x</p>,0,0,'
        "https://community.example.com/t/offline-mode/829/4,2026-11-28 09:00:00 UTC\n",
        encoding="utf-8",
    )
    (post,) = read_clean("tickets", path, OURS).feedback
    assert (post.title, post.text, post.link_url, post.tags) == (
        "Offline mode",
        "Happy to test it on our tablets.",
        "https://community.example.com/t/offline-mode/829/4",
        ["feature requests"],
    )


def test_a_data_explorer_result_saved_as_json_is_refused(tmp_path: Path, session: Session) -> None:
    path = write_json(
        tmp_path / "feature-requests.dcqresult.json",
        {
            "success": True,
            "errors": [],
            "duration": 8.1,
            "result_count": 1,
            "params": {},
            "columns": ["post_id", "raw", "created_at"],
            "default_limit": 1000,
            "rows": [[401, "The app loses work orders offline.", "2026-11-24 09:00:00"]],
        },
    )
    failure = refused(session, actor(session, "admin"), "tickets", path)
    assert "Data Explorer result saved as JSON" in str(failure.report.errors[0])
    assert "download the query's result as CSV" in str(failure.report.errors[0])


def test_forum_posts_come_in_on_their_companies(tmp_path: Path, session: Session) -> None:
    create_account(session, name="Initech Health", domain="initech.example")
    path = _explorer_csv(tmp_path, CARLA, QUOTING, OUR_COMPANY)
    report = run(
        session,
        actor(session, "admin"),
        "tickets",
        path,
        internal_domains=("ourco.com",),
        create_accounts=True,
    )
    assert came_in(session, report) == [
        ("Our technicians lose what they typed when the hangar has no signal", "Kestrel Aviation"),
        ("Same in our clinic basements, the shift swap screen times out.", "Initech Health"),
    ]
    assert report.created_accounts == ["Kestrel Aviation"]


# --- ServiceDesk Plus ------------------------------------------------------------------------


def _person(person_id: str, name: str, email: str | None, technician: bool = False) -> Any:
    return {"id": person_id, "name": name, "email_id": email, "is_technician": technician}


MARCO = _person("31210", "Marco Bianchi", "marco@vandelay.example")
KELSEY = _person("5009", "Kelsey Dunn", "kelsey@msp-helpdesk.example", technician=True)
SYSTEM = {"id": "1", "name": "System", "email_id": None, "is_technician": True}


def _request(
    request_id: str,
    subject: str,
    description: str | None,
    *,
    requester: Any = MARCO,
    created_by: Any = None,
    mode: str = "E-Mail",
    account: str | None = "Vandelay Imports",
    **more: Any,
) -> dict[str, Any]:
    return {
        "id": request_id,
        "display_id": request_id[-4:],
        "subject": subject,
        "description": description,
        "short_description": (description or "")[:100],
        "requester": requester,
        "created_by": created_by or requester,
        "technician": None,
        "account": {"name": account, "id": "25015"} if account else None,
        "site": None,
        # 2026-12-03 21:40:00 UTC, shown in the technician's own format and zone.
        "created_time": {"display_value": "03/12/2026 03:40 PM", "value": "1796334000000"},
        "status": {"name": "Open", "id": "2"},
        "priority": {"name": "High", "id": "3"},
        "mode": {"name": mode, "id": "2"},
        "request_type": {"name": "Incident", "id": "8391"},
        "is_service_request": False,
        "is_trashed": False,
        **more,
    }


SCANNER = _request(
    "1182330000004110",
    "Scanner app logs out",
    "<div>The scanner app logs users out after 30 seconds.</div><div>Marco Bianchi</div>",
)
CALLED_IN = _request(
    "1182330000004105",
    "Price sync delays",
    "<p>Price changes take hours to reach some stores, the customer said on the phone.</p>",
    created_by=KELSEY,
    mode="Phone Call",
)
ALARM = _request(
    "1182330000004109",
    "Interface down on dc-edge-02",
    "<p>Device: dc-edge-02, interface Gi0/1 is down</p>",
    requester=_person("31999", "Network Operations", "netops@dc-edge.example"),
    created_by=SYSTEM,
    mode="OpManager",
    account=None,
)
SCHEDULED = _request(
    "1182330000004111",
    "Monthly backup check",
    "<p>Check that the monthly backups of every site completed.</p>",
    requester={},
    created_by=SYSTEM,
    mode="Web Form",
    account=None,
)
OWN = _request(
    "1182330000004112",
    "Laptop for the new starter",
    "<p>Please order a laptop for the new starter in support.</p>",
    requester=KELSEY,
    account=None,
)
TRASHED = _request(
    "1182330000004113", "Duplicate", "<p>Scanner app logs out again.</p>", is_trashed=True
)


def _page(*requests: dict[str, Any]) -> dict[str, Any]:
    return {
        "response_status": [{"status_code": 2000, "status": "success"}],
        "list_info": {"has_more_rows": False, "row_count": len(requests)},
        "requests": list(requests),
    }


def test_servicedesk_plus_requests_are_read_as_tickets(tmp_path: Path) -> None:
    """A request's HTML description without its signature, its time from the epoch
    milliseconds (not the technician's shown "03/12/2026"), the MSP account, tags."""
    path = write_json(tmp_path / "requests.json", _page(SCANNER))
    (ticket,) = read_clean("zendesk", path, OURS).feedback
    assert (
        ticket.external_id,
        ticket.title,
        ticket.text,
        ticket.contact_email,
        ticket.account_ref,
        str(ticket.occurred_at),
        ticket.tags,
    ) == (
        "1182330000004110",
        "Scanner app logs out",
        "The scanner app logs users out after 30 seconds.",
        "marco@vandelay.example",
        "Vandelay Imports",
        "2026-12-03 21:40:00+00:00",
        ["channel:e-mail", "priority:high", "status:open", "type:incident"],
    )


def test_servicedesk_plus_noise_is_known_by_who_created_it(tmp_path: Path) -> None:
    """A technician's call log for a customer is staff; an integration's alarm and what the
    System user made with nobody asking are bots; a technician's own request is internal; a
    trashed request is skipped."""
    page = _page(CALLED_IN, ALARM, SCHEDULED, OWN, TRASHED)
    read = read_clean("zendesk", write_json(tmp_path / "requests.json", page), OURS)
    assert read.feedback == []
    assert [(reason, text.split(",")[0]) for reason, text in left_out_of(read)] == [
        ("staff", "Price changes take hours to reach some stores"),
        ("bot", "Device: dc-edge-02"),
        ("bot", "Check that the monthly backups of every site completed."),
        ("internal", "Please order a laptop for the new starter in support."),
    ]
    assert read.skipped_rows == 1


def test_one_request_and_gathered_pages_read_alike(tmp_path: Path) -> None:
    """`GET /requests/{id}`'s answer, pages a script saved in an array, a page kept without
    its `response_status`."""
    alone = {"request": SCANNER, "response_status": {"status_code": 2000, "status": "success"}}
    pages = [_page(SCANNER), _page(CALLED_IN)]
    bare = {"list_info": {"row_count": 1}, "requests": [SCANNER]}
    one = read_clean("zendesk", write_json(tmp_path / "one.json", alone), OURS)
    both = read_clean("zendesk", write_json(tmp_path / "pages.json", pages), OURS)
    kept = read_clean("zendesk", write_json(tmp_path / "kept.json", bare), OURS)
    assert [f.external_id for f in one.feedback] == ["1182330000004110"]
    assert [f.external_id for f in kept.feedback] == ["1182330000004110"]
    assert [f.external_id for f in both.feedback] == ["1182330000004110"]
    assert [reason for reason, _ in left_out_of(both)] == ["staff"]


def test_a_list_without_descriptions_warns_its_words_are_cut(tmp_path: Path) -> None:
    """A list asked without `fields_required` gives each request's first 100 characters."""
    long = "The scanner app logs users out after 30 seconds without a scan, " * 3
    cut = _request("1182330000004114", "Scanner", None, short_description=long[:100])
    read = read_clean("zendesk", write_json(tmp_path / "requests.json", _page(cut)), OURS)
    assert [f.text for f in read.feedback] == [long[:100].strip()]
    assert ["fields_required" in w.reason for w in read.warnings] == [True]


def test_a_flattened_time_is_read_as_shown(tmp_path: Path) -> None:
    """A tool that flattened each time to its shown value ("Aug 9, 2022 06:06 AM")."""
    flat = {**SCANNER, "created_time": "Aug 9, 2022 06:06 AM"}
    (ticket,) = read_clean("zendesk", write_json(tmp_path / "r.json", _page(flat)), OURS).feedback
    assert str(ticket.occurred_at) == "2022-08-09 06:06:00+00:00"


def test_msp_accounts_are_created_and_matched(tmp_path: Path, session: Session) -> None:
    create_account(session, name="Vandelay Imports", domain="vandelay.example")
    other = _request(
        "1182330000004115",
        "Bulk import rejects accents",
        "<p>The bulk import rejects names with accents.</p>",
        requester=_person("31140", "Jo Whitaker", "jo@marloweprint.example"),
        account="Marlowe Print Works",
        mode="Web Form",
    )
    path = write_json(tmp_path / "requests.json", _page(SCANNER, other, CALLED_IN))
    report = run(
        session,
        actor(session, "admin"),
        "zendesk",
        path,
        internal_domains=("ourco.com",),
        create_accounts=True,
    )
    assert came_in(session, report) == [
        ("The scanner app logs users out after 30 seconds.", "Vandelay Imports"),
        ("The bulk import rejects names with accents.", "Marlowe Print Works"),
    ]
    assert report.created_accounts == ["Marlowe Print Works"]
