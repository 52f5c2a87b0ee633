"""Header values to Python values, tolerant of what real mailers write (RFC 2047, 8-bit, broken syntax).

Unfolding, encoded words, raw 8-bit text, message ids and dates; the address fields, which need a scanner of
their own, are read in `addresses.py` on top of these."""

from __future__ import annotations

import binascii
import re
from datetime import UTC, datetime, timedelta, timezone
from email.utils import parsedate_tz
from functools import lru_cache

from postdesk.parsers.charsets import decode_bytes, double_byte_under_western_label

_FOLD = re.compile(r"\r?\n(?=[ \t])|\r?\n$")
_NEWLINES = re.compile(r"[\r\n]+")
_ENCODED_WORD = re.compile(r"=\?([^?\s]+)\?([bBqQ])\?([^?]*?)\?=")
_QP_ESCAPE = re.compile(rb"=([0-9A-Fa-f]{2})")
_QP_LONE_EQUALS = re.compile(r"=(?![0-9A-Fa-f]{2})")  # a2b_qp reads these (e.g. a trailing "=") differently
_B64_JUNK = re.compile(r"[^A-Za-z0-9+/]")
_FOLDED_ESCAPE = re.compile(r"=[ \t]+(?=[0-9A-Fa-f]{2})")
_ID = re.compile(r"<([^<>\s]+)>")
# from a word's first character only: a word of 300,000 letters without an `@` was scanned to its end again from
# each of its letters (minutes); a match always starts where a word starts, so the ids are the same
_BARE_ID = re.compile(r"(?<![^\s<>,;\"()])[^\s<>,;\"()]+@[^\s<>,;\"()]+")
_SURROGATES = re.compile(r"[\udc80-\udcff]")
_MEMO_SIZE = 256  # decoded header values remembered: a mail's own repeats and the most frequent senders' names
_MEMO_MAX = 600  # longer header values are decoded without being remembered
# Controls that must never reach a name or address we hand on: C0 but tab, DEL, C1, and the Unicode line and
# paragraph separators (some readers break lines there). A header we write or a log line could be forged with them.
CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")
# Bidirectional embeddings, overrides and isolates: a subject or a name that opens U+202E is shown reversed up
# to the end of the line, so `Заявитель: <RLO>вонавИ навИ <mallory@…>` reads as a colleague's name with the real
# address turned into noise. Right-to-left text needs none of them (the marks U+200E/U+200F are kept).
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def unfold(value: str) -> str:
    """Undo header folding (drop the line breaks, keep the whitespace)."""
    if "\n" not in value and "\r" not in value:
        return value  # most fields are one line: no regex needed
    if "\r" not in value and value.count("\n") == value.count("\n ") + value.count("\n\t"):
        return value.replace("\n", "")  # every break is a fold: the regexes below would drop just the breaks
    return _NEWLINES.sub(" ", _FOLD.sub("", value))


def raw_to_str(value: str, defects: list[str] | None = None) -> str:
    """Decode raw 8-bit bytes smuggled in a compat32 header (surrogateescape) as utf-8 or a guessed charset."""
    if value.isascii() or not _SURROGATES.search(value):  # isascii is a flag check: no scan
        return value
    data = value.encode("utf-8", "surrogateescape")  # characters already decoded (a mix) stay utf-8
    text, defect = decode_bytes(data, None)
    if defect and defects is not None and not defect.endswith("as utf-8"):  # raw utf-8 is legal (RFC 6532)
        defects.append("header: raw 8-bit, " + defect.split(", ", 1)[-1])
    return text


def raw_in_charset(value: str, charset: str) -> str:
    """Raw 8-bit bytes of a header read in `charset` (the one the same mailer declared for its text) when they
    fit it; otherwise the value as it was, for raw_to_str to guess name by name. Bytes that fit no label (utf-8
    under a Latin label, Cyrillic under Latin-1, CJK pairs under a wrapper's Latin-1 label) do not fit."""
    if value.isascii() or not _SURROGATES.search(value):
        return value
    data = value.encode("utf-8", "surrogateescape")
    if double_byte_under_western_label(data, charset):
        return value
    text, defect = decode_bytes(data, charset)
    return value if defect else text


def _word_bytes(enc: str, payload: str) -> bytes:
    """The bytes of one encoded word's text: base64 that tolerates junk and bad padding, or Q encoding."""
    if enc in "bB":
        clean = _B64_JUNK.sub("", payload)
        clean = clean[: len(clean) - len(clean) % 4] if len(clean) % 4 == 1 else clean + "=" * (-len(clean) % 4)
        return binascii.a2b_base64(clean.encode("ascii"))  # what base64.b64decode does, minus its checks
    if " " in payload or "\t" in payload:  # a fold inside the word after an "=" (`caf=C3=<fold> A9`): one escape
        payload = _FOLDED_ESCAPE.sub("=", payload)
    data = payload.replace("_", " ").encode("utf-8", "surrogateescape")
    if "=" not in payload:
        return data
    if not _QP_LONE_EQUALS.search(payload):  # every "=" starts an escape: the C decoder reads it the same way
        return binascii.a2b_qp(data, header=True)
    return _QP_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), data)


def decode_header_value(value: str, defects: list[str] | None = None) -> str:
    """Unfold and decode RFC 2047 encoded words; adjacent words are joined and decoded together per charset."""
    text, found = _decode_header_words(value) if len(value) <= _MEMO_MAX else _decode_header_words.__wrapped__(value)
    if found and defects is not None:
        defects.extend(found)
    return text


@lru_cache(maxsize=_MEMO_SIZE)
def _decode_header_words(value: str) -> tuple[str, tuple[str, ...]]:
    """decode_header_value as a pure function (text, defects), memoized: a mail decodes its Subject and From
    more than once, and the same senders' names come back mail after mail."""
    defects: list[str] = []
    value = unfold(value)
    if "=?" not in value:
        return raw_to_str(value, defects), tuple(defects)
    out: list[str] = []
    run_charset: str | None = None
    run = b""
    pos = 0

    def flush() -> None:
        nonlocal run_charset, run
        if run_charset is not None:
            text, defect = decode_bytes(run, run_charset)
            if defect:
                defects.append("header " + defect)
            out.append(text)
        run_charset, run = None, b""

    for m in _ENCODED_WORD.finditer(value):
        between = value[pos : m.start()]
        if between and not (run_charset is not None and between.isspace()):
            flush()
            out.append(raw_to_str(between, defects))
        charset = m.group(1).split("*", 1)[0].lower()
        try:
            data = _word_bytes(m.group(2), m.group(3))
        except (binascii.Error, ValueError):
            flush()
            out.append(m.group(0))
            defects.append("header: bad encoded word")
            pos = m.end()
            continue
        if charset != run_charset:
            flush()
            run_charset = charset
        run += data
        pos = m.end()
    flush()
    out.append(raw_to_str(value[pos:], defects))
    return "".join(out), tuple(defects)


OWN_ID_PREFIX = "postdesk."  # every Message-ID the desk writes starts so (daemon/outgoing/compose.new_message_id)
_OWN_ID_RE = re.compile(r"<(postdesk\.[\w.+-]+@[\w-]+(?:\.[\w-]+)+)>", re.I)


def own_message_ids(text: str) -> set[str]:
    """The desk's own Message-IDs a text names in angle brackets: a notice that quotes ours under a label no rule
    knows («原邮件编号：<postdesk.…@corp.example>») names the returned mail, never a recipient."""
    return {m.group(1) for m in _OWN_ID_RE.finditer(text)} if OWN_ID_PREFIX in text.lower() else set()


def parse_ids(value: str | None) -> tuple[str, ...]:
    """Message ids from Message-ID / In-Reply-To / References, without angle brackets, in order, unique."""
    if not value:
        return ()
    value = unfold(value)
    if not value.isascii():  # raw 8-bit (RFC 6532 ids, SMTPUTF8 mail): text, not the bytes' surrogates
        value = raw_to_str(value)
    ids = _ID.findall(value) or _BARE_ID.findall(value)
    if not ids:
        bare = value.strip()
        ids = [bare] if bare and " " not in bare else []
    if CONTROL.search(value):  # ids go into headers we write (one scan of the value spares one per id)
        ids = [i for i in ids if not CONTROL.search(i)]
    return tuple(dict.fromkeys(ids))


def parse_date(value: str | None, defects: list[str] | None = None) -> datetime | None:
    """An aware datetime (UTC when the zone is unknown), or None for a missing or unreadable date."""
    if not value or not value.strip():
        return None
    try:
        parts = parsedate_tz(unfold(value).strip())
        if parts is None:
            raise ValueError("unreadable")
        year, month, day, hour, minute, second = parts[:6]
        offset = parts[9]
        if year < 100:
            year += 2000 if year < 50 else 1900
        zone = timezone(timedelta(seconds=offset)) if offset and abs(offset) < 24 * 3600 else UTC
        return datetime(year, month, day, hour, minute, min(second, 59), tzinfo=zone)
    except (ValueError, TypeError, OverflowError, IndexError):
        if defects is not None:
            defects.append(f"date: unreadable {value.strip()[:40]!r}")
        return None
