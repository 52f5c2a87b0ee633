"""systemd's readiness and watchdog protocol without a dependency: datagrams to $NOTIFY_SOCKET.

With `Type=notify` systemd counts the service started only once the listeners are up (READY=1), and with
`WatchdogSec=` it restarts a front whose event loop stopped turning. Outside systemd nothing is sent.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket

log = logging.getLogger("postdesk")


def notify(*states: str) -> bool:
    """Send `READY=1`, `STOPPING=1`, `STATUS=…`, `WATCHDOG=1`; False when not under systemd or it failed."""
    address = os.environ.get("NOTIFY_SOCKET")
    if not address or not states:
        return False
    if address.startswith("@"):  # an abstract socket
        address = "\0" + address[1:]
    try:  # never blocks the event loop, even when nobody reads the socket
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC | socket.SOCK_NONBLOCK) as s:
            s.connect(address)
            s.sendall("\n".join(states).encode())
    except OSError as exc:
        level = logging.DEBUG if states == ("WATCHDOG=1",) else logging.WARNING
        log.log(level, "could not notify systemd (%s) of %s: %s", address.lstrip("\0"), "; ".join(states), exc)
        return False
    return True


def watchdog_interval() -> float | None:
    """Half of systemd's WatchdogSec for this process, or None when no watchdog is asked of it."""
    usec, pid = os.environ.get("WATCHDOG_USEC"), os.environ.get("WATCHDOG_PID")
    if not usec or not usec.isdigit() or int(usec) == 0 or (pid and pid != str(os.getpid())):
        return None
    return int(usec) / 2e6


async def watchdog() -> None:
    """Ping while this event loop runs (a task of the front); returns at once without a watchdog."""
    interval = watchdog_interval()
    while interval is not None:
        notify("WATCHDOG=1")
        await asyncio.sleep(interval)
