"""What round 18's held-back files showed, each rule on a small input of its own: Freshdesk
exported in Dutch ("Aangemaakt op", "Bedrijfsnaam", "E-mail aanvrager", dates written
03-12-2026), a change a CRM logged by itself (Copper's "Property Changed"), and Google Meet's
transcript in Docs under a long title (the call had been refused, 20 statements lost)."""

from pathlib import Path

from huddle.connectors.base import ConnectorOptions, ConnectorOutput
from huddle.connectors.export_dates import SLASH_MONTH_FIRST, export_date
from huddle.connectors.transcript import read_calls
from tests.connectors.helpers import read_clean

OURS = ConnectorOptions(internal_domains=("ourco.com",), staff_names=("Dana Lee", "Sam Ortiz"))

FRESHDESK_NL = (
    "Ticket-ID,Onderwerp,Beschrijving,Status,Aangemaakt op,Naam aanvrager,E-mail aanvrager,"
    "Bedrijfsnaam\r\n"
    "41201,Planning,De planning verschuift een uur in de app.,Open,30-11-2026 15:12:40,"
    "Sanne de Vries,sanne@klok.example,Brouwerij De Klok\r\n"
    "41202,Export,De export stopt bij 50 regels.,Open,03-12-2026 09:21:55,Jan Bakker,"
    "jan@acme-robotics.example,Acme Robotics\r\n"
)


def test_freshdesk_in_dutch_is_read_by_its_own_column_names(tmp_path: Path) -> None:
    path = tmp_path / "tickets.csv"
    path.write_text(FRESHDESK_NL)
    first, second = read_clean("tickets", path, OURS).feedback
    assert (first.account_ref, first.contact_email, first.contact_name) == (
        "Brouwerij De Klok",
        "sanne@klok.example",
        "Sanne de Vries",
    )
    # Day first, as the file's 30-11-2026 says: 3 December, not 12 March.
    assert second.occurred_at is not None
    assert second.occurred_at.isoformat() == "2026-12-03T09:21:55+00:00"


def test_a_numeric_date_with_dashes_reads_as_with_slashes() -> None:
    """Dutch and Danish write "03-12-2026": day first where nothing else says, in the
    file's order where its other dates do; ISO dates are unchanged."""
    assert export_date("03-12-2026 22:10:41").isoformat() == "2026-12-03T22:10:41+00:00"
    assert export_date("2026-12-03 10:00").isoformat() == "2026-12-03T10:00:00+00:00"
    token = SLASH_MONTH_FIRST.set(True)
    try:
        assert export_date("03-12-2026").isoformat() == "2026-03-12T00:00:00+00:00"
    finally:
        SLASH_MONTH_FIRST.reset(token)


COPPER = """Activity Type,Details,Activity Date,User,Related To,Related To Type,Company
Note,Their planners retype every route by hand each Monday.,12/01/2026,Dana Lee,Umbrella Retail,Company,Umbrella Retail
Property Changed,Status changed from Open to Won,12/02/2026,Dana Lee,Umbrella Retail - 2027 rollout,Opportunity,Umbrella Retail
Stage Changed,Stage changed from Proposal to Negotiation,12/02/2026,Dana Lee,Umbrella Retail - 2027 rollout,Opportunity,Umbrella Retail
"""


def test_a_change_the_crm_logged_by_itself_is_no_ones_words(tmp_path: Path) -> None:
    """Copper's activity export lists a record's changes among the notes ("Property Changed":
    "Status changed from Open to Won"): skipped as rows with no words are."""
    path = tmp_path / "activities.csv"
    path.write_text(COPPER)
    read = read_clean("hubspot", path, OURS)
    assert [r.text for r in read.feedback] == [
        "Their planners retype every route by hand each Monday."
    ]
    assert read.left_out == [] and read.skipped_rows == 2


MEET_DOCS = """Initech Health / OurCo onboarding - week 2 of the clinical rollout (2026-12-03 14:00 GMT) - Transcript

Attendees
Dev Patel, Harriet Osei, Sam Ortiz

Transcript

This editable transcript was computer generated and might contain errors. People can also change the text after it was created.

00:00:00

Sam Ortiz: Hi everyone, welcome to week two.

Harriet Osei: The handover form is too long on a phone.

Meeting ended after 00:06:12 👋
"""


def test_google_meets_transcript_in_docs_keeps_a_long_title(tmp_path: Path) -> None:
    """Meet titles its transcript in Docs "<the meeting's title> (<when>) - Transcript",
    however long the meeting's title: the call's title and date, not a line nobody said (it
    had refused the whole call)."""
    path = tmp_path / "meet.txt"
    path.write_text(MEET_DOCS)
    output = ConnectorOutput()
    (call,) = read_calls(path, OURS, output)
    assert output.errors == []
    assert call.title == "Initech Health / OurCo onboarding - week 2 of the clinical rollout"
    assert call.started_at is not None and call.started_at.isoformat().startswith("2026-12-03")
    assert [u.text for u in call.utterances] == [
        "Hi everyone, welcome to week two.",
        "The handover form is too long on a phone.",
    ]
