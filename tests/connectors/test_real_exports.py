"""Exports as tools really write them, read as a person would: report footers skipped,
accounts found by name, domain or title, unknown accounts listed, mail cut to the sender's
own words, and noise left out, counted and kept on the run (or brought in on request)."""

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from huddle.models import Account, Feedback, ImportRun
from tests.connectors.exports.scoring import CORPUS
from tests.connectors.helpers import counts, refused, run
from tests.factories import actor, create_account, create_user


def _texts(session: Session, import_id: int | None) -> list[tuple[str, str | None]]:
    rows = session.execute(
        select(Feedback.text, Account.name)
        .outerjoin(Account, Account.id == Feedback.account_id)
        .where(Feedback.import_id == import_id)
        .order_by(Feedback.id)
    )
    return [(text, name) for text, name in rows]


def test_report_rows_skipped_and_noise_left_out_counted_and_kept(session: Session) -> None:
    admin = actor(session, "admin")
    create_account(session, name="Initech Health", domain="initech.example")
    create_account(session, name="Hooli Cloud", domain="hooli.example")
    report = run(session, admin, "tickets", CORPUS / "tickets" / "tk_report_rows.csv")
    assert _texts(session, report.import_id) == [
        (
            "Every time I open the weekly report the region filter is back to All, I set it "
            "again each Monday.",
            "Initech Health",
        ),
        (
            "When our endpoint is down for a minute your webhooks are lost, there is no retry, "
            "so we miss order updates.",
            "Hooli Cloud",
        ),
    ]
    # Title and "Exported by" above the header, totals and confidentiality below it.
    assert report.skipped_rows == 2 and report.left_out == {"auto-reply": 1, "spam": 1}
    assert "left out: 1 auto-reply, 1 spam" in report.notes()[0]
    run_row = session.get(ImportRun, report.import_id)
    assert run_row is not None
    assert [(e["line"], e["reason"], e["record"]["title"]) for e in run_row.left_out] == [
        (6, "auto-reply", "Automatic reply: Report filters reset"),
        (7, "spam", "Partnership opportunity"),
    ]


def test_keep_noise_brings_it_in_tagged(session: Session) -> None:
    admin = actor(session, "admin")
    report = run(
        session, admin, "tickets", CORPUS / "tickets" / "tk_report_rows.csv", keep_noise=True
    )
    assert report.left_out == {} and report.created == 4
    tagged = session.scalars(select(Feedback).where(Feedback.title.like("Partnership%"))).one()
    assert "noise:spam" in tagged.tags


def test_the_workspace_people_are_the_vendor_and_internal(session: Session) -> None:
    """No --internal-domain given: the users' own domain and names decide."""
    admin = actor(session, "admin")
    create_user(session, email="sam@ourco.com", name="Sam Ortiz")
    create_user(session, email="dana@ourco.com", name="Dana Lee")
    report = run(session, admin, "slack", CORPUS / "slack" / "sl_day_customer_success.json")
    assert [text for text, _ in _texts(session, report.import_id)] == [
        "Our insurer wants one monthly claims file with the photos linked, we build it by hand "
        "from three screens."
    ]
    assert report.left_out == {"internal": 1, "bot": 1}
    call = run(session, admin, "transcript", CORPUS / "transcript" / "tr_zoom_call.vtt")
    spoken = " ".join(text for text, _ in _texts(session, call.import_id))
    assert "thanks for joining" not in spoken and "five forms" in spoken


def test_notes_find_their_account_by_name_domain_or_title(session: Session) -> None:
    admin = actor(session, "admin")
    for name, domain in (
        ("Initech Health", "initech.example"),
        ("Vandelay Imports", "vandelay.example"),
        ("Acme Robotics", "acme-robotics.example"),
    ):
        create_account(session, name=name, domain=domain)
    session.scalars(select(Account)).all()[0].external_id = "0015e00000INTC03"
    path = CORPUS / "salesforce" / "sf_notes_title_mention.csv"
    report = run(session, admin, "salesforce", path)
    assert [name for _, name in _texts(session, report.import_id)] == [
        "Initech Health",
        "Vandelay Imports",
        "Acme Robotics",
        None,  # "Team lunch" names no account: it comes in unattached
    ]
    assert report.skipped_rows == 1 and report.unmatched_accounts == {}


def test_mail_cut_to_the_senders_words_and_an_odd_date_reported(session: Session) -> None:
    admin = actor(session, "admin")
    report = run(session, admin, "email", CORPUS / "email" / "em_archive_odd_header.mbox")
    stored = session.scalars(
        select(Feedback).where(Feedback.import_id == report.import_id).order_by(Feedback.id)
    ).all()
    assert [f.text for f in stored] == [
        "Hi Tom,\n\nArea managers keep asking for a way to copy a whole month of shifts to a "
        "new store in one go. Today they rebuild it day by day.",
        "Dana - the customs forms still do not remember the consignee, so my team types the "
        "same address forty times a week.",
        "Tom, legal confirmed: without Frankfurt hosting we cannot move the EU teams over this "
        "year.",
    ]
    assert stored[1].occurred_at == datetime(2026, 11, 17, 16, 45, tzinfo=UTC)
    assert [(w.line, w.column) for w in report.warnings] == [(18, "Date")]
    assert report.left_out == {"auto-reply": 1}


def test_broken_files_are_still_refused_whole(session: Session) -> None:
    admin = actor(session, "admin")
    before = counts(session)
    failure = refused(session, admin, "zendesk", CORPUS / "zendesk" / "zd_truncated.json")
    assert "truncated" in str(failure.report.errors[0])
    failure = refused(session, admin, "hubspot", CORPUS / "hubspot" / "hs_notes_cp1252.csv")
    assert "--encoding" in str(failure.report.errors[0])
    assert counts(session) == before


def test_a_call_finds_its_account_by_title_file_name_or_its_words(
    session: Session, tmp_path: Path
) -> None:
    """No field names the account: the WebVTT NOTE's title names it, else the file name (an
    account's first word alone will do there), else the call's lines name it in full; a first
    word two accounts share, or one said in passing in the call, attaches to nothing."""
    admin = actor(session, "admin")
    create_user(session, email="dana@ourco.com", name="Dana Lee")
    for name, domain in (
        ("Acme Robotics", "acme-robotics.example"),
        ("Acme Foods", "acmefoods.example"),
        ("Globex Freight", "globex.example"),
        ("Hooli Cloud", "hooli.example"),
    ):
        create_account(session, name=name, domain=domain)
    said = (
        "00:00:01.000 --> 00:00:04.000\n<v Dana Lee>How does approval work at {place} today?\n\n"
        "00:00:05.000 --> 00:00:09.000\n<v Ravi Shah>We approve every invoice by hand in a "
        "spreadsheet and it is painful.\n"
    )

    def account_of(file_name: str, note: str, place: str) -> str | None:
        path = tmp_path / file_name
        path.write_text(f"WEBVTT\n\n{note}" + said.format(place=place))
        report = run(session, admin, "transcript", path)
        (found,) = _texts(session, report.import_id)
        return found[1]

    assert account_of("call.vtt", "NOTE\nOurCo / Globex Freight - Q4 review\n\n", "Hooli") == (
        "Globex Freight"
    )
    assert account_of("hooli_research.vtt", "", "Globex") == "Hooli Cloud"
    assert account_of("call-2.vtt", "", "Globex Freight") == "Globex Freight"
    assert account_of("call-3.vtt", "", "Globex") is None
    assert account_of("acme_discovery.vtt", "", "Acme") is None


def test_round_fives_shapes_read_as_a_person_reads_them(tmp_path: Path) -> None:
    """What round 5 of the held-back exports showed (docs/connectors.md): an Outlook forward
    whose headers are a bare From/Sent block, a chat reply under its quote, a conversation
    only the team wrote, a follower offer, and Otter's keywords block."""
    from huddle.connectors.base import ConnectorOptions, ConnectorOutput
    from huddle.connectors.email import connector as email
    from huddle.connectors.intercom import connector as intercom
    from huddle.connectors.noise import spam
    from huddle.connectors.transcript import read_calls

    options = ConnectorOptions(internal_domains=("ourco.com",))
    forward = tmp_path / "fw.eml"
    forward.write_text(
        "From: Sam Ortiz <sam@ourco.com>\nTo: pm@ourco.com\nSubject: FW: Audit report\n"
        "Date: Fri, 20 Nov 2026 08:47:13 +0000\n\nForwarding for the permissions theme.\n\n"
        "________________________________\nFrom: Raymond Cho <raymond.cho@hooli.example>\n"
        "Sent: Thursday, November 19, 2026 11:03 AM\nTo: Sam Ortiz <sam@ourco.com>\n"
        "Subject: Audit report\n\nWe need a permissions report we can hand to auditors.\n"
    )
    (record,) = email.read(forward, options).feedback
    assert (record.contact_email, record.title) == ("raymond.cho@hooli.example", "Audit report")
    assert record.occurred_at == datetime(2026, 11, 19, 11, 3, tzinfo=UTC)
    assert record.text == "We need a permissions report we can hand to auditors."

    chat = tmp_path / "conversations.json"
    customer = {"type": "user", "name": "Bea Lindholm", "email": "bea@umbrella.example"}
    admin = {"type": "admin", "name": "Dana Lee", "email": "dana@ourco.com"}
    chat.write_text(
        json.dumps(
            [
                {
                    "id": "1",
                    "created_at": 1763456400,
                    "source": {"body": "<p>Scheduled report question</p>", "author": customer},
                    "conversation_parts": {
                        "conversation_parts": [
                            {
                                "body": '<div class="gmail_quote">On Mon, Nov 23, 2026 Dana '
                                "wrote:<blockquote>Did the export arrive?</blockquote></div>"
                                "<p>It arrived as a CSV nobody can open on a phone.</p>",
                                "author": customer,
                            }
                        ]
                    },
                },
                {
                    "id": "2",
                    "created_at": 1763456400,
                    "source": {"body": "<p>New in OurCo: scheduled exports!</p>", "author": admin},
                },
            ]
        )
    )
    read = intercom.read(chat, options)
    assert [r.text for r in read.feedback] == [
        "Scheduled report question\n\nIt arrived as a CSV nobody can open on a phone."
    ]
    assert [(left.reason, left.record.text) for left in read.left_out] == [
        ("internal", "New in OurCo: scheduled exports!")
    ]

    assert spam("Grow your Instagram to 10K real followers! Cheap packages, pay with crypto.")
    assert not spam("We have a limited time to fix the export before the audit.")

    otter = tmp_path / "interview.txt"
    otter.write_text(
        "Acme Robotics - technician interview\nWed, Nov 25, 2026 11:00AM • 31:52\n\n"
        "SUMMARY KEYWORDS\nwork order, parts, van\n\nSPEAKERS\nLeah Fischer, Omar Haddad\n\n"
        "Leah Fischer  0:03\nHow do you log parts today?\n\n"
        "Omar Haddad  0:07\nOn paper, then I type it in again at night.\n"
    )
    output = ConnectorOutput()
    (call,) = read_calls(otter, options, output)
    assert output.errors == [] and call.title == "Acme Robotics - technician interview"
    assert [u.speaker for u in call.utterances] == ["Leah Fischer", "Omar Haddad"]


def test_a_zoom_header_and_srt_names_in_brackets(tmp_path: Path) -> None:
    """Zoom's `Topic:`/`Attendees:` header with a zone written in words, and SRT cues whose
    speaker is `[Name]` with no colon (both refused or misread before round 5)."""
    from huddle.connectors.base import ConnectorOptions, ConnectorOutput
    from huddle.connectors.transcript import read_calls

    zoom = tmp_path / "zoom.txt"
    zoom.write_text(
        "Zoom Meeting Transcript\nTopic: Vandelay Imports <> OurCo | renewal\n"
        "Date: November 19, 2026 10:00 AM Eastern Time (US and Canada)\n"
        "Attendees: Sam Ortiz, Desmond Okafor\n\n"
        "Sam Ortiz (00:04): Morning Desmond.\nDesmond Okafor (00:19): The quote is up 18%.\n"
    )
    srt = tmp_path / "demo.srt"
    srt.write_text(
        "1\n00:00:00,500 --> 00:00:03,900\n[Tom Becker] Hi, is this Alana?\n\n"
        "2\n00:00:04,400 --> 00:00:08,100\n[Alana Reyes] Yes. We run out of gloves weekly.\n"
    )
    output = ConnectorOutput()
    (call,) = read_calls(zoom, ConnectorOptions(), output)
    assert output.errors == []
    assert call.title == "Vandelay Imports <> OurCo | renewal"
    assert call.started_at == datetime(2026, 11, 19, 10, 0, tzinfo=UTC)
    assert list(call.speakers) == ["Sam Ortiz", "Desmond Okafor"]
    (call,) = read_calls(srt, ConnectorOptions(), output)
    assert [(u.speaker, u.text) for u in call.utterances] == [
        ("Tom Becker", "Hi, is this Alana?"),
        ("Alana Reyes", "Yes. We run out of gloves weekly."),
    ]


def test_a_ticket_opened_by_a_reply_keeps_only_the_customers_words(tmp_path: Path) -> None:
    """Round 6: a help desk's report holds a ticket opened by replying to its mail, the
    agent's answer quoted below the customer's words."""
    from huddle.connectors.base import ConnectorOptions
    from huddle.connectors.tickets import connector as tickets

    path = tmp_path / "tickets.csv"
    path.write_text(
        "Ticket ID,Subject,Description,Requester email,Created at\n"
        '51203,Re: Dashboard permissions,"It is still not what we need: a plant manager should '
        "only see their own plant.\n\nOn Wed, Dec 2, 2026 at 9:40 AM OurCo Support "
        "<support@ourco.example> wrote:\n> You can restrict dashboards by department.\n> Let us "
        'know if that helps!",sven@acme-robotics.example,2026-12-02 16:12:40\n'
    )
    (record,) = tickets.read(path, ConnectorOptions()).feedback
    assert record.text == (
        "It is still not what we need: a plant manager should only see their own plant."
    )


def test_money_offers_keyboard_mash_and_the_team_trying_its_own_survey_are_noise() -> None:
    """Round 7's noise: a money offer is spam; "asdf" anywhere, or the vendor's people checking
    that something fires, is a test, not internal; a customer checking a number is heard."""
    from huddle.connectors.base import ConnectorOptions
    from huddle.connectors.noise import noise_reason

    options = ConnectorOptions(internal_domains=("ourco.com",))

    def reason(text: str, email: str = "ana@acme.example") -> str | None:
        return noise_reason(text, email=email, options=options)

    assert reason("EARN $300 A DAY from home, no experience needed, see quickcash dot biz") == (
        "spam"
    )
    assert reason("Score 2 - asdf asdf, ignore the score") == "test"
    assert reason("checking the reminder email fires on a 0", email="li@ourco.com") == "test"
    assert reason("Our new survey goes out Monday, please share", email="li@ourco.com") == (
        "internal"
    )
    assert reason("We are checking whether the export works with our ERP, it does not") is None
    assert reason("I earn my living from the road, and the app is slow on 3G") is None


def test_round_tens_shapes_read_as_a_person_reads_them(tmp_path: Path) -> None:
    """Round 10: a report saved by a European Excel (semicolons, commas in the text, title and
    period rows above the header), Typeform's and G2's question columns, a Zoom header's
    `Meeting ID:`, and a colleague introduced as "he's one of our …"."""
    from huddle.connectors.base import ConnectorOptions, ConnectorOutput
    from huddle.connectors.reviews import connector as reviews
    from huddle.connectors.survey import connector as survey
    from huddle.connectors.tickets import connector as tickets
    from huddle.connectors.transcript import read_calls

    report = tmp_path / "weekly.csv"
    report.write_text(
        "Weekly ticket report - Support;;;;\nPeriod: 2026-12-07 to 2026-12-11;;;;\n;;;;\n"
        "Ticket ID;Subject;Description;Requester email;Created at\n"
        '7;Slow map;"The map is slow, very slow, on Mondays.";ana@acme.example;2026-12-07 09:00\n'
        "8;Export;Please add a date filter to the export;li@acme.example;2026-12-08 10:00\n"
        "Total: 2;;;;\n"
    )
    read = tickets.read(report, ConnectorOptions())
    assert read.errors == []
    assert [r.text for r in read.feedback] == [
        "The map is slow, very slow, on Mondays.",
        "Please add a date filter to the export",
    ]
    typeform = tmp_path / "typeform.csv"
    typeform.write_text(
        "#,How likely are you to recommend OurCo to a friend or colleague?,"
        "What is the one thing we should improve?,email,Start Date (UTC),Submit Date (UTC)\n"
        "k2q8,3,Reports cannot filter by store format.,omar@umbrella.example,"
        "2026-12-01 09:12:40,2026-12-01 09:14:22\n"
    )
    (answer,) = survey.read(typeform, ConnectorOptions()).feedback
    assert answer.text == "NPS 3 \u2013 Reports cannot filter by store format."
    assert answer.occurred_at == datetime(2026, 12, 1, 9, 14, 22, tzinfo=UTC)
    g2 = tmp_path / "g2.csv"
    g2.write_text(
        "Review ID,Rating,Title,What do you like best about OurCo?,"
        "What do you dislike about OurCo?,"
        "What problems is OurCo solving and how is that benefiting you?,Date,Vendor Response\n"
        "1148,4,Off paper,The checklist builder.,Reporting is rigid.,Preventive maintenance.,"
        "2026-11-30,Thanks for the kind words!\n"
    )
    (review,) = reviews.read(g2, ConnectorOptions()).feedback
    assert review.text == (
        "Likes: The checklist builder.\nDislikes: Reporting is rigid.\n"
        "Problems solved: Preventive maintenance."
    )
    zoom = tmp_path / "zoom.txt"
    zoom.write_text(
        "Topic: OurCo demo for Vandelay Imports\nMeeting ID: 894 2231 0047\nPasscode: 118822\n"
        "Date: Dec 8, 2026 10:00 AM Eastern Time (US and Canada)\n"
        "Attendees: Dana Lee, Felix Braun, Georgina Pike\n\n"
        "Dana Lee (00:04): Hi Georgina. This is Felix, he's one of our support engineers.\n"
        "Felix Braun (00:11): Hi. What happened on Saturday?\n"
        "Georgina Pike (00:15): The reminder never went out.\n"
    )
    output = ConnectorOutput()
    options = ConnectorOptions(staff_names=("Dana Lee",))
    (call,) = read_calls(zoom, options, output)
    assert output.errors == []
    assert call.call_id == "894 2231 0047"
    assert {name: s.side for name, s in call.speakers.items()} == {
        "Dana Lee": "vendor",
        "Felix Braun": "vendor",
        "Georgina Pike": "customer",
    }


def test_out_of_office_in_the_customers_languages_and_the_team_trying_a_template() -> None:
    """Round 10's noise: auto-replies in Dutch, Swedish and Italian; a CRM note of the team
    trying a new template is a test, a customer trying one is heard."""
    from huddle.connectors.base import ConnectorOptions
    from huddle.connectors.noise import noise_reason, staff_trial

    options = ConnectorOptions(internal_domains=("ourco.com",))
    for text in (
        "Beste afzender,\n\nIk ben afwezig tot en met maandag 4 januari.",
        "Jag är på semester till och med den 4 januari.",
        "Grazie per il messaggio. Sono fuori ufficio fino al 7 gennaio.",
        "Je suis absente du bureau jusqu'au 5 janvier.",
    ):
        assert noise_reason(text, email="x@acme.example", options=options) == "auto-reply"
    assert (
        noise_reason("Ik ben blij met de export", email="x@acme.example", options=options) is None
    )
    assert staff_trial("Test\n\nignore - trying the new note template")
    customer = "We are trying the new export template and it fails on our dates."
    assert noise_reason(customer, email="x@acme.example", options=options) is None


def test_a_cell_that_spells_a_column_name_is_not_taken_for_the_header(tmp_path: Path) -> None:
    """A notes export without its body column is refused, although each activity's type
    cell says "Note" (one of the names the body column goes by) now that a note's date may
    be missing."""
    from huddle.connectors.base import ConnectorOptions
    from huddle.connectors.hubspot import connector as hubspot

    path = tmp_path / "notes.csv"
    path.write_text(
        "Activity ID,Activity date,Activity type,Activity assigned to\n"
        "51240101,2026-11-24 09:12,Note,Dana Lee\n51240102,2026-11-24 13:40,Note,Sam Ortiz\n"
    )
    output = hubspot.read(path, ConnectorOptions())
    assert output.feedback == []
    assert str(output.errors[0]).startswith("line 1: no column for text")


def test_round_elevens_shapes_read_as_a_person_reads_them(tmp_path: Path) -> None:
    """Round 11: Qualtrics' three header rows and its response types, a Google Play export
    with a rating left without a word, a Zoho Desk report's column names."""
    from huddle.connectors.base import ConnectorOptions
    from huddle.connectors.reviews import connector as reviews
    from huddle.connectors.survey import connector as survey
    from huddle.connectors.tickets import connector as tickets

    qualtrics = tmp_path / "qualtrics.csv"
    qualtrics.write_text(
        "StartDate,EndDate,Status,ResponseId,RecipientEmail,Q1,Q2\n"
        "Start Date,End Date,Response Type,Response ID,Recipient Email,"
        "How likely are you to recommend OurCo to a friend or colleague?,"
        "What is the main reason for your score?\n"
        '"{""ImportId"":""startDate"",""timeZone"":""America/Denver""}",'
        '"{""ImportId"":""endDate""}","{""ImportId"":""status""}","{""ImportId"":""_recordId""}",'
        '"{""ImportId"":""recipientEmail""}","{""ImportId"":""QID1""}",'
        '"{""ImportId"":""QID2_TEXT""}"\n'
        "2026-12-01 08:14:22,2026-12-01 08:15:36,IP Address,R_1,paul@umbrella.example,5,"
        "The renewal price went up 19%.\n"
        "2026-11-30 16:40:05,2026-11-30 16:41:19,Survey Preview,R_2,,10,checking the branch\n"
        "2026-12-02 03:03:03,2026-12-02 03:04:17,Spam,R_3,,10,Great product\n"
    )
    read = survey.read(qualtrics, ConnectorOptions())
    assert read.errors == [] and read.skipped_rows == 1  # the ImportId row
    assert [(r.text, r.contact_email) for r in read.feedback] == [
        ("NPS 5 \u2013 The renewal price went up 19%.", "paul@umbrella.example")
    ]
    assert [item.reason for item in read.left_out] == ["test", "spam"]

    play = tmp_path / "play.csv"
    play.write_text(
        "Package Name,Reviewer Language,Review Submit Date and Time,Star Rating,Review Title,"
        "Review Text,Developer Reply Text,Review Link\n"
        "com.ourco.field,en,2026-11-28T18:04:51Z,2,,App logs me out on site.,Please update!,"
        "http://play.example/r1\n"
        "com.ourco.field,en,2026-12-03T10:41:02Z,4,,,,http://play.example/r2\n"
    )
    read = reviews.read(play, ConnectorOptions())
    assert read.errors == [] and read.skipped_rows == 1
    (review,) = read.feedback
    assert "App logs me out on site." in review.text and "Please update" not in review.text
    assert review.occurred_at == datetime(2026, 11, 28, 18, 4, 51, tzinfo=UTC)
    assert review.link_url == "http://play.example/r1"

    zoho = tmp_path / "zoho.tsv.csv"
    zoho.write_text(
        "Tickets Report - All Tickets\nPeriod: 01 Nov 2026 - 30 Nov 2026\tFiltered by: x\n\n"
        "Ticket Id\tSubject\tDescription\tEmail\tAccount Name\tCreated Time\tCreated By\n"
        "101-4471\tLate mail\tApproval emails arrive hours late.\tn@tidewater.example\t"
        "Tidewater Dental\t2026-11-03 09:14:22\tPortal\n"
    )
    read = tickets.read(zoho, ConnectorOptions())
    assert read.errors == []
    (ticket,) = read.feedback
    assert ticket.account_ref == "Tidewater Dental"
    assert ticket.occurred_at == datetime(2026, 11, 3, 9, 14, 22, tzinfo=UTC)


def test_mail_in_the_languages_customers_write_it() -> None:
    """Round 11's mail: an Outlook header block in Italian and German, a French iPhone
    signature line, sign-offs in Italian, Polish and Dutch, a Polish out-of-office, and the
    dates mail clients write for people in German, French and Spanish."""
    from huddle.connectors.base import ConnectorOptions
    from huddle.connectors.email import _forwarded, strip_replies
    from huddle.connectors.export_dates import human_date
    from huddle.connectors.noise import noise_reason

    reply = (
        "Can one workspace handle two currencies?\n\nCordiali saluti,\nGiulia Ferretti\n"
        "Responsabile Acquisti\n\nDa: Tom Becker <tom@ourco.com>\n"
        "Inviato: lunedì 7 dicembre 2026 17:05\nA: Giulia\nOggetto: Preventivo\n\n"
        "please find attached our quote"
    )
    assert strip_replies(reply, "Giulia Ferretti") == "Can one workspace handle two currencies?"
    french = "Est-ce que l'export vers Sage est prévu ?\n\nEnvoyé de mon iPhone\n\nLe lun. 7 déc."
    assert strip_replies(french) == "Est-ce que l'export vers Sage est prévu ?"
    for closing in ("Pozdrawiam,", "Met vriendelijke groet,"):
        assert strip_replies(f"The export drops the IP.\n\n{closing}\nAnna\nDouane") == (
            "The export drops the IP."
        )
    forward = (
        "zur Info, siehe unten\n\nGruß\nTom\n\n________________________________\n"
        "Von: Hannah Cole <hannah.cole@globex.example>\n"
        "Gesendet: Dienstag, 8. Dezember 2026 16:12\nAn: Becker, Tom <tom@ourco.com>\n"
        "Betreff: Reefer assignments again\n\nHi Tom,\n\nThe flag only works if dispatch sets it."
        "\n\nBest,\nHannah"
    )
    found = _forwarded(forward, "WG: Reefer assignments again")
    assert found is not None
    assert found["headers"]["from"].startswith("Hannah Cole")
    assert found["headers"]["subject"] == "Reefer assignments again"
    assert "The flag only works if dispatch sets it." in found["body"]
    assert "zur Info" not in found["body"]
    assert human_date(found["headers"]["sent"]) == datetime(2026, 12, 8, 16, 12, tzinfo=UTC)
    assert human_date("lun. 7 déc. 2026 à 15:02") == datetime(2026, 12, 7, 15, 2, tzinfo=UTC)
    assert human_date("martes, 8 de diciembre de 2026") == datetime(2026, 12, 8, tzinfo=UTC)
    # English abbreviations keep their meaning: "Mar" is March, "Jan" January.
    assert human_date("Mar 3, 2026") == datetime(2026, 3, 3, tzinfo=UTC)
    assert human_date("Jan 14 17:40:05 2027") == datetime(2027, 1, 14, 17, 40, 5, tzinfo=UTC)
    options = ConnectorOptions(internal_domains=("ourco.com",))
    polish = "Dzień dobry,\n\njestem na urlopie do 14 grudnia 2026 r."
    assert noise_reason(polish, email="k@globex.example", options=options) == "auto-reply"


def test_tools_own_exports_read_as_a_person_reads_them(tmp_path: Path) -> None:
    """The t12 exports: dates as each tool writes them, SurveyMonkey's sub-header row, a
    grouped Salesforce report, a Data Loader "Export All" with a deleted note, a chat
    transcript pasted into a ticket, tickets the help desk opened, mail in Japanese and
    Chinese."""
    from huddle.connectors.base import ConnectorOptions
    from huddle.connectors.email import strip_replies
    from huddle.connectors.export_dates import export_date
    from huddle.connectors.noise import noise_reason
    from huddle.connectors.salesforce import connector as salesforce
    from huddle.connectors.survey import connector as survey
    from huddle.connectors.tickets import connector as tickets

    for written, meant in (
        ("03/Dec/26 9:14 AM", datetime(2026, 12, 3, 9, 14, tzinfo=UTC)),  # Jira
        ("November 28, 2026", datetime(2026, 11, 28, tzinfo=UTC)),  # Capterra
        ("12/01/2026 09:14:02 AM", datetime(2026, 12, 1, 9, 14, 2, tzinfo=UTC)),  # SurveyMonkey
        ("11/30/2026 16:40:05", datetime(2026, 11, 30, 16, 40, 5, tzinfo=UTC)),  # Google Forms
        ("2026-11-03T09:14:22Z", datetime(2026, 11, 3, 9, 14, 22, tzinfo=UTC)),
    ):
        assert export_date(written) == meant, written

    monkey = tmp_path / "monkey.csv"
    monkey.write_text(
        "Respondent ID,End Date,Email Address,How likely is it that you would recommend OurCo "
        "to a friend or colleague?,What is the primary reason for your score?,Which parts?,\n"
        ",,,Response,Open-Ended Response,Approvals,Reporting\n"
        "1189,12/01/2026 09:17:45 AM,b@acme-robotics.example,3,The approval screen is slow.,"
        "Approvals,\n"
    )
    read = survey.read(monkey, ConnectorOptions())
    assert read.errors == [] and read.skipped_rows == 1
    assert [r.text for r in read.feedback] == ["NPS 3 \u2013 The approval screen is slow."]

    report = tmp_path / "report.csv"
    report.write_text(
        "Customer Accounts by Type,,,\nReport Name: Customer Accounts by Type,,,\n,,,\n"
        'Type,Account ID,Account Name,ARR\nCustomer - Direct (2),,,"$730,000.00"\n'
        ',0015A,Acme Robotics,"$420,000.00"\n,0015B,Globex Freight,"$310,000.00"\n'
        'Subtotal,,,"$730,000.00"\nTotal (2),,,"$730,000.00"\n'
    )
    read = salesforce.read(report, ConnectorOptions())
    assert read.errors == [] and [a.name for a in read.accounts] == [
        "Acme Robotics",
        "Globex Freight",
    ]

    notes = tmp_path / "Note.csv"
    notes.write_text(
        '"Id","IsDeleted","ParentId","Title","Body","CreatedDate"\n'
        '"002A","false","0015A","Call","<p>They export to Excel every Monday.</p>",'
        '"2026-12-08T10:00:41.000+0000"\n'
        '"002B","true","0015A","Draft","<p>duplicate of the other note</p>",'
        '"2026-12-08T10:00:41.000+0000"\n'
    )
    read = salesforce.read(notes, ConnectorOptions())
    assert [r.text for r in read.feedback] == ["They export to Excel every Monday."]
    assert read.skipped_rows == 1

    desk = tmp_path / "desk.csv"
    desk.write_text(
        "Ticket ID,Subject,Description,Source,Full name,Email,Company Name,Created time\n"
        '1,Swaps,"Customer: Pending swaps should show on the home screen.\n'
        "Agent: Thanks Ngozi, I'll pass that on.\",Chat,Ngozi Eze,ngozi@initech.example,"
        "Initech Health,2026-12-07 10:21:36 -0500\n"
        "2,Plan,Here is the onboarding plan we discussed.,Outbound Email,Jonah Whitfield,"
        "jonah@umbrella.example,Umbrella Retail,2026-12-02 16:30:00 +0000\n"
        "3,Rota,Raised on behalf of Jonah: the rota export.,Portal,Sam Ortiz,sam@ourco.com,"
        "Umbrella Retail,2026-12-09 10:20:00 +0000\n"
        "4,Rota,The December on-call rota is in the drive.,Portal,Priya Raman,"
        "priya@ourco.com,,2026-12-09 11:00:00 +0000\n"
    )
    read = tickets.read(desk, ConnectorOptions(internal_domains=("ourco.com",)))
    assert read.errors == []
    assert [r.text for r in read.feedback] == ["Pending swaps should show on the home screen."]
    assert [item.reason for item in read.left_out] == ["staff", "staff", "internal"]

    chinese = (
        "但是离线模式下扫描的数据经常丢失。\n\n谢谢\uff01\n\n李伟\n物流运营部 | 运营经理\n\n"
        "Sam Ortiz <sam@ourco.com> 于2026年12月8日周二 10:15写道\uff1a\n\n> Hi Li Wei,"
    )
    assert strip_replies(chinese) == "但是离线模式下扫描的数据经常丢失。"
    japanese = "CSVの文字化けが直りません。\n\niPhoneから送信\n\n2026/12/10 11:20、Priya <p@ourco.com>のメール:"
    assert strip_replies(japanese) == "CSVの文字化けが直りません。"
    away = "誠に勝手ながら、12月14日まで出張のため不在にしております。"
    options = ConnectorOptions(internal_domains=("ourco.com",))
    assert noise_reason(away, email="m@hooli.example", options=options) == "auto-reply"


def test_more_tools_exports_read_as_a_person_reads_them(tmp_path: Path) -> None:
    """The t13 exports: a chat transcript by the speakers' names, placeholders for nothing,
    ratings out of ten, a workbook renamed .csv, a CRM owner who is not a Huddle user, health
    in German, and a mail forwarded as an attachment."""
    from email.message import EmailMessage

    from huddle.connectors.base import ConnectorOptions, ConnectorOutput
    from huddle.connectors.cell_text import customer_lines
    from huddle.connectors.crm_labels import health_at_risk
    from huddle.connectors.email import EmailConnector
    from huddle.connectors.reviews import _rating
    from huddle.connectors.survey import connector as survey
    from huddle.connectors.tickets import connector as tickets

    chat = (
        "(2026-12-03 09:14:22) ChatBot: Hi! What brings you here today?\n"
        "(2026-12-03 09:16:10) Marta Kowalski: The Monday export arrives empty.\n"
        "(2026-12-03 09:16:45) Kelly Brandt: I'll raise it with engineering.\n"
        "(2026-12-03 09:17:20) Marta Kowalski: Could we choose the time it runs?"
    )
    assert customer_lines(chat, "Marta Kowalski") == (
        "The Monday export arrives empty.\nCould we choose the time it runs?"
    )
    # Text that only looks like labels is left as it is.
    steps = "Steps: open the board.\nExpected: it loads."
    assert customer_lines(steps, "Marta Kowalski") == steps

    forms = tmp_path / "forms.csv"
    forms.write_text(
        "ID,Start time,Completion time,Email,How likely are you to recommend OurCo?,"
        "What should we improve first?\n"
        "1,12/3/26 9:14:22,12/3/26 9:15:40,anonymous,4,The fleet map is slow on tablets.\n"
        "2,12/3/26 9:20:00,12/3/26 9:21:00,anonymous,9,N/A\n"
    )
    read = survey.read(forms, ConnectorOptions())
    assert read.errors == []
    assert [(r.text, r.contact_email) for r in read.feedback] == [
        ("NPS 4 \u2013 The fleet map is slow on tablets.", None)
    ]
    assert [_rating(t) for t in ("8/10", "4/5", "★★★", "3")] == [4, 4, 3, 3]

    workbook = tmp_path / "amazon_reviews.csv"
    workbook.write_bytes(b"PK\x03\x04" + b"\x00" * 64)
    output = tickets.read(workbook, ConnectorOptions())
    assert "is a zip archive, not CSV text" in str(output.errors[0])
    assert health_at_risk("Rot") and not health_at_risk("Gelb")

    original = EmailMessage()
    original["From"] = "Kim Novak <kim@acme-robotics.example>"
    original["Date"] = "Tue, 8 Dec 2026 09:00:00 +0000"
    original["Subject"] = "Robot fleet map"
    original.set_content("The fleet map still snaps robots to the old aisle grid.\n\nKim")
    forward = EmailMessage()
    forward["From"] = "Sam Ortiz <sam@ourco.com>"
    forward["Date"] = "Tue, 8 Dec 2026 10:00:00 +0000"
    forward["Subject"] = "FW: Robot fleet map"
    forward.set_content("Forwarding as an attachment so the original headers survive.")
    forward.add_attachment(original)
    options = ConnectorOptions(internal_domains=("ourco.com",))
    found = EmailConnector.message(1, forward.as_bytes(), "email", options, ConnectorOutput())
    assert found is not None
    record, reason = found
    assert reason is None and record.contact_email == "kim@acme-robotics.example"
    assert record.text == "The fleet map still snaps robots to the old aisle grid."


def test_a_crm_owner_who_is_not_a_user_is_left_unset_not_refused(session: Session) -> None:
    """A CRM's accounts name owners who never use Huddle: the account comes in without an
    owner, and the summary says so. The accounts import of Huddle's own CSV still refuses."""
    admin = actor(session, "admin")
    path = CORPUS / "salesforce" / "t13_accounts_api_names_de.csv"
    report = run(session, admin, "salesforce", path)
    assert report.created >= 1 and report.errors == []
    assert any("left without an owner" in str(w) for w in report.warnings)


def test_numeric_dates_are_read_in_the_order_the_file_writes_them(tmp_path: Path) -> None:
    """A file writes all its dates one way: Microsoft Forms and US Google Forms month first
    with a 24-hour clock ("12/3/26 14:22:05" is 3 December), European tools day first. A
    date past the 12th anywhere in the file settles the order for the dates that read both
    ways; a file with none keeps the rule of one date (day first, month first with AM/PM)."""
    from huddle.connectors.base import ConnectorOptions
    from huddle.connectors.survey import connector as survey
    from huddle.connectors.tickets import connector as tickets

    def dates(connector: Any, text: str) -> list[datetime]:
        path = tmp_path / "export.csv"
        path.write_text(text)
        read = connector.read(path, ConnectorOptions())
        assert read.errors == []
        return [item.occurred_at for item in read.feedback]

    forms = (
        "ID,Start time,Completion time,Email,Name,Score,What should we improve?\n"
        "1,12/3/26 14:20:11,12/3/26 14:22:05,a@acme-robotics.example,Ana,4,Exports time out.\n"
        "2,11/30/26 9:02:40,11/30/26 9:04:13,b@globex.example,Bo,6,The map is slow.\n"
    )
    assert dates(survey, forms)[0] == datetime(2026, 12, 3, 14, 22, 5, tzinfo=UTC)
    european = (
        "Ticket ID,Subject,Description,Created\n"
        "1,Export,Exports time out every night,3/12/2026\n"
        "2,Map,The map is slow on Mondays,25/11/2026\n"
    )
    assert dates(tickets, european)[0] == datetime(2026, 12, 3, tzinfo=UTC)
    american = european.replace("3/12/2026", "12/3/2026").replace("25/11/2026", "11/25/2026")
    assert dates(tickets, american)[0] == datetime(2026, 12, 3, tzinfo=UTC)
    # Nothing past the 12th: one date's own rule.
    assert dates(tickets, european.replace("25/11/2026", "2/11/2026"))[0] == datetime(
        2026, 12, 3, tzinfo=UTC
    )


def test_the_date_order_pass_leaves_a_bad_line_to_be_named(tmp_path: Path) -> None:
    """Reading a file's dates for their order is a pass of its own: a line it cannot decode is
    still reported by the rows' own reading, at its line, not at the top of the file."""
    from huddle.connectors.base import ConnectorOptions
    from huddle.connectors.tickets import connector as tickets

    # Past the first 64 KB (a bad byte there refuses the file at line 1, from the sample).
    rows = "".join(f"{n},Export,The export is slow {n},3/12/2026\n" for n in range(1, 3000))
    path = tmp_path / "tickets.csv"
    path.write_bytes(
        b"Ticket ID,Subject,Description,Created\n"
        + rows.encode()
        + b"3000,Export,Caf\xe9 menu is slow,3/12/2026\n"
    )
    read = tickets.read(path, ConnectorOptions())
    (error,) = read.errors
    assert error.reason == "the file is not utf-8 text; pass --encoding (e.g. cp1252)"
    # Named near its line (the decoder reads a chunk ahead of the rows), not at line 1.
    assert 2800 < error.line <= 3001, error
