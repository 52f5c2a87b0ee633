"""The long-running daemon: wires ingress, the pipeline runner, the outbox sender and the web page."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import multiprocessing
import os
import signal
import sys
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

from aiohttp import web

from daemon.config import Config, ConfigError, load_config
from daemon.delivery import send_due, transport_for
from daemon.imap import MailboxReaders
from daemon.pipeline import Pipeline
from daemon.smtp import InboundHandler, server_factory
from daemon.web import make_app
from storage import inbound as inbound_q
from storage import outbox
from storage.db import Database
from templates.render import Renderer

log = logging.getLogger("postdesk")

POLL_SECONDS = 1.0  # rows written by other processes (ingest, another daemon) are seen within this
BATCH = 50  # mails per pipeline transaction (each still all-or-nothing in its own savepoint)


def parse_workers() -> int:
    """One core stays with the database work; on two cores more parsers only starve it (bench/ingest.py)."""
    return max(1, (os.cpu_count() or 2) - 1)


def warm_up() -> bool:
    """Import the parser in a pool worker before the first mail needs it."""
    import parsers.mime  # noqa: F401

    return True


def parse_pool() -> ProcessPoolExecutor:
    """Parsing is pure CPU work: worker processes let it run beside the database work on another core."""
    return ProcessPoolExecutor(max_workers=parse_workers(),
                               mp_context=multiprocessing.get_context("forkserver"))


def renderer_for(config: Config) -> Renderer:
    return Renderer(config.templates_dir, config.service.timezone)


class Daemon:
    def __init__(self, config: Config):
        self.config = config
        self.renderer = renderer_for(config)
        self.db = Database(config.database_url)
        self.pipeline = Pipeline(config, self.db, self.renderer)
        self.stopping = asyncio.Event()
        self.inbound_ready = asyncio.Event()
        self.outbox_ready = asyncio.Event()
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pipeline")
        self.sender = ThreadPoolExecutor(max_workers=1, thread_name_prefix="outbox")
        self.parsers = parse_pool()
        self.readers: MailboxReaders | None = None
        self.loop: asyncio.AbstractEventLoop | None = None

    def wake_pipeline(self) -> None:
        """Called from ingress threads: wake the pipeline loop now instead of at its next poll."""
        if self.loop is not None:
            self.loop.call_soon_threadsafe(self.inbound_ready.set)

    def start_readers(self) -> None:
        self.readers = MailboxReaders(lambda: self.config, self.db, self.wake_pipeline)
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
        self.renderer = renderer_for(new)
        self.pipeline = Pipeline(new, self.db, self.renderer)
        log.info("configuration reloaded from %s", new.path)
        if mailboxes_changed and self.loop is not None:
            log.info("mailboxes changed: reconnecting them")
            old, self.readers = self.readers, None

            def swap() -> None:
                if old is not None:
                    old.close()
                self.start_readers()
            self.loop.run_in_executor(None, swap)

    # -- loops
    async def pipeline_loop(self) -> None:
        loop = asyncio.get_running_loop()
        while not self.stopping.is_set():
            ids = await loop.run_in_executor(self.worker, inbound_q.pending_ids, self.db, 4 * BATCH)
            if ids:
                parse = functools.partial(self.parsers.map, chunksize=4)
                try:
                    await loop.run_in_executor(self.worker, self.pipeline.process_batch, ids, parse, BATCH)
                except Exception:  # the database is away: keep the rows pending and try again shortly
                    log.exception("pipeline pass failed; the mails stay pending")
                    await asyncio.sleep(POLL_SECONDS)
                self.outbox_ready.set()
            if not ids:
                await self._wait(self.inbound_ready, POLL_SECONDS)

    async def outbox_loop(self) -> None:
        loop = asyncio.get_running_loop()
        while not self.stopping.is_set():
            transport = transport_for(self.config.smtp_out)
            try:
                handled = await loop.run_in_executor(self.sender, send_due, self.db, transport,
                                                     self.config.smtp_out)
            except Exception:
                log.exception("outbox pass failed; retrying")
                handled = 0
            if not handled:
                await self._wait(self.outbox_ready, POLL_SECONDS)

    async def _wait(self, event: asyncio.Event, timeout: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(event.wait(), timeout)
        event.clear()

    # -- lifecycle
    async def run(self) -> None:
        # The pipeline thread is CPU-bound; with the default 5 ms GIL slices every SMTP round trip of
        # the event loop waits behind it (bench/latency.py, bench/memory.py).
        sys.setswitchinterval(0.0005)
        loop = asyncio.get_running_loop()
        self.loop = loop
        cfg = self.config
        await loop.run_in_executor(None, self.db.create_schema)
        # start the parse worker now: started on first use it costs the first mail a second or more
        await asyncio.wrap_future(self.parsers.submit(warm_up))
        reset = await loop.run_in_executor(None, outbox.reset_sending, self.db)
        if reset:
            log.info("%d outbox rows left in sending by a previous run go back to pending", reset)

        handler = InboundHandler(lambda: self.config, self.db, self.inbound_ready.set, cfg.smtp_in.protocol)
        smtp_server = await loop.create_server(server_factory(cfg, handler), cfg.smtp_in.listen.host,
                                               cfg.smtp_in.listen.port)
        app = make_app(lambda: self.config, self.db, lambda: self.renderer)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, cfg.web.host, cfg.web.port)
        await site.start()

        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, self.stopping.set)
        loop.add_signal_handler(signal.SIGHUP, self.reload)

        tasks = [asyncio.create_task(self.pipeline_loop(), name="pipeline"),
                 asyncio.create_task(self.outbox_loop(), name="outbox")]
        self.start_readers()
        log.info("postdesk running: %s on %s, %d IMAP mailbox(es), tracking page on http://%s, mail out to %s",
                 cfg.smtp_in.protocol.upper(), cfg.smtp_in.listen, len(cfg.mailboxes), cfg.web,
                 cfg.smtp_out.host or cfg.smtp_out.maildir)
        await self.stopping.wait()

        log.info("stopping: no new mail is accepted; finishing the mail in hand")
        smtp_server.close()
        readers = self.readers
        if readers is not None:
            await loop.run_in_executor(None, readers.close)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(smtp_server.wait_closed(), 5)
        self.inbound_ready.set()
        self.outbox_ready.set()
        await asyncio.gather(*tasks, return_exceptions=True)
        # flush: one last delivery pass for what the last mails produced
        await loop.run_in_executor(self.sender, send_due, self.db, transport_for(self.config.smtp_out),
                                   self.config.smtp_out)
        await runner.cleanup()
        self.worker.shutdown(wait=True)
        self.sender.shutdown(wait=True)
        self.parsers.shutdown(wait=True)
        self.db.dispose()
        log.info("stopped")


def run_daemon(config_path: Path) -> None:
    config = load_config(config_path)
    asyncio.run(Daemon(config).run())
