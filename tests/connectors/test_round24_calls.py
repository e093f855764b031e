"""What round 24's held-back calls showed, each on a small input of its own: Jitsi Meet's text
transcript (Jigasi's: wrapped under a hanging indent, the room's slug its title); Quo's
dialogue (a speaker is a phone number, the caller's `userId` null); an engine's sub-word
tokens that carry their own spaces (Soniox's " Eng", "lisch"); and customers speaking
Spanish or German, whose sentences neither the lexicon nor the classifier could read (a
Spanish call came in empty)."""

import json
from pathlib import Path
from typing import Any

from huddle.connectors.base import ConnectorOptions, ConnectorOutput
from huddle.connectors.statement_languages import kept_in_other_language, other_language
from huddle.connectors.statements import judge
from huddle.connectors.transcript import read_calls
from huddle.connectors.transcript_formats import Call
from tests.connectors.helpers import read_clean

OURS = ConnectorOptions(internal_domains=("ourco.com",), staff_names=("Dana Lee", "Sam Ortiz"))

JITSI = (
    "Transcript of conference held at Nov 30, 2026 in room "
    "ourco-birchfield-rollout@conference.meet.ourco.com\n"
    "Initial people present at 2:00:05 PM:\n"
    "\tSam Ortiz\n\tGreta Lind (Birchfield)\n\n"
    "Transcript, started at 2:00:05 PM:\n" + "_" * 80 + "\n"
    "<2:00:09 PM> Sam Ortiz: Thanks for joining, Greta. \n"
    "<2:00:20 PM> Greta Lind (Birchfield): The rota export drops every night shift that \n"
    "                                      crosses midnight, so payroll adds them by \n"
    "                                      hand. \n"
    "<2:00:41 PM> hannes joined the conference\n"
    "<2:00:44 PM> Greta Lind (Birchfield) raised their hand\n"
    "<2:01:02 PM> Sam Ortiz: Understood, we'll look at the export. \n\n\n"
    "End of transcript at Nov 30, 2026 2:30:00 PM\n"
)


def _calls(path: Path) -> list[Call]:
    output = ConnectorOutput()
    calls = read_calls(path, OURS, output)
    assert output.errors == []
    return calls


def test_jitsis_transcript_is_read_by_its_events_and_wrapped_lines(tmp_path: Path) -> None:
    path = tmp_path / "transcript_2026-11-30T14-00-05Z_4f1e.txt"
    path.write_text(JITSI)
    (call,) = _calls(path)
    assert call.title == "ourco birchfield rollout"
    assert call.started_at is not None and call.started_at.date().isoformat() == "2026-11-30"
    assert [(u.speaker, u.start, u.text) for u in call.utterances] == [
        ("Sam Ortiz", 0.0, "Thanks for joining, Greta."),
        (
            "Greta Lind (Birchfield)",
            11.0,
            "The rota export drops every night shift that crosses midnight, so payroll adds "
            "them by hand.",
        ),
        ("Sam Ortiz", 53.0, "Understood, we'll look at the export."),
    ]
    assert call.speakers["Sam Ortiz"].side == "vendor"
    assert call.speakers["Greta Lind (Birchfield)"].side == "customer"


def test_a_line_jitsis_transcript_does_not_hold_is_named(tmp_path: Path) -> None:
    path = tmp_path / "transcript.txt"
    path.write_text(JITSI.replace("<2:01:02 PM> Sam Ortiz:", "2:01:02 PM Sam Ortiz said"))
    output = ConnectorOutput()
    read_calls(path, OURS, output)
    assert [(e.line, e.reason) for e in output.errors] == [
        (14, "expected '<time> Name: text' (Jitsi's transcript)")
    ]


def _dialogue(tmp_path: Path, lines: list[dict[str, Any]]) -> Call:
    path = tmp_path / "call.json"
    path.write_text(json.dumps({"data": {"callId": "AC1", "dialogue": lines}}))
    (call,) = _calls(path)
    return call


def test_quos_dialogue_the_caller_is_the_line_no_user_spoke(tmp_path: Path) -> None:
    line = lambda text, number, user, at: {  # noqa: E731
        "content": text,
        "start": at,
        "end": at + 2,
        "identifier": number,
        "userId": user,
    }
    call = _dialogue(
        tmp_path,
        [
            line("Thanks for calling OurCo, how can I help?", "+14155550100", "US1", 1.0),
            line("Our fridge logs are still on paper clipboards.", "+15035550147", None, 4.0),
            line("Okay, tell me more.", "+14155550100", "US1", 9.0),
            line("The inspector could not read two days of them.", "+15035550147", None, 12.0),
        ],
    )
    assert [(u.speaker, call.speakers[u.speaker].side) for u in call.utterances] == [
        ("+14155550100", "vendor"),
        ("+15035550147", "customer"),
        ("+14155550100", "vendor"),
        ("+15035550147", "customer"),
    ]


def test_sub_word_tokens_are_joined_as_their_spaces_say(tmp_path: Path) -> None:
    pieces = [
        ("1", "Thanks"),
        ("1", " for"),
        ("1", " join"),
        ("1", "ing"),
        ("1", "."),
        ("2", " Die"),
        ("2", " Check"),
        ("2", "listen"),
        ("2", " gibt"),
        ("2", " es"),
        ("2", " nur"),
        ("2", " auf"),
        ("2", " Eng"),
        ("2", "lisch"),
        ("2", "."),
    ]
    path = tmp_path / "soniox.json"
    tokens = [
        {"text": text, "start_ms": 100 * i, "end_ms": 100 * i + 90, "speaker": speaker}
        for i, (speaker, text) in enumerate(pieces)
    ]
    path.write_text(json.dumps({"id": "x", "tokens": tokens}))
    (call,) = _calls(path)
    assert [u.text for u in call.utterances] == [
        "Thanks for joining.",
        "Die Checklisten gibt es nur auf Englisch.",
    ]


def test_a_sentence_is_known_to_be_in_another_language_by_its_function_words() -> None:
    assert [
        other_language(s)
        for s in (
            "Tenemos que empezar el conteo desde cero cada vez.",
            "¿Cuánto cuesta agregar más dispositivos?",
            "Am Freitag ist die Synchronisierung dreimal abgebrochen.",
            "Les exports ne gardent pas nos champs personnalisés.",
            "We need the data hosted in the EU, not in Virginia.",
            "We met Maria de la Cruz at the Madrid conference.",
        )
    ] == [True, True, True, True, False, False]


def test_a_sentence_in_another_language_is_kept_by_its_form() -> None:
    kept = {
        "Tenemos que empezar el conteo desde cero y perdemos una hora por turno.": True,
        "¿Se puede cambiar el idioma?": True,
        "Hoy esperé cuarenta minutos en la línea.": False,  # seven words: under `LONG`
        "Sí, la tienda doscientos catorce.": False,
        "Buenas tardes, habla Luis Garza, soy gerente de la tienda de Monterrey.": False,
        "Ich bin Leiter der Instandhaltung im Werk Augsburg und seit zehn Jahren hier.": False,
        "Sono Federico Lanza, responsabile delle operations nel magazzino di Verona.": False,
        "Je suis bloqué depuis mardi avec les exports, et personne ne nous répond.": True,
        "Muchas gracias por todo, Andrea, muy amable de su parte, de verdad.": False,
        # What they have, with a number: a fact; with something wrong in it: a complaint.
        "Wir haben inzwischen 120 Leute in der Instandhaltung, verteilt auf drei Schichten.": (
            False
        ),
        "Wir haben drei Werke und keine einzige Checkliste auf Deutsch in der ganzen App.": (True),
    }
    assert {s: kept_in_other_language(s) for s in kept} == kept


def test_a_call_in_spanish_keeps_its_customers_long_sentences(tmp_path: Path) -> None:
    turns = [
        ["Buenas tardes, habla Marta, soy gerente de la tienda de Sevilla."],
        [
            "Desde la actualización la app se cierra cada vez que escaneamos muchos productos "
            "seguidos.",
            "Vale.",
            "¿Hay forma de recuperar un conteo a medias?",
        ],
        ["We need the data hosted in the EU."],
    ]
    # Without vectors the lexicon judges English alone; the others by their form (a request
    # when no vector says which kind).
    assert judge(turns) == [None, "request", None, "question", "request"]
    path = tmp_path / "llamada.vtt"
    path.write_text(
        "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Dana Lee>Hola Marta, ¿qué tal?\n\n"
        "00:00:05.000 --> 00:00:12.000\n<v Marta Ruiz>Desde la actualización la app se "
        "cierra cada vez que escaneamos más de cincuenta productos.\n\n"
        "00:00:13.000 --> 00:00:15.000\n<v Marta Ruiz>Sí, claro.\n"
    )
    read = read_clean("transcript", path, OURS)
    assert [r.text for r in read.feedback] == [
        "Desde la actualización la app se cierra cada vez que escaneamos más de cincuenta "
        "productos."
    ]


def test_a_roster_inside_the_envelope_names_the_speakers_and_their_extensions_the_sides(
    tmp_path: Path,
) -> None:
    """RingSense's webhook: `body.speakerInfo` names each speaker id, and the phone system's
    user has an extension where the caller has none; the call's title is the body's, and
    its `domain` ("pbx") is no company."""
    path = tmp_path / "ringsense.json"
    said = lambda who, text, at: {"speakerId": who, "text": text, "start": at}  # noqa: E731
    path.write_text(
        json.dumps(
            {
                "uuid": "u-1",
                "event": "/ai/ringsense/v1/public/accounts/1/domains/pbx/insights",
                "body": {
                    "title": "Call from BIRCHFIELD HOSP to Marcus Hale",
                    "domain": "pbx",
                    "speakerInfo": [
                        {"speakerId": "p-1", "name": "Marcus Hale", "extensionId": "601"},
                        {"speakerId": "p-2", "name": "BIRCHFIELD HOSP", "extensionId": None},
                    ],
                    "insights": {
                        "Transcript": [
                            said("p-1", "Thanks for calling support, this is Marcus.", 1.0),
                            said("p-2", "Our rota export drops the night shifts.", 4.0),
                        ]
                    },
                },
            }
        )
    )
    (call,) = _calls(path)
    assert (call.title, call.account) == ("Call from BIRCHFIELD HOSP to Marcus Hale", None)
    assert [(u.speaker, call.speakers[u.speaker].side) for u in call.utterances] == [
        ("Marcus Hale", "vendor"),
        ("BIRCHFIELD HOSP", "customer"),
    ]


def test_a_speakers_list_by_id_names_them_and_their_addresses(tmp_path: Path) -> None:
    """Otter's own API: `speech.speakers` by id, with `speaker_name` and `speaker_email`,
    every one under the owner's user id (which says nothing of sides); the title is the
    speech's."""
    path = tmp_path / "otter.json"
    block = lambda who, text, at: {  # noqa: E731
        "transcript": text,
        "start_offset": at,
        "speaker_id": who,
    }
    path.write_text(
        json.dumps(
            {
                "status": "OK",
                "speech": {
                    "title": "Birchfield Hospice rota review",
                    "speakers": [
                        {
                            "id": 11,
                            "speaker_name": "Dana Lee",
                            "user_id": 9,
                            "speaker_email": "dana@ourco.com",
                        },
                        {
                            "id": 12,
                            "speaker_name": "Greta Lind",
                            "user_id": 9,
                            "speaker_email": None,
                        },
                    ],
                    "transcripts": [
                        block(11, "Thanks for making time today, Greta.", 16000),
                        block(12, "Our rota export drops the night shifts.", 64000),
                    ],
                },
            }
        )
    )
    (call,) = _calls(path)
    assert call.title == "Birchfield Hospice rota review"
    assert [(s.name, s.email, s.side) for s in call.speakers.values()] == [
        ("Dana Lee", "dana@ourco.com", "vendor"),
        ("Greta Lind", None, "customer"),
    ]


def test_extensions_tell_sides_only_when_some_have_none() -> None:
    from huddle.connectors.transcript_found import _sided

    both = [{"name": "Marcus Hale", "extensionId": "601"}, {"name": "Ana Ruiz", "extension": "7"}]
    assert _sided(both) == both  # a call between two of the system's users says nothing
    caller = [{"name": "Marcus Hale", "extensionId": "601"}, {"name": "ANA RUIZ"}]
    assert [p.get("role") for p in _sided(caller)] == ["internal", "external"]


def test_an_accented_name_opens_a_cue(tmp_path: Path) -> None:
    path = tmp_path / "llamada.srt"
    path.write_text(
        "1\n00:00:01,000 --> 00:00:04,000\nSam Ortiz: ¿Nos cuentas qué está pasando?\n\n"
        "2\n00:00:05,000 --> 00:00:12,000\nÍñigo Arrieta: Claro, las tabletas duplican cada "
        "orden que cerramos sin cobertura en el sótano.\n"
    )
    (call,) = _calls(path)
    assert [(u.speaker, call.speakers[u.speaker].side) for u in call.utterances] == [
        ("Sam Ortiz", "vendor"),
        ("Íñigo Arrieta", "customer"),
    ]


def test_a_speaker_who_introduces_themselves_as_the_vendors_in_spanish(tmp_path: Path) -> None:
    """Lucía is no workspace user: she says she is OurCo's, in Spanish."""
    path = tmp_path / "llamada.srt"
    path.write_text(
        "1\n00:00:01,000 --> 00:00:04,000\nLucía Herrero: Buenos días. Soy Lucía Herrero, del "
        "equipo de soporte de OurCo.\n\n"
        "2\n00:00:05,000 --> 00:00:12,000\nÍñigo Arrieta: Las tabletas duplican cada orden "
        "que cerramos sin cobertura en el sótano del hotel.\n"
    )
    (call,) = _calls(path)
    assert {s.name: s.side for s in call.speakers.values()} == {
        "Lucía Herrero": "vendor",
        "Íñigo Arrieta": "customer",
    }
