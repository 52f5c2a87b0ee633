"""A first retention purge of a big history, and the daily one after it: how long, and how long each write
transaction holds SQLite's write lock (ingress waits for it meanwhile).

    .venv/bin/python bench/retention_purge.py [N]     # N done inbound mails, 2N sent outgoing mails (100000)
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from metrics_scrape import fill
from sqlalchemy import event

from postdesk.storage.db import Database
from postdesk.storage.retention import purge_raw


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite:///{Path(tmp) / 'bench.db'}")
        db.create_schema()
        fill(db, n)
        held: list[float] = []
        began: dict[str, float] = {}

        def begin(conn: Any) -> None:  # after the write lock is taken (storage.db's own listener runs first)
            began["at"] = time.perf_counter()

        event.listen(db.write_engine, "begin", begin)
        event.listen(db.write_engine, "commit", lambda conn: held.append(time.perf_counter() - began["at"]))
        started = time.perf_counter()
        purged = purge_raw(db, datetime.now(UTC))
        took = time.perf_counter() - started
        ms = sorted(h * 1000 for h in held)
        print(f"first purge: {purged.inbound} inbound + {purged.outbox} outbox rows in {took:.1f} s, "
              f"{len(ms)} transactions holding the lock median {statistics.median(ms):.0f} ms, "
              f"p99 {ms[int(len(ms) * 0.99)]:.0f} ms, max {ms[-1]:.0f} ms")
        started = time.perf_counter()
        again = purge_raw(db, datetime.now(UTC))
        print(f"the next day's run: {again.inbound + again.outbox} rows in {time.perf_counter() - started:.2f} s")
        db.dispose()


if __name__ == "__main__":
    main()
