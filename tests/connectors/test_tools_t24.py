"""What the t24 tuning files showed of the primary tools' exports: a download saved still
compressed with zstd, a CSV zeroed part-way (a download cut short on a full-size file), G2's
fourth question, App Store Connect's reviews API (JSON:API), and a Salesforce Web-to-Case
case whose company is only the web form's. Each rule on a small file of its own."""

import bz2
import json
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from huddle.connectors.base import ConnectorOptions
from tests.connectors.helpers import counts, read_clean, refused
from tests.factories import actor

OURS = ConnectorOptions(internal_domains=("ourco.com",), staff_names=("Dana Lee", "Sam Ortiz"))
SURVEY = (
    "Response ID,Score,Comment,Email\n"
    "1,3,The export drops the last column.,a@acme-robotics.example\n"
    "2,9,Approvals on the phone finally work.,b@globex.example\n"
)


@pytest.mark.parametrize(
    ("head", "says"),
    [
        (b"\x28\xb5\x2f\xfd\x04\x68\xed\x19", "Zstandard-compressed"),
        (b"\xfd7zXZ\x00\x00\x04", "xz-compressed"),
        # Round 20: a Redshift UNLOAD with BZIP2, renamed .csv.
        (bz2.compress(SURVEY.encode())[:10], "bzip2-compressed"),
        (b"7z\xbc\xaf\x27\x1c\x00\x04", "7-Zip archive"),
        (b"Rar!\x1a\x07\x01\x00", "RAR archive"),
    ],
)
def test_a_download_saved_still_compressed_is_refused(
    session: Session, tmp_path: Path, head: bytes, says: str
) -> None:
    """A browser's "Copy as cURL" run without --compressed saves what the server sent."""
    admin = actor(session, "admin")
    path = tmp_path / "tickets.json"
    path.write_bytes(head + bytes(range(256)) * 4)
    failure = refused(session, admin, "zendesk", path)
    assert says in str(failure.report.errors[0])
    csv_path = tmp_path / "tickets.csv"
    csv_path.write_bytes(head + bytes(range(256)) * 4)
    assert says in str(refused(session, admin, "tickets", csv_path).report.errors[0])


def test_a_csv_zeroed_part_way_is_refused_not_imported_short(
    session: Session, tmp_path: Path
) -> None:
    """A download cut short on a disk that kept the file's full size: NUL bytes where the
    rest of the rows should be. Importing the rows before them would lose the others
    silently; the file is refused, naming the line the zeros start on."""
    admin = actor(session, "admin")
    path = tmp_path / "delighted.csv"
    path.write_bytes(SURVEY.encode() + b"3,7,Reports are s" + b"\x00" * 4096)
    failure = refused(session, admin, "survey", path)
    assert [(e.line, "NUL bytes" in e.reason) for e in failure.report.errors] == [(4, True)]
    assert counts(session)["feedback"] == 0


def test_g2s_recommendations_are_part_of_the_review(tmp_path: Path) -> None:
    path = tmp_path / "g2.csv"
    path.write_text(
        "Review Title,Overall Rating,What do you like best about OurCo?,What do you dislike "
        "about OurCo?,Recommendations to others considering OurCo\n"
        "Solid,4.5/5,Setup took an afternoon.,Per-approver pricing gets expensive.,Plan your "
        "permission model first.\n"
    )
    read = read_clean("reviews", path, OURS)
    assert [r.text for r in read.feedback] == [
        "Likes: Setup took an afternoon.\nDislikes: Per-approver pricing gets expensive.\n"
        "Recommendations: Plan your permission model first."
    ]


def test_app_store_connect_reviews_are_read_from_their_attributes(tmp_path: Path) -> None:
    """App Store Connect's API (JSON:API): each review's fields in `attributes`; the
    developer's responses are other resources (`included`), not the reviewer's words."""
    path = tmp_path / "customerReviews.json"
    path.write_text(
        json.dumps(
            {
                "data": [
                    {
                        "type": "customerReviews",
                        "id": "r1",
                        "attributes": {
                            "rating": 2,
                            "title": "Logs me out",
                            "body": "I have to log in again after every app switch.",
                            "reviewerNickname": "nightnurse_jo",
                            "createdDate": "2026-11-28T14:03:11-08:00",
                        },
                    }
                ],
                "included": [
                    {
                        "type": "customerReviewResponses",
                        "id": "x1",
                        "attributes": {"responseBody": "Thanks, a fix ships next week."},
                    }
                ],
            }
        )
    )
    read = read_clean("reviews", path, OURS)
    assert [(r.text, r.contact_name, r.external_id) for r in read.feedback] == [
        ("I have to log in again after every app switch.", "nightnurse_jo", "r1")
    ]
    assert read.feedback[0].occurred_at is not None
    assert read.feedback[0].occurred_at.isoformat() == "2026-11-28T22:03:11+00:00"


def test_a_web_to_case_company_names_the_account_when_the_case_has_none(
    tmp_path: Path,
) -> None:
    path = tmp_path / "cases.csv"
    path.write_text(
        '"Case Number","Subject","Description","Account Name","Contact Email","Web Company",'
        '"Web Email","Date/Time Opened"\n'
        '"00001045","Pause?","Can we pause a schedule?","","","Acme Robotics Inc.",'
        '"t@gmail.example","12/3/2026, 8:02 AM"\n'
        '"00000998","Logout","Switching stores logs us out.","Umbrella Retail",'
        '"d@umbrella.example","","","11/24/2026, 4:12 PM"\n'
    )
    read = read_clean("tickets", path, OURS)
    assert [(r.external_id, r.account_ref) for r in read.feedback] == [
        ("00001045", "Acme Robotics Inc."),
        ("00000998", "Umbrella Retail"),
    ]


def test_sent_from_outlook_for_ios_is_no_ones_words() -> None:
    from huddle.connectors.replies import strip_replies

    assert strip_replies("The export drops a column.\n\nSent from Outlook for iOS") == (
        "The export drops a column."
    )


def test_a_personal_address_is_attached_by_the_company_its_signature_names(
    session: Session, tmp_path: Path
) -> None:
    """A customer writing from gmail.com names no company by their address: the known
    account their signature names is theirs. A company's own address still decides."""
    from sqlalchemy import select

    from huddle.models import Account, Feedback
    from tests.connectors.helpers import run
    from tests.factories import create_account

    admin = actor(session, "admin")
    create_account(session, name="Umbrella Retail", domain="umbrella.example")
    create_account(session, name="Globex Freight", domain="globex.example")
    mail = (
        "From: Grace Okafor <grace.okafor.home@gmail.com>\nTo: support@ourco.com\n"
        "Subject: Price labels\nDate: Thu, 3 Dec 2026 09:12:00 +0000\nMessage-ID: <{id}@x>\n\n"
        "The new price labels print with the old tax rate.\n\nThanks,\nGrace Okafor\n"
        "Operations Lead, Umbrella Retail\n"
    )
    (tmp_path / "personal.eml").write_text(mail.format(id=1))
    (tmp_path / "company.eml").write_text(
        mail.format(id=2).replace("grace.okafor.home@gmail.com", "g@globex.example")
    )
    run(session, admin, "email", tmp_path)
    rows = session.execute(
        select(Feedback.external_id, Account.name)
        .join(Account, Account.id == Feedback.account_id, isouter=True)
        .order_by(Feedback.external_id)
    ).all()
    assert sorted(name for _, name in rows) == ["Globex Freight", "Umbrella Retail"]


def test_a_zip_whose_directory_claims_an_unknown_version_is_refused(
    session: Session, tmp_path: Path
) -> None:
    """A damaged zip's directory may claim a version no reader knows (zipfile raises
    NotImplementedError): a Slack export so damaged, or a zip of one export, is refused."""
    import zipfile

    admin = actor(session, "admin")
    whole = tmp_path / "whole.zip"
    with zipfile.ZipFile(whole, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr(
            "tickets.csv", "Subject,Description,Created\nSlow,Search is slow.,2026-11-30\n"
        )
    data = bytearray(whole.read_bytes())
    directory = data.index(b"PK\x01\x02")
    data[directory + 6 : directory + 8] = (250).to_bytes(2, "little")  # version needed: 25.0
    from huddle.errors import Invalid
    from huddle.imports.report import ImportFailed
    from tests.connectors.helpers import run

    for source in ("slack", "tickets"):
        path = tmp_path / f"{source}.zip"
        path.write_bytes(bytes(data))
        with pytest.raises(Invalid) as failure:
            run(session, admin, source, path)
        error = failure.value
        said = str(error.report.errors[0]) if isinstance(error, ImportFailed) else error.message
        assert "not a readable zip" in said or "damaged zip archive" in said
    assert counts(session)["feedback"] == 0


def test_a_feedback_hubs_account_name_column_names_a_surveys_account(tmp_path: Path) -> None:
    """Enterpret's export of survey answers names the account in "Account Name"."""
    path = tmp_path / "enterpret.csv"
    path.write_text(
        "Record ID,Survey Type,Score,Text,User Email,Account Name,Themes\n"
        "rec_1,NPS,7,The API rate limits bite us at month-end.,ana@gmail.example,"
        "Larkspur Analytics,Rate limits\n"
    )
    read = read_clean("survey", path, OURS)
    assert [(r.account_ref, r.text) for r in read.feedback] == [
        ("Larkspur Analytics", "NPS 7 \u2013 The API rate limits bite us at month-end.")
    ]
