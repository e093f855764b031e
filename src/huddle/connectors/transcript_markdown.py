"""A call kept in a Markdown note: its front matter, and the turns under its transcript heading.

A meeting note in a PM's vault (Obsidian's, as Obsidian saves it; a notes plugin's, Logseq's
or Notion's Markdown export) opens with YAML front matter between `---` lines (title, date,
company, attendees, perhaps as `[[wiki links]]`), then the note's own sections: the PM's
summary, follow-ups as checkboxes, then a "## Transcript" heading over the turns, each a
line `**Name** [00:04:10]: text` or `**Name:** text`. What the note's writer put above the
transcript is nobody's words on the call; the front matter is the call's metadata. The
turns, their Markdown marks taken off, are read as plain text (`transcript_plain`).
"""

import re
from pathlib import Path

from huddle.connectors.base import ConnectorOptions
from huddle.connectors.transcript_formats import META_KEYS, Call, name_line, numbered_lines
from huddle.connectors.transcript_plain import read_plain
from huddle.imports.fields import normalise
from huddle.imports.records import RowError
from huddle.imports.rows import RowShapeError

MARKDOWN_SUFFIXES = frozenset([".md", ".markdown"])

_HEADING = re.compile(r"^(?P<level>#{1,6})\s+(?P<text>.+?)\s*#*$")
# The heading a note keeps the call's words under: "Transcript", "Full transcript",
# "Transcript (auto)", "📝 Transcript".
_TRANSCRIPT_HEADING = re.compile(r"^\W*(?:full |raw |call |meeting )?transcript\b", re.IGNORECASE)
# Sections a note's writer fills with their own words, when no heading says where the
# transcript is: all but these are read.
_NOTES_HEADING = re.compile(
    r"^\W*(?:summary|notes|my notes|meeting notes|action items|follow[- ]?ups|next steps|"
    r"key points|takeaways|decisions|to ?dos?|tasks|agenda)\b",
    re.IGNORECASE,
)
# `[[Tidewater Outfitters]]`, `[[people/Dana Lee|Dana Lee]]`: the name shown.
_WIKI_LINK = re.compile(r"\[\[(?:[^\]|]*\|)?([^\]|]*)\]\]")
# A speaker's name in bold at the start of a turn: "**Dana Lee** [00:00:12]: …", "**Dana
# Lee:** …", perhaps as a list item.
_BOLD_LABEL = re.compile(r"^(?:[-*+]\s+)?(?:\*\*|__)(?P<label>[^*_]{1,80}?)(?:\*\*|__)")
# A line of the writer's own in italics ("*Recorded with MacWhisper, names fixed by hand.*"),
# an embedded file ("![[call.m4a]]"), a rule: nobody's words.
_ASIDE = re.compile(r"^(?:([*_])[^*_].*\1|!\[\[.*\]\]|!\[.*\]\(.*\)|(?:[-*_]\s*){3,})$")
# A line of Obsidian's (or Bear's) tags, "#customer-call #globex": the note's metadata, no
# heading (a heading has a space after its marks) and nobody's words.
_TAGS = re.compile(r"^(?:#[^\s#\d][^\s#]*\s*)+$")
# A turn as a note without a transcript heading writes it, its bold marks off: "Dana Lee
# [00:00:12]: …", "Dana Lee: …".
_TURN = re.compile(r"^(?:[-*+]\s+)?(?P<label>[^:\[\]]{1,60}?)\s*(?:\[[\d:.,]+\])?\s*:\s*\S")


def is_markdown(path: Path) -> bool:
    return path.suffix.lower() in MARKDOWN_SUFFIXES


def read_markdown(path: Path, options: ConnectorOptions, errors: list[RowError]) -> Call:
    """The call a Markdown note keeps: its front matter as the call's metadata lines, then
    the lines of its transcript section (or of every section but its writer's notes)."""
    lines = list(numbered_lines(path, options))
    meta, body = _front_matter(lines)
    call = read_plain(path, options, errors, lines=meta + _transcript(body))
    if call.title is None:
        call.title = next(
            (
                heading["text"]
                for _, text in body
                if (heading := _HEADING.match(text)) and len(heading["level"]) == 1
            ),
            None,
        )
    return call


def _front_matter(
    lines: list[tuple[int, str]],
) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """The front matter's keys the transcript readers know, as "Key: value" lines (a list's
    items joined by commas, wiki links as the names they show), and the lines after it."""
    said = [(i, text) for i, (_, text) in enumerate(lines) if text]
    if not said or said[0][1] != "---":
        return [], lines
    start = said[0][0]
    end = next((i for i in range(start + 1, len(lines)) if lines[i][1] == "---"), None)
    if end is None:
        return [], lines
    values: dict[str, tuple[int, list[str]]] = {}
    key = ""
    for number, text in lines[start + 1 : end]:
        item = re.match(r"^-\s+(.*)$", text)
        if item and key:
            values[key][1].append(_plain(item[1]))
            continue
        name, sep, value = text.partition(":")
        if not sep or not re.fullmatch(r"[\w -]{1,40}", name):
            key = ""
            continue
        key = name.strip()
        value = value.strip()
        if value.startswith("[") and value.endswith("]") and not value.startswith("[["):
            items = [_plain(v) for v in value[1:-1].split(",")]  # a flow list: "[a, b]"
        else:
            items = [_plain(value)] if value else []
        values[key] = (number, items)
    meta = [
        (number, f"{name}: {', '.join(i for i in items if i)}")
        for name, (number, items) in values.items()
        if normalise(name) in META_KEYS and any(items)
    ]
    return meta, lines[end + 1 :]


def _plain(value: str) -> str:
    """A front matter value as written for a person: no quotes, wiki links as their names."""
    return _WIKI_LINK.sub(r"\1", value.strip().strip("\"'")).strip()


def _transcript(body: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """The lines of the note's transcript section, or, when no heading names one, of every
    section but its writer's own notes; without headings, Markdown marks or asides."""
    sections: list[tuple[str, int, list[tuple[int, str]]]] = [("", 0, [])]
    for number, text in body:
        heading = _HEADING.match(text)
        if heading:
            sections.append((heading["text"], len(heading["level"]), []))
        else:
            sections[-1][2].append((number, text))
    at = next((i for i, s in enumerate(sections) if _TRANSCRIPT_HEADING.match(s[0])), None)
    if at is not None:
        level = sections[at][1]
        kept = [sections[at]]
        for section in sections[at + 1 :]:
            if section[1] <= level:
                break  # a heading of the transcript's rank or above ends it
            kept.append(section)
    else:
        kept = [s for s in sections if not _NOTES_HEADING.match(s[0])]
    read = [
        (
            number,
            "" if _ASIDE.match(text) or _TAGS.match(text) else _BOLD_LABEL.sub(r"\g<label>", text),
        )
        for _, _, lines in kept
        for number, text in lines
    ]
    if at is None and not _mostly_turns([text for _, text in read if text]):
        raise RowShapeError(
            1,
            'no transcript found in this Markdown note: no heading names one ("## Transcript")'
            ' and its lines are not mostly turns of named speakers ("Dana Lee: …")',
        )
    return read


def _mostly_turns(said: list[str]) -> bool:
    """Whether a note's lines, without a transcript heading, are a transcript's: most of them
    turns, each by a name, and a person's (two words or more, or heard more than once) rather
    than a topic's ("**Export:** times out…" in interview notes or release notes)."""
    labels = [turn["label"].strip() for text in said if (turn := _TURN.match(text))]
    if not labels or 2 * len(labels) < len(said) or not all(map(name_line, labels)):
        return False
    return all(len(label.split()) > 1 or labels.count(label) > 1 for label in labels)
