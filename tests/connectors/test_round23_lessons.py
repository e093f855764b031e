"""What three of round 23's other files showed, each on a small input of its own: Apple Mail in
French forwards with "Tr. :" and "Début du message réexpédié :" (a space before each colon);
a Zapier run summary is a bot's; an Apple Numbers file saved under a .csv name is refused as
what it is."""

import zipfile
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from huddle.connectors.base import ConnectorOptions
from huddle.errors import Invalid
from tests.connectors.helpers import counts, left_out_of, read_clean, run
from tests.factories import actor

OURS = ConnectorOptions(internal_domains=("ourco.com",), staff_names=("Priya Raman",))


def test_apple_mails_french_forward_is_read_as_the_customers_mail(tmp_path: Path) -> None:
    path = tmp_path / "fwd.eml"
    path.write_text(
        "From: Priya Raman <priya@ourco.com>\nTo: feedback@ourco.com\n"
        "Subject: Tr.\u00a0: Retour sur le module planning\n"
        "Date: Thu, 26 Nov 2026 10:02:11 +0100\nContent-Type: text/plain; charset=utf-8\n\n"
        "Pour le backlog planning.\n\n"
        "D\u00e9but du message r\u00e9exp\u00e9di\u00e9\u00a0:\n\n"
        "De: Camille Roux <camille.roux@umbrella.example>\n"
        "Objet: Retour sur le module planning\n"
        "Date: 25 novembre 2026 \u00e0 17:40:12 UTC+1\n"
        "\u00c0: Priya Raman <priya@ourco.com>\n\n"
        "Bonjour Priya,\n\nLes heures apr\u00e8s minuit disparaissent du total hebdomadaire.\n",
        encoding="utf-8",
    )
    (item,) = read_clean("email", path, OURS).feedback
    assert "Les heures après minuit disparaissent du total hebdomadaire." in item.text
    assert "backlog" not in item.text
    assert item.contact_email == "camille.roux@umbrella.example"


def test_a_zapier_run_summary_is_a_bots(tmp_path: Path) -> None:
    path = tmp_path / "feedback.csv"
    path.write_text(
        "Title,Feedback,Customer email,Created\n"
        "Votes synced,Zap run summary: 14 new votes synced from the feedback portal.,,2026-11-20\n"
        "Exports,The summary export runs out of memory on big projects.,kim@acme.example,"
        "2026-11-21\n"
    )
    read = read_clean("tickets", path, OURS)
    assert [r.text for r in read.feedback] == [
        "The summary export runs out of memory on big projects."
    ]
    assert left_out_of(read) == [
        ("bot", "Zap run summary: 14 new votes synced from the feedback portal.")
    ]


def test_an_apple_numbers_file_named_csv_is_refused_as_one(
    session: Session, tmp_path: Path
) -> None:
    admin = actor(session, "admin")
    path = tmp_path / "nps_responses.csv"
    with zipfile.ZipFile(path, "w") as archive:
        for name in ("Index/Document.iwa", "Index/CalculationEngine.iwa", "preview.jpg"):
            archive.writestr(name, b"\x00\x01")
    before = counts(session)
    with pytest.raises(Invalid) as failure:
        run(session, admin, "survey", path)
    assert "nps_responses.csv is an Apple Numbers spreadsheet" in failure.value.message
    assert counts(session) == before


def test_a_forward_known_by_its_french_subject_alone(tmp_path: Path) -> None:
    """No separator line: "Tr. :" says it is a forward, and the header block under it."""
    path = tmp_path / "fwd.eml"
    path.write_text(
        "From: Priya Raman <priya@ourco.com>\nTo: feedback@ourco.com\n"
        "Subject: Tr.\u00a0: Retour sur le module planning\n"
        "Date: Thu, 26 Nov 2026 10:02:11 +0100\nContent-Type: text/plain; charset=utf-8\n\n"
        "Pour le backlog.\n\n"
        "De: Camille Roux <camille.roux@umbrella.example>\n"
        "Date: 25 novembre 2026 \u00e0 17:40:12 UTC+1\n\n"
        "Les heures apr\u00e8s minuit disparaissent du total hebdomadaire.\n",
        encoding="utf-8",
    )
    (item,) = read_clean("email", path, OURS).feedback
    assert item.contact_email == "camille.roux@umbrella.example"
