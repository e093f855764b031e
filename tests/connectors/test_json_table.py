"""A JSON page no reader knows, read as the table of its records (`connectors/json_table.py`):
its list of records found under whatever wrapper, each record flattened into columns named by
their path, and the rows read by the connector's CSV names; a list that holds no one's words
(a users list, an API's error) refused."""

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

from huddle.connectors.base import ConnectorOptions
from huddle.connectors.json_table import flatten, json_table
from huddle.errors import Invalid
from tests.connectors.helpers import came_in, left_out_of, read_clean, run
from tests.factories import actor, create_account

OURS = ConnectorOptions(internal_domains=("ourco.com",))


def _write(tmp_path: Path, name: str, value: Any, *, minified: bool = False) -> Path:
    path = tmp_path / name
    text = json.dumps(value) + "\n" if minified else json.dumps(value, indent=2)
    path.write_text(text, encoding="utf-8")
    return path


HELP_DESK_PAGE = {
    "result": {
        "tickets": [
            {
                "id": 101,
                "subject": "Export times out",
                "description": "Exporting the board to PDF times out whenever it has more than "
                "200 cards, and we need it for the weekly review.",
                "requester": {"name": "Mia Lopez", "email": "mia@northwind.example"},
                "organization": {"id": 7, "name": "Northwind"},
                "createdAt": "2026-11-02T10:00:00Z",
                "tags": [{"id": 1, "name": "export"}, {"id": 2, "name": "pdf"}],
                "comments": [{"body": "Thanks, looking into it", "author_id": 9}],
            },
            {
                "id": 102,
                "subject": "Automatic reply: Export times out",
                "description": "I am out of the office until Monday with limited access to email.",
                "requester": {"name": "Tom Hale", "email": "tom@globex.example"},
                "organization": None,
                "createdAt": "2026-11-03T10:00:00Z",
            },
        ],
        "users": [{"id": 9, "name": "Dana"}],
    },
    "next_cursor": None,
}


def test_a_help_desk_page_of_no_known_tool_reads_by_the_field_names(tmp_path: Path) -> None:
    """The records under `result.tickets`, not the sideloaded users beside them; the requester's
    address and company by their nested names; camelCase dates; an auto-reply left out."""
    path = _write(tmp_path, "page.json", HELP_DESK_PAGE)
    read = read_clean("tickets", path, OURS)
    (ticket,) = read.feedback
    assert ticket.text.startswith("Exporting the board to PDF times out")
    assert ticket.title == "Export times out"
    assert ticket.contact_email == "mia@northwind.example"
    assert ticket.account_ref == "Northwind"
    assert ticket.occurred_at is not None and ticket.occurred_at.day == 2
    assert left_out_of(read) == [
        ("auto-reply", "I am out of the office until Monday with limited access to email.")
    ]
    assert any("read as a table of its records" in str(w) for w in read.warnings)


def test_a_page_saved_on_one_line_is_a_page_not_json_lines(tmp_path: Path) -> None:
    """`curl` saves an API page minified: one line holding the wrapper, not one record."""
    path = _write(tmp_path, "page.json", HELP_DESK_PAGE, minified=True)
    read = read_clean("tickets", path, OURS)
    assert [r.external_id for r in read.feedback] == ["101"]


def test_a_nested_company_is_found_by_its_last_word(tmp_path: Path) -> None:
    """A survey tool's `respondent.company`: no column is named "company", the nested one is;
    but the survey's `name` is not taken as the respondent's for its last word."""
    page = {
        "responses": [
            {
                "id": "s1",
                "score": 3,
                "comment": "Reports are too hard to build without help from support.",
                "respondent": {"email": "li@initech.example", "company": "Initech"},
                "survey": {"id": 77, "name": "Q3 relationship NPS"},
                "submitted_at": "2026-09-01 12:00:00",
            }
        ],
        "total": 1,
    }
    read = read_clean("survey", _write(tmp_path, "nps.json", page), OURS)
    (answer,) = read.feedback
    assert answer.account_ref == "Initech"
    assert answer.contact_name is None  # the survey's name is nobody's
    assert "Reports are too hard to build" in answer.text


def test_a_chat_tools_messages_reach_the_chat_connectors(session: Session, tmp_path: Path) -> None:
    """Given to `slack` or `intercom`, whose readers know no such page: read as a table, as
    chat items, the team's own message left out, the import warning how it was read."""
    create_account(session, name="Initech", domain="initech.example")
    page = {
        "ok": True,
        "data": {
            "messages": [
                {
                    "id": "m1",
                    "body": "Can we get an export of the audit log to CSV? Our compliance "
                    "team asks for it every quarter.",
                    "sender": {"name": "Rae Chen", "email": "rae@initech.example"},
                    "sent_at": "2026-11-04T08:00:00Z",
                },
                {
                    "id": "m2",
                    "body": "Thanks Rae, I have logged that for the product team today.",
                    "sender": {"name": "Dana Staff", "email": "dana@ourco.com"},
                    "sent_at": "2026-11-04T08:05:00Z",
                },
            ]
        },
    }
    path = _write(tmp_path, "messages.json", page)
    for source in ("slack", "intercom"):
        report = run(
            session, actor(session, role="admin"), source, path, internal_domains=("ourco.com",)
        )
        assert [a for _, a in came_in(session, report)] == ["Initech"]
        assert report.left_out == {"internal": 1}
        assert any("read as a table of its records" in str(w) for w in report.warnings)


def test_a_users_list_is_refused_not_read_as_names(session: Session, tmp_path: Path) -> None:
    """A help desk's users export handed over as its tickets: records with no one's words.
    Refused, saying so, nothing written — not a name per item."""
    users = {
        "users": [
            {"id": 1, "name": "Nadia Price", "email": "nadia@ourco.com", "details": ""},
            {"id": 2, "name": "Wen Zhao", "email": "wen@hooli.example", "details": ""},
        ],
        "next_page": None,
    }
    path = _write(tmp_path, "users.json", users)
    for source in ("tickets", "zendesk"):
        with pytest.raises(Exception) as refusal:
            run(session, actor(session, role="admin"), source, path)
        assert "Nadia Price" not in str(refusal.value)
    read = read_clean("zendesk", path, OURS)  # zendesk's own reader: nothing, no error
    assert read.feedback == []


def test_an_apis_error_body_is_no_list_of_records(tmp_path: Path) -> None:
    """`{"description": "Validation failed", "errors": [...]}`: what a request got instead of
    its records; the errors are not read as records."""
    body = {
        "description": "Validation failed",
        "errors": [
            {"field": "updated_since", "message": "It should be in the valid date time format"}
        ],
    }
    with pytest.raises(Invalid, match="no list of records"):
        json_table(_write(tmp_path, "err.json", body), "utf-8", "a ticket")


def test_flatten_names_columns_by_path_and_keeps_label_lists() -> None:
    record = {
        "author": {"displayName": "Kate W", "profile": {"email": "k@x.example"}},
        "labels": [{"id": 3, "name": "billing"}, {"id": 4, "name": "sso"}],
        "votes": 4.0,
        "pinned": False,
        "replies": [{"id": 1, "body": "a reply", "author": {"id": 2}}],
    }
    assert flatten(record) == {
        "author display Name": "Kate W",
        "author profile email": "k@x.example",
        "labels": "billing, sso",
        "votes": "4",
        "pinned": "false",
    }
