# ruff: noqa: RUF001
# (The multiplication and division signs are part of the language and of its explanations.)
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from huddle.ideas.formula import (
    MAX_DEPTH,
    MAX_LENGTH,
    FormulaError,
    compile_formula,
    format_number,
)

RICE_NAMES = ("reach", "impact", "confidence", "effort")


def value(text: str, **values: float) -> float:
    return compile_formula(text, list(values) or ["x"]).evaluate(values)


def refusal(text: str, names: tuple[str, ...] = RICE_NAMES, **values: float) -> FormulaError:
    with pytest.raises(FormulaError) as caught:
        compile_formula(text, names).evaluate(values)
    return caught.value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2 + 3 * 4", 14),
        ("(2 + 3) * 4", 20),
        ("2 * 3 + 4 * 5", 26),
        ("10 - 4 - 3", 3),  # left to right, not 10 - (4 - 3)
        ("100 / 10 / 5", 2),  # left to right, not 100 / (10 / 5)
        ("12 / 3 * 2", 8),
        ("2 ^ 3 ^ 2", 512),  # right to left: 2 ^ 9, not 8 ^ 2
        ("2 * 3 ^ 2", 18),
        ("-2 ^ 2", -4),  # the power first, as in mathematics
        ("(-2) ^ 2", 4),
        ("2 ^ -1", 0.5),
        ("2 * -3", -6),
        ("--3", 3),
        ("+3 - -3", 6),
        ("1 - 2 + 3", 2),
        ("8 × 2 ÷ 4", 4),
        ("8 − 2", 6),  # the Unicode minus sign a word processor pastes
        ("3", 3),
        ("0.5 + .25", 0.75),
        ("1e3 + 2.5E-1", 1000.25),
        ("  7\t*\n2 ", 14),
    ],
)
def test_operators_bind_and_group_as_in_arithmetic(text: str, expected: float) -> None:
    assert value(text) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("min(4, 2, 9)", 2),
        ("max(4, 2, 9)", 9),
        ("min(7)", 7),
        ("sqrt(16)", 4),
        ("sqrt(0)", 0),
        ("log(1)", 0),
        ("log(100)", math.log(100)),
        ("abs(-3.5)", 3.5),
        ("round(2.4)", 2),
        ("round(2.5)", 3),  # halves away from zero, as in a spreadsheet; Python's round gives 2
        ("round(-2.5)", -3),
        ("round(2.675, 2)", 2.68),
        ("round(1234.5, -2)", 1200),
        ("max(1, min(5, 3)) * sqrt(4)", 6),
        ("MAX(1, 2) + Sqrt(9)", 5),
    ],
)
def test_functions(text: str, expected: float) -> None:
    assert value(text) == pytest.approx(expected)


def test_names_are_matched_without_regard_to_case() -> None:
    formula = compile_formula("Reach * IMPACT / effort", ["reach", "Impact", "EFFORT"])
    assert formula.names == frozenset({"reach", "impact", "effort"})
    assert formula.evaluate({"REACH": 10, "impact": 3, "Effort": 2}) == 15


def test_names_holds_only_the_names_the_formula_uses() -> None:
    formula = compile_formula("reach * 2 + reach", RICE_NAMES)
    assert formula.names == frozenset({"reach"})
    assert formula.source == "reach * 2 + reach"
    assert formula.evaluate({"reach": 5}) == 15


def test_a_name_may_share_a_function_name_when_it_is_not_called() -> None:
    assert compile_formula("min * min(1, 2)", ["min"]).evaluate({"min": 3}) == 3


@pytest.mark.parametrize(
    ("text", "message", "position"),
    [
        (
            "(reech * impact)",
            "unknown name 'reech' at position 1 (known: confidence, effort, impact, reach)",
            1,
        ),
        ("(reach * impact))", "unexpected ')' at position 16: no '(' is open", 16),
        ("reach * impact) * 2", "unexpected ')' at position 14: no '(' is open", 14),
        ("(reach * impact", "the '(' at position 0 is never closed", 0),
        ("min(reach, impact", "the '(' at position 3 is never closed", 3),
        (
            "reach *",
            "the formula ends too soon: a number, a name or '(' should follow '*' at position 6",
            7,
        ),
        ("* reach", "unexpected '*' at position 0", 0),
        ("reach * / effort", "unexpected '/' at position 8", 8),
        ("reach, effort", "expected an operator (+ - × ÷ ^) before ',' at position 5", 5),
        ("reach effort", "expected an operator (+ - × ÷ ^) before 'effort' at position 6", 6),
        ("2reach", "expected an operator (+ - × ÷ ^) before 'reach' at position 1", 1),
        ("(reach effort)", "expected an operator or ')' before 'effort' at position 7", 7),
        ("reach % 2", "unexpected character '%' at position 6", 6),
        ("reach ** 2", "unexpected '*' at position 7", 7),
        ("1.5.2", "expected an operator (+ - × ÷ ^) before '.2' at position 3", 3),
        ("()", "unexpected ')' at position 1", 1),
        (
            "foo(reach)",
            "unknown function 'foo' at position 0 (functions: abs, log, max, min, round, sqrt)",
            0,
        ),
        (
            "reach (2)",
            "reach at position 0 is not a function: put an operator between 'reach' and '('",
            0,
        ),
        ("sqrt + 1", "sqrt at position 0 is a function: write sqrt(…)", 0),
        ("min()", "min at position 0 takes at least 1 value, got 0", 0),
        ("2 * sqrt(4, 9)", "sqrt at position 4 takes 1 value, got 2", 4),
        ("round(1, 2, 3)", "round at position 0 takes 1 or 2 values, got 3", 0),
        ("reach / 0", "division by zero at position 8", 8),
        ("reach / -0.0", "division by zero at position 8", 8),
        ("1e999 * reach", "the number 1e999 at position 0 is too large", 0),
        ("", "the formula is empty", None),
        ("   ", "the formula is empty", None),
    ],
)
def test_bad_formulas_are_refused_saying_what_and_where(
    text: str, message: str, position: int | None
) -> None:
    with pytest.raises(FormulaError) as caught:
        compile_formula(text, RICE_NAMES)
    assert str(caught.value) == message
    assert caught.value.position == position


def test_an_unknown_name_lists_none_when_no_names_are_known() -> None:
    with pytest.raises(FormulaError, match=r"^unknown name 'x' at position 0 \(known: none\)$"):
        compile_formula("x + 1", [])


@pytest.mark.parametrize(
    "text",
    [
        "__import__('os').system('true')",
        "reach.__class__",
        "[reach]",
        "reach if effort else 0",
        "lambda: 1",
        "open('/etc/passwd')",
    ],
)
def test_python_is_not_a_formula(text: str) -> None:
    with pytest.raises(FormulaError):
        compile_formula(text, RICE_NAMES)


def test_the_formula_may_be_at_most_500_characters() -> None:
    longest = "+".join(["1"] * 250)
    assert len(longest) == MAX_LENGTH - 1
    assert compile_formula(longest + "0", []).evaluate({}) == 259
    with pytest.raises(FormulaError) as caught:
        compile_formula(longest + "00", [])
    assert str(caught.value) == "the formula is 501 characters long; the most is 500"
    assert caught.value.position is None


@pytest.mark.parametrize(
    ("opening", "closing", "nesting_character"),
    [("(", ")", "("), ("abs(", ")", "("), ("-", "", "-"), ("2^", "", "^")],
)
def test_nesting_is_refused_past_32_deep(
    opening: str, closing: str, nesting_character: str
) -> None:
    deepest = opening * MAX_DEPTH + "1" + closing * MAX_DEPTH
    compile_formula(deepest, [])
    too_deep = opening * (MAX_DEPTH + 1) + "1" + closing * (MAX_DEPTH + 1)
    with pytest.raises(FormulaError) as caught:
        compile_formula(too_deep, [])
    assert str(caught.value).startswith("the formula nests more than 32 deep at position ")
    # At the 33rd level's own parenthesis, minus or caret.
    assert caught.value.position == len(opening) * MAX_DEPTH + opening.index(nesting_character)


@pytest.mark.parametrize(
    "text",
    ["(" * 249 + "1" + ")" * 249, "-" * 499 + "1", "2^" * 249 + "2", "abs(" * 99 + "1" + ")" * 99],
)
def test_the_deepest_formula_500_characters_allow_is_refused_in_words(text: str) -> None:
    assert len(text) <= MAX_LENGTH
    with pytest.raises(FormulaError, match="nests more than 32 deep"):
        compile_formula(text, [])


def test_a_long_flat_formula_is_not_nesting() -> None:
    names = [f"n{index}" for index in range(80)]
    text = " + ".join(names)
    assert len(text) <= MAX_LENGTH
    assert compile_formula(text, names).evaluate(dict.fromkeys(names, 1.0)) == 80


def test_a_missing_value_is_named() -> None:
    error = refusal("reach * impact / effort", reach=10, impact=1)
    assert str(error) == "no value for 'effort'"
    assert error.position == 17


def test_a_value_of_none_is_missing() -> None:
    formula = compile_formula("reach + 1", RICE_NAMES)
    with pytest.raises(FormulaError, match=r"^no value for 'reach'$"):
        formula.evaluate({"reach": None})  # type: ignore[dict-item]


@pytest.mark.parametrize(
    ("text", "values", "message", "position"),
    [
        ("reach / effort", {"reach": 1, "effort": 0}, "division by zero: effort is 0", 8),
        (
            "reach / (effort - 4)",
            {"reach": 1, "effort": 4},
            "division by zero: (effort - 4) is 0",
            8,
        ),
        ("1 / (2 - 2)", {}, "division by zero: (2 - 2) is 0", 4),
        (
            "effort ^ -1",
            {"effort": 0},
            "division by zero: effort is 0 in effort ^ -1",
            0,
        ),
        ("0 ^ -1", {}, "division by zero: 0 ^ -1", 0),
        ("reach ^ 400", {"reach": 10}, "the result of reach ^ 400 is too large", 0),
        ("10 ^ 400", {}, "the result of 10 ^ 400 is too large", 0),
        ("reach * 1e300", {"reach": 1e10}, "the result of reach * 1e300 is too large", 0),
        ("reach + 1e308", {"reach": 1e308}, "the result of reach + 1e308 is too large", 0),
        ("reach - 1e308", {"reach": -1e308}, "the result of reach - 1e308 is too large", 0),
        (
            "(reach - 200) ^ 0.5",
            {"reach": 120},
            "(reach - 200) ^ 0.5 is not a real number: a negative number cannot be raised to "
            "the power 0.5; (reach - 200) is -80",
            0,
        ),
        (
            "(-8) ^ 0.5",
            {},
            "(-8) ^ 0.5 is not a real number: a negative number cannot be raised to the power 0.5",
            0,
        ),
        (
            "sqrt(reach - 200)",
            {"reach": 120},
            "sqrt of a negative number: reach - 200 is -80",
            0,
        ),
        ("2 * sqrt(-4)", {}, "sqrt of a negative number: -4", 4),
        ("sqrt(effort)", {"effort": -0.5}, "sqrt of a negative number: effort is -0.5", 0),
        ("log(effort)", {"effort": 0}, "log of zero: effort is 0", 0),
        ("log(effort)", {"effort": -2}, "log of a negative number: effort is -2", 0),
        (
            "round(reach, effort)",
            {"reach": 1, "effort": 0.5},
            "round's digits must be a whole number from -15 to 15: effort is 0.5",
            13,
        ),
        (
            "round(reach, 16)",
            {"reach": 1},
            "round's digits must be a whole number from -15 to 15: 16",
            13,
        ),
        ("reach + 1", {"reach": math.inf}, "the value of 'reach' is not a finite number", 0),
        ("reach + 1", {"reach": math.nan}, "the value of 'reach' is not a finite number", 0),
    ],
)
def test_evaluation_refuses_what_has_no_finite_answer(
    text: str, values: dict[str, float], message: str, position: int
) -> None:
    error = refusal(text, **values)
    assert str(error) == message
    assert error.position == position


def test_round_keeps_large_numbers() -> None:
    assert value("round(1e300, 15)") == 1e300
    assert value("round(123456789.125, 2)") == pytest.approx(123456789.13)


@pytest.mark.parametrize(
    ("text", "values", "explanation"),
    [
        (
            "reach * impact * confidence / effort",
            {"reach": 120, "impact": 2, "confidence": 0.8, "effort": 4},
            "reach (120) × impact (2) × confidence (0.8) ÷ effort (4) = 48",
        ),
        (
            "(reach*impact*confidence)/effort",
            {"reach": 120, "impact": 2, "confidence": 0.8, "effort": 4},
            "reach (120) × impact (2) × confidence (0.8) ÷ effort (4) = 48",
        ),
        (
            "(reach + impact) / effort",
            {"reach": 6, "impact": 2, "effort": 4},
            "(reach (6) + impact (2)) ÷ effort (4) = 2",
        ),
        (
            "reach / (impact * effort)",
            {"reach": 16, "impact": 2, "effort": 4},
            "reach (16) ÷ (impact (2) × effort (4)) = 2",
        ),
        (
            "reach - (impact - effort)",
            {"reach": 10, "impact": 4, "effort": 1},
            "reach (10) - (impact (4) - effort (1)) = 7",
        ),
        ("(reach ^ 2) ^ 3", {"reach": 2}, "(reach (2) ^ 2) ^ 3 = 64"),
        ("reach ^ 2 ^ 3", {"reach": 2}, "reach (2) ^ 2 ^ 3 = 256"),
        ("(-reach) ^ 2", {"reach": 3}, "(-reach (3)) ^ 2 = 9"),
        ("-reach ^ 2", {"reach": 3}, "-reach (3) ^ 2 = -9"),
        ("-(reach + 1)", {"reach": 3}, "-(reach (3) + 1) = -4"),
        ("reach - -effort", {"reach": 3, "effort": 1}, "reach (3) - (-effort (1)) = 4"),
        (
            "round(sqrt(reach) * 1e3 / 3, 1)",
            {"reach": 4},
            "round(sqrt(reach (4)) × 1e3 ÷ 3, 1) = 666.7",
        ),
        (
            "MAX(Reach, 0.5) × 2 ÷ 3",
            {"reach": 1},
            "max(reach (1), 0.5) × 2 ÷ 3 = 0.666667",
        ),
    ],
)
def test_explain_shows_each_value_and_the_result(
    text: str, values: dict[str, float], explanation: str
) -> None:
    formula = compile_formula(text, RICE_NAMES)
    assert formula.explain(values) == explanation
    # What explain prints is itself a formula with the same value, once the values are gone.
    bare = explanation.split(" = ")[0]
    for name in values:
        bare = bare.replace(f"{name} ({format_number(values[name])})", name)
    assert compile_formula(bare, RICE_NAMES).evaluate(values) == formula.evaluate(values)


def test_explain_refuses_what_evaluate_refuses() -> None:
    formula = compile_formula("reach / effort", RICE_NAMES)
    with pytest.raises(FormulaError, match=r"^division by zero: effort is 0$"):
        formula.explain({"reach": 1, "effort": 0})


@pytest.mark.parametrize(
    ("number", "text"),
    [
        (48.00000000000001, "48"),
        (0.8, "0.8"),
        (-0.0, "0"),
        (266.6666666, "266.667"),
        (26666.666666, "26666.67"),
        (3_200_000.0, "3200000"),
        (-12.5, "-12.5"),
        (999_999.0, "999999"),
        (1234.5678, "1234.57"),
        (123_456_789_012_345.0, "123456789012345"),
        (0.00012, "0.00012"),
        (1e300, "1e+300"),
    ],
)
def test_numbers_read_as_a_person_writes_them(number: float, text: str) -> None:
    assert format_number(number) == text


def test_names_must_be_a_collection_of_names() -> None:
    with pytest.raises(TypeError):
        compile_formula("reach", "reach")


_PIECES = st.sampled_from(
    [
        *("reach", "effort", "2", "0", "0.5", "1e308", "+", "-", "*", "/", "^", "×", "(", ")"),
        *(",", "min(", "max(", "sqrt(", "log(", "abs(", "round(", " ", "%", "é", "1e", "."),
    ]
)
_WELL_FORMED = st.recursive(
    st.sampled_from(["reach", "effort", "0", "2", "0.5", "1e308", "-1"]),
    lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from(["+", "-", "*", "/", "^", "÷"]), inner).map(
            lambda parts: f"({parts[0]} {parts[1]} {parts[2]})"
        ),
        st.tuples(st.sampled_from(["sqrt", "log", "abs", "round"]), inner).map(
            lambda parts: f"{parts[0]}({parts[1]})"
        ),
        st.lists(inner, min_size=1, max_size=3).map(lambda parts: f"max({', '.join(parts)})"),
        inner.map(lambda part: f"-{part}"),
    ),
    max_leaves=12,
)
_VALUES = st.one_of(
    st.sampled_from([0.0, -0.0, 1.0, -1.0, 1e308, -1e308, 0.5]),
    st.floats(allow_nan=False, allow_infinity=False),
)


@settings(max_examples=500, deadline=None)
@given(
    text=st.one_of(st.text(max_size=60), st.lists(_PIECES, max_size=40).map("".join), _WELL_FORMED),
    reach=_VALUES,
    effort=_VALUES,
)
def test_any_text_gives_a_formula_or_a_formula_error(
    text: str, reach: float, effort: float
) -> None:
    """Whatever is typed, the answer is a finite number or a FormulaError: never another
    exception (a RecursionError, an OverflowError, a ZeroDivisionError) and never inf or nan."""
    try:
        formula = compile_formula(text, ["reach", "effort"])
        result = formula.evaluate({"reach": reach, "effort": effort})
        formula.explain({"reach": reach, "effort": effort})
    except FormulaError:
        return
    assert math.isfinite(result)


@pytest.mark.parametrize(
    "text",
    [
        "reach + effort",
        "reach - effort",
        "reach * effort",
        "reach / effort",
        "reach ^ effort",
        "sqrt(reach)",
        "log(reach)",
        "round(reach, effort)",
        "-reach ^ effort",
    ],
)
@settings(max_examples=150, deadline=None)
@given(reach=_VALUES, effort=_VALUES)
def test_each_operation_gives_a_finite_number_or_a_formula_error(
    text: str, reach: float, effort: float
) -> None:
    formula = compile_formula(text, ["reach", "effort"])
    try:
        result = formula.evaluate({"reach": reach, "effort": effort})
    except FormulaError:
        return
    assert math.isfinite(result)
