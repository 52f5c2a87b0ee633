"""IMAP reading state per mailbox: last UID and UIDVALIDITY, and health for the operator."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from storage.db import Database
from storage.models import MailboxState, utcnow
from storage.views import MailboxStateView


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
