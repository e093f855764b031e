"""A Typeform webhook's `form_response` kept without its envelope (a receiver that saved only
the response, alone or one a line) is read as the response it is, not as a table of its form's
questions."""

import json
from pathlib import Path
from typing import Any

from huddle.connectors.base import ConnectorOptions
from tests.connectors.helpers import read_clean

OURS = ConnectorOptions(internal_domains=("ourco.com",))
FIELDS = [
    {"id": "q1", "title": "How likely are you to recommend OurCo?", "type": "opinion_scale"},
    {"id": "q2", "title": "What is the main reason for your score?", "type": "long_text"},
]


def _bare(token: str, score: int, why: str, company: str) -> dict[str, Any]:
    """A webhook's `form_response` as Typeform sends it: its form's definition first."""
    return {
        "form_id": "lT4Z3j",
        "token": token,
        "landed_at": "2026-11-30T10:15:02Z",
        "submitted_at": "2026-11-30T10:16:40Z",
        "hidden": {"email": f"{token}@example.org", "company": company},
        "definition": {"id": "lT4Z3j", "title": "Quarterly NPS", "fields": FIELDS},
        "answers": [
            {"type": "number", "number": score, "field": {"id": "q1", "type": "opinion_scale"}},
            {"type": "text", "text": why, "field": {"id": "q2", "type": "long_text"}},
        ],
    }


def test_a_bare_response_saved_alone_is_read(tmp_path: Path) -> None:
    path = tmp_path / "response.json"
    path.write_text(json.dumps(_bare("a3a1", 6, "Reports arrive empty.", "Initech Health")))
    (record,) = read_clean("survey", path, OURS).feedback
    assert (record.text, record.account_ref, record.external_id) == (
        "NPS 6 \u2013 Reports arrive empty.",
        "Initech Health",
        "a3a1",
    )


def test_bare_responses_one_a_line_are_read(tmp_path: Path) -> None:
    path = tmp_path / "responses.jsonl"
    path.write_text(
        json.dumps(_bare("b1", 9, "The map view is great.", "Globex Freight"))
        + "\n"
        + json.dumps(_bare("b2", 2, "Sync loses our photos.", "Hooli Cloud"))
        + "\n"
    )
    read = read_clean("survey", path, OURS)
    assert [(r.external_id, r.account_ref) for r in read.feedback] == [
        ("b1", "Globex Freight"),
        ("b2", "Hooli Cloud"),
    ]
