"""The two compat32 attributes the parsers read and write directly, named for the type checker.

`email.message.Message` keeps the header pairs as received in `_headers` and the payload before any decoding
in `_payload`. The stdlib has no public accessor for either (get_payload() re-decodes 8-bit text, set_raw
appends one pair per call, Message.get scans every field per call), and its stubs rightly leave private
attributes out. `as_parsed(msg)` is the same object seen through a Protocol that names them, so every use is
checked instead of silenced.
"""

from __future__ import annotations

import email.message
from email.message import Message
from typing import Protocol

__all__ = ["MAX_NESTING", "Parsed", "as_parsed", "content_type", "header_index", "walk_parts"]

# How deep a tree of parts is read: deeper parts stay unread text (a leaf). Real mail nests a few levels; a
# hostile one nests tens of thousands, and every recursive reader (the stdlib's FeedParser and walk(), the
# flattening of an attached message) would exhaust the stack on it (issue 15).
MAX_NESTING = 40


class Parsed(Protocol):
    """A compat32 Message as parsed: (name, value) pairs in arrival order, and a payload that is the body text
    (8-bit bytes as surrogates), the parts of a multipart or message/*, or None before one is set."""

    _headers: list[tuple[str, str]]
    _payload: str | list[Message] | None


def as_parsed(msg: Message) -> Parsed:
    """`msg` itself, typed with its parsed attributes (no copy: assignments go to the message)."""
    return msg  # type: ignore[return-value]  # cast() would be a second call on a path taken ~17 times a mail


def content_type(part: Message) -> str:
    """part.get_content_type(), computed once per part: the body walk and the automatic-mail rules ask for
    the same parts' types many times, and the stdlib parses the Content-Type field on every call."""
    cached: str | None = part.__dict__.get("_postdesk_ctype")
    if cached is None:
        cached = part.__dict__["_postdesk_ctype"] = part.get_content_type()
    return cached


def header_index(msg: Message) -> dict[str, list[tuple[str, str]]]:
    """The header pairs by lower-cased name, built once per part: Message.get scans every header per call,
    and the automatic-mail rules and the file-name reader ask for dozens."""
    idx: dict[str, list[tuple[str, str]]] | None = msg.__dict__.get("_postdesk_index")
    if idx is None:
        idx = {}
        for k, v in as_parsed(msg)._headers:
            idx.setdefault(k.lower(), []).append((k, v))
        msg.__dict__["_postdesk_index"] = idx
    return idx


def walk_parts(msg: Message) -> list[Message] | None:
    """The parts of the tree in msg.walk()'s order (the message first, then depth first), or None when they
    nest deeper than MAX_NESTING levels; without recursion, so a tree of any depth is safe to ask."""
    out: list[Message] = []
    stack: list[tuple[Message, int]] = [(msg, 0)]
    while stack:
        part, depth = stack.pop()
        if depth > MAX_NESTING:
            return None
        out.append(part)
        payload = as_parsed(part)._payload
        if isinstance(payload, list):
            stack.extend((sub, depth + 1) for sub in reversed(payload))
    return out


def parse_params(value: object) -> list[str]:
    """The stdlib's `email.message._parseparam` (a header value's `;`-separated parameters, `;` inside quotes
    kept), in one pass. The stdlib counts the quotes from the value's start again at every `;` inside a quoted
    parameter: a Content-Type holding 80,000 of them took 3.6 s in every get_param and get_content_charset."""
    s = ";" + str(value)
    params: list[str] = []
    start = 0
    while s.startswith(";", start):
        begin, counted, quotes = start + 1, start + 1, 0
        end = s.find(";", begin)
        while end > begin:  # a `;` inside quotes (an odd count before it, escaped quotes not counted) goes on
            quotes += s.count('"', counted, end) - s.count('\\"', counted, end)  # a `;` splits no `\"`
            counted = end
            if quotes % 2 == 0:
                break
            end = s.find(";", end + 1)
        if end < 0:
            end = len(s)
        param = s[begin:end]
        if "=" in param:
            i = param.index("=")
            param = param[:i].strip().lower() + "=" + param[i + 1:].strip()
        params.append(param.strip())
        start = end
    return params


# Every parameter read of the stdlib's Message (get_param, get_params, get_content_charset, get_filename,
# get_boundary) goes through this one module function: the same parameters, in linear time, for every reader.
email.message._parseparam = parse_params  # type: ignore[attr-defined]
