"""Raw mail bytes to an InboundMail: MIME structure, body choice, attachments; never raises on bad mail."""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import re
from dataclasses import dataclass
from email.message import Message
from functools import lru_cache

from postdesk.parsers import auto, html_quotes, quotes
from postdesk.parsers.addresses import parse_address_headers, parse_addresses
from postdesk.parsers.charsets import decode_bytes
from postdesk.parsers.commands import split_commands
from postdesk.parsers.compat32 import as_parsed, header_index
from postdesk.parsers.compat32 import content_type as _content_type
from postdesk.parsers.fasttree import parse_tree
from postdesk.parsers.filenames import clean_name, part_filename
from postdesk.parsers.flatten import message_bytes
from postdesk.parsers.headers import decode_header_value, parse_date, parse_ids, raw_to_str, unfold
from postdesk.parsers.html_text import html_to_text
from postdesk.parsers.language import detect_language
from postdesk.parsers.model import Address, Attachment, AutoVerdict, InboundMail, ParseOptions, ReplyCut
from postdesk.parsers.repair import repair_boundary_parameter, repair_header_block
from postdesk.parsers.rfc2046 import needs_rereading, reread
from postdesk.parsers.tnef import unpack_tnef

_BODY_TYPES = frozenset({"text/plain", "text/html"})
_TNEF_TYPES = frozenset({"application/ms-tnef", "application/vnd.ms-tnef"})
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")  # NUL and bells break databases and terminals
_TRAILING_SPACE = re.compile(r"[ \t]+$", re.M)
_FILENAME_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')
_MAX_DEFECTS = 50
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_:.-]+)""", re.I)
_MIME_DEBRIS = re.compile(r"^(--\S|content-type:)", re.I | re.M)
_B64_JUNK = re.compile(rb"[^A-Za-z0-9+/]")
# File names for parts that name none, so that every attachment can be saved; reported as unnamed in JSON.
_STEMS = {"message/delivery-status": "delivery-status", "text/rfc822-headers": "headers",
          "message/disposition-notification": "disposition-notification", "message/feedback-report": "feedback-report"}
_EXTENSIONS = {"image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif", "image/bmp": ".bmp",
               "image/tiff": ".tif", "image/webp": ".webp", "application/pdf": ".pdf", "text/html": ".html",
               "text/calendar": ".ics", "application/zip": ".zip", "text/csv": ".csv", "application/json": ".json",
               "application/xml": ".xml", "text/xml": ".xml", "application/pgp-signature": ".asc"}
_TYPES_BY_EXTENSION = {ext: ctype for ctype, ext in reversed(_EXTENSIONS.items())} | {
    ".jpeg": "image/jpeg", ".doc": "application/msword", ".xls": "application/vnd.ms-excel",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".eml": "message/rfc822"}

_REPORT_KINDS = frozenset({"bounce", "complaint", "receipt"})
_FIRST_ONLY = ("subject", "message-id", "reply-to", "date", "in-reply-to", "references")




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


def _is_media(ctype: str) -> bool:
    return ctype.startswith(("image/", "audio/", "video/"))


@lru_cache(maxsize=32)
def _ticket_pattern(prefix: str) -> re.Pattern[str]:
    return re.compile(r"\[\s*(" + re.escape(prefix) + r")\s*-\s*(\d+)\s*\]", re.I)


def find_ticket_ref(subject: str, prefix: str) -> str | None:
    """The first [PREFIX-123] of the subject, normalized to "PREFIX-123", or None."""
    if not prefix:
        return None
    m = _ticket_pattern(prefix).search(subject)
    return f"{prefix.upper()}-{int(m.group(2))}" if m else None


class _Body:
    """The JMAP (RFC 8621 section 4.1.4) split of a message into text body, HTML body and other leaves."""

    def __init__(self) -> None:
        self.leaves: list[Message] = []
        self.names: dict[int, str] = {}
        self.as_text: set[int] = set()

    def content_type(self, part: Message) -> str:
        """The part's type; text/plain for a multipart without parts whose content is plain text."""
        return "text/plain" if id(part) in self.as_text else _content_type(part)

    def walk(self, parts: list[Message], mtype: str, in_alt: bool,
             text: list[Message] | None, html: list[Message] | None, defects: list[str], depth: int = 0) -> None:
        text_len = len(text) if text is not None else -1
        html_len = len(html) if html is not None else -1
        for i, part in enumerate(parts):
            if not isinstance(part, Message):
                continue
            ctype = _content_type(part)
            subparts = _raw_payload(part)
            if ctype.startswith("multipart/") and isinstance(subparts, list) and subparts:
                if depth > 40:
                    defects.append("mime: nesting too deep")
                    continue
                sub = ctype.split("/", 1)[1]
                self.walk(subparts, sub, in_alt or sub == "alternative", text, html, defects, depth + 1)
                continue
            if ctype.startswith("multipart/"):  # no usable boundary
                defects.append("mime: multipart without parts")
                payload = _raw_payload(part)
                if not isinstance(payload, str) or not payload.strip():
                    continue
                if not _MIME_DEBRIS.search(payload):  # plain text under a wrong header: read it as text
                    self.as_text.add(id(part))
                    ctype = "text/plain"
            self.leaves.append(part)
            name = part_filename(part, defects)
            self.names[id(part)] = name
            media = _is_media(ctype)
            inline = (part.get_content_disposition() != "attachment"
                      and (ctype in _BODY_TYPES or media)
                      and (i == 0 or (mtype != "related" and (media or not name))))
            if not inline:
                continue
            if mtype == "alternative":
                if ctype == "text/plain" and text is not None:
                    text.append(part)
                elif ctype == "text/html" and html is not None:
                    html.append(part)
                continue
            if in_alt:
                if ctype == "text/plain":
                    html = None
                elif ctype == "text/html":
                    text = None
            if text is not None:
                text.append(part)
            if html is not None:
                html.append(part)
        if mtype == "alternative" and text is not None and html is not None:
            if len(text) == text_len and len(html) != html_len:
                text.extend(html[html_len:])
            if len(html) == html_len and len(text) != text_len:
                html.extend(text[text_len:])


def _normalize_cte(part: Message) -> None:
    """Trim and lower-case Content-Transfer-Encoding so that "base64 " or "Quoted-Printable\t" still decodes."""
    cte = part.get("content-transfer-encoding")
    if isinstance(cte, str):
        clean = cte.strip().lower()
        if clean != cte:
            part.replace_header("content-transfer-encoding", clean)
            part.__dict__.pop("_postdesk_index", None)  # compat32.header_index: the part changed


def _payload(part: Message, defects: list[str]) -> bytes:
    """The decoded bytes of a leaf; an embedded message as it would be written to a file."""
    _normalize_cte(part)
    try:
        if part.is_multipart() and _content_type(part).startswith("multipart/"):
            return b""
        if part.is_multipart():
            return b"".join(message_bytes(sub) for sub in part.get_payload() if isinstance(sub, Message))
        raw = _raw_payload(part)
        if part.get("content-transfer-encoding") == "base64" and isinstance(raw, str):
            return _base64(raw, _content_type(part), defects)
        data = part.get_payload(decode=True)
    except Exception as exc:  # damaged transfer encoding or an unserializable embedded message
        defects.append(f"mime: undecodable part {_content_type(part)} ({type(exc).__name__})")
        return b""
    return data if isinstance(data, bytes) else b""


def _raw_payload(part: Message) -> str | list[Message] | None:
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


def _part_text(part: Message, defects: list[str], charset: str | None) -> str:
    """The decoded text of a body part; `charset` is its own or the one it inherits (None: none declared)."""
    data = _payload(part, defects)
    if charset is None and _content_type(part) == "text/html":
        meta = _META_CHARSET.search(data[:4096])
        charset = meta.group(1).decode("ascii") if meta else None
    text, defect = decode_bytes(data, charset)
    if defect:
        defects.append(defect)
    if "\r" in text:  # CRLF and lone CR to LF; str.replace beats a regex that matches every line end
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text) if _CONTROL.search(text) else text


def _enclosing_charsets(msg: Message) -> dict[int, str]:
    """For every part without a charset of its own, the charset declared on the nearest enclosing part.

    Mailers that sign (letters_go: multipart/signed with `charset=euc-kr` and bare text/plain inside) or
    that label only the message put the charset one level up; RFC 2046 says nothing of inheritance, but
    reading the inner text as us-ascii/guessed turns Polish into Latin-1 and Korean into GBK.
    """
    found: dict[int, str] = {}
    stack: list[tuple[Message, str | None]] = [(msg, None)]
    while stack:
        part, outer = stack.pop()
        own = _charset_of(part) if "charset" in str(part.get("content-type", "")).lower() else None
        here = own or outer
        if here and not own:
            found[id(part)] = here
        payload = _raw_payload(part)
        if isinstance(payload, list) and _content_type(part).startswith("multipart/"):
            stack.extend((sub, here) for sub in payload if isinstance(sub, Message))
    return found


def _charset_of(part: Message) -> str | None:
    """The charset parameter as get_content_charset() reads it, from the first Content-Type field."""
    value = next((v for k, v in part.raw_items() if k.lower() == "content-type"), None)
    if not isinstance(value, str | None) or (value is not None and len(value) > 600):
        try:
            return part.get_content_charset()
        except Exception:  # a garbled charset parameter counts as none
            return None
    return _charset_param(value)


def _message_name(part: Message, defects: list[str]) -> str:
    """<subject>.eml for an embedded message that names no file."""
    inner = part.get_payload(0) if part.is_multipart() else None
    subject = ""
    if isinstance(inner, Message):
        raw = inner.get("subject")
        if isinstance(raw, str):
            subject = decode_header_value(raw, defects)
    subject = _FILENAME_UNSAFE.sub(" ", subject).strip()[:120] or "message"
    return subject + ".eml"


def _invented_name(part: Message, ctype: str, defects: list[str]) -> str:
    """A name for a part that has none: its Content-Description, or a word for its type, plus an extension."""
    raw = part.get("content-description")
    stem = decode_header_value(raw, defects) if isinstance(raw, str) else ""
    stem = _FILENAME_UNSAFE.sub(" ", stem).strip()[:80]
    if not stem:
        stem = _STEMS.get(ctype) or ctype.split("/", 1)[0].replace("application", "attachment") or "attachment"
    ext = _EXTENSIONS.get(ctype) or (".txt" if ctype.startswith(("text/", "message/")) else ".bin")
    return stem if stem.lower().endswith(ext) else stem + ext


def _content_id(part: Message) -> str | None:
    raw = part.get("content-id")
    if not isinstance(raw, str):
        return None
    cid = unfold(raw).strip().strip("<>").strip()
    return cid or None


def _attachment(part: Message, name: str, defects: list[str], html: str) -> Attachment:
    ctype = _content_type(part)
    data = _payload(part, defects)
    given = bool(name)
    if not name:
        name = _message_name(part, defects) if ctype == "message/rfc822" else _invented_name(part, ctype, defects)
    cid = _content_id(part)
    inline = part.get_content_disposition() == "inline" or bool(
        cid and _is_media(ctype) and html and ("cid:" + cid) in html)
    return Attachment(filename=name, content_type=ctype, size=len(data), sha256=hashlib.sha256(data).hexdigest(),
                      data=data, inline=inline, content_id=cid, name_given=given)


def _type_by_name(name: str) -> str:
    """A content type from a file name's extension, for files that come without one (winmail.dat)."""
    ext = name[name.rfind(".") :].lower() if "." in name else ""
    return _TYPES_BY_EXTENSION.get(ext, "text/plain" if ext == ".txt" else "application/octet-stream")


def _tnef_files(part: Message, defects: list[str]) -> tuple[list[Attachment], str, str] | None:
    content = unpack_tnef(_payload(part, defects))
    if content is None:
        defects.append("tnef: unreadable winmail.dat kept as is")
        return None
    files = [
        Attachment(filename=clean_name(name), content_type=_type_by_name(name), size=len(data),
                   sha256=hashlib.sha256(data).hexdigest(), data=data, name_given=bool(name))
        for name, data in content.files
    ]
    return files, content.text, content.html


def _clean_text(text: str) -> str:
    return _TRAILING_SPACE.sub("", text).strip("\n").rstrip()


def _headers(msg: Message, defects: list[str]) -> tuple[tuple[str, str], ...]:
    return tuple([(name, value.strip()) if type(value) is str and value.isascii() and "\n" not in value
                  and "\r" not in value else (name, _header_text(value, defects))
                  for name, value in as_parsed(msg)._headers])  # most fields: one plain line, no call


def _header_text(value: object, defects: list[str]) -> str:
    """A header value as one line of text: unfolded, raw 8-bit bytes decoded."""
    text = value if isinstance(value, str) else str(value)
    if "\n" in text or "\r" in text:
        text = unfold(text)
    if not text.isascii():
        text = raw_to_str(text, defects)
    return text.strip()


def _call_auto(msg: Message, sender: str | None, options: ParseOptions, defects: list[str],
               body: str) -> tuple[AutoVerdict | None, tuple[str, ...], tuple[str, ...]]:
    """The verdict; for reports also the failed recipients and the returned mail's Message-IDs."""
    verdict: AutoVerdict | None = None
    bounced: tuple[str, ...] = ()
    originals: tuple[str, ...] = ()
    try:
        verdict = auto.classify_auto(msg, sender, options.our_addresses, body)
    except Exception as exc:  # a bug there must not lose the mail
        defects.append(f"auto: classify failed ({type(exc).__name__})")
    if verdict is None or verdict.kind not in _REPORT_KINDS:
        return verdict, bounced, originals
    try:
        if verdict.kind == "bounce":
            bounced = tuple(auto.bounced_recipients(msg))
        originals = tuple(auto.original_message_ids(msg))
    except Exception as exc:
        defects.append(f"auto: reading the report failed ({type(exc).__name__})")
    return verdict, bounced, originals


@dataclass(frozen=True, slots=True)
class _Content:
    """What the body walk yields: readable text, HTML, the new content, and the attachments."""

    full_text: str
    html: str | None
    text: str
    attachments: tuple[Attachment, ...]
    cut: ReplyCut | None = None


def _read_content(msg: Message, defects: list[str]) -> _Content:
    """Choose the body parts (plain preferred), convert HTML, strip quotes, and collect the attachments."""
    body = _Body()
    text_parts: list[Message] = []
    html_parts: list[Message] = []
    body.walk([msg], "mixed", False, text_parts, html_parts, defects)
    texts = [p for p in text_parts if body.content_type(p) in _BODY_TYPES]
    htmls = [p for p in html_parts if _content_type(p) == "text/html"]
    decoded: dict[int, str] = {}
    enclosing: list[dict[int, str]] = []  # computed once, only when a body part names no charset

    def text_of(part: Message) -> str:
        if id(part) not in decoded:
            charset = _charset_of(part)
            if charset is None and part is not msg:
                if not enclosing:
                    enclosing.append(_enclosing_charsets(msg))
                charset = enclosing[0].get(id(part))
            decoded[id(part)] = _part_text(part, defects, charset)
        return decoded[id(part)]

    html = "\n".join(text_of(p) for p in htmls) if htmls else None
    full_text = _clean_text("\n".join(
        html_to_text(text_of(p)) if _content_type(p) == "text/html" else text_of(p) for p in texts))
    if not full_text and html:  # an empty text/plain alternative next to a real HTML one
        full_text = _clean_text(html_to_text(html))

    in_body = {id(p) for p in texts} | {id(p) for p in htmls}
    attachments: list[Attachment] = []
    for part in body.leaves:
        if id(part) in in_body:
            continue
        name = body.names.get(id(part), "")
        if _content_type(part) in _TNEF_TYPES or name.lower() == "winmail.dat":
            unpacked = _tnef_files(part, defects)
            if unpacked is not None:
                files, tnef_text, tnef_html = unpacked
                attachments.extend(files)
                if not full_text and (tnef_text.strip() or tnef_html.strip()):
                    full_text = _clean_text(tnef_text if tnef_text.strip() else html_to_text(tnef_html))
                    if tnef_html.strip() and html is None:
                        html = tnef_html
                continue
        attachments.append(_attachment(part, name, defects, html or ""))

    html_cut = False
    if html is not None and not any(body.content_type(p) == "text/plain" and text_of(p).strip() for p in texts):
        unquoted = html_quotes.strip_html_quotes(html)  # HTML-only: cut quoted blocks while their markup is there
        html_cut = unquoted != html
        text, why = quotes.explain_reply(full_text if not html_cut else html_to_text(unquoted))
    else:
        text, why = quotes.explain_reply(full_text) if full_text else ("", None)
    return _Content(full_text=full_text, html=html, text=text, attachments=tuple(attachments),
                    cut=_reply_cut(full_text, text, why, html_cut))


def _reply_cut(full_text: str, text: str, why: quotes.Cut | None, html_cut: bool) -> ReplyCut | None:
    """The cut as `parse --json` shows it: rule, and the 1-based line of full_text where the cut starts."""
    if why is None and not html_cut:
        return None
    if why is not None:
        at = full_text.find(why.line) if why.line else -1
        number = full_text.count("\n", 0, at) + 1 if at >= 0 else 0
        return ReplyCut(rule=why.rule, line=number, text=why.line)
    lines = full_text.split("\n")
    # cut in the HTML (a quote block, Outlook's reply header): the first line of full_text after the reply
    last = text.rstrip().rsplit("\n", 1)[-1].strip() if text.strip() else ""
    at = next((i for i, ln in enumerate(lines) if last and ln.strip() == last), -1)
    after = next((i for i in range(at + 1, len(lines)) if lines[i].strip()), -1) if at >= 0 else -1
    return ReplyCut(rule="html-quote", line=after + 1, text=lines[after].strip()[:200] if after >= 0 else "")


def _parse(raw: bytes, options: ParseOptions, envelope_from: str | None, envelope_to: tuple[str, ...],
           defects: list[str]) -> InboundMail:
    msg = parse_tree(raw)  # the very tree BytesParser(policy=compat32) builds, without its line-by-line pass
    if not msg.keys() or any(type(d).__name__ == "MissingHeaderBodySeparatorDefect" for d in msg.defects):
        repaired = repair_header_block(raw)
        if repaired is not None:
            raw = repaired
            msg = parse_tree(raw)
            defects.append("header: broken header block mended")
    parts = list(msg.walk())
    if any(type(d).__name__ == "NoBoundaryInMultipartDefect" for part in parts for d in part.defects):
        repaired = repair_boundary_parameter(raw)
        if repaired is not None:
            raw = repaired
            msg = parse_tree(raw)
            parts = list(msg.walk())
            defects.append("mime: missing ';' before boundary mended")
    if needs_rereading(parts):  # damaged MIME structure: read it again by RFC 2046's rules (rfc2046.py)
        msg = reread(raw)
        parts = list(msg.walk())
    headers = _headers(msg, defects)
    index = header_index(msg)  # by lower-cased name, built once: auto.py reads the same one

    def every(key: str) -> list[str]:  # a second To or Cc header counts too
        return [v if isinstance(v, str) else str(v) for _k, v in index.get(key, ())]

    first = {key: v if isinstance(v := found[0][1], str) else str(v)
             for key in _FIRST_ONLY if (found := index.get(key))}
    from_values = every("from")

    subject = decode_header_value(first.get("subject", ""), defects).strip()
    froms = [a for v in from_values for a in parse_addresses(v, defects)]
    from_: Address | None = next((a for a in froms if "@" in a.email), froms[0] if froms else None)
    ids = parse_ids(first.get("message-id"))
    content = _read_content(msg, defects)
    for part in parts:
        for d in part.defects:
            defects.append("mime: " + type(d).__name__.removesuffix("Defect"))
    sender = from_.email if from_ and from_.email else (envelope_from.lower() if envelope_from else None)
    verdict, bounced, originals = _call_auto(msg, sender, options, defects, content.full_text)
    commands, text = split_commands(content.text)
    return InboundMail(
        message_id=ids[0] if ids else None, from_=from_,
        to=parse_address_headers(every("to"), defects), cc=parse_address_headers(every("cc"), defects),
        reply_to=parse_addresses(first.get("reply-to"), defects), subject=subject,
        date=parse_date(first.get("date"), defects), in_reply_to=parse_ids(first.get("in-reply-to")),
        references=parse_ids(first.get("references")),
        language=detect_language(subject, text or content.full_text),
        text=text, full_text=content.full_text, html=content.html, attachments=content.attachments,
        auto=verdict, bounced_recipients=bounced, ticket_ref=find_ticket_ref(subject, options.ticket_prefix),
        commands=commands, defects=tuple(dict.fromkeys(defects))[:_MAX_DEFECTS], headers=headers,
        original_message_ids=originals, envelope_from=envelope_from, envelope_to=tuple(envelope_to),
        reply_cut=content.cut,
    )


def _empty(options: ParseOptions, envelope_from: str | None, envelope_to: tuple[str, ...],
           defects: list[str]) -> InboundMail:
    return InboundMail(
        message_id=None, from_=None, to=(), cc=(), reply_to=(), subject="", date=None, in_reply_to=(),
        references=(), language="en", text="", full_text="", html=None, attachments=(), auto=None,
        bounced_recipients=(), ticket_ref=None, commands=(), defects=tuple(defects)[:_MAX_DEFECTS],
        envelope_from=envelope_from, envelope_to=tuple(envelope_to),
    )


def parse_mail(raw: bytes, options: ParseOptions, *, envelope_from: str | None = None,
               envelope_to: tuple[str, ...] = ()) -> InboundMail:
    """Parse one mail; anything odd goes into `defects`, and even a parser bug yields an (empty) mail."""
    defects: list[str] = []
    if isinstance(raw, str):
        raw = raw.encode("utf-8", "surrogateescape")
    if not raw or not raw.strip():
        return _empty(options, envelope_from, envelope_to, ["mail: empty"])
    try:
        return _parse(bytes(raw), options, envelope_from, envelope_to, defects)
    except Exception as exc:  # last resort: the pipeline quarantines on defects, never on a crash
        defects.append(f"parser: {type(exc).__name__}: {str(exc)[:80]}")
        return _empty(options, envelope_from, envelope_to, defects)
