"""The first worker is forked from the front before it starts any thread, and shares its modules.

A worker started with exec imports SQLAlchemy, jinja2 and the daemon again: ~40 MB the front already
holds. Forked, it shares those pages for as long as neither writes to them. Only a process without
threads may fork (a lock another thread holds would stay locked in the child), so a worker restarted
after a crash, when the front's threads run, is started with exec instead.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import socket
import sys
import threading
import traceback

from postdesk.daemon.process.names import name_process
from postdesk.daemon.process.trim import fixed_thresholds


def fork_worker(daemon_id: str, verbose: bool, database_url: str) -> tuple[int, socket.socket] | None:
    """(pid, control socket) of a worker forked now; None if this process already runs threads."""
    fixed_thresholds()  # the front's malloc settings, inherited by the worker and its parse processes
    if threading.active_count() > 1:
        return None
    import postdesk.daemon.process.worker  # noqa: F401  (imported before the fork, so the worker shares it)

    _preload(database_url)

    # the collector then never writes to the shared objects, so their pages stay shared; no gc.collect()
    # first: the holes it frees in shared pages would be filled by both processes' new objects, copying
    # those pages in each (the order Python's gc.freeze documentation gives; issue 19)
    gc.freeze()
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # pragma: no cover  (the worker)
        ours.close()
        os._exit(_run_worker(theirs.detach(), daemon_id, verbose))
    theirs.close()
    return pid, ours


def _preload(database_url: str) -> None:
    """What both processes would import after the fork, each into a copy of its own: SQLAlchemy's dialect
    of the database (~0.6 MB, imported when the engine is made), the schema module, Jinja's extensions."""
    import jinja2.ext  # noqa: F401

    import postdesk.storage.schema  # noqa: F401
    from postdesk.storage.db import import_dialect

    import_dialect(database_url)


async def wait_forked(pid: int) -> int:
    """Exit code of a child forked by fork_worker (minus the signal that killed it), without a thread."""
    loop = asyncio.get_running_loop()
    try:
        pidfd = os.pidfd_open(pid)
    except (AttributeError, OSError):  # before Linux 5.3, or a sandbox that forbids it: poll
        while True:  # (not a thread blocked in waitpid: asyncio.run would wait for it on the way out)
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                return os.waitstatus_to_exitcode(status)
            await asyncio.sleep(0.2)
    ended: asyncio.Future[None] = loop.create_future()

    def readable() -> None:
        if not ended.done():
            ended.set_result(None)

    loop.add_reader(pidfd, readable)
    try:
        await ended
    finally:
        loop.remove_reader(pidfd)
        os.close(pidfd)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def _run_worker(control_fd: int, daemon_id: str, verbose: bool) -> int:  # pragma: no cover  (the worker)
    name_process("postdesk-worker")
    null = os.open(os.devnull, os.O_RDONLY)  # the terminal's input is the front's, as with exec
    os.dup2(null, 0)
    os.close(null)
    from postdesk.daemon.process.worker import run

    code = 0
    try:
        run(control_fd, daemon_id, verbose)
    except SystemExit as exc:
        if isinstance(exc.code, int) or exc.code is None:
            code = exc.code or 0
        else:
            print(exc.code, file=sys.stderr)
            code = 1
    except BaseException:
        traceback.print_exc()
        code = 1
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    return code
