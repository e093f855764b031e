"""Masking of personal data in evidence text before it is stored.

Emails are found by a regular expression. Card numbers, IBANs and phone numbers are found
by permissive patterns and confirmed by the libraries of the field: python-stdnum checks
the Luhn digit of a card and the checksum and national structure of an IBAN, and
phonenumbers checks that a number is possible for its country (written with + or 00) or
valid, with the national prefix a region requires, for one of the configured regions
(written the national way). Words just before a number decide the doubtful cases: "call
me on" makes a bare run of digits a phone number, "tracking", "order" or "invoice" keeps it.

What is masked and what is left alone, with measured precision and recall: docs/privacy.md.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import cache, lru_cache

import phonenumbers
from phonenumbers import Leniency, PhoneNumberMatcher
from stdnum import iban as stdnum_iban
from stdnum import luhn, numdb

from huddle.config import get_settings

KINDS = ("email", "card", "iban", "phone")
# Every card, IBAN and phone number has 7 digits with at most a few separators between
# them; text without such a run (most feedback) skips those passes.
_SEVEN_DIGITS = re.compile(r"\d(?:[ \u00a0().\-/]{0,3}\d){6}")
_NOT_DIGIT = re.compile(r"\D")

_EMAIL = re.compile(
    r"(?<![\w.+'-])[\w+-][\w.+'-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.([A-Za-z]{2,})\b"
)
# Names like icon@2x.png have the shape of an address but are file names.
_FILE_SUFFIXES = frozenset({"png", "jpg", "jpeg", "gif", "svg", "webp", "pdf", "css", "js"})

# --- context -----------------------------------------------------------------------------

# The nearest of these words within _CONTEXT_CHARS before a number says what the number is.
_CONTEXT_CHARS = 40
_PHONE_WORDS = (
    r"phone[ds]?|t[ée]l[ée]?phone|t[ée]l|tlf|telefon|tel[ée]fono|telefone|"
    r"mobile?|mobil|cell(?:phone)?|call(?:ed|ing|s)?|ring|text|sms|whats ?app|signal|viber|"
    r"fax|hotline|dial|reach|contact|direct line|landline|voicemail|handy|anrufen|rufen|"
    r"appel(?:ez|er|le)?|llam(?:a|ame|ar)|chiam(?:a|ami|are)|bel|bellen|lig(?:a|ue)|"
    r"zadzwo[nń]|звони\w*|телефон|тел"
)
# These say "a number follows" without saying which kind; they count as phone context only
# when no word of an id is near ("order number 1234567" is an order).
_NUMBER_WORDS = r"number|nummer|num[ée]ro|n[úu]mero|no\.|nr\.?|#"
_ID_WORDS = (
    r"orders?|ord|invoices?|inv|tickets?|cases?|ref|reference|account|acct|member|id|ids|"
    r"uid|\w+_id|sku|serial|sn|po|batch|build|version|release|barcode|ean|"
    r"gtin|upc|isbn|imei|timestamp|epoch|port|pid|issue|bug|incident|request|req|job|"
    r"transaction|txn|confirmation|booking|reservation|pnr|policy|claim|contract|record|"
    r"rows?|zip|postcode|vat|ein|cost cent(?:re|er)|auftrag\w*|bestell\w*|kunden\w*|"
    r"rechnung\w*|commande|facture|pedido|factura|fattura|ordine|bestelling|factuur|"
    + r"tracking|track|shipment|shipping|parcel|package|waybill|awb|usps|ups|fedex|dhl"
)
# Shipping and product codes may pass a Luhn check; order numbers of 13+ digits rarely do.
_SHIPPING_WORDS = (
    r"tracking|track|shipment|shipping|parcel|package|waybill|awb|usps|ups|fedex|dhl|"
    r"barcode|ean|gtin|upc|isbn|imei|serial|sku"
)
_CARD_WORDS = (
    r"cards?|visa|mastercard|master card|mc|amex|american express|discover|jcb|diners|"
    r"maestro|unionpay|cc|credit|debit|tarjeta|karte|carte|cart[ãa]o|carta|kaart|kort"
)
_CJK_PHONE_WORDS = "電話|电话|連絡先|联系|휴대폰|전화"


def _context_pattern(groups: dict[str, str]) -> re.Pattern[str]:
    alternatives = "|".join(f"(?P<{name}>{words})" for name, words in groups.items())
    return re.compile(rf"(?<![\w\]])(?:{alternatives})(?![\w\[])", re.IGNORECASE)


_PHONE_CONTEXT = _context_pattern(
    {"phone": _PHONE_WORDS, "number": _NUMBER_WORDS, "other": _ID_WORDS}
)
_CJK_PHONE_CONTEXT = re.compile(_CJK_PHONE_WORDS)
_CARD_CONTEXT = _context_pattern({"card": _CARD_WORDS, "other": _SHIPPING_WORDS})


# A context word belongs to the first long number after it: the window stops at a number
# of 7+ digits or a placeholder, so masking one number never changes what the next one is
# taken for (masking is idempotent).
_NUMBER_OR_PLACEHOLDER = re.compile(r"\]|\+?\d(?:[ \u00a0().-]{0,2}\d){6,}")
# "07911 123456 is my mobile", "555-1234 (cell)": a phone word right after the number.
_PHONE_AFTER = re.compile(
    r"[\s(,:-]{0,3}(?:(?:is|are)\s+)?(?:(?:my|our|his|her|their|the)\s+)?"
    rf"(?:{_PHONE_WORDS})(?![\w])",
    re.IGNORECASE,
)


def _context_before(pattern: re.Pattern[str], text: str, start: int) -> str | None:
    """What the words just before `start` say the number is: the nearest word decides, but
    "number" or "#" says phone only when no id word is near ("order number 1234567").
    """
    window = text[max(0, start - _CONTEXT_CHARS) : start]
    since = 0
    for boundary in _NUMBER_OR_PLACEHOLDER.finditer(window):
        since = boundary.end()
    matches = list(pattern.finditer(window, since))
    kinds = [m.lastgroup for m in matches]
    for kind in reversed(kinds):
        if kind != "number":
            return kind
    return "phone" if kinds else None


# --- cards -------------------------------------------------------------------------------

# Digit groups split by single spaces, dashes or dots; a card is a run of whole groups.
_DIGIT_GROUPS = re.compile(r"(?<![\w\]])(?<!\d\.)\d+(?:[ \u00a0.-]\d+)*")
_DIGITS = re.compile(r"\d+")
# Issuer numbers start with 2 (Mastercard 2-series), 3 (Amex, JCB, Diners), 4 (Visa),
# 5 (Mastercard, Maestro) or 6 (Discover, UnionPay, Maestro).
_CARD_FIRST_DIGITS = frozenset("23456")


def _card_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for run in _DIGIT_GROUPS.finditer(text):
        if len(run[0]) < 13:
            continue
        groups = [
            (m.start() + run.start(), m.end() + run.start()) for m in _DIGITS.finditer(run[0])
        ]
        if sum(end - start for start, end in groups) < 13:
            continue
        first = 0
        while first < len(groups):
            found = _card_in(text, groups, first)
            if found is None:
                first += 1
                continue
            last = found
            start, end = groups[first][0], groups[last][1]
            if _context_before(_CARD_CONTEXT, text, start) != "other":
                spans.append((start, end))
            first = last + 1
    return spans


def _card_in(text: str, groups: list[tuple[int, int]], first: int) -> int | None:
    """The last group of the longest card number that starts at group `first`, if any.
    At most 19 digits: a long run of groups (a pasted table) costs linear time."""
    if str(unicodedata.digit(text[groups[first][0]])) not in _CARD_FIRST_DIGITS:
        return None
    found = None
    digits = ""
    for last in range(first, len(groups)):
        digits += text[groups[last][0] : groups[last][1]]
        if len(digits) > 19:
            break
        if len(digits) >= 13 and luhn.is_valid(_ascii_digits(digits)):
            found = last
    return found


def _ascii_digits(digits: str) -> str:
    if digits.isascii():
        return digits
    # Full-width digits, as Japanese input methods type them.
    return "".join(str(unicodedata.digit(c)) for c in digits)


# --- IBANs -------------------------------------------------------------------------------

_IBAN_START = re.compile(r"(?<![A-Za-z\]])[A-Za-z]{2}\d{2}(?=[ -]?[A-Za-z0-9])")
_BBAN_PART = re.compile(r"(\d+)!?[nac]")


@cache
def _iban_length(country: str) -> int | None:
    info = numdb.get("iban").info(country)[0][1]
    structure = info.get("bban") if info else None
    if not structure:
        return None
    return 4 + sum(int(size) for size in _BBAN_PART.findall(structure))


def _iban_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    position = 0
    while match := _IBAN_START.search(text, position):
        length = _iban_length(match[0][:2].upper())
        end = _iban_end(text, match.start(), length) if length else None
        if end is None:
            position = match.start() + 1
            continue
        spans.append((match.start(), end))
        position = end
    return spans


def _iban_end(text: str, start: int, length: int) -> int | None:
    """Where an IBAN of `length` characters starting at `start` ends, if one does: letters
    and digits with at most one space or dash between them, ending at a word boundary."""
    chars: list[str] = []
    index = start
    while len(chars) < length and index < len(text):
        char = text[index]
        if char.isascii() and char.isalnum():
            chars.append(char)
            index += 1
        elif char in " -" and chars and index + 1 < len(text) and text[index + 1].isalnum():
            index += 1
        else:
            break
    # Glued to what follows, it is part of a longer code ("[" is a placeholder's start).
    glued = index < len(text) and (text[index].isalnum() or text[index] == "[")
    if len(chars) < length or glued:
        return None
    return index if stdnum_iban.is_valid("".join(chars), check_country=False) else None


# --- phones ------------------------------------------------------------------------------

_SEPARATOR = r"(?:[ \u00a0]?[-./][ \u00a0]?|[ \u00a0]?\(|\)[ \u00a0]?|[ \u00a0])"
_PHONE_CANDIDATE = re.compile(
    rf"(?<![\w+#/@.\]-])(?:\(?\+|\()?\d+(?:{_SEPARATOR}\d+)*"
    r"(?P<extension>[ \u00a0]?(?:ext\.?|x|#)[ \u00a0]?\d{1,6})?(?![\w@\[])",
    re.IGNORECASE,
)
_DATE_OR_TIME = re.compile(
    r"^(?:\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./](?:\d{4}|\d{2}))(?:[ T]\d{1,2})?$"
)
# 4 500 000 or 12 000 000: a quantity grouped by thousands, not a phone number.
_THOUSANDS = re.compile(r"^\d{1,3}(?:[ \u00a0.,]\d{3})+$")
_IP_ADDRESS = re.compile(r"^\d{1,3}(?:\.\d{1,3}){3}$")
_VERSION = re.compile(r"^\d\.\d+(?:\.\d+)+$")  # 1.2.3.4567


def _phone_spans(text: str, regions: Sequence[str]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for match in _PHONE_CANDIDATE.finditer(text):
        if len(match[0]) < 7:
            continue
        start, end = match.start(), match.end()
        extension = match["extension"]
        number = text[start : end - len(extension)] if extension else match[0]
        if number.startswith("(") and number.count("(") > number.count(")"):
            number, start = number[1:], start + 1
        digits = len(_NOT_DIGIT.sub("", number))
        if not 7 <= digits <= 15 or _DATE_OR_TIME.match(number) or _IP_ADDRESS.match(number):
            continue
        if _is_phone(text, start, end, number, regions):
            spans.append((start, end))
    return spans


def _is_phone(text: str, start: int, end: int, number: str, regions: Sequence[str]) -> bool:
    if number.lstrip("(").startswith(("+", "00")):
        return _international(number)
    context = _context_before(_PHONE_CONTEXT, text, start)
    if context == "other":
        return False
    if (
        context == "phone"
        or _CJK_PHONE_CONTEXT.search(text, max(0, start - 10), start)
        or _PHONE_AFTER.match(text, end)
    ):
        return True
    # Without a word saying so, only numbers written the way people of one of the regions
    # write them, valid there. A bare run of digits is more often an id, unless it starts
    # with a national trunk prefix (07911123456).
    if _THOUSANDS.match(number) or _VERSION.match(number):
        return False
    if number.isdigit() and not (number[0] == "0" != number[1] and len(number) >= 10):
        return False
    return any(_valid_in(number, region) for region in regions)


def _international(number: str) -> bool:
    written = number.lstrip("(")
    if written.startswith("00"):
        written = "+" + written[2:]
    try:
        parsed = phonenumbers.parse(written, None)
    except phonenumbers.NumberParseException:
        return False
    reason = phonenumbers.is_possible_number_with_reason(parsed)
    return bool(reason == phonenumbers.ValidationResult.IS_POSSIBLE)


@lru_cache(maxsize=4096)  # a support line quoted in every ticket is checked once
def _valid_in(number: str, region: str) -> bool:
    """Valid for the region as written: PhoneNumberMatcher at VALID leniency also requires
    the national prefix where the region's numbers are written with it (0 in Germany).
    A plain parse turns most numbers down first, at a third of the matcher's cost."""
    try:
        parsed = phonenumbers.parse(number, region)
    except phonenumbers.NumberParseException:
        return False
    if not phonenumbers.is_valid_number(parsed):
        return False
    wanted = _NOT_DIGIT.sub("", number)
    matches = PhoneNumberMatcher(number, region, leniency=Leniency.VALID)
    return any(_NOT_DIGIT.sub("", found.raw_string) == wanted for found in matches)


# --- masking -----------------------------------------------------------------------------


def _replace(text: str, spans: Iterable[tuple[int, int]], placeholder: str) -> tuple[str, int]:
    pieces: list[str] = []
    position = count = 0
    for start, end in spans:
        pieces.append(text[position:start])
        pieces.append(placeholder)
        position = end
        count += 1
    pieces.append(text[position:])
    return "".join(pieces), count


def _email_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _EMAIL.finditer(text) if m[1].lower() not in _FILE_SUFFIXES]


def mask_pii(text: str, *, regions: Sequence[str] | None = None) -> tuple[str, dict[str, int]]:
    """Replace emails, payment card numbers, IBANs and phone numbers with [email], [card],
    [iban] and [phone]; return the masked text and how many of each kind were replaced.

    `regions` are the ISO country codes whose national way of writing phone numbers is
    recognised (numbers written with + or 00 are recognised for every country); by default
    the `phone_regions` setting.
    """
    counts: Counter[str] = Counter()
    masked = text
    if "@" in masked:  # a substring test is ~100x cheaper than the address pattern
        masked, counts["email"] = _replace(masked, _email_spans(masked), "[email]")
    if _SEVEN_DIGITS.search(masked):
        masked, counts["iban"] = _replace(masked, _iban_spans(masked), "[iban]")
        masked, counts["card"] = _replace(masked, _card_spans(masked), "[card]")
        if regions is None:
            regions = get_settings().phone_regions
        masked, counts["phone"] = _replace(masked, _phone_spans(masked, regions), "[phone]")
    return masked, {kind: n for kind, n in counts.items() if n}
