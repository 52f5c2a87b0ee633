"""Slow clients on the web port: a connection that sends no whole request head in time is closed.

aiohttp waits for a request's head (its request line and headers) as long as the client likes, and keeps an
idle connection for an hour: a client that opens thousands of connections and sends a byte now and then
(slowloris) holds a file descriptor with each, until the daemon, SMTP listener and database included, can
open no more. Here every connection must deliver each request head within `[web] idle_timeout` of opening
or of its last answer (the time a browser's idle keep-alive gets too), and have its request answered within
`REQUEST_SECONDS` of the head (an upload of the portal's largest attachment over a slow line fits).

A request aiohttp cannot parse (a line past 8 KB, 500 headers, a negative Content-Length) is the client's
fault: it gets its 400 and the log one line, not an ERROR with aiohttp's traceback for anyone to write.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError

from postdesk.daemon.ingress.limits import peer_ip

log = logging.getLogger("postdesk.web")

REQUEST_SECONDS = 600.0
_HEAD_END = b"\r\n\r\n"


class _Deadline(asyncio.Protocol):
    """Stands between the transport and aiohttp's protocol for one connection, passing everything on, and
    closes the connection when its deadline passes."""

    def __init__(self, inner: Any, guard: SlowClients):
        self.inner = inner
        self.guard = guard
        self.transport: asyncio.Transport | None = None
        self.timer: asyncio.TimerHandle | None = None
        self.head = True  # waiting for a request's head (or idle between requests)
        self.tail = b""  # the last bytes of the head so far: its end may come split over two reads

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        self.guard.open[transport] = self
        self.arm(self.guard.idle_timeout())
        self.inner.connection_made(transport)

    def data_received(self, data: bytes) -> None:
        if self.head:
            seen = self.tail + data
            if _HEAD_END in seen:
                self.head, self.tail = False, b""
                self.arm(REQUEST_SECONDS)
            else:
                self.tail = seen[-3:]
        self.inner.data_received(data)

    def eof_received(self) -> bool | None:
        return bool(self.inner.eof_received())

    def connection_lost(self, exc: Exception | None) -> None:
        if self.timer is not None:
            self.timer.cancel()
        if self.transport is not None:
            self.guard.open.pop(self.transport, None)
        self.inner.connection_lost(exc)

    def pause_writing(self) -> None:
        self.inner.pause_writing()

    def resume_writing(self) -> None:
        self.inner.resume_writing()

    def answered(self) -> None:
        """An answer went out: the next request's head is due within the idle time."""
        self.head, self.tail = True, b""
        self.arm(self.guard.idle_timeout())

    def arm(self, seconds: float) -> None:
        if self.timer is not None:
            self.timer.cancel()
        self.timer = asyncio.get_running_loop().call_later(seconds, self.expired)

    def expired(self) -> None:
        transport = self.transport
        if transport is None or transport.is_closing():
            return
        if self.head and transport.get_write_buffer_size():  # an answer is still being written out
            self.arm(self.guard.idle_timeout())
            return
        log.info("closed a web connection from %s: %s", peer_ip(transport.get_extra_info("peername")),
                 "no request in time" if self.head else "request not done in time")
        transport.close()


class SlowClients:
    """The deadlines of one web listener: `factory` wraps aiohttp's protocol factory, and the app's
    `on_response_prepare` signal re-arms a connection's deadline when its answer starts."""

    def __init__(self, app: web.Application, idle_timeout: Callable[[], float]):
        self.idle_timeout = idle_timeout  # read for each connection: a reload changes the next deadlines
        self.open: dict[asyncio.BaseTransport, _Deadline] = {}
        app.on_response_prepare.append(self._answered)

    def factory(self, inner: Callable[[], Any]) -> Callable[[], asyncio.Protocol]:
        return lambda: _Deadline(inner(), self)

    async def _answered(self, request: web.Request, response: web.StreamResponse) -> None:
        deadline = self.open.get(request.transport) if request.transport is not None else None
        if deadline is not None:
            deadline.answered()


class _BadRequests(logging.Filter):
    """aiohttp.server's "Error handling request" for a request it could not parse: one INFO line."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if isinstance(exc, HttpProcessingError):
            client = record.args[0] if isinstance(record.args, tuple) and record.args else "?"
            record.msg, record.args = "bad HTTP request from %s: %s", (client, str(exc.message).split("\n")[0])
            record.levelno, record.levelname = logging.INFO, "INFO"
            record.exc_info = record.exc_text = None
        return True


def quiet_bad_requests() -> None:
    """Install `_BadRequests` on aiohttp's server logger, once."""
    server_log = logging.getLogger("aiohttp.server")
    if not any(isinstance(f, _BadRequests) for f in server_log.filters):
        server_log.addFilter(_BadRequests())


class GuardedSite(web.TCPSite):
    """aiohttp's TCP site with each connection behind its deadlines."""

    def __init__(self, runner: web.AppRunner, host: str, port: int, guard: SlowClients):
        super().__init__(runner, host, port)
        self.guard = guard

    async def start(self) -> None:
        quiet_bad_requests()
        runner = self._runner
        server = runner.server
        assert server is not None
        await web.BaseSite.start(self)  # registers the site with its runner (TCPSite.start would listen unguarded)
        self._server = await asyncio.get_running_loop().create_server(
            self.guard.factory(server), self._host, self._port, backlog=self._backlog)
        self._bound_port = self._server.sockets[0].getsockname()[1] if self._server.sockets else self._port
