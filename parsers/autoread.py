"""Reading a notice that may be broken, for the automatic-mail rules (auto.py, bounces.py): a header or a
part that cannot be read counts as absent, never raises.

Split from auto.py: these helpers read headers, parts and the report's own text; the rules that judge them
are elsewhere.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator
from email.header import Header, decode_header
from email.message import Message
from email.utils import getaddresses
from functools import lru_cache

from postdesk.parsers.addresses import mailbox_of
from postdesk.parsers.compat32 import as_parsed, content_type, header_index
from postdesk.parsers.headers import decode_header_value

# The look-behind keeps matching linear: without it a long run of letters with no "@" is rescanned
# from every position. Cyrillic letters count (RFC 6531 addresses such as иван@почта.рф); other scripts
# do not, because Japanese or Chinese notices write an address with no space between it and the text.
_ADDR = (r"(?<![A-Za-zА-Яа-яЁё0-9!#$%&'*+/=?^_`{|}~.-])[A-Za-zА-Яа-яЁё0-9!#$%&'*+/=?^_`{|}~.-]+"
         r"@[A-Za-zА-Яа-яЁё0-9](?:[A-Za-zА-Яа-яЁё0-9-]*[A-Za-zА-Яа-яЁё0-9])?(?:\.[A-Za-zА-Яа-яЁё0-9-]+)*")

# ... and a quoted local part (RFC 5321 4.1.2: <"ivan petrov"@x.example>) in angle brackets or after a blank, as
# an MTA lists it
_ADDR_RE = re.compile(r'(?:(?<=[<\s])|^)"[^"\\\r\n<>]{1,64}"@' + _ADDR.partition("@")[2] + "|" + _ADDR, re.M)



def _headers(msg: Message, name: str) -> list[str]:
    """Every instance of a header as text."""
    out = []
    for k, v in header_index(msg).get(name.lower(), ()):
        try:
            out.append(_header_text(msg.policy.header_fetch_parse(k, v)))
        except Exception:
            continue
    return out


def _header(msg: Message, name: str) -> str:
    """One header as text: the first readable instance ('' when absent or unreadable)."""
    for k, v in header_index(msg).get(name.lower(), ()):
        try:
            return _header_text(msg.policy.header_fetch_parse(k, v))
        except Exception:
            continue
    return ""


def _header_text(value: object) -> str:
    """A header value as text. compat32 hands raw 8-bit headers over as a Header of unknown-8bit bytes
    (a Russian subject sent unencoded); those are read as UTF-8, else CP1251. Encoded words stay as they
    are, for `_decoded`."""
    try:
        if isinstance(value, Header):
            parts = []
            for chunk, charset in decode_header(value):
                if isinstance(chunk, str):
                    parts.append(chunk)
                    continue
                for cs in (charset if charset and charset != "unknown-8bit" else "utf-8", "utf-8", "cp1251"):
                    try:
                        parts.append(chunk.decode(cs))
                        break
                    except (LookupError, UnicodeDecodeError):
                        continue
                else:
                    parts.append(chunk.decode("latin-1"))
            return "".join(parts)
        return str(value)
    except Exception:
        return ""


def _decoded(value: str) -> str:
    """RFC 2047-decode a header value for matching; the raw value when decoding fails."""
    if "=?" not in value:
        return value
    try:
        return decode_header_value(value)
    except Exception:
        return value


def _hides_control(value: str) -> bool:
    """Whether an encoded word in `value` decodes to a line break or another control character: an address
    written `=?utf-8?q?x=0D=0ABcc=3A…?=@host` is an injection, no address (one that decodes to letters, as a
    broken client writes a name into the local part, stays the literal address it is)."""
    if "=?" not in value:
        return False
    try:
        return not _decoded(value).isprintable()
    except Exception:
        return True


def _show(value: str, limit: int = 60) -> str:
    """A header value for a reason sentence: one line, shortened."""
    return " ".join(value.split())[:limit]


def _first_word(value: str) -> str:
    """The first token of a structured header value, lower-cased (`auto-replied (zimbra)` -> `auto-replied`)."""
    return re.split(r"[\s;(,]", value.strip().lower(), maxsplit=1)[0] if value.strip() else ""


def _is_ours(addr: str | None, ours: frozenset[str]) -> bool:
    if not addr or not ours:
        return False
    return addr.lower() in ours or mailbox_of(addr) in ours


@lru_cache(maxsize=16)
def _lowered(addresses: frozenset[str]) -> frozenset[str]:
    """The desk's addresses in lower case: worked out once per set (the options of a running desk), not per mail."""
    return frozenset(a.lower() for a in addresses)


@lru_cache(maxsize=16)
def _own_domains(ours: frozenset[str]) -> frozenset[str]:
    """The domains of the desk's own addresses, once per set of addresses rather than once per mail."""
    return frozenset(addr.rsplit("@", 1)[-1] for addr in ours)


def _sender_local(sender: str | None) -> str:
    return sender.rsplit("@", 1)[0].lower() if sender and "@" in sender else (sender or "").lower()


_CTYPE_RE = re.compile(r"[a-z0-9.+-]+/[a-z0-9.+-]+")


def _content_type(part: Message) -> str:
    """Lower-case type/subtype; tolerates a parameter folded in without ';'. Kept on the part: the rules
    ask for the same parts' types many times, and this module never changes a part."""
    cached: str | None = part.__dict__.get("_auto_ctype")
    if cached is not None:
        return cached
    try:
        m = _CTYPE_RE.match(content_type(part))
    except Exception:
        m = None
    ctype = m.group(0) if m else "text/plain"
    part.__dict__["_auto_ctype"] = ctype
    return ctype


def _param(part: Message, name: str) -> str:
    try:
        value = part.get_param(name)
    except Exception:
        return ""
    if isinstance(value, tuple):  # RFC 2231 value
        value = value[2]
    return str(value or "").strip().lower()


def _walk(msg: Message, into_messages: bool = False) -> Iterator[Message]:
    """Depth-first parts; by default does not descend into attached messages (the returned original)."""
    stack = [msg]
    seen = 0
    while stack and seen < 500:
        part = stack.pop()
        seen += 1
        yield part
        ctype = _content_type(part)
        if ctype.startswith("message/") and not into_messages and part is not msg:
            continue
        if ctype in ("message/delivery-status", "message/global-delivery-status", "message/feedback-report"):
            continue
        # the parsed payload: get_payload() would re-encode (and for 8-bit text re-decode) a leaf's whole body
        # only for it to be found not to be a list
        payload = as_parsed(part)._payload
        if isinstance(payload, list):
            stack.extend(reversed([p for p in payload if isinstance(p, Message)]))


def _part_text(part: Message, limit: int = 200_000) -> str:
    """Decoded text of a leaf part (best effort, never raises)."""
    try:
        payload = part.get_payload(decode=True)
    except Exception:
        payload = None
    if not isinstance(payload, bytes):  # None for a multipart (decode=True never gives text)
        try:
            raw = part.get_payload()
        except Exception:
            return ""
        if isinstance(raw, str):
            return raw[:limit]
        if isinstance(raw, list):  # message/* parsed into sub-messages: flatten their headers
            out = []
            for sub in raw:
                if isinstance(sub, Message):
                    try:
                        out.append("\n".join(f"{k}: {v}" for k, v in sub.items()))
                    except Exception:
                        continue
            return "\n\n".join(out)[:limit]
        return ""
    payload = payload[:limit]
    try:
        charset = part.get_content_charset() or "utf-8"
    except Exception:
        charset = "utf-8"
    for cs in (charset, "utf-8", "cp1251", "latin-1"):
        try:
            return payload.decode(cs)
        except (LookupError, UnicodeDecodeError):
            continue
    return payload.decode("latin-1", "replace")


_SCRIPT_OPEN_RE = re.compile(r"<(?:script|style)", re.I)
_SCRIPT_CLOSE_RE = re.compile(r"</(?:script|style)>", re.I)
_SHORT_TAG_RE = re.compile(r"<br\s*/?>|</(?:p|div|tr|li|h\d)>", re.I)


def _tags(markup: str) -> Iterator[tuple[int, int]]:
    """The spans of `<script>…</script>`, `<br>`, a block's end tag or any other tag, as one regex's sub would
    find them (`<(?:script|style)[^>]*>.*?</(?:script|style)>|<br\\s*/?>|</(?:p|div|tr|li|h\\d)>|<[^>]+>`), but
    the next `>` and the next script end are looked up once for a run of `<`: that regex scanned to the end
    for every `<` that never closes, and 20,000 of them in a bounce took seconds."""
    gt = (0, -1)  # (looked from, found at): the first '>' at or after a position
    end_tag = (len(markup) + 1, -1, -1)  # (looked from, start, end): the first script end tag from a position
    pos, last_gt = 0, markup.rfind(">")
    while (p := markup.find("<", pos, last_gt)) >= 0:  # every tag ends in '>': none starts at the last one
        if not gt[0] <= p <= gt[1]:
            gt = (p, markup.find(">", p))
        close = gt[1]
        if _SCRIPT_OPEN_RE.match(markup, p):
            if not (end_tag[0] <= close + 1 and (end_tag[1] < 0 or close + 1 <= end_tag[1])):
                found = _SCRIPT_CLOSE_RE.search(markup, close + 1)
                end_tag = (close + 1, found.start(), found.end()) if found else (close + 1, -1, -1)
            if end_tag[1] >= 0:
                yield p, end_tag[2]
                pos = end_tag[2]
                continue
        short = _SHORT_TAG_RE.match(markup, p)
        if short or close >= p + 2:
            yield p, short.end() if short else close + 1
            pos = short.end() if short else close + 1
        else:
            pos = p + 1


_MAILTO_RE = re.compile(r"""\bhref\s*=\s*["']?mailto:([^"'?>\s]+)""", re.I)


# The end of an inline element (bold, a link, a span) is no line's end: "<b>Recipient</b>" labels what follows.
_INLINE_CLOSE_RE = re.compile(r"</(?:b|i|u|em|strong|span|font|a|small|big|code)\s*>")


def _html_to_text(markup: str) -> str:
    """Crude HTML -> text, enough to find addresses and phrases in an HTML-only bounce. A mailto link keeps
    its address before the link text: an Exchange NDR may name a failed recipient only as
    `<a href="mailto:x@y">Display Name</a>` (tests/mail `auto_exchange_ndr_ru_html_mailto_only.eml`). A table's
    cells end in a tab, not a line break: a row stays one line, a label beside its value ("Message-ID" | "<…>"),
    as in a plain notice (`auto_r6_smartermail_html_table.eml`)."""

    def sub(markup_tag: str) -> str:
        tag = markup_tag.lower()
        if tag.startswith("<a") and "mailto:" in tag:
            link = _MAILTO_RE.search(markup_tag)
            if link:
                return " " + html.unescape(link.group(1)) + " "
        if tag.startswith(("</td", "</th")):
            return "\t"
        return "\n" if tag.startswith(("<br", "</")) and not _INLINE_CLOSE_RE.match(tag) else " "

    pieces, pos = [], 0
    for start, end in _tags(markup):
        pieces += [markup[pos:start], sub(markup[start:end])]
        pos = end
    return html.unescape("".join(pieces) + markup[pos:])


def _report_texts(msg: Message) -> list[str]:
    """Human-readable text of the report itself (not of the returned original), plain preferred over HTML
    (and HTML added when only it names an address)."""
    plain: list[str] = []
    htmls: list[str] = []
    for part in _walk(msg):
        ctype = _content_type(part)
        if part.is_multipart() or ctype.startswith("message/"):
            continue
        if ctype in ("text/plain", "text/x-notification") or ctype.startswith("multipart/") or (
                ctype == "application/json" and "attachment" not in _header(part, "Content-Disposition").lower()):
            # (a webhook relay mails the event itself as its body: bouncenotes.event_failures)
            disp = _header(part, "Content-Disposition").lower()
            if "attachment" in disp and plain:
                continue
            plain.append(_part_text(part))
        elif ctype == "text/html":
            htmls.append(_part_text(part))
    if plain and any(t.strip() for t in plain):
        # a plain part that names nobody ("Delivery failed.") beside an HTML part that does: both are read
        if htmls and not any("@" in t for t in plain) and any("@" in h for h in htmls):
            return plain + [_html_to_text(h) for h in htmls]
        return plain
    return [_html_to_text(h) for h in htmls]


def sole_sender(msg: Message) -> tuple[str, str]:
    """The decoded display name (blanks collapsed) and address of a mail's one From ("", "" unless there is one)."""
    froms = _safe_addresses(_headers(msg, "From"))
    return (" ".join(_decoded(froms[0][0]).split()), froms[0][1]) if len(froms) == 1 else ("", "")


def name_core(name: str) -> str:
    """A From name before what a client or service adds to it: "Tom Becker (Jira)", "Petrov, Ivan", "A | B"."""
    return re.split(r"[,(|]", name.replace('"', " "))[0].strip()


def _safe_addresses(values: Iterable[str]) -> list[tuple[str, str]]:
    try:
        return [(n, a) for n, a in getaddresses(list(values)) if a and "@" in a]
    except Exception:
        return [("", m) for v in values for m in _ADDR_RE.findall(v)]


def _has_part(msg: Message, ctype: str, header: str | None = None) -> bool:
    for part in _walk(msg):
        if _content_type(part) != ctype:
            continue
        if header is None:
            return True
        try:
            payload = part.get_payload()
        except Exception:
            continue
        if isinstance(payload, list) and payload and isinstance(payload[0], Message) and payload[0].get(header):
            return True
    return False


def _null_return_path(msg: Message) -> bool:
    """A `Return-Path: <>`, read from the raw pairs: the rules ask it of nearly every mail."""
    return any(v.strip() in ("<>", "") for _, v in header_index(msg).get("return-path", ()))


def _has_dsn_part(msg: Message) -> bool:
    """Whether a part is a delivery-status report; kept on the message, asked up to three times a mail."""
    cached: bool | None = msg.__dict__.get("_auto_dsn")
    if cached is None:
        cached = msg.is_multipart() and any(
            _content_type(p) in ("message/delivery-status", "message/global-delivery-status") for p in _walk(msg))
        msg.__dict__["_auto_dsn"] = cached
    return cached
