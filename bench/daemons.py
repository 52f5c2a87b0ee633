"""Ingest throughput with several daemons sharing one database: how the work spreads, and what it costs.

    .venv/bin/python bench/daemons.py [--n 2000] [--daemons 1,2,3] [--db URL] [--sqlite]

N corpus mails (bench/corpus.py) are stored as pending inbound rows first, then K daemons are started at
once on the same database and the clock runs until every mail is processed and every acknowledgment is
in the (shared) outbox maildir. Without --db a throwaway PostgreSQL cluster is started (as the test suite
does: Debian's postgresql); --sqlite adds the one-daemon SQLite figure for comparison. Asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "lib"))
sys.path.insert(0, str(ROOT))

from corpus import ensure  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402

from postdesk.parsers.headerscan import message_id_of  # noqa: E402
from postdesk.storage import inbound  # noqa: E402
from postdesk.storage.db import Database  # noqa: E402
from postdesk.storage.inbound import Delivery  # noqa: E402
from postgres import Postgres  # noqa: E402
from support import Center  # noqa: E402


def store(url: str, mails: list[bytes]) -> None:
    db = Database(url)
    db.create_schema()
    for m in mails:
        inbound.store_inbound(db, m, source="bench", deliveries=[Delivery("service", None, ())],
                              envelope_from="sender@corp.example", message_id=message_id_of(m))
    db.dispose()


def counts(url: str) -> tuple[int, int]:
    engine = create_engine(url)
    try:
        with engine.connect() as c:
            pending = c.execute(text("SELECT count(*) FROM inbound WHERE status = 'pending'")).scalar() or 0
            unsent = c.execute(text("SELECT count(*) FROM outbox WHERE status IN ('pending', 'sending')")
                               ).scalar() or 0
        return int(pending), int(unsent)
    finally:
        engine.dispose()


def run(label: str, url: str, k: int, mails: list[bytes], work: Path) -> None:
    store(url, mails)
    outbox = work / "outbox"
    centers = [Center(work / f"d{i}", smtp_out=f'maildir = "{outbox}"', database_url=url,
                      service_extra="auto_replies_per_hour = 100000") for i in range(k)]
    started = time.perf_counter()
    for c in centers:
        c.launch()
    try:
        for c in centers:
            c.wait_ready(60)
        processed_at = None
        while True:
            pending, unsent = counts(url)
            if pending == 0 and processed_at is None:
                processed_at = time.perf_counter()
            if pending == 0 and unsent == 0:
                break
            time.sleep(0.2)
        done = time.perf_counter()
        acks = len(os.listdir(outbox / "new"))
        assert processed_at is not None
        print(f"{label:<28} {len(mails) / (processed_at - started):6.0f} mails/s processed, "
              f"{len(mails) / (done - started):6.0f} mails/s with acknowledgments out "
              f"({done - started:5.1f} s incl. start-up, {acks} mails out)")
    finally:
        for c in centers:
            if c.proc is not None:
                c.stop()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--daemons", default="1,2,3")
    ap.add_argument("--db", help="a postgresql+psycopg:// URL whose database may get fresh schemas")
    ap.add_argument("--sqlite", action="store_true", help="also one daemon on SQLite")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="pd-daemons-"))
    corpus = ensure(args.n, None, work)
    mails = [p.read_bytes() for p in sorted(corpus.iterdir())][: args.n]
    print(f"# {len(mails)} mails; {platform.node()}: {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{time.strftime('%Y-%m-%d %H:%M')}")
    if args.sqlite:
        run("SQLite, 1 daemon", f"sqlite:///{work / 'sqlite' / 'postdesk.db'}", 1, mails, work / "sqlite")
    if args.db:
        os.environ["POSTDESK_TEST_DATABASE_URL"] = args.db
    with Postgres() as server:
        for k in (int(x) for x in args.daemons.split(",")):
            run(f"PostgreSQL, {k} daemon{'s' if k > 1 else ''}", server.new_url(), k, mails, work / f"pg{k}")
    print(f"# work files in {work}")


if __name__ == "__main__":
    main()
