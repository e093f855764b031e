"""A connector's output read as a person would, before it is imported.

- The workspace's own people (its users: names, and email domains other than public mail
  providers) are the vendor's side of calls, chats and mail, before any guess.
- A note that names no account is attached to a known account its title mentions.
- An account a record names that Huddle does not know no longer stops the import: the item
  comes in unattached (the reference kept on it), or with `create_accounts` the account is
  created as a prospect — unless the reference is only another system's id, which names no
  company. Either way the import's summary lists them.
- What the connector left out as noise is kept on the import run, masked like evidence, so
  an admin can see it and bring it in (`bring_in`).
"""

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, replace
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from huddle.accounts.intake import AccountMatcher, free_text, normal_name
from huddle.activity import record as record_activity
from huddle.auth.actor import Actor
from huddle.auth.policies import may_administer, require
from huddle.config import get_settings
from huddle.connectors.base import ConnectorOptions, ConnectorOutput, LeftOut
from huddle.errors import Conflict, Invalid, NotFound
from huddle.feedback import intake
from huddle.imports import repository as store
from huddle.imports.records import SHORT_PLACE_WORDS, AccountRecord, FeedbackRecord
from huddle.models.imports import ImportRun

# Domains of public mail providers: a user at one of them says nothing about the company.
_PUBLIC_MAIL_DOMAINS = """
    gmail.com googlemail.com outlook.com hotmail.com live.com msn.com yahoo.com ymail.com
    rocketmail.com icloud.com me.com mac.com aol.com proton.me protonmail.com protonmail.ch
    pm.me tuta.com tutanota.com tutanota.de tutamail.com tuta.io keemail.me gmx.de gmx.net
    gmx.com mail.com web.de t-online.de freenet.de posteo.de posteo.net mailbox.org
    yandex.ru yandex.com ya.ru mail.ru bk.ru inbox.ru list.ru rambler.ru qq.com foxmail.com
    163.com 126.com yeah.net sina.com sohu.com aliyun.com naver.com daum.net hanmail.net
    zoho.com zohomail.com fastmail.com hey.com duck.com startmail.com hushmail.com
    orange.fr wanadoo.fr free.fr laposte.net sfr.fr libero.it virgilio.it tiscali.it
    seznam.cz wp.pl onet.pl o2.pl interia.pl btinternet.com sky.com virginmedia.com
    comcast.net verizon.net att.net sbcglobal.net bellsouth.net cox.net shaw.ca rogers.com
    sympatico.ca bigpond.com optusnet.com.au uol.com.br bol.com.br terra.com.br
    rediffmail.com
"""
PUBLIC_MAIL = frozenset(_PUBLIC_MAIL_DOMAINS.split())
# Providers with a domain per country ("yahoo.co.uk", "hotmail.fr", "gmx.at", "outlook.de"):
# known by their name before a country's ending.
_PUBLIC_MAIL_NAMES = frozenset(["yahoo", "hotmail", "outlook", "live", "gmx", "yandex", "aol"])
_COUNTRY_ENDING = re.compile(r"^(?:(?:co|com)\.)?[a-z]{2}$")
# Two letters a company uses as a generic ending, not a country's mail ("outlook.io").
_NOT_A_COUNTRY = frozenset(["io", "ai", "co", "me", "tv", "gg", "ly", "sh", "so", "to", "ws"])


def is_public_mail(domain: str) -> bool:
    """Whether `domain` is a public mail provider's: an address there names no company."""
    name, _, ending = domain.strip().lower().partition(".")
    return f"{name}.{ending}" in PUBLIC_MAIL or (
        name in _PUBLIC_MAIL_NAMES
        and _COUNTRY_ENDING.match(ending) is not None
        and ending not in _NOT_A_COUNTRY
    )


# Left-out items kept per run, for the imports page; the count of each reason is exact.
LEFT_OUT_KEPT = 1000
_DOMAIN = re.compile(r"^[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}$", re.IGNORECASE)


def with_workspace_people(session: Session, options: ConnectorOptions) -> ConnectorOptions:
    people = store.workspace_people(session)
    domains = {
        domain
        for _, email in people
        if "@" in (email or "") and not is_public_mail(domain := email.rpartition("@")[2].lower())
    }
    return replace(
        options,
        internal_domains=tuple(dict.fromkeys([*options.internal_domains, *sorted(domains)])),
        staff_names=tuple(dict.fromkeys([*options.staff_names, *(n for n, _ in people if n)])),
    )


def _known_names(
    session: Session, own: Sequence[AccountRecord] = ()
) -> tuple[list[tuple[str, str, str | None]], dict[str, str]]:
    """Each account's name, its normal form and its domain (the stored ones and the file's
    `own`); and the first words that name one account alone (four letters or more), for
    short places."""
    stored = list(store.account_names(session))
    seen = {normal_name(name) for name, _ in stored}
    stored += [(a.name, a.domain) for a in own if a.name and normal_name(a.name) not in seen]
    known = [
        (name, normal_name(name), domain.lower() if domain else None) for name, domain in stored
    ]
    firsts = Counter(words.split()[0] for _, words, _ in known if words)
    short = {
        first: name
        for name, words, _ in known
        if len(words.split()) > 1 and len(first := words.split()[0]) >= 4 and firsts[first] == 1
    }
    return known, short


def attach_mentions(
    session: Session, records: list[FeedbackRecord], own: Sequence[AccountRecord] = ()
) -> None:
    """A record with no account of its own takes the known account named in the first of its
    `mentions` that names one: the longest account name found there as whole words, else a
    domain, else, in a title or a file name, the first word of one account's name (four
    letters or more, no other account's first word). Known: stored, or among the file's
    `own` accounts (a data export's Account.csv, read in the same import). Records sharing
    their places (the items of one call) are looked up once."""
    wanting = [
        r
        for r in records
        if r.mentions and not r.account_ref and _personal_or_none(r.contact_email)
    ]
    if not wanting:
        return
    known, short = _known_names(session, own)
    named: dict[tuple[str, ...], str | None] = {}
    for record in wanting:
        if record.mentions not in named:
            named[record.mentions] = next(
                (n for place in record.mentions if (n := _named_in(place, known, short))), None
            )
        record.account_ref = named[record.mentions]


def _personal_or_none(email: str | None) -> bool:
    """No address, or one at a public mail provider, which names no company: what the item
    says of its account (a signature's company, a channel's name) is all there is. A
    company's own address names its account by its domain instead."""
    return not email or is_public_mail(email.rpartition("@")[2])


def _whole(words: str, text: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(words)}(?![\w-])", text) is not None


def _named_in(
    place: str, known: Sequence[tuple[str, str, str | None]], short: dict[str, str]
) -> str | None:
    """The account `place` names; `known` holds each account's name, its normal form and
    its domain."""
    text = f" {normal_name(place)} "
    best: str | None = None
    for name, words, domain in known:
        found = _whole(words, text)
        if not found and domain:
            found = re.search(rf"(?<![\w.-]){re.escape(domain)}(?![\w-])", text) is not None
        if found and (best is None or len(name) > len(best)):
            best = name
    if best is None and len(text.split()) <= SHORT_PLACE_WORDS:
        found_short = {name for word, name in short.items() if _whole(word, text)}
        best = found_short.pop() if len(found_short) == 1 else None
    return best


def take_aliases(session: Session, records: list[FeedbackRecord]) -> None:
    """A record whose `account_ref` names no stored account takes the first of its
    `account_aliases` that does (its organisation's CRM id, its domain); failing that, the
    account the reference names when it is a name ("Acme Robotics - Line 3 rollout", a deal
    or a contact a CRM note hangs on), else the one its short `mentions` name (a title: an id
    no account answers to is as good as none). Naming none, the reference stays."""
    wanting = [r for r in records if r.account_ref and (r.account_aliases or r.mentions)]
    if not wanting:
        return
    refs = {ref for r in wanting for ref in (r.account_ref or "", *r.account_aliases) if ref}
    matcher = AccountMatcher.for_refs(session, refs)
    unresolved = [r for r in wanting if matcher.resolve(r.account_ref or "") is None]
    named = _known_names(session)
    for record in unresolved:
        known = next((a for a in record.account_aliases if matcher.resolve(a)), None)
        if known is None and _NAME_LIKE.search(record.account_ref or ""):
            # The reference by an account's whole name or domain. Not a call's words.
            known = _named_in(record.account_ref or "", named[0], {})
        if known is None:
            # A title or a file name (a short place), by an account's first word too.
            known = next(
                (
                    n
                    for place in record.mentions
                    if len(place.split()) <= SHORT_PLACE_WORDS and (n := _named_in(place, *named))
                ),
                None,
            )
        record.account_ref = known or record.account_ref


# A reference written as words ("Hannah Roe", "Umbrella Retail FY27 renewal"), not an id.
_NAME_LIKE = re.compile(r"[A-Za-z]{2,}\s+[A-Za-z]")


def unknown_accounts(session: Session, output: ConnectorOutput) -> dict[str, list[int]]:
    """References no stored account (nor one of the file's own) answers to, with the lines
    of the records that make them."""
    refs = {
        r.account_ref.strip() for r in output.feedback if r.account_ref and r.account_ref.strip()
    }
    if not refs:
        return {}
    matcher = AccountMatcher.for_refs(session, refs)
    own = set()
    for account in output.accounts:
        own |= {normal_name(v) for v in (account.name, account.domain, account.external_id) if v}
    missing: dict[str, list[int]] = {}
    for record in output.feedback:
        ref = (record.account_ref or "").strip()
        if ref and matcher.resolve(ref) is None and normal_name(ref) not in own:
            missing.setdefault(ref, []).append(record.line)
    return missing


def nameable(ref: str) -> bool:
    """A company name or a domain can make an account; another system's id cannot."""
    if _DOMAIN.match(ref):
        return True
    return not (any(c.isdigit() for c in ref) and " " not in ref.strip())


def prospects(missing: dict[str, list[int]]) -> list[AccountRecord]:
    return [
        AccountRecord(
            line=min(lines),
            name=ref,
            domain=ref.lower() if _DOMAIN.match(ref) else None,
            status="prospect",
        )
        for ref, lines in sorted(missing.items())
        if nameable(ref)
    ]


def left_out_entries(left_out: list[LeftOut]) -> list[dict[str, Any]]:
    """What the run left out, masked like evidence and JSON-safe, for the import run."""
    mask = get_settings().mask_pii
    entries = []
    for item in left_out[:LEFT_OUT_KEPT]:
        values = asdict(item.record)
        for name in ("text", "title", "contact_name"):
            if values.get(name):
                values[name] = free_text(values[name], mask=mask)
        if isinstance(values.get("occurred_at"), datetime):
            values["occurred_at"] = values["occurred_at"].isoformat()
        entries.append({"line": item.line, "reason": item.reason, "record": values})
    return entries


def reasons(left_out: list[LeftOut]) -> dict[str, int]:
    return dict(Counter(item.reason for item in left_out))


def bring_in(session: Session, *, import_id: int, index: int, actor: Actor | None) -> int:
    """Brings one item a run left out in as evidence of that run (so undoing the run takes it
    away too), tagged `noise:<reason>`; returns the item's id. The entry leaves the run."""
    if actor is not None:
        require(may_administer(actor))
    run = session.get(ImportRun, import_id)
    if run is None:
        raise NotFound(f"no import {import_id}")
    if run.undone_at is not None:
        raise Conflict(f"import {import_id} was undone")
    entries = list(run.left_out or [])
    if not 0 <= index < len(entries):
        raise NotFound(f"import {import_id} left out no item {index}")
    entry = entries[index]
    values = dict(entry["record"])
    when = values.get("occurred_at")
    values["occurred_at"] = datetime.fromisoformat(when) if when else None
    record = FeedbackRecord(**values)
    record.tags = sorted({*record.tags, f"noise:{entry['reason']}"})
    taken = intake.take_in(
        session,
        [record],
        origin=run.source,
        namespace="",
        channel="import",
        import_id=run.id,
        unknown_account=intake.UnknownAccount.keep,
    )
    if taken.errors:
        raise Invalid("; ".join(str(error) for error in taken.errors))
    # A new list, so that the JSON column is seen to change.
    run.left_out = entries[:index] + entries[index + 1 :]
    run.left_out_count = max((run.left_out_count or len(entries)) - 1, 0)
    run.created_count += taken.created
    session.flush()
    record_activity(
        session, actor, "brought in", run, f"brought in a {entry['reason']} item it left out"
    )
    return taken.outcomes[0].id
