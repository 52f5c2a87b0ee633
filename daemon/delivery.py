"""Deliver outbox rows: into a maildir in development, through an SMTP relay in production."""

from __future__ import annotations

import logging
import os
import smtplib
import socket
import ssl
import time
from pathlib import Path
from typing import Protocol

from daemon.config import SmtpOutConfig
from daemon.logs import fields, ticket_ref
from daemon.metrics import delivered
from storage import outbox
from storage.db import Database
from storage.views import OutboxView

log = logging.getLogger("postdesk.outbox")


class PermanentFailure(Exception):
    """The relay refused the mail for good (5xx); retrying will not help."""


class Transport(Protocol):
    # True when delivering a row twice leaves one copy: its rows are then marked sent a batch at a time
    idempotent: bool

    def deliver(self, row: OutboxView, raw: bytes) -> None: ...

    def close(self) -> None: ...


class MaildirTransport:
    """One file per mail in `new/`; the name carries the outbox id, so a retry never writes twice."""

    idempotent = True

    def __init__(self, path: Path):
        self.path = path
        for sub in ("tmp", "new", "cur"):
            (path / sub).mkdir(parents=True, exist_ok=True)
        self.host = socket.gethostname().replace("/", "_").replace(":", "_")

    def _already(self, tag: str) -> bool:
        return any(any(p.name.startswith(tag) for p in (self.path / sub).iterdir()) for sub in ("new", "cur"))

    def deliver(self, row: OutboxView, raw: bytes) -> None:
        tag = f"{int(row.created_at.timestamp())}.postdesk-{row.id}."
        if row.attempts > 1 and self._already(tag):  # only a retry can find its own file (listing is O(n))
            return
        name = f"{tag}{self.host}"
        tmp = self.path / "tmp" / name
        with open(tmp, "wb") as f:
            f.write(raw.replace(b"\r\n", b"\n"))
            f.flush()
            os.fsync(f.fileno())
        os.rename(tmp, self.path / "new" / name)

    def close(self) -> None:
        pass


class SmtpTransport:
    """One relay connection for a whole pass over the outbox: a TLS handshake and login per mail would
    cost more than the mail; any error drops the connection and the next mail opens a fresh one."""

    idempotent = False

    def __init__(self, cfg: SmtpOutConfig):
        self.cfg = cfg
        self.client: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        cfg = self.cfg
        assert cfg.host
        context = ssl.create_default_context(cafile=str(cfg.ca_file) if cfg.ca_file else None)
        if cfg.tls == "implicit":
            client: smtplib.SMTP = smtplib.SMTP_SSL(cfg.host, cfg.port, timeout=cfg.timeout, context=context)
        else:
            client = smtplib.SMTP(cfg.host, cfg.port, timeout=cfg.timeout)
        try:
            client.ehlo()
            if cfg.tls == "starttls":
                client.starttls(context=context)
                client.ehlo()
            if cfg.username:
                client.login(cfg.username, cfg.password or "")
        except BaseException:
            client.close()
            raise
        return client

    def close(self) -> None:
        client, self.client = self.client, None
        if client is not None:
            try:
                client.quit()
            except (OSError, smtplib.SMTPException):
                client.close()

    def deliver(self, row: OutboxView, raw: bytes) -> None:
        try:
            if self.client is None:
                self.client = self._connect()
            refused = self.client.sendmail(row.mail_from, list(row.rcpt), raw)
        except smtplib.SMTPRecipientsRefused as exc:  # smtplib reset the session: it stays usable
            if all(500 <= code < 600 for code, _ in exc.recipients.values()):
                raise PermanentFailure(f"recipients refused: {exc.recipients}") from exc
            raise
        except Exception as exc:  # the session may be broken (421, a timeout): the next mail opens a new one
            if self.client is not None:
                self.client.close()
                self.client = None
            if (isinstance(exc, smtplib.SMTPResponseException) and 500 <= exc.smtp_code < 600
                    and not isinstance(exc, smtplib.SMTPAuthenticationError)):  # a wrong login is ours to fix
                raise PermanentFailure(f"{exc.smtp_code} {exc.smtp_error!r}") from exc
            raise
        if refused and len(refused) == len(row.rcpt):
            raise PermanentFailure(f"all recipients refused: {refused}")


def transport_for(cfg: SmtpOutConfig) -> Transport:
    return SmtpTransport(cfg) if cfg.host else MaildirTransport(cfg.maildir or Path("outbox"))


def send_due(db: Database, transport: Transport, cfg: SmtpOutConfig, limit: int = 50, me: str | None = None) -> int:
    """Deliver what is due now; returns how many rows were handled (sent or rescheduled)."""
    rows = outbox.claim_due(db, limit, me=me)
    sent: list[int] = []
    gap = 1 / cfg.rate if cfg.rate else 0.0
    last = 0.0
    try:
        for row, raw in rows:
            if gap and time.monotonic() - last < gap:  # [smtp_out] rate: a digest run must not flood the relay
                time.sleep(gap - (time.monotonic() - last))
            started = last = time.monotonic()
            about = fields(outbox=row.id, message_id=row.message_id, ticket=ticket_ref(row.ticket_id))
            try:
                if raw is None:
                    raise PermanentFailure("the mail was purged by retention ([retention] raw_mail); "
                                           "it cannot be sent again")
                transport.deliver(row, raw)
            except PermanentFailure as exc:
                outbox.mark_failed_attempt(db, row.id, str(exc), cfg.max_attempts, cfg.retry_after, permanent=True)
                delivered(row.kind, "failed")
                log.error("outbox %s to %s failed for good: %s", row.id, ",".join(row.rcpt), exc, extra=about)
            except Exception as exc:
                status = outbox.mark_failed_attempt(db, row.id, f"{type(exc).__name__}: {exc}", cfg.max_attempts,
                                                    cfg.retry_after)
                delivered(row.kind, "failed" if status == "failed" else "retry")
                log.warning("outbox %s to %s: %s: %s (now %s)", row.id, ",".join(row.rcpt), type(exc).__name__,
                            exc, status, extra=about)
            else:
                if transport.idempotent:
                    sent.append(row.id)
                else:  # a crash now must not send it again: one duplicate at most, never a batch
                    outbox.mark_sent(db, [row.id])
                delivered(row.kind, "sent")
                log.info("outbox %s <%s> sent to %s in %.0f ms", row.id, row.message_id, ",".join(row.rcpt),
                         (time.monotonic() - started) * 1000, extra=about)
    finally:
        if sent:
            outbox.mark_sent(db, sent)
        transport.close()
    return len(rows)
