"""Zip archives as the importers open them (a HubSpot or Salesforce export's zip, a
Salesforce data export, a Slack export and the chat exports read like one): one place that
says which cannot be read, in the same words wherever it is opened. (Word and Excel encrypt
a whole document into an OLE2 file, never a member of its zip: `document` and `workbook`
refuse those, and a member marked encrypted there is damage.)

A zip whose files are encrypted (`zip -e`, 7-Zip's or Windows' "password-protect", WinZip's
AES) cannot be read without its password, which Huddle never asks for: it is refused before
any member is read, saying so (zipfile would raise a RuntimeError at the first member it
opens). A member that is damaged (its checksum wrong, cut short, its compressed stream
broken) shows only when it is read: `READ_ERRORS` are what reading it raises, `damaged` the
refusal.

One part of a split zip archive (Info-ZIP's `zip -s`, WinZip's and 7-Zip's "split" into
`.z01`, `.z02`, …, and the last part `.zip`, to fit a mail's attachment limit) cannot be read
alone: the last part holds the archive's directory, the files lie in the others. It is named
as such, and how to join the parts (`split_zip`), wherever a zip is read.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from huddle.errors import Invalid

# Bit 0 of a member's general purpose flags: its data is encrypted (APPNOTE 4.4.4), by the
# traditional ZipCrypto or by WinZip's AES (whose method, 99, zipfile does not know either).
_ENCRYPTED = 0x1

# What reading a damaged zip's member raises: a bad checksum at its end (BadZipFile), a
# broken compressed stream, a member cut short, a method zipfile cannot undo. An encrypted
# member's RuntimeError is among them for a zip opened without `opened`.
READ_ERRORS: tuple[type[Exception], ...] = (
    zipfile.BadZipFile,
    zlib.error,
    NotImplementedError,
    EOFError,
    zipfile.LargeZipFile,
    RuntimeError,
)


def encrypted(archive: zipfile.ZipFile) -> list[str]:
    """The names of the archive's files that are encrypted (folders carry no data)."""
    return [
        info.filename
        for info in archive.infolist()
        if info.flag_bits & _ENCRYPTED and not info.is_dir()
    ]


def locked(path: Path, names: list[str]) -> str:
    """The refusal of a zip whose files `names` (when known) are encrypted."""
    shown = ", ".join(names[:3]) + (", …" if len(names) > 3 else "")
    return (
        f"line 1: {path.name} is a password-protected zip archive: its files are encrypted"
        + (f" ({shown})" if shown else "")
        + " and cannot be read without the password; unzip it with its password and import "
        "what it holds, or ask for the export again without a password"
    )


def refuse_locked(path: Path, archive: zipfile.ZipFile) -> None:
    """Invalid when any file of the archive is encrypted."""
    names = encrypted(archive)
    if names:
        raise Invalid(locked(path, names))


@contextmanager
def opened(path: Path) -> Iterator[zipfile.ZipFile]:
    """The zip, its directory read; Invalid when the directory cannot be read or its files
    are encrypted. Reading a member may still raise `READ_ERRORS` (`damaged` says them)."""
    refuse_split(path)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, NotImplementedError, EOFError, zipfile.LargeZipFile) as error:
        raise Invalid(damaged(path, error)) from None
    with archive:
        refuse_locked(path, archive)
        yield archive


def refuse_split(path: Path) -> None:
    """Invalid for one part of a split zip archive: its members lie in the other parts."""
    split = split_zip(path)
    if split is not None:
        raise Invalid(f"line 1: {split}")


def damaged(path: Path, error: BaseException) -> str:
    """The refusal of a zip that reading raised `error` for, as an Invalid's message."""
    if isinstance(error, RuntimeError) and "encrypted" in str(error):
        return locked(path, [])
    return f"line 1: {path.name} is a damaged zip archive ({error}): download it again"


# APPNOTE 8.5.3: a split archive's first part opens with the spanning signature, then the
# first file's local header; its last part ends with the end of central directory record,
# which names its own disk (the parts being numbered from 0) and the disk where the
# directory starts, both 0 for a zip in one piece. A zip64 archive keeps the number of
# disks in its end record's locator.
_SPANNED_START = b"PK\x07\x08PK\x03\x04"
_END_RECORD = b"PK\x05\x06"
_END_RECORD_SIZE = 22
_ZIP64_LOCATOR = b"PK\x06\x07"
_ZIP64_LOCATOR_SIZE = 20
# The end record's comment is at most 65535 bytes.
_END_SEARCH = _END_RECORD_SIZE + 0xFFFF + _ZIP64_LOCATOR_SIZE


def split_zip(path: Path) -> str | None:
    """The refusal of one part of a split zip archive (see the module), naming it; None for
    any other file."""
    try:
        with path.open("rb") as handle:
            head = handle.read(len(_SPANNED_START))
            size = path.stat().st_size
            handle.seek(max(size - _END_SEARCH, 0))
            tail = handle.read()
    except OSError:
        return None
    if head == _SPANNED_START:
        part = "the first part"
    else:
        disks = _disks(tail)
        if disks is None or disks < 2:
            return None
        part = f"the last of {disks} parts"
    return (
        f"{path.name} is {part} of a split zip archive (zip -s, or a tool's split option), "
        "which cannot be read alone: put every part (.z01, .z02, …, .zip) in one folder, join "
        f"them into one zip (zip -s 0 {path.with_suffix('.zip').name} --out whole.zip) and "
        "import whole.zip"
    )


def _disks(tail: bytes) -> int | None:
    """How many parts the archive ending in `tail` says it spans, by its end record; None
    when `tail` holds no end record."""
    at = tail.rfind(_END_RECORD)
    while at >= 0 and at + _END_RECORD_SIZE > len(tail):
        at = tail.rfind(_END_RECORD, 0, at)
    if at < 0:
        return None
    disk: int = _uint(tail[at + 4 : at + 6])
    directory_disk: int = _uint(tail[at + 6 : at + 8])
    if disk == 0xFFFF or directory_disk == 0xFFFF:
        # A zip64 archive: its locator, just above the end record, counts the disks.
        locator = tail[at - _ZIP64_LOCATOR_SIZE : at] if at >= _ZIP64_LOCATOR_SIZE else b""
        if locator.startswith(_ZIP64_LOCATOR):
            return _uint(locator[16:20])
        return None
    return max(disk, directory_disk) + 1


def _uint(raw: bytes) -> int:
    """A little-endian unsigned number of two or four bytes."""
    return int.from_bytes(raw, "little")
