"""SMTP acceptance latency while the tracking page of a ticket with many attachments is loaded in parallel.

    .venv/bin/python bench/page_load.py [--attachments 50000] [--loads 16] [--mails 100]

A real `postdesk run`: one request with an attachment, then N more attachment rows on its message (written
straight into SQLite: the page is what is measured, not the parser). Measures the time of whole SMTP
transactions (MAIL … 250) of M mails over one connection, idle and while `--loads` clients fetch the
ticket's page in a loop; prints p50/p95/max, the page size and its load time. Asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import smtplib
import sqlite3
import sys
import tempfile
import threading
import time
import urllib.request
from email.message import EmailMessage
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "lib"))

from support import Center, text_of  # noqa: E402


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def smtp_times(center: Center, n: int) -> list[float]:
    out = []
    with smtplib.SMTP("127.0.0.1", center.smtp_port, timeout=60) as s:
        for k in range(n):
            raw = (f"From: anna{k}@corp.example\r\nTo: service@corp.example\r\nSubject: test {k}\r\n"
                   f"Message-ID: <page-bench-{k}-{time.time()}@corp.example>\r\n\r\nhello\r\n").encode()
            began = time.perf_counter()
            s.sendmail(f"anna{k}@corp.example", ["service@corp.example"], raw)
            out.append((time.perf_counter() - began) * 1000)
    return out


def show(label: str, ms: list[float]) -> None:
    print(f"{label:<46} p50 {pct(ms, 50):7.1f} ms  p95 {pct(ms, 95):7.1f} ms  max {max(ms):7.1f} ms")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--attachments", type=int, default=50_000)
    ap.add_argument("--loads", type=int, default=16)
    ap.add_argument("--mails", type=int, default=100)
    args = ap.parse_args()
    print(f"# {platform.node()}: {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{time.strftime('%Y-%m-%d %H:%M')}")
    center = Center(Path(tempfile.mkdtemp(prefix="pd-page-")) / "center")
    center.start()
    try:
        msg = EmailMessage()
        msg["From"], msg["To"], msg["Subject"] = "petr@corp.example", "service@corp.example", "Много файлов"
        msg.set_content("см. вложения")
        msg.add_attachment(b"x" * 100, maintype="application", subtype="octet-stream", filename="f.bin")
        center.send(msg)
        (ack,) = center.wait_outgoing(1, timeout=30)
        url = re.search(r"http://127\.0\.0\.1:\d+/t/[\w-]+", text_of(ack))
        assert url, text_of(ack)
        with sqlite3.connect(center.root / "var" / "postdesk.db", timeout=30) as db:
            db.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) "
                       "INSERT INTO attachments (message_pk, filename, content_type, size, sha256, inline, data) "
                       "SELECT a.message_pk, 'file-' || n.i || '.bin', a.content_type, a.size, a.sha256, 0, a.data "
                       "FROM attachments a, n", (args.attachments,))
        began = time.perf_counter()
        with urllib.request.urlopen(url.group(0), timeout=120) as r:
            size = len(r.read())
        print(f"page with {args.attachments + 1} attachments: {size / 1e6:.2f} MB in "
              f"{(time.perf_counter() - began) * 1000:.0f} ms")

        show("SMTP transaction, idle", smtp_times(center, args.mails))
        stop = threading.Event()
        loads: list[float] = []

        def load() -> None:
            while not stop.is_set():
                began = time.perf_counter()
                with urllib.request.urlopen(url.group(0), timeout=300) as r:
                    r.read()
                loads.append(time.perf_counter() - began)

        threads = [threading.Thread(target=load) for _ in range(args.loads)]
        for t in threads:
            t.start()
        time.sleep(1)
        busy = smtp_times(center, args.mails)
        stop.set()
        for t in threads:
            t.join()
        show(f"SMTP transaction, {args.loads} page loads running", busy)
        show("page load meanwhile", [x * 1000 for x in loads])
    finally:
        center.stop()


if __name__ == "__main__":
    main()
