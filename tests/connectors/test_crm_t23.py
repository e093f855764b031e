"""What the t23 tuning files showed of CRM, survey and report exports: a Salesforce Task and
Event report (its comments column, a mass mail and a call recorder's stub as bot), a
Chatter feed-item export (its STATUS column no account's), a survey asking the respondent's
company, and a board whose items carry a table of subitems with a header of their own. Each
rule on a small file of its own, so a change that breaks one names it."""

from pathlib import Path

from huddle.connectors.base import ConnectorOptions
from tests.connectors.helpers import left_out_of, read_clean

OURS = ConnectorOptions(internal_domains=("ourco.com",), staff_names=("Dana Lee", "Sam Ortiz"))


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_a_task_reports_comments_and_what_tools_logged(tmp_path: Path) -> None:
    """Salesforce's Task and Event report: the comments under "Full Comments"; a "List
    Email" (one mail sent to many) and a call recorder's stub ("This call was recorded by
    Gong.") are no one's words about the customer."""
    path = _write(
        tmp_path,
        "activities.csv",
        "Account Name,Subject,Date,Assigned,Task Subtype,Full Comments\n"
        "Acme Robotics,Call: check-in,2026-11-18,Sam Ortiz,Call,"
        "The mobile form drops photos when the signal is weak.\n"
        'Acme Robotics,Call: weekly sync,2026-11-26,Sam Ortiz,Call,"This call was recorded by '
        'Gong.\nListen to the recording: https://app.gong.io/call?id=1"\n'
        "Globex Freight,Email: Winter release,2026-12-02,Priya Raman,List Email,"
        "Join us on December 10 for the winter release webinar.\n",
    )
    read = read_clean("salesforce", path, OURS)
    assert [(r.text, r.account_ref) for r in read.feedback] == [
        ("The mobile form drops photos when the signal is weak.", "Acme Robotics")
    ]
    assert [reason for reason, _ in left_out_of(read)] == ["bot", "bot"]


def test_a_feed_item_export_is_notes_whatever_its_status_column(tmp_path: Path) -> None:
    """Chatter's FeedItem from Data Loader: STATUS ("Published") is the post's, not an
    account's status, so the file is notes; posts without words (a tracked change, a file)
    are skipped."""
    path = _write(
        tmp_path,
        "FeedItem.csv",
        "ID,PARENTID,TYPE,CREATEDDATE,ISDELETED,TITLE,BODY,STATUS\n"
        "0D51,0015e00000GLBX02,TextPost,2026-11-24T16:05:11.000Z,false,,"
        "<p>Drivers can&#39;t see an approval&#39;s status offline.</p>,Published\n"
        "0D52,5005e00001KQ7xYAAT,TrackedChange,2026-11-25T09:12:40.000Z,false,,,Published\n"
        "0D53,0015e00000INTC03,ContentPost,2026-12-01T08:45:00.000Z,false,floorplan.pdf,,"
        "Published\n",
    )
    read = read_clean("salesforce", path, OURS)
    assert read.accounts == []
    assert [(r.text, r.account_ref) for r in read.feedback] == [
        ("Drivers can't see an approval's status offline.", "0015e00000GLBX02")
    ]
    assert read.skipped_rows == 2


def test_a_survey_question_asking_the_company_names_the_account(tmp_path: Path) -> None:
    """A survey without an account column that asks "Which company do you work for?": the
    answer names the account (a respondent writing from a personal address is found so);
    a question about the company's size is no such answer."""
    path = _write(
        tmp_path,
        "nps.csv",
        "Email Address,How likely is it that you would recommend OurCo to a friend?,"
        "What is the primary reason for your score?,What is your company size?,"
        "Which company do you work for?\n"
        "wen.zhao@gmail.example,10,Approval chains saved us a hire.,51-200,Hooli Cloud\n",
    )
    read = read_clean("survey", path, OURS)
    assert [r.account_ref for r in read.feedback] == ["Hooli Cloud"]
    sized = _write(
        tmp_path,
        "sized.csv",
        "Email Address,How likely is it that you would recommend OurCo to a friend?,"
        "What is the primary reason for your score?,What is your company size?\n"
        "wen.zhao@gmail.example,10,Approval chains saved us a hire.,51-200\n",
    )
    assert [r.account_ref for r in read_clean("survey", sized, OURS).feedback] == [None]


def test_a_nested_table_of_subitems_is_not_records(tmp_path: Path) -> None:
    """monday.com's board export: under an item, its subitems with a header of their own,
    one column in, then their rows; the next item starts in the first column again."""
    path = _write(
        tmp_path,
        "board.csv",
        "Name,Subitems,Person,Status,Customer,Customer email,Request details,Date,Item ID\n"
        "Teams alerts,Check Graph permissions,Sam Ortiz,Stuck,Globex Freight,p@globex.example,"
        "We need approvals posted into a Teams channel.,2026-12-02,1723456840\n"
        ",Name,Owner,Status,Date,Item ID,,,\n"
        ",Check Graph permissions,Sam Ortiz,Stuck,2026-12-04,1723456855,,,\n"
        ",Ask IT for an app password,Sam Ortiz,Done,2026-12-05,1723456856,,,\n"
        "Dark mode,,Tom Becker,Done,Hooli Cloud,t@hooli.example,The white screen is blinding "
        "at night.,2026-11-12,1719003321\n",
    )
    read = read_clean("tickets", path, OURS)
    assert [r.text for r in read.feedback] == [
        "We need approvals posted into a Teams channel.",
        "The white screen is blinding at night.",
    ]
    assert read.skipped_rows == 3


def test_a_subtotal_row_beside_its_groups_name_is_no_record(tmp_path: Path) -> None:
    """A grouped report whose group cell is read on every row of the group (a merged cell,
    or a tool that repeats it): the subtotal row carries the group's name, then "Subtotal"
    or "Total", and only figures after."""
    path = _write(
        tmp_path,
        "cases.csv",
        "Company,Subject,Description,Requester Email,Created\n"
        "Acme Robotics,Export,The export drops a column.,a@acme-robotics.example,2026-11-30\n"
        "Acme Robotics,Subtotal,,,\n"
        "Globex Freight,Map,The map is slow on tablets.,b@globex.example,2026-11-29\n"
        "Globex Freight,Total (1 record),,,\n",
    )
    read = read_clean("tickets", path, OURS)
    assert [r.text for r in read.feedback] == [
        "The export drops a column.",
        "The map is slow on tablets.",
    ]
    assert read.skipped_rows == 2
