import re

_SPACE = re.compile(r"\s+")


def squash(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def printable(text: str) -> str:
    """Without control characters other than tabs and line breaks: nothing a person wrote
    is lost, and PostgreSQL refuses NUL in text."""
    return _CONTROL.sub("", text)


def truncate(text: str, length: int = 140) -> str:
    flat = squash(text)
    return flat if len(flat) <= length else flat[: length - 1].rstrip() + "…"


def parse_bool(value: str) -> bool:
    text = value.strip().lower()
    if text in {"1", "true", "yes", "y", "t", "x", "at risk", "at_risk"}:
        return True
    if text in {"", "0", "false", "no", "n", "f", "-"}:
        return False
    raise ValueError(f"not yes/no: {value!r}")


def split_tags(value: str) -> list[str]:
    return sorted({tag.strip().lower() for tag in re.split(r"[;,|]", value) if tag.strip()})
