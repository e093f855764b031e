"""Round 28's review of its new record readers, each finding on a small input of its own:
ServiceNow's cases (read by `zendesk`) by their table, contact, opener and journal lines;
records that are no objects or notes without text named as errors; Attio's list entries not
taken for notes; and the one check of an API page's next page (`first_value_at`)."""

import hashlib
import json
from pathlib import Path
from typing import Any

from huddle.connectors.base import ConnectorOptions, get_connector
from huddle.connectors.crm_attio import is_attio_notes
from huddle.connectors.json_reading import first_value_at
from huddle.connectors.servicenow import servicenow_ticket
from tests.connectors.helpers import left_out_of, read_clean, write_json

OURS = ConnectorOptions(internal_domains=("ourco.com",), staff_names=("Dana Lee",))
SITE = "https://ourco.service-now.com"


def _case(number: str, words: str, **more: Any) -> dict[str, Any]:
    """A case as `sysparm_display_value=true` writes it: shown values, references named."""
    return {
        "number": number,
        "sys_id": hashlib.md5(number.encode()).hexdigest(),
        "short_description": "Export",
        "description": words,
        "account": {"display_value": "Hooli Cloud", "link": f"{SITE}/api/now/table/x/1"},
        "contact": {"display_value": "Mei Tanaka", "link": f"{SITE}/api/now/table/y/2"},
        "opened_by": {"display_value": "Mei Tanaka", "link": f"{SITE}/api/now/table/z/2"},
        "contact_type": "web",
        "sys_created_on": "2026-12-01 10:00:00",
        **more,
    }


def _read(tmp_path: Path, *records: Any, options: ConnectorOptions = OURS) -> Any:
    path = write_json(tmp_path / "cases.json", {"result": list(records)})
    return get_connector("zendesk").read(path, options)


def test_a_servicenow_record_of_another_table_is_refused_naming_it(tmp_path: Path) -> None:
    """A knowledge article or a change request is the team's writing, not a customer's case:
    refused by its `sys_class_name`, else by its number's prefix; cases and incidents read."""
    article = _case("KB0010042", "How to reset a badge.", sys_class_name="kb_knowledge")
    read = _read(tmp_path, _case("CS0042001", "The export cuts comments."), article)
    # (On the article's lines, the second record's, not the file's first.)
    assert [(e.line > 20, "kb_knowledge" in e.reason) for e in read.errors] == [(True, True)]
    read = _read(tmp_path, _case("CHG0030001", "Upgrade the cluster on Sunday."))
    assert len(read.errors) == 1 and "CHG0030001" in read.errors[0].reason
    read = _read(
        tmp_path,
        _case("INC0010001", "Logins fail."),
        _case("CS0042002", "Sync is slow.", sys_class_name="sn_customerservice_case"),
    )
    assert read.errors == [] and [r.text for r in read.feedback] == [
        "Logins fail.",
        "Sync is slow.",
    ]


def test_a_contact_given_by_its_sys_id_is_a_person(tmp_path: Path) -> None:
    """`sysparm_display_value=false` (the default) gives a reference's sys_id alone: a case
    of such a contact, created through the portal by `system`, is theirs, not a bot's."""
    case = {
        "number": "CS0042005",
        "sys_id": "a" * 32,
        "short_description": "Export",
        "description": "The export drops the last row.",
        "contact": {"link": f"{SITE}/api/now/table/customer_contact/x", "value": "d" * 32},
        "opened_by": {"link": f"{SITE}/api/now/table/sys_user/x", "value": "d" * 32},
        "sys_created_by": "system",
        "contact_type": "web",
        "sys_created_on": "2026-12-01 10:00:00",
    }
    read = read_clean("zendesk", write_json(tmp_path / "c.json", {"result": [case]}), OURS)
    assert [r.text for r in read.feedback] == ["The export drops the last row."]
    assert read.left_out == []


def test_a_case_a_colleague_of_the_contact_opened_is_the_customers(tmp_path: Path) -> None:
    """Opened by someone else than its contact: the team's words only when the opener is one
    of the team (by address, or by name) or took a call; a colleague on the portal is the
    customer's."""
    colleague = {"display_value": "Ken Ito", "link": f"{SITE}/api/now/table/z/3"}
    ours = {"display_value": "Tom Becker", "link": f"{SITE}/api/now/table/z/4"}
    read = _read(
        tmp_path,
        _case("CS0042006", "Our badges stopped working.", opened_by=colleague),
        _case(
            "CS0042007",
            "Mei says badges fail.",
            opened_by=ours,
            **{"opened_by.email": "tom@ourco.com"},
        ),
        _case("CS0042008", "Mei called: badges fail.", opened_by=colleague, contact_type="phone"),
    )
    assert read.errors == [] and [r.text for r in read.feedback] == ["Our badges stopped working."]
    assert [reason for reason, _ in left_out_of(read)] == ["staff", "staff"]
    # By name: the team's people the options name.
    by_name = _case("CS0042009", "Badges fail.", opened_by={"display_value": "Dana Lee"})
    assert servicenow_ticket(by_name, SITE, OURS)["submitter_role"] == "agent"
    assert servicenow_ticket(by_name, SITE, ConnectorOptions())["submitter_role"] is None
    # And so through the reader: the connector's options reach the case.
    read = _read(tmp_path, by_name)
    assert read.feedback == [] and [reason for reason, _ in left_out_of(read)] == ["staff"]


def test_a_comment_line_with_a_date_is_not_a_journal_entry(tmp_path: Path) -> None:
    """A journal entry opens "date time - name (journal)"; a customer's line with a date
    and brackets is their words; a "<" in plain words is no markup."""
    comments = (
        "2026-11-29 14:02:11 PST - Mei Tanaka (Additional comments)\n"
        "2026-11-29 - we restarted it (twice)\n"
        "and it still fails.\n\n"
        "2026-11-29 13:00:00 PST - Tom Becker (Additional comments)\n"
        "Please restart it."
    )
    read = _read(
        tmp_path, _case("CS0042010", "Import fails with <missing sku>.", comments=comments)
    )
    assert read.errors == []
    assert [r.text for r in read.feedback] == [
        "Import fails with <missing sku>.\n\n"
        "2026-11-29 - we restarted it (twice)\nand it still fails."
    ]


def test_records_that_are_no_objects_or_notes_without_text_are_errors(tmp_path: Path) -> None:
    read = get_connector("zendesk").read(
        write_json(tmp_path / "odd.json", {"result": [None, 5, "x"]}), OURS
    )
    assert len(read.errors) == 1 and "a case must be a JSON object" in read.errors[0].reason
    notes = {
        "data": [
            {"id": "1", "Note_Title": "Call", "Parent_Id": {"name": "Harbor", "id": "57"}},
        ],
        "info": {"more_records": False},
    }
    read = get_connector("salesforce").read(write_json(tmp_path / "notes.json", notes), OURS)
    assert [(e.column, e.reason.startswith("note 1 has no Note_Content")) for e in read.errors] == [
        ("Note_Content", True)
    ]


def test_attio_list_entries_are_not_notes(tmp_path: Path) -> None:
    entries = {
        "data": [
            {
                "id": {"workspace_id": "w-1", "list_id": "l-1", "entry_id": "e-1"},
                "parent_record_id": "rec-1",
                "parent_object": "companies",
                "created_at": "2026-11-24T16:02:11.512000000Z",
                "entry_values": {"stage": [{"status": {"title": "Won"}}]},
            }
        ]
    }
    path = write_json(tmp_path / "entries.json", entries)
    assert not is_attio_notes(path, "utf-8")
    # Read as another tool's table of records instead, which says what it lacks.
    read = get_connector("hubspot").read(path, OURS)
    assert read.feedback == [] and len(read.errors) == 1
    note = {**entries["data"][0], "id": {"note_id": "n-1"}, "content_plaintext": "SSO, please."}
    assert is_attio_notes(write_json(tmp_path / "notes.json", {"data": [note]}), "utf-8")


def test_first_value_at_is_none_where_the_file_cannot_be_read(tmp_path: Path) -> None:
    page = tmp_path / "page.json"
    page.write_text(json.dumps({"data": [], "info": {"more_records": True, "page": 2}}))
    assert first_value_at(page, "info.page", "utf-8") == 2
    assert first_value_at(page, "paging", "utf-8") is None
    page.write_text('{"data": [1, 2')  # cut short
    assert first_value_at(page, "info", "utf-8") is None
