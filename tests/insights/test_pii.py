import re
from collections import Counter
from pathlib import Path

import phonenumbers
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from phonenumbers import PhoneNumberFormat, PhoneNumberType
from pydantic import ValidationError
from stdnum import iban, luhn

from huddle.config import DEFAULT_PHONE_REGIONS, Settings, get_settings
from huddle.insights.pii import mask_pii

CORPUS = Path(__file__).parent / "fixtures" / "pii_cases.tsv"
MARK = re.compile(r"\{\{(\w+):(.*?)\}\}")
PLACEHOLDER = re.compile(r"\[(?:email|card|iban|phone)\]")


def read_corpus() -> list[tuple[str, str, str, str]]:
    """(set, text, expected masked text, note) per case."""
    rows = []
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#") and not line.startswith("set\t"):
            which, marked, note = line.split("\t")
            text = MARK.sub(lambda m: m[2], marked)
            expected = MARK.sub(lambda m: f"[{m[1]}]", marked)
            rows.append((which, text, expected, note))
    return rows


CASES = read_corpus()
POSITIVES = [c for c in CASES if c[1] != c[2]]
NEGATIVES = [c for c in CASES if c[1] == c[2]]


def case_id(case: tuple[str, str, str, str]) -> str:
    return f"{case[0]}:{case[3]}"


def test_the_corpus_has_both_halves_of_every_kind() -> None:
    assert len(CASES) >= 300
    for which in ("tune", "report"):
        half = [c for c in CASES if c[0] == which]
        kinds = Counter(k for _, _, expected, _ in half for k in PLACEHOLDER.findall(expected))
        assert all(kinds[f"[{kind}]"] >= 15 for kind in ("email", "card", "iban", "phone"))
        assert sum(c[1] == c[2] for c in half) >= 50


def test_the_corpus_cards_and_ibans_are_real_test_numbers() -> None:
    marks = MARK.findall(CORPUS.read_text(encoding="utf-8"))
    cards = [value for kind, value in marks if kind == "card"]
    ibans = [value for kind, value in marks if kind == "iban"]
    assert len(cards) >= 40 and len(ibans) >= 40
    assert all(luhn.is_valid(re.sub(r"\D", "", value)) for value in cards)
    assert all(iban.is_valid(value, check_country=False) for value in ibans)


@pytest.mark.parametrize("case", POSITIVES, ids=case_id)
def test_every_piece_of_personal_data_in_the_corpus_is_masked(
    case: tuple[str, str, str, str],
) -> None:
    _, text, expected, _ = case
    masked, counts = mask_pii(text, regions=DEFAULT_PHONE_REGIONS)
    assert masked == expected
    wanted = Counter(m[1:-1] for m in PLACEHOLDER.findall(expected))
    assert counts == dict(wanted)


@pytest.mark.parametrize("case", NEGATIVES, ids=case_id)
def test_what_is_not_personal_data_survives_unchanged(case: tuple[str, str, str, str]) -> None:
    assert mask_pii(case[1], regions=DEFAULT_PHONE_REGIONS) == (case[1], {})


def test_kinds_in_one_text_are_counted_apart() -> None:
    text = "I'm bob@corp.io, +33 1 42 68 53 00, card 4242424242424242, two: ann@corp.io"
    assert mask_pii(text) == (
        "I'm [email], [phone], card [card], two: [email]",
        {"email": 2, "phone": 1, "card": 1},
    )


def test_digits_of_other_scripts_are_digits() -> None:
    # Full-width digits on purpose: Japanese input methods type them.
    text = "カード ４１１１ １１１１ １１１１ １１１１、電話 ０９０-１２３４-５６７８"  # noqa: RUF001
    assert mask_pii(text) == ("カード [card]、電話 [phone]", {"card": 1, "phone": 1})
    assert mask_pii("call +٤٤ ٢٠ ٧٩٤٦ ٠٩٥٨") == ("call [phone]", {"phone": 1})


@pytest.mark.parametrize("region", sorted(phonenumbers.SUPPORTED_REGIONS))
def test_numbers_of_every_country_written_internationally_are_masked(region: str) -> None:
    for kind in (PhoneNumberType.FIXED_LINE, PhoneNumberType.MOBILE):
        example = phonenumbers.example_number_for_type(region, kind)
        if example is None:
            continue
        for form in (PhoneNumberFormat.INTERNATIONAL, PhoneNumberFormat.E164):
            number = phonenumbers.format_number(example, form)
            assert mask_pii(f"Reach me at {number}.", regions=()) == (
                "Reach me at [phone].",
                {"phone": 1},
            ), number


@pytest.mark.parametrize("region", DEFAULT_PHONE_REGIONS)
def test_numbers_written_nationally_are_masked_for_the_listed_regions(region: str) -> None:
    for kind in (PhoneNumberType.FIXED_LINE, PhoneNumberType.MOBILE):
        example = phonenumbers.example_number_for_type(region, kind)
        assert example is not None
        number = phonenumbers.format_number(example, PhoneNumberFormat.NATIONAL)
        assert mask_pii(f"Bob - {number} - after five", regions=(region,))[0] == (
            "Bob - [phone] - after five"
        ), number


def test_a_national_number_needs_its_region_listed_or_a_word_saying_phone() -> None:
    text = "Bob - 0412 345 678 - after five"
    assert mask_pii(text, regions=("AU",))[0] == "Bob - [phone] - after five"
    assert mask_pii(text, regions=("US", "GB"))[0] == text
    assert mask_pii("call Bob on 0412 345 678", regions=())[0] == "call Bob on [phone]"


def test_the_regions_come_from_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "Bob - 0412 345 678 - after five"
    monkeypatch.setenv("HUDDLE_PHONE_REGIONS", "us, gb")
    get_settings.cache_clear()
    try:
        assert get_settings().phone_regions == ("US", "GB")
        assert mask_pii(text)[0] == text
        monkeypatch.setenv("HUDDLE_PHONE_REGIONS", "AU")
        get_settings.cache_clear()
        assert mask_pii(text)[0] == "Bob - [phone] - after five"
    finally:
        get_settings.cache_clear()


def test_an_unknown_region_is_refused_by_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HUDDLE_PHONE_REGIONS", "US,UK")
    with pytest.raises(ValidationError, match=r"phone_regions[\s\S]*UK"):
        Settings()


# --- properties ---------------------------------------------------------------------------

WORDS = [
    "call", "me", "on", "order", "card", "tracking", "ticket", "mobile", "the", "export",
    "is", "broken", "since", "number", "my", "IBAN", "at", "or", "version", "#", "(", ")",
    "-", ".", ",", ":", "+", "00", "0", "2026-11-30", "v2.3.1", "$1,299.00",
]  # fmt: skip
PII = [
    "jane.doe@example.com", "4111 1111 1111 1111", "378282246310005", "+44 20 7946 0958",
    "(212) 555-0147", "07700 900123", "GB82 WEST 1234 5698 7654 32", "de89370400440532013000",
    "06 12 34 56 78", "0049 30 1234567",
]  # fmt: skip
digit_groups = st.lists(st.text("0123456789", min_size=1, max_size=5), min_size=1, max_size=5)
token = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(PII),
    st.tuples(digit_groups, st.sampled_from([" ", "-", ".", ""])).map(lambda t: t[1].join(t[0])),
)
texts = st.lists(
    st.tuples(token, st.sampled_from([" ", " ", "", ", ", ". ", "\n"])), max_size=14
).map(lambda parts: "".join(t + sep for t, sep in parts))


@settings(max_examples=300, deadline=None)
@given(texts)
# Found by this test with more examples: what sits next to a number must read the same
# whether the neighbour is still PII or already a placeholder.
@example("+44 20 7946 0958#, 0 0 00000 ")
@example("4111 1111 1111 1111GB82 WEST 1234 5698 7654 32 ")
@example("GB82 WEST 1234 5698 7654 32GB82 WEST 1234 5698 7654 32 ")
def test_masking_twice_changes_nothing_more(text: str) -> None:
    once, _ = mask_pii(text, regions=DEFAULT_PHONE_REGIONS)
    assert mask_pii(once, regions=DEFAULT_PHONE_REGIONS) == (once, {})


@settings(max_examples=300, deadline=None)
@given(texts)
def test_masking_only_replaces_spans_with_placeholders(text: str) -> None:
    masked, counts = mask_pii(text, regions=DEFAULT_PHONE_REGIONS)
    pieces = PLACEHOLDER.split(masked)
    assert len(pieces) - 1 == sum(counts.values())
    # Every character that is not a placeholder comes from the input, in order.
    pattern = "(?:.+?)".join(re.escape(piece) for piece in pieces)
    assert re.fullmatch(pattern, text, re.DOTALL)


def with_luhn_digit(body: str) -> str:
    for last in "0123456789":
        if luhn.is_valid(body + last):
            return body + last
    raise AssertionError("unreachable")


cards = st.builds(
    lambda first, rest, length: with_luhn_digit(first + rest[: length - 2]),
    st.sampled_from("23456"),
    st.text("0123456789", min_size=18, max_size=18),
    st.integers(13, 19),
)


def written(number: str, separator: str, amex: bool) -> str:
    if amex and len(number) == 15:
        groups = [number[:4], number[4:10], number[10:]]
    else:
        groups = [number[i : i + 4] for i in range(0, len(number), 4)]
    return separator.join(groups)


@settings(max_examples=500, deadline=None)
@given(
    cards,
    st.sampled_from(["", " ", "-", ".", "\u00a0"]),
    st.booleans(),
    st.sampled_from(["", "card ", "My card is ", "paid with ", "(", "Card: ", "CC#", "1) "]),
    st.sampled_from(["", ".", ",", "!", "?", ")", ";", "...", " please", " exp 12/28", "and"]),
)
def test_every_luhn_valid_card_number_is_masked_however_written(
    number: str, separator: str, amex: bool, before: str, after: str
) -> None:
    text = before + written(number, separator, amex) + after
    masked, counts = mask_pii(text, regions=DEFAULT_PHONE_REGIONS)
    assert masked == before + "[card]" + after
    assert counts == {"card": 1}
