"""What the sender wrote in a message: no quoted reply, signature or disclaimer.

Mail as it really is: what follows "On … wrote:" (in the languages mail clients write it),
an Outlook header block ("From: … Sent: …", "-----Original Message-----", in Outlook's
languages), a help-desk reply marker or "> " lines is quoted, not the sender's new words, and
is cut; a reply answered inline keeps its answers without the questions; so are sign-offs
with the signature below them ("Best,\nKim\n--\n…"), a signature opened by the sender's name,
a company's legal footer, "Sent from my iPhone" and legal disclaimers. Used by every
connector whose records carry mail: email, tickets, Zendesk, Intercom, CRM notes. (An online
meeting's join block under an agenda is `join_blocks.without_join_block`.)
"""

import itertools
import re

from huddle.connectors.mail_quotes import FROM_KEYS, HEADER_BLOCK, ORIGINAL, WROTE

# Where quoted mail begins: everything from here on was written before.
_QUOTE_STARTS = (
    *WROTE,
    ORIGINAL,
    # GroupWise: ">>> Priya Raman <priya@ourco.com> 25/11/2026 16:03 >>>"; Zoho Mail: "----
    # On Fri, 27 Nov 2026 10:14:33 +0530 Name <a@b> wrote ----".
    re.compile(r"^>>> .{3,250} >>>\s*$", re.MULTILINE),
    re.compile(r"^-{2,}\s*On .{5,250} wrote\s*-{2,}\s*$", re.MULTILINE),
    re.compile(rf"^_{{10,}}\s*\n\s*({FROM_KEYS}) ?:", re.IGNORECASE | re.MULTILINE),
    HEADER_BLOCK,
)
_INLINE_QUOTE = re.compile(
    r"(?<=[.!?])[ \t]+(?:On|Am|Le|El|Il|Op|Em) [^\n<>]{5,120}<[^<>\s@]+@[^<>\s]+>\s*"
    r"(?:wrote|schrieb|a écrit|escribió|ha scritto|schreef|escreveu)\s*:"
)
# "… the floor. Maria Costa | IT Lead | Acme Robotics" at the end of a message's only line.
_INLINE_SIGNATURE = re.compile(r"(?<=[.!?])\s+[A-Z][^|\n.!?]{1,40}( \| [^|\n]{1,60}){2,3}\s*$")
_HELPDESK_MARKER = re.compile(
    r"^.*(please type your reply above this line|reply above this line|"
    r"write your reply above this line).*$",
    re.IGNORECASE | re.MULTILINE,
)
_SIGN_OFF = re.compile(
    # "Thanks and regards", "Danke und viele Grüße", "Merci et bonne journée": thanks, then
    # the sign-off.
    r"^(?:(?:many )?(?:thanks|thank you|danke|merci|grazie|gracias|bedankt|tack|takk) "
    r"(?:and|und|et|e|y|en|och|og) )?"
    r"(best|regards|kind regards|best regards|warm regards|many thanks|thanks|thank you|"
    r"best wishes|all the best|warm wishes|kind wishes|with thanks|yours sincerely|"
    r"yours faithfully|yours|take care|speak soon|talk soon|"
    r"thanks again|cheers|sincerely|mit freundlichen grüßen|viele grüße|gruß|grüße|"
    r"cordialement|bien à vous|salutations|bien cordialement|bonne journée|"
    r"cordiali saluti|distinti saluti|saluti|un saluto|"
    r"saludos|un saludo|atentamente|saludos cordiales|atenciosamente|abraços|att\.?,?|atte\.?,?|"
    r"met vriendelijke groet(en)?|vriendelijke groet(en)?|(hartelijke )?groet(en|jes)?|"
    r"thanks in advance|merci d['’]avance|merci beaucoup|merci|"
    # Thanks on a line of its own, as "Thanks," is: "Grazie,", "Gracias", "Danke!".
    r"grazie( mille)?|gracias|muchas gracias|obrigad[oa]|muito obrigad[oa]|danke( schön| sehr)?|"
    r"vielen dank|bedankt|dank je( wel)?|dank u( wel)?|tack|tusen tack|takk|kiitos|děkuji|"
    r"спасибо|ありがとうございます|"
    r"pozdrawiam|z poważaniem|med vänlig hälsning|med vänliga hälsningar|vänliga hälsningar|"
    r"hälsningar|mvh|"
    r"venlig hilsen|med venlig hilsen|med vennlig hilsen|vennlig hilsen|ystävällisin terveisin|"
    r"terveisin|s pozdravem|saygılarımla|saygılar|с уважением|с наилучшими пожеланиями|"
    r"με εκτίμηση|φιλικά|üdvözlettel|tisztelettel|"
    r"谢谢|謝謝|此致敬礼|よろしくお願いいたします|よろしくお願いします|宜しくお願い致します|"
    # Polish, Korean, Arabic and Hebrew sign-offs ("Pozdrawiam serdecznie", "감사합니다",
    # "مع أطيب التحيات", "בברכה").
    r"pozdrawiam serdecznie|serdecznie pozdrawiam|serdeczne pozdrowienia|pozdrowienia|"
    r"z wyrazami szacunku|dziękuję|dziękuję bardzo|"
    r"감사합니다|고맙습니다|감사드립니다|수고하세요|잘 부탁드립니다|"
    r"مع (أطيب|خالص|اطيب)? ?(التحيات|التحية|الشكر|التقدير)|تحياتي|مع الشكر|شكرا|شكراً|"
    r"وتفضلوا بقبول فائق الاحترام|"
    r"בברכה|בכבוד רב|תודה|תודה רבה|בתודה)"
    r"[,.!:\uff01。、\u060c]?\s*$",
    re.IGNORECASE,
)
# A sign-off written in two languages, as mail from a firm abroad is signed: "Mit
# freundlichen Grüßen / Best regards", "Cordialement | Kind regards".
_BILINGUAL = re.compile(r"\s+[/|]\s+")


def _signs_off(line: str) -> bool:
    parts = _BILINGUAL.split(line)
    return all(_SIGN_OFF.match(part) for part in parts)


_DEVICE = re.compile(
    r"^(sent from my \w+|(get|sent from) outlook for \w+|sent from mail for windows|envoyé de mon \w+|"
    r"enviado desde mi \w+|enviado do meu \w+|von meinem \w+ gesendet|inviato da(l mio)? \w+|"
    r"verzonden (met|vanaf) mijn \w+|skickat från min \w+|wysłane z mojego \w+|"
    r"\w+から送信|从我的\s?\w+发送|從我的\s?\w+傳送|"
    # Proton Mail's footer: "Sent with Proton Mail secure email.", "Sent from Proton Mail
    # for iOS" (once "ProtonMail").
    r"sent (with|from) proton ?mail\b|"
    # Yahoo Mail's: "Sent from Yahoo Mail on Android", "Sent from Yahoo Mail for iPhone".
    r"sent from yahoo mail\b)",
    re.I,
)
# Any mail client's own sign-off, a whole line of its name: "Sent using Mailbird", "Sent with
# Airmail", "Sent with Spark for iOS", "Sent via Superhuman", "Sent from Outlook", "Sent from
# Mail for Windows 10", "Sent from eM Client". Only a product's name may follow: words opening
# in a capital (or "iOS", "eM"), no digits, no date, no closing period, then "for"/"on" a
# platform and its version. "Sent from the dashboard", "Sent via ACH on 3 March.", "Sent via
# FedEx on Monday." and "Sent from Chicago." are the sender's.
_PRODUCT_WORD = (
    r"(?!(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun|To|Yester)day\b|(?:Jan|Febr)uary\b|March\b"
    r"|April\b|May\b|June?\b|July\b|August\b|(?:Septem|Octo|Novem|Decem)ber\b)"
    r"(?:[A-Z]|[a-z][A-Z])(?:[A-Za-z!.&+'-]*[A-Za-z!+])?"
)
_CLIENT_SIGN_OFF = re.compile(
    rf"(?i:sent (?:from|using|with|via))(?: my)? {_PRODUCT_WORD}(?: {_PRODUCT_WORD}){{0,3}}"
    rf"(?: (?:for|on) {_PRODUCT_WORD}(?: \d+(?:\.\d+)*)?)?"
)
# A line of a signature under a client's sign-off: a name, title or company (its words
# capitalised but for "of", "and", "at", "&"), an address, a link or a phone number.
_SIGNATURE_WORDS = re.compile(
    r"(?:(?:[A-Z][\w.,'&-]*|of|and|at|the|&|[|/,-])(?: |$))+"
    r"|\S*@\S+|\S*(?:https?://|www\.)\S*|[+()\d][\d ()./-]{6,}"
)
_DISCLAIMER = re.compile(
    r"^\W*(confidentiality notice|disclaimer|important:|notice:|this (e-?mail|message) "
    r"(and any|may contain|is confidential|contains)|the (information|contents) (in|of|contained "
    r"in) this)",
    re.IGNORECASE,
)


# The banner a mail gateway writes over mail from outside ("CAUTION: This email originated
# from outside of the organization. Do not click links or open attachments…", "[EXTERNAL]
# This message came from outside your organization.", Outlook's "You don't often get email
# from … Learn why this is important"): the gateway's line, not the sender's. Only its own
# wording, a whole line: "sent from outside our VPN, so the SSO redirect fails" is the
# sender's.
_GATEWAY_BANNER = re.compile(
    r"^[^\w\n]{0,20}(?:(?:caution|warning|attention|external(?: email| sender| message)?|notice)"
    r"\b[^\w\n]{0,10})?(?:this (?:e-?mail|message) (?:originated|came|comes|was sent) from "
    r"outside (?:of )?(?:the |your |our |this )?[\w&-]+(?:\.[a-z]{2,})?[.!][^\n]{0,300}"
    r"|do not click (?:on )?links or open attachments\b[^\n]{0,300}"
    r"|you don't often get (?:e-?mail|messages) from \S{1,100} ?[.,]? ?learn why this is "
    r"important\W{0,3})$",
    re.IGNORECASE | re.MULTILINE,
)


def strip_replies(text: str, sender: str = "") -> str:
    """The words the sender wrote in this message: no quoted mail, signature or disclaimer."""
    return split_signature(text, sender)[0]


def split_signature(text: str, sender: str = "") -> tuple[str, str]:
    """(the sender's words, their signature block): the words as `strip_replies` gives them,
    and the lines under their sign-off, "--" or closing name that say who they are (title,
    company, address), without the sign-off, the name and any disclaimer."""
    text = _GATEWAY_BANNER.sub("", text.replace("\r\n", "\n"))
    marker = _HELPDESK_MARKER.search(text)
    if marker is not None:
        # Above the marker is the reply; a marker on top (some clients) is only removed.
        above = text[: marker.start()].strip()
        text = above if above else text[marker.end() :]
    cuts = [found for pattern in _QUOTE_STARTS if (found := pattern.search(text))]
    if cuts:
        first = min(cuts, key=lambda found: found.start())
        before = text[: first.start()]
        if not before.strip():
            # When the quote comes first (a chat reply), the new words are what follows it;
            # a thread pasted whole opens with its newest message's headers, down to the
            # first blank line. Whatever is quoted after that is older mail.
            rest = text[first.end() :]
            if first.re is HEADER_BLOCK:
                rest = rest.partition("\n\n")[2]
            return split_signature(rest, sender)
        answers = _inline_answers(before, text[first.end() :]) if first.re in WROTE else None
        text = before if answers is None else f"{before}\n{answers}"
    # A message flattened onto one line (a messages export's "Extract"): the quote begins
    # mid-line, "… every Monday. On Tue, Dec 1, 2026 at 11:02 AM Priya <p@ourco.com> wrote:
    # > …", and a one-line signature ends it.
    text = _INLINE_QUOTE.split(text, maxsplit=1)[0]
    one_line = _INLINE_SIGNATURE.search(text)
    if one_line is not None:
        text = text[: one_line.start()]
    kept: list[str] = []
    signed: list[str] = []
    lines = text.splitlines()
    for index, line in enumerate(lines):
        stripped = line.strip()
        if (
            stripped in {"--", "-- ", "—"}
            or _DEVICE.match(stripped)
            or (_CLIENT_SIGN_OFF.fullmatch(stripped) and _ends_message(lines[index + 1 :]))
        ):
            signed = lines[index + 1 :]
            break  # the signature separator, "Sent from my iPhone"
        if _RULE.match(stripped) and sum(1 for rest in lines[index:] if rest.strip()) <= 12:
            signed = lines[index + 1 :]
            break  # a signature boxed in rules ("━━━━", Japanese mail's) at the end
        if _DISCLAIMER.match(stripped):
            break
        if _signs_off(stripped) and kept:
            signed = lines[index + 1 :]
            break  # a sign-off: what follows is the name, title, company and legal text
        if not line.startswith(">"):
            kept.append(line)
    words = re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()
    named, closing = _without_name(words, sender)
    ended = [one_line.group().strip()] if one_line is not None else []
    return named, _who([*closing.splitlines(), *signed, *ended], sender)


# A signature is a few short lines: the name, title, company, address and numbers.
_SIGNATURE_LINES = 6


def _ends_message(after: list[str]) -> bool:
    """Whether a mail client's sign-off line is the message's last words: under it only blank
    lines, a quote, a disclaimer, a "--" signature, or a few lines of name, title, company and
    numbers. Words of the sender's under it ("Sent via FedEx\nThe box never came.") say the
    line was theirs."""
    rest = [line.strip() for line in after if line.strip()]
    for count, line in enumerate(rest):
        if line in {"--", "—"} or line.startswith(">") or _DISCLAIMER.match(line):
            return True
        if count >= _SIGNATURE_LINES or len(line) > 60 or not _SIGNATURE_WORDS.fullmatch(line):
            return False
    return True


def _who(lines: list[str], sender: str) -> str:
    """The signature's lines that say who the sender is: not the sender's name, and up to a
    blank line after them, a disclaimer or a quote."""
    first_name = _HONORIFIC.sub("", sender.strip()).split(maxsplit=1)
    name = first_name[0].strip(",").casefold() if first_name else ""
    found: list[str] = []
    # A signature on one line ("Dana Reyes | Ops Lead | Acme") is read as its lines.
    for stripped in (piece.strip() for line in lines for piece in line.split(" | ")):
        if not stripped:
            if found:
                break
            continue
        if stripped.startswith(">") or _DISCLAIMER.match(stripped) or _DEVICE.match(stripped):
            break
        if name and _HONORIFIC.sub("", stripped).casefold().startswith(name):
            continue  # the sender's own name
        if stripped in {"--", "—"}:
            continue  # the signature's separator under a sign-off ("Thanks,\nMarco\n-- ")
        found.append(stripped)
        if len(found) >= _SIGNATURE_LINES:
            break
    return "\n".join(found)


# A line that is only a rule of box-drawing characters or full-width marks: what Japanese
# mail boxes a signature in ("━━━━━━", "＝＝＝＝", "☆★☆★").
_RULE = re.compile(r"^[\u2500-\u257f\u25a0-\u25ff\u2605\u2606\uff0a\uff1d\uff0d]{8,}$")
# A preamble saying the answers are in the quoted mail: "I've answered inline below",
# "see my answers below", "comments in red".
_INLINE_HINT = re.compile(
    r"\b(inline|in-line|in line|interleaved|between the lines|(answers?|comments?|replies|"
    r"responses?|notes?) (are )?(below|in (red|blue|bold|green))|in (red|blue|bold) below)\b",
    re.IGNORECASE,
)


def _inline_answers(before: str, quoted: str) -> str | None:
    """The sender's own lines in the mail under an "On … wrote:" line when they answered it
    inline, written between the quoted ("> ") lines they answer; None for a reply written
    above the quote. A reply is inline when its lines sit between quoted lines and either
    stand apart from the quote above them (a blank line: not a quoted line the sender's
    client wrapped) or its preamble says so ("I've answered inline below")."""
    lines = quoted.splitlines()
    marked = [index for index, line in enumerate(lines) if line.startswith(">")]
    if len(marked) < 2:
        return None
    apart = interleaved = False
    for above, below in itertools.pairwise(marked):
        between = lines[above + 1 : below]
        if any(line.strip() for line in between):
            interleaved = True
            apart = apart or not between[0].strip()
    if not interleaved or not (apart or _INLINE_HINT.search(before)):
        return None
    answers = "\n".join(line for line in lines if not line.startswith(">"))
    # An older message quoted without "> " marks below the answers is not theirs.
    cuts = [found.start() for pattern in _QUOTE_STARTS if (found := pattern.search(answers))]
    return answers[: min(cuts)] if cuts else answers


# A line that is only a person's name: "Dr Femi Adeyemi", "Dr. Femi Adeyemi", "Maria-José de
# la Fuente".
_PERSON = re.compile(
    r"^(?:(?i:dr|mr|mrs|ms|mx|prof)\.?\s+)?[A-Z][\w'\u2019-]+(?: (?:[a-z]{1,3} ){0,2}"
    r"[A-Z][\w'\u2019-]+){1,2}$"
)
# Words a closing block's first line holds when it is a heading over notes, not a name:
# "Feature Request", "Next Steps", "Pain Points".
_HEADING_WORDS = frozenset(
    [
        "request",
        "requests",
        "steps",
        "step",
        "points",
        "point",
        "notes",
        "note",
        "summary",
        "issue",
        "issues",
        "problem",
        "problems",
        "next",
        "feature",
        "features",
        "action",
        "actions",
        "items",
        "item",
        "bug",
        "bugs",
        "question",
        "questions",
        "update",
        "updates",
        "agenda",
        "details",
        "context",
        "background",
        "follow",
    ]
)
# A signature's line under the name: a title or a company in title case ("Clinical
# Operations Lead", "Initech Health"), or a number, an address or a link.
_CONTACT_DETAIL = re.compile(r"\S+@\S+\.\w|https?://|www\.|\+?\d[\d\s().-]{6,}\d")
_TITLE_CASE_SMALL = frozenset(
    [
        "of",
        "and",
        "for",
        "the",
        "at",
        "de",
        "la",
        "du",
        "van",
        "von",
        "der",
        "&",
        "-",
        "|",
        "–",
        "—",
        "in",
    ]
)


def _says_who(line: str) -> bool:
    """Whether a line under a name says who they are (a title, a company, how to reach
    them), not what they want ("Please add a dark mode", "Send SAML docs")."""
    if _CONTACT_DETAIL.search(line):
        return True
    words = line.split()
    return (
        0 < len(words) <= 6
        and all(
            w.casefold() in _TITLE_CASE_SMALL or not w[0].isalpha() or w[0].isupper() for w in words
        )
        and not re.search(r"[?!]$|\. ", line)
    )


# "Dr. Asha Menon" closes a message from Asha Menon.
_HONORIFIC = re.compile(r"^(dr|mr|mrs|ms|mx|prof|sir)\.?\s+", re.IGNORECASE)


def _without_name(text: str, sender: str) -> tuple[str, str]:
    """Drops a closing block that is only the sender's name (and their title, company and
    address), and a company's legal footer after it ("Acme Robotics GmbH | Registered
    office: Walluf | …"): (the text without them, the name's block)."""
    blocks = re.split(r"\n\s*\n", text)
    if len(blocks) < 2:
        return text, ""
    if not sender:
        # Nobody named the sender (a web form's ticket): a closing block that opens with a
        # person's name over their title or company ("Dr Femi Adeyemi / Clinical Operations
        # Lead / Initech Health") is theirs.
        lines = [line.strip() for line in blocks[-1].splitlines() if line.strip()]
        if (
            2 <= len(lines) <= 5
            and _PERSON.match(lines[0])
            and not _HEADING_WORDS.intersection(lines[0].casefold().split())
            and all(_says_who(line) for line in lines[1:])
        ):
            sender = _HONORIFIC.sub("", lines[0])
        else:
            return text, ""
    sender = _HONORIFIC.sub("", sender.strip())
    first_name = sender.split()[0].casefold() if sender.split() else ""
    # The name's block is one of the last three; what follows it is a footer or nothing.
    for index in range(max(1, len(blocks) - 3), len(blocks)):
        lines = [line.strip() for line in blocks[index].splitlines() if line.strip()]
        if (
            lines
            and len(lines) <= 5
            # Words, not separators: "Mei Tanaka | Product Manager | Hooli Cloud, Inc." is seven.
            and all(len(re.findall(r"[^\W_]+", line)) <= 8 for line in lines)
            and _HONORIFIC.sub("", lines[0]).casefold().startswith(first_name)
            and all(_FOOTER_LINE.search(b) for b in blocks[index + 1 :])
        ):
            return "\n\n".join(blocks[:index]).strip(), blocks[index]
    return text, ""


# A company's legal footer under a signature: its register, office, directors, VAT number.
_FOOTER_LINE = re.compile(
    r"registered office|commercial register|managing director|handelsregister|"
    r"geschäftsführ|sitz der gesellschaft|registergericht|company (no|number|registration)|"
    r"vat (no|number|reg)|ust-?id|\bhrb\b|siège social|rcs\b",
    re.IGNORECASE,
)
