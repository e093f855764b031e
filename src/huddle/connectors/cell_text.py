"""The text of a rich cell as a person reads it: HTML (CRM notes, help-desk comments, chat
messages) as plain text, with quoted mail kept as "> " lines, and a chat transcript pasted into
a ticket cut to the customer's lines; text a CRM stored HTML-escaped as it was typed."""

import html
import re
from html.parser import HTMLParser

# A chat transcript pasted into a ticket (a help desk CSV, a Zendesk messaging ticket):
# "Customer: …", "Agent: …", or the speakers' names, perhaps after the time
# ("(2026-12-03 09:14:22) Marta Kowalski: …").
# Zendesk Chat's anonymous visitor ends in an id ("Web User 6dd1f2a9", "Visitor 27719");
# an agent's name may carry the company ("Sophie (OurCo)").
_CHAT_LINE = re.compile(
    r"^\s*(?:[(\[][^)\]]{4,30}[)\]]\s*)?(?P<who>(?:visitor|web user|guest) [\w-]*\d[\w-]*|"
    r"(?-i:[A-Z][\w'.-]*(?: [A-Z][\w'.-]*){0,2} \([A-Z][^()\n]{0,29}\))|"
    r"[A-Z][\w'.-]*(?: [A-Z][\w'.-]*){0,3}|"
    r"customer|visitor|client|user|contact|caller|agent|support|operator|bot)\s*:[ \t]+\S",
    re.IGNORECASE,
)
_THEIRS = {"customer", "visitor", "client", "user", "contact", "caller"}
_ANONYMOUS = re.compile(r"^(?:visitor|web user|guest) [\w-]*\d[\w-]*$", re.IGNORECASE)


def customer_lines(text: str, customer: str | None = None) -> str:
    """A chat transcript's customer lines (by role, or by the customer's name), without their
    labels; any other text as it is. A transcript is two or more labelled lines, one of them
    the customer's and one someone else's."""
    first = customer.split()[0].casefold() if customer and customer.split() else None

    def theirs(who: str) -> bool:
        said = who.casefold()
        return (
            said in _THEIRS
            or bool(_ANONYMOUS.match(said))
            or (customer is not None and (said == customer.casefold() or said == first))
        )

    labelled = [(line, _CHAT_LINE.match(line)) for line in text.splitlines()]
    speakers = [theirs(m.group("who")) for _, m in labelled if m]
    if len(speakers) < 2 or all(speakers) or not any(speakers):
        return text
    kept: list[str] = []
    speaking: bool | None = None
    for line, found in labelled:
        if found:
            speaking = theirs(found.group("who"))
            line = line[found.start("who") :].split(":", 1)[1].strip()
        if speaking is None or speaking:
            kept.append(line)
    return "\n".join(kept).strip() or text


class _TextOf(HTMLParser):
    BREAKS = {"p", "br", "div", "li", "tr", "h1", "h2", "h3", "h4", "blockquote"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0
        # Inside a <blockquote>: quoted mail, written as "> " lines as a plain-text client
        # writes it, which strip_replies leaves out wherever the quote sits.
        self.quoted = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "style"}:
            self.skip += 1
        elif tag in self.BREAKS:
            self.parts.append("\n")
        if tag == "blockquote":
            self.quoted += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style"}:
            self.skip = max(0, self.skip - 1)
        elif tag in self.BREAKS:
            self.parts.append("\n")
        if tag == "blockquote":
            self.quoted = max(0, self.quoted - 1)

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if self.quoted and data.strip():
            data = "\n".join(f"> {line}" for line in data.splitlines())
        self.parts.append(data)


# A tag of the markup rich-text cells are exported in (CRM notes, Aha! ideas, Productboard
# notes): not a "<" in plain words ("p95 < 2 s"), nor a mail address in brackets
# ("<li@harbor.example>", "<a.ng@…>", "<li-wei@…>", "<b+ops@…>"): a tag's name ends at a
# space, a slash or its ">".
MARKUP = re.compile(
    r"</?(?:p|br|div|span|strong|b|i|em|u|ul|ol|li|a|h[1-6]|table|tr|td)(?=[\s/>])[^>]*>", re.I
)


def html_to_text(html: str) -> str:
    if "<" not in html:
        return html.strip()
    parser = _TextOf()
    parser.feed(html)
    parser.close()
    text = "".join(parser.parts)
    lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


# A character reference: "&amp;", "&#039;", "&quot;", "&#x27;".
_ENTITY = re.compile(r"&(?:#\d{2,6}|#x[0-9a-f]{2,5}|[a-z]{2,8});", re.IGNORECASE)


def unescaped(text: str) -> str:
    """Text stored HTML-escaped without markup, as SugarCRM and SuiteCRM store what people
    type ("can&#039;t", "Marcus &amp; Ines"), as it was typed."""
    return html.unescape(text) if _ENTITY.search(text) else text
