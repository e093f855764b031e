"""Who an unnamed speaker of a call is: names for the letters and numbers engines diarise.

Speech-to-text engines (AssemblyAI, WhisperX, Amazon Transcribe, Deepgram, Azure) label the
voices they tell apart "A", "SPEAKER_01" or "Speaker 2", never by name. People on a call say
who they are, though: "Tom Becker here, I'm a product manager at OurCo", "I'm Dana", and a
host hands over by name ("Marcus, do you want to show the checklist side?"), after which the
one named speaks. Those names are what the rules of sides (transcript_rules) need to find
the colleague someone introduced ("I've got Marcus with me, he's one of our solutions
engineers") among the call's voices, or a workspace user among them.

Each clue is a vote for a name as a voice's: a speaker naming themselves counts three, a
hand-over answered at once one, as does a greeting by name ("Hi Sam.", for the "Sam Ortiz"
just introduced) answered at once; the introduction's vote goes to the first new voice after
it that does not greet the colleague by name (two customers may each say "Hi Sam." before Sam
speaks). A name goes to the voice with the most votes when no other
voice has as many, and a voice takes the one name it has most votes for; anything tied is
left unnamed. Speakers a tool named are never renamed.
"""

import re
from collections import Counter, defaultdict
from collections.abc import Sequence

from huddle.connectors.transcript_lexicon import split_sentences
from huddle.connectors.transcript_rules import Speaker, introduced_colleagues

# The labels of an engine's diarisation: "A", "SPEAKER_00", "Speaker 2", "spk_1", "Guest-3",
# Speechmatics' "S1".
_UNNAMED = re.compile(
    r"(?:speaker|spk|guest|voice|participant|s)?[ _-]?(?:[A-Z]|\d{1,2})|unknown(?: speaker)?",
    re.IGNORECASE,
)
_NAME = r"[A-Z][a-z][\w'-]*(?: [A-Z][a-z][\w'-]*)?"
# Words that stand where a name could and are not one ("Everyone here", "Sorry, can you…").
_NOT_NAME = re.compile(
    r"everyone|everybody|anyone|anybody|nobody|somebody|someone|all|folks|guys|team|we|i|"
    r"they|you|he|she|it|that|this|these|those|there|here|our|your|my|their|his|her|us|"
    r"just|still|not|also|right|okay|ok|so|yes|yeah|no|sorry|good|great|thanks|thank|hi|"
    r"hello|hey|well|oh|and|but|then|now|actually|honestly|look|listen|sure|cool|perfect|"
    r"fine|glad|happy|morning|afternoon|evening|sir|madam|please|down|up|over|back|out|in|"
    r"today|tomorrow|yesterday|everything|nothing|something|monday|tuesday|wednesday|"
    r"thursday|friday|saturday|sunday|january|february|march|april|may|june|july|august|"
    r"september|october|november|december",
    re.IGNORECASE,
)
# "I'm Dana", "my name is Hannah Price"; and in a speaker's first turn, "Tom Becker here".
_SELF = re.compile(
    rf"\b(?:I'm|I am|my name is|my name's) (?P<a>{_NAME})\b(?=[,.!?;]|$| (?:from|at|with|and|"
    rf"here|over|on|in|speaking|by the way)\b)"
)
_NAME_ALONE = re.compile(rf"^(?P<a>{_NAME})$")
_HERE = re.compile(rf"(?:^|, )(?P<a>{_NAME}) here\b(?! is| are| in\b)")
# A hand-over by name: "Marcus, do you want to show the checklist side?", "Over to you,
# Wen.", "What do you think, Femi?".
_HANDED_TO = re.compile(
    rf"^(?i:(?:and|so|okay|ok|right|well|now|then|great),? )*(?P<a>{_NAME}), "
    r"(?=.*(\?$|\bover to you\b|\btake it away\b|\bgo ahead\b|\bwant to\b))|"
    rf", (?P<b>{_NAME})[?.!]?$"
)
# A turn that ends greeting someone by name ("Hi Sam.", "Hello Sam, welcome."): the one
# greeted is who speaks next, and the greeter is not them.
_GREETED = re.compile(
    rf"^(?i:hi|hello|hey|welcome|morning|good morning|good afternoon)(?: (?i:there|again))?,? "
    rf"(?P<a>{_NAME})(?:,? (?i:welcome|nice to meet you|good to meet you))?[.!]?$"
)


def is_unnamed(name: str) -> bool:
    """A diarisation label rather than a person's name."""
    return _UNNAMED.fullmatch(name.strip()) is not None


def not_a_name(word: str) -> bool:
    """A word that stands where a name could and is none ("Okay", "Everyone", "Monday")."""
    return _NOT_NAME.fullmatch(word) is not None


def _a_name(clue: re.Pattern[str], sentence: str) -> str | None:
    """The first name `clue` finds in `sentence` that is a name."""
    for found in clue.finditer(sentence):
        name = str(found.group("a") or found.groupdict().get("b"))
        if not any(not_a_name(word) for word in name.split()):
            return name
    return None


# How many turns after an introduction the colleague's first words are looked for, past the
# voices greeting him.
_LOOKAHEAD = 3


def _greeted(sentences: Sequence[str]) -> set[str]:
    """The names a turn greets ("Hi Sam.", "Hello Sam, welcome."), by their first word."""
    return {name.split()[0] for s in sentences if (name := _a_name(_GREETED, s))}


def _new_voice(
    said: Sequence[tuple[str, str]],
    index: int,
    unnamed: set[str],
    spoken: set[str],
    colleague: str | None,
) -> str | None:
    """The voice a colleague introduced at turn `index` most likely is: the first of the next
    turns' that is an unnamed voice not heard before and does not greet the colleague by name
    (who greets him is not him); None when another voice comes first."""
    first = colleague.split()[0] if colleague else None
    greeters: set[str] = set()
    for label, text in said[index + 1 : index + 1 + _LOOKAHEAD]:
        if label == said[index][0] or label not in unnamed or label in spoken | greeters:
            return None
        if first and first in _greeted(split_sentences(text)):
            greeters.add(label)
            continue
        return label
    return None


def _key(name: str) -> str:
    """A name as votes count it: as said, case aside. A full name and a first name are
    counted apart ("Tom Becker here" is not the customer's "I'm Tom"), and no voice is given
    a name it was not itself called by."""
    return " ".join(name.split()).casefold()


# A name given by one clue that is not the speaker's own word (a hand-over, a greeting after
# an introduction) may be the wrong voice's: it takes two such clues, or the voice's own.
_ENOUGH = 2


def _the_most(votes: Counter[str]) -> tuple[str, int]:
    """What has the most votes, when nothing else has as many; ("", 0) on a tie."""
    (first, most), *rest = [*votes.most_common(2), ("", 0)]
    return (first, most) if most > rest[0][1] else ("", 0)


def name_unnamed(speakers: dict[str, Speaker], said: Sequence[tuple[str, str]]) -> None:
    """Sets `aliases` on the call's unnamed speakers whose names the call gives away."""
    unnamed = {label for label, speaker in speakers.items() if is_unnamed(speaker.name)}
    if len(unnamed) < 2:
        return
    votes: Counter[tuple[str, str]] = Counter()
    written: dict[str, str] = {}

    def vote(name: str | None, label: str, weight: int) -> None:
        if name:
            votes[_key(name), label] += weight
            written[_key(name)] = name

    spoken: set[str] = set()
    # The colleagues introduced so far by their full names, by their first: a greeting by
    # the first name ("Hi Sam.") is a vote for the full one ("Sam Ortiz").
    full_names: dict[str, str] = {}
    for index, (label, text) in enumerate(said):
        sentences = split_sentences(text)
        following = said[index + 1][0] if index + 1 < len(said) else None
        for name in introduced_colleagues(text):
            # "I've got Marcus with me", and a voice not heard before says hello: the first
            # such voice after it that is not greeting Marcus ("Hi Marcus.") themselves.
            named = _a_name(_NAME_ALONE, name)
            heard = _new_voice(said, index, unnamed, spoken, named)
            if named and heard is not None:
                vote(named, heard, 1)
                if " " in named:
                    full_names.setdefault(_key(named.split()[0]), named)
        if label in unnamed:
            clues = (_SELF,) if label in spoken else (_SELF, _HERE)
            spoken.add(label)
            for sentence, clue in ((s, c) for s in sentences[:3] for c in clues):
                vote(_a_name(clue, sentence), label, 3)
        if sentences and following in unnamed and following != label:
            vote(_a_name(_HANDED_TO, sentences[-1]), str(following), 1)
            greeted = _a_name(_GREETED, sentences[-1])
            vote(greeted and full_names.get(_key(greeted), greeted), str(following), 1)
    by_name: dict[str, Counter[str]] = defaultdict(Counter)
    for (name, label), count in votes.items():
        by_name[name][label] = count
    chosen: dict[str, Counter[str]] = defaultdict(Counter)
    for name, counts in by_name.items():
        label, best = _the_most(counts)
        if label:
            chosen[label][name] = best
    for label, names in chosen.items():
        name, best = _the_most(names)
        if name and best >= _ENOUGH:
            speakers[label].aliases = (written[name],)


# A letter written as a capital where no name or sentence start asks for one.
_CAPITAL_INSIDE = re.compile(r"(?<![.!?]\s)(?<!^)\b(?!I\b|I')[A-Z]")


def uncased(texts: Sequence[str]) -> bool:
    """Whether a call was written without case (an engine asked for no formatting): no
    capital anywhere but a sentence's first letter and "I"."""
    return any(texts) and not any(_CAPITAL_INSIDE.search(text.strip()) for text in texts)


def with_names_cased(text: str, people: Sequence[str], vendors: Sequence[str]) -> str:
    """`text` as the rules of sides read it, which go by capitals: the workspace's people's
    full names and the vendor's names capitalised where they stand ("this is dana lee from
    ourco" -> "this is Dana Lee from Ourco"), "I" as a word, and a name said with the
    vendor's at once ("i'm nadia from ourco"). Not first names alone: "how will our managers approve" names no Will.
    For reading sides only; the words kept are the words written."""
    text = re.sub(r"\bi(?=\b|')", "I", text)
    names = [n for n in people if " " in n.strip()] + list(vendors)
    if names:
        pattern = re.compile(
            r"\b(" + "|".join(re.escape(" ".join(n.split())) for n in names) + r")\b", re.I
        )
        text = pattern.sub(lambda m: m.group(0).title(), text)
    if vendors:
        said = "|".join(re.escape(v) for v in vendors)
        introduced = re.compile(
            rf"\b(i'm|i am|this is|my name is) ([a-z][\w'-]+(?: [a-z][\w'-]+)?)"
            rf"(?= (?:from|at|here at) (?:{said})\b)",
            re.IGNORECASE,
        )
        text = introduced.sub(lambda m: f"{m.group(1)} {m.group(2).title()}", text)
    return text
