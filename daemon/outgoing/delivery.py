"""Deliver outbox rows: into a maildir in development, through an SMTP relay in production."""

from __future__ import annotations

import logging
import os
import queue
import smtplib
import socket
import ssl
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from postdesk.daemon.config import SmtpOutConfig
from postdesk.daemon.logs import fields, ticket_ref
from postdesk.daemon.web.metrics import delivered
from postdesk.storage import outbox
from postdesk.storage.db import Database
from postdesk.storage.views import OutboxView

log = logging.getLogger("postdesk.outbox")

SYNC_THREADS = 16  # fsyncs issued at once; the journal commits those it finds waiting together


class PermanentFailure(Exception):
    """The relay refused the mail for good (5xx); retrying will not help."""


@dataclass(frozen=True, slots=True)
class Refusal:
    """What the relay answered for one recipient; `code` 0 when the connection broke before an answer."""

    code: int
    text: str
    stage: str = "rcpt"  # rcpt | data | mail | connection

    @property
    def permanent(self) -> bool:
        return 500 <= self.code < 600

    def __str__(self) -> str:
        return f"{self.code} {self.text}" if self.code else self.text


class Desk(Protocol):
    """What delivery asks of the rest of the desk (daemon/pipeline/bounces.py): each recipient's envelope sender
    (VERP), and where to record a failure for good."""

    def sender(self, row: OutboxView, recipient: str) -> str: ...

    def failed(self, row: OutboxView, refused: Mapping[str, Refusal], reason: str | None = None) -> None: ...


class Transport(Protocol):
    # True when delivering a row twice leaves one copy: its rows are then marked sent a batch at a time
    idempotent: bool
    # True when `deliver` uses each recipient's own envelope sender (VERP): a maildir has no envelope, and the
    # signed sender (an HMAC per recipient) is then not made
    envelope: bool

    def deliver(self, row: OutboxView, raw: bytes, senders: Mapping[str, str]) -> dict[str, Refusal]:
        """Deliver to every recipient; returns those the relay refused (the others took the mail)."""
        ...

    def flush(self) -> None:
        """Make what `deliver` handed over durable; raises when it could not (the rows are not sent then)."""
        ...

    def close(self) -> None: ...


class MaildirTransport:
    """One file per mail in `new/`; the name carries the outbox id, so a retry never writes twice.

    A pass writes its files into `tmp/` and `flush` makes them durable together: the files' fsyncs run at
    once on several threads (the filesystem's journal commits them as one: 50 files in 6–40 ms against
    175–260 ms one after the other), then each moves into `new/` and the directory is synced once. Only
    then are the rows marked sent (send_due); a crash before leaves them to be sent again, and a retry
    finds its file in `new/` rather than write a second one.
    """

    idempotent = True
    envelope = False

    def __init__(self, path: Path):
        self.path = path
        for sub in ("tmp", "new", "cur"):
            (path / sub).mkdir(parents=True, exist_ok=True)
        self.tmp, self.new = os.path.join(path, "tmp"), os.path.join(path, "new")  # plain strings: a Path a file
        self.host = socket.gethostname().replace("/", "_").replace(":", "_")      # cost more than its write
        self.written: list[str] = []  # file names in tmp/ that flush has not moved into new/ yet

    def _already(self, tag: str) -> bool:
        return any(any(p.name.startswith(tag) for p in (self.path / sub).iterdir()) for sub in ("new", "cur"))

    def deliver(self, row: OutboxView, raw: bytes, senders: Mapping[str, str]) -> dict[str, Refusal]:
        tag = f"{int(row.created_at.timestamp())}.postdesk-{row.id}."
        if row.attempts > 1 and self._already(tag):  # only a retry can find its own file (listing is O(n))
            return {}
        name = f"{tag}{self.host}"
        with open(f"{self.tmp}/{name}", "wb") as f:
            f.write(raw.replace(b"\r\n", b"\n"))
        self.written.append(name)
        return {}

    def flush(self) -> None:
        names, self.written = self.written, []
        if not names:
            return
        tmp, new = self.tmp, self.new
        paths = [f"{tmp}/{n}" for n in names]
        # one task per thread, each syncing every SYNC_THREADS-th file: the first fsync of each is issued at
        # once as before, without a future (and its lock and condition) per file
        shares = [paths[i::SYNC_THREADS] for i in range(min(SYNC_THREADS, len(paths)))]
        if len(shares) == 1:
            _sync_files(paths)
        else:
            _syncers().sync(shares)  # re-raises the first error
        for n in names:
            os.rename(f"{tmp}/{n}", f"{new}/{n}")
        fd = os.open(new, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

    def close(self) -> None:
        self.written = []  # files never flushed stay in tmp/: their rows were not marked sent


class SmtpTransport:
    """One relay connection for a whole pass over the outbox: a TLS handshake and login per mail would
    cost more than the mail; any error drops the connection and the next mail opens a fresh one."""

    idempotent = False
    envelope = True

    def __init__(self, cfg: SmtpOutConfig):
        self.cfg = cfg
        self.client: smtplib.SMTP | None = None
        self.plain_only = False  # the relay refused a VERP sender: the rest of this pass goes without

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

    def flush(self) -> None:
        pass  # the relay took each mail when it answered 250

    def close(self) -> None:
        client, self.client = self.client, None
        if client is not None:
            try:
                client.quit()
            except (OSError, smtplib.SMTPException):
                client.close()

    def deliver(self, row: OutboxView, raw: bytes, senders: Mapping[str, str]) -> dict[str, Refusal]:
        """One SMTP transaction per envelope sender (per recipient with VERP) on the one connection.

        A refusal is that recipient's alone; a connection that breaks before anyone took the mail raises
        (the whole row is retried), after that the rest become temporary refusals (only they are retried).
        """
        groups: dict[str, list[str]] = {}
        for rcpt in row.rcpt:
            groups.setdefault(senders.get(rcpt, row.mail_from), []).append(rcpt)
        refused: dict[str, Refusal] = {}
        items = list(groups.items())
        for i, (sender, rcpts) in enumerate(items):
            try:
                refused.update(self._send(sender, rcpts, row.mail_from, raw))
            except Exception as exc:  # the session may be broken (421, a timeout): the next mail opens a new one
                self._drop()
                if i == 0:
                    if (isinstance(exc, smtplib.SMTPResponseException) and 500 <= exc.smtp_code < 600
                            and not isinstance(exc, smtplib.SMTPAuthenticationError)):  # a wrong login: ours to fix
                        raise PermanentFailure(f"{exc.smtp_code} {_text(exc.smtp_error)}") from exc
                    raise
                refused.update({r: Refusal(0, _text(f"{type(exc).__name__}: {exc}"), "connection")
                                for _, group in items[i:] for r in group})
                break
        return refused

    def _send(self, sender: str, rcpts: list[str], plain: str, raw: bytes) -> dict[str, Refusal]:
        if self.client is None:
            self.client = self._connect()
        if self.plain_only:
            sender = plain
        try:
            got = self.client.sendmail(sender, rcpts, raw)
        except smtplib.SMTPRecipientsRefused as exc:  # smtplib reset the session: it stays usable
            got = exc.recipients
        except smtplib.SMTPSenderRefused as exc:
            if sender != plain and 500 <= exc.smtp_code < 600:  # the relay will not take our VERP sender
                log.warning("the relay refuses the envelope sender %s (%s %s): sending from %s, whose bounces "
                            "cannot be proven; let the relay's login use service+* (see README)", sender,
                            exc.smtp_code, _text(exc.smtp_error), plain)
                self.plain_only = True
                return self._send(plain, rcpts, plain, raw)
            return {r: Refusal(exc.smtp_code, _text(exc.smtp_error), "mail") for r in rcpts}
        except smtplib.SMTPDataError as exc:  # the mail itself, not the address: nobody is held for it
            return {r: Refusal(exc.smtp_code, _text(exc.smtp_error), "data") for r in rcpts}
        return {r: Refusal(code, _text(text)) for r, (code, text) in got.items()}

    def _drop(self) -> None:
        if self.client is not None:
            self.client.close()
            self.client = None


class _Syncers:
    """SYNC_THREADS threads that fsync the shares of files they are handed. A share costs a put and a get on C
    queues; a ThreadPoolExecutor's future (a Condition and its locks, a work item, a wake-up) cost the worker
    60-100 µs of CPU more per pass (16 threads, 10-50 files a pass)."""

    def __init__(self) -> None:
        self.todo: queue.SimpleQueue[tuple[list[str], queue.SimpleQueue[BaseException | None]]] = queue.SimpleQueue()
        for i in range(SYNC_THREADS):
            threading.Thread(target=self._serve, name=f"fsync-{i}", daemon=True).start()

    def _serve(self) -> None:
        while True:
            paths, done = self.todo.get()
            try:
                _sync_files(paths)
            except BaseException as exc:  # handed to the pass, which does not mark its rows sent
                done.put(exc)
            else:
                done.put(None)

    def sync(self, shares: list[list[str]]) -> None:
        """Every share synced, or the first error raised once all have finished."""
        done: queue.SimpleQueue[BaseException | None] = queue.SimpleQueue()
        for share in shares:
            self.todo.put((share, done))
        errors = [e for e in [done.get() for _ in shares] if e is not None]
        if errors:
            raise errors[0]


_pools: dict[int, _Syncers] = {}


def _syncers() -> _Syncers:
    """Kept for the process's life: starting 16 threads a pass cost more than their fsyncs' CPU. One per
    process id: a forked child has the parent's object but none of its threads."""
    pool = _pools.get(os.getpid())
    if pool is None:
        pool = _pools[os.getpid()] = _Syncers()
    return pool


def _sync_files(paths: list[str]) -> None:
    """fsync each, in turn; raises the first error (the pass's rows are then not marked sent)."""
    for path in paths:
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _text(value: bytes | str) -> str:
    """The relay's words for a log line or an event: one line, printable."""
    text = value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
    return "".join(c if c.isprintable() else " " for c in text)[:300]


def transport_for(cfg: SmtpOutConfig) -> Transport:
    return SmtpTransport(cfg) if cfg.host else MaildirTransport(cfg.maildir or Path("outbox"))


def send_due(db: Database, transport: Transport, cfg: SmtpOutConfig, limit: int = 50, me: str | None = None,
             desk: Desk | None = None) -> int:
    """Deliver what is due now; returns how many rows were handled (sent or rescheduled).

    With `desk`, each recipient gets its own signed envelope sender and failures for good are recorded on
    the ticket (and the address held); without it (tests, tools) the row's own sender is used."""
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
                senders = {r: desk.sender(row, r) for r in row.rcpt} if desk is not None and transport.envelope else {}
                refused = transport.deliver(row, raw, senders)
            except PermanentFailure as exc:
                outbox.mark_failed_attempt(db, row.id, str(exc), cfg.max_attempts, cfg.retry_after, permanent=True)
                delivered(row.kind, "failed")
                log.error("outbox %s to %s failed for good: %s", row.id, ",".join(row.rcpt), exc, extra=about)
                _record(desk, row, {}, str(exc))
            except Exception as exc:
                status = outbox.mark_failed_attempt(db, row.id, f"{type(exc).__name__}: {exc}", cfg.max_attempts,
                                                    cfg.retry_after)
                delivered(row.kind, "failed" if status == "failed" else "retry")
                log.warning("outbox %s to %s: %s: %s (now %s)", row.id, ",".join(row.rcpt), type(exc).__name__,
                            exc, status, extra=about)
                if status == "failed":
                    _record(desk, row, {}, f"gave up after {cfg.max_attempts} attempts: {type(exc).__name__}: {exc}")
            else:
                if refused:
                    _settle(db, row, refused, cfg, desk, about)
                elif transport.idempotent:
                    sent.append(row.id)
                else:  # a crash now must not send it again: one duplicate at most, never a batch
                    outbox.mark_sent(db, [row.id])
                if not refused:
                    delivered(row.kind, "sent")
                    log.info("outbox %s <%s> sent to %s in %.0f ms", row.id, row.message_id, ",".join(row.rcpt),
                             (time.monotonic() - started) * 1000, extra=about)
    finally:
        try:
            transport.flush()  # the mails durable before their rows say sent
        except Exception as exc:
            log.error("outbox: the mails of this pass could not be made durable (%s: %s); %d rows are retried",
                      type(exc).__name__, exc, len(sent))
            for outbox_id in sent:
                outbox.mark_failed_attempt(db, outbox_id, f"{type(exc).__name__}: {exc}", cfg.max_attempts,
                                           cfg.retry_after)
            sent = []
        if sent:
            outbox.mark_sent(db, sent)
        transport.close()
    return len(rows)


def _settle(db: Database, row: OutboxView, refused: dict[str, Refusal], cfg: SmtpOutConfig, desk: Desk | None,
            about: dict[str, object]) -> None:
    """Some recipients refused: those refused for a while are retried alone, those refused for good are
    recorded (and held); the row is sent once nobody is left to try."""
    took = [r for r in row.rcpt if r not in refused]
    later = [r for r in row.rcpt if r in refused and not refused[r].permanent]
    never = {r: x for r, x in refused.items() if x.permanent}
    said = "; ".join(f"{r}: {x}" for r, x in refused.items())
    if later:
        status = (outbox.mark_failed_attempt(db, row.id, said, cfg.max_attempts, cfg.retry_after)
                  if len(later) == len(row.rcpt) else
                  outbox.retry_recipients(db, row.id, later, f"sent to {', '.join(took) or 'nobody'}; {said}",
                                          cfg.max_attempts, cfg.retry_after))
        if status == "failed":
            never.update({r: refused[r] for r in later})
        log.warning("outbox %s: %s (now %s, for %s)", row.id, said, status, ", ".join(later), extra=about)
        delivered(row.kind, "failed" if status == "failed" else "retry")
    elif took:
        outbox.mark_sent(db, [row.id])
        delivered(row.kind, "sent")
        log.warning("outbox %s <%s> sent to %s; refused for good: %s", row.id, row.message_id, ", ".join(took),
                    said, extra=about)
    else:
        outbox.mark_failed_attempt(db, row.id, f"all recipients refused: {said}", cfg.max_attempts,
                                   cfg.retry_after, permanent=True)
        delivered(row.kind, "failed")
        log.error("outbox %s to %s failed for good: %s", row.id, ",".join(row.rcpt), said, extra=about)
    if never:
        _record(desk, row, never)


def _record(desk: Desk | None, row: OutboxView, refused: Mapping[str, Refusal], reason: str | None = None) -> None:
    """The failure on the ticket; its own trouble (the database away) must not stop the pass."""
    if desk is None:
        return
    try:
        desk.failed(row, refused, reason)
    except Exception:
        log.exception("outbox %s: could not record its delivery failure", row.id)
