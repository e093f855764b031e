# ruff: noqa: RUF001, RUF003
# (The multiplication and division signs are part of the explanations.)
import math

import pytest

from huddle.ideas.formula import FormulaError
from huddle.ideas.scoring import (
    FRAMEWORKS,
    INPUTS,
    Criterion,
    CriterionError,
    CustomFramework,
    Score,
    custom_score,
    ice,
    rice,
    score,
    validate_custom,
    validate_inputs,
    wsjf,
)

# Worked examples published by others. Each figure is the source's own; confidence is
# entered as the fraction Huddle stores (80% as 0.8, and an ICE confidence of 7 as 0.7).


def test_rice_matches_a_published_example() -> None:
    # https://gh.r-mj.com/timeclick-software/awesome-time-tracking/blob/develop/details/rice-framework.md
    # Feature A: 2,000 customers a quarter, impact 2 (high), 80% confidence, 4 person-months
    # -> (2,000 × 2 × 0.8) / 4 = 800.
    values = {"reach": 2000, "impact": 2, "confidence": 0.8, "effort": 4}
    assert rice(values) == Score(
        framework="rice",
        value=800,
        missing=(),
        explanation="reach (2000) × impact (2) × confidence (0.8) ÷ effort (4) = 800",
        inputs=values,
    )


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        # https://www.extrapinchofsalt.com/pm/frameworks/rice-framework.html
        # Personalised release radar: reach 8M a quarter, impact 1, 80%, 2 months -> 3.2M.
        ({"reach": 8_000_000, "impact": 1, "confidence": 0.8, "effort": 2}, 3_200_000),
        # Collaborative playlist editing: reach 500K, impact 2, 60%, 3 months -> 200K.
        ({"reach": 500_000, "impact": 2, "confidence": 0.6, "effort": 3}, 200_000),
        # https://beginpm.com/asking/what-is-the-rice-scoring-model
        # Feature A: (1000 × 2 × 0.8) / 5 = 320; B: (500 × 1 × 0.9) / 2 = 225;
        # C: (2000 × 1 × 0.7) / 8 = 175.
        ({"reach": 1000, "impact": 2, "confidence": 0.8, "effort": 5}, 320),
        ({"reach": 500, "impact": 1, "confidence": 0.9, "effort": 2}, 225),
        ({"reach": 2000, "impact": 1, "confidence": 0.7, "effort": 8}, 175),
    ],
)
def test_rice_matches_more_published_examples(values: dict[str, float], expected: float) -> None:
    assert rice(values).value == pytest.approx(expected)


def test_ice_matches_a_published_example() -> None:
    # https://retrospective-lab.vercel.app/en/tools/ice-calculator
    # Idea A, an onboarding email sequence: impact 8, confidence 7, ease 6 -> 8 × 7 × 6 = 336.
    # Idea B, a brand-new dashboard: impact 9, confidence 4, ease 2 -> 72. A ranks first.
    onboarding = ice({"impact": 8, "confidence": 0.7, "ease": 6})
    dashboard = ice({"impact": 9, "confidence": 0.4, "ease": 2})
    assert onboarding.value == pytest.approx(336)
    assert dashboard.value == pytest.approx(72)
    assert onboarding.explanation == "impact (8) × confidence (0.7) × 10 × ease (6) = 336"
    assert dashboard.explanation == "impact (9) × confidence (0.4) × 10 × ease (2) = 72"


def test_one_confidence_serves_rice_and_ice() -> None:
    values = {"reach": 100, "impact": 5, "confidence": 0.5, "effort": 1, "ease": 4}
    assert rice(values).value == 100 * 5 * 0.5 / 1
    assert ice(values).value == 5 * (0.5 * 10) * 4


def test_wsjf_matches_a_published_example() -> None:
    # The formula: https://www.scaledagileframework.com/wsjf/ — cost of delay (user-business
    # value + time criticality + risk reduction-opportunity enablement) divided by job size.
    # The figures: https://www.novacalculator.com/costofdelaywsjfprioritizationcalculator/
    # (Example 1): New Dashboard 8 + 4 + 3 = 15 ÷ 5 = 3.0; Security Patch 5 + 9 + 8 = 22 ÷ 2
    # = 11.0; API Refactor 4 + 3 + 7 = 14 ÷ 8 = 1.75; Mobile App 9 + 5 + 4 = 18 ÷ 8 = 2.25;
    # "Security Patch first".
    features = {
        "New Dashboard": (8, 4, 3, 5),
        "Security Patch": (5, 9, 8, 2),
        "API Refactor": (4, 3, 7, 8),
        "Mobile App": (9, 5, 4, 8),
    }
    scores = {
        title: wsjf(
            {
                "business_value": value,
                "time_criticality": criticality,
                "risk_reduction": risk,
                "effort": size,
            }
        )
        for title, (value, criticality, risk, size) in features.items()
    }
    assert {title: result.value for title, result in scores.items()} == {
        "New Dashboard": 3.0,
        "Security Patch": 11.0,
        "API Refactor": 1.75,
        "Mobile App": 2.25,
    }
    ranked = sorted(scores, key=lambda title: scores[title].value or 0, reverse=True)
    assert ranked == ["Security Patch", "New Dashboard", "Mobile App", "API Refactor"]
    assert scores["Security Patch"].explanation == (
        "(business_value (5) + time_criticality (9) + risk_reduction (8)) ÷ effort (2) = 11"
    )


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        # https://beginpm.com/asking/what-is-wsjf-in-agile
        # Task A: (100 + 50 + 20) / 10 = 17; Task B: (80 + 30 + 10) / 5 = 24.
        ((100, 50, 20, 10), 17),
        ((80, 30, 10, 5), 24),
    ],
)
def test_wsjf_matches_more_published_examples(
    values: tuple[float, float, float, float], expected: float
) -> None:
    business_value, time_criticality, risk_reduction, effort = values
    result = wsjf(
        {
            "business_value": business_value,
            "time_criticality": time_criticality,
            "risk_reduction": risk_reduction,
            "effort": effort,
        }
    )
    assert result.value == expected


def test_score_runs_the_framework_it_is_named() -> None:
    values = {
        "reach": 300,
        "impact": 1,
        "confidence": 0.5,
        "effort": 3,
        "ease": 7,
        "business_value": 8,
        "time_criticality": 2,
        "risk_reduction": 2,
    }
    assert score("rice", values) == rice(values)
    assert score("ice", values) == ice(values)
    assert score("wsjf", values) == wsjf(values)
    assert [score(name, values).value for name in ("rice", "ice", "wsjf")] == pytest.approx(
        [50, 35, 4]
    )
    assert FRAMEWORKS == ("rice", "ice", "wsjf", "custom")


def test_score_refuses_an_unknown_framework_and_custom_without_criteria() -> None:
    with pytest.raises(ValueError, match=r"^unknown framework 'moscow' \(known: rice, ice"):
        score("moscow", {})
    with pytest.raises(ValueError, match="needs the workspace's criteria"):
        score("custom", {})


def test_missing_inputs_give_no_value_and_are_listed() -> None:
    values = {"reach": 2000, "impact": 2, "confidence": None, "ease": 3}
    assert rice(values) == Score(
        "rice",
        None,
        ("confidence", "effort"),
        "RICE needs a value for confidence and effort",
        {"reach": 2000, "impact": 2},
    )
    assert ice(values) == Score(
        "ice", None, ("confidence",), "ICE needs a value for confidence", {"impact": 2, "ease": 3}
    )
    assert wsjf({}) == Score(
        "wsjf",
        None,
        ("business_value", "time_criticality", "risk_reduction", "effort"),
        "WSJF needs a value for business_value, time_criticality, risk_reduction and effort",
        {},
    )


def test_a_zero_value_is_not_missing() -> None:
    result = rice({"reach": 0, "impact": 2, "confidence": 0.8, "effort": 4})
    assert (result.value, result.missing) == (0, ())


def test_out_of_range_inputs_give_no_value_and_say_why() -> None:
    assert rice({"reach": 100, "impact": 1, "confidence": 0.5, "effort": 0}) == Score(
        "rice",
        None,
        (),
        "RICE cannot be computed: effort must be more than 0 (the scores divide by it)",
        {"reach": 100, "impact": 1, "confidence": 0.5, "effort": 0},
    )
    result = ice({"impact": 5, "confidence": 80, "ease": -1})
    assert result.value is None
    assert result.explanation == (
        "ICE cannot be computed: confidence is a fraction from 0 to 1: enter 80% as 0.8; "
        "ease cannot be negative"
    )


def test_validate_inputs_names_each_field_out_of_range() -> None:
    assert validate_inputs(
        {
            "reach": -5,
            "impact": -1,
            "confidence": 1.5,
            "effort": 0,
            "business_value": -2,
            "time_criticality": math.inf,
            "risk_reduction": math.nan,
            "ease": "7",  # type: ignore[dict-item]
        }
    ) == {
        "reach": "reach cannot be negative",
        "impact": "impact cannot be negative",
        "confidence": "confidence is a fraction from 0 to 1: enter 1.5% as 0.015",
        "effort": "effort must be more than 0 (the scores divide by it)",
        "business_value": "business_value cannot be negative",
        "time_criticality": "time_criticality must be a finite number",
        "risk_reduction": "risk_reduction must be a finite number",
        "ease": "ease must be a number",
    }


@pytest.mark.parametrize(
    ("values", "problems"),
    [
        ({"effort": -2}, {"effort": "effort must be more than 0 (the scores divide by it)"}),
        (
            {"confidence": 80},
            {"confidence": "confidence is a fraction from 0 to 1: enter 80% as 0.8"},
        ),
        ({"confidence": -0.1}, {"confidence": "confidence must be from 0 to 1 (80% is 0.8)"}),
        ({"confidence": 250}, {"confidence": "confidence must be from 0 to 1 (80% is 0.8)"}),
        ({"effort": True}, {"effort": "effort must be a number"}),
    ],
)
def test_validate_inputs_refusals(values: dict[str, float], problems: dict[str, str]) -> None:
    assert validate_inputs(values) == problems


def test_validate_inputs_accepts_the_edges_and_leaves_other_fields_alone() -> None:
    assert (
        validate_inputs(
            {
                "reach": 0,
                "impact": 0.25,
                "confidence": 0,
                "effort": 0.5,
                "business_value": 0,
                "time_criticality": 0,
                "risk_reduction": 0,
                "ease": 0,
                "title": "not a number, not an input",  # type: ignore[dict-item]
                "arr": -1,
            }
        )
        == {}
    )
    assert validate_inputs({"confidence": 1, "effort": None}) == {}
    assert set(INPUTS) >= {"reach", "impact", "confidence", "effort"}


FIT = Criterion("strategic_fit", "Strategic fit", weight=2)
COST = Criterion("cost", "Cost", weight=1, low=1, high=5, higher_is_better=False)
REVENUE = Criterion("revenue", "Revenue", weight=1, low=0, high=100_000)


def test_the_custom_weighted_sum_is_a_0_to_100_score() -> None:
    framework = CustomFramework((FIT, COST, REVENUE))
    values = {"strategic_fit": 4, "cost": 2, "revenue": 25_000}
    # Fit (4 - 1) / (5 - 1) = 0.75 × 2 = 1.5; cost, lower is better: 1 - (2 - 1) / 4 = 0.75
    # × 1; revenue 25,000 / 100,000 = 0.25 × 1. (1.5 + 0.75 + 0.25) / 4 × 100 = 62.5.
    assert custom_score(values, framework) == Score(
        "custom",
        62.5,
        (),
        "Strategic fit 4 on 1 to 5 scores 0.75 × weight 2; "
        "Cost 2 on 1 to 5, lower is better, scores 0.75 × weight 1; "
        "Revenue 25000 on 0 to 100000 scores 0.25 × weight 1; "
        "2.5 ÷ total weight 4 × 100 = 62.5",
        values,
    )
    assert score("custom", values, framework) == custom_score(values, framework)


def test_the_custom_weighted_sum_spans_0_to_100() -> None:
    framework = CustomFramework((FIT, COST))
    assert custom_score({"strategic_fit": 5, "cost": 1}, framework).value == 100
    assert custom_score({"strategic_fit": 1, "cost": 5}, framework).value == 0


def test_a_custom_score_needs_every_criterion_and_names_the_missing() -> None:
    framework = CustomFramework((FIT, COST, REVENUE))
    assert custom_score({"cost": 2}, framework) == Score(
        "custom",
        None,
        ("strategic_fit", "revenue"),
        "the custom score needs a value for Strategic fit and Revenue",
        {"cost": 2},
    )


def test_a_custom_value_outside_its_scale_gives_no_value() -> None:
    framework = CustomFramework((FIT, COST))
    result = custom_score({"strategic_fit": 6, "cost": 0}, framework)
    assert result.value is None
    assert result.explanation == (
        "the custom score cannot be computed: Strategic fit must be from 1 to 5, not 6; "
        "Cost must be from 1 to 5, not 0"
    )


def test_validate_inputs_checks_custom_criteria_against_their_scales() -> None:
    framework = CustomFramework((FIT, COST))
    assert validate_inputs({"strategic_fit": 5.5, "cost": 1, "reach": -1}, framework) == {
        "strategic_fit": "Strategic fit must be from 1 to 5, not 5.5",
        "reach": "reach cannot be negative",
    }


def test_a_custom_formula_runs_over_the_raw_values_it_names() -> None:
    framework = validate_custom([FIT, COST, REVENUE], "revenue * strategic_fit / cost")
    values = {"strategic_fit": 4, "cost": 2, "revenue": 25_000}
    assert custom_score(values, framework) == Score(
        "custom",
        50_000,
        (),
        "revenue (25000) × strategic_fit (4) ÷ cost (2) = 50000",
        values,
    )
    # Only what the formula names is needed.
    partial = validate_custom([FIT, COST, REVENUE], "strategic_fit * 10")
    assert custom_score({"strategic_fit": 3}, partial).value == 30
    assert custom_score({}, partial).missing == ("strategic_fit",)


def test_a_custom_formula_that_cannot_be_evaluated_gives_no_value() -> None:
    framework = validate_custom(
        [FIT, Criterion("risk", "Risk", 1, low=0, high=5)], "strategic_fit / risk"
    )
    result = custom_score({"strategic_fit": 3, "risk": 0}, framework)
    assert result == Score(
        "custom",
        None,
        (),
        "the custom score cannot be computed: division by zero: risk is 0",
        {"strategic_fit": 3, "risk": 0},
    )


def test_validate_custom_returns_the_framework_with_names_in_lower_case() -> None:
    framework = validate_custom(
        [Criterion(" Strategic_Fit ", " Strategic fit ", 2), COST], "STRATEGIC_FIT - Cost"
    )
    assert framework.criteria == (FIT, COST)
    assert framework.formula is not None
    assert framework.formula.names == frozenset({"strategic_fit", "cost"})
    assert validate_custom([FIT], None) == CustomFramework((FIT,), None)
    assert validate_custom([FIT], "  ") == CustomFramework((FIT,), None)


@pytest.mark.parametrize(
    ("criteria", "message", "index", "field"),
    [
        (
            [FIT, Criterion("Strategic_fit", "Fit again", 1)],
            "two criteria are named 'strategic_fit'",
            1,
            "name",
        ),
        (
            [Criterion("strategic fit", "Strategic fit", 1)],
            "the criterion name 'strategic fit' must start with a letter or _ and hold only "
            "letters, digits and _ (e.g. strategic_fit)",
            0,
            "name",
        ),
        (
            [Criterion("2fast", "Speed", 1)],
            "the criterion name '2fast' must start with a letter or _ and hold only "
            "letters, digits and _ (e.g. strategic_fit)",
            0,
            "name",
        ),
        (
            [Criterion("x" * 41, "Long", 1)],
            f"the criterion name '{'x' * 41}' is 41 characters long; the most is 40",
            0,
            "name",
        ),
        (
            [Criterion("max", "Maximum", 1)],
            "the criterion name 'max' is a function of the formula language; choose another",
            0,
            "name",
        ),
        ([Criterion("fit", "  ", 1)], "the criterion 'fit' needs a label", 0, "label"),
        (
            [FIT, Criterion("fun", "Fun", 0)],
            "the weight of Fun must be more than 0, not 0",
            1,
            "weight",
        ),
        (
            [Criterion("fun", "Fun", -1)],
            "the weight of Fun must be more than 0, not -1",
            0,
            "weight",
        ),
        (
            [Criterion("fun", "Fun", math.nan)],
            "the weight of Fun must be more than 0, not nan",
            0,
            "weight",
        ),
        (
            [Criterion("fun", "Fun", 1, low=5, high=5)],
            "the scale of Fun must run from a lower to a higher number, not 5 to 5",
            0,
            "high",
        ),
        (
            [Criterion("fun", "Fun", 1, low=10, high=1)],
            "the scale of Fun must run from a lower to a higher number, not 10 to 1",
            0,
            "high",
        ),
        (
            [Criterion("fun", "Fun", 1, low=-math.inf)],
            "the scale of Fun must be finite numbers",
            0,
            "low",
        ),
    ],
)
def test_validate_custom_refuses_unusable_criteria(
    criteria: list[Criterion], message: str, index: int, field: str
) -> None:
    with pytest.raises(CriterionError) as caught:
        validate_custom(criteria, None)
    assert str(caught.value) == message
    assert (caught.value.index, caught.value.field) == (index, field)
    assert isinstance(caught.value, ValueError)


def test_validate_custom_needs_a_criterion() -> None:
    with pytest.raises(ValueError, match=r"^a custom framework needs at least one criterion$"):
        validate_custom([], None)


def test_validate_custom_refuses_a_formula_naming_what_is_not_a_criterion() -> None:
    with pytest.raises(FormulaError) as caught:
        validate_custom([FIT, COST], "strategic_fit * reach / cost")
    assert str(caught.value) == ("unknown name 'reach' at position 16 (known: cost, strategic_fit)")
    assert caught.value.position == 16
    with pytest.raises(FormulaError, match=r"^the formula is 501 characters long"):
        validate_custom([FIT], "1" * 501)
