"""The maths of an A/B test of conversion rates: each variant against the control.

- effect: the difference of conversion rates (variant - control), and relative to the
  control's rate.
- ci_low, ci_high: the 95% Wald interval of that difference (unpooled standard error). It
  is the interval every A/B calculator prints and readers can redo by hand; it is too
  narrow only for tiny samples or rates near 0 or 1, where the verdict says the sample is
  too small anyway.
- p_value: two-sided, of the two-proportion z-test with the pooled rate (the same test as
  a 2x2 chi-square without continuity correction).
- prob_better: the probability that the variant's true rate is above the control's, with
  uniform Beta(1, 1) priors, computed exactly (Evan Miller, "Formulas for Bayesian A/B
  testing"): a finite sum, deterministic, no sampling.
- srm_p_value: the sample-ratio-mismatch check: chi-square goodness of fit of the exposures
  against the planned split (equal shares when none is given). A small value means the
  split itself went wrong and no other figure can be trusted.

Pure: no database, no I/O beyond parsing text handed in.
"""

import csv
import io
import math
from dataclasses import asdict, dataclass, field
from typing import Any

from huddle.errors import Invalid

Z_95 = 1.959963984540054  # the 97.5th percentile of the standard normal
SIGNIFICANCE = 0.05
SRM_THRESHOLD = 0.001  # the usual SRM alarm: a split this unlikely is a broken split
MIN_EXPOSURES = 100  # per variant, below which no verdict is drawn


@dataclass(frozen=True)
class Variant:
    name: str
    exposures: int
    conversions: int
    expected_share: float | None = None
    # The line of the file it came from, for errors (None when entered by hand).
    line: int | None = field(default=None, compare=False)

    @property
    def rate(self) -> float:
        return self.conversions / self.exposures if self.exposures else 0.0


@dataclass(frozen=True)
class Comparison:
    """One variant against the control."""

    variant: str
    exposures: int
    conversions: int
    rate: float
    effect: float
    relative_effect: float | None
    ci_low: float
    ci_high: float
    p_value: float
    prob_better: float
    srm_p_value: float
    verdict: str


@dataclass(frozen=True)
class Analysis:
    control: Variant
    comparisons: list[Comparison]
    srm_p_value: float
    verdict: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "control": {
                "variant": self.control.name,
                "exposures": self.control.exposures,
                "conversions": self.control.conversions,
                "expected_share": self.control.expected_share,
                "rate": self.control.rate,
            },
            "srm_p_value": self.srm_p_value,
            "verdict": self.verdict,
            "variants": [asdict(c) for c in self.comparisons],
        }


# -- distributions ---------------------------------------------------------------------------


def normal_sf(z: float) -> float:
    """P(Z > z) for a standard normal Z, accurate in the far tail (erfc, not 1 - cdf)."""
    return 0.5 * math.erfc(z / math.sqrt(2.0))


def regularized_gamma_q(a: float, x: float) -> float:
    """Q(a, x) = Γ(a, x) / Γ(a): the series below a + 1, Lentz's continued fraction above
    (Numerical Recipes, 3rd ed., §6.2)."""
    if a <= 0:
        raise ValueError("a must be positive")
    if x <= 0:
        return 1.0
    log_front = a * math.log(x) - x - math.lgamma(a)
    if x < a + 1.0:
        term = total = 1.0 / a
        n = a
        for _ in range(10_000):
            n += 1.0
            term *= x / n
            total += term
            if abs(term) < abs(total) * 1e-16:
                break
        return max(0.0, 1.0 - total * math.exp(log_front))
    tiny = 1e-300
    b = x + 1.0 - a
    c = 1.0 / tiny
    d = 1.0 / b
    h = d
    for i in range(1, 10_000):
        an = -i * (i - a)
        b += 2.0
        d = an * d + b
        d = tiny if abs(d) < tiny else d
        c = b + an / c
        c = tiny if abs(c) < tiny else c
        d = 1.0 / d
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < 1e-16:
            break
    return min(1.0, math.exp(log_front) * h)


def chi_square_sf(statistic: float, df: int) -> float:
    """P(X > statistic) for X chi-square with df degrees of freedom."""
    return regularized_gamma_q(df / 2.0, statistic / 2.0)


def _log_beta(a: float, b: float) -> float:
    return math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b)


def prob_beta_greater(a_b: int, b_b: int, a_a: int, b_a: int) -> float:
    """P(p_B > p_A) for p_B ~ Beta(a_b, b_b), p_A ~ Beta(a_a, b_a), integer parameters:
    Σ_{i=0}^{a_b-1} B(a_a+i, b_a+b_b) / ((b_b+i) B(1+i, b_b) B(a_a, b_a)). The sum runs over
    the smaller first parameter (P(B > A) = 1 - P(A > B): ties have probability 0)."""
    if a_b > a_a:
        return 1.0 - prob_beta_greater(a_a, b_a, a_b, b_b)
    log_base = _log_beta(a_a, b_a)
    total = 0.0
    for i in range(a_b):
        total += math.exp(
            _log_beta(a_a + i, b_a + b_b) - math.log(b_b + i) - _log_beta(1 + i, b_b) - log_base
        )
    return min(1.0, max(0.0, total))


# -- tests -----------------------------------------------------------------------------------


def two_proportion_p_value(control: Variant, variant: Variant) -> float:
    """Two-sided p-value of the pooled two-proportion z-test."""
    pooled = (control.conversions + variant.conversions) / (control.exposures + variant.exposures)
    se = math.sqrt(pooled * (1 - pooled) * (1 / control.exposures + 1 / variant.exposures))
    if se == 0:
        return 1.0  # both all-or-nothing at the same rate: no evidence of a difference
    z = (variant.rate - control.rate) / se
    return min(1.0, 2 * normal_sf(abs(z)))


def wald_interval(control: Variant, variant: Variant) -> tuple[float, float]:
    effect = variant.rate - control.rate
    se = math.sqrt(
        control.rate * (1 - control.rate) / control.exposures
        + variant.rate * (1 - variant.rate) / variant.exposures
    )
    return effect - Z_95 * se, effect + Z_95 * se


def sample_ratio_p_value(variants: list[Variant]) -> float:
    """Chi-square goodness of fit of the exposures against the planned shares."""
    shares = [v.expected_share for v in variants]
    if any(s is None for s in shares):
        weights = [1.0] * len(variants)
    else:
        weights = [float(s) for s in shares if s is not None]
    total_weight = sum(weights)
    total = sum(v.exposures for v in variants)
    statistic = 0.0
    for variant, weight in zip(variants, weights, strict=True):
        expected = total * weight / total_weight
        statistic += (variant.exposures - expected) ** 2 / expected
    return chi_square_sf(statistic, len(variants) - 1)


# -- the analysis ----------------------------------------------------------------------------


def _percent(value: float) -> str:
    return f"{value * 100:+.2f} points"


def _verdict(c: Comparison, control: Variant, srm: float) -> str:
    if srm < SRM_THRESHOLD:
        return (
            f"Do not trust this result: the exposures do not match the planned split "
            f"(sample-ratio mismatch, p = {srm:.2g}); find out why before deciding."
        )
    if min(c.exposures, control.exposures) < MIN_EXPOSURES:
        return (
            f"Too early to tell: fewer than {MIN_EXPOSURES} exposures in a variant; "
            "keep the test running."
        )
    interval = f"95% interval {_percent(c.ci_low)} to {_percent(c.ci_high)}"
    if c.p_value < SIGNIFICANCE and c.effect > 0:
        return (
            f"Supports shipping {c.variant}: it converts better than the control "
            f"({_percent(c.effect)}, {interval}, p = {c.p_value:.3g}; "
            f"{c.prob_better:.1%} likely better)."
        )
    if c.p_value < SIGNIFICANCE and c.effect < 0:
        return (
            f"Does not support shipping {c.variant}: it converts worse than the control "
            f"({_percent(c.effect)}, {interval}, p = {c.p_value:.3g})."
        )
    return (
        f"No clear difference yet for {c.variant} ({_percent(c.effect)}, {interval}, "
        f"p = {c.p_value:.3g}; {c.prob_better:.1%} likely better): not enough evidence "
        "to ship on this metric alone."
    )


def validate(variants: list[Variant]) -> None:
    """Raise Invalid naming the variant, and its line when it came from a file."""
    if len(variants) < 2:
        raise Invalid("an experiment needs a control and at least one variant", field="variants")
    seen: set[str] = set()
    for number, v in enumerate(variants, start=1):
        where = f"line {v.line}" if v.line is not None else f"variant {number}"
        if not v.name.strip():
            raise Invalid(f"{where}: variant: a name is required", field="variant")
        where = f"{where} ({v.name})"
        if v.name in seen:
            raise Invalid(f"{where}: variant: the name appears twice", field="variant")
        seen.add(v.name)
        if v.exposures < 0:
            raise Invalid(f"{where}: exposures: must not be negative", field="exposures")
        if v.conversions < 0:
            raise Invalid(f"{where}: conversions: must not be negative", field="conversions")
        if v.exposures == 0:
            raise Invalid(
                f"{where}: exposures: the variant is empty (0 exposures)", field="exposures"
            )
        if v.conversions > v.exposures:
            raise Invalid(
                f"{where}: conversions: {v.conversions} is more than its {v.exposures} exposures",
                field="conversions",
            )
        if v.expected_share is not None and not (
            v.expected_share > 0 and math.isfinite(v.expected_share)
        ):
            raise Invalid(f"{where}: expected_share: must be above 0", field="expected_share")
    given = [v.expected_share is not None for v in variants]
    if any(given) and not all(given):
        raise Invalid(
            "expected_share: give it for every variant or for none", field="expected_share"
        )


def analyze(variants: list[Variant]) -> Analysis:
    """Every variant after the first against the first (the control)."""
    validate(variants)
    control, others = variants[0], variants[1:]
    srm = sample_ratio_p_value(variants)
    comparisons: list[Comparison] = []
    for variant in others:
        low, high = wald_interval(control, variant)
        effect = variant.rate - control.rate
        draft = Comparison(
            variant=variant.name,
            exposures=variant.exposures,
            conversions=variant.conversions,
            rate=variant.rate,
            effect=effect,
            relative_effect=effect / control.rate if control.rate else None,
            ci_low=low,
            ci_high=high,
            p_value=two_proportion_p_value(control, variant),
            prob_better=prob_beta_greater(
                1 + variant.conversions,
                1 + variant.exposures - variant.conversions,
                1 + control.conversions,
                1 + control.exposures - control.conversions,
            ),
            srm_p_value=srm,
            verdict="",
        )
        comparisons.append(
            Comparison(**{**asdict(draft), "verdict": _verdict(draft, control, srm)})
        )
    return Analysis(
        control=control,
        comparisons=comparisons,
        srm_p_value=srm,
        verdict=_overall(comparisons, srm),
    )


def _overall(comparisons: list[Comparison], srm: float) -> str:
    if srm < SRM_THRESHOLD:
        return comparisons[0].verdict
    winners = [c for c in comparisons if c.p_value < SIGNIFICANCE and c.effect > 0]
    if winners:
        best = max(winners, key=lambda c: c.effect)
        return best.verdict
    if len(comparisons) == 1:
        return comparisons[0].verdict
    return "No variant beats the control clearly: not enough evidence to ship on this metric."


# -- reading a CSV ---------------------------------------------------------------------------

REQUIRED = ("variant", "exposures", "conversions")


def _count(text: str, line: int, name: str, column: str) -> int:
    cleaned = text.strip().replace(",", "").replace("_", "")
    try:
        return int(cleaned)
    except ValueError:
        raise Invalid(
            f"line {line} ({name}): {column}: {text.strip()!r} is not a whole number",
            field=column,
        ) from None


def parse_csv(text: str) -> list[Variant]:
    """Rows `variant,exposures,conversions[,expected_share]`, the control first."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    rows = [row for row in reader]
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise Invalid("the file is empty: expected a header variant,exposures,conversions")
    header = [cell.strip().lower() for cell in rows[0]]
    missing = [column for column in REQUIRED if column not in header]
    if missing:
        raise Invalid(
            f"line 1: missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
            "(expected variant,exposures,conversions[,expected_share])",
            field=missing[0],
        )
    where = {column: header.index(column) for column in header}
    variants: list[Variant] = []
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = row + [""] * (len(header) - len(row))
        name = cells[where["variant"]].strip()
        share: float | None = None
        if "expected_share" in where and cells[where["expected_share"]].strip():
            raw = cells[where["expected_share"]].strip().rstrip("%")
            try:
                share = float(raw)
            except ValueError:
                raise Invalid(
                    f"line {line} ({name}): expected_share: {raw!r} is not a number",
                    field="expected_share",
                ) from None
        variants.append(
            Variant(
                name=name,
                exposures=_count(cells[where["exposures"]], line, name, "exposures"),
                conversions=_count(cells[where["conversions"]], line, name, "conversions"),
                expected_share=share,
                line=line,
            )
        )
    return variants
