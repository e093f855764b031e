"""Round 30's review and survey APIs, each on a small input of its own: a WordPress.org
plugin's reviews, one HTML section inside the plugins API's answer (its 1.2 and 1.0 markup, a
query's list of plugins, the section kept alone), the plugin's own people left out as
internal, an answer without its reviews refused; Refiner's responses, the respondent's
company taken from their Refiner account (by name, by its CRM id, from an attribute) and an
unknown one listed unmatched, in the shapes its API page is saved in."""

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from huddle.connectors.base import ConnectorOptions
from tests.connectors.helpers import came_in, left_out_of, read_clean, refused, run, write_json
from tests.factories import actor, create_account

OURS = ConnectorOptions(internal_domains=("ourco.com",))


def _review(title: str, stars: int, who: str, login: str, date: str, body: str) -> str:
    """One review as the plugins API 1.2 writes it in its `reviews` section."""
    filled = "".join(
        f'<span class="star dashicons dashicons-star-{"filled" if n < stars else "empty"}"></span>'
        for n in range(5)
    )
    return (
        '<div class="review">\n\t<div class="review-head">\n\t\t<div class="reviewer-info">\n'
        f'\t\t\t<div class="review-title-section">\n\t\t\t\t<h4 class="review-title">{title}</h4>\n'
        '\t\t\t\t<div class="star-rating">\n\t\t\t\t<div class="wporg-ratings" '
        f'aria-label="{stars} out of 5 stars" data-title-template="%s out of 5 stars" '
        f'data-rating="{stars}" '
        f'style="color:#ffb900;">{filled}</div>\t\t\t\t</div>\n\t\t\t</div>\n'
        f'\t\t\t<p class="reviewer">\n\t\t\t\tBy <a href="https://profiles.wordpress.org/{login}/">'
        "<img alt='' src='https://secure.gravatar.com/avatar/1?s=16' class='avatar'/></a>"
        f'<a href="https://profiles.wordpress.org/{login}/" class="reviewer-name">{who}</a> on '
        f'<span class="review-date">{date}</span>\t\t\t</p>\n\t\t</div>\n\t</div>\n'
        f'\t<div class="review-body"><!-- wp:paragraph -->\n{body}\n<!-- /wp:paragraph --></div>\n'
        "</div>\n"
    )


def _plugin(slug: str, reviews: str | None, **more: Any) -> dict[str, Any]:
    """The plugins API's `plugin_information` answer, its reviews asked for or not."""
    sections = {
        "description": "<p>Collect visual feedback from your visitors.</p>",
        "changelog": "<h4>3.2.1</h4><ul><li>Fix: cropping on high-DPI screens.</li></ul>",
    }
    return {
        "name": "Feedback Widget",
        "slug": slug,
        "author": '<a href="https://ourco.com">OurCo</a>',
        "author_profile": "https://profiles.wordpress.org/ourco/",
        "contributors": {
            "ourco": {
                "profile": "https://profiles.wordpress.org/ourco/",
                "display_name": "OurCo",
            },
            "pat-ourco": {
                "profile": "https://profiles.wordpress.org/pat-ourco/",
                "display_name": "Pat Kim",
            },
        },
        "rating": 76,
        "ratings": {"5": 41, "4": 9, "3": 6, "2": 7, "1": 5},
        "num_ratings": 68,
        "sections": sections if reviews is None else {**sections, "reviews": reviews},
        "download_link": f"https://downloads.wordpress.org/plugin/{slug}.zip",
        **more,
    }


_CHECKOUT = _review(
    "Slows down our checkout",
    2,
    "brightpixel",
    "brightpixel",
    "December 2, 2026",
    "<p>The widget adds a second to our checkout page. We can&#8217;t exclude pages.</p>",
)
_OWN = _review(
    "We use it ourselves",
    5,
    "Pat Kim",
    "pat-ourco",
    "November 28, 2026",
    "<p>We run the widget on our own docs site.</p>",
)


def test_a_plugins_reviews_come_in_from_its_html_section(tmp_path: Path) -> None:
    """Each review in the answer's `reviews` section is one item, its stars, title, reviewer
    and date read from the markup; the readme's sections and the star summary are not
    reviews, and a review by one of the plugin's contributors is the vendor's."""
    path = write_json(tmp_path / "plugin.json", _plugin("feedback-widget", _CHECKOUT + _OWN))
    read = read_clean("reviews", path, OURS)
    assert [
        (f.title, f.text, f.contact_name, f.occurred_at, f.tags, f.link_url) for f in read.feedback
    ] == [
        (
            "★★☆☆☆ Slows down our checkout",
            "The widget adds a second to our checkout page. We can\u2019t exclude pages.",
            "brightpixel",
            datetime(2026, 12, 2, tzinfo=UTC),
            ["rating:2", "store:wordpress_org"],
            "https://wordpress.org/support/plugin/feedback-widget/reviews/",
        )
    ]
    assert left_out_of(read) == [("internal", "We run the widget on our own docs site.")]


def test_the_older_markup_and_the_1_0_answer_are_read_alike(tmp_path: Path) -> None:
    """API 1.0 names each contributor by their profile's address only, and older reviews say
    their stars in a title or only by the stars drawn; the reviewer's login beside their name
    is not their name."""
    said = (
        '<div class="review"><div class="review-head"><div class="reviewer-info">'
        '<div class="review-title-section"><h4 class="review-title">Good but no GDPR</h4>'
        '<div class="star-rating"><div class="wporg-ratings" title="4 out of 5 stars">'
        "</div></div></div>"
        '<p class="reviewer">By <a href="https://profiles.wordpress.org/lena"></a>'
        '<a href="https://profiles.wordpress.org/lena" class="reviewer-name">Lena M&#252;ller '
        '<small>(lena)</small></a>, <span class="review-date">June 1, 2017</span></p>'
        '</div></div><div class="review-body">We need to turn off storing IP addresses.</div></div>'
    )
    drawn = (
        '<div class="review"><h4>Own plugin</h4><div class="star-rating">'
        + '<span class="star star-full"></span>' * 3
        + '<span class="star star-empty"></span>' * 2
        + '</div><p class="reviewer">By <a href="https://profiles.wordpress.org/pat-ourco">'
        'Pat</a></p><div class="review-body">Three stars for now.</div></div>'
    )
    answer = _plugin("old-widget", said + drawn)
    answer["contributors"] = {"pat-ourco": "https://profiles.wordpress.org/pat-ourco"}
    read = read_clean("reviews", write_json(tmp_path / "old.json", answer), OURS)
    assert [(f.title, f.contact_name, f.text) for f in read.feedback] == [
        ("★★★★☆ Good but no GDPR", "Lena Müller", "We need to turn off storing IP addresses.")
    ]
    assert left_out_of(read) == [("internal", "Three stars for now.")]


def test_a_query_of_plugins_and_the_section_alone_are_read(tmp_path: Path) -> None:
    """`query_plugins` lists its plugins, each with its reviews; a script's array gathers
    answers; and the reviews section kept alone is a JSON string of its markup."""
    query = {"info": {"page": 1, "pages": 1}, "plugins": [_plugin("first", _CHECKOUT)]}
    gathered = [query, _plugin("second", _CHECKOUT.replace("checkout", "cart"))]
    read = read_clean("reviews", write_json(tmp_path / "query.json", gathered), OURS)
    assert [(f.title, f.link_url) for f in read.feedback] == [
        ("★★☆☆☆ Slows down our checkout", "https://wordpress.org/support/plugin/first/reviews/"),
        ("★★☆☆☆ Slows down our cart", "https://wordpress.org/support/plugin/second/reviews/"),
    ]
    alone = read_clean("reviews", write_json(tmp_path / "section.json", _CHECKOUT), OURS)
    assert [(f.title, f.link_url) for f in alone.feedback] == [
        ("★★☆☆☆ Slows down our checkout", None)
    ]


def test_a_plugins_answer_without_its_reviews_is_refused(tmp_path: Path, session: Session) -> None:
    """The API gives the reviews only when asked for them: an answer without them is refused,
    saying how to ask, not read as a table of its readme."""
    path = write_json(tmp_path / "plugin.json", _plugin("feedback-widget", None))
    failure = refused(session, actor(session, "admin"), "reviews", path)
    assert [error.reason for error in failure.report.errors] == [
        "plugin.json is WordPress.org's information about a plugin without its reviews: ask the "
        "API for them (request[fields][reviews]=1) and import that answer"
    ]


def _response(n: int, contact: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    """A response as Refiner's API gives it."""
    when = f"2026-11-2{n}T11:15:00.000000Z"
    return {
        "uuid": f"resp-{n}",
        "first_shown_at": when,
        "last_shown_at": when,
        "show_counter": 1,
        "first_data_reception_at": when,
        "last_data_reception_at": when,
        "completed_at": when,
        "dismissed_at": None,
        "form": {"uuid": "form-1", "name": "In-app NPS"},
        "contact": {"uuid": f"c-{n}", "remote_id": f"usr_{n}", **contact},
        "data": data,
    }


_NPS = "how_likely_are_you_to_recommend_ourco_to_a_friend_or_colleague"
_WHY = "what_is_the_main_reason_for_your_score"


def _responses() -> list[dict[str, Any]]:
    def account(name: str | None, remote_id: str, domain: str | None) -> dict[str, Any]:
        return {"uuid": "a", "remote_id": remote_id, "display_name": name, "domain": domain}

    return [
        _response(
            1,
            {
                "email": "nadia.petrov@gmail.com",
                "display_name": "Nadia Petrov",
                "attributes": {"plan": "Business"},
                "account": account("Umbrella Retail", "crm-umb", "umbrella.example"),
            },
            {_NPS: 2, _WHY: "Price changes fail to reach stores."},
        ),
        _response(
            2,
            {
                "email": "marco@vandelay.example",
                "display_name": "Marco",
                "account": account(None, "crm-van", None),
            },
            {_NPS: 5, _WHY: "Scanning is too slow in the cold room."},
        ),
        _response(
            3,
            {
                "email": "grace@pinegrove.example",
                "display_name": "Grace",
                "account": account("Pinegrove Living", "acc_pine", "pinegrove.example"),
            },
            {_NPS: 7, _WHY: "A family view of the schedule would help."},
        ),
        _response(
            4,
            {
                "email": "ana@gmail.com",
                "display_name": "Ana",
                "account": account("Globex (EU)", "crm-glx", None),
            },
            {_NPS: 6, _WHY: "The depot filter resets."},
        ),
        _response(
            5,
            {"email": "bo@hotmail.com", "display_name": "Bo", "attributes": {"company": "Hooli"}},
            {_NPS: 8, _WHY: "No Terraform provider."},
        ),
    ]


def _workspace(session: Session) -> None:
    create_account(session, name="Umbrella Retail")
    create_account(session, name="Vandelay Imports", external_id="crm-van")
    create_account(session, name="Globex Freight", external_id="crm-glx")
    create_account(session, name="Hooli")


def test_a_refiner_respondents_company_is_their_account(tmp_path: Path, session: Session) -> None:
    """The respondent's Refiner account names their company, whatever address they answer
    from: by its name, else its CRM id (the account's external id), its CRM id when the name
    is Refiner's own; a company attribute when there is no account; a company the workspace
    does not know is listed unmatched."""
    _workspace(session)
    page = {"items": _responses(), "pagination": {"current_page": 1, "last_page": 1}}
    path = write_json(tmp_path / "responses.json", page)
    report = run(session, actor(session, "admin"), "survey", path, internal_domains=("ourco.com",))
    assert came_in(session, report) == [
        ("NPS 2 \u2013 Price changes fail to reach stores.", "Umbrella Retail"),
        ("NPS 5 \u2013 Scanning is too slow in the cold room.", "Vandelay Imports"),
        ("NPS 7 \u2013 A family view of the schedule would help.", None),
        ("NPS 6 \u2013 The depot filter resets.", "Globex Freight"),
        ("NPS 8 \u2013 No Terraform provider.", "Hooli"),
    ]
    assert report.unmatched_accounts == {"Pinegrove Living": 1}


def test_a_refiner_page_is_read_in_every_shape_it_is_saved_in(tmp_path: Path) -> None:
    """Pages gathered in an array, the items alone, JSON lines, and one response alone (a
    webhook's delivery) read as the page does."""
    items = _responses()[:2]
    shapes = {
        "gathered.json": json.dumps([{"items": items[:1]}, {"items": items[1:]}]),
        "items.json": json.dumps(items),
        "lines.jsonl": "\n".join(json.dumps(item) for item in items),
    }
    for name, text in shapes.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        read = read_clean("survey", tmp_path / name, OURS)
        assert [(f.text, f.account_ref) for f in read.feedback] == [
            ("NPS 2 \u2013 Price changes fail to reach stores.", "Umbrella Retail"),
            ("NPS 5 \u2013 Scanning is too slow in the cold room.", "crm-van"),
        ], name
    one = read_clean("survey", write_json(tmp_path / "one.json", items[0]), OURS)
    assert [f.account_aliases for f in one.feedback] == [("crm-umb", "umbrella.example")]


def test_refiner_answers_are_read_by_their_questions(tmp_path: Path) -> None:
    """A score named as a satisfaction is a CSAT; where no question is named as the score,
    the one answer that is a number is; where none is named as open, a sentence typed is the
    comment and a choice's option is not, nor are a multiple choice's; a dismissed survey
    holds nothing."""
    renamed = {"which_plan": "Pro", "score_q": 4, "feedback_dashboards": "The charts load slowly."}
    dismissed = {**_response(3, {"email": "c@acme.example"}, {}), "completed_at": None}
    responses = [
        _response(
            1,
            {"email": "a@acme.example"},
            {
                "how_satisfied_are_you": 2,
                _WHY: "Slow.",
                "what_could_we_improve": ["Speed", "Price"],
            },
        ),
        _response(2, {"email": "b@acme.example"}, renamed),
        dismissed,
    ]
    read = read_clean("survey", write_json(tmp_path / "r.json", {"items": responses}), OURS)
    assert [(f.text, f.tags) for f in read.feedback] == [
        ("CSAT 2 \u2013 Slow.", ["csat:2"]),
        ("NPS 4 \u2013 The charts load slowly.", ["nps:4", "nps:detractor"]),
    ]
