"""What round 22's held-back files that are not calls showed, each rule on a small input of its
own: a warehouse's Parquet unload downloaded under a .csv name (read as text that was not
UTF-8), a Trello board's CSV (no creation date: refused whole; its template card and a card
Butler made), a page of Slack's Web API `conversations.history` saved as JSON (read as
nothing), and the App Store's customer-reviews RSS feed as JSON (refused)."""

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from huddle.connectors.base import ConnectorOptions
from huddle.errors import Invalid
from huddle.imports.report import ImportFailed
from huddle.models import Feedback
from tests.connectors.helpers import left_out_of, read_clean, run
from tests.factories import actor, create_account

OURS = ConnectorOptions(internal_domains=("ourco.com",), staff_names=("Dana Lee", "Sam Ortiz"))


def _refusal(session: Session, source: str, path: Path) -> str:
    """The message an import of `path` is refused with, nothing written."""
    with pytest.raises((Invalid, ImportFailed)) as failure:
        run(session, actor(session, "admin"), source, path)
    refused = failure.value
    if isinstance(refused, ImportFailed):
        return " ".join(error.reason for error in refused.report.errors)
    return refused.message


def test_a_columnar_table_under_a_csv_name_is_refused_saying_what_it_is(
    session: Session, tmp_path: Path
) -> None:
    """BigQuery's EXPORT DATA writes Parquet by default; Avro and Arrow are the other unloads."""
    path = tmp_path / "nps_export.csv"
    path.write_bytes(b"PAR1\x15\x00\x15\x28\x15\x28,\x15\x0aRoute board keeps freezing\x00PAR1")
    assert "nps_export.csv is an Apache Parquet file" in _refusal(session, "survey", path)
    path.write_bytes(b"Obj\x01\x04\x14avro.codec\x08null\x16avro.schema")
    assert "nps_export.csv is an Apache Avro file" in _refusal(session, "survey", path)
    path.write_bytes(b"ARROW1\x00\x00\xff\xff\xff\xff\x78\x00\x00\x00")
    assert "nps_export.csv is an Apache Arrow (Feather) file" in _refusal(session, "survey", path)


def test_text_that_only_begins_like_parquet_is_read_as_text(tmp_path: Path) -> None:
    """Parquet closes with its magic too: a CSV whose first column happens to be "PAR1" is
    a CSV."""
    path = tmp_path / "nps.csv"
    path.write_text("PAR1,NPS,Comment\nr1,3,The route board keeps freezing on the wall screen.\n")
    read = read_clean("survey", path, OURS)
    assert [r.text for r in read.feedback] == [
        "NPS 3 \u2013 The route board keeps freezing on the wall screen."
    ]


TRELLO_HEADER = (
    "Card ID,Card Name,Card URL,Card Description,Labels,Members,Last Activity Date,List Name,"
    "Board Name,Archived,Company,Customer email\n"
)
# The first card carries a label named "Priority" on a board named "Customer feedback": cells
# a header would hold, so only a header naming a date could be mistaken for it.
TRELLO = TRELLO_HEADER + (
    "6743a9f1c0d2e3f4a5b60101,Wall screen freezes,https://trello.com/c/Xk2pQ9aB/wall,"
    '"The wall screen freezes after ~30 min and shows yesterday\'s loads.",Priority,'
    "Dana Lee (danalee12),2026-11-24T16:02:11.204Z,Triaged,Customer feedback,false,"
    "Globex Freight,renata@globex.example\n"
    "6743a9f1c0d2e3f4a5b60104,TEMPLATE - copy this card for new feedback,"
    'https://trello.com/c/Tt0Aa0Aa/template,"**Customer:**\n**Quote:**",,,'
    "2026-10-02T08:00:00.000Z,Templates,Customer feedback,false,,\n"
    "6743a9f1c0d2e3f4a5b60105,Weekly triage checklist,https://trello.com/c/Bt7Lr2Kw/weekly,"
    '"Created by Butler on Monday 30 November. Review the Inbox list.",,,'
    "2026-11-30T07:00:03.000Z,Inbox,Customer feedback,false,,\n"
    "6743a9f1c0d2e3f4a5b60107,Template export breaks when I duplicate it,"
    'https://trello.com/c/Qq1Ww2Ee/tpl,"Copying a template card drops its checklist.",,,'
    "2026-11-30T08:00:00.000Z,Inbox,Customer feedback,false,,beatriz@umbrella.example\n"
    "6743a9f1c0d2e3f4a5b60106,Labels lost,https://trello.com/c/Dm3Rl5Xo/labels-lost,"
    '"The cards created by Butler lose their labels, so we copy them by hand.",,,'
    "2026-11-30T09:12:40.337Z,Inbox,Customer feedback,false,,beatriz@umbrella.example\n"
)


def test_a_trello_board_is_read_as_tickets_its_template_and_butlers_cards_left_out(
    tmp_path: Path,
) -> None:
    path = tmp_path / "board.csv"
    path.write_text(TRELLO)
    read = read_clean("tickets", path, OURS)
    assert [(r.title, r.text, r.account_ref, r.contact_email) for r in read.feedback] == [
        (
            "Wall screen freezes",
            "The wall screen freezes after ~30 min and shows yesterday's loads.",
            "Globex Freight",
            "renata@globex.example",
        ),
        (
            # A customer's card about templates is no template.
            "Template export breaks when I duplicate it",
            "Copying a template card drops its checklist.",
            None,
            "beatriz@umbrella.example",
        ),
        (
            # A customer who tells what Butler gets wrong is heard.
            "Labels lost",
            "The cards created by Butler lose their labels, so we copy them by hand.",
            None,
            "beatriz@umbrella.example",
        ),
    ]
    assert [(reason, text.split("\n")[0]) for reason, text in left_out_of(read)] == [
        ("test", "**Customer:**"),
        ("bot", "Created by Butler on Monday 30 November. Review the Inbox list."),
    ]


def test_a_trello_cards_id_says_when_it_was_made(tmp_path: Path) -> None:
    """A card id is a MongoDB ObjectId: its first eight hex digits are a Unix time."""
    path = tmp_path / "board.csv"
    path.write_text(TRELLO)
    read = read_clean("tickets", path, OURS)
    assert read.feedback[0].occurred_at == datetime(2024, 11, 24, 22, 34, 25, tzinfo=UTC)
    # The same digits in any other tool's "ID" column are no time; nor is an id dated before
    # Trello opened.
    path.write_text(TRELLO.replace("Card ID,", "ID,", 1))
    assert read_clean("tickets", path, OURS).feedback[0].occurred_at is None
    path.write_text(TRELLO.replace("6743a9f1c0d2e3f4a5b60101", "0000a9f1c0d2e3f4a5b60101"))
    assert read_clean("tickets", path, OURS).feedback[0].occurred_at is None


def test_a_tickets_csv_without_a_date_is_dated_by_the_import_and_says_so(
    session: Session, tmp_path: Path
) -> None:
    """As a survey's or a CRM's notes without a date: not refused, dated by the import (or
    --occurred-at), counted as undated."""
    admin = actor(session, "admin")
    path = tmp_path / "requests.csv"
    path.write_text(
        "Ticket ID,Subject,Description,Requester email\n"
        "41,Exports,The CSV export cuts comments at 255 characters.,lena@hooli.example\n"
        "42,Rota,We can't create a shift that ends after midnight.,kb@initech.example\n"
    )
    report = run(session, admin, "tickets", path, occurred_at=datetime(2026, 11, 2, tzinfo=UTC))
    assert (report.created, report.undated, report.errors) == (2, 2, [])
    assert "2 items had no date" in " ".join(report.notes())
    dates = session.scalars(select(Feedback.occurred_at).order_by(Feedback.external_id)).all()
    assert [d.date().isoformat() for d in dates] == ["2026-11-02", "2026-11-02"]


def _slack_message(user: str, name: str, team: str, ts: str, text: str) -> dict[str, object]:
    return {
        "user": user,
        "type": "message",
        "ts": ts,
        "text": text,
        "team": team,
        "user_profile": {"real_name": name, "display_name": name.split()[0], "team": team},
    }


HISTORY = {
    "ok": True,
    # Newest first, as Slack answers.
    "messages": [
        _slack_message(
            "U05SAM",
            "Sam Ortiz",
            "T01OURCO",
            "1796031131.000000",
            "<@U07KWAME> bulk export beta is open, I've added your workspace.",
        ),
        {
            "type": "message",
            "subtype": "bot_message",
            "ts": "1796028131.000000",
            "bot_id": "B04STATUS",
            "username": "OurCo Status",
            "text": "",
            "attachments": [{"title": "Resolved: Delayed delivery of scheduled reports"}],
        },
        _slack_message("U07KWAME", "Kwame Mensah", "T03UMBRL", "1796028431.000000", "thanks!"),
        _slack_message(
            "U07KWAME",
            "Kwame Mensah",
            "T03UMBRL",
            "1796027231.000000",
            "&gt; we're looking at it\nThe nightly sync failed again at 03:10 with a 429.",
        ),
        {
            "user": "U07KWAME",
            "type": "message",
            "subtype": "channel_join",
            "ts": "1796026531.000000",
            "text": "<@U07KWAME> has joined the channel",
        },
        {
            "user": "U05SAM",
            "type": "message",
            "subtype": "channel_topic",
            "ts": "1794297731.000000",
            "text": "set the channel topic: Umbrella Retail \u00d7 OurCo — shared support",
            "topic": "Umbrella Retail \u00d7 OurCo — shared support",
        },
    ],
    "has_more": False,
    "response_metadata": {"next_cursor": ""},
}


def test_a_saved_conversations_history_page_is_read_as_its_channels_messages(
    session: Session, tmp_path: Path
) -> None:
    """No users.json or channels.json: people by the profile on their messages, the company
    by the channel's topic, the channel's id by the file's name."""
    admin = actor(session, "admin")
    umbrella = create_account(session, name="Umbrella Retail", domain="umbrella.example")
    path = tmp_path / "conversations_history_C06UMBRSUP.json"
    path.write_text(json.dumps(HISTORY))
    report = run(session, admin, "slack", path, staff_names=("Sam Ortiz",))
    assert (report.created, report.errors) == (1, [])
    said = session.scalars(select(Feedback)).one()
    assert (said.text, said.account_id, said.link_url) == (
        "The nightly sync failed again at 03:10 with a 429.",
        umbrella.id,
        "https://slack.com/archives/C06UMBRSUP/p1796027231000000",
    )
    read = read_clean("slack", path, OURS)
    assert left_out_of(read) == [
        # Kwame is named though he speaks only further down the page.
        ("internal", "@Kwame Mensah bulk export beta is open, I've added your workspace."),
        ("bot", "Resolved: Delayed delivery of scheduled reports"),
    ]


def _label(value: str, **attributes: str) -> dict[str, object]:
    return {"label": value, "attributes": attributes} if attributes else {"label": value}


def _entry(review_id: str, author: str, stars: str, title: str, text: str) -> dict[str, object]:
    return {
        "author": {
            "uri": _label(f"https://itunes.apple.com/us/reviews/id{review_id}"),
            "name": _label(author),
            "label": "",
        },
        "updated": _label("2026-11-26T07:12:33-07:00"),
        "im:rating": _label(stars),
        "im:version": _label("5.14.0"),
        "id": _label(review_id),
        "title": _label(title),
        "content": _label(text, type="text"),
    }


APP = {
    "im:name": _label("OurCo Operations"),
    "summary": _label("OurCo keeps your operations team in sync."),
    "title": _label("OurCo Operations - OurCo Inc."),
    "id": _label("https://apps.apple.com/us/app/ourco-operations/id1500002214", **{"im:id": "1"}),
}


def test_the_app_stores_reviews_feed_is_read_as_reviews_without_the_app_itself(
    tmp_path: Path,
) -> None:
    path = tmp_path / "customerreviews.json"
    entries = [
        APP,
        _entry("901", "dispatchdan", "2", "Wall board freezes", "Stops updating after 20 min."),
        _entry("902", "Dana Lee", "5", "Love it!", "Best release yet, great work everyone!"),
    ]
    path.write_text(json.dumps({"feed": {"author": {"name": _label("iTunes")}, "entry": entries}}))
    read = read_clean("reviews", path, OURS)
    assert [
        (r.external_id, r.title, r.text, r.contact_name, r.occurred_at, r.tags)
        for r in read.feedback
    ] == [
        (
            "901",
            "★★☆☆☆ Wall board freezes",
            "Stops updating after 20 min.",
            "dispatchdan",
            datetime(2026, 11, 26, 14, 12, 33, tzinfo=UTC),
            ["rating:2", "store:app_store", "version:5.14.0"],
        )
    ]
    assert left_out_of(read) == [("internal", "Best release yet, great work everyone!")]
    assert read.skipped_rows == 1  # the app's own entry
    # A feed of one review holds it as an object, not a list.
    path.write_text(json.dumps({"feed": {"entry": entries[1]}}))
    assert [r.external_id for r in read_clean("reviews", path, OURS).feedback] == ["901"]


PIPEDRIVE = (
    '"Activity - ID","Activity - Subject","Activity - Type","Activity - Assigned to user",'
    '"Activity - Due date","Activity - Add time","Activity - Note","Organization - Name",'
    '"Person - Name","Person - Email","Deal - Title"\n'
    '"5521","Call with Renata","Call","Dana Lee","2026-11-24","2026-11-20 15:41:07",'
    '"<p>The wall screen still <b>freezes</b>.</p>","Globex Freight","Renata Oyelaran",'
    '"renata@globex.example",""\n'
    '"5524","Follow-up","Task","Tom Becker","2026-11-27","2026-11-23 10:08:19",'
    '"Lena needs per-tenant rate limits.","","Lena Brandt","lena@hooli.example",""\n'
    '"5525","Expansion scoping","Meeting","Priya Raman","2026-11-26","2026-11-26 14:30:02",'
    '"IT wants a sandbox first.","","","","Initech Health - 11 clinic rollout"\n'
    '"5528","Call Oskar back","Call","Priya Raman","2026-12-02","2026-11-27 11:45:00","",'
    '"Acme Robotics","Oskar Lindqvist","oskar@acme-robotics.example",""\n'
)


def test_pipedrives_activities_export_is_read_as_notes(tmp_path: Path) -> None:
    """Each column named "Entity - Field": the activity's note, subject and day, the
    organisation, the person, the deal (whose title may name the account)."""
    path = tmp_path / "activities.csv"
    path.write_text(PIPEDRIVE)
    read = read_clean("hubspot", path, OURS)
    assert [
        (
            r.external_id,
            r.title,
            r.text,
            r.occurred_at.date().isoformat() if r.occurred_at else None,
            r.account_ref,
            r.contact_email,
            r.contact_name,
            r.mentions,
            r.tags,
        )
        for r in read.feedback
    ] == [
        (
            "5521",
            "Call with Renata",
            "The wall screen still freezes.",
            "2026-11-24",  # the day of the call, not the day it was logged
            "Globex Freight",
            "renata@globex.example",
            "Renata Oyelaran",
            ("Call with Renata",),
            ["crm:hubspot", "author:dana_lee"],
        ),
        (
            "5524",
            "Follow-up",
            "Lena needs per-tenant rate limits.",
            "2026-11-27",
            None,
            "lena@hooli.example",
            "Lena Brandt",
            ("Follow-up",),
            ["crm:hubspot", "author:tom_becker"],
        ),
        (
            "5525",
            "Expansion scoping",
            "IT wants a sandbox first.",
            "2026-11-26",
            None,
            None,
            None,
            ("Initech Health - 11 clinic rollout", "Expansion scoping"),
            ["crm:hubspot", "author:priya_raman"],
        ),
    ]
    assert read.skipped_rows == 1  # a call still to do, with no note


def _sf_note(parent_id: str, parent: str, body: str, **more: object) -> dict[str, object]:
    return {
        "attributes": {"type": "Note", "referenceId": f"NoteRef{len(body)}"},
        "Title": "Call",
        "Body": body,
        "IsPrivate": False,
        "CreatedDate": "2026-11-24T15:20:11.000+0000",
        "ParentId": parent_id,
        "Parent": {"attributes": {"type": "Name"}, "Name": parent},
        **more,
    }


def test_salesforce_records_as_json_are_read_as_their_csv_is(tmp_path: Path) -> None:
    """`sf data export tree` and the REST API's query result: `Parent.Name` nested, an id
    by the record's URL where no `Id` was chosen."""
    path = tmp_path / "Note.json"
    path.write_text(
        json.dumps(
            {
                "records": [
                    # An account's id (001…) of any length, its name beside it and no type.
                    _sf_note("0015e00000BRCK11", "Brackenridge Cold Chain", "Signed PDF logs."),
                    # A note on a deal (006…): its name may name the account.
                    _sf_note("0065e00000ACQ3X1", "Acme Robotics - Line 3", "Part 11 e-signatures."),
                ]
            }
        )
    )
    read = read_clean("salesforce", path, OURS)
    assert [
        (r.text, r.account_ref, r.account_aliases, r.mentions, r.occurred_at) for r in read.feedback
    ] == [
        (
            "Signed PDF logs.",
            "Brackenridge Cold Chain",
            ("0015e00000BRCK11",),
            ("Brackenridge Cold Chain", "Call"),
            datetime(2026, 11, 24, 15, 20, 11, tzinfo=UTC),
        ),
        (
            "Part 11 e-signatures.",
            None,
            (),
            ("Acme Robotics - Line 3", "Call"),
            datetime(2026, 11, 24, 15, 20, 11, tzinfo=UTC),
        ),
    ]
    url = "/services/data/v61.0/sobjects/Note/0025e00000Qk1AcAAJ"
    note = _sf_note("0015e00000GLBX02AAB", "Globex Freight", "Trailer numbers lose the dash.")
    note["attributes"] = {"type": "Note", "url": url}
    path.write_text(json.dumps({"totalSize": 1, "done": True, "records": [note]}))
    (read_note,) = read_clean("salesforce", path, OURS).feedback
    assert read_note.external_id == "0025e00000Qk1AcAAJ"


def test_the_vendors_people_in_a_shared_channel_are_known_by_their_workspace(
    tmp_path: Path,
) -> None:
    """Priya is no Huddle user and her profile gives no address; she writes from the same
    workspace (team) as Sam, who is: her reply is the vendor's, left out as internal."""
    page = json.loads(json.dumps(HISTORY))
    page["messages"].insert(
        0,
        _slack_message(
            "U05PRIYA",
            "Priya Raman",
            "T01OURCO",
            "1796031531.000000",
            "Thanks Kwame, I'll raise the 429s with our engineering team.",
        ),
    )
    path = tmp_path / "conversations_history_C06UMBRSUP.json"
    path.write_text(json.dumps(page))
    read = read_clean("slack", path, ConnectorOptions(staff_names=("Sam Ortiz",)))
    assert [r.text for r in read.feedback] == ["The nightly sync failed again at 03:10 with a 429."]
    assert ("internal", "Thanks Kwame, I'll raise the 429s with our engineering team.") in (
        left_out_of(read)
    )
