"""Slack exports: a folder, a zip, or one day's file; people's messages, not joins or bots."""

import json
import zipfile
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from huddle.connectors.base import ConnectorOptions
from huddle.connectors.slack import connector
from huddle.models import Feedback
from tests.connectors.helpers import refused, round_trip
from tests.factories import actor, create_account

USERS = [
    {"id": "U01", "name": "nina", "profile": {"real_name": "Nina Park", "email": "nina@acme.com"}},
    {
        "id": "U02",
        "name": "raj",
        "profile": {"real_name": "Raj Patel", "email": "raj@huddle-vendor.io"},
    },
    {"id": "B01", "name": "deploybot", "is_bot": True, "profile": {"real_name": "Deploy Bot"}},
]
CHANNELS = [{"id": "C0ACME", "name": "shared-acme"}]
DAY = [
    {
        "type": "message",
        "subtype": "channel_join",
        "user": "U01",
        "text": "<@U01> has joined the channel",
        "ts": "1760000000.000100",
    },
    {
        "type": "message",
        "user": "U01",
        "text": "The nightly <https://acme.example/report|usage report> has been empty since Friday, can <@U02> take a look?",
        "ts": "1760000100.000200",
    },
    {
        "type": "message",
        "user": "U02",
        "text": "On it, checking the job logs now.",
        "ts": "1760000200.000300",
    },
    {
        "type": "message",
        "user": "U01",
        "text": "Also: we really need per-project permissions before the agency joins.",
        "ts": "1760000300.000400",
        "thread_ts": "1760000100.000200",
    },
    {"type": "message", "user": "U01", "text": "thanks!", "ts": "1760000400.000500"},
    {
        "type": "message",
        "bot_id": "B01",
        "user": "B01",
        "text": "Deployed v2.3.1 to production",
        "ts": "1760000500.000600",
    },
]


def export_folder(root: Path) -> Path:
    (root / "shared-acme").mkdir(parents=True)
    (root / "users.json").write_text(json.dumps(USERS))
    (root / "channels.json").write_text(json.dumps(CHANNELS))
    (root / "shared-acme" / "2026-10-09.json").write_text(json.dumps(DAY, indent=2))
    return root


def test_zip_export(session: Session, tmp_path: Path) -> None:
    admin = actor(session, "admin")
    acme = create_account(session, name="Acme", domain="acme.com")
    folder = export_folder(tmp_path / "export")
    archive = tmp_path / "Acme Slack export.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for item in folder.rglob("*.json"):
            zipped.write(item, item.relative_to(folder))
    round_trip(
        session,
        admin,
        "slack",
        archive,
        internal_domains=("huddle-vendor.io",),
        mapping={"workspace": "acme"},
    )
    items = list(session.scalars(select(Feedback).order_by(Feedback.occurred_at)))
    assert [i.contact.email if i.contact else None for i in items] == ["nina@acme.com"] * 2
    report, permissions = items
    assert "usage report" in report.text and "@Raj Patel" in report.text and "<" not in report.text
    assert report.link_url == "https://acme.slack.com/archives/C0ACME/p1760000100000200"
    assert permissions.link_url.endswith("?thread_ts=1760000100.000200&cid=C0ACME")
    assert all(i.account_id == acme.id and i.source == "chat" for i in items)
    assert report.tags == ["slack:shared-acme"]


def test_folder_and_single_day(tmp_path: Path) -> None:
    folder = export_folder(tmp_path / "export")
    whole = connector.read(folder, ConnectorOptions())
    assert whole.errors == [] and len(whole.feedback) == 3  # without internal domains, Raj too
    day = connector.read(folder / "shared-acme" / "2026-10-09.json", ConnectorOptions())
    assert len(day.feedback) == 3 and day.feedback[0].title == "#shared-acme"


def test_truncated_day_file_is_refused(session: Session, tmp_path: Path) -> None:
    admin = actor(session, "admin")
    folder = export_folder(tmp_path / "export")
    day = folder / "shared-acme" / "2026-10-10.json"
    day.write_text(json.dumps(DAY, indent=2)[:-200])
    errors = refused(session, admin, "slack", folder).report.errors
    assert "2026-10-10.json" in errors[0].reason and "truncated" in errors[0].reason
    not_zip = tmp_path / "export.zip"
    not_zip.write_bytes(b"PK\x03\x04 not really a zip")
    assert refused(session, admin, "slack", not_zip).report.errors


def test_a_zip_damaged_on_the_way_is_refused_by_name(session: Session, tmp_path: Path) -> None:
    """A member that fails its checksum (a download cut and resumed, a disk error) is a
    refusal that says the file is damaged, not a traceback; nothing is written."""
    admin = actor(session, "admin")
    folder = export_folder(tmp_path / "export")
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
        for item in sorted(folder.rglob("*.json")):
            zipped.write(item, item.relative_to(folder))
    data = bytearray(archive.read_bytes())
    with zipfile.ZipFile(archive) as zipped:
        member = zipped.getinfo("users.json")
    # A byte of users.json's compressed data changed: its CRC or its inflating fails.
    start = member.header_offset + 30 + len(member.filename) + 10
    data[start] ^= 0xFF
    archive.write_bytes(bytes(data))
    errors = refused(session, admin, "slack", archive).report.errors
    assert "damaged" in errors[0].reason and "download the export again" in errors[0].reason
    assert session.scalar(select(Feedback.id)) is None


def test_a_private_conversations_export_zipped_in_finder(tmp_path: Path) -> None:
    """An export of private channels and direct messages (groups.json, dms.json, no
    channels.json), re-zipped in macOS's Finder: under a top folder, with `__MACOSX/._*`
    resource files and a `.DS_Store` that are not JSON. A direct message's folder is named by
    its id; its links name it."""
    archive = tmp_path / "Slack export.zip"
    dms = [{"id": "D07NINA", "members": ["U01", "U02"]}]
    with zipfile.ZipFile(archive, "w") as zipped:
        top = "OurCo Slack export Dec 4 2026"
        zipped.writestr(f"{top}/users.json", json.dumps(USERS))
        zipped.writestr(f"{top}/groups.json", json.dumps(CHANNELS))
        zipped.writestr(f"{top}/dms.json", json.dumps(dms))
        zipped.writestr(f"{top}/shared-acme/2026-10-09.json", json.dumps(DAY))
        zipped.writestr(f"{top}/D07NINA/2026-10-10.json", json.dumps(DAY[1:2]))
        zipped.writestr(f"{top}/.DS_Store", b"\x00\x00\x00\x01Bud1")
        for name in ("users.json", "shared-acme/2026-10-09.json", "D07NINA/2026-10-10.json"):
            zipped.writestr(f"__MACOSX/{top}/._{name}", b"\x00\x05\x16\x07\x00\x02")
    read = connector.read(
        archive, ConnectorOptions(internal_domains=("huddle-vendor.io",), workspace="acme")
    )
    assert read.errors == []
    assert [r.link_url for r in read.feedback] == [
        "https://acme.slack.com/archives/D07NINA/p1760000100000200",
        "https://acme.slack.com/archives/C0ACME/p1760000100000200",
        "https://acme.slack.com/archives/C0ACME/p1760000300000400"
        "?thread_ts=1760000100.000200&cid=C0ACME",
    ]
