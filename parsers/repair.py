"""Mend a broken header block (junk first line, unindented continuations, `Name :`) before a second parse."""

from __future__ import annotations

import re

_HEADER_LINE = re.compile(rb"^([!-9;-~]+)[ \t]*:")
_KNOWN = re.compile(
    rb"^(from|to|cc|subject|date|message-id|received|return-path|reply-to|mime-version|content-[a-z-]+|"
    rb"in-reply-to|references|x-[!-9;-~]+|delivered-to|sender|thread-[a-z]+)[ \t]*:", re.I)
_LINE_END = re.compile(rb"\r?\n")
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
    lines = _LINE_END.split(head)
    known_after = [False] * (len(lines) + 1)
    for i in range(len(lines) - 1, -1, -1):
        known_after[i] = known_after[i + 1] or bool(_KNOWN.match(lines[i]))
    out: list[bytes] = []
    changed = False
    for i, line in enumerate(lines):
        hm = _HEADER_LINE.match(line)
        if hm:
            fixed = hm.group(1) + b":" + line[hm.end():]
            changed |= fixed != line
            out.append(fixed)
        elif line[:1] in (b" ", b"\t") or (i == 0 and line.startswith(b"From ")):
            out.append(line)
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
