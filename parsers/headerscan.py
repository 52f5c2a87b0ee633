"""Read one header from the raw header block without parsing the mail: ingress needs it per mail, fast."""

from __future__ import annotations

import re

_HEADER_END = re.compile(rb"\r?\n\r?\n")
_MSGID = re.compile(rb"^message-id:[ \t]*(.*(?:\r?\n[ \t].*)*)", re.I | re.M)
_ID = re.compile(r"<([^<>\s]+)>")


def header_block(raw: bytes) -> bytes:
    m = _HEADER_END.search(raw)
    return raw[: m.start()] if m else raw


def message_id_of(raw: bytes) -> str | None:
    """The Message-ID without angle brackets, or None when absent or empty."""
    m = _MSGID.search(header_block(raw))
    if not m:
        return None
    value = re.sub(r"\s+", " ", m.group(1).decode("utf-8", "replace")).strip()
    found = _ID.search(value)
    ident = found.group(1) if found else value.strip("<> ")
    return ident[:998] or None
