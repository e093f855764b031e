"""Plain-text call transcripts: `Name: text` lines (perhaps timestamped, perhaps under bare
`00:05:00` lines as Google Meet's transcript in Docs has them), or a speaker line over the
words said (Otter's and Teams' `Name  0:05`, Krisp's `Name | 00:05`, `00:01:02 Name`,
Fathom's `0:00 - Name (Company)`, Word's Transcribe `00:00:05 Speaker 1`, Jamie's `Speaker 1
(00:00:03 - 00:00:12)`, Slack's huddle `Name  10:02 AM`), or a cue's timing over the
speaker's line over the words (Adobe Premiere Pro's `00:00:01:10 - 00:00:11:01`, frames
last), with the lines a recorder writes above the transcript (a title holding the date, a
date for people, a duration, a link to the recording, its own heading) and below it (its
note about itself); or a call typed up by hand, its turns led by the initials a legend above
them explains (`transcript_legend`). The `Call` they give, and the metadata lines, are
`transcript_formats`'.
"""

import re
from collections import Counter
from pathlib import Path

from huddle.connectors.base import ConnectorOptions
from huddle.connectors.transcript_formats import (
    CAPITAL,
    META_KEYS,
    SKIPPED_META_KEYS,
    TIME,
    TRANSCRIPT_TITLE,
    Call,
    apply_meta,
    modified_at,
    name_line,
    names_over_words,
    numbered_lines,
    seconds,
    title_or_date,
)
from huddle.connectors.transcript_keys import among_keys, said_to_a_key
from huddle.connectors.transcript_legend import EDITOR_NOTE, read_legend
from huddle.imports.fields import normalise
from huddle.imports.records import RowError

_TXT_LINE = re.compile(
    rf"^\[?(?P<ts1>{TIME})\]?\s+(?P<s1>[^:]{{1,60}}):\s*(?P<t1>.+)$"
    rf"|^(?P<s2>[^:\[\]]{{1,60}}?)\s*(?:[(\[](?P<ts2>{TIME})[)\]])?:\s+(?P<t2>.+)$"
)
# A speaker's name on its own line over their words, as recorders write it: "Maya Chen",
# "Tom Becker (External)", "Helen Marsh (Initech Health)", "Lindqvist, Maya".
_HEAD_NAME = (
    rf"{CAPITAL}[\w .'\u2019-]{{0,50}}?(?:, {CAPITAL}[\w .'\u2019-]{{0,40}}?)?"
    r"(?: \([^()]{1,40}\))?"
)
# Otter's and Teams' "Name  0:05", Krisp's "Name | 00:05"; "00:01:02 Name" (Fireflies,
# Grain), Fathom's "0:00 - Name (Company)" and "00:05 | Name".
_OTTER_HEAD = re.compile(rf"^(?P<speaker>{_HEAD_NAME})(?:\s+|\s*\|\s*)(?P<ts>{TIME})$")
_TIME_HEAD = re.compile(
    rf"^\[?(?P<ts>{TIME})\]?\s+(?:[-\u2013\u2014|]\s+)?(?P<speaker>{_HEAD_NAME})$"
)
# Zoom's saved live transcript: "[Dana Lee] 15:02:11" (the clock time) over the words said.
_CLOCK_HEAD = re.compile(rf"^\[(?P<speaker>{_HEAD_NAME})\]\s+(?P<ts>{TIME})$")
_DAY = 24 * 3600.0  # a call timed by the clock may run past midnight
# Rev's and Descript's "Tom Becker (00:02):" (or "[00:02]") over the words said; Jamie's
# "Speaker 1 (00:00:03 - 00:00:12)" (an en dash), when the turn began and ended.
_TIMED_HEAD = re.compile(
    rf"^(?P<speaker>{CAPITAL}[\w .'\u2019-]{{0,50}}?)\s*[(\[](?P<ts>{TIME})"
    rf"(?:\s*[-\u2013\u2014]\s*{TIME})?[)\]]:?$"
)
# Slack's huddle transcript: "Dana Lee  10:02 AM" (the clock, 12-hour) over the words said.
_MERIDIEM_HEAD = re.compile(
    rf"^(?P<speaker>{_HEAD_NAME})\s+(?P<ts>\d{{1,2}}:\d{{2}}(?::\d{{2}})?)"
    r"\s?(?P<half>[AaPp])\.?[Mm]\.?$"
)
# A cue's timing alone on its line, when the speaker's line and the words under it were said:
# Adobe Premiere Pro's "00:00:01:10 - 00:00:11:01" (SMPTE timecode, frames last; newer
# versions write ";" between the parts), or "00:01:02 - 00:01:09".
_FRAMES = r"\d{1,2}[:;]\d{2}[:;]\d{2}[:;]\d{2}"
_CUE_RANGE = re.compile(
    rf"^[\[(]?(?P<ts>{_FRAMES}|{TIME})\s*[-\u2013\u2014]\s*(?:{_FRAMES}|{TIME})[\])]?$"
)
# Zoom's saved meeting chat: "10:05:10 From Kenji Watanabe to Everyone:" over the message
# (tab-indented), "… to Dana Lee(privately):" for a private one; older Zoom wrote the message
# on the same line ("10:05:10\t From  Kenji Watanabe : text").
_CHAT_HEAD = re.compile(
    r"^(?P<ts>\d{1,2}:\d{2}:\d{2})\s+From\s+(?P<speaker>[^:]{1,80}?)"
    r"(?:\s+to\s+[^:]{1,80}?)?\s*:\s*(?P<text>.*)$"
)
# What Zoom writes into a message that its sender did not type: a reaction ('Reacted to
# "Android, the Zebra o..." with 👍', 'Removed a 👍 reaction from "…"') and the quote of the
# message it replies to ('Replying to "Is there a way to sc...":').
_CHAT_REACTION = re.compile(r'^(?:Reacted to ".*" with .+|Removed a .+ reaction from ".*")$')
_CHAT_REPLYING = re.compile(r'^Replying to ".*?"\s*(?::\s*|$)')
# A time alone on its line: when the lines under it were said (Google Meet's "00:05:00").
_BARE_TIME = re.compile(rf"^[\[(]?(?P<ts>{TIME})[\])]?$")
# Lines a recorder writes into the transcript that nobody said: Teams' "Tom Becker started
# transcription", Meet's "Meeting ended after 00:41:37 👋" and its disclaimer, Otter's
# "Transcribed by https://otter.ai".
_RECORDER_NOTE = re.compile(
    r"^(?:(?!(?:I|We|They|You|He|She|It|Someone|Nobody|Everyone)\b)"
    r"[A-Z][\w'\u2019-]*(?:,? [A-Z][\w'\u2019-]*){0,3}(?: \([^()]*\))? "
    r"(?:started|stopped|paused|resumed) (?:transcription|recording)\.?"
    r"|(?i:meeting ended after) .*"
    r"|(?i:this (?:editable )?transcript (?:was|is|has been) (?:computer|machine|auto(?:matically)?)"
    r"[- ]generated)\b.*"
    r"|(?i:transcribed by) https?://\S+)$"
)
# A transcription service's paragraphs about itself under the last turn (Sonix's "Sonix is
# the world's most advanced automated transcription… platform."): it names itself and what
# it does. Lookaheads, and only lines of a paragraph's length, so a long line costs little.
_SERVICE_PROMO = re.compile(
    r"^(?=.{0,400}$)(?=.*\b(?:sonix|otter\.ai|trint|happy ?scribe|rev\.com)\b)"
    r"(?=.*\b(?:transcri\w*|convert\w*|subtitl\w*|speech-to-text)\b)",
    re.IGNORECASE,
)
# A transcription service's header line, "<the media file>: …": the file's name is the
# call's title ("Globex Freight - renewal call.mp3: Audio automatically transcribed by
# Sonix"), not a speaker's; or the file's name alone (Word's Transcribe, under "Audio file").
_MEDIA_FILE = re.compile(
    r"^(?P<name>[^:\n]{1,120}?)\.(?:mp3|mp4|m4a|wav|mov|webm|ogg|flac|aac|wma|mkv)\s*(?::|$)",
    re.IGNORECASE,
)
# "Name: [00:00:53] text": a timestamp opening the words (Sonix) is when they were said.
_OPENING_TIME = re.compile(rf"^\[(?P<ts>{TIME})\]\s*")
# A recorder's header lines that say nothing Huddle keeps: the call's length ("52m 8s").
_DURATION = re.compile(
    r"^(?:\d+\s*(?:h|hrs?|hours?|m|mins?|minutes?|s|secs?|seconds?)\b\s*){1,3}$", re.IGNORECASE
)
# A header line that is a link, perhaps labelled: the recording ("VIEW RECORDING - 41 mins
# (No highlights): https://fathom.video/share/…"), unless it is the way into the meeting.
_LINK = re.compile(r"^(?:(?P<label>[^:]{1,80}):\s*)?(?P<url>https?://\S+)$")
_JOINING = re.compile(r"\b(join|invite|invitation|dial)", re.IGNORECASE)


def read_plain(
    path: Path,
    options: ConnectorOptions,
    errors: list[RowError],
    lines: list[tuple[int, str]] | None = None,
) -> Call:
    """'Speaker: text' lines (perhaps timestamped, perhaps under bare '00:05:00' lines), or a
    speaker line over the words said: 'Name  0:05', '00:01:02 Name', '0:00 - Name (Company)'.
    `lines`: the file's lines as another reader left them (a Markdown note's), numbered."""
    call = Call()
    reference = modified_at(path)
    in_header = True
    listing = False  # after Otter's "SPEAKERS" line, the names come next
    skipping = False  # inside a block of the export's own notes ("SUMMARY KEYWORDS"), to a blank
    # The speaker line the words under it are said by, to the next one: its speaker, when, line.
    heading: tuple[str, float | None, int] | None = None
    clock: float | None = None  # the last bare time line: when the lines under it were said
    chat_began: float | None = None  # when a chat's first message was sent (clock time)
    clock_began: float | None = None  # when a transcript timed by the clock began
    fresh = False  # the next line of a chat message opens its turn
    timed = False  # the line before was a cue's timing: a name now is the speaker's line
    if lines is None:
        lines = list(numbered_lines(path, options))
    shapes = _turn_shapes(lines)
    lines = _without_service_footer(_past_meeting_notes(lines), shapes)
    named = names_over_words(_blocks(lines))
    legend = read_legend(lines, options.internal_domains)
    for number, text in lines:
        if not text:
            skipping = False
            continue
        after_timing, timed = timed, False
        if legend.speakers:
            # A call typed up with a legend of initials: its turns are the legend's people's.
            if number in legend.lines or EDITOR_NOTE.match(text):
                continue
            turn = legend.turn(text)
            if turn is not None or not in_header:
                # A line that is no turn, under one, goes on with it (a paragraph broken).
                label, said = turn or ("", text)
                call.say(number, label, None, said)
                in_header = False
                continue
        if text in named:
            # A speaker's name alone over what they said (Otter without timestamps).
            heading, in_header = (text, clock, number), False
            continue
        media = _MEDIA_FILE.match(text) if in_header else None
        if media:
            call.title = call.title or media["name"].strip()
        if text == "---" or (in_header and skipping) or media or _RECORDER_NOTE.match(text):
            continue
        bare = _BARE_TIME.match(text) or (_CUE_RANGE.match(text) if _CUE_RANGE in shapes else None)
        if bare:
            clock, in_header = _cue_seconds(bare.group("ts")), False
            timed = bare.re is _CUE_RANGE
            continue
        if after_timing and name_line(text):
            # Under a cue's timing, a name alone is who says the words under it (Premiere's).
            heading = (text, clock, number)
            continue
        if in_header:
            if text.lower() in _NOTE_HEADINGS:
                skipping = True
                continue
            if text.lower() in _HEADINGS or _DURATION.match(text) or _TOOL_HEADING.match(text):
                continue
            if _recorders_header(call, text, number, errors):
                continue
            if listing:
                listing = False
                if not _speaker_line(text, shapes):
                    apply_meta(call, "participants", text, number, errors)
                    continue
            if text.lower() in _LIST_HEADINGS:
                listing = True
                continue
            key, sep, value = text.partition(":")
            spoken = bool(sep) and said_to_a_key(key, value) and not among_keys(lines, number)
            if sep and not spoken and apply_meta(call, key, value, number, errors):
                continue
            link = _LINK.match(text)
            if link:
                if not _JOINING.search(link["label"] or ""):
                    call.recording_url = call.recording_url or link["url"]
                continue
            titled = TRANSCRIPT_TITLE.search(text) is not None  # "Topic: x - Transcript"
            if (titled or not _speaker_line(text, shapes)) and title_or_date(call, text, reference):
                continue  # an export's title and date lines, above or among the keys
            if legend.speakers:
                continue  # the typist's own note above the turns ("tidied by hand - PR")
            in_header = False
        chat = _CHAT_HEAD.match(text)
        if chat is not None:
            sent = seconds(chat["ts"])
            chat_began = sent if chat_began is None else chat_began
            heading, fresh = (chat["speaker"], sent - chat_began, number), True
            text = chat["text"]
        if chat_began is not None and heading is not None:
            text = _CHAT_REPLYING.sub("", text)
            # Emoji alone and reactions say nothing that could be quoted as evidence.
            if re.search(r"\w", text) and not _CHAT_REACTION.match(text):
                call.say(heading[2], heading[0], heading[1], text, new_turn=fresh)
                fresh = False
            continue
        head = _head(text, shapes)
        if head is not None:
            if _CLOCK_HEAD.match(text) or _MERIDIEM_HEAD.match(text):
                # A clock time: when in the call is the time since the first speaker line.
                clock_began = head[1] if clock_began is None else clock_began
                since = head[1] - clock_began
                # Past midnight the clock starts again; a line a second out of order is at
                # the start, not a day on.
                head = (head[0], max(since + _DAY if since < -_DAY / 2 else since, 0.0))
            heading = (*head, number)
            continue
        if EDITOR_NOTE.match(text):
            if _editors_note(text) or not (heading or call.utterances):
                continue  # "(screen shared here, not transcribed)", "[audio dropped]": nobody's
            if heading is None:
                call.utterances[-1].text += " " + text  # the speaker's aside, in their turn
                continue
        if heading is not None:
            # Every line to the next speaker line is the turn's: a line of it that looks
            # like "Note: …" is not a speaker.
            call.say(heading[2], heading[0], heading[1], text)
            continue
        match = _TXT_LINE.match(text)
        label = (match.group("s1") or match.group("s2") or "").strip() if match else ""
        if match and 0 < len(label.split()) <= 5 and not label.endswith(("http", "https")):
            stamp = match.group("ts1") or match.group("ts2")
            body = match.group("t1") or match.group("t2")
            opening = None if stamp else _OPENING_TIME.match(body)
            if opening:
                stamp, body = opening["ts"], body[opening.end() :]
            call.say(number, label, seconds(stamp) if stamp else clock, body)
        elif call.utterances:
            call.utterances[-1].text += " " + text
        else:
            errors.append(
                RowError(
                    number,
                    None,
                    "expected 'Speaker: text' (a speaker label, a colon, what they said)",
                )
            )
    return call


# Google Meet's "Notes by Gemini" saved as text: a notes tab ("📝 Notes", its summary, details
# and next steps: Gemini's words) over the transcript tab ("📖 Transcript").
_NOTES_TAB = re.compile(r"^\W*(?:notes|meeting notes|notes by gemini)\W*$", re.IGNORECASE)
_TRANSCRIPT_TAB = re.compile(r"^\W*transcript\W*$", re.IGNORECASE)
_INVITED = re.compile(r"^invited\s+(.+)$", re.IGNORECASE)
_ADDRESS = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,6}")


def _past_meeting_notes(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """The lines of a transcript under Gemini's notes: from the transcript tab's heading on,
    the addresses of who was invited kept as its participants. Any other file's lines as
    they are (a rep's own "Meeting notes" over a "Transcript" line among them)."""
    said = [(number, text) for number, text in lines if text]
    at = next((i for i, (_, text) in enumerate(lines) if _TRANSCRIPT_TAB.match(text)), None)
    if not said or not _NOTES_TAB.match(said[0][1]) or at is None:
        return lines
    preamble = [text for _, text in lines[:at]]
    gemini = (
        "\U0001f4dd" in said[0][1]
        or "\U0001f4d6" in lines[at][1]
        or any(_INVITED.match(text) or text.startswith("Meeting records") for text in preamble)
    )
    if not gemini or not any(text for _, text in lines[at + 1 :]):
        return lines
    invitees = [
        (number, f"Participants: {', '.join(addresses)}")
        for number, text in lines[:at]
        if (invited := _INVITED.match(text)) and (addresses := _ADDRESS.findall(invited[1]))
    ]
    return invitees + lines[at + 1 :]


# A speaker's own aside in parentheses, within their turn: a sentence of three words or more
# ("(Honestly the old Zebra printers never did that.)"), unlike a typist's note ("(screen
# shared here, not transcribed)", "(Laughs.)"). Square brackets are always the typist's.
_ASIDE_SENTENCE = re.compile(
    r"^\((?![^():]{1,30}:)\s*[A-Z][^()]*?\S\s+\S+\s+\S[^()]*[.!?][\"'\u201d\u2019]?\s*\)$"
)


def _editors_note(text: str) -> bool:
    """Whether a bracketed line inside a turn is a typist's note, not the speaker's aside."""
    return EDITOR_NOTE.match(text) is not None and not _ASIDE_SENTENCE.match(text)


def _blocks(lines: list[tuple[int, str]]) -> list[list[str]]:
    """The file's lines in blocks between blank lines."""
    blocks: list[list[str]] = [[]]
    for _, text in lines:
        if text:
            blocks[-1].append(text)
        elif blocks[-1]:
            blocks.append([])
    return [block for block in blocks if block]


def _without_service_footer(
    lines: list[tuple[int, str]], shapes: frozenset[re.Pattern[str]]
) -> list[tuple[int, str]]:
    """The lines without a transcription service's paragraphs about itself at the end: from
    the first paragraph after the last speaker line that is one of them (Sonix's promotion,
    Sembly's "Generated by…", Slack AI's warning), on."""
    last = max(
        (i for i, (_, text) in enumerate(lines) if text and _speaker_line(text, shapes)), default=-1
    )
    for index in range(last + 1, len(lines)):
        opens = index > 0 and not lines[index - 1][1]
        said = lines[index][1]
        if opens and (_SERVICE_PROMO.match(said) or _last_note(lines, index)):
            return lines[:index]
    return lines


def _last_note(lines: list[tuple[int, str]], index: int) -> bool:
    """Whether the paragraph at `index` is a recorder's note about itself: the file's last
    paragraph, a line or two, not a speaker's own paragraph that mentions transcripts."""
    rest = [text for _, text in lines[index:]]
    while rest and not rest[-1]:
        rest.pop()
    return len(rest) <= 2 and all(rest) and _SERVICE_NOTE.match(rest[0]) is not None


# A recorder's note about itself under the transcript: who made it ("Generated by Sembly AI.
# Speaker identification may be inaccurate.", "Transcribed by Bluedot · bluedothq.com"), or
# that its AI errs ("Slack AI can make mistakes. Review the transcript for accuracy.").
_SERVICE_NOTE = re.compile(
    r"^(?=.{0,300}$)(?:(?i:transcribed|generated|transcript generated) (?:by|with|using) [A-Z].*"
    r"|.*\bAI (?:can|may|might|could) make mistakes(?:[.!,;]|$).*"
    r"|.*\b(?i:speaker identification|transcripts?) (?:may|might|could) (?:be inaccurate|contain"
    r" (?:errors|mistakes|inaccuracies))(?:[.!,;]|$).*)$"
)
# A recorder's own heading over the transcript, not the call's title: Sembly's "Sembly -
# Meeting Transcript" (an en dash), Slack's "Huddle transcript".
_TOOL_HEADING = re.compile(
    r"^(?:[\w.]+(?: AI)?\s*[-\u2013\u2014|:]\s*)?(?:meeting|call|huddle) transcript$", re.IGNORECASE
)
# Slack's huddle: the channel it was held in ("#ext-globex-ourco", a Slack Connect channel
# often named for the customer), and who was in it ("Huddle with Dana Lee, Tom Becker and
# Ingrid Solberg").
_CHANNEL = re.compile(r"^#[\w.-]{1,80}$")
_HUDDLE_WITH = re.compile(r"^huddle with (?P<people>.+)$", re.IGNORECASE)


def _recorders_header(call: Call, text: str, number: int, errors: list[RowError]) -> bool:
    """Whether a header line is one a recorder writes about the call and was read: the
    channel a huddle was held in (the call's title when it has none), who was in it."""
    if _CHANNEL.match(text):
        call.title = call.title or text
        return True
    huddle = _HUDDLE_WITH.match(text)
    if huddle is None:
        return False
    people = re.split(r",\s*(?:and\s+)?|\s+and\s+", huddle["people"].strip())
    return apply_meta(call, "participants", ", ".join(p for p in people if p), number, errors)


# Headings a recorder writes over its parts: Word's Transcribe adds "Audio file" (over the
# recording's name) and "Transcript" (over the turns) to the document.
_HEADINGS = frozenset(["transcript", "audio file"])
# A heading line over the names of who was on the call ("SPEAKERS", then "Alex, Maya").
_LIST_HEADINGS = frozenset(["speakers", "participants", "attendees"])
# Blocks an export writes above the transcript about it (Otter's keywords, a recorder's
# summary): not what anyone said; skipped to the next blank line.
_NOTE_HEADINGS = frozenset(
    ["summary keywords", "keywords", "summary", "action items", "outline", "key points"]
)


def _head(text: str, shapes: frozenset[re.Pattern[str]]) -> tuple[str, float] | None:
    """A speaker line over the words said after it, in a shape the file's turns open with:
    the speaker, and when."""
    found = next((m for shape in _HEADS if shape in shapes and (m := shape.match(text))), None)
    if found is None:
        return None
    speaker = found.group("speaker")
    person = re.sub(r"\s*\([^()]*\)$", "", speaker).replace(",", " ")
    at = seconds(found.group("ts"))
    if found.re is _MERIDIEM_HEAD:
        # The hour first ("10:02 AM"); 12 AM is midnight's hour, 12 PM noon's.
        hour, minute, *second = (int(part) for part in found["ts"].split(":"))
        at = (hour % 12 + (12 if found["half"] in "Pp" else 0)) * 3600.0 + minute * 60 + sum(second)
    return (speaker, at) if len(person.split()) <= 4 else None


def _cue_seconds(stamp: str) -> float:
    """A time alone or a cue's start: seconds, the frames of a SMPTE timecode left off (the
    frame rate is not said, and the second is moment enough)."""
    if re.fullmatch(_FRAMES, stamp):
        return seconds(":".join(re.split(r"[:;]", stamp)[:3]))
    return seconds(stamp)


def _speaker_line(text: str, shapes: frozenset[re.Pattern[str]]) -> bool:
    return _head(text, shapes) is not None or _CHAT_HEAD.match(text) is not None or _turn_line(text)


def _turn_line(text: str) -> bool:
    """A `Name: text` line (perhaps timed): a label of one to five words before the colon."""
    match = _TXT_LINE.match(text)
    label = (match.group("s1") or match.group("s2") or "").strip() if match else ""
    return 0 < len(label.split()) <= 5


# The shapes of a line that opens a turn. A file's turns open in one or two of them; a line
# of another shape that only a few lines have is words said, or a title: "Monday 10:00 AM"
# inside an Otter turn, "Standup (9:30 - 9:45)" among `Name: text` lines, "9:00 - 17:00".
_HEADS = (_OTTER_HEAD, _TIME_HEAD, _TIMED_HEAD, _CLOCK_HEAD, _MERIDIEM_HEAD)
_ALL_SHAPES = frozenset((*_HEADS, _CUE_RANGE))


def _meta_line(text: str, keyed: set[str]) -> bool:
    """A header's `Key: value` line ("Date: …", "Participants: …", "Location: Zoom"), the
    first of its key (a speaker called "Customer" says many), noted in `keyed`: no turn,
    however many a header has."""
    key = normalise(text.partition(":")[0])
    if key in keyed or (key not in META_KEYS and key not in SKIPPED_META_KEYS):
        return False
    keyed.add(key)
    return True


def _turn_shapes(lines: list[tuple[int, str]]) -> frozenset[re.Pattern[str]]:
    """The speaker-line and cue-timing shapes this file's turns open with: each shape at
    least a quarter as common as the commonest way a turn opens here."""
    counts: Counter[re.Pattern[str] | str] = Counter()
    keyed: set[str] = set()
    for _, text in lines:
        if not text:
            continue
        shape = next((s for s in _HEADS if s.match(text) and _head(text, frozenset([s]))), None)
        if shape is None and _CUE_RANGE.match(text):
            shape = _CUE_RANGE
        if shape is not None:
            counts[shape] += 1
        elif _CHAT_HEAD.match(text):
            counts["chat"] += 1
        elif _turn_line(text) and not _meta_line(text, keyed):
            counts["turn"] += 1
    top = max(counts.values(), default=0)
    return frozenset(s for s in _ALL_SHAPES if counts[s] * 4 >= top)
