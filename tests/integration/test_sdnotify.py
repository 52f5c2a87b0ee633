"""Under systemd (Type=notify, WatchdogSec=): the daemon says READY once it takes mail, pings the watchdog, and
says STOPPING on SIGTERM — over a real $NOTIFY_SOCKET datagram socket, as systemd reads it."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest

from support import Center


def messages(sock: socket.socket, until: str, timeout: float = 10) -> list[str]:
    got: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        sock.settimeout(max(0.01, deadline - time.monotonic()))
        try:
            got.append(sock.recv(4096).decode())
        except TimeoutError:
            break
        if until in got[-1]:
            return got
    raise AssertionError(f"no {until} among {got}")


def test_ready_watchdog_and_stopping_reach_systemd(center: Center, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "notify.sock"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.bind(str(path))
        monkeypatch.setenv("NOTIFY_SOCKET", str(path))
        monkeypatch.setenv("WATCHDOG_USEC", "400000")  # ping every 0.2 s
        center.start()
        assert center.proc is not None
        monkeypatch.setenv("WATCHDOG_PID", str(center.proc.pid))  # (read only at start; for the record)
        first = messages(sock, "READY=1")
        assert first[-1].splitlines() == ["READY=1", f"STATUS=taking mail on 127.0.0.1:{center.smtp_port}"]
        assert center._smtp_ready()  # READY means the listener answers
        started = time.monotonic()
        pings = [m for m in messages(sock, "WATCHDOG=1") + messages(sock, "WATCHDOG=1") if m == "WATCHDOG=1"]
        assert len(pings) >= 2 and time.monotonic() - started < 2
        center.proc.send_signal(15)
        assert "STOPPING=1" in messages(sock, "STOPPING=1")
        assert center.stop() == 0
