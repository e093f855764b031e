"""Mail answered inline, Japanese Outlook's reply, and Zoom's saved meeting chat, each read as
its writer meant it: an answer written between the quoted questions is the sender's, a
signature boxed in rules and a quote block headed in Japanese are not, and a chat message is
a turn of its sender without the reactions and quotes Zoom writes into it."""

from email.message import EmailMessage
from pathlib import Path

import pytest

from huddle.connectors.base import ConnectorOptions, ConnectorOutput
from huddle.connectors.email import connector as email_connector
from huddle.connectors.email import strip_replies
from huddle.connectors.transcript import read_calls

OURCO = ConnectorOptions(
    internal_domains=("ourco.com",), staff_names=("Dana Lee", "Sam Ortiz", "Tom Becker")
)


def _texts(path: Path) -> list[str]:
    output = email_connector.read(path, ConnectorOptions())
    assert output.errors == []
    return [record.text for record in output.feedback]


def test_answers_written_inline_are_kept_without_the_questions(tmp_path: Path) -> None:
    """Gmail's reply with the answers under each quoted question, an older message quoted
    inside the quote, and a signature after the last quoted line."""
    message = EmailMessage()
    message["From"] = "Ingrid Solberg <ingrid@umbrella.example>"
    message["To"] = "sam@ourco.com"
    message["Subject"] = "Re: Follow-ups"
    message["Date"] = "Fri, 4 Dec 2026 09:41:05 -0600"
    message["Message-ID"] = "<inline@umbrella.example>"
    message.set_content(
        "Hi Sam,\n\nSorry for the delay.\n\n"
        "On Tue, Dec 1, 2026 at 4:12\u202fPM Sam Ortiz <sam@ourco.com> wrote:\n\n"
        "> 1. How many managers use the dashboard?\n>\n\n"
        "About 140 of 210; it is too slow on the\nback-office PCs.\n\n"
        "> 2. What format does the export need?\n>\n\n"
        "Fixed-width, not CSV.\n\n"
        "> Best,\n> Sam\n>\n> On Mon, Nov 23, 2026 Ingrid Solberg <ingrid@umbrella.example> wrote:\n"
        ">> Happy to chat Wednesday.\n\n"
        "-- \nIngrid Solberg\nDirector, Store Operations\n"
    )
    path = tmp_path / "inline.eml"
    path.write_bytes(bytes(message))
    assert _texts(path) == [
        "Hi Sam,\n\nSorry for the delay.\n\n"
        "About 140 of 210; it is too slow on the\nback-office PCs.\n\n"
        "Fixed-width, not CSV."
    ]


def test_answers_close_under_the_quote_are_inline_when_the_preamble_says_so() -> None:
    quoted = (
        "See my answers inline.\n\n"
        "On Tue, Dec 1, 2026 at 4:12 PM Sam Ortiz <sam@ourco.com> wrote:\n"
        "> Do you need SSO?\n"
        "Yes, Okta.\n"
        "> And audit logs?\n"
        "Those matter more.\n"
    )
    assert strip_replies(quoted) == "See my answers inline.\n\nYes, Okta.\nThose matter more."


def test_a_reply_written_above_the_quote_keeps_only_what_is_above_it() -> None:
    """Unquoted lines in the quote that are neither set apart nor announced are the quoted
    mail's own lines the sender's client wrapped; a signature under the quote is no answer."""
    wrapped = (
        "Thanks, that works for us.\n\n"
        "On Tue, Dec 1, 2026 at 4:12 PM Sam Ortiz <sam@ourco.com> wrote:\n"
        "> The new export ships on Monday and will include the carrier\n"
        "column again, along with the\n"
        "> warehouse codes you asked for.\n"
    )
    signed = (
        "Thanks, that works for us.\n\n"
        "On Tue, Dec 1, 2026 at 4:12 PM Sam Ortiz <sam@ourco.com> wrote:\n"
        "> The new export ships on Monday.\n>\n> Sam\n\n"
        "-- \nKim Novak\nHead of Logistics\n"
    )
    # "below" in the preamble, but nothing written between the quoted lines: the name under
    # the quote (Thunderbird's signature, without "-- ") is no answer.
    announced = (
        "Thanks, my notes below.\n\n"
        "On Tue, Dec 1, 2026 at 4:12 PM Sam Ortiz <sam@ourco.com> wrote:\n"
        "> The new export ships on Monday.\n> Sam\n\n"
        "Kim Novak\nHead of Logistics\n"
    )
    assert strip_replies(wrapped) == "Thanks, that works for us."
    assert strip_replies(signed) == "Thanks, that works for us."
    assert strip_replies(announced) == "Thanks, my notes below."


def test_an_outlook_reply_keeps_nothing_of_the_mail_under_its_header_block() -> None:
    """Outlook quotes without "> " marks: the older mail's own quoted lines under its header
    block are no inline answers."""
    text = (
        "Thanks, Monday works.\n\n"
        "From: Sam Ortiz <sam@ourco.com>\nSent: Tuesday, December 1, 2026 4:12 PM\n"
        "Subject: RE: Follow-ups\n\n"
        "Answers below, Kim.\n\n> Can you ship on Monday?\n\nYes, we can.\n\n> And the codes?\n"
    )
    assert strip_replies(text) == "Thanks, Monday works."


def test_japanese_outlook_reply_without_its_boxed_signature_and_quote(tmp_path: Path) -> None:
    """ISO-2022-JP, a signature between ━ rules, and Outlook's 差出人:/送信日時: block."""
    body = (
        "Becker様\n\n"
        "請求書PDFに登録番号が表示されません。\n"
        "日付の表示形式を設定できると助かります。\n\n"
        "━━━━━━━━━━━━━━━━━━━━━━\n"
        "Hooli Cloud株式会社\n経理・業務部　佐藤 美咲\n〒150-0002 東京都渋谷区渋谷2-21-1\n"
        "━━━━━━━━━━━━━━━━━━━━━━\n\n"
        "差出人: Tom Becker <tom.becker@ourco.com>\n"
        "送信日時: 2026年12月2日 17:05\n"
        "宛先: 佐藤 美咲 <misaki.sato@hooli.example>\n"
        "件名: RE: 請求書PDFの登録番号について\n\n"
        "Could you tell us which fields your finance team needs?\n"
    )
    raw = (
        "From: misaki.sato@hooli.example\r\nTo: tom.becker@ourco.com\r\n"
        "Subject: RE: invoices\r\nDate: Fri, 04 Dec 2026 10:32:02 +0900\r\n"
        "Message-ID: <jp@hooli.example>\r\nMIME-Version: 1.0\r\n"
        'Content-Type: text/plain; charset="iso-2022-jp"\r\nContent-Transfer-Encoding: 7bit\r\n\r\n'
    ).encode("ascii") + body.replace("\n", "\r\n").encode("iso-2022-jp")
    path = tmp_path / "jp.eml"
    path.write_bytes(raw)
    assert _texts(path) == [
        "Becker様\n\n請求書PDFに登録番号が表示されません。\n日付の表示形式を設定できると助かります。"
    ]


@pytest.mark.parametrize(
    "header",
    [
        "差出人: Tom Becker <tom.becker@ourco.com>\n送信日時: 2026年12月2日 17:05\n",
        "发件人\uff1aTom Becker <tom.becker@ourco.com>\n发送时间\uff1a2026年12月2日 17:05\n",
        "보낸 사람: Tom Becker <tom.becker@ourco.com>\n보낸 날짜: 2026년 12월 2일 17:05\n",
    ],
)
def test_outlooks_quote_block_in_japanese_chinese_and_korean_is_cut(header: str) -> None:
    text = f"日付の表示形式を設定できると助かります。\n\n{header}件名: RE: 請求書\n\nThanks for your message.\n"
    assert strip_replies(text) == "日付の表示形式を設定できると助かります。"


def test_a_rule_inside_a_long_message_is_not_a_signature() -> None:
    text = "Our findings:\n━━━━━━━━━━\n" + "".join(f"Issue {n} is open.\n" for n in range(14))
    assert strip_replies(text) == text.strip()


def test_zoom_saved_chat_is_a_turn_per_message_of_its_sender(tmp_path: Path) -> None:
    """Clock times become moments from the first message; a private message is its sender's
    either way; a reaction, an emoji alone and the "Replying to" quote are nobody's words."""
    path = tmp_path / "zoom_chat_initech.txt"
    path.write_text(
        "10:00:00 From Dana Lee to Everyone:\n\tMorning all\n"
        "10:01:30 From Kenji Watanabe to Everyone:\n\tThe tablets time out.\n"
        "10:01:50 From Kenji Watanabe to Everyone:\n\tEvery shift.\n\tSince the update.\n"
        '10:02:00 From Marisol Vega to Everyone:\n\tReacted to "The tablets time..." with \U0001f44d\n'
        "10:02:10 From Tom Becker to Dana Lee(privately):\n\tThat is the cache bug\n"
        "10:02:30 From Marisol Vega to Dana Lee(privately):\n\tWe are looking at Tulip.\n"
        '10:03:00 From Dana Lee to Everyone:\n\tReplying to "The tablets time...":\n\tFix is due.\n'
        "10:03:20 From Kenji Watanabe to Everyone:\n\t\U0001f44d\n"
    )
    output = ConnectorOutput()
    (call,) = read_calls(path, OURCO, output)
    assert output.errors == []
    assert [(u.line, u.speaker, u.start, u.text) for u in call.utterances] == [
        (1, "Dana Lee", 0.0, "Morning all"),
        (3, "Kenji Watanabe", 90.0, "The tablets time out."),
        (5, "Kenji Watanabe", 110.0, "Every shift. Since the update."),
        (10, "Tom Becker", 130.0, "That is the cache bug"),
        (12, "Marisol Vega", 150.0, "We are looking at Tulip."),
        (14, "Dana Lee", 180.0, "Fix is due."),
    ]
    assert {name: s.side for name, s in call.speakers.items()} == {
        "Dana Lee": "vendor",
        "Kenji Watanabe": "customer",
        "Marisol Vega": "customer",
        "Tom Becker": "vendor",
    }


def test_older_zoom_chat_writes_the_message_on_its_line(tmp_path: Path) -> None:
    path = tmp_path / "meeting_saved_chat.txt"
    path.write_text(
        "10:00:00\t From  Dana Lee : Morning all\n"
        "10:00:40\t From  Kenji Watanabe to Everyone : Exports fail: every time.\n"
    )
    output = ConnectorOutput()
    (call,) = read_calls(path, OURCO, output)
    assert output.errors == []
    assert [(u.speaker, u.start, u.text) for u in call.utterances] == [
        ("Dana Lee", 0.0, "Morning all"),
        ("Kenji Watanabe", 40.0, "Exports fail: every time."),
    ]
