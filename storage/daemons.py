"""Who is running: one row per daemon with a heartbeat, so several daemons can share work and take it over.

A daemon counts as alive while its heartbeat is fresher than DEAD_AFTER and it has not said goodbye. What a
dead daemon held (mail being sent, mailboxes being read, a job slot) is then free for the others to take.
"""

from __future__ import annotations

import os
import secrets
import socket
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql.selectable import Select

from postdesk.storage.db import Database, rowcount
from postdesk.storage.models import Daemon, JobRun, utcnow
from postdesk.storage.views import DaemonView

HEARTBEAT_EVERY = 5.0  # seconds
DEAD_AFTER = timedelta(seconds=30)  # six missed heartbeats
FORGET_AFTER = timedelta(days=7)  # rows of daemons gone this long are deleted


def new_id() -> str:
    """host:pid:random, readable in `postdesk status` and unique even when a pid is reused."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{secrets.token_hex(3)}"


def gone_here(daemon_id: str | None) -> bool:
    """A daemon of this host whose process no longer exists: surely dead, no need to wait for its heartbeat
    to age (a restart after a crash takes its mailboxes back at once). A reused pid only makes us wait."""
    if not daemon_id or daemon_id.count(":") < 2:
        return False
    host, pid, _ = daemon_id.rsplit(":", 2)
    if host != socket.gethostname()[:40] or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except OSError:  # another user's process: it exists
        return False
    return False


def register(db: Database, daemon_id: str, version: str, info: dict[str, Any]) -> None:
    now = utcnow()
    host, pid, _ = daemon_id.rsplit(":", 2)
    with db.write() as s:
        s.execute(delete(Daemon).where(Daemon.heartbeat_at < now - FORGET_AFTER))
        s.execute(insert(Daemon).values(id=daemon_id, host=host, pid=int(pid), version=version, started_at=now,
                                        heartbeat_at=now, info=info))


def beat(db: Database, daemon_id: str) -> None:
    with db.write() as s:
        s.execute(update(Daemon).where(Daemon.id == daemon_id).values(heartbeat_at=utcnow(), stopped_at=None))


def goodbye(db: Database, daemon_id: str) -> None:
    """A clean stop: what this daemon held is free at once, not after DEAD_AFTER."""
    with db.write() as s:
        s.execute(update(Daemon).where(Daemon.id == daemon_id).values(stopped_at=utcnow()))


def alive_ids(now: datetime | None = None) -> Select[str]:
    """A subquery of the living daemons' ids, for the statements that free what the dead held."""
    cutoff = (now or utcnow()) - DEAD_AFTER
    return select(Daemon.id).where(Daemon.heartbeat_at >= cutoff, Daemon.stopped_at.is_(None))


def listing(db: Database, now: datetime | None = None) -> list[DaemonView]:
    """Every daemon seen in the last week, newest first, with whether it is alive (one of this host whose
    process is gone is dead at once)."""
    now = now or utcnow()
    with db.read() as s:
        rows = s.scalars(select(Daemon).order_by(Daemon.started_at.desc())).all()
        return [DaemonView(r.id, r.host, r.pid, r.version, r.started_at, r.heartbeat_at, r.stopped_at,
                           r.stopped_at is None and r.heartbeat_at >= now - DEAD_AFTER and not gone_here(r.id),
                           dict(r.info or {}))
                for r in rows]


def claim_slot(db: Database, job: str, slot: str, daemon_id: str) -> bool:
    """True for exactly one daemon per (job, slot): the one whose row went in first."""
    try:
        with db.write() as s:
            if s.get(JobRun, (job, slot)) is not None:
                return False
            s.execute(insert(JobRun).values(job=job, slot=slot, daemon=daemon_id, at=utcnow()))
    except IntegrityError:  # another daemon's insert won between our look and ours
        return False
    return True


def finish_slot(db: Database, job: str, slot: str) -> None:
    with db.write() as s:
        s.execute(update(JobRun).where(JobRun.job == job, JobRun.slot == slot).values(done_at=utcnow()))


def unfinished_of_the_dead(db: Database, jobs: set[str], since: datetime, me: str) -> list[tuple[str, str, str]]:
    """(job, slot, daemon) of these jobs' slots begun since `since` whose daemon died before the end."""
    with db.read() as s:
        alive = set(s.scalars(alive_ids()))
        rows = s.execute(select(JobRun.job, JobRun.slot, JobRun.daemon).where(
            JobRun.job.in_(jobs), JobRun.done_at.is_(None), JobRun.at >= since, JobRun.daemon != me)).all()
    return [(job, slot, d) for job, slot, d in rows if d not in alive or gone_here(d)]


def take_slot(db: Database, job: str, slot: str, dead: str, daemon_id: str) -> bool:
    """The slot of a dead daemon becomes ours; True for exactly one of the daemons that try."""
    with db.write() as s:
        return rowcount(s.execute(update(JobRun).where(JobRun.job == job, JobRun.slot == slot, JobRun.daemon == dead,
                                                       JobRun.done_at.is_(None)).values(daemon=daemon_id))) == 1


def forget_slots(db: Database, before: datetime) -> int:
    with db.write() as s:
        return rowcount(s.execute(delete(JobRun).where(JobRun.at < before)))
