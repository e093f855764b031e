"""What a search by words looks for, read the same way whichever database answers it.

A search is the words typed, each matching the start of a word in the text (`export` finds
"exports"), all of them, in any order, whatever their case or accents. Words typed joined by
punctuation stay together as a phrase (`user_id` finds "user_id" and "user id", not "id of
the user"). Nothing typed is syntax: quotes, `*`, `-`, `:`, `NEAR`, `AND` are characters
like any other, and a search with no letter or digit in it finds nothing.
"""

import re
import unicodedata

# A search of more words than this is a pasted paragraph; the first ones are searched.
MOST_WORDS = 32

_WORD = re.compile(r"[^\W_]+")


def search_phrases(typed: str) -> list[str]:
    """The phrases of a search, in the order typed, each its words joined by a space: one
    per run of characters between spaces that holds a letter or a digit."""
    phrases: list[str] = []
    room = MOST_WORDS
    # Composed, so that an accent typed as a separate mark stays part of its letter.
    for chunk in unicodedata.normalize("NFC", typed).split():
        words = _WORD.findall(chunk)[:room]
        phrase = " ".join(words)
        if phrase and phrase not in phrases:
            phrases.append(phrase)
            room -= len(words)
        if room <= 0:
            break
    return phrases


def fts5_query(phrases: list[str]) -> str:
    """SQLite FTS5's spelling of a search: each phrase quoted (its last word a prefix), all
    of them required. The phrases hold letters, digits and spaces only, so no quote or
    operator can reach FTS5's syntax."""
    return " ".join(f'"{phrase}"*' for phrase in phrases)
