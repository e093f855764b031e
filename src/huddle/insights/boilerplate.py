"""What every piece of evidence says besides its point: greetings, survey scores, sign-offs.

`strip_boilerplate` is applied to a text before it is embedded (so two tickets are not
close because both start "Hi team," and end "Sent from my iPhone") and before a theme is
labelled (so no label reads "NPS 8"). It only removes; it never rewrites what is left.
When nothing would be left ("Thanks!"), the text is returned as it was: an empty text has
no meaning to embed.
"""

# People type curly apostrophes and en/em dashes; the patterns must match them.
# ruff: noqa: RUF001, RUF003

from __future__ import annotations

import re

_GREETING_WORD = (
    r"(?:hi+|hello+|hey+|hiya|howdy|yo|dear|greetings|good\s+(?:morning|afternoon|evening|day)"
    r"|to\s+whom\s+it\s+may\s+concern)"
)
# "Hi team," "Hello lovely support team," "Hi Maria!" "Good morning all:": the greeting and a
# few words of address up to the punctuation or line break that closes it.
_GREETING = re.compile(
    rf"^\s*{_GREETING_WORD}\b(?:[ \t]+[\w{{}}'’.-]+){{0,4}}?[ \t]*(?:[,!:;]+|\.(?=\s)|\n)\s*",
    re.IGNORECASE,
)
# "hiya the export cuts off": a bare greeting word, with at most a "there" or "team".
_BARE_GREETING = re.compile(
    rf"^\s*{_GREETING_WORD}\b(?:\s+(?:there|team|all|folks|guys|everyone))?\s+",
    re.IGNORECASE,
)
_PLEASANTRY = re.compile(
    r"^\s*(?:(?:i\s+)?hope\s+(?:you(?:'re|’re|\s+are)|this\s+finds\s+you|all\s+is)[^.!?\n]*"
    r"|quick\s+one\s+before\s+the\s+weekend|sorry\s+for\s+the\s+long\s+email"
    r"|following\s+up\s+on\s+our\s+call|quick\s+q(?:uestion)?|flagging\s+something\s+for\s+you"
    r"|i\s+wanted\s+to\s+put\s+this\s+in\s+writing)[.!,:]*(?:\s+|$)",
    re.IGNORECASE,
)
# "NPS 8 –", "CSAT: 2/5 -", "Rating 4/5:", "[NPS 9]", "5/5 stars -".
_SURVEY_PREFIX = re.compile(
    r"^\s*[\[(]?\s*(?:(?:nps|csat|ces|score|rating|stars?)\s*(?:score)?\s*[:#=]?\s*"
    r"\d+(?:[.,]\d+)?(?:\s*(?:/|out\s+of)\s*\d+)?|\d+(?:\s*/\s*\d+)?\s*stars?)\s*[\])]?"
    r"\s*(?:[-–—:|.]+\s*|(?=[A-Z]))",
    re.IGNORECASE,
)
_SIGNOFF_WORDS = (
    r"(?:thanks?(?:\s+(?:again|so\s+much|a\s+lot|in\s+advance))?|thank\s+you(?:\s+in\s+advance)?"
    r"|many\s+thanks|thx|ty|cheers|regards|best(?:\s+regards|\s+wishes)?|kind\s+regards"
    r"|warm\s+regards|all\s+the\s+best|sincerely|yours(?:\s+(?:truly|sincerely))?|br|rgds)"
)
_SIGNOFF_LINE = re.compile(rf"^\s*{_SIGNOFF_WORDS}\s*[,.!]*\s*$", re.IGNORECASE)
# "Thanks, Maria" or "Cheers - Tom" closing a one-line text.
_TRAILING_SIGNOFF = re.compile(
    rf"(?:^|(?<=[.!?])|\s)\s*{_SIGNOFF_WORDS}\b\s*[,.!–—-]*\s*"
    r"(?-i:[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?\s*[.!]?)?\s*$",
    re.IGNORECASE,
)
_DEVICE_LINE = re.compile(
    r"^\s*(?:sent\s+from\s+my\s+[\w ]{2,30}|sent\s+from\s+(?:outlook|mail)\b.*"
    r"|get\s+outlook\s+for\s+\w+)\s*\.?\s*$",
    re.IGNORECASE,
)
# "– Kenji", "-- Maria Lopez"
_DASH_NAME = re.compile(r"^\s*(?:--?|–|—)\s*[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,2}\s*$")
_QUOTED_REPLY = re.compile(
    r"^\s*(?:>|on\s.{5,80}\swrote:\s*$|-{2,}\s*original\s+message)", re.IGNORECASE
)
_CLOSER = re.compile(
    r"(?:^|(?<=[.!?])\s+)(?:let\s+(?:us|me)\s+know\s+if\s+you\s+need\s+(?:more|any|anything)"
    r"[^.!?]*|any\s+update\s+would\s+be\s+appreciated|thanks\s+for\s+looking\s+into\s+(?:it|this)"
    r"|looking\s+forward\s+to\s+(?:hearing|your)[^.!?]*|happy\s+to\s+jump\s+on\s+a\s+call[^.!?]*"
    r"|let\s+me\s+know\s+what\s+else\s+you\s+need\s+from\s+us)\s*[.!]*\s*$",
    re.IGNORECASE,
)
_CHAT_FILLER = re.compile(
    r"^\s*(?:ok(?:ay)?|k|thx|thanks|thank\s+you|ty|great,?\s+thank\s+you|ok\s+thanks|hi|hello|"
    r"hey|hiya|quick\s+q(?:uestion)?)\s*[.!]*\s*$",
    re.IGNORECASE,
)
# A chat line "Maria: the export fails" is Maria speaking; the name is not content.
_SPEAKER = re.compile(r"^\s*[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?:\s+(?=\S)")
# Field names of notes and review forms ("Pain point:", "Cons:", "What do you dislike?").
_FIELD = re.compile(
    r"(?:^|(?<=\n)|(?<=[.!?]\s))\s*(?:[-*•]\s*)?"
    r"(?:(?:summary|issue|main\s+issue|context|pain\s+point|key\s+problem|struggle|opportunity"
    r"|workaround|ask|quote|direct\s+quote|pros|cons|feedback|comments?|customer\s+reports|background"
    r"|escalating|note|notes|also|another\s+one|then|quote\s+from\s+[\w'’-]+"
    r"|in\s+[\w'’-]+(?:'|’)s\s+words)\s*[:?]"
    r"|what\s+(?:do\s+you\s+(?:like\s+best|dislike)|could\s+be\s+improved)\?)\s+",
    re.IGNORECASE,
)

# A note's "Context:" or "Background:" field is the account's story, not its problem:
# "Context: small finance team of 9.", "Background: closes the books in 9 days."
_BACKGROUND = re.compile(
    r"(?:^|(?<=\n)|(?<=[.!?]\s))[ \t]*(?:[-*•][ \t]*)?(?:context|background)[ \t]*:[ \t]*"
    r"[^\n]*?(?:[.!?](?=\s|$)|(?=\n)|$)",
    re.IGNORECASE,
)

# The first line of meeting notes names the meeting ("Discovery interview with Bianca
# Weber (Aurora Group)", "Quick call with Hannah at Harbor Security", "Discovery call with
# Wren Supply. Spoke to Diego Becker, Senior Accountant."): who and when, not what.
_HEADER = re.compile(
    r"^[^.!?\n]{0,100}\b(?:call|called|calls|conversation|interview|meeting|notes|onsite|on-site|check-in"
    r"|qbr|kickoff|visit|met|discussion|demo|evaluation"
    r"|(?:weekly|monthly|bi-?weekly|quarterly)\s+sync|catch-?up|stand-?up)"
    r"\b[^.!?\n]{0,100}(?:\.\s+(?:attendees?\s*:|spoke\s+(?:to|with)\b|met\s+with\b)[^\n]*)?$",
    re.IGNORECASE,
)
_ATTACHED = re.compile(
    r"(?:^|(?<=[.!?])\s+)(?:screenshots?|recording|video|logs?|file|har\s+file)s?\s+"
    r"(?:is\s+|are\s+)?attached\s*[.!]?",
    re.IGNORECASE,
)


# "Noting for planning:", "Idea from the implementation team:", "On-call note:": a colleague's
# lead-in at the very start: a few plain lower-case words saying where it comes from
# ("SAML SSO: broken" and "Issue with the export: it times out" are not one).
_LEAD_IN = re.compile(
    r"^(?=[^:\n]{0,60}\b(?:note|noting|idea|from|heard|hearing|passing|flagging|fyi|planning"
    r"|reported|escalat\w*|on-call|via|per|recurring|interviews?|queue|calls?)\b)"
    r"[A-Z][a-z'’-]*(?:[ \t]+(?:[a-z][a-z'’-]*|I)){1,6}:[ \t]+(?=\S)"
)


# A note's next steps are the writer's to-do list, not the customer's words: "Next call in
# 6 weeks", "Booked a follow-up for Friday", "Simon to confirm budget by end of April",
# "Action: open a ticket for the export issue". Only whole lines of a note of several lines.
_NEXT_STEP_CORE = (
    r"(?:next\s+(?:steps?|call|meeting|sync|check-?in)\b|next\s*:|"
    r"action(?:\s+items?)?\s*:|to-?do\s*:|follow[- ]up\s+(?:in|on|next|with|by)\b|"
    r"booked\s+(?:a|the|our)\s+(?:follow-up|call|meeting|demo|session)|"
    r"(?:sending|sent|send)\s+(?:the\s+|a\s+)?recap|recap\s+sent|"
    r"will\s+(?:send|share|check|follow\s+up|loop\s+in|circle\s+back)\b|i\s+promised\b|"
    r"proposal\s+goes\s+out|nothing\s+(?:else\s+for\s+product|to\s+chase)|"
    r"[A-Z][\w'’-]+\s+to\s+(?:confirm|send|share|check|follow\s+up|loop\s+in|get\s+back|sign)"
    r"\b)"
)
_NEXT_STEP = re.compile(r"^\s*(?:[-*•]\s*)?" + _NEXT_STEP_CORE, re.IGNORECASE)
# ... or the last sentence of a note written as one paragraph.
_NEXT_STEP_LAST = re.compile(
    r"(?<=[.!?\"”])\s+" + _NEXT_STEP_CORE + r"[^.!?\n]*[.!?]?\s*$", re.IGNORECASE
)


def _strip_signature(lines: list[str]) -> list[str]:
    """Cut a closing block: a sign-off line and the short name/title lines after it."""
    for start in range(len(lines) - 1, max(-1, len(lines) - 6), -1):
        if _SIGNOFF_LINE.match(lines[start]):
            tail = lines[start + 1 :]
            if all(len(line.split()) <= 6 and not line.rstrip().endswith("?") for line in tail):
                return lines[:start]
    return lines


def strip_boilerplate(text: str) -> str:
    """The text without survey prefixes, greetings, sign-offs, signatures and quoted replies."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = _SURVEY_PREFIX.sub("", text.strip(), count=1).split("\n")
    for index, line in enumerate(lines):
        if _QUOTED_REPLY.match(line):
            lines = lines[:index]
            break
    lines = [line for line in lines if not _DEVICE_LINE.match(line)]
    while lines and not lines[-1].strip():
        lines.pop()
    lines = _strip_signature(lines)
    if lines and _DASH_NAME.match(lines[-1]):
        lines.pop()
    nonblank = [line for line in lines if line.strip()]
    if len(nonblank) > 1 and _HEADER.match(nonblank[0]) and len(nonblank[0].split()) <= 14:
        lines = lines[lines.index(nonblank[0]) + 1 :]
    if len(nonblank) > 1:
        lines = [line for line in lines if not _NEXT_STEP.match(line)]
    # Only a transcript (two lines or more with a speaker) has speakers: "Error: sync failed"
    # on its own is not Error speaking.
    transcript = sum(1 for line in lines if _SPEAKER.match(line)) >= 2
    kept: list[str] = []
    for line in lines:
        if transcript:
            line = _SPEAKER.sub("", line)
        if _CHAT_FILLER.match(line):
            continue
        kept.append(line)
    body = "\n".join(kept).strip()
    # Prefixes can stack: "NPS 9 – Hi team, hope you're well. The export…".
    for _ in range(4):
        before = body
        body = _SURVEY_PREFIX.sub("", body, count=1)
        body = _GREETING.sub("", body, count=1)
        if body == before:
            body = _BARE_GREETING.sub("", body, count=1)
        body = _PLEASANTRY.sub("", body, count=1).lstrip(" ,.-–—\n")
        if body == before:
            break
    body = _LEAD_IN.sub("", body)
    without_background = _BACKGROUND.sub("", body)
    if re.search(r"\w", without_background):
        body = without_background
    body = re.sub(r"\n[ \t]+", "\n", _FIELD.sub(" ", body))
    body = _ATTACHED.sub("", body)
    for _ in range(3):
        body, cut = _NEXT_STEP_LAST.subn("", body)
        if not cut:
            break
    for _ in range(3):
        before = body
        body = _CLOSER.sub("", body).rstrip()
        body = _TRAILING_SIGNOFF.sub("", body).rstrip(" ,-–—")
        if body == before:
            break
    body = re.sub(r"[ \t]{2,}", " ", body).strip()
    if not re.search(r"\w", body):
        return text.strip()
    return body


_SCORE = re.compile(
    r"(?P<kind>nps|csat|ces|score|rating|stars?)?\s*(?:score)?\s*[:#=]?\s*"
    r"(?P<value>\d+(?:[.,]\d+)?)(?:\s*(?:/|out\s+of)\s*(?P<top>\d+))?\s*(?P<stars>stars?)?",
    re.IGNORECASE,
)


def survey_score(text: str) -> tuple[float, float] | None:
    """The score a survey answer leads with ("NPS 3 -", "CSAT: 2/5 -", "4/5 stars -") and
    the top of its scale (NPS out of 10; a bare CSAT, rating or stars out of 5), or None when
    the text does not lead with one or it does not fit its scale."""
    prefix = _SURVEY_PREFIX.match(text)
    found = _SCORE.search(prefix.group(0)) if prefix else None
    if found is None:
        return None
    value = float(found["value"].replace(",", "."))
    kind = (found["kind"] or "").lower()
    top = float(found["top"]) if found["top"] else 10.0 if kind == "nps" else 5.0
    if not kind and not found["stars"] and not found["top"]:
        return None
    return (value, top) if top > 0 and 0 <= value <= top else None


def detractor(text: str, tags: list[str] | tuple[str, ...] = ()) -> bool:
    """A survey answer from an unhappy customer: NPS 0 to 6, or the bottom two fifths of
    any other scale (CSAT 1 or 2 of 5), read from the text's lead or the survey's tags."""
    if "nps:detractor" in tags or any(t in ("csat:1", "csat:2") for t in tags):
        return True
    score = survey_score(text)
    if score is None:
        return False
    value, top = score
    return value <= 6 if top == 10 else value / top <= 0.4
