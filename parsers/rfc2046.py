"""A second reading of mail whose MIME structure is damaged: boundaries as RFC 2046 defines them, in full.

`parse_tree` (fasttree) gives the stdlib's compat32 tree, and the FeedParser is strict in ways that lose
content on damaged mail. When that tree shows a damaged structure (`needs_rereading`), `reread` builds the
tree again by these rules, taken from RFC 2046 section 5.1.1 and from how Stalwart's mail-parser, Go's
mime/multipart and the Ruby mail gem read delimiters:

- a delimiter line is `--boundary` followed by nothing, by `--` (the close delimiter), or by white space and
  then anything (transport padding, and text a gateway appended);
- the boundary parameter is unfolded (`boundary="foo<CRLF> bar"` is `foo bar`, RFC 5322 unfolding);
- the innermost open multipart is asked first: a line that is its delimiter belongs to it even when it also
  reads as an outer one (`a----` inside `a--`); a line that is only an outer multipart's delimiter ends every
  multipart inside it (the inner one lost its close delimiter, and the outer part goes on), where the
  FeedParser asks the outer ones first and Stalwart lets the inner part swallow the rest;
- a multipart that never closes and whose last line carries its close delimiter glued to text
  (`invalid--1--`) ends there (Stalwart's fallback; PHP scripts that forget the line break);
- of two Content-Type fields, a multipart one whose delimiter occurs in the body counts (it explains the
  body), else the last (as Stalwart; the stdlib reads the first);
- an embedded message's header block ends at its enclosing delimiter even without an empty line.

Needed for: stalwart_mail_parser (malformed/005; thirdparty/005, 012), imap_tools (two Content-Types),
tests/parsers/test_rfc2046.py. The nodes are compat32 `Message` objects like the stdlib's, so the body walk
reads them alike.

Limits: a mail read again gets LF line ends in every part (a binary part sent as 8bit loses its CRs), and
a delimiter line with text after its padding is honoured only in a mail read again for another defect (a
mail that looks well formed keeps the stdlib's reading, where that line is text of the part above).
"""

from __future__ import annotations

import bisect
import re
from email import errors
from email.message import Message
from email.parser import HeaderParser
from email.policy import compat32

from postdesk.parsers.compat32 import MAX_NESTING, as_parsed, header_index

__all__ = ["needs_rereading", "reread"]

_STRUCTURE_DEFECTS = frozenset({"StartBoundaryNotFoundDefect", "CloseBoundaryNotFoundDefect",
                                "MultipartInvariantViolationDefect", "NoBoundaryInMultipartDefect"})
_FOLD = re.compile(r"\r?\n")
_HEADERS = HeaderParser(policy=compat32)


def needs_rereading(parts: list[Message]) -> bool:
    """Whether the stdlib's tree (all its parts, as msg.walk() gives them) shows a damaged MIME structure:
    a boundary defect, or a part with two Content-Type fields."""
    for part in parts:
        if part.defects and any(type(d).__name__ in _STRUCTURE_DEFECTS for d in part.defects):
            return True
        if len(header_index(part).get("content-type", ())) > 1:  # the index is read again by auto and filenames
            return True
    return False


def reread(raw: bytes) -> Message:
    """The message tree of `raw` by the rules of the module doc."""
    text = raw.decode("ascii", "surrogateescape")
    if "\r" in text:
        text = text.replace("\r\n", "\n")  # one line end, as the FeedParser's tree has in its payloads
    source = _Source(text)
    source.delimiter_lines = {}
    msg, _ = _entity(source, 0, len(source), (), 0, "text/plain")
    return msg


def _delimiter(text: str, pos: int, boundaries: tuple[str, ...]) -> tuple[int, bool] | None:
    """For a line starting at `pos`: (index into `boundaries` of the innermost one it delimits, is it a
    close delimiter), or None."""
    if not text.startswith("--", pos):
        return None
    for i in range(len(boundaries) - 1, -1, -1):
        b = boundaries[i]
        if text.startswith(b, pos + 2):
            after = pos + 2 + len(b)
            nxt = text[after : after + 1]
            if nxt in ("", "\n", " ", "\t", "\r"):
                return i, False
            if text.startswith("--", after):
                return i, True
    return None


class _Source(str):
    """The mail's text, with the line starts of every delimiter line of each boundary asked for so far.

    Reading a multipart asks for the next delimiter of every enclosing boundary; looking for it line by line
    each time costs the depth times the length of the mail, minutes on a hostile mail of 40,000 nested
    multiparts (issue 15). Each boundary's delimiter lines are found once, by one regex scan, and then
    looked up by bisection.
    """

    delimiter_lines: dict[str, list[int]]


def _delimiter_lines(text: _Source, boundary: str) -> list[int]:
    """The line starts (after a line end) where `--boundary` is followed by white space, `--` or the end."""
    found = text.delimiter_lines.get(boundary)
    if found is None:
        pattern = re.compile("\n--" + re.escape(boundary) + r"(?=--|[\n \t\r]|\Z)")
        found = text.delimiter_lines[boundary] = [m.start() + 1 for m in pattern.finditer(text)]
    return found


def _next_delimiter(text: _Source, pos: int, end: int, boundaries: tuple[str, ...]) -> tuple[int, int, bool]:
    """The first delimiter line at `pos` or at a line start after it (within `end`): (line start, boundary
    index, close); (end, -1, False) when there is none."""
    if not boundaries or pos >= end:
        return end, -1, False
    found = _delimiter(text, pos, boundaries)
    if found is not None:
        return pos, found[0], found[1]
    first = end
    for boundary in set(boundaries):
        lines = _delimiter_lines(text, boundary)
        i = bisect.bisect_right(lines, pos)
        if i < len(lines) and lines[i] < first:
            first = lines[i]
    if first + 2 > end:  # the `--` of the delimiter line lies within the text read
        return end, -1, False
    found = _delimiter(text, first, boundaries)
    return (first, found[0], found[1]) if found is not None else (end, -1, False)


def _line_after(text: str, pos: int, end: int) -> int:
    eol = text.find("\n", pos, end)
    return end if eol < 0 else eol + 1


def _strip_eol(value: str) -> str:
    return value[:-1] if value.endswith("\n") else value


def _boundary(msg: Message) -> str | None:
    value = msg.get_param("boundary")
    if isinstance(value, tuple):  # RFC 2231 form
        value = value[2]
    if not isinstance(value, str):
        return None
    value = _FOLD.sub("", value).rstrip().strip('"')  # a quote left open (`boundary="abc`): bchars have no '"'
    return value or None


def _choose_content_type(msg: Message, text: str, body_start: int, end: int) -> None:
    """Of several Content-Type fields keep one: a multipart one whose delimiter occurs in the body (the
    reading that explains the body; imap_tools `multiple_content_types`), else the last (as Stalwart)."""
    fields = as_parsed(msg)._headers
    types = [f for f in fields if f[0].lower() == "content-type"]
    if len(types) < 2:
        return
    chosen = types[-1]
    for field in types:
        probe = Message(policy=compat32)
        as_parsed(probe)._headers = [field]
        boundary = _boundary(probe) if probe.get_content_maintype() == "multipart" else None
        if boundary and (text.startswith("--" + boundary, body_start)
                         or text.find("\n--" + boundary, body_start, end) >= 0):
            chosen = field
            break
    as_parsed(msg)._headers = [f for f in fields if f[0].lower() != "content-type" or f is chosen]


def _entity(text: _Source, start: int, end: int, boundaries: tuple[str, ...], depth: int,
            default: str) -> tuple[Message, int]:
    """The entity at `start`, read up to the first delimiter of an enclosing multipart (or `end`); returns it
    and where it stopped (the start of that delimiter line, not consumed)."""
    stop, _, _ = _next_delimiter(text, start, end, boundaries)
    blank = text.find("\n\n", start, stop)
    if text.startswith("\n", start):
        head, body_start = "", start + 1
    elif blank < 0:
        head, body_start = text[start:stop], stop  # no empty line before the delimiter: all of it is header
    else:
        head, body_start = text[start : blank + 1], blank + 2
    msg = _HEADERS.parsestr(head) if head else Message(policy=compat32)
    leftover = as_parsed(msg)._payload
    if isinstance(leftover, str) and leftover.strip():  # a line that is no header: the body starts there
        body_start = start + head.find(leftover) if leftover in head else body_start
    as_parsed(msg)._payload = None
    if default != "text/plain":
        msg.set_default_type(default)
    _choose_content_type(msg, text, body_start, end)
    ctype = msg.get_content_type()
    if depth < MAX_NESTING and ctype.startswith("multipart/"):
        boundary = _boundary(msg)
        if boundary is not None:
            return msg, _multipart(msg, text, body_start, end, boundaries, boundary, depth, ctype)
        msg.defects.append(errors.NoBoundaryInMultipartDefect())
    elif depth < MAX_NESTING and ctype == "message/rfc822":
        inner, stop = _entity(text, body_start, end, boundaries, depth + 1, "text/plain")
        as_parsed(msg)._payload = [inner]
        return msg, stop
    as_parsed(msg)._payload = _strip_eol(text[body_start:stop]) if stop < end else text[body_start:stop]
    return msg, stop


def _multipart(msg: Message, text: _Source, start: int, end: int, outer: tuple[str, ...], boundary: str,
               depth: int, ctype: str) -> int:
    """Read the parts of a multipart whose body starts at `start`; returns where the multipart ends."""
    boundaries = (*outer, boundary)
    own = len(boundaries) - 1
    digest = ctype == "multipart/digest"
    at, which, close = _next_delimiter(text, start, end, boundaries)
    if which != own or close:  # no opening delimiter before the end or an outer delimiter
        msg.defects.append(errors.StartBoundaryNotFoundDefect())
        as_parsed(msg)._payload = _strip_eol(text[start:at]) if at < end else text[start:at]
        return at
    if at > start:
        msg.preamble = _strip_eol(text[start:at])
    parts: list[Message] = []
    while True:
        part, at = _entity(text, _line_after(text, at, end), end, boundaries, depth + 1,
                           "message/rfc822" if digest else "text/plain")
        parts.append(part)
        if at >= end:
            msg.defects.append(errors.CloseBoundaryNotFoundDefect())
            _glued_close(part, boundary, msg)
            break
        found = _delimiter(text, at, boundaries)
        if found is None or found[0] != own:
            msg.defects.append(errors.CloseBoundaryNotFoundDefect())  # an outer delimiter ends this one
            break
        if found[1]:
            after = _line_after(text, at, end)
            stop, _, _ = _next_delimiter(text, after, end, outer)
            msg.epilogue = _strip_eol(text[after:stop]) if stop < end else text[after:stop]
            at = stop
            break
    as_parsed(msg)._payload = parts
    return at


def _glued_close(part: Message, boundary: str, msg: Message) -> None:
    """A last part that holds `--boundary--` glued to the end of a line: the part ends there."""
    payload = as_parsed(part)._payload
    if not isinstance(payload, str):
        return
    close = "--" + boundary + "--"
    at = payload.rfind(close)
    if at > 0 and payload[at - 1] != "\n" and not payload[at + len(close) :].strip():
        as_parsed(part)._payload = payload[:at]
        msg.epilogue = ""
