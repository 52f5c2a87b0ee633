"""End-to-end ingest throughput of the real pipeline, with the stdlib parse rate as the floor.

    .venv/bin/python bench/ingest.py [--n 2000] [--corpus DIR] [--db URL] [--repeat 3]

Generates the corpus with bench/corpus.py unless --corpus is given, then measures on the same mails:
the bare stdlib compat32 parse (the floor), Postdesk's parse_mail, routing, storing into `inbound`, and
the pipeline from an inbound row to a stored ticket with its acknowledgment in the outbox — per stage.
Then the outbox passes that deliver the acknowledgments into a maildir, as the worker's other thread does.
Prints figures; asserts nothing. --db takes a PostgreSQL URL (the database must be empty).
"""

from __future__ import annotations

import argparse
import cProfile
import email
import logging
import multiprocessing
import os
import platform
import pstats
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from email.policy import compat32
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "lib"))

from corpus import ensure  # noqa: E402

from postdesk.daemon.config import load_config  # noqa: E402
from postdesk.daemon.logs import FieldsFilter, TextFormatter  # noqa: E402
from postdesk.daemon.outgoing.delivery import MaildirTransport, send_due  # noqa: E402
from postdesk.daemon.pipeline.bounces import Outcomes  # noqa: E402
from postdesk.daemon.pipeline.runner import Pipeline  # noqa: E402
from postdesk.daemon.process.worker import COMMIT_EVERY, PASS, parse_workers  # noqa: E402
from postdesk.parsers import parse_mail  # noqa: E402
from postdesk.parsers.headerscan import message_id_of  # noqa: E402
from postdesk.routing import decide  # noqa: E402
from postdesk.storage import inbound  # noqa: E402
from postdesk.storage.db import Database  # noqa: E402
from postdesk.storage.inbound import Delivery  # noqa: E402
from postdesk.storage.outcomes import Outcome, OutcomeKind  # noqa: E402
from postdesk.storage.tickets import TicketStore  # noqa: E402
from postdesk.templates.render import Renderer  # noqa: E402
from support import Center  # noqa: E402


def rate(n: int, seconds: float) -> str:
    return f"{n / seconds:8.0f} mails/s  ({seconds * 1000 / n:.2f} ms/mail)"


def best_of(repeat: int, fn) -> float:  # type: ignore[no-untyped-def]
    """The fastest of `repeat` runs: the least disturbed by whatever else the machine does."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def log_like_the_daemon(path: Path) -> None:
    """INFO lines in the daemon's text format, into a file: the pipeline and the outbox write one a mail each,
    and their cost is part of the worker's."""
    handler = logging.FileHandler(path)
    handler.addFilter(FieldsFilter())
    handler.setFormatter(TextFormatter())
    logging.basicConfig(level=logging.INFO, handlers=[handler], force=True)
    logging._srcfile = None  # as logs.configure() sets it for the daemon
    logging.logThreads = logging.logMultiprocessing = False


def outbox_pass(config, db: Database, renderer: Renderer, work: Path,  # type: ignore[no-untyped-def]
                profile: cProfile.Profile | None) -> None:
    """The worker's other thread: the acknowledgments out of the outbox into the maildir, in passes as the
    daemon makes them."""
    transport = MaildirTransport(config.smtp_out.maildir)
    desk = Outcomes(config, renderer, db)
    started, cpu, rows = time.perf_counter(), time.thread_time(), 0
    if profile:
        profile.enable()
    while handled := send_due(db, transport, config.smtp_out, desk=desk):
        rows += handled
    if profile:
        profile.disable()
    total, cpu = time.perf_counter() - started, time.thread_time() - cpu
    print(f"outbox passes into the maildir  {rate(rows, total)}   (passes of 50, as the worker's outbox thread)")
    print(f"    its thread's CPU {cpu * 1000 / max(rows, 1):.3f} ms/mail (the fsync threads' not counted)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--corpus", type=Path, help="a folder of .eml files (default: generate N with bench/corpus.py)")
    ap.add_argument("--db", help="SQLAlchemy URL (default: a fresh SQLite file)")
    ap.add_argument("--repeat", type=int, default=3, help="runs of each parse measurement; the best counts")
    ap.add_argument("--workers", type=int, default=parse_workers(),
                    help="parse processes (0: parse in the pipeline thread); default as the daemon does")
    ap.add_argument("--profile", type=Path,
                    help="cProfile the pipeline into this file, the outbox passes into FILE.outbox (slower rates)")
    args = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix="pd-bench-"))
    corpus = ensure(args.n, args.corpus, work)
    files = sorted(p for p in corpus.iterdir() if p.suffix in (".eml", ".box", ".msg", ""))[: args.n]
    mails = [p.read_bytes() for p in files]
    n = len(mails)
    size = sum(map(len, mails))
    print(f"# {n} mails, {size / 1e6:.1f} MB, from {corpus}")
    print(f"# {platform.node()}: {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{time.strftime('%Y-%m-%d %H:%M')}")

    floor = best_of(args.repeat, lambda: [email.message_from_bytes(m, policy=compat32) for m in mails])
    print(f"stdlib compat32 parse (floor) {rate(n, floor)}")

    db_url = args.db or f"sqlite:///{work / 'bench.db'}"
    center = Center(work / "center", extra=f'[database]\nurl = "{db_url}"\n')  # the test suite's center
    config = load_config(center.config)
    options = config.parse_options()
    parsed: list = []  # type: ignore[type-arg]

    def parse_all() -> None:
        parsed.clear()
        parsed.extend(parse_mail(m, options) for m in mails)

    parse_s = best_of(args.repeat, parse_all)
    print(f"postdesk parse_mail           {rate(n, parse_s)}   = {parse_s / floor:.2f}x the floor")
    route_s = best_of(args.repeat, lambda: [decide(m, config.routing) for m in parsed])
    print(f"routing (decide)              {rate(n, route_s)}")

    db = Database(config.database_url)
    db.create_schema()
    started = time.perf_counter()
    ids = []
    for m in mails:
        ids.extend(inbound.store_inbound(db, m, source="bench", deliveries=[Delivery("service", None, ())],
                                         envelope_from=None, message_id=message_id_of(m)))
    store_s = time.perf_counter() - started
    print(f"ingress: commit raw to inbound {rate(n, store_s)}   (one transaction per mail)")

    log_like_the_daemon(work / "worker.log")
    pipeline = Pipeline(config, db, Renderer())
    todo = [i for i in ids if i is not None]
    outcomes: list[Outcome] = []
    profile = cProfile.Profile() if args.profile else None
    started = time.perf_counter()
    cpu = time.thread_time()  # this thread's CPU: the worker's pipeline thread is its serial resource
    if args.workers:
        # as the daemon runs it: batches of 50, parsing in worker processes beside the database work
        with ProcessPoolExecutor(args.workers, mp_context=multiprocessing.get_context("forkserver")) as pool:
            pool.submit(int).result()  # the workers are up before the clock counts
            started, cpu = time.perf_counter(), time.thread_time()
            if profile:
                profile.enable()
            for k in range(0, len(todo), PASS):
                outcomes += pipeline.process_batch(todo[k:k + PASS], partial(pool.map, chunksize=4),
                                                   COMMIT_EVERY).values()
    else:
        if profile:
            profile.enable()
        for k in range(0, len(todo), PASS):
            outcomes += pipeline.process_batch(todo[k:k + PASS], None, COMMIT_EVERY).values()
    total = time.perf_counter() - started
    cpu = time.thread_time() - cpu
    if profile:
        profile.disable()
        profile.dump_stats(args.profile)
        pstats.Stats(profile).sort_stats("tottime").print_stats(25)
    how = f"{args.workers} parse processes" if args.workers else "parsing in the pipeline thread"
    print(f"pipeline end to end           {rate(n, total)}   (passes of {PASS}, a commit every {COMMIT_EVERY}, {how})")
    print(f"    its thread's CPU {cpu * 1000 / n:.3f} ms/mail (the parse processes' not counted)")
    stages = dict(pipeline.seconds)
    accounted = sum(stages.values())
    for stage, seconds in sorted(stages.items(), key=lambda kv: -kv[1]):
        print(f"    {stage:<10} {seconds * 1000 / n:6.3f} ms/mail  {100 * seconds / accounted:5.1f}%")
    outbox_profile = cProfile.Profile() if args.profile else None
    outbox_pass(config, db, pipeline.renderer, work, outbox_profile)
    if outbox_profile:
        outbox_profile.dump_stats(f"{args.profile}.outbox")
        pstats.Stats(outbox_profile).sort_stats("tottime").print_stats(25)
    tickets = TicketStore(db).count()
    kinds = [str(k) for k in statistics.multimode([o.kind for o in outcomes])] if outcomes else []
    print(f"# {tickets} tickets, {sum(1 for o in outcomes if o.kind is OutcomeKind.FOLLOW_UP)} follow-ups, "
          f"{sum(1 for o in outcomes if o.kind is OutcomeKind.AUTOMATIC)} automatic, "
          f"{sum(1 for o in outcomes if o.quarantined)} quarantined; most common: {kinds}")
    print(f"# work files in {work}")


if __name__ == "__main__":
    main()
