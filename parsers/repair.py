"""Mend a broken header block (junk first line, unindented continuations, `Name :`) before a second parse.

A header line whose name is damaged (`X Mailer: …`, a name with a tab or punctuation the RFC forbids) ends
the header block for the stdlib's FeedParser, and the rest of the headers — Content-Type included — become
body. Go's net/textproto and the Ruby mail gem read on instead. Here such a line keeps its value under a
mended name (blanks turned into '-') as long as the lines after it, up to the first empty line, are header
fields or continuations too; otherwise it is the first line of a body that came without an empty line.
Needed for: letters_go (55 mails with `X-Script/function/<tab> !"#…: TEST`), tests/mail (an antivirus
gateway's colon-less stamp, read as a lost-indentation continuation when known headers follow).
"""

from __future__ import annotations

import re

_HEADER_LINE = re.compile(rb"^([!-9;-~]+)[ \t]*:")
_KNOWN = re.compile(
    rb"^(from|to|cc|subject|date|message-id|received|return-path|reply-to|mime-version|content-[a-z-]+|"
    rb"in-reply-to|references|x-[!-9;-~]+|delivered-to|sender|thread-[a-z]+)[ \t]*:", re.I)
# a field whose name has blanks or other damage: printable start, no colon before the one that ends the name
_DAMAGED = re.compile(rb"^[!-9;-~][^:\r\n]{0,200}:")
_BLANKS = re.compile(rb"[ \t]+")
_LINE_END = re.compile(rb"\r?\n")
_LONE_CR = re.compile(rb"\r(?!\n)")
# "Content-Type: multipart/mixed<fold>boundary=..." with the semicolon forgotten
_BOUNDARY_WITHOUT_SEMICOLON = re.compile(
    rb"(^content-type:[ \t]*multipart/[\w.+-]+)((?:[ \t]|\r?\n[ \t])+boundary[ \t]*=)", re.I | re.M)


def repair_boundary_parameter(raw: bytes) -> bytes | None:
    """The mail with the missing ';' before a multipart boundary parameter put back, or None if none is missing."""
    fixed, count = _BOUNDARY_WITHOUT_SEMICOLON.subn(rb"\1;\2", raw)
    return fixed if count else None


def repair_header_block(raw: bytes) -> bytes | None:
    """The mail with its header block mended, or None when there is nothing sensible to mend."""
    m = re.search(rb"\r?\n\r?\n", raw)
    head, tail = (raw[: m.start()], raw[m.start():]) if m else (raw, b"")
    nl = b"\r\n" if b"\r\n" in head[:2000] else b"\n"
    lone_cr = b"\n" in head and head.count(b"\r") != head.count(b"\r\n")
    if lone_cr:  # RFC 5322 ends a line only at CRLF (or LF): a lone CR inside a field is a blank, not a line end
        head = _LONE_CR.sub(b" ", head)
    lines = _LINE_END.split(head)
    known_after = [False] * (len(lines) + 1)
    fields_after = [True] * (len(lines) + 1)  # every line from here on is a field (maybe damaged) or a fold
    for i in range(len(lines) - 1, -1, -1):
        known_after[i] = known_after[i + 1] or bool(_KNOWN.match(lines[i]))
        fields_after[i] = fields_after[i + 1] and (lines[i][:1] in (b" ", b"\t") or bool(_DAMAGED.match(lines[i])))
    out: list[bytes] = []
    changed = lone_cr
    for i, line in enumerate(lines):
        hm = _HEADER_LINE.match(line)
        if hm:
            fixed = hm.group(1) + b":" + line[hm.end():]
            changed |= fixed != line
            out.append(fixed)
        elif line[:1] in (b" ", b"\t") or (i == 0 and line.startswith(b"From ")):
            out.append(line)
        elif out and fields_after[i] and (dm := _DAMAGED.match(line)):
            name = _BLANKS.sub(b"-", dm.group()[:-1].strip())  # "X Mailer" -> "X-Mailer"
            out.append(name + b":" + line[dm.end():])
            changed = True
        elif not known_after[i + 1]:
            # the header block really ends here: the body follows without a blank line
            if not changed:
                return None
            return nl.join(out) + nl + nl + nl.join(lines[i:]) + tail
        elif not any(_HEADER_LINE.match(x) for x in out):
            changed = True  # junk before the first header (e.g. "---- Original message ----"): drop it
        else:
            out.append(b" " + line)  # a continuation line that lost its indentation
            changed = True
    return nl.join(out) + tail if changed else None
