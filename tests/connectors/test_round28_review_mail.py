"""What review of round 28's mail, spam and survey rules found, each on a small input: a
customer's "Sent via …" line is no mail client's sign-off, a private beta or "3x more
meetings" is no signals spam, a one-word company is not the account it opens, and Microsoft
Graph's JSON is read only when it is Outlook mail, in the encoding asked for, its unreadable
date named."""

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

from huddle.connectors.base import ConnectorOptions, ConnectorOutput, get_connector
from huddle.connectors.noise import spam
from huddle.connectors.replies import strip_replies
from tests.connectors.helpers import came_in, read_clean, run, write_json
from tests.factories import actor, create_account

OURS = ConnectorOptions(internal_domains=("ourco.com",))


@pytest.mark.parametrize(
    "line",
    [
        "Sent via ACH on 3 March.",
        "Sent via FedEx on Monday.",
        "Sent from Chicago.",
        "Sent with UPS Ground",
    ],
)
def test_a_customers_sent_line_with_words_under_it_is_kept(line: str) -> None:
    text = f"We paid the invoice.\n{line}\nThe portal still says it is unpaid."
    assert strip_replies(text) == text


@pytest.mark.parametrize(
    "line", ["Sent via ACH on 3 March.", "Sent via FedEx on Monday.", "Sent from Chicago."]
)
def test_a_customers_sent_line_is_kept_even_last(line: str) -> None:
    """A date, a number or a closing period: a sentence, not a product's name."""
    assert strip_replies(f"We paid the invoice.\n{line}") == f"We paid the invoice.\n{line}"


def test_a_clients_sign_off_over_a_signature_is_cut() -> None:
    text = (
        "Exports fail.\n\nSent with Spark for iOS\n\nDana Reyes\nHead of Ops, Acme\n"
        "+1 555 010 2030\ndana@acme.example\n"
    )
    assert strip_replies(text) == "Exports fail."


@pytest.mark.parametrize(
    "text",
    [
        "We were invited to join the private beta and our SDRs make 3x more meetings.",
        "We had to join the exclusive early-access group and the discount code didn't apply.",
    ],
)
def test_a_beta_group_and_more_meetings_are_no_spam(text: str) -> None:
    assert not spam(text)


@pytest.mark.parametrize(
    "words",
    ["We joined the private beta.", "Join the exclusive early-access group.", "We make 3x more."],
)
def test_a_beta_or_more_meetings_is_no_spam_signal(words: str) -> None:
    """Beside one signal ("link in bio"), none more: still no spam."""
    assert not spam(f"{words} Link in bio.")


@pytest.mark.parametrize(
    "words",
    [
        "Want to earn 10x?",
        "10x your income.",
        "Join our VIP group.",
        "Join the premium crypto signals channel.",
    ],
)
def test_money_multiplied_or_a_signals_group_is_a_spam_signal(words: str) -> None:
    """Beside one signal ("link in bio"), a second: spam."""
    assert spam(f"{words} Link in bio.")


SURVEY = (
    '"Response ID","Respondent Email","How likely is it that you would recommend OurCo to a '
    'friend or colleague?","What is the primary reason for your score?","Which company do you '
    'work for?"\n'
    '"1","","3","Sync lost our photos.","Apple"\n'
    '"2","ops@gmail.com","9","The report is great.","General"\n'
)


def test_a_one_word_company_is_not_the_account_it_opens(session: Session, tmp_path: Path) -> None:
    """A company typed as one word is not the account whose name it opens: "Apple" is not
    "Apple Valley Dental", nor "General" "General Dynamics Health"."""
    create_account(session, name="Apple Valley Dental", domain="applevalley.example")
    create_account(session, name="General Dynamics Health", domain="gdhealth.example")
    path = tmp_path / "raw_data.csv"
    path.write_text(SURVEY, encoding="utf-8")
    report = run(session, actor(session, "admin"), "survey", path)
    assert [account for _, account in came_in(session, report)] == [None, None]
    assert report.unmatched_accounts == {"Apple": 1, "General": 1}


def _message(sent: str) -> dict[str, Any]:
    return {
        "sentDateTime": sent,
        "receivedDateTime": sent,
        "subject": "Exports",
        "from": {"emailAddress": {"name": "Nora", "address": "nora@umbrella.example"}},
        "body": {"contentType": "text", "content": "The weekly export lacks the store column."},
    }


def read_page(tmp_path: Path, page: dict[str, Any]) -> ConnectorOutput:
    """What the mail connector reads of a page, bad rows and all."""
    return get_connector("email").read(write_json(tmp_path / "page.json", page), OURS)


def test_a_teams_chat_page_is_not_outlook_mail(tmp_path: Path) -> None:
    page = {
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#chats('19%3Aab%40thread"
        ".v2')/messages",
        "value": [
            {
                "id": "1616990032035",
                "messageType": "message",
                "createdDateTime": "2026-12-01T16:48:20Z",
                "from": {"user": {"displayName": "Nora", "id": "8ea0e38b"}},
                "body": {"contentType": "text", "content": "The export lacks the store column."},
            }
        ],
    }
    read = read_page(tmp_path, page)
    assert "no readable date" not in " ".join(e.reason for e in read.errors)


def test_a_mail_folders_page_is_outlook_mail(tmp_path: Path) -> None:
    page = {
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users('f')/mailFolders"
        "('inbox')/messages(subject,from,sentDateTime,body)",
        "value": [
            {
                **_message("2026-12-01T16:48:20Z"),
                "from": {"emailAddress": {"address": "nora@umbrella.example"}},
            }
        ],
    }
    read = read_clean("email", write_json(tmp_path / "inbox.json", page), OURS)
    assert [f.contact_email for f in read.feedback] == ["nora@umbrella.example"]


def test_a_utf16_graph_page_is_read_in_the_encoding_asked_for(tmp_path: Path) -> None:
    """PowerShell's `Out-File` writes UTF-16 with a byte-order mark."""
    page = {
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users('f')/messages",
        "value": [_message("2026-12-01T16:48:20Z")],
        "@odata.nextLink": "https://graph.microsoft.com/v1.0/me/messages?$skip=10",
    }
    path = tmp_path / "inbox.json"
    path.write_text(json.dumps(page, indent=1), encoding="utf-16")
    read = read_clean("email", path, ConnectorOptions(encoding="utf-16"))
    assert [f.contact_email for f in read.feedback] == ["nora@umbrella.example"]
    assert [w.column for w in read.warnings] == ["@odata.nextLink"]


def test_an_unreadable_graph_date_is_named(tmp_path: Path) -> None:
    page = {"value": [_message("yesterday")]}
    read = read_page(tmp_path, page)
    assert [(e.column, e.reason) for e in read.errors] == [
        ("Date", "no readable date: 'yesterday'")
    ]
