"""Apple double (RFC 1740): one file, not two.

`multipart/appledouble` holds the AppleDouble header (`application/applefile`: Finder info and the resource
fork) and the file itself (the data fork); both carry the file's name, and a mail reader shows one file. The
header part goes from the tree before the body is chosen, the data part stays. An `application/applefile` on
its own (AppleSingle) is the whole file and stays, as does a header part with no data part beside it.

A uuencoded file inside a text/plain body is not taken out here (nor anywhere): stalwart (legacy/049) and
zammad (mail025) keep it as body text, as Python and the mail libraries do.
"""

from __future__ import annotations

from email.message import Message

from postdesk.parsers.compat32 import as_parsed, walk_parts
from postdesk.parsers.compat32 import content_type as _content_type


def _header_dropped(part: Message) -> bool:
    payload = as_parsed(part)._payload
    if not isinstance(payload, list) or len(payload) < 2 or _content_type(part) != "multipart/appledouble":
        return False
    kept = [p for p in payload if _content_type(p) != "application/applefile"]
    if not kept or len(kept) == len(payload):
        return False
    as_parsed(part)._payload = kept
    return True


def drop_applefile_headers(msg: Message, parts: list[Message], defects: list[str]) -> list[Message]:
    """The parts again after the AppleDouble header parts left the tree (mime.py asks only for a tree of four
    parts or more; the types are cached, and the body walk asks for them again)."""
    dropped = [part for part in parts if _header_dropped(part)]  # every appledouble part, not just the first
    if not dropped:
        return parts
    defects.append("mime: AppleDouble header part (resource fork) dropped")
    return walk_parts(msg) or [msg]
