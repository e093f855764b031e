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
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, NotImplementedError, EOFError, zipfile.LargeZipFile) as error:
        raise Invalid(damaged(path, error)) from None
    with archive:
        refuse_locked(path, archive)
        yield archive


def damaged(path: Path, error: BaseException) -> str:
    """The refusal of a zip that reading raised `error` for, as an Invalid's message."""
    if isinstance(error, RuntimeError) and "encrypted" in str(error):
        return locked(path, [])
    return f"line 1: {path.name} is a damaged zip archive ({error}): download it again"
