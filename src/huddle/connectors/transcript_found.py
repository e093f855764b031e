"""A call's turns found wherever a JSON keeps them, under whatever names.

Telephony and contact-centre tools (Aircall, Dialpad, Amazon Connect's Contact Lens, Google's
CCAI Insights), meeting bots (Recall.ai) and speech engines (Speechmatics, Google
Speech-to-Text) each name their fields their own way, but every one keeps a list of records,
each a turn or a word, each with its words, who said them and when. When a call JSON has
none of the documented keys (`utterances`, `transcript`, `segments`…), the list that reads
most like that is taken: of the lists of objects anywhere in the file, one whose records
mostly have words and a speaker, the most words first. A speaker is a name, a participant
object (its name, address and whether it hosted), an id a participants list names, or a
role ("AGENT", "internal", "END_USER"); a telephony tool's own user ("user_id") is the
vendor's, its contact the customer's; an automated agent (the phone menu's recording) is
nobody's words (what else tells who said a record, Invoca's side as its only key, Avaya
Infinity's author beside its channel, a host's flag, a direction: `transcript_speakers`).
Records of one word are run together by speaker, punctuation onto the word before. Records
of a kind beside the turns (Dialpad's "moment" lines) are left out: of records that carry a
`type`, only the kind most of them are. Times are seconds, "1.2s", milliseconds by name
("BeginOffsetMillis", "timestamp_ms"), or clock times (UTC's when they name no zone),
counted from the first.
"""

import re
from collections import Counter
from datetime import UTC, datetime
from typing import Any

from huddle.connectors.record_values import as_text, given_by_letters, letters_key, listed
from huddle.connectors.transcript_speakers import (
    HOSTED,
    by_direction,
    hosted,
    said_by_role,
    same_everywhere,
)

# Keys compared by their letters only: "ParticipantId", "participant_id" and "participantId".
_TEXT_KEYS = (
    "text",
    "content",
    "transcript",
    "sentence",
    "utterance",
    "caption",
    "body",
    "message",
    "displaytext",
    "display",
    "punctuatedword",
    "word",
    "value",
    # Attio's words; Attendee's, under `transcription.transcript`.
    "speech",
    "transcription",
)
_SPEAKER_KEYS = (
    "speaker",
    "speakername",
    "speakerlabel",
    "speakertag",
    "speakerid",
    "participant",
    "participantid",
    "segmentparticipant",
    "originator",
    "channel",
    "channeltag",
    "channelid",
    "mediachannel",
    "channellabel",
    "name",
    "username",
    "user",
    "author",
    # Quo's (OpenPhone's) dialogue names each line's speaker by their phone number alone.
    "identifier",
    # Zoom's recording transcript (`timeline`, meetings' and Zoom Phone's): a list of who spoke.
    "users",
)
_ROLE_KEYS = (
    "role",
    "participantrole",
    "participanttype",
    "participantpurpose",
    "side",
    "affiliation",
)
# A speaker named only by a role ("AGENT", "END_USER"): the role is who they are.
_ROLE_NAMES = frozenset(
    [
        "agent",
        "humanagent",
        "customer",
        "enduser",
        "caller",
        "callee",
        "automatedagent",
        "virtualagent",
        "internal",
        "external",
        "host",
        "guest",
        "bot",
        "ivr",
    ]
)
_START_KEYS = (
    "start",
    "starttime",
    "startoffset",
    "begin",
    "beginoffset",
    "beginoffsetmillis",
    "startms",
    "startmillis",
    "offset",
    "starttimestamp",
    "time",
    "timestamp",
    # Attendee's (Unix milliseconds); Avaya Infinity's message, its clock time.
    "timestampms",
    "createdat",
    # Zoom's recording transcript: "00:00:07.750".
    "ts",
)
# A telephony tool's own user said it, or the contact it called or was called by.
_OURS_KEYS = ("userid", "agentid")
_THEIRS_KEYS = ("contactid", "customerid", "phonenumber", "externalnumber")
# Roles that are no person's words: the phone menu's recording, a bot.
_AUTOMATED = re.compile(r"automated|virtual.?agent|\bbot\b|\bivr\b|\bsystem\b", re.IGNORECASE)
_PUNCTUATION = re.compile(r"^[^\w\s]+$")
_LETTERS = re.compile(r"[^\W\d_]")
# Of the lists in a file, those whose records mostly hold words and a speaker.
_MOSTLY = 0.6
# An absolute time (Unix seconds) rather than an offset into the call.
_EPOCH = 1e8


def _best(record: dict[str, Any]) -> dict[str, Any]:
    """An engine's record with its best alternative's fields (Speechmatics, Google): the
    words and speaker are there."""
    alternatives = listed(record.get("alternatives"))
    if alternatives and isinstance(alternatives[0], dict):
        return {**record, **alternatives[0]}
    return record


def _words(value: Any) -> str | None:
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, dict):
        # Words an object of their own holds (Attendee's `transcription`): one level down.
        inner = given_by_letters(value, *_TEXT_KEYS)
        return _words(inner) if not isinstance(inner, dict) else None
    if isinstance(value, list) and value:
        said = [
            _words(given_by_letters(w, *_TEXT_KEYS)) if isinstance(w, dict) else _words(w)
            for w in value
        ]
        joined = " ".join(w for w in said if w)
        return re.sub(r" ([^\w\s]+)(?= |$)", r"\1", joined) or None
    return None


def _seconds(value: Any, key: str) -> float | None:
    if isinstance(value, dict):
        value = given_by_letters(value, "relative", "seconds", "offset", "start")
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return float(value) / 1000 if key.endswith(("millis", "ms")) else float(value)
    text = str(value).strip()
    if re.fullmatch(r"\d+(\.\d+)?s?", text):
        number = float(text.rstrip("s"))
        return number / 1000 if key.endswith(("millis", "ms")) else number
    if re.fullmatch(r"(\d+:)?\d{1,2}:\d{2}(\.\d+)?", text):
        total = 0.0
        for part in text.split(":"):
            total = total * 60 + float(part)
        return total
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    # A clock time without a zone (Avaya Infinity's "2026-11-30 16:27:05.124000") is UTC's,
    # not the importing machine's.
    return (when if when.tzinfo else when.replace(tzinfo=UTC)).timestamp()


def _start(record: dict[str, Any]) -> float | None:
    found = {letters_key(k): v for k, v in record.items() if v is not None}
    for key in _START_KEYS:
        if key in found and (at := _seconds(found[key], key)) is not None:
            return at
    words = listed(record.get("words"))
    return _start(words[0]) if words and isinstance(words[0], dict) else None


def _person(value: Any, names: dict[str, dict[str, Any]]) -> tuple[str, str | None]:
    """(label, role) of a speaker value: a participant object, an id a participants list
    names, a name or a role; a list of them (Zoom's `users`) is theirs together."""
    if isinstance(value, list):
        people = [_person(v, names) for v in value if v is not None and v != ""]
        labels = list(dict.fromkeys(label for label, _ in people if label))
        roles = {role for _, role in people}
        return " & ".join(labels), (roles.pop() if len(roles) == 1 else None)
    if isinstance(value, dict):
        name = display_name(value)
        ident = as_text(given_by_letters(value, "id", "participantid", "userid"))
        user = as_text(given_by_letters(value, "userid"))
        email = as_text(given_by_letters(value, *_EMAIL_KEYS)) or (
            user if user and "@" in user else None
        )
        # Avaya Infinity's author keeps the address in its `details`, one level down.
        for inner in value.values():
            if email is None and isinstance(inner, dict):
                email = as_text(given_by_letters(inner, *_EMAIL_KEYS))
        role = as_text(given_by_letters(value, *_ROLE_KEYS))
        kind = as_text(value.get("type"))
        if role is None and kind and letters_key(kind) in _ROLE_NAMES:
            role = kind  # an author's type is who they are ("customer", "bot")
        if value.get("is_host") is True or value.get("isHost") is True:
            role = "host"
        label = name or email or (role if ident in {None, role} else f"{role} {ident}") or ""
        return (f"{label} <{email}>" if email and name else label), role
    label = str(value).strip()
    known = names.get(label)
    if known is not None:
        return _person(known, {})
    numbered = re.fullmatch(r"(?:s|spk_?|speaker_?)?(\d+)", label, re.IGNORECASE)
    if numbered:
        return f"Speaker {numbered.group(1)}", None
    return label, (label if letters_key(label) in _ROLE_NAMES else None)


def display_name(person: dict[str, Any]) -> str | None:
    """A participant's name: its own, else one nested a level down (Google Meet's
    `signedinUser.displayName`); a resource path ("conferenceRecords/…/participants/…") is
    an id, not a name."""
    name = as_text(
        given_by_letters(person, "name", "displayname", "speakername", "username", "fullname")
    )
    if name and "/" in name:
        name = as_text(
            given_by_letters(person, "displayname", "speakername", "username", "fullname")
        )
    for value in person.values():
        if name is None and isinstance(value, dict):
            name = as_text(given_by_letters(value, "displayname", "name"))
    return name


def _roster(record: Any) -> dict[str, dict[str, Any]]:
    """Who the file's participant lists say each id is (Contact Lens' `Participants`, a
    webhook's `body.speakerInfo`, Otter's `speech.speakers`), wherever they sit in it. An id
    a list gives beats a place in a list (vCon's parties are named by their place), and a
    list nearer the top beats one further down."""
    by_id: dict[str, dict[str, Any]] = {}
    by_place: dict[str, dict[str, Any]] = {}
    _gather(record, by_id, by_place, 0)
    return {**by_place, **by_id}


def _gather(
    record: Any, by_id: dict[str, dict[str, Any]], by_place: dict[str, dict[str, Any]], depth: int
) -> None:
    if not isinstance(record, dict) or depth > 4:
        return
    nested = []
    for key, value in record.items():
        if isinstance(value, dict):
            nested.append(value)
        if letters_key(key) not in _ROSTER_KEYS:
            continue
        people = _sided([p for p in listed(value) if isinstance(p, dict)])
        for index, person in enumerate(people):
            ident = as_text(given_by_letters(person, "participantid", "speakerid", "id"))
            path = as_text(person.get("name"))
            if path and "/" in path:
                by_id.setdefault(path, person)  # Google Meet's entries name it so
            by_place.setdefault(str(index), person)
            if ident:
                by_id.setdefault(ident, person)
    for value in nested:
        _gather(value, by_id, by_place, depth + 1)


_ROSTER_KEYS = frozenset(["participants", "speakers", "parties", "attendees", "speakerinfo"])
_EMAIL_KEYS = (
    "email",
    "emailaddress",
    "mailto",
    "speakeremail",
    # Fathom's speaker, matched to the invitation.
    "matchedcalendarinviteeemail",
)
# A participant's place in the phone system: an extension is a user's, the caller has none.
_EXTENSION_KEYS = ("extensionid", "extension", "agentid")


def _sided(people: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A roster whose people are some of them the phone system's users (an extension) and
    some not (RingSense's caller, whose `extensionId` is null): each marked by its side,
    unless it says its role. A roster where all or none have one says nothing by it."""
    has = [bool(given_by_letters(p, *_EXTENSION_KEYS)) for p in people]
    if not (any(has) and not all(has)):
        return people
    return [
        p if given_by_letters(p, *_ROLE_KEYS) else {**p, "role": "internal" if ours else "external"}
        for p, ours in zip(people, has, strict=True)
    ]


def _turn(
    record: dict[str, Any], names: dict[str, dict[str, Any]], skipped: frozenset[str] = frozenset()
) -> tuple[str, str | None, float | None, str] | None:
    """(speaker, role, start, words) of one record; None when it holds no words. `skipped`:
    speaker keys that name no one in this list (`same_everywhere`)."""
    best = _best(record)
    text = _words(given_by_letters(best, *_TEXT_KEYS))
    if text is None and isinstance(best.get("words"), list | str):
        # An engine's list of word records, or the words as one string (Read AI's speaker
        # blocks, `{"speaker": {"name"}, "words": "…", "start_time": <Unix ms>}`).
        text = _words(best["words"])
    if text is None:
        by_role = said_by_role(best, _ROLE_NAMES)
        return None if by_role is None else (by_role[0], by_role[0], None, by_role[1])
    speaker, role = "", None
    value = given_by_letters(best, *(k for k in _SPEAKER_KEYS if k not in skipped))
    sender = best.get("from")
    if value is None and (isinstance(sender, dict) or _LETTERS.search(str(sender or ""))):
        value = sender  # Symbl's `from` (a person); not Watson's `from`, a time
    if value is not None:
        speaker, role = _person(value, names)
    explicit = as_text(given_by_letters(best, *_ROLE_KEYS))
    kind = as_text(best.get("type"))
    if explicit is None and kind and letters_key(kind) in _ROLE_NAMES:
        explicit = kind  # the record's kind is who said it ("agent", "customer")
    role = explicit or role or (HOSTED if hosted(best) else None)
    ours, theirs = given_by_letters(best, *_OURS_KEYS), given_by_letters(best, *_THEIRS_KEYS)
    if ours and not theirs:
        speaker = speaker or f"User {ours}"
    elif theirs and not ours:
        speaker = speaker or f"Contact {theirs}"
    return speaker or (role or ""), role, _start(best), text


def _users_and_contacts(
    records: list[dict[str, Any]], turns: list[tuple[str, str | None, float | None, str]]
) -> list[tuple[str, str | None, float | None, str]]:
    """A telephony tool's own users are the vendor's and its contacts the customer's, when
    its records are of both (a tool that gives every record a user id says nothing by it)."""
    kinds = [
        "internal" if ours and not theirs else "external" if theirs and not ours else None
        for ours, theirs in (
            (
                given_by_letters(_best(r), *_OURS_KEYS),
                given_by_letters(_best(r), *_THEIRS_KEYS) or _no_user(r),
            )
            for r in records
        )
    ]
    if not {"internal", "external"} <= set(kinds):
        return turns
    return [
        (speaker, role or kind, start, text)
        for (speaker, role, start, text), kind in zip(turns, kinds, strict=True)
    ]


def _no_user(record: dict[str, Any]) -> bool:
    """A record with a user's place left empty (Quo's `"userId": null`): no user of the tool
    spoke it, so the other side did."""
    return any(letters_key(k) in _OURS_KEYS and v is None for k, v in record.items())


def _lists(value: Any, depth: int = 0) -> list[list[dict[str, Any]]]:
    """Every list of objects in the file, to a depth of six."""
    found: list[list[dict[str, Any]]] = []
    if depth > 6:
        return found
    if isinstance(value, list):
        objects = [v for v in value if isinstance(v, dict)]
        if objects and len(objects) >= _MOSTLY * len(value):
            found.append(objects)
        for member in value[:2000]:
            if isinstance(member, dict | list):
                found.extend(_lists(member, depth + 1))
    elif isinstance(value, dict):
        for member in value.values():
            if isinstance(member, dict | list):
                found.extend(_lists(member, depth + 1))
    return found


def _of_one_kind(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The records of the kind most of them are, when they say their kind (`type`), with the
    punctuation marks a word list keeps beside its words."""
    kinds = Counter(str(r.get("type")) for r in records if r.get("type") is not None)
    if len(kinds) < 2 or all(letters_key(k) in _ROLE_NAMES for k in kinds):
        return records  # one kind, or kinds that are who said it
    marks = {k for k in kinds if k.lower().startswith("punct")}
    main = max((k for k in kinds if k not in marks), key=lambda k: kinds[k], default=None)
    return [r for r in records if r.get("type") is None or str(r["type"]) in marks | {main}]


def found_turns(record: Any) -> dict[str, Any] | None:
    """The call in `record` as the call shape `transcript_json` reads (`utterances` of
    speaker, start, text; `participants` with their roles), or None when no list in it reads
    as turns with speakers."""
    names = _roster(record)
    best: tuple[int, list[tuple[str, str | None, float | None, str]], list[Any]] | None = None
    for records in _lists(record):
        kept = _of_one_kind(records)
        skipped = same_everywhere(kept, _SPEAKER_KEYS)
        said = [(r, t) for r in kept if (t := _turn(r, names, skipped)) is not None]
        turns = _users_and_contacts([r for r, _ in said], [t for _, t in said])
        turns = by_direction([r for r, _ in said], turns)
        said_by = [t for t in turns if t[0]]
        # Of the records of the kind kept (a word list's spaces and sound events are not).
        if len(turns) < 2 or len(turns) < _MOSTLY * len(kept):
            continue
        if len(said_by) < _MOSTLY * len(turns):
            continue
        size = sum(len(t[3]) for t in turns)
        if best is None or size > best[0]:
            best = (size, turns, [r for r, _ in said])
    if best is None:
        return None
    # Whether its pieces carry their own spaces: asked of the list chosen only.
    turns = _run_together(best[1], _own_spaces(best[2]))
    roles = {speaker: role for speaker, role, _, _ in turns if role}
    automated = {s for s, role in roles.items() if _AUTOMATED.search(role)}
    starts, began = _offsets([t[2] for t in turns])
    return {
        "started_at": began,
        "roles": {speaker: role for speaker, role in roles.items() if speaker},
        "utterances": [
            # A turn nobody is named for is someone's, not the turn before's speaker's.
            {"speaker": speaker or "Unknown", "start": start, "text": text}
            for (speaker, _, _, text), start in zip(turns, starts, strict=True)
            if speaker not in automated
        ],
    }


# A call lasts less than a day: offsets past it are milliseconds.
_DAY = 24 * 3600.0


def _offsets(starts: list[float | None]) -> tuple[list[float | None], datetime | None]:
    """The turns' starts as seconds into the call, and when it began when they are clock
    times (Unix seconds or milliseconds); a time no calendar holds is no time."""
    known = [s for s in starts if s is not None]
    if not known:
        return starts, None
    scale = 1000.0 if min(known) > 1e11 or (max(known) > _DAY and min(known) < _EPOCH) else 1.0
    known = [s / scale for s in known]
    began: datetime | None = None
    if min(known) > _EPOCH:
        try:
            began = datetime.fromtimestamp(min(known), UTC)
        except (OverflowError, OSError, ValueError):
            return [None] * len(starts), None
    origin = min(known) if began else 0.0
    return [None if s is None else s / scale - origin for s in starts], began


def _own_spaces(records: list[dict[str, Any]]) -> list[bool] | None:
    """Whether each record's words open with a space, when the records are pieces of words
    that carry their own spacing (Soniox's tokens: " Eng", "lisch"); None otherwise."""
    raw = [given_by_letters(_best(r), *_TEXT_KEYS) for r in records]
    spaced = [isinstance(text, str) and text[:1].isspace() for text in raw]
    opened = sum(spaced)
    if opened < 0.2 * len(raw) or len(raw) - opened < 0.2 * len(raw):
        return None
    return spaced


def _run_together(
    turns: list[tuple[str, str | None, float | None, str]],
    spaced: list[bool] | None = None,
) -> list[tuple[str, str | None, float | None, str]]:
    """Records of one word each (an engine's word list) as turns: a speaker's words run
    together until another speaks, punctuation onto the word before; pieces of words that
    carry their own spacing (`spaced`: whether each opens with a space) joined as they say."""
    lengths = sorted(len(t[3].split()) for t in turns)
    if len(turns) < 10 or lengths[len(lengths) // 2] > 1:
        return turns
    joined: list[tuple[str, str | None, float | None, str]] = []
    for index, (speaker, role, start, text) in enumerate(turns):
        if joined and (_PUNCTUATION.match(text) or not speaker or speaker == joined[-1][0]):
            last = joined[-1]
            if spaced is not None:
                glue = " " if spaced[index] else ""
            else:
                glue = "" if _PUNCTUATION.match(text) else " "
            joined[-1] = (last[0], last[1], last[2], f"{last[3]}{glue}{text}")
        else:
            joined.append((speaker, role, start, text))
    return joined
