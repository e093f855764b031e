"""Three of round 23's shapes, each on small inputs of its own in both its tool's forms:
WhatsApp's exported chat (Android's "date, time - Name: text" and iOS's "[date, time] Name:
text", in a zip too), a page of G2's reviews API (JSON:API), and LimeSurvey's responses with
"CODE. Question text" headings (subquestions too)."""

import json
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from huddle.connectors.base import ConnectorOptions
from huddle.models import Feedback
from tests.connectors.helpers import came_in, counts, left_out_of, read_clean, refused, run
from tests.factories import actor, create_account, create_user

OURS = ConnectorOptions(
    internal_domains=("ourco.com",), staff_names=("Priya Raman", "Sam Ortiz", "Dana Lee")
)


def _vendor(session: Session) -> None:
    """The workspace's own people, by name and address."""
    create_user(session, name="Priya Raman", email="priya@ourco.com")
    create_user(session, name="Sam Ortiz", email="sam@ourco.com")


# WhatsApp ------------------------------------------------------------------------------------

ANDROID = (
    "14/10/2026, 16:02 - Messages and calls are end-to-end encrypted. Only people in this "
    "chat can read, listen to, or share them. Learn more.\n"
    '14/10/2026, 16:02 - Priya Raman created group "OurCo / Pinecrest Dairy"\n'
    "14/10/2026, 16:03 - Priya Raman added Marta Quist and \u202a+31 6 12345678\u202c\n"
    "14/10/2026, 16:20 - Marta Quist: The milk-run planner drops the second stop whenever a "
    "farm has two tanks.\n"
    "We re-add it by hand before every morning run.\n"
    "14/10/2026, 16:21 - Marta Quist: <Media omitted>\n"
    "14/10/2026, 16:25 - Priya Raman: Thanks Marta, I've raised it with the routing team.\n"
    "15/10/2026, 08:40 - \u202a+31 6 12345678\u202c: This message was deleted\n"
    "15/10/2026, 08:41 - \u202a+31 6 12345678\u202c: Could the tanker app show the tank "
    "temperature before pickup?\n"
    "15/10/2026, 08:45 - Marta Quist: Thanks!\n"
)


def test_an_android_group_chat_is_the_customers_words_on_the_account_its_name_names(
    session: Session, tmp_path: Path
) -> None:
    """Android's export: WhatsApp's notices (no "Name: "), media and deleted messages are no
    one's words; a message's second line is its own; the vendor's people, known by name,
    are left out as internal; the customer's company is the one the group's name names
    (here only its "created group" notice names it)."""
    admin = actor(session, "admin")
    _vendor(session)
    create_account(session, name="Pinecrest Dairy", domain="pinecrest.example")
    path = tmp_path / "WhatsApp Chat with Milk run.txt"
    path.write_text(ANDROID, encoding="utf-8")

    report = run(session, admin, "slack", path)

    assert came_in(session, report) == [
        (
            "The milk-run planner drops the second stop whenever a farm has two tanks.\n"
            "We re-add it by hand before every morning run.",
            "Pinecrest Dairy",
        ),
        ("Could the tanker app show the tank temperature before pickup?", "Pinecrest Dairy"),
    ]
    assert report.left_out == {"internal": 1}
    dates = session.scalars(
        select(Feedback.occurred_at)
        .where(Feedback.import_id == report.import_id)
        .order_by(Feedback.id)
    ).all()
    assert [d.replace(tzinfo=UTC) for d in dates] == [
        datetime(2026, 10, 14, 16, 20, tzinfo=UTC),
        datetime(2026, 10, 15, 8, 41, tzinfo=UTC),
    ]


IPHONE = (
    "\u200e[11/30/26, 9:02:11\u202fAM] Sorrel Farms: \u200eMessages and calls are end-to-end "
    "encrypted. No one outside of this chat, not even WhatsApp, can read or listen to them.\r\n"
    "\u200e[11/30/26, 9:02:11\u202fAM] Sorrel Farms: \u200eSam Ortiz created group \u201cSorrel "
    "Farms\u201d\r\n"
    "[11/30/26, 9:05:40\u202fAM] Sam Ortiz: Morning! How did the first week go?\r\n"
    "[11/30/26, 9:06:02\u202fAM] Sorrel Farms: Sam Ortiz changed this group's icon\r\n"
    "\u200e[11/30/26, 9:07:13\u202fAM] Ines Okoro: \u200eInes Okoro changed their phone number "
    "to a new number. Tap to message or add the new number.\r\n"
    "[11/30/26, 1:15:02\u202fPM] Ines Okoro: The harvest log loses the picker's name when the "
    "phone goes offline.\r\n"
    "\u200e[11/30/26, 1:16:00\u202fPM] Ines Okoro: \u200eimage omitted\r\n"
    "[12/14/26, 8:00:09\u202fPM] Ines Okoro: Can the export keep our block codes? <This message "
    "was edited>\r\n"
)


def test_an_iphone_export_with_a_12_hour_clock_and_month_first_dates(tmp_path: Path) -> None:
    """iOS's export: "[date, time] Name: text", its notices said in the group's name (the one
    its "created group" notice gives) or opened with a left-to-right mark, "image omitted", "<This message was edited>" after the words;
    a 12-hour clock with a narrow no-break space, American dates (month first)."""
    path = tmp_path / "WhatsApp Chat - Sorrel Farms.txt"
    path.write_text(IPHONE, encoding="utf-8")

    read = read_clean("slack", path, OURS)

    assert [(r.text, r.occurred_at) for r in read.feedback] == [
        (
            "The harvest log loses the picker's name when the phone goes offline.",
            datetime(2026, 11, 30, 13, 15, 2, tzinfo=UTC),
        ),
        (
            "Can the export keep our block codes?",
            datetime(2026, 12, 14, 20, 0, 9, tzinfo=UTC),
        ),
    ]
    assert {r.contact_name for r in read.feedback} == {"Ines Okoro"}
    assert {r.mentions for r in read.feedback} == {("Sorrel Farms",)}
    assert left_out_of(read) == [("internal", "Morning! How did the first week go?")]


def test_an_iphone_zip_is_read_by_its_chat_txt_and_named_by_the_zip(
    session: Session, tmp_path: Path
) -> None:
    """iOS shares the export as `WhatsApp Chat - <group>.zip` holding `_chat.txt` and the
    media: the chat's name (and so the account) is the zip's."""
    admin = actor(session, "admin")
    create_account(session, name="Sorrel Farms", domain="sorrel.example")
    path = tmp_path / "WhatsApp Chat - Sorrel Farms.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("_chat.txt", IPHONE.replace("Sorrel Farms", "Harvest crew"))
        archive.writestr("00000005-PHOTO-2026-11-30-13-16-00.jpg", b"\xff\xd8\xff\xe0")

    report = run(session, admin, "slack", path, staff_names=("Sam Ortiz",))

    assert [account for _, account in came_in(session, report)] == ["Sorrel Farms"] * 2


def test_a_chats_date_order_is_read_from_its_dates_going_forward(tmp_path: Path) -> None:
    """No day past the 12th and a 12-hour clock (India writes day first with one): the day
    is the number that falls back as the other rises (10/11 then 2/12)."""
    path = tmp_path / "WhatsApp Chat with Kiran.txt"
    path.write_text(
        "10/11/26, 9:14 pm - Kiran Rao: Route sheets print without the depot's address.\n"
        "2/12/26, 8:00 am - Kiran Rao: Still printing without it after the update.\n",
        encoding="utf-8",
    )
    read = read_clean("slack", path, OURS)
    assert [r.occurred_at for r in read.feedback] == [
        datetime(2026, 11, 10, 21, 14, tzinfo=UTC),
        datetime(2026, 12, 2, 8, 0, tzinfo=UTC),
    ]


def test_a_text_that_is_no_whatsapp_chat_is_refused_as_such(
    session: Session, tmp_path: Path
) -> None:
    admin = actor(session, "admin")
    path = tmp_path / "call notes.txt"
    path.write_text("[00:00:04] Marta: the planner drops stops\nMeeting notes, 14/10/2026\n")
    failure = refused(session, admin, "slack", path)
    assert "call notes.txt is not a WhatsApp chat export" in failure.report.errors[0].reason


def test_a_whatsapp_line_with_no_real_date_is_refused_by_its_line(
    session: Session, tmp_path: Path
) -> None:
    admin = actor(session, "admin")
    path = tmp_path / "WhatsApp Chat with Pinecrest.txt"
    path.write_text(ANDROID.replace("15/10/2026, 08:41", "45/45/2026, 08:41"))
    before = counts(session)
    failure = refused(session, admin, "slack", path)
    (error,) = failure.report.errors
    assert (error.line, error.reason) == (
        9,
        "WhatsApp Chat with Pinecrest.txt: 45/45/2026 is not a date",
    )
    assert counts(session) == before


def test_a_whatsapp_export_cut_short_reads_the_messages_before_the_cut(tmp_path: Path) -> None:
    """A copy that stopped in the middle of a message: the messages before it, and the last
    one's words up to the cut."""
    path = tmp_path / "WhatsApp Chat with Pinecrest.txt"
    path.write_text(ANDROID[: ANDROID.index(" temperature before pickup")], encoding="utf-8")
    read = read_clean("slack", path, OURS)
    assert [r.text for r in read.feedback] == [
        "The milk-run planner drops the second stop whenever a farm has two tanks.\n"
        "We re-add it by hand before every morning run.",
        "Could the tanker app show the tank",
    ]


# G2 ------------------------------------------------------------------------------------------


def _g2_review(review_id: str, stars: float, answers: Any, **more: Any) -> dict[str, Any]:
    return {
        "id": review_id,
        "type": "survey-responses",
        "attributes": {
            "star_rating": stars,
            "title": f"Review {review_id}",
            "comment_answers": answers,
            "submitted_at": "2026-11-21T10:02:11.000-05:00",
            "is_public": True,
            **more,
        },
    }


def test_a_g2_api_page_reads_each_review_with_its_questions(tmp_path: Path) -> None:
    """G2's API page (JSON:API): stars in half steps, G2's questions each with its answer,
    the reviewer by first name and initial, the date with its offset. A review by one of
    the vendor's people ("Sam O." is Sam Ortiz) is left out as internal."""

    def asked(love: str, hate: str) -> dict[str, Any]:
        return {
            "love": {"text": "What do you like best about OurCo?", "value": love},
            "hate": {"text": "What do you dislike about OurCo?", "value": hate},
            "recommendations": {
                "text": "Recommendations to others considering OurCo:",
                "value": "",
            },
        }

    page = {
        "data": [
            _g2_review(
                "501",
                3.5,
                asked("Crew schedules in one place.", "Payroll export drops overtime codes."),
                user_name="Lena V.",
                url="https://www.g2.com/products/ourco/reviews/ourco-review-501",
            ),
            _g2_review("502", 5.0, asked("Everything.", "Nothing at all."), user_name="Sam O."),
        ],
        "links": {"self": "https://data.g2.com/api/v2/survey-responses?page%5Bnumber%5D=1"},
        "meta": {"record_count": 2},
    }
    path = tmp_path / "g2_reviews.json"
    path.write_text(json.dumps(page))

    read = read_clean("reviews", path, OURS)

    (review,) = read.feedback
    assert review.text == (
        "Likes: Crew schedules in one place.\nDislikes: Payroll export drops overtime codes."
    )
    assert (review.contact_name, review.occurred_at, review.link_url) == (
        "Lena V.",
        datetime(2026, 11, 21, 15, 2, 11, tzinfo=UTC),
        "https://www.g2.com/products/ourco/reviews/ourco-review-501",
    )
    assert "rating:4" in review.tags and "store:g2" in review.tags
    assert [(reason, text.splitlines()[0]) for reason, text in left_out_of(read)] == [
        ("internal", "Likes: Everything.")
    ]


def test_a_g2_page_whose_answers_are_a_list_and_reviewers_are_sideloaded(
    tmp_path: Path,
) -> None:
    """Another layout: answers as a list of question and answer, or by G2's keys alone; the
    reviewer a sideloaded user a relationship points to; the link made from the slug."""
    listed = _g2_review(
        "601",
        2,
        [
            {"question": "What do you dislike?", "answer": "Invoices cannot be split by site."},
            {"question": "What problems is it solving?", "answer": "Fewer paper timesheets."},
        ],
        slug="ourco-review-601",
    )
    listed["relationships"] = {"user": {"data": {"type": "users", "id": "u9"}}}
    keyed = _g2_review("602", 4, {"hate": "Search ignores archived jobs."})
    page = {
        "data": [listed, keyed],
        "included": [{"type": "users", "id": "u9", "attributes": {"name": "Tomas K."}}],
    }
    path = tmp_path / "g2_v1.json"
    path.write_text(json.dumps(page))

    read = read_clean("reviews", path, OURS)

    assert [(r.text, r.contact_name, r.link_url) for r in read.feedback] == [
        (
            "Dislikes: Invoices cannot be split by site.\nProblems solved: Fewer paper timesheets.",
            "Tomas K.",
            "https://www.g2.com/survey_responses/ourco-review-601",
        ),
        ("Dislikes: Search ignores archived jobs.", None, None),
    ]


def test_a_g2_review_without_its_stars_is_refused_naming_them(
    session: Session, tmp_path: Path
) -> None:
    admin = actor(session, "admin")
    review = _g2_review("801", 4, {"hate": "Exports time out."})
    del review["attributes"]["star_rating"]
    path = tmp_path / "g2_no_stars.json"
    path.write_text(json.dumps({"data": [review]}))
    failure = refused(session, admin, "reviews", path)
    (error,) = failure.report.errors
    assert (error.column, error.reason) == ("Star Rating", "rating is required")


def test_a_g2_page_cut_short_is_refused_naming_why(session: Session, tmp_path: Path) -> None:
    admin = actor(session, "admin")
    page = json.dumps({"data": [_g2_review("701", 4, {"hate": "Slow exports."})]}, indent=1)
    path = tmp_path / "g2_cut.json"
    path.write_text(page[: len(page) // 2])
    failure = refused(session, admin, "reviews", path)
    assert "ends in the middle of a review" in failure.report.errors[0].reason


# LimeSurvey ----------------------------------------------------------------------------------


def test_limesurvey_headings_of_code_and_question_are_read_by_their_question(
    session: Session, tmp_path: Path
) -> None:
    """LimeSurvey's "Question code & question text" headings: an NPS asked as an array's
    subquestion ("NPS[SQ001]. … [OurCo]"), two open questions (both are the comment), the
    company and address asked as subquestions of one question ("ABOUT[SQ001]. About you
    [Company]"), its own "Date submitted" beside "Date started"."""
    admin = actor(session, "admin")
    create_account(session, name="Harbor Logistics", domain="harbor.example")
    path = tmp_path / "results-survey482913.csv"
    path.write_text(
        '"id. Response ID","submitdate. Date submitted","startdate. Date started",'
        '"NPS[SQ001]. How likely are you to recommend us to a colleague? [OurCo]",'
        '"WHY. Why did you give this score?","IMPROVE. What could we do better?",'
        '"ABOUT[SQ001]. About you [Company]","ABOUT[SQ002]. About you [Email]"\n'
        '"11","2026-11-03 10:15:00","2026-11-02 22:00:00","4",'
        '"Dock booking still needs a phone call.","Let carriers pick their own slot.",'
        '"Harbor Logistics",""\n'
        '"12","2026-11-04 09:00:00","2026-11-04 08:55:00","7",'
        '"Good, but reports are slow.","","Kelpie Shipping","ana@kelpie.example"\n'
        '"13","","2026-11-05 09:00:00","2","","","",""\n',
        encoding="utf-8",
    )

    report = run(session, admin, "survey", path)

    assert came_in(session, report) == [
        (
            "NPS 4 \u2013 Dock booking still needs a phone call.\n\n"
            "Let carriers pick their own slot.",
            "Harbor Logistics",
        ),
        ("NPS 7 \u2013 Good, but reports are slow.", None),
    ]
    assert report.unmatched_accounts == {"Kelpie Shipping": 1}
    dates = session.scalars(
        select(Feedback.occurred_at)
        .where(Feedback.import_id == report.import_id)
        .order_by(Feedback.id)
    ).all()
    assert [d.replace(tzinfo=UTC) for d in dates] == [
        datetime(2026, 11, 3, 10, 15, tzinfo=UTC),
        datetime(2026, 11, 4, 9, 0, tzinfo=UTC),
    ]


def test_limesurvey_headings_read_by_their_code_or_question(tmp_path: Path) -> None:
    """Where a heading's question names no field ("SCORE. On a scale of 0 to 10, would you
    tell a friend about us?"), its code does; a question asking the company names the
    account whatever its code ("Q7. Which company do you work for?"); LimeSurvey's own
    columns by their codes (`submitdate`)."""
    path = tmp_path / "results-survey482914.csv"
    path.write_text(
        '"id","submitdate","startdate","SCORE. On a scale of 0 to 10, would you tell a friend '
        'about us?","COMMENT. Say more.","Q7. Which company do you work for?"\n'
        '"21","2026-11-06 11:00:00","2026-11-06 10:58:00","9","Exports are quick now.",'
        '"Harbor Logistics"\n',
        encoding="utf-8",
    )
    (record,) = read_clean("survey", path, OURS).feedback
    assert (record.text, record.account_ref, record.occurred_at, record.external_id) == (
        "NPS 9 \u2013 Exports are quick now.",
        "Harbor Logistics",
        datetime(2026, 11, 6, 11, 0, tzinfo=UTC),
        "21",
    )
