"""What round 28 showed, each on a small input of its own: an mbox kept by Alpine (UW
c-client's pseudo-message of folder data, The Bat!'s quote header, mail clients' "Sent
using X" lines), Microsoft Graph's JSON of messages read as mail, one part of a split zip
named as such, and an Excel 2003 XML spreadsheet (SpreadsheetML) read as a workbook."""

import io
import struct
import zipfile
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

from huddle.connectors.base import ConnectorOptions
from huddle.connectors.replies import split_signature, strip_replies
from huddle.errors import Invalid
from huddle.imports import unwrap
from huddle.imports.service import import_with_connector
from huddle.imports.zips import split_zip
from tests.connectors.helpers import (
    came_in,
    counts,
    left_out_of,
    read_clean,
    refused,
    run,
    write_json,
)
from tests.factories import actor, create_account

OURS = ConnectorOptions(internal_domains=("ourco.com",))

FOLDER_DATA = (
    "From MAILER-DAEMON Mon Nov 23 08:00:02 2026\n"
    "Date: 23 Nov 2026 08:00:02 -0800\n"
    "From: Mail System Internal Data <MAILER-DAEMON@mx1.ourco.com>\n"
    "Subject: DON'T DELETE THIS MESSAGE -- FOLDER INTERNAL DATA\n"
    "Message-ID: <1795449602@mx1.ourco.com>\n"
    "{imap}: 1795449602 0000000011 NonJunk\n"
    "Status: RO\n\n"
    "This text is part of the internal format of your mail folder, and is not\n"
    "a real message.  It is created automatically by the mail system software.\n\n"
)
REPLY = (
    "From nora@umbrella.example Mon Nov 23 09:14:51 2026\n"
    "Date: Mon, 23 Nov 2026 17:14:47 +0000\n"
    "From: Nora Castellanos <nora@umbrella.example>\n"
    "To: OurCo Support <support@ourco.com>\n"
    "Subject: Re: Weekly export missing store column\n"
    "Message-ID: <1419872662@umbrella.example>\n"
    "X-Mailer: The Bat! (v10.5.3) Professional\n\n"
    "Hello OurCo Support,\n\n"
    "The weekly export still comes without the store column.\n\n"
    "Friday, November 20, 2026, 4:05:12 PM, you wrote:\n\n"
    "> Hi Nora, as a workaround you can add the store field to a saved view.\n\n"
    "--\nBest regards,\n Nora Castellanos                      mailto:nora@umbrella.example\n"
)
REPLY_WORDS = "Hello OurCo Support,\n\nThe weekly export still comes without the store column."


@pytest.mark.parametrize("imap", ["X-IMAP", "X-IMAPbase"])
def test_c_clients_folder_data_is_no_mail_and_is_passed_over(tmp_path: Path, imap: str) -> None:
    path = tmp_path / "support.mbox"
    path.write_text(FOLDER_DATA.format(imap=imap) + REPLY, encoding="utf-8")
    read = read_clean("email", path, OURS)
    assert [(f.contact_email, f.text) for f in read.feedback] == [
        ("nora@umbrella.example", REPLY_WORDS)
    ]
    assert (read.left_out, read.warnings, read.rows_read) == ([], [], 1)


def test_a_mail_only_titled_as_folder_data_is_mail(tmp_path: Path) -> None:
    """Without c-client's X-IMAP header, the subject alone is someone's mail (a question
    about that message, say): it is read, a mail server's own left out as auto-reply."""
    path = tmp_path / "support.mbox"
    path.write_text(FOLDER_DATA.replace("{imap}", "X-Spam-Score"), encoding="utf-8")
    read = read_clean("email", path, OURS)
    assert [reason for reason, _ in left_out_of(read)] == ["auto-reply"]


@pytest.mark.parametrize(
    "line",
    [
        "Sent using Mailbird",
        "Sent with Airmail",
        "Sent with Spark for iOS",
        "Sent via Superhuman",
        "Sent from Outlook",
        "Sent from Mail for Windows 10",
        "Sent from eM Client",
    ],
)
def test_a_mail_clients_sign_off_line_is_cut(line: str) -> None:
    text = f"The cursor expires after five minutes.\n\n{line}\n\nOn Tue, 24 Nov 2026 we wrote:\n> x"
    assert strip_replies(text) == "The cursor expires after five minutes."


@pytest.mark.parametrize(
    "line", ["Sent from the dashboard, the report is empty", "Sent with the wrong date"]
)
def test_the_senders_own_sent_from_line_is_kept(line: str) -> None:
    assert strip_replies(f"The cursor expires.\n{line}\n") == f"The cursor expires.\n{line}"


def test_the_bats_quote_header_starts_the_quote() -> None:
    text = (
        "We need the store number.\n\nFriday, November 20, 2026, 4:05:12 PM, you wrote:\n\n"
        "Hi Nora, as a workaround you can add the store field.\n"
    )
    assert strip_replies(text) == "We need the store number."


def test_a_signature_under_a_sign_off_and_a_rule_names_the_company() -> None:
    text = "The second save overwrites the first.\n\nThanks\nMarco\n-- \nMarco Bellini\n"
    text += "Receiving Supervisor, Vandelay Imports\n"
    assert split_signature(text, "Marco Bellini") == (
        "The second save overwrites the first.",
        "Receiving Supervisor, Vandelay Imports",
    )


# Outlook's HTML: the reply, its signature div, then the message it answers.
OUTLOOK_HTML = (
    '<html><body><div class="elementToProof">Hello,<br><br>The portal blocks third-party '
    "iframes. Can we embed with a script tag?<br><br>Dr. Elena Vasquez</div>"
    '<div id="Signature"><p>Dr. Elena Vasquez, DVM<br>Practice Owner, Pinecrest Veterinary '
    'Clinic</p></div><div id="appendonsend"></div><hr><div id="divRplyFwdMsg"><b>From:</b> '
    "OurCo Feedback &lt;feedback@ourco.com&gt;<br><b>Sent:</b> Tuesday, December 1, 2026 8:15 "
    "AM<br><b>To:</b> Elena Vasquez<br><b>Subject:</b> Welcome</div>"
    "<div><p>Welcome aboard! Reply with any questions.</p></div></body></html>"
)


def _graph(name: str, address: str, subject: str, html: str, **more: Any) -> dict[str, Any]:
    return {
        "id": f"AAMk{len(subject)}",
        "receivedDateTime": "2026-12-01T16:48:29Z",
        "sentDateTime": "2026-12-01T16:48:20Z",
        "subject": subject,
        "internetMessageId": f"<{len(subject)}@mail.example>",
        "from": {"emailAddress": {"name": name, "address": address}},
        "toRecipients": [{"emailAddress": {"name": "OurCo", "address": "feedback@ourco.com"}}],
        "body": {"contentType": "html", "content": html},
        **more,
    }


GRAPH_PAGE = {
    "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users('feedback')/messages",
    "value": [
        _graph("Elena Vasquez", "evasquez@pinecrest.example", "RE: Welcome", OUTLOOK_HTML),
        _graph(
            "Nadia Haddad",
            "nadia@umbrella.example",
            "Away",
            "<p>I am away until 14 December.</p>",
            internetMessageHeaders=[
                {"name": "Auto-Submitted", "value": "auto-replied"},
                {"name": "Content-Type", "value": "multipart/alternative; boundary=x"},
            ],
        ),
        _graph("Priya Raman", "priya@ourco.com", "Inbox rule", "<p>I've added a rule.</p>"),
        _graph("", "", "Draft reply", "<p>Half written</p>", isDraft=True, **{"from": None}),
    ],
    "@odata.nextLink": "https://graph.microsoft.com/v1.0/me/messages?$skip=10",
}


def test_a_graph_page_of_messages_is_read_as_mail(tmp_path: Path) -> None:
    path = write_json(tmp_path / "inbox.json", GRAPH_PAGE)
    read = read_clean("email", path, OURS)
    assert [
        (f.contact_email, f.title, f.text, f.mentions, f.external_id, str(f.occurred_at))
        for f in read.feedback
    ] == [
        (
            "evasquez@pinecrest.example",
            "RE: Welcome",
            "Hello,\n\nThe portal blocks third-party iframes. Can we embed with a script tag?",
            ("Practice Owner, Pinecrest Veterinary Clinic",),
            "11@mail.example",
            "2026-12-01 16:48:20+00:00",
        )
    ]
    assert left_out_of(read) == [
        ("auto-reply", "I am away until 14 December."),
        ("internal", "I've added a rule."),
    ]
    assert [(w.column, "@odata.nextLink" in w.reason) for w in read.warnings] == [
        ("@odata.nextLink", True)
    ]


def test_a_scripts_array_of_graph_pages_ending_on_the_last_warns_of_nothing(
    tmp_path: Path,
) -> None:
    last = {"value": [GRAPH_PAGE["value"][0]]}
    path = write_json(tmp_path / "pages.json", [GRAPH_PAGE, last])
    read = read_clean("email", path, OURS)
    assert [f.title for f in read.feedback] == ["RE: Welcome", "RE: Welcome"]
    assert read.warnings == []


def _split_last_part(tmp_path: Path) -> Path:
    """The last part of a zip split in two: its central directory and end record, which
    names it disk 1 (the second), the files' data left in the first part."""
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("channels.json", '[{"id": "C1", "name": "general"}]')
        archive.writestr("users.json", "[]")
        archive.writestr("general/2026-11-01.json", "[]")
    data = packed.getvalue()
    end = data.rfind(b"PK\x05\x06")
    (size, offset) = struct.unpack("<LL", data[end + 12 : end + 20])
    record = bytearray(data[end:])
    record[4:8] = struct.pack("<HH", 1, 1)
    record[16:20] = struct.pack("<L", 0)
    path = tmp_path / "hooli_export.zip"
    path.write_bytes(data[offset : offset + size] + bytes(record))
    return path


def test_the_last_part_of_a_split_zip_is_refused_as_such(tmp_path: Path, session: Session) -> None:
    path = _split_last_part(tmp_path)
    failure = refused(session, actor(session, "admin"), "slack", path)
    assert [e.reason for e in failure.report.errors] == [
        "hooli_export.zip is the last of 2 parts of a split zip archive (zip -s, or a tool's "
        "split option), which cannot be read alone: put every part (.z01, .z02, …, .zip) in one "
        "folder, join them into one zip (zip -s 0 hooli_export.zip --out whole.zip) and import "
        "whole.zip"
    ]


def test_the_first_part_of_a_split_zip_is_known_and_a_whole_zip_is_no_part(
    tmp_path: Path,
) -> None:
    first = tmp_path / "export.z01"
    first.write_bytes(b"PK\x07\x08PK\x03\x04" + bytes(40))
    assert (split_zip(first) or "").startswith("export.z01 is the first part of a split zip")
    whole = tmp_path / "whole.zip"
    with zipfile.ZipFile(whole, "w") as archive:
        archive.writestr("users.json", "[]")
    assert split_zip(whole) is None


SPREADSHEET_XML = """<?xml version="1.0" encoding="UTF-8"?>
<?mso-application progid="Excel.Sheet"?>
<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"
 xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"
 xmlns:html="http://www.w3.org/TR/REC-html40">
 <Worksheet ss:Name="About"><Table><Row><Cell><Data ss:Type="String">NPS export</Data></Cell>
 </Row></Table></Worksheet>
 <Worksheet ss:Name="Responses">
  <Table>
   <Row ss:Index="2">
    <Cell ss:Index="2"><Data ss:Type="String">Company</Data></Cell>
    <Cell><Data ss:Type="String">Date Submitted</Data></Cell>
    <Cell><Data ss:Type="String">How likely are you to recommend us?</Data></Cell>
    <Cell><Data ss:Type="String">Why did you give that score?</Data></Cell>
    <Cell><Data ss:Type="String">Renewal</Data></Cell>
   </Row>
   <Row>
    <Cell ss:Index="2" ss:MergeDown="1"><Data ss:Type="String">Globex Freight</Data></Cell>
    <Cell><Data ss:Type="DateTime">2026-11-23T09:41:12.000</Data></Cell>
    <Cell><Data ss:Type="Number">4</Data></Cell>
    <Cell><Data ss:Type="String">Delivery windows show in <html:B>UTC</html:B>.</Data></Cell>
    <Cell><Data ss:Type="Boolean">1</Data></Cell>
   </Row>
   <Row>
    <Cell ss:Index="3"><Data ss:Type="DateTime">2026-11-24T00:00:00.000</Data></Cell>
    <Cell><Data ss:Type="Number">9.0</Data></Cell>
    <Cell><Data ss:Type="String">Theme view is great.</Data></Cell>
    <Cell><Data ss:Type="Boolean">0</Data></Cell>
   </Row>
  </Table>
 </Worksheet>
</Workbook>
"""


def test_an_excel_2003_xml_spreadsheet_reads_as_the_csv_of_its_records(tmp_path: Path) -> None:
    path = tmp_path / "nps_export.xls"
    path.write_text(SPREADSHEET_XML, encoding="utf-8")
    with unwrap.readable(path) as converted:
        text = converted.path.read_bytes().decode("utf-8")
        assert (converted.sheet, converted.notes()) == (
            "Responses",
            ["the workbook has more than one sheet: read 'Responses', not 'About'"],
        )
        assert [converted.in_sheet(line) for line in (1, 2, 3)] == [2, 3, 4]
    assert text == (
        "Company,Date Submitted,How likely are you to recommend us?,Why did you give that "
        "score?,Renewal\r\n"
        "Globex Freight,2026-11-23 09:41:12,4,Delivery windows show in UTC.,TRUE\r\n"
        "Globex Freight,2026-11-24,9,Theme view is great.,FALSE\r\n"
    )


def test_a_survey_saved_as_excel_2003_xml_is_imported(tmp_path: Path, session: Session) -> None:
    create_account(session, name="Globex Freight")
    path = tmp_path / "nps_export.xls"
    path.write_text(SPREADSHEET_XML, encoding="utf-8")
    report = run(session, actor(session, "admin"), "survey", path)
    assert [text for text, _ in came_in(session, report)] == [
        "NPS 4 \u2013 Delivery windows show in UTC.",
        "NPS 9 \u2013 Theme view is great.",
    ]


def test_an_excel_2003_xml_spreadsheet_cut_short_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "nps_export.xls"
    path.write_text(SPREADSHEET_XML[:900], encoding="utf-8")
    with (
        pytest.raises(Invalid, match=r"nps_export\.xls is an Excel 2003 XML spreadsheet that"),
        unwrap.readable(path),
    ):
        pass


def test_a_split_zip_part_is_refused_as_such_where_the_importer_unzips_it(
    tmp_path: Path, session: Session
) -> None:
    """A CRM's or a help desk's zip is opened by the import (`imports/zips.opened`), not by
    its connector: one part of a split archive is named there too."""
    path = _split_last_part(tmp_path)
    with pytest.raises(Invalid) as failure:
        import_with_connector(session, source="hubspot", path=path, actor=actor(session, "admin"))
    assert "hooli_export.zip is the last of 2 parts of a split zip archive" in failure.value.message
    assert counts(session)["feedback"] == 0
