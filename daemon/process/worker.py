"""The worker process: the pipeline and the outbox sender, apart from ingress.

Ingress and the pipeline in one process shared one GIL: SMTP took 80–90 mails/s while the pipeline ran,
against 313 alone (bench/README.md). The front process (`daemon.service`) talks to this one in the
messages of `daemon.control`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import fcntl
import functools
import gc
import logging
import multiprocessing
import os
import pickle
import signal
import socket
import threading
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from typing import IO

from apscheduler.schedulers.background import BackgroundScheduler

from postdesk.daemon.config import Config
from postdesk.daemon.knowledge import KnowledgeBase
from postdesk.daemon.outgoing.delivery import send_due, transport_for
from postdesk.daemon.pipeline.bounces import Outcomes
from postdesk.daemon.pipeline.runner import Pipeline
from postdesk.daemon.process.control import CONFIG, MAX_MESSAGE, STOP, WAKE
from postdesk.daemon.process.jobs import schedule_jobs, start_scheduler
from postdesk.daemon.process.names import parse_process
from postdesk.daemon.process.trim import fixed_thresholds, release_memory
from postdesk.parsers import ParseOptions, parse_or_error
from postdesk.storage import daemons, outbox
from postdesk.storage import inbound as inbound_q
from postdesk.storage.db import Database
from postdesk.templates.render import Renderer

log = logging.getLogger("postdesk.worker")

POLL_SECONDS = 1.0  # rows written by other processes (`postdesk ingest`, another daemon) are seen within this
PASS = 200  # mails one pass loads and hands to the parse pool, which parses ahead of the store
COMMIT_EVERY = 10  # mails a transaction (each in its savepoint); the front waits for the lock meanwhile
PARSE_TIMEOUT = 120.0  # a pass of 200 mails parses in < 1 s; this long means the pool is dead or hung
SHARE_EVERY = 5.0  # seconds between looks at how many daemons share the database (which part of the work is ours)
RECLAIM_EVERY = 5.0  # seconds between looks for outbox rows a dead daemon was sending
GATHER_SECONDS = 0.03  # after a pass, let a stream of mail gather into the next batch; a lone mail never waits



def parse_workers() -> int:
    """Two cores: the front, this process's database work and one parser; more parsers only starve the rest."""
    return max(1, (os.cpu_count() or 2) - 1)


def parse_pool(close: tuple[int, ...] = ()) -> ProcessPoolExecutor:
    """Parsing is pure CPU work: worker processes let it run beside the database work on another core.

    A worker's first pool is forked while the worker has no thread yet: its processes share the parser
    already in memory and need neither a forkserver nor a resource tracker (~20 MB together). A pool
    that replaces a dead one is made when threads run, which must not fork: its processes come from a
    forkserver that preloads the parser only (the default would import the whole daemon into each).
    No max_tasks_per_child: on Python 3.11 a pool replacing a worker can hang for good. A forked one closes
    `close`, the worker's descriptors it must not keep open (the control socket).
    """
    if threading.active_count() == 1:
        gc.freeze()  # what the worker built since its own fork stays shared too (daemon.process.fork)
        pool = ProcessPoolExecutor(max_workers=parse_workers(), mp_context=multiprocessing.get_context("fork"),
                                   initializer=parse_process, initargs=(os.getpid(), close))
        pool.submit(int)  # forks the processes now, before the pool starts its own threads
        return pool
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["postdesk.parsers.mime", "postdesk.daemon.process.names"])
    return ProcessPoolExecutor(max_workers=parse_workers(), mp_context=context, initializer=parse_process,
                               initargs=(os.getpid(),))


def renderer_for(config: Config) -> Renderer:
    return Renderer(config.templates_dir, config.service.timezone)


def single_worker_lock(config: Config) -> IO[bytes] | None:
    """One worker per SQLite database: a restarted daemon waits until a worker left by a killed one is gone,
    so resetting half-sent outbox rows never races a sender that is still alive."""
    if not config.database_url.startswith("sqlite") or "///" not in config.database_url:
        return None
    path = config.database_url.split("///", 1)[1]
    if not path or path == ":memory:":
        return None
    handle = open(f"{path}.worker-lock", "ab")  # noqa: SIM115 - held for the life of the process
    fcntl.flock(handle, fcntl.LOCK_EX)
    return handle


class Worker:
    def __init__(self, config: Config, control: socket.socket, me: str):
        self.me = me  # the daemon's id (storage.daemons): what it claims is marked with it
        self.single = False  # the only worker on this database (SQLite's lock): all it finds half done is its own
        self.config = config
        self.control = control
        self.db = Database(config.database_url)
        self.renderer = renderer_for(config)
        self.knowledge = KnowledgeBase(config.knowledge_dir)
        self.pipeline = Pipeline(config, self.db, self.renderer, knowledge=self.knowledge)
        self.stopping = asyncio.Event()
        self.orphaned = False
        self.inbound_ready = asyncio.Event()
        self.outbox_ready = asyncio.Event()
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pipeline")
        self.sender = ThreadPoolExecutor(max_workers=1, thread_name_prefix="outbox")
        self.parsers = parse_pool(close=(control.fileno(),))
        self.scheduler: BackgroundScheduler | None = None
        self._share: tuple[int, int] | None = None
        self._share_at = -SHARE_EVERY

    def on_control(self) -> None:
        while True:
            try:
                message = self.control.recv(MAX_MESSAGE)
            except BlockingIOError:
                return
            if not message:
                if not self.stopping.is_set():
                    log.warning("the front process is gone: finishing the mail in hand and stopping")
                    self.orphaned = True
                asyncio.get_running_loop().remove_reader(self.control.fileno())
                self.stopping.set()
                return
            kind = message[:1]
            if kind == WAKE:
                self.inbound_ready.set()
            elif kind == CONFIG:
                self.use(pickle.loads(message[1:]))
            elif kind == STOP:
                self.stopping.set()

    def share(self) -> tuple[int, int] | None:
        """(k, n): this daemon is the k-th of n alive on the database; looked up every few seconds."""
        if self.single:
            return None
        if time.monotonic() - self._share_at > SHARE_EVERY:
            self._share_at = time.monotonic()
            try:
                alive = sorted(d.id for d in daemons.listing(self.db) if d.alive)
                self._share = (alive.index(self.me), len(alive)) if self.me in alive else None
            except Exception as exc:  # the database is away: the pipeline pass will say so
                log.debug("no share: %s", exc)
        return self._share

    def replace_parse_pool(self) -> None:
        """A pool that died or hung is dropped (its processes killed) and a new one started."""
        old, self.parsers = self.parsers, parse_pool()
        self.pipeline.pool_failed = False
        for process in list((getattr(old, "_processes", None) or {}).values()):
            process.kill()
        old.shutdown(wait=False, cancel_futures=True)
        log.warning("parse pool replaced")

    def use(self, config: Config) -> None:
        """A reload: the front validated the file; reading it again here could find it changed since."""
        self.config = config
        self.renderer = renderer_for(config)
        if config.knowledge_dir != self.knowledge.path:
            self.knowledge = KnowledgeBase(config.knowledge_dir)
        else:
            self.knowledge.reload()
        self.pipeline = Pipeline(config, self.db, self.renderer, knowledge=self.knowledge)
        if self.scheduler is not None:
            schedule_jobs(self.scheduler, lambda: self.config, self.db, lambda: self.renderer, self.me)
        self.outbox_ready.set()

    async def pipeline_loop(self) -> None:
        loop = asyncio.get_running_loop()
        while not self.stopping.is_set():
            if self.pipeline.suspects:  # mails a timed-out pool did not reach: alone, the one that hangs it is found
                ids = [self.pipeline.suspects.pop(0)]
            else:
                ids = await loop.run_in_executor(self.worker, inbound_q.pending_ids, self.db, PASS, self.share())
            if ids:
                parse = functools.partial(self.parsers.map, chunksize=4, timeout=PARSE_TIMEOUT)
                try:
                    await loop.run_in_executor(self.worker, self.pipeline.process_batch, ids, parse, COMMIT_EVERY)
                except Exception:  # the database is away: keep the rows pending and try again shortly
                    log.exception("pipeline pass failed; the mails stay pending")
                    await asyncio.sleep(POLL_SECONDS)
                if self.pipeline.pool_failed:
                    self.replace_parse_pool()
                self.outbox_ready.set()
                await loop.run_in_executor(self.worker, release_memory)  # what the pass freed
                if len(ids) < PASS:  # each pass costs ~10 ms of its own: a trickle of 1-mail passes is slow
                    await asyncio.sleep(GATHER_SECONDS)
            if not ids:
                await self._wait(self.inbound_ready, POLL_SECONDS)

    async def outbox_loop(self) -> None:
        loop = asyncio.get_running_loop()
        reclaimed_at = 0.0
        while not self.stopping.is_set():
            transport = transport_for(self.config.smtp_out)
            try:
                if time.monotonic() - reclaimed_at > RECLAIM_EVERY:
                    reclaimed_at = time.monotonic()
                    orphans = await loop.run_in_executor(self.sender, outbox.reclaim_orphans, self.db, self.me)
                    if orphans:
                        log.warning("%d outbox rows of a daemon that died go back to pending", orphans)
                handled = await loop.run_in_executor(self.sender, functools.partial(
                    send_due, self.db, transport, self.config.smtp_out, me=self.me,
                    desk=Outcomes(self.config, self.renderer, self.db)))
            except Exception:
                log.exception("outbox pass failed; retrying")
                handled = 0
            if not handled:
                await self._wait(self.outbox_ready, POLL_SECONDS)

    async def _wait(self, event: asyncio.Event, timeout: float) -> None:
        waiter = asyncio.ensure_future(event.wait())
        stop = asyncio.ensure_future(self.stopping.wait())
        await asyncio.wait({waiter, stop}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
        waiter.cancel()
        stop.cancel()
        event.clear()

    async def run(self) -> None:
        loop = asyncio.get_running_loop()
        self.control.setblocking(False)
        loop.add_reader(self.control.fileno(), self.on_control)
        for sig in (signal.SIGTERM, signal.SIGINT):  # the front stops us through the pipe; a terminal's ^C too
            loop.add_signal_handler(sig, self.stopping.set)
        loop.add_signal_handler(signal.SIGHUP, lambda: None)  # the front forwards reloads through the pipe
        # start the parse worker now: started on first use it costs the first mail a second or more
        # (a function of the parser itself: one from here would import the whole daemon into the worker)
        await asyncio.wrap_future(self.parsers.submit(parse_or_error, b"Subject: warm-up\r\n\r\n", ParseOptions(),
                                                      (None, ())))
        reset = await loop.run_in_executor(None, outbox.reset_sending, self.db, None if self.single else self.me)
        if reset:
            log.info("%d outbox rows left in sending by a previous run go back to pending", reset)
        scheduler = self.scheduler = start_scheduler(lambda: self.config, self.db, lambda: self.renderer, self.me)
        tasks = [asyncio.create_task(self.pipeline_loop(), name="pipeline"),
                 asyncio.create_task(self.outbox_loop(), name="outbox")]
        await self.stopping.wait()
        await loop.run_in_executor(None, lambda: scheduler.shutdown(wait=True))
        await asyncio.gather(*tasks, return_exceptions=True)
        if not self.orphaned:  # flush what the last mails produced; an orphan leaves that to the next daemon
            await loop.run_in_executor(self.sender, functools.partial(
                send_due, self.db, transport_for(self.config.smtp_out), self.config.smtp_out, me=self.me,
                desk=Outcomes(self.config, self.renderer, self.db)))
        self.worker.shutdown(wait=True)
        self.sender.shutdown(wait=True)
        self.parsers.shutdown(wait=True)
        self.db.dispose()


def main() -> None:
    ap = argparse.ArgumentParser(description="Postdesk's worker process; `postdesk run` starts it.")
    ap.add_argument("--control-fd", type=int, required=True)
    ap.add_argument("--daemon-id", required=True)
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    run(args.control_fd, args.daemon_id, args.verbose)


def run(control_fd: int, daemon_id: str, verbose: bool) -> None:
    """The worker's life, whether the front forked it or `python -m daemon worker` started it."""
    from postdesk.daemon.logs import configure

    fixed_thresholds()  # inherited when forked; a worker started with exec sets them itself
    configure(verbose, None)  # the format `postdesk run` chose, passed down in the environment
    control = socket.socket(fileno=control_fd)
    first = control.recv(MAX_MESSAGE)
    if not first:  # the front stopped (or failed to start) before it configured this worker
        return
    if first[:1] != CONFIG:
        raise SystemExit("postdesk worker: the front sent no configuration")
    config: Config = pickle.loads(first[1:])
    worker = Worker(config, control, daemon_id)  # forks its parse processes: before the lock, not to hold it
    started = time.monotonic()
    lock = single_worker_lock(config)
    if time.monotonic() - started > 0.5:
        log.info("waited %.1f s for the worker of a previous run to finish", time.monotonic() - started)
    worker.single = lock is not None
    try:
        asyncio.run(worker.run())
    finally:
        with contextlib.suppress(OSError):
            if lock is not None:
                lock.close()


if __name__ == "__main__":
    main()
