"""IMAP reading state per mailbox: last UID and UIDVALIDITY, and health for the operator."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy import update as sql_update
from sqlalchemy.exc import IntegrityError

from postdesk.storage.daemons import gone_here
from postdesk.storage.db import Database, rowcount
from postdesk.storage.models import MailboxState, utcnow
from postdesk.storage.views import MailboxStateView


def get(db: Database, name: str) -> MailboxStateView | None:
    with db.read() as s:
        row = s.get(MailboxState, name)
        return MailboxStateView.of(row) if row else None


def all_states(db: Database) -> list[MailboxStateView]:
    with db.read() as s:
        return [MailboxStateView.of(r) for r in s.scalars(select(MailboxState).order_by(MailboxState.name))]


def update(db: Database, name: str, **values: Any) -> None:
    """Set some fields of a mailbox's state, creating the row on first use."""
    with db.write() as s:
        row = s.get(MailboxState, name)
        if row is None:
            row = MailboxState(name=name, last_uid=0)
            s.add(row)
        for k, v in values.items():
            setattr(row, k, v)


def record_success(db: Database, name: str, **values: Any) -> None:
    now = utcnow()
    update(db, name, connected=True, heartbeat_at=now, last_success_at=now, **values)


def record_error(db: Database, name: str, error: str) -> None:
    now = utcnow()
    update(db, name, connected=False, heartbeat_at=now, last_error=error[:2000], last_error_at=now)


# -- one reader per mailbox across daemons
LEASE = timedelta(seconds=30)  # a dead holder's mailbox is taken over within this (plus a standby's poll)


def take_lease(db: Database, name: str, me: str, now: datetime | None = None) -> str | None:
    """Hold the mailbox for LEASE; None when it is ours now, else the id of the daemon that holds it."""
    now = now or utcnow()
    try:
        with db.write() as s:
            row = s.get(MailboxState, name, with_for_update=not db.is_sqlite)
            if row is None:
                row = MailboxState(name=name, last_uid=0)
                s.add(row)
            elif (row.holder not in (None, me) and row.lease_until is not None and row.lease_until > now
                  and not gone_here(row.holder)):
                return row.holder
            row.holder, row.lease_until = me, now + LEASE
    except IntegrityError:  # another daemon created the row at the same moment: it holds it
        return get(db, name).holder if get(db, name) else "another daemon"  # type: ignore[union-attr]
    return None


def renew_lease(db: Database, name: str, me: str) -> bool:
    """False when another daemon took the mailbox over (we were thought dead): stop reading it."""
    with db.write() as s:
        return rowcount(s.execute(sql_update(MailboxState).where(MailboxState.name == name, MailboxState.holder == me)
                                  .values(lease_until=utcnow() + LEASE))) == 1


def release_lease(db: Database, name: str, me: str) -> None:
    with db.write() as s:
        s.execute(sql_update(MailboxState).where(MailboxState.name == name, MailboxState.holder == me)
                  .values(holder=None, lease_until=None, connected=False, idle=False))
