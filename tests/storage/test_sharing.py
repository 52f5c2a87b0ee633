"""What several daemons share through the database, on SQLite and PostgreSQL: heartbeats, leases, slots, claims."""

from __future__ import annotations

import os
import socket
import subprocess
import threading
from datetime import timedelta

from sqlalchemy import update

from postdesk.storage import daemons, outbox
from postdesk.storage import mailboxes as state
from postdesk.storage.db import Database
from postdesk.storage.models import Daemon, Outbox, utcnow


def db_of(url: str) -> Database:
    db = Database(url)
    db.create_schema()
    return db


def queue_mail(db: Database, n: int) -> None:
    now = utcnow()
    with db.write() as s:
        for i in range(n):
            s.add(Outbox(created_at=now, kind="ack", message_id=f"m{i}@corp.example", mail_from="service@corp.example",
                         rcpt=["petr@corp.example"], recipient="petr@corp.example", raw=b"x", status="pending",
                         attempts=0, next_attempt_at=now))


def make_dead(db: Database, daemon_id: str) -> None:
    with db.write() as s:
        s.execute(update(Daemon).where(Daemon.id == daemon_id).values(heartbeat_at=utcnow() - timedelta(minutes=5)))


def test_status_lists_daemons_alive_and_dead(database_url: str) -> None:
    db = db_of(database_url)
    daemons.register(db, "host-a:1:aa", "1.0", {"smtp": "127.0.0.1:25"})
    daemons.register(db, "host-b:2:bb", "1.0", {})
    daemons.register(db, "host-c:3:cc", "1.0", {})
    make_dead(db, "host-b:2:bb")
    daemons.goodbye(db, "host-c:3:cc")
    alive = {d.id: d.alive for d in daemons.listing(db)}
    assert alive == {"host-a:1:aa": True, "host-b:2:bb": False, "host-c:3:cc": False}
    daemons.beat(db, "host-b:2:bb")  # it was only slow
    assert {d.id for d in daemons.listing(db) if d.alive} == {"host-a:1:aa", "host-b:2:bb"}


def test_a_job_slot_runs_on_one_daemon_even_when_all_fire_at_once(database_url: str) -> None:
    db = db_of(database_url)
    wins: list[str] = []
    start = threading.Barrier(3)

    def fire(me: str) -> None:
        start.wait()
        if daemons.claim_slot(db, "digest:weekly", "2026-11-30T09:00:00+03:00", me):
            wins.append(me)

    threads = [threading.Thread(target=fire, args=(f"d{i}",)) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(wins) == 1
    assert daemons.claim_slot(db, "digest:weekly", "2026-12-07T09:00:00+03:00", "d2")  # the next period is free


def test_one_reader_per_mailbox_and_takeover_when_the_holder_dies(database_url: str) -> None:
    db = db_of(database_url)
    assert state.take_lease(db, "hr", "a") is None
    assert state.take_lease(db, "hr", "b") == "a"  # a holds it: b stands by
    assert state.renew_lease(db, "hr", "a")
    later = utcnow() + state.LEASE + timedelta(seconds=1)  # a stopped renewing (it died)
    assert state.take_lease(db, "hr", "b", now=later) is None
    assert not state.renew_lease(db, "hr", "a")  # a wakes up: it has lost the mailbox and must stop
    state.release_lease(db, "hr", "a")  # releasing what it no longer holds changes nothing
    assert state.take_lease(db, "hr", "c") == "b"
    state.release_lease(db, "hr", "b")  # a clean stop frees it at once
    assert state.take_lease(db, "hr", "c") is None


def test_outbox_rows_of_a_dead_daemon_are_sent_by_another_and_never_twice(database_url: str) -> None:
    db = db_of(database_url)
    daemons.register(db, "a:1:aa", "1", {})
    daemons.register(db, "b:2:bb", "1", {})
    queue_mail(db, 6)
    first = outbox.claim_due(db, 4, me="a:1:aa")
    second = outbox.claim_due(db, 4, me="b:2:bb")
    assert len(first) == 4 and len(second) == 2  # no row handed out twice
    assert not {r.id for r, _ in first} & {r.id for r, _ in second}
    assert outbox.reclaim_orphans(db, "b:2:bb") == 0  # a is alive: its rows stay with it
    make_dead(db, "a:1:aa")
    assert outbox.reclaim_orphans(db, "a:1:aa") == 0  # never one's own, however late its heartbeat
    assert outbox.reclaim_orphans(db, "b:2:bb") == 4
    again = outbox.claim_due(db, 10, me="b:2:bb")
    assert sorted(r.id for r, _ in again) == sorted(r.id for r, _ in first)


def test_a_restarted_worker_takes_back_only_its_own_half_sent_rows(database_url: str) -> None:
    db = db_of(database_url)
    daemons.register(db, "a:1:aa", "1", {})
    daemons.register(db, "b:2:bb", "1", {})
    queue_mail(db, 4)
    outbox.claim_due(db, 2, me="a:1:aa")
    outbox.claim_due(db, 2, me="b:2:bb")
    assert outbox.reset_sending(db, me="a:1:aa") == 2
    assert outbox.counts(db) == {"pending": 2, "sending": 2}


def test_a_crashed_daemon_of_this_host_gives_up_its_mailbox_at_once(database_url: str) -> None:
    db = db_of(database_url)
    dead = f"{socket.gethostname()[:40]}:{_pid_of_finished()}:aa"  # this host, a process that has exited
    alive_elsewhere = "other-host:1:bb"
    assert state.take_lease(db, "hr", dead) is None
    assert state.take_lease(db, "hr", "me:2:cc") is None  # no 30 s wait: that process is gone
    assert state.take_lease(db, "it", alive_elsewhere) is None
    assert state.take_lease(db, "it", "me:2:cc") == alive_elsewhere  # another host's daemon: wait for its lease


def _pid_of_finished() -> int:
    proc = subprocess.Popen(["true"])
    proc.wait()
    return proc.pid


def test_a_crashed_daemon_of_this_host_is_listed_dead_at_once(database_url: str) -> None:
    db = db_of(database_url)
    crashed = f"{socket.gethostname()[:40]}:{_pid_of_finished()}:aa"
    me = f"{socket.gethostname()[:40]}:{os.getpid()}:bb"
    daemons.register(db, crashed, "1", {})
    daemons.register(db, me, "1", {})
    assert {d.id: d.alive for d in daemons.listing(db)} == {crashed: False, me: True}
