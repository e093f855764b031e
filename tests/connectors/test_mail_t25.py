# ruff: noqa: RUF001
"""Mail and noise in other languages, as the t25 tuning files showed them: Outlook's charset
labels Python does not know (Hebrew's "iso-8859-8-i", Korean's "ks_c_5601-1987"), a PM's
Hebrew Outlook forward with its date written in Hebrew, Korean, Arabic and Hebrew
out-of-office notes, quote headers and sign-offs, and spam and test notes in Spanish,
Italian, Polish, Japanese, German, French and Dutch. Each rule on a small input of its own."""

import base64
from pathlib import Path

import pytest

from huddle.connectors import noise
from huddle.connectors.base import ConnectorOptions
from huddle.connectors.replies import split_signature, strip_replies
from tests.connectors.helpers import left_out_of, read_clean

OURS = ConnectorOptions(internal_domains=("ourco.com",), staff_names=("Dana Lee", "Sam Ortiz"))


def _mail(tmp_path: Path, headers: str, body: bytes, charset: str, name: str = "m.eml") -> Path:
    """One message whose body is `body` (bytes in `charset`), base64 as Outlook sends it."""
    path = tmp_path / name
    path.write_bytes(
        (
            f'{headers}\nMIME-Version: 1.0\nContent-Type: text/plain; charset="{charset}"\n'
            "Content-Transfer-Encoding: base64\n\n"
        ).encode()
        + base64.encodebytes(body)
    )
    return path


def test_hebrew_outlook_charset_label_is_read(tmp_path: Path) -> None:
    """Outlook labels Hebrew in logical order "iso-8859-8-i", in the body and in the header's
    encoded words; Python knows no such codec and read it as garbage. It is iso-8859-8."""
    subject = base64.b64encode("בעיה בטופס".encode("iso-8859-8")).decode()
    path = _mail(
        tmp_path,
        "From: Noa Levi <noa@initech.example>\nTo: support@ourco.com\n"
        f"Subject: =?iso-8859-8-i?B?{subject}?=\nDate: Thu, 3 Dec 2026 09:12:09 +0200",
        "שלום,\n\nהטופס לא שומר טיוטה.\n".encode("iso-8859-8"),
        "iso-8859-8-i",
    )
    (record,) = read_clean("email", path, OURS).feedback
    assert record.text == "שלום,\n\nהטופס לא שומר טיוטה."
    assert record.title == "בעיה בטופס"


def test_korean_outlook_charset_is_cp949(tmp_path: Path) -> None:
    """Korean Outlook's "ks_c_5601-1987" is Windows' cp949: a syllable outside EUC-KR
    ("똠") is read, not replaced."""
    path = _mail(
        tmp_path,
        "From: jiwoo@acme.example\nTo: support@ourco.com\nSubject: x\n"
        "Date: Thu, 3 Dec 2026 11:00:01 +0900",
        "똠얌 메뉴가 안 보입니다.\n".encode("cp949"),
        "ks_c_5601-1987",
    )
    (record,) = read_clean("email", path, OURS).feedback
    assert record.text == "똠얌 메뉴가 안 보입니다."


def test_hebrew_outlook_forward_is_unwrapped_with_its_hebrew_date(tmp_path: Path) -> None:
    """A PM forwards a customer's Hebrew mail from Hebrew Outlook ("מאת:/נשלח:/אל:/נושא:",
    the date written in Hebrew): it is the customer's mail, of the forwarded date, not our
    own internal mail."""
    body = (
        "FYI\n\n________________________________\n"
        "מאת: אבי כהן <avi@umbrella.example>\nנשלח: יום שלישי 1 דצמבר 2026 11:05\n"
        "אל: Sam Ortiz <sam@ourco.com>\nנושא: בקשה\n\nהיי סם,\nאנחנו צריכים ייצוא לפי סניף.\n"
    )
    path = _mail(
        tmp_path,
        "From: Sam Ortiz <sam@ourco.com>\nTo: feedback@ourco.com\nSubject: FW: x\n"
        "Date: Thu, 3 Dec 2026 04:40:00 -0800",
        body.encode("cp1255"),
        "windows-1255",
    )
    read = read_clean("email", path, OURS)
    (record,) = read.feedback
    assert record.contact_email == "avi@umbrella.example"
    assert record.text == "היי סם,\nאנחנו צריכים ייצוא לפי סניף."
    assert record.occurred_at.isoformat() == "2026-12-01T11:05:00+00:00"
    assert read.warnings == []


def test_out_of_office_in_korean_arabic_and_hebrew() -> None:
    """Out-of-office notes with no auto-reply header: the words say it, in Korean, Arabic and
    Hebrew; a customer mentioning a holiday is still heard."""
    assert noise.auto_reply("안녕하세요.\n12월 8일까지 휴가 중이라 답장이 늦습니다.")
    assert noise.auto_reply("أنا خارج المكتب حتى 10 ديسمبر ولن أتمكن من الرد.")
    assert noise.auto_reply("שלום, אני מחוץ למשרד עד יום ראשון.")
    assert noise.auto_reply("x", "[자동 회신] 부재중입니다")
    assert not noise.auto_reply("휴가 기간에도 알림이 계속 옵니다. 끌 수 있나요?")


def test_spam_in_other_languages() -> None:
    """SEO, link building and follower offers in Spanish, Italian, Polish, Japanese and
    English: two signals each, however the language writes them."""
    assert noise.spam("Posicionamiento SEO garantizado y enlaces de calidad (link building)")
    assert noise.spam("Offriamo posizionamento SEO in prima pagina su Google")
    assert noise.spam("Pozycjonowanie stron SEO z gwarancją TOP 10 w Google!")
    assert noise.spam("貴社サイトのSEOを改善する被リンク獲得プラン")
    assert noise.spam("Consigue 5000 seguidores reales para tu cuenta")
    assert noise.spam("Seguidores para tu Instagram, paga con bitcoin")
    assert noise.spam("Get 10,000 followers instantly! Cheap Instagram followers and likes")


def test_a_customer_mentioning_seo_or_followers_is_heard() -> None:
    """One signal is not spam: a customer's SEO team, their followers counted."""
    assert not noise.spam("Nuestro posicionamiento SEO bajó desde que instalamos el widget.")
    assert not noise.spam("We have 10,000 followers and the feed widget breaks.")
    assert not noise.spam("Nasz zespół SEO prosi o mapę strony.")


def test_test_notes_in_other_languages() -> None:
    """A CRM note or survey answer saying it is a test, in German, French, Spanish and Dutch;
    a French customer's "ne pas tenir compte" in a sentence is feedback."""
    for text in (
        "Test – bitte ignorieren",
        "test - ne pas tenir compte",
        "Prueba - no tener en cuenta",
        "Testbericht, niet op letten",
        "Dit is een test",
        "Ceci est un test",
        "Test de la nouvelle synchronisation HubSpot vers Huddle, ne pas tenir compte",
    ):
        assert noise.test_submission(text), text
    assert not noise.test_submission(
        "L'export semble ne pas tenir compte des avoirs quand on filtre par mois."
    )


def test_a_help_desks_sample_ticket_is_a_test() -> None:
    """Zendesk's own sample ticket, in Japanese or English: a test, not the customer's."""
    assert noise.test_submission(
        "佐藤様\n\nこれはサンプルチケットです。", "サンプルチケット：チケットについて"
    )
    assert noise.test_submission(
        "Hi,\n\nThis is a sample ticket.", "Sample ticket: Meet the ticket"
    )
    options = ConnectorOptions(internal_domains=("ourco.com",))
    assert noise.noise_reason("これはサンプルチケットです。", options=options) == "test"


def test_japanese_quote_header_without_its_address_is_cut() -> None:
    """Japanese Gmail's "2026年12月2日(水) 18:40 Name <addr>:" once a help desk has taken the
    address for an HTML tag: its weekday and time say it is a quote header."""
    text = "追加で報告します。\n\n2026年12月2日(水) 18:40 OurCo サポート :\n> 山本様\n"
    assert strip_replies(text) == "追加で報告します。"


def test_quote_headers_in_korean_arabic_and_hebrew() -> None:
    """Gmail's "…님이 작성:", "… كتب:" (with bidi marks) and "בתאריך … מאת …:" lines start
    the quote; Hebrew Outlook's "מאת:/נשלח:" block too."""
    korean = "캐시 옵션이 필요합니다.\n\n2026년 12월 2일 (수) 오후 5:40, A <a@ourco.com>님이 작성:\n\n질문"
    assert strip_replies(korean) == "캐시 옵션이 필요합니다."
    arabic = "نحتاج دعم الاتجاه.\n\n\u200fفي الخميس، 3 ديسمبر 2026 \u202aA\u202c <a@ourco.com> كتب:\n\nسؤال"
    assert strip_replies(arabic) == "نحتاج دعم الاتجاه."
    hebrew = "הטופס לא שומר.\n\nבתאריך יום ה׳, 3 בדצמ׳ 2026 ב-9:14 מאת A <a@ourco.com>:\n\nשאלה"
    assert strip_replies(hebrew) == "הטופס לא שומר."
    outlook = "הטופס לא שומר.\n\nמאת: OurCo <a@ourco.com>\nנשלח: יום רביעי 02 דצמבר 2026\n\nשאלה"
    assert strip_replies(outlook) == "הטופס לא שומר."


def test_sign_offs_in_korean_arabic_hebrew_and_polish() -> None:
    """The sign-off and the name, title and company under it are cut, and the title kept
    as the signature: "감사합니다", "مع أطيب التحيات،", "בברכה,", "Pozdrawiam serdecznie"."""
    cases = [
        ("대시보드가 느립니다.\n\n감사합니다.\n김민준 드림\n후리 클라우드 | 데이터팀", "데이터팀"),
        ("تظهر الأرقام معكوسة.\n\nمع أطيب التحيات،\nخالد\nمدير العمليات", "مدير العمليات"),
        ("הטופס לא שומר.\n\nבברכה,\nנועה לוי\nמנהלת מערכות מידע", "מנהלת מערכות מידע"),
        (
            "Przypomnienia są za wcześnie.\n\nPozdrawiam serdecznie\nKasia\nKierownik zmiany",
            "Kierownik zmiany",
        ),
    ]
    for text, title in cases:
        words, signature = split_signature(text)
        assert title not in words and title in signature, text
        assert words == text.split("\n\n")[0]


def test_mbox_out_of_office_and_spam_are_left_out(tmp_path: Path) -> None:
    """Through the email connector: an Arabic out-of-office in windows-1256 and Polish SEO
    spam are left out with their reasons."""
    ooo = _mail(
        tmp_path,
        "From: f@globex.example\nTo: support@ourco.com\nSubject: x\n"
        "Date: Thu, 3 Dec 2026 10:00:00 +0400",
        "أنا خارج المكتب حتى 10 ديسمبر.\n".encode("cp1256"),
        "windows-1256",
        "ooo.eml",
    )
    assert [r for r, _ in left_out_of(read_clean("email", ooo, OURS))] == ["auto-reply"]
    spam = _mail(
        tmp_path,
        "From: oferta@seo.example\nTo: support@ourco.com\nSubject: Oferta\n"
        "Date: Thu, 3 Dec 2026 05:12:00 +0100",
        b"Pozycjonowanie stron z mocnymi linkami (link building).\n",
        "utf-8",
        "spam.eml",
    )
    assert [r for r, _ in left_out_of(read_clean("email", spam, OURS))] == ["spam"]


@pytest.mark.parametrize(
    "name", ["Dr Femi Adeyemi", "Dr. Femi Adeyemi", "prof. Ana de la Cruz", "Ms Jo Park"]
)
def test_a_closing_block_named_with_an_honorific_is_a_signature(name: str) -> None:
    """No sender is known (a web form's ticket): the closing block is a signature when its
    first line is a name, with an honorific written any way round, over who they are."""
    words = "Once a referral is submitted our nurses can't add a second document to it."
    text = f"{words}\n\n{name}\nClinical Operations Lead\nInitech Health"
    assert split_signature(text) == (words, text.split("\n\n")[1])
