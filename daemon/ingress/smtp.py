"""SMTP/LMTP ingress: accept only our addresses, commit the raw mail, then say 250."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from aiosmtpd.lmtp import LMTP
from aiosmtpd.smtp import SMTP, Envelope, Session

from postdesk.daemon.config import Config
from postdesk.daemon.ingress.limits import Connections, LimitedSession, peer_ip, sender_refusal
from postdesk.daemon.logs import mail_fields
from postdesk.daemon.web.metrics import count_received
from postdesk.parsers.addresses import mailbox_of
from postdesk.parsers.headerscan import message_id_of
from postdesk.storage.db import Database
from postdesk.storage.inbound import Arrival, Delivery, store_arrivals
from postdesk.storage.options import InboundOptions

log = logging.getLogger("postdesk.smtp")


def deliveries_for(config: Config, recipients: list[str]) -> list[Delivery]:
    """One copy per department written to; the service address is the catch-all.

    A mail to it@ and hr@ is one request per department. The service address adds a copy only when no
    department is addressed, or when it is a signed reply address (an agent answering a notification).
    """
    by_queue: dict[str, list[str]] = {}
    service: list[str] = []
    news: list[str] = []
    for rcpt in recipients:
        if config.news_address and mailbox_of(rcpt) == config.news_address:
            news.append(rcpt)
            continue
        queue = config.routing.queue_for_address(rcpt)
        if queue is not None:
            by_queue.setdefault(queue.name, []).append(rcpt)
        else:
            service.append(rcpt)
    out = [Delivery(mailbox=name, queue=name, envelope_to=tuple(addrs)) for name, addrs in by_queue.items()]
    if service and (not out or any(config.service.reply_token_of(a) for a in service)):
        out.insert(0, Delivery(mailbox="service", queue=None, envelope_to=tuple(service)))
    if news:  # an editor's news item, never a request
        out.append(Delivery(mailbox="news", queue=None, envelope_to=tuple(news)))
    return out


def reverse_path(mail_from: str | None) -> str:
    """The envelope sender; "" is the null path of bounces and notifications (never answered)."""
    value = (mail_from or "").strip()
    return "" if value in ("", "<>") else value.strip("<>")


def is_our_recipient(config: Config, address: str) -> bool:
    base = mailbox_of(address)
    return (base == config.service.address or base in config.service.aliases
            or config.routing.queue_for_address(base) is not None
            or config.service.reply_token_of(address) is not None or base == config.news_address)


class GroupCommitter:
    """Stores the mails of concurrent SMTP sessions in one transaction and answers each after the commit.

    Under load one commit serves many sessions (SQLite has a single writer), and one durable sync (fsync)
    serves them all; alone, a mail is stored at once, so latency does not change. The commits run on a
    thread of their own: shared with page loads and health checks, they waited behind them for seconds.
    """

    def __init__(self, db: Database, on_stored: Callable[[], None] = lambda: None):
        self.db = db
        self.on_stored = on_stored  # wakes the worker: once a group, not once a mail
        self.thread = ThreadPoolExecutor(1, thread_name_prefix="ingress-commit")
        self.waiting: list[tuple[Arrival, asyncio.Future[list[int | None]]]] = []
        self.busy = False

    async def store(self, arrival: Arrival) -> list[int | None]:
        future: asyncio.Future[list[int | None]] = asyncio.get_running_loop().create_future()
        self.waiting.append((arrival, future))
        if not self.busy:
            self.busy = True
            asyncio.get_running_loop().create_task(self._drain())
        return await future

    async def _drain(self) -> None:
        loop = asyncio.get_running_loop()
        try:
            while self.waiting:
                batch, self.waiting = self.waiting, []
                try:
                    results = await loop.run_in_executor(self.thread, store_arrivals, self.db,
                                                         [a for a, _ in batch])
                except Exception as exc:
                    for _, future in batch:
                        if not future.done():
                            future.set_exception(exc)
                    continue
                if any(i is not None for ids in results for i in ids):
                    self.on_stored()
                for (_, future), ids in zip(batch, results, strict=True):
                    if not future.done():
                        future.set_result(ids)
        finally:
            self.busy = False


class InboundHandler:
    """The aiosmtpd handler: a narrow interface, the server kept separate from it."""

    def __init__(self, get_config: Callable[[], Config], db: Database, on_stored: Callable[[], None],
                 source: str = "smtp"):
        self.get_config = get_config
        self.db = db
        self.on_stored = on_stored
        self.source = source
        self.committer = GroupCommitter(db, on_stored)

    async def handle_MAIL(self, server: SMTP, session: Session, envelope: Envelope, address: str,
                          mail_options: list[str]) -> str:
        """A sender we could not store is refused now, for good: a 250 here would be a 451 at every DATA,
        and the client would retry for days."""
        refusal = sender_refusal(address)
        if refusal is not None:
            log.info("refused sender from %s: %s", session.peer, refusal)
            return refusal
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 2.1.0 Ok"

    async def handle_RCPT(self, server: SMTP, session: Session, envelope: Envelope, address: str,
                          rcpt_options: list[str]) -> str:
        config = self.get_config()
        if not is_our_recipient(config, address):
            log.info("refused recipient %s from %s", address, session.peer)
            return "550 5.1.1 No such recipient here"
        if len(envelope.rcpt_tos) >= config.smtp_in.max_recipients:  # RFC 5321 4.5.3.1.10: the rest comes later
            return (f"452 4.5.3 Too many recipients: at most {config.smtp_in.max_recipients} in one mail, "
                    "send the others in another transaction")
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 Ok"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or envelope.content or b""
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "surrogateescape")
        config = self.get_config()
        rcpts = [a.lower() for a in envelope.rcpt_tos]
        peer = peer_ip(session.peer)
        # a client that is not our MX may have written any Authentication-Results it liked: none of them counts
        options = None if config.smtp_in.relayed_by_mx(peer) else InboundOptions(untrusted_peer=peer)
        arrival = Arrival(raw, self.source, tuple(deliveries_for(config, rcpts)), reverse_path(envelope.mail_from),
                          message_id_of(raw), options=options)
        try:
            ids = await self.committer.store(arrival)
        except Exception as exc:
            log.error("could not store mail from %s: %s: %s", envelope.mail_from, type(exc).__name__, exc,
                      extra=mail_fields(None, arrival.message_id))
            return self._status(envelope, "451 4.3.0 Temporary failure storing the message, try again later")
        sender = envelope.mail_from or "<>"
        for delivery, inbound_id in zip(arrival.deliveries, ids, strict=True):
            if inbound_id is None:
                log.info("mail from %s for %s was already stored for %s", sender, ",".join(delivery.envelope_to),
                         delivery.mailbox, extra=mail_fields(None, arrival.message_id))
                continue
            count_received(self.source, delivery.mailbox)
            log.info("stored mail from %s for %s as inbound %s", sender, ",".join(delivery.envelope_to), inbound_id,
                     extra=mail_fields(inbound_id, arrival.message_id))
        return self._status(envelope, "250 2.0.0 Ok: queued")

    def _status(self, envelope: Envelope, status: str) -> str:
        """LMTP answers DATA once per recipient; the copies were stored in one transaction, so alike."""
        if self.source == "lmtp":
            return "\r\n".join([status] * max(len(envelope.rcpt_tos), 1))
        return status


LINE_LENGTH_LIMIT = 64 * 1024


_PLAIN_PATH = re.compile(r"<([A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
                         r"@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*)>")


class PlainPaths:
    """aiosmtpd parses each MAIL and RCPT path with the email package's header parser and defines a typing
    Protocol class on every call: ~0.15 ms a mail of the front's one CPU. A plain `<dot-atom@domain>`,
    what MTAs send, is taken as it is (the parser would give the very same string); anything else
    (quoted local parts, source routes, UTF-8, `<>`) still goes to aiosmtpd."""

    local_part_limit: int

    def _getaddr(self, arg: str) -> tuple[str | None, str | None]:
        if arg:
            stripped = arg.lstrip()
            m = _PLAIN_PATH.match(stripped)
            rest = stripped[m.end():].lstrip() if m else ""  # the parser takes the blanks after the path too
            if (m and not rest.startswith("(")
                    and not (self.local_part_limit and len(m.group(1).rpartition("@")[0]) > self.local_part_limit)):
                return m.group(1), rest
        return super()._getaddr(arg)  # type: ignore[misc]


class LenientSMTP(PlainPaths, LimitedSession, SMTP):
    """Takes lines longer than RFC 5321's 1,000 octets: a refused mail is lost to its writer, and
    real clients (HTML editors, some gateways) send such lines; the size limit still applies."""

    line_length_limit = LINE_LENGTH_LIMIT


class LenientLMTP(PlainPaths, LimitedSession, LMTP):
    line_length_limit = LINE_LENGTH_LIMIT


def server_factory(config: Config, handler: InboundHandler) -> Callable[[], Any]:
    cls = LenientLMTP if config.smtp_in.protocol == "lmtp" else LenientSMTP
    connections = Connections()

    def make() -> Any:
        limits = handler.get_config().smtp_in  # a reload changes the limits of the next connections
        return cls(handler, data_size_limit=config.smtp_in.max_message_size, enable_SMTPUTF8=True,
                   hostname=config.service.address.partition("@")[2] or None, ident="Postdesk",
                   timeout=limits.idle_timeout, connections=connections, limits=limits)
    return make
