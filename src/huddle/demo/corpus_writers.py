"""How a piece of evidence is written: each source in its own voice, around the sentences
(quotes) that show its topics.

An `Item` carries what the evidence is about (source, team, tone, topics) and the slot values
drawn for it; the writers compose its text and title, and every topic sentence they write is
recorded with the exact form it takes in the text, so a link can quote it.
"""

# The demo's text is typeset the way people type: with en and em dashes.
# ruff: noqa: RUF001

import random
import re
from dataclasses import dataclass

from huddle.demo import corpus_voice as voice
from huddle.demo.corpus import WORDS, Topic
from huddle.demo.corpus_names import FIRST
from huddle.demo.corpus_open import OFF_TOPIC, PRAISE

TYPO_RATE = {"chat": 0.3, "call": 0.12, "survey": 0.12, "review": 0.1, "ticket": 0.08}
QUESTION_WORDS = ("can", "who", "is", "how", "what", "where", "do", "does", "are")


class Slots(dict[str, str]):
    """Slot values for one item, drawn the first time a statement asks for them."""

    def __init__(self, rng: random.Random, known: dict[str, str]) -> None:
        super().__init__(known)
        self.rng = rng

    def __missing__(self, key: str) -> str:
        value = _draw(self.rng, key)
        self[key] = value
        return value


def _draw(rng: random.Random, key: str) -> str:
    if key in WORDS:
        return rng.choice(WORDS[key])
    numbers = {
        "n": (2, 9),
        "num": (12, 480),
        "pct": (5, 45),
        "secs": (15, 240),
        "mins": (3, 50),
        "hours": (2, 30),
        "days": (2, 21),
        "weeks": (2, 8),
        "months": (2, 11),
        "lines": (30, 400),
    }
    if key in numbers:
        return str(rng.randint(*numbers[key]))
    if key == "big":
        return f"{rng.randint(12, 950) * 100:,}"
    if key == "people":
        return f"{rng.choice((25, 40, 60, 80, 120, 150, 250, 400, 600, 900, 1200, 2500)):,}"
    if key == "amount":
        whole = rng.choice((rng.randint(120, 9_900), rng.randint(10, 250) * 100))
        return f"{rng.choice(('$', '$', '€', '£'))}{whole:,}" + (
            f".{rng.randint(0, 99):02d}" if rng.random() < 0.5 else ""
        )
    if key == "nth":
        day = rng.randint(1, 28)
        suffix = "th" if 10 <= day <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
        return f"{day}{suffix}"
    if key == "inv":
        return f"{rng.choice(('INV-', 'BILL-', '#'))}{rng.randint(10_000, 99_999)}"
    if key == "other":
        return rng.choice(FIRST)
    if key == "version":
        return f"{rng.randint(3, 5)}.{rng.randint(0, 14)}.{rng.randint(0, 9)}"
    return key


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _typo(rng: random.Random, text: str) -> str:
    words = text.split(" ")
    spots = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
    if not spots:
        return text
    i = rng.choice(spots)
    word, at = words[i], rng.randrange(1, len(words[i]) - 2)
    kind = rng.random()
    if kind < 0.45:
        word = word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    elif kind < 0.75:
        word = word[:at] + word[at + 1 :]
    else:
        word = word[:at] + word[at] + word[at:]
    words[i] = word
    return " ".join(words)


_FIRST_PERSON = tuple(
    (re.compile(rf"\b{they}\b"), we)
    for they, we in (
        ("their", "our"),
        ("Their", "Our"),
        ("they're", "we're"),
        ("they've", "we've"),
        ("they'd", "we'd"),
        ("they", "we"),
        ("They", "We"),
        ("them", "us"),
    )
)


def _first_person(text: str) -> str:
    """Details are written about the customer; in the customer's own mouth they say 'we'."""
    for pattern, replacement in _FIRST_PERSON:
        text = pattern.sub(replacement, text)
    return text


def _uncap(text: str) -> str:
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def _headline(text: str, words: int = 8) -> str:
    parts = text.split()
    return " ".join(parts) if len(parts) <= words else " ".join(parts[: words - 2]) + "…"


def _chatty(rng: random.Random, text: str) -> str:
    text = text.lower().rstrip(".!")
    if rng.random() < 0.6:
        text = text.replace("'", "")
    if rng.random() < 0.3:
        text = text.replace(", ", " ")
    return text


@dataclass
class Item:
    """What one piece of evidence is about, while its text is being written."""

    rng: random.Random
    source: str
    team: str
    tone: str
    status: str  # of the account, "" without one
    topics: list[Topic]
    slots: Slots
    quotes: list[tuple[Topic, str]]
    at_risk: bool = False  # the account is at risk of leaving

    def consequences(
        self, table: dict[str, tuple[str, ...]], leaving: tuple[str, ...]
    ) -> tuple[str, ...]:
        """What follows the complaint: only customers at risk say they may leave."""
        upset = self.at_risk and self.tone in ("angry", "frustrated")
        return table[self.tone] + (leaving if upset else ())

    def fill(self, text: str) -> str:
        return text.format_map(self.slots).replace("|", "\n")

    def choice(self, options: tuple[str, ...] | list[str]) -> str:
        return self.fill(self.rng.choice(options))

    def maybe(self, chance: float, options: tuple[str, ...]) -> str:
        return self.choice(options) if options and self.rng.random() < chance else ""

    def _detailed(self, core: str, topic: Topic, chance: float, *, own: bool) -> str:
        if topic.details and self.rng.random() < chance:
            joint = self.rng.choice((", ", " – ", "; ", ", ", " — "))
            detail = self.choice(topic.details)
            core = f"{core}{joint}{_first_person(detail) if own else detail}"
        return core

    def _keep(self, topic: Topic, core: str) -> str:
        if self.rng.random() < TYPO_RATE.get(self.source, 0.04):
            core = _typo(self.rng, core)
        if self.source == "chat":
            core = _chatty(self.rng, core)
        self.quotes.append((topic, core))
        return core

    def said(self, topic: Topic, *, detail: float = 0.45, capital: bool = True) -> str:
        """The customer's own sentence about the topic, kept as its quote."""
        core = self._detailed(self.choice(topic.says), topic, detail, own=True)
        return self._keep(topic, _cap(core) if capital else core)

    def noted(self, topic: Topic, *, detail: float = 0.4, capital: bool = False) -> str:
        """A colleague's sentence about the topic, kept as its quote."""
        core = self._detailed(self.choice(topic.notes), topic, detail, own=False)
        return self._keep(topic, _cap(core) if capital else core)

    def ask(self, topic: Topic) -> str:
        return _cap(self.choice(topic.asks)) if topic.asks else ""

    def end(self) -> str:
        return "!" if self.tone == "angry" and self.rng.random() < 0.4 else "."


def _paragraph(*parts: str) -> str:
    return " ".join(p for p in parts if p)


def _block(*parts: str) -> str:
    return "\n".join(p for p in parts if p)


def _call(it: Item) -> tuple[str, str | None]:
    rng = it.rng
    prospect = it.status == "prospect"
    header = it.choice(voice.PROSPECT_HEADERS if prospect else voice.CALL_HEADERS)
    pool = voice.PROSPECT_CONTEXT if prospect else voice.CALL_CONTEXT
    context = [it.fill(c) for c in rng.sample(pool, rng.choice((0, 1, 1, 2, 3)))]
    points = []
    aside = rng.randrange(len(it.topics)) if rng.random() < 0.45 else -1
    for index, topic in enumerate(it.topics):
        style = rng.random()
        if style < 0.3:
            lead = it.choice(voice.CALL_QUOTE_LEADS)
            point = f'{lead} "{it.said(topic, detail=0.3)}"'
        elif style < 0.6:
            lead = it.fill(voice.CALL_LEADS[0] if index == 0 else rng.choice(voice.CALL_LEADS[1:]))
            point = f"{lead} {it.noted(topic)}"
        else:
            point = it.noted(topic, capital=rng.random() < 0.4)
        if index == aside:
            point += f" – {it.choice(it.consequences(voice.NOTE_CONSEQUENCES, voice.NOTE_LEAVING))}"
        points.append(point)
    if rng.random() < 0.25 and it.topics[0].asks:
        points.append(f"Ask: {_uncap(it.ask(it.topics[0]))}")
    lines = context[:1] + points + context[1:]
    closing = it.maybe(0.7, voice.CALL_NEXT)
    if rng.random() < 0.55:
        return _block(header, *(f"- {line}" for line in lines), closing), None
    sentences = [_cap(line) + ("" if line.endswith(('"', ".")) else ".") for line in lines]
    return header + "\n" + _paragraph(*sentences, _cap(closing) + "." if closing else ""), None


def _subject(it: Item, generic: tuple[str, ...]) -> str:
    topic = it.topics[0]
    if topic.subjects and it.rng.random() < 0.6:
        subject = it.choice(topic.subjects)
    else:
        subject = it.choice(generic)
    if it.tone == "angry" and it.rng.random() < 0.4 and not subject.startswith("URGENT"):
        subject = f"URGENT: {subject}"
    elif it.rng.random() < 0.2 and generic is voice.EMAIL_SUBJECTS_GENERIC:
        subject = f"Re: {subject}"
    return subject


def _ticket(it: Item) -> tuple[str, str | None]:
    rng, topic = it.rng, it.topics[0]
    if rng.random() < 0.75:
        title = _subject(it, voice.TICKET_SUBJECTS_GENERIC)
    else:
        title = _headline(it.choice(topic.says))
    if rng.random() < 0.35:
        body = _paragraph(
            f"{it.choice(voice.AGENT_SUMMARIES)} {it.noted(topic)}.",
            *(f"Also {it.noted(t)}." for t in it.topics[1:]),
            it.maybe(0.5, voice.TICKET_REFS),
            it.choice(voice.AGENT_FOOTERS),
            it.maybe(0.3, voice.AGENT_FOOTERS),
        )
        return body, _cap(title)
    text = _paragraph(
        f"{it.said(topic)}{it.end()}",
        *(f"Also, {it.said(t, capital=False)}." for t in it.topics[1:]),
        it.maybe(0.3, voice.TICKET_REFS),
        f"{it.ask(topic)}." if rng.random() < 0.35 and topic.asks else "",
        it.maybe(0.6, it.consequences(voice.CONSEQUENCES, voice.LEAVING)),
    )
    greeting = rng.choice(voice.TICKET_GREETINGS[it.tone])
    return _block(greeting, text, it.maybe(0.5, voice.TICKET_SIGNOFFS)), _cap(title)


def _chat(it: Item) -> tuple[str, str | None]:
    rng = it.rng
    opener = rng.choice(voice.CHAT_OPENERS)
    message = it.said(it.topics[0], detail=0.25)
    for topic in it.topics[1:]:
        message += f" also {it.said(topic, detail=0.0)}"
    closer = rng.choice(voice.CHAT_CLOSERS)
    if rng.random() < 0.35:
        who = it.slots["first"] or "Visitor"
        lines = [f"{who}: {opener}"] if opener else []
        lines += [f"{who}: {message}{closer}", f"{it.slots['rep']}: {it.choice(voice.CHAT_AGENT)}"]
        if rng.random() < 0.4:
            lines.append(f"{who}: {rng.choice(('ok thanks', 'thx', 'ok', 'great, thank you'))}")
        return "\n".join(lines), None
    if opener:
        return opener + rng.choice((" ", ", ", "\n", " - ")) + f"{message}{closer}", None
    return f"{message}{closer}", None


def _survey(it: Item) -> tuple[str, str | None]:
    rng = it.rng
    low, high = {
        "angry": (0, 3),
        "frustrated": (3, 6),
        "neutral": (5, 8),
        "polite": (6, 9),
        "positive": (8, 10),
    }[it.tone]
    if rng.random() < 0.15:
        prefix = f"CSAT {max(1, round((rng.randint(low, high) + 1) / 2.2))}/5 – "
    else:
        prefix = f"NPS {rng.randint(low, high)} {rng.choice(('–', '–', '-'))} "
    form = rng.random()
    if form < 0.3:
        body = it.said(it.topics[0], detail=0.2)
    elif form < 0.55 and it.tone != "angry":
        body = f"{it.choice(voice.SURVEY_PRAISE)} But {it.said(it.topics[0], capital=False)}."
    else:
        body = _paragraph(
            f"{it.said(it.topics[0])}{it.end()}",
            *(f"And {it.said(t, capital=False)}." for t in it.topics[1:]),
            it.maybe(0.5, it.consequences(voice.CONSEQUENCES, voice.LEAVING)),
        )
    return prefix + body, None


def _review(it: Item) -> tuple[str, str | None]:
    rng = it.rng
    stars = {"angry": 1, "frustrated": 3, "neutral": 3, "polite": 4, "positive": 4}[it.tone]
    stars += rng.choice((0, 0, 1)) if stars < 4 else rng.choice((0, 1))
    headline = it.choice(voice.REVIEW_HEADLINES[it.tone])
    sites = voice.APP_STORES if "mobile" in it.topics[0].tags else voice.REVIEW_SITES
    title = f"{headline} ({min(stars, 5)}/5, {rng.choice(sites)})"
    form = rng.random()
    if form < 0.3:
        return f"{it.said(it.topics[0], detail=0.0)}{it.end()}", title
    if form < 0.55:
        pro = it.choice(voice.REVIEW_PROS)
        return f"Pros: {pro} Cons: {it.said(it.topics[0])}.", title
    if form < 0.75:
        return _block(
            f"What do you like best? {it.choice(voice.REVIEW_PROS)}",
            f"What do you dislike? {it.said(it.topics[0])}. "
            + it.maybe(0.6, it.consequences(voice.CONSEQUENCES, voice.LEAVING)),
        ).strip(), title
    return _paragraph(
        it.choice(voice.REVIEW_PROS) if it.tone != "angry" else "",
        f"{it.said(it.topics[0])}{it.end()}",
        it.maybe(0.6, it.consequences(voice.CONSEQUENCES, voice.LEAVING)),
    ), title


def _email(it: Item) -> tuple[str, str | None]:
    rng = it.rng
    greetings = voice.EMAIL_GREETINGS_SALES if it.team == "sales" else voice.EMAIL_GREETINGS_SUPPORT
    topic = it.topics[0]
    opener = it.maybe(0.45, voice.EMAIL_OPENERS)
    first = it.said(topic, capital=not opener.endswith(","))
    body = _paragraph(
        opener,
        f"{first}{it.end()}",
        f"{it.ask(topic)}." if rng.random() < 0.4 and topic.asks else "",
        it.maybe(0.65, it.consequences(voice.CONSEQUENCES, voice.LEAVING)),
    )
    extra = [f"Separately, {it.said(t, capital=False)}." for t in it.topics[1:]]
    signoff = it.choice(voice.EMAIL_SIGNOFFS)
    return "\n\n".join([it.choice(greetings), body, *extra, signoff]), _subject(
        it, voice.EMAIL_SUBJECTS_GENERIC
    )


def _interview(it: Item) -> tuple[str, str | None]:
    rng = it.rng
    lines = [it.choice(voice.INTERVIEW_HEADERS), it.maybe(0.75, voice.INTERVIEW_CONTEXT)]
    for topic in it.topics:
        lead = rng.choice(voice.INTERVIEW_PAIN_LEADS)
        if rng.random() < 0.5:
            lines.append(f'{lead} "{it.said(topic, detail=0.3)}"')
        else:
            lines.append(f"{lead} {it.noted(topic)}.")
    lines.append(it.maybe(0.5, voice.INTERVIEW_WORKAROUNDS))
    if it.topics[0].asks and rng.random() < 0.45:
        lines.append(f"{rng.choice(voice.INTERVIEW_OUTROS)} {_uncap(it.ask(it.topics[0]))}.")
    return _block(*lines), None


def _internal(it: Item) -> tuple[str, str | None]:
    rng = it.rng
    lead = rng.choice(voice.INTERNAL_LEADS[it.team])
    about = f" ({it.slots['account']})" if it.slots["account"] and rng.random() < 0.5 else ""
    body = _paragraph(
        f"{lead}{about} {it.noted(it.topics[0], detail=0.5)}.",
        *(f"Also hearing that {it.noted(t)}." for t in it.topics[1:]),
        it.maybe(0.6, voice.INTERNAL_FOOTERS),
    )
    return body, None


WRITERS = {
    "call": _call,
    "ticket": _ticket,
    "chat": _chat,
    "survey": _survey,
    "review": _review,
    "email": _email,
    "interview": _interview,
    "internal": _internal,
}


def write_chatter(it: Item, praise: bool) -> tuple[str, str | None]:
    """Praise and off-topic notes: no topic, no link, but in the same voices."""
    rng = it.rng
    said = it.choice(PRAISE if praise else OFF_TOPIC)
    stop = "?" if said.split()[0] in QUESTION_WORDS else "!" if rng.random() < 0.3 else "."
    if it.source == "chat":
        return f"{rng.choice(voice.CHAT_OPENERS)} {_chatty(rng, said)}".strip(), None
    if it.source == "survey":
        return f"NPS {rng.randint(8, 10) if praise else rng.randint(6, 8)} – {_cap(said)}.", None
    if it.source == "review":
        site = rng.choice(voice.REVIEW_SITES + voice.APP_STORES)
        return f"{_cap(said)}!", f"{it.choice(voice.REVIEW_HEADLINES['positive'])} (5/5, {site})"
    if it.source == "call":
        headers = voice.PROSPECT_HEADERS if it.status == "prospect" else voice.CALL_HEADERS
        context = voice.PROSPECT_CONTEXT if it.status == "prospect" else voice.CALL_CONTEXT
        lines = (f"- {it.choice(context)}", f"- {said}")[:: rng.choice((1, -1))]
        return _block(it.choice(headers), *lines), None
    if it.source == "interview":
        return _block(it.choice(voice.INTERVIEW_HEADERS), f"Mostly positive: {said}."), None
    if it.source == "internal":
        who = it.slots["account"] or "a customer"
        return f"Passing along from {who}: {said}{stop}", None
    greeting = rng.choice(voice.EMAIL_GREETINGS_SUPPORT)
    title = _cap(_headline(said))
    return _block(greeting, f"{_cap(said)}{stop}", it.choice(voice.EMAIL_SIGNOFFS)), title
