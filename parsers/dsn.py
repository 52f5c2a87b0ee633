"""Delivery status notifications (RFC 3464) as (action, recipient) records: from message/delivery-status
parts, or from DSN fields written into a report's text.

Shared by auto.py (a DSN that only reports delivery is a receipt) and bounces.py (who failed).
"""

from __future__ import annotations

import re
from email.message import Message

from postdesk.parsers.autoread import _ADDR_RE, _content_type, _first_word, _part_text, _walk

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
                    try:
                        blocks.append({k.lower(): str(v) for k, v in sub.items()})
                    except Exception:
                        continue
                    # compat32 keeps text after a missing blank line as the block body
                    try:
                        body = sub.get_payload()
                    except Exception:
                        body = None
                    if isinstance(body, str) and body.strip():
                        blocks.extend(_dsn_blocks_from_text(body))
        else:
            blocks = _dsn_blocks_from_text(_part_text(part))
        out.extend(_records_from_blocks(blocks))
    return out


_FAILED_ACTIONS = frozenset({"", "failed", "failure", "fail", "expired", "bounced", "rejected", "undeliverable"})


def _records_from_blocks(blocks: list[dict[str, str]]) -> list[tuple[str, str]]:
    out = []
    for b in blocks:
        addr = ""
        # the original recipient is the address the mail was sent to (and the one a ticket knows); the final
        # one may be where an alias or forward led
        for key in ("original-recipient", "final-recipient", "x-actual-recipient"):
            value = b.get(key, "")
            if ";" in value:
                value = value.split(";", 1)[1]
            m = _ADDR_RE.search(value)
            if m:
                addr = m.group(0)
                break
        if not addr:
            continue
        action = _first_word(b.get("action", ""))
        out.append((action, addr.strip(".").lower()))
    return out
