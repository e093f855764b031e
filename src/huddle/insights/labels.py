"""Short labels for themes: the terms that set one group of texts apart from the rest.

Class-based TF-IDF (as in BERTopic): all texts of a theme form one document, a term's
weight is its frequency in that theme times log(1 + average theme length / its frequency
over all themes). Unigrams and bigrams, English stopwords removed, so a label reads like
"card arrival, new card, arrive".
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

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
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())


def tokens(text: str) -> list[str]:
    words = [w for w in _WORD.findall(text.lower()) if w not in STOPWORDS and len(w) > 1]
    return words + [f"{a} {b}" for a, b in itertools.pairwise(words)]


def distinctive_terms(
    texts: Sequence[str],
    labels: npt.NDArray[np.int64],
    n_themes: int,
    *,
    top: int = 8,
) -> list[list[str]]:
    """Top terms per theme id 0..n_themes-1; items labelled -1 count only as "the rest"."""
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
