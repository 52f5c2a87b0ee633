"""Time from a mail's arrival to its acknowledgment in the outbox, through the real daemon.

    .venv/bin/python bench/latency.py [--smtp 100] [--imap 50] [--drain 1000] [--accept 2000] [--load 0]

--smtp N   mails over SMTP: from the end of DATA (the 250) to the acknowledgment file in the maildir
--imap N   mails APPENDed to a real Dovecot the daemon IDLEs on: from the APPEND to the acknowledgment
--drain N  an N-mail backlog waiting in the mailbox when the daemon starts: mails/s until all are acknowledged
--accept N N generated mails (bench/corpus.py) over 4 SMTP connections while the daemon processes them:
           the rate SMTP accepts them, and the rate until every one is processed
--load R   a background load of R mails/s over SMTP from another thread while --smtp/--imap are measured
Prints p50/p95/max; asserts nothing. Needs Dovecot (Debian's dovecot-imapd) for --imap and --drain.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import smtplib
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "lib"))

from corpus import ensure  # noqa: E402
from memory import done_count, send_all  # noqa: E402

from support import Center, mail  # noqa: E402


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def show(label: str, seconds: list[float]) -> None:
    ms = [s * 1000 for s in seconds]
    print(f"{label:<44} n={len(ms):<4} p50 {pct(ms, 50):7.1f} ms   p95 {pct(ms, 95):7.1f} ms   "
          f"max {max(ms):7.1f} ms")


class Acks:
    """Finds the acknowledgment of a mail in the outbox maildir by the Message-ID it answers.

    Reads each new file once (bytes, no parsing) and takes the moment the file was renamed into new/
    (its ctime), not the moment this poller saw it: the measurement neither parses hundreds of
    background acknowledgments nor adds its own polling delay.
    """

    def __init__(self, folder: Path):
        self.folder = folder
        self.seen: set[str] = set(os.listdir(folder)) if folder.exists() else set()
        self.found: dict[bytes, float] = {}

    def wait(self, message_id: str, timeout: float = 30) -> float:
        """Wall-clock time (time.time()) at which the acknowledgment of `message_id` landed."""
        key = f"In-Reply-To: <{message_id}>".encode()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            names = set(os.listdir(self.folder)) if self.folder.exists() else set()
            for name in names - self.seen:
                self.seen.add(name)
                path = self.folder / name
                head = path.read_bytes().partition(b"\n\n")[0]
                at = path.stat().st_ctime
                for line in head.split(b"\n"):
                    if line.startswith(b"In-Reply-To: "):
                        self.found[line] = at
            if key in self.found:
                return self.found.pop(key)
            time.sleep(0.003)
        raise TimeoutError(f"no acknowledgment for <{message_id}>")


def measure_smtp(center: Center, n: int) -> list[float]:
    out = []
    acks = Acks(center.maildir / "new")
    run = uuid.uuid4().hex[:8]
    with smtplib.SMTP("127.0.0.1", center.smtp_port) as s:
        for i in range(n):
            mid = f"smtp-{run}-{i}@corp.example"
            s.send_message(mail(f"Замер SMTP {i}", "Не работает VPN", sender=f"smtp{i}@corp.example",
                                message_id=f"<{mid}>"))
            done = time.time()  # the 250 after DATA has arrived
            out.append(acks.wait(mid) - done)
    return out


def load_template() -> bytes:
    """One background mail with placeholders for a unique sender and Message-ID, replaced per send."""
    raw = mail("Фоновая заявка", "Фоновая нагрузка: не работает принтер на третьем этаже.",
               sender="load-NNNNNNNNNN@corp.example", message_id="<load-NNNNNNNNNN@corp.example>").as_bytes()
    return raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def offer_load(port: int, rate: float, connections: int, stop: Any, sent: Any, run: str) -> None:
    """The background load, in its own process so that it never shares a GIL with the measurement."""
    template = load_template().replace(b"<load-", f"<{run}-load-".encode())
    per_connection = rate / connections
    started = time.perf_counter()

    def one(k: int) -> None:
        n = 0
        with smtplib.SMTP("127.0.0.1", port) as s:
            while not stop.is_set():
                due = started + n / per_connection
                now = time.perf_counter()
                if now < due:
                    time.sleep(min(0.01, due - now))
                    continue
                tag = f"{k:02d}{n:08d}"
                s.sendmail(f"load-{tag}@corp.example", ["service@corp.example"],
                           template.replace(b"NNNNNNNNNN", tag.encode()))
                n += 1
                with sent.get_lock():
                    sent.value += 1

    threads = [threading.Thread(target=one, args=(k,)) for k in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


class Load:
    """A steady stream of mail from distinct senders (so the per-sender limit hides no work), from its own
    process, over as many connections as it takes (each waits for its 250 before the next mail)."""

    PER_CONNECTION = 25.0

    def __init__(self, center: Center, rate: float):
        ctx = multiprocessing.get_context("spawn")
        self.rate = rate
        self.stop = ctx.Event()
        self.sent = ctx.Value("l", 0)
        self.connections = max(1, int(-(-rate // self.PER_CONNECTION)))
        self.process = ctx.Process(target=offer_load, args=(center.smtp_port, rate, self.connections, self.stop,
                                                            self.sent, uuid.uuid4().hex[:8]), daemon=True)
        self.started = self.ended = 0.0

    def start(self) -> None:
        self.process.start()
        self.started = time.perf_counter()

    def join(self) -> None:
        self.stop.set()
        self.ended = time.perf_counter()
        self.process.join()

    def report(self) -> str:
        seconds = (self.ended or time.perf_counter()) - self.started
        return (f"# background load: {self.sent.value} mails accepted in {seconds:.0f} s = "
                f"{self.sent.value / seconds:.0f} mails/s over {self.connections} connections "
                f"(offered {self.rate:g}/s)")


def mailbox_section(dovecot, user: str, password: str, batch: int = 50) -> str:  # type: ignore[no-untyped-def]
    return (f'[[mailboxes]]\nname = "hr"\nhost = "127.0.0.1"\nport = {dovecot.port}\ntls = "none"\n'
            f'username = "{user}"\npassword = "{password}"\nqueue = "hr"\nbatch_size = {batch}\n')


def measure_imap(center: Center, dovecot, user: str, n: int) -> list[float]:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and '"idle": true' not in center.cli("mailboxes", "--json").stdout:
        time.sleep(0.1)
    out = []
    acks = Acks(center.maildir / "new")
    run = uuid.uuid4().hex[:8]
    for i in range(n):
        mid = f"imap-{run}-{i}@corp.example"
        raw = mail(f"Замер IMAP {i}", "Нужна справка", sender=f"imap{i}@corp.example", message_id=f"<{mid}>")
        started = time.time()  # the APPEND starts
        dovecot.append(user, "INBOX", raw.as_bytes())
        out.append(acks.wait(mid) - started)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--smtp", type=int, default=100)
    ap.add_argument("--imap", type=int, default=50)
    ap.add_argument("--drain", type=int, default=1000)
    ap.add_argument("--accept", type=int, default=2000)
    ap.add_argument("--load", type=float, default=0.0)
    args = ap.parse_args()
    print(f"# {platform.node()}: {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{time.strftime('%Y-%m-%d %H:%M')}, background load {args.load:g} mails/s")
    work = Path(tempfile.mkdtemp(prefix="pd-lat-"))
    dovecot = None
    if args.imap or args.drain:
        from dovecot import DOVECOT, Dovecot

        if not Path(DOVECOT).exists():
            sys.exit("bench/latency.py: --imap and --drain need Dovecot: apt-get install dovecot-imapd")
        dovecot = Dovecot()
        dovecot.start()
    try:
        extra = ""
        user = password = ""
        if dovecot and args.imap:
            user, password = dovecot.add_user("latency")
            extra = mailbox_section(dovecot, user, password)
        center = Center(work / "live", service_extra="auto_replies_per_hour = 100000", extra=extra)
        center.start()
        load = Load(center, args.load) if args.load else None
        if load:
            load.start()
            time.sleep(1)
        try:
            if args.smtp:
                show("SMTP end of DATA -> acknowledgment", measure_smtp(center, args.smtp))
            if dovecot and args.imap:
                show("IMAP APPEND (IDLE) -> acknowledgment", measure_imap(center, dovecot, user, args.imap))
        finally:
            if load:
                load.join()
                print(load.report())
            center.stop()

        if dovecot and args.drain:
            backlog_user, backlog_pw = dovecot.add_user("drain")
            for i in range(args.drain):
                dovecot.append(backlog_user, "INBOX", mail(f"Очередь {i}", "Старая заявка",
                                                           sender=f"drain{i}@corp.example").as_bytes())
            center = Center(work / "drain", service_extra="auto_replies_per_hour = 100000",
                            extra=mailbox_section(dovecot, backlog_user, backlog_pw, batch=100))
            started = time.perf_counter()
            center.start()
            new = center.maildir / "new"
            while not new.exists() or len(os.listdir(new)) < args.drain:
                time.sleep(0.05)
            seconds = time.perf_counter() - started
            center.stop()
            print(f"IMAP backlog of {args.drain} drained (acknowledged) in {seconds:.1f} s = "
                  f"{args.drain / seconds:.0f} mails/s (daemon start included)")
        if args.accept:
            measure_acceptance(work, args.accept)
    finally:
        if dovecot:
            dovecot.stop()


def measure_acceptance(work: Path, n: int) -> None:
    files = sorted(ensure(n, None, work).iterdir())[:n]
    center = Center(work / "accept", service_extra="auto_replies_per_hour = 100000")
    center.start()
    try:
        started = time.perf_counter()
        send_all(center, files)
        accepted = time.perf_counter() - started
        while done_count(center) < len(files):
            time.sleep(0.02)
        processed = time.perf_counter() - started
    finally:
        center.stop()
    print(f"{len(files)} mails over 4 SMTP connections while processing: accepted at {len(files) / accepted:.0f} "
          f"mails/s ({accepted:.1f} s), all processed at {len(files) / processed:.0f} mails/s ({processed:.1f} s)")


if __name__ == "__main__":
    main()
