"""The long-running daemon: the front process (ingress, web page) that runs and supervises the worker."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import pickle
import signal
import socket
import subprocess
import sys
import time

from aiohttp import web

from postdesk.daemon import version
from postdesk.daemon.config import Config, ConfigError, load_config
from postdesk.daemon.ingress.imap import MailboxReaders, mailbox_report
from postdesk.daemon.ingress.smtp import InboundHandler, server_factory
from postdesk.daemon.knowledge import KnowledgeBase
from postdesk.daemon.process.control import CONFIG, STOP, WAKE
from postdesk.daemon.process.fork import wait_forked
from postdesk.daemon.process.sdnotify import notify, watchdog
from postdesk.daemon.process.trim import release_memory
from postdesk.daemon.web.app import make_app
from postdesk.daemon.web.slow import GuardedSite, SlowClients
from postdesk.storage import daemons
from postdesk.storage.db import Database
from postdesk.templates.render import Renderer

log = logging.getLogger("postdesk")

RESTART_DELAY = (1.0, 60.0)  # a worker that keeps dying is restarted after 1, 2, 4 … 60 s


class WorkerProcess:
    """The front's handle on the worker process (daemon.worker): start, wake, reconfigure, stop, restart."""

    def __init__(self, config: Config, verbose: bool, daemon_id: str,
                 forked: tuple[int, socket.socket] | None = None):
        self.config = config
        self.verbose = verbose
        self.daemon_id = daemon_id
        self.forked = forked  # the first worker, forked before the front started threads (daemon.fork)
        self.pid: int | None = None
        self.running = False
        self._exit: asyncio.Task[int] | None = None
        self.control: socket.socket | None = None
        self.stopping = False

    async def start(self) -> None:
        if self.forked is not None:
            (self.pid, ours), self.forked = self.forked, None
            self._exit = asyncio.create_task(wait_forked(self.pid), name="worker-exit")
        else:  # a restart: the front runs threads now, so a fresh process
            ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
            args = [sys.executable, "-m", "postdesk.daemon", "worker", "--control-fd", str(theirs.fileno()),
                    "--daemon-id", self.daemon_id]
            if self.verbose:
                args.append("--verbose")
            try:
                proc = await asyncio.create_subprocess_exec(*args, pass_fds=(theirs.fileno(),),
                                                            stdin=subprocess.DEVNULL)
            finally:
                theirs.close()
            self.pid = proc.pid
            self._exit = asyncio.create_task(proc.wait(), name="worker-exit")
        self.running = True
        self._exit.add_done_callback(lambda _: setattr(self, "running", False))
        ours.setblocking(False)
        self.control = ours
        self.configure(self.config)
        log.debug("worker process %d started", self.pid)

    def send(self, message: bytes) -> bool:
        """Thread-safe and never blocks: when the socket is full, a wake-up is already waiting there."""
        if self.control is None:
            return False
        try:
            self.control.send(message)
            return True
        except OSError:  # full (BlockingIOError), or the worker is gone and will be restarted
            return False

    def wake(self) -> None:
        self.send(WAKE)

    def configure(self, config: Config) -> None:
        self.config = config
        if not self.send(CONFIG + pickle.dumps(config)):
            asyncio.get_running_loop().call_later(0.1, self.configure, config)

    async def supervise(self) -> None:
        """Restart a worker that died: mail keeps being accepted meanwhile and waits in `inbound`."""
        delay = RESTART_DELAY[0]
        while not self.stopping:
            started = time.monotonic()
            assert self._exit is not None
            code = await asyncio.shield(self._exit)
            if self.stopping:
                return
            log.error("the worker process exited with %s; restarting it in %.0f s", code, delay)
            self.close()
            await asyncio.sleep(delay)
            if self.stopping:
                return
            delay = RESTART_DELAY[0] if time.monotonic() - started > 300 else min(delay * 2, RESTART_DELAY[1])
            await self.start()

    def close(self) -> None:
        if self.control is not None:
            self.control.close()
            self.control = None

    async def stop(self, timeout: float = 60) -> None:
        self.stopping = True
        self.send(STOP)
        self.close()
        if self._exit is None:
            return
        if not self._exit.done():
            try:
                await asyncio.wait_for(asyncio.shield(self._exit), timeout)
            except TimeoutError:
                log.error("the worker did not stop in %.0f s; killing it (its mail stays pending)", timeout)
                if self.pid:
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(self.pid, signal.SIGKILL)
                await self._exit


class Daemon:
    """The front process: ingress (SMTP/LMTP, IMAP readers) and the web page; the worker does the rest."""

    def __init__(self, config: Config, verbose: bool = False, daemon_id: str | None = None,
                 forked: tuple[int, socket.socket] | None = None):
        self.config = config
        self.renderer = Renderer(config.templates_dir, config.service.timezone)
        self.db = Database(config.database_url)
        self.id = daemon_id or daemons.new_id()
        self.stopping = asyncio.Event()
        self.worker = WorkerProcess(config, verbose, self.id, forked)
        self.readers: MailboxReaders | None = None
        self.knowledge: KnowledgeBase | None = None
        self.loop: asyncio.AbstractEventLoop | None = None

    def start_readers(self) -> None:
        self.readers = MailboxReaders(lambda: self.config, self.db, self.worker.wake, self.id)
        self.readers.start()

    # -- reload
    def reload(self) -> None:
        """SIGHUP: take the new config if it validates; keep the old one otherwise."""
        try:
            new = load_config(self.config.path)
        except (ConfigError, OSError) as exc:
            log.error("reload refused, the running config stays:\n%s", exc)
            return
        for what in ("database_url", "web"):
            if getattr(new, what) != getattr(self.config, what):
                log.warning("reload: %s changed; it takes effect at the next restart", what)
        if new.smtp_in.listen != self.config.smtp_in.listen:
            log.warning("reload: smtp_in.listen changed; it takes effect at the next restart")
        mailboxes_changed = new.mailboxes != self.config.mailboxes
        self.config = new
        self.renderer = Renderer(new.templates_dir, new.service.timezone)
        self.worker.configure(new)
        if self.knowledge is not None and new.knowledge_dir != self.knowledge.path:
            self.knowledge = KnowledgeBase(new.knowledge_dir)
        elif self.knowledge is not None:
            self.knowledge.reload()
        log.info("configuration reloaded from %s", new.path)
        if mailboxes_changed and self.loop is not None:
            log.info("mailboxes changed: reconnecting them")
            old, self.readers = self.readers, None

            def swap() -> None:
                if old is not None:
                    old.close()
                self.start_readers()
            self.loop.run_in_executor(None, swap)

    # -- lifecycle
    async def heartbeat(self) -> None:
        """Tell the other daemons (and `postdesk status`) this one is alive; a database hiccup is only logged."""
        loop = asyncio.get_running_loop()
        while True:
            await asyncio.sleep(daemons.HEARTBEAT_EVERY)
            try:
                await loop.run_in_executor(None, daemons.beat, self.db, self.id)
                release_memory()
            except Exception as exc:
                log.warning("heartbeat not written: %s: %s", type(exc).__name__, exc)

    async def serve_web(self, smtp_server: asyncio.Server) -> web.AppRunner:
        """The tracking page, knowledge base, /healthz and /metrics."""
        loop = asyncio.get_running_loop()
        cfg = self.config
        self.knowledge = KnowledgeBase(cfg.knowledge_dir)

        async def health() -> dict[str, object]:
            mailboxes = await loop.run_in_executor(None, mailbox_report, self.config, self.db)
            knowledge = self.knowledge  # the one a reload may have put in place of the one made above
            assert knowledge is not None
            return {
                "smtp": {"ok": smtp_server.is_serving(), "listen": str(cfg.smtp_in.listen),
                         "protocol": cfg.smtp_in.protocol},
                "worker": {"ok": self.worker.running},
                "mailboxes": [{"name": m["name"], "ok": m["connected"] and not m["stale"],
                               "connected": m["connected"], "idle": m["idle"], "last_success": m["last_success"],
                               "last_error": m["last_error"]} for m in mailboxes],
                "knowledge": {"articles": len(knowledge.index()), "problems": len(knowledge.problems)},
            }

        app = make_app(lambda: self.config, self.db, lambda: self.renderer, self.knowledge, self.worker.wake, health)
        guard = SlowClients(app, lambda: self.config.portal.idle_timeout)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = GuardedSite(runner, cfg.web.host, cfg.web.port, guard)
        await site.start()
        return runner

    async def run(self) -> None:
        # IMAP reader threads parse server responses; short GIL slices keep SMTP round trips quick beside them
        sys.setswitchinterval(0.0005)
        loop = asyncio.get_running_loop()
        self.loop = loop
        cfg = self.config
        await loop.run_in_executor(None, self.db.create_schema)
        info = {"smtp": str(cfg.smtp_in.listen), "web": str(cfg.web), "protocol": cfg.smtp_in.protocol}
        await loop.run_in_executor(None, daemons.register, self.db, self.id, version(), info)
        beating = asyncio.create_task(self.heartbeat(), name="heartbeat")
        await self.worker.start()
        supervisor = asyncio.create_task(self.worker.supervise(), name="supervisor")

        handler = InboundHandler(lambda: self.config, self.db, self.worker.wake, cfg.smtp_in.protocol)
        smtp_server: asyncio.Server | None = None
        try:
            smtp_server = await loop.create_server(server_factory(cfg, handler), cfg.smtp_in.listen.host,
                                                   cfg.smtp_in.listen.port)
            runner = await self.serve_web(smtp_server)
        except BaseException:  # e.g. a port is taken: the worker must not outlive a front that cannot start
            if smtp_server is not None:
                smtp_server.close()
            await self.worker.stop(timeout=10)
            supervisor.cancel()
            beating.cancel()
            raise

        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, self.stopping.set)
        loop.add_signal_handler(signal.SIGHUP, self.reload)

        self.start_readers()
        log.info("postdesk running: %s on %s, %d IMAP mailbox(es), tracking page on http://%s, mail out to %s",
                 cfg.smtp_in.protocol.upper(), cfg.smtp_in.listen, len(cfg.mailboxes), cfg.web,
                 cfg.smtp_out.host or cfg.smtp_out.maildir)
        notify("READY=1", f"STATUS=taking mail on {cfg.smtp_in.listen}")  # systemd Type=notify
        pinging = asyncio.create_task(watchdog(), name="watchdog")  # WatchdogSec=; kept up while stopping
        await self.stopping.wait()

        log.info("stopping: no new mail is accepted; finishing the mail in hand")
        notify("STOPPING=1")
        smtp_server.close()
        readers = self.readers
        if readers is not None:
            await loop.run_in_executor(None, readers.close)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(smtp_server.wait_closed(), 5)
        await self.worker.stop()
        supervisor.cancel()
        beating.cancel()
        with contextlib.suppress(Exception):
            await loop.run_in_executor(None, daemons.goodbye, self.db, self.id)
        await runner.cleanup()
        self.db.dispose()
        pinging.cancel()
        log.info("stopped")
