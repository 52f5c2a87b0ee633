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
"""

from __future__ import annotations

import os
import threading
from pathlib import Path


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
