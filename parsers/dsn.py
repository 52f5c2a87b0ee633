"""Delivery status notifications (RFC 3464) as (action, recipient) records: from message/delivery-status
parts, or from DSN fields written into a report's text.

Shared by auto.py (a DSN that only reports delivery is a receipt) and bounces.py (who failed).
"""

from __future__ import annotations

import re
from email.message import Message

from postdesk.parsers.autoread import _ADDR_RE, _content_type, _first_word, _hides_control, _part_text, _walk
from postdesk.parsers.compat32 import as_parsed

_DSN_FIELD_RE = re.compile(r"^([A-Za-z][A-Za-z0-9-]*)\s*:\s*(.*)$")


def _dsn_blocks_from_text(text: str) -> list[dict[str, str]]:
    """Split DSN-like text into blank-line separated field blocks (folded lines joined)."""
    blocks: list[dict[str, str]] = []
    cur: dict[str, str] = {}
    last = None
    for line in text.replace("\r\n", "\n").split("\n"):
        if not line.strip():
            if cur:
                blocks.append(cur)
                cur, last = {}, None
            continue
        if line[0] in " \t" and last:
            cur[last] += " " + line.strip()
            continue
        m = _DSN_FIELD_RE.match(line.strip())
        if m:
            last = m.group(1).lower()
            cur.setdefault(last, m.group(2).strip())
        else:
            last = None
    if cur:
        blocks.append(cur)
    return blocks


def _dsn_records(msg: Message) -> list[tuple[str, str]]:
    """(action, recipient) per recipient block of every delivery-status part, in order."""
    out: list[tuple[str, str]] = []
    for part in _walk(msg):
        if _content_type(part) not in ("message/delivery-status", "message/global-delivery-status"):
            continue
        blocks: list[dict[str, str]] = []
        try:
            payload = part.get_payload()
        except Exception:
            payload = None
        if isinstance(payload, list):
            for sub in payload:
                if isinstance(sub, Message):
                    # the fields as received: get_payload() and items() would replace the 8-bit UTF-8 of a
                    # message/global-delivery-status with U+FFFD
                    try:
                        blocks.append({k.lower(): _raw_utf8(str(v)) for k, v in as_parsed(sub)._headers})
                    except Exception:
                        continue
                    # compat32 keeps text after a missing blank line as the block body
                    body = as_parsed(sub)._payload
                    if isinstance(body, str) and body.strip():
                        blocks.extend(_dsn_blocks_from_text(_raw_utf8(body)))
        else:
            blocks = _dsn_blocks_from_text(_part_text(part))
        out.extend(_records_from_blocks(blocks))
    return out


_SURROGATE_RE = re.compile("[\udc80-\udcff]")


def _raw_utf8(text: str) -> str:
    """Text the parser kept as raw bytes (surrogate escapes) read as UTF-8: message/global-delivery-status
    writes a `utf-8;` address unencoded (RFC 6533)."""
    if text.isascii() or _SURROGATE_RE.search(text) is None:  # the common case, without a loop in Python
        return text
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


# RFC 6533's utf-8-addr-xtext: a non-ASCII character of a `utf-8;` address written as \x{HEX}
_XTEXT_UNICODE_RE = re.compile(r"\\x\{([0-9A-Fa-f]{1,6})\}")

# What may stand beside the address in a recipient field: blanks, angle brackets or quotes, a trailing comment,
# a stray ";" or "," where a report's text writes the fields inline.
_BESIDE_RE = re.compile(r"[\s<>\"';,.]*(?:\([^()]*\))?[\s<>\"';,.]*")


def _field_address(value: str) -> str:
    """The address a DSN recipient field names, or '' when the field holds anything else around it: an
    encoded line break (`x+0D+0ABcc:+20victim@…` in xtext, an RFC 2047 word) must not leave a piece of
    itself that looks like an address."""
    if ";" in value:
        value = value.split(";", 1)[1]
    if "\\x{" in value:
        value = _XTEXT_UNICODE_RE.sub(lambda m: chr(min(int(m.group(1), 16), 0x10FFFF)), value)
    m = _ADDR_RE.search(value) if "@" in value else None  # most blocks lack one of the three fields
    if m is None or _hides_control(value):
        return ""
    beside = value[:m.start()] + " " + value[m.end():]
    if not beside.isspace() and not _BESIDE_RE.fullmatch(beside):  # isspace: the usual bare address, no regex
        return ""
    return m.group(0)


_FAILED_ACTIONS = frozenset({"", "failed", "failure", "fail", "expired", "bounced", "rejected", "undeliverable"})


def _records_from_blocks(blocks: list[dict[str, str]]) -> list[tuple[str, str]]:
    out = []
    for b in blocks:
        addr = ""
        # the original recipient is the address the mail was sent to (and the one a ticket knows); the final
        # one may be where an alias or forward led
        for key in ("original-recipient", "final-recipient", "x-actual-recipient"):
            addr = _field_address(b.get(key, ""))
            if addr:
                break
        if not addr:
            continue
        action = _first_word(b.get("action", ""))
        out.append((action, addr.strip(".").lower()))
    return out
