"""The experiment maths against published worked examples with known answers, and the
command a person runs on a CSV."""

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

from huddle.errors import Invalid
from huddle.launch.experiments import (
    Variant,
    analyze,
    chi_square_sf,
    normal_sf,
    parse_csv,
    prob_beta_greater,
    sample_ratio_p_value,
)

HUDDLE = [sys.executable, "-m", "huddle.cli.main"]


def compare(control: tuple[int, int], variant: tuple[int, int]) -> dict[str, float | None]:
    """(exposures, conversions) of each: the variant's figures against the control."""
    found = analyze([Variant("control", *control), Variant("variant", *variant)])
    row = found.comparisons[0]
    return {
        "effect": row.effect,
        "ci_low": row.ci_low,
        "ci_high": row.ci_high,
        "p_value": row.p_value,
        "prob_better": row.prob_better,
    }


# -- the normal and chi-square tails, against printed tables --------------------------------


@pytest.mark.parametrize(
    ("z", "two_sided"),
    # Any standard normal table: the familiar critical values of 10%, 5%, 1% and 0.1%.
    [(1.644854, 0.10), (1.959964, 0.05), (2.575829, 0.01), (3.290527, 0.001)],
)
def test_normal_tail_matches_the_table(z: float, two_sided: float) -> None:
    assert 2 * normal_sf(z) == pytest.approx(two_sided, rel=1e-5)


@pytest.mark.parametrize(
    ("statistic", "df", "p"),
    # Chi-square table (e.g. NIST/SEMATECH e-Handbook, 1.3.6.7.4, upper critical values).
    [
        (2.706, 1, 0.10),
        (3.841, 1, 0.05),
        (6.635, 1, 0.01),
        (5.991, 2, 0.05),
        (9.210, 2, 0.01),
        (7.815, 3, 0.05),
        (11.345, 3, 0.01),
        (18.307, 10, 0.05),
        (23.209, 10, 0.01),
        (43.773, 30, 0.05),
    ],
)
def test_chi_square_tail_matches_the_table(statistic: float, df: int, p: float) -> None:
    # The table prints three decimals of the statistic: its p-value agrees to ~0.1%.
    assert chi_square_sf(statistic, df) == pytest.approx(p, rel=2e-3)


def test_chi_square_with_one_degree_is_the_squared_normal() -> None:
    for statistic in (0.01, 0.5, 2.0, 10.0, 40.0):
        assert chi_square_sf(statistic, 1) == pytest.approx(
            2 * normal_sf(math.sqrt(statistic)), rel=1e-10
        )


# -- the two-proportion z-test (pooled, two-sided, no continuity correction) -----------------


@pytest.mark.parametrize(
    ("control", "variant", "p_value", "tolerance"),
    [
        # B. Gerstman, StatPrimer, exercises 9B (San José State University), key 9B.12:
        # Scandinavian Simvastatin Survival Study, 256/2223 vs 182/2221: z = 3.67, P = 2.0E-4.
        ((2223, 256), (2221, 182), 2.0e-4, 0.05e-4),
        # Key 9B.14, UGDP: 2/64 vs 26/204, P = 0.028 (not continuity-corrected).
        ((64, 2), (204, 26), 0.028, 0.0005),
        # Key 9B.16, drug testing of student athletes: 12/62 vs 5/95, z = 2.78, P = 0.0054.
        ((62, 12), (95, 5), 0.0054, 0.0001),
        # usablestats.com "Ask Stats" 866: 80/3303 vs 118/3303, z = 2.742, p = .00611.
        ((3303, 80), (3303, 118), 0.00611, 0.00001),
    ],
)
def test_two_proportion_p_value_matches_published_examples(
    control: tuple[int, int], variant: tuple[int, int], p_value: float, tolerance: float
) -> None:
    assert compare(control, variant)["p_value"] == pytest.approx(p_value, abs=tolerance)


def test_same_rates_give_no_evidence() -> None:
    assert compare((1000, 100), (1000, 100))["p_value"] == pytest.approx(1.0)
    assert compare((50, 0), (70, 0))["p_value"] == 1.0


# -- the 95% Wald interval of the difference ------------------------------------------------


@pytest.mark.parametrize(
    ("control", "variant", "low", "high"),
    [
        # R. G. Newcombe, "Interval estimation for the difference between independent
        # proportions: comparison of eleven methods", Statistics in Medicine 17 (1998)
        # 873-890, Table II, method 1 (simple asymptotic): (a) 56/70 - 48/80 gives
        # 0.0575 to 0.3425; (b) 9/10 - 3/10 gives 0.2605 to 0.9395.
        ((80, 48), (70, 56), 0.0575, 0.3425),
        ((10, 3), (10, 9), 0.2605, 0.9395),
    ],
)
def test_interval_matches_newcombe(
    control: tuple[int, int], variant: tuple[int, int], low: float, high: float
) -> None:
    found = compare(control, variant)
    assert found["ci_low"] == pytest.approx(low, abs=0.00006)
    assert found["ci_high"] == pytest.approx(high, abs=0.00006)
    assert found["effect"] == pytest.approx((low + high) / 2, abs=1e-12)


# -- the probability of being better, Beta(1, 1) priors --------------------------------------


def test_probability_of_being_better_matches_hand_integrals() -> None:
    # With no data both rates are uniform: 1/2 by symmetry. One conversion of one against
    # one of one failed: Beta(2,1) against Beta(1,2), ∫ 2x (2x - x²) dx = 5/6. One of one
    # against nothing: Beta(2,1) against Beta(1,1), ∫ 2x · x dx = 2/3.
    assert prob_beta_greater(1, 1, 1, 1) == pytest.approx(0.5, abs=1e-12)
    assert compare((1, 0), (1, 1))["prob_better"] == pytest.approx(5 / 6, abs=1e-12)
    assert prob_beta_greater(2, 1, 1, 1) == pytest.approx(2 / 3, abs=1e-12)
    assert prob_beta_greater(1, 1, 2, 1) == pytest.approx(1 / 3, abs=1e-12)


def _integrated(control: tuple[int, int], variant: tuple[int, int]) -> float:
    """P(B > A) by Simpson's rule over the densities: a different route to the same value."""
    a_a, b_a = 1 + control[1], 1 + control[0] - control[1]
    a_b, b_b = 1 + variant[1], 1 + variant[0] - variant[1]

    def density(x: float, a: int, b: int) -> float:
        if x <= 0 or x >= 1:
            return 0.0
        log = (a - 1) * math.log(x) + (b - 1) * math.log1p(-x)
        return math.exp(log - (math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b)))

    steps = 20_000
    h = 1.0 / steps
    cdf_a = 0.0
    total = 0.0
    previous = 0.0
    for i in range(1, steps + 1):
        x = i * h
        # The control's cdf by the trapezoid rule as we go; B's density weights it.
        current = density(x, a_a, b_a)
        cdf_a += (previous + current) * h / 2
        previous = current
        total += density(x, a_b, b_b) * cdf_a * h
    return total


@pytest.mark.parametrize(
    ("control", "variant"), [((1000, 200), (1000, 230)), ((400, 30), (380, 22)), ((60, 6), (55, 9))]
)
def test_probability_of_being_better_matches_numerical_integration(
    control: tuple[int, int], variant: tuple[int, int]
) -> None:
    exact = compare(control, variant)["prob_better"]
    assert exact == pytest.approx(_integrated(control, variant), abs=2e-3)


def test_probability_of_being_better_is_fast_and_bounded_for_big_tests() -> None:
    found = compare((1_000_000, 200_000), (1_000_000, 201_500))["prob_better"]
    assert found is not None
    # A normal approximation is excellent here: z = 0.0015 / sqrt(2 · 0.2 · 0.8 / 1e6).
    z = 0.0015 / math.sqrt(2 * 0.2 * 0.8 / 1_000_000)
    assert found == pytest.approx(1 - normal_sf(z), abs=1e-3)


# -- sample-ratio mismatch -------------------------------------------------------------------


def test_sample_ratio_check_against_the_planned_split() -> None:
    # Equal split, 10,000 against 10,200: chi² = 200² / 20,200 = 1.980, df 1 → p = 0.1594.
    even = [Variant("a", 10_000, 10), Variant("b", 10_200, 10)]
    assert sample_ratio_p_value(even) == pytest.approx(0.1594, abs=1e-4)
    # A 90/10 plan that ran 90/10 is fine; the same counts against 50/50 are a broken split.
    planned = [Variant("a", 9000, 10, 0.9), Variant("b", 1000, 10, 0.1)]
    assert sample_ratio_p_value(planned) == pytest.approx(1.0)
    assert sample_ratio_p_value([Variant("a", 9000, 10), Variant("b", 1000, 10)]) < 1e-100
    # Three arms, worked by hand: expected 1000 each,
    # observed 1000, 1060, 940 → chi² = 0 + 3.6 + 3.6 = 7.2, df 2 → p = e^(-3.6) = 0.02732.
    three = [Variant("a", 1000, 1), Variant("b", 1060, 1), Variant("c", 940, 1)]
    assert sample_ratio_p_value(three) == pytest.approx(math.exp(-3.6), rel=1e-9)


def test_a_broken_split_is_not_trusted_whatever_the_effect() -> None:
    found = analyze([Variant("control", 9000, 900), Variant("new", 1000, 200)])
    assert found.srm_p_value < 0.001
    assert found.verdict.startswith("Do not trust this result")


def test_verdicts_in_plain_words() -> None:
    win = analyze([Variant("control", 5000, 500), Variant("new", 5000, 600)])
    assert win.verdict.startswith("Supports shipping new")
    lose = analyze([Variant("control", 5000, 600), Variant("new", 5000, 500)])
    assert lose.verdict.startswith("Does not support shipping new")
    unclear = analyze([Variant("control", 5000, 500), Variant("new", 5000, 510)])
    assert unclear.verdict.startswith("No clear difference yet")
    early = analyze([Variant("control", 40, 4), Variant("new", 40, 9)])
    assert early.verdict.startswith("Too early to tell")


def test_relative_effect() -> None:
    found = analyze([Variant("control", 1000, 100), Variant("new", 1000, 120)])
    assert found.comparisons[0].relative_effect == pytest.approx(0.2)
    assert (
        analyze([Variant("c", 100, 0), Variant("v", 100, 3)]).comparisons[0].relative_effect is None
    )


# -- bad data ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "variant,exposures,conversions\nc,100,10\nv,-5,1\n",
            "line 3 (v): exposures: must not be negative",
        ),
        (
            "variant,exposures,conversions\nc,100,-1\nv,50,1\n",
            "line 2 (c): conversions: must not be negative",
        ),
        (
            "variant,exposures,conversions\nc,100,10\nv,50,51\n",
            "line 3 (v): conversions: 51 is more than its 50 exposures",
        ),
        (
            "variant,exposures,conversions\nc,100,10\nv,0,0\n",
            "line 3 (v): exposures: the variant is empty",
        ),
        ("variant,exposures\nc,100\n", "line 1: missing column conversions"),
        ("variant,exposures,conversions\nc,100,10\n", "needs a control and at least one variant"),
        (
            "variant,exposures,conversions\nc,100,ten\nv,50,1\n",
            "line 2 (c): conversions: 'ten' is not a whole number",
        ),
        (
            "variant,exposures,conversions,expected_share\nc,100,10,0.5\nv,50,1,\n",
            "expected_share: give it for every variant or for none",
        ),
        ("", "the file is empty"),
    ],
)
def test_bad_data_is_refused_naming_line_and_field(text: str, message: str) -> None:
    with pytest.raises(Invalid) as refused:
        analyze(parse_csv(text))
    assert message in refused.value.message


def test_reads_a_csv_with_a_planned_split() -> None:
    text = "Variant,Exposures,Conversions,Expected_share\ncontrol,9000,900,90\nnew,1000,120,10\n"
    variants = parse_csv(text)
    assert [(v.name, v.exposures, v.conversions, v.expected_share) for v in variants] == [
        ("control", 9000, 900, 90.0),
        ("new", 1000, 120, 10.0),
    ]
    assert analyze(variants).srm_p_value == pytest.approx(1.0)


# -- the command -----------------------------------------------------------------------------


def test_command_prints_every_figure_as_json(tmp_path: Path) -> None:
    file = tmp_path / "test.csv"
    file.write_text("variant,exposures,conversions\ncontrol,80,48\nnew,70,56\nother,75,45\n")
    done = subprocess.run(
        [*HUDDLE, "experiments", "analyze", str(file), "--json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    first, second = found["variants"]
    assert first["variant"] == "new"
    assert {
        "effect",
        "relative_effect",
        "ci_low",
        "ci_high",
        "p_value",
        "prob_better",
        "srm_p_value",
    } <= set(first)
    # Newcombe's example (a) again, through the command.
    assert (round(first["ci_low"], 4), round(first["ci_high"], 4)) == (0.0575, 0.3425)
    assert first["relative_effect"] == pytest.approx(0.2 / 0.6)
    assert second["effect"] == pytest.approx(0.0)
    assert first["srm_p_value"] == second["srm_p_value"] == found["srm_p_value"]
    text = subprocess.run(
        [*HUDDLE, "experiments", "analyze", str(file)], capture_output=True, text=True, timeout=120
    )
    assert text.returncode == 0
    assert "sample-ratio check" in text.stdout and "new" in text.stdout


def test_command_names_the_bad_line(tmp_path: Path) -> None:
    file = tmp_path / "bad.csv"
    file.write_text("variant,exposures,conversions\ncontrol,100,10\nnew,50,60\n")
    done = subprocess.run(
        [*HUDDLE, "experiments", "analyze", str(file)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 1
    assert "line 3 (new): conversions: 60 is more than its 50 exposures" in done.stderr
    assert done.stdout == ""
