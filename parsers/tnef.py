"""Unpack Outlook's winmail.dat (application/ms-tnef): its body and files would otherwise be invisible."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from postdesk.parsers.charsets import decode_bytes

logging.getLogger("tnefparse").setLevel(logging.CRITICAL)


@dataclass(frozen=True, slots=True)
class TnefContent:
    """What a winmail.dat carries: plain and HTML body (either may be empty) and (name, bytes) files."""

    text: str
    html: str
    files: tuple[tuple[str, bytes], ...]


def _as_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip("\x00")
    if isinstance(value, bytes):
        text, _defect = decode_bytes(value.rstrip(b"\x00"), None)
        return text
    return str(value)


def unpack_tnef(data: bytes) -> TnefContent | None:
    """Body and attachments of a TNEF blob, or None when it is not TNEF, cannot be read or yields nothing (a
    winmail.dat with only a signature and garbage, or an RTF body we do not read: the caller keeps it as a file)."""
    try:
        from tnefparse import TNEF

        tnef = TNEF(data, do_checksum=False)
    except Exception:  # tnefparse raises many kinds of errors on damaged data
        return None
    files: list[tuple[str, bytes]] = []
    for att in tnef.attachments:
        try:
            name = _as_text(att.long_filename()) or _as_text(att.name)
        except Exception:  # a name in an odd code page should not cost us the file
            name = ""
        payload = att.data if isinstance(att.data, bytes) else _as_text(att.data).encode()
        files.append((name, payload))
    try:
        text = _as_text(tnef.body)
        html = _as_text(tnef.htmlbody)
    except Exception:  # undecodable body: keep the files
        text = html = ""
    if not files and not text.strip() and not html.strip():  # nothing read from it: keep the file, lose nothing
        return None
    return TnefContent(text=text, html=html, files=tuple(files))
