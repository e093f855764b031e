"""The scoring frameworks a solution can be ranked by, each showing how its score was derived.

    RICE = reach × impact × confidence ÷ effort                       (Intercom)
    ICE  = impact × confidence × 10 × ease                            (Sean Ellis)
    WSJF = (business_value + time_criticality + risk_reduction) ÷ effort    (SAFe)
    custom: a workspace's own criteria, as a 0-100 weighted sum or through its own formula

One set of inputs serves all of them. `confidence` is a fraction from 0 to 1 (80% is 0.8),
as RICE uses it; ICE scores confidence from 1 to 10, so it uses confidence × 10. `effort` is
RICE's person-months and WSJF's job size. `impact` is entered on the scale of the framework
the team ranks by (RICE: 0.25 to 3; ICE: 1 to 10); multiplying every idea's impact, or
effort, by the same number changes no ranking, so one estimate serves both.

A score whose inputs are missing or out of range has no value (None) and says why; it never
raises, so one idea with a bad estimate cannot stop a whole list from ranking.
"""

# ruff: noqa: RUF001, RUF002
# (The multiplication and division signs are what a PM reads in an explanation.)

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from huddle.ideas.formula import FUNCTIONS, Formula, FormulaError, compile_formula, format_number

FRAMEWORKS = ("rice", "ice", "wsjf", "custom")
INPUTS = (
    "reach",
    "impact",
    "confidence",
    "effort",
    "business_value",
    "time_criticality",
    "risk_reduction",
    "ease",
)
MAX_NAME_LENGTH = 40
_NAME = re.compile(r"[a-z_][a-z0-9_]*")


@dataclass(frozen=True)
class _BuiltIn:
    title: str
    needs: tuple[str, ...]
    formula: Formula


_BUILT_IN = {
    "rice": _BuiltIn(
        "RICE",
        ("reach", "impact", "confidence", "effort"),
        compile_formula("reach * impact * confidence / effort", INPUTS),
    ),
    "ice": _BuiltIn(
        "ICE",
        ("impact", "confidence", "ease"),
        compile_formula("impact * confidence * 10 * ease", INPUTS),
    ),
    "wsjf": _BuiltIn(
        "WSJF",
        ("business_value", "time_criticality", "risk_reduction", "effort"),
        compile_formula("(business_value + time_criticality + risk_reduction) / effort", INPUTS),
    ),
}


@dataclass(frozen=True)
class Criterion:
    """One criterion of a workspace's own framework, defined by an admin."""

    name: str  # a formula name, e.g. "strategic_fit"
    label: str  # "Strategic fit"
    weight: float  # > 0
    low: float = 1.0  # the scale a PM scores on, e.g. 1 to 5
    high: float = 5.0
    higher_is_better: bool = True  # False for costs such as effort


@dataclass(frozen=True)
class CustomFramework:
    criteria: tuple[Criterion, ...]
    formula: Formula | None = None  # None: the 0-100 weighted sum


@dataclass(frozen=True)
class Score:
    framework: str
    value: float | None  # None when an input it needs is missing or out of range
    missing: tuple[str, ...]  # the inputs it needs that have no value
    explanation: str  # how it was derived, in words and numbers, or why it has no value
    inputs: dict[str, float]  # the values it used


class CriterionError(ValueError):
    """A criterion an admin defined is unusable; `index` and `field` say which and where."""

    def __init__(self, message: str, *, index: int, field: str) -> None:
        super().__init__(message)
        self.message = message
        self.index = index
        self.field = field


def score(
    framework: str, values: Mapping[str, float | None], custom: CustomFramework | None = None
) -> Score:
    if framework == "custom":
        if custom is None:
            raise ValueError("the custom framework needs the workspace's criteria")
        return custom_score(values, custom)
    if framework not in _BUILT_IN:
        raise ValueError(f"unknown framework {framework!r} (known: {', '.join(FRAMEWORKS)})")
    return _built_in(framework, values)


def rice(values: Mapping[str, float | None]) -> Score:
    """reach × impact × confidence ÷ effort: reach per period, impact on Intercom's scale
    (3 massive, 2 high, 1 medium, 0.5 low, 0.25 minimal), confidence as a fraction (80% is
    0.8), effort in person-months."""
    return _built_in("rice", values)


def ice(values: Mapping[str, float | None]) -> Score:
    """impact × confidence × ease, each on a 1-10 scale; confidence is kept as a fraction
    from 0 to 1 (the one RICE uses) and counts ×10 here."""
    return _built_in("ice", values)


def wsjf(values: Mapping[str, float | None]) -> Score:
    """SAFe's cost of delay (business_value + time_criticality + risk_reduction) divided by
    job size (effort)."""
    return _built_in("wsjf", values)


def custom_score(values: Mapping[str, float | None], framework: CustomFramework) -> Score:
    """Without a formula, each criterion's value placed on its scale from 0 to 1 (turned
    round when lower is better), weighted, divided by the total weight and × 100: a 0-100
    score. With a formula, the formula over the criteria's raw values."""
    formula = framework.formula
    criteria = tuple(
        criterion
        for criterion in framework.criteria
        if formula is None or criterion.name in formula.names
    )
    needs = tuple(criterion.name for criterion in criteria)
    labels = {criterion.name: criterion.label for criterion in framework.criteria}
    used, missing = _present(values, needs)
    if missing:
        wanted = _listed(labels[name] for name in missing)
        return Score("custom", None, missing, f"the custom score needs a value for {wanted}", used)
    problems = validate_inputs(used, CustomFramework(criteria))
    if problems:
        return _no_value("custom", "the custom score", problems.values(), used)
    if formula is not None:
        return _evaluated("custom", "the custom score", formula, used)
    return _weighted_sum(criteria, used)


def validate_inputs(
    values: Mapping[str, float | None], custom: CustomFramework | None = None
) -> dict[str, str]:
    """Field → message for each value out of range, for forms and importers to show;
    empty when all are fine. With `custom`, its criteria's values are checked against their
    scales too. Fields that are neither inputs nor criteria are left alone."""
    criteria = {criterion.name: criterion for criterion in custom.criteria} if custom else {}
    problems: dict[str, str] = {}
    for field, value in values.items():
        if value is None or (field not in INPUTS and field not in criteria):
            continue
        if isinstance(value, bool) or not isinstance(value, int | float):
            problems[field] = f"{field} must be a number"
        elif not math.isfinite(value):
            problems[field] = f"{field} must be a finite number"
        elif (problem := _input_problem(field, value)) is not None:
            problems[field] = problem
        elif field in criteria and not criteria[field].low <= value <= criteria[field].high:
            criterion = criteria[field]
            problems[field] = (
                f"{criterion.label} must be from {format_number(criterion.low)} to "
                f"{format_number(criterion.high)}, not {format_number(value)}"
            )
    return problems


def validate_custom(criteria: Sequence[Criterion], formula_text: str | None) -> CustomFramework:
    """The framework an admin defined, with names in lower case, or a refusal naming the
    criterion (CriterionError, a ValueError) or the formula's fault (FormulaError). A blank
    formula means the weighted sum."""
    if not criteria:
        raise ValueError("a custom framework needs at least one criterion")
    checked: list[Criterion] = []
    for index, criterion in enumerate(criteria):
        checked.append(_checked(criterion, index, {c.name for c in checked}))
    names = [criterion.name for criterion in checked]
    formula = None
    if formula_text is not None and formula_text.strip():
        formula = compile_formula(formula_text, names)
    return CustomFramework(tuple(checked), formula)


def _checked(criterion: Criterion, index: int, taken: set[str]) -> Criterion:
    def refuse(message: str, field: str) -> CriterionError:
        return CriterionError(message, index=index, field=field)

    name = criterion.name.strip().lower()
    if not _NAME.fullmatch(name):
        raise refuse(
            f"the criterion name {criterion.name!r} must start with a letter or _ and hold "
            "only letters, digits and _ (e.g. strategic_fit)",
            "name",
        )
    if len(name) > MAX_NAME_LENGTH:
        raise refuse(
            f"the criterion name {name!r} is {len(name)} characters long; "
            f"the most is {MAX_NAME_LENGTH}",
            "name",
        )
    if name in FUNCTIONS:
        raise refuse(
            f"the criterion name {name!r} is a function of the formula language; choose another",
            "name",
        )
    if name in taken:
        raise refuse(f"two criteria are named {name!r}", "name")
    label = criterion.label.strip()
    if not label:
        raise refuse(f"the criterion {name!r} needs a label", "label")
    if not math.isfinite(criterion.weight) or criterion.weight <= 0:
        raise refuse(
            f"the weight of {label} must be more than 0, not {format_number(criterion.weight)}",
            "weight",
        )
    for field in ("low", "high"):
        if not math.isfinite(getattr(criterion, field)):
            raise refuse(f"the scale of {label} must be finite numbers", field)
    if criterion.low >= criterion.high:
        raise refuse(
            f"the scale of {label} must run from a lower to a higher number, not "
            f"{format_number(criterion.low)} to {format_number(criterion.high)}",
            "high",
        )
    return replace(criterion, name=name, label=label)


def _input_problem(field: str, value: float) -> str | None:
    if field == "confidence":
        if 1 < value <= 100:
            return (
                f"confidence is a fraction from 0 to 1: enter {format_number(value)}% "
                f"as {format_number(value / 100)}"
            )
        if not 0 <= value <= 1:
            return "confidence must be from 0 to 1 (80% is 0.8)"
    elif field == "effort":
        if value <= 0:
            return "effort must be more than 0 (the scores divide by it)"
    elif field in INPUTS and value < 0:
        return f"{field} cannot be negative"
    return None


def _built_in(framework: str, values: Mapping[str, float | None]) -> Score:
    built_in = _BUILT_IN[framework]
    used, missing = _present(values, built_in.needs)
    if missing:
        explanation = f"{built_in.title} needs a value for {_listed(missing)}"
        return Score(framework, None, missing, explanation, used)
    problems = validate_inputs(used)
    if problems:
        return _no_value(framework, built_in.title, problems.values(), used)
    return _evaluated(framework, built_in.title, built_in.formula, used)


def _present(
    values: Mapping[str, float | None], needs: tuple[str, ...]
) -> tuple[dict[str, float], tuple[str, ...]]:
    used = {name: value for name in needs if (value := values.get(name)) is not None}
    missing = tuple(name for name in needs if name not in used)
    return used, missing


def _evaluated(framework: str, title: str, formula: Formula, used: dict[str, float]) -> Score:
    try:
        value = formula.evaluate(used)
        explanation = formula.explain(used)
    except FormulaError as error:
        return _no_value(framework, title, [str(error)], used)
    return Score(framework, value, (), explanation, used)


def _no_value(framework: str, title: str, problems: Iterable[str], used: dict[str, float]) -> Score:
    explanation = f"{title} cannot be computed: {'; '.join(problems)}"
    return Score(framework, None, (), explanation, used)


def _weighted_sum(criteria: tuple[Criterion, ...], used: dict[str, float]) -> Score:
    parts = []
    points = 0.0
    for criterion in criteria:
        value = used[criterion.name]
        share = (value - criterion.low) / (criterion.high - criterion.low)
        if not criterion.higher_is_better:
            share = 1 - share
        points += criterion.weight * share
        lower = ", lower is better," if not criterion.higher_is_better else ""
        parts.append(
            f"{criterion.label} {format_number(value)} on {format_number(criterion.low)} to "
            f"{format_number(criterion.high)}{lower} scores {format_number(share)} "
            f"× weight {format_number(criterion.weight)}"
        )
    total = sum(criterion.weight for criterion in criteria)
    result = points / total * 100
    parts.append(
        f"{format_number(points)} ÷ total weight {format_number(total)} × 100 = "
        f"{format_number(result)}"
    )
    return Score("custom", result, (), "; ".join(parts), used)


def _listed(names: Iterable[str]) -> str:
    """a; a and b; a, b and c."""
    items = list(names)
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"
