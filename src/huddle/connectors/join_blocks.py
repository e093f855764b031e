"""An online meeting's join block (Teams, Zoom, Google Meet, Webex) under what the organiser
wrote: a meeting request's agenda, or a meeting's notes a rep pasted it under. Not the
customer's words; email and CRM notes cut it (`without_join_block`).
"""

import re

# An online meeting's join block, which Outlook, Zoom, Google Calendar and Webex write under
# what the organiser wrote (and a rep pastes under a meeting's notes). Its header, a line of
# its own: Teams' ("Microsoft Teams meeting", in German, French and Spanish too, "Microsoft
# Teams Need help?", "Join the meeting now", "Click here to join the meeting<…>"), Zoom's,
# Google Meet's and Webex's.
# Zoom's invitation opens with who sends it, over its "Topic:" and "Time:" lines, which are
# the invitation's down to its "Join Zoom Meeting" (after it, a "Topic:" is someone's notes).
_ZOOM_INVITING = r"[^\n]{1,80}? is inviting you to a scheduled zoom meeting"
_ZOOM_INVITATION_LINE = re.compile(r"^\s*(?:topic|time)\s*:", re.IGNORECASE)
_JOIN_HEADER = re.compile(
    r"^[^\w\n]{0,40}(?:(?:microsoft teams(?: meeting)?|microsoft teams-besprechung|"
    r"réunion microsoft teams|reunión de microsoft teams|join microsoft teams meeting|"
    r"join the meeting now|click here to join the meeting|"
    r"jetzt an der besprechung teilnehmen|"
    r"klicken sie hier, um an der besprechung teilzunehmen|"
    r"rejoindre la réunion maintenant|cliquez ici pour (?:participer|rejoindre) la réunion|"
    r"unirse a la reunión ahora|haga clic aquí para unirse a la reunión|"
    r"join zoom meeting|join with google meet|join (?:the )?webex meeting|"
    rf"{_ZOOM_INVITING})"
    # Bounded runs: unbounded ones overlapping took seconds on a long line of dashes.
    r"[ \t:]{0,10}(?:<[^>\n]*>|\([^)\n]*\)|\[[^\]\n]*\]|https?://\S+)?[^\w\n]{0,40}"
    r"|microsoft teams need help\?.*)$",
    re.IGNORECASE,
)
# The lines a join block holds under its header: how to join (Teams' "Join on your computer,
# mobile app or room device", Zoom's "One tap mobile", "Dial by your location", Meet's "Join
# by phone", Webex's "Tap to join from a mobile device"), the meeting's id and passcode, where
# to find a local number, "Learn more", "Meeting options", in the languages Teams writes.
_JOIN_LINE = re.compile(
    r"^[^\w\n]*(?:microsoft teams (?:meeting|need help)|join (?:on|from) your (?:computer|phone|pc)|"
    r"click here to join(?: the meeting)?\b|join the meeting now|join microsoft teams meeting|"
    r"join zoom meeting|one tap mobile|join with google meet|join (?:the )?webex meeting|"
    r"join (?:by|using|from|with) (?:phone|sip|h\.323|skype|microsoft lync|a video)|"
    r"join on the web|download teams|dial (?:in|by your location)|dial[- ]in\b|or dial\b|"
    r"or call in\b|call in \(audio only\)|tap to join|(?:global )?call-in numbers?|"
    r"you can also dial|if you are a host|some mobile devices|need help\b|system reference|"
    r"(?:phone |video )?conference id\s*:|meeting id\s*:|meeting number\b|access code\s*:|"
    r"passcode\s*:|(?:meeting )?password\s*:|pin\s*:|host key\s*:|meeting url\s*:|"
    r"find (?:a|your) local number|more phone numbers|reset (?:dial-in )?pin|"
    r"learn more\b|meeting options\b|for organizers\b|alternate vtc|"
    # German, French and Spanish Teams.
    r"microsoft teams-besprechung|nehmen sie (?:von|über|an)|klicken sie hier, um|"
    r"besprechungs-id\s*:|kennung\s*:|teams herunterladen|im web beitreten|weitere infos|"
    r"besprechungsoptionen|hilfe erforderlich|lokale nummer|"
    r"réunion microsoft teams|participer (?:à partir|depuis|à la réunion)|cliquez ici pour|"
    r"rejoindre (?:sur le web|la réunion)|id de (?:la )?réunion\s*:|code secret\s*:|"
    r"code d'accès\s*:|télécharger teams|en savoir plus|options de (?:la )?réunion|"
    r"besoin d'aide|numéro local|"
    r"reunión de microsoft teams|únase (?:desde|a través)|unirse (?:desde|en la web|a la)|"
    r"haga clic aquí para|id\.? de (?:la )?reunión\s*:|código de acceso\s*:|descargar teams|"
    r"más información|opciones de (?:la )?reunión|¿necesita ayuda|número local)",
    re.IGNORECASE,
)
# A separator between a block's parts, or the rule above and under it: "____", "---", "====".
_SEPARATOR = re.compile(r"^\s*([_=\-\u2500\u2014*~])\1{2,}\s*$")
# What else a join block's lines hold: a link, a dial-in number ("+1 323-555-0100,,291774#"),
# an address to call from a room system.
_JOIN_DETAIL = re.compile(r"https?://|www\.|\S+@\S+\.\w|\d[\d\s,#*()+-]{6,}")
_LINK = re.compile(r"<[^>\n]*>|https?://\S+")
# Words on a line a block holds besides its known lines ("Or call in (audio only)", a place
# beside a number); a longer line is someone's words, as is a known line far longer than any
# an invitation writes.
_JOIN_WORDS = 8
_JOIN_LINE_WORDS = 16


def _join_kind(line: str) -> str:
    """What a line under a join header is: 'gap' (blank, a separator), 'join' (one of an
    invitation's own lines: a known one, a link or a number with a few words), 'short' (a
    few words that may be an invitation's) or 'words' (someone's words)."""
    stripped = line.strip()
    if not stripped or _SEPARATOR.match(stripped):
        return "gap"
    words = len(_LINK.sub(" ", stripped).split())
    if _JOIN_LINE.match(stripped) and words <= _JOIN_LINE_WORDS:
        return "join"
    if words <= _JOIN_WORDS:
        return "join" if _JOIN_DETAIL.search(stripped) else "short"
    return "words"


def without_join_block(text: str) -> str:
    """The text without an online meeting's join block (Teams, Zoom, Google Meet, Webex):
    from its header line ("Microsoft Teams meeting", "Join Zoom Meeting", …) and the rule
    above it, over the invitation's lines under it (links, dial-in numbers, "Meeting ID:",
    "Passcode:", "Learn more", "Meeting options", separators), with at least one link or
    number among them. The words that come after the block are kept; a paragraph of a few
    words with no invitation line in it is someone's words too. Text with no join header
    ("Meeting ID: …" alone, "Teams" in a sentence) is as it was."""
    lines = text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if _JOIN_HEADER.match(line.rstrip())), None)
    if start is None:
        return text
    end = len(lines)  # where the words after the block begin
    paragraph, invited = start, True  # the paragraph being read, and whether it is the block's
    # Under Zoom's "… is inviting you to a scheduled Zoom meeting.", its Topic and Time lines.
    inviting = re.match(rf"^\W*{_ZOOM_INVITING}", lines[start], re.IGNORECASE) is not None
    for index in range(start + 1, len(lines)):
        kind = _join_kind(lines[index])
        if inviting and _JOIN_HEADER.match(lines[index].rstrip()):
            inviting = False
        elif inviting and _ZOOM_INVITATION_LINE.match(lines[index]):
            kind = "join"
        if kind == "gap":
            if paragraph < index:
                if not invited:
                    end = paragraph  # a paragraph with no invitation line: someone's words
                    break
                invited = False
            paragraph = index + 1
        elif kind == "join":
            invited = True
        elif kind == "words":
            # Someone's words: the block ends after its last line in this paragraph.
            end = paragraph
            if invited:
                end = max(
                    i + 1
                    for i in range(paragraph, index)
                    if _join_kind(lines[i]) != "short" or i == start
                )
            break
    else:
        if not invited and paragraph < len(lines):
            end = paragraph
    block = lines[start:end]
    if not any(_JOIN_DETAIL.search(line) for line in block):
        return text
    while start > 0 and _join_kind(lines[start - 1]) == "gap":
        start -= 1
    before = "".join(lines[:start]).rstrip()
    after = without_join_block("".join(lines[end:]).strip("\r\n"))
    return f"{before}\n\n{after}".strip() if after.strip() else before
