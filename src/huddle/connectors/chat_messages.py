"""One chat message, whichever tool exported it (Slack, Discord, Mattermost, Telegram), read
the same way: too short or a quote says nothing, a bot's or one of the vendor's people's words
are left out with their reason, a customer's words are evidence of source `chat`.

A customer's account is the one their email's domain names; without an email (Discord,
Telegram), the one their display name or role names ("Kenji | Acme Robotics"), else where the
tool says (a Telegram group's title), by the rule titles follow (huddle.imports.connected).
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from huddle.connectors.base import ConnectorOptions
from huddle.connectors.chat_handover import hands_over
from huddle.connectors.export_dates import parse_when
from huddle.connectors.noise import names_us, noise_reason, says_nothing
from huddle.connectors.record_values import as_text
from huddle.imports.records import FeedbackRecord, RowError

# A role or display name that is the vendor's people: one of these alone, or the vendor's name
# with one of these or the team's words ("OurCo", "OurCo Team", "OurCo Support").
_STAFF_ROLES = {"staff", "team", "employee", "employees"}
_TEAM_WORDS = {*_STAFF_ROLES, "crew", "support"}
# A sender named for what a machine posts ("OurCo Status", "Acme Alerts"): the vendor's name
# with one of these is the vendor's status page or monitoring, a bot.
_MACHINE_WORDS = {
    "status",
    "statuspage",
    "alert",
    "alerts",
    "notifications",
    "notifier",
    "monitor",
    "monitoring",
    "uptime",
    "incidents",
    "bot",
}
# A bot's name as chat tools make them: "Deploy Bot", "deploy_bot", "StatusBot".
_BOT_NAME = re.compile(r"(?i:(?:^|[\s_.-])bot)$|[a-z0-9]Bot$")
# Markdown emphasis ("**Feature request:**", "__now__", "~~old~~"): the words stay.
_EMPHASIS = re.compile(r"(\*\*|__|~~)(?=\S)(.+?)(?<=\S)\1")
# Han, kana and Hangul: written without spaces between words.
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
# Thanks in the languages customers write in: German, French, Spanish, Italian, Portuguese,
# Dutch, Swedish, Danish, Polish, Japanese, Chinese, Korean.
_THANKS_WORDS = (
    r"(?:thanks|thank you|thank u|thx|many thanks|cheers|great,? thanks|"
    r"dankesch[oö]n|danke|vielen dank|besten dank|merci|gracias|muchas gracias|grazie|mille grazie|"
    r"obrigad[oa]|muito obrigad[oa]|bedankt|dank (?:je|u)|hartelijk dank|tack|"
    r"dzi[eę]kuj[eę]|dzi[eę]ki)(?!\w)|"
    r"ありがとう|有難う|どうも|谢谢|謝謝|多谢|感谢|감사합니다|감사해요|고맙습니다|고마워요"
)
# An answer to the vendor's update that thanks them, and one that goes on to ask or object
# (in the same languages: "Danke, aber …", "Merci, mais …", "ありがとうございます。でも…").
_THANKS = re.compile(rf"^\W*(?:{_THANKS_WORDS})", re.I)
_MORE_THAN_THANKS = re.compile(
    r"[?\uff1f]|\b(but|however|though|although|still|except|unfortunately|not|no|never|cannot|"
    r"problem|issue|bug|aber|noch|nicht|kein\w*|mais|pas|encore|toujours|pero|todav[ií]a|"
    r"ma|ancora|non|mas|ainda|n[aã]o|maar|nog|niet|geen)\b|n't\b|でも|けど|しかし|が、|"
    r"但|可是|하지만|그런데",
    re.IGNORECASE,
)
# A message that only thanks, in any of these languages: the thanks and a word that makes
# it warmer ("so much", "beaucoup", "mille", "ございます"), an "ok" before it, emoji,
# exclamation marks.
_WARMER = (
    r"okay|ok|so much|very much|a lot|again|all|everyone|team|guys|y'all|a million|"
    r"sch[oö]n|sehr|vielmals|beaucoup|bien|infiniment|à tous|muchas|mil|muito|"
    r"mille|tante|wel|heel erg|zeer|so sehr|bardzo|"
    r"så mycket|ございます|ございました|です|谢谢"
)
_EMOJI_CODE = re.compile(r":[a-z0-9_+'-]+:", re.IGNORECASE)
_THANKS_ALONE = re.compile(
    rf"^\W*(?:(?:{_WARMER})\W*)*(?:(?:{_THANKS_WORDS})\W*(?:(?:{_WARMER})(?!\w)\W*)*)+$",
    re.IGNORECASE,
)


@dataclass
class Place:
    """Where messages were said: a Slack channel (its export's users beside it), a Discord
    channel (its server's id), a Mattermost channel, a Telegram chat."""

    tool: str  # "slack", "discord", "mattermost" or "telegram"
    name: str
    id: str
    users: dict[str, dict[str, Any]]
    guild: str = ""
    # What names the company a channel is shared with (a Slack channel's purpose, topic and
    # name), for its people who give no email.
    about: tuple[str, ...] = ()


@dataclass
class Said:
    """One chat message as any tool gives it, to be read the same way."""

    file: str
    line: int
    text: str
    when: Any
    when_field: str
    person: str | None
    email: str | None
    bot: bool
    external_id: str
    link: str | None
    place: Place
    staff: bool = False
    # Where the writer's company may be named (a Discord display name or role, a Telegram
    # group's title).
    mentions: tuple[str, ...] = ()
    # The external id of the post whose thread this message replies in.
    replies_to: str | None = None


def unquoted(text: str) -> str:
    """A message without the lines it quotes ("> …"; Discord's ">>> " quotes to the end):
    someone else's words."""
    kept: list[str] = []
    for line in text.splitlines():
        opening = line.lstrip()
        if opening.startswith(">>>"):
            break
        if not opening.startswith(">"):
            kept.append(line)
    return "\n".join(kept).strip()


def unemphasised(text: str) -> str:
    """Markdown's emphasis marks dropped, the words kept."""
    return _EMPHASIS.sub(r"\2", text)


def thanks_only(text: str) -> bool:
    """A reply that thanks and goes no further: no question, no objection, nothing wrong."""
    return bool(_THANKS.match(text)) and not _MORE_THAN_THANKS.search(text)


def thanks_alone(text: str) -> bool:
    """A message that only says thanks, in any language ("ありがとうございます", "Merci
    beaucoup 🙏", "Vielen Dank!"), however many characters it takes: nothing to learn from."""
    return bool(_THANKS_ALONE.match(_EMOJI_CODE.sub(" ", text.strip())))


def too_short(text: str) -> bool:
    """Too short to be evidence: "+1", "thanks!", an emoji, "ありがとう". Words written
    without spaces (Japanese, Chinese) count one for every three characters."""
    spaced = sum(1 for word in text.split() if not _CJK.search(word))
    return spaced + len(_CJK.findall(text)) // 3 < 3


def staff_role(role: str, options: ConnectorOptions) -> bool:
    """A role (or a display name) only the vendor's people have: "Staff", "OurCo", "OurCo
    Team"."""
    if role.casefold() in _STAFF_ROLES:
        return True
    rest = [word for word in role.split() if word.casefold() not in _TEAM_WORDS]
    return bool(rest) and names_us(" ".join(rest), options)


def machine_name(name: str, options: ConnectorOptions) -> bool:
    """A sender named as a bot ("Deploy Bot", "StatusBot") or as the vendor's status page or
    monitoring ("OurCo Status")."""
    if _BOT_NAME.search(name.strip()):
        return True
    words = name.split()
    rest = [word for word in words if word.casefold() not in _MACHINE_WORDS]
    return bool(rest) and len(rest) < len(words) and names_us(" ".join(rest), options)


def attachment_text(parts: Any) -> str:
    """What an app posts in Slack-style attachments (Statuspage: "[Resolved] Delayed email
    notifications"): their words, each once."""
    said = [
        str(part.get(key) or "").strip()
        for part in (parts if isinstance(parts, list) else [])
        if isinstance(part, dict)
        for key in ("pretext", "fallback", "title", "text")
    ]
    return "\n".join(dict.fromkeys(line for line in said if line))


def evidence(
    said: Said, source: str, options: ConnectorOptions, errors: list[RowError]
) -> tuple[FeedbackRecord, str | None] | None:
    """A person's message as evidence, and why it is noise (None when it is not); None when
    it says nothing."""
    if too_short(said.text) or says_nothing(said.text) or thanks_alone(said.text):
        return None
    try:
        occurred_at = parse_when(said.when)
    except ValueError as error:
        errors.append(RowError(said.line, said.when_field, f"{said.file}: {error}"))
        return None
    reason = (
        "bot"
        if said.bot
        else noise_reason(
            said.text,
            email=said.email,
            name=said.person,
            options=options,
            known_staff=said.staff,
        )
    )
    if reason is None and hands_over(said.text):
        return None  # "Marco runs our warehouse systems, he'll chime in": his words come next
    record = FeedbackRecord(
        line=said.line,
        text=said.text,
        source=source,
        occurred_at=occurred_at,
        external_id=said.external_id,
        title=f"#{said.place.name}",
        link_url=said.link or None,
        contact_email=said.email.lower() if said.email and "@" in said.email else None,
        contact_name=said.person,
        tags=[f"{said.place.tool}:{said.place.name.lower()}"],
        mentions=said.mentions,
    )
    return record, reason


def page_of_messages(
    messages: Iterable[tuple[int, Any]], name: str, id_key: str, errors: list[RowError]
) -> list[tuple[int, dict[str, Any]]]:
    """A chat API's page read whole (it comes newest first, and who is who is known only once
    every sender is seen): its messages by line, each an object with its id; what is not is
    an error on its line, naming the file (`name`)."""
    page: list[tuple[int, dict[str, Any]]] = []
    for line, message in messages:
        if not isinstance(message, dict):
            errors.append(RowError(line, None, f"{name}: a message must be a JSON object"))
        elif as_text(message.get(id_key)) is None:
            errors.append(RowError(line, id_key, f"{name}: a message has no {id_key}"))
        else:
            page.append((line, message))
    return page
