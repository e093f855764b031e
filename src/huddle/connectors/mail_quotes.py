"""Where a message's body quotes or forwards another mail, and what that mail was: an Outlook
header block ("From: … Sent: …") and "-----Original Message-----" in Outlook's languages, a
forward's separator line in mail clients' languages, "On … wrote:" as mail clients write it
(`WROTE`); a forwarded mail's headers by their English names and its words
(`forwarded_part`), and what the forwarder wrote above it (`above_forward`)."""

import re

# Outlook writes a forward and a reply the same way; only the subject tells them apart.
# Proton Mail draws the rules of its "Original Message" line with hyphens (U+2010).
ORIGINAL = re.compile(
    r"^[-\u2010]{2,}\s*(Original Message|Ursprüngliche Nachricht|Message d'origine|"
    r"Messaggio originale|Mensaje original|Mensagem original|Oorspronkelijk bericht|"
    r"Ursprungligt meddelande|Oprindelig meddelelse|Wiadomość oryginalna)\s*[-\u2010]{2,}\s*$",
    re.IGNORECASE | re.MULTILINE,
)
# An Outlook header block in the languages Outlook writes it in: "From:/Sent:", "Von:/
# Gesendet:", "De :/Envoyé :", "Da:/Inviato:", "De:/Enviado:", "Van:/Verzonden:", "Od:/
# Wysłano:", "Från:/Skickat:", "Fra:/Sendt:", each key to its English name.
HEADER_KEYS = {
    "from": "from",
    "von": "from",
    "de": "from",
    "da": "from",
    "van": "from",
    "od": "from",
    "från": "from",
    "fra": "from",
    # Czech, Greek, Hungarian, Finnish, Turkish, Russian Outlook.
    "odesílatel": "from",
    "από": "from",
    "feladó": "from",
    "lähettäjä": "from",
    "kimden": "from",
    "от": "from",
    "sent": "sent",
    "odesláno": "sent",
    "στάλθηκε": "sent",
    "elküldve": "sent",
    "lähetetty": "sent",
    "gönderildi": "sent",
    "gönderilme tarihi": "sent",
    "отправлено": "sent",
    "gesendet": "sent",
    "envoyé": "sent",
    "enviado": "sent",
    # Spanish Outlook's "Enviado el:", Portuguese Outlook's "Enviada em:".
    "enviado el": "sent",
    "enviada": "sent",
    "enviado em": "sent",
    "enviada em": "sent",
    "inviato": "sent",
    "verzonden": "sent",
    "wysłano": "sent",
    "skickat": "sent",
    "sendt": "sent",
    "date": "date",
    "datum": "date",
    "fecha": "date",
    "data": "date",
    "subject": "subject",
    "betreff": "subject",
    "objet": "subject",
    "asunto": "subject",
    "assunto": "subject",
    "oggetto": "subject",
    "onderwerp": "subject",
    "temat": "subject",
    "ämne": "subject",
    "emne": "subject",
    "předmět": "subject",
    "θέμα": "subject",
    "tárgy": "subject",
    "aihe": "subject",
    "konu": "subject",
    "тема": "subject",
    "to": "to",
    "an": "to",
    "à": "to",
    "para": "to",
    "a": "to",
    "aan": "to",
    "do": "to",
    "till": "to",
    "til": "to",
    "komu": "to",
    "προς": "to",
    "címzett": "to",
    "vastaanottaja": "to",
    "kime": "to",
    "кому": "to",
    "cc": "cc",
    "kopi": "cc",
    "kopia": "cc",
    "kopie": "cc",
    "κοιν": "cc",
    "másolatot kap": "cc",
    "копия": "cc",
    "reply-to": "reply-to",
    # Japanese, Chinese (simplified, traditional) and Korean Outlook.
    "差出人": "from",
    "送信日時": "sent",
    "宛先": "to",
    "件名": "subject",
    "发件人": "from",
    "发送时间": "sent",
    "收件人": "to",
    "抄送": "cc",
    "主题": "subject",
    "寄件者": "from",
    "寄件日期": "sent",
    "收件者": "to",
    "副本": "cc",
    "主旨": "subject",
    "보낸 사람": "from",
    "보낸 날짜": "sent",
    "받는 사람": "to",
    "참조": "cc",
    "제목": "subject",
    # Hebrew and Arabic Outlook ("מאת:/נשלח:/אל:/נושא:", "من:/تم الإرسال:/إلى:/الموضوع:").
    "מאת": "from",
    "נשלח": "sent",
    "אל": "to",
    "עותק": "cc",
    "נושא": "subject",
    "من": "from",
    "تم الإرسال": "sent",
    "أرسل": "sent",
    "التاريخ": "date",
    "إلى": "to",
    "نسخة": "cc",
    "الموضوع": "subject",
}
FROM_KEYS = "|".join(k for k, v in HEADER_KEYS.items() if v == "from")
_SENT_KEYS = "|".join(k for k, v in HEADER_KEYS.items() if v in {"sent", "date"})
_TO_KEYS = "|".join(k for k, v in HEADER_KEYS.items() if v in {"to", "cc"})
_COLON = r" ?(?::\*? |\uff1a\*? ?)"
# "From: … / Sent: …" on the next line (French puts a space before the colon; Chinese
# Outlook may write a full-width colon), or "From: / To: / Date:" (HCL Notes puts the
# addressees between).
HEADER_BLOCK = re.compile(
    rf"^\*?({FROM_KEYS}){_COLON}.+\n\s*\*?({_SENT_KEYS}){_COLON}"
    # With the addressees between, only a sender given by address: "From: Berlin Hbf / To:
    # Munich Airport / Date: 12 May" is a customer's journey, not a quote's header.
    rf"|^\*?({FROM_KEYS}){_COLON}[^\n@]*@.*\n(?:\s*\*?({_TO_KEYS}){_COLON}.*\n){{1,3}}"
    rf"\s*\*?({_SENT_KEYS}){_COLON}",
    re.IGNORECASE | re.MULTILINE,
)
# Where a forwarded message begins: Gmail's "---------- Forwarded message ---------", Zoho
# Mail's "============ Forwarded message ============", Apple Mail's "Begin forwarded
# message:", in the languages mail clients write them.
FORWARD = re.compile(
    # Proton Mail draws the rules of its "Forwarded Message" line with hyphens (U+2010).
    r"^[-\u2010=]{2,}\s*(Forwarded message|Weitergeleitete Nachricht|Message transféré|"
    r"Messaggio inoltrato|Mensaje reenviado|Mensagem encaminhada|Doorgestuurd bericht)"
    # French puts a (no-break) space before the colon: "Début du message réexpédié :".
    r"\s*[-\u2010=]{2,}\s*$|^(?:> ?)*(Begin forwarded message|Début du message réexpédié|"
    r"Anfang der weitergeleiteten Nachricht|Inizio messaggio inoltrato)\s*:\s*$",
    re.IGNORECASE | re.MULTILINE,
)
# Where a quoted message begins under an "On … wrote:" line, in the languages mail clients
# write it in.
WROTE = (
    # Yahoo Mail indents it ("    On Tuesday, December 1, 2026, 08:41:10 AM EST, …").
    re.compile(
        r"^[ \t]*(On|Am|Le|El|Il giorno|Il|Op|Em|W dniu|Den|Dne) .{5,250}"
        r"(wrote|schrieb|a écrit|escribió|ha scritto|schreef|het volgende geschreven|escreveu|"
        r"napisał\(a\)|napisał|"
        r"napisała|skrev|napsal)\s*:\s*$",
        re.M | re.S,
    ),
    # Chinese Gmail "… 于2026年12月8日周二 10:15写道:", Japanese Gmail "2026年12月7日(月) 15:02
    # Name <a@b>:", Japanese Apple Mail "2026/12/10 11:20、Name <a@b>のメール:".
    re.compile(r"^.{5,250}(写道|寫道)\s*[:\uff1a]\s*$", re.M),
    re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日.{0,250}>\s*[:\uff1a]\s*$", re.M),
    # The same line once a help desk has taken the address for a tag ("2026年12月2日(水)
    # 18:40 OurCo サポート :"): its weekday and time say what it is.
    re.compile(
        r"^\d{4}年\d{1,2}月\d{1,2}日\s*[(（][月火水木金土日][)）]\s*\d{1,2}:\d{2}.{0,200}"
        r"[:\uff1a]\s*$",
        re.M,
    ),
    # Korean Gmail "2026년 12월 2일 (수) 오후 5:40, Name <a@b>님이 작성:", Arabic Gmail "في
    # الخميس، 3 ديسمبر 2026 في 9:14 ص، Name <a@b> كتب:" and Hebrew Gmail "בתאריך יום ה׳, 3
    # בדצמ׳ 2026 ב-9:14 מאת Name <a@b>:" (the latter two with bidi marks about them).
    re.compile(r"^.{5,250}님이 작성\s*[:\uff1a]\s*$", re.M),
    re.compile(r"^.{5,250}\s(كتب|كتبت|كتبَ)\s*[:\u200f\u200e\u202c]*\s*$", re.M),
    re.compile(
        r"^[\u200e\u200f\u202a-\u202e]*בתאריך .{5,250}(>|כתב|כתבה)[\u200e\u200f\u202c]*:\s*$", re.M
    ),
    re.compile(r"^.{5,250}のメール\s*[:\uff1a]\s*$", re.M),
    # Gmail in Finnish, Turkish, Hungarian, Greek, Czech, Russian: "… kirjoitti:", "…
    # tarihinde şunu yazdı:", "… írta:", "… έγραψε:", "… napsal:", "… написал(а):", and
    # Russian's "чт, 3 дек. 2026 г. в 10:15, Dana Lee <dana@ourco.com>:".
    re.compile(
        r"^.{5,250}(kirjoitti|şunu yazdı|yazdı|írta|έγραψε|napsal\(a\)|napsal|написал\(а\)|"
        r"написал|написала)\s*:\s*$",
        re.M,
    ),
    re.compile(r"^.{0,40}\d{4} г\. в \d{1,2}:\d{2},? .{1,200}>\s*:\s*$", re.M),
    # Tuta Mail names the address alone after the date and time: "Dec 2, 2026, 10:05 by
    # tom@ourco.com:", "2. Dez. 2026, 10:05 von tom@ourco.com:", "2 déc. 2026, 10:05 de …:".
    re.compile(
        r"^.{0,40}\d{4},? \d{1,2}:\d{2}(?:\s?[ap]\.?m\.?)?,? (?:by|von|de|par|da|door|od|av|di) "
        r"<?[^\s<>@]+@[^\s<>]+>?\s*:\s*$",
        re.M | re.IGNORECASE,
    ),
    # The Bat!'s default reply template, "%ODateEn, %OTimeLong, you wrote:": "Friday,
    # November 20, 2026, 4:05:12 PM, you wrote:", a date and time and no name.
    re.compile(
        r"^[ \t]*[^\n]{0,60}\d{4},? [^\n]{0,20}\d{1,2}:\d{2}(?::\d{2})?(?:\s?[AP]M)?,? "
        r"you wrote\s*:\s*$",
        re.M | re.IGNORECASE,
    ),
    # Yahoo Mail's Android app runs the quoted text on after it, on the same line: "On Mon,
    # Nov 30, 2026 at 17:02, OurCo Support<support@ourco.com> wrote:   Hi Marek,".
    re.compile(
        r"^[ \t]*(On|Am|Le|El|Il|Op|Em) [^\n<>]{5,200}<[^<>\s@]+@[^<>\s]+>\s*"
        r"(wrote|schrieb|a écrit|escribió|ha scritto|schreef|escreveu)\s*:",
        re.M,
    ),
)


def _forward_line(text: str, *, unmarked: bool) -> re.Match[str] | None:
    found = FORWARD.search(text)
    if found is None and unmarked:
        found = ORIGINAL.search(text) or HEADER_BLOCK.search(text)
    return found


def above_forward(text: str, *, unmarked: bool = True) -> str:
    """What the forwarder wrote above the message they forward (all of `text` when it
    forwards none)."""
    found = _forward_line(text, unmarked=unmarked)
    return text if found is None else text[: found.start()].strip()


def forwarded_part(text: str, *, unmarked: bool = True) -> tuple[dict[str, str], str] | None:
    """The headers (by their English names) and the body of the message forwarded inside
    `text`: under a forward's separator line, or, when `unmarked`, under an "Original
    Message" line or a bare "From:/Sent:" block; None when there is none."""
    found = _forward_line(text, unmarked=unmarked)
    if found is None:
        return None
    # After a separator line the headers follow it; a bare "From:/Sent:" pair is them.
    headed = bool(re.match(rf"\*?({FROM_KEYS}) ?:", found.group(0), re.IGNORECASE))
    rest = text[found.start() if headed else found.end() :].lstrip("\n")
    if found.group(0).startswith(">"):
        # The forward sent on as a quote ("> Begin forwarded message:"): one level up.
        rest = re.sub(r"^> ?", "", rest, flags=re.MULTILINE)
    headers: dict[str, str] = {}
    lines = rest.splitlines()
    index = 0
    for index, line in enumerate(lines):  # noqa: B007
        key, sep, value = line.partition(":")
        name = HEADER_KEYS.get(key.strip().strip("*").lower())
        if sep and name is not None:
            headers.setdefault(name, value.strip().strip("*"))
        elif line.strip() and headers:
            break
    if not headers:
        return headers, rest
    if FORWARD.match(lines[index]):
        index += 1  # Zoho Mail rules the headers off above and below
    body = "\n".join(lines[index:])
    if all(line.startswith(">") for line in body.splitlines() if line.strip()):
        # The forwarded mail quoted whole (Proton Mail's forward): its words, one level up.
        body = re.sub(r"^> ?", "", body, flags=re.MULTILINE)
    return headers, body
