"""Turn rendered text into RFC 5322 bytes with the headers that keep threads together and loops away."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import Address as HeaderAddress
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime

_REPLY_PREFIX = re.compile(r"^\s*(re|rе|отв|ответ|aw|sv|vs)\s*(\[\d+\])?\s*:", re.I)


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
    return f"postdesk.{tag}{secrets.token_hex(10)}@{domain}"


def reply_subject(subject: str, ref: str | None) -> str:
    """`Re: <subject> [SD-1]`, without doubling Re: or the reference."""
    subject = " ".join(subject.split())
    tagged = subject if not ref or f"[{ref}]".lower() in subject.lower() else f"{subject} [{ref}]".strip()
    return tagged if _REPLY_PREFIX.match(tagged) else f"Re: {tagged}"


def _address(display: str, email: str) -> HeaderAddress:
    local, _, domain = email.partition("@")
    return HeaderAddress(display_name=display, username=local, domain=domain)


def compose(*, from_name: str, from_email: str, to: list[tuple[str, str]], subject: str, text: str, html: str | None,
            in_reply_to: str | None, references: tuple[str, ...], now: datetime, auto: bool,
            ticket_ref: str | None, language: str, reply_to: str | None = None,
            extra_headers: dict[str, str] | None = None) -> Outgoing:
    """Build the mail; `auto` marks it per RFC 3834 so other robots do not answer it."""
    domain = from_email.partition("@")[2] or "localhost"
    message_id = new_message_id(domain, ticket_ref)
    msg = EmailMessage(policy=SMTP)
    msg["From"] = _address(from_name, from_email)
    msg["To"] = [_address(name, email) for name, email in to]
    if reply_to:
        msg["Reply-To"] = reply_to
    msg["Subject"] = subject
    msg["Date"] = format_datetime(now)
    msg["Message-ID"] = f"<{message_id}>"
    if in_reply_to:
        msg["In-Reply-To"] = f"<{in_reply_to}>"
    refs = [r for r in references if r]
    if in_reply_to and in_reply_to not in refs:
        refs.append(in_reply_to)
    if refs:
        msg["References"] = " ".join(f"<{r}>" for r in refs[-20:])
    if auto:
        msg["Auto-Submitted"] = "auto-replied"
        msg["X-Auto-Response-Suppress"] = "All"
    msg["Content-Language"] = language
    if ticket_ref:
        msg["X-Postdesk-Ticket"] = ticket_ref
    for k, v in (extra_headers or {}).items():
        msg[k] = v
    msg.set_content(text, charset="utf-8")
    if html:
        msg.add_alternative(html, subtype="html", charset="utf-8")
        for part in msg.iter_parts():
            del part["MIME-Version"]  # the email package repeats it on each alternative
    return Outgoing(message_id=message_id, mail_from=from_email, rcpt=tuple(e for _, e in to), subject=subject,
                    raw=msg.as_bytes())
