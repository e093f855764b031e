"""Spam's signals are searched for only in a text holding one of their words (`_SPAM_HINTS`,
read from each signal's pattern): a shortcut that must never change a verdict. Every signal
that matches a text must find one of its words there, on every labelled export and sample
but the calls cut into pieces, and on the characters IGNORECASE folds in ways case folding
does not."""

import re
from pathlib import Path

from huddle.connectors import noise, noise_spam

TESTS = Path(__file__).resolve().parents[1]


def _pieces() -> list[str]:
    """The labelled exports and samples but the calls (where no spam is), in pieces of 600
    characters overlapping by half."""
    found = []
    for path in sorted((TESTS / "connectors").rglob("*")):
        if (
            not path.is_file()
            or path.suffix in {".py", ".pyc"}
            or "transcript" in path.parts
            or path.stat().st_size > 3_000_000
        ):
            continue
        text = path.read_bytes().decode("utf-8", errors="replace")
        found.extend(text[at : at + 600] for at in range(0, len(text), 300))
    return found


def test_every_signal_has_words_to_look_for() -> None:
    assert len(noise_spam.SPAM_HINTS) == len(noise_spam.SPAM_SIGNALS)
    assert all(noise_spam.SPAM_HINTS), "a signal with no word to look for is searched always"


def test_a_signal_that_matches_finds_its_words_and_verdicts_do_not_change() -> None:
    matched = 0
    for piece in _pieces():
        whole = f"\n{piece}"  # as `spam` reads a text without a title
        folded = noise_spam.folded(whole)
        signals = 0
        for signal, hints in zip(noise_spam.SPAM_SIGNALS, noise_spam.SPAM_HINTS, strict=True):
            if signal.search(whole):
                signals += 1
                assert any(hint in folded for hint in hints), (signal.pattern[:60], piece)
        matched += signals
        # Every signal searched one by one, as before the hints: the same verdict.
        assert noise.spam(piece) == (signals >= 2), piece
    assert matched > 1000  # the exports hold spam in many languages


def test_what_ignorecase_matches_the_folded_text_holds() -> None:
    """Each character of the hints, and any character IGNORECASE matches to it (the Kelvin
    sign to "k", the long s to "s", the dotless i to "i"), is found in the folded text."""
    letters = sorted(
        {c for hints in noise_spam.SPAM_HINTS if hints for hint in hints for c in hint}
    )
    any_of_them = re.compile("[" + "".join(map(re.escape, letters)) + "]", re.IGNORECASE)
    patterns = [(letter, re.compile(re.escape(letter), re.IGNORECASE)) for letter in letters]
    for code in range(0x30000):
        character = chr(code)
        if not any_of_them.fullmatch(character):
            continue
        for letter, pattern in patterns:
            if pattern.fullmatch(character):
                assert letter in noise_spam.folded(character), (letter, hex(code))
