"""Product-management and research tools' exports as the t26 tuning files showed them, read
through `tickets`: a research table (Airtable's "Snippet", Dovetail's "Highlight") with the
researcher's observations and questions, Savio's votes and notes to self, Harvestr's snippet
beside the whole message, Pendo Feedback's "Requested By" and "Account Name", Jira Product
Discovery's wiki markup and "Customers" field, and notes an automation (Zapier, Automation for
Jira) pushed in. Each rule on a small file of its own, so a change that breaks one names it."""

from pathlib import Path

from huddle.connectors.base import ConnectorOptions
from tests.connectors.helpers import left_out_of, read_clean

OURS = ConnectorOptions(
    internal_domains=("ourco.com",), staff_names=("Dana Lee", "Sam Ortiz", "Priya Raman")
)


def _csv(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "export.csv"
    path.write_text(text)
    return path


def test_research_table_quotes_and_the_researchers_rows(tmp_path: Path) -> None:
    """An Airtable research repository: the participant's words are the 'Snippet', the
    company a linked record (quoted, or several from a joint interview: the first); an
    'Observation' row is the researcher's, the table's example row a test, and the
    researcher's 'Insight' is not in the item."""
    path = _csv(
        tmp_path,
        "Snippet,Participant,Company,Highlight type,Insight,Researcher,Created time\n"
        'We re-key every order twice.,Ann Ng,"Umbrella Retail,Vandelay Imports",Quote,'
        "Exports must keep ids,Priya Raman,10/14/2026 9:12am\n"
        'The invoice hides the site.,Bo Li,"""Saffron & Stone""",Quote,Site breakdown,'
        "Priya Raman,10/15/2026 9:12am\n"
        "P1 gave up on the approvals screen.,Ann Ng,Umbrella Retail,Observation,"
        "Not discoverable,Priya Raman,10/16/2026 9:12am\n"
        "Example: paste the customer's exact words here,Jane Doe,,Quote,,,10/01/2026 8:00am\n",
    )
    read = read_clean("tickets", path, OURS)
    assert [(r.text, r.account_ref) for r in read.feedback] == [
        ("We re-key every order twice.", "Umbrella Retail"),
        ("The invoice hides the site.", "Saffron & Stone"),
    ]
    assert left_out_of(read) == [
        ("internal", "P1 gave up on the approvals screen."),
        ("test", "Example: paste the customer's exact words here"),
    ]


def test_highlights_interviewer_question_and_debrief(tmp_path: Path) -> None:
    """Dovetail's highlights: the participant's email names the account; the interviewer's
    own question ('[Interviewer] …') and a highlight from the team's debrief note (no
    participant, created by one of the team) are the team's words."""
    path = _csv(
        tmp_path,
        "Highlight ID,Highlight,Participant,Participant email,Company,Created by,Created at\n"
        "h1,I export the roster every Sunday.,Carla M,carla@globex.example,,Priya Raman,"
        "2026-10-09T15:04:11Z\n"
        "h2,[Interviewer] Walk me through a shift swap.,Carla M,carla@globex.example,,"
        "Priya Raman,2026-10-09T15:06:40Z\n"
        "h3,Three of five participants raised payroll.,,,,Sam Ortiz,2026-10-30T17:00:00Z\n",
    )
    read = read_clean("tickets", path, OURS)
    assert [(r.text, r.contact_email) for r in read.feedback] == [
        ("I export the roster every Sunday.", "carla@globex.example")
    ]
    assert [reason for reason, _ in left_out_of(read)] == ["internal", "internal"]


def test_a_vote_with_no_words_is_skipped(tmp_path: Path) -> None:
    """Savio's export: a vote has no 'Feedback', only its feature request: no item, counted
    as skipped, not a bad row; a PM's note to self is internal, not a test."""
    path = _csv(
        tmp_path,
        "Feedback ID,Feedback,Feature Request,Person Name,Person Email,Company Name,Source,"
        "Submitter,Created At\n"
        "1,Bulk-edit pay rates please.,Bulk edit,Ana Ruiz,ana@hooli.example,Hooli Cloud,"
        "Intercom,Savio Bot,2026-09-05 10:40:02 UTC\n"
        "2,,Hardware keys,Omar H,omar@globex.example,Globex Freight,Vote,Omar H,"
        "2026-09-04 08:01:55 UTC\n"
        "3,Note to self: check whether churned accounts asked for Xero sync.,Xero,Priya Raman,"
        "priya@ourco.com,,Web App,Priya Raman,2026-09-06 09:00:00 UTC\n",
    )
    read = read_clean("tickets", path, OURS)
    assert [(r.text, r.contact_name) for r in read.feedback] == [
        ("Bulk-edit pay rates please.", "Ana Ruiz")
    ]
    assert read.skipped_rows == 1
    assert [reason for reason, _ in left_out_of(read)] == ["internal"]


def test_snippet_beside_the_whole_message(tmp_path: Path) -> None:
    """Harvestr: the highlighted 'Feedback' is the item, not the conversation in 'Message
    content'; a row with no snippet is read from its message; a note Zapier pushed in is a
    bot's; day-first dates."""
    path = _csv(
        tmp_path,
        "Feedback ID,Feedback,Message content,Requester name,Requester email,Company,"
        "Created at\n"
        'hv1,the map freezes,"Tessa: the map freezes\nDana Lee: can you send a screenshot?",'
        "Tessa Wu,tessa@acme.example,Acme Robotics,14/10/2026 08:12\n"
        "hv2,,Automated message: health score dropped to 42. Triggered by Zapier.,Zapier,"
        "zapier@ourco.com,Initech Health,04/11/2026 02:00\n"
        "hv3,,We need rooms as bookable resources.,Maya Chen,maya@dental.example,,"
        "07/11/2026 16:20\n",
    )
    read = read_clean("tickets", path, OURS)
    got = [(r.text, r.occurred_at.month if r.occurred_at else None) for r in read.feedback]
    assert got == [("the map freezes", 10), ("We need rooms as bookable resources.", 11)]
    assert [reason for reason, _ in left_out_of(read)] == ["bot"]


def test_requested_by_and_account_name_before_its_id(tmp_path: Path) -> None:
    """Pendo Feedback: 'Requested By Email' is who asked (not 'Created By Email', who logged
    it), and 'Account Name' names the account rather than Pendo's own 'Account ID'."""
    path = _csv(
        tmp_path,
        "Request ID,Title,Description,Created At,Created By,Created By Email,Requested By,"
        "Requested By Email,Account Name,Account ID\n"
        "1219,Deutsch,Wir brauchen die Oberfläche auf Deutsch.,2026-08-24 07:48:51,Sam Ortiz,"
        "sam@ourco.com,Katrin Brandt,k.brandt@nordlicht.example,Nordlicht Bau GmbH,"
        "pendo-acct-90377\n",
    )
    read = read_clean("tickets", path, OURS)
    assert [(r.contact_email, r.contact_name, r.account_ref) for r in read.feedback] == [
        ("k.brandt@nordlicht.example", "Katrin Brandt", "Nordlicht Bau GmbH")
    ]


def test_jira_product_discovery_ideas(tmp_path: Path) -> None:
    """Jira Product Discovery: wiki markup ('h3.', '{quote}') is cut, its words kept; the
    'Customers' field names the account (the first of several); an idea Automation for Jira
    created from Slack is a bot's (by its name); a workspace user's idea naming customers is staff."""
    path = _csv(
        tmp_path,
        "Summary,Issue key,Reporter,Created,Description,Custom field (Customers)\n"
        'Yard checks,DISC-41,Marta K,03/Nov/26 10:14 AM,"h3. Customer words\n'
        '{quote}The yard check fails with no signal.{quote}",Globex Freight\n'
        "From Slack,DISC-52,Automation for Jira,06/Nov/26 8:01 AM,"
        "Idea from a message in #feedback: shift swap approvals.,\n"
        "SAML mapping,DISC-44,Priya Raman,04/Nov/26 9:30 AM,Both raised it in QBRs.,"
        '"Acme Robotics, Initech Health"\n',
    )
    read = read_clean("tickets", path, OURS)
    assert [(r.text, r.account_ref) for r in read.feedback] == [
        ("Customer words\nThe yard check fails with no signal.", "Globex Freight")
    ]
    assert [reason for reason, _ in left_out_of(read)] == ["bot", "staff"]
    assert read.left_out[1].record.account_ref == "Acme Robotics"


def test_status_note_pushed_in_by_zapier(tmp_path: Path) -> None:
    """Productboard: a Statuspage notice Zapier posted as a note (saying so), under a user at
    the vendor's domain, is a bot's, not the team's note; a company's legal form after a comma
    is one company."""
    path = _csv(
        tmp_path,
        "note_id,title,content,user_name,user_email,company_name,created_at\n"
        "n1,[Statuspage] Incident resolved,Incident resolved: delayed sync. This note was "
        "created automatically by Zapier.,Status feed,status@ourco.com,,2026-10-16T02:11:09Z\n"
        'n2,Dashboard,Pin a default dashboard.,Rafael O,rafael@gmail.com,"Hooli Cloud, Inc.",'
        "2026-10-21T07:45:19Z\n",
    )
    read = read_clean("tickets", path, OURS)
    assert [r.account_ref for r in read.feedback] == ["Hooli Cloud, Inc."]
    assert [reason for reason, _ in left_out_of(read)] == ["bot"]
