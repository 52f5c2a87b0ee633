"""Three daemons on one PostgreSQL and one Dovecot: one dies, one restarts, and every mail is handled once."""

from __future__ import annotations

import contextlib
import email
import json
import os
import signal
import smtplib
import threading
import time
from collections import Counter
from collections.abc import Callable
from email.policy import default as default_policy
from pathlib import Path

from sqlalchemy import create_engine, text

from support import Center, mail

SENDERS = [f"Сотрудник {i} <user{i}@corp.example>" for i in range(30)]
DIGEST = """
[news]
dir = "{news}"

[[digests]]
name = "minutely"
schedule = "* * * * *"
timezone = "Europe/Moscow"
"""
NEWS_ITEM = """---
title: Новый VPN-клиент
date: 2026-11-20
queues: all
lang: ru
---
С понедельника подключайтесь через FortiClient 7.
"""


def mailbox(name: str, dovecot, user: str, password: str, queue: str) -> str:  # type: ignore[no-untyped-def]
    return (f'[[mailboxes]]\nname = "{name}"\nhost = "127.0.0.1"\nport = {dovecot.port}\ntls = "none"\n'
            f'username = "{user}"\npassword = "{password}"\nqueue = "{queue}"\nafter = "delete"\n')


def shared_outbox(path: Path) -> list[email.message.EmailMessage]:
    new = path / "new"
    return [email.message_from_bytes(p.read_bytes(), policy=default_policy)  # type: ignore[misc]
            for p in sorted(new.iterdir())] if new.exists() else []


class Sender:
    """Like a sending MTA with three MX hosts: one session per daemon, the next daemon when one does not answer."""

    def __init__(self, centers: list[Center]):
        self.centers = centers
        self.sessions: dict[int, smtplib.SMTP] = {}

    def send(self, n: int, msg: bytes, to: str) -> None:
        for k in range(len(self.centers) * 20):
            i = (n + k) % len(self.centers)
            try:
                if i not in self.sessions:
                    self.sessions[i] = smtplib.SMTP("127.0.0.1", self.centers[i].smtp_port, timeout=10)
                self.sessions[i].sendmail("sender@corp.example", [to], msg)
                return
            except (OSError, smtplib.SMTPException):
                self.drop(i)
                time.sleep(0.1)
        raise AssertionError(f"no daemon took mail {n}")

    def drop(self, i: int) -> None:
        session = self.sessions.pop(i, None)
        if session is not None:
            with contextlib.suppress(OSError, smtplib.SMTPException):
                session.close()


def wait_until(check: Callable[[], bool], timeout: float, what: str, centers: list[Center]) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.5)
    logs = "\n".join(f"--- {c.root.name}\n{c.log.read_text()[-3000:]}" for c in centers if c.log.exists())
    raise AssertionError(f"timed out waiting for {what}\n{logs}")


def test_three_daemons_share_the_work_and_lose_nothing_when_one_dies(postgres, dovecot, make_center,  # type: ignore[no-untyped-def]
                                                                      tmp_path: Path) -> None:
    url = postgres.new_url()
    hr_user, hr_pw = dovecot.add_user("shared-hr")
    it_user, it_pw = dovecot.add_user("shared-it")
    news = tmp_path / "news"
    news.mkdir()
    (news / "vpn.md").write_text(NEWS_ITEM, encoding="utf-8")
    outbox = tmp_path / "outbox"
    extra = (f'[database]\nurl = "{url}"\n' + DIGEST.format(news=news)
             + mailbox("hr", dovecot, hr_user, hr_pw, "hr") + mailbox("it", dovecot, it_user, it_pw, "it"))
    centers = [make_center(smtp_out=f'maildir = "{outbox}"', extra=extra,
                           service_extra="auto_replies_per_hour = 100") for _ in range(3)]
    for c in centers:
        c.launch()
    for c in centers:
        c.wait_ready()

    mails = []
    for n in range(600):
        m = mail(f"Заявка {n}", f"Текст заявки номер {n}.", sender=SENDERS[n % len(SENDERS)],
                 to="hr@corp.example" if n % 3 == 1 else "it@corp.example" if n % 3 == 2 else "service@corp.example")
        mails.append(m)
    by_smtp = [m for n, m in enumerate(mails) if n % 3 == 0 or n % 6 == 2]  # 400 over SMTP
    by_imap = [m for n, m in enumerate(mails) if not (n % 3 == 0 or n % 6 == 2)]  # 200 into the two mailboxes

    def append_all() -> None:
        for m in by_imap:
            user = hr_user if str(m["To"]).startswith("hr@") else it_user
            dovecot.append(user, "INBOX", m.as_bytes())

    def holders() -> dict[str, str | None]:
        return {m["name"]: m["held_by"] for m in json.loads(centers[2].cli("mailboxes", "--json").stdout)}

    wait_until(lambda: all(holders().values()), 20, "both mailboxes held", centers)
    # the daemon that reads the hr mailbox is the one whose host dies; another is restarted
    by_pid = {c.proc.pid: c for c in centers if c.proc is not None}
    dead_id = str(holders()["hr"])
    killed = by_pid[int(dead_id.rsplit(":", 2)[1])]
    restarted = next(c for c in centers if c is not killed)
    survivor = next(c for c in centers if c not in (killed, restarted))
    killed_at = 0.0
    imap = threading.Thread(target=append_all)
    imap.start()
    sender = Sender(centers)
    for n, m in enumerate(by_smtp):
        if n == 130:  # the host of the hr mailbox's reader dies: front and worker at once, mid-stream
            worker = killed.worker_pid()
            assert killed.proc is not None
            os.kill(worker, signal.SIGKILL)
            killed.proc.kill()
            killed.proc.wait()
            killed.proc = None
            killed_at = time.monotonic()
            sender.drop(centers.index(killed))
        if n == 260:  # another is restarted (a deploy)
            sender.drop(centers.index(restarted))
            code = restarted.stop()
            assert code == 0, f"exit {code}:\n{restarted.log.read_text()[-3000:]}"
            restarted.start()
        sender.send(n, m.as_bytes(), str(m["To"]))
    imap.join()
    wait_until(lambda: holders()["hr"] not in (None, dead_id), 60, "the hr mailbox taken over", centers)
    assert time.monotonic() - killed_at < 60

    engine = create_engine(url)

    def done() -> bool:
        with engine.connect() as c:
            tickets = c.execute(text("SELECT count(*) FROM tickets")).scalar()
            waiting = c.execute(text("SELECT count(*) FROM inbound WHERE status = 'pending'")).scalar()
            unsent = c.execute(text("SELECT count(*) FROM outbox WHERE status IN ('pending', 'sending')")).scalar()
        return tickets == 600 and waiting == 0 and unsent == 0
    # a dead daemon's mailboxes and half-sent mail are taken over once its heartbeat is 30 s old
    wait_until(done, 150, "600 tickets, nothing pending or unsent", centers)

    tickets = json.loads(survivor.cli("tickets", "list", "--json", "--limit", "1000").stdout)
    assert sorted(t["subject"] for t in tickets) == sorted(str(m["Subject"]) for m in mails)  # each once
    acks = Counter(str(m["In-Reply-To"]) for m in shared_outbox(outbox) if not m["List-Unsubscribe"])
    assert {str(m["Message-ID"]) for m in mails} <= set(acks)
    assert [k for k, v in acks.items() if v > 1] == [] and len(acks) == 600  # one acknowledgment each
    # both mailboxes drained: mail the dead reader stored but had not yet deleted goes in the new holder's first
    # round, which may come after the tickets are all there
    wait_until(lambda: dovecot.folder_uids(hr_user) == [] and dovecot.folder_uids(it_user) == [], 30,
               "both mailboxes drained", centers)

    # the digest fires every minute on every daemon alive, yet each subscriber gets it once
    wait_until(lambda: len([m for m in shared_outbox(outbox) if m["List-Unsubscribe"]]) >= len(SENDERS), 90,
               "a digest to every sender", centers)
    time.sleep(2)
    digests = Counter(str(m["To"]) for m in shared_outbox(outbox) if m["List-Unsubscribe"])
    assert len(digests) == len(SENDERS) and set(digests.values()) == {1}
    with engine.connect() as c:
        runs = c.execute(text("SELECT slot, count(*) FROM job_runs WHERE job = 'digest:minutely' GROUP BY slot")
                         ).all()
    assert runs and all(n == 1 for _, n in runs)

    status = survivor.cli("status").stdout
    assert "daemons: 2 alive" in status and "DEAD" in status  # the killed one is shown, the restarted one gone
    report = {m["name"]: m for m in json.loads(survivor.cli("mailboxes", "--json").stdout)}
    assert report["hr"]["connected"] and report["it"]["connected"]
    with contextlib.suppress(Exception):
        engine.dispose()
