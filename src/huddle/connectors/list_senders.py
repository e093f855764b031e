"""Who really wrote a message a mailing list rewrote.

A list server (Google Groups, Mailman 2.1 and 3, Sympa) that passes on mail from a domain
with a strict DMARC policy (`p=reject`, `p=quarantine`) cannot keep the sender's `From`: it
writes its own address there, with the sender's name and "via" the list's name
(`"'Rhea Kowalczyk' via OurCo Support" <support@ourco.com>`), and keeps the real sender
elsewhere: `X-Original-From` (Google Groups, Sympa), `Reply-To` (Google Groups, Mailman when
replies go to the poster), `Cc` (Mailman when replies go to the list) or `X-Original-Sender`
(Google Groups). Mail tools show that sender, and so does Huddle: without it, a customer's
message to a vendor's group address would read as the vendor's own mail.

A message is taken as rewritten when its `From` is the list's own address (as `List-Post`,
`List-Id` or Google's `Mailing-list` give it) or its name says "via" the list on a message
that carries a list's headers or an `X-Original-From`. A rewritten message whose real
address is nowhere keeps the sender's name without the list's address.
"""

import re
from email.message import EmailMessage
from email.utils import getaddresses

# "'Rhea Kowalczyk' via OurCo Support", "Jane Doe via ourco-users".
_VIA = re.compile(r"^\s*(?P<name>.+?)\s+via\s+(?P<list>\S.*?)\s*$", re.IGNORECASE)
_QUOTES = "'\"\u2018\u2019\u201c\u201d "


def list_addresses(message: EmailMessage) -> set[str]:
    """The list's own addresses, lower-cased: `List-Post`'s mailto, Google Groups'
    `Mailing-list: list support@ourco.com`, and `List-Id <support.ourco.com>` read as
    support@ourco.com."""
    found: set[str] = set()
    for mailto in re.findall(r"mailto:([^>?,\s]+@[^>?,\s]+)", str(message.get("List-Post", ""))):
        found.add(mailto.lower())
    listed = re.search(r"\blist\s+([^;\s]+@[^;\s]+)", str(message.get("Mailing-list", "")), re.I)
    if listed:
        found.add(listed.group(1).lower())
    list_id = re.search(r"<([^.<>@\s]+)\.([^<>@\s]+\.[^<>@\s]+)>", str(message.get("List-Id", "")))
    if list_id:
        found.add(f"{list_id.group(1)}@{list_id.group(2)}".lower())
    return found


def _people(message: EmailMessage, header: str) -> list[tuple[str, str]]:
    values = message.get_all(header) or []
    return [
        (name.strip(_QUOTES), address.lower())
        for name, address in getaddresses([str(value) for value in values])
        if "@" in address
    ]


def _same_person(one: str, other: str) -> bool:
    """'Vega, Marisol' and 'Marisol Vega' are one name."""

    def words(name: str) -> list[str]:
        return sorted(re.findall(r"\w+", name.casefold()))

    return bool(one) and words(one) == words(other)


def real_sender(message: EmailMessage, name: str, address: str) -> tuple[str, str]:
    """The (name, address) of who wrote the message; its `From` when no list rewrote it."""
    lists = list_addresses(message)
    original = _people(message, "X-Original-From")
    via = _VIA.match(name)
    from_list = address.lower() in lists
    if not (from_list or (via is not None and (lists or original))):
        return name, address
    person = via.group("name").strip(_QUOTES) if via is not None else ""
    candidates = list(original)
    if via is not None:
        # Reply-To and Cc are the sender's only where the name says the list rewrote it: a
        # list's own announcement may well ask for replies elsewhere.
        replies = [p for p in _people(message, "Reply-To") if p[1] not in lists]
        candidates += sorted(replies, key=lambda p: not _same_person(p[0], person))
        candidates += [p for p in _people(message, "Cc") if _same_person(p[0], person)]
    candidates += [("", a) for _, a in _people(message, "X-Original-Sender") if a not in lists]
    for real_name, real_address in candidates:
        if real_address != address.lower():
            return real_name or person or name, real_address
    if via is not None:
        return person, ""  # the sender's name; the list's address is not theirs
    return name, address
