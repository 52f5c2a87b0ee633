"""SMTP/LMTP ingress: accept only our addresses, commit the raw mail, then say 250."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

from aiosmtpd.lmtp import LMTP
from aiosmtpd.smtp import SMTP, Envelope, Session

from daemon.config import Config
from parsers.headerscan import message_id_of
from storage.db import Database
from storage.inbound import Delivery, store_inbound

log = logging.getLogger("postdesk.smtp")


def deliveries_for(config: Config, recipients: list[str]) -> list[Delivery]:
    """One copy per department written to; the service address is the catch-all.

    A mail to it@ and hr@ is one request per department. The service address adds a copy only when no
    department is addressed, or when it carries a +token (a reply to one of our mails).
    """
    by_queue: dict[str, list[str]] = {}
    service: list[str] = []
    for rcpt in recipients:
        queue = config.routing.queue_for_address(rcpt)
        if queue is not None:
            by_queue.setdefault(queue.name, []).append(rcpt)
        else:
            service.append(rcpt)
    out = [Delivery(mailbox=name, queue=name, envelope_to=tuple(addrs)) for name, addrs in by_queue.items()]
    if service and (not out or any("+" in a.partition("@")[0] for a in service)):
        out.insert(0, Delivery(mailbox="service", queue=None, envelope_to=tuple(service)))
    return out


def reverse_path(mail_from: str | None) -> str:
    """The envelope sender; "" is the null path of bounces and notifications (never answered)."""
    value = (mail_from or "").strip()
    return "" if value in ("", "<>") else value.strip("<>")


def is_our_recipient(config: Config, address: str) -> bool:
    local, _, domain = address.lower().partition("@")
    base = f"{local.split('+', 1)[0]}@{domain}"
    return base == config.service.address or config.routing.queue_for_address(base) is not None


class InboundHandler:
    """The aiosmtpd handler: a narrow interface, the server kept separate from it."""

    def __init__(self, get_config: Callable[[], Config], db: Database, on_stored: Callable[[], None],
                 source: str = "smtp"):
        self.get_config = get_config
        self.db = db
        self.on_stored = on_stored
        self.source = source

    async def handle_RCPT(self, server: SMTP, session: Session, envelope: Envelope, address: str,
                          rcpt_options: list[str]) -> str:
        if not is_our_recipient(self.get_config(), address):
            log.info("refused recipient %s from %s", address, session.peer)
            return "550 5.1.1 No such recipient here"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 Ok"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or envelope.content or b""
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "surrogateescape")
        config = self.get_config()
        rcpts = [a.lower() for a in envelope.rcpt_tos]
        loop = asyncio.get_running_loop()
        try:
            ids = await loop.run_in_executor(None, lambda: store_inbound(
                self.db, raw, source=self.source, deliveries=deliveries_for(config, rcpts),
                envelope_from=reverse_path(envelope.mail_from), message_id=message_id_of(raw)))
        except Exception as exc:
            log.error("could not store mail from %s: %s: %s", envelope.mail_from, type(exc).__name__, exc)
            return self._status(envelope, "451 4.3.0 Temporary failure storing the message, try again later")
        stored = [i for i in ids if i is not None]
        log.info("stored mail from %s for %s as inbound %s", envelope.mail_from or "<>", ",".join(rcpts),
                 ",".join(map(str, stored)) or "(already stored)")
        self.on_stored()
        return self._status(envelope, "250 2.0.0 Ok: queued")

    def _status(self, envelope: Envelope, status: str) -> str:
        """LMTP answers DATA once per recipient; the copies were stored in one transaction, so alike."""
        if self.source == "lmtp":
            return "\r\n".join([status] * max(len(envelope.rcpt_tos), 1))
        return status


def server_factory(config: Config, handler: InboundHandler) -> Callable[[], Any]:
    cls = LMTP if config.smtp_in.protocol == "lmtp" else SMTP

    def make() -> Any:
        return cls(handler, data_size_limit=config.smtp_in.max_message_size, enable_SMTPUTF8=True,
                   hostname=config.service.address.partition("@")[2] or None, ident="Postdesk")
    return make
