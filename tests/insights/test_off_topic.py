# ruff: noqa: RUF001
"""The account's business (paperwork, renewals, people's comings and goings) is not a
product problem: a group of it is not suggested, while a problem that merely mentions it is."""

import csv
from pathlib import Path

import numpy as np
import pytest

from huddle.insights.embedding import Embedder, get_default_embedder
from huddle.insights.off_topic import is_off_topic, off_topic_by_rules, product_part
from huddle.insights.themes import discover_themes
from tests.insights.test_labels import DARK_MODE, EXPORTS

FIXTURE = Path(__file__).parent / "fixtures" / "off_topic_cases.tsv"
BANKING77_TEST = Path(__file__).resolve().parents[3] / "shared" / "data" / "banking77" / "test.csv"

PAPERWORK = [
    "Can you send us your SOC 2 type II report before the renewal?",
    "Our legal team needs a signed data processing agreement",
    "Procurement asks for a certificate of insurance and your W-9",
    "Please send the security questionnaire back by Friday",
    "We need your latest penetration test summary for our vendor file",
    "Could you share the SOC 2 report with our auditors",
    "Legal wants the DPA countersigned before we renew the contract",
    "Our CISO asked for your ISO 27001 certificate",
]


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return get_default_embedder()


def _cases() -> list[tuple[str, str, str]]:
    rows = []
    for line in FIXTURE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            half, kind, text = line.split("\t")
            rows.append((half, kind, text))
    return rows


def test_the_corpus_holds_both_kinds_in_both_halves() -> None:
    cases = _cases()
    for half in ("tune", "report"):
        kinds = [kind for h, kind, _ in cases if h == half]
        assert kinds.count("off_topic") >= 35 and kinds.count("problem") >= 30


def test_detection_on_the_cases_it_was_not_written_for() -> None:
    report = [(kind, text) for half, kind, text in _cases() if half == "report"]
    found = is_off_topic([text for _, text in report])
    truth = np.asarray([kind == "off_topic" for kind, _ in report])
    precision = (found & truth).sum() / found.sum()
    recall = (found & truth).sum() / truth.sum()
    # Hiding a problem costs more than showing chatter: precision first.
    assert precision >= 0.95
    assert recall >= 0.85


@pytest.mark.parametrize(
    "text",
    [
        "Renewal reminders go to someone who left the company and we can't change who gets them",
        "The SOC 2 report page in the app crashes when I open it",
        "Our new CFO can't find the budget report, the menu is confusing",
        "We'd love to schedule reports to go out every Monday",
        "Approvals stall when the approver is out of office: we need a delegate",
        "How do I change my PIN?",
        "Where do I find the API docs?",
        "Exports time out on large reports",
    ],
)
def test_what_is_about_the_product_is_not_off_topic(text: str) -> None:
    assert off_topic_by_rules(text) is False


@pytest.mark.parametrize(
    "text",
    [
        "Hi Sam,\nCan we move the renewal date to the start of our fiscal year?\nThanks,\nAna",
        "Out of the office until Monday, for anything urgent call Luis.",
        "Our company is being acquired, what happens to our contract?",
        "Who is our account manager now that Jo left?",
        "NPS 8 – do you offer a discount for nonprofits?",
        "Thanks for the call today, I will circle back with the team next week.",
        "400 employees, 3 entities, on NetSuite.",
        "spend through the cards is up 18% this quarter",
        "They just raised a round, growing fast.",
        "they want to roll out to the warehouse team next quarter",
        "asked about Business plan pricing again",
        "their auditors start in July",
    ],
)
def test_the_account_business_is_off_topic(text: str) -> None:
    assert off_topic_by_rules(text) is True


@pytest.mark.skipif(not BANKING77_TEST.exists(), reason="needs ../shared/data/banking77")
def test_a_consumer_products_own_questions_are_not_off_topic() -> None:
    # Banking77 is customers asking about the product itself ("how do I change my PIN?"):
    # almost none of it may be taken for the account's business.
    with BANKING77_TEST.open(encoding="utf-8") as handle:
        texts = [row["text"] for row in csv.DictReader(handle)]
    assert is_off_topic(texts).mean() <= 0.005


def test_a_group_of_paperwork_is_not_suggested(embedder: Embedder) -> None:
    texts = DARK_MODE + EXPORTS + PAPERWORK
    vectors = embedder.encode(texts)
    result = discover_themes(vectors, texts, embedder=embedder)
    paperwork = set(range(len(DARK_MODE) + len(EXPORTS), len(texts)))
    assert result.themes
    for theme in result.themes:
        assert len(paperwork & set(theme.members.tolist())) < theme.size / 2, theme.label
    assert result.off_topic >= len(PAPERWORK) - 2
    assert (result.labels[sorted(paperwork)] == -1).mean() >= 0.75


def test_a_problem_that_mentions_the_account_business_is_still_suggested(
    embedder: Embedder,
) -> None:
    # Call notes mix both: two of these also say the renewal is near. The group stays whole.
    texts = [*EXPORTS[:-2], *(f"Renewal in 2 months. {t}" for t in EXPORTS[-2:]), *DARK_MODE]
    vectors = embedder.encode(texts)
    result = discover_themes(vectors, texts, embedder=embedder)
    assert result.off_topic == 0
    themed = {frozenset(t.members.tolist()) for t in result.themes}
    assert frozenset(range(len(EXPORTS))) in themed


def test_a_call_note_is_embedded_without_the_accounts_facts() -> None:
    note = (
        "Renewal prep call, Timber Logistics / Wen\n"
        "- 400 employees, 3 entities, on NetSuite\n"
        "- spend through the cards is up 24% this quarter\n"
        "- Main issue: anyone can change a vendor's bank account without a second check\n"
        "- procurement wants a 3-year deal"
    )
    assert product_part(note) == "anyone can change a vendor's bank account without a second check"


@pytest.mark.parametrize(
    "text",
    [
        # All about the account: kept whole (an empty text has nothing to embed).
        "Quick call with Ana\n- procurement wants a 3-year deal\n- renewal in about 2 months",
        # One part: nothing to leave out.
        "Hi Sam,\nCan we move the renewal to July?\nThanks,\nAna",
        # A part about the account that names a problem is about the product.
        "Our renewal is in May.\nRenewal reminders go to someone who left and we can't change it.",
    ],
)
def test_what_is_not_a_note_with_the_accounts_facts_is_kept(text: str) -> None:
    kept = product_part(text)
    assert "renew" in kept.lower()


def test_a_review_is_embedded_without_its_compliment() -> None:
    # Reviews sharing "Receipt matching works well" grouped by it, whatever their complaint.
    review = "Pros: Receipt matching works well. Cons: There's no way to see spend against budget."
    assert product_part(review) == "There's no way to see spend against budget."
    assert (
        product_part("Love the new dashboard, great job!") == "Love the new dashboard, great job!"
    )
