"""Round 29's API pages and odd files, each on a small input of its own: Typeform's responses
(read by `survey`), a Facebook Page's recommendations (`reviews`), YouTrack's issues
(`tickets`) with their company in a custom field; a compressed download with no magic number
and Google Drive's shortcut to a spreadsheet refused saying what they are, while text in
another encoding is still read."""

import json
import os
import random
import zlib
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

from huddle.connectors.base import ConnectorOptions, get_connector
from huddle.connectors.binary_files import looks_compressed
from huddle.errors import Invalid
from huddle.imports.drive_shortcuts import refuse_shortcut
from tests.connectors.helpers import came_in, left_out_of, read_clean, refused, run, write_json
from tests.factories import actor, create_account

OURS = ConnectorOptions(internal_domains=("ourco.com",), staff_names=("Dana Lee",))


# --- Typeform --------------------------------------------------------------------------------


def _answer(ref: str, kind: str, value: Any, answer_type: str) -> dict[str, Any]:
    return {
        "field": {"id": ref[:8], "type": kind, "ref": ref},
        "type": answer_type,
        answer_type: value,
    }


def _response(token: str, *answers: dict[str, Any], **more: Any) -> dict[str, Any]:
    return {
        "landing_id": token,
        "token": token,
        "response_id": token,
        "response_type": "completed",
        "landed_at": "2026-12-01T09:00:00Z",
        "submitted_at": "2026-12-01T09:02:00Z",
        "metadata": {"platform": "other", "referer": "https://ourco.typeform.com/to/abc"},
        "answers": list(answers),
        **more,
    }


def _page(*items: dict[str, Any]) -> dict[str, Any]:
    return {"total_items": len(items), "page_count": 1, "items": list(items)}


def test_typeform_responses_come_in_by_their_answers_types(tmp_path: Path) -> None:
    """The score is the `nps` answer's number, the comment the open answers' text, the
    company and address the hidden fields; a choice is no one's words."""
    page = _page(
        _response(
            "r1",
            _answer("q_score", "nps", 3, "number"),
            _answer("q_why", "long_text", "Sync loses our photos.", "text"),
            _answer("q_role", "multiple_choice", {"label": "Operations"}, "choice"),
            hidden={"email": "ana@globex.example", "company": "Globex Freight"},
        ),
        # A partial response without a comment: nothing to learn from.
        _response("r2", _answer("q_score", "nps", 9, "number"), response_type="partial"),
    )
    read = read_clean("survey", write_json(tmp_path / "responses.json", page), OURS)
    (record,) = read.feedback
    assert (record.text, record.account_ref, record.contact_email, record.tags) == (
        "NPS 3 \u2013 Sync loses our photos.",
        "Globex Freight",
        "ana@globex.example",
        ["nps:3", "nps:detractor"],
    )
    assert record.external_id == "r1" and record.occurred_at is not None


def test_a_typeform_rating_is_csat_and_a_question_asking_the_company_names_it(
    tmp_path: Path,
) -> None:
    """A webhook's response: a `rating` question is a CSAT; an open question whose ref asks
    the company and an `email` answer name the respondent, not their opinion."""
    payload = {
        "event_id": "e1",
        "event_type": "form_response",
        "form_response": _response(
            "w1",
            _answer("stars", "rating", 2, "number"),
            _answer("company", "short_text", "Initech Health", "text"),
            _answer("work_email", "email", "grace@initech.example", "email"),
            _answer("anything_else", "long_text", "Reports time out.", "text"),
        ),
    }
    read = read_clean("survey", write_json(tmp_path / "hook.json", payload), OURS)
    (record,) = read.feedback
    assert (record.text, record.account_ref, record.contact_email) == (
        "CSAT 2 \u2013 Reports time out.",
        "Initech Health",
        "grace@initech.example",
    )


def test_a_typeform_comment_without_a_score_is_said_skipped(tmp_path: Path) -> None:
    page = _page(_response("r9", _answer("q_why", "long_text", "Exports are slow.", "text")))
    read = read_clean("survey", write_json(tmp_path / "responses.json", page), OURS)
    assert read.feedback == [] and read.skipped_rows == 1
    assert "no score" in read.warnings[0].reason


def test_typeform_tests_and_unknown_companies(session: Session, tmp_path: Path) -> None:
    """A team member's test response is left out; a company Huddle does not know is listed
    as unmatched, one known by the respondent's address is attached."""
    create_account(session, name="Acme Robotics", domain="acme-robotics.example")
    page = _page(
        _response(
            "t1",
            _answer("nps", "nps", 10, "number"),
            _answer("why", "long_text", "test response - checking the hidden fields", "text"),
            hidden={"email": "priya@ourco.com"},
        ),
        _response(
            "t2",
            _answer("nps", "nps", 4, "number"),
            _answer("why", "long_text", "The dashboard lags since October.", "text"),
            hidden={"email": "jo@acme-robotics.example", "company": ""},
        ),
        _response(
            "t3",
            _answer("nps", "nps", 2, "number"),
            _answer("why", "long_text", "Scanning keg barcodes fails.", "text"),
            hidden={"email": "owner@brewery.example", "company": "Tidewater Brewing"},
        ),
    )
    path = write_json(tmp_path / "responses.json", page)
    report = run(session, actor(session, "admin"), "survey", path)
    assert came_in(session, report) == [
        ("NPS 4 \u2013 The dashboard lags since October.", "Acme Robotics"),
        ("NPS 2 \u2013 Scanning keg barcodes fails.", None),
    ]
    assert report.unmatched_accounts == {"Tidewater Brewing": 1}


# --- Facebook Page ratings -------------------------------------------------------------------


def _recommendation(words: str | None, kind: str, name: str | None, **more: Any) -> dict[str, Any]:
    story: dict[str, Any] = {
        "id": f"7719_{len(words or '')}",
        "start_time": "2026-11-20T13:25:41+0000",
        "type": "og.recommends",
        "data": {"recommendation_type": kind, "language": "en_US"},
    }
    review: dict[str, Any] = {
        "created_time": "2026-11-20T13:25:41+0000",
        "has_rating": False,
        "has_review": words is not None,
        "recommendation_type": kind,
        "open_graph_story": story,
        **more,
    }
    if words is not None:
        review["review_text"] = words
        story["message"] = words
        story["data"]["review_text"] = words
    if name:
        review["reviewer"] = {"name": name, "id": "7719"}
    return review


def test_facebook_recommendations_are_reviews_without_stars(tmp_path: Path) -> None:
    """Recommended or not instead of stars (an old review's rating kept), the words once,
    a recommendation without words skipped, the vendor's own people left out."""
    page = {
        "data": [
            _recommendation("Uploads fail on weak Wi-Fi.", "negative", "Bruno Santos"),
            _recommendation(None, "positive", "Owen Price"),
            _recommendation("The reminders sold us.", "positive", None, has_rating=True, rating=4),
            _recommendation(
                "So proud of the team that built this release!", "positive", "Dana Lee"
            ),
        ],
        "paging": {"cursors": {"before": "x", "after": "y"}},
    }
    read = read_clean("reviews", write_json(tmp_path / "ratings.json", page), OURS)
    assert [(r.text, r.title, r.contact_name, r.tags) for r in read.feedback] == [
        (
            "Uploads fail on weak Wi-Fi.",
            "Does not recommend",
            "Bruno Santos",
            ["recommendation:negative", "store:facebook"],
        ),
        (
            "The reminders sold us.",
            "★★★★☆",
            None,
            ["rating:4", "recommendation:positive", "store:facebook"],
        ),
    ]
    assert read.skipped_rows == 1
    assert left_out_of(read) == [("internal", "So proud of the team that built this release!")]


def test_a_facebook_review_with_its_words_only_in_the_story_is_read(tmp_path: Path) -> None:
    review = _recommendation("Support takes days to answer.", "negative", "Ana")
    del review["review_text"]
    read = read_clean("reviews", write_json(tmp_path / "ratings.json", [review]), OURS)
    assert [r.text for r in read.feedback] == ["Support takes days to answer."]


# --- YouTrack --------------------------------------------------------------------------------


def _issue(
    number: int, words: str, email: str, organization: str | None, **more: Any
) -> dict[str, Any]:
    def field(name: str, value: str | None) -> dict[str, Any]:
        return {
            "$type": "SingleEnumIssueCustomField",
            "name": name,
            "value": {"$type": "EnumBundleElement", "name": value} if value else None,
        }

    return {
        "$type": "Issue",
        "id": f"2-{number}",
        "idReadable": f"SUP-{number}",
        "summary": f"Ticket {number}",
        "description": words,
        "created": 1795592460000 + number,
        "reporter": {
            "$type": "User",
            "login": email.split("@")[0],
            "fullName": email.split("@")[0].title(),
            "email": email,
            "userType": {"$type": "UserType", "id": "REPORTER"},
        },
        "customFields": [
            field("Priority", "Critical"),
            field("State", "Open"),
            field("Organization", organization),
        ],
        "tags": [{"$type": "Tag", "name": "labels"}],
        **more,
    }


def test_youtrack_issues_name_their_company_in_a_custom_field(
    session: Session, tmp_path: Path
) -> None:
    """The `Organization` field names the account, created as a prospect when Huddle does
    not know it; without one the reporter's address links the ticket; a quoted mail is cut."""
    create_account(session, name="Acme Robotics", domain="acme-robotics.example")
    issues = [
        _issue(
            1,
            "Bulk reassign times out above 500 tasks.\n\n> On Mon, Nov 30, 2026 OurCo "
            "Support <support@ourco.com> wrote:\n> Could you share an example?",
            "ib@quillon.example",
            "Quillon Insurance",
        ),
        _issue(2, "Can a robot alert us below 20% battery?", "jo@acme-robotics.example", None),
    ]
    path = write_json(tmp_path / "issues.json", issues)
    report = run(session, actor(session, "admin"), "tickets", path, create_accounts=True)
    assert (report.errors, report.created_accounts) == ([], ["Quillon Insurance"])
    assert came_in(session, report) == [
        ("Bulk reassign times out above 500 tasks.", "Quillon Insurance"),
        ("Can a robot alert us below 20% battery?", "Acme Robotics"),
    ]


def test_a_youtrack_ticket_the_team_raised_for_a_caller_is_staff(tmp_path: Path) -> None:
    """An agent (by the Helpdesk's user type, whatever their address) raising a ticket for a
    customer's company, or anyone saying they raised it on a customer's behalf: staff. The
    reporter's own comments follow the description, the team's do not."""
    agent = _issue(3, "Routes lag after re-optimising.", "hector@desk-partner.example", "Globex")
    agent["reporter"]["userType"]["id"] = "AGENT"
    raised = _issue(
        5, "Raised on behalf of Hector (Globex), who phoned in: routes lag.", "x@y.example", None
    )
    del raised["reporter"]["email"]
    customer = _issue(4, "Search misses lowercase references.", "eilidh@ferries.example", None)
    customer["comments"] = [
        {"text": "Still happening today.", "author": {"login": "eilidh"}},
        {"text": "We are looking into it.", "author": {"login": "dana", "email": "dana@ourco.com"}},
    ]
    path = write_json(tmp_path / "issues.json", [agent, raised, customer])
    read = read_clean("tickets", path, OURS)
    assert [(r.text, r.tags) for r in read.feedback] == [
        (
            "Search misses lowercase references.\n\nStill happening today.",
            ["labels", "priority:critical", "status:open"],
        )
    ]
    assert [reason for reason, _ in left_out_of(read)] == ["staff", "staff"]


# --- Files that are not exports --------------------------------------------------------------


def _compressed(size: int) -> bytes:
    """Raw deflate (as Brotli: no magic number) of a JSON page of notes."""
    draw = random.Random(size)
    notes = [{"id": str(i), "body": f"Note {i}: export {draw.random()}"} for i in range(size)]
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return packer.compress(json.dumps({"results": notes}).encode()) + packer.flush()


@pytest.mark.parametrize("name", ["notes.json", "notes.csv"])
def test_a_download_still_compressed_is_refused_as_compressed(
    session: Session, tmp_path: Path, name: str
) -> None:
    path = tmp_path / name
    path.write_bytes(_compressed(60))
    failure = refused(session, actor(session, "admin"), "hubspot", path)
    assert "looks compressed" in failure.report.errors[0].reason


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("Kommentar über Größe und Café, à côté\n" * 20, "cp1252"),
        ("日本語のレビューです。評価は星三つ、遅い。\n" * 20, "shift_jis"),
        ("日本語のレビューです。評価は星三つ、遅い。\n" * 20, "utf-16-le"),
        ("Отзыв: экспорт работает медленно.\n" * 20, "koi8_r"),
    ],
)
def test_text_in_another_encoding_is_not_taken_for_compressed(text: str, encoding: str) -> None:
    assert not looks_compressed(text.encode(encoding)[:512])


def test_kanji_of_many_characters_is_not_taken_for_compressed() -> None:
    """Shift-JIS text of many different kanji spreads its bytes nearly as evenly as
    compressed data does, but holds no control byte."""
    trails = [t for t in range(0x40, 0xFD) if t != 0x7F]
    leads = [*range(0x89, 0xA0), *range(0xE0, 0xEA)]
    pairs = (bytes((leads[i % len(leads)], trails[i * 37 % len(trails)])) for i in range(400))
    head = b"".join(pair for pair in pairs if pair.decode("shift_jis", "replace") != "\ufffd")
    assert not looks_compressed(head[:512])


def test_utf16_text_of_many_characters_is_not_taken_for_compressed() -> None:
    """UTF-16 without a byte-order mark, of many different characters: its bytes spread as
    compressed data's and hold control bytes, but it reads as UTF-16 with its commas."""
    text = "".join(
        chr(0x4E00 + i * 389 % 20000) + ("," if i % 12 == 11 else "") for i in range(300)
    )
    assert not looks_compressed(text.encode("utf-16-le")[:512])
    assert not looks_compressed(text.encode("utf-16-be")[:512])


def test_a_binary_of_few_repeated_bytes_is_not_taken_for_compressed() -> None:
    assert not looks_compressed(b"\x01\xff\x03\xfe" * 128)


def test_random_bytes_of_a_page_are_taken_for_compressed() -> None:
    assert looks_compressed(os.urandom(512)) and looks_compressed(_compressed(30)[:512])


def test_a_cp1252_survey_is_still_read(tmp_path: Path) -> None:
    path = tmp_path / "nps.csv"
    path.write_bytes(
        "Score,Comment\n3,Die Größe der Datei ist zu groß für den Export\n".encode("cp1252")
    )
    read = read_clean("survey", path, ConnectorOptions(encoding="cp1252"))
    assert [r.text for r in read.feedback] == [
        "NPS 3 \u2013 Die Größe der Datei ist zu groß für den Export"
    ]


_POINTER = {
    "": "WARNING! DO NOT EDIT THIS FILE! ANY CHANGES MADE WILL BE LOST!",
    "doc_id": "1pQ3vZk8rT0wYbN4mLxE7cHs2dJ9aUfG6iOq5RtWyV1e",
    "resource_key": "",
    "email": "dana@ourco.com",
}


@pytest.mark.parametrize(
    ("name", "source", "said"),
    [
        ("nps.gsheet", "survey", "Google Sheets spreadsheet"),
        ("call.gdoc", "transcript", "Google Docs document"),
        ("deck.gslides", "email", "Google Slides presentation"),
    ],
)
def test_a_google_drive_shortcut_is_refused_naming_what_it_points_to(
    session: Session, tmp_path: Path, name: str, source: str, said: str
) -> None:
    path = tmp_path / name
    path.write_text(json.dumps(_POINTER, separators=(",", ":")), encoding="utf-8")
    with pytest.raises(Invalid) as raised:
        run(session, actor(session, "admin"), source, path)
    assert "Google Drive shortcut" in raised.value.message and said in raised.value.message
    assert "File → Download" in raised.value.message


def test_an_older_drive_pointer_under_another_name_is_told_by_its_address(
    session: Session, tmp_path: Path
) -> None:
    pointer = {
        "url": "https://docs.google.com/spreadsheets/d/1pQ3/edit?usp=drivesdk",
        "doc_id": "1pQ3",
        "email": "dana@ourco.com",
    }
    path = write_json(tmp_path / "responses.json", pointer)
    with pytest.raises(Invalid, match="Google Sheets spreadsheet"):
        run(session, actor(session, "admin"), "survey", path)


def test_a_record_with_a_doc_id_and_more_is_no_drive_pointer(tmp_path: Path) -> None:
    record = {"doc_id": "d1", "email": "ana@globex.example", "comment": "Slow sync."}
    refuse_shortcut(write_json(tmp_path / "answer.json", record))  # not refused


def test_json_with_a_doc_id_among_its_records_is_no_drive_pointer(tmp_path: Path) -> None:
    """A record of a page that happens to have a `doc_id` is read, not refused."""
    rows = [{"doc_id": "d1", "email": "ana@globex.example", "score": 3, "comment": "Slow sync."}]
    read = get_connector("survey").read(write_json(tmp_path / "nps.json", rows), OURS)
    assert [r.text for r in read.feedback] == ["NPS 3 \u2013 Slow sync."]
