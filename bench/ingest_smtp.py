"""SMTP ingest of the real daemon against a no-op aiosmtpd sink, in the same run, on the same mails.

    .venv/bin/python bench/ingest_smtp.py [--n 2000] [--connections 1,8] [--corpus DIR] [--rate R]

The sink is the ceiling of a Python SMTP server on this machine: it accepts every mail and discards it.
The daemon is a real `postdesk run` (SQLite, durable ingress, maildir outbox). Both are driven by the same
client processes (one per connection, smtplib) with the same corpus (bench/corpus.py). Per connection
count it prints: mails/s accepted (last 250 received), mails/s end to end (every inbound row processed:
ticket stored, routed, acknowledgment in the outbox) and their ratio to the sink, the latency of each
mail's DATA (body sent → 250 received) p50/p95/p99, and the CPU seconds of every process. `--rate R`
paces the clients to R mails/s in all (to measure latency below the maximum rate). Asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import platform
import smtplib
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# the daemon runs this checkout's code, also when this script is a `git worktree`'s: `.venv/bin/postdesk` alone
# imports the checkout the virtualenv was installed from
os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, (str(ROOT), os.environ.get("PYTHONPATH"))))
sys.path.insert(0, str(ROOT / "tests" / "lib"))
sys.path.insert(0, str(ROOT / "bench"))

from corpus import ensure  # noqa: E402

from support import Center, free_port  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU of one process so far."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK


def tree(pid: int) -> dict[int, str]:
    """The process and its descendants, by pid, with their names (the daemon forks its worker and parser)."""
    out, todo = {}, [pid]
    while todo:
        p = todo.pop()
        try:
            todo += [int(c) for t in os.listdir(f"/proc/{p}/task")
                     for c in Path(f"/proc/{p}/task/{t}/children").read_text().split()]
            out[p] = Path(f"/proc/{p}/comm").read_text().strip()
        except OSError:
            continue
    return out


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] if ordered else float("nan")


# -- the sink
def run_sink(port: int, ready: multiprocessing.synchronize.Event) -> None:  # type: ignore[name-defined]
    from aiosmtpd.smtp import SMTP

    class Discard:
        async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
            return "250 2.0.0 Ok: discarded"

    async def serve() -> None:
        loop = asyncio.get_running_loop()
        server = await loop.create_server(lambda: SMTP(Discard(), data_size_limit=1 << 20, enable_SMTPUTF8=True),
                                          "127.0.0.1", port)
        ready.set()
        async with server:
            await server.serve_forever()

    asyncio.run(serve())


# -- the clients
def client(port: int, mails: list[bytes], start_at: float, interval: float,
           out: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    """One SMTP connection sending its share; puts (latencies, time the last 250 came)."""
    latencies: list[float] = []
    while time.time() < start_at:
        time.sleep(0.001)
    with smtplib.SMTP("127.0.0.1", port, timeout=120) as s:
        s.ehlo("bench.example")
        for k, raw in enumerate(mails):
            if interval:
                delay = start_at + k * interval - time.time()
                if delay > 0:
                    time.sleep(delay)
            s.mail("bench@corp.example")
            s.rcpt("service@corp.example")
            began = time.perf_counter()
            code, _ = s.data(raw)
            latencies.append(time.perf_counter() - began)
            if code != 250:
                raise RuntimeError(f"DATA answered {code}")
    out.put((latencies, time.time()))


def drive(port: int, mails: list[bytes], connections: int, rate: float | None
          ) -> tuple[float, float, list[float], float]:
    """(start, last 250, latencies, client CPU seconds) of sending all mails over `connections` connections."""
    ctx = multiprocessing.get_context("fork")
    out: multiprocessing.Queue = ctx.Queue()  # type: ignore[type-arg]
    start_at = time.time() + 0.5
    interval = connections / rate if rate else 0.0
    procs = [ctx.Process(target=client, args=(port, mails[i::connections], start_at, interval, out))
             for i in range(connections)]
    for p in procs:
        p.start()
    results = [out.get(timeout=3600) for _ in procs]
    cpu = 0.0
    for p in procs:
        cpu += cpu_seconds(p.pid or 0)  # read before join reaps it
        p.join()
    latencies = [x for lat, _ in results for x in lat]
    return start_at, max(end for _, end in results), latencies, cpu


def done_count(db: Path) -> int:
    with sqlite3.connect(db, timeout=30) as c:
        return c.execute("SELECT count(*) FROM inbound WHERE status != 'pending'").fetchone()[0]


def line(label: str, n: int, seconds: float, latencies: list[float], ratio: str = "") -> str:
    ms = [x * 1000 for x in latencies]
    return (f"{label:<34} {n / seconds:7.0f} mails/s{ratio:<16} ack p50 {pct(ms, 50):6.1f}  p95 {pct(ms, 95):6.1f}  "
            f"p99 {pct(ms, 99):6.1f} ms")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--connections", default="1,8", help="comma-separated connection counts (default 1,8)")
    ap.add_argument("--corpus", type=Path)
    ap.add_argument("--rate", type=float, help="pace the clients to R mails/s in all (default: as fast as possible)")
    args = ap.parse_args()

    work = Path(tempfile.mkdtemp(prefix="pd-smtp-"))
    corpus = ensure(args.n, args.corpus, work)
    files = sorted(p for p in corpus.iterdir() if p.is_file())[: args.n]
    mails = [p.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n") for p in files]
    n = len(mails)
    print(f"# {n} mails, {sum(map(len, mails)) / 1e6:.1f} MB; {platform.node()}: {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, {time.strftime('%Y-%m-%d %H:%M')}"
          + (f"; paced to {args.rate:.0f} mails/s" if args.rate else ""))

    for connections in (int(c) for c in args.connections.split(",")):
        # the sink
        port = free_port()
        ctx = multiprocessing.get_context("fork")
        ready = ctx.Event()
        sink = ctx.Process(target=run_sink, args=(port, ready), daemon=True)
        sink.start()
        ready.wait(10)
        cpu0 = cpu_seconds(sink.pid or 0)
        start, last, lat, client_cpu = drive(port, mails, connections, args.rate)
        sink_cpu = cpu_seconds(sink.pid or 0) - cpu0
        sink.terminate()
        sink.join()
        sink_rate = n / (last - start)
        print(f"\n## {connections} connection(s)")
        print(line("no-op aiosmtpd sink, accepted", n, last - start, lat))
        print(f"    CPU: sink {sink_cpu:.1f} s, clients {client_cpu:.1f} s")

        # the daemon
        center = Center(work / f"center-{connections}")
        center.start()
        assert center.proc is not None
        procs = tree(center.proc.pid)
        before = {p: cpu_seconds(p) for p in procs}
        db = center.root / "var" / "postdesk.db"
        start, last, lat, client_cpu = drive(center.smtp_port, mails, connections, args.rate)
        while done_count(db) < n:
            time.sleep(0.01)
        end = time.time()
        used = {p: cpu_seconds(p) - before[p] for p in procs}
        center.stop()
        print(line("postdesk, accepted (last 250)", n, last - start, lat,
                   f"  = {n / (last - start) / sink_rate:.2f} sink"))
        e2e = n / (end - start)
        print(f"{'postdesk, end to end':<34} {e2e:7.0f} mails/s  = {e2e / sink_rate:.2f} sink")
        print("    CPU: " + ", ".join(f"{procs[p]} {s:.1f} s" for p, s in used.items())
              + f", clients {client_cpu:.1f} s; wall {end - start:.1f} s")


if __name__ == "__main__":
    main()
