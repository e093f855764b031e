"""Labels for themes: a short phrase taken from the evidence that a PM could keep as a title.

How a theme gets its label (docs/theme-discovery.md has the measurements):

1. Candidates come from the members' own words as embedded (`product_part`: boilerplate
   and, in a note of several parts, the parts about the account's business removed):
   every contiguous run of 1-8 words within a clause that at least two members share
   ("dark mode", "exports time out on large reports"), not starting or ending on a
   function word, and the clauses of 2-8 words of the most central members ("my card has
   not arrived yet": the representative sentence, short enough to be a title). Phrases
   that read as praise are not candidates.
2. Each candidate is embedded with the same encoder as the evidence and scored by its
   cosine to the theme's centre, minus `DISTINCT_WEIGHT` times its cosine to the closest
   other theme's centre (a phrase that fits every theme names none), plus small bonuses for
   the share of members that use it and for being a whole clause somewhere.
3. The label is the best candidate, first letter capitalised, in the casing its writers
   used most ("SAML single sign-on through Okta"). The theme's `terms` are picked by
   maximal marginal relevance (`MMR_DIVERSITY`), so they show different sides of the
   theme rather than five rewordings of the label.

`distinctive_terms` (class-based TF-IDF keyword triples such as "card arrival, new card,
arrive") was the labelling before; `bench/labels.py` measures both in the same run.
"""

# People type curly apostrophes and dashes; the patterns must match them.
# ruff: noqa: RUF001

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from huddle.insights.embedding import Embedder, normalize_rows
from huddle.insights.off_topic import off_topic_by_rules, product_part
from huddle.insights.praise import praise_by_rules

_WORD = re.compile(r"[a-z][a-z0-9'&+-]*[a-z0-9]|[a-z]")

# Function words and support-ticket filler ("please", "hi", "thanks") that would otherwise
# top every label.
_STOPWORD_TEXT = """
a about above after again against all am an and any are aren't as at be because been
before being below between both but by can can't cannot could couldn't did didn't do
does doesn't doing don't down during each few for from further had hadn't has hasn't
have haven't having he he'd he'll he's her here here's hers herself him himself his how
how's i i'd i'll i'm i've if in into is isn't it it's its itself let's me more most
mustn't my myself no nor not of off on once only or other ought our ours ourselves out
over own same shan't she she'd she'll she's should shouldn't so some such than that
that's the their theirs them themselves then there there's these they they'd they'll
they're they've this those through to too under until up very was wasn't we we'd we'll
we're we've were weren't what what's when when's where where's which while who who's
whom why why's with won't would wouldn't you you'd you'll you're you've your yours
yourself yourselves also just get got still even really will im ive dont cant didnt
doesnt isnt wont please hi hello hey thanks thank thx dear regards cheers ok okay yes
one would like need want know way much many well now make made us via etc use using
arent wasnt werent havent hasnt hadnt shouldnt couldnt wouldnt instead
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())
# A title may open with a negation ("No dark mode", "Can't log in with Okta").
_OPENERS = frozenset(
    [
        "no",
        "not",
        "can't",
        "cannot",
        "cant",
        "don't",
        "doesn't",
        "didn't",
        "won't",
        "isn't",
        "couldn't",
        "never",
        "missing",
    ]
)

_WH = frozenset(["how", "why", "what", "when", "where", "which", "who", "whom", "whose"])
# "[we'd] love a dark mode", "[would] like to set budgets": the wish, not the thing wished.
_MODAL = frozenset(
    ["would", "could", "should", "i'd", "we'd", "you'd", "they'd", "id", "wed", "youd", "theyd"]
)
_WISH = frozenset(["love", "like", "prefer", "appreciate"])

# Tuned on Banking77 train, reported on test (bench/labels.py, docs/theme-discovery.md).
DISTINCT_WEIGHT = 0.5
COVERAGE_WEIGHT = 0.1
CLAUSE_BONUS = 0.03
# Shape rules, not tuned: a title is at most eight words and rarely one.
SINGLE_WORD_PENALTY = 0.05
NAME_PENALTY = 0.05
NO_SUBJECT_PENALTY = 0.05
MAX_WORDS = 8
MAX_CHARACTERS = 120
MMR_DIVERSITY = 0.5
NGRAM_WORDS = 8
NGRAM_CANDIDATES = 40
CLAUSE_MEMBERS = 8

_TOKEN = re.compile(r"[A-Za-z0-9][\w'’&+./@#-]*[\w+#]|[A-Za-z0-9]")
# A full stop ends a clause, the dot in "Bill.com" or "v3.2" does not.
_CLAUSE_BREAK = re.compile(r"[!?;:\n()\[\]\"“”|•]+|\.+(?=\s|$)|\s[-–—]\s|,\s")
_NUMBERISH = re.compile(r"^[\d.,:/%$€£#+-]+$")


def tokens(text: str) -> list[str]:
    words = [w for w in _WORD.findall(text.lower()) if w not in STOPWORDS and len(w) > 1]
    return words + [f"{a} {b}" for a, b in itertools.pairwise(words)]


@dataclass(frozen=True)
class Label:
    label: str
    terms: list[str]


def clauses(text: str) -> list[list[str]]:
    """The text's clauses as word lists, boilerplate and the account's business removed."""
    found = []
    for part in _CLAUSE_BREAK.split(product_part(text)):
        words = [w.rstrip("'’") for w in _TOKEN.findall(part)]
        if words:
            found.append(words)
    return found


def _plain(word: str) -> str:
    return word.lower().replace("’", "'")


# Adverbs and conjunctions a title neither opens nor closes on: "[twice] because of a
# duplicate", "managers [actually]".
_ADVERB_TEXT = """
actually already anyway though although maybe probably basically literally honestly
currently sometimes usually always often yet either instead twice because since unless
whereas especially mostly mainly apparently obviously definitely certainly lately recently
otherwise somehow
"""
_ADVERBS = frozenset(_ADVERB_TEXT.split())


# Who said it, not what was said: "[also hearing that they] need 1099 reporting".
_REPORTING = frozenset(["hearing", "heard", "said", "says", "mentioned", "told", "noted"])


def _may_open(word: str) -> bool:
    plain = _plain(word)
    # "[wed] love teams approvals": a wish typed without its apostrophe is still a wish.
    if plain in _ADVERBS or plain in _MODAL or plain in _REPORTING:
        return False
    return plain in _OPENERS or (plain not in STOPWORDS and not _NUMBERISH.match(plain))


# Words a title does not end on besides the stopwords: "their CFO asks for it every".
_DANGLING = frozenset(
    [
        "every",
        "per",
        "than",
        "whole",
        "full",
        "across",
        "within",
        "without",
        "towards",
        "toward",
        "last",
        "next",
    ]
)


# The particle of a phrasal verb closes a title when it follows a word that may close one:
# "exports time out", "can't log in", "the app shuts down".
_PARTICLES = frozenset(["out", "up", "off", "down", "in", "on", "over"])
# A phrase that nearly always goes on with one of these is cut short: "dashboards time
# [out]", "department heads have no idea [how much…]", "claims have to be worked [out]".
# These particles are prepositions as often: "can't log in" ends its clause, "auditors are
# on site in [March]" does not; they close a title only where they end the clause.
_PREPOSITION_PARTICLES = frozenset(["in", "on", "over"])
_GOES_ON = frozenset(
    ["out", "up", "how", "what", "why", "which", "whether", "who", "whom", "of", "than"]
)
CUT_SHORT_SHARE = 0.8
# A phrase that joins a second clause must finish it: "dashboards time out when we pick
# [a date range]", "bank account was changed and nobody [noticed]" are cut mid-clause.
# Such a phrase is a candidate only where it ends its clause in at least half its uses.
_JOINERS = frozenset(
    [
        "but",
        "when",
        "whenever",
        "before",
        "after",
        "until",
        "unless",
        "while",
        "if",
        "once",
        "that",
        "because",
        "since",
        "so",
    ]
)
JOINED_END_SHARE = 0.5
# A second clause of more words than this says something on its own: "can't see the
# attachment when approving on mobile [today]" is a title; "…when we pick [a range]" is
# not. "And" and "or" join things more often than clauses ("old and new [values]").
JOINED_CLAUSE_WORDS = 2


# A question word opens a clause that runs longer: "docs don't say what the API limit
# [is]", "no idea how much of their budget [is left]".
ASKED_CLAUSE_WORDS = 4


def _short_second_clause(key: str) -> bool:
    words = key.split()
    for index in range(len(words) - 1, 0, -1):
        if words[index] in _JOINERS:
            return len(words) - 1 - index <= JOINED_CLAUSE_WORDS
        if words[index] in _WH:
            return len(words) - 1 - index <= ASKED_CLAUSE_WORDS
    return False


# A reason is not a title: "[we keep budgets in a] spreadsheet because Ledgerline has no
# budgets", "approvals by email because the rules…". The thing it explains is.
_REASONS = frozenset(["because", "cause", "although", "though", "whereas"])


def _may_close(word: str, before: str = "") -> bool:
    plain = _plain(word)
    if plain in _PARTICLES and before:
        return _may_close(before)
    if plain in _ADVERBS:
        return False
    return plain not in STOPWORDS and plain not in _DANGLING and not _NUMBERISH.match(plain)


def _content(word: str) -> bool:
    """A word that carries meaning of its own: one a title may close on, not a determiner."""
    return bool(word) and _may_close(word) and word not in _DETERMINERS


def _written(forms: Counter[str]) -> str:
    """The form to show: the most used, but "ERP" over "erp" when capitals are used at all
    (chat is typed in lower case, titles are not)."""
    ranked = forms.most_common()
    best, count = ranked[0]
    for form, used in ranked:
        if form != form.lower() and 2 * used >= count:
            return form
    return best


def _phrase_counts(
    texts: Sequence[list[list[str]]], whole: set[str]
) -> tuple[Counter[str], dict[str, Counter[str]], set[str]]:
    """Per lower-case n-gram: in how many texts it occurs, and its written forms; and the
    n-grams cut short (nearly always going on with a word such as "out" or "how"). Whole
    clauses are added to `whole`."""
    counts: Counter[str] = Counter()
    forms: dict[str, Counter[str]] = {}
    after: dict[str, Counter[str]] = {}
    preceding: dict[str, Counter[str]] = {}
    for text in texts:
        seen: set[str] = set()
        for words in text:
            whole.add(" ".join(words).lower())
            for start in range(len(words)):
                # "[how] long does a transfer take" is the middle of a question, not a name.
                before = _plain(words[start - 1]) if start else ""
                if not _may_open(words[start]) or before in _WH:
                    continue
                if before in _MODAL and _plain(words[start]) in _WISH:
                    continue
                for stop in range(start + 1, min(start + NGRAM_WORDS, len(words)) + 1):
                    previous = words[stop - 2] if stop - 2 >= start else ""
                    if not _may_close(words[stop - 1], previous):
                        continue
                    # Where the clause goes on: "a Slack approve button would save [us
                    # hours]" (the verb after a modal goes on to its object), "our ERP to
                    # hear about a payment [the moment it clears]".
                    if stop < len(words) and stop >= 2 and _goes_on_after(words, stop):
                        continue
                    written = " ".join(words[start:stop])
                    key = written.lower()
                    forms.setdefault(key, Counter())[written] += 1
                    following = _plain(words[stop]) if stop < len(words) else ""
                    after.setdefault(key, Counter())[following] += 1
                    preceding.setdefault(key, Counter())[before] += 1
                    seen.add(key)
        counts.update(seen)
    cut_short = set()
    for key, nexts in after.items():
        word, used = nexts.most_common(1)[0]
        total = sum(nexts.values())
        # A phrase nearly always read inside a longer one that may be a label itself is
        # cut short: "Slack approve [button]". One that nearly always follows a word of
        # meaning starts mid-phrase, whether or not the longer one fits: "[purchase] orders
        # before we can move", "[implementation] took much longer"; and "[no] idea how much
        # is left" says the opposite without its negation.
        word_before, used_before = preceding[key].most_common(1)[0]
        inside = (
            _content(word) and used >= CUT_SHORT_SHARE * total and f"{key} {word}" in forms
        ) or (
            (_content(word_before) or word_before in _OPENERS)
            and used_before >= CUT_SHORT_SHARE * total
        )
        goes_on = word in _GOES_ON and used >= CUT_SHORT_SHARE * total
        unfinished = _short_second_clause(key) or key.rsplit(" ", 1)[-1] in _PREPOSITION_PARTICLES
        if goes_on or inside or (unfinished and nexts[""] < JOINED_END_SHARE * total):
            cut_short.add(key)
    return counts, forms, cut_short


def _candidates(
    member_clauses: Sequence[list[list[str]]],
) -> tuple[list[str], list[float], list[bool]]:
    """Phrases a label may be, the share of members using each, and whether each is a whole
    clause somewhere (a fragment cut mid-phrase reads worse as a title)."""
    whole: set[str] = set()
    counts, forms, cut_short = _phrase_counts(member_clauses, whole)
    n = max(len(member_clauses), 1)
    shared = [(key, c) for key, c in counts.items() if c >= 2 and key not in cut_short]
    # Frequent phrases first; among equally frequent ones the longer says more.
    shared.sort(key=lambda kc: (-kc[1] * (1 + 0.25 * min(len(kc[0].split()), 4)), kc[0]))
    chosen: dict[str, float] = {}
    for key, c in shared[:NGRAM_CANDIDATES]:
        chosen[_written(forms[key])] = c / n
    known = {written.lower() for written in chosen}
    # The most central members' clauses: their representative sentence, kept when short.
    for text in member_clauses[:CLAUSE_MEMBERS]:
        for words in text:
            if words and _plain(words[0]) in _WH:
                continue
            while words and not _may_open(words[0]):
                if _plain(words[0]) in _MODAL and len(words) > 1 and _plain(words[1]) in _WISH:
                    words = words[1:]
                words = words[1:]
            whole_clause = len(words)
            while words and not _may_close(words[-1], words[-2] if len(words) > 1 else ""):
                words = words[:-1]
            written = " ".join(words)
            # "…say what the API limit [is]": trimmed, the question it asks is cut short.
            if len(words) < whole_clause and _short_second_clause(written.lower()):
                continue
            if 2 <= len(words) <= MAX_WORDS and written.lower() not in known:
                known.add(written.lower())
                chosen[written] = counts.get(written.lower(), 1) / n
    # "Love the card controls. But dashboards time out…": the praise is not the problem, nor
    # is "new CFO started in May" in a call note that goes on to name one.
    keep = [c for c in chosen if praise_by_rules(c) is not True and not _gives_a_reason(c)]
    keep = [c for c in keep if not off_topic_by_rules(c)] or keep
    # "Support said it was the merchant category": who said it, then what they said.
    keep = [c for c in keep if len(c.split()) < 2 or _plain(c.split()[1]) not in _REPORTING]
    spelling = _Spelling(member_clauses)
    keep = [c for c in keep if spelling.as_written(c)] or keep
    return keep, [chosen[c] for c in keep], [c.lower() in whole for c in keep]


class _Spelling:
    """How a theme's members spell and capitalise their words, to keep a label from being
    the one member's typo ("Pllease localise the app", "can't offboard people porperly") or
    chat typed in lower case ("teams approvals were a microsoft shop", where the others
    write "We'd love Teams approvals, we're a Microsoft shop")."""

    def __init__(self, member_clauses: Sequence[list[list[str]]]) -> None:
        self.members: Counter[str] = Counter()
        self.capitalised: Counter[str] = Counter()
        self.lower: Counter[str] = Counter()
        for text in member_clauses:
            seen = set()
            for words in text:
                for index, word in enumerate(words):
                    plain = _plain(word)
                    seen.add(plain)
                    if index and word[:1].isupper():
                        self.capitalised[plain] += 1
                    elif word[:1].islower():
                        self.lower[plain] += 1
            self.members.update(seen)
        # Every word at least two members use, by each form it takes with one letter left
        # out: a word one letter away from one of them (a letter added, dropped, changed
        # or two swapped) shares such a form with it.
        self.near: dict[str, set[str]] = {}
        for word, used in self.members.items():
            if used >= 2 and len(word) >= TYPO_MIN_LETTERS:
                for form in _one_letter_out(word):
                    self.near.setdefault(form, set()).add(word)

    def as_written(self, phrase: str) -> bool:
        words = phrase.split()
        for index, word in enumerate(words):
            plain = _plain(word)
            if (
                index
                and word[:1].islower()
                and 2 * self.capitalised[plain] >= max(self.lower[plain], 1)
            ):
                return False
            if self.members[plain] <= 1 and len(plain) >= TYPO_MIN_LETTERS and self._typo(plain):
                return False
        return True

    def _typo(self, word: str) -> bool:
        for form in _one_letter_out(word):
            for other in self.near.get(form, ()):
                if other != word and not _inflected(word, other):
                    return True
        return False


_WHEN_OPENERS = frozenset(
    [("the", "moment"), ("every", "time"), ("each", "time"), ("any", "time"), ("next", "time")]
)


def _goes_on_after(words: Sequence[str], stop: int) -> bool:
    """Whether a phrase ending at `stop` stops where its clause cannot: on the verb after a
    modal, or on "the moment", "every time"."""
    before, last = _plain(words[stop - 2]), _plain(words[stop - 1])
    return before in _AUXILIARY or (before, last) in _WHEN_OPENERS


# Shorter words are too often two real words one letter apart ("form", "from").
TYPO_MIN_LETTERS = 5
_AUXILIARY = frozenset(["would", "could", "should", "will", "can", "might", "must", "may"])


def _one_letter_out(word: str) -> set[str]:
    return {word, *(word[:i] + word[i + 1 :] for i in range(len(word)))}


def _inflected(a: str, b: str) -> bool:
    """Two forms of one word ("invoice", "invoices"; "manager", "managed"): they part only
    in their last two letters."""
    common = next(
        (i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b))
    )
    return len(a) - common <= 2 and len(b) - common <= 2


def _gives_a_reason(phrase: str) -> bool:
    return not _REASONS.isdisjoint(_plain(w) for w in phrase.split()[1:])


# Words after which a word ending in -s is a verb without its subject: "[she] owns the AP
# process", "[it] needs the app in their language", "[our sync] hits our API limits".
_DETERMINERS = frozenset(
    [
        "the",
        "a",
        "an",
        "our",
        "my",
        "their",
        "your",
        "his",
        "her",
        "its",
        "every",
        "all",
        "this",
        "these",
        "those",
        "some",
        "any",
    ]
)


def _shape_penalty(phrase: str) -> float:
    """What keeps a phrase from reading as a title, in score: one word ("Refund"), a bare
    name ("Thistle Analytics", "CFO": a topic, not a problem), a verb with no subject."""
    words = phrase.split()
    penalty = SINGLE_WORD_PENALTY if len(words) == 1 else 0.0
    named = all(w[:1].isupper() or w[:1].isdigit() for w in words)
    if len(words) <= 3 and named and _plain(words[0]) not in _OPENERS:  # not "No SAML SSO"
        penalty += NAME_PENALTY
    first = _plain(words[0]) if words else ""
    if (
        len(words) > 1
        and first.endswith("s")
        and not first.endswith(("ss", "us", "is", "'s"))
        and _plain(words[1]) in _DETERMINERS
    ):
        penalty += NO_SUBJECT_PENALTY
    return penalty


def _title(phrase: str) -> str:
    phrase = phrase[:MAX_CHARACTERS]
    return phrase[:1].upper() + phrase[1:] if phrase[:1].islower() else phrase


def _mmr(vectors: npt.NDArray[np.float32], scores: npt.NDArray[np.float64], top: int) -> list[int]:
    picked = [int(np.argmax(scores))]
    while len(picked) < min(top, len(scores)):
        redundancy = (vectors @ vectors[picked].T).max(axis=1)
        value = (1 - MMR_DIVERSITY) * scores - MMR_DIVERSITY * redundancy
        value[picked] = -np.inf
        picked.append(int(np.argmax(value)))
    return picked


def label_themes(
    member_texts: Sequence[Sequence[str]],
    centroids: npt.ArrayLike,
    embedder: Embedder,
    *,
    terms: int = 5,
    distinct_weight: float = DISTINCT_WEIGHT,
    coverage_weight: float = COVERAGE_WEIGHT,
) -> list[Label]:
    """One label per theme. `member_texts[t]` are theme t's texts, most central first;
    `centroids[t]` its centre in `embedder`'s space."""
    centres = normalize_rows(centroids) if len(member_texts) else np.zeros((0, embedder.dim))
    per_theme = [_candidates([clauses(t) for t in texts]) for texts in member_texts]
    phrases = [p for candidates, _, _ in per_theme for p in candidates]
    vectors = embedder.encode(phrases) if phrases else np.zeros((0, embedder.dim), np.float32)
    labels: list[Label] = []
    start = 0
    for theme, (candidates, coverage, complete) in enumerate(per_theme):
        rows = vectors[start : start + len(candidates)]
        start += len(candidates)
        if not candidates:
            labels.append(Label(label=_fallback(member_texts[theme]), terms=[]))
            continue
        similarity = rows @ centres.T
        own = similarity[:, theme].astype(np.float64)
        others = np.delete(similarity, theme, axis=1)
        closest_other = others.max(axis=1) if others.shape[1] else np.zeros(len(rows))
        score = (
            own
            - distinct_weight * closest_other
            + coverage_weight * np.log1p(np.asarray(coverage) * 10) / math.log(11)
            + CLAUSE_BONUS * np.asarray(complete)
        )
        # A single word ("Refund") or a bare name is a topic, not a title: a phrase that
        # reads as one wins when it is near.
        score = score - np.asarray([_shape_penalty(c) for c in candidates])
        order = _mmr(rows, score, terms)
        labels.append(
            Label(label=_title(candidates[order[0]]), terms=[candidates[i] for i in order])
        )
    return labels


def _fallback(texts: Sequence[str]) -> str:
    for text in texts:
        for words in clauses(text):
            return _title(" ".join(words[:MAX_WORDS]))
    return "(no text)"


def distinctive_terms(
    texts: Sequence[str],
    labels: npt.NDArray[np.int64],
    n_themes: int,
    *,
    top: int = 8,
) -> list[list[str]]:
    """Class-based TF-IDF keywords per theme id 0..n_themes-1 (the labels before phrases;
    kept as the baseline `bench/labels.py` measures against). Items labelled -1 count only
    as "the rest"."""
    vocabulary: dict[str, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    for index, text in enumerate(texts):
        theme = int(labels[index])
        if theme < 0:
            continue
        # A term counts once per text: one long rant repeating a word must not name a theme.
        for term in set(tokens(text)):
            cols.append(vocabulary.setdefault(term, len(vocabulary)))
            rows.append(theme)
    if not vocabulary or n_themes == 0:
        return [[] for _ in range(n_themes)]
    counts = np.zeros((n_themes, len(vocabulary)), dtype=np.float32)
    np.add.at(counts, (np.asarray(rows), np.asarray(cols)), 1.0)
    # A term seen in a single text says nothing about a group.
    counts[counts < 2] = 0.0
    totals = np.maximum(counts.sum(axis=1, keepdims=True), 1.0)
    frequency = np.maximum(counts.sum(axis=0), 1.0)
    average = counts.sum() / max(n_themes, 1)
    weights = (counts / totals) * np.log1p(average / frequency)[None, :]
    terms = np.array(list(vocabulary), dtype=object)
    result: list[list[str]] = []
    for theme in range(n_themes):
        row = weights[theme]
        order = np.argsort(-row)[: top * 3]
        picked: list[str] = []
        for term in terms[order[row[order] > 0]]:
            # "card arrival" makes "card" and "arrival" on their own redundant.
            if any(term in chosen.split() or chosen in str(term).split() for chosen in picked):
                continue
            picked.append(str(term))
            if len(picked) == top:
                break
        result.append(picked)
    return result


def label_from_terms(terms: Sequence[str], *, words: int = 3) -> str:
    return ", ".join(terms[:words]) if terms else "(no distinctive terms)"
