"""A news digest to N subscribers, run by the daemon's own scheduler, and what it does to ticket mail.

    .venv/bin/python bench/digest.py [--n 10000] [--acks 50]

Imports N requesters (one old ticket each, nothing sent), starts a real `postdesk run` whose digest is
due every minute, and while the worker queues the digest, measures end of SMTP DATA -> acknowledgment in
the maildir for new requests. Prints how long the digest took to queue and deliver, and the ack latency
during it against the same daemon idle. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import mailbox
import os
import platform
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "lib"))

from latency import measure_smtp, show  # noqa: E402

from support import Center, mail  # noqa: E402

NEWS = "---\ntitle: Новый VPN-клиент\ndate: 2026-01-01\nqueues: all\nlang: ru\n---\nС понедельника — FortiClient.\n"


def count(center: Center, sql: str) -> int:
    with sqlite3.connect(center.root / "var" / "postdesk.db", timeout=30) as db:
        return int(db.execute(sql).fetchone()[0])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--acks", type=int, default=50)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="pd-digest-"))
    news = work / "news"
    news.mkdir()
    (news / "vpn.md").write_text(NEWS, encoding="utf-8")
    extra = f'[news]\ndir = "{news}"\n\n[[digests]]\nname = "bench"\nschedule = "* * * * *"\n'
    center = Center(work / "center", service_extra="auto_replies_per_hour = 100000", extra=extra)
    print(f"# {platform.node()}: {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{time.strftime('%Y-%m-%d %H:%M')}; {args.n} subscribers")
    box = mailbox.mbox(str(work / "people.mbox"))
    for i in range(args.n):
        box.add(mail(f"Заявка {i}", "Старая заявка.", sender=f"person{i}@corp.example").as_bytes())
    box.flush()
    started = time.perf_counter()
    center.cli("import-mbox", str(work / "people.mbox"), "--queue", "it", "--closed")
    print(f"imported {args.n} requesters in {time.perf_counter() - started:.0f} s")
    center.start()
    try:
        show("SMTP end of DATA -> acknowledgment, idle", measure_smtp(center, args.acks))
        while count(center, "SELECT count(*) FROM digest_sends") == 0:  # the minute's digest begins
            time.sleep(0.05)
        began = time.perf_counter()
        during = measure_smtp(center, args.acks)
        queued_while = count(center, "SELECT count(*) FROM digest_sends")
        show("SMTP end of DATA -> acknowledgment, while the digest runs", during)
        print(f"  (the digest had queued {queued_while} of {args.n} meanwhile)")
        while count(center, "SELECT count(*) FROM digest_sends") < args.n:
            time.sleep(0.2)
        queued = time.perf_counter() - began
        print(f"digest queued for {args.n} subscribers in {queued:.1f} s = {args.n / queued:.0f} a second")
        while count(center, "SELECT count(*) FROM outbox WHERE kind = 'digest' AND status = 'sent'") < args.n:
            time.sleep(0.5)
        print(f"... and delivered into the maildir {time.perf_counter() - began:.1f} s after it began")
    finally:
        center.stop()


if __name__ == "__main__":
    main()
