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
from memory import done_count, send_all  # noqa: E402

from support import Center, mail  # noqa: E402


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def show(label: str, seconds: list[float]) -> None:
    ms = [s * 1000 for s in seconds]
    print(f"{label:<44} n={len(ms):<4} p50 {pct(ms, 50):7.1f} ms   p95 {pct(ms, 95):7.1f} ms   "
          f"max {max(ms):7.1f} ms")


def wait_new_file(folder: Path, before: set[str], timeout: float = 30) -> float:
    """Poll the maildir until one more file is there; returns the moment it was seen."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        names = set(os.listdir(folder)) if folder.exists() else set()
        if names - before:
            return time.perf_counter()
        time.sleep(0.002)
    raise TimeoutError("no acknowledgment within 30 s")


class Load:
    """A steady stream of mail from distinct senders (so the per-sender limit hides no work), over as many
    connections as it takes: one connection waits for each 250 and tops out well below 200 mails/s."""

    PER_CONNECTION = 40.0

    def __init__(self, center: Center, rate: float):
        self.center, self.rate, self.sent = center, rate, 0
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.connections = max(1, int(-(-rate // self.PER_CONNECTION)))
        self.threads = [threading.Thread(target=self.run, args=(k,), daemon=True) for k in range(self.connections)]
        self.started = 0.0

    def start(self) -> None:
        self.started = time.perf_counter()
        for t in self.threads:
            t.start()

    def join(self) -> None:
        self.stop.set()
        for t in self.threads:
            t.join()

    def run(self, k: int) -> None:
        rate, n = self.rate / self.connections, 0
        with smtplib.SMTP("127.0.0.1", self.center.smtp_port) as s:
            while not self.stop.is_set():
                due = self.started + n / rate
                if time.perf_counter() < due:
                    time.sleep(min(0.01, due - time.perf_counter()))
                    continue
                s.send_message(mail(f"Фоновая заявка {k}-{n}", "Фоновая нагрузка.",
                                    sender=f"load{k}-{n}@corp.example"))
                n += 1
                with self.lock:
                    self.sent += 1

    def report(self) -> str:
        seconds = time.perf_counter() - self.started
        return (f"# background load: {self.sent} mails in {seconds:.0f} s = {self.sent / seconds:.0f} mails/s "
                f"over {self.connections} connections")


def measure_smtp(center: Center, n: int) -> list[float]:
    out = []
    new = center.maildir / "new"
    with smtplib.SMTP("127.0.0.1", center.smtp_port) as s:
        for i in range(n):
            before = set(os.listdir(new)) if new.exists() else set()
            s.send_message(mail(f"Замер SMTP {i}", "Не работает VPN", sender=f"smtp{i}@corp.example"))
            done = time.perf_counter()  # the 250 after DATA has arrived
            # under load other acknowledgments appear too; wait for ours by subject
            out.append(wait_for_subject(new, before, f"Замер SMTP {i}") - done)
    return out


def wait_for_subject(folder: Path, before: set[str], subject: str, timeout: float = 30) -> float:
    import email
    from email.policy import default

    seen = set(before)
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        names = set(os.listdir(folder)) if folder.exists() else set()
        for name in names - seen:
            seen.add(name)
            msg = email.message_from_bytes((folder / name).read_bytes(), policy=default)
            if subject in str(msg["Subject"]):
                return time.perf_counter()
        time.sleep(0.002)
    raise TimeoutError(f"no acknowledgment for {subject!r}")


def mailbox_section(dovecot, user: str, password: str, batch: int = 50) -> str:  # type: ignore[no-untyped-def]
    return (f'[[mailboxes]]\nname = "hr"\nhost = "127.0.0.1"\nport = {dovecot.port}\ntls = "none"\n'
            f'username = "{user}"\npassword = "{password}"\nqueue = "hr"\nbatch_size = {batch}\n')


def measure_imap(center: Center, dovecot, user: str, n: int) -> list[float]:  # type: ignore[no-untyped-def]
    new = center.maildir / "new"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and '"idle": true' not in center.cli("mailboxes", "--json").stdout:
        time.sleep(0.1)
    out = []
    for i in range(n):
        before = set(os.listdir(new)) if new.exists() else set()
        started = time.perf_counter()
        dovecot.append(user, "INBOX", mail(f"Замер IMAP {i}", "Нужна справка", sender=f"imap{i}@corp.example")
                       .as_bytes())
        out.append(wait_for_subject(new, before, f"Замер IMAP {i}") - started)
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
