"""Nothing lost, nothing twice: SIGKILL the daemon while it is taking in a stream of mail."""

from __future__ import annotations

import collections
import contextlib
import os
import signal
import smtplib
import threading
import time
from pathlib import Path

from support import Center, mail

TOTAL = 200


def _send_all(center: Center, accepted: list[int], stop: threading.Event) -> None:
    """Deliver every mail like an MTA does: on any failure, wait and try the same mail again."""
    i = 0
    client: smtplib.SMTP | None = None
    while i < TOTAL and not stop.is_set():
        try:
            if client is None:
                client = smtplib.SMTP("127.0.0.1", center.smtp_port, timeout=5)
            m = mail(f"Заявка номер {i:03d}", f"Текст заявки {i}.", sender=f"user{i % 40}@corp.example",
                     message_id=f"<crash-{i}@corp.example>")
            client.send_message(m)
            accepted.append(i)
            i += 1
        except (OSError, smtplib.SMTPException):
            if client is not None:
                with contextlib.suppress(OSError):
                    client.close()
            client = None
            time.sleep(0.05)
    if client is not None:
        with contextlib.suppress(OSError, smtplib.SMTPException):
            client.quit()


def test_sigkill_while_ingesting_loses_and_repeats_nothing(center: Center) -> None:
    # the per-sender acknowledgment limit would hide duplicates; lift it for this test
    text = center.config.read_text()
    center.config.write_text(text.replace("[service]\n", "[service]\nauto_replies_per_hour = 1000\n"))
    center.start()
    accepted: list[int] = []
    stop = threading.Event()
    sender = threading.Thread(target=_send_all, args=(center, accepted, stop))
    sender.start()
    try:
        for kill_at in (50, 130):
            deadline = time.monotonic() + 60
            while len(accepted) < kill_at and time.monotonic() < deadline:
                time.sleep(0.005)
            assert center.proc is not None
            center.proc.send_signal(signal.SIGKILL)
            center.proc.wait()
            center.proc = None
            time.sleep(0.3)
            center.start()
        sender.join(120)
        assert not sender.is_alive()
    finally:
        stop.set()
    assert len(accepted) == TOTAL

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if len(center.tickets()) >= TOTAL and len(center.outgoing()) >= TOTAL:
            break
        time.sleep(0.25)
    time.sleep(1.5)  # anything extra would show up now
    center.stop()

    subjects = collections.Counter(t["subject"] for t in center.tickets())
    assert len(subjects) == TOTAL, f"missing: {set(f'Заявка номер {i:03d}' for i in range(TOTAL)) - set(subjects)}"
    assert max(subjects.values()) == 1, [s for s, n in subjects.items() if n > 1]

    acks = collections.Counter(str(m["In-Reply-To"]) for m in center.outgoing())
    assert len(acks) == TOTAL
    assert max(acks.values()) == 1, [k for k, n in acks.items() if n > 1]
    assert center.cli("quarantine", "list").stdout.strip() == "quarantine is empty"


def _gone(pid: int, timeout: float) -> bool:
    """The process has exited: it is no more, or a zombie waiting for whoever inherited it to reap it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0] in ("Z", "X"):
                return True
        except FileNotFoundError:
            return True
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)
        time.sleep(0.05)
    return False


def test_a_killed_worker_is_restarted_and_its_mail_is_done(center: Center) -> None:
    center.start()
    center.send(mail("До сбоя", "Первое письмо."))
    center.wait_outgoing(1)
    first = center.worker_pid()
    helpers = _descendants(first)  # its parse process(es)
    assert helpers
    os.kill(first, signal.SIGKILL)
    center.send(mail("Пока обработчик перезапускается", "Письмо ждёт в очереди."))
    ack = center.wait_outgoing(2, timeout=15)[1]
    assert "[SD-2]" in ack["Subject"]
    assert center.worker_pid() != first
    assert "the worker process exited with -9; restarting it" in center.log.read_text()
    assert all(_gone(p, 10) for p in helpers), "the killed worker's helper processes live on"
    assert center.stop() == 0


def test_a_killed_daemon_leaves_no_worker_behind(center: Center) -> None:
    center.start()
    center.send(mail("До сбоя", "Первое письмо."))
    center.wait_outgoing(1)
    worker = center.worker_pid()
    helpers = _descendants(worker)
    assert helpers
    center.stop(signal.SIGKILL)
    assert _gone(worker, 10), "the worker outlived its daemon"
    assert all(_gone(p, 10) for p in helpers), "the worker's helper processes outlived the daemon"
    assert "the front process is gone" in center.log.read_text()


def _descendants(pid: int) -> list[int]:
    """Children of every thread (a pool started from a thread is that thread's child), and theirs."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        with contextlib.suppress(OSError):
            for task in os.listdir(f"/proc/{p}/task"):
                kids = [int(c) for c in Path(f"/proc/{p}/task/{task}/children").read_text().split()]
                out += kids
                todo += kids
    return out


def test_a_killed_parse_process_is_replaced_and_no_mail_waits(center: Center) -> None:
    center.start()
    center.send(mail("Первая заявка", "Текст."))
    center.wait_outgoing(1)
    worker = center.worker_pid()
    parsers = [p for p in _descendants(worker) if Path(f"/proc/{p}/comm").read_text().strip() == "postdesk-parse"]
    assert parsers, "no parse process found"
    for p in parsers:
        os.kill(p, signal.SIGKILL)
    center.send(mail("Вторая заявка", "Текст."))
    center.send(mail("Третья заявка", "Текст."))
    acks = center.wait_outgoing(3, timeout=20)
    assert {str(a["Subject"]) for a in acks[1:]} == {"Re: Вторая заявка [SD-2]", "Re: Третья заявка [SD-3]"}
    assert "parse pool replaced" in center.log.read_text()
    center.send(mail("Четвёртая заявка", "Текст."))
    center.wait_outgoing(4, timeout=20)
    assert [p for p in _descendants(worker) if Path(f"/proc/{p}/comm").read_text().strip() == "postdesk-parse"]
    assert center.stop() == 0
