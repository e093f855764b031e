"""Slack's markup as the words people saw: mentions by name, `<!subteam^…|@support>`,
`<!here>`, channel links, dates and links by their labels; a message written only in Block
Kit's rich text read as its words."""

import re
from typing import Any

_MENTION = re.compile(r"<@([A-Z0-9]+)(?:\|([^>]*))?>")
_LINK = re.compile(r"<((?:https?|mailto|tel):[^|>]+)(?:\|([^>]+))?>")


# Slack's markup for who and what a message names: `<!subteam^S04|@support>`, `<!here>`,
# `<#C01|general>`, `<!date^1796288400^{date}|Dec 3>`: the words people saw.
_SPECIAL = re.compile(r"<!(subteam\^[A-Z0-9]+|here|channel|everyone|date\^[^|>]*)(?:\|([^>]*))?>")
_CHANNEL_LINK = re.compile(r"<#([A-Z0-9]+)(?:\|([^>]*))?>")


def _special(match: re.Match[str]) -> str:
    kind, label = match.group(1), match.group(2)
    if kind.startswith("date^"):
        return label or ""  # the date as the reader's Slack wrote it
    if kind.startswith("subteam^"):
        return label or "@group"  # the group's handle, "@ourco-support"
    return f"@{kind}"  # @here, @channel, @everyone


def plain(text: str, users: dict[str, dict[str, Any]]) -> str:
    text = _MENTION.sub(
        lambda m: "@" + (users.get(m.group(1), {}).get("name") or m.group(2) or m.group(1)), text
    )
    text = _SPECIAL.sub(_special, text)
    text = _CHANNEL_LINK.sub(lambda m: f"#{m.group(2) or m.group(1)}", text)
    text = _LINK.sub(lambda m: m.group(2) or m.group(1), text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").strip()


def blocks_text(blocks: Any, users: dict[str, dict[str, Any]]) -> str:
    """A message written only in Block Kit's rich text (no `text`): its words, a list item a
    line each, mentions by name; a quote is someone else's words, left out."""
    lines: list[str] = []

    def words(elements: Any) -> str:
        said = []
        for element in elements if isinstance(elements, list) else []:
            if not isinstance(element, dict):
                continue
            kind = element.get("type")
            if kind == "text":
                said.append(str(element.get("text") or ""))
            elif kind == "link":
                said.append(str(element.get("text") or element.get("url") or ""))
            elif kind == "user":
                who = users.get(str(element.get("user_id")), {}).get("name")
                said.append(f"@{who or element.get('user_id')}")
            elif kind == "emoji":
                said.append(f":{element.get('name')}:")
            elif kind == "broadcast":
                said.append(f"@{element.get('range') or 'here'}")
        return "".join(said).strip()

    def walk(element: Any) -> None:
        if not isinstance(element, dict):
            return
        kind = element.get("type")
        if kind in {"rich_text_section", "rich_text_preformatted"}:
            lines.append(words(element.get("elements")))
        elif kind in {"rich_text", "rich_text_list"}:
            for child in element.get("elements") or []:
                walk(child)
        elif kind == "section" and isinstance(element.get("text"), dict):
            lines.append(str(element["text"].get("text") or ""))

    for block in blocks if isinstance(blocks, list) else []:
        walk(block)
    return plain("\n".join(line for line in lines if line.strip()), users)
