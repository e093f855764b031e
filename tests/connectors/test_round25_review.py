"""A review of round 25's rules, each problem on a small input of its own: what other tools'
files (or ordinary ones) the new rules misread, refused, or lost."""

import csv
import io
import json
from pathlib import Path

from sqlalchemy.orm import Session

from huddle.connectors.base import ConnectorOptions, ConnectorOutput
from huddle.connectors.transcript import read_calls
from huddle.connectors.transcript_formats import Call
from tests.connectors.helpers import read_clean, refused
from tests.factories import actor

OURS = ConnectorOptions(internal_domains=("ourco.com",), staff_names=("Dana Lee",))
ASK = "The export keeps timing out when we pick a whole month."
NEED = "We need the police reference number as its own field."


def _json(tmp_path: Path, name: str, value: object) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(value), encoding="utf-8")
    return path


# Salesforce: only the sf CLI's exit code (an integer) says a command failed.


def test_a_records_file_with_a_status_word_is_read_not_refused(tmp_path: Path) -> None:
    """A query's records saved beside a `"status": "success"` (a script's, an integration
    tool's wrapper) are no failed sf command: the sf CLI's `status` is its exit code."""
    path = _json(
        tmp_path,
        "accounts.json",
        {
            "status": "success",
            "totalSize": 1,
            "records": [
                {
                    "attributes": {"type": "Account", "url": "/services/data/v59.0/sobjects/x"},
                    "Id": "0015e00000ACMER1AAA",
                    "Name": "Globex Freight",
                }
            ],
        },
    )
    read = read_clean("salesforce", path, OURS)
    assert [account.name for account in read.accounts] == ["Globex Freight"]


def test_a_failed_sf_command_without_a_name_says_its_message_alone(
    session: Session, tmp_path: Path
) -> None:
    path = _json(tmp_path, "query.json", {"status": 1, "message": "No authorization found."})
    failure = refused(session, actor(session, "admin"), "salesforce", path)
    (error,) = failure.report.errors
    assert error.reason == (
        "query.json is the sf CLI's answer to a command that failed (No authorization found.)"
    )


# HubSpot: a page is of companies by their `domain`, not by a `name` any object may have.


def test_a_hubspot_page_of_products_is_refused_not_read_as_companies(
    session: Session, tmp_path: Path
) -> None:
    """Products and line items have a `name` too (and a `price`): no account is made of
    "Pro plan"; the refusal says which properties a page of engagements or companies has."""
    path = _json(
        tmp_path,
        "products.json",
        {
            "results": [
                {
                    "id": "9",
                    "properties": {"hs_object_id": "9", "name": "Pro plan", "price": "49"},
                    "archived": False,
                }
            ]
        },
    )
    failure = refused(session, actor(session, "admin"), "hubspot", path)
    (error,) = failure.report.errors
    assert error.column == "properties" and "domain" in error.reason


# Firefox Add-ons: the API's own keys, not the site's address anywhere in the file.

_SCRAPED = [
    {
        "addonSlug": "web-clipper",
        "reviewId": 1924411,
        "score": 2,
        "body": ASK,
        "createdAt": "2026-11-28T09:14:22Z",
        "userName": "margotk",
        "reviewUrl": "https://addons.mozilla.org/en-US/firefox/addon/web-clipper/reviews/1924411/",
    }
]


def test_a_scraped_add_on_review_file_is_read_by_its_own_fields(tmp_path: Path) -> None:
    """A scraper's flat records (`reviewId`, `createdAt`, `userName`, a `reviewUrl` on the
    site) are no ratings API page: read as a reviews JSON, dated and named as before."""
    read = read_clean("reviews", _json(tmp_path, "scraped.json", _SCRAPED), OURS)
    (item,) = read.feedback
    assert item.text.endswith(ASK)
    assert item.occurred_at is not None and item.occurred_at.date().isoformat() == "2026-11-28"
    assert item.external_id is not None and "1924411" in item.external_id


def test_a_review_that_links_the_add_ons_site_is_still_read(tmp_path: Path) -> None:
    said = f"Works, but the Firefox build (https://addons.mozilla.org/firefox/addon/x/) lags. {ASK}"
    path = _json(
        tmp_path,
        "reviews.json",
        {"reviews": [{"rating": 3, "text": said, "author": "Ann", "date": "2026-11-02"}]},
    )
    read = read_clean("reviews", path, OURS)
    assert [item.text.endswith(ASK) for item in read.feedback] == [True]


# Markup: a tag's name ends at a space, a slash or its ">", never inside an address.


def test_an_address_in_brackets_is_kept_whatever_follows_the_letters(tmp_path: Path) -> None:
    """ "<li-wei@…>" and "<b+ops@…>" open with a tag's name but are addresses: the ticket's
    words keep them (a real tag beside them is still read as markup)."""
    path = tmp_path / "tickets.csv"
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Ticket ID", "Subject", "Description", "Created"])
    writer.writerow(
        ["1", "Export", f"Li-Wei Chen <li-wei@globex.example> asked: {ASK}", "2026-12-01"]
    )
    writer.writerow(["2", "Ops", f"Ops <b+ops@globex.example> asked: {NEED}", "2026-12-01"])
    writer.writerow(["3", "Html", f"<p>{ASK}</p><br/>", "2026-12-01"])
    path.write_text(buffer.getvalue(), encoding="utf-8")
    read = read_clean("tickets", path, OURS)
    assert [item.text for item in read.feedback] == [
        f"Li-Wei Chen <li-wei@globex.example> asked: {ASK}",
        f"Ops <b+ops@globex.example> asked: {NEED}",
        ASK,
    ]


# Mail folders: Thunderbird keeps each folder as an mbox file named as the folder.


def _mail(sender: str, subject: str, words: str, n: int) -> str:
    return (
        f"From - Wed Dec 0{n} 15:21:48 2026\n"
        f"From: {sender}\nTo: support@ourco.com\nSubject: {subject}\n"
        f"Date: Wed, 0{n} Dec 2026 15:21:40 +0000\nMessage-ID: <m{n}@example>\n\n{words}\n"
    )


def test_thunderbirds_junk_folder_is_spam(tmp_path: Path) -> None:
    """Thunderbird's Junk folder is the mbox file `Junk` (a subfolder's, under
    `<parent>.sbd/`): its messages are spam, as a Maildir's Junk folder's are."""
    folder = tmp_path / "Local Folders"
    (folder / "Archives.sbd").mkdir(parents=True)
    (folder / "Inbox").write_text(_mail("ines@umbrella.example", "Dashboard", ASK, 1))
    (folder / "Junk").write_text(_mail("win@prizes.example", "You won", "Claim it now.", 2))
    (folder / "Archives.sbd" / "Junk").write_text(
        _mail("deals@pills.example", "Offer", "Cheap pills today.", 3)
    )
    read = read_clean("email", tmp_path, OURS)
    assert [item.contact_email for item in read.feedback] == ["ines@umbrella.example"]
    assert sorted((o.reason, o.record.contact_email) for o in read.left_out) == [
        ("spam", "deals@pills.example"),
        ("spam", "win@prizes.example"),
    ]


def test_a_junk_folder_is_spam_under_the_name_its_client_stores_it_by(tmp_path: Path) -> None:
    """Apple Mail exports a mailbox as the folder `Junk.mbox` holding its `mbox`;
    Thunderbird keeps a folder's subfolders in `<folder>.sbd` (`Junk.sbd/2025`)."""
    (tmp_path / "Inbox.mbox").mkdir()
    (tmp_path / "Inbox.mbox" / "mbox").write_text(_mail("ines@umbrella.example", "A", ASK, 1))
    (tmp_path / "Junk.mbox").mkdir()
    (tmp_path / "Junk.mbox" / "mbox").write_text(_mail("win@prizes.example", "B", "Won.", 2))
    (tmp_path / "Junk.sbd").mkdir()
    (tmp_path / "Junk.sbd" / "2025").write_text(_mail("deals@pills.example", "C", "Pills.", 3))
    read = read_clean("email", tmp_path, OURS)
    assert [item.contact_email for item in read.feedback] == ["ines@umbrella.example"]
    assert sorted((o.reason, o.record.contact_email) for o in read.left_out) == [
        ("spam", "deals@pills.example"),
        ("spam", "win@prizes.example"),
    ]


# Transcripts: a title typed over the call's date is no speaker.


def _call(path: Path) -> Call:
    output = ConnectorOutput()
    (call,) = read_calls(path, OURS, output)
    assert output.errors == []
    return call


def _turns(call: Call) -> list[tuple[str, str]]:
    return [(u.speaker, u.text) for u in call.utterances]


TURNS = [
    ("Dana Lee", "How are the exports going?"),
    ("Olivia Grant", ASK),
    ("Dana Lee", "How many rows is that?"),
    ("Olivia Grant", NEED),
]


def test_a_title_over_the_date_above_names_over_lines_is_the_calls(tmp_path: Path) -> None:
    """Names over their words without blank lines, under a title that reads as a name
    ("Globex Renewal") over the date: the title and date are the call's, not a turn."""
    path = tmp_path / "call.txt"
    path.write_text(
        "Globex Renewal\n18 November 2026\n"
        + "".join(f"{speaker}\n{words}\n" for speaker, words in TURNS)
    )
    call = _call(path)
    assert call.title == "Globex Renewal"
    assert call.started_at is not None and call.started_at.date().isoformat() == "2026-11-18"
    assert _turns(call) == TURNS


def test_a_title_over_the_date_above_names_over_blocks_is_the_calls(tmp_path: Path) -> None:
    """The same with a blank line after each turn."""
    path = tmp_path / "call.txt"
    path.write_text(
        "Globex Renewal\n18 November 2026\n\n"
        + "".join(f"{speaker}\n{words}\n\n" for speaker, words in TURNS)
    )
    call = _call(path)
    assert call.title == "Globex Renewal"
    assert call.started_at is not None and call.started_at.date().isoformat() == "2026-11-18"
    assert _turns(call) == TURNS


# OTRS/Znuny: the Article Tree is the text only of a file that names no other.


def test_an_article_tree_beside_a_description_leaves_the_description_the_text(
    tmp_path: Path,
) -> None:
    """A tickets CSV with its own text column and an "Article Tree" column (empty here):
    its text is read as before, not dropped for a tree with no article."""
    path = tmp_path / "tickets.csv"
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Ticket#", "Title", "Description", "Created", "Article Tree"])
    writer.writerow(["1", "Export", ASK, "2026-12-01", ""])
    path.write_text(buffer.getvalue(), encoding="utf-8")
    read = read_clean("tickets", path, OURS)
    assert [item.text for item in read.feedback] == [ASK]
