"""What round 20's held-back files showed, each rule on a small input of its own: Rev's JSON
(words as elements; the call had been refused, 20 statements lost), a Gong party who dialled
in by phone, a mail gateway's banner, a call recorder's stub written as a link, Zoom's
invitation under a meeting's notes, a survey box that opens with "Test", Dynamics 365's sample
data and IoT cases, a Zendesk Chat transcript with an anonymous visitor, and a web-form ticket
known only by its signature. (Compressed files renamed .csv: test_tools_t24.py.)"""

import json
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from huddle.connectors.base import ConnectorOptions, ConnectorOutput
from huddle.connectors.cell_text import customer_lines
from huddle.connectors.crm_activity import recorder_stub
from huddle.connectors.join_blocks import without_join_block
from huddle.connectors.noise import noise_reason
from huddle.connectors.replies import strip_replies
from huddle.connectors.transcript import read_calls
from huddle.models import Account, Feedback
from tests.connectors.helpers import left_out_of, read_clean, run
from tests.factories import actor, create_account

OURS = ConnectorOptions(internal_domains=("ourco.com",), staff_names=("Dana Lee", "Sam Ortiz"))


def _words(*parts: tuple[str, str, float | None]) -> list[dict[str, object]]:
    elements: list[dict[str, object]] = []
    for kind, value, ts in parts:
        element: dict[str, object] = {"type": kind, "value": value}
        if ts is not None:
            element["ts"] = ts
        elements.append(element)
    return elements


REV = {
    "speakers": [{"id": 0, "name": "Dana Lee"}, {"id": 1, "name": "Rosa Delgado"}],
    "monologues": [
        {
            "speaker": 0,
            "speaker_name": "Dana Lee",
            "elements": _words(("text", "Hi", 1.2), ("punct", " ", None), ("text", "Rosa", 1.6)),
        },
        {
            "speaker": 1,
            "elements": _words(
                ("text", "The", 4.0),
                ("punct", " ", None),
                ("text", "app", 4.3),
                ("punct", " ", None),
                ("text", "can't", 4.6),
                ("punct", " ", None),
                ("text", "reorder", 5.0),
                ("unknown", "<inaudible>", None),
                ("punct", " ", None),
                ("punct", " ", None),
                ("text", "tasks", 5.4),
                ("punct", ".", None),
            ),
        },
    ],
}


def test_revs_json_joins_its_elements_and_names_its_numbered_speakers(tmp_path: Path) -> None:
    """Rev writes each word as a `text` element and each space and mark as `punct`; its
    monologues number their speaker, named in the `speakers` list (or beside, by a person)."""
    path = tmp_path / "umbrella_store_manager.json"
    path.write_text(json.dumps(REV))
    output = ConnectorOutput()
    (call,) = read_calls(path, OURS, output)
    assert output.errors == []
    assert [(u.speaker, u.start, u.text) for u in call.utterances] == [
        ("Dana Lee", 1.2, "Hi Rosa"),
        ("Rosa Delgado", 4.0, "The app can't reorder tasks."),
    ]


GONG = {
    "metaData": {"id": "778", "title": "EU expansion", "started": "2026-12-01T15:01:37Z"},
    "parties": [
        {"speakerId": "1", "name": "Marcus Bell", "emailAddress": "marcus@ourco.com"},
        {"speakerId": "2", "name": "Stefan Vogel", "emailAddress": "stefan@vandelay.example"},
        {"speakerId": "3", "phoneNumber": "+442079460321", "affiliation": "Unknown"},
    ],
    "transcript": [
        {"speakerId": "1", "sentences": [{"start": 1000, "text": "What worries you most?"}]},
        {
            "speakerId": "3",
            "sentences": [
                {
                    "start": 4000,
                    "text": "The bigger problem is that the ICS2 filings are not handled for the EU, so we "
                    "file them by hand every week.",
                }
            ],
        },
    ],
}


def test_a_party_who_dialled_in_is_on_the_account_of_the_customers_addresses(
    session: Session, tmp_path: Path
) -> None:
    admin = actor(session, "admin")
    create_account(session, name="Vandelay Imports", domain="vandelay.example")
    path = tmp_path / "call.json"
    path.write_text(json.dumps(GONG))
    run(session, admin, "transcript", path, internal_domains=("ourco.com",))
    said = session.execute(
        select(Feedback.text, Account.name).join(Account, Account.id == Feedback.account_id)
    ).all()
    assert [tuple(row) for row in said] == [
        (
            "The bigger problem is that the ICS2 filings are not handled for the EU, so we file "
            "them by hand every week.",
            "Vandelay Imports",
        )
    ]


def test_a_mail_gateways_banner_is_not_the_senders() -> None:
    for banner in (
        "CAUTION: This email originated from outside of OurCo. Do not click links or open "
        "attachments unless you recognise the sender and know the content is safe.",
        "[EXTERNAL] This message came from outside your organization.",
        "You don't often get email from lucy@initech.example. Learn why this is important",
    ):
        mail = f"{banner}\n\nHi Lucy,\n\nThe export drops the cost centre.\n"
        assert strip_replies(mail) == "Hi Lucy,\n\nThe export drops the cost centre."
    # Words of the sender's own that name the outside stay.
    for said in (
        "Mail from outside our network bounces since Monday.",
        "You don't often get email from me, but the billing page double-charges our card.",
        "This email was sent from outside our VPN, so the SSO redirect fails.",
    ):
        assert strip_replies(said) == said


def test_a_recorders_stub_written_as_a_link_is_a_bot(tmp_path: Path) -> None:
    """HubSpot's note "Call recorded by Gong: <a href=…>Hooli / OurCo weekly sync</a>": the
    link's text is the call's title, not anyone's words."""
    path = tmp_path / "notes.csv"
    path.write_text(
        "Activity date,Note body,Associated Company\n"
        '2026-12-02 17:31,"<p>Call recorded by Gong: <a href=""https://app.gong.io/call?id=7"">'
        'Hooli / OurCo weekly sync</a></p>",Hooli Cloud\n'
        "2026-12-02 17:40,They want the sync weekly report in PDF.,Hooli Cloud\n"
    )
    read = read_clean("hubspot", path, OURS)
    assert [r.text for r in read.feedback] == ["They want the sync weekly report in PDF."]
    assert [reason for reason, _ in left_out_of(read)] == ["bot"]
    # A rep's notes under such a first line are theirs.
    assert not recorder_stub(
        "Meeting recorded with Fathom\n\nSummary: Acme said reporting is far too slow."
    )


ZOOM_INVITE = """Hi all, agenda below.

----------
Sam Ortiz is inviting you to a scheduled Zoom meeting.

Topic: Memphis rollout
Time: Dec 3, 2026 10:00 AM Central Time (US and Canada)

Join Zoom Meeting
https://ourco.zoom.us/j/84522910937?pwd=bWx5

Meeting ID: 845 2291 0937
Passcode: 551203
----------

Notes: Tariq wants seats billed only from go-live."""


def test_zooms_invitation_is_cut_from_the_top_line() -> None:
    assert without_join_block(ZOOM_INVITE) == (
        "Hi all, agenda below.\n\nNotes: Tariq wants seats billed only from go-live."
    )
    # A "Topic:" after the invitation is the notes'.
    notes = "Topic: pricing objections\nThey think per-seat is too expensive"
    assert without_join_block(f"Join Zoom Meeting\nhttps://zoom.us/j/123\n\n{notes}") == notes


def test_a_closing_block_is_a_signature_only_when_it_says_who() -> None:
    """With nobody naming the sender, a last block is their signature only when it opens
    with a person's name over a title, a company or a number; a heading over notes, or a
    name over what they need, is the words."""
    for words in (
        "The CSV export fails.\n\nFeature Request\nPlease add a dark mode",
        "Notes from the QBR:\n\nNext Steps\nSend SAML docs",
        "Notes\n\nJane Smith\nNeeds SSO by Q3",
    ):
        assert strip_replies(words) == words
    signed = (
        "The export fails.\n\nMaria-José de la Fuente\nHead of Finance, Globex\n+34 612 345 678"
    )
    assert strip_replies(signed) == "The export fails."


def test_labels_with_numbers_or_brackets_are_no_chat_unless_a_chats() -> None:
    """Only an anonymous visitor ("Web User 6dd1f2a9") and a name with its company in
    brackets ("Sophie (OurCo)") are read as a chat's speakers beyond plain names: "Order
    12345:" and "Pricing (annual plan):" are a ticket's own lines."""
    for text in (
        "Guest checkout: fails on Safari\nOrder 12345: arrived two days late",
        "Pricing (annual plan): too high for us\nUser: we need SSO",
    ):
        assert customer_lines(text) == text


def test_a_survey_box_that_opens_with_test_is_a_request_not_a_test(tmp_path: Path) -> None:
    path = tmp_path / "nps.csv"
    path.write_text(
        "Submission Date,E-mail,How likely are you to recommend OurCo?,"
        "What is the main reason for your score?,Is there anything we could do better?\n"
        "2026-12-01 11:40:09,hana@lumen.example,3,The checklist is cut off on the iPad mini.,"
        "Test on small tablets before releasing.\n"
        "2026-12-01 12:00:00,ops@ourco.com,10,test,test\n"
    )
    read = read_clean("survey", path, OURS)
    assert [r.text for r in read.feedback] == [
        "NPS 3 \u2013 The checklist is cut off on the iPad mini.\n\nTest on small tablets "
        "before releasing."
    ]
    assert [reason for reason, _ in left_out_of(read)] == ["test"]


DYNAMICS = (
    "Case Title,Case Number,Origin,Customer,Contact,Description,Created On\n"
    "Dispatch board slow,CAS-01923,Email,Globex Freight,Brenda Walsh,"
    "The dispatch board takes 5 seconds to move a card.,2026-12-01 08:55:00\n"
    # Marked by its account alone here (Dynamics marks the title and contact too).
    'Product is defective,CAS-01000,Phone,"Litware, Inc. (sample)",'
    "Paul Cannon,The customer reports that the product arrived damaged.,"
    "2026-09-01 10:00:00\n"
    "Chamber 3 temperature above threshold,CAS-01928,IoT,,,"
    "Alert: device CT-3 reported -12.4 C for 15 minutes.,2026-12-01 03:12:00\n"
)


def test_dynamics_sample_data_is_a_test_and_an_iot_case_a_bot(tmp_path: Path) -> None:
    """Dynamics 365 installs sample records marked "(sample)"; a case its IoT alert rules
    open has the origin "IoT"."""
    path = tmp_path / "cases.csv"
    path.write_text(DYNAMICS)
    read = read_clean("tickets", path, OURS)
    assert [(r.title, r.account_ref) for r in read.feedback] == [
        ("Dispatch board slow", "Globex Freight")
    ]
    assert [reason for reason, _ in left_out_of(read)] == ["test", "bot"]
    # Wherever it is imported from, a record by a person named as sample data is a test; a
    # title is the customer's to write.
    assert noise_reason("Arrived damaged.", name="Paul Cannon (sample)", options=OURS) == "test"
    assert noise_reason("Arrived damaged.", "Misaligned labels (sample)", options=OURS) is None


ZENDESK = {
    "results": [
        {
            "id": 48231,
            "via": {"channel": "chat", "source": {"from": {}, "to": {}, "rel": "chat_transcript"}},
            "created_at": "2026-12-02T10:14:02Z",
            "subject": "Chat with Web User 6dd1f2a9",
            "description": "Chat started: 2026-12-02 10:14 AM UTC\n\n"
            "(10:14:02 AM) Web User 6dd1f2a9: the app crashes when I attach five photos\n"
            "(10:14:05 AM) Answer Bot: I found some articles that might help\n"
            "(10:16:32 AM) Sophie (OurCo): Sorry about that, which app version are you on?\n"
            "(10:17:01 AM) Web User 6dd1f2a9: 4.12, on the iPad and on my phone",
            "requester_id": 39812066,
            "result_type": "ticket",
        },
        {
            "id": 48217,
            "via": {"channel": "web", "source": {"from": {}, "to": {}, "rel": None}},
            "created_at": "2026-12-01T08:41:55Z",
            "subject": "Add documents to a referral after submission",
            "description": "Once a referral is submitted our nurses can't add a second "
            "document to it.\n\nDr Femi Adeyemi\nClinical Operations Lead\nInitech Health",
            "requester_id": 39812019,
            "result_type": "ticket",
        },
    ]
}


def test_zendesk_chat_keeps_the_visitors_lines_and_a_signature_names_the_account(
    session: Session, tmp_path: Path
) -> None:
    """A Zendesk Chat transcript's anonymous visitor ("Web User 6dd1f2a9") is the customer,
    not Answer Bot or the agent ("Sophie (OurCo)"); a web form's ticket with no requester
    known is on the account its closing block names, and that block is not the words."""
    admin = actor(session, "admin")
    create_account(session, name="Initech Health", domain="initech.example")
    path = tmp_path / "search_export.json"
    path.write_text(json.dumps(ZENDESK))
    run(session, admin, "zendesk", path)
    said = dict(
        session.execute(
            select(Feedback.text, Account.name).outerjoin(
                Account, Account.id == Feedback.account_id
            )
        ).all()
    )
    assert said == {
        "the app crashes when I attach five photos\n4.12, on the iPad and on my phone": None,
        "Once a referral is submitted our nurses can't add a second document to it.": (
            "Initech Health"
        ),
    }
