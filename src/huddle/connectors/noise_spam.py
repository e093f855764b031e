"""Spam: SEO, link-building, marketing and follower offers, in the languages they come in.
Two signals at least (`SPAM_SIGNALS`), so a customer who mentions SEO once is still heard; a
signal is searched for only in a text holding one of the words every match of it needs
(`SPAM_HINTS`, read from the pattern itself)."""

import re
import re._constants as sre_constants  # type: ignore[import-not-found]
import re._parser as sre_parse  # type: ignore[import-not-found]
from typing import Any

SPAM_SIGNALS = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        # SEO by name, however a language writes it (Japanese runs it into its neighbours:
        # "貴社サイトのSEO順位").
        r"(?<![a-z])seo(?![a-z])|\bsuchmaschinenoptimierung|\bpozycjonowani|"
        r"\bposicionamiento (seo|web|en google)|\bposizionamento (seo|sui motori)|"
        r"\bréférencement (naturel|seo|google)",
        r"back-?links?\b|\blink[- ]?building\b|被リンク|外链|외부 ?링크",
        r"\b(page (1|one)|first[- ]page) (of|on)? ?google|google rank|"
        r"\btop[- ]?\d+ (in|w|en|on|su|auf|sur|op|di|de) google|"
        r"\b(prima pagina|primera página|première page|erste seite|eerste pagina|pierwsz\w+ stron\w*)"
        r"( (di|su|de|en|sur|bei|von|auf|op|w|in))? google|上位表示|검색 ?상위",
        # A ranking guaranteed ("Posicionamiento SEO garantizado", "z gwarancją TOP 10").
        r"\b(seo|ranking|posicionamiento|posizionamento|pozycjonowani\w*|référencement|"
        r"positionnement)\b.{0,40}\b(guarantee\w*|garantizad\w*|garantit\w*|gwarancj\w*|"
        r"garantiert\w*|gegarandeerd|garanti\w*)|順位.{0,20}保証|上位表示を保証",
        r"\bguest post",
        r"\bdo-?follow\b",
        r"\b(boost|increase|double) your (website |web |app |store )?(traffic|seo|sales|leads|"
        r"ranking)",
        r"\b(followers|seguidores|seguaci|abonnés|obserwujących)\b|フォロワー|팔로워",
        r"\bfree (gems|coins|followers|audit|call)\b|\b(audyt|auditoría|audit|auditoria) "
        r"(gratis|gratuit\w*|za darmo)\b|\bkostenlose[nrs]? (seo-)?(audit|analyse)\b|"
        r"無料(診断|相談|査定)",
        r"\bgenerator\b",
        r"\bunsubscribe\b|\bwypisać się\b|\bdarse de baja\b|\bdésinscri|\bdésabonn|"
        r"\bdisiscriv|\bcancella(re)? l'iscrizione|\buitschrijven\b|\bvom newsletter abmelden|"
        r"配信停止|수신 ?거부",
        r"\b(limited time|exclusive|limited|special) offer\b|\b(tylko|solo|nur|seulement|only) "
        r"(dziś|dzisiaj|hoy|oggi|heute|aujourd'hui|today)\b|今月限定|期間限定|今だけ",
        r"\bclick here\b|\bkliknij tutaj\b|\bhaga clic aquí\b|\bhaz clic aquí\b|"
        r"\bcliquez ici\b|\bklicken sie hier\b|\bclicca qui\b|\bklik hier\b|\bclique aqui\b|"
        r"詳しくはこちら",
        r"\blanding pages?\b",
        r"\bgoogle ads\b",
        r"\bmasterclass\b",
        r"\b100% (working|guaranteed|real)\b",
        r"\binstant delivery\b",
        r"\b\d{2}% (off|discount)\b|\b(rabat|sconto|descuento|rabatt|korting|remise|réduction) (de )?"
        r"\d{2} ?%|\b\d{2} ?% (de )?(rabatu|sconto|descuento|rabatt|korting|de réduction)\b",
        r"\bwww\.[\w-]+\.\w+",
        r"\bbook a free\b",
        # Paid in crypto: "paga con bitcoin", "crypto payment accepted".
        r"\b(pay|payment|paga|pagar|pago|pagamento|zapłać|płatność|bezahlen|payez|paiement)"
        r" (with|in|via|con|en|em|w|mit) (crypto|bitcoin|btc|usdt|cripto|krypto)\w*|"
        r"\b(crypto|bitcoin|btc|usdt) payments?\b",
        r"\blimited (slots|spots)\b",
        # An app's standing sold (r17, a help desk's inbox): "5000 real installs + 200 five-star
        # reviews, guaranteed top 10".
        r"\b(real|organic|active|genuine) (installs|downloads|app reviews)\b|"
        r"\b\d[\d,.]*k? (five|5)[- ]star (reviews|ratings)\b",
        r"\bguaranteed (top ?\d+|#1|first page|page one)\b",
        # Followers sold by the thousand, "real": "10k active followers", "5000 seguidores
        # reales" (a customer's "we have 10,000 followers" is the signal above only).
        r"\b\d[\d,.]*k (followers|likes|views|subscribers)\b|\b(real|active|reales|reais|veri|"
        r"echte|réels|prawdziwych) (followers|likes|views|subscribers|seguidores|seguaci|abonnés|"
        r"obserwujących)\b|\b(followers|likes|seguidores|seguaci|abonnés) (reales|reais|veri|"
        r"réels|echte)\b",
        r"\b(cheap|affordable) (instagram |tiktok |youtube )?(packages?|seo|backlinks|followers|"
        r"likes)\b|\b(likes|seguidores|followers) (baratos|económicos)\b|\bbaratos para tu "
        r"(instagram|tiktok|youtube)\b",
        # Money offers (round 7): "EARN $500 DAILY FROM HOME!!! No experience needed, visit
        # cashfast-now dot example".
        r"\bearn (up to )?[$€£]?\d[\d,]*k? (daily|a day|per day|weekly|a week|per week|a month)\b",
        r"\b(work|earn|money|income) from home\b",
        # "EARN 500$ DAILY … crypto trading signals, join my telegram" (a Trustpilot review).
        r"\bearn (up to )?\d[\d,]*k? ?[$€£] (daily|a day|per day|weekly|a week|per week|a month)\b",
        r"\b(crypto|forex|trading) signals\b",
        # Crypto scams on an ideas portal or a community server (t19): "Guaranteed crypto
        # trading profits!! Join … on Telegram t.me/…, free airdrop".
        r"\bguaranteed (crypto |trading )*(profits?|returns?|income)\b",
        r"\bt\.me/\w",
        r"\bairdrops?\b",
        # Reward-app spam in a store review (t19): "Earn free $100 gift cards … use code
        # FREE100 at cashrewardz.example".
        r"\b(earn|get|win) free\b",
        r"\bfree [$€£]?\d+ (gift ?cards?|coins|credits|vouchers?)\b",
        r"\buse (my |the )?(code|referral code)\b",
        # A chat server's scams (t19, Discord): "Free Nitro + $50 USDT airdrop … connect your
        # crypto wallet here".
        r"\bfree (discord )?nitro\b",
        r"\bconnect your (crypto |web3 |metamask )?wallet\b",
        r"\bjoin (my|our) (telegram|whatsapp)\b",
        # Signals sold on a review site (r28, Product Hunt): "Want to earn 10x? Join our VIP
        # crypto signals group, link in bio". A group, channel or community that is VIP,
        # premium or signals: "join the private beta", "the early-access group" are a
        # customer's. Money multiplied: "earn 10x", "10x your income"; not "our SDRs make 3x
        # more meetings".
        r"\bjoin (my|our|the) ([\w-]+ ){0,2}(vip|premium|signals?)( [\w-]+){0,2} "
        r"(groups?|channels?|community|club|chat|server)\b",
        r"\blink in (my |the )?bio\b",
        r"\b(earn|make money|grow your (money|income|portfolio)) \d+x\b",
        r"\b\d+x (your |my )?(income|money|profits?|earnings|returns|investments?)\b",
        r"\bno experience (needed|required|necessary)\b",
        r"\b[\w-]+ dot (com|net|org|info|xyz|biz|example)\b",
        # Shop spam on a feedback board (t15): "Buy premium CBD gummies online, free shipping
        # worldwide, … discount code!!!".
        r"\bfree shipping\b",
        r"\b(discount|promo|coupon) codes?\b",
        r"\b(cbd|casino|viagra|cialis|payday loans?|replica watches)\b",
        # Self-promotion in a review: "Check out my YouTube channel … giveaways, follow me on
        # Instagram".
        r"\b(check out|subscribe to|visit) my (youtube|channel|instagram|tiktok|blog|website)\b",
        r"\bgiveaways?\b",
        r"\bfollow (me|us) on (instagram|tiktok|youtube|twitter|x)\b",
    )
)


def _needed(items: Any) -> frozenset[str] | None:
    """Words one of which every match of a parsed pattern holds, case-folded (the longest runs
    of literal characters its branches must all go through); None when some branch needs
    none. Read from the pattern, so a signal added is covered as it is written."""
    best: frozenset[str] | None = None

    def consider(found: frozenset[str] | None) -> None:
        nonlocal best
        if found and (best is None or min(map(len, found)) > min(map(len, best))):
            best = found

    run: list[str] = []
    for op, value in [*items, (None, None)]:
        if op is sre_constants.LITERAL:
            run.append(chr(value))
            continue
        if run:
            consider(frozenset({"".join(run).casefold()}))
            run = []
        if op is sre_constants.SUBPATTERN:
            consider(_needed(value[-1]))
        elif op is sre_constants.BRANCH:
            branches = [_needed(branch) for branch in value[1]]
            if all(branches):
                consider(frozenset().union(*branches))  # type: ignore[arg-type]
        elif op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT) and value[0] >= 1:
            consider(_needed(value[2]))
    return best


# What each spam signal needs in the text before its regex is worth running: 46 signals in
# many languages cost ~300 µs a ticket searched one by one, a third of a ticket import's time
# (bench/README.md); most tickets hold none of their words.
SPAM_HINTS = tuple(_needed(sre_parse.parse(s.pattern, s.flags)) for s in SPAM_SIGNALS)


def folded(text: str) -> str:
    """The text as the hints are looked for in it: case-folded, and the dotless i (U+0131),
    which IGNORECASE matches to "i" but case folding keeps, as "i"."""
    return text.casefold().replace("\u0131", "i")


def spam(text: str, title: str | None = None) -> bool:
    """Two spam signals or more (`SPAM_SIGNALS`); a signal whose words (`SPAM_HINTS`) the
    text does not hold is not searched for."""
    whole = f"{title or ''}\n{text}"
    held = folded(whole)
    found = 0
    for signal, hints in zip(SPAM_SIGNALS, SPAM_HINTS, strict=True):
        if hints is not None and not any(hint in held for hint in hints):
            continue
        if signal.search(whole):
            found += 1
            if found == 2:
                return True
    return False
