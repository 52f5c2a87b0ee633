"""What a `/metrics` scrape costs against a big history: N done inbound mails, N tickets, 2N sent outgoing mails.

    .venv/bin/python bench/metrics_scrape.py [N]      # default 100000; a fresh SQLite file in a temp folder

Rows are bulk-inserted (no pipeline), with a few pending, quarantined and failed ones; the scrape's database
part (storage.depths via daemon.metrics) is timed over 50 runs.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

from postdesk.daemon.web.metrics import exposition
from postdesk.storage.db import Database
from postdesk.storage.models import Inbound, Outbox, Ticket

RAW = b"From: a@corp.example\r\nSubject: x\r\n\r\n" + b"body line\r\n" * 400  # ~4 KB


def fill(db: Database, n: int) -> None:
    now = datetime.now(UTC) - timedelta(days=30)
    with db.write() as s:
        for start in range(0, n, 5000):
            count = min(5000, n - start)
            s.execute(insert(Inbound), [
                {"source": "smtp", "mailbox": "service", "envelope_to": [], "message_id": f"{i}@corp.example",
                 "size": len(RAW), "raw": RAW, "received_at": now, "options": {},
                 "status": "pending" if i % 20000 == 0 else "quarantined" if i % 30000 == 1 else "done"}
                for i in range(start, start + count)])
            s.execute(insert(Ticket), [
                {"subject": "x", "queue": "it", "requester_email": "a@corp.example", "language": "ru",
                 "created_at": now, "updated_at": now} for _ in range(count)])
            s.execute(insert(Outbox), [
                {"kind": "ack" if i % 2 else "notify", "message_id": f"out{i}@corp.example", "mail_from": "s@c.example",
                 "rcpt": ["a@corp.example"], "recipient": "a@corp.example", "raw": RAW, "created_at": now,
                 "next_attempt_at": now, "status": "failed" if i % 50000 == 3 else "sent", "sent_at": now}
                for i in range(2 * start, 2 * (start + count))])


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite:///{Path(tmp) / 'bench.db'}")
        db.create_schema()
        started = time.perf_counter()
        fill(db, n)
        print(f"{n} tickets, {n} inbound and {2 * n} outbox rows inserted in {time.perf_counter() - started:.1f} s")
        times = []
        for _ in range(50):
            started = time.perf_counter()
            text = exposition(db, lambda: ["hr", "it"])
            times.append((time.perf_counter() - started) * 1000)
        print(f"scrape: median {statistics.median(times):.2f} ms, max {max(times):.2f} ms, {len(text)} bytes")
        print("\n".join(line for line in text.decode().splitlines()
                        if line.startswith(("postdesk_inbound_mails", "postdesk_outbox_mails"))))
        db.dispose()


if __name__ == "__main__":
    main()
