"""The tools' own exports as the t15 tuning files showed them (Front, Gorgias, HappyFox, Canny,
Pendo, Amazon, the Zendesk Search API, Intercom webhooks, Salesforce Inspector, Zoom's cloud
transcripts, mail in Czech, Greek, Hungarian, Turkish, Russian and Norwegian): each rule on
a small file of its own, so a change that breaks one names it."""

import json
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from huddle.connectors.base import ConnectorOptions, ConnectorOutput
from huddle.models import Account, Feedback
from tests.connectors.helpers import left_out_of, read_clean, run
from tests.factories import actor, create_account

OURS = ConnectorOptions(internal_domains=("ourco.com",), staff_names=("Tom Becker",))


def test_dates_and_ratings_as_these_tools_write_them() -> None:
    from huddle.connectors.export_dates import human_date
    from huddle.connectors.reviews import _rating, _review_date

    for written, meant in (
        ("Dec 1, 2026, 7:41:12 AM", datetime(2026, 12, 1, 7, 41, 12, tzinfo=UTC)),  # Pendo
        ("01 Dec 2026 02:05 PM", datetime(2026, 12, 1, 14, 5, tzinfo=UTC)),  # HappyFox
        ("torsdag 3. desember 2026 14:22", datetime(2026, 12, 3, 14, 22, tzinfo=UTC)),
        ("středa 2. prosince 2026 9:41", datetime(2026, 12, 2, 9, 41, tzinfo=UTC)),
    ):
        assert human_date(written) == meant, written
    assert _rating("4.0 out of 5 stars") == 4 and _rating("1.0 out of 5 stars") == 1
    assert _review_date("Reviewed in the United States on December 3, 2026") == datetime(
        2026, 12, 3, tzinfo=UTC
    )
    assert _review_date("Reviewed in the United Kingdom on 28 November 2026") == datetime(
        2026, 11, 28, tzinfo=UTC
    )


def test_noise_these_tools_carry() -> None:
    from huddle.connectors.noise import spam, test_submission

    assert spam("Buy premium CBD gummies online, free shipping worldwide, discount code!!!")
    assert spam("Great app!! Check out my YouTube channel for giveaways")
    assert not spam("Could the checkout page accept a discount code from our own shop?")
    assert test_submission("Testing the HubSpot \u2192 Huddle sync, ignore")
    assert not test_submission("Testing showed the sync drops rows we cannot ignore")


def test_mail_quoted_and_signed_in_more_languages() -> None:
    from huddle.connectors.email import strip_replies

    for reply, quote in (
        ("S pozdravem\n\nJana Dvořáková", "Od: Sam Ortiz <sam@ourco.com>\nOdesláno: středa"),
        ("Με εκτίμηση,\nNikos", "Από: Priya Raman <p@ourco.com>\nΣτάλθηκε: Τρίτη, 1"),
        ("Üdvözlettel:\nKovács Eszter", "Feladó: Priya <p@ourco.com>\nElküldve: 2026. dec"),
        (
            "Saygılarımla,\nEmre",
            "Tom Becker <t@ourco.com>, 1 Ara 2026 Sal, 11:32 tarihinde şunu yazdı:",
        ),
        ("С уважением,\nАлексей", "чт, 3 дек. 2026 г. в 10:15, Dana Lee <d@ourco.com>:"),
        ("Med vennlig hilsen\nIngrid", "Fra: Tom <t@ourco.com>\nSendt: torsdag 3. desember"),
    ):
        text = f"The labels cut off our letters.\n\n{reply}\n\n{quote}\n> older words"
        assert strip_replies(text) == "The labels cut off our letters.", reply
    # A message flattened onto one line (Front's "Extract"): the quote starts mid-line, a
    # one-line signature ends it.
    flat = (
        "We split the file by hand every Monday. On Tue, Dec 1, 2026 at 11:02 AM Priya Raman "
        "<priya@ourco.com> wrote: > Hi Li, the cap is a known limit."
    )
    assert strip_replies(flat) == "We split the file by hand every Monday."
    signed = "About 40 technicians are blocked. Maria Costa | IT Lead | Acme Robotics"
    assert strip_replies(signed) == "About 40 technicians are blocked."


def _read(source: str, path: Path, options: ConnectorOptions = OURS) -> tuple[list, list]:
    read = read_clean(source, path, options)
    return read.feedback, left_out_of(read)


def _read_all(source: str, path: Path, options: ConnectorOptions = OURS) -> ConnectorOutput:
    return read_clean(source, path, options)


def test_a_messages_export_is_read_a_conversation_at_a_time(tmp_path: Path) -> None:
    """Front's messages export: one row per message. The customer's messages of a
    conversation are one ticket (its id the conversation's and its first message's); the
    team's Outbound rows are theirs, not evidence, and not noise either."""
    path = tmp_path / "messages.csv"
    path.write_text(
        "Message ID,Conversation ID,Direction,From,Subject,Extract,Message date\n"
        "m1,c1,Inbound,li@globex.example,Import cap,Only the first 500 stops come in.,"
        "2026-12-01 09:14:33\n"
        "m2,c1,Outbound,support@ourco.com,Re: Import cap,Could you send the file?,"
        "2026-12-01 11:02:10\n"
        "m3,c1,Inbound,li@globex.example,Re: Import cap,We split the file by hand.,"
        "2026-12-02 08:45:00\n"
        "m4,c2,Outbound,billing@ourco.com,Invoice,Please find attached invoice 20931.,"
        "2026-12-02 15:00:00\n"
        "m5,c2,Inbound,ap@umbrella.example,Automatic reply: Invoice,"
        "I am out of the office until January 4.,2026-12-02 15:01:00\n"
    )
    kept, left_out = _read("tickets", path)
    assert [(r.external_id, r.text, r.title) for r in kept] == [
        (
            "c1:m1",
            "Only the first 500 stops come in.\n\nWe split the file by hand.",
            "Import cap",
        )
    ]
    assert left_out == [("auto-reply", "I am out of the office until January 4.")]


def test_help_desk_exports_named_their_own_way(tmp_path: Path) -> None:
    """Gorgias (a ticket its agent opened is the team's; its 'Team' is the desk's, a tag),
    Canny (a post may be its title alone; its author's company and email), HappyFox (its
    dates, 'Staff Panel' as the team's own)."""
    gorgias = tmp_path / "gorgias.csv"
    gorgias.write_text(
        "Ticket ID,Subject,Channel,Customer Email,Team,Created Datetime,"
        "First Message From Agent,First Message\n"
        "1,Units,email,ruth@initech.example,Tier 2,2026-12-01T08:02:44.183920+00:00,False,"
        "The export no longer includes the units column.\n"
        "2,Shift swaps,helpdesk,ruth@initech.example,Tier 1,2026-12-01T09:00:00+00:00,True,"
        "I'm logging your request for shift swaps.\n"
    )
    kept, left_out = _read("tickets", gorgias)
    assert [(r.text, "group:tier 2" in r.tags) for r in kept] == [
        ("The export no longer includes the units column.", True)
    ]
    assert left_out == [("staff", "I'm logging your request for shift swaps.")]
    canny = tmp_path / "canny.csv"
    canny.write_text(
        "ID,Title,Details,Author Name,Author Email,Author Company,Created At\n"
        "p1,Dark mode for the mobile app,,Owen,owen@pinecrest.example,Pinecrest Schools,"
        "2026-12-01T20:47:03.778Z\n"
        "p2,Tracking: SAML,Internal tracking post for SAML requests.,Priya,priya@ourco.com,"
        "OurCo,2026-12-02T08:00:00.000Z\n"
    )
    kept, left_out = _read("tickets", canny)
    assert [(r.text, r.account_ref, r.contact_email) for r in kept] == [
        ("Dark mode for the mobile app", "Pinecrest Schools", "owen@pinecrest.example")
    ]
    # One of ours, naming the vendor as the company: an internal post, not one made for a
    # customer.
    assert left_out == [("internal", "Internal tracking post for SAML requests.")]
    happyfox = tmp_path / "happyfox.csv"
    happyfox.write_text(
        "Ticket ID,Subject,Source,Contact Email,Contact Groups,Created On,First Message\n"
        "#SUP1,ETA,Email,p@globex.example,Globex Freight Inc.,01 Dec 2026 09:14 AM,"
        "Dispatchers want the driver's ETA on the board.\n"
        "#SUP2,HL7,Staff Panel,r@initech.example,Initech Health,01 Dec 2026 02:05 PM,"
        "Logged for Ruth after today's call: an HL7 feed of results.\n"
    )
    kept, left_out = _read("tickets", happyfox)
    assert [(r.occurred_at, r.account_ref) for r in kept] == [
        (datetime(2026, 12, 1, 9, 14, tzinfo=UTC), "Globex Freight Inc.")
    ]
    assert [reason for reason, _ in left_out] == ["staff"]


def test_survey_and_review_exports_named_their_own_way(tmp_path: Path) -> None:
    pendo = tmp_path / "pendo.csv"
    pendo.write_text(
        "Visitor ID,Account ID,Email,NPS Score,Follow-up Response,Browser Time\n"
        'u1,0015A,d@globex.example,4,Route plans ignore break rules.,"Dec 1, 2026, 7:41:12 AM"\n'
    )
    kept, _ = _read("survey", pendo)
    assert [(r.text, r.account_ref, r.occurred_at) for r in kept] == [
        (
            "NPS 4 \u2013 Route plans ignore break rules.",
            "0015A",
            datetime(2026, 12, 1, 7, 41, 12, tzinfo=UTC),
        )
    ]
    amazon = tmp_path / "amazon.csv"
    amazon.write_text(
        "Review ID,Rating,Title,Review,Author,Date\n"
        'R1,1.0 out of 5 stars,Logs me out,"The media could not be loaded.\n'
        '                \n\n\n  Every app switch logs me out.\n",Derek,'
        '"Reviewed in the United States on December 3, 2026"\n'
    )
    kept, _ = _read("reviews", amazon)
    assert [(r.text, r.tags) for r in kept] == [("Every app switch logs me out.", ["rating:1"])]


def test_zendesk_search_results_and_an_intercom_webhook_log(tmp_path: Path) -> None:
    search = tmp_path / "search.json"
    ticket = {
        "id": 1,
        "subject": "Logout",
        "description": "The app logs drivers out at every camera switch.",
        "created_at": "2026-12-01T09:14:33Z",
        "requester_id": 7,
        "result_type": "ticket",
    }
    user = {"id": 7, "name": "Pavel", "email": "p@globex.example", "result_type": "user"}
    search.write_text(json.dumps({"results": [ticket, user], "users": [user]}))
    kept, _ = _read("zendesk", search)
    assert [(r.text, r.contact_email) for r in kept] == [
        ("The app logs drivers out at every camera switch.", "p@globex.example")
    ]

    def delivery(topic: str, parts: list[dict]) -> str:
        item = {
            "type": "conversation",
            "id": "c1",
            "created_at": 1796310000,
            "source": {
                "body": "<p>Can I schedule a report for Mondays?</p>",
                "author": {"type": "user", "email": "nadia@acme-robotics.example"},
            },
            "conversation_parts": {"conversation_parts": parts},
        }
        return json.dumps({"type": "notification_event", "topic": topic, "data": {"item": item}})

    reply = {
        "id": "p1",
        "part_type": "comment",
        "created_at": 1796310100,
        "body": "<p>Not yet.</p>",
        "author": {"type": "admin", "email": "tom@ourco.com"},
    }
    answer = {
        "id": "p2",
        "part_type": "comment",
        "created_at": 1796310200,
        "body": "<p>Our plant managers never log in.</p>",
        "author": {"type": "user", "email": "nadia@acme-robotics.example"},
    }
    log = tmp_path / "webhooks.jsonl"
    log.write_text(
        "\n".join(
            [
                json.dumps({"type": "notification_event", "topic": "ping", "data": {"item": {}}}),
                delivery("conversation.user.created", []),
                delivery("conversation.admin.replied", [reply]),
                delivery("conversation.user.replied", [answer]),
                delivery("conversation.user.replied", [answer]),  # delivered again
            ]
        )
        + "\n"
    )
    kept, _ = _read("intercom", log)
    assert [r.text for r in kept] == [
        "Can I schedule a report for Mondays?\n\nOur plant managers never log in."
    ]


def test_a_note_on_an_opportunity_finds_its_account_by_the_parents_name(
    session: Session, tmp_path: Path
) -> None:
    """Salesforce Inspector gives a note's parent by id and by name: a note on an
    opportunity ("Globex Freight - Renewal 2027") or a contact belongs to the account that
    name or its title names; a note on an opportunity by id alone keeps the id, listed as
    unknown."""
    admin = actor(session, "admin")
    globex = create_account(session, name="Globex Freight", domain="globex.example")
    path = tmp_path / "notes.csv"
    path.write_text(
        "_,Id,ParentId,Parent.Name,Title,Body,CreatedDate\n"
        "[Note],n1,0065e00000OPP9Q1,Globex Freight - Renewal 2027,Renewal call,"
        "The driver app crashes on Android 15.,2026-12-01T19:40:03.000+0000\n"
        "[Note],n2,0035e00000CNTC41,Jo Park,Globex - dispatch feedback,"
        "Dispatch wants ETAs on the board.,2026-12-03T14:22:05.000+0000\n"
    )
    run(session, admin, "salesforce", path)
    attached = dict(session.execute(select(Feedback.external_id, Feedback.account_id)).all())
    assert attached == {"n1": globex.id, "n2": globex.id}
    by_id = tmp_path / "by_id.csv"
    by_id.write_text(
        "Id,ParentId,Title,Body,CreatedDate\n"
        "n3,0065e00000OPP9Q1,Globex renewal,Procurement wants a 3-year term.,2026-12-01\n"
    )
    report = run(session, admin, "salesforce", by_id)
    assert list(report.unmatched_accounts) == ["0065e00000OPP9Q1"]
    assert session.scalar(select(Account).where(Account.name == "Jo Park")) is None


def test_display_names_that_say_whose_side(tmp_path: Path) -> None:
    """Zoom's cloud transcripts show display names: "Tom Becker (OurCo)" is the vendor's
    (a workspace user, and the vendor's own name), "Helen Marsh | Initech Health" a
    customer's."""
    from huddle.connectors.base import ConnectorOutput
    from huddle.connectors.transcript import read_calls

    path = tmp_path / "GMT20261203-150102_Recording.transcript.vtt"
    path.write_text(
        "WEBVTT\n\n1\n00:00:01.000 --> 00:00:04.000\n"
        "Tom Becker (OurCo): How did the six weeks go?\n\n"
        "2\n00:00:05.000 --> 00:00:09.000\n"
        "Helen Marsh | Initech Health: The referral queue is the problem.\n\n"
        "3\n00:00:10.000 --> 00:00:12.000\n"
        "Nadia Haddad (OurCo): Which fax machines do you use?\n"
    )
    output = ConnectorOutput()
    (call,) = read_calls(path, ConnectorOptions(internal_domains=("ourco.com",)), output)
    assert {name: s.side for name, s in call.speakers.items()} == {
        "Tom Becker (OurCo)": "vendor",
        "Helen Marsh | Initech Health": "customer",
        "Nadia Haddad (OurCo)": "vendor",
    }


def test_exports_in_other_languages_and_locales(session: Session, tmp_path: Path) -> None:
    """t16: column names with accents ("Überschrift", "Fecha de finalización"), semicolons,
    SurveyMonkey in Spanish (its sub-header row, "10 - Extremadamente probable", "p. m."),
    a German school grade for a rating (1,0 is the best), HubSpot notes whose company is a
    name column or, when that is empty, an id column."""
    from huddle.connectors.export_dates import human_date
    from huddle.imports.fields import normalise

    assert normalise("Überschrift") == "uberschrift"
    assert normalise("Fecha de finalización") == "fecha_de_finalizacion"
    assert human_date("01.12.2026 09:40:12") == datetime(2026, 12, 1, 9, 40, 12, tzinfo=UTC)
    # Spanish writes the day first, with its own 12-hour clock; English's AM/PM is American.
    assert human_date("03/12/2026 02:14:09 p. m.") == datetime(2026, 12, 3, 14, 14, 9, tzinfo=UTC)
    assert human_date("04/12/2026 09:05:51 a.\u00a0m.") == datetime(
        2026, 12, 4, 9, 5, 51, tzinfo=UTC
    )
    assert human_date("03/12/2026 02:14:09 PM") == datetime(2026, 3, 12, 14, 14, 9, tzinfo=UTC)
    monkey = tmp_path / "es.csv"
    monkey.write_text(
        "ID del encuestado,Fecha de finalización,Dirección de correo electrónico,"
        "¿Qué probabilidad hay de que recomiende OurCo a un amigo o colega?,"
        "¿Cuál es el motivo principal de su puntuación?,Empresa\n"
        ",,,Respuesta,Respuesta abierta,Respuesta abierta\n"
        "1187,03/12/2026 02:14:09 p. m.,r@vandelay.example,10 - Extremadamente probable,"
        "Los informes nos ahorran la reunión.,Vandelay Imports\n"
        '1188,2026-12-03,p@ourco.com,5,"prueba, por favor ignorar",OurCo\n'
    )
    kept, left_out = _read("survey", monkey)
    assert kept[0].occurred_at == datetime(2026, 12, 3, 14, 14, 9, tzinfo=UTC)
    assert [(r.text, r.account_ref, r.contact_email) for r in kept] == [
        (
            "NPS 10 \u2013 Los informes nos ahorran la reunión.",
            "Vandelay Imports",
            "r@vandelay.example",
        )
    ]
    assert [reason for reason, _ in left_out] == ["test"]
    graded = tmp_path / "de.csv"
    graded.write_text(
        "Datum;Gesamtnote;Überschrift;Bewertungstext;Verfasser\n"
        "02.12.2026;1,0;Endlich;Die Zuordnung spart viel Zeit.;M. Albers\n"
        "01.12.2026;4,3;Holprig;Der Import bricht bei Umlauten ab.;anonym\n"
    )
    kept, _ = _read("reviews", graded)
    assert [(r.tags, r.title) for r in kept] == [
        (["rating:5"], "★★★★★ Endlich"),
        (["rating:2"], "★★☆☆☆ Holprig"),
    ]
    admin = actor(session, "admin")
    acme = create_account(session, name="Acme Robotics", domain="acme-robotics.example")
    notes = tmp_path / "notes.csv"
    notes.write_text(
        "Activity ID;Activity date;Note body;Associated Company IDs;Associated Companies;;;\n"
        "1;02.12.2026 16:40;<p>The export came in empty.</p>;9012345601;Acme Robotics;;;\n"
        "2;03.12.2026 10:05;They want the timezone per export.;9012345604;;;;\n"
    )
    report = run(session, admin, "hubspot", notes)
    attached = dict(session.execute(select(Feedback.external_id, Feedback.account_id)).all())
    assert attached == {"1": acme.id, "2": None}
    assert report.unmatched_accounts == {"9012345604": 1}


def test_more_help_desk_shapes(session: Session, tmp_path: Path) -> None:
    """t16: Kustomer (one row per conversation: an outbound one the team opened is theirs;
    an alert from a no-reply sender is a bot's), UserVoice (the account by name, else by its
    external id; a bare "+1" says nothing), a Zendesk incremental export (a deleted ticket
    is skipped unless it is noise; an organisation named otherwise than its account is found
    by its CRM id or its domain), a Slack app's message told in its attachment's pretext."""
    kustomer = tmp_path / "kustomer.csv"
    kustomer.write_text(
        "Conversation ID,Conversation Name,Direction,Customer Email,First Message,Created At\n"
        "c1,Export,in,j@acme-robotics.example,The export arrives empty.,2026-12-01T09:00:00Z\n"
        "c2,SAML,out,w@hooli.example,I've asked the team to enable SAML.,2026-12-01T10:00:00Z\n"
        "c3,Incident,in,no-reply@pagerduty.example,Incident #48213 triggered,"
        "2026-12-01T11:00:00Z\n"
    )
    kept, left_out = _read("tickets", kustomer)
    assert [r.text for r in kept] == ["The export arrives empty."]
    assert [reason for reason, _ in left_out] == ["staff", "bot"]
    uservoice = tmp_path / "uservoice.csv"
    uservoice.write_text(
        "Feedback ID,Created At,Feedback Text,User Email,Account Name,Account External ID\n"
        "1,2026-11-30 14:02:51 UTC,Tag feedback with the cell number.,j@a.example,Acme,0015A\n"
        "2,2026-11-30 16:45:10 UTC,Export the roadmap as a PDF.,m@g.example,,0015G\n"
        "3,2026-11-30 17:00:00 UTC,+1,k@g.example,,0015G\n"
        # An export's way of writing nothing is nothing: the id column speaks.
        "4,2026-11-30 18:00:00 UTC,Dark mode for the app.,n@i.example,(No value),0015I\n"
    )
    kept, _ = _read("tickets", uservoice)
    assert [(r.text, r.account_ref) for r in kept] == [
        ("Tag feedback with the cell number.", "Acme"),
        ("Export the roadmap as a PDF.", "0015G"),
        ("Dark mode for the app.", "0015I"),
    ]
    admin = actor(session, "admin")
    globex = create_account(session, name="Globex Freight", external_id="0015e00000GLBX02")
    export = tmp_path / "incremental.json"
    ticket = {"requester_id": 7, "organization_id": 5, "created_at": "2026-12-01T09:00:00Z"}
    export.write_text(
        json.dumps(
            {
                "tickets": [
                    {**ticket, "id": 1, "status": "open", "description": "Split loses the T1."},
                    {**ticket, "id": 2, "status": "deleted", "description": "Wrong vendor."},
                ],
                "users": [{"id": 7, "email": "m@globex-eu.example", "name": "Marek"}],
                "organizations": [
                    {"id": 5, "name": "Globex Europe B.V.", "external_id": "0015e00000GLBX02"}
                ],
            }
        )
    )
    report = run(session, admin, "zendesk", export)
    assert report.created == 1 and report.skipped_rows == 1 and report.unmatched_accounts == {}
    assert session.scalar(select(Feedback.account_id)) == globex.id
    day = tmp_path / "2026-12-03.json"
    day.write_text(
        json.dumps(
            [
                {
                    "type": "message",
                    "subtype": "bot_message",
                    "bot_id": "B1",
                    "ts": "1796300000.000100",
                    "text": "",
                    "attachments": [
                        {"pretext": "Issue DSP-1182 created", "title": "DSP-1182 Dispatcher"}
                    ],
                }
            ]
        )
    )
    _, left_out = _read("slack", day)
    assert left_out == [("bot", "Issue DSP-1182 created\nDSP-1182 Dispatcher")]


def test_feedback_kept_in_no_code_and_data_tools(session: Session, tmp_path: Path) -> None:
    """t17: a warehouse's timestamps and NULLs ("\\N", "NULL"), Excel's formula errors, a
    Notion relation with its link, an Airtable linked record quoted for its comma and a
    lookup of several emails, Google Sheets' TSV that quotes nothing, a table's own how-to
    page and example row, monitoring alerts and status notices, Fivetran's flat Zendesk
    table and its deleted flags, and a report whose filter matched nothing."""
    from huddle.connectors.base import get_connector
    from huddle.connectors.noise import machine_notice
    from huddle.imports.fields import account_reference
    from huddle.imports.rows import csv_format
    from huddle.kit.time import parse_datetime

    assert parse_datetime("2026-11-24 09:14:22.123456 UTC") == datetime(
        2026, 11, 24, 9, 14, 22, 123456, tzinfo=UTC
    )
    assert parse_datetime("2026-11-18 16:02:11.000 +0100") == datetime(
        2026, 11, 18, 15, 2, 11, tzinfo=UTC
    )
    assert account_reference("Hooli Cloud, Inc. (https://www.notion.so/Hooli-1c2d?pvs=21)") == (
        "Hooli Cloud, Inc."
    )
    assert account_reference('"Vandelay Imports, LLC"') == "Vandelay Imports, LLC"
    assert csv_format('a\tb\tc\n1\t"unclosed quote\t3\n4\t5\t6\n7\t8\t9\n') == ("\t", 3)
    assert csv_format('a\tb\n"two\nlines"\tx\n"3"\ty\n') == ("\t", 0)
    assert machine_notice("[Datadog] Triggered: API p95 latency above 2s on eu-west")
    assert machine_notice("We are looking into it.", "[OurCo Status] Investigating - Login errors")
    assert not machine_notice("Investigating this took us two days - please fix the export.")
    assert not machine_notice("Update - the export still fails after the fix.", "Update - export")
    assert machine_notice("All good now.", "[OurCo Status] Resolved - Elevated login errors")

    notion = tmp_path / "notion.csv"
    notion.write_text(
        "Name,Account,Contact email,Created time,Feedback\n"
        '📌 How to use this database,,,"October 2, 2026 4:30 PM",Add one page per piece.\n'
        "Holidays,Acme Robotics (https://www.notion.so/Acme-4e1f?pvs=21),e@acme.example,"
        '"November 23, 2026 10:02 AM",Recurring jobs skip public holidays.\n'
        'Example request (delete this row),Example Co,,"November 1, 2026 9:00 AM",'
        "Example: the customer explains the problem here.\n"
    )
    kept, left_out = _read("tickets", notion)
    assert [(r.account_ref, r.occurred_at) for r in kept] == [
        ("Acme Robotics", datetime(2026, 11, 23, 10, 2, tzinfo=UTC))
    ]
    assert [reason for reason, _ in left_out] == ["internal", "test"]
    airtable = tmp_path / "airtable.csv"
    airtable.write_text(
        "Summary,Feedback,Company,Email (from Contacts),Created\n"
        'Dark mode,White background is tiring.,,"mei@hooli.example,jo@hooli.example",'
        "11/24/2026 4:47pm\n"
        'Bulk retag,No way to retag many at once.,"""Vandelay Imports, LLC""",,11/18/2026 2:05pm\n'
    )
    kept, _ = _read("tickets", airtable)
    assert [(r.contact_email, r.account_ref) for r in kept] == [
        ("mei@hooli.example", None),
        (None, "Vandelay Imports, LLC"),
    ]
    sheets = tmp_path / "csat.tsv"
    sheets.write_text(
        "Date\tAccount\tCustomer email\tCSAT\tComment\tFollow up?\n"
        '11/23/2026\tAcme\ta@acme.example\t2\t"Closing the ticket fixed nothing.\tFALSE\n'
        "11/24/2026\tHooli\th@hooli.example\t4\t\tFALSE\n"
        "11/25/2026\tGlobex\tg@globex.example\t5\tPDF previews help.\tTRUE\n"
    )
    kept, _ = _read("survey", sheets)
    assert [r.text for r in kept] == [
        'CSAT 2 \u2013 "Closing the ticket fixed nothing.',
        "CSAT 5 \u2013 PDF previews help.",
    ]
    warehouse = tmp_path / "nps.csv"
    warehouse.write_text(
        "response_id,submitted_at,account_id,user_email,nps_score,comment\n"
        "n1,2026-12-02 17:40:05.902110 UTC,NULL,m@globex.example,3,Too slow for our fleet.\n"
        "n2,2026-12-02 18:00:00.000000 UTC,NULL,x@globex.example,7,NULL\n"
    )
    kept, _ = _read("survey", warehouse)
    assert [(r.account_ref, r.contact_email) for r in kept] == [(None, "m@globex.example")]
    tracker = tmp_path / "tracker.csv"
    tracker.write_text("Rating,Title,Review\n4,Pros and cons,#NAME?\n5,Great,Works offline.\n")
    read = get_connector("reviews").read(tracker, OURS)
    assert [r.text for r in read.feedback] == ["Works offline."]
    assert [w.reason for w in read.warnings] == ["the review is Excel's error '#NAME?': skipped"]

    snowflake = tmp_path / "note.csv"
    snowflake.write_text(
        "ID,PARENT_ID,TITLE,BODY,CREATED_DATE,IS_DELETED,_FIVETRAN_DELETED\n"
        "n1,\\N,Globex call,They merge PDFs by hand.,2026-11-18 16:02:11.000 +0000,false,false\n"
        "n2,\\N,Acme,Deleted in Salesforce.,2026-11-19 10:00:00.000 +0000,true,false\n"
        "n3,\\N,Acme,Deleted by the sync.,2026-11-19 11:00:00.000 +0000,false,true\n"
    )
    admin = actor(session, "admin")
    report = run(session, admin, "salesforce", snowflake)
    assert (report.created, report.skipped_rows) == (1, 2)
    empty = tmp_path / "Note.csv"
    empty.write_text('"Id","ParentId","Title","Body","CreatedDate"\r\n')
    report = run(session, admin, "salesforce", empty)
    assert report.created == 0
    assert [w.reason for w in report.warnings] == ["the file names its columns and holds no rows"]
    fivetran = tmp_path / "ticket.jsonl"
    fivetran.write_text(
        json.dumps(
            {
                "id": "5201",
                "created_at": "2026-11-24 09:14:22.123456 UTC",
                "description": "The customs broker cannot open the packing lists.",
                "organization_name": "Globex Freight GmbH",
                "organization_external_id": "0015G",
                "requester_email": "carla@globex.example",
                "submitter_email": "dana@ourco.com",
            }
        )
        + "\n"
    )
    kept, left_out = _read("zendesk", fivetran)
    assert kept == [] and [reason for reason, _ in left_out] == ["staff"]


def test_more_crm_survey_chat_and_mail_shapes(session: Session, tmp_path: Path) -> None:
    """t18: Pipedrive, Zoho and Dynamics 365 notes (a note on a deal or a contact named for
    its account, an attachment-only note), HubSpot tickets, Qualtrics' NPS group column beside
    the score, Alchemer's "test" in one answer box, Slack messages in Block Kit only, an
    Exchange X.500 sender who is a workspace user, "Best wishes" as a sign-off, and a file
    with nothing to import told what the connector reads."""
    from huddle.connectors.email import strip_replies
    from huddle.errors import Invalid

    admin = actor(session, "admin")
    acme = create_account(session, name="Acme Robotics", domain="acme-robotics.example")
    zoho = tmp_path / "zoho.csv"
    zoho.write_text(
        "Record Id,Note Title,Note Content,Parent ID,Created Time\n"
        "zcrm_1,Line 3,Two approvers before a work order closes.,Acme Robotics - Line 3 rollout,"
        "2026-12-01 10:00\n"
        "zcrm_2,Larkspur,Break windows ignored.,Larkspur Logistics,2026-12-01 11:00\n"
    )
    report = run(session, admin, "salesforce", zoho)
    attached = dict(session.execute(select(Feedback.external_id, Feedback.account_id)).all())
    assert attached == {"zcrm_1": acme.id, "zcrm_2": None}
    assert report.unmatched_accounts == {"Larkspur Logistics": 1}
    dynamics = tmp_path / "dynamics.csv"
    dynamics.write_text(
        "(Do Not Modify) Note,Title,Description,Regarding,Created On,Is Document,File Name\n"
        "d1,Kiosk,<div>A read-only kiosk view.</div>,Acme Robotics,11/24/2026 4:18 PM,No,\n"
        "d2,Order form,,Acme Robotics,12/3/2026 9:48 AM,Yes,order_form.pdf\n"
    )
    report = run(session, admin, "salesforce", dynamics)
    assert (report.created, report.skipped_rows) == (1, 1)
    hubspot = tmp_path / "tickets.csv"
    hubspot.write_text(
        "Ticket ID,Ticket name,Ticket description,Create date,Associated Company,"
        "Associated Company IDs\n"
        "1,Photos,The photos are rotated in the PDF.,2026-12-01 09:00,,5101\n"
        "2,Matrix,Opened by Tom Becker on behalf of Acme: export the matrix.,"
        "2026-12-01 10:00,Acme Robotics,5101\n"
    )
    kept, left_out = _read("tickets", hubspot)
    assert [(r.title, r.account_ref) for r in kept] == [("Photos", "5101")]
    assert [reason for reason, _ in left_out] == ["staff"]
    qualtrics = tmp_path / "nps.csv"
    qualtrics.write_text(
        "ResponseId,How likely are you to recommend OurCo? - Group,"
        "How likely are you to recommend OurCo?,What is the main reason for your score?,"
        "If we could build one thing next what should it be?\n"
        "R1,Detractor,2,Slow in stores with weak wifi.,An offline mode.\n"
        "R2,Promoter,10,test,testing the link before the real send\n"
    )
    kept, left_out = _read("survey", qualtrics)
    assert [r.text for r in kept] == [
        "NPS 2 \u2013 Slow in stores with weak wifi.\n\nAn offline mode."
    ]
    assert [reason for reason, _ in left_out] == ["test"]
    day = tmp_path / "2026-12-02.json"
    day.write_text(
        json.dumps(
            [
                {
                    "type": "message",
                    "user": "U1",
                    "ts": "1796300000.000100",
                    "blocks": [
                        {
                            "type": "rich_text",
                            "elements": [
                                {
                                    "type": "rich_text_quote",
                                    "elements": [{"type": "text", "text": "I'll share a mockup."}],
                                },
                                {
                                    "type": "rich_text_section",
                                    "elements": [
                                        {"type": "text", "text": "The changeovers still count "},
                                        {"type": "text", "text": "as downtime."},
                                    ],
                                },
                            ],
                        }
                    ],
                }
            ]
        )
    )
    kept, _ = _read("slack", day)
    assert [r.text for r in kept] == ["The changeovers still count as downtime."]
    signed = "The repair costs per school are missing.\n\nBest wishes,\nRuth Abara\nBursar"
    assert strip_replies(signed) == "The repair costs per school are missing."
    empty = tmp_path / "empty.json"
    empty.write_text('{"description": "Validation failed", "errors": []}')
    try:
        run(session, admin, "zendesk", empty)
    except Invalid as refused:
        assert "it reads zendesk tickets" in refused.message
    else:
        raise AssertionError("a file with no tickets was not refused")


def test_google_business_profile_reviews_as_json(tmp_path: Path) -> None:
    """Takeout's reviews.json: star ratings as words, the reviewer's display name, the
    owner's reply left out, a rating without a comment skipped (not refused)."""
    path = tmp_path / "reviews.json"
    review = {
        "reviewId": "r1",
        "reviewer": {"displayName": "Derek Olsen"},
        "starRating": "TWO",
        "createTime": "2026-11-21T19:47:03.905Z",
        "comment": "Support only answers by email and it takes 2 days.",
        "reviewReply": {"comment": "Phone support is on our Enterprise plan."},
    }
    rating_only = {"reviewId": "r2", "starRating": "FIVE", "createTime": "2026-11-22T08:00:00Z"}
    path.write_text(json.dumps({"reviews": [review, rating_only]}))
    from huddle.connectors.base import get_connector

    read = get_connector("reviews").read(path, OURS)
    assert read.errors == [] and read.skipped_rows == 1
    assert [(r.external_id, r.text, r.tags, r.contact_name) for r in read.feedback] == [
        ("r1", "Support only answers by email and it takes 2 days.", ["rating:2"], "Derek Olsen")
    ]


def test_freshdesk_api_tickets_through_the_zendesk_reader(tmp_path: Path) -> None:
    """Freshdesk's API v2 tickets read as Zendesk's: its side-loaded `company`, its own
    `spam` and `deleted` flags, and source 10 (an Outbound Email one of ours sent)."""
    base = {
        "created_at": "2026-12-01T08:00:00Z",
        "requester": {"name": "Ines", "email": "ines@acme-robotics.example"},
    }
    tickets = [
        {
            **base,
            "id": 1,
            "source": 1,
            "company": {"name": "Acme Robotics"},
            "description_text": "The Monday report arrives empty.",
            "spam": False,
        },
        {
            **base,
            "id": 2,
            "source": 10,
            "company": {},
            "description_text": "As discussed, I've logged the tablet timeout for you.",
        },
        {**base, "id": 3, "source": 2, "spam": True, "description_text": "Backlinks cheap."},
        {**base, "id": 4, "source": 7, "deleted": True, "description_text": "Same as before."},
    ]
    path = tmp_path / "freshdesk.json"
    path.write_text(json.dumps(tickets))
    from huddle.connectors.base import get_connector

    read = get_connector("zendesk").read(path, OURS)
    assert [(r.text, r.account_ref) for r in read.feedback] == [
        ("The Monday report arrives empty.", "Acme Robotics")
    ]
    assert [o.reason for o in read.left_out] == ["staff", "spam"]
    assert read.skipped_rows == 1


def test_a_jira_service_management_search_page_through_the_zendesk_reader(
    tmp_path: Path,
) -> None:
    """Jira's issue search (`{"issues": [...]}`) read as tickets: the description's words out
    of Atlassian Document Format, the organisation from whichever custom field holds Service
    Desk organisations, an issue an agent raised for a customer left out as staff, one an
    automation rule raised as a bot's, and the link to the issue's page."""

    def person(name: str, kind: str, email: str | None = None) -> dict:
        return {"accountId": name, "displayName": name, "accountType": kind, "emailAddress": email}

    def issue(key: str, reporter: dict, creator: dict, description: object, **more: object) -> dict:
        return {
            "id": key[-2:],
            "key": key,
            "self": f"https://ourco.atlassian.net/rest/api/3/issue/{key[-2:]}",
            "fields": {
                "summary": f"About {key}",
                "created": "2026-12-01T09:14:22.123+0100",
                "reporter": reporter,
                "creator": creator,
                "description": description,
                "labels": ["mobile"],
                "priority": {"name": "High"},
                **more,
            },
        }

    ines = person("Ines", "customer", "ines@acme-robotics.example")
    adf = {
        "type": "doc",
        "content": [
            {
                "type": "paragraph",
                "content": [
                    {"type": "text", "text": "The approval link says "},
                    {"type": "text", "text": "Not Found", "marks": [{"type": "strong"}]},
                    {"type": "text", "text": "."},
                    {"type": "hardBreak"},
                    {"type": "emoji", "attrs": {"shortName": ":sob:", "text": "😭"}},
                ],
            },
            {
                "type": "bulletList",
                "content": [
                    {
                        "type": "listItem",
                        "content": [
                            {"type": "paragraph", "content": [{"type": "text", "text": "Tap it"}]}
                        ],
                    }
                ],
            },
        ],
    }
    organisation = [
        {
            "id": "6",
            "name": "Hooli Cloud, Inc.",
            "_links": {"self": "https://ourco.atlassian.net/rest/servicedeskapi/organization/6"},
        }
    ]
    page = {
        "startAt": 0,
        "total": 4,
        "issues": [
            issue("SUP-11", ines, ines, adf, customfield_10300=organisation),
            issue(
                "SUP-12",
                ines,
                person("Tom", "atlassian", "tom@ourco.com"),
                "Inspections done offline do not sync.",
            ),
            issue(
                "SUP-13",
                person("Automation for Jira", "app"),
                person("Automation for Jira", "app"),
                "p95 latency over 2s",
            ),
            # Jira's v2 API writes the description as wiki text.
            issue("SUP-14", ines, ines, "Exports time out after *two* minutes."),
        ],
    }
    path = tmp_path / "search.json"
    path.write_text(json.dumps(page))
    kept, left_out = _read("zendesk", path)
    assert [(r.text, r.account_ref, r.external_id) for r in kept] == [
        ("The approval link says Not Found.\n😭\nTap it", "Hooli Cloud, Inc.", "SUP-11"),
        ("Exports time out after *two* minutes.", None, "SUP-14"),
    ]
    assert kept[0].link_url == "https://ourco.atlassian.net/browse/SUP-11"
    assert kept[0].contact_email == "ines@acme-robotics.example"
    assert {"mobile", "priority:high"} <= set(kept[0].tags)
    assert [reason for reason, _text in left_out] == ["staff", "bot"]


def test_a_file_handed_to_the_wrong_source_says_which_reads_it(
    session: Session, tmp_path: Path
) -> None:
    """A refusal names the source the file reads as, when one does (Intercom's CSV given to
    `intercom`, a reviews export to `survey`, a Zendesk page to `intercom`); a file no source
    reads, or one that only names companies, gets no such guess. Nothing is written."""
    import pytest

    from huddle.errors import Invalid
    from huddle.imports.report import ImportFailed

    admin = actor(session, "admin")
    conversations = tmp_path / "conversations.csv"
    conversations.write_text(
        "Conversation ID,Started at,User email,Company name,First message\n"
        "2154688,2026-11-27 10:02:14 UTC,l@globex.example,Globex,The app errors offline.\n"
    )
    reviews = tmp_path / "g2.csv"
    reviews.write_text(
        "Review ID,Submitted At,Star Rating,Title,What do you dislike about OurCo?\n"
        "1,2026-11-27,4,Good,Exports are slow.\n"
    )
    page = tmp_path / "tickets.json"
    page.write_text(
        json.dumps(
            {
                "tickets": [
                    {"id": 1, "created_at": "2026-12-01T09:00:00Z", "description": "It breaks."}
                ]
            }
        )
    )
    companies = tmp_path / "companies.csv"
    companies.write_text("Company name,Company ID\nGlobex,1\n")
    for source, path, reads_as in (
        ("intercom", conversations, "tickets"),
        ("survey", reviews, "reviews"),
        ("intercom", page, "zendesk"),
        ("survey", companies, None),
    ):
        with pytest.raises(Invalid) as refused:
            run(session, admin, source, path)
        said = refused.value.message
        if reads_as is None:
            assert "reads as" not in said, said
        else:
            assert f"It reads as a {reads_as} export: import it with the source " in said, said
        if isinstance(refused.value, ImportFailed):
            assert refused.value.report.hint == (
                None if reads_as is None else said.split(". ", 1)[1]
            )
    assert session.scalar(select(func.count()).select_from(Feedback)) == 0


def test_ideas_and_insight_notes_exports_through_tickets(tmp_path: Path) -> None:
    """t19: Aha!'s ideas ("Idea description", "Idea created at": the fields found after the
    word every column opens with, for a file that would be refused otherwise) and
    Productboard's notes ("Note text"; "Company", else "Company domain", never the person in
    "Customer" beside "Customer email"); rich-text cells read as words, a chat pasted into a
    note read for the customer's lines, a crypto scam left out."""
    aha = tmp_path / "ideas.csv"
    aha.write_text(
        "Idea reference num,Idea name,Idea description,Idea created by email,Idea created at,"
        "Idea organization name\n"
        'I-1,Bulk edit,"<p>Bulk edit skips <strong>custom</strong> fields.</p>",'
        "k@acme-robotics.example,11/12/2026 9:41 AM PST,Acme Robotics\n"
        'I-2,Make 5 BTC,"<p>Guaranteed crypto trading profits!! t.me/vip</p>",'
        "vip@scam.example,11/24/2026 3:03 AM PST,\n"
    )
    kept, left_out = _read("tickets", aha)
    assert [(r.title, r.text, r.account_ref, r.contact_email) for r in kept] == [
        ("Bulk edit", "Bulk edit skips custom fields.", "Acme Robotics", "k@acme-robotics.example")
    ]
    assert kept[0].occurred_at == datetime(2026, 11, 12, 9, 41, tzinfo=UTC)
    assert [reason for reason, _ in left_out] == ["spam"]
    board = tmp_path / "notes.csv"
    board.write_text(
        '"Note ID","Note title","Note text","Company","Company domain","Customer",'
        '"Customer email","Created at"\n'
        '"1","Views","<p>Yuki Tanaka: Can a saved view be the team default?</p>'
        "<p>Dana Lee: Not yet, views are per user.</p><p>Yuki Tanaka: New hires all ask.</p>"
        '","","hooli.example","Yuki Tanaka","yuki@hooli.example","2026-12-01T02:31:09+01:00"\n'
        '"2","Specimens","Night shift cannot receive a specimen.","","","Ana Costa","",'
        '"2026-12-05T04:11:47Z"\n'
    )
    kept, _ = _read("tickets", board)
    assert [(r.text, r.account_ref, r.contact_name) for r in kept] == [
        (
            "Can a saved view be the team default?\n\nNew hires all ask.",
            "hooli.example",
            "Yuki Tanaka",
        ),
        ("Night shift cannot receive a specimen.", None, "Ana Costa"),
    ]


def test_round_13_lessons(session: Session, tmp_path: Path) -> None:
    """Round 13's held-back files, after their measurement: a gzip download saved as .csv
    (or .json) is refused as compressed, not as "not utf-8 text"; "Hallo, ist da jemand?"
    says nothing; a Swedish parental-leave notice is an auto-reply; a Swedish sign-off ends
    the customer's words."""
    import gzip

    import pytest

    from huddle.connectors.email import strip_replies
    from huddle.connectors.noise import noise_reason, says_nothing
    from huddle.errors import Invalid

    admin = actor(session, "admin")
    for name, source in (("tickets.csv", "tickets"), ("tickets.json", "zendesk")):
        packed = tmp_path / name
        packed.write_bytes(gzip.compress(b"Subject,Description\nA,B\n"))
        with pytest.raises(Invalid) as refused:
            run(session, admin, source, packed)
        assert "gzip-compressed" in str(refused.value.message) + "".join(
            str(e) for e in getattr(getattr(refused.value, "report", None), "errors", [])
        )
    assert says_nothing("Hallo, ist da jemand?") and says_nothing("Hello? Anyone there?")
    assert not says_nothing("Hallo, ist da jemand? Der Export bricht ab.")
    leave = "Hej!\n\nJag är föräldraledig till och med 29 januari och läser inte min e-post."
    assert noise_reason(leave, None, options=OURS) == "auto-reply"
    signed = "Is multi-currency in the February release?\n\nMed vänliga hälsningar\nAnders"
    assert strip_replies(signed) == "Is multi-currency in the February release?"
    assert session.scalar(select(func.count()).select_from(Feedback)) == 0


def test_activity_and_rating_exports(tmp_path: Path) -> None:
    """t19: HubSpot's calls (a call with no notes has no words; "test call - ignore" is a
    test), Salesforce's Task object (an activity export reads as notes: a logged email's
    header lines and quote cut, a list email and a sequence step a tool's), Freshdesk's
    satisfaction report (title rows, the score named by its question and given in words),
    Zendesk's satisfaction ratings (each comment, tagged with its score)."""
    calls = tmp_path / "calls.csv"
    calls.write_text(
        "Record ID,Call Title,Call notes,Activity date,Call outcome,Call direction,"
        "Associated Company\n"
        "1,Sync,<p>Uploads over 10MB fail.</p>,2026-12-02 14:30,Connected,Outbound,Globex\n"
        "2,Voicemail,,2026-12-02 15:00,Left voicemail,Outbound,Globex\n"
        '3,test call,"test call - ignore, checking the dialer",2026-12-04 09:30,,,\n'
    )
    read = _read_all("hubspot", calls)
    assert [(r.text, r.account_ref) for r in read.feedback] == [
        ("Uploads over 10MB fail.", "Globex")
    ]
    assert [o.reason for o in read.left_out] == ["test"] and read.skipped_rows == 1
    tasks = tmp_path / "Task.csv"
    tasks.write_text(
        '"ID","WHOID","WHATID","SUBJECT","DESCRIPTION","TASKSUBTYPE","ACCOUNTID","CREATEDDATE"\n'
        '"00T1","003A","001A","Email: RE: rollout","To: priya@ourco.com\nCC: \nBCC: \n'
        "Attachment: --none--\n\nSubject: RE: rollout\nBody:\nHi Priya,\n\nThe 4th floor "
        "tablets still drop to the password screen.\n\nOn Tue, Dec 1, 2026 at 3:02 PM Priya "
        '<priya@ourco.com> wrote:\n> Badge tap is enabled.","Email","0015e00000INTC03",'
        '"2026-12-02T08:47:13.000Z"\n'
        '"00T2","003B","001B","List Email: December update","Bulk edit is here.","ListEmail",'
        '"0015e00000GLBX02","2026-12-03T18:00:09.000Z"\n'
        '"00T3","003C","001C","[Outreach] [Step: 2] Email: Quick question","Sequence step '
        'completed by Outreach.","Email","0015e00000HOOL06","2026-12-04T14:00:31.000Z"\n'
    )
    read = _read_all("salesforce", tasks)
    assert [(r.title, r.text, r.account_ref) for r in read.feedback] == [
        (
            "Email: RE: rollout",
            "Hi Priya,\n\nThe 4th floor tablets still drop to the password screen.",
            "0015e00000INTC03",
        )
    ]
    assert [o.reason for o in read.left_out] == ["bot", "bot"]
    report = tmp_path / "satisfaction.csv"
    report.write_text(
        "Satisfaction Survey Report\nDate Range: 01 Nov 2026 - 30 Nov 2026\n\n"
        "Ticket ID,Requester Email,Company,How would you rate your overall satisfaction for "
        "the resolution provided by the agent?,Additional feedback,Responded at\n"
        "48211,c@globex.example,Globex,Unhappy,Nobody read the ticket history.,"
        "23 Nov 2026 09:14 PM\n"
        "48230,m@acme.example,Acme,Extremely Happy,The audit log view is great.,"
        "24 Nov 2026 10:11 AM\n\nTotal Responses,2\n"
    )
    read = _read_all("survey", report)
    assert [(r.text, r.tags) for r in read.feedback] == [
        ("CSAT 2 \u2013 Nobody read the ticket history.", ["csat:2"]),
        ("CSAT 5 \u2013 The audit log view is great.", ["csat:5"]),
    ]
    assert read.feedback[0].occurred_at == datetime(2026, 11, 23, 21, 14, tzinfo=UTC)
    ratings = tmp_path / "ratings.json"
    rating = {"requester_id": 7, "ticket_id": 48211, "created_at": "2026-11-23T09:14:02Z"}
    ratings.write_text(
        json.dumps(
            {
                "satisfaction_ratings": [
                    {
                        **rating,
                        "id": 1,
                        "score": "bad",
                        "comment": "Six days to fix SSO.",
                        "url": "https://ourco.zendesk.com/api/v2/satisfaction_ratings/1.json",
                    },
                    {**rating, "id": 2, "score": "offered", "comment": ""},
                    {**rating, "id": 3, "score": "good", "comment": None},
                ],
                "next_page": None,
            }
        )
    )
    read = _read_all("zendesk", ratings)
    assert [(r.text, r.tags, r.link_url) for r in read.feedback] == [
        (
            "Six days to fix SSO.",
            ["csat:bad"],
            "https://ourco.zendesk.com/agent/tickets/48211",
        )
    ]
    assert read.skipped_rows == 2


def test_calendar_mail_and_reward_spam() -> None:
    """t19: a Google Calendar invitation is its description (not the event's details and
    the calendar's notices); an acceptance is an auto-reply; reward-app spam in a review."""
    from huddle.connectors.mail_body import invitation_words as _invitation_words
    from huddle.connectors.noise import noise_reason

    invitation = (
        "You have been invited by Yuki Tanaka to attend an event named Webhook review.\n\n"
        "Join with Google Meet\nhttps://meet.google.com/x\n\nJoin by phone\n(US) +1 405\n\n"
        "Description\nOur security team has to review how webhooks are signed.\n\n"
        "View all guest info https://calendar.google.com/x\n\nInvitation from Google Calendar\n"
    )
    assert _invitation_words(invitation) == (
        "Our security team has to review how webhooks are signed."
    )
    assert _invitation_words("Hi Sam,\n\nThe export fails.") == "Hi Sam,\n\nThe export fails."
    accepted = "Rahul Mehta has accepted this invitation.\n\nStore rollout - pilot issues"
    assert noise_reason(accepted, "Accepted: Store rollout", options=OURS) == "auto-reply"
    reward = "Best app!!! Earn free $100 gift cards every day, use code FREE100 at x.example"
    assert noise_reason(reward, options=OURS) == "spam"
    assert noise_reason("Can we get free seats for auditors?", options=OURS) is None


def test_t20_exports_of_help_desks_crms_surveys_and_reviews(tmp_path: Path) -> None:
    """t20: a Zoho Desk export in Brazilian Portuguese re-saved by Excel (its columns in
    Portuguese, an id turned into "3,86504E+17" is no id), a download cut inside a quoted
    cell (refused by the line it opened on), HubSpot's meetings export (the team's notes, not
    the calendar invitation; a meeting without notes has no words), Gainsight's timeline
    through salesforce (the SFDC id, else the company's name; a rules engine's entry a bot's),
    HubSpot's feedback submissions (a Customer Effort Score is CES, 1 to 7), Gartner Peer
    Insights (its "Overall Comment", not a section's "Comment"; a link kept as an Excel
    formula)."""
    zoho = tmp_path / "zoho.csv"
    zoho.write_text(
        "\ufeffID;Número do ticket;Assunto;Descrição;E-mail;Nome da conta;Hora de criação;;\n"
        "3,86504E+17;1043;Relatório;<div>O relatório vem vazio.<br />Att.,<br />Juliana</div>;"
        "j@aurora.example;Ferragens Aurora;30/11/2026 08:47;;\n"
    )
    (record,) = _read_all("tickets", zoho).feedback
    assert (record.text, record.title, record.external_id, record.account_ref) == (
        "O relatório vem vazio.",
        "Relatório",
        "1043",
        "Ferragens Aurora",
    )
    assert record.occurred_at == datetime(2026, 11, 30, 8, 47, tzinfo=UTC)
    cut = tmp_path / "cut.csv"
    cut.write_text(
        'Ticket ID,Subject,Description,Created at\n1,A,"Whole one.",2026-12-01\n'
        '2,B,"The download stopped in the middle of this'
    )
    from huddle.connectors.base import get_connector

    read = get_connector("tickets").read(cut, OURS)
    assert [(e.line, "cut short" in e.reason) for e in read.errors] == [(3, True)]
    meetings = tmp_path / "meetings.csv"
    meetings.write_text(
        "Record ID,Meeting name,Meeting description,Internal meeting notes,Meeting outcome,"
        "Create date,Associated Company\n"
        '1,Review,"Dana Lee is inviting you to a scheduled Zoom meeting.",'
        "<p>Attachments over 10 MB fail.</p>,Completed,2026-12-01 10:00,Initech Health\n"
        '2,Sync,"Dana Lee is inviting you to a scheduled Zoom meeting.",,No show,'
        "2026-12-02 10:00,Globex\n"
    )
    read = _read_all("hubspot", meetings)
    assert [r.text for r in read.feedback] == ["Attachments over 10 MB fail."]
    assert read.skipped_rows == 1
    timeline = tmp_path / "timeline.csv"
    timeline.write_text(
        "Activity ID,Company Name,SFDC Account ID,Activity Type,Subject,Notes,Activity Date\n"
        "1,Acme Robotics,0015e00000ACMER1,Meeting,EBR,<p>Tablets time out.</p>,"
        "12/03/2026 09:30 AM\n"
        "2,Hooli Cloud,,Call,Seats,<p>Invoice counts deactivated users.</p>,12/03/2026 10:00 AM\n"
        "3,Umbrella,0015e00000UMBR04,Milestone,Renewal,Renewal opportunity created automatically"
        " by rule 'Renewal 120 days out'.,12/03/2026 11:00 AM\n"
    )
    read = _read_all("salesforce", timeline)
    assert [(r.text, r.account_ref) for r in read.feedback] == [
        ("Tablets time out.", "0015e00000ACMER1"),
        ("Invoice counts deactivated users.", "Hooli Cloud"),
    ]
    assert [o.reason for o in read.left_out] == ["bot"]
    submissions = tmp_path / "submissions.csv"
    submissions.write_text(
        "Survey type,Rating,Response,Submission date,Contact email,Associated Company\n"
        "Customer Effort Score (CES),2,No Schedule tab in my account.,2026-12-01 10:00,"
        "k@acme.example,Acme Robotics\n"
        "Net Promoter Score (NPS),9,Lane templates save hours.,2026-12-01 11:00,"
        "l@globex.example,Globex\n"
    )
    read = _read_all("survey", submissions)
    assert [(r.title, r.account_ref) for r in read.feedback] == [
        ("CES 2", "Acme Robotics"),
        ("NPS 9", "Globex"),
    ]
    peer = tmp_path / "peer.csv"
    peer.write_text(
        "Review ID,Review Link,Review Title,Overall Rating,Published Date,Overall Comment,"
        "Evaluation & Contracting,Comment\n"
        '1,"=HYPERLINK(""https://gartner.example/review/1"",""View review"")",Good,4.0,'
        '"Nov 24, 2026",The import rejects a whole file for one bad row.,3,Responsive.\n'
    )
    (review,) = _read_all("reviews", peer).feedback
    assert review.text == "The import rejects a whole file for one bad row."
    assert review.link_url == "https://gartner.example/review/1"


def test_salesforce_email_messages(tmp_path: Path) -> None:
    """t20: Service Cloud's EmailMessage object: a case's mail, the account found by the
    sender's address (the parent is a case), the plain body or else the HTML one, the
    quote and the thread token cut; the team's replies (INCOMING false) theirs, an
    auto-reply its headers declare, spam as in any mail."""
    mail = tmp_path / "EmailMessage.csv"
    mail.write_text(
        '"ID","PARENTID","SUBJECT","FROMNAME","FROMADDRESS","INCOMING","MESSAGEDATE",'
        '"TEXTBODY","HTMLBODY","HEADERS","ISDELETED"\n'
        '"02s1","5005e00001Xk2AbAAJ","RE: templates","Marta Kowal","marta@acme.example","true",'
        '"2026-12-02T09:00:00.000Z","Reordering steps took us a week.\n\n'
        "--------------- Original Message ---------------\nFrom: OurCo Support "
        "[support@ourco.com]\nSent: 12/1/2026 4:05 PM\n\nSteps go at the end.\n\n"
        'ref:!00D5e0ABCD.!5005e00001Xk2Ab:ref","","","false"\n'
        '"02s2","5005e00001Xk2AbAAJ","Re: templates","OurCo Support","support@ourco.com",'
        '"false","2026-12-02T10:00:00.000Z","I have added your case to the request.","","",'
        '"false"\n'
        '"02s3","5005e00001Xn1EfAAJ","Seats","Mei","mei@hooli.example","true",'
        '"2026-12-03T09:00:00.000Z","","<html><style>p {mso-style-priority: 99}</style>'
        '<p>The usage report counts deactivated users.</p></html>","","false"\n'
        '"02s4","5005e00001Xm7CdAAJ","Automatic reply: Case 41233","Deshawn",'
        '"d@initech.example","true","2026-12-03T11:00:00.000Z","Back on Monday.","",'
        '"Auto-Submitted: auto-replied","false"\n'
    )
    read = _read_all("salesforce", mail)
    assert [(r.text, r.account_ref, r.contact_email) for r in read.feedback] == [
        ("Reordering steps took us a week.", None, "marta@acme.example"),
        ("The usage report counts deactivated users.", None, "mei@hooli.example"),
    ]
    assert [o.reason for o in read.left_out] == ["internal", "auto-reply"]


def test_a_signature_without_a_sign_off_and_a_legal_footer() -> None:
    """t20's EmailMessage: the sender's name opens her signature block (title, company,
    address) and a company's legal footer follows it: both are cut, the words kept."""
    from huddle.connectors.email import strip_replies

    mail = (
        "Please treat reordering of steps as a priority.\n\nMarta Kowal\nQuality Systems Lead\n"
        "Acme Robotics GmbH\nAm Klingenweg 6, 65396 Walluf\n\nAcme Robotics GmbH | Registered "
        "office: Walluf | Commercial register: HRB 12345 Wiesbaden"
    )
    assert strip_replies(mail, "Marta Kowal") == "Please treat reordering of steps as a priority."
    # A paragraph that merely opens with her name is hers to keep.
    kept = "Marta here. The export fails.\n\nMarta asked again: can it be fixed by Friday?"
    assert strip_replies(kept, "Marta Kowal") == kept
