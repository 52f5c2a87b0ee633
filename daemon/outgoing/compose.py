"""Turn rendered text into RFC 5322 bytes with the headers that keep threads together and loops away."""

from __future__ import annotations

import base64
import functools
import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime, formataddr
from urllib.parse import quote

from postdesk.parsers.headers import CONTROL, OWN_ID_PREFIX

_REPLY_PREFIX = re.compile(r"^\s*(re|rе|отв|ответ|aw|sv|vs)\s*(\[\d+\])?\s*:", re.I)
_CONTENT_TYPE = re.compile(r"[\w.+-]+/[\w.+-]+", re.ASCII)


class UnsafeHeader(ValueError):
    """A value that would break out of its header (CR, LF or another control character): nothing is sent.

    The parser never hands such a value on; this is the second wall, and the pipeline quarantines the mail
    under the compose stage with this message rather than write a header of the sender's making.
    """


class Unsendable(ValueError):
    """An address our relay cannot take: a non-ASCII local part needs SMTPUTF8 end to end."""


def unsendable(email: str) -> str | None:
    """Why a mail to `email` cannot be sent (so the caller skips it and says so on the ticket), or None."""
    try:
        relay_address(email)
    except (Unsendable, UnsafeHeader) as exc:
        return str(exc)
    return None


def relay_address(email: str) -> str:
    """The address as an ASCII relay takes it: a non-ASCII domain in IDNA (`почта.рф` -> `xn--80a1acny.xn--p1ai`);
    a non-ASCII local part has no such form, and refuses."""
    _check("an address", email)
    if email.endswith("]") and "@[" in email:  # x@[10.0.0.5]: our relay would connect to whatever host it names
        raise Unsendable(f"{email}: an address literal names a host, not a mail domain, and our relay would "
                         "connect to any host a sender writes there; the mail was not sent")
    if email.isascii():
        return email
    local, at, domain = email.rpartition("@")
    if not at or not local.isascii():
        raise Unsendable(f"{email}: a non-ASCII local part needs SMTPUTF8, which the relay is not asked for; "
                         "the mail was not sent")
    try:
        return f"{local}@{domain.encode('idna').decode('ascii')}"
    except UnicodeError as exc:
        raise Unsendable(f"{email}: the domain has no IDNA form ({exc}); the mail was not sent") from exc


def _check(what: str, value: str) -> str:
    if CONTROL.search(value):
        raise UnsafeHeader(f"{what} holds a control character, refusing to write it into a header: {value[:80]!r}")
    return value


@dataclass(frozen=True, slots=True)
class Outgoing:
    """A composed mail, ready for the outbox."""

    message_id: str
    mail_from: str
    rcpt: tuple[str, ...]
    subject: str
    raw: bytes


def new_message_id(domain: str, ticket_ref: str | None = None) -> str:
    tag = f"{ticket_ref.lower()}." if ticket_ref else ""
    return f"{OWN_ID_PREFIX}{tag}{secrets.token_hex(10)}@{domain}"  # the prefix tells a notice's copy of it


def reply_subject(subject: str, ref: str | None) -> str:
    """`Re: <subject> [SD-1]`, without doubling Re: or the reference; controls in a mail's subject are blanks."""
    subject = " ".join(CONTROL.sub(" ", subject).split())
    tagged = subject if not ref or f"[{ref}]".lower() in subject.lower() else f"{subject} [{ref}]".strip()
    return tagged if _REPLY_PREFIX.match(tagged) else f"Re: {tagged}"


def encode_words(text: str, limit: int = 47) -> str:
    """RFC 2047 B-encoded words (at most 75 characters each), one per folded line.

    Words are cut after a space where possible: some readers put a space between encoded words of a
    name, and a cut inside a word would then split it in two.
    """
    data = text.encode("utf-8")
    words: list[bytes] = []
    while len(data) > limit:
        cut = data.rfind(b" ", 0, limit) + 1 or limit
        while cut and (data[cut] & 0xC0) == 0x80:  # never inside a character
            cut -= 1
        words.append(data[:cut])
        data = data[cut:]
    words.append(data)
    return "\r\n ".join(f"=?utf-8?b?{base64.b64encode(w).decode('ascii')}?=" for w in words)


def _header(value: str, what: str = "a header") -> str:
    """One header value on one logical line: RFC 2047 words for non-ASCII; a control character refuses."""
    value = " ".join(_check(what, value).split())
    return value if value.isascii() else encode_words(value)


def _subject(value: str) -> str:
    """The subject is text the desk takes from mails and tickets: controls in it become blanks, not an error."""
    return _header(CONTROL.sub(" ", value), "the subject")


@functools.lru_cache(maxsize=1024)
def _mailbox(display: str, email: str) -> str:
    """Remembered: the desk's own From (and an agent's, a frequent requester's) is the same on every mail."""
    display = " ".join(_check("a display name", display).split())
    email = relay_address(email)
    if not display:
        return email
    if display.isascii():
        return formataddr((display, email))
    return f"{encode_words(display)} <{email}>"


def base64_lines(data: bytes) -> bytes:
    """Base64 in CRLF-ended lines of 76 characters: one encode and slices (base64.encodebytes encodes
    57 bytes at a time in Python and was a quarter of compose)."""
    encoded = base64.b64encode(data)
    if not encoded:
        return b""
    return b"\r\n".join([encoded[i:i + 76] for i in range(0, len(encoded), 76)]) + b"\r\n"  # no copy a line


def _date(now: datetime) -> str:
    # to the second, as the header has it: each mail's clock differs in its microseconds, and a pass's mails
    # then share one header; equal instants in two zones are equal keys, not equal headers (hence the offset)
    return _date_in(now.replace(microsecond=0), now.utcoffset())


@functools.lru_cache(maxsize=8)
def _date_in(now: datetime, _offset: object) -> str:
    return format_datetime(now)


def _part(content_type: str, body: str) -> bytes:
    return (f'Content-Type: {content_type}; charset="utf-8"\r\nContent-Transfer-Encoding: base64\r\n\r\n'
            .encode() + base64_lines(body.encode("utf-8")))


@dataclass(frozen=True, slots=True)
class OutAttachment:
    filename: str
    content_type: str
    data: bytes


def _attachment(a: OutAttachment) -> bytes:
    name = " ".join(a.filename.split()) or "attachment"
    if name.isascii() and name.isprintable() and '"' not in name and "\\" not in name:
        params = f'; filename="{name}"'
    else:  # RFC 2231, which every current client reads (and which percent-encodes any control character)
        params = f"; filename*=utf-8''{quote(name, safe='')}"
    ctype = a.content_type if _CONTENT_TYPE.fullmatch(a.content_type) else "application/octet-stream"
    return (f"Content-Type: {ctype}\r\nContent-Disposition: attachment{params}\r\n"
            f"Content-Transfer-Encoding: base64\r\n\r\n".encode()
            + base64_lines(a.data))


def compose(*, from_name: str, from_email: str, to: list[tuple[str, str]], subject: str, text: str, html: str | None,
            in_reply_to: str | None, references: tuple[str, ...], now: datetime, auto: bool | str,
            ticket_ref: str | None, language: str, reply_to: str | None = None,
            extra_headers: dict[str, str] | None = None, cc: list[tuple[str, str]] | None = None,
            attachments: list[OutAttachment] | None = None) -> Outgoing:
    """Build the mail; `auto` marks it per RFC 3834 so other robots do not answer it (True means
    "auto-replied"; a string is the Auto-Submitted value, e.g. "auto-generated" for notifications).

    Assembled by hand: the email package's header objects cost ~4 ms a mail, most of the pipeline.
    """
    domain = from_email.partition("@")[2] or "localhost"
    message_id = new_message_id(domain, ticket_ref)
    headers = [
        ("From", _mailbox(from_name, from_email)),
        ("To", ", ".join(_mailbox(name, email) for name, email in to)),
        *([("Cc", ", ".join(_mailbox(name, email) for name, email in cc))] if cc else []),
        *([("Reply-To", relay_address(reply_to))] if reply_to else []),
        ("Subject", _subject(subject)),
        ("Date", _date(now)),
        ("Message-ID", f"<{message_id}>"),
    ]
    if in_reply_to and not in_reply_to.isascii():  # RFC 6532 ids cannot go into a mail without SMTPUTF8
        in_reply_to = None
    if in_reply_to:
        headers.append(("In-Reply-To", f"<{_check('a Message-ID', in_reply_to)}>"))
    refs = [_check("a Message-ID", r) for r in references if r and r.isascii()]
    if in_reply_to and in_reply_to not in refs:
        refs.append(in_reply_to)
    if refs:
        headers.append(("References", "\r\n ".join(f"<{r}>" for r in refs[-20:])))
    if auto:
        headers += [("Auto-Submitted", auto if isinstance(auto, str) else "auto-replied"),
                    ("X-Auto-Response-Suppress", "All")]
    headers.append(("Content-Language", _header(language, "the language")))
    if ticket_ref:
        headers.append(("X-Postdesk-Ticket", _header(ticket_ref, "the ticket reference")))
    headers += [(_header(k, "a header name"), _header(v)) for k, v in (extra_headers or {}).items()]
    headers.append(("MIME-Version", "1.0"))
    head = "".join(f"{k}: {v}\r\n" for k, v in headers).encode("ascii")
    if html:
        boundary = f"=_postdesk_{secrets.token_hex(12)}"
        body = (f'Content-Type: multipart/alternative; boundary="{boundary}"\r\n\r\n'.encode()
                + f"--{boundary}\r\n".encode() + _part("text/plain", text)
                + f"--{boundary}\r\n".encode() + _part("text/html", html)
                + f"--{boundary}--\r\n".encode())
    else:
        body = _part("text/plain", text)
    if attachments:
        boundary = f"=_postdesk_m{secrets.token_hex(12)}"
        body = (f'Content-Type: multipart/mixed; boundary="{boundary}"\r\n\r\n'.encode()
                + f"--{boundary}\r\n".encode() + body
                + b"".join(f"--{boundary}\r\n".encode() + _attachment(a) for a in attachments)
                + f"--{boundary}--\r\n".encode())
    rcpt = tuple(dict.fromkeys(relay_address(e) for _, e in [*to, *(cc or [])]))
    return Outgoing(message_id=message_id, mail_from=from_email, rcpt=rcpt, subject=subject, raw=head + body)
