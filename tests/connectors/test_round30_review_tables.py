"""Round 30's new readers reviewed on other real files of their tools: Re:amaze's answers as
its documentation gives them (no `staff?` flag, no author), a conversation the team opened, one
conversation fetched alone; Skype's older edits, its one-to-one chats and Teams' export of the
same shape; WordPress.org's themes API, which never gives reviews' words; Refiner's effort
surveys and scores sent as digits; and the chat rule that skips a customer's handover, on
messages that must stay evidence."""

import json
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from huddle.connectors.base import ConnectorOptions
from tests.connectors.helpers import came_in, left_out_of, read_clean, refused, run, write_json
from tests.factories import actor, create_account

OURS = ConnectorOptions(internal_domains=("ourco.com",))


# Re:amaze ------------------------------------------------------------------------------------

SUPPORT = {"name": "Support", "slug": "support", "email": "support@ourco.com", "channel": 1}


def _reamaze(n: int, conversation: Any, user: tuple[str, str] | None, body: str) -> Any:
    """Message `n` as Re:amaze's API documents it: `visibility` and `origin`, the user's name
    and email only."""
    return {
        "body": body,
        "visibility": 0,
        "origin": 0,
        "created_at": f"2026-12-01T09:{n:02d}:00.000-07:00",
        "user": {"name": user[0], "email": user[1]} if user else None,
        "recipients": [],
        "attachments": [],
        "conversation": conversation,
    }


def test_reamaze_staff_are_known_without_the_staff_flag(tmp_path: Path) -> None:
    """Re:amaze's documented answers carry no `staff?` flag and a message's conversation no
    author: the brand's own people (its channel's address, its reamaze.com name) are the team,
    whoever opened the conversation, but a mail provider's domain is the customers' too. A
    staff reply stays out of the customer's words, and in a conversation a teammate opened,
    the customer's reply is the evidence."""
    export = {"subject": "CSV export", "slug": "csv-export", "category": SUPPORT}
    renewal = {
        "subject": "Your renewal",
        "slug": "renewal",
        "category": {"name": "Chat", "slug": "chat", "email": "chat@ourco.reamaze.com"},
        "author": {"name": "Kelsey Dunn", "email": "kelsey@ourco.com"},
        "perma_url": "https://ourco.reamaze.com/admin/conversations/renewal",
    }
    # A brand answering from a mail provider's address: its customers there are customers.
    alerts = {
        "subject": "Price alerts",
        "slug": "price-alerts",
        "category": {"name": "Email", "slug": "email", "email": "ourco.help@gmail.com"},
        "perma_url": "https://ourco.reamaze.com/admin/conversations/price-alerts",
    }
    page = {
        "page_size": 30,
        "page_count": 1,
        "messages": [
            _reamaze(6, alerts, ("Kelsey Dunn", "kelsey@ourco.com"), "Noted, thanks Nadia!"),
            _reamaze(5, alerts, ("Nadia Petrov", "nadia.ops@gmail.com"),
                     "We need an alert when a store misses a price change."),
            _reamaze(4, renewal, ("Hector Ruiz", "hector@globex.example"),
                     "The per-seat price went up 40% and read-only users can't justify it."),
            _reamaze(3, renewal, ("Kelsey Dunn", "kelsey@ourco.com"),
                     "Your plan renews next week, anything we should change?"),
            _reamaze(2, export, ("Kelsey Dunn", "kelsey@ourco.com"), "We shipped a fix, try again?"),
            _reamaze(1, export, ("Hector Ruiz", "hector@globex.example"),
                     "The CSV export times out for any range over a month."),
            _reamaze(0, export, None, None),  # type: ignore[arg-type]
        ],
    }  # fmt: skip
    read = read_clean("intercom", write_json(tmp_path / "messages.json", page), OURS)
    assert [(r.text, r.contact_email) for r in read.feedback] == [
        ("We need an alert when a store misses a price change.", "nadia.ops@gmail.com"),
        (
            "The per-seat price went up 40% and read-only users can't justify it.",
            "hector@globex.example",
        ),
        ("The CSV export times out for any range over a month.", "hector@globex.example"),
    ]


def test_reamaze_conversation_alone_and_one_the_team_opened(tmp_path: Path) -> None:
    """`GET /conversations/{slug}` saved as it comes (one object over many lines) is read; in
    a listing, a conversation a teammate opened has the team's opening message (it is their
    last message too), the customer's last one the evidence."""
    alone = {
        "subject": "Logged out",
        "slug": "logged-out",
        "status": 0,
        "created_at": "2026-12-01T09:00:00.000Z",
        "tag_list": ["mobile"],
        "message": {"body": "The mobile app logs me out every hour."},
        "last_staff_message": {"body": "Which phone do you use?"},
        "last_customer_message": {"body": "An iPhone 15 on iOS 18, every single hour."},
        "author": {"name": "Bob Stone", "email": "bob@initech.example"},
        "category": SUPPORT,
        "data": {"plan": "Business"},
        "followers": [],
    }
    path = tmp_path / "conversation.json"
    path.write_text(json.dumps(alone, indent=2))
    assert [r.text for r in read_clean("intercom", path, OURS).feedback] == [
        "The mobile app logs me out every hour.\n\nAn iPhone 15 on iOS 18, every single hour."
    ]
    opened = {
        **alone,
        "slug": "renewal",
        "author": {"name": "Kelsey Dunn", "email": "kelsey@ourco.com"},
        "message": {"body": "Your plan renews next week, anything we should change?"},
        "last_staff_message": {"body": "Your plan renews next week, anything we should change?"},
        "last_customer_message": {"body": "Seats for read-only users are far too expensive."},
        "category": {"name": "Chat", "slug": "chat", "email": "chat@acme.reamaze.com"},
    }
    listing = {"page_size": 30, "conversations": [opened]}
    read = read_clean("intercom", write_json(tmp_path / "listing.json", listing), OURS)
    assert [r.text for r in read.feedback] == ["Seats for read-only users are far too expensive."]


# Skype ---------------------------------------------------------------------------------------


def _skype(n: int, sender: str, shown: str | None, content: str) -> Any:
    return {
        "id": str(1796137200000 + n),
        "displayName": shown,
        "originalarrivaltime": f"2026-12-01T15:{n:02d}:00.000Z",
        "messagetype": "RichText",
        "version": 1796137200000 + n,
        "content": content,
        "conversationid": "x",
        "from": sender,
        "properties": None,
        "amsreferences": None,
    }


def _chat(chat_id: str, name: str | None, *messages: Any) -> Any:
    return {
        "id": chat_id,
        "displayName": name,
        "properties": {"conversationblocked": False},
        "threadProperties": None,
        "MessageList": list(reversed(messages)),
    }


def test_skype_edits_one_to_one_chats_and_teams(tmp_path: Path) -> None:
    """An edit older clients sent as "Edited previous message: …" is its words; a chat with
    one person, unnamed, is titled by that person; a group chat with no topic or name names
    no company (not its id); Teams' export of the same shape: a "@unq.gbl.spaces" chat is
    with one person, their name no company."""
    rita = "8:live:rita.vasquez_1"
    export = {
        "userId": "live:.cid.5d9f",
        "exportDate": "2026-12-04T09:12",
        "conversations": [
            _chat(rita, None,
                  _skype(1, rita, None, "Edited previous message: The dock scanner freezes when "
                         'offline<e_m ts="1796137260" a="live:rita.vasquez_1" t="61"/>'),
                  _skype(2, rita, "Rita Vasquez", "Also the label printer drops every second job")),
            _chat("19:abc@thread.skype", None,
                  _skype(3, "8:live:kenji", "Kenji Sato", "The nightly sync drops orders with emoji")),
            _chat("19:xyz@unq.gbl.spaces", "Ana Lopes",
                  _skype(4, "8:orgid:ana", "Ana Lopes", "The calendar sync duplicates meetings")),
        ],
    }  # fmt: skip
    read = read_clean("slack", write_json(tmp_path / "messages.json", export), OURS)
    assert [(r.text, r.title, r.mentions) for r in read.feedback] == [
        ("The dock scanner freezes when offline", "#Rita Vasquez", ()),
        ("Also the label printer drops every second job", "#Rita Vasquez", ()),
        ("The nightly sync drops orders with emoji", "#19:abc@thread.skype", ()),
        ("The calendar sync duplicates meetings", "#Ana Lopes", ()),
    ]


# A customer handing over to a colleague --------------------------------------------------------

# Customers' messages that name a colleague and say what is wrong: evidence, every one.
SAID = [
    "Marco will send the logs, the export still fails",
    "my colleague says the app crashes too",
    "Looping in Priya \u2014 we can't log in since Monday",
    "cc @Priya the export is empty",
    "Bringing in Dana from IT since SSO logs everyone out",
    "Looping in Priya from finance who gets charged twice every month",
    "Looping in Priya. It is the worst release yet",
    "Syncing will take over an hour now",
]
# Messages that only hand over: skipped.
HANDED = [
    "Looping in Priya from finance.",
    "Morning all! Marco runs our warehouse systems, he'll chime in on the scanner stuff",
    "cc: @priya and @tom.b",
]


def test_a_handover_is_skipped_but_what_a_customer_says_with_one_is_not(tmp_path: Path) -> None:
    """The handover rule (every chat source) skips a message that only greets and hands over,
    never one that also says what is wrong: a sentence after the colleague's name, a reason
    after "from IT", a lowercase word read as a name or a pronoun read as one."""
    said = [_skype(n, "8:live:kenji", "Kenji Sato", text) for n, text in enumerate(SAID + HANDED)]
    export = {
        "userId": "live:.cid.5d9f",
        "exportDate": "2026-12-04T09:12",
        "conversations": [_chat("19:abc@thread.skype", "Acme Robotics", *said)],
    }
    read = read_clean("slack", write_json(tmp_path / "messages.json", export), OURS)
    assert [r.text for r in read.feedback] == SAID


# WordPress.org -------------------------------------------------------------------------------


def test_a_themes_answer_is_refused_saying_where_its_reviews_are(
    session: Session, tmp_path: Path
) -> None:
    """The themes API never gives reviews' words (only their count and address), alone or
    several keyed by slug: refused saying so, not told to ask the plugins API's field."""
    theme = {
        "name": "Ourco Theme",
        "slug": "ourco-theme",
        "preview_url": "https://wp-themes.com/ourco-theme/",
        "author": {"user_nicename": "ourco", "profile": "https://profiles.wordpress.org/ourco"},
        "rating": 90,
        "num_ratings": 12,
        "reviews_url": "https://wordpress.org/support/theme/ourco-theme/reviews/",
        "sections": {"description": "A block theme."},
    }
    for name, answer in (("theme.json", theme), ("themes.json", {"ourco-theme": theme})):
        failure = refused(
            session, actor(session, "admin"), "reviews", write_json(tmp_path / name, answer)
        )
        reason = failure.report.errors[0].reason
        assert "information about a theme" in reason, reason
        assert "https://wordpress.org/support/theme/ourco-theme/reviews/" in reason


def test_another_tools_review_html_is_not_wordpress_org(tmp_path: Path) -> None:
    """A review's title and body markup alone are anyone's HTML: a reviews JSON keeping it
    is read as reviews, not refused as WordPress.org's."""
    rows = [
        {"rating": 2, "title": "Slow support", "text": "Support took a week to answer my billing "
         "question.", "author": "Kim", "date": "2026-11-02",
         "html": '<div class="review-body">Support took a week to answer.</div>'},
    ]  # fmt: skip
    read = read_clean("reviews", write_json(tmp_path / "reviews.json", rows), OURS)
    assert [r.text for r in read.feedback] == ["Support took a week to answer my billing question."]


# Refiner -------------------------------------------------------------------------------------


def _response(n: int, form: str, data: dict[str, Any]) -> Any:
    when = f"2026-11-2{n}T10:00:00.000000Z"
    return {
        "uuid": f"r-{n}",
        "first_shown_at": when,
        "last_shown_at": when,
        "show_counter": 1,
        "first_data_reception_at": when,
        "last_data_reception_at": when,
        "completed_at": when,
        "received_at": when,
        "form": {"uuid": f"f-{n}", "name": form},
        "contact": {"remote_id": f"usr_{n}", "email": "hector@globex.example", "account": None},
        "data": data,
    }


def test_refiner_effort_scores_and_scores_sent_as_digits(session: Session, tmp_path: Path) -> None:
    """A Customer Effort Score asks how easy it was, or says so only in its form's name: a
    CES, not an NPS detractor; a score the API sent as digits ("9") is still the score."""
    create_account(session, name="Globex Freight", domain="globex.example")
    page = {
        "items": [
            _response(1, "After-support survey", {
                "how_easy_was_it_to_get_your_issue_resolved": 2,
                "what_made_it_hard": "I had to explain the problem three times to different agents.",
            }),
            _response(2, "Customer Effort Score", {
                "ourco_made_it_simple_to_handle_my_issue": 6,
                "why": "The help center answered it before I even opened a ticket.",
            }),
            _response(3, "Quick poll", {
                "question_1": "9",
                "question_2": "Love the API, the webhook retries could be smarter.",
            }),
        ],
        "pagination": {"current_page": 1, "last_page": 1},
    }  # fmt: skip
    path = write_json(tmp_path / "responses.json", page)
    report = run(session, actor(session, "admin"), "survey", path, internal_domains=("ourco.com",))
    assert came_in(session, report) == [
        ("CES 2 \u2013 I had to explain the problem three times to different agents.",
         "Globex Freight"),
        ("CES 6 \u2013 The help center answered it before I even opened a ticket.",
         "Globex Freight"),
        ("NPS 9 \u2013 Love the API, the webhook retries could be smarter.", "Globex Freight"),
    ]  # fmt: skip
    assert left_out_of(read_clean("survey", path, OURS)) == []
