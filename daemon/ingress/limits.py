"""Limits of the SMTP/LMTP ingress that are not about one mail: connections, idle time, the sender's bytes.

Each refusal names its reason, so that the admin of the sending MTA can read it in their log.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections import Counter
from typing import Any

from aiosmtpd.smtp import syntax

from postdesk.daemon.config import SmtpInConfig

log = logging.getLogger("postdesk.smtp")


def sender_refusal(address: str) -> str | None:
    """The reply refusing a MAIL FROM address, or None to take it.

    aiosmtpd keeps bytes that are not UTF-8 as lone surrogates; such an address cannot be stored or
    answered, so it is refused for good (a retry would not make it UTF-8).
    """
    try:
        address.encode("utf-8")
    except UnicodeEncodeError:
        return "553 5.1.7 The sender address is not valid UTF-8 (RFC 6531); not accepted"
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in address):
        return "553 5.1.7 The sender address contains control characters; not accepted"
    local, at, domain = address.rpartition("@")
    if address not in ("", "<>") and not (at and local and _DOMAIN.fullmatch(domain)):  # `<>`: a bounce
        return "553 5.1.7 The sender address needs a local part, @ and a domain (RFC 5321 4.1.2); not accepted"
    return None


# A domain or an address literal; non-ASCII letters pass (SMTPUTF8), quotes and brackets inside do not.
_DOMAIN = re.compile(r"\[[^\[\]\\\s]+\]|[^\s\"<>@\[\]\\(),;:]+")


def peer_ip(peername: object) -> str:
    """The client's address from a socket's peername (`(ip, port[, …])`), "unix" for a local socket."""
    return str(peername[0]) if isinstance(peername, tuple) and peername else "unix"


class Connections:
    """The open connections of one listening socket, in all and per client IP."""

    def __init__(self) -> None:
        self.total = 0
        self.by_ip: Counter[str] = Counter()

    def admit(self, ip: str, limits: SmtpInConfig) -> str | None:
        """Count a new connection in; or the 421 reply refusing it (nothing counted)."""
        if self.total >= limits.max_connections:
            return (f"421 4.7.0 Too many connections: {limits.max_connections} are open, "
                    "try again later")
        if self.by_ip[ip] >= limits.max_connections_per_ip:
            return (f"421 4.7.0 Too many connections from {ip}: at most {limits.max_connections_per_ip} "
                    "at a time, try again later")
        self.total += 1
        self.by_ip[ip] += 1
        return None

    def release(self, ip: str) -> None:
        self.total -= 1
        self.by_ip[ip] -= 1
        if self.by_ip[ip] <= 0:
            del self.by_ip[ip]


class LimitedSession:
    """Mixed into aiosmtpd's SMTP/LMTP: refuses a connection over the caps before the greeting, closes one that
    delivered no mail for `idle_timeout` (commands such as NOOP or RSET do not count), and says why it closes it
    (aiosmtpd would close it silently)."""

    def __init__(self, *args: Any, connections: Connections, limits: SmtpInConfig, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._connections = connections
        self._limits = limits
        self._counted_ip: str | None = None
        self._refused = False
        self._progress = 0.0  # when the connection opened or its last mail was delivered (time.monotonic)

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        if self._counted_ip is None and not self._refused:  # not the second call STARTTLS makes
            ip = peer_ip(transport.get_extra_info("peername"))
            refusal = self._connections.admit(ip, self._limits)
            if refusal is not None:
                self._refused = True
                log.warning("refused a connection from %s: %s", ip, refusal[10:])
                transport.write(refusal.encode() + b"\r\n")  # type: ignore[attr-defined]
                transport.close()
                return
            self._counted_ip = ip
            self._progress = time.monotonic()
        super().connection_made(transport)  # type: ignore[misc]

    def connection_lost(self, error: Exception | None) -> None:
        if self._refused:
            return
        if self._counted_ip is not None:
            self._connections.release(self._counted_ip)
            self._counted_ip = None
        super().connection_lost(error)  # type: ignore[misc]

    def eof_received(self) -> bool | None:
        if self._refused:
            return False
        return super().eof_received()  # type: ignore[misc]

    def data_received(self, data: bytes) -> None:
        if not self._refused:
            super().data_received(data)  # type: ignore[misc]

    def _reset_timeout(self, duration: float | None = None) -> None:
        """aiosmtpd re-arms the idle timer for every command: a NOOP every few minutes held a connection (one of
        max_connections) for ever. The timer runs from the connection or its last mail instead."""
        if duration is None:
            duration = max(self._progress + self._limits.idle_timeout - time.monotonic(), 0.0)
        super()._reset_timeout(duration)  # type: ignore[misc]

    @syntax("DATA")  # aiosmtpd takes only decorated methods for commands
    async def smtp_DATA(self, arg: str) -> None:
        envelope = getattr(self, "envelope", None)
        if envelope is not None and envelope.rcpt_tos:  # a DATA that will take a mail: its transfer gets the whole
            self._progressed()  # time, however late in the connection it starts (a cached connection, a slow upload)
        await super().smtp_DATA(arg)  # type: ignore[misc]
        self._progressed()  # a mail came (or was refused with its reason): the time starts again

    def _progressed(self) -> None:
        self._progress = time.monotonic()
        if getattr(self, "transport", None) is not None:
            self._reset_timeout()

    def _timeout_cb(self) -> None:
        transport = getattr(self, "transport", None)
        if transport is not None and not transport.is_closing():
            transport.write(f"421 4.4.2 Idle for {self._limits.idle_timeout:.0f} s: closing the connection\r\n"
                            .encode())
        super()._timeout_cb()  # type: ignore[misc]
