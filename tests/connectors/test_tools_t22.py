"""Tools' exports as the t22 tuning files showed them: GitLab's issues CSV (a column named
with its zone, "Created At (UTC)"; the customer in a scoped label), Linear's dates as
JavaScript writes them, and Tally's open questions. Each rule on a small file of its own."""

from datetime import UTC, datetime
from pathlib import Path

from huddle.connectors.base import ConnectorOptions
from huddle.connectors.export_dates import export_date
from huddle.imports.fields import FEEDBACK_FIELDS, resolve_columns
from tests.connectors.helpers import read_clean

OURS = ConnectorOptions(internal_domains=("ourco.com",), staff_names=("Priya Raman",))


def test_a_column_named_with_what_the_tool_adds_in_brackets() -> None:
    """GitLab's "Created At (UTC)" is the date when no column is named "Created at"."""
    columns = resolve_columns(["Title", "Description", "Created At (UTC)"], FEEDBACK_FIELDS, {})
    assert columns["occurred_at"] == "Created At (UTC)"
    columns = resolve_columns(
        ["Description", "Created At (UTC)", "Created at"], FEEDBACK_FIELDS, {}
    )
    assert columns["occurred_at"] == "Created at"


def test_gitlab_service_desk_issues(tmp_path: Path) -> None:
    """Every Service Desk issue's author is GitLab's bot; the customer is in a scoped label
    ("customer::Initech Health"); an issue without one names no account."""
    path = tmp_path / "issues.csv"
    path.write_text(
        "Title,Description,Issue ID,IID,Author,Created At (UTC),Labels\n"
        'Results twice,"The result shows twice in the timeline.",9001,41,GitLab Support Bot,'
        '2026-11-26 09:14:03,"customer::Initech Health,service-desk,type::bug"\n'
        'No barcodes,"We cannot print a barcode from the product page.",9002,42,'
        'GitLab Support Bot,2026-11-27 10:00:00,"service-desk,type::feature"\n'
    )
    first, second = read_clean("tickets", path, OURS).feedback
    assert (first.account_ref, first.occurred_at) == (
        "Initech Health",
        datetime(2026, 11, 26, 9, 14, 3, tzinfo=UTC),
    )
    assert second.account_ref is None


def test_dates_as_javascript_writes_them() -> None:
    """Linear's CSV: `Date.toString()`, its offset applied and the zone's name ignored."""
    assert export_date("Mon Nov 30 2026 08:10:11 GMT+0000 (Coordinated Universal Time)") == (
        datetime(2026, 11, 30, 8, 10, 11, tzinfo=UTC)
    )
    assert export_date("Tue Dec 01 2026 09:10:11 GMT+0100 (Central European Standard Time)") == (
        datetime(2026, 12, 1, 8, 10, 11, tzinfo=UTC)
    )


def test_tallys_open_questions(tmp_path: Path) -> None:
    """Tally names columns by their questions: "Anything we could do better?" is an open
    question too; "N/A" in the first leaves the second's words."""
    path = tmp_path / "tally.csv"
    path.write_text(
        "Submission ID,Submitted at,How likely are you to recommend OurCo to a friend or "
        "colleague?,What's the main reason for your score?,Anything we could do better?,email\n"
        "y8Ik,2026-12-01 13:13:13,8,N/A,Let us export the audit trail as a PDF.,"
        "samir@initech.example\n"
    )
    (answer,) = read_clean("survey", path, OURS).feedback
    assert answer.text == "NPS 8 \u2013 Let us export the audit trail as a PDF."
