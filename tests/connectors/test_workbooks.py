"""Excel workbooks (.xlsx) read wherever a CSV is: a report's extra rows skipped as in a CSV,
the sheet with the rows chosen, errors named by the sheet's rows, dates read as dates, and
workbooks Huddle cannot read refused whole with nothing written."""

import zipfile
from datetime import date, datetime, time
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from huddle.errors import Invalid
from huddle.imports import workbook
from huddle.imports.report import ImportFailed
from huddle.imports.service import import_file
from huddle.models import Account, Feedback
from tests.connectors.helpers import counts, refused, run
from tests.factories import actor, create_account, create_user
from tests.helpers import client, login

TICKET_HEADER = ["Ticket ID", "Subject", "Description", "Requester Email", "Company", "Created"]


def _book(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    book = openpyxl.Workbook()
    first = True
    for title, rows in sheets.items():
        sheet = book.active if first else book.create_sheet()
        assert sheet is not None
        sheet.title = title
        first = False
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def _written_by_hand(
    path: Path, inside: str, extra: dict[str, bytes] | None = None, stored: bool = False
) -> Path:
    """A workbook of one sheet, 'Reviews', whose XML holds `inside` (its sheetData and what
    follows it), and `extra` members; its members stored uncompressed if `stored`."""
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.'
        f'org/spreadsheetml/2006/main">{inside}</worksheet>'
    )
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats'
            '.org/package/2006/content-types"><Default Extension="rels" ContentType="applicat'
            'ion/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" Conte'
            'ntType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="app'
            'lication/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Overri'
            'de PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlforma'
            'ts-officedocument.spreadsheetml.worksheet+xml"/></Types>'
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxm'
            'lformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://sc'
            'hemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target'
            '="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{main}" xmlns:r="{rel}">'
            '<sheets><sheet name="Reviews" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxm'
            'lformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://sc'
            'hemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="wor'
            'ksheets/sheet1.xml"/></Relationships>'
        ),
        "xl/worksheets/sheet1.xml": sheet,
    }
    compression = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(path, "w", compression) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return path


def _texts(session: Session) -> list[tuple[str, str | None]]:
    rows = session.execute(
        select(Feedback.text, Account.name)
        .outerjoin(Account, Account.id == Feedback.account_id)
        .order_by(Feedback.id)
    )
    return [(text, name) for text, name in rows]


def test_a_formatted_report_reads_as_its_csv_would(session: Session, tmp_path: Path) -> None:
    """Salesforce's "Formatted Report": a title and filters above the header, a group row,
    a subtotal, the grand total and the confidentiality footer under it; the sheet starts in
    column B; a description of two lines; dates stored as Excel dates."""
    admin = actor(session, "admin")
    create_account(session, name="Acme Robotics", domain="acme-robotics.example")
    create_account(session, name="Globex Freight", domain="globex.example")
    report_rows: list[list[object]] = [
        [None, "Open Cases by Account"],
        [None, "Filtered By: Status equals Open"],
        [None, "As of 12/6/2026 9:14 AM"],
        [],
        [None, *TICKET_HEADER],
        [None, "Company: Acme Robotics (2)"],
        [
            None,
            "5001",
            "Export drops a column",
            "The CSV export drops the last column.\nWe rebuild it by hand every Monday.",
            "kim@acme-robotics.example",
            "Acme Robotics",
            datetime(2026, 11, 30, 8, 10),
        ],
        [
            None,
            "5002",
            "Dark mode",
            "Please add dark mode, the night shift hates the glare.",
            "lu@acme-robotics.example",
            "Acme Robotics",
            datetime(2026, 11, 29, 14, 0),
        ],
        [None, "Subtotal", None, None, None, None, 2],
        [
            None,
            "5003",
            "Map is slow",
            "The fleet map takes a minute to load on tablets.",
            "ops@globex.example",
            "Globex Freight",
            date(2026, 11, 28),
        ],
        [None, "Grand Total (3 records)"],
        [],
        [None, "Confidential Information - Do Not Distribute"],
        [None, "Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved."],
    ]
    path = _book(tmp_path / "Open Cases.xlsx", {"Report": report_rows})
    report = run(session, admin, "tickets", path)
    assert report.errors == [] and report.filename == "Open Cases.xlsx"
    assert _texts(session) == [
        (
            "The CSV export drops the last column.\nWe rebuild it by hand every Monday.",
            "Acme Robotics",
        ),
        ("Please add dark mode, the night shift hates the glare.", "Acme Robotics"),
        ("The fleet map takes a minute to load on tablets.", "Globex Freight"),
    ]
    dates = session.scalars(select(Feedback.occurred_at).order_by(Feedback.id)).all()
    assert [d.replace(tzinfo=None) for d in dates] == [
        datetime(2026, 11, 30, 8, 10),
        datetime(2026, 11, 29, 14, 0),
        datetime(2026, 11, 28),
    ]
    assert report.warnings == []  # one sheet: nothing to say about which


def test_the_sheet_with_the_rows_is_read_and_named(session: Session, tmp_path: Path) -> None:
    admin = actor(session, "admin")
    path = _book(
        tmp_path / "feedback.xlsx",
        {
            "How to use this export": [["Read me"], ["Tickets are on the next sheet."]],
            "Tickets": [
                TICKET_HEADER,
                ["1", "Slow", "Search is slow on big boards.", "a@x.example", "", "2026-11-30"],
                ["2", "SSO", "We need SAML single sign-on.", "b@y.example", "", "2026-11-29"],
                ["3", "Sync", "Calendar sync misses events.", "c@z.example", "", "2026-11-28"],
            ],
            "Empty": [],
        },
    )
    report = run(session, admin, "tickets", path)
    assert len(_texts(session)) == 3
    assert [str(w) for w in report.warnings] == [
        "line 1: the workbook has more than one sheet: read 'Tickets', not 'How to use this export'"
    ]


def test_an_error_names_the_row_excel_shows(session: Session, tmp_path: Path) -> None:
    """Cells of several lines above the bad row, and a blank row: the error still names the
    row a person finds in Excel, and nothing is written."""
    admin = actor(session, "admin")
    path = _book(
        tmp_path / "tickets.xlsx",
        {
            "Sheet1": [
                TICKET_HEADER,
                [
                    "1",
                    "Long",
                    "First line\nsecond line\nthird line",
                    "a@x.example",
                    "",
                    "2026-11-30",
                ],
                [],
                ["2", "Bad date", "The date is not one.", "b@x.example", "", "yesterday-ish"],
            ]
        },
    )
    failure = refused(session, admin, "tickets", path)
    assert [(e.line, e.column) for e in failure.report.errors] == [(4, "Created")]
    assert failure.report.filename == "tickets.xlsx"
    assert counts(session)["feedback"] == 0


def test_accounts_from_a_workbook_with_numbers_dates_and_flags(
    session: Session, tmp_path: Path
) -> None:
    """A CRM's accounts: ARR as a number (not "120000.0"), a renewal date as an Excel date,
    an at-risk flag as a boolean, a formula's saved value."""
    admin = actor(session, "admin")
    path = tmp_path / "accounts.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Account Name", "Website", "ARR", "Renewal Date", "At Risk"])
    sheet.append(["Acme Robotics", "acme-robotics.example", 120000, date(2027, 3, 31), True])
    sheet.append(["Globex Freight", "globex.example", 45000.5, date(2027, 1, 15), False])
    sheet["D3"].number_format = "mm/dd/yyyy"
    book.save(path)
    report = run(session, admin, "salesforce", path)
    assert report.errors == []
    accounts = {a.name: a for a in session.scalars(select(Account))}
    assert accounts["Acme Robotics"].arr_minor == 12_000_000
    assert accounts["Acme Robotics"].renewal_date == date(2027, 3, 31)
    assert accounts["Acme Robotics"].at_risk is True
    assert accounts["Globex Freight"].arr_minor == 4_500_050
    assert accounts["Globex Freight"].renewal_date == date(2027, 1, 15)
    assert accounts["Globex Freight"].at_risk is False


def _inline_rows(cells: list[tuple[str, ...]]) -> str:
    """`<row>`s of inline strings (as Freshdesk and other writers put them), from row 1."""
    return "".join(
        f'<row r="{r}">'
        + "".join(
            f'<c r="{"ABC"[c]}{r}" t="inlineStr"><is><t>{text}</t></is></c>'
            for c, text in enumerate(values)
        )
        + "</row>"
        for r, values in enumerate(cells, start=1)
    )


def test_inline_strings_as_other_writers_put_them(session: Session, tmp_path: Path) -> None:
    """A workbook whose cells hold their text inline (`t="inlineStr"`), as many exporters
    write it instead of a shared-strings table, named .csv by the person who saved it."""
    admin = actor(session, "admin")
    path = tmp_path / "reviews.csv"
    cells = [
        ("Rating", "Title", "Review"),
        ("2", "Drops", "The scanner drops the connection every few minutes."),
    ]
    rows = _inline_rows(cells)
    _written_by_hand(path, f"<sheetData>{rows}</sheetData>")
    report = run(session, admin, "reviews", path)
    assert report.errors == []
    assert [text for text, _ in _texts(session)] == [
        "The scanner drops the connection every few minutes."
    ]


def test_feedback_import_reads_a_workbook(session: Session, tmp_path: Path) -> None:
    """`huddle import feedback` (the simplest import) takes a workbook too."""
    admin = actor(session, "admin")
    path = _book(
        tmp_path / "comments.xlsx",
        {"Sheet1": [["text", "occurred_at"], ["Exports are slow.", datetime(2026, 11, 30, 9)]]},
    )
    report = import_file(session, kind="feedback", path=path, actor=admin)
    session.flush()
    assert report.created == 1 and report.filename == "comments.xlsx"
    bad = _book(
        tmp_path / "bad.xlsx",
        {"Sheet1": [["text", "occurred_at"], ["Fine.", "2026-11-30"], [None, "2026-11-30"]]},
    )
    with pytest.raises(ImportFailed) as failure:
        import_file(session, kind="feedback", path=bad, actor=admin)
    assert [e.line for e in failure.value.report.errors] == [3]


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504, "Excel 97-2003 workbook (.xls)"),
        ("cut", "damaged Excel workbook"),
    ],
)
def test_workbooks_that_cannot_be_read_are_refused_whole(
    session: Session, tmp_path: Path, content: bytes | str, says: str
) -> None:
    admin = actor(session, "admin")
    path = tmp_path / "export.xlsx"
    if content == "cut":
        whole = _book(tmp_path / "whole.xlsx", {"Sheet1": [TICKET_HEADER] * 50})
        path.write_bytes(whole.read_bytes()[:-300])
    else:
        assert isinstance(content, bytes)
        path.write_bytes(content)
    with pytest.raises(Invalid) as failure:
        run(session, admin, "tickets", path)
    assert says in failure.value.message and "export.xlsx" in failure.value.message
    assert counts(session)["feedback"] == 0


def test_cell_text() -> None:
    text = workbook.cell_text
    assert [text(12.0), text(0.25), text(True), text(None), text("a\nb")] == [
        "12",
        "0.25",
        "TRUE",
        "",
        "a\nb",
    ]
    assert text(datetime(2026, 11, 30)) == "2026-11-30"
    assert text(datetime(2026, 11, 30), "m/d/yyyy h:mm") == "2026-11-30 00:00:00"
    assert text(datetime(2026, 11, 30, 8, 5)) == "2026-11-30 08:05:00"
    assert text(time(9, 30)) == "09:30:00"


def test_other_zips_are_not_workbooks(tmp_path: Path) -> None:
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr("channels.json", "[]")
    assert not workbook.is_workbook(archive)
    assert workbook.is_workbook(_book(tmp_path / "x.bin", {"S": [["a"]]}))


def test_the_csv_a_workbook_becomes(tmp_path: Path) -> None:
    """A sheet that starts at B3: the empty column and rows are no part of the CSV, and each
    CSV line knows its sheet row."""
    path = _book(
        tmp_path / "x.xlsx",
        {"S": [[], [], [None, "Subject", "Body"], [None, "Hi", "two\nlines"], [None, "Yo", "x"]]},
    )
    with workbook.as_csv(path) as readable:
        assert readable.path.name == "x.xlsx"
        assert readable.path.read_bytes().decode() == 'Subject,Body\r\nHi,"two\nlines"\r\nYo,x\r\n'
        assert [readable.in_sheet(line) for line in (1, 2, 3, 4)] == [3, 4, 4, 5]
    assert not readable.path.exists()


def test_the_imports_page_takes_a_workbook(
    database_url: str, session: Session, tmp_path: Path
) -> None:
    admin = create_user(session, role="admin")
    session.commit()
    browser = client(database_url)
    csrf = login(browser, admin.email)
    path = _book(
        tmp_path / "t.xlsx",
        {
            "Sheet1": [
                TICKET_HEADER,
                ["9", "Slow", "Search is slow.", "a@x.example", "", "2026-11-30"],
            ]
        },
    )
    kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    done = browser.post(
        "/admin/imports",
        data={"csrf_token": csrf, "source": "tickets", "encoding": "utf-8"},
        files={"file": ("Open tickets.xlsx", path.read_bytes(), kind)},
        follow_redirects=True,
    )
    assert done.status_code == 200 and "Imported Open tickets.xlsx: 1 new" in done.text
    session.expire_all()
    assert counts(session)["feedback"] == 1


def test_a_zip_of_one_export_is_read_as_that_export(session: Session, tmp_path: Path) -> None:
    """HubSpot and Salesforce mail large exports as a zip: one export inside (macOS's
    `__MACOSX` copies aside) is read as itself, a workbook inside as its CSV."""
    admin = actor(session, "admin")
    sheet = _book(
        tmp_path / "tickets.xlsx",
        {"S": [TICKET_HEADER, ["1", "Slow", "Search is slow.", "a@x.example", "", "2026-11-30"]]},
    )
    archive = tmp_path / "hubspot-export-2026-12-06.zip"
    with zipfile.ZipFile(archive, "w") as out:
        out.write(sheet, "export/tickets.xlsx")
        out.writestr("__MACOSX/export/._tickets.xlsx", b"\x00\x05\x16\x07")
    report = run(session, admin, "tickets", archive)
    assert len(_texts(session)) == 1
    assert "line 1: read tickets.xlsx from hubspot-export-2026-12-06.zip" in [
        str(w) for w in report.warnings
    ]
    lines = tmp_path / "comments.zip"
    with zipfile.ZipFile(lines, "w") as out:
        out.writestr(
            "comments.jsonl", '{"text": "Exports are slow.", "occurred_at": "2026-11-30"}\n'
        )
    assert import_file(session, kind="feedback", path=lines, actor=admin).created == 1


def test_a_zip_of_several_exports_is_refused_naming_them(session: Session, tmp_path: Path) -> None:
    """Which of several exports to import is the person's choice (Salesforce's data export,
    read whole, is the exception: tests/connectors/test_salesforce_data_export.py)."""
    admin = actor(session, "admin")
    archive = tmp_path / "hubspot-crm-exports-all-records-2026-12-06.zip"
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr("all-companies.csv", "Record ID,Company name\n1,Acme\n")
        out.writestr("all-notes.csv", "Activity ID,Note body,Associated Company IDs\n2,Slow,1\n")
        out.writestr("README.pdf", b"%PDF-1.4")
    with pytest.raises(Invalid) as failure:
        run(session, admin, "hubspot", archive)
    assert "2 export files (all-companies.csv, all-notes.csv)" in failure.value.message
    empty = tmp_path / "images.zip"
    with zipfile.ZipFile(empty, "w") as out:
        out.writestr("logo.png", b"\x89PNG")
    with pytest.raises(Invalid) as failure:
        run(session, admin, "tickets", empty)
    assert "holding no export file (logo.png)" in failure.value.message
    assert counts(session)["feedback"] == 0 and counts(session)["accounts"] == 0


def test_a_cell_merged_down_its_group_names_every_row(session: Session, tmp_path: Path) -> None:
    """A formatted report grouped by account: the account's name is one cell merged down
    its group's rows (and its subtotal row); each row of the group is that account's, and
    the subtotal row, its name beside "Subtotal", is no record."""
    admin = actor(session, "admin")
    create_account(session, name="Acme Robotics", domain="acme-robotics.example")
    create_account(session, name="Globex Freight", domain="globex.example")
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Customer Call Notes by Account"])
    sheet.merge_cells("A1:D1")
    sheet.append(["Account Name", "Subject", "Date", "Full Comments"])
    sheet.append(["Acme Robotics", "Call", date(2026, 11, 18), "Photos drop on weak signal."])
    sheet.append([None, "Call", date(2026, 11, 20), "Offline mode blocks the rollout."])
    sheet.append([None, "Subtotal", None, None])
    sheet.merge_cells("A3:A5")
    sheet.append(["Globex Freight", "Call", date(2026, 12, 1), "Seats are too dear."])
    sheet.append([None, "Subtotal", None, None])
    sheet.merge_cells("A6:A7")
    sheet.append(["Grand Total (3 records)"])
    path = tmp_path / "report.xlsx"
    book.save(path)
    report = run(session, admin, "salesforce", path)
    assert report.errors == []
    assert _texts(session) == [
        ("Photos drop on weak signal.", "Acme Robotics"),
        ("Offline mode blocks the rollout.", "Acme Robotics"),
        ("Seats are too dear.", "Globex Freight"),
    ]


def test_a_workbook_damaged_inside_is_refused_not_a_crash(session: Session, tmp_path: Path) -> None:
    """Bytes changed inside a member's compressed data (a bad disk, a bad copy): the zip's
    directory is whole, its data is not. Refused as damaged, nothing written."""
    admin = actor(session, "admin")
    rows = [TICKET_HEADER] + [
        [str(n), "Slow", f"Search is slow on board {n}.", "a@x.example", "", "2026-11-30"]
        for n in range(300)
    ]
    whole = _book(tmp_path / "whole.xlsx", {"S": rows}).read_bytes()
    with zipfile.ZipFile(tmp_path / "whole.xlsx") as archive:
        sheet = archive.getinfo("xl/worksheets/sheet1.xml")
    start = sheet.header_offset + 30 + len(sheet.filename) + sheet.compress_size // 3
    damaged = bytearray(whole)
    damaged[start : start + 16] = b"\xff" * 16
    path = tmp_path / "damaged.xlsx"
    path.write_bytes(bytes(damaged))
    with pytest.raises(Invalid) as failure:
        run(session, admin, "tickets", path)
    assert "damaged.xlsx is a damaged Excel workbook" in failure.value.message
    assert counts(session)["feedback"] == 0


@pytest.mark.parametrize("member", ["xl/worksheets/sheet1.xml", "xl/media/image1.png"])
def test_a_member_whose_checksum_alone_is_wrong_is_refused_naming_it(
    session: Session, tmp_path: Path, member: str
) -> None:
    """A byte changed in a member stored uncompressed: the XML still parses, only the member's
    checksum, checked when it has been read to its end, tells. The sheet (declaring its size,
    as Excel's do, so that opening the workbook reads only its start) is found damaged while
    its rows are read, an image the import never reads is read to be checked: either way the
    workbook is refused whole, naming the member, and nothing is written."""
    admin = actor(session, "admin")
    rows = _inline_rows(
        [("Rating", "Title", "Review")]
        + [("2", "Drops", f"The scanner drops the connection, case {n}.") for n in range(2000)]
    )
    image = b"\x89PNG\r\n\x1a\n" + b"IMAGE DATA " * 200
    path = _written_by_hand(
        tmp_path / "export.xlsx",
        f'<dimension ref="A1:C2001"/><sheetData>{rows}</sheetData>',
        extra={"xl/media/image1.png": image},
        stored=True,
    )
    data = bytearray(path.read_bytes())
    changed = b"case 1990." if member.endswith(".xml") else b"IMAGE DATA IMAGE"
    at = data.index(changed)
    data[at] ^= 0x20  # "case" -> "Case", "IMAGE" -> "iMAGE": still well-formed
    path.write_bytes(bytes(data))
    with pytest.raises(Invalid) as failure:
        run(session, admin, "reviews", path)
    assert failure.value.message == (
        f"line 1: export.xlsx is a damaged Excel workbook ({member} is corrupted): "
        "download it again"
    )
    assert counts(session)["feedback"] == 0


def test_a_member_marked_encrypted_is_refused_not_a_crash(session: Session, tmp_path: Path) -> None:
    """A flipped bit that marks a member encrypted (Excel encrypts a whole workbook into an
    OLE2 file, never a member of its zip): zipfile raises RuntimeError, asking for a password;
    the workbook is refused as damaged, naming the member, and nothing is written."""
    admin = actor(session, "admin")
    rows = [TICKET_HEADER, ["1", "Slow", "Search is slow.", "a@x.example", "", "2026-11-30"]]
    data = bytearray(_book(tmp_path / "book.xlsx", {"S": rows}).read_bytes())
    for signature, flags in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.find(signature)  # the first member's local header and directory entry
        data[at + flags] |= 1
    path = tmp_path / "flipped.xlsx"
    path.write_bytes(bytes(data))
    with zipfile.ZipFile(path) as archive:
        first = archive.infolist()[0].filename
    with pytest.raises(Invalid) as failure:
        run(session, admin, "tickets", path)
    assert failure.value.message == (
        f"line 1: flipped.xlsx is a damaged Excel workbook ({first} is corrupted): "
        "download it again"
    )
    assert counts(session)["feedback"] == 0


def test_a_merged_cell_over_rows_the_sheet_leaves_out(tmp_path: Path) -> None:
    """A writer that leaves out a row holding nothing but the merged cell over it (row 3): the
    row reads as the merged cell's value, as in Excel; a merged cell reaching past the last
    row adds no row."""

    def row(r: int, *cells: tuple[str, str]) -> str:
        inline = "".join(
            f'<c r="{c}{r}" t="inlineStr"><is><t>{text}</t></is></c>' for c, text in cells
        )
        return f'<row r="{r}">{inline}</row>'

    inside = (
        "<sheetData>"
        + row(1, ("A", "Account"), ("B", "Subject"), ("C", "Note"))
        + row(2, ("A", "Acme Robotics"), ("B", "Call"), ("C", "Photos drop."))
        + row(4, ("B", "Call"), ("C", "Offline mode blocks us."))
        + row(5, ("A", "Globex Freight"), ("B", "Call"), ("C", "Seats are dear."))
        + '</sheetData><mergeCells count="2"><mergeCell ref="A2:A4"/>'
        '<mergeCell ref="A5:A9"/></mergeCells>'
    )
    path = _written_by_hand(tmp_path / "calls.xlsx", inside)
    with workbook.as_csv(path) as readable:
        assert readable.path.read_bytes().decode() == (
            "Account,Subject,Note\r\n"
            "Acme Robotics,Call,Photos drop.\r\n"
            "Acme Robotics\r\n"
            "Acme Robotics,Call,Offline mode blocks us.\r\n"
            "Globex Freight,Call,Seats are dear.\r\n"
        )
        assert [readable.in_sheet(line) for line in (1, 2, 3, 4, 5)] == [1, 2, 3, 4, 5]


def test_a_pivot_sheet_before_the_data_is_not_read(session: Session, tmp_path: Path) -> None:
    """A summary made of figures (a row per account and category) may have more rows than the
    data beside it: the sheet of records, whose cells are words, is read."""
    admin = actor(session, "admin")
    pivot: list[list[object]] = [["Tickets by account"], ["Row Labels", "Bug", "Question", "Total"]]
    pivot += [[f"Account {n}", 1, 0, 1] for n in range(12)] + [["Grand Total", 12, 0, 12]]
    path = _book(
        tmp_path / "support.xlsx",
        {
            "Summary": pivot,
            "Data": [
                TICKET_HEADER,
                ["1", "Slow", "Search is slow on big boards.", "a@x.example", "", "2026-11-30"],
                ["2", "SSO", "We need SAML single sign-on.", "b@y.example", "", "2026-11-29"],
            ],
        },
    )
    report = run(session, admin, "tickets", path)
    assert [text for text, _ in _texts(session)] == [
        "Search is slow on big boards.",
        "We need SAML single sign-on.",
    ]
    assert "read 'Data', not 'Summary'" in str(report.warnings[-1])


def test_an_opendocument_spreadsheet_is_refused_saying_what_it_is(
    session: Session, tmp_path: Path
) -> None:
    """LibreOffice's own `.ods` is a zip too: refused as what it is, with what to save it as,
    not as a zip holding no export."""
    admin = actor(session, "admin")
    path = tmp_path / "research.ods"
    with zipfile.ZipFile(path, "w") as out:
        out.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        out.writestr("content.xml", "<office:document-content/>")
    with pytest.raises(Invalid) as failure:
        run(session, admin, "tickets", path)
    assert "OpenDocument spreadsheet" in failure.value.message
    assert ".xlsx" in failure.value.message
    assert counts(session)["feedback"] == 0
