"""What the tickets CSV reads from a ticket search as OTRS, Znuny or OTOBO export it.

Agent > Tickets > Search, result form CSV, writes the columns of its `SearchCSVData` setting
as the interface names them ("Ticket#", "Customer ID", "Customer Name" or "Customer
Realname", "From", "Subject", "Queue", "Article Tree"; untranslated "CustomerID",
"ArticleTree" where no translation is loaded). No column holds a description: the ticket's
words are in its "Article Tree", every article (with a body) after a line

    -->||<sender type>||<From>||<created>||<--------------

where the sender type is `customer`, `agent` or `system` (Znuny, OTRS 6+: only articles
visible to the customer are written), or, in OTRS 5 and before, the article type
(`email-external`, `phone`, `webrequest`, `note-internal`, `email-notification-ext`…),
whose writer is told by their address. The customer's articles are the ticket's words, each
without the mail it quotes or its signature; an agent's reply or note and the system's
notices are not. A ticket with no customer article is one of ours (an agent's phone ticket:
`staff`) or a machine's (a monitoring alert: `bot`); one in the Junk queue (where the
postmaster filters put spam) is spam. "Customer ID" is the customer's company (a domain, a
name) and names the account.
"""

import csv
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from huddle.connectors.base import ConnectorOptions
from huddle.connectors.csv_reading import read_csv
from huddle.connectors.email_addresses import email_in
from huddle.connectors.noise import is_staff
from huddle.connectors.replies import strip_replies
from huddle.errors import Invalid
from huddle.imports.fields import FieldSpec, normalise, resolve_columns
from huddle.imports.records import FeedbackRecord
from huddle.imports.rows import RowShapeError

ARTICLE_TREE = ("article_tree", "articletree")
_TREE = (FieldSpec("text", ARTICLE_TREE, required=True),)
# The header's names of what the tickets CSV reads by other names: the ticket's number
# untranslated, the customer's company, the customer's name (OTRS 6's "Customer Realname"),
# the queue (kept as a `group:` tag).
_COLUMNS = {
    "ticketnumber": "external_id",
    "customer_id": "account",
    "customerid": "account",
    "customer_realname": "contact_name",
    "queue": "group",
}
# One article's header line: "-->||customer||"Ana" <ana@…>||2026-12-02 11:40:29||<-----".
_ARTICLE = re.compile(r"^-->\|\|(?P<sender>[^|\n]*)\|\|(?P<from>.*?)\|\|(?P<created>[^|\n]*)"
                      r"\|\|<-+[ \t]*$", re.MULTILINE)  # fmt: skip
# OTRS 5's article types the team alone sees or writes, and the system's notifications.
_INTERNAL_TYPE = re.compile(r"-internal$|^note-|^email-notification-", re.IGNORECASE)
_NOTIFICATION_TYPE = re.compile(r"^email-notification-", re.IGNORECASE)
# The queue the postmaster filters move spam to: "Junk", also under a parent ("Mail::Junk").
_JUNK = re.compile(r"(^|::)\s*(junk|spam)\s*$", re.IGNORECASE)


def columns(path: Path, options: ConnectorOptions, text: FieldSpec) -> dict[str, str]:
    """`--map` entries (column -> field) that read an OTRS/Znuny ticket search's columns: its
    article tree as the text, and the others above; none for another file (or one that cannot
    be read: reading it says why), one with a column the tickets read as `text` by its name
    (its words are there), or a field the user mapped already."""
    mapping = options.mapping
    try:
        header, _, rows = read_csv(path, options.encoding, _TREE, {})
    except (Invalid, UnicodeDecodeError, RowShapeError, csv.Error, OSError):
        return {}
    rows.close()
    by_normal = {normalise(name): name for name in header}
    tree = next((by_normal[n] for n in ARTICLE_TREE if n in by_normal), None)
    if tree is None or "text" in mapping.values():
        return {}
    if resolve_columns(header, (replace(text, required=False),), {}, strict=False):
        return {}
    found = {tree: "text"}
    for name, field in _COLUMNS.items():
        if name in by_normal and field not in mapping.values() and field not in found.values():
            found[by_normal[name]] = field
    return found


def is_tree(column: str) -> bool:
    return normalise(column) in ARTICLE_TREE


def plain_from(values: Mapping[str, Any], columns: Mapping[str, str]) -> Mapping[str, Any]:
    """A row whose "From" is a mail header ('"Ana Sousa" <ana@globex.example>') with the
    address alone in it, and the name as the contact's where no column gives one."""
    column = columns.get("contact_email", "")
    sent_by = str(values.get(column) or "")
    if "<" not in sent_by:
        return values
    name = _display_name(sent_by)
    plain = {**values, column: email_in(sent_by) or ""}
    named = columns.get("contact_name")
    if name and named and not str(values.get(named) or "").strip():
        plain[named] = name
    return plain


def _display_name(sent_by: str) -> str | None:
    name = re.sub(r"<[^>]*>|\"", "", sent_by).strip()
    return name if name and "@" not in name else None


@dataclass(frozen=True)
class Article:
    sender: str  # customer, agent, system
    sent_by: str  # the From line
    body: str


def articles(tree: str, options: ConnectorOptions) -> list[Article]:
    """The articles of an article tree, in order, each by who wrote it."""
    found = list(_ARTICLE.finditer(tree))
    read = []
    for at, header in enumerate(found):
        end = found[at + 1].start() if at + 1 < len(found) else len(tree)
        body = tree[header.end() : end].strip("\n")
        sent_by = header["from"].strip()
        read.append(Article(_sender(header["sender"], sent_by, options), sent_by, body))
    return read


def _sender(kind: str, sent_by: str, options: ConnectorOptions) -> str:
    """'customer', 'agent' or 'system': Znuny's sender type, or what OTRS 5's article type
    and the writer's address say."""
    kind = kind.strip().lower()
    if kind in {"customer", "agent", "system"}:
        return kind
    if _NOTIFICATION_TYPE.match(kind):
        return "system"
    if _INTERNAL_TYPE.search(kind):
        return "agent"
    return "agent" if is_staff(email_in(sent_by), _display_name(sent_by), options) else "customer"


def read_tree(record: FeedbackRecord, queue: str, options: ConnectorOptions) -> str | None:
    """The ticket's words from its article tree (the customer's articles, each without what
    it quotes), its sender the first customer article's; and the reason the tree gives for
    leaving it out: no customer article (`staff`, or `bot` when only the system wrote), the
    Junk queue (`spam`). A tree with no article ("This item has no articles yet.") leaves
    the text empty."""
    found = articles(record.text, options)
    theirs = [a for a in found if a.sender == "customer"]
    if not found:
        record.text = ""
        return None
    if _JUNK.search(queue):
        reason: str | None = "spam"
    elif theirs:
        reason = None
    else:
        reason = "bot" if all(a.sender == "system" for a in found) else "staff"
    first = (theirs or found)[0]
    email = email_in(first.sent_by)
    if email and (theirs or not record.contact_email):
        record.contact_email = email
        record.contact_name = _display_name(first.sent_by) or record.contact_name
    said = [strip_replies(a.body, record.contact_name or "") or a.body for a in theirs or found]
    record.text = "\n\n".join(s.strip() for s in said if s.strip())
    return reason
