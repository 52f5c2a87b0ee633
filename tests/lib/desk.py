"""Helpers for tests that play requesters and agents against a running daemon."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from email.message import EmailMessage
from email.utils import make_msgid

from support import Center, mail, text_of

AGENTS = """
[[agents]]
address = "ivanov@corp.example"
name = "Иван Иванов"
queues = ["it", "general"]

[[agents]]
address = "petrova@corp.example"
name = "Мария Петрова"
queues = ["it", "hr"]
lead = true
"""

REQUESTER = "petr@corp.example"


def to_of(msg: EmailMessage) -> str:
    return str(msg["To"]).lower()


def wait_for(center: Center, what: Callable[[list[EmailMessage]], list[EmailMessage]], count: int = 1,
             timeout: float = 10) -> list[EmailMessage]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = what(center.outgoing())
        if len(found) >= count:
            return found
        time.sleep(0.05)
    raise AssertionError(f"expected {count} mails, found {len(what(center.outgoing()))}:\n"
                         + "\n".join(f"{m['To']}: {m['Subject']}" for m in center.outgoing())
                         + "\n" + center.log.read_text())


def addressed(address: str, kind: str | None = None) -> Callable[[list[EmailMessage]], list[EmailMessage]]:
    """Outgoing mail to one address; kind "notify" keeps notifications (they carry a signed Reply-To)."""
    def pick(mails: list[EmailMessage]) -> list[EmailMessage]:
        out = [m for m in mails if address in to_of(m) or address in str(m.get("Cc", "")).lower()]
        if kind == "notify":
            out = [m for m in out if m["Reply-To"]]
        return out
    return pick


def open_ticket(center: Center, subject: str = "Не работает VPN",
                body: str = "Здравствуйте! С утра не работает VPN, пишет ошибку 809.",
                cc: str | None = None) -> tuple[EmailMessage, EmailMessage, EmailMessage]:
    """A new IT request: (the requester's mail, its acknowledgment, Ivanov's notification)."""
    original = mail(subject, body, cc=cc)
    center.send(original)
    (ack,) = wait_for(center, addressed(REQUESTER))
    (note,) = wait_for(center, addressed("ivanov@corp.example", "notify"))
    return original, ack, note


def reply_to(notification: EmailMessage, body: str, *, sender: str = "Иван Иванов <ivanov@corp.example>",
             to: str | None = None, attachment: tuple[str, bytes] | None = None) -> EmailMessage:
    """What a mail client makes of "Reply": the Reply-To address, the quote below."""
    m = EmailMessage()
    m["From"] = sender
    m["To"] = to or str(notification["Reply-To"])
    m["Subject"] = "Re: " + str(notification["Subject"])
    m["Message-ID"] = make_msgid(domain="corp.example")
    m["In-Reply-To"] = str(notification["Message-ID"])
    m["References"] = str(notification["Message-ID"])
    quoted = "\n".join("> " + line for line in text_of(notification).splitlines())
    m.set_content(f"{body}\n\n-- \nИван Иванов, ИТ-поддержка, доб. 1234\n\n"
                  f"27.11.2026, 10:00, Общий центр обслуживания пишет:\n{quoted}\n")
    if attachment:
        m.add_attachment(attachment[1], maintype="application", subtype="pdf", filename=attachment[0])
    return m


def send_to(center: Center, m: EmailMessage) -> None:
    center.send(m, rcpt=[a.strip() for a in str(m["To"]).split(",")])


def events(center: Center, ref: str = "SD-1") -> list[dict]:  # type: ignore[type-arg]
    return center.ticket(ref)["events"]


def wait_ticket(center: Center, check: Callable[[dict], bool], ref: str = "SD-1",  # type: ignore[type-arg]
                timeout: float = 10) -> dict:  # type: ignore[type-arg]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        shown = center.cli("tickets", "show", ref, "--json", check=False)  # the ticket may not be there yet
        if shown.returncode == 0 and check(t := json.loads(shown.stdout)):
            return t
        time.sleep(0.1)
    raise AssertionError(f"{ref} never got there: {center.ticket(ref)}\n{center.log.read_text()}")


def processed(center: Center, n: int, timeout: float = 10) -> None:
    """Wait until n inbound mails are done (processed or quarantined)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        counts = json.loads(center.cli("status", "--json").stdout)["inbound"]
        if counts.get("done", 0) + counts.get("quarantined", 0) >= n:
            return
        time.sleep(0.1)
    raise AssertionError(center.log.read_text())


def body_text(m: EmailMessage) -> str:
    """The plain-text body, or "" for a mail without one."""
    body = m.get_body(("plain",))
    return body.get_content() if body is not None else ""
