# ruff: noqa: RUF001
"""Review of round 29's new readers, each finding on a small input of its own: Typeform's
"Other" words and name questions, a webhook whose answers follow a long form definition;
Facebook's older star ratings and another tool's `recommendation_type`; YouTrack's articles,
user fields and one issue saved alone; and prose in UTF-16 without a byte-order mark not
taken for compressed bytes."""

import gzip
import zlib
from pathlib import Path
from typing import Any

import pytest

from huddle.connectors.base import ConnectorOptions, get_connector
from huddle.connectors.binary_files import looks_compressed, refuse_binary
from huddle.errors import Invalid
from tests.connectors.helpers import read_clean, write_json

OURS = ConnectorOptions(internal_domains=("ourco.com",), staff_names=("Dana Lee",))


def _answer(field_id: str, kind: str, answer_type: str, value: Any) -> dict[str, Any]:
    return {
        "field": {"id": field_id, "type": kind, "ref": f"ref-{field_id}"},
        "type": answer_type,
        answer_type: value,
    }


def _webhook(fields: list[dict[str, Any]], answers: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "event_id": "01HX",
        "event_type": "form_response",
        "form_response": {
            "form_id": "aBcD12",
            "token": "t0k3n",
            "landed_at": "2026-11-02T09:00:00Z",
            "submitted_at": "2026-11-02T09:02:00Z",
            "hidden": {},
            "definition": {"id": "aBcD12", "title": "NPS", "fields": fields},
            "answers": answers,
        },
    }


def test_typeform_words_typed_as_other_are_the_comment(tmp_path: Path) -> None:
    """A choice's "Other" box holds what the respondent typed: their words, not an option."""
    item = {
        "landing_id": "l1",
        "token": "l1",
        "submitted_at": "2026-11-02T09:02:00Z",
        "answers": [
            _answer("a", "nps", "number", 4),
            _answer("b", "multiple_choice", "choice", {"label": "Price"}),
            _answer(
                "c",
                "multiple_choice",
                "choices",
                {"labels": ["Speed"], "other": "Boards load slowly"},
            ),
        ],
    }
    read = read_clean("survey", write_json(tmp_path / "r.json", {"items": [item]}), OURS)
    assert [r.text for r in read.feedback] == ["NPS 4 \u2013 Boards load slowly"]


def test_typeform_webhook_read_when_its_answers_follow_a_long_definition(tmp_path: Path) -> None:
    """A webhook's answers come after the form's whole definition, past the bytes looked at
    first: the envelope says it is Typeform's."""
    fields = [
        {"id": f"q{n}", "title": f"Option question {n} " + "x" * 300, "type": "multiple_choice"}
        for n in range(300)
    ]
    fields += [
        {"id": "a", "title": "How likely are you to recommend us?", "type": "nps"},
        {"id": "b", "title": "Why?", "type": "long_text"},
    ]
    answers = [
        _answer("a", "nps", "number", 9),
        _answer("b", "long_text", "text", "The timeline view saves us hours"),
    ]
    path = write_json(tmp_path / "hook.json", _webhook(fields, answers))
    assert path.stat().st_size > 70_000
    read = read_clean("survey", path, OURS)
    assert [r.text for r in read.feedback] == ["NPS 9 \u2013 The timeline view saves us hours"]


def test_typeform_name_questions_name_the_respondent(tmp_path: Path) -> None:
    """A contact block's "First name" and "Last name" are who answered, not a comment."""
    fields = [
        {"id": "f", "title": "First name", "type": "short_text"},
        {"id": "l", "title": "Last name", "type": "short_text"},
        {"id": "a", "title": "How likely are you to recommend us?", "type": "nps"},
        {"id": "b", "title": "What should we improve?", "type": "long_text"},
    ]
    answers = [
        _answer("f", "short_text", "text", "Mei"),
        _answer("l", "short_text", "text", "Tanaka"),
        _answer("a", "nps", "number", 6),
        _answer("b", "long_text", "text", "Search on mobile is too slow"),
    ]
    read = read_clean("survey", write_json(tmp_path / "h.json", _webhook(fields, answers)), OURS)
    assert [(r.text, r.contact_name) for r in read.feedback] == [
        ("NPS 6 \u2013 Search on mobile is too slow", "Mei Tanaka")
    ]


def test_facebook_older_ratings_with_stars_only_are_read(tmp_path: Path) -> None:
    """A page of ratings from before recommendations (stars, `has_rating`) is Facebook's."""
    rating = {
        "created_time": "2016-05-01T10:00:00+0000",
        "has_rating": True,
        "has_review": True,
        "rating": 2,
        "review_text": "Support never answered my billing question",
        "reviewer": {"name": "Ann Lee", "id": "10"},
    }
    path = write_json(tmp_path / "ratings.json", {"data": [rating], "paging": {}})
    read = read_clean("reviews", path, OURS)
    assert [(r.text, r.title) for r in read.feedback] == [
        ("Support never answered my billing question", "\u2605\u2605\u2606\u2606\u2606")
    ]


def test_another_tools_recommendation_type_is_not_facebooks(tmp_path: Path) -> None:
    """`recommendation_type` of another tool ("upsell") leaves its reviews to the JSON reader,
    their words under `comment` kept."""
    review = {"id": 7, "recommendation_type": "upsell", "rating": 4, "comment": "Great value"}
    read = read_clean("reviews", write_json(tmp_path / "r.json", {"data": [review]}), OURS)
    assert [r.text for r in read.feedback] == ["Great value"]


def _issue(number: int, **more: Any) -> dict[str, Any]:
    return {
        "$type": "Issue",
        "id": f"2-{number}",
        "idReadable": f"SUP-{number}",
        "summary": "Export broken",
        "description": "The CSV export drops the last row.",
        "created": 1764590400000,
        "reporter": {"$type": "User", "login": "mei", "fullName": "Mei Tanaka"},
        "comments": [],
        **more,
    }


def test_youtrack_articles_are_refused_not_read_as_tickets(tmp_path: Path) -> None:
    """A knowledge base article has a readable id and a summary too: the team's writing."""
    article = {
        "$type": "Article",
        "idReadable": "KB-A-3",
        "summary": "How to export",
        "content": "Open Settings.",
    }
    read = get_connector("tickets").read(write_json(tmp_path / "a.json", [article]), OURS)
    assert read.feedback == [] and read.left_out == []
    assert [("Article" in e.reason, "/api/issues" in e.reason) for e in read.errors] == [
        (True, True)
    ]


def test_youtrack_user_field_named_customer_is_no_account(tmp_path: Path) -> None:
    """A "Customer" field holding a user names a person, not the company."""
    user = {"$type": "User", "login": "mei", "fullName": "Mei Tanaka", "name": "Mei Tanaka"}
    fields = [{"$type": "SingleUserIssueCustomField", "name": "Customer", "value": user}]
    read = read_clean(
        "tickets", write_json(tmp_path / "i.json", [_issue(1, customFields=fields)]), OURS
    )
    assert [(r.text, r.account_ref) for r in read.feedback] == [
        ("The CSV export drops the last row.", None)
    ]


def test_youtrack_issue_saved_alone_is_read(tmp_path: Path) -> None:
    """`GET /api/issues/{id}` answers the issue alone: read as it, not as its comments."""
    comment = {"$type": "IssueComment", "text": "Still broken today.", "author": {"login": "mei"}}
    path = write_json(tmp_path / "one.json", _issue(2, comments=[comment]))
    read = read_clean("tickets", path, OURS)
    assert [(r.external_id, r.text) for r in read.feedback] == [
        ("SUP-2", "The CSV export drops the last row.\n\nStill broken today.")
    ]


_PROSE = (
    "客戶反映：自從上週系統更新後，報表匯出經常逾時，尤其是超過五千筆資料的專案。"
    "業務部門每天早上必須整理銷售數據，目前只能逐頁截圖貼到試算表，既費時又容易出錯。"
    "此外，行動版應用程式在搜尋聯絡人時會閃退，客服人員已經回報三次但尚未修復。"
    "採購主管詢問能否提供年度授權折扣、發票分期付款，以及資料存放於臺灣境內機房的選項。"
    "使用者普遍喜歡新的儀表板設計，但認為篩選條件太少，希望增加依地區、產品線與負責人分類。"
    "最後，資訊長強調資安稽核即將到來，需要單一登入、雙重驗證紀錄與完整的操作日誌匯出功能。"
)


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_chinese_prose_in_utf16_without_bom_is_not_compressed(
    tmp_path: Path, encoding: str
) -> None:
    """Traditional Chinese without a space or an ASCII character in its first lines reads as
    UTF-16 all the same: text, not compressed bytes; compressed bytes still are."""
    head = _PROSE.encode(encoding)
    assert not looks_compressed(head[:512])
    refuse_binary(tmp_path / "notes.txt", head)
    packed = zlib.compress(_PROSE.encode() * 4)[2:]  # raw deflate: no magic
    assert looks_compressed(packed)
    with pytest.raises(Invalid, match="gzip-compressed"):
        refuse_binary(tmp_path / "notes.txt", gzip.compress(head))
