"""Email addresses in what exports write: the address in "Dana Lee <dana@example.com>", its
domain, and whether it is one of the workspace's own domains; a company's website as its
domain."""

import re

_EMAIL = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")


def email_in(text: str | None) -> str | None:
    """The first email address in 'Dana Lee <dana@example.com>' or similar, lower-cased."""
    if not text:
        return None
    found = _EMAIL.search(text)
    return found.group(0).lower() if found else None


def domain_of(email: str | None) -> str | None:
    return email.rsplit("@", 1)[1].lower() if email and "@" in email else None


def is_internal(email: str | None, internal_domains: tuple[str, ...]) -> bool:
    domain = domain_of(email)
    return domain is not None and any(
        domain == d or domain.endswith("." + d) for d in internal_domains if d
    )


def domain_of_site(value: str) -> str:
    """'https://www.initech.example/about' -> 'initech.example'; anything else as it is."""
    found = re.match(
        r"^(?:https?://)?(?:www\.)?([a-z0-9.-]+\.[a-z]{2,})(?:[/?#]\S*)?$", value, re.IGNORECASE
    )
    return found.group(1).lower() if found and ("/" in value or "www." in value) else value
