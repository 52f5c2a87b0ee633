"""The daemon's processes: names that tell them apart, and helpers that end with their parent."""

from __future__ import annotations

import contextlib
import ctypes
import os
import threading
import time
from pathlib import Path

from postdesk.daemon.process.trim import release_memory


def name_process(name: str) -> None:
    """What `ps -o comm` and `top` show: a forked process would otherwise read as the one it came from."""
    with contextlib.suppress(Exception):
        ctypes.CDLL(None).prctl(15, name.encode()[:15], 0, 0, 0)  # PR_SET_NAME


def parse_process(worker: int, close: tuple[int, ...] = ()) -> None:
    """Initializer of the worker's parse processes: `close` are inherited descriptors they must not hold."""
    name_process("postdesk-parse")
    for fd in close:
        with contextlib.suppress(OSError):
            os.close(fd)
    exit_with(worker, trim=True)


def alive(pid: int) -> bool:
    """False once `pid` is gone or a zombie nobody reaped (a SIGKILLed worker whose front died too)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except FileNotFoundError:
        return False
    except OSError:  # no /proc: the signal check is all there is
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True
    return state not in ("Z", "X")


def exit_with(pid: int, every: float = 1.0, trim: bool = False) -> None:
    """A pool's process never learns that the process using the pool died; left alone it would wait
    forever (and keep a forkserver and resource tracker alive with it). With `trim`, the watch also gives
    the memory the parses freed back every second (daemon.process.trim): the parse process has no pass
    of its own to do it after."""

    forked = os.getppid() == pid  # then a new parent means it died, whatever later reuses its pid

    def watch() -> None:
        while os.getppid() == pid if forked else alive(pid):
            time.sleep(every)
            if trim:
                release_memory()
        os._exit(0)

    threading.Thread(target=watch, name="exit-with-worker", daemon=True).start()
