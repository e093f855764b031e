"""A page of an API's answer: the calls it lists, and whether another page follows.

Intercom's "list calls with transcripts" answers `{"type": "list", "data": [call, …],
"pages": {…}}`, each call keeping its own `transcript`; Attio's call transcript is a page of
one call's turns, `{"data": {"id": {…}, "transcript": [...]}, "pagination": {"next_cursor":
…}}`. A page whose answer goes on names the next one (a cursor, a token, a link): what the
file holds is then not the whole, and the import says so rather than passing it off as all.
"""

from collections.abc import Callable
from typing import Any

from huddle.connectors.record_values import letters_key

# Where a page lists its records (Truto's unified API answers `{"result": [...],
# "next_cursor": …}`).
_LIST_KEYS = ("data", "items", "results", "result", "records", "calls")
# Where a page keeps its paging, and what names the next page there (letters only).
_PAGING_KEYS = frozenset(["pagination", "paging", "pages", "meta", "links", "page"])
_NEXT_KEYS = frozenset(
    ["nextcursor", "nextpagetoken", "nexttoken", "nextpage", "nextpageurl", "next", "after"]
)
_NEXT_INNER = ("starting_after", "after", "cursor", "page", "link")


def calls_on_page(
    record: Any,
    is_call: Callable[[Any], bool],
    untranscribed: Callable[[Any], bool] = lambda _: False,
) -> list[Any] | None:
    """The calls a page lists (under `data`, `items`, `results`…) when every one of them is
    a call by `is_call`, or one listed without its transcript (`untranscribed`: Intercom
    lists calls "with transcripts when available") beside at least one that has it; None for
    any other record."""
    if not isinstance(record, dict):
        return None
    for key in _LIST_KEYS:
        value = record.get(key)
        if not isinstance(value, list):
            continue
        held = [is_call(v) for v in value]
        if any(held) and all(h or untranscribed(v) for h, v in zip(held, value, strict=True)):
            return value
    return None


def next_page(record: Any) -> str | None:
    """What the page names the next page by (a cursor, a token, a link), at its top or in
    its paging block; None when it names none (the last page, or no page at all)."""
    if not isinstance(record, dict):
        return None
    blocks = [record] + [v for k, v in record.items() if letters_key(k) in _PAGING_KEYS]
    for block in blocks:
        if not isinstance(block, dict):
            continue
        for name, value in block.items():
            if letters_key(name) not in _NEXT_KEYS or isinstance(value, bool):
                continue
            if isinstance(value, dict):
                # Intercom's `pages.next` ({"page": 2, "starting_after": "…"}), HubSpot's
                # `paging.next` ({"after": "…", "link": "…"}); one whose members are all
                # empty names none.
                if not any(value.values()):
                    continue
                value = next((value[k] for k in _NEXT_INNER if value.get(k)), value)
            if value in (None, "", 0, []):
                continue  # the last page: no cursor, or a page number of 0
            return str(value)[:120]
    return None
