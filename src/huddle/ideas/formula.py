"""A small, safe expression language for a workspace's own scoring formula.

An admin writes something like `(reach * impact) / max(effort, 0.5)`; it is parsed once by
a hand-written tokenizer and recursive-descent parser into a tree of frozen dataclasses,
and `Formula.evaluate` walks that tree. Nothing the admin types is ever handed to Python
(`eval`, `exec`, `compile`, `ast`), so a formula can only do arithmetic on the names it
was given.

    sum     = product (("+" | "-") product)*
    product = unary (("*" | "×" | "/" | "÷") unary)*
    unary   = "-" unary | "+" unary | power
    power   = atom ("^" unary)?                  right-associative: 2^3^2 = 2^9
    atom    = number | name | name "(" sum ("," sum)* ")" | "(" sum ")"

Unary minus binds looser than "^", as in mathematics: -2^2 = -4.
"""

# The multiplication and division signs are what a PM reads and may type, and the Unicode
# minus sign is what word processors paste.
# ruff: noqa: RUF001, RUF002

import math
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Context, Decimal

MAX_LENGTH = 500
MAX_DEPTH = 32
MAX_ROUND_DIGITS = 15
FUNCTIONS: dict[str, tuple[int, int | None]] = {
    # name: (fewest values, most values or None for any number)
    "abs": (1, 1),
    "log": (1, 1),
    "max": (1, None),
    "min": (1, None),
    "round": (1, 2),
    "sqrt": (1, 1),
}
_SYMBOLS = {"*": "×", "/": "÷", "+": "+", "-": "-", "^": "^"}
_PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2, "^": 4}
_ALIASES = {"×": "*", "÷": "/", "−": "-"}
_NUMBER = re.compile(r"(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# Decimal rounding of any float, however large, to MAX_ROUND_DIGITS places.
_ROUNDING = Context(prec=400, rounding=ROUND_HALF_UP)


class FormulaError(ValueError):
    """What is wrong with a formula or its evaluation, in words a PM understands."""

    def __init__(self, message: str, position: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.position = position


# The tree. `start` and `end` are the node's character span in the source, so that a
# refusal can quote the part of the formula it is about ("division by zero: effort - 2 is 0").


@dataclass(frozen=True)
class Number:
    value: float
    start: int
    end: int


@dataclass(frozen=True)
class Name:
    name: str
    start: int
    end: int


@dataclass(frozen=True)
class Negate:
    operand: "Node"
    start: int
    end: int


@dataclass(frozen=True)
class Binary:
    operator: str  # one of + - * / ^
    left: "Node"
    right: "Node"
    start: int
    end: int


@dataclass(frozen=True)
class Call:
    function: str
    arguments: tuple["Node", ...]
    start: int
    end: int


Node = Number | Name | Negate | Binary | Call


@dataclass(frozen=True)
class _Token:
    kind: str  # "number", "name", "operator", "(", ")", ","
    text: str
    start: int

    @property
    def end(self) -> int:
        return self.start + len(self.text)


def format_number(value: float) -> str:
    """A number as a person would write it: 48 not 48.00000000000001, 0.8, 266.667."""
    value = float(value)
    if value == 0:
        return "0"
    if abs(value) >= 1e16 or abs(value) < 1e-6:
        return f"{value:.6g}"
    if abs(value) >= 1000:
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return f"{value:.6g}"


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    position = 0
    while position < len(text):
        char = _ALIASES.get(text[position], text[position])
        if char.isspace():
            position += 1
        elif number := _NUMBER.match(text, position):
            tokens.append(_Token("number", number.group(), position))
            position = number.end()
        elif name := _NAME.match(text, position):
            tokens.append(_Token("name", name.group(), position))
            position = name.end()
        elif char in _PRECEDENCE:
            tokens.append(_Token("operator", char, position))
            position += 1
        elif char in "(),":
            tokens.append(_Token(char, char, position))
            position += 1
        else:
            raise FormulaError(
                f"unexpected character {text[position]!r} at position {position}", position
            )
    return tokens


class _Parser:
    def __init__(self, text: str, known: frozenset[str]) -> None:
        self.text = text
        self.known = known
        self.tokens = _tokenize(text)
        self.index = 0
        self.depth = 0
        self.used: set[str] = set()

    def parse(self) -> Node:
        node = self.sum()
        if (token := self.peek()) is not None:
            if token.kind == ")":
                raise FormulaError(
                    f"unexpected ')' at position {token.start}: no '(' is open", token.start
                )
            raise self.unexpected(token, "an operator (+ - × ÷ ^)")
        return node

    def peek(self) -> _Token | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def advance(self) -> _Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def at(self, kind: str, text: str | None = None) -> bool:
        token = self.peek()
        return token is not None and token.kind == kind and text in (None, token.text)

    def unexpected(self, token: _Token, expected: str) -> FormulaError:
        return FormulaError(
            f"expected {expected} before {token.text!r} at position {token.start}", token.start
        )

    def nest(self, position: int) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise FormulaError(
                f"the formula nests more than {MAX_DEPTH} deep at position {position}; simplify it",
                position,
            )

    def sum(self) -> Node:
        node = self.product()
        while self.at("operator", "+") or self.at("operator", "-"):
            operator = self.advance().text
            right = self.product()
            node = Binary(operator, node, right, node.start, right.end)
        return node

    def product(self) -> Node:
        node = self.unary()
        while self.at("operator", "*") or self.at("operator", "/"):
            operator = self.advance().text
            right = self.unary()
            if operator == "/" and _is_literal(right) and _literal_value(right) == 0:
                raise FormulaError(f"division by zero at position {right.start}", right.start)
            node = Binary(operator, node, right, node.start, right.end)
        return node

    def unary(self) -> Node:
        if self.at("operator", "-") or self.at("operator", "+"):
            sign = self.advance()
            self.nest(sign.start)
            operand = self.unary()
            self.depth -= 1
            if sign.text == "+":
                return operand
            return Negate(operand, sign.start, operand.end)
        return self.power()

    def power(self) -> Node:
        base = self.atom()
        if self.at("operator", "^"):
            caret = self.advance()
            self.nest(caret.start)
            exponent = self.unary()
            self.depth -= 1
            return Binary("^", base, exponent, base.start, exponent.end)
        return base

    def atom(self) -> Node:
        token = self.peek()
        if token is None:
            previous = self.tokens[self.index - 1]
            raise FormulaError(
                f"the formula ends too soon: a number, a name or '(' should follow "
                f"{previous.text!r} at position {previous.start}",
                len(self.text),
            )
        if token.kind == "number":
            self.advance()
            value = float(token.text)
            if not math.isfinite(value):
                raise FormulaError(
                    f"the number {token.text} at position {token.start} is too large",
                    token.start,
                )
            return Number(value, token.start, token.end)
        if token.kind == "name":
            self.advance()
            if self.at("("):
                return self.call(token)
            return self.name(token)
        if token.kind == "(":
            self.advance()
            self.nest(token.start)
            node = self.sum()
            closing = self.close(token)
            self.depth -= 1
            # The span takes in the parentheses, so that a refusal quotes "(effort - 2)".
            return replace(node, start=token.start, end=closing.end)
        raise FormulaError(f"unexpected {token.text!r} at position {token.start}", token.start)

    def close(self, opening: _Token) -> _Token:
        token = self.peek()
        if token is None:
            raise FormulaError(
                f"the '(' at position {opening.start} is never closed", opening.start
            )
        if token.kind != ")":
            raise self.unexpected(token, "an operator or ')'")
        return self.advance()

    def name(self, token: _Token) -> Name:
        name = token.text.lower()
        if name not in self.known:
            if name in FUNCTIONS:
                raise FormulaError(
                    f"{name} at position {token.start} is a function: write {name}(…)",
                    token.start,
                )
            known = ", ".join(sorted(self.known)) or "none"
            raise FormulaError(
                f"unknown name {token.text!r} at position {token.start} (known: {known})",
                token.start,
            )
        self.used.add(name)
        return Name(name, token.start, token.end)

    def call(self, token: _Token) -> Call:
        function = token.text.lower()
        if function not in FUNCTIONS:
            if function in self.known:
                raise FormulaError(
                    f"{function} at position {token.start} is not a function: put an "
                    f"operator between {token.text!r} and '('",
                    token.start,
                )
            functions = ", ".join(sorted(FUNCTIONS))
            raise FormulaError(
                f"unknown function {token.text!r} at position {token.start} "
                f"(functions: {functions})",
                token.start,
            )
        opening = self.advance()
        self.nest(opening.start)
        arguments: list[Node] = []
        if not self.at(")"):
            arguments.append(self.sum())
            while self.at(","):
                self.advance()
                arguments.append(self.sum())
        closing = self.close(opening)
        self.depth -= 1
        fewest, most = FUNCTIONS[function]
        if len(arguments) < fewest or (most is not None and len(arguments) > most):
            wanted = (
                f"{fewest} value"
                if fewest == most
                else f"{fewest} or {most} values"
                if most is not None
                else f"at least {fewest} value"
            )
            raise FormulaError(
                f"{function} at position {token.start} takes {wanted}, got {len(arguments)}",
                token.start,
            )
        return Call(function, tuple(arguments), token.start, closing.end)


def _is_literal(node: Node) -> bool:
    return isinstance(node, Number) or (isinstance(node, Negate) and _is_literal(node.operand))


def _literal_value(node: Node) -> float:
    if isinstance(node, Negate):
        return -_literal_value(node.operand)
    assert isinstance(node, Number)
    return node.value


@dataclass(frozen=True)
class Formula:
    source: str
    names: frozenset[str]
    tree: Node = field(repr=False)

    def evaluate(self, values: Mapping[str, float]) -> float:
        result = _Evaluation(self.source, values).of(self.tree)
        if not math.isfinite(result):
            raise FormulaError("the result is not a finite number")
        return result

    def explain(self, values: Mapping[str, float]) -> str:
        """The formula with each name followed by its value, then the result:
        "reach (120) × impact (2) × confidence (0.8) ÷ effort (4) = 48"."""
        evaluation = _Evaluation(self.source, values)
        result = evaluation.of(self.tree)
        return f"{_render(self.tree, self.source, evaluation)} = {format_number(result)}"


def compile_formula(text: str, names: Collection[str]) -> Formula:
    """Parse `text` once, refusing bad syntax and any name outside `names`."""
    if isinstance(names, str):
        raise TypeError("names must be a collection of names, not one string")
    if not text.strip():
        raise FormulaError("the formula is empty")
    if len(text) > MAX_LENGTH:
        raise FormulaError(f"the formula is {len(text)} characters long; the most is {MAX_LENGTH}")
    parser = _Parser(text, frozenset(name.lower() for name in names))
    tree = parser.parse()
    return Formula(text, frozenset(parser.used), tree)


class _Evaluation:
    def __init__(self, source: str, values: Mapping[str, float]) -> None:
        self.source = source
        self.values = {name.lower(): value for name, value in values.items()}

    def text(self, node: Node) -> str:
        return self.source[node.start : node.end].strip()

    def value_of(self, name: str) -> float:
        value = self.values.get(name)
        if value is None:
            raise FormulaError(f"no value for {name!r}")
        number = float(value)
        if not math.isfinite(number):
            raise FormulaError(f"the value of {name!r} is not a finite number")
        return number

    def subject(self, node: Node, value: float) -> str:
        """The part of the formula a refusal is about, with its value unless that is plain."""
        if _is_literal(node):
            return format_number(value)
        return f"{self.text(node)} is {format_number(value)}"

    def finite(self, result: float, node: Node) -> float:
        if not math.isfinite(result):
            raise FormulaError(f"the result of {self.text(node)} is too large", node.start)
        return result

    def of(self, node: Node) -> float:
        if isinstance(node, Number):
            return node.value
        if isinstance(node, Name):
            try:
                return self.value_of(node.name)
            except FormulaError as error:
                error.position = node.start
                raise
        if isinstance(node, Negate):
            return -self.of(node.operand)
        if isinstance(node, Binary):
            return self.binary(node)
        return self.call(node)

    def binary(self, node: Binary) -> float:
        left = self.of(node.left)
        right = self.of(node.right)
        if node.operator == "+":
            return self.finite(left + right, node)
        if node.operator == "-":
            return self.finite(left - right, node)
        if node.operator == "*":
            return self.finite(left * right, node)
        if node.operator == "/":
            if right == 0:
                raise FormulaError(
                    f"division by zero: {self.text(node.right)} is 0", node.right.start
                )
            return self.finite(left / right, node)
        return self.power(node, left, right)

    def power(self, node: Binary, base: float, exponent: float) -> float:
        literal = _is_literal(node.left)
        if base == 0 and exponent < 0:
            where = "" if literal else f"{self.subject(node.left, base)} in "
            raise FormulaError(f"division by zero: {where}{self.text(node)}", node.start)
        if base < 0 and not exponent.is_integer():
            why = "" if literal else f"; {self.subject(node.left, base)}"
            raise FormulaError(
                f"{self.text(node)} is not a real number: a negative number cannot be raised "
                f"to the power {format_number(exponent)}{why}",
                node.start,
            )
        try:
            return self.finite(math.pow(base, exponent), node)
        except OverflowError:
            raise FormulaError(
                f"the result of {self.text(node)} is too large", node.start
            ) from None

    def call(self, node: Call) -> float:
        values = [self.of(argument) for argument in node.arguments]
        first = values[0]
        subject = self.subject(node.arguments[0], first)
        if node.function == "sqrt":
            if first < 0:
                raise FormulaError(f"sqrt of a negative number: {subject}", node.start)
            return math.sqrt(first)
        if node.function == "log":
            if first <= 0:
                kind = "zero" if first == 0 else "a negative number"
                raise FormulaError(f"log of {kind}: {subject}", node.start)
            return math.log(first)
        if node.function == "round":
            return self.round(node, first, values[1] if len(values) > 1 else 0.0)
        functions: dict[str, Callable[[list[float]], float]] = {
            "abs": lambda numbers: abs(numbers[0]),
            "min": min,
            "max": max,
        }
        return functions[node.function](values)

    def round(self, node: Call, value: float, digits: float) -> float:
        if not digits.is_integer() or abs(digits) > MAX_ROUND_DIGITS:
            raise FormulaError(
                f"round's digits must be a whole number from -{MAX_ROUND_DIGITS} to "
                f"{MAX_ROUND_DIGITS}: {self.subject(node.arguments[1], digits)}",
                node.arguments[1].start,
            )
        # Halves round away from zero, as in spreadsheets (Python's round(2.5) is 2).
        step = Decimal(1).scaleb(-int(digits))
        return float(_ROUNDING.quantize(Decimal(repr(value)), step))


def _render(node: Node, source: str, evaluation: _Evaluation) -> str:
    if isinstance(node, Number):
        return source[node.start : node.end]
    if isinstance(node, Name):
        return f"{node.name} ({format_number(evaluation.value_of(node.name))})"
    if isinstance(node, Negate):
        operand = _render(node.operand, source, evaluation)
        wrap = isinstance(node.operand, Negate) or (
            isinstance(node.operand, Binary) and node.operand.operator != "^"
        )
        return f"-({operand})" if wrap else f"-{operand}"
    if isinstance(node, Binary):
        left = _render(node.left, source, evaluation)
        right = _render(node.right, source, evaluation)
        if _needs_parentheses(node.left, node.operator, right_side=False):
            left = f"({left})"
        if _needs_parentheses(node.right, node.operator, right_side=True):
            right = f"({right})"
        return f"{left} {_SYMBOLS[node.operator]} {right}"
    arguments = ", ".join(_render(argument, source, evaluation) for argument in node.arguments)
    return f"{node.function}({arguments})"


def _needs_parentheses(child: Node, operator: str, *, right_side: bool) -> bool:
    if isinstance(child, Negate):
        return right_side or operator == "^"
    if not isinstance(child, Binary):
        return False
    child_precedence = _PRECEDENCE[child.operator]
    precedence = _PRECEDENCE[operator]
    if child_precedence != precedence:
        return child_precedence < precedence
    # "^" groups to the right, the others to the left.
    return not right_side if operator == "^" else right_side
