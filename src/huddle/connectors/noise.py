"""What is not evidence, though it arrives where evidence does: the reasons an item is left out.

- **auto-reply**: out-of-office and vacation notices, "this mailbox is not monitored",
  bounces; for email also the `Auto-Submitted`, `X-Autoreply` and `Precedence` headers.
- **spam**: SEO, link-building, marketing and follower offers: two signals at least, so a
  customer who mentions SEO once is still heard.
- **test**: people trying a form, a survey or a help desk before it goes out ("test",
  "asdf", "please ignore", "testing the messenger").
- **internal**: the vendor's own people (the workspace's users, by email domain or name)
  writing where customers write: announcements, replies in a shared channel.
- **bot** (chat integrations) and **staff** (a ticket an agent opened on the customer's
  behalf) are decided by the connectors that can see them.

The rules were written against the tuning half of the labelled exports in
`tests/connectors/exports/` and are measured on the held-back half (bench/exports.py).
"""

import re

from huddle.connectors.base import ConnectorOptions
from huddle.connectors.email_addresses import is_internal
from huddle.connectors.noise_spam import spam

# Plural labels for the import summary ("left out: 3 auto-replies, 2 spam").
PLURALS = {
    "auto-reply": "auto-replies",
    "spam": "spam",
    "test": "tests",
    "internal": "internal",
    "bot": "bot messages",
    "staff": "staff messages",
}

_AUTO_SUBJECT = re.compile(
    r"^\s*(\[?auto(matic)?[- ]?(reply|response|antwort)\]?|out of (the )?office|ooo\b|"
    r"abwesenheit|afwezig|fuori ufficio|absence|ausencia|frånvaro|fravær|autosvar|"
    r"réponse automatique|respuesta automática|risposta automatica|automatisch antwoord|"
    r"undeliverable|undelivered mail|delivery status notification|"
    r"\[?(자동 ?(회신|응답)|부재 ?중|رد تلقائي|رد آلي|خارج المكتب|מענה אוטומטי|"
    r"תשובה אוטומטית|מחוץ למשרד)\]?|"
    r"mail delivery (failed|failure)|returned mail|"
    # A calendar's answer to an invitation ("Accepted: Store rollout @ Tue 8 Dec …").
    r"(accepted|declined|tentative|tentatively accepted):)",
    re.IGNORECASE,
)
# Out of the office in the languages of the customers' own mail servers (round 10: Dutch,
# Swedish, Italian): "Ik ben afwezig tot…", "Jag är på semester…".
_OUT_OF_OFFICE = (
    r"\b(ich bin (bis|vom|ab|derzeit|zurzeit|momentan)? ?.{0,40}(abwesend|nicht im büro|im urlaub)|"
    r"abwesenheitsnotiz|automatische antwort|"
    r"je suis (actuellement )?(absente?|en congés?|en vacances)|absente? du bureau|"
    r"réponse automatique|"
    r"estoy (fuera de la oficina|de vacaciones|ausente)|estaré (fuera|ausente)|"
    r"respuesta automática|"
    r"sono (fuori ufficio|in ferie|assente)|sarò (fuori ufficio|assente)|risposta automatica|"
    r"estou (fora do escritório|de férias|ausente)|estarei (fora|ausente)|resposta automática|"
    r"ik ben (afwezig|niet op kantoor|met vakantie|op vakantie)|afwezigheidsbericht|"
    r"automatisch antwoord|"
    r"jag är (på semester|ledig|tjänstledig|föräldraledig|inte på kontoret|borta)|"
    r"frånvaromeddelande|"
    r"jeg er (på ferie|fraværende|ikke på kontoret|på barsel|på foreldrepermisjon)|autosvar|"
    r"olen (lomalla|poissa)|"
    r"jestem (na urlopie|poza biurem|nieobecn\w*)|automatyczna odpowied\w*|"
    r"jsem (na dovolené|mimo kancelář)|automatická odpověď|"
    r"szabadságon vagyok|automatikus válasz)"
)
_AUTO_TEXT = re.compile(
    r"\b((i am|i'm|i will be|i'll be) (currently )?(out of (the )?office|on (annual |parental )?"
    r"leave|away from (the office|my desk))|out of (the )?office (until|from|till)|"
    r"limited access to e-?mail|will (reply|respond|get back to you) (on my return|when i(?:'m| am) "
    r"back)|this mailbox is not monitored|\[automated\]|auto-?reply:|do not reply to this e-?mail|"
    r"delivery has failed to these recipients|nicht im büro|"
    # A calendar's answer to an invitation: "Rahul Mehta has accepted this invitation."
    r"has (accepted|declined|tentatively accepted) this invitation|"
    # A read receipt: Outlook's "Your message … was read on Thursday, December 3, 2026 …",
    # Thunderbird's, and Outlook's in German and French.
    r"was read on (mon|tues|wednes|thurs|fri|satur|sun)day\b|"
    r"this receipt verifies that the message has been displayed|"
    r"wurde am \w+, \d{1,2}\. \w+ \d{4}\b.{0,60}\bgelesen|"
    r"a été lu le (lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche)\b)|" + _OUT_OF_OFFICE +
    # Japanese and Chinese, where words are not set apart by spaces.
    r"|(不在にしております|不在にします|不在にいたします|自動応答|自動返信|自动回复|自動回覆|"
    r"不在办公室|正在休假|休假中|"
    # Korean ("휴가 중이라 메일 확인이 어렵습니다", "부재중입니다"), Arabic ("أنا خارج المكتب
    # حتى …", "رد تلقائي") and Hebrew ("אני מחוץ למשרד", "מענה אוטומטי") out-of-office notes.
    r"(휴가|출장|부재|외근) ?중(이라|이어서|이므로|입니다|이며|으로)|자동 ?(응답|회신)|"
    r"사무실에 없|"
    r"(أنا|انا|سأكون) (خارج المكتب|في إجازة|في اجازة|غير متواجد)|خارج المكتب حتى|"
    r"رد (تلقائي|آلي)|"
    r"אני (מחוץ למשרד|בחופשה|לא במשרד)|מענה אוטומטי|תשובה אוטומטית)",
    re.IGNORECASE,
)
_TEST_ONLY = re.compile(
    # "テスト", "测试", "테스트": a test in Japanese, Chinese and Korean.
    r"^\W*((test(ing)?|asdf\w*|qwerty|foo|bar|hello world|123|ignore|テスト|测试|測試|테스트)"
    r"\W*){1,4}$",
    re.IGNORECASE,
)
_TEST_PHRASE = re.compile(
    r"\b(please ignore|ignore me|ignore this|this is a test|just (a )?test(ing)?|"
    r"test (ticket|submission|review|note|message|entry|response)|"
    # A table's example row left in ("Example request (delete this row)").
    r"delete this (row|record|entry)|"
    # Spanish, Portuguese, German, French, Italian, Dutch.
    r"por favor ignor(ar|e)|favor ignorar|ignorar por favor|bitte ignorieren|nicht beachten|"
    r"merci d'ignorer|à ignorer|si prega di ignorare|graag negeren|"
    # "Ceci est un test", "Esto es una prueba", "Das ist (nur) ein Test", "Dit is een test".
    r"(ceci|c'est|ce n'est qu'un) (est )?(un )?test|esto es (solo )?una prueba|"
    r"das ist (nur )?ein test|dies ist (nur )?ein test|dit is (maar )?een test|"
    r"questo è (solo )?un test|isto é (apenas )?um teste|"
    # A help desk's own sample ticket ("Sample ticket: Meet the ticket", "This is a sample
    # ticket"), in the languages the help desk is set up in.
    r"this is a sample ticket|sample ticket:|ticket de (muestra|ejemplo)|"
    r"exemple de ticket|beispielticket|ticket di esempio)\b|"
    r"これはサンプルチケットです|^\W*サンプルチケット\s*[:\uff1a]|"
    # "テストです、無視してください", "这是测试 请忽略", "테스트입니다".
    r"これはテスト|テスト(です|投稿|送信)|無視してください|这是测试|這是測試|请忽略|請忽略|"
    r"테스트입니다|무시해 ?주세요",
    re.IGNORECASE | re.MULTILINE,
)
# "ignore" as a test says it, in English and the languages notes are written in.
_IGNORE_WORD = (
    r"(ignore|disregard|ignorieren|nicht beachten|ignorer|ne pas (en )?tenir compte|"
    r"no (tener|tomar) en cuenta|ignorar|ignorare|non considerare|negeren|niet op letten|"
    r"desconsiderar|zignoruj|ignorować)"
)
_IGNORE_END = re.compile(
    rf"([,;:\u2013\u2014-]|\bpls|\bplease|\bbitte|\bpor favor|\bmerci de|\bgraag)\s*{_IGNORE_WORD}"
    r"( (it|this|me))?\W*$",
    re.IGNORECASE,
)
# "test call - ignore, checking the dialer integration": the word says it right after.
_IGNORE_AFTER_TEST = re.compile(
    r"^\W*(test(ing)?|prueba|teste|prova|essai)\b[^.!?\n]{0,30}?[,;:\u2013\u2014-]\s*"
    rf"(pls |please |bitte |por favor |merci de |graag )?{_IGNORE_WORD}"
    r"( (it|this|me))?\s*([,.;:!\u2013\u2014-]|$)",
    re.IGNORECASE,
)
# A test's first word; "Testnotiz", "Testbericht": the compounds German and Dutch write.
_TEST_START = re.compile(
    r"^\W*(test(ing)?|please test|prueba|probando|teste|testando|prova|essai|"
    r"test(notiz|nachricht|eintrag|bericht|notitie|ticket|anfrage|aanvraag))\b",
    re.IGNORECASE,
)
# Keyboard mash, wherever it sits ("NPS 0 - asdf asdf"): nobody's feedback.
_TEST_TOKEN = re.compile(r"\b(asdf\w*|qwerty\w*|lorem ipsum|test123)\b", re.IGNORECASE)
# The vendor's people trying what they built ("checking the detractor follow-up email
# fires", "making sure the new routing rule works"): a test, not an announcement (round 7).
_TRYING = re.compile(
    r"\b(checking|check(ing)? (that|if|whether)|making sure|to see if|seeing if|verify(ing)?)\b"
    r".{0,80}\b(fires|works|goes through|arrives|gets sent|is sent|triggers|routes|routing|"
    # "test - checking that meeting notes sync to Huddle" (t20), "… the template renders".
    r"syncs?|shows? up|comes? through|lands|renders|appears)\b",
    re.IGNORECASE,
)


# ... or trying what they made before customers see it (round 10: "ignore - trying the new note
# template"); from a customer the same words are feedback ("trying the new export template").
_TRIAL = re.compile(
    r"\btrying (out )?(the|a|our) (new )?(\w+ )?(template|form|survey|link|widget|flow)\b",
    re.IGNORECASE,
)


# What monitoring and status tools send: "[Datadog] Triggered: API p95 latency above 2s",
# "[OurCo Status] Investigating - Elevated login errors", from a no-reply address.
_ALERT = re.compile(
    r"^\W*\[(datadog|pagerduty|opsgenie|new relic|grafana|sentry|prometheus|alertmanager)\]|"
    r"^\W*\[?(triggered|firing|resolved|recovered)\]?:|"
    r"^\W*(\[[^\]]{2,40}\]\s*)?(investigating|identified|scheduled maintenance)\s+-\s|"
    # A status page's later notices, under its name only: a customer writes "Update - …".
    r"^\W*\[[^\]]{2,40}\]\s*(monitoring|resolved|update)\s+-\s",
    re.IGNORECASE,
)
_NO_REPLY = re.compile(
    r"^(no-?reply|do-?not-?reply|donotreply|alerts?|notifications?|monitoring)@", re.IGNORECASE
)


# A greeting (its letters stretched as people type them: "hiii", "helloo", "heyyy"), and
# "is anyone there?" in the languages a chat widget hears it in.
_GREETING = (
    r"(hi+|hiya|hel+o+|hey+|heya|howdy|yo|hallo|bonjour|salut|hola|buenas|ciao|olá|oi|hej|moin|"
    r"good (morning|afternoon|evening))( there| all| team| guys| folks| anyone| anybody)?"
)
_ANYONE = (
    r"(is )?(anyone|anybody|someone|somebody) (there|around|here|online|available|home)|"
    r"ist da jemand|jemand da|il y a quelqu'un|quelqu'un|hay alguien|alguien|tem alguém|"
    r"c'è qualcuno|is daar iemand|är det någon där"
)
_NOTHING_SAID = re.compile(
    rf"^\W*({_GREETING}|{_ANYONE})\W*$"
    # "Hallo, ist da jemand?", "hiya anyone around??": a greeting and the question only.
    rf"|^\W*{_GREETING}\W+({_ANYONE})\W*$"
    # A vote on a feedback board with nothing said ("+1", "me too").
    r"|^\s*(\+\s?1|me too|same here)\s*[!.]*\s*$",
    re.IGNORECASE,
)


def says_nothing(text: str) -> bool:
    """A chat where the visitor only said hello ("Hello?"), a bare "+1": nothing to learn
    from, skipped rather than counted as noise."""
    return bool(_NOTHING_SAID.match(text))


def machine_notice(text: str, title: str | None = None, email: str | None = None) -> bool:
    """A monitoring alert or a status page's notice: a machine's words, not a customer's."""
    return bool(
        (title and _ALERT.search(title)) or _ALERT.match(text) or _NO_REPLY.match(email or "")
    )


# A note one of the team left themself ("Note to self: check whether …", "TODO: …"): their
# plan, internal, not a trial of the tool.
_NOTE_TO_SELF = re.compile(
    r"^\W*(note to self|reminder to self|memo to self|to-?do|reminder)\b", re.IGNORECASE
)


def staff_trial(text: str, title: str | None = None) -> bool:
    """The vendor's own people trying something out: a test when they wrote it."""
    if _NOTE_TO_SELF.match(text):
        return False
    whole = f"{title or ''}\n{text}"
    return bool(_TRYING.search(whole) or _TRIAL.search(whole))


def auto_reply(text: str, title: str | None = None) -> bool:
    return bool((title and _AUTO_SUBJECT.search(title)) or _AUTO_TEXT.search(text))


# The sample data a CRM or help desk installs with itself: Dynamics 365 marks every record
# of it "(sample)", its people and accounts too ("Litware, Inc. (sample)", "Paul Cannon
# (sample)"). Only a person's or an account's name is read so: a customer may title a ticket
# "Misaligned labels (sample)".
_SAMPLE_DATA = re.compile(r"\(sample\)\s*$")


def sample_data(*names: str | None) -> bool:
    """Whether a record's person or account is named as the tool's sample data."""
    return any(name and _SAMPLE_DATA.search(name) for name in names)


def says_test(text: str) -> bool:
    """Whether the words are only a test or say they are one ("test", "asdf", "please
    ignore"), without the looser signs a whole message is judged by (a short text that
    opens with "Test": one box of a survey may be "Test on small tablets before releasing.")."""
    return bool(
        _TEST_ONLY.match(text.strip()) or _TEST_PHRASE.search(text) or _TEST_TOKEN.search(text)
    )


def test_submission(text: str, title: str | None = None, *, by_staff: bool = False) -> bool:
    if _TEST_ONLY.match(text.strip()) or _TEST_PHRASE.search(text):
        return True
    if title and (_TEST_ONLY.match(title.strip()) or _TEST_PHRASE.search(title)):
        return True
    whole = f"{title or ''}\n{text}"
    if _TEST_TOKEN.search(whole) or (by_staff and staff_trial(text, title)):
        return True
    words = len(text.split())
    starts = bool(_TEST_START.match(text) or (title and _TEST_START.match(title)))
    # "Testing the HubSpot → Huddle sync, ignore": a test however long, when it says so.
    return starts and (
        by_staff or words <= 6 or bool(_IGNORE_END.search(text) or _IGNORE_AFTER_TEST.match(text))
    )


def is_staff(email: str | None, name: str | None, options: ConnectorOptions) -> bool:
    """One of the workspace's own people, by email domain or (without an email) by name."""
    if email and "@" in email:
        return is_internal(email, options.internal_domains)
    if name:
        wanted = " ".join(name.split()).casefold()
        return any(wanted == " ".join(n.split()).casefold() for n in options.staff_names)
    return False


def names_us(reference: str, options: ConnectorOptions) -> bool:
    """An account reference that names the vendor itself: one of its domains, or the name
    before the domain's ending ("OurCo" for ourco.com)."""
    wanted = re.sub(r"[^a-z0-9]", "", reference.casefold())
    return bool(wanted) and any(
        wanted in {re.sub(r"[^a-z0-9]", "", domain), re.sub(r"[^a-z0-9]", "", domain.split(".")[0])}
        for domain in (d.casefold() for d in options.internal_domains if d)
    )


# A ticket one of the vendor's people opened for a customer says so first ("Raised on behalf
# of Ines Carvalho, who called the support line: …"): their words, not the customer's.
_OPENED_FOR = re.compile(
    r"^\W*(raised|logged|opened|created|filed|submitted)( this)?( by [A-Z][\w'-]+( [A-Z][\w'-]+)?)?"
    r" on behalf of\b",
    re.IGNORECASE,
)


def opened_for_customer(text: str) -> bool:
    return bool(_OPENED_FOR.match(text))


def noise_reason(
    text: str,
    title: str | None = None,
    *,
    email: str | None = None,
    name: str | None = None,
    options: ConnectorOptions,
    staff_is_internal: bool = True,
    known_staff: bool = False,
) -> str | None:
    """Why this item is not evidence, or None when it is. `staff_is_internal` False where the
    vendor's people are expected to write (CRM notes are the team's own notes); `known_staff`
    when the source itself says the writer is one of them (a chat server's staff role)."""
    by_staff = known_staff or is_staff(email, name, options)
    if test_submission(text, title, by_staff=by_staff) or sample_data(name):
        return "test"
    if auto_reply(text, title):
        return "auto-reply"
    if spam(text, title):
        return "spam"
    if machine_notice(text, title, email):
        return "bot"
    if by_staff and staff_is_internal:
        return "internal"
    return None


def summary(counts: dict[str, int]) -> str:
    """'3 auto-replies, 2 spam, 4 tests, 6 internal' in that order."""
    order = list(PLURALS)
    parts = sorted(counts.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else 99)
    return ", ".join(
        f"{count} {PLURALS.get(reason, reason) if count != 1 else reason}"
        for reason, count in parts
        if count
    )
