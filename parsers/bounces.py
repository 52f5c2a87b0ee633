"""Who failed in a delivery report, and which of our mails came back: the failed recipients (DSN records,
X-Failed-Recipients, Amazon SES JSON, the prose of MTAs that send no DSN) and the returned mail's Message-IDs.

Split from auto.py, which only decides that a mail is a bounce.
"""

from __future__ import annotations

import re
from email.message import Message
from email.parser import HeaderParser

from postdesk.parsers.auto import _nonstandard_bounce, _ses_notification
from postdesk.parsers.autophrases import (
    _DELAY_SUBJECT_RE,
    _DELAY_TEXT_RE,
    _DELAY_WORDS,
    _MSGID_LINE_RE,
    _NAMED_MESSAGE_RE,
    _NOREPLY_LOCAL,
    _PERMANENT_TEXT_RE,
    says_any,
)
from postdesk.parsers.autoread import (
    _ADDR_RE,
    _content_type,
    _decoded,
    _has_dsn_part,
    _header,
    _headers,
    _hides_control,
    _param,
    _part_text,
    _report_texts,
    _safe_addresses,
    _sender_local,
    _walk,
)
from postdesk.parsers.autoshape import failed_by_name, listed_failures
from postdesk.parsers.bouncenotes import aliases, event_failures, host_qualified, json_recipients
from postdesk.parsers.bounceprose import _ORIGINAL_START_RE, _text_recipients
from postdesk.parsers.dsn import _FAILED_ACTIONS, _dsn_records
from postdesk.parsers.headers import own_message_ids
from postdesk.parsers.reportwrap import wrapped_report

_ALWAYS_SKIP_LOCAL = frozenset({"mailer-daemon", "mailerdaemon", "mail-daemon", "maildaemon"})


def bounced_recipients(msg: Message) -> list[str]:
    """Failed recipients of a delivery report, lower-cased, de-duplicated, in order."""
    try:
        return _bounced(msg)
    except Exception:
        return []


def _bounced(msg: Message) -> list[str]:
    msg = wrapped_report(msg) or msg  # a bounce forwarded as the attachment of a mail with no text
    if not _is_delivery_report(msg):
        return []
    texts = _report_texts(msg)
    exclude = _excluded_addresses(msg) | _message_ids(msg) | {i.lower() for t in texts for i in own_message_ids(t)}
    found: dict[str, None] = {}
    aliases = _aliases_written_to(msg, texts)

    def add(addr: str, stated: bool = False) -> None:
        """`stated`: a field whose only meaning is "this recipient failed" names it (a DSN record,
        X-Failed-Recipients); the report's own addresses are excluded only from what prose mentions."""
        addr = _bare(addr)  # Exchange 2003 lists 'x@y' in single quotes
        addr = aliases.get(addr, addr)  # what we wrote to, as Original-Recipient, not where an alias led
        if "@" not in addr or (addr in exclude and not stated) or addr.split("@", 1)[0] in _ALWAYS_SKIP_LOCAL:
            return
        if not addr.isprintable():  # a control character: no address (an encoded word hiding one is dropped
            return  # where the address is read, before the case is lowered: _field_address, _text_recipients)
        found.setdefault(addr, None)

    records = _dsn_records(msg) or _nested_records(msg)
    for addr in _records_failed(msg, texts, records):
        add(addr, stated=True)
    for addr in (a for v in _headers(msg, "X-Failed-Recipients") for a in _ADDR_RE.findall(v) if not _hides_control(a)):
        add(addr, stated=True)
    if records or found:
        return list(found)
    for addr in json_recipients(texts) or event_failures(texts)[0]:
        add(addr)
    if found:
        return list(found)
    if any(says_any(t[:5000], _DELAY_WORDS) and _DELAY_TEXT_RE.search(t[:5000]) for t in texts) or (
            _DELAY_SUBJECT_RE.search(_decoded(_header(msg, "Subject")))):
        # a warning: nothing has failed yet, unless a failure heading lists someone beside the delayed ones,
        # or the notice says the failure is for good (MDaemon's "PERMANENT … YOU DO NOT NEED TO RESEND")
        for addr in (a for t in texts for a in listed_failures(_without_delay_lines(t))[0]):
            add(addr)
        if found or not any(_PERMANENT_TEXT_RE.search(t[:5000]) for t in texts):
            return list(found)
    # The report goes to the sender of the mail that bounced (us): loose mentions of that address are not
    # failures, though a listed failure may be (someone wrote to themselves).
    to_us = {a.lower() for _, a in _safe_addresses(_headers(msg, "To"))}
    strong, weak, reached = _prose(texts, exclude, to_us)
    for addr in strong or weak:
        add(addr)
    if not found:  # an address alone under a failure heading is stated as failed, also the report's own
        # sender's (a gateway answering as the recipient it could not deliver to, From: that very address)
        for addr in (a for t in texts for a in listed_failures(t)[0]):
            add(addr, stated=True)
    if not found:
        for addr in _unnamed_recipients(msg, texts, to_us):
            if addr.lower() not in reached:
                add(addr)
    return list(found)


def _without_delay_lines(text: str) -> str:
    """A warning's text with the lines that say the delivery is still pending put out of the way: a heading such as
    "Ihre Nachricht konnte bisher nicht an folgende Empfänger zugestellt werden:" lists delayed recipients, not failed
    ones. A line of its own stays in its place, so a failure heading's list above it still ends there."""
    lines = text[:30_000].splitlines()
    return "\n".join("." if says_any(line, _DELAY_WORDS) and _DELAY_TEXT_RE.search(line) else line for line in lines)


def _prose(texts: list[str], exclude: set[str], to_us: set[str]) -> tuple[list[str], list[str], list[str]]:
    """The texts' failed addresses, listed and loose (not the report's addressee), and those the notice says the
    mail reached: not failed, whoever else the returned mail went to."""
    strong: list[str] = []
    weak: list[str] = []
    reached: list[str] = []
    for text in texts:
        s, w, r = _text_recipients(text, exclude)
        strong.extend(s)
        weak.extend(a for a in w if a not in to_us)
        reached.extend(r)
    return strong, weak, reached


def _bare(addr: str) -> str:
    """An address without the brackets and quotes around it, lower-cased; a quoted local part keeps its quotes
    (`"ivan petrov"@x.example`: without them it is no address)."""
    addr = addr.strip().strip("<>.'").lower()
    return addr if addr.startswith('"') and '"@' in addr else addr.strip('"')


def _records_failed(msg: Message, texts: list[str], records: list[tuple[str, str]]) -> list[str]:
    """The failed records' addresses. A Final-Recipient is the address the MTA tried, after qualifying it with its
    host (Sendmail); with no Original-Recipient beside it, what we wrote to is the returned mail's recipient it
    stands for."""
    failed = [addr.strip().strip("<>").lower() for action, addr in records if action in _FAILED_ACTIONS]
    wrote_to = _original_recipients(msg, texts) if failed else {}
    return [host_qualified(addr, wrote_to) or addr for addr in failed]


def _aliases_written_to(msg: Message, texts: list[str]) -> dict[str, str]:
    """The notes' aliases (`bouncenotes.aliases`), unless the returned mail shows we wrote to the target itself."""
    found = aliases(texts)
    if found:
        wrote_to = _original_recipients(msg, texts)
        found = {t: a for t, a in found.items() if a in wrote_to or t not in wrote_to}
    return found


def _unnamed_recipients(msg: Message, texts: list[str], to_us: set[str]) -> list[str]:
    """Who failed when the notice's text names no address: the subject's address ("Delivery failure: x@y"),
    a user name listed under a failure heading (the returned original's recipient with that name, else at
    the report's own domain), or the one recipient of the returned original."""
    named = [a for a in _ADDR_RE.findall(_decoded(_header(msg, "Subject"))) if a.lower() not in to_us]
    if named:
        return named
    # the returned mail was ours, so its recipients are not us: a To: of ours is a notice nested in this one
    names = {a: n for a, n in _original_recipients(msg, texts).items() if a not in to_us}
    originals = list(names)
    users = [u for t in texts for u in listed_failures(t)[1]]
    if users:
        by_user = {o.split("@", 1)[0]: o for o in originals}
        senders = _safe_addresses(_headers(msg, "From"))
        domain = senders[0][1].rsplit("@", 1)[1].lower() if senders else ""
        found = [by_user.get(u) or (f"{u}@{domain}" if domain and not originals else "") for u in users]
        if any(found):
            return [a for a in found if a]
    if len(originals) > 1:  # Exchange names the failed ones by their display names only
        return failed_by_name(texts, names)
    return originals  # a one-recipient mail came back: that recipient failed


def _nested_records(msg: Message) -> list[tuple[str, str]]:
    """DSN records of a delivery report attached to this one."""
    inner = _report_inside(msg)
    return _dsn_records(inner) if inner is not None else []


def _report_inside(msg: Message) -> Message | None:
    """A delivery report attached to a mail that is not one itself (a gateway passing on the DSN it
    received, with a line of its own above it): the report to read instead."""
    if _content_type(msg) == "multipart/report":
        return None
    for inner in _returned_messages(msg):
        if _content_type(inner) == "multipart/report" or _has_dsn_part(inner):
            return inner
    return None


def _is_delivery_report(msg: Message) -> bool:
    """Whether the mail is a bounce at all: prose is only mined for addresses in a delivery report."""
    if _content_type(msg) == "multipart/report" and _param(msg, "report-type") in (
            "delivery-status", "global-delivery-status"):
        return True
    senders = _safe_addresses(_headers(msg, "From"))
    sender = senders[0][1].lower() if senders else None
    if _sender_local(sender) in _NOREPLY_LOCAL:
        ses = _ses_notification(msg)
        if ses:
            return ses.kind == "bounce"
    subject = " ".join(_decoded(_header(msg, "Subject")).split())
    return _nonstandard_bounce(msg, sender, subject) is not None


def _excluded_addresses(msg: Message) -> set[str]:
    """Addresses that are never a failed recipient: the report's own sender and its postmaster, also at the
    domains above the sender's host (a gateway at barracuda.x.example names postmaster@x.example for help)."""
    out: set[str] = set()
    for name in ("From", "Sender", "Return-Path", "Reply-To"):
        for _, addr in _safe_addresses(_headers(msg, name)):
            addr = addr.lower()
            out.add(addr)
            labels = addr.rsplit("@", 1)[1].split(".")
            for domain in (".".join(labels[i:]) for i in range(max(1, len(labels) - 1))):
                out.update(f"{local}@{domain}" for local in ("postmaster", "mailer-daemon", "abuse", "root"))
    return out


def _message_ids(msg: Message) -> set[str]:
    """The Message-IDs a notice names in its headers and the returned mail's: shaped like addresses, never a
    recipient ("Router: Message <id> was not transferred")."""
    values = [_header(msg, name) for name in ("Message-ID", "In-Reply-To", "References")]
    values += [_header(h, "Message-ID") for h in _returned_headers(msg)]
    return {i.lower() for v in values for i in _MSGID_RE.findall(v)}


_MSGID_RE = re.compile(r"<([^<>\s]+@[^<>\s]+)>")

# the returned mail's recipients in its header block ("To:", "Cc:"), or in the details a notice gives of it
# (Microsoft 365's "Original message details" table: "Recipient Address:")
_ORIG_TO_LINE_RE = re.compile(r"^[ \t]*(?:to|cc|recipient(?:s|\(s\))?(?: address(?:es)?)?)[ \t]*:(.*)$", re.I | re.M)

def _returned_messages(msg: Message) -> list[Message]:
    """The messages attached to the report (message/rfc822 or message/global parts), parsed."""
    found: list[Message] = []
    for part in _walk(msg):
        if _content_type(part) in ("message/rfc822", "message/global") and part is not msg:
            try:
                payload = part.get_payload()
            except Exception:
                continue
            if isinstance(payload, list) and payload and isinstance(payload[0], Message):
                found.append(payload[0])
    return found


def _returned_headers(msg: Message) -> list[Message]:
    """The header blocks of the returned original: an attached message, or its headers alone."""
    found = _returned_messages(msg)
    for part in _walk(msg):
        ctype = _content_type(part)
        if ctype in ("text/rfc822-headers", "message/rfc822-headers", "text/rfc822-header", "message/global-headers"):
            try:
                found.append(HeaderParser().parsestr(_part_text(part), headersonly=True))
            except Exception:
                continue
    return found


def _original_recipients(msg: Message, texts: list[str]) -> dict[str, str]:
    """To/Cc addresses of the returned original (attached, or its headers quoted after the report), each with
    its display name."""
    header_sets = _returned_headers(msg)
    out: dict[str, str] = {}
    for h in header_sets:
        for name, addr in _safe_addresses(_headers(h, "To") + _headers(h, "Cc")):
            out.setdefault(addr.lower(), _decoded(name))
    if not header_sets:
        for text in texts:
            cut = _ORIGINAL_START_RE.search(text[:60_000]) or _QUOTED_HEADERS_RE.search(text[:60_000])
            if not cut:
                continue
            for m in _ORIG_TO_LINE_RE.finditer(text[cut.start(): cut.start() + 20_000]):
                for name, addr in _safe_addresses([m.group(1).replace(";", ",")]):  # Outlook separates with ";"
                    out.setdefault(addr.lower(), name)
    return out


# The returned original's header block quoted with no heading above it (Outlook's rule of underscores, then
# From:/Sent:/To:): a From: line with a To: line among the next few header lines.
_QUOTED_HEADERS_RE = re.compile(
    r"^[ \t>]*from[ \t]*:.*\n(?:[ \t>]*[\w-]+[ \t]*:.*\n){0,4}?[ \t>]*to[ \t]*:", re.I | re.M)


def original_message_ids(msg: Message) -> list[str]:
    """Message-IDs of the original mail carried in a bounce, without angle brackets, in order."""
    try:
        return _original_ids(msg)
    except Exception:
        return []


_ORIG_ID_FIELD_RE = re.compile(r"^(?:x-)?original-message-id\s*:\s*(\S+)", re.I | re.M)


def _original_ids(msg: Message) -> list[str]:
    msg = wrapped_report(msg) or _report_inside(msg) or msg
    own = _header(msg, "Message-ID").strip().strip("<>")
    found: dict[str, None] = {}

    def add(value: str) -> None:
        m = re.search(r"<([^<>\s]+)>", value)
        ident = (m.group(1) if m else value).strip().strip("<>")
        if ident and ident != own and "@" in ident:
            found.setdefault(ident, None)

    for headers in _returned_headers(msg):
        add(_header(headers, "Message-ID"))
    for part in _walk(msg):
        if _content_type(part) in ("message/delivery-status", "message/global-delivery-status",
                                   "message/disposition-notification", "message/global-disposition-notification"):
            for m in _ORIG_ID_FIELD_RE.finditer(_part_text(part)):
                add(m.group(1))
    if not found:
        texts = _report_texts(msg)
        for text in texts:
            for m in _MSGID_LINE_RE.finditer(text):
                add(m.group(1))
        for ident in event_failures(texts)[1] if not found else ():
            add(ident)
        if not found:  # the desk's own ID wherever the notice quotes it, under a label no rule knows (QQ's 原邮件编号)
            for ident in sorted({i for t in texts for i in own_message_ids(t)}):
                add(ident)
        if not found:  # an ID in angle brackets right after the word for the mail names it in a sentence ("accepted
            # the message <id> from …", "Router: Message <id> was not transferred"): the mail's name, not a mailbox
            for ident in (m.group(1) for t in texts for m in _NAMED_MESSAGE_RE.finditer(t[:20_000])):
                add(ident)
    if not found:  # a notice that quotes nothing of the mail names it the way a reply does (Exchange, Seznam,
        # gateways): In-Reply-To, else the last of References
        replied = _REPLY_ID_RE.findall(_header(msg, "In-Reply-To")) or _REPLY_ID_RE.findall(_header(msg, "References"))
        for ident in replied[-1:]:
            add(ident)
    return list(found)


_REPLY_ID_RE = re.compile(r"<[^<>\s]+@[^<>\s]+>")
