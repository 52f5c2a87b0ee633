"""Attachment file names as mailers really write them: RFC 2231, RFC 2047 inside quotes, raw 8-bit."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from email.message import Message
from urllib.parse import unquote_to_bytes

from postdesk.parsers.charsets import decode_bytes
from postdesk.parsers.compat32 import header_index
from postdesk.parsers.headers import decode_header_value, raw_in_charset, raw_to_str, unfold

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_QUOTED_PAIR = re.compile(r"\\(.)", re.S)
_PARAM = re.compile(r"""\s*([^\s=;"]+)\s*=\s*("(?:[^"\\]|\\.)*"?|[^;]*)\s*;?""", re.S)
_SECTION = re.compile(r"^(.+?)\*(\d+)(\*?)$")
_EXTENDED = re.compile(r"^([^']*)'([^']*)'(.*)$", re.S)


def _unquote(text: str) -> str:
    text = text.strip()
    if text.startswith('"'):
        body = text[1:-1] if len(text) > 1 and text.endswith('"') else text[1:]
        return _QUOTED_PAIR.sub(r"\1", body)
    return text


def _raw_bytes(text: str) -> bytes:
    return text.encode("utf-8", "surrogateescape")


def _param(header_value: str, key: str, defects: list[str], hint: Callable[[], str | None] | None = None) -> str | None:
    """One parameter of a structured header, RFC 2231 sections and charsets included; None when absent."""
    plain: str | None = None
    sections: dict[int, tuple[bool, str]] = {}
    extended_whole: str | None = None
    rest = header_value.split(";", 1)[1] if ";" in header_value else ""
    for param in _PARAM.finditer(rest):
        name, value = param.group(1).lower(), param.group(2)
        if name == key and plain is None:
            plain = _unquote(value)
        elif name == key + "*":
            extended_whole = _unquote(value)
        else:
            sec = _SECTION.match(name)
            if sec and sec.group(1) == key:
                sections.setdefault(int(sec.group(2)), (bool(sec.group(3)), _unquote(value)))
    if extended_whole is not None:
        sections = {0: (True, extended_whole)}
    if sections:
        charset = None
        data = b""
        for number in sorted(sections):
            extended, value = sections[number]
            if extended:
                if number == sorted(sections)[0]:
                    m = _EXTENDED.match(value)
                    if m:
                        charset, value = m.group(1) or None, m.group(3)
                data += unquote_to_bytes(value.encode("utf-8", "surrogateescape"))  # raw 8-bit stays bytes
            else:
                data += _raw_bytes(value)
        text, defect = decode_bytes(data, charset)
        if defect:
            defects.append("filename " + defect)
        return decode_header_value(text, defects) if "=?" in text else text
    if plain is None:
        return None
    # filename=utf-8''%D0%9F... (the '*' forgotten)
    m = _EXTENDED.match(plain)
    if m and m.group(1) and "%" in m.group(3):
        text, _defect = decode_bytes(unquote_to_bytes(m.group(3)), m.group(1))
        return text
    if hint is not None and not plain.isascii() and (charset := hint()):
        plain = raw_in_charset(plain, charset)  # raw 8-bit: in the charset the same mailer wrote its text in
    text = raw_to_str(plain, defects)
    return decode_header_value(text, defects) if "=?" in text else text


def _raw_header(part: Message, name: str) -> str | None:
    found = header_index(part).get(name)
    if not found:
        return None
    value = found[0][1]
    return unfold(value if isinstance(value, str) else str(value))


# Bidirectional overrides, embeddings, isolates and marks: `invoice<U+202E>fdp.exe` reads as `invoiceexe.pdf`.
_BIDI = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def clean_name(name: str) -> str:
    """The name without control characters, direction controls or surrounding blanks (paths are kept: the
    store sanitizes)."""
    return _BIDI.sub("", _CONTROL.sub("", name)).strip()


def part_filename(part: Message, defects: list[str], hint: Callable[[], str | None] | None = None) -> str:
    """Content-Disposition filename, else Content-Type name; "" when the part names no file. `hint` gives the
    charset the mailer declared for its text, asked only for a raw 8-bit name."""
    for header, key in (("content-disposition", "filename"), ("content-type", "name")):
        raw = _raw_header(part, header)
        if not raw or "=" not in raw or key not in raw.lower():  # no parameter can be the one looked for
            continue
        name = _param(raw, key, defects, hint)
        if name:
            cleaned = clean_name(name)
            if cleaned:
                return cleaned
    return ""


_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"|?*\\/]+')


def safe_filename(name: str, limit: int = 120) -> str:
    """A name to store and show: the last path component only (no `../`, no drive or folder), no control or
    shell-special characters, no leading dots, at most `limit` characters with the extension kept."""
    base = re.split(r"[\\/]", name)[-1]
    # format characters too: U+202E turns `invoice<RLO>fdp.exe` into what reads as `invoiceexe.pdf`
    base = "".join("\x00" if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") else c for c in base)
    base = " ".join(_UNSAFE.sub("_", base).split()).lstrip(". ")
    if len(base) > limit:
        stem, dot, ext = base.rpartition(".")
        base = (stem[:limit - len(ext) - 1] + "." + ext) if dot and len(ext) <= 10 else base[:limit]
    return base or "attachment"
