"""What round 27's record exports showed, each on a small input of its own: Pipedrive's notes
API page (through hubspot), Dynamics 365's notes from its Web API (through salesforce),
Zammad's tickets asked for whole, searched, or as their articles alone (through zendesk), a
MongoDB dump (BSON) saved under a .json name, and an Azure Boards CSV whose "Created By" is
'Name <email>'."""

import json
import struct
from pathlib import Path
from typing import Any

from huddle.connectors.base import ConnectorOptions, get_connector
from tests.connectors.helpers import left_out_of, read_clean

OURS = ConnectorOptions(internal_domains=("zentro.io",), staff_names=("Mira Patel",))


def _write(tmp_path: Path, name: str, value: Any) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(value, indent=1), encoding="utf-8")
    return path


def _note(note_id: int, content: str, **fields: Any) -> dict[str, Any]:
    return {
        "id": note_id,
        "user_id": 7,
        "deal_id": None,
        "person_id": None,
        "org_id": None,
        "lead_id": None,
        "content": content,
        "add_time": "2026-11-18 16:40:02",
        "active_flag": True,
        "organization": None,
        "person": None,
        "deal": None,
        "user": {"name": "Mira Patel", "email": "mira@zentro.io"},
        **fields,
    }


PIPEDRIVE_PAGE = {
    "success": True,
    "data": [
        _note(
            1,
            "<p>Depot leads can&rsquo;t see late vans.</p>",
            org_id=3,
            person_id=9,
            organization={"name": "Harbor Freight"},
            person={"name": "Ana Ruiz"},
        ),
        # Its organisation by id alone: named by the page's related objects.
        _note(2, "<p>They export the rota by hand.</p>", org_id=4),
        _note(3, "<p>SSO is a blocker.</p>", deal_id=5, deal={"title": "Tidewater - SSO add-on"}),
        _note(
            4, "<p><strong>Kestrel Labs</strong></p><p>Uploads fail on site wi-fi.</p>", lead_id="x"
        ),
        _note(
            5,
            "<b>Aircall</b> &middot; Outbound call answered<br>Recording: https://a.example/r/1",
            org_id=3,
        ),
        _note(6, "<p>Draft, do not share.</p>", org_id=3, active_flag=False),
    ],
    "additional_data": {
        "pagination": {"start": 0, "limit": 6, "more_items_in_collection": True, "next_start": 6}
    },
    "related_objects": {
        "organization": {"4": {"id": 4, "name": "Quayside Retail"}},
        "person": {"9": {"id": 9, "name": "Ana Ruiz", "email": [{"value": "ana@harbor.example"}]}},
    },
}


def test_a_pipedrive_notes_page_reads_as_the_notes_export(tmp_path: Path) -> None:
    read = read_clean("hubspot", _write(tmp_path, "notes.json", PIPEDRIVE_PAGE), OURS)
    assert [(f.text, f.account_ref, f.mentions) for f in read.feedback] == [
        ("Depot leads can\u2019t see late vans.", "Harbor Freight", ()),
        ("They export the rota by hand.", "Quayside Retail", ()),
        # On a deal only: the deal's title may name the account.
        ("SSO is a blocker.", None, ("Tidewater - SSO add-on",)),
        # On a lead only: its short first line may.
        ("Kestrel Labs\n\nUploads fail on site wi-fi.", None, ("Kestrel Labs",)),
    ]
    first = read.feedback[0]
    assert (first.contact_name, first.contact_email) == ("Ana Ruiz", "ana@harbor.example")
    assert first.external_id == "1" and "author:mira_patel" in first.tags
    assert first.occurred_at is not None and first.occurred_at.isoformat().startswith("2026-11-18")
    # A call logger's stub is a bot's; the deleted note is no note at all.
    assert [reason for reason, _ in left_out_of(read)] == ["bot"]
    assert read.skipped_rows == 1
    assert [(w.column, "start=6" in w.reason) for w in read.warnings] == [("pagination", True)]


def test_pipedrive_notes_alone_in_an_array_are_read_too(tmp_path: Path) -> None:
    notes = PIPEDRIVE_PAGE["data"][:1]
    read = read_clean("hubspot", _write(tmp_path, "notes.json", notes), OURS)
    assert [(f.text, f.account_ref) for f in read.feedback] == [
        ("Depot leads can\u2019t see late vans.", "Harbor Freight")
    ]
    assert read.warnings == []


_NAME = "@OData.Community.Display.V1.FormattedValue"
_TABLE = "@Microsoft.Dynamics.CRM.lookuplogicalname"


def _annotation(
    subject: str, text: str | None, table: str, parent: str | None, **fields: Any
) -> dict[str, Any]:
    named = {f"_objectid_value{_NAME}": parent} if parent else {}
    return {
        "annotationid": f"id-{subject}",
        "subject": subject,
        "notetext": text,
        "isdocument": False,
        "filename": None,
        "createdon": "2026-11-19T17:05:40Z",
        "objecttypecode": table,
        "_objectid_value": f"guid-{subject}",
        **named,
        f"_objectid_value{_TABLE}": table,
        f"_createdby_value{_NAME}": "Mira Patel",
        **fields,
    }


DATAVERSE_PAGE = {
    "@odata.context": "https://org.crm4.dynamics.com/api/data/v9.2/$metadata#annotations",
    "value": [
        _annotation(
            "QBR", '<div class="ck-content"><p>Vans vanish.</p></div>', "account", "Harbor"
        ),
        _annotation("Expansion", "Rota export is manual.", "opportunity", "Tidewater - 2027"),
        _annotation("Quayside - audits", "Audits fail offline.", "contact", "Ana Ruiz"),
        # Without the names asked for: an account by its id.
        _annotation("Call", "SSO is a blocker.", "account", None),
        _annotation("Recording", None, "account", "Harbor", isdocument=True, filename="c.mp3"),
        {
            **_annotation("Health", "Score recalculated to 62.", "account", "Harbor"),
            f"_createdby_value{_NAME}": "# Zentro Power Automate",
        },
    ],
    "@odata.nextLink": "https://org.crm4.dynamics.com/api/data/v9.2/annotations?$skiptoken=x",
}


def test_dynamics_web_api_notes_read_by_their_parent(tmp_path: Path) -> None:
    read = read_clean("salesforce", _write(tmp_path, "annotations.json", DATAVERSE_PAGE), OURS)
    assert [(f.text, f.account_ref, f.mentions) for f in read.feedback] == [
        ("Vans vanish.", "Harbor", ("Harbor", "QBR")),
        # An opportunity's or a contact's note: the account its name or the subject names.
        ("Rota export is manual.", None, ("Tidewater - 2027", "Expansion")),
        ("Audits fail offline.", None, ("Ana Ruiz", "Quayside - audits")),
        ("SSO is a blocker.", "guid-Call", ("Call",)),
    ]
    assert read.feedback[0].title == "QBR" and read.feedback[0].external_id == "id-QBR"
    # The attachment alone is skipped; an application user's note is a bot's.
    assert read.skipped_rows == 1
    assert left_out_of(read) == [("bot", "Score recalculated to 62.")]
    assert [w.column for w in read.warnings] == ["@odata.nextLink"]


def _article(
    article_id: int, ticket_id: int, sender_id: int, body: str, **fields: Any
) -> dict[str, Any]:
    return {
        "id": article_id,
        "ticket_id": ticket_id,
        "type_id": 1,
        "sender_id": sender_id,
        "from": fields.pop("sender", "Ana Ruiz <ana@harbor.example>"),
        "subject": None,
        "content_type": "text/plain",
        "body": body,
        "internal": False,
        "preferences": {},
        "created_by_id": 10 if sender_id == 2 else 4,
        "created_at": f"2026-12-01T13:0{article_id % 10}:00Z",
        **fields,
    }


def _ticket(ticket_id: int, title: str, articles: list[dict[str, Any]], **fields: Any) -> Any:
    ticket = {
        "id": ticket_id,
        "number": f"8{ticket_id}",
        "title": title,
        "organization_id": 2,
        "customer_id": 10,
        "created_by_id": 10,
        "created_at": "2026-12-01T13:00:00Z",
        **fields,
    }
    return {
        "ticket_id": ticket_id,
        "ticket_article_ids": [a["id"] for a in articles],
        "assets": {
            "Ticket": {str(ticket_id): ticket},
            "TicketArticle": {str(a["id"]): a for a in articles},
            "User": {
                "4": {"id": 4, "firstname": "Mira", "lastname": "Patel", "email": "mira@zentro.io"},
                "5": {"id": 5, "firstname": "Leo", "lastname": "Marsh", "email": ""},
                "10": {
                    "id": 10,
                    "firstname": "Ana",
                    "lastname": "Ruiz",
                    "email": "ana@harbor.example",
                },
            },
            "Organization": {"2": {"id": 2, "name": "Harbor Freight", "domain": "harbor.example"}},
        },
        "tags": ["vans"],
    }


ZAMMAD = [
    _ticket(
        1,
        "Late vans",
        [
            _article(
                1,
                1,
                2,
                "Hi,\n\nDepot leads can't see late vans.\n\nAna\n\n"
                "On Mon, Nov 30, 2026 at 4:12 PM Zentro <help@zentro.io> wrote:\n> Any news?\n",
            ),
            _article(2, 1, 1, "<div>We are on it.</div>", content_type="text/html"),
            _article(3, 1, 1, "Same cause as #877.", internal=True),
            # The customer's mail an agent made internal: not for the ticket's words either.
            _article(6, 1, 2, "Our CFO is unhappy.", internal=True),
        ],
    ),
    # An agent logged the customer's call: their words, not the customer's (known as the
    # team's by their role, not by an address).
    _ticket(
        2,
        "Call: rota",
        [_article(4, 2, 1, "Ana called: the rota export is manual.", created_by_id=5)],
    ),
    # An auto-responder's mail, as Zammad marked it on arrival.
    _ticket(
        3,
        "Re: your quote",
        [_article(5, 3, 2, "Back on Monday.", preferences={"is-auto-response": True})],
    ),
]


def test_zammad_tickets_asked_for_whole_read_their_customers_articles(tmp_path: Path) -> None:
    read = read_clean("zendesk", _write(tmp_path, "tickets.json", ZAMMAD), OURS)
    (ticket,) = read.feedback
    assert (ticket.text, ticket.title, ticket.account_ref, ticket.contact_email) == (
        "Hi,\n\nDepot leads can't see late vans.",
        "Late vans",
        "Harbor Freight",
        "ana@harbor.example",
    )
    assert ticket.account_aliases == ("harbor.example",) and ticket.external_id == "1"
    assert "vans" in ticket.tags
    assert left_out_of(read) == [
        ("staff", "Ana called: the rota export is manual."),
        ("auto-reply", "Back on Monday."),
    ]


def test_a_zammad_search_answer_saved_alone_is_read(tmp_path: Path) -> None:
    whole = ZAMMAD[0]
    search = {"tickets": [1, 9], "tickets_count": 2, "assets": whole["assets"]}
    read = read_clean("zendesk", _write(tmp_path, "search.json", search), OURS)
    assert [(f.text, f.account_ref) for f in read.feedback] == [
        ("Hi,\n\nDepot leads can't see late vans.", "Harbor Freight")
    ]


def test_a_zammad_search_answer_without_articles_is_refused(tmp_path: Path) -> None:
    assets = {k: v for k, v in ZAMMAD[0]["assets"].items() if k != "TicketArticle"}
    search = {"tickets": [1], "tickets_count": 1, "assets": assets}
    read = get_connector("zendesk").read(_write(tmp_path, "search.json", search), OURS)
    assert [(e.column, "?all=true" in e.reason) for e in read.errors] == [("assets", True)]


def test_zammad_articles_alone_are_read_by_their_ticket(tmp_path: Path) -> None:
    # `by_ticket?expand=true`: senders by name; the customer known by the article's `from`.
    articles = [
        {
            **_article(1, 7, 0, "Uploads fail on site wi-fi.", subject="Uploads"),
            "sender": "Customer",
        },
        {
            **_article(2, 7, 0, "Thanks, looking.", sender="Mira <help@zentro.io>"),
            "sender": "Agent",
        },
    ]
    read = read_clean("zendesk", _write(tmp_path, "articles.json", articles), OURS)
    (ticket,) = read.feedback
    assert (ticket.text, ticket.title, ticket.contact_email, ticket.contact_name) == (
        "Uploads fail on site wi-fi.",
        "Uploads",
        "ana@harbor.example",
        "Ana Ruiz",
    )


def _bson(fields: dict[str, str]) -> bytes:
    """A BSON document of string fields: its length, each element (0x02, key, length, value),
    and the closing NUL."""
    body = b"".join(
        b"\x02"
        + key.encode()
        + b"\x00"
        + struct.pack("<i", len(v.encode()) + 1)
        + v.encode()
        + b"\x00"
        for key, v in fields.items()
    )
    return struct.pack("<i", len(body) + 5) + body + b"\x00"


def test_a_mongodump_saved_as_json_is_refused_as_bson(tmp_path: Path) -> None:
    path = tmp_path / "feedback.json"
    path.write_bytes(_bson({"text": "Vans vanish."}) + _bson({"text": "Rota is manual."}))
    for source in ("tickets", "zendesk"):
        read = get_connector(source).read(path, OURS)
        assert ["BSON" in e.reason and "mongoexport" in e.reason for e in read.errors] == [True]


def test_what_only_opens_like_bson_is_not_called_bson(tmp_path: Path) -> None:
    path = tmp_path / "feedback.csv"
    path.write_text("Text\nVans vanish.\n", encoding="utf-8")
    assert [f.text for f in read_clean("tickets", path, OURS).feedback] == ["Vans vanish."]
    # A length and a first element, but no NUL where that length ends the document.
    path.write_bytes(_bson({"text": "Vans vanish."})[:-1] + b"!")
    assert not any("BSON" in e.reason for e in get_connector("tickets").read(path, OURS).errors)


AZURE_BOARDS = (
    '"ID","Work Item Type","Title","Customer","Requested By","Created By","Description"\n'
    '"1","Customer Request","Rota","Harbor Freight","ana@harbor.example",'
    '"Mira Patel <mira@zentro.io>","The rota export is manual."\n'
    '"2","Bug","Export times out","","","Leo Marsh <leo@zentro.io>",'
    '"Repro: export 50k rows. Raised during load testing."\n'
)


def test_a_trackers_row_its_team_added_naming_no_customer_is_internal(tmp_path: Path) -> None:
    path = tmp_path / "boards.csv"
    path.write_text(AZURE_BOARDS, encoding="utf-8")
    read = read_clean("tickets", path, OURS)
    assert [(f.text, f.account_ref) for f in read.feedback] == [
        ("The rota export is manual.", "Harbor Freight")
    ]
    # Its creator one of the team by the address in 'Name <email>', not a staff name.
    assert left_out_of(read) == [
        ("internal", "Repro: export 50k rows. Raised during load testing.")
    ]
