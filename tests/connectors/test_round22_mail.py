"""What round 22's mail showed: Zoho Mail's forward (its headers ruled off with "=" above and
below, "From : " with a space before the colon), and the quote headers of HCL Notes (the
addressees between "From:" and "Date:"), GroupWise (">>> Name <address> date >>>") and Zoho
Mail ("---- On … wrote ----"): the customer's words only. And LivePerson's conversations
(the `intercom` connector), which had been refused as holding nothing."""

import json
from pathlib import Path

import pytest

from huddle.connectors.base import ConnectorOptions
from huddle.connectors.replies import strip_replies
from tests.connectors.helpers import read_clean

OURS = ConnectorOptions(internal_domains=("ourco.com",), staff_names=("Priya Raman",))
ASK = "Please add the retry history and a filter by event type."


def test_a_zoho_mail_forward_is_read_as_the_customers_mail(tmp_path: Path) -> None:
    path = tmp_path / "fwd.eml"
    path.write_text(
        "From: Priya Raman <priya@ourco.com>\nTo: feedback@ourco.com\n"
        "Subject: Fwd: Webhook delivery log\nDate: Fri, 27 Nov 2026 19:02:11 +0530\n"
        "X-Mailer: Zoho Mail\nContent-Type: text/plain; charset=UTF-8\n\n"
        "Adding to the webhook epic. -Priya\n\n\n"
        "============ Forwarded message ============\n"
        "From : Lena Brandt <lena.brandt@hooli.example>\n"
        'To : "Priya Raman"<priya@ourco.com>\n'
        "Date : Thu, 26 Nov 2026 18:22:05 +0100\n"
        "Subject : Webhook delivery log\n"
        "============ Forwarded message ============\n\n"
        f"Hi Priya,\n\n{ASK}\n\nBest regards,\nLena Brandt\nSRE Manager | Hooli Cloud\n"
    )
    read = read_clean("email", path, OURS)
    (item,) = read.feedback
    assert ASK in item.text
    assert "Forwarded message" not in item.text and "Adding to the webhook epic" not in item.text
    assert "SRE Manager" not in item.text
    assert item.contact_email == "lena.brandt@hooli.example"
    assert item.occurred_at is not None and item.occurred_at.isoformat().startswith("2026-11-26")


@pytest.mark.parametrize(
    "quoted",
    [
        # HCL Notes: the addressees between who and when.
        "From:        Sam Ortiz <sam@ourco.com>\nTo:        Meredith Okoye "
        "<meredith.okoye@initech.example>\nDate:        24/11/2026 17:40\n"
        "Subject:        Shift templates\n________________________________\n\n"
        "Hi Meredith, are you still splitting overnight shifts? We're scoping the fix now.",
        # GroupWise.
        ">>> Priya Raman <priya@ourco.com> 25/11/2026 16:03 >>>\nHi Graham,\n"
        "Once it's set, every invoice will carry it.\nBest, Priya",
        # Zoho Mail.
        "---- On Fri, 27 Nov 2026 10:14:33 +0530 Priya Raman <priya@ourco.com> wrote ----\n\n"
        "Hi Graham, once it's set, every invoice will carry it.",
    ],
    ids=["hcl-notes", "groupwise", "zoho"],
)
def test_a_reply_loses_what_it_quotes_under_its_mail_tools_header(quoted: str) -> None:
    words = "The three invoices already issued still have no PO and payables rejected them."
    text = f"Priya,\n\n{words}\n\nGraham\n\n{quoted}\n"
    assert strip_replies(text, "Graham Pike") == f"Priya,\n\n{words}"


def test_a_line_that_only_looks_like_a_quote_header_stays() -> None:
    """Words between ">>>" marks or "----" rules that are no reply's header are the sender's."""
    text = (
        "The import log shows >>> step 3 failed >>> then nothing.\n"
        "---- On Monday we saw it again ----\n"
        "It also drops the last row."
    )
    assert strip_replies(text) == text


def _lp_message(seq: int, sent_by: str, pid: str, text: str, kind: str = "TEXT_PLAIN") -> dict:
    return {
        "type": kind,
        "messageData": {"msg": {"text": text}} if kind == "TEXT_PLAIN" else {"file": {}},
        "seq": seq,
        "participantId": pid,
        "sentBy": sent_by,
        "timeL": 1795425244000 + seq,
    }


def test_liveperson_conversations_keep_the_consumers_words_on_their_company(
    tmp_path: Path,
) -> None:
    """LivePerson's conversations/search page: the consumer's text messages only (not the
    bot's greeting, the agent's reply or a file), their company from the engagement
    attributes."""
    page = {
        "_metadata": {"count": 1},
        "conversationHistoryRecords": [
            {
                "info": {"conversationId": "7c1f2a90", "startTimeL": 1795425242000},
                "agentParticipants": [
                    {"agentPid": "bot-1", "userTypeName": "Bot"},
                    {"agentPid": "agent-2", "userTypeName": "Human", "agentFullName": "Dana Lee"},
                ],
                "consumerParticipants": [{"participantId": "c-1", "consumerName": "Ruth Kamau"}],
                "sdes": {
                    "events": [
                        {
                            "sdeType": "PERSONAL_INFO",
                            "personalInfo": {
                                "personalInfo": {
                                    "company": "Vandelay Imports",
                                    "contacts": [
                                        {"personalContact": {"email": "ruth@vandelay.example"}}
                                    ],
                                }
                            },
                        }
                    ]
                },
                "messageRecords": [
                    _lp_message(0, "Agent", "bot-1", "Hi! I'm the OurCo assistant."),
                    _lp_message(1, "Consumer", "c-1", "Our invoices come without the PO number."),
                    _lp_message(2, "Consumer", "c-1", "", kind="HOSTED_FILE"),
                    _lp_message(3, "Agent", "agent-2", "I can reissue the older ones."),
                    _lp_message(4, "Consumer", "c-1", "Payables rejected two of them."),
                ],
            }
        ],
    }
    path = tmp_path / "conversations_search.json"
    path.write_text(json.dumps(page))
    read = read_clean("intercom", path, OURS)
    (item,) = read.feedback
    assert item.text == "Our invoices come without the PO number.\n\nPayables rejected two of them."
    assert item.account_ref == "Vandelay Imports"
    assert item.contact_email == "ruth@vandelay.example"
    assert item.occurred_at is not None and item.occurred_at.year == 2026
