"""Tools' exports as the t21 tuning files showed them: AskNicely's responses (its lower-case
keys, custom fields marked `_c`), a survey tool's PDF report saved as the export, a
feedback board's "Author Companies", Atlassian Marketplace reviews (HAL, the author in
`_embedded`) and a Rev transcript (`Name (00:02):` over the words, "[inaudible 00:26]"). Each
rule on a small file of its own, so a change that breaks one names it."""

import json
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from huddle.connectors.base import ConnectorOptions, ConnectorOutput
from huddle.connectors.transcript import read_calls
from huddle.imports.fields import FEEDBACK_FIELDS, resolve_columns
from huddle.models import Account, Feedback
from tests.connectors.helpers import left_out_of, read_clean, refused, run
from tests.factories import actor, create_account

OURS = ConnectorOptions(
    internal_domains=("ourco.com",), staff_names=("Dana Lee", "Tom Becker", "Priya Raman")
)

ASKNICELY_HEADER = (
    '"response_id","person_id","name","email","answer","answerlabel","comment","note",'
    '"responded","created","question_type","company_c","plan_c"\n'
)


def _asknicely(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "asknicely.csv"
    path.write_text(ASKNICELY_HEADER + "".join(f"{row}\n" for row in rows))
    return path


def test_asknicely_responses(tmp_path: Path) -> None:
    """The score is the `answer`, its kind the `question_type` (NPS or CSAT); the date is
    `responded` in Unix seconds; the account is the custom field `company_c`; the team's
    own follow-up in `note` is not the customer's words; "N/A" is no comment."""
    path = _asknicely(
        tmp_path,
        '"1","7","Ana Ruiz","ana@globex.example","3","","Down twice during dispatch.",'
        '"Called Ana, credit offered - DL","1795419898","1795417200","NPS","Globex Freight","E"',
        '"2","8","Lars Berg","lars@acme.example","2","","Support took three days on a P1.",'
        '"","1795785725","1795773600","CSAT","Acme Robotics","E"',
        '"3","9","Bea Lind","bea@initech.example","7","","N/A","","1795856533","1795773600",'
        '"NPS","Initech Health","E"',
    )
    read = read_clean("survey", path, OURS)
    got = [(r.text, r.tags, r.account_ref, r.occurred_at) for r in read.feedback]
    assert [(text, tags, account) for text, tags, account, _ in got] == [
        ("NPS 3 \u2013 Down twice during dispatch.", ["nps:3", "nps:detractor"], "Globex Freight"),
        ("CSAT 2 \u2013 Support took three days on a P1.", ["csat:2"], "Acme Robotics"),
    ]
    assert got[0][3] is not None and int(got[0][3].timestamp()) == 1795419898
    assert read.left_out == []


def test_a_plain_column_comes_before_a_custom_field(tmp_path: Path) -> None:
    """A column marked as a custom field ("Company__c", "company_c") names a field only when
    no column names it plainly."""
    columns = resolve_columns(["Body", "Company__c", "Email"], FEEDBACK_FIELDS, {})
    assert columns["account"] == "Company__c"
    columns = resolve_columns(["Body", "Company__c", "Company"], FEEDBACK_FIELDS, {})
    assert columns["account"] == "Company"


def test_a_pdf_or_an_image_saved_as_the_export_is_refused_for_what_it_is(
    session: Session, tmp_path: Path
) -> None:
    """A survey tool's PDF summary saved as `.csv`, a screenshot saved as `.json`: refused
    saying what the file is, not "not utf-8 text"."""
    admin = actor(session, "admin")
    pdf = tmp_path / "responses.csv"
    pdf.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")
    failure = refused(session, admin, "survey", pdf)
    assert "is a PDF document, not a data export" in str(failure.report.errors[0])
    png = tmp_path / "reviews.json"
    png.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    failure = refused(session, admin, "reviews", png)
    assert "is a PNG image" in str(failure.report.errors[0])


def test_a_feedback_boards_author_companies(session: Session, tmp_path: Path) -> None:
    """Featurebase's posts name the author's company in "Author Companies": a known one
    attaches, an unknown one is created with `create_accounts`; the vendor's own pinned post
    is internal, and names no account to create."""
    admin = actor(session, "admin")
    create_account(session, name="Acme Robotics", domain="acme.example")
    path = tmp_path / "posts.csv"
    path.write_text(
        "Post ID,Title,Content,Author Name,Author Email,Author Companies,Created At\n"
        'p1,Bulk shift,"<p>Moving 40 dates one by one takes an hour.</p>",Helga S,'
        "helga@gmail.com,Acme Robotics,2026-11-02T08:41:17.204Z\n"
        'p2,Gantt view,"<p>We keep a parallel plan in MS Project.</p>",Omar K,'
        "omar@quarrylane.example,Quarry Lane Architects,2026-11-03T08:00:00.000Z\n"
        'p3,How to post,"<p>Tell us the problem, not the solution.</p>",Priya Raman,'
        "priya@ourco.com,OurCo,2026-10-01T09:00:00.000Z\n"
    )
    report = run(
        session,
        admin,
        "tickets",
        path,
        create_accounts=True,
        internal_domains=("ourco.com",),
        staff_names=("Priya Raman",),
    )
    rows = session.execute(
        select(Feedback.title, Account.name)
        .join(Account, Account.id == Feedback.account_id)
        .order_by(Feedback.title)
    ).all()
    assert [tuple(row) for row in rows] == [
        ("Bulk shift", "Acme Robotics"),
        ("Gantt view", "Quarry Lane Architects"),
    ]
    assert sorted(report.created_accounts) == ["Quarry Lane Architects"]


def _marketplace_review(rid: int, author: str, stars: int, text: str, reply: str = "") -> dict:
    review: dict = {
        "_links": {"self": {"href": f"/rest/2/addons/com.ourco.app/reviews/{rid}"}},
        "_embedded": {"author": {"name": author, "_links": {"self": {"href": "/rest/2/u/1"}}}},
        "date": "2026-11-15",
        "stars": stars,
        "review": text,
        "hosting": "cloud",
    }
    if reply:
        review["_embedded"]["response"] = {
            "_embedded": {"author": {"name": "OurCo"}},
            "date": "2026-11-16",
            "text": reply,
        }
    return review


def test_atlassian_marketplace_reviews(tmp_path: Path) -> None:
    """The REST API's page: reviews under `_embedded`, each author's name in the review's own
    `_embedded` (an object where other tools put a name): a workspace user's review of their
    own app is internal; the vendor's public response is not the reviewer's words."""
    path = tmp_path / "marketplace.json"
    path.write_text(
        json.dumps(
            {
                "_links": {"self": {"href": "/rest/2/addons/com.ourco.app/reviews"}},
                "_embedded": {
                    "reviews": [
                        _marketplace_review(
                            1,
                            "Sven Aldous",
                            2,
                            "Syncing a board of 3,000 issues takes ten minutes.",
                            reply="Thanks Sven, incremental sync shipped in 4.3.",
                        ),
                        _marketplace_review(2, "Tom Becker", 5, "Proud of what we shipped!"),
                    ]
                },
            }
        )
    )
    read = read_clean("reviews", path, OURS)
    ((text, name),) = [(r.text, r.contact_name) for r in read.feedback]
    assert "Syncing a board of 3,000 issues takes ten minutes." in text
    assert name == "Sven Aldous"
    assert all("incremental sync" not in r.text for r in read.feedback)
    assert [reason for reason, _ in left_out_of(read)] == ["internal"]


REV = """Tom Becker (00:02):
Thanks for making time. I've also brought Nadia along, she runs customer success for you.

Nadia Okoro (00:14):
Hi all. Is that something you'd want on the whole board?

Carla Mendes (00:18):
Every month-end I rebuild the same pivot in Excel, because the report can't split by depot.

Speaker 3 (02:47):
Sorry, I joined late [inaudible 02:49] from finance. Is the per-seat price going up [crosstalk 02:55] at renewal?
"""


def test_revs_transcript(tmp_path: Path) -> None:
    """Rev's text download: `Name (mm:ss):` on its own line over the words said; its
    annotations ("[inaudible 02:49]", "[crosstalk 02:55]") are nobody's words; a colleague
    the vendor brings along ("I've also brought Nadia along") is on the vendor's side."""
    path = tmp_path / "rev.txt"
    path.write_text(REV)
    output = ConnectorOutput()
    (call,) = read_calls(path, OURS, output)
    assert output.errors == []
    assert [(u.speaker, u.start) for u in call.utterances] == [
        ("Tom Becker", 2.0),
        ("Nadia Okoro", 14.0),
        ("Carla Mendes", 18.0),
        ("Speaker 3", 167.0),
    ]
    assert call.utterances[-1].text == (
        "Sorry, I joined late from finance. Is the per-seat price going up at renewal?"
    )
    sides = {name: speaker.side for name, speaker in call.speakers.items()}
    assert sides["Nadia Okoro"] == sides["Tom Becker"] != sides["Carla Mendes"]


# Round 14's lessons (held back, measured once, then mended) --------------------------------


def test_capterras_overall_rating(tmp_path: Path) -> None:
    """Capterra's export names its star rating "Overall", beside sub-ratings ("Ease of Use",
    "Value for Money") and a "Likelihood to Recommend" out of ten."""
    path = tmp_path / "capterra.csv"
    path.write_text(
        "\ufeffReview ID,Reviewer,Date,Overall,Ease of Use,Value for Money,"
        "Likelihood to Recommend,Title,Comments,Pros,Cons\n"
        'CAP-1,Graham P.,"Nov 27, 2026",2,2,3,4/10,Import is painful,,'
        "The app is easy for store staff.,The importer rejects the whole file for one bad row.\n"
    )
    (review,) = read_clean("reviews", path, OURS).feedback
    assert "rating:2" in review.tags
    assert "The importer rejects the whole file for one bad row." in review.text


def test_a_web_page_saved_as_an_export_is_refused_as_one(session: Session, tmp_path: Path) -> None:
    """A report's printable view or a bot-check page saved under a `.csv` or `.json` name is
    refused as an HTML page, not for the columns its markup lacks."""
    admin = actor(session, "admin")
    for name, source, page in (
        ("notes.csv", "salesforce", "<html>\n<head>\n<title>Account Notes ~ Salesforce</title>"),
        (
            "reviews.csv",
            "reviews",
            "<!DOCTYPE html><html lang='en'><title>Just a moment...</title>",
        ),
        ("tickets.json", "zendesk", "\ufeff  <!-- saved -->\n<!doctype HTML>\n<html><body>Sign in"),
    ):
        path = tmp_path / name
        path.write_text(page + "</html>\n")
        failure = refused(session, admin, source, path)
        assert f"{name} is an HTML page" in str(failure.report.errors[0]), failure.report.errors


def _mail(tmp_path: Path, body: str, subject: str) -> Path:
    path = tmp_path / "forward.eml"
    path.write_text(
        "From: Tom Becker <tom.becker@ourco.com>\nTo: feedback@ourco.com\n"
        f"Subject: {subject}\nDate: Wed, 2 Dec 2026 11:48:03 +0000\n"
        "Message-ID: <fwd-1@ourco.com>\nContent-Type: text/plain; charset=utf-8\n\n" + body
    )
    return path


def test_a_spanish_outlook_forward_is_unwrapped(tmp_path: Path) -> None:
    """Spanish Outlook forwards under "RV:" with "De:/Enviado el:/Para:/Asunto:": the
    customer's words, from the customer, not the team's forward."""
    path = _mail(
        tmp_path,
        "Para el tablero de feedback.\n\nTom\n\n________________________________\n"
        "De: Carmen Ruiz <carmen.ruiz@umbrella.example>\n"
        "Enviado el: miércoles, 2 de diciembre de 2026 11:20\n"
        "Para: Tom Becker <tom.becker@ourco.com>\nAsunto: Tareas duplicadas\n\n"
        "Las tareas aparecen duplicadas en las tiendas de Madrid.\n",
        "RV: Tareas duplicadas",
    )
    (mail,) = read_clean("email", path, OURS).feedback
    assert mail.contact_email == "carmen.ruiz@umbrella.example"
    assert "aparecen duplicadas" in mail.text and "tablero" not in mail.text


def test_a_forward_sent_on_as_a_quote_is_unwrapped(tmp_path: Path) -> None:
    """Apple Mail's "Begin forwarded message:" quoted whole ("> ") under the team's note."""
    path = _mail(
        tmp_path,
        "Adding to the Fernhill folder.\n\nDana\n\n> Begin forwarded message:\n> \n"
        "> From: Moira Quint <moira@fernhill.example>\n> Subject: Trial shops\n"
        "> Date: 4 December 2026 at 09:31:12 GMT\n> To: Dana Lee <dana@ourco.com>\n> \n"
        "> Our current tool counts an edited review as a new one every time.\n",
        "Fwd: Trial shops",
    )
    (mail,) = read_clean("email", path, OURS).feedback
    assert mail.contact_email == "moira@fernhill.example"
    assert mail.text.startswith("Our current tool counts an edited review")


def test_a_greeting_and_anyone_around_say_nothing() -> None:
    from huddle.connectors.noise import says_nothing

    assert says_nothing("hiya anyone around??")
    assert says_nothing("Good morning all")
    assert says_nothing("hey there anybody here?")
    assert not says_nothing("Hey, is anyone around to help with SSO?")
    assert not says_nothing("hi, the export is broken")
