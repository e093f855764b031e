"""Which side of a call each speaker is on (which of their sentences are feedback is
`transcript_lexicon`).

Sides, first rule that decides wins (documented in docs/connectors.md):

0. The workspace's own people: a speaker named as one of its users is the vendor (and, with
   their email domains passed as internal domains, any speaker with such an email).
1. The call's metadata says so: a participant whose role is host/rep/organizer/internal… or
   whose affiliation is internal is the vendor; guest/customer/prospect/external is the customer.
2. Email domains: a participant whose email domain is one of `--internal-domain` is the
   vendor; with internal domains given, any other email is the customer.
3. What the call says: a speaker who introduces themselves as from the vendor ("I'm Nadia,
   a solutions engineer on the OurCo side", "this is Kelly from OurCo support"; the vendor's
   names are its internal domains' first labels) is the vendor; a speaker introduced as a
   colleague ("Priya from our product team", "this is Lena, one of our designers", "my
   colleague Jess", "I've brought Chris") is on the side of the one introducing them,
   either way round.
   A meeting tool's mark of who came from outside the organisation that held the meeting
   (Teams' "Tom Becker (External)", "(Guest)") puts the marked and the unmarked on opposite
   sides, whichever way round what is known of either says (the vendor's people are the
   marked ones when the customer held the meeting); with nothing known after rule 4, the
   marked are the customer and the unmarked the vendor (it is the vendor that records).
4. Discovery questions and the vendor's talk: of the speakers still undecided, the one who
   asks the most discovery questions ("how do you…", "walk me through…", "what does … look
   like?") or talks as the vendor does ("your contract", "let me walk you through", "I'll
   raise that with our engineering team") is the vendor, when they do so at least twice (at
   least three times, and twice as often as anyone else undecided, when a vendor is already
   known: an interviewer with a colleague sitting in), unless the tool wrote the vendor's
   company beside its people's names ("Sam Ortiz (OurCo)", Fathom): then the names without
   it are the customer's; everyone else is the customer. A call with one speaker is all
   customer (a voice memo, an interview answer).
"""

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from huddle.connectors.email_addresses import is_internal
from huddle.connectors.transcript_lexicon import split_sentences

VENDOR_ROLES = {
    "host",
    "rep",
    "organizer",
    "organiser",
    "internal",
    "vendor",
    "seller",
    "sales",
    "ae",
    "se",
    "csm",
    "account_executive",
    "account_manager",
    "employee",
    "owner",
    # A contact centre's: Contact Lens' "AGENT", CCAI's "HUMAN_AGENT".
    "agent",
    "human_agent",
}
CUSTOMER_ROLES = {
    "guest",
    "customer",
    "prospect",
    "external",
    "buyer",
    "client",
    "attendee",
    "end_user",
}


@dataclass
class Speaker:
    name: str
    email: str | None = None
    role: str | None = None
    side: str | None = None  # "vendor" or "customer"
    # Marked by the meeting tool as from outside the organisation that held the meeting
    # (Teams' "Tom Becker (External)", "(Guest)"): on the other side from the unmarked.
    outsider: bool = False
    # Names the call gives an engine's unnamed voice ("A" is "Dana"): transcript_names.
    aliases: tuple[str, ...] = ()


def _role_side(role: str | None) -> str | None:
    if not role:
        return None
    key = re.sub(r"[^a-z]+", "_", role.lower()).strip("_")
    if key in VENDOR_ROLES or key.startswith("internal"):
        return "vendor"
    if key in CUSTOMER_ROLES or key.startswith("external"):
        return "customer"
    return None


_DISCOVERY = re.compile(
    r"\b(how (do|does|are|would|many|much|often|long)|what (does|do|is|are|would|made|kind)|"
    r"walk me through|tell me (about|more)|can you (share|describe|tell|walk)|"
    r"who (is|are|else)|why (do|did|is)|where (do|does)|which)\b",
    re.IGNORECASE,
)


# A discovery question asks about the other side's world ("How do approvals work today?");
# a customer asks about the product or for themselves ("How does it decide who gets which
# job?", "Could I see how long each job took?", "what would this cost us?"). Those do not
# count: a demo's customer asked more of them than the vendor asked questions at all, and was
# taken for the interviewer.
_ASKS_US = re.compile(
    r"\b(how|what|which|where|when) (does|do|would|will|is|are|can) (it|this|that|these|those)\b|"
    r"\b(could|can|do|would|will|should|may) (I|we)\b|\bus\b",
    re.IGNORECASE,
)


# The vendor's talk: what its people say of the customer's contract and of their own team.
_VENDOR_TALK = re.compile(
    r"\b(your (contract|renewal|subscription|proposal|workspace|rollout|onboarding|ticket)\b|"
    r"let me (walk you through|show you|pull up)|"
    r"(raise|flag|take|pass) (that|this|it) (up )?(with|to|back to) our "
    r"(product|engineering|dev|support|solutions) (team|folks|people)|"
    r"(thanks|thank you) (so much )?for (making|taking) (the )?time|"
    r"(on|in) our roadmap)",
    re.IGNORECASE,
)
_NAME = r"[A-Z\u00c0-\u00d6\u00d8-\u00de][\w'-]+(?: [A-Z\u00c0-\u00d6\u00d8-\u00de][\w'-]+)?"
_JOB = (
    r"(manager|engineer|lead|director|specialist|consultant|rep|representative|executive|"
    r"designer|researcher|analyst|architect|strategist|advis[eo]r|coordinator|head|"
    r"founder|ceo|cto|vp)"
)
# "Priya from our product team", "Lena, one of our designers", "my colleague Jess", "I've
# brought Chris".
_COLLEAGUE = re.compile(
    rf"\b(?P<a>{_NAME}),? (from|on|of) our (\w+ ){{0,2}}(team|side|group)\b|"
    # "Lena, one of our designers", "Wes, one of our onboarding specialists" (round 8).
    # "This is Felix, he's one of our senior support engineers" (round 10).
    rf"\b(?P<b>{_NAME}),? ((he|she|they)(?:'s| is| are) )?(one of our|our) "
    rf"([a-z]+ ){{0,2}}[a-z]+(s|er|ist|ian|ager|lead)\b|"
    rf"\bmy (colleague|teammate),? (?P<c>{_NAME})|"
    rf"\b(I've (?:also )?brought|I (?:also )?brought|brought along|joined by|with me(?: today)? "
    # Not "I'm joined by Marcus and Ana from Hooli Cloud": the guests, with their company.
    rf"is) (?P<d>{_NAME})\b(?!(?: and {_NAME})?,? (?:from|at) (?!our\b))|"
    # "I've got Jonah with me", not "I think I've got Marta and Deshawn on the line?" (the
    # other side, greeted: round 7).
    rf"\b(I've got|I have got|I've also got|I have) (?P<e>{_NAME})( \w+){{0,3}} with me\b|"
    # "Raj is with me as well, he runs our platform team" (round 21).
    rf"(?:^|[.,] )(?P<g>{_NAME}) is (?:also |here )?with me\b(?! on (?:this|that|it)\b)|"
    # "I've asked Felipe to join, he's one of our support engineers" (round 12).
    rf"\b(I've asked|I asked|I've invited|I invited|I've pulled in|I pulled in|I've looped in|"
    rf"I looped in) (?P<f>{_NAME}) to (join|come along|sit in|be on)\b|"
    # The same in German, French, Spanish, Portuguese, Italian and Dutch: "Ich habe Lena aus
    # unserem Support-Team dabei", "Paul von unserer Vertriebsabteilung", "Marc, de notre
    # équipe produit", "Lucía, de nuestro equipo de soporte" (round 27).
    rf"\b(?P<h>{_NAME}),? (?:aus|von|vom|de|del|da|di|van|uit) (?:unsere[mnrs]?|notre|nuestro|"
    rf"nuestra|nossa|nosso|nostro|nostra|del nostro|della nostra|ons|onze) "
    rf"(?:[\w-]+ ){{0,2}}[\w-]*(?i:team|abteilung|équipe|equipo|equipe|squadra)\b|"
    # "meine Kollegin Lena", "mon collègue Marc", "mi compañera Lucía", "mijn collega Daan".
    rf"\b(?i:mein(?:e|en)?|mon|ma|mi|meu|minha|il mio|la mia|mijn) (?i:kolleg(?:e|in|en)|"
    rf"collègue|colega|compañer[oa]|collega) (?P<i>{_NAME})\b|"
    # "Lena ist auch dabei", "Ich habe Lena mitgebracht".
    rf"(?:^|[.,] )(?P<j>{_NAME}) ist (?:auch |heute )?(?:mit )?dabei\b|"
    rf"\b(?i:ich habe) (?P<k>{_NAME}) (?:\w+ ){{0,3}}mitgebracht\b"
)


def introduced_colleagues(text: str, vendors: Sequence[str] = ()) -> list[str]:
    """The names of colleagues `text` introduces ("I've got Marcus with me"); with the
    vendor's names known, also those said to be from it ("I'm joined by Priya from OurCo")."""
    names = [
        next(match.group(g) for g in "abcdefghijk" if match.group(g))
        for match in _COLLEAGUE.finditer(text)
    ]
    if vendors:
        ours = "|".join(re.escape(v) for v in vendors)
        joined = re.compile(
            rf"\b(?:I've (?:also )?brought|I (?:also )?brought|brought along|joined by|with me"
            rf"(?: today)? is) (?P<one>{_NAME})(?: and (?P<two>{_NAME}))?,? (?:from|at) "
            rf"(?:the )?(?i:{ours})\b"
        )
        for match in joined.finditer(text):
            names.extend(name for name in match.group("one", "two") if name)
    return names


def vendor_names(internal_domains: tuple[str, ...]) -> list[str]:
    return sorted({d.lower().split(".")[0] for d in internal_domains if "." in d} - {""})


# "Soy Lucía Herrero, del equipo de soporte de OurCo", "Ich bin Jonas von OurCo", "Je suis
# Camille, de l'équipe OurCo", "Sou a Ana, da OurCo", "Sono Marco di OurCo", "Ik ben Daan van
# OurCo": the same, in Spanish, German, French, Portuguese, Italian and Dutch.
_OTHER_I_AM = r"soy|me llamo|ich bin|hier ist|je suis|je m'appelle|sou(?: a| o)?|sono|ik ben"
_OTHER_FROM = r"de|del|von|bei|chez|da|do|di|van|bij|für|pour|para|per|l'équipe"


def _self_introduction(vendors: list[str]) -> re.Pattern[str] | None:
    """'I'm Nadia, a solutions engineer on the OurCo side': a speaker saying they are from
    one of `vendors`; None without vendor names."""
    if not vendors:
        return None
    names = "|".join(re.escape(v) for v in vendors)
    return re.compile(
        # The name as written, capitalised: "I'm frustrated with OurCo" is nobody's name.
        # What stands between the name and the vendor's is about the speaker, not a new
        # clause ("I'm Frank, and honestly I'm frustrated with OurCo").
        rf"\b(?:I'm|I am|this is|my name is|it's|{_OTHER_I_AM}) (?-i:(?P<who>{_NAME}))\b"
        rf"(?:(?!\b(?:and|but|so|we're)\b|\bI'm (?!an? |the |one of ))[^.?!]){{0,60}}?"
        rf"\b(?:from|at|with|on the|here at|{_OTHER_FROM}) (?:the )?(?:{names})\b"
        # Or what they do, unnamed, said of themselves and at once: "I'm a product manager
        # at OurCo" (round 21), not "it's the account manager from OurCo who keeps promising".
        rf"|\b(?:I'm|I am) (?:a|an|the|one of the) (?:[\w-]+ ){{0,3}}{_JOB}s? "
        rf"(?:from|at|here at) (?:{names})\b",
        re.IGNORECASE,
    )


_AFFILIATED = re.compile(r"^(?P<person>[^()|]+?)\s*(?:\((?P<a>[^()]+)\)|\s\|\s(?P<b>.+))$")


def affiliation(name: str) -> tuple[str, str | None]:
    """A display name and the company it names: ("Tom Becker", "OurCo") of "Tom Becker
    (OurCo)" or "Tom Becker | OurCo"; (name, None) otherwise."""
    found = _AFFILIATED.match(name.strip())
    if not found:
        return name, None
    return found.group("person"), (found.group("a") or found.group("b") or "").strip() or None


def _name_key(name: str) -> str:
    """A name as compared: spaces collapsed, case folded."""
    return " ".join(name.split()).casefold()


def _speaker_named(speakers: dict[str, Speaker], name: str) -> Speaker | None:
    """The call's speaker a name given in passing means: the full name, or a first name only
    one speaker has."""
    wanted = _name_key(name)
    found = [
        s
        for s in speakers.values()
        if any(
            _name_key(known) == wanted or _name_key(known).split()[:1] == [wanted]
            for known in (s.name, *s.aliases)
        )
    ]
    if not found and " " in wanted:
        # "And Nikhil, one of our implementation engineers": the sentence's first word, then
        # the name (round 13).
        return _speaker_named(speakers, wanted.split()[-1])
    return found[0] if len(found) == 1 else None


def _what_the_call_says(
    speakers: dict[str, Speaker], said: list[tuple[str, str]], vendors: list[str]
) -> list[tuple[Speaker, Speaker]]:
    """Rule 3's self-introductions as the vendor; returns the colleagues introduced (the one
    introducing, the one introduced)."""
    colleagues: list[tuple[Speaker, Speaker]] = []
    introduction = _self_introduction(vendors)
    for name, text in said:
        speaker = speakers.get(name)
        if speaker is None:
            continue
        found = introduction.search(text) if introduction is not None else None
        if found is not None:
            # "Tamsin, this is Priya from OurCo": another speaker of the call introduced, on
            # the vendor's side; otherwise the speaker is introducing themselves.
            who = found.group("who")
            named = _speaker_named(speakers, who) if who else None
            ours = named if named is not None and named is not speaker else speaker
            ours.side = ours.side or "vendor"
        for introduced in introduced_colleagues(text, vendors):
            named = _speaker_named(speakers, introduced)
            if named is not None and named is not speaker:
                colleagues.append((speaker, named))
    return colleagues


_OTHER_SIDE = {"vendor": "customer", "customer": "vendor"}


def _same_side(colleagues: list[tuple[Speaker, Speaker]], speakers: list[Speaker]) -> None:
    """Colleagues take the side one of them is known to be on, either way round; and when
    a meeting tool marked some speakers as outsiders, the marked and the unmarked take
    opposite sides as soon as either's is known (and not contradicted)."""
    changed = True
    while changed:
        changed = False
        for one, other in colleagues:
            if one.side is None and other.side is not None:
                one.side, changed = other.side, True
            elif other.side is None and one.side is not None:
                other.side, changed = one.side, True
        outsiders = _outsiders_side(speakers)
        for speaker in speakers:
            if outsiders is not None and speaker.side is None:
                speaker.side = outsiders if speaker.outsider else _OTHER_SIDE[outsiders]
                changed = True


def _outsiders_side(speakers: list[Speaker]) -> str | None:
    """The side of the speakers a meeting tool marked as outsiders, as far as it is known:
    Teams marks the vendor's people "(External)" when the customer held the meeting, the
    customer's when the vendor did. None when nobody is marked, nobody is unmarked, nothing
    is known of either, or what is known disagrees."""
    marked = [s for s in speakers if s.outsider]
    if not marked or len(marked) == len(speakers):
        return None
    known = {s.side if s.outsider else _OTHER_SIDE[s.side] for s in speakers if s.side}
    return known.pop() if len(known) == 1 else None


def assign_sides(
    speakers: dict[str, Speaker],
    utterances: Iterable[tuple[str, str]],
    internal_domains: tuple[str, ...],
    staff_names: tuple[str, ...] = (),
) -> None:
    """Sets `side` on every speaker; `utterances` are (speaker, text) in call order.
    `staff_names` are the workspace's own people: known better than any guess."""
    said = list(utterances)
    staff = {_name_key(name) for name in staff_names}
    vendors = vendor_names(internal_domains)
    # The tool wrote the vendor's company beside its people's names ("Sam Ortiz (OurCo)",
    # Fathom): the names beside which it wrote none are the customer's, not a guess's.
    marked_ours = False
    for speaker in speakers.values():
        person, company = affiliation(speaker.name)
        # A workspace user's full name the call gave an unnamed voice ("Tom Becker here").
        full_names = [alias for alias in speaker.aliases if " " in alias]
        if {_name_key(n) for n in (speaker.name, person, *full_names)} & staff:
            speaker.side = "vendor"
            continue
        if company:
            # A display name that says whose side: "Tom Becker (OurCo)", "Helen Marsh |
            # Initech Health".
            ours = re.sub(r"[^a-z0-9]", "", company.casefold()) in vendors
            speaker.side = "vendor" if ours else "customer"
            marked_ours = marked_ours or ours
            continue
        speaker.side = _role_side(speaker.role)
        if speaker.side is None and speaker.email and internal_domains:
            speaker.side = "vendor" if is_internal(speaker.email, internal_domains) else "customer"
    if len(speakers) == 1:
        for speaker in speakers.values():
            speaker.side = speaker.side or "customer"
        return
    everyone = list(speakers.values())
    colleagues = _what_the_call_says(speakers, said, vendors)
    _same_side(colleagues, everyone)
    questions: Counter[str] = Counter()
    for name, text in said:
        for sentence in split_sentences(text):
            if (
                sentence.endswith("?")
                and _DISCOVERY.search(sentence)
                and not _ASKS_US.search(sentence)
            ):
                questions[name] += 1
            questions[name] += len(_VENDOR_TALK.findall(sentence))
    undecided = [s for s in speakers.values() if s.side is None]
    if undecided:
        has_vendor = any(s.side == "vendor" for s in speakers.values())
        ranked = sorted(undecided, key=lambda s: -questions[s.name])
        # With the vendor's people marked no one is guessed (round 16: a customer asking
        # about the product, the contract and "your onboarding" was taken for a second
        # interviewer beside them).
        asked = 0 if marked_ours else questions[ranked[0].name]
        if not has_vendor and asked >= 2:
            ranked[0].side = "vendor"
        elif (
            has_vendor and len(ranked) > 1 and asked >= 3 and asked >= 2 * questions[ranked[1].name]
        ):
            # A colleague sat in (a workspace user), and someone else runs the interview:
            # the one asking the discovery questions is on the vendor's side too.
            ranked[0].side = "vendor"
        _same_side(colleagues, everyone)
        if any(s.outsider for s in undecided) and all(s.side is None for s in everyone):
            # Nothing tells which organisation held the meeting: the vendor's, as it is the
            # one that records its calls; its guests are the customer.
            for speaker in undecided:
                speaker.side = "customer" if speaker.outsider else "vendor"
        for speaker in undecided:
            speaker.side = speaker.side or "customer"
