"""Syncing a committed SQLite transaction to disk after the write lock is released.

With `synchronous=FULL` SQLite fsyncs the WAL inside COMMIT, while it holds the database's one write lock:
every mail the ingress acknowledges then kept the worker from writing for the length of a sync (~6 ms
here). Committing with `synchronous=NORMAL` and syncing the WAL file right after, outside the lock, makes
the transaction just as durable:

- COMMIT has written the transaction's frames into the WAL file; an fdatasync of that file puts them, and
  everything written before them (earlier commits, the WAL header), on disk. Frames other processes write
  meanwhile are either synced too or, after a power failure, fail their checksum and are ignored at
  recovery, which stops before them.
- If a checkpoint ran in between, it synced the WAL before copying it and the database file after, so the
  transaction is in the synced database file; a WAL restarted after that checkpoint only holds later ones.
- A WAL file created since the last sync also needs its directory entry on disk: the directory is synced
  once per new WAL file.

A database not in WAL mode (no -wal file after a commit) gets its main file synced instead.

`IngressTurn` lets those durable writers, whose clients wait for a 250, go before the worker's batches.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import struct
import threading
import time
from collections.abc import Iterator
from pathlib import Path

GIVE_WAY_SECONDS = 0.05  # the longest a batch writer waits for durable writers, so that it always gets its turn


class WalSync:
    def __init__(self, database: Path):
        self.database = database
        self.wal = Path(f"{database}-wal")
        self._synced_inode: int | None = None
        self._lock = threading.Lock()

    def __call__(self) -> None:
        """Everything committed to this database so far is on disk when this returns."""
        try:
            fd = os.open(self.wal, os.O_RDONLY)
        except FileNotFoundError:
            fd = os.open(self.database, os.O_RDONLY)
        try:
            os.fdatasync(fd)
            inode = os.fstat(fd).st_ino
        finally:
            os.close(fd)
        with self._lock:
            if inode == self._synced_inode:
                return
        directory = os.open(self.database.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)
        with self._lock:
            self._synced_inode = inode


class IngressTurn:
    """Writers whose client waits (the ingress's group commits) go before the worker's batches.

    SQLite has one write lock and no queue: a waiting writer retries, and the worker, which commits a batch
    and begins the next at once, took the lock again and again while the front's commit waited (73 % of the
    commit thread's time in `bench/ingest_smtp.py`, 8 connections); the front then accepted only as many
    mails as it had sessions per worker batch. Here a durable writer holds a shared lock (an OFD lock,
    Linux) on `<database>.ingress-turn` from before it asks for the write lock until it has committed.
    The worker's batch asks `wanted()` between its mails and, once it has held the lock a few ms, commits
    early when someone waits; before its next transaction it gives way to them, for at most
    GIVE_WAY_SECONDS so that it is never starved. Nothing else changes: every mail is still stored,
    processed and synced as before, only the order in which the writers get the lock.

    An OFD lock belongs to an open file, so each process opens its own (the writers of one process do not
    see each other's, and need not: they queue on the Database's own lock). A file we cannot open gives
    no turn: everyone writes as before.
    """

    def __init__(self, database: Path):
        self.path = Path(f"{database}.ingress-turn")
        self._fd: int | None = None
        self._pid = 0

    def _file(self) -> int | None:
        if self._pid != os.getpid():  # a forked child must not share its parent's open file (and its locks)
            self._pid = os.getpid()
            try:  # a read lock and the test need only read access: another user's file serves as well
                self._fd = os.open(self.path, os.O_RDONLY | os.O_CREAT | os.O_CLOEXEC, 0o644) if _OFD else None
            except OSError:
                self._fd = None
        return self._fd

    @contextlib.contextmanager
    def durable(self) -> Iterator[None]:
        """Around a durable write transaction, from before it asks for the write lock until it committed."""
        fd = self._file()
        if fd is None:
            yield
            return
        fcntl.fcntl(fd, fcntl.F_OFD_SETLKW, _flock(fcntl.F_RDLCK))
        try:
            yield
        finally:
            fcntl.fcntl(fd, fcntl.F_OFD_SETLK, _flock(fcntl.F_UNLCK))

    def give_way(self) -> None:
        """Before a batch transaction: wait while durable writers wait or write, GIVE_WAY_SECONDS at most."""
        deadline = time.monotonic() + GIVE_WAY_SECONDS
        while self.wanted() and time.monotonic() < deadline:
            time.sleep(0.0002)

    def wanted(self) -> bool:
        """Whether a durable writer (of any process) waits for the write lock or holds it.

        Asked without taking a lock (F_OFD_GETLK): a test lock held for a moment by a batch writer the
        scheduler then set aside would block the durable writer it was asking about."""
        fd = self._file()
        if fd is None:
            return False
        answer = fcntl.fcntl(fd, fcntl.F_OFD_GETLK, _flock(fcntl.F_WRLCK))
        kind: int = struct.unpack(_FLOCK, answer)[0]
        return kind != fcntl.F_UNLCK


_OFD = hasattr(fcntl, "F_OFD_GETLK")  # Linux 3.15 and later; elsewhere nobody gets a turn, as before
_FLOCK = "@hhqqi4x"  # struct flock on Linux: type, whence, start, length (0: the whole file), pid (0 for OFD locks)


def _flock(kind: int) -> bytes:
    return struct.pack(_FLOCK, kind, os.SEEK_SET, 0, 0, 0)
