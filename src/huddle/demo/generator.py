"""A deterministic, realistic demo workspace, as plain data (the loader writes it).

Same seed and same `now` give the same workspace. Evidence is composed from the topics in
`corpus.py`: each item picks a source, an account (large and at-risk accounts lean towards
the painful topics), one to three topics, a phrasing and details for each, and the style of
its source (call notes, tickets, chat, surveys, reviews, emails, interviews, internal notes),
with the occasional typo.
"""

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from huddle.demo.corpus import (
    CALL_BRIDGES,
    CALL_CLOSERS,
    CALL_OPENERS,
    COMPANY_KINDS,
    COMPANY_WORDS,
    CONSEQUENCES,
    FIRST,
    INTERNAL_OPENERS,
    INTERVIEW_OPENERS,
    LAST,
    NOISE,
    PRAISE,
    REVIEW_OPENERS,
    TICKET_GREETINGS,
    TICKET_SIGNOFFS,
    TITLES,
    TOPICS,
    Topic,
)

DEMO_PASSWORD = "huddle-demo"
COMPANY = "Ledgerline"
DOMAIN = "ledgerline.io"


@dataclass(frozen=True)
class DemoUser:
    email: str
    name: str
    role: str
    team: str


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
    segment: str
    plan: str
    arr_minor: int
    currency: str
    owner_email: str | None
    status: str
    renewal_date: date | None
    at_risk: bool
    contacts: tuple[DemoContact, ...]


@dataclass(frozen=True)
class DemoProblem:
    key: str
    title: str
    description: str
    product_area: str
    status: str
    parent_key: str | None


@dataclass(frozen=True)
class DemoLink:
    problem_key: str
    quote: str


@dataclass(frozen=True)
class DemoFeedback:
    key: str
    text: str
    title: str | None
    source: str
    team: str
    submitter_email: str
    account_key: str | None
    contact_email: str | None
    occurred_at: datetime
    tags: tuple[str, ...]
    links: tuple[DemoLink, ...]
    latent_topic: str | None


@dataclass(frozen=True)
class DemoWorkspace:
    company: str
    users: tuple[DemoUser, ...]
    accounts: tuple[DemoAccount, ...]
    problems: tuple[DemoProblem, ...]
    feedback: tuple[DemoFeedback, ...]


USERS = (
    DemoUser(f"admin@{DOMAIN}", "Alex Admin", "admin", "product"),
    DemoUser(f"priya@{DOMAIN}", "Priya Patel", "pm", "product"),
    DemoUser(f"marco@{DOMAIN}", "Marco Rossi", "pm", "product"),
    DemoUser(f"sam@{DOMAIN}", "Sam Brooks", "contributor", "sales"),
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

# source -> (share, teams that bring it in)
SOURCES = {
    "call": (0.22, ("sales",)),
    "ticket": (0.24, ("support",)),
    "chat": (0.14, ("support",)),
    "email": (0.10, ("sales", "support")),
    "survey": (0.11, ("product", "marketing")),
    "review": (0.07, ("marketing",)),
    "interview": (0.06, ("product",)),
    "internal": (0.06, ("engineering", "product")),
}
SEGMENTS = (
    ("SMB", 0.5, 3_000, 25_000),
    ("Mid-market", 0.35, 25_000, 150_000),
    ("Enterprise", 0.15, 150_000, 1_200_000),
)
PLANS = {
    "SMB": ("Starter", "Growth"),
    "Mid-market": ("Growth", "Business"),
    "Enterprise": ("Business", "Enterprise"),
}


def _typo(rng: random.Random, text: str) -> str:
    if len(text) < 20 or rng.random() > 0.25:
        return text
    at = rng.randrange(5, len(text) - 5)
    if text[at].isalpha() and text[at + 1].isalpha():
        return text[:at] + text[at + 1] + text[at] + text[at + 2 :]
    return text


def _sentence(text: str) -> str:
    text = text.strip()
    return (text[0].upper() + text[1:] + ("" if text[-1] in ".!?" else ".")) if text else text


def _accounts(
    rng: random.Random, count: int, now: datetime, reps: list[DemoUser]
) -> list[DemoAccount]:
    names: set[str] = set()
    accounts: list[DemoAccount] = []
    while len(accounts) < count:
        name = f"{rng.choice(COMPANY_WORDS)} {rng.choice(COMPANY_KINDS)}"
        if name in names:
            continue
        names.add(name)
        roll, segment = rng.random(), SEGMENTS[0]
        for option in SEGMENTS:
            if roll < option[1]:
                segment = option
                break
            roll -= option[1]
        label, _, low, high = segment
        # Log-uniform ARR inside the segment's range: many small, few large.
        arr = int(low * (high / low) ** rng.random())
        status = rng.choices(("customer", "prospect", "churned"), (0.85, 0.10, 0.05))[0]
        domain = name.lower().replace(" ", "") + rng.choice((".com", ".io", ".co", ".net"))
        contacts = tuple(
            DemoContact(
                f"{first} {last}", f"{first.lower()}.{last.lower()}@{domain}", rng.choice(TITLES)
            )
            for first, last in {
                (rng.choice(FIRST), rng.choice(LAST)) for _ in range(rng.randint(1, 4))
            }
        )
        accounts.append(
            DemoAccount(
                key=f"acct-{len(accounts) + 1:04d}",
                name=name,
                domain=domain,
                segment=label,
                plan=rng.choice(PLANS[label]),
                arr_minor=(0 if status == "prospect" else arr * 100),
                currency="USD",
                owner_email=rng.choice(reps).email,
                status=status,
                renewal_date=None
                if status != "customer"
                else (now + timedelta(days=rng.randint(5, 365))).date(),
                at_risk=status == "customer" and rng.random() < 0.12,
                contacts=tuple(sorted(contacts, key=lambda c: c.email)),
            )
        )
    return accounts


def _when(rng: random.Random, topic: Topic | None, now: datetime) -> datetime:
    """Days ago, skewed towards the last weeks for rising topics and away for fading ones."""
    trend = topic.trend if topic else 0.0
    u = rng.random()
    if trend > 0:
        u = u ** (1 + trend)
    elif trend < 0:
        u = u ** (1 / (1 - trend))
    days = u * 365 if trend >= 0 else 365 - (1 - u) * 365 * 0.9
    return now - timedelta(days=days, minutes=rng.randrange(24 * 60))


def _pick_topics(rng: random.Random, account: DemoAccount | None, n: int) -> list[Topic]:
    big = account is not None and (account.segment == "Enterprise" or account.at_risk)
    weights = [t.weight * (2.5 if big and t.enterprise else 1.0) for t in TOPICS]
    chosen: list[Topic] = []
    while len(chosen) < n:
        topic = rng.choices(TOPICS, weights)[0]
        if topic not in chosen:
            chosen.append(topic)
    return chosen


def _statement(rng: random.Random, topic: Topic) -> str:
    text = rng.choice(topic.says)
    if topic.details and rng.random() < 0.55:
        text = (
            f"{text} — {rng.choice(topic.details)}"
            if rng.random() < 0.5
            else f"{text}, {rng.choice(topic.details)}"
        )
    return _sentence(text)


def _compose(
    rng: random.Random,
    source: str,
    topics: list[Topic],
    account: DemoAccount | None,
    contact: DemoContact | None,
) -> tuple[str, str | None, list[tuple[Topic, str]]]:
    """The item's text, its title, and each topic's sentence (the quote that shows it)."""
    said = [(t, _statement(rng, t)) for t in topics]
    who = {
        "contact": contact.name if contact else "the customer",
        "title": contact.title if contact else "admin",
        "account": account.name if account else "a prospect",
    }
    consequence = rng.choice(CONSEQUENCES) if rng.random() < 0.45 else ""
    title = None
    if source == "call":
        bullets = rng.random() < 0.5
        body = "\n".join(f"- {s}" for _, s in said) if bullets else " ".join(s for _, s in said)
        parts = [
            rng.choice(CALL_OPENERS).format(**who),
            rng.choice(CALL_BRIDGES),
            body,
            consequence,
            rng.choice(CALL_CLOSERS),
        ]
        text = "\n".join(p for p in parts if p) if bullets else " ".join(p for p in parts if p)
    elif source in ("ticket", "email"):
        title = _sentence(rng.choice(topics[0].says))[:-1][:80]
        if rng.random() < 0.4:
            title = title.split(" — ")[0].capitalize()
        parts = [
            rng.choice(TICKET_GREETINGS),
            " ".join(s for _, s in said),
            consequence,
            rng.choice(TICKET_SIGNOFFS),
        ]
        text = "\n".join(p for p in parts if p)
    elif source == "chat":
        casual = [(t, s.rstrip(".").lower() if rng.random() < 0.6 else s) for t, s in said]
        said = casual
        text = " ".join(s for _, s in casual) + rng.choice(("", " pls", " ??", " thx", "!"))
    elif source == "survey":
        score = rng.choice((0, 1, 2, 3, 4, 5, 6, 6, 7, 7, 8))
        text = f"NPS {score} - " + " ".join(s for _, s in said)
    elif source == "review":
        stars = rng.choice((2, 3, 3, 4))
        title = f"{stars}/5 — {topics[0].area}"
        text = " ".join(
            p for p in (rng.choice(REVIEW_OPENERS), " ".join(s for _, s in said), consequence) if p
        )
    elif source == "interview":
        text = " ".join(
            p
            for p in (
                rng.choice(INTERVIEW_OPENERS).format(**who),
                " ".join(s for _, s in said),
                consequence,
            )
            if p
        )
    else:
        text = " ".join(
            p for p in (rng.choice(INTERNAL_OPENERS), " ".join(s for _, s in said)) if p
        )
    typoed = _typo(rng, text)
    # A typo must not land inside a quote, or the quote would no longer be in the text.
    if all(s in typoed for _, s in said):
        text = typoed
    return text, title, said


def generate(
    seed: int = 7, *, now: datetime | None = None, accounts: int = 200, feedback: int = 3000
) -> DemoWorkspace:
    rng = random.Random(seed)
    moment = (now or datetime.now(UTC)).replace(second=0, microsecond=0)
    reps = [u for u in USERS if u.team == "sales"]
    by_team: dict[str, list[DemoUser]] = {}
    for user in USERS:
        if user.role != "viewer":
            by_team.setdefault(user.team, []).append(user)
    account_list = _accounts(rng, accounts, moment, reps)
    customers = [a for a in account_list if a.status != "churned"] or account_list
    problems = tuple(
        DemoProblem(
            key=t.key,
            title=t.title,
            description=f"Customers report that {t.says[0]}.",
            product_area=t.area,
            status=t.status,
            parent_key=t.parent,
        )
        for t in TOPICS
        if t.problem
    )
    sources = list(SOURCES)
    shares = [SOURCES[s][0] for s in sources]
    items = []
    for n in range(feedback):
        source = rng.choices(sources, shares)[0]
        team = rng.choice(SOURCES[source][1])
        submitter = rng.choice(by_team[team])
        account = (
            None
            if source in ("review", "internal") and rng.random() < 0.6
            else rng.choice(customers)
        )
        contact = rng.choice(account.contacts) if account and account.contacts else None
        roll = rng.random()
        if roll < 0.08:
            # Praise and asides that are not feedback on any problem.
            kind, pool = ("praise", PRAISE) if roll < 0.05 else ("noise", NOISE)
            when = moment - timedelta(days=rng.random() * 365)
            items.append(
                _item(
                    n,
                    _sentence(rng.choice(pool)),
                    None,
                    source,
                    team,
                    submitter,
                    account,
                    contact,
                    when,
                    (),
                    [],
                    kind,
                )
            )
            continue
        count = (
            rng.choices((1, 2, 3), (0.5, 0.35, 0.15))[0]
            if source in ("call", "interview")
            else rng.choices((1, 2), (0.85, 0.15))[0]
        )
        topics = _pick_topics(rng, account, count)
        text, title, said = _compose(rng, source, topics, account, contact)
        links = [
            DemoLink(topic.key, quote)
            for topic, quote in said
            if topic.problem and quote in text and rng.random() < 0.55
        ]
        tags = []
        if account and account.renewal_date and (account.renewal_date - moment.date()).days < 90:
            tags.append("renewal")
        if "Ramp" in text:
            tags.append("competitor:ramp")
        if "blocker" in text:
            tags.append("blocker")
        items.append(
            _item(
                n,
                text,
                title,
                source,
                team,
                submitter,
                account,
                contact,
                _when(rng, topics[0], moment),
                tuple(tags),
                links,
                "+".join(t.key for t in topics),
            )
        )
    return DemoWorkspace(COMPANY, USERS, tuple(account_list), problems, tuple(items))


def _item(
    n: int,
    text: str,
    title: str | None,
    source: str,
    team: str,
    submitter: DemoUser,
    account: DemoAccount | None,
    contact: DemoContact | None,
    when: datetime,
    tags: tuple[str, ...],
    links: list[DemoLink],
    topic: str | None,
) -> DemoFeedback:
    return DemoFeedback(
        key=f"demo-{n + 1:05d}",
        text=text,
        title=title,
        source=source,
        team=team,
        submitter_email=submitter.email,
        account_key=account.key if account else None,
        contact_email=contact.email if contact else None,
        occurred_at=when,
        tags=tags,
        links=tuple(links),
        latent_topic=topic,
    )
