"""Raw mail bytes to an InboundMail: the tree (mended when broken), the header fields, the verdict on automatic
mail, and the body and attachments read by body.py; never raises on bad mail."""

from __future__ import annotations

import re
from email.message import Message
from functools import lru_cache

from postdesk.parsers import auto, bounces
from postdesk.parsers.addresses import parse_address_headers, parse_addresses
from postdesk.parsers.appledouble import drop_applefile_headers
from postdesk.parsers.autophrases import _REPLY_PREFIX_RE
from postdesk.parsers.autoshape import names_a_department, names_a_person
from postdesk.parsers.body import read_content
from postdesk.parsers.commands import split_commands
from postdesk.parsers.compat32 import MAX_NESTING, as_parsed, header_index, walk_parts
from postdesk.parsers.fasttree import parse_tree
from postdesk.parsers.headers import (
    BIDI_CONTROLS,
    CONTROL,
    decode_header_value,
    parse_date,
    parse_ids,
    raw_in_charset,
    raw_to_str,
    unfold,
)
from postdesk.parsers.language import detect_language
from postdesk.parsers.model import Address, AutoVerdict, InboundMail, ParseOptions
from postdesk.parsers.partdata import mailer_charset
from postdesk.parsers.repair import repair_boundary_parameter, repair_header_block
from postdesk.parsers.rfc2046 import needs_rereading, reread
from postdesk.parsers.signoffs import persons_name

_MAX_DEFECTS = 50
SUBJECT_LIMIT = 4000  # characters: bounds a hostile one (60,000); real spam reaches ~1,100 and stays whole
_REPORT_KINDS = frozenset({"bounce", "complaint", "receipt"})
_PART_HEAD = re.compile(  # a preamble that opens with a part's header block and its empty line
    r"content-(?:type|transfer-encoding|disposition)[ \t]*:[^\n]*\n(?:[ \t!-~][^\n]*\n)*\r?\n", re.I)
_CONTAINER = re.compile(r"(?:multipart|message)/", re.I)
_FIRST_ONLY = ("subject", "message-id", "reply-to", "date", "in-reply-to", "references")
_UTF8_BOM = b"\xef\xbb\xbf"




@lru_cache(maxsize=32)
def _ticket_pattern(prefix: str) -> re.Pattern[str]:
    return re.compile(r"\[\s*(" + re.escape(prefix) + r")\s*-\s*([0-9]{1,12})\s*\]", re.I)  # ids as we write them


def find_ticket_ref(subject: str, prefix: str) -> str | None:
    """The first [PREFIX-123] of the subject, normalized to "PREFIX-123", or None."""
    if not prefix:
        return None
    m = _ticket_pattern(prefix).search(subject)
    return f"{prefix.upper()}-{int(m.group(2))}" if m else None


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


def _preamble_parts(msg: Message, parts: list[Message], defects: list[str]) -> list[Message]:
    """A multipart whose preamble is a part (`Content-Type: …`, an empty line, text) lost its first delimiter line
    (hand-made multiparts): read the preamble as its first part rather than drop the text; the parts again."""
    for part in parts:
        payload = as_parsed(part)._payload
        head = _PART_HEAD.match(part.preamble) if isinstance(part.preamble, str) else None
        # a lost first part is a leaf: a multipart or a message in the preamble (nesting without end) stays there
        if head is not None and isinstance(payload, list) and not _CONTAINER.search(head.group()):
            payload.insert(0, parse_tree(head.string.encode("ascii", "surrogateescape")))
            part.preamble = None
            defects.append("mime: first delimiter missing, the preamble read as the first part")
    return walk_parts(msg) or [msg]


def _recipients(values: list[str], defects: list[str]) -> tuple[Address, ...]:
    """The mailboxes of every To (or Cc) field that can be written to: a word without a domain (`To: matmail`,
    `To: recipient-list`) or a name without any address is no recipient a reply could reach (RFC 5322 wants an
    addr-spec with a domain)."""
    found = parse_address_headers(values, defects)
    for a in found:  # a plain loop: most mail has one recipient, every one with a domain
        if "@" not in a.email:
            return tuple(a for a in found if "@" in a.email)
    return found


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
            bounced = tuple(bounces.bounced_recipients(msg))
        originals = tuple(bounces.original_message_ids(msg))
    except Exception as exc:
        defects.append(f"auto: reading the report failed ({type(exc).__name__})")
    return verdict, bounced, originals


def _stdlib_tree(raw: bytes) -> tuple[Message, list[Message] | None]:
    """The very tree BytesParser(policy=compat32) builds (fasttree, without its line-by-line pass), and its
    parts (None: nested deeper than MAX_NESTING, or so deep that the FeedParser ran out of stack)."""
    try:
        msg = parse_tree(raw)
    except RecursionError:
        return Message(), None
    return msg, walk_parts(msg)


def _tree(raw: bytes, defects: list[str]) -> tuple[Message, list[Message]]:
    """The message tree and its parts: the stdlib's, mended where a header block or a boundary parameter is
    broken, read again by RFC 2046's rules (rfc2046.py) where the MIME structure is damaged or nests deeper
    than MAX_NESTING levels; there the deeper parts stay unread text and a defect says so."""
    msg, parts = _stdlib_tree(raw)
    if parts is not None and (not msg.keys() or any(type(d).__name__ == "MissingHeaderBodySeparatorDefect"
                                                     for d in msg.defects)):
        repaired = repair_header_block(raw)
        if repaired is not None:
            raw = repaired
            msg, parts = _stdlib_tree(raw)
            defects.append("header: broken header block mended")
    if parts is not None and any(type(d).__name__ == "NoBoundaryInMultipartDefect" for p in parts for d in p.defects):
        repaired = repair_boundary_parameter(raw)
        if repaired is not None:
            raw = repaired
            msg, parts = _stdlib_tree(raw)
            defects.append("mime: missing ';' before boundary mended")
    if parts is None:
        defects.append(f"mime: parts nested deeper than {MAX_NESTING} levels not read")
    elif not needs_rereading(parts):
        return msg, parts
    msg = reread(raw)
    return msg, walk_parts(msg) or [msg]


def _parse(raw: bytes, options: ParseOptions, envelope_from: str | None, envelope_to: tuple[str, ...],
           defects: list[str]) -> InboundMail:
    msg, parts = _tree(raw, defects)
    if any(isinstance(p.preamble, str) and _PART_HEAD.match(p.preamble) for p in parts):
        parts = _preamble_parts(msg, parts, defects)
    if len(parts) > 3:  # Apple Mail's two parts for one file (an appledouble holds two parts: 4 with the message)
        parts = drop_applefile_headers(msg, parts, defects)
    headers = _headers(msg, defects)
    index = header_index(msg)  # by lower-cased name, built once: auto.py reads the same one

    def every(key: str) -> list[str]:  # a second To or Cc header counts too
        return [v if isinstance(v, str) else str(v) for _k, v in index.get(key, ())]

    first = {key: v if isinstance(v := found[0][1], str) else str(v)
             for key in _FIRST_ONLY if (found := index.get(key))}
    from_values, to_values, cc_values = every("from"), every("to"), every("cc")
    if not "".join((first.get("subject", ""), first.get("reply-to", ""), *from_values, *to_values,
                    *cc_values)).isascii():  # raw 8-bit text (rare): read it in the body's charset
        hint = mailer_charset(msg, parts)
        if hint is not None:  # without one (or where the bytes do not fit it) each name is guessed on its own
            first.update({k: raw_in_charset(first[k], hint) for k in ("subject", "reply-to") if k in first})
            from_values, to_values, cc_values = ([raw_in_charset(v, hint) for v in values]
                                                 for values in (from_values, to_values, cc_values))

    subject = decode_header_value(first.get("subject", ""), defects).strip()
    if CONTROL.search(subject):  # a NUL or line break (bare or encoded): no store or reply header may take it
        subject = " ".join(CONTROL.sub(" ", subject.replace("\x00", "")).split())
    if not subject.isascii() and BIDI_CONTROLS.search(subject):  # shown in every notification and page
        subject = " ".join(BIDI_CONTROLS.sub("", subject).split())
    if len(subject) > SUBJECT_LIMIT:  # every page, notice and reply header shows it: a title, not a payload
        defects.append(f"subject: cut to {SUBJECT_LIMIT} of its {len(subject)} characters")
        subject = subject[:SUBJECT_LIMIT - 1].rstrip() + "…"
    froms = [a for v in from_values for a in parse_addresses(v, defects)]
    from_: Address | None = next((a for a in froms if "@" in a.email), froms[0] if froms else None)
    ids = parse_ids(first.get("message-id"))
    # the sender's name when it is a person's: a framed block without it is data passed on, not a signature
    name = from_.name if from_ is not None else ""
    person = names_a_person(name) or (persons_name(name) and not names_a_department(name))  # (any script)
    # a quoted letter opening a reply is what it answers; opening a new request, it is what the writer asks about
    reply = bool(first.get("in-reply-to") or first.get("references") or _REPLY_PREFIX_RE.match(subject))
    content = read_content(msg, defects, name if person else "", reply)
    for part in parts:
        for d in part.defects:
            defects.append("mime: " + type(d).__name__.removesuffix("Defect"))
    sender = from_.email if from_ and from_.email else (envelope_from.lower() if envelope_from else None)
    verdict, bounced, originals = _call_auto(msg, sender, options, defects, content.full_text)
    commands, text = split_commands(content.text)
    return InboundMail(
        message_id=ids[0] if ids else None, from_=from_,
        to=_recipients(to_values, defects), cc=_recipients(cc_values, defects),
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
    if raw.startswith(_UTF8_BOM):  # an editor's byte order mark would make the first header a body line
        raw = raw[len(_UTF8_BOM):]
        defects.append("mail: byte order mark before the header block dropped")
    try:
        return _parse(bytes(raw), options, envelope_from, envelope_to, defects)
    except Exception as exc:  # last resort: the pipeline quarantines on defects, never on a crash
        defects.append(f"parser: {type(exc).__name__}: {str(exc)[:80]}")
        return _empty(options, envelope_from, envelope_to, defects)
