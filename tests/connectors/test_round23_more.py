"""What more of round 23's other files showed, each on a small input of its own: Tuta Mail's
quote line ("Dec 2, 2026, 10:05 by a@b:") and a sender at a public provider known by the
company their signature names (Tuta, a country's Yahoo); HubSpot and Salesforce set to
Japanese (column labels, "2026/11/30 14:02", "テスト"); Insightly's notes, linked to an
organisation, a contact or an opportunity by name and type."""

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from huddle.connectors.base import ConnectorOptions
from huddle.connectors.export_dates import export_date
from huddle.imports.connected import is_public_mail
from huddle.imports.fields import normalise
from huddle.models import Account, Feedback
from tests.connectors.helpers import left_out_of, read_clean, run
from tests.factories import actor, create_account

OURS = ConnectorOptions(internal_domains=("ourco.com",), staff_names=("Priya Raman",))


def _mail(sender: str, body: str) -> str:
    return (
        f"From: {sender}\nTo: Priya Raman <priya@ourco.com>\nSubject: Re: rota exports\n"
        "Date: Wed, 02 Dec 2026 10:41:18 +0100\nMessage-ID: <r23-tuta@mail.example>\n"
        "Content-Type: text/plain; charset=utf-8\n\n" + body
    )


TUTA_BODY = (
    "Hi Priya,\n\nThe rota export drops the night shifts that cross midnight, so our payroll "
    "team adds them by hand every fortnight.\n\nMina Kovac\nWorkforce Planner | Ashby Care\n\n"
    "Dec 1, 2026, 16:20 by priya@ourco.com:\n\n> Hi Mina, how are the exports going?\n>\n"
    "> Priya\n"
)


def test_tutas_quote_line_ends_the_senders_words_and_their_signature_is_cut(
    tmp_path: Path,
) -> None:
    path = tmp_path / "tuta.eml"
    path.write_text(_mail("Mina Kovac <mina.kovac@tuta.com>", TUTA_BODY), encoding="utf-8")
    (item,) = read_clean("email", path, OURS).feedback
    assert item.text == (
        "Hi Priya,\n\nThe rota export drops the night shifts that cross midnight, so our "
        "payroll team adds them by hand every fortnight."
    )
    assert item.mentions == ("Workforce Planner\nAshby Care",)


def test_tutas_german_quote_line_too(tmp_path: Path) -> None:
    path = tmp_path / "tuta.eml"
    body = TUTA_BODY.replace("Dec 1, 2026, 16:20 by", "1. Dez. 2026, 16:20 von")
    path.write_text(_mail("Mina Kovac <mina.kovac@tutanota.de>", body), encoding="utf-8")
    (item,) = read_clean("email", path, OURS).feedback
    assert item.text.endswith("adds them by hand every fortnight.")


def test_a_sender_at_a_public_provider_is_known_by_their_signatures_company(
    session: Session, tmp_path: Path
) -> None:
    ashby = create_account(session, name="Ashby Care", domain="ashbycare.example")
    for number, address in enumerate(("mina.kovac@tuta.com", "mina_k@yahoo.co.uk")):
        path = tmp_path / f"m{number}.eml"
        text = _mail(f"Mina Kovac <{address}>", TUTA_BODY).replace("r23-tuta", f"r23-{number}")
        path.write_text(text, encoding="utf-8")
        report = run(session, actor(session, "admin"), "email", path)
        assert (report.created, report.errors) == (1, [])
    said = session.scalars(select(Feedback)).all()
    assert [item.account_id for item in said] == [ashby.id, ashby.id]


def test_public_mail_providers_are_known_by_their_country_domains_too() -> None:
    public = ["tuta.com", "tutanota.de", "yahoo.co.uk", "hotmail.fr", "gmx.at", "outlook.de"]
    public += ["web.de", "naver.com", "pm.me", "GMAIL.COM"]
    assert [d for d in public if not is_public_mail(d)] == []
    companies = ["ashbycare.example", "live.acme.com", "yahooligans.example", "outlook.acme.io"]
    assert [d for d in companies if is_public_mail(d)] == []


def test_a_column_named_in_japanese_is_a_name() -> None:
    assert normalise("メモ本文") == "メモ本文"
    assert normalise("関連付けられた会社 ID") == "関連付けられた会社_id"
    assert normalise("Fecha de finalización") == "fecha_de_finalizacion"


def test_hubspot_in_japanese_notes_export(session: Session, tmp_path: Path) -> None:
    ashby = create_account(session, name="Ashby Care", domain="ashbycare.example")
    path = tmp_path / "notes.csv"
    path.write_text(
        "\ufeffアクティビティーID,アクティビティー日,メモ本文,関連付けられた会社,"
        "関連付けられた会社ID,アクティビティーの担当者\n"
        "9001,2026/11/30 14:02,<p>シフト表の印刷で夜勤が二日に分かれてしまう。</p>,Ashby Care,77,"
        "Priya Raman\n"
        "9002,2026年12月1日 9:15,<p>テスト</p>,Ashby Care,77,Priya Raman\n",
        encoding="utf-8",
    )
    read = read_clean("hubspot", path, OURS)
    (item,) = read.feedback
    assert (item.text, item.account_ref, item.occurred_at.isoformat()) == (
        "シフト表の印刷で夜勤が二日に分かれてしまう。",
        "Ashby Care",
        "2026-11-30T14:02:00+00:00",
    )
    assert left_out_of(read) == [("test", "テスト")]
    report = run(session, actor(session, "admin"), "hubspot", path)
    assert (report.created, report.errors) == (1, [])
    assert session.scalars(select(Feedback.account_id)).one() == ashby.id


def test_salesforce_in_japanese_activities_report(tmp_path: Path) -> None:
    path = tmp_path / "activities.csv"
    path.write_text(
        "件名,取引先名,コメント,日付\n電話,Ashby Care,夜勤の交代を一括で承認したい。,2026/12/01\n",
        encoding="utf-8",
    )
    (item,) = read_clean("salesforce", path, OURS).feedback
    assert (item.text, item.account_ref, item.occurred_at.date().isoformat()) == (
        "夜勤の交代を一括で承認したい。",
        "Ashby Care",
        "2026-12-01",
    )


def test_dates_written_year_first_as_japan_and_china_write_them() -> None:
    assert [
        export_date(value).isoformat()
        for value in ("2026/11/30 14:02", "2026/1/5", "2026年12月1日(火) 9:05", "2026年12月1日")
    ] == [
        "2026-11-30T14:02:00+00:00",
        "2026-01-05T00:00:00+00:00",
        "2026-12-01T09:05:00+00:00",
        "2026-12-01T00:00:00+00:00",
    ]


def test_a_test_in_chinese_or_korean_is_left_out(tmp_path: Path) -> None:
    path = tmp_path / "feedback.csv"
    path.write_text(
        "Feedback,Customer email,Created\n"
        "测试,kim@acme.example,2026-11-20\n"
        "테스트입니다. 무시해 주세요,kim@acme.example,2026-11-20\n"
        "排班表导出时丢失夜班。,kim@acme.example,2026-11-21\n",
        encoding="utf-8",
    )
    read = read_clean("tickets", path, OURS)
    assert [r.text for r in read.feedback] == ["排班表导出时丢失夜班。"]
    assert [reason for reason, _ in left_out_of(read)] == ["test", "test"]


def test_insightlys_notes_find_their_account_by_the_linked_record(
    session: Session, tmp_path: Path
) -> None:
    ashby = create_account(session, name="Ashby Care", domain="ashbycare.example")
    path = tmp_path / "notes.csv"
    path.write_text(
        '"NOTE_ID","TITLE","BODY","LINK_SUBJECT_ID","LINK_SUBJECT_TYPE","LINK_SUBJECT_NAME",'
        '"DATE_CREATED_UTC"\n'
        '"1","Call","<p>Night shifts split across two days on the printout.</p>","55",'
        '"Organisation","Ashby Care Ltd","2026-11-30 15:12:40"\n'
        '"2","Ashby Care renewal prep","Finance wants the rota cost per ward.","66","Contact",'
        '"Mina Kovac","2026-11-30 16:00:00"\n'
        '"3","Site visit","Agency staff need their own login.","77","Opportunity",'
        '"Ashby Care - agency module","2026-12-01 09:00:00"\n'
        '"4","Intro","Our wards still run rotas on paper.","88","Organisation",'
        '"Birchfield Hospice","2026-12-01 10:00:00"\n',
        encoding="utf-8",
    )
    report = run(session, actor(session, "admin"), "salesforce", path)
    assert (report.created, report.errors) == (4, [])
    assert report.unmatched_accounts == {"Birchfield Hospice": 1}
    names = dict(session.execute(select(Account.id, Account.name)).all())
    said = {
        item.text: names.get(item.account_id)
        for item in session.scalars(select(Feedback).order_by(Feedback.id))
    }
    assert said == {
        "Night shifts split across two days on the printout.": "Ashby Care",
        "Finance wants the rota cost per ward.": "Ashby Care",
        "Agency staff need their own login.": "Ashby Care",
        "Our wards still run rotas on paper.": None,
    }
    assert ashby.id in names


def test_an_undated_files_date_column_the_import_did_not_read_is_named(
    session: Session, tmp_path: Path
) -> None:
    """Items of a file whose date column has a name no tool uses are dated by the import: the
    summary says which column holds dates, so the user can name it and import again."""
    path = tmp_path / "feedback.csv"
    path.write_text(
        "Feedback,Customer email,Erfasst am,Order number,Priority\n"
        "The rota export drops night shifts.,kim@acme.example,02.12.2026 09:14,1796027231,High\n"
        "Agency staff need their own login.,kim@acme.example,03.12.2026 10:00,1796027232,Low\n",
        encoding="utf-8",
    )
    report = run(session, actor(session, "admin"), "tickets", path)
    assert (report.created, report.undated) == (2, 2)
    assert [str(w) for w in report.warnings] == [
        "line 1, column 'Erfasst am': holds dates, but no column is named as the items' date, "
        "so the import dated them; if this column says when each was made, name it 'Date' in "
        "the file (or import with --map 'Erfasst am=occurred_at')"
    ]
    renamed = tmp_path / "renamed.csv"
    renamed.write_text(path.read_text().replace("Erfasst am", "Date"), encoding="utf-8")
    again = run(session, actor(session, "admin", team="support"), "tickets", renamed)
    assert (again.undated, again.warnings) == (0, [])


def test_a_twelve_hour_clock_reads_as_the_day_reads_it() -> None:
    """One conversion for every export written on a 12-hour clock (Jitsi's transcript,
    WhatsApp's chats): 12 AM is midnight, 12 PM noon, 13 PM no hour at all."""
    from huddle.connectors.export_dates import clock_hour

    assert [clock_hour(h, "a") for h in (12, 1, 11)] == [0, 1, 11]
    assert [clock_hour(h, "P") for h in (12, 1, 11)] == [12, 13, 23]
    assert (clock_hour(13, "p"), clock_hour(0, "a"), clock_hour(24, None)) == (None, None, None)
    assert clock_hour(21, None) == 21
