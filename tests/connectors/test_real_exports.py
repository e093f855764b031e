"""Exports as tools really write them, read as a person would: report footers skipped,
accounts found by name, domain or title, unknown accounts listed, mail cut to the sender's
own words, and noise left out, counted and kept on the run (or brought in on request)."""

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from huddle.models import Account, Feedback, ImportRun
from tests.connectors.exports.scoring import CORPUS
from tests.connectors.helpers import counts, refused, run
from tests.factories import actor, create_account, create_user


def _texts(session: Session, import_id: int | None) -> list[tuple[str, str | None]]:
    rows = session.execute(
        select(Feedback.text, Account.name)
        .outerjoin(Account, Account.id == Feedback.account_id)
        .where(Feedback.import_id == import_id)
        .order_by(Feedback.id)
    )
    return [(text, name) for text, name in rows]


def test_report_rows_skipped_and_noise_left_out_counted_and_kept(session: Session) -> None:
    admin = actor(session, "admin")
    create_account(session, name="Initech Health", domain="initech.example")
    create_account(session, name="Hooli Cloud", domain="hooli.example")
    report = run(session, admin, "tickets", CORPUS / "tickets" / "tk_report_rows.csv")
    assert _texts(session, report.import_id) == [
        (
            "Every time I open the weekly report the region filter is back to All, I set it "
            "again each Monday.",
            "Initech Health",
        ),
        (
            "When our endpoint is down for a minute your webhooks are lost, there is no retry, "
            "so we miss order updates.",
            "Hooli Cloud",
        ),
    ]
    # Title and "Exported by" above the header, totals and confidentiality below it.
    assert report.skipped_rows == 2 and report.left_out == {"auto-reply": 1, "spam": 1}
    assert "left out: 1 auto-reply, 1 spam" in report.notes()[0]
    run_row = session.get(ImportRun, report.import_id)
    assert run_row is not None
    assert [(e["line"], e["reason"], e["record"]["title"]) for e in run_row.left_out] == [
        (6, "auto-reply", "Automatic reply: Report filters reset"),
        (7, "spam", "Partnership opportunity"),
    ]


def test_keep_noise_brings_it_in_tagged(session: Session) -> None:
    admin = actor(session, "admin")
    report = run(
        session, admin, "tickets", CORPUS / "tickets" / "tk_report_rows.csv", keep_noise=True
    )
    assert report.left_out == {} and report.created == 4
    tagged = session.scalars(select(Feedback).where(Feedback.title.like("Partnership%"))).one()
    assert "noise:spam" in tagged.tags


def test_the_workspace_people_are_the_vendor_and_internal(session: Session) -> None:
    """No --internal-domain given: the users' own domain and names decide."""
    admin = actor(session, "admin")
    create_user(session, email="sam@ourco.com", name="Sam Ortiz")
    create_user(session, email="dana@ourco.com", name="Dana Lee")
    report = run(session, admin, "slack", CORPUS / "slack" / "sl_day_customer_success.json")
    assert [text for text, _ in _texts(session, report.import_id)] == [
        "Our insurer wants one monthly claims file with the photos linked, we build it by hand "
        "from three screens."
    ]
    assert report.left_out == {"internal": 1, "bot": 1}
    call = run(session, admin, "transcript", CORPUS / "transcript" / "tr_zoom_call.vtt")
    spoken = " ".join(text for text, _ in _texts(session, call.import_id))
    assert "thanks for joining" not in spoken and "five forms" in spoken


def test_notes_find_their_account_by_name_domain_or_title(session: Session) -> None:
    admin = actor(session, "admin")
    for name, domain in (
        ("Initech Health", "initech.example"),
        ("Vandelay Imports", "vandelay.example"),
        ("Acme Robotics", "acme-robotics.example"),
    ):
        create_account(session, name=name, domain=domain)
    session.scalars(select(Account)).all()[0].external_id = "0015e00000INTC03"
    path = CORPUS / "salesforce" / "sf_notes_title_mention.csv"
    report = run(session, admin, "salesforce", path)
    assert [name for _, name in _texts(session, report.import_id)] == [
        "Initech Health",
        "Vandelay Imports",
        "Acme Robotics",
        None,  # "Team lunch" names no account: it comes in unattached
    ]
    assert report.skipped_rows == 1 and report.unmatched_accounts == {}


def test_mail_cut_to_the_senders_words_and_an_odd_date_reported(session: Session) -> None:
    admin = actor(session, "admin")
    report = run(session, admin, "email", CORPUS / "email" / "em_archive_odd_header.mbox")
    stored = session.scalars(
        select(Feedback).where(Feedback.import_id == report.import_id).order_by(Feedback.id)
    ).all()
    assert [f.text for f in stored] == [
        "Hi Tom,\n\nArea managers keep asking for a way to copy a whole month of shifts to a "
        "new store in one go. Today they rebuild it day by day.",
        "Dana - the customs forms still do not remember the consignee, so my team types the "
        "same address forty times a week.",
        "Tom, legal confirmed: without Frankfurt hosting we cannot move the EU teams over this "
        "year.",
    ]
    assert stored[1].occurred_at == datetime(2026, 11, 17, 16, 45, tzinfo=UTC)
    assert [(w.line, w.column) for w in report.warnings] == [(18, "Date")]
    assert report.left_out == {"auto-reply": 1}


def test_broken_files_are_still_refused_whole(session: Session) -> None:
    admin = actor(session, "admin")
    before = counts(session)
    failure = refused(session, admin, "zendesk", CORPUS / "zendesk" / "zd_truncated.json")
    assert "truncated" in str(failure.report.errors[0])
    failure = refused(session, admin, "hubspot", CORPUS / "hubspot" / "hs_notes_cp1252.csv")
    assert "--encoding" in str(failure.report.errors[0])
    assert counts(session) == before


def test_a_call_finds_its_account_by_title_file_name_or_its_words(
    session: Session, tmp_path: Path
) -> None:
    """No field names the account: the WebVTT NOTE's title names it, else the file name (an
    account's first word alone will do there), else the call's lines name it in full; a first
    word two accounts share, or one said in passing in the call, attaches to nothing."""
    admin = actor(session, "admin")
    create_user(session, email="dana@ourco.com", name="Dana Lee")
    for name, domain in (
        ("Acme Robotics", "acme-robotics.example"),
        ("Acme Foods", "acmefoods.example"),
        ("Globex Freight", "globex.example"),
        ("Hooli Cloud", "hooli.example"),
    ):
        create_account(session, name=name, domain=domain)
    said = (
        "00:00:01.000 --> 00:00:04.000\n<v Dana Lee>How does approval work at {place} today?\n\n"
        "00:00:05.000 --> 00:00:09.000\n<v Ravi Shah>We approve every invoice by hand in a "
        "spreadsheet and it is painful.\n"
    )

    def account_of(file_name: str, note: str, place: str) -> str | None:
        path = tmp_path / file_name
        path.write_text(f"WEBVTT\n\n{note}" + said.format(place=place))
        report = run(session, admin, "transcript", path)
        (found,) = _texts(session, report.import_id)
        return found[1]

    assert account_of("call.vtt", "NOTE\nOurCo / Globex Freight - Q4 review\n\n", "Hooli") == (
        "Globex Freight"
    )
    assert account_of("hooli_research.vtt", "", "Globex") == "Hooli Cloud"
    assert account_of("call-2.vtt", "", "Globex Freight") == "Globex Freight"
    assert account_of("call-3.vtt", "", "Globex") is None
    assert account_of("acme_discovery.vtt", "", "Acme") is None
