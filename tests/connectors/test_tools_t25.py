"""Tools' exports as the t25 tuning files showed them: help desks and survey forms in other
languages (a Freshdesk export with Italian column names, a Typeform NPS form written in Dutch,
a Zendesk account with a Japanese interface, thanks in Japanese in a Slack channel) and a BI
tool's export over a help desk's model (Looker's "<View> <Field>" column names). Each rule on
a small file of its own, so a change that breaks one names it."""

import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from huddle.connectors.base import ConnectorOptions
from huddle.models import Account, Feedback
from tests.connectors.helpers import left_out_of, read_clean, run
from tests.factories import actor, create_account

OURS = ConnectorOptions(internal_domains=("ourco.com",), staff_names=("Dana Lee", "Sam Ortiz"))


def test_an_italian_freshdesk_export(tmp_path: Path) -> None:
    """Freshdesk in Italian: the company is "Azienda", the ticket's number "ID ticket", how it
    came in "Fonte"; a ticket whose source is "Email in uscita" (Outbound Email) is one the
    team sent, left out as staff."""
    path = tmp_path / "tickets.csv"
    path.write_text(
        "ID ticket,Oggetto,Descrizione,Fonte,Ora di creazione,Nome contatto,Email,Azienda\n"
        "40211,Logo tagliato,Il logo viene tagliato a metà nel PDF.,Email,01/12/2026 09:14,"
        "Luca Morello,luca@gmail.com,Cantine Morello\n"
        "40216,Rinnovo,La contattiamo per il rinnovo del contratto.,Email in uscita,"
        "25/11/2026 14:00,Alessandro Bruno,a.bruno@hooli.example,Hooli Cloud\n"
    )
    read = read_clean("tickets", path, OURS)
    assert [(r.external_id, r.account_ref) for r in read.feedback] == [("40211", "Cantine Morello")]
    assert "channel:email" in read.feedback[0].tags
    assert left_out_of(read) == [("staff", "La contattiamo per il rinnovo del contratto.")]


def test_a_looker_explore_over_a_help_desk(tmp_path: Path) -> None:
    """Looker names each column "<View> <Field>": the requester's address is "Requesters
    Email" and the organisation "Organizations Name", beside "Tickets Description"."""
    path = tmp_path / "looker.csv"
    path.write_text(
        "Tickets ID,Tickets Created Date,Tickets Subject,Tickets Description,Requesters Email,"
        "Requesters Name,Organizations Name,Tickets Count\n"
        "734001,2026-11-30,SSO loop,SSO login loops back to the sign-in page.,"
        'ana@hooli.example,Ana Petrov,"Hooli Cloud, Inc.",1\n'
    )
    read = read_clean("tickets", path, OURS)
    [record] = read.feedback
    assert (record.account_ref, record.contact_email, record.contact_name) == (
        "Hooli Cloud, Inc.",
        "ana@hooli.example",
        "Ana Petrov",
    )


# A form's NPS question, its open questions and its company and address questions, in
# the languages survey forms are written in.
FORMS = {
    "nl": (
        "Hoe waarschijnlijk is het dat je OurCo zou aanbevelen aan een vriend of collega?",
        "Wat is de belangrijkste reden voor je score?",
        "Is er nog iets dat we beter kunnen doen?",
        "Bij welk bedrijf werk je?",
        "Wat is je e-mailadres?",
    ),
    "de": (
        "Wie wahrscheinlich ist es, dass Sie OurCo einem Freund empfehlen?",
        "Was ist der wichtigste Grund für Ihre Bewertung?",
        "Was können wir besser machen?",
        "Für welches Unternehmen arbeiten Sie?",
        "Ihre E-Mail-Adresse",
    ),
    "fr": (
        "Quelle est la probabilité que vous recommandiez OurCo à un ami ?",
        "Quelle est la principale raison de votre note ?",
        "Que pourrions-nous améliorer ?",
        "Pour quelle entreprise travaillez-vous ?",
        "Votre adresse e-mail",
    ),
    "es": (
        "¿Qué probabilidad hay de que recomiendes OurCo a un amigo o colega?",
        "¿Cuál es el motivo principal de tu puntuación?",
        "¿Qué podríamos mejorar?",
        "¿En qué empresa trabajas?",
        "Correo electrónico",
    ),
    "it": (
        "Quanto è probabile che tu consigli OurCo a un amico o collega?",
        "Qual è il motivo principale del tuo punteggio?",
        "Cosa potremmo migliorare?",
        "Per quale azienda lavori?",
        "Indirizzo email",
    ),
    "pt": (
        "Qual é a probabilidade de você recomendar a OurCo a um amigo ou colega?",
        "Qual é o principal motivo da sua nota?",
        "O que podemos melhorar?",
        "Em qual empresa você trabalha?",
        "Qual é o seu e-mail?",
    ),
}


@pytest.mark.parametrize("language", sorted(FORMS))
def test_a_survey_form_in_another_language(tmp_path: Path, language: str) -> None:
    """Typeform, SurveyMonkey and Google Forms name each column by its question, in the
    form's language: the NPS question is the score, the reason and what to do better are
    the comment, the company question names the account, the address question the email."""
    score, reason, better, company, email = FORMS[language]
    path = tmp_path / "form.csv"
    with path.open("w", newline="") as out:
        out.write(f'"{score}","{reason}","{better}","{company}","{email}","Submit Date (UTC)"\n')
        out.write(
            '3,"Planning is slow.","Translate the app.",Globex,an@globex.example,2026-12-01\n'
        )
    read = read_clean("survey", path, OURS)
    [record] = read.feedback
    assert record.text == "NPS 3 \u2013 Planning is slow.\n\nTranslate the app."
    assert (record.account_ref, record.contact_email) == ("Globex", "an@globex.example")


def test_a_question_about_the_company_that_is_not_its_name(tmp_path: Path) -> None:
    """A question about the company's size ("Wat is de grootte van je bedrijf?") names
    no account; a question that mentions email but is answered yes or no ("Mogen we je
    e-mailen over je antwoord?") gives no address, and is not a bad row."""
    path = tmp_path / "form.csv"
    path.write_text(
        "Hoe waarschijnlijk is het dat je OurCo zou aanbevelen?,Waarom?,"
        "Wat is de grootte van je bedrijf?,Mogen we je e-mailen over je antwoord?\n"
        "4,De app is traag.,50,Ja\n"
    )
    read = read_clean("survey", path, OURS)
    [record] = read.feedback
    assert (record.account_ref, record.contact_email) == (None, None)


def test_a_satisfaction_question_in_dutch_is_csat(tmp_path: Path) -> None:
    """A score column asking satisfaction in another language ("Tevredenheid") is a CSAT
    score, 1 to 5, not an NPS one."""
    path = tmp_path / "csat.csv"
    path.write_text("Tevredenheid,Opmerking\n4,Snel geholpen.\n")
    read = read_clean("survey", path, OURS)
    assert [r.tags for r in read.feedback] == [["csat:4"]]


def _zendesk(tmp_path: Path, *tickets: dict[str, Any]) -> Path:
    path = tmp_path / "tickets.json"
    path.write_text(json.dumps({"tickets": list(tickets)}, ensure_ascii=False))
    return path


def _ticket(tid: int, subject: str, description: str, **more: Any) -> dict[str, Any]:
    return {
        "id": tid,
        "via": {"channel": "web"},
        "created_at": "2026-12-04T05:47:00Z",
        "subject": subject,
        "description": description,
        "requester": {"id": 1, "name": "小林 さくら", "email": "sakura.k@gmail.com"},
        **more,
    }


def test_a_gmail_requester_is_known_by_the_company_their_signature_names(
    session: Session, tmp_path: Path
) -> None:
    """A Zendesk ticket from a personal address (gmail.com) and no organisation: the
    company the requester's signature names, when the workspace knows it, is its account;
    the signature is not in the words."""
    admin = actor(session, "admin")
    create_account(session, name="Initech Health", domain="initech.example")
    path = _zendesk(
        tmp_path,
        _ticket(
            88104,
            "写真のアップロードが止まる",
            "モバイルアプリで写真を添付すると、アップロードが90%で止まったままになります。\n\n"
            "ご確認のほどお願いいたします。\n\n小林 さくら\nInitech Health 東京支社 情報システム部",
        ),
    )
    run(session, admin, "zendesk", path, internal_domains=("ourco.com",))
    [(text, account)] = session.execute(
        select(Feedback.text, Account.name).join(Account, Account.id == Feedback.account_id)
    ).all()
    assert account == "Initech Health"
    assert "90%で止まった" in text and "情報システム部" not in text


def test_zendesks_sample_ticket_is_a_test(tmp_path: Path) -> None:
    """The sample ticket Zendesk puts in every new account (via `sample_ticket`, its subject
    in the account's language: here Dutch) is a test, whatever its words say."""
    path = _zendesk(
        tmp_path,
        _ticket(
            88108,
            "Voorbeeldticket: maak kennis met tickets",
            "Als klanten een e-mail naar je supportadres sturen, wordt die een ticket.",
            via={"channel": "sample_ticket"},
            submitter_id=2002,
        ),
    )
    read = read_clean("zendesk", path, OURS)
    assert [reason for reason, _ in left_out_of(read)] == ["test"]
    assert read.feedback == []


USERS = [
    {"id": "U1TOM", "real_name": "Tom Becker", "profile": {"email": "tom@ourco.com"}},
    {"id": "U2SAT", "real_name": "佐藤 健", "profile": {"email": "sato@acme.example"}},
]


def _slack_zip(tmp_path: Path, *texts: str, thread: str = "") -> Path:
    """The customer's messages in a channel; with `thread`, replies to the vendor's post."""
    messages: list[dict[str, Any]] = [
        {"type": "message", "user": "U2SAT", "ts": f"17963000{i:02}.000001", "text": text}
        for i, text in enumerate(texts, start=1)
    ]
    if thread:
        for message in messages:
            message["thread_ts"] = "1796300000.000001"
        post = {"type": "message", "user": "U1TOM", "ts": "1796300000.000001", "text": thread}
        messages.insert(0, {**post, "thread_ts": post["ts"]})
    path = tmp_path / "export.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("users.json", json.dumps(USERS))
        archive.writestr("channels.json", json.dumps([{"id": "C1", "name": "acme-shien"}]))
        archive.writestr("acme-shien/2026-12-03.json", json.dumps(messages, ensure_ascii=False))
    return path


def test_thanks_in_other_languages_say_nothing(tmp_path: Path) -> None:
    """A message that only thanks, in any language and however many characters it takes
    ("ありがとうございます" with a full-width "!", "Vielen Dank! :pray:", "Merci beaucoup 🙏") is skipped like
    "thanks!"; thanks that go on to object are evidence."""
    path = _slack_zip(
        tmp_path,
        "ありがとうございます\uff01",
        "Vielen Dank! :pray:",
        "Merci beaucoup 🙏",
        "Muchas gracias!!",
        "谢谢大家\uff01",
        "감사합니다!",
        "ありがとうございます。でもまだログが30分ごとにしか更新されません。",
    )
    read = read_clean("slack", path, OURS)
    assert [r.text for r in read.feedback] == [
        "ありがとうございます。でもまだログが30分ごとにしか更新されません。"
    ]
    assert read.left_out == []


def test_thanking_the_vendor_for_an_update_in_another_language(tmp_path: Path) -> None:
    """In the thread of the vendor's update, a reply that only thanks for it ("Danke Tom,
    das passt für uns.") is skipped in any language; one that objects ("Merci, mais …") or
    asks, with a full-width question mark ("日付の形式は選べますか" and U+FF1F),
    is evidence."""
    path = _slack_zip(
        tmp_path,
        "Danke Tom, der 10. Dezember passt für uns.",
        "Merci Tom, mais l'export CSV garde l'ancien format.",
        "ありがとうございます。日付の形式は選べますか\uff1f",
        thread="Update: the fix ships on 12/10.",
    )
    read = read_clean("slack", path, OURS)
    assert [r.text for r in read.feedback] == [
        "Merci Tom, mais l'export CSV garde l'ancien format.",
        "ありがとうございます。日付の形式は選べますか\uff1f",
    ]
