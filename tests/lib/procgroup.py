"""Stopping a server the tests started in its own process group (Dovecot, Chromium): all of it, or fail."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from pathlib import Path


def live_group_members(pgid: int) -> list[int]:
    """PIDs in process group `pgid` that are not zombies, read from /proc."""
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # exited meanwhile
        if fields[2] == str(pgid) and fields[0] != "Z":
            pids.append(int(stat.parent.name))
    return pids


def group_gone(proc: subprocess.Popen[bytes], timeout: float) -> bool:
    """Wait until no live process of the group is left (zombies count as gone: init reaps them)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        proc.poll()
        if not live_group_members(proc.pid):
            return True
        time.sleep(0.005)
    return False


def stop_group(proc: subprocess.Popen[bytes], grace: float, timeout: float, name: str) -> None:
    """SIGTERM the group, SIGKILL what is left after `grace`; raises AssertionError if anything survives."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    if not group_gone(proc, grace):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        if not group_gone(proc, timeout):
            raise AssertionError(f"{name} processes of group {proc.pid} did not exit in {timeout} s")
