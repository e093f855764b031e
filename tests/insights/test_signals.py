import csv
from pathlib import Path

import pytest

from huddle.insights.signals import URGENT_THRESHOLD, sentiment, urgency

FIXTURES = Path(__file__).parent / "fixtures"
BANKING77_TEST = Path(__file__).resolve().parents[3] / "shared" / "data" / "banking77" / "test.csv"


def read_fixture(name: str) -> list[dict[str, str]]:
    with (FIXTURES / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))


def sentiment_class(score: float) -> int:
    return -1 if score <= -0.05 else (1 if score >= 0.05 else 0)


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
