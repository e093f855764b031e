"""Files as people have them: a field longer than the csv module's default limit, UTF-16 from
Excel, and an upload whose name tries to leave its folder. Each imports or is refused with its
line named; none is a traceback."""

import codecs
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from huddle.imports.report import ImportFailed
from huddle.imports.rows import MAX_FIELD_CHARS
from huddle.imports.service import import_file
from huddle.imports.views import upload_name
from huddle.models import Account, Feedback
from tests.factories import actor, create_user
from tests.helpers import client, login

LONG = "The export drops the cost centre column. " * 5000  # ~205,000 characters


def test_a_field_over_131072_characters_imports(
    database_url: str, session: Session, tmp_path: Path
) -> None:
    assert len(LONG) > 131_072
    path = tmp_path / "long.csv"
    path.write_text(
        f'text,date,source\n"{LONG}",2026-10-01,call\nShort one,2026-10-02,call\n', encoding="utf-8"
    )
    report = import_file(session, kind="feedback", path=path, actor=actor(session, "admin"))
    assert (report.created, report.errors) == (2, [])
    stored = session.scalar(select(func.max(func.length(Feedback.text))))
    assert stored == len(LONG.strip())


def test_a_field_past_the_limit_is_its_line_s_error(
    database_url: str, session: Session, tmp_path: Path
) -> None:
    path = tmp_path / "runaway.csv"
    # An unclosed quote swallows the rest of the file into one field.
    runaway = "x" * (MAX_FIELD_CHARS + 10)
    path.write_text(
        f'text,date,source\nFine,2026-10-01,call\n"{runaway},2026-10-02\n', encoding="utf-8"
    )
    with pytest.raises(ImportFailed) as failed:
        import_file(session, kind="feedback", path=path, actor=actor(session, "admin"))
    [error] = failed.value.report.errors
    assert error.line == 3 and "longer than 1,048,576 characters" in error.reason
    assert session.scalar(select(func.count()).select_from(Feedback)) == 0


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_files_with_a_byte_order_mark_are_decoded(
    database_url: str, session: Session, tmp_path: Path, encoding: str
) -> None:
    text = "name,domain,segment\nZürich Bank,zuerich.example,Enterprise\nMünchen GmbH,muc.example,SMB\n"
    bom = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE}.get(encoding, b"")
    path = tmp_path / "accounts.csv"
    path.write_bytes(bom + text.encode(encoding))
    # The form's default encoding is UTF-8; the byte-order mark decides.
    report = import_file(
        session, kind="accounts", path=path, actor=actor(session, "admin"), encoding="utf-8-sig"
    )
    assert (report.created, report.errors) == (2, [])
    names = session.scalars(select(Account.name).order_by(Account.name)).all()
    assert names == ["München GmbH", "Zürich Bank"]


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("..", "upload"),
        (".", "upload"),
        ("../../etc/passwd", "passwd"),
        ("..\\..\\Windows\\tickets.csv", "tickets.csv"),
        ("C:\\Users\\sam\\Desktop\\export.csv", "export.csv"),
        ("/tmp/../x.jsonl", "x.jsonl"),
        ("a\x00b.csv", "ab.csv"),
        ("tickets\n.csv", "tickets.csv"),
        ("é" * 300 + ".csv", "é" * 98 + ".csv"),
    ],
)
def test_an_upload_is_stored_under_a_plain_name(given: str, stored: str) -> None:
    assert upload_name(given) == stored


def test_uploads_named_to_escape_their_folder_import_or_are_refused(
    database_url: str, session: Session
) -> None:
    admin = create_user(session, role="admin")
    session.commit()
    browser = client(database_url)
    csrf = login(browser, admin.email)
    content = b"name,domain\nInitech,initech.example\n"
    for name in ("..", "../../accounts.csv", "a\x00.csv"):
        files = {"file": (name, content, "text/csv")}
        page = browser.post(
            "/admin/imports",
            data={"csrf_token": csrf, "source": "accounts", "dry_run": "on"},
            files=files,
        )
        assert page.status_code in (200, 422), f"{name!r}: {page.status_code}"
        if name.endswith(".csv"):
            assert page.status_code == 200 and "would add 1" in page.text
        else:
            # No suffix to tell the format by: refused by name, on the page.
            assert "cannot tell the format of upload" in page.text
    utf16 = {"file": ("accounts.csv", codecs.BOM_UTF16_LE + content.decode().encode("utf-16-le"))}
    page = browser.post(
        "/admin/imports",
        data={"csrf_token": csrf, "source": "accounts"},
        files=utf16,
        follow_redirects=False,
    )
    assert page.status_code == 303 and "1+new" in page.headers["location"]
    assert session.scalar(select(Account.domain)) == "initech.example"
