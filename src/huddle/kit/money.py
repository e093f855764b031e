import re
from decimal import Decimal, InvalidOperation

_NOISE = re.compile(r"[\s,$€£¥]|(?i:usd|eur|gbp)")
_SUFFIX = {"k": 1_000, "m": 1_000_000}


def parse_money_to_minor(value: str) -> int:
    """'$120,000', '120000.50', '120k' or '1.2M' -> minor units (cents); raises ValueError."""
    text = _NOISE.sub("", value.strip())
    if not text:
        raise ValueError("empty amount")
    factor = 1
    if text[-1].lower() in _SUFFIX:
        factor = _SUFFIX[text[-1].lower()]
        text = text[:-1]
    try:
        amount = Decimal(text) * factor
    except InvalidOperation:
        raise ValueError(f"not an amount: {value!r}") from None
    if amount < 0:
        raise ValueError(f"negative amount: {value!r}")
    return int((amount * 100).to_integral_value())


def format_money(minor: int, currency: str = "USD", *, compact: bool = False) -> str:
    symbol = {"USD": "$", "EUR": "€", "GBP": "£"}.get(currency, "")
    major = minor / 100
    if compact:
        for limit, suffix in ((1_000_000, "M"), (1_000, "k")):
            if major >= limit:
                text = f"{major / limit:.1f}".rstrip("0").rstrip(".")
                return f"{symbol}{text}{suffix}" if symbol else f"{text}{suffix} {currency}"
    text = f"{major:,.0f}"
    return f"{symbol}{text}" if symbol else f"{text} {currency}"
