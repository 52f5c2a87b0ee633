"""A throwaway Postfix instance for the tests: its own config, queue and data directories in a temp folder,
its SMTP listener on a free loopback port, started with `postfix -c DIR start` and stopped with the test.

Only root can run a Postfix master (it drops to the `postfix` user itself), so without root or without
Debian's postfix the tests that need it are skipped with the reason. Mail leaves it through `relayhost` to a
port the test chooses, so nothing ever goes past this machine.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from support import free_port

POSTFIX = shutil.which("postfix") or "/usr/sbin/postfix"
POSTCONF = shutil.which("postconf") or "/usr/sbin/postconf"
POSTMAP = shutil.which("postmap") or "/usr/sbin/postmap"

# Every service a delivering Postfix needs, none of them chrooted (a chroot would need /etc copied into it).
MASTER = """\
{listen} inet n - n - - smtpd
pickup    unix  n - n 60 1 pickup
cleanup   unix  n - n - 0 cleanup
qmgr      unix  n - n 300 1 qmgr
rewrite   unix  - - n - - trivial-rewrite
bounce    unix  - - n - 0 bounce
defer     unix  - - n - 0 bounce
trace     unix  - - n - 0 bounce
verify    unix  - - n - 1 verify
flush     unix  n - n 1000? 0 flush
proxymap  unix  - - n - - proxymap
smtp      unix  - - n - - smtp
relay     unix  - - n - - smtp
showq     unix  n - n - - showq
error     unix  - - n - - error
retry     unix  - - n - - error
discard   unix  - - n - - discard
local     unix  - n n - - local
lmtp      unix  - - n - - lmtp
anvil     unix  - - n - 1 anvil
scache    unix  - - n - 1 scache
postlog   unix-dgram n - n - 1 postlogd
"""


def available() -> str | None:
    """Why a Postfix instance cannot be started here, or None when it can."""
    if not Path(POSTFIX).exists():
        return "Postfix is not installed (apt-get install postfix)"
    if os.geteuid() != 0:
        return "a Postfix master needs root"
    return None


class Postfix:
    """One instance: `port` takes mail over SMTP; `main_cf` is what the test wrote, README lines included."""

    def __init__(self, root: Path, port: int):
        self.root = root
        self.port = port
        self.config_dir = root / "etc"

    def postconf(self, *args: str) -> str:
        return subprocess.run([POSTCONF, "-c", str(self.config_dir), *args], check=True, capture_output=True,
                              text=True).stdout

    def queue(self) -> str:
        """What is still in the queue (deferred mail and why), for assertion messages."""
        out = subprocess.run(["postqueue", "-c", str(self.config_dir), "-p"], capture_output=True, text=True)
        return out.stdout + out.stderr

    def log(self) -> str:
        path = self.root / "postfix.log"
        return path.read_text(errors="replace") if path.exists() else ""


@contextmanager
def postfix(main_cf: str, maps: dict[str, str], relay_port: int, master_cf: str = "",
            port: int | None = None) -> Iterator[Postfix]:
    """Start Postfix with `main_cf` (the README's lines, say) below our own settings, `master_cf` after our
    services, and `maps` written as hash tables in its config directory (`/etc/postfix/NAME` is rewritten to
    point there). Its folder is outside pytest's private temp dir: the `postfix` user must be able to enter it."""
    reason = available()
    if reason:
        pytest.skip(reason)
    root = Path(tempfile.mkdtemp(prefix="postdesk-postfix-"))
    root.chmod(0o755)
    instance = Postfix(root, port or free_port())
    etc = instance.config_dir
    for sub in ("etc", "queue", "data"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    shutil.chown(root / "data", "postfix", "postfix")
    for name, text in maps.items():
        (etc / name).write_text(text, encoding="utf-8")
        subprocess.run([POSTMAP, f"hash:{etc / name}"], check=True)
    master = MASTER.format(listen=f"127.0.0.1:{instance.port}") + master_cf.replace("/etc/postfix/", f"{etc}/")
    (etc / "master.cf").write_text(master, encoding="utf-8")
    ours = f"""
compatibility_level = 3.6
queue_directory = {root / 'queue'}
data_directory = {root / 'data'}
mail_owner = postfix
setgid_group = postdrop
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
myhostname = mx.corp.example
mydomain = corp.example
mynetworks = 127.0.0.0/8
relayhost = [127.0.0.1]:{relay_port}
smtp_dns_support_level = disabled
maillog_file = /dev/stdout
alias_maps =
alias_database =
biff = no
"""
    (etc / "main.cf").write_text(ours + main_cf.replace("/etc/postfix/", f"{etc}/"), encoding="utf-8")
    with (root / "postfix.log").open("ab") as log:  # its log goes to the standard output it starts with
        started = subprocess.run([POSTFIX, "-c", str(etc), "start"], stdout=log, stderr=subprocess.STDOUT)
    if started.returncode:
        text = instance.log()
        shutil.rmtree(root, ignore_errors=True)
        raise RuntimeError(f"postfix did not start: {text}")
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", instance.port), timeout=1):
                    break
            except OSError:
                time.sleep(0.1)
        yield instance
    finally:
        subprocess.run([POSTFIX, "-c", str(etc), "stop"], capture_output=True)
        shutil.rmtree(root, ignore_errors=True)
