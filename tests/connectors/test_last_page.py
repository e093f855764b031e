"""A saved API answer names its next page on its last page only: a script's array of pages is
complete when its last page names none (Graph's nextLink, Nylas' next_cursor, Affinity's
next_page_token are all read this one way)."""

import json
from pathlib import Path

from huddle.connectors.json_reading import last_page_value

KEYS = frozenset({"next_cursor", "item.next_cursor"})


def _saved(tmp_path: Path, value: object, text: str | None = None) -> Path:
    path = tmp_path / "page.json"
    path.write_text(text if text is not None else json.dumps(value), encoding="utf-8")
    return path


def test_one_page_names_its_next(tmp_path: Path) -> None:
    page = {"data": [{"id": "m1"}], "next_cursor": "c2"}
    assert last_page_value(_saved(tmp_path, page), KEYS) == "c2"


def test_pages_gathered_are_complete_when_the_last_names_none(tmp_path: Path) -> None:
    pages = [{"data": [], "next_cursor": "c2"}, {"data": [], "next_cursor": "c3"}, {"data": []}]
    assert last_page_value(_saved(tmp_path, pages), KEYS) is None
    assert last_page_value(_saved(tmp_path, pages[:2]), KEYS) == "c3"


def test_an_empty_cursor_or_a_broken_file_names_no_page(tmp_path: Path) -> None:
    assert last_page_value(_saved(tmp_path, {"data": [], "next_cursor": ""}), KEYS) is None
    # A cut file: reading its records says what is wrong; no page is named from half of it.
    assert last_page_value(_saved(tmp_path, None, '{"next_cursor": "c2", "data": ['), KEYS) is None
    assert last_page_value(_saved(tmp_path, None, "\x00\x01 not json"), KEYS) is None
