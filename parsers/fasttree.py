"""The compat32 Message tree of a mail, built without the stdlib's line-by-line FeedParser.

`parse_tree(raw)` returns exactly what `BytesParser(policy=compat32).parsebytes(raw)` returns: the same
`email.message.Message` objects with the same `_headers` pairs, `_payload` strings and lists, preamble,
epilogue and default types. The FeedParser reads a mail one line at a time through a stack of
"is this a boundary?" predicates and compiles a fresh regex for every boundary; here the header block and
every multipart body are cut with `str.find` instead, about five times faster. Only mail whose FeedParser
result is certain is built this way (a missing close delimiter included: the same parts and defect); for
anything else unusual (a lone CR, a header block broken off by a stray line, a multipart without a usable
first boundary, repeated boundary lines, deep nesting) the FeedParser itself parses the mail.
tests/parsers/test_fasttree.py compares the two trees on the test, shared, generated and random corpora.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email import errors
from email.message import Message
from email.parser import BytesParser
from email.policy import compat32
from itertools import pairwise

from postdesk.parsers.compat32 import MAX_NESTING, as_parsed

__all__ = ["fast_tree", "parse_tree"]

# One header field: name (the FeedParser's ftext, at least one character), colon, value with its folded
# continuation lines. `value.lstrip(" \t")` of compat32's header_source_parse is the `[ \t]*+` after the colon.
# Possessive throughout: a block that is not all fields fails at once instead of retrying every way to split
# blanks between `[ \t]*` and the value (exponential in the number of fields).
_FIELD = r"([\x21-\x39\x3b-\x7e]++):[ \t]*+([^\n]*+\n(?:[ \t][^\n]*+\n)*+)"
_FIELDS = re.compile(_FIELD)
_FIELD_BLOCK = re.compile(f"(?:{_FIELD})*+")  # a header block that is nothing but fields
_WHITESPACE = " \t"
_BLANK_LINE = re.compile(r"\n\r?\n")  # a line end followed by an empty line


@dataclass(frozen=True, slots=True)
class _BoundaryLine:
    """A line the FeedParser takes for a boundary: where it starts, where the next line starts, and whether it
    is the close delimiter (`--boundary--`)."""

    start: int
    after: int
    close: bool


class _NeedsFeedParser(Exception):
    """The mail is unusual in a way this module does not reproduce: let the FeedParser read it."""


def parse_tree(raw: bytes) -> Message:
    """The compat32 message tree of `raw`, identical to BytesParser(policy=compat32).parsebytes(raw)."""
    text = raw.decode("ascii", "surrogateescape")
    tree = fast_tree(text)
    return tree if tree is not None else BytesParser(policy=compat32).parsebytes(raw)


def fast_tree(text: str) -> Message | None:
    """The tree built by string search, or None when the mail needs the FeedParser (see the module doc)."""
    if "\r" in text and text.count("\r") != text.count("\r\n"):
        return None  # a lone CR is a line end of its own for the FeedParser
    try:
        msg, _last = _message(text, 0, len(text), False, 0)
    except (_NeedsFeedParser, RecursionError):
        return None
    return msg


def _strip_eol(value: str) -> str:
    """One trailing line ending removed: RFC 2046 gives the line break before a boundary to the boundary."""
    if value.endswith("\n"):
        return value[:-2] if value.endswith("\r\n") else value[:-1]
    return value


def _next_blank(text: str, pos: int, end: int) -> int:
    """Where the next empty line at or after the line start `pos` begins; `end` when there is none."""
    if text.startswith("\n", pos, end) or text.startswith("\r\n", pos, end):
        return pos
    m = _BLANK_LINE.search(text, pos, end)  # one pass that stops at the first one, whatever the line ends
    return end if m is None else m.start() + 1


def _line_after(text: str, pos: int, end: int) -> int:
    """The start of the line after the one at `pos` (`end` for the last line)."""
    eol = text.find("\n", pos, end)
    return end if eol < 0 else eol + 1


def _headers(msg: Message, text: str, start: int, end: int) -> int:
    """Read the header block at `start` into `msg` (and its mbox "From " line); return where the body begins."""
    if text.startswith("From ", start, end):  # an mbox envelope line, only as the very first line
        envelope_end = _line_after(text, start, end)
        if text[envelope_end - 1] != "\n":
            raise _NeedsFeedParser
        msg.set_unixfrom(_strip_eol(text[start:envelope_end]))
        start = envelope_end
    head_end = _next_blank(text, start, end)
    body_start = head_end if head_end == end else _line_after(text, head_end, end)
    if head_end > start and text[head_end - 1] != "\n":
        raise _NeedsFeedParser  # the last header line has no line end: only at the very end of a mail
    if not _FIELD_BLOCK.fullmatch(text, start, head_end):
        raise _NeedsFeedParser  # a line that is neither a field nor a continuation ends the headers early
    # set_raw would append the pairs one call at a time
    as_parsed(msg)._headers = [(name, value.rstrip("\r\n")) for name, value in _FIELDS.findall(text, start, head_end)]
    return body_start


def _content_type(msg: Message) -> str:
    """msg.get_content_type() read straight from the parsed fields (the stdlib scans them once per call)."""
    for name, value in as_parsed(msg)._headers:
        if name.lower() == "content-type":
            if not value.isascii():  # 8-bit bytes: compat32 hands the value over as a Header object
                return msg.get_content_type()
            ctype = value.partition(";")[0].strip().lower()
            return ctype if ctype.count("/") == 1 else "text/plain"
    return msg.get_default_type()


def _message(text: str, start: int, end: int, in_digest: bool, depth: int) -> tuple[Message, Message]:
    """The message in text[start:end] and the message the FeedParser would have touched last in it.

    The last one matters: the FeedParser strips the line end before a boundary from *its* payload (or
    epilogue), which for an attached message is the innermost, last part.
    """
    if depth > MAX_NESTING:
        raise _NeedsFeedParser  # the FeedParser builds it, and mime.py reads it again to a bounded depth
    msg = Message(policy=compat32)
    if in_digest:
        msg.set_default_type("message/rfc822")
    body_start = _headers(msg, text, start, end)
    ctype = _content_type(msg)
    maintype = ctype.partition("/")[0]
    if ctype == "message/delivery-status":
        return msg, _delivery_status(msg, text, body_start, end, depth)
    if maintype == "message":
        inner, last = _message(text, body_start, end, False, depth + 1)
        as_parsed(msg)._payload = [inner]
        return msg, last
    if maintype == "multipart":
        _multipart(msg, text, body_start, end, ctype == "multipart/digest", depth)
        return msg, msg
    as_parsed(msg)._payload = text[body_start:end]
    return msg, msg


def _delivery_status(msg: Message, text: str, start: int, end: int, depth: int) -> Message:
    """The blocks of header fields of a delivery-status body, one message each; returns the last block."""
    blocks: list[Message] = []
    pos = start
    while True:
        blank = _next_blank(text, pos, end)  # an empty line ends a block as a boundary would
        block, last = _message(text, pos, blank, False, depth + 1)
        blocks.append(block)
        pos = _line_after(text, blank, end)  # the empty line is consumed
        if pos >= end:
            as_parsed(msg)._payload = blocks
            return last


def _boundary_lines(text: str, separator: str, start: int, end: int) -> list[_BoundaryLine]:
    """Every line in text[start:end] that the FeedParser's boundary regex `--boundary(--)?[ \\t]*(linesep)?$`
    matches, found with str.find instead of a regex compiled for this one boundary."""
    found: list[_BoundaryLine] = []
    size = len(separator)
    pos = text.find(separator, start, end)
    while pos >= 0:
        if pos == start or text[pos - 1] == "\n":
            eol = text.find("\n", pos + size, end)
            after = end if eol < 0 else eol + 1
            rest = text[pos + size : after].rstrip("\r\n")
            close = rest.startswith("--")
            if not (rest[2:] if close else rest).strip(_WHITESPACE):
                found.append(_BoundaryLine(pos, after, close))
            pos = text.find(separator, after, end)
        else:
            pos = text.find(separator, pos + 1, end)
    return found


def _strip_before_boundary(last: Message) -> None:
    """Give the line end before a boundary to the boundary, taking it from the part read last (a leaf, or
    a multipart, which is the only kind of part _message returns with a list payload)."""
    parsed = as_parsed(last)
    if isinstance(parsed._payload, list):
        last.epilogue = _strip_eol(last.epilogue) if last.epilogue else None
    elif isinstance(parsed._payload, str):
        parsed._payload = _strip_eol(parsed._payload)


def _boundary(msg: Message) -> str | None:
    """msg.get_boundary(), read directly when the Content-Type value is plain (ASCII; no backslash, angle
    bracket, RFC 2231 `*` or quote inside a quoted value): the stdlib parses, unquotes, re-quotes and
    unquotes every parameter for it."""
    value = next((v for k, v in as_parsed(msg)._headers if k.lower() == "content-type"), None)
    if value is None or not value.isascii() or any(c in value for c in '\\<>*'):
        return msg.get_boundary()
    segments = value.split(";")
    if "=" in segments[0] or '"' in segments[0]:
        return msg.get_boundary()
    for segment in segments:
        name, _, param = segment.partition("=")
        param = param.strip()
        if '"' in segment and not (len(param) > 1 and param[0] == param[-1] == '"' and segment.count('"') == 2):
            return msg.get_boundary()
        if name.strip().lower() == "boundary":  # the type itself and bare words count as parameters too
            return param[1:-1].rstrip() if param.startswith('"') else param.rstrip()
    return None


def _multipart(msg: Message, text: str, start: int, end: int, digest: bool, depth: int) -> None:
    """Parts, preamble and epilogue of a multipart whose body is text[start:end]."""
    boundary = _boundary(msg)
    if boundary is None:
        raise _NeedsFeedParser  # NoBoundaryInMultipartDefect
    if "\n" in boundary or "\r" in boundary:
        raise _NeedsFeedParser  # a folded boundary parameter never matches a line
    if str(msg.get("content-transfer-encoding", "8bit")).lower() not in ("7bit", "8bit", "binary"):
        raise _NeedsFeedParser  # InvalidMultipartContentTransferEncodingDefect
    lines = _boundary_lines(text, "--" + boundary, start, end)
    if not lines or lines[0].close:
        raise _NeedsFeedParser  # StartBoundaryNotFoundDefect
    if lines[0].start > start:
        msg.preamble = _strip_eol(text[start : lines[0].start])
    parts: list[Message] = []
    for line, following in pairwise(lines):
        if following.start == line.after:
            raise _NeedsFeedParser  # boundary lines in a row: the FeedParser skips them, even a close one
        part, last = _message(text, line.after, following.start, digest, depth + 1)
        _strip_before_boundary(last)
        parts.append(part)
        if following.close:
            as_parsed(msg)._payload = parts
            msg.epilogue = text[following.after : end]
            return
    if lines[-1].after >= end:
        raise _NeedsFeedParser  # a boundary line at the very end: the FeedParser pushes back an empty line
    part, last = _message(text, lines[-1].after, end, digest, depth + 1)
    _strip_before_boundary(last)
    parts.append(part)
    as_parsed(msg)._payload = parts
    msg.defects.append(errors.CloseBoundaryNotFoundDefect())  # the FeedParser reports the same and keeps the parts
