"""PII masking: precision and recall per kind on the hand-written corpus, and throughput,
against the regex masking Huddle used before (copied below as the baseline), in one run.

    python bench/pii.py [--items 20000] [--repeat 3] [--misses tune|report]

Quality is scored on tests/insights/fixtures/pii_cases.tsv, the tune half and the report
half apart: rules were tuned on the first only. A masked span counts as found when it
overlaps a marked span of the same kind. `exact` is the share of cases whose masked text
is exactly the expected one (boundaries included).

Throughput runs on generated feedback of 40 words in the style of bench/imports.py, in
two mixes: "import" (the import benchmark's own rows: words only, 30% of them with an
email) and "digits" (every item carries numbers: quantities, order and ticket ids, dates,
prices, and one in five a phone number or a card). The region lists are measured on the
digits mix, whose numbers are the ones a longer list could mistake for phones.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from phonenumbers import SUPPORTED_REGIONS  # noqa: E402

from huddle.config import DEFAULT_PHONE_REGIONS  # noqa: E402
from huddle.insights.pii import KINDS, _valid_in, mask_pii  # noqa: E402

CORPUS = ROOT / "tests" / "insights" / "fixtures" / "pii_cases.tsv"
MARK = re.compile(r"\{\{(\w+):(.*?)\}\}")
PLACEHOLDER = re.compile(r"\[(email|card|iban|phone)\]")

Masker = Callable[[str], tuple[str, dict[str, int]]]


@dataclass(frozen=True)
class Case:
    set: str
    text: str
    expected: str
    spans: tuple[tuple[int, int, str], ...]
    note: str


def load_cases(path: Path = CORPUS) -> list[Case]:
    cases = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#") or line.startswith("set\t"):
            continue
        which, marked, note = line.split("\t")
        text, spans, position = [], [], 0
        length = 0
        for mark in MARK.finditer(marked):
            before = marked[position : mark.start()]
            text.append(before)
            length += len(before)
            spans.append((length, length + len(mark[2]), mark[1]))
            text.append(mark[2])
            length += len(mark[2])
            position = mark.end()
        text.append(marked[position:])
        expected = MARK.sub(lambda m: f"[{m[1]}]", marked)
        cases.append(Case(which, "".join(text), expected, tuple(spans), note))
    return cases


def masked_spans(text: str, masked: str) -> list[tuple[int, int, str]]:
    """Where in `text` each placeholder of `masked` stands, by aligning the unmasked pieces."""
    pieces = PLACEHOLDER.split(masked)
    literals, kinds = pieces[0::2], pieces[1::2]
    if not kinds:
        return []
    pattern = "".join(
        re.escape(lit) + ("(.+?)" if i < len(kinds) else "") for i, lit in enumerate(literals)
    )
    match = re.fullmatch(pattern, text, re.DOTALL)
    if match is None:  # the masker changed text outside its placeholders
        return [(0, len(text), kind) for kind in kinds]
    return [(match.start(i + 1), match.end(i + 1), kind) for i, kind in enumerate(kinds)]


@dataclass
class Score:
    found: Counter[str]
    expected: Counter[str]
    correct: Counter[str]
    predicted: Counter[str]
    exact: int = 0
    cases: int = 0

    def precision(self, kind: str | None = None) -> float:
        c, p = self._sum(self.correct, kind), self._sum(self.predicted, kind)
        return c / p if p else 1.0

    def recall(self, kind: str | None = None) -> float:
        f, e = self._sum(self.found, kind), self._sum(self.expected, kind)
        return f / e if e else 1.0

    @staticmethod
    def _sum(counter: Counter[str], kind: str | None) -> int:
        return counter[kind] if kind else sum(counter.values())


def overlaps(a: tuple[int, int, str], b: tuple[int, int, str]) -> bool:
    return a[2] == b[2] and a[0] < b[1] and b[0] < a[1]


def score(cases: Sequence[Case], masker: Masker, misses: list[str] | None = None) -> Score:
    s = Score(Counter(), Counter(), Counter(), Counter())
    for case in cases:
        masked, _ = masker(case.text)
        predicted = masked_spans(case.text, masked)
        s.cases += 1
        s.exact += masked == case.expected
        for span in case.spans:
            s.expected[span[2]] += 1
            s.found[span[2]] += any(overlaps(span, p) for p in predicted)
        for span in predicted:
            s.predicted[span[2]] += 1
            s.correct[span[2]] += any(overlaps(span, e) for e in case.spans)
        if misses is not None and masked != case.expected:
            misses.append(f"  [{case.note}]\n    got:      {masked}\n    expected: {case.expected}")
    return s


# --- the regex masking Huddle used before (signals.py up to 2026-12), kept as the baseline


_OLD_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")
_OLD_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b")
_OLD_CARD = re.compile(r"(?<![\d.-])\d(?:[ -]?\d){12,18}(?![\d.-])")
_OLD_PHONE = re.compile(
    r"(?<![\w.#/-])(?:\+|00)?(?:\(\d{1,4}\)[ .-]?)?\d(?:[ .-]?\(?\d\)?){6,16}(?![\w/-]|\.\d)"
)
_OLD_PHONE_CONTEXT = re.compile(
    r"(?:phone|tel|telephone|mobile|cell|call|ring|text|whatsapp|sms|fax|number)\W{0,3}"
    r"(?:\w+\W{1,3}){0,3}$",
    re.IGNORECASE,
)
_OLD_NOT_PHONE_CONTEXT = re.compile(
    r"(?:order|invoice|ticket|case|ref|reference|account|acct|tracking|id|no|number #|sku|"
    r"version|build|v)\W{0,3}$",
    re.IGNORECASE,
)
_OLD_DATE_LIKE = re.compile(
    r"^(?:\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{2,4})(?:[ T]\d{1,2}(?::\d{2}){1,2})?$"
)
_OLD_VERSION_LIKE = re.compile(r"^\d+(?:\.\d+){1,3}$")


def _old_luhn_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def _old_iban_valid(candidate: str) -> bool:
    compact = candidate.replace(" ", "")
    if not 15 <= len(compact) <= 34:
        return False
    rearranged = compact[4:] + compact[:4]
    number = "".join(str(int(char, 36)) for char in rearranged)
    return int(number) % 97 == 1


def _old_looks_like_phone(match: re.Match[str], text: str) -> bool:
    raw = match.group(0).strip()
    digits = re.sub(r"\D", "", raw)
    if not 7 <= len(digits) <= 15:
        return False
    if _OLD_DATE_LIKE.match(raw) or _OLD_VERSION_LIKE.match(raw):
        return False
    before = text[max(0, match.start() - 30) : match.start()]
    if _OLD_NOT_PHONE_CONTEXT.search(before) and not _OLD_PHONE_CONTEXT.search(before):
        return False
    if raw.startswith(("+", "00", "(")):
        return len(digits) >= 8
    if _OLD_PHONE_CONTEXT.search(before):
        return True
    groups = [g for g in re.split(r"[ .()-]+", raw) if g]
    return len(groups) >= 2 and len(digits) >= 9 and all(2 <= len(g) <= 5 for g in groups[1:])


def old_mask_pii(text: str) -> tuple[str, dict[str, int]]:
    counts: Counter[str] = Counter()

    def replace_email(match: re.Match[str]) -> str:
        counts["email"] += 1
        return "[email]"

    def replace_iban(match: re.Match[str]) -> str:
        if not _old_iban_valid(match.group(0)):
            return match.group(0)
        counts["iban"] += 1
        return "[iban]"

    def replace_card(match: re.Match[str]) -> str:
        digits = re.sub(r"\D", "", match.group(0))
        if not (13 <= len(digits) <= 19 and _old_luhn_valid(digits)):
            return match.group(0)
        counts["card"] += 1
        return "[card]"

    def replace_phone(match: re.Match[str]) -> str:
        if not _old_looks_like_phone(match, text_now):
            return match.group(0)
        counts["phone"] += 1
        trailing = match.group(0)[len(match.group(0).rstrip()) :]
        return "[phone]" + trailing

    masked = _OLD_EMAIL.sub(replace_email, text)
    masked = _OLD_IBAN.sub(replace_iban, masked)
    masked = _OLD_CARD.sub(replace_card, masked)
    text_now = masked
    masked = _OLD_PHONE.sub(replace_phone, masked)
    return masked, dict(counts)


# --- throughput ---------------------------------------------------------------------------

WORDS = [
    "export",
    "dashboard",
    "slow",
    "invoice",
    "approval",
    "sync",
    "netsuite",
    "salesforce",
    "sso",
    "okta",
    "permission",
    "report",
    "mobile",
    "crash",
    "login",
    "filter",
    "csv",
    "excel",
    "duplicate",
    "currency",
    "tax",
    "webhook",
    "api",
    "timeout",
    "search",
    "the",
    "it",
    "when",
    "we",
    "our",
    "after",
    "again",
    "since",
    "users",
    "team",
]


def import_mix(n: int, seed: int = 1) -> list[str]:
    """Rows like those bench/imports.py imports (words only), 40 words each."""
    rng = random.Random(seed)
    return [
        "Customer says the " + " ".join(rng.choice(WORDS) for _ in range(40)) + "."
        for _ in range(n)
    ]


def digits_mix(n: int, seed: int = 2) -> list[str]:
    """Feedback where every item carries numbers, a fifth of them a phone or a card."""
    rng = random.Random(seed)
    numbers = [
        lambda: f"order {rng.randint(10**9, 10**10 - 1)}",
        lambda: f"ticket #{rng.randint(10**4, 10**7)}",
        lambda: f"since 2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        lambda: f"at {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}",
        lambda: f"${rng.randint(1, 9)},{rng.randint(100, 999)}.00",
        lambda: f"{rng.randint(2, 900)} 000 events",
        lambda: f"version {rng.randint(1, 12)}.{rng.randint(0, 9)}.{rng.randint(0, 30)}",
        lambda: f"tracking 1Z{rng.randint(10**15, 10**16 - 1)}",
        lambda: f"invoice INV-{rng.randint(10**5, 10**6 - 1)}",
    ]
    pii = [
        lambda: f"call me on +44 20 7946 {rng.randint(1000, 9999)}",
        lambda: f"my cell is ({rng.randint(201, 989)}) 555-{rng.randint(1000, 9999)}",
        lambda: "card 4111 1111 1111 1111",
        lambda: f"ring 07700 900{rng.randint(100, 999)}",
    ]
    items = []
    for _ in range(n):
        words = [rng.choice(WORDS) for _ in range(40)]
        for _ in range(rng.randint(1, 3)):
            words.insert(rng.randrange(len(words)), rng.choice(numbers)())
        if rng.random() < 0.2:
            words.insert(rng.randrange(len(words)), rng.choice(pii)())
        items.append(" ".join(words) + ".")
    return items


def phone_shaped_ids(n: int, seed: int = 3) -> list[str]:
    """Random digits in the shapes phone numbers are written in, with no word saying what
    they are: how often a region list takes such an id for a phone is its precision cost."""
    rng = random.Random(seed)
    shapes = [(3, 3, 4), (4, 3, 3), (2, 2, 2, 2, 2), (5, 6), (4, 4), (3, 4), (4, 6), (3, 3, 3)]
    separators = [" ", "-", "."]
    items = []
    for _ in range(n):
        shape = rng.choice(shapes)
        groups = ["".join(rng.choice("0123456789") for _ in range(size)) for size in shape]
        template = rng.choice(["{} in the export", "got {} back", "{}", "Bob - {} - thanks"])
        items.append(template.format(rng.choice(separators).join(groups)))
    return items


def throughput(masker: Masker, items: Sequence[str], repeat: int) -> float:
    """Median texts per second, each repeat as cold as the first: the cache of phone
    numbers already checked is emptied, as the same texts come round again."""
    rates = []
    for _ in range(repeat):
        _valid_in.cache_clear()
        started = time.perf_counter()
        for item in items:
            masker(item)
        rates.append(len(items) / (time.perf_counter() - started))
    return statistics.median(rates)


def with_regions(regions: Sequence[str]) -> Masker:
    return lambda text: mask_pii(text, regions=regions)


def quality(cases: Sequence[Case], misses: str | None) -> None:
    print(f"corpus: {len(cases)} cases ({CORPUS.relative_to(ROOT)})")
    print(f"{'masker':<10} {'set':<7} {'kind':<6} {'precision':>9} {'recall':>7} {'marked':>7}")
    maskers = (("huddle", with_regions(DEFAULT_PHONE_REGIONS)), ("old regex", old_mask_pii))
    for name, masker in maskers:
        for which in ("tune", "report"):
            shown: list[str] | None = [] if misses == which and name == "huddle" else None
            half = [c for c in cases if c.set == which]
            s = score(half, masker, shown)
            for kind in (*KINDS, None):
                marked = s.expected[kind] if kind else sum(s.expected.values())
                print(
                    f"{name:<10} {which:<7} {kind or 'all':<6} {s.precision(kind):>9.3f} "
                    f"{s.recall(kind):>7.3f} {marked:>7}"
                )
            negatives = [c for c in half if not c.spans]
            kept = sum(masker(c.text)[0] == c.text for c in negatives)
            print(
                f"{name:<10} {which:<7} exactly as expected {s.exact}/{s.cases}; "
                f"negatives unchanged {kept}/{len(negatives)}"
            )
            if shown:
                print("\n".join(shown))


def region_lists(cases: Sequence[Case], items: int, repeat: int) -> None:
    """What each region added costs: speed on numbers-heavy text, ids taken for phones."""
    lists: list[tuple[str, tuple[str, ...]]] = [
        ("none (+/00 only)", ()),
        ("US", ("US",)),
        ("US,GB,DE,FR", ("US", "GB", "DE", "FR")),
        (f"default ({len(DEFAULT_PHONE_REGIONS)})", DEFAULT_PHONE_REGIONS),
        (f"all ({len(SUPPORTED_REGIONS)})", tuple(sorted(SUPPORTED_REGIONS))),
    ]
    mix = digits_mix(items)
    ids = phone_shaped_ids(2_000)
    print("\nphone regions: corpus phone precision/recall per half; of 2,000 random phone-shaped")
    print("ids with no word around them, the share masked and texts/s; digits-mix texts/s and")
    print(f"seconds per 100k ({items:,} items, median of {repeat})")
    print(
        f"{'regions':<18} {'tune P':>7} {'tune R':>7} {'rep. P':>7} {'rep. R':>7} "
        f"{'ids masked':>10} {'ids/s':>7} {'texts/s':>8} {'s/100k':>7}"
    )
    for label, regions in lists:
        masker = with_regions(regions)
        figures = []
        for which in ("tune", "report"):
            s = score([c for c in cases if c.set == which], masker)
            figures += [s.precision("phone"), s.recall("phone")]
        masked = sum(masker(text)[1].get("phone", 0) > 0 for text in ids) / len(ids)
        id_rate = throughput(masker, ids, repeat)
        # Every region is tried on every doubtful number: the full list is measured on a
        # tenth of the items to keep the run short.
        sample = mix if len(regions) <= len(DEFAULT_PHONE_REGIONS) else mix[: items // 10]
        rate = throughput(masker, sample, repeat)
        print(
            f"{label:<18} {figures[0]:>7.3f} {figures[1]:>7.3f} {figures[2]:>7.3f} "
            f"{figures[3]:>7.3f} {masked:>10.1%} {id_rate:>7,.0f} {rate:>8,.0f} "
            f"{100_000 / rate:>7.2f}"
        )


def speed(items: int, repeat: int) -> None:
    print(f"\nthroughput: {items:,} items of 40 words per mix, median of {repeat}")
    print(f"{'mix':<8} {'masker':<24} {'texts/s':>9} {'ms/1k':>7} {'s/100k':>7} {'time/old':>9}")
    current = with_regions(DEFAULT_PHONE_REGIONS)
    for mix, texts in (("import", import_mix(items)), ("digits", digits_mix(items))):
        old = throughput(old_mask_pii, texts, repeat)
        new = throughput(current, texts, repeat)
        for label, rate in (("old regex", old), ("huddle (default regions)", new)):
            print(
                f"{mix:<8} {label:<24} {rate:>9,.0f} {1e6 / rate:>7.1f} "
                f"{100_000 / rate:>7.2f} {old / rate:>8.2f}x"
            )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--items", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--misses", choices=["tune", "report"], help="print that half's misses")
    parser.add_argument("--skip-regions", action="store_true", help="skip the region lists")
    args = parser.parse_args()
    cases = load_cases()
    quality(cases, args.misses)
    if not args.skip_regions:
        region_lists(cases, args.items, args.repeat)
    speed(args.items, args.repeat)


if __name__ == "__main__":
    main()
