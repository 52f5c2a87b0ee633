"""The SMTP ingress against clients that misbehave, and its promise that a 250 means the mail is on disk.

Every refusal goes through a real SMTP session into a running daemon; each test checks the reply code and
the reason a sending MTA's admin would read in their log.
"""

from __future__ import annotations

import re
import shutil
import smtplib
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from support import Center, mail, smtp_reply, smtp_session, text_of

LIMITS = """max_recipients = 100
max_connections = 5
max_connections_per_ip = 3
idle_timeout = "2s"
"""


@pytest.fixture
def limited(center: Center) -> Iterator[Center]:
    """A daemon with low limits (only the idle time is lower than a real center would ever want)."""
    text = center.config.read_text(encoding="utf-8")
    center.config.write_text(text.replace('max_message_size = "1MB"\n', 'max_message_size = "1MB"\n' + LIMITS),
                             encoding="utf-8")
    center.start()
    yield center
    center.stop()


def test_a_sender_that_is_not_utf8_is_refused_at_mail(limited: Center) -> None:
    sock = smtp_session(limited)
    sock.sendall(b"MAIL FROM:<\xff\xfepetr@corp.example>\r\n")
    answer = smtp_reply(sock)
    assert answer.startswith(b"553 5.1.7 ") and b"not valid UTF-8" in answer, answer
    sock.sendall(b"RCPT TO:<service@corp.example>\r\n")
    assert smtp_reply(sock).startswith(b"503")  # no transaction was opened
    sock.sendall(b"MAIL FROM:<\xd0\xbf\xd1\x91\xd1\x82\xd1\x80@corp.example> SMTPUTF8\r\n")  # UTF-8 is fine
    assert smtp_reply(sock).startswith(b"250")
    sock.close()


def test_too_many_recipients_get_452_and_the_rest_is_delivered(limited: Center) -> None:
    with smtplib.SMTP("127.0.0.1", limited.smtp_port, timeout=10) as s:
        s.ehlo("mta.example")
        s.mail("petr@corp.example")
        codes = [s.rcpt(f"service+{n}@corp.example") for n in range(101)]
        assert all(code == 250 for code, _ in codes[:100])
        code, text = codes[100]
        assert code == 452 and b"Too many recipients: at most 100 in one mail" in text, text
        assert s.data(mail("Много адресатов", "Всем привет").as_bytes())[0] == 250


def test_connections_over_the_caps_get_421_with_the_reason(limited: Center) -> None:
    held = [smtp_session(limited) for _ in range(3)]
    extra = socket.create_connection(("127.0.0.1", limited.smtp_port), timeout=10)
    answer = smtp_reply(extra)
    assert answer.startswith(b"421 4.7.0 Too many connections from 127.0.0.1: at most 3"), answer
    assert extra.recv(100) == b""  # and closed
    extra.close()
    held[0].close()  # a closed connection frees its place
    deadline = time.monotonic() + 5
    while True:
        again = socket.create_connection(("127.0.0.1", limited.smtp_port), timeout=10)
        answer = smtp_reply(again)
        if answer.startswith(b"220 ") or time.monotonic() > deadline:
            break
        again.close()
        time.sleep(0.05)
    assert answer.startswith(b"220 "), answer
    held[0] = again
    # the total cap, from another client address (127.0.0.2 is loopback too)
    others = []
    for _ in range(3):
        s = socket.socket()
        s.settimeout(10)
        s.bind(("127.0.0.2", 0))
        s.connect(("127.0.0.1", limited.smtp_port))
        others.append(s)
    answer = smtp_reply(others[-1])
    assert answer.startswith(b"421 4.7.0 Too many connections: 5 are open"), answer
    for s in held + others:
        s.close()


def test_an_idle_connection_is_closed_with_421(limited: Center) -> None:
    sock = smtp_session(limited)
    started = time.monotonic()
    answer = smtp_reply(sock)
    assert answer.startswith(b"421 4.4.2 Idle for 2 s"), answer
    assert 1.5 < time.monotonic() - started < 8
    assert sock.recv(100) == b""
    sock.close()


# -- durability
def events(trace: Path) -> list[tuple[str, str]]:
    """From an `strace -f -yy` log, in order: ("sync", path) when an fsync/fdatasync returned 0, ("sent", text)
    for what was written to a TCP socket."""
    out: list[tuple[str, str]] = []
    unfinished: dict[str, str] = {}
    for line in trace.read_text(errors="replace").splitlines():
        pid, _, text = line.partition(" ")
        text = text.strip()
        call = re.match(r"(?:fsync|fdatasync)\(\d+<([^>]*)>", text)
        if call and text.endswith("<unfinished ...>"):
            unfinished[pid] = call.group(1)
        elif call and text.endswith("= 0"):
            out.append(("sync", call.group(1)))
        elif re.match(r"<\.\.\. (fsync|fdatasync) resumed>.*= 0$", text) and pid in unfinished:
            out.append(("sync", unfinished.pop(pid)))
        elif re.match(r"(sendto|write|writev|sendmsg)\(\d+<TCP:", text):
            out.append(("sent", text))
    return out


def test_the_mail_is_synced_to_disk_before_the_250(center: Center) -> None:
    """An fsync/fdatasync of the database's WAL (or the database) returns between the client's DATA and our
    250: with `synchronous=NORMAL` SQLite would only write the WAL, and a power failure after the 250 could
    lose the mail the MTA has already forgotten."""
    if shutil.which("strace") is None:
        pytest.skip("strace is not installed (scripts/test installs it as root)")
    center.start()
    assert center.proc is not None
    trace = center.root / "strace.log"
    tracer = subprocess.Popen(["strace", "-f", "-yy", "-s", "120", "-o", str(trace),
                               "-e", "trace=fsync,fdatasync,sendto,write,writev,sendmsg", "-p", str(center.proc.pid)],
                              stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 10
        while not (trace.exists() and trace.stat().st_size) and tracer.poll() is None and time.monotonic() < deadline:
            with smtplib.SMTP("127.0.0.1", center.smtp_port, timeout=10) as s:  # until strace sees us
                s.noop()
            time.sleep(0.1)
        if tracer.poll() is not None:
            err = tracer.stderr.read().decode(errors="replace") if tracer.stderr else ""
            pytest.skip(f"strace cannot attach to the daemon (ptrace not permitted?): {err.strip()}")
        with smtplib.SMTP("127.0.0.1", center.smtp_port, timeout=10) as s:
            s.ehlo("mta.example")
            s.mail("petr@corp.example")
            s.rcpt("service@corp.example")
            code, _ = s.data(mail("Сохранено ли?", "Проверка записи на диск").as_bytes())
            assert code == 250
        time.sleep(0.3)
    finally:
        tracer.terminate()
        tracer.wait(10)
    seen = events(trace)
    go = next(i for i, (kind, text) in enumerate(seen) if kind == "sent" and '"354 ' in text)  # body asked for
    ok = next(i for i, (kind, text) in enumerate(seen) if i > go and kind == "sent" and "250 2.0.0 Ok: queued" in text)
    synced = [path for kind, path in seen[go:ok] if kind == "sync" and re.search(r"postdesk\.db(-wal)?$", path)]
    assert synced, "no sync of the database between DATA and the 250:\n" + "\n".join(map(str, seen[go:ok + 1]))


# -- what a mail may make
def test_a_mail_to_many_people_makes_only_the_first_participants(running: Center) -> None:
    msg = mail("Всем отделам", "Коллеги, проверьте доступы.")
    del msg["To"]
    msg["To"] = ", ".join(f"person{n}@corp.example" for n in range(60)) + ", service@corp.example"
    running.send(msg)
    running.wait_outgoing(1)
    ticket = running.ticket("SD-1")
    emails = [p["email"] for p in ticket["participants"]]
    assert len(emails) == 51 and "person49@corp.example" in emails and "person50@corp.example" not in emails
    (capped,) = [e for e in ticket["events"] if e["kind"] == "participants-capped"]
    assert capped["detail"]["left_out"] == 10 and "the first 50 take part" in capped["detail"]["reason"]


def test_the_page_lists_the_first_files_and_says_how_many_more(running: Center) -> None:
    msg = mail("Сканы документов", "Во вложении сканы.")
    for n in range(55):
        msg.add_attachment(f"scan {n}".encode(), maintype="application", subtype="octet-stream",
                           filename=f"scan-{n:02}.pdf")
    running.send(msg)
    (ack,) = running.wait_outgoing(1)
    link = re.search(r"http://127\.0\.0\.1:\d+/t/[\w-]+", text_of(ack))
    assert link
    status, page = running.get(link.group(0))
    assert status == 200
    assert "scan-49.pdf" in page and "scan-50.pdf" not in page
    assert "и ещё 5" in page
