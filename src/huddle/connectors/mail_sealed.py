"""Mail sealed by its sender: encrypted (S/MIME, OpenPGP), or S/MIME-signed with its words
inside the signature.

An **encrypted** mail can be read only with its recipient's private key, which Huddle never
holds: it is named as encrypted, not read as a mail with no words. S/MIME encrypts the whole
MIME entity into one `application/pkcs7-mime` part (`application/x-pkcs7-mime` from older
clients), `smime-type=enveloped-data` or `authEnveloped-data` (RFC 8551 §3.2.2); a part that
names no smime-type (an `smime.p7m`) is known by the CMS content type its data opens with
(RFC 5652). PGP/MIME sends a `multipart/encrypted` (RFC 1847; RFC 3156: an
`application/pgp-encrypted` control part, then the `-----BEGIN PGP MESSAGE-----` block), and
inline PGP a text body that is only that block.

A **signed** mail is read: a clear-signed one (`multipart/signed`, S/MIME or PGP/MIME) is
its first part, as any multipart is; an opaque-signed S/MIME mail (`smime-type=signed-data`)
holds its MIME entity inside the CMS SignedData, as the encapsulated content (RFC 5652 §5.2),
which is taken out and read under the outer mail's sender, date, subject and id.
"""

import re
from collections.abc import Iterator
from email import policy
from email.message import EmailMessage, MIMEPart
from email.parser import BytesParser
from typing import NamedTuple

_PARSER = BytesParser(policy=policy.default)

_PKCS7 = {"application/pkcs7-mime", "application/x-pkcs7-mime"}
_ENCRYPTED_SMIME = {"enveloped-data", "authenveloped-data"}
# CMS content types (DER of their object identifiers): id-envelopedData (1.2.840.113549.1.7.3),
# id-ct-authEnvelopedData (1.2.840.113549.1.9.16.1.23), id-signedData (1.2.840.113549.1.7.2).
_ENVELOPED = bytes.fromhex("2a864886f70d010703")
_AUTH_ENVELOPED = bytes.fromhex("2a864886f70d0109100117")
_SIGNED = bytes.fromhex("2a864886f70d010702")
_PGP_MESSAGE = re.compile(r"\A\s*-----BEGIN PGP MESSAGE-----\s*$", re.MULTILINE)


def encryption(message: EmailMessage, text: str) -> str | None:
    """How `message` is encrypted ("S/MIME", "PGP/MIME", "inline PGP"), its words being
    `text`; None when it is not, or has words of its own beside an encrypted part. A mail
    attached to it is not looked into: it is read as a mail of its own."""
    if _PGP_MESSAGE.match(text):
        return "inline PGP"
    if text.strip():
        return None
    for part in _own_parts(message):
        if part.get_content_type() == "multipart/encrypted":
            return "PGP/MIME" if "pgp" in str(part.get_param("protocol", "")).lower() else "MIME"
        if part.get_content_type() in _PKCS7 and _smime_type(part) in _ENCRYPTED_SMIME:
            return "S/MIME"
    return None


def signed_content(message: EmailMessage) -> EmailMessage | None:
    """The mail inside an opaque-signed S/MIME message, under the outer mail's headers; None
    when `message` is none, or its content cannot be taken out."""
    if message.get_content_type() not in _PKCS7 or _smime_type(message) != "signed-data":
        return None
    inner = _encapsulated(_data(message))
    if not inner:
        return None
    mail = _PARSER.parsebytes(inner)
    if not isinstance(mail, EmailMessage):
        return None
    for key in dict.fromkeys(message.keys()):
        if not key.lower().startswith(("content-", "mime-version")) and key not in mail:
            for value in message.get_all(key, []):
                mail[key] = str(value)
    return mail


def _own_parts(part: MIMEPart) -> Iterator[MIMEPart]:
    """The part and its parts, not into a mail attached (`message/rfc822`)."""
    yield part
    if part.is_multipart() and part.get_content_maintype() == "multipart":
        for each in part.iter_parts():
            yield from _own_parts(each)


def _smime_type(part: MIMEPart) -> str:
    """The part's smime-type, or (none given) the one its CMS content type says."""
    named = str(part.get_param("smime-type", "")).strip().lower()
    if named:
        return named
    kind = _content_type(_data(part))
    if kind in {_ENVELOPED, _AUTH_ENVELOPED}:
        return "enveloped-data"
    return "signed-data" if kind == _SIGNED else ""


def _data(part: MIMEPart) -> bytes:
    payload = part.get_payload(decode=True)
    return payload if isinstance(payload, bytes) else b""


class _Node(NamedTuple):
    """A BER element: its tag, where its contents start and end, and where the next begins."""

    tag: int
    start: int
    end: int
    after: int


def _node(data: bytes, at: int) -> _Node:
    """The BER element at `at` (X.690 §8.1: definite or indefinite length). IndexError or
    ValueError when the data is cut short or is no BER."""
    tag = data[at]
    at += 1
    if tag & 0x1F == 0x1F:  # a tag number of more than one byte
        while data[at] & 0x80:
            at += 1
        at += 1
    first = data[at]
    at += 1
    if first == 0x80:  # indefinite: the contents end at two zero bytes
        end = at
        while data[end : end + 2] != b"\0\0":
            end = _node(data, end).after
            if end > len(data):
                raise IndexError(end)
        return _Node(tag, at, end, end + 2)
    length = first
    if first & 0x80:
        count = first & 0x7F
        length = int.from_bytes(data[at : at + count], "big")
        at += count
    if at + length > len(data):
        raise ValueError("cut short")
    return _Node(tag, at, at + length, at + length)


def _children(data: bytes, node: _Node) -> list[_Node]:
    found: list[_Node] = []
    at = node.start
    while at < node.end:
        child = _node(data, at)
        found.append(child)
        at = child.after
    return found


def _content_type(data: bytes) -> bytes | None:
    """The object identifier of a CMS ContentInfo's content type, or None."""
    try:
        oid = _children(data, _node(data, 0))[0]
    except (IndexError, ValueError):
        return None
    return data[oid.start : oid.end] if oid.tag == 0x06 else None


def _encapsulated(data: bytes) -> bytes | None:
    """The eContent of a CMS SignedData: ContentInfo { contentType, [0] SignedData { version,
    digestAlgorithms, encapContentInfo { eContentType, [0] OCTET STRING } … } }; None when
    it is detached or the data is no SignedData."""
    try:
        info = _children(data, _node(data, 0))
        signed = _children(data, _children(data, info[1])[0])
        encapsulated = _children(data, signed[2])
        if len(encapsulated) < 2:
            return None  # detached: the content travels beside the signature
        return _octets(data, _children(data, encapsulated[1])[0])
    except (IndexError, ValueError):
        return None


def _octets(data: bytes, node: _Node) -> bytes:
    """An OCTET STRING's bytes, primitive or (BER) constructed of pieces."""
    if node.tag == 0x04:
        return data[node.start : node.end]
    if node.tag == 0x24:
        return b"".join(_octets(data, child) for child in _children(data, node))
    raise ValueError("not an OCTET STRING")
