"""The bytes and the text of one MIME part: transfer encodings that survive damage, and the charset it
declares or inherits.

Split from mime.py: body choice, attachments and the report reader all need a part's bytes, and reading them
tolerantly is one idea of its own.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import re
from email.message import Message
from functools import lru_cache

from postdesk.parsers.charsets import decode_bytes
from postdesk.parsers.compat32 import as_parsed, walk_parts
from postdesk.parsers.compat32 import content_type as _content_type
from postdesk.parsers.flatten import message_bytes

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")  # NUL and bells break databases and terminals
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_:.-]+)""", re.I)
_B64_JUNK = re.compile(rb"[^A-Za-z0-9+/]")
_KNOWN_CTE = frozenset({"7bit", "8bit", "binary", "base64", "quoted-printable"})
_CTE_SPELLINGS = {"base64": "base64", "quotedprintable": "quoted-printable", "qp": "quoted-printable"}
_NOT_LETTER = re.compile(r"[^a-z0-9]")
_COMMENT = re.compile(r"\([^()]*\)")
# `=` and blanks at a line's end: RFC 2045 6.7 (3) has a decoder delete the blanks transport added, which leaves
# a soft line break; binascii keeps the `=` and the line break
_SOFT_BREAK_BLANKS = re.compile(r"=[ \t]+(?=\r?\n|$)", re.M)


@lru_cache(maxsize=1024)
def _charset_param(content_type: str | None) -> str | None:
    """get_content_charset() of a part with this Content-Type value; memoized, as mail repeats a few values
    and the stdlib parses every parameter of the header for it."""
    probe = Message()
    if content_type is not None:
        probe.set_raw("Content-Type", content_type)
    try:
        return probe.get_content_charset()
    except Exception:  # a garbled charset parameter counts as none
        return None



def _normalize_cte(part: Message) -> None:
    """Trim and lower-case Content-Transfer-Encoding so that "base64 " or "Quoted-Printable\t" still decodes."""
    cte = part.get("content-transfer-encoding")
    if isinstance(cte, str):
        # a structured field (RFC 2045 section 6.1 via RFC 822): `BASE64 (encoded by gateway)` is base64
        clean = (_COMMENT.sub("", cte) if "(" in cte else cte).strip().lower()
        if clean not in _KNOWN_CTE:  # `base-64`, `Quoted_Printable`: the words of a known encoding, misspelt
            clean = _CTE_SPELLINGS.get(_NOT_LETTER.sub("", clean), clean)
        if clean != cte:
            part.replace_header("content-transfer-encoding", clean)
            part.__dict__.pop("_postdesk_index", None)  # compat32.header_index: the part changed


def payload(part: Message, defects: list[str]) -> bytes:
    """The decoded bytes of a leaf; an embedded message as it would be written to a file."""
    _normalize_cte(part)
    try:
        if part.is_multipart() and _content_type(part).startswith("multipart/"):
            return b""
        if part.is_multipart():
            return b"".join(message_bytes(sub) for sub in part.get_payload() if isinstance(sub, Message))
        raw = raw_payload(part)
        cte = part.get("content-transfer-encoding")
        if cte == "base64" and isinstance(raw, str):
            return _base64(raw, _content_type(part), defects)
        if cte == "quoted-printable" and isinstance(raw, str) and (
                "= " in raw or "=\t" in raw) and _SOFT_BREAK_BLANKS.search(raw):  # substring first: cheaper
            return _quoted_printable(raw)
        data = part.get_payload(decode=True)
    except Exception as exc:  # damaged transfer encoding or an unserializable embedded message
        defects.append(f"mime: undecodable part {_content_type(part)} ({type(exc).__name__})")
        return b""
    return data if isinstance(data, bytes) else b""


def _quoted_printable(raw: str) -> bytes:
    """QP whose soft line breaks have blanks after the `=`: the blanks dropped, then decoded as the stdlib does."""
    text = _SOFT_BREAK_BLANKS.sub("=", raw)
    try:
        data = text.encode("ascii", "surrogateescape")
    except UnicodeEncodeError:  # a part built from text, as get_payload() reads it
        data = text.encode("raw-unicode-escape")
    return binascii.a2b_qp(data)


def raw_payload(part: Message) -> str | list[Message] | None:
    """The payload as parsed (8-bit bytes as surrogates); get_payload() would re-decode it with the charset."""
    return as_parsed(part)._payload  # compat32 has no public accessor for the undecoded payload


def _base64(text: str, ctype: str, defects: list[str]) -> bytes:
    """Base64 that survives junk: stray characters are dropped rather than the whole part kept undecoded."""
    data = b"".join(text.encode("ascii", "surrogateescape").split())
    with contextlib.suppress(binascii.Error, ValueError):
        return base64.b64decode(data + b"=" * (-len(data) % 4), validate=True)
    defects.append(f"mime: damaged base64 in {ctype}")
    clean = _B64_JUNK.sub(b"", data.split(b"=", 1)[0])  # padding ends the data; anything after it is junk
    if len(clean) % 4 == 1:
        clean = clean[:-1]
    return base64.b64decode(clean + b"=" * (-len(clean) % 4))


_FLOWED = re.compile(r"format\s*=\s*\"?flowed", re.I)
_DELSP = re.compile(r"delsp\s*=\s*\"?yes", re.I)


def unflow(text: str, delsp: bool) -> str:
    """RFC 3676: a line ending in a space continues on the next line of the same quote depth (the space dropped
    too when delsp=yes, the sender added it to a word it split); the space a sender stuffed before a line is
    removed where lines are joined. A soft line never swallows an empty line, so paragraphs stay paragraphs,
    and lines that join nothing are kept as they came."""
    lines = text.split("\n")
    out: list[str] = []
    joined: list[str] = []  # the paragraph being joined: its pieces, its first line's prefix and quote depth
    head, depth = "", -1
    for line in lines:
        quote = len(line) - len(line.lstrip(">"))
        body = line[quote:]
        stuffed = body[1:] if body.startswith(" ") else body
        if joined and quote == depth and stuffed and stuffed != "-- ":
            joined.append(stuffed)
        else:
            if joined:
                out.append(head + "".join(joined))
                joined = []
            if line.endswith(" ") and stuffed.rstrip(" ") and stuffed != "-- ":
                head, depth = line[: quote + (len(body) - len(stuffed))], quote
                joined = [stuffed]
            else:
                out.append(line)
                continue
        if not stuffed.endswith(" ") or stuffed == "-- ":  # a fixed line ends the paragraph
            out.append(head + "".join(joined))
            joined = []
        elif delsp:
            joined[-1] = joined[-1][:-1]
    if joined:
        out.append(head + "".join(joined))
    return "\n".join(out)


def part_text(part: Message, defects: list[str], charset: str | None) -> str:
    """The decoded text of a body part; `charset` is its own or the one it inherits (None: none declared)."""
    data = payload(part, defects)
    if charset is None and _content_type(part) == "text/html":
        meta = _META_CHARSET.search(data[:4096])
        charset = meta.group(1).decode("ascii") if meta else None
    text, defect = decode_bytes(data, charset)
    if defect:
        defects.append(defect)
    if text.startswith("\ufeff"):  # a byte order mark (Windows Notepad, utf-16 labels) is no text of the mail
        text = text[1:]
    if "\r" in text:  # CRLF and lone CR to LF; str.replace beats a regex that matches every line end
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if " \n" in text and (flowed := _FLOWED.search(str(part.get("content-type", "")))):
        text = unflow(text, bool(_DELSP.search(flowed.string)))
    return _CONTROL.sub("", text) if _CONTROL.search(text) else text


def enclosing_charsets(msg: Message) -> dict[int, str]:
    """For every part without a charset of its own, the charset declared on the nearest enclosing part.

    Mailers that sign (letters_go: multipart/signed with `charset=euc-kr` and bare text/plain inside) or
    that label only the message put the charset one level up; RFC 2046 says nothing of inheritance, but
    reading the inner text as us-ascii/guessed turns Polish into Latin-1 and Korean into GBK.
    """
    found: dict[int, str] = {}
    stack: list[tuple[Message, str | None]] = [(msg, None)]
    while stack:
        part, outer = stack.pop()
        own = charset_of(part) if "charset" in str(part.get("content-type", "")).lower() else None
        here = own or outer
        if here and not own:
            found[id(part)] = here
        payload = raw_payload(part)
        if isinstance(payload, list) and _content_type(part).startswith("multipart/"):
            stack.extend((sub, here) for sub in payload if isinstance(sub, Message))
    return found


def charset_of(part: Message) -> str | None:
    """The charset parameter as get_content_charset() reads it, from the first Content-Type field."""
    value = next((v for k, v in part.raw_items() if k.lower() == "content-type"), None)
    if not isinstance(value, str | None) or (value is not None and len(value) > 600):
        try:
            return part.get_content_charset()
        except Exception:  # a garbled charset parameter counts as none
            return None
    return _charset_param(value)


def mailer_charset(msg: Message, parts: list[Message] | None = None) -> str | None:
    """The charset the sender's mailer declared for its text (the message's, else the first text part's): the
    best reading of raw 8-bit bytes the same mailer put in Subject, From or a file name without RFC 2047/2231
    (Polish, Greek, Japanese, Korean mailers; a guess from a few bytes cannot tell Latin-2 from Cyrillic)."""
    for part in [msg, *(parts if parts is not None else walk_parts(msg) or [])]:
        if part is msg or _content_type(part).startswith("text/"):
            charset = charset_of(part)
            if charset and charset.lower() not in ("us-ascii", "ascii"):
                return charset
    return None
