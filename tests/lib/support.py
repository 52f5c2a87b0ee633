"""Test support: configs on free ports, a real `postdesk run` subprocess, the maildir it writes."""

from __future__ import annotations

import contextlib
import email
import re
import signal
import smtplib
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from email.message import EmailMessage, Message
from email.policy import default as default_policy
from email.utils import make_msgid
from pathlib import Path
from typing import Any

POSTDESK = str(Path(sys.executable).parent / "postdesk")
SECRET = "test-secret-0123456789abcdef"
MAIL_DIR = Path(__file__).resolve().parents[1] / "mail"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


BASE_CONFIG = """
[service]
name = "Общий центр обслуживания"
address = "service@corp.example"
base_url = "http://127.0.0.1:{web_port}"
ticket_prefix = "SD"
secret = "{secret}"
language = "ru"
timezone = "Europe/Moscow"
data_dir = "var"
{service_extra}

[smtp_in]
listen = "127.0.0.1:{smtp_port}"
max_message_size = "1MB"

[smtp_out]
{smtp_out}

[web]
listen = "127.0.0.1:{web_port}"

[routing]
default_queue = "general"

[[queues]]
name = "it"
title = "ИТ-поддержка"
addresses = ["it@corp.example"]

[[queues]]
name = "hr"
title = "Кадры"
addresses = ["hr@corp.example"]

[[queues]]
name = "buh"
title = "Бухгалтерия"
addresses = ["buh@corp.example"]

[[queues]]
name = "general"
title = "Общие вопросы"

[[rules]]
name = "vacation"
match = {{ to = "hr@corp.example", subject = "(?i)отпуск|vacation" }}
set = {{ queue = "hr", category = "vacation", priority = "normal" }}

[[rules]]
name = "outage"
match = {{ body = "(?i)не работает|down|outage" }}
set = {{ queue = "it", priority = "high" }}

{extra}
"""


READ_ONLY = {"status", "mailboxes", "report", "check-config", "route-test"}
READ_ONLY_SUB = {("tickets", "list"), ("tickets", "show"), ("outbox", "list"), ("quarantine", "list"),
                 ("quarantine", "show"), ("jobs",), ("news", "list"), ("kb", "search"), ("kb", "check")}


def _in_process(argv: list[str]) -> subprocess.CompletedProcess[str]:
    """Run the real CLI through click's test runner, and close what its database engines opened."""
    from click.testing import CliRunner

    from postdesk.daemon.cli.main import main
    from postdesk.storage.db import Database

    result = CliRunner().invoke(main, argv[1:], catch_exceptions=False)
    for db in list(Database.opened):
        db.dispose()
    return subprocess.CompletedProcess(argv, result.exit_code, result.stdout, result.stderr)


class Center:
    """A config in a temp folder, and the files and commands around it."""

    def __init__(self, root: Path, smtp_out: str = 'maildir = "var/outbox"', service_extra: str = "",
                 extra: str = "", database_url: str | None = None):
        self.root = root
        if database_url:
            extra += f'\n[database]\nurl = "{database_url}"\n'

        root.mkdir(parents=True, exist_ok=True)
        self.smtp_port = free_port()
        self.web_port = free_port()
        self.config = root / "postdesk.toml"
        self.config.write_text(BASE_CONFIG.format(web_port=self.web_port, smtp_port=self.smtp_port, secret=SECRET,
                                                  smtp_out=smtp_out, service_extra=service_extra, extra=extra),
                               encoding="utf-8")
        self.maildir = root / "var" / "outbox"
        self.proc: subprocess.Popen[bytes] | None = None
        self.log = root / "daemon.log"

    # -- the CLI
    def cli(self, *args: str, input: bytes | None = None, check: bool = True) -> subprocess.CompletedProcess[str]:
        """`postdesk --config … ARGS`. Commands that only read run the very same click command in this process
        (a new interpreter costs ~0.75 s of CPU, hundreds of times a suite); the others run as a real process."""
        if args and (args[0] in READ_ONLY or args[:2] in READ_ONLY_SUB) and input is None:
            out = _in_process([POSTDESK, "--config", str(self.config), *args])
        else:
            res = subprocess.run([POSTDESK, "--config", str(self.config), *args], input=input,
                                 capture_output=True, timeout=120)
            out = subprocess.CompletedProcess(res.args, res.returncode, res.stdout.decode(), res.stderr.decode())
        if check and out.returncode != 0:
            raise AssertionError(f"postdesk {' '.join(args)} exited {out.returncode}:\n{out.stderr}")
        return out

    def tickets(self) -> list[dict]:  # type: ignore[type-arg]
        import json

        return json.loads(self.cli("tickets", "list", "--json", "--limit", "100000").stdout)

    def ticket(self, ref: str) -> dict:  # type: ignore[type-arg]
        import json

        return json.loads(self.cli("tickets", "show", ref, "--json").stdout)

    # -- the daemon
    def start(self, *run_args: str) -> None:
        """`postdesk run` with these options (e.g. "--log-format", "json"), once it answers SMTP and HTTP."""
        self.launch(*run_args)
        self.wait_ready()

    def launch(self, *run_args: str) -> None:
        """Start `postdesk run` without waiting: several daemons then start side by side."""
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen([POSTDESK, "--config", str(self.config), "run", *run_args], stdout=log,
                                         stderr=subprocess.STDOUT, cwd=self.root)

    def wait_ready(self, timeout: float = 20) -> None:
        assert self.proc is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"daemon exited {self.proc.returncode}:\n{self.log.read_text()}")
            if self._smtp_ready() and self._web_ready():
                return
            time.sleep(0.05)
        raise AssertionError(f"daemon not ready in {timeout:g} s:\n{self.log.read_text()}")

    def _smtp_ready(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.smtp_port), timeout=1) as s:
                return s.recv(100).startswith(b"220")
        except OSError:
            return False

    def _web_ready(self) -> bool:
        """The page answers; /healthz says 503 while, say, a mailbox is down, which is still "running"."""
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.web_port}/healthz", timeout=1) as r:
                return r.status == 200
        except urllib.error.HTTPError as exc:
            return exc.code == 503
        except OSError:
            return False

    def worker_pid(self, timeout: float = 10) -> int:
        """The daemon's worker process (pipeline and outbox): forked by the front, found by the name it gives
        itself; restarted by exec after a crash, found by its command line."""
        assert self.proc is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            todo = [self.proc.pid]
            while todo:
                with contextlib.suppress(OSError):
                    p = todo.pop()
                    kids = Path(f"/proc/{p}/task/{p}/children").read_text().split()
                    todo += [int(k) for k in kids]
                    for kid in kids:
                        if (Path(f"/proc/{kid}/comm").read_text().strip() == "postdesk-worker"
                                or b"daemon\x00worker" in Path(f"/proc/{kid}/cmdline").read_bytes()):
                            return int(kid)
            time.sleep(0.05)
        raise AssertionError("the daemon has no worker process")

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 20) -> int:
        assert self.proc is not None
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        code = self.proc.wait(timeout)
        self.proc = None
        return code

    # -- mail
    def send(self, msg: Message | bytes, rcpt: list[str] | None = None, sender: str | None = None) -> None:
        with smtplib.SMTP("127.0.0.1", self.smtp_port, timeout=10) as s:
            if isinstance(msg, bytes):
                envelope = ["petr@corp.example" if sender is None else sender, *(rcpt or ["service@corp.example"])]
                utf8 = ["SMTPUTF8"] if not all(a.isascii() for a in envelope) else []  # as an MTA relays EAI mail
                s.sendmail(envelope[0], envelope[1:], msg, mail_options=utf8)
            else:
                s.send_message(msg, from_addr=sender, to_addrs=rcpt)

    def outgoing(self) -> list[EmailMessage]:
        """Every mail in the outbox maildir, oldest first, parsed for reading."""
        new = self.maildir / "new"
        if not new.exists():
            return []
        files = sorted(new.iterdir(), key=lambda p: (p.stat().st_mtime, p.name))
        return [email.message_from_bytes(p.read_bytes(), policy=default_policy) for p in files]  # type: ignore[misc]

    def wait_outgoing(self, count: int, timeout: float = 10) -> list[EmailMessage]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.outgoing()
            if len(found) >= count:
                return found
            time.sleep(0.05)
        raise AssertionError(f"expected {count} outgoing mails, found {len(self.outgoing())}:\n"
                             f"{self.log.read_text() if self.log.exists() else ''}")

    def get(self, url: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()


def text_of(msg: EmailMessage) -> str:
    part = msg.get_body(("plain",))
    assert part is not None
    return part.get_content()


def mail(subject: str, body: str, *, sender: str = "Пётр Сидоров <petr@corp.example>",
         to: str = "service@corp.example", cc: str | None = None, message_id: str | None = None,
         headers: dict[str, str] | None = None) -> EmailMessage:
    m = EmailMessage()
    m["From"] = sender
    m["To"] = to
    if cc:
        m["Cc"] = cc
    m["Subject"] = subject
    m["Message-ID"] = message_id or make_msgid(domain="corp.example")
    m["Date"] = email.utils.formatdate(localtime=True)
    for k, v in (headers or {}).items():
        m[k] = v
    m.set_content(body)
    return m


def smtp_reply(sock: socket.socket) -> bytes:
    """One whole SMTP reply (all its lines) read off a raw socket: for tests that speak SMTP byte by byte,
    where smtplib would refuse or repair what they send."""
    data = b""
    while not re.search(rb"(^|\r\n)\d{3} [^\r\n]*\r\n$", data):
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    return data


def smtp_session(center: Center) -> socket.socket:
    """A raw connection to the daemon's SMTP port, greeted and past EHLO."""
    sock = socket.create_connection(("127.0.0.1", center.smtp_port), timeout=10)
    assert smtp_reply(sock).startswith(b"220 ")
    sock.sendall(b"EHLO mta.example\r\n")
    assert smtp_reply(sock).startswith(b"250")
    return sock


class RelaySink:
    """An aiosmtpd handler playing the relay (or the world beyond the MX): keeps every transaction as it
    arrived, (envelope sender, recipients, bytes)."""

    def __init__(self) -> None:
        self.received: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server: object, session: object, envelope: Any) -> str:
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content))
        return "250 OK"

    def wait(self, count: int, timeout: float = 30, settle: float = 0.0) -> list[tuple[str, list[str], bytes]]:
        """What arrived once `count` did (or the time ran out), after `settle` more seconds in which nothing
        else should come."""
        deadline = time.monotonic() + timeout
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(settle)
        return list(self.received)
