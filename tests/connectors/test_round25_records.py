"""What round 25's record exports showed, each on a small input of its own: HubSpot's CRM v3
API pages (notes, calls, emails, meetings, companies) saved as JSON; the sf CLI's `sf data
query --json` and the REST answer it wraps, with a parent-child query's nested activities;
an OTRS/Znuny ticket search CSV whose words are only in its "Article Tree"."""

import json
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from huddle.connectors.base import ConnectorOptions, get_connector
from tests.connectors.helpers import came_in, left_out_of, read_clean, refused, run
from tests.factories import actor, create_account

OURS = ConnectorOptions(internal_domains=("zentro.io",), staff_names=("Mira Patel",))


def _write(tmp_path: Path, name: str, value: Any) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(value), encoding="utf-8")
    return path


def _engagement(
    record_id: str, properties: dict[str, Any], companies: tuple[str, ...] = ()
) -> dict[str, Any]:
    found: dict[str, Any] = {
        "id": record_id,
        "properties": {"hs_object_id": record_id, **properties},
        "createdAt": "2026-10-01T09:00:00.000Z",
        "archived": False,
    }
    if companies:
        found["associations"] = {
            "companies": {"results": [{"id": c, "type": "note_to_company"} for c in companies]}
        }
    return found


NOTES_PAGE = {
    "results": [
        _engagement(
            "701",
            {
                "hs_note_body": "<p>Depot leads can&rsquo;t see <strong>late vans</strong> on "
                "the board.</p><p>-- Mira</p>",
                "hs_body_preview": "Depot leads can't see late vans",
                "hs_timestamp": "2026-10-05T14:30:00.000Z",
            },
            companies=("5550001", "5550002"),
        ),
        _engagement(
            "702",
            {
                "hs_note_body": "<p>Harbor Freight</p><p>They want the board on a TV in the "
                "yard.</p>",
                "hs_timestamp": "2026-10-06T10:00:00.000Z",
            },
        ),
        _engagement(
            "703",
            {
                "hs_note_body": '<p>This call was recorded by Gong. <a href="https://app.gong'
                '.io/call?id=1">View the call in Gong</a></p>',
                "hs_timestamp": "2026-10-07T10:00:00.000Z",
            },
            companies=("5550001",),
        ),
        _engagement("704", {"hs_note_body": "<p>test</p>", "hs_timestamp": None}),
        {
            **_engagement("705", {"hs_note_body": "<p>Deleted note about the depot.</p>"}),
            "archived": True,
        },
    ],
    "paging": {"next": {"after": "706", "link": "https://api.hubapi.com/crm/v3/objects/notes"}},
}


def test_a_hubspot_notes_api_page_reads_as_its_notes_export(tmp_path: Path) -> None:
    path = _write(tmp_path, "notes.json", NOTES_PAGE)
    read = read_clean("hubspot", path, OURS)
    first, second = read.feedback
    # The HTML's words (entities read), the sign-off cut, the first company's id its account.
    assert (first.text, first.account_ref, first.external_id) == (
        "Depot leads can\u2019t see late vans on the board.",
        "5550001",
        "701",
    )
    assert first.occurred_at is not None
    assert first.occurred_at.isoformat().startswith("2026-10-05T14:30")
    # A note on no company names its account in its first line.
    assert (second.account_ref, second.mentions) == (None, ("Harbor Freight",))
    assert left_out_of(read) == [
        ("bot", "This call was recorded by Gong. View the call in Gong"),
        ("test", "test"),
    ]
    # The archived note is deleted in HubSpot: skipped, not read.
    assert read.skipped_rows == 1
    assert [(w.column, "after=706" in w.reason) for w in read.warnings] == [("paging", True)]


def test_a_hubspot_notes_api_page_lists_company_ids_no_account_answers_to(
    session: Session, tmp_path: Path
) -> None:
    create_account(session, name="Harbor Freight", domain="harbor.example")
    path = _write(tmp_path, "notes.json", NOTES_PAGE)
    report = run(session, actor(session, "admin"), "hubspot", path)
    assert came_in(session, report) == [
        ("Depot leads can\u2019t see late vans on the board.", None),
        ("Harbor Freight\n\nThey want the board on a TV in the yard.", "Harbor Freight"),
    ]
    assert report.unmatched_accounts == {"5550001": 1}


def test_hubspot_calls_meetings_and_emails_pages_read_by_their_body_properties(
    tmp_path: Path,
) -> None:
    calls = {
        "results": [
            _engagement(
                "801",
                {
                    "hs_call_title": "Renewal call",
                    "hs_call_body": "<p>They export the rota by hand every Friday.</p>",
                    "hs_timestamp": "2026-10-08T09:00:00Z",
                },
                companies=("42",),
            )
        ]
    }
    (call,) = read_clean("hubspot", _write(tmp_path, "calls.json", calls), OURS).feedback
    assert (call.text, call.title, call.account_ref) == (
        "They export the rota by hand every Friday.",
        "Renewal call",
        "42",
    )
    meetings = {
        "results": [
            _engagement(
                "901",
                {
                    "hs_meeting_title": "QBR",
                    "hs_meeting_body": "Agenda: usage, pricing.",
                    "hs_internal_meeting_notes": "<p>Finance wants per-site pricing.</p>",
                    "hs_timestamp": "2026-10-09T09:00:00Z",
                },
            )
        ]
    }
    (meeting,) = read_clean("hubspot", _write(tmp_path, "meet.json", meetings), OURS).feedback
    # The team's notes of the meeting before its description.
    assert meeting.text == "Finance wants per-site pricing."
    emails = {
        "results": [
            _engagement(
                "1001",
                {
                    "hs_email_subject": "Re: exports",
                    "hs_email_direction": "INCOMING_EMAIL",
                    "hs_email_text": "The export drops the depot column.\n\nOn Mon, Oct 5, "
                    "2026 at 9:00 AM Mira Patel <mira@zentro.io> wrote:\n> Here is the file.",
                    "hs_email_headers": json.dumps(
                        {"from": {"email": "li@harbor.example", "firstName": "Li"}}
                    ),
                    "hs_timestamp": "2026-10-10T09:00:00Z",
                },
            ),
            _engagement(
                "1003",
                {
                    "hs_email_subject": "Fwd: depot board",
                    "hs_email_direction": "FORWARDED_EMAIL",
                    "hs_email_text": "FYI, see below.\n\n---------- Forwarded message "
                    "---------\nFrom: Li Wei <li@harbor.example>\nDate: Mon, Oct 5, 2026 at "
                    "9:00 AM\nSubject: depot board\nTo: Mira Patel <mira@zentro.io>\n\nThe "
                    "board does not show late vans.",
                    "hs_email_from_email": "mira@zentro.io",
                    "hs_timestamp": "2026-10-10T11:00:00Z",
                },
            ),
            _engagement(
                "1002",
                {
                    "hs_email_subject": "Re: exports",
                    "hs_email_direction": "EMAIL",
                    "hs_email_text": "Thanks Li, we will look at it.",
                    "hs_email_from_email": "mira@zentro.io",
                    "hs_timestamp": "2026-10-10T10:00:00Z",
                },
            ),
        ]
    }
    read = read_clean("hubspot", _write(tmp_path, "emails.json", emails), OURS)
    mail, forwarded = read.feedback
    # The customer's mail without the mail it quotes, by its sender in the headers.
    assert (mail.text, mail.contact_email) == (
        "The export drops the depot column.",
        "li@harbor.example",
    )
    # A mail a rep forwarded in ("FORWARDED_EMAIL"): the forwarded customer's mail.
    assert (forwarded.text, forwarded.contact_email) == (
        "The board does not show late vans.",
        "li@harbor.example",
    )
    assert left_out_of(read) == [("internal", "Thanks Li, we will look at it.")]


def test_a_hubspot_companies_api_page_reads_as_the_companies_export(tmp_path: Path) -> None:
    companies = {
        "results": [
            {
                "id": "42",
                "properties": {
                    "hs_object_id": "42",
                    "name": "Harbor Freight",
                    "domain": "harbor.example",
                    "lifecyclestage": "customer",
                },
                "archived": False,
            }
        ]
    }
    read = read_clean("hubspot", _write(tmp_path, "companies.json", companies), OURS)
    (account,) = read.accounts
    assert (account.name, account.external_id, account.domain, account.status) == (
        "Harbor Freight",
        "42",
        "harbor.example",
        "customer",
    )
    assert read.feedback == []


def test_a_hubspot_api_page_of_contacts_is_refused_naming_the_body_properties(
    session: Session, tmp_path: Path
) -> None:
    contacts = {
        "results": [
            {
                "id": "7",
                "properties": {"hs_object_id": "7", "email": "li@harbor.example"},
                "archived": False,
            }
        ]
    }
    failure = refused(
        session, actor(session, "admin"), "hubspot", _write(tmp_path, "contacts.json", contacts)
    )
    (error,) = failure.report.errors
    assert error.column == "properties" and "hs_note_body" in error.reason


ACTIVITIES = {
    "status": 0,
    "result": {
        "records": [
            {
                "attributes": {"type": "Account", "url": "/services/data/v62.0/sobjects/Account/1"},
                "Id": "001000000000AAAQ",
                "Name": "Harbor Freight",
                "ActivityHistories": {
                    "totalSize": 2,
                    "done": True,
                    "records": [
                        {
                            "attributes": {"type": "ActivityHistory"},
                            "Id": "00T000000000001",
                            "Subject": "Call",
                            "ActivityDate": "2026-10-05",
                            "ActivitySubtype": "Call",
                            "Description": "Depot leads re-plan every late van by hand.",
                            "Owner": {"attributes": {"type": "Name"}, "Name": "Mira Patel"},
                        },
                        {
                            "attributes": {"type": "ActivityHistory"},
                            "Id": "00T000000000002",
                            "Subject": "October update",
                            "ActivityDate": "2026-10-06",
                            "ActivitySubtype": "ListEmail",
                            "Description": "Here is what is new at Zentro this month.",
                        },
                    ],
                },
            },
            {
                "attributes": {"type": "Account"},
                "Id": "001000000000BBBQ",
                "Name": "Quay Stores",
                "ActivityHistories": None,
            },
            {
                "attributes": {"type": "Account"},
                "Id": "001000000000CCCQ",
                "Name": "Kestrel Vans",
                "ActivityHistories": {
                    "totalSize": 1,
                    "done": True,
                    "records": [
                        {
                            "attributes": {"type": "ActivityHistory"},
                            "Id": "00T000000000003",
                            "Subject": "Discovery",
                            "ActivityDate": "2026-10-07",
                            "Description": "Counts are done on paper twice a year.",
                        }
                    ],
                },
            },
        ],
        "totalSize": 3,
        "done": True,
    },
    "warnings": [],
}


def test_sf_data_query_json_reads_each_accounts_nested_activities_on_it(
    tmp_path: Path,
) -> None:
    read = read_clean("salesforce", _write(tmp_path, "q.json", ACTIVITIES), OURS)
    said = [(item.text, item.account_ref, item.account_aliases) for item in read.feedback]
    # Each activity on its parent account, by the parent's name with its id beside it.
    assert said == [
        ("Depot leads re-plan every late van by hand.", "Harbor Freight", ("001000000000AAAQ",)),
        ("Counts are done on paper twice a year.", "Kestrel Vans", ("001000000000CCCQ",)),
    ]
    assert read.feedback[0].occurred_at is not None
    assert read.feedback[0].occurred_at.date().isoformat() == "2026-10-05"
    # Whom the activity is assigned to (`Owner.Name`).
    assert "author:mira_patel" in read.feedback[0].tags
    # A List Email (`ListEmail`, the API's value) is one mail sent to many.
    assert left_out_of(read) == [("bot", "Here is what is new at Zentro this month.")]
    # The parents are the query's way to the activities, not an accounts export.
    assert read.accounts == [] and read.warnings == []


def test_sf_data_query_lists_a_parent_account_the_workspace_does_not_know_by_name(
    session: Session, tmp_path: Path
) -> None:
    create_account(session, name="Harbor Freight", external_id="001000000000AAAQ")
    report = run(
        session, actor(session, "admin"), "salesforce", _write(tmp_path, "q.json", ACTIVITIES)
    )
    assert came_in(session, report) == [
        ("Depot leads re-plan every late van by hand.", "Harbor Freight"),
        ("Counts are done on paper twice a year.", None),
    ]
    assert report.unmatched_accounts == {"Kestrel Vans": 1}


def test_a_parent_of_another_kind_gives_its_account_and_the_rest_is_warned_of(
    tmp_path: Path,
) -> None:
    answer = {
        "totalSize": 40,
        "done": False,
        "nextRecordsUrl": "/services/data/v62.0/query/01gXX-2000",
        "records": [
            {
                "attributes": {"type": "Opportunity"},
                "Id": "006000000000001",
                "Name": "Renewal 2027",
                "AccountId": "001000000000AAAQ",
                "Account": {"attributes": {"type": "Account"}, "Name": "Harbor Freight"},
                "Tasks": {
                    "totalSize": 300,
                    "done": False,
                    "nextRecordsUrl": "/services/data/v62.0/query/01gYY-200",
                    "records": [
                        {
                            "attributes": {"type": "Task"},
                            "Id": "00T000000000009",
                            "Subject": "Call",
                            "ActivityDate": "2026-10-05",
                            "Description": "They need the board in Spanish.",
                        }
                    ],
                },
            }
        ],
    }
    read = read_clean("salesforce", _write(tmp_path, "rest.json", answer), OURS)
    (task,) = read.feedback
    assert (task.account_ref, task.account_aliases) == ("Harbor Freight", ("001000000000AAAQ",))
    assert [w.column for w in read.warnings] == ["nextRecordsUrl", "done"]


def test_a_content_notes_file_url_is_no_text(tmp_path: Path) -> None:
    answer = {
        "totalSize": 2,
        "done": True,
        "records": [
            {
                "attributes": {"type": "ContentNote"},
                "Id": "069000000000001",
                "Title": "Call notes",
                "Content": "/services/data/v62.0/sobjects/ContentNote/069000000000001/Content",
                "CreatedDate": "2026-10-05T10:00:00.000+0000",
            },
            {
                "attributes": {"type": "ContentNote"},
                "Id": "069000000000002",
                "Title": "QBR",
                "TextPreview": "Finance wants per-site pricing.",
                "Content": "/services/data/v62.0/sobjects/ContentNote/069000000000002/Content",
                "CreatedDate": "2026-10-06T10:00:00.000+0000",
            },
        ],
    }
    read = read_clean("salesforce", _write(tmp_path, "notes.json", answer), OURS)
    assert [item.text for item in read.feedback] == ["Finance wants per-site pricing."]
    assert read.skipped_rows == 1
    # Queried without TextPreview, the notes hold no words: the summary says which field to ask.
    for record in answer["records"]:
        record.pop("TextPreview", None)
    read = read_clean("salesforce", _write(tmp_path, "notes.json", answer), OURS)
    assert (read.feedback, read.skipped_rows) == ([], 2)
    assert [(w.column, "TextPreview" in w.reason) for w in read.warnings] == [("Content", True)]


def test_accounts_with_nested_contacts_are_still_an_accounts_answer(tmp_path: Path) -> None:
    answer = {
        "totalSize": 1,
        "done": True,
        "records": [
            {
                "attributes": {"type": "Account"},
                "Id": "001000000000AAAQ",
                "Name": "Harbor Freight",
                "Website": "https://harbor.example",
                "Contacts": {
                    "totalSize": 1,
                    "done": True,
                    "records": [
                        {"attributes": {"type": "Contact"}, "Name": "Li Wei", "Email": "li@h.x"}
                    ],
                },
            }
        ],
    }
    read = read_clean("salesforce", _write(tmp_path, "accounts.json", answer), OURS)
    assert [(a.name, a.domain) for a in read.accounts] == [("Harbor Freight", "harbor.example")]
    assert read.feedback == []


def test_a_failed_sf_command_is_refused_with_its_message(session: Session, tmp_path: Path) -> None:
    failed = {
        "code": 1,
        "commandName": "DataQuery",
        "message": "\nSELECT Foo FROM Account\n       ^\nERROR at Row:1:Column:8\nNo such column "
        "'Foo' on entity 'Account'.",
        "name": "INVALID_FIELD",
        "status": 1,
        "exitCode": 1,
        "warnings": [],
    }
    failure = refused(
        session, actor(session, "admin"), "salesforce", _write(tmp_path, "q.json", failed)
    )
    (error,) = failure.report.errors
    assert error.column == "status"
    assert "INVALID_FIELD: SELECT Foo FROM Account" in error.reason
    assert "No such column 'Foo'" in error.reason


def _znuny(*rows: tuple[str, ...]) -> str:
    header = (
        "Ticket#",
        "Created",
        "State",
        "Queue",
        "Customer ID",
        "Customer Name",
        "From",
        "Subject",
        "Article Tree",
    )
    lines = [header, *rows]
    return "\n".join(";".join('"' + c.replace('"', '""') + '"' for c in line) for line in lines)


def _tree(*articles: tuple[str, str, str]) -> str:
    return "".join(
        f"\n-->||{sender}||{sent_by}||2026-10-05 09:00:00||<--------------\n{body}"
        for sender, sent_by, body in articles
    )


LI = '"Li Wei" <li@harbor.example>'
MIRA = '"Mira Patel via Zentro" <support@zentro.io>'
ZNUNY = _znuny(
    (
        "2026100510000011",
        "2026-10-05 09:00:00",
        "open",
        "Support",
        "harbor.example",
        "Li Wei",
        LI,
        "Export",
        _tree(
            ("customer", LI, "The export drops the depot column.\n\nLi Wei\nHarbor Freight"),
            ("agent", MIRA, "Hi Li,\n\nWe will fix it.\n\nMira\n\n> The export drops"),
            ("customer", LI, "Also the dates are in US format.\n\n> We will fix it."),
        ),
    ),
    (
        "2026100510000022",
        "2026-10-05 10:00:00",
        "closed successful",
        "Support",
        "Harbor Freight",
        "Li Wei",
        '"Mira Patel" <mira@zentro.io>',
        "Phone call",
        _tree(("agent", '"Mira Patel" <mira@zentro.io>', "Li called about the board.")),
    ),
    (
        "2026100510000033",
        "2026-10-05 11:00:00",
        "closed successful",
        "Monitoring",
        "",
        "",
        '"Nagios" <nagios@zentro.io>',
        "PROBLEM: disk",
        _tree(("system", '"Nagios" <nagios@zentro.io>', "Host: app-1\nState: CRITICAL")),
    ),
    (
        "2026100510000044",
        "2026-10-05 12:00:00",
        "closed unsuccessful",
        "Junk",
        "",
        "",
        '"Deals" <deals@bargains.example>',
        "Meeting request",
        _tree(("customer", '"Deals" <deals@bargains.example>', "Can we talk next week?")),
    ),
    (
        "2026100510000055",
        "2026-10-05 13:00:00",
        "new",
        "Support",
        "",
        "",
        "",
        "Empty",
        "This item has no articles yet.",
    ),
)


def test_a_znuny_ticket_search_reads_the_customers_articles_of_its_article_tree(
    tmp_path: Path,
) -> None:
    path = tmp_path / "ticket_search.csv"
    path.write_text(ZNUNY, encoding="utf-8")
    read = read_clean("tickets", path, OURS)
    (ticket,) = read.feedback
    # The customer's two articles, each without what it quotes or its signature; not the
    # agent's reply between them. "Customer ID" names the account; "From" gives the sender.
    assert ticket.text == "The export drops the depot column.\n\nAlso the dates are in US format."
    assert (ticket.account_ref, ticket.contact_email, ticket.contact_name) == (
        "harbor.example",
        "li@harbor.example",
        "Li Wei",
    )
    assert (ticket.external_id, ticket.title) == ("2026100510000011", "Export")
    assert "group:support" in ticket.tags
    # Only an agent wrote: theirs; only the system: a machine's; the Junk queue: spam.
    assert left_out_of(read) == [
        ("staff", "Li called about the board."),
        ("bot", "Host: app-1\nState: CRITICAL"),
        ("spam", "Can we talk next week?"),
    ]
    # A ticket with no article has no words.
    assert read.skipped_rows == 1


def test_an_otrs_5_article_tree_tells_the_writer_by_article_type_and_address(
    tmp_path: Path,
) -> None:
    path = tmp_path / "otrs5.csv"
    header = '"TicketNumber";"Created";"CustomerID";"From";"Title";"ArticleTree"\n'
    tree = _tree(
        ("phone", LI, "The board freezes with forty vans."),
        # An internal note is the team's whoever's address it carries.
        ("note-internal", '"Otto Berg" <otto@desk.example>', "Probably the websocket limit."),
        ("email-external", '"Mira Patel" <mira@zentro.io>', "We are looking into it."),
        ("email-notification-ext", "OTRS System <otrs@zentro.io>", "Your ticket was updated."),
        ("email-external", LI, "Still freezing today."),
    )
    row = ";".join(
        '"' + c.replace('"', '""') + '"'
        for c in ("2026100510000066", "2026-10-05 09:00:00", "Harbor Freight", LI, "Board", tree)
    )
    notice = _tree(("email-notification-int", "OTRS <otrs@desk.example>", "Ticket escalated."))
    only_notice = ";".join(
        '"' + c.replace('"', '""') + '"'
        for c in ("2026100510000077", "2026-10-05 10:00:00", "", "", "Escalation", notice)
    )
    path.write_text(header + row + "\n" + only_notice + "\n", encoding="utf-8")
    read = read_clean("tickets", path, OURS)
    (ticket,) = read.feedback
    assert ticket.text == "The board freezes with forty vans.\n\nStill freezing today."
    # A ticket of the system's notifications alone is a machine's.
    assert left_out_of(read) == [("bot", "Ticket escalated.")]
    assert (ticket.account_ref, ticket.external_id) == ("Harbor Freight", "2026100510000066")


def test_a_tickets_csv_without_an_article_tree_is_read_as_before(tmp_path: Path) -> None:
    path = tmp_path / "desk.csv"
    path.write_text(
        "Ticket ID,Subject,Description,Customer ID,Requester email,Created at\n"
        "7,Export,-->||customer||x||y||<--- is how our log starts,C-77,li@harbor.example,"
        "2026-10-05\n",
        encoding="utf-8",
    )
    (ticket,) = read_clean("tickets", path, OURS).feedback
    # Its own "Customer ID" (a person's number elsewhere) names no account here.
    assert (ticket.text, ticket.account_ref) == (
        "-->||customer||x||y||<--- is how our log starts",
        None,
    )
    assert get_connector("tickets").name == "tickets"
