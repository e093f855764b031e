"""What a review of round 23's and 24's general rules found, each mended and kept here: a
JSON payload pasted in a tab or semicolon file is no sign that the file quotes every cell; an
English call's fillers and names are no other language; an untitled call under an envelope
takes no person's object for the call; a participant list found deeper in the file does
not rename the speakers the transcript's own list names; an abbreviated heading ("Acct.
Type") is no survey question's code; a heading in two scripts is read by its Latin words; a
mail of ours attached to a forward is ours; a generic two-letter ending is no country's
public mail."""

from email.message import EmailMessage
from pathlib import Path

from huddle.connectors.base import ConnectorOptions
from huddle.connectors.statement_languages import other_language
from huddle.imports.connected import is_public_mail
from huddle.imports.rows import csv_format
from tests.connectors.helpers import left_out_of, one_call, read_clean

OURS = ConnectorOptions(internal_domains=("ourco.com",), staff_names=("Sam Ortiz", "Dana Lee"))


def test_a_pasted_json_payload_does_not_make_a_file_comma_separated() -> None:
    rows = "".join(f"{n}\tExport\tplain words\tbo@acme.example\n" for n in range(40))
    pasted = (
        '1041\tAPI error\tWe get {"error":"rate_limited","code":"429","retry_after":"30",'
        '"region":"eu-west","request_id":"a1b2"} on every call\tbo@acme.example\n'
    )
    assert csv_format("ID\tSubject\tDescription\tEmail\n" + rows + pasted)[0] == "\t"
    # A German Excel file, a comma in a column's name, JSON with doubled quotes in one cell.
    semicolons = "Datum;Name, Vorname;Kommentar;Metadaten\n" + "2026-01-02;Acme;gut;x\n" * 30
    doubled = '2026-01-03;Acme;schlecht;"{""status"":""failed"",""step"":""mapping"",'
    doubled += '""file"":""kunden.csv"",""zeile"":""17"",""spalte"":""E""}"\n'
    assert csv_format(semicolons + doubled)[0] == ";"
    # A file that does quote every cell still says its delimiter between them.
    glpi = 'ID;"Title";"Entity";"Description"\n'
    glpi += "".join(f'"{n}";"T";"Root > X";"a, b, c\nd, e"\n' for n in range(10))
    assert csv_format(glpi)[0] == ";"


def test_english_with_fillers_and_foreign_names_is_english() -> None:
    english = [
        "Um, er, the export keeps timing out.",
        "Um, no, um, the reports are wrong.",
        "Um, er, pricing's wrong.",
        "E-mail digests per team would help.",
        "I'd pay per user, no problem.",
        "Müller und Söhne need SSO by March.",
        "Le Monde's newsroom wants Slack alerts per desk.",
        "De La Rosa Logística needs multi-currency invoices.",
        "Banco de la Nación needs two-factor login.",
        "Our van drivers in San José can't see the route.",
    ]
    assert [s for s in english if other_language(s)] == []
    others = [
        "Am Freitag ist die Synchronisierung dreimal abgebrochen.",
        "¿Cuánto cuesta agregar más dispositivos?",
        "Hoy esperé cuarenta minutos en la línea.",
        "Sarebbe utile avere un modulo corto per gli interventi piccoli, tipo sotto i quindici "
        "minuti.",
    ]
    assert [s for s in others if not other_language(s)] == []


def test_an_untitled_call_takes_no_persons_object_for_the_call(tmp_path: Path) -> None:
    block = lambda who, text: {"transcript": text, "speaker_id": who}  # noqa: E731
    call = one_call(
        tmp_path,
        {
            "status": "OK",
            "speech": {
                "title": "Umbrella",
                "start_time": 1796400001,
                "owner": {"id": 3048, "name": "Dana Lee", "email": "dana@ourco.com"},
                "speakers": [
                    {"id": 1, "speaker_name": "Dana Lee"},
                    {"id": 2, "speaker_name": "Bo"},
                ],
                "transcripts": [
                    block(1, "Thanks for making time today."),
                    block(2, "Our rota export drops the night shifts."),
                ],
            },
        },
        OURS,
    )
    # Not the owner's name for a title, nor the owner's id for the call's; its own start.
    assert (call.title, call.call_id) == (None, None)
    assert call.started_at is not None
    assert call.started_at.isoformat() == "2026-12-04T16:00:01+00:00"


def test_a_deeper_participant_list_does_not_rename_the_transcripts_speakers(
    tmp_path: Path,
) -> None:
    said = lambda who, text: {"speaker": who, "text": text}  # noqa: E731
    call = one_call(
        tmp_path,
        {
            "meeting": {
                "title": "Acme weekly sync",
                "participants": [
                    {"name": "Sam Ortiz", "email": "sam@ourco.com"},
                    {"name": "Ana Ruiz", "email": "ana@acme.example"},
                ],
            },
            "transcript": {
                "speakers": [{"id": 0, "name": "Ana Ruiz"}, {"id": 1, "name": "Sam Ortiz"}],
                "segments": [
                    said(0, "The rota export drops every night shift."),
                    said(1, "Understood, I'll check the export."),
                ],
            },
        },
        OURS,
    )
    assert [(u.speaker, call.speakers[u.speaker].side, u.text) for u in call.utterances] == [
        ("Ana Ruiz", "customer", "The rota export drops every night shift."),
        ("Sam Ortiz", "vendor", "Understood, I'll check the export."),
    ]


def test_an_abbreviated_heading_is_no_survey_code(tmp_path: Path) -> None:
    path = tmp_path / "feedback.csv"
    path.write_text(
        "Date,Customer,Feedback,Acct. Type,Acct. Team,Ref. ID\n"
        "2026-11-30,Acme,The rota export drops night shifts.,Enterprise,EMEA Mid-Market,A-1\n"
        "2026-12-01,Acme,Agency staff need their own login.,Enterprise,EMEA Mid-Market,A-1\n"
    )
    read = read_clean("tickets", path, OURS)
    assert [(r.text, r.team) for r in read.feedback] == [
        ("The rota export drops night shifts.", "support"),
        ("Agency staff need their own login.", "support"),
    ]
    # "Ref. ID" is no ticket id ("ID" under the code "Ref"): each row keeps its own.
    assert [r.external_id for r in read.feedback] == [None, None]


def test_a_heading_in_two_scripts_is_read_by_its_latin_words(tmp_path: Path) -> None:
    path = tmp_path / "feedback.csv"
    path.write_text(
        "会社名 (Company),コメント (Comment),日付 (Date)\nAcme,The export drops night shifts.,"
        "2026-11-30\n",
        encoding="utf-8",
    )
    (item,) = read_clean("tickets", path, OURS).feedback
    assert (item.text, item.account_ref) == ("The export drops night shifts.", "Acme")


def test_a_mail_of_ours_attached_to_a_forward_is_ours(tmp_path: Path) -> None:
    path = _forward(
        tmp_path,
        "See attached.",
        "Sam Ortiz <sam@ourco.com>",
        by="Dana Lee <dana@ourco.com>",
        said="Acme told me our pricing went up 20% and they are looking around.",
    )
    read = read_clean("email", path, OURS)
    assert read.feedback == []
    assert left_out_of(read) == [
        ("internal", "Acme told me our pricing went up 20% and they are looking around.")
    ]


def test_a_generic_two_letter_ending_is_no_countrys_public_mail() -> None:
    assert [d for d in ("live.io", "outlook.ai", "aol.org", "yahoo.net") if is_public_mail(d)] == []
    assert all(is_public_mail(d) for d in ("yahoo.co.uk", "hotmail.fr", "yahoo.com.br", "gmx.at"))


def _forward(
    tmp_path: Path,
    cover: str,
    attached_from: str,
    by: str = "Kim Lo <kim@acme.example>",
    said: str = "We never received the November invoice in the AP mailbox again.",
) -> Path:
    """A forward by `by`, its `cover` note above one attached mail from `attached_from`."""
    inner = EmailMessage()
    inner["From"] = attached_from
    inner["To"] = "kim@acme.example"
    inner["Subject"] = "Invoice missing"
    inner["Date"] = "Mon, 30 Nov 2026 10:00:00 +0000"
    inner["Message-ID"] = "<in1@acme.example>"
    inner.set_content(said)
    outer = EmailMessage()
    outer["From"] = by
    outer["To"] = "support@ourco.com"
    outer["Subject"] = "Fwd: Invoice missing"
    outer["Date"] = "Mon, 30 Nov 2026 11:00:00 +0000"
    outer["Message-ID"] = "<out1@acme.example>"
    outer.set_content(cover)
    outer.add_attachment(
        inner.as_bytes(), maintype="application", subtype="octet-stream", filename="fw.eml"
    )
    path = tmp_path / "fwd.eml"
    path.write_bytes(outer.as_bytes())
    return path


def test_a_customers_words_above_a_mail_they_attach_are_kept(tmp_path: Path) -> None:
    cover = "Third time this month our AP mailbox did not get the invoice, please fix it.\n\nKim"
    read = read_clean("email", _forward(tmp_path, cover, "AP Team <ap@acme.example>"), OURS)
    assert [r.text for r in read.feedback] == [
        "Third time this month our AP mailbox did not get the invoice, please fix it.",
        "We never received the November invoice in the AP mailbox again.",
    ]
    # Our own reply they attach is ours; their words above it are still theirs.
    read = read_clean("email", _forward(tmp_path, cover, "Dana Lee <dana@ourco.com>"), OURS)
    assert [r.text for r in read.feedback] == [
        "Third time this month our AP mailbox did not get the invoice, please fix it."
    ]
    # A note that only points at what it carries is no item.
    # Nor does one of ours forwarding it: the note is the team's.
    staff = _forward(tmp_path, cover, "AP Team <ap@acme.example>", by="Dana Lee <dana@ourco.com>")
    read = read_clean("email", staff, OURS)
    assert [r.text for r in read.feedback] == [
        "We never received the November invoice in the AP mailbox again."
    ]
    assert left_out_of(read) == []
    for pointer in (
        "See attached.\n\nKim",
        "FYI",
        "Thanks, Kim",
        "Please see the attached mail from our AP team.",
    ):
        read = read_clean("email", _forward(tmp_path, pointer, "AP Team <ap@acme.example>"), OURS)
        assert [r.text for r in read.feedback] == [
            "We never received the November invoice in the AP mailbox again."
        ]
