"""What issue 19's targets leave for the worker: the no-op sink beside the cheapest *durable* sinks.

    .venv/bin/python bench/sink_bound.py [--n 2000] [--connections 1,8] [--corpus DIR]

Postdesk must have a mail on disk, synced, before it answers 250. So the fastest any Postdesk front can be
is a sink that does only that. Three servers run in the same window on the same mails (bench/corpus.py), driven
by the same clients as `ingest_smtp.py`:

- `no-op`: accepts and discards (the issue's reference);
- `file+fdatasync`: appends the mail to one spool file and fdatasyncs it before 250;
- `sqlite`: inserts the mail into a SQLite table in WAL mode with `synchronous=FULL`, one commit a mail;
- `sqlite, grouped`: the same, but a writer thread commits every mail waiting at that moment in one
  transaction and then answers all their sessions (what the real front does, minus the envelope checks,
  the limits and the worker that shares the database's write lock).

Per connection count it prints each one's rate, its ratio to the no-op sink, DATA → 250 p50/p95, and the CPU
seconds of the server and of the clients. Then the budget: at the issue's target rate (0.6 of the sink over 8
connections, 0.5 over one) the two cores minus what the clients and the cheapest durable front use is what is
left, per mail, for everything else (parse, route, store the ticket, compose and write the acknowledgment);
compare it with the worker's CPU per mail that `ingest_smtp.py` prints. Asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import platform
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import ensure
from ingest_smtp import cpu_seconds, drive, free_port, pct

TARGETS = {1: 0.5, 8: 0.6}


def _discard(_: bytes) -> None:
    return None


def _file_sink(spool: Path) -> Callable[[bytes], None]:
    fd = os.open(spool / "spool", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)

    def store(raw: bytes) -> None:
        os.write(fd, raw)
        os.fdatasync(fd)
    return store


def _sqlite_sink(spool: Path) -> Callable[[bytes], None]:
    db = sqlite3.connect(spool / "sink.db", isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.execute("CREATE TABLE inbound (id INTEGER PRIMARY KEY, received REAL, raw BLOB)")

    def store(raw: bytes) -> None:
        db.execute("BEGIN IMMEDIATE")
        db.execute("INSERT INTO inbound (received, raw) VALUES (?, ?)", (time.time(), raw))
        db.execute("COMMIT")
    return store


def _sqlite_many(spool: Path) -> Callable[[list[bytes]], None]:
    one = _sqlite_sink(spool)
    db = sqlite3.connect(spool / "sink.db", isolation_level=None, check_same_thread=False)
    del one

    def store(raws: list[bytes]) -> None:
        db.execute("BEGIN IMMEDIATE")
        db.executemany("INSERT INTO inbound (received, raw) VALUES (?, ?)", [(time.time(), r) for r in raws])
        db.execute("COMMIT")
    return store


SINKS: dict[str, Callable[[Path], Callable[[bytes], None]]] = {
    "no-op": lambda _: _discard, "file+fdatasync": _file_sink, "sqlite": _sqlite_sink,
    "sqlite, grouped": lambda _: _discard}


class Grouped:
    """Mails waiting for the one writer thread; each session awaits its mail's commit."""

    def __init__(self, spool: Path) -> None:
        self.store = _sqlite_many(spool)
        self.waiting: list[tuple[bytes, asyncio.Future[None]]] = []
        self.busy = False

    async def put(self, raw: bytes) -> None:
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.waiting.append((raw, done))
        if not self.busy:
            self.busy = True
            asyncio.get_running_loop().create_task(self.drain())
        await done

    async def drain(self) -> None:
        loop = asyncio.get_running_loop()
        while self.waiting:
            batch, self.waiting = self.waiting, []
            await loop.run_in_executor(None, self.store, [raw for raw, _ in batch])
            for _, done in batch:
                done.set_result(None)
        self.busy = False


def run_sink(kind: str, spool: Path, port: int, ready: multiprocessing.synchronize.Event) -> None:  # type: ignore[name-defined]
    from aiosmtpd.smtp import SMTP

    store = SINKS[kind](spool)
    grouped = Grouped(spool) if kind == "sqlite, grouped" else None

    class Handler:
        async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
            raw = envelope.original_content or b""  # type: ignore[attr-defined]
            if grouped is not None:
                await grouped.put(raw)
            else:
                store(raw)
            return "250 2.0.0 Ok"

    async def serve() -> None:
        loop = asyncio.get_running_loop()
        server = await loop.create_server(lambda: SMTP(Handler(), data_size_limit=1 << 20, enable_SMTPUTF8=True),
                                          "127.0.0.1", port)
        ready.set()
        async with server:
            await server.serve_forever()

    asyncio.run(serve())


def measure(kind: str, mails: list[bytes], connections: int, work: Path) -> tuple[float, list[float], float, float]:
    """(mails/s, DATA latencies, server CPU s, clients' CPU s) of one sink."""
    spool = Path(tempfile.mkdtemp(prefix=f"sink-{kind[:4]}-", dir=work))
    port = free_port()
    ctx = multiprocessing.get_context("fork")
    ready = ctx.Event()
    proc = ctx.Process(target=run_sink, args=(kind, spool, port, ready), daemon=True)
    proc.start()
    ready.wait(10)
    cpu0 = cpu_seconds(proc.pid or 0)
    start, last, latencies, client_cpu = drive(port, mails, connections, None)
    server_cpu = cpu_seconds(proc.pid or 0) - cpu0
    proc.terminate()
    proc.join()
    return len(mails) / (last - start), latencies, server_cpu, client_cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--connections", default="1,8")
    ap.add_argument("--corpus", type=Path)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="pd-bound-"))
    corpus = ensure(args.n, args.corpus, work)
    files = sorted(p for p in corpus.iterdir() if p.is_file())[: args.n]
    mails = [p.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n") for p in files]
    n = len(mails)
    cores = os.cpu_count() or 1
    print(f"# {n} mails; {platform.node()}: {cores} cores, Python {platform.python_version()}, "
          f"{time.strftime('%Y-%m-%d %H:%M')}; spool under {work}")
    for connections in (int(c) for c in args.connections.split(",")):
        print(f"\n## {connections} connection(s)")
        results = {kind: measure(kind, mails, connections, work) for kind in SINKS}
        noop = results["no-op"][0]
        for kind, (rate, lat, server_cpu, client_cpu) in results.items():
            ms = [x * 1000 for x in lat]
            print(f"{kind:<16} {rate:7.0f} mails/s = {rate / noop:.2f} no-op   DATA->250 p50 {pct(ms, 50):5.2f}  "
                  f"p95 {pct(ms, 95):5.2f} ms   CPU a mail: server {server_cpu / n * 1000:.2f}, "
                  f"clients {client_cpu / n * 1000:.2f} ms")
        target = TARGETS.get(connections)
        if target is None:
            continue
        rate = target * noop
        _, _, front_cpu, client_cpu = min(results["sqlite"], results["sqlite, grouped"], key=lambda r: r[2])
        left = cores / rate - (front_cpu + client_cpu) / n
        print(f"target {target} of no-op = {rate:.0f} mails/s: {cores} cores give {cores / rate * 1000:.2f} ms of CPU "
              f"a mail; the clients and the cheapest durable front take {(front_cpu + client_cpu) / n * 1000:.2f}; "
              f"left for parse, route, store, acknowledge: {left * 1000:.2f} ms a mail")


if __name__ == "__main__":
    main()
