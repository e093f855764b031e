import csv
from pathlib import Path

import pytest

from huddle.insights.signals import (
    URGENT_THRESHOLD,
    iban_valid,
    luhn_valid,
    mask_pii,
    sentiment,
    urgency,
)

FIXTURES = Path(__file__).parent / "fixtures"
BANKING77_TEST = Path(__file__).resolve().parents[3] / "shared" / "data" / "banking77" / "test.csv"


def read_fixture(name: str) -> list[dict[str, str]]:
    with (FIXTURES / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))


def sentiment_class(score: float) -> int:
    return -1 if score <= -0.05 else (1 if score >= 0.05 else 0)


@pytest.mark.parametrize(
    ("text", "masked", "kind"),
    [
        ("mail me at jane.doe+vip@example.co.uk today", "mail me at [email] today", "email"),
        ("call +44 20 7946 0958 after 5", "call [phone] after 5", "phone"),
        ("my number is (555) 123-4567.", "my number is [phone].", "phone"),
        ("reach me on 555-123-4567", "reach me on [phone]", "phone"),
        ("+1-202-555-0143 is the office", "[phone] is the office", "phone"),
        ("ring me on 07700 900123", "ring me on [phone]", "phone"),
        ("mobile: 0049 30 1234567", "mobile: [phone]", "phone"),
        ("call me: 5551234567", "call me: [phone]", "phone"),
        ("card 4111 1111 1111 1111 was charged", "card [card] was charged", "card"),
        ("card 5500-0055-5555-5559", "card [card]", "card"),
        ("paid with 378282246310005", "paid with [card]", "card"),
        ("IBAN DE89 3704 0044 0532 0130 00 please", "IBAN [iban] please", "iban"),
        ("to GB82WEST12345698765432", "to [iban]", "iban"),
    ],
)
def test_personal_data_is_masked(text: str, masked: str, kind: str) -> None:
    result, counts = mask_pii(text)
    assert result == masked
    assert counts == {kind: 1}


@pytest.mark.parametrize(
    "text",
    [
        "On 2024-01-15 at 10:30 the sync failed",
        "since 15/01/2024 and 03.04.2024",
        "order #123456789 never arrived",
        "ORD-2024-00123 is stuck",
        "Invoice 2024001234 for $1,299.00",
        "upgraded to version 2.3.1 and v10.4.12, build 1.2.3.4567",
        "Ticket 5551234567 was reopened",
        "we have 1500000 users and 12 000 000 events",
        "4111 1111 1111 1112 fails the Luhn check",
        "GB00WEST12345698765432 fails the IBAN check",
        "at 14:05:33 on 2023-12-01T09:00",
        "user@localhost is not an address we mask",
    ],
)
def test_what_is_not_personal_data_is_left_alone(text: str) -> None:
    assert mask_pii(text) == (text, {})


def test_several_kinds_in_one_text_are_counted() -> None:
    text = "I'm bob@corp.io, +33 1 42 68 53 00, card 4242424242424242, two: ann@corp.io"
    masked, counts = mask_pii(text)
    assert counts == {"email": 2, "phone": 1, "card": 1}
    assert "bob@" not in masked and "4242" not in masked and "42 68" not in masked


def test_checksums() -> None:
    assert luhn_valid("4111111111111111") and not luhn_valid("4111111111111112")
    assert iban_valid("DE89 3704 0044 0532 0130 00") and not iban_valid(
        "DE00 3704 0044 0532 0130 00"
    )


def test_sentiment_direction_and_range() -> None:
    assert sentiment("I love the new dashboard!") > 0.5
    assert sentiment("The app crashes every time. Terrible.") < -0.5
    assert sentiment("How do I change my PIN?") == 0.0
    assert sentiment("It's not good") < 0 < sentiment("Not bad at all")
    assert sentiment("Great app but sync is really slow") < 0
    assert sentiment("can't wait for dark mode") > 0
    assert all(-1.0 <= sentiment(t) <= 1.0 for t in ["!!!" * 50, "bad " * 200, ""])


def test_urgency_ranks_outages_above_wishes() -> None:
    outage = urgency("URGENT: production is down, all users locked out!!")
    wish = urgency("It would be nice to have dark mode some day")
    assert outage >= URGENT_THRESHOLD > wish
    assert 0.0 <= wish <= outage <= 1.0


def test_signals_on_handwritten_feedback() -> None:
    rows = read_fixture("feedback_signals.csv")
    right = sum(sentiment_class(sentiment(r["text"])) == int(r["sentiment"]) for r in rows)
    flagged = [(urgency(r["text"]) >= URGENT_THRESHOLD, r["urgent"] == "1") for r in rows]
    true_positive = sum(p and t for p, t in flagged)
    # Written alongside the lexicon, so optimistic; the floor guards against regressions.
    assert right / len(rows) >= 0.85
    assert true_positive / sum(t for _, t in flagged) >= 0.8
    assert true_positive / max(1, sum(p for p, _ in flagged)) >= 0.8


@pytest.mark.skipif(not BANKING77_TEST.exists(), reason="needs ../shared/data/banking77")
def test_signals_on_hand_labelled_banking77_rows() -> None:
    with BANKING77_TEST.open(encoding="utf-8") as handle:
        texts = [row["text"] for row in csv.DictReader(handle)]
    rows = read_fixture("banking77_test_signals.csv")
    right = sum(
        sentiment_class(sentiment(texts[int(r["row"])])) == int(r["sentiment"]) for r in rows
    )
    flagged = [
        (urgency(texts[int(r["row"])]) >= URGENT_THRESHOLD, r["urgent"] == "1") for r in rows
    ]
    assert right / len(rows) >= 0.8
    assert sum(p and not t for p, t in flagged) <= 1
    assert sum(p and t for p, t in flagged) >= 4
