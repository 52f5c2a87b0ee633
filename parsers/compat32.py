"""The two compat32 attributes the parsers read and write directly, named for the type checker.

`email.message.Message` keeps the header pairs as received in `_headers` and the payload before any decoding
in `_payload`. The stdlib has no public accessor for either (get_payload() re-decodes 8-bit text, set_raw
appends one pair per call, Message.get scans every field per call), and its stubs rightly leave private
attributes out. `as_parsed(msg)` is the same object seen through a Protocol that names them, so every use is
checked instead of silenced.
"""

from __future__ import annotations

from email.message import Message
from typing import Protocol, cast

__all__ = ["Parsed", "as_parsed"]


class Parsed(Protocol):
    """A compat32 Message as parsed: (name, value) pairs in arrival order, and a payload that is the body text
    (8-bit bytes as surrogates), the parts of a multipart or message/*, or None before one is set."""

    _headers: list[tuple[str, str]]
    _payload: str | list[Message] | None


def as_parsed(msg: Message) -> Parsed:
    """`msg` itself, typed with its parsed attributes (no copy: assignments go to the message)."""
    return cast(Parsed, msg)
