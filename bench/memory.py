"""Daemon memory after ingesting many mails: RSS and PSS of the daemon and all its processes as tickets pile up.

    .venv/bin/python bench/memory.py [--n 100000] [--corpus DIR]

Generates N mails with bench/corpus.py (unless --corpus), sends them to a real `postdesk run` over SMTP on
a few connections, waits until every mail is processed, and prints RSS at start and after every tenth.
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import platform
import smtplib
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "lib"))

from corpus import ensure  # noqa: E402

from support import Center  # noqa: E402


def memory_mb(pid: int) -> tuple[float, float]:
    """(RSS, PSS) of a process and all its descendants (worker, parse worker, forkserver), in MB.

    RSS counts pages shared between the processes (the interpreter, libraries) once per process; PSS
    splits them, so its sum is what the tree really holds.
    """
    rss = pss = 0
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            todo += [int(c) for t in os.listdir(f"/proc/{p}/task")
                     for c in Path(f"/proc/{p}/task/{t}/children").read_text().split()]
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith("Rss:"):
                    rss += int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss += int(line.split()[1])
        except OSError:
            continue
    return rss / 1024, pss / 1024


def each_process(pid: int) -> list[tuple[int, str, float, float]]:
    """(pid, name, RSS MB, PSS MB) of the daemon's processes: the forked ones share most of their RSS."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        try:
            todo += [int(c) for t in os.listdir(f"/proc/{p}/task")
                     for c in Path(f"/proc/{p}/task/{t}/children").read_text().split()]
            fields = {line.split(":")[0]: int(line.split()[1]) / 1024
                      for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines()[1:]}
            name = Path(f"/proc/{p}/comm").read_text().strip()
            out.append((p, name, fields["Rss"], fields["Pss"]))
        except OSError:
            continue
    return out


def send_all(center: Center, files: list[Path], connections: int = 4) -> None:
    def worker(part: list[Path]) -> None:
        with smtplib.SMTP("127.0.0.1", center.smtp_port, timeout=60) as s:
            for p in part:
                raw = p.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")  # SMTP speaks CRLF
                s.sendmail("bench@corp.example", ["service@corp.example"], raw)

    threads = [threading.Thread(target=worker, args=(files[i::connections],)) for i in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def done_count(center: Center) -> int:
    import sqlite3

    with sqlite3.connect(center.root / "var" / "postdesk.db", timeout=30) as db:
        return db.execute("SELECT count(*) FROM inbound WHERE status != 'pending'").fetchone()[0]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--corpus", type=Path)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="pd-mem-"))
    corpus = ensure(args.n, args.corpus, work)
    files = sorted(corpus.iterdir())[: args.n]
    print(f"# {platform.node()}: {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{time.strftime('%Y-%m-%d %H:%M')}; {len(files)} mails")
    center = Center(work / "center")
    center.start()
    assert center.proc is not None
    pid = center.proc.pid
    print("RSS at start: {:.0f} MB (PSS {:.0f} MB)".format(*memory_mb(pid)))
    started = time.perf_counter()
    step = max(1, len(files) // 10)
    peak = (0.0, 0.0)
    for k in range(0, len(files), step):
        send_all(center, files[k:k + step])
        while done_count(center) < min(k + step, len(files)):
            peak = max(peak, memory_mb(pid))
            time.sleep(0.5)
        now = memory_mb(pid)
        peak = max(peak, now)
        each = "  ".join(f"{name.removeprefix('postdesk-') if '-' in name else 'front'} {pss:.0f}"
                         for _, name, _, pss in each_process(pid))
        print(f"after {min(k + step, len(files)):>7} mails: RSS {now[0]:6.0f} MB, PSS {now[1]:6.0f} MB  "
              f"({each}; {time.perf_counter() - started:.0f} s)")
    size = os.path.getsize(center.root / "var" / "postdesk.db") / 1e6
    print(f"peak RSS {peak[0]:.0f} MB, PSS {peak[1]:.0f} MB; database {size:.0f} MB")
    for p, name, rss, pss in each_process(pid):
        print(f"    {name:<16} pid {p:<7} RSS {rss:5.0f} MB  PSS {pss:5.0f} MB")
    center.stop()


if __name__ == "__main__":
    main()
