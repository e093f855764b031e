"""A deterministic, realistic demo workspace, as plain data (the loader writes it).

Same seed and same `now` give the same workspace. Each piece of evidence picks a source and
the team that brings it in, an account (large and at-risk accounts talk more and lean towards
the painful topics; prospects ask for capabilities rather than report bugs), one to three
topics, a tone, and a date (some topics rise in the last weeks, one fades away). Its text is
composed in its source's voice from the topic's statements, details and asks, whose slots are
filled per item, with the occasional typo. Each topic's sentence is the quote a link keeps.
"""

import random
import re
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta

from huddle.demo import corpus_voice as voice
from huddle.demo.corpus import Topic
from huddle.demo.corpus_names import (
    COMPANY_KINDS,
    COMPANY_WORDS,
    ENTERPRISE_SUFFIXES,
    FIRST,
    LAST,
    SMALL_SUFFIXES,
    TITLES,
)
from huddle.demo.corpus_open import OPEN_TOPICS
from huddle.demo.corpus_problems import SYNC_AND_CONTROLS
from huddle.demo.corpus_problems_more import REPORTING_AND_MORE
from huddle.demo.corpus_writers import WRITERS, Item, Slots, write_chatter

DEMO_PASSWORD = "huddle-demo"
COMPANY = "Ledgerline"
DOMAIN = "ledgerline.io"
TOPICS: tuple[Topic, ...] = SYNC_AND_CONTROLS + REPORTING_AND_MORE + OPEN_TOPICS


@dataclass(frozen=True)
class DemoUser:
    email: str
    name: str
    role: str  # admin | pm | contributor | viewer
    team: str  # product | sales | support | engineering | marketing | finance | leadership
    approves_for_sales: bool = False  # sales leadership: approves the sales-safe roadmap


@dataclass(frozen=True)
class DemoContact:
    name: str
    email: str
    title: str


@dataclass(frozen=True)
class DemoAccount:
    key: str
    name: str
    domain: str
    segment: str  # Enterprise | Mid-market | SMB
    plan: str
    arr_minor: int
    currency: str
    owner_email: str | None
    status: str  # customer | prospect | churned
    renewal_date: date | None
    at_risk: bool
    contacts: tuple[DemoContact, ...]


@dataclass(frozen=True)
class DemoProblem:
    key: str
    title: str
    description: str
    product_area: str
    status: str  # new | validated | planned | solved | wont_fix
    parent_key: str | None


@dataclass(frozen=True)
class DemoLink:
    problem_key: str
    quote: str  # the exact substring of the feedback text that shows the problem


@dataclass(frozen=True)
class DemoFeedback:
    key: str
    text: str
    title: str | None
    source: str  # call | ticket | interview | survey | review | chat | email | internal
    team: str
    submitter_email: str
    account_key: str | None
    contact_email: str | None
    occurred_at: datetime  # aware, UTC
    tags: tuple[str, ...]
    links: tuple[DemoLink, ...]
    latent_topic: str | None  # the true topic key(s), "a+b" when several; None for chatter


@dataclass(frozen=True)
class DemoWorkspace:
    company: str
    users: tuple[DemoUser, ...]
    accounts: tuple[DemoAccount, ...]
    problems: tuple[DemoProblem, ...]
    feedback: tuple[DemoFeedback, ...]


USERS = (
    DemoUser(f"admin@{DOMAIN}", "Alex Morgan", "admin", "product"),
    DemoUser(f"priya@{DOMAIN}", "Priya Patel", "pm", "product"),
    DemoUser(f"marco@{DOMAIN}", "Marco Rossi", "pm", "product"),
    DemoUser(f"sam@{DOMAIN}", "Sam Brooks", "contributor", "sales", approves_for_sales=True),
    DemoUser(f"lena@{DOMAIN}", "Lena Fischer", "contributor", "sales"),
    DemoUser(f"tom@{DOMAIN}", "Tom Okafor", "contributor", "sales"),
    DemoUser(f"ines@{DOMAIN}", "Ines Silva", "contributor", "sales"),
    DemoUser(f"kai@{DOMAIN}", "Kai Tanaka", "contributor", "sales"),
    DemoUser(f"rosa@{DOMAIN}", "Rosa Lopez", "contributor", "support"),
    DemoUser(f"femi@{DOMAIN}", "Femi Mensah", "contributor", "support"),
    DemoUser(f"olga@{DOMAIN}", "Olga Novak", "contributor", "support"),
    DemoUser(f"dev@{DOMAIN}", "Dev Gupta", "contributor", "engineering"),
    DemoUser(f"wen@{DOMAIN}", "Wen Chen", "contributor", "engineering"),
    DemoUser(f"maya@{DOMAIN}", "Maya Hughes", "contributor", "marketing"),
    DemoUser(f"hugo@{DOMAIN}", "Hugo Weber", "contributor", "finance"),
    DemoUser(f"grace@{DOMAIN}", "Grace Ito", "viewer", "leadership"),
)

# source: (share of all evidence, teams that bring it in with their shares)
SOURCES: dict[str, tuple[float, tuple[tuple[str, float], ...]]] = {
    "call": (0.20, (("sales", 1.0),)),
    "ticket": (0.22, (("support", 1.0),)),
    "chat": (0.13, (("support", 1.0),)),
    "email": (0.11, (("sales", 0.5), ("support", 0.5))),
    "survey": (0.12, (("product", 0.6), ("marketing", 0.4))),
    "review": (0.07, (("marketing", 1.0),)),
    "interview": (0.06, (("product", 1.0),)),
    "internal": (0.09, (("engineering", 0.55), ("product", 0.45))),
}
# segment: (share, median ARR in dollars, spread, lowest, highest, plans)
SEGMENTS: dict[str, tuple[float, int, float, int, int, tuple[str, ...]]] = {
    "SMB": (0.50, 9_000, 0.55, 3_000, 25_000, ("Starter", "Growth")),
    "Mid-market": (0.35, 60_000, 0.5, 25_000, 150_000, ("Growth", "Business")),
    "Enterprise": (0.15, 340_000, 0.6, 150_000, 1_200_000, ("Business", "Enterprise")),
}
TONES_BY_SOURCE: dict[str, tuple[float, ...]] = {  # angry, frustrated, neutral, polite, positive
    "call": (0.08, 0.32, 0.45, 0.08, 0.07),
    "ticket": (0.15, 0.35, 0.3, 0.17, 0.03),
    "chat": (0.12, 0.38, 0.35, 0.12, 0.03),
    "email": (0.14, 0.33, 0.3, 0.18, 0.05),
    "survey": (0.2, 0.3, 0.25, 0.1, 0.15),
    "review": (0.22, 0.28, 0.2, 0.1, 0.2),
    "interview": (0.05, 0.35, 0.5, 0.05, 0.05),
    "internal": (0.0, 0.3, 0.7, 0.0, 0.0),
}
COMPETITORS = ("Ramp", "Brex", "Coupa", "Bill.com", "Airbase", "Tipalti")
TAGGED_AREAS = ("mobile", "integration", "security", "performance")


def _pick(rng: random.Random, weighted: dict[str, float]) -> str:
    return rng.choices(list(weighted), list(weighted.values()))[0]


def _company_name(rng: random.Random, segment: str) -> str:
    word = rng.choice(COMPANY_WORDS)
    shape = rng.random()
    if segment == "Enterprise" and shape < 0.5:
        return f"{word} {rng.choice(ENTERPRISE_SUFFIXES)}"
    if segment == "SMB" and shape < 0.25:
        return f"{word} {rng.choice(SMALL_SUFFIXES)}"
    if shape < 0.12:
        return f"{word}{rng.choice(('ly', 'io', 'ify', 'wise', 'hub'))}"
    if shape < 0.2:
        return f"{rng.choice(LAST)} & {rng.choice(LAST)}"
    return f"{word} {rng.choice(COMPANY_KINDS)}"


def _contacts(rng: random.Random, domain: str, count: int) -> tuple[DemoContact, ...]:
    pattern = rng.choice(("{f}.{l}", "{f}", "{i}{l}", "{f}_{l}", "{f}{l}"))
    contacts: dict[str, DemoContact] = {}
    titles = rng.sample(TITLES, count)
    while len(contacts) < count:
        first, last = rng.choice(FIRST), rng.choice(LAST)
        local = pattern.format(
            f=first.lower(), l=re.sub(r"[^a-z]", "", last.lower()), i=first[0].lower()
        )
        email = f"{local}@{domain}"
        if email not in contacts:
            contacts[email] = DemoContact(f"{first} {last}", email, titles[len(contacts)])
    return tuple(contacts.values())


def _arr_dollars(rng: random.Random, segment: str) -> int:
    _, median, spread, low, high, _ = SEGMENTS[segment]
    while True:
        dollars = median * rng.lognormvariate(0, spread)
        if low <= dollars <= high:
            # Priced per month, billed per year.
            return round(dollars / 12 / 5) * 5 * 12


def _accounts(
    rng: random.Random, count: int, today: date, reps: list[DemoUser]
) -> list[DemoAccount]:
    statuses = ["customer"] * count
    prospects, churned = round(count * 0.10), round(count * 0.05)
    for i in range(prospects + churned):
        statuses[i] = "prospect" if i < prospects else "churned"
    rng.shuffle(statuses)
    segments = [
        segment for segment, spec in SEGMENTS.items() for _ in range(round(count * spec[0]))
    ]
    segments = (segments + ["SMB"] * count)[:count]
    rng.shuffle(segments)
    customers = [i for i, s in enumerate(statuses) if s == "customer"]
    risky = set(rng.sample(customers, min(len(customers), round(count * 0.12))))
    names: set[str] = set()
    domains: set[str] = set()
    accounts: list[DemoAccount] = []
    for i, (status, segment) in enumerate(zip(statuses, segments, strict=True)):
        name = _company_name(rng, segment)
        base = re.sub(r"[^a-z0-9]", "", name.lower().replace("&", "and"))
        domain = base + rng.choice((".com", ".com", ".io", ".co", ".net", ".org"))
        if name in names or domain in domains:
            name = f"{name} {rng.choice(('North', 'West', 'Pacific', 'Atlantic', 'Prime'))}"
            domain = f"{base}{len(accounts)}.com"
        names.add(name)
        domains.add(domain)
        at_risk = i in risky
        renewal = None
        if status == "customer":
            # Accounts at risk cluster in the first half of the year, where it matters.
            renewal = today + timedelta(days=rng.randint(1, 180 if at_risk else 365))
        contacts = {"SMB": (1, 2), "Mid-market": (1, 3), "Enterprise": (2, 4)}[segment]
        owner = rng.choice(reps).email if segment != "SMB" or rng.random() < 0.93 else None
        accounts.append(
            DemoAccount(
                key=f"acct-{i + 1:04d}",
                name=name,
                domain=domain,
                segment=segment,
                plan=rng.choice(SEGMENTS[segment][5]),
                arr_minor=0 if status == "prospect" else _arr_dollars(rng, segment) * 100,
                currency="USD",
                owner_email=owner,
                status=status,
                renewal_date=renewal,
                at_risk=at_risk,
                contacts=_contacts(rng, domain, rng.randint(*contacts)),
            )
        )
    return accounts


def _activity(rng: random.Random, account: DemoAccount) -> float:
    """How much an account talks: bigger and unhappier accounts talk more."""
    size = {"SMB": 1.0, "Mid-market": 1.7, "Enterprise": 3.0}[account.segment]
    mood = 1.8 if account.at_risk else 1.0
    stage = {"customer": 1.0, "prospect": 0.7, "churned": 0.6}[account.status]
    return size * mood * stage * rng.lognormvariate(0, 0.6)


Pool = tuple[list[DemoAccount], list[float]]  # accounts and how much each one talks


def _account_for(
    rng: random.Random, source: str, team: str, pools: dict[str, Pool]
) -> DemoAccount | None:
    anonymous = {"review": 0.6, "internal": 0.7}.get(source, 0.0)
    if anonymous and rng.random() < anonymous:
        return None
    if source in ("call", "interview") or (source == "email" and team == "sales"):
        accounts, weights = pools["sales"]
    elif source in ("ticket", "chat"):
        accounts, weights = pools["support"]
    else:
        accounts, weights = pools["customers"]
    return rng.choices(accounts, weights)[0] if accounts else None


def _topics_for(
    rng: random.Random, source: str, account: DemoAccount | None, count: int
) -> list[Topic]:
    big = account is not None and (account.segment == "Enterprise" or account.at_risk)
    small = account is not None and account.segment == "SMB"
    prospect = account is not None and account.status == "prospect"
    weights = []
    for topic in TOPICS:
        weight = topic.weight * (2.2 if source in topic.sources else 1.0)
        if topic.enterprise:
            weight *= 2.8 if big else 0.6 if small else 1.0
        if prospect and "bug" in topic.tags:
            weight *= 0.1
        weights.append(weight)
    chosen: list[Topic] = []
    while len(chosen) < count:
        pick = rng.choices(TOPICS, weights)[0]
        if pick not in chosen:
            chosen.append(pick)
    return chosen


def _days_ago(rng: random.Random, topic: Topic | None, account: DemoAccount | None) -> float:
    """Sampled from a rate that grows with the company and follows the topic's trend."""
    trend = topic.trend if topic else 0.0
    oldest = 45.0 if account is not None and account.status == "churned" else 0.0
    peak = 1.25 * (1 + max(trend, 0.0))
    while True:
        days = rng.uniform(max(oldest, 0.01), 365.0)
        rate = 0.75 + 0.5 * (1 - days / 365)
        if trend > 0 and days < 30:
            rate *= 1 + trend * (0.4 + 0.6 * (1 - days / 30))
        elif trend < 0 and days < 100:  # fades out as its fix rolls out
            rate *= max(0.03, min(1.0, (days - 25) / 75))
        if rng.random() * peak < rate:
            return days


def _leaving(rng: random.Random, it: Item, text: str) -> str:
    """`text` with the customer saying they may leave, in their words or a colleague's."""
    if it.source in ("call", "interview", "internal"):
        said = it.fill(rng.choice(voice.NOTE_LEAVING))
        return f"{text.rstrip()}\n{said[0].upper()}{said[1:]}."
    if any(line.split(" {")[0] in text for line in voice.LEAVING):
        return text
    return f"{text.rstrip()} {it.fill(rng.choice(voice.LEAVING))}"


def _when(rng: random.Random, days: float, now: datetime, source: str) -> datetime:
    """Mostly in working hours (the customers are in North America and Europe), calls and
    interviews on weekdays; never in the future, never more than a year ago."""
    moment = now - timedelta(days=days)
    if source not in ("review", "chat") or rng.random() < 0.7:
        hour = rng.choice((8, 9, 10, 11, 12)) if rng.random() < 0.3 else rng.randint(13, 22)
        moment = moment.replace(hour=hour, minute=rng.randrange(60))
    weekend = moment.weekday() >= 5
    if weekend and source in ("call", "interview", "internal", "email") and rng.random() < 0.85:
        moment -= timedelta(days=moment.weekday() - 4)  # back to Friday
    if moment > now - timedelta(minutes=5):
        moment = now - timedelta(minutes=rng.randint(5, 90))
    if moment < now - timedelta(days=365):
        moment = now - timedelta(days=365) + timedelta(hours=rng.randint(1, 48))
    return moment.replace(second=0, microsecond=0)


def _tags(
    text: str, topics: list[Topic], source: str, account: DemoAccount | None, tone: str, today: date
) -> tuple[str, ...]:
    tags: list[str] = []
    lowered = text.lower()
    renewing = account is not None and account.renewal_date is not None
    if "renewal" in lowered or (
        renewing
        and source in ("call", "email")
        and account is not None
        and account.renewal_date is not None
        and (account.renewal_date - today).days <= 90
    ):
        tags.append("renewal")
    tags += [f"competitor:{name}" for name in COMPETITORS if name in text]
    if "blocker" in lowered or "blocking" in lowered:
        tags.append("blocker")
    if account is not None and account.at_risk and tone == "angry":
        tags.append("churn-risk")
    for topic in topics:
        tags += [t for t in topic.tags if t in TAGGED_AREAS and t not in tags]
        if source in ("ticket", "chat") and "bug" in topic.tags and "bug" not in tags:
            tags.append("bug")
    return tuple(tags)


def _problems() -> tuple[DemoProblem, ...]:
    return tuple(
        DemoProblem(
            key=t.key,
            title=t.title,
            description=t.description,
            product_area=t.area,
            status=t.status,
            parent_key=t.parent,
        )
        for t in TOPICS
        if t.problem
    )


def _topic_count(rng: random.Random, source: str) -> int:
    odds = {
        "call": (0.2, 0.5, 0.3),
        "interview": (0.35, 0.45, 0.2),
        "email": (0.82, 0.18, 0.0),
        "internal": (0.85, 0.15, 0.0),
        "ticket": (0.93, 0.07, 0.0),
    }.get(source, (0.95, 0.05, 0.0))
    return rng.choices((1, 2, 3), odds)[0]


def generate(
    seed: int = 7, *, now: datetime | None = None, accounts: int = 200, feedback: int = 3000
) -> DemoWorkspace:
    """The workspace for `seed`, with evidence over the year before `now` (default: the current
    time; a naive `now` is read as local time) and renewals over the year after it."""
    rng = random.Random(seed)
    # Its own stream, so that the rest of the workspace is drawn as before.
    escalation = random.Random(seed * 7919 + 1)
    moment = (now or datetime.now(UTC)).astimezone(UTC).replace(second=0, microsecond=0)
    reps = [u for u in USERS if u.team == "sales"]
    by_team: dict[str, list[DemoUser]] = {}
    for user in USERS:
        if user.role in ("pm", "contributor"):
            by_team.setdefault(user.team, []).append(user)
    account_list = _accounts(rng, accounts, moment.date(), reps)
    activity = {a.key: _activity(rng, a) for a in account_list}

    def pool(statuses: tuple[str, ...]) -> Pool:
        chosen = [a for a in account_list if a.status in statuses]
        return chosen, [activity[a.key] for a in chosen]

    pools = {
        "sales": pool(("customer", "prospect", "churned")),
        "support": pool(("customer", "churned")),
        "customers": pool(("customer",)),
    }
    sources = list(SOURCES)
    drafts: list[tuple[datetime, DemoFeedback]] = []
    seen: set[str] = set()
    for _ in range(feedback):
        source = rng.choices(sources, [SOURCES[s][0] for s in sources])[0]
        team = _pick(rng, dict(SOURCES[source][1]))
        account = _account_for(rng, source, team, pools)
        submitter = rng.choice(by_team[team])
        if team == "sales" and account is not None and account.owner_email and rng.random() < 0.85:
            submitter = next(u for u in USERS if u.email == account.owner_email)
        contact = None
        if account is not None and source != "internal":
            contact = rng.choice(account.contacts)
        tone = rng.choices(voice.TONES, TONES_BY_SOURCE[source])[0]
        if account is not None and account.at_risk and tone in ("neutral", "polite"):
            tone = rng.choice(("angry", "frustrated", tone))
        # An account at risk got there lately: half of what it says, it said in the last six
        # weeks, upset (notify/churn.py is to find it from that evidence alone).
        escalated = account is not None and account.at_risk and escalation.random() < 0.5
        if escalated and tone not in ("angry", "frustrated"):
            tone = escalation.choice(("angry", "angry", "frustrated"))
        chatter = rng.random() < 0.08
        praise = chatter and tone in ("positive", "polite", "neutral")
        topics = [] if chatter else _topics_for(rng, source, account, _topic_count(rng, source))
        known = {
            "contact": contact.name if contact else "",
            "first": contact.name.split()[0] if contact else "",
            "title": contact.title if contact else "finance lead",
            "account": account.name if account else "",
            "plan": account.plan if account else "Growth",
            "rep": submitter.name.split()[0],
            "area": topics[0].area if topics else "the product",
        }
        if contact is None:
            known["contact"] = known["first"] = rng.choice(FIRST)
        if account is None:
            known["account"] = "a prospect" if source in ("call", "interview") else ""
        for _attempt in range(8):
            status = account.status if account else ""
            it = Item(rng, source, team, tone, status, topics, Slots(rng, known), [], escalated)
            if chatter:
                text, title = write_chatter(it, praise=praise)
            else:
                text, title = WRITERS[source](it)
            if text not in seen:
                break
        if escalated and not chatter and escalation.random() < 0.25:
            text = _leaving(escalation, it, text)
        seen.add(text)
        days = _days_ago(rng, topics[0] if topics else None, account)
        if escalated:
            days = escalation.uniform(0.5, 42.0)
        occurred = _when(rng, days, moment, source)
        fresh = days < 21
        links: list[DemoLink] = []
        for topic, quote in it.quotes:
            chance = (0.3 if fresh else 0.63) * (0.75 if source == "internal" else 1.0)
            already = any(link.problem_key == topic.key for link in links)
            if topic.problem and not already and quote in text and rng.random() < chance:
                links.append(DemoLink(topic.key, quote))
        draft = DemoFeedback(
            key="",
            text=text,
            title=title,
            source=source,
            team=team,
            submitter_email=submitter.email,
            account_key=account.key if account else None,
            contact_email=contact.email if contact else None,
            occurred_at=occurred,
            tags=_tags(text, topics, source, account, tone, moment.date())
            + (("praise",) if praise else ()),
            links=tuple(links),
            latent_topic="+".join(dict.fromkeys(t.key for t, _ in it.quotes)) or None,
        )
        drafts.append((occurred, draft))
    drafts.sort(key=lambda pair: pair[0])
    items = tuple(replace(draft, key=f"demo-{n + 1:05d}") for n, (_, draft) in enumerate(drafts))
    return DemoWorkspace(COMPANY, USERS, tuple(account_list), _problems(), items)
