"""What /metrics reads from the database on every scrape: queue depths and mailbox times.

Only the small, working states are counted (pending, processing, quarantined; pending, sending, failed), each
an index range (`ix_inbound_status`, `ix_outbox_status_due`), never the done or sent history that grows
without end: the cost stays the same at 100,000 tickets as at 10.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from postdesk.storage.db import Database
from postdesk.storage.models import Inbound, MailboxState, Outbox

INBOUND_STATES = ("pending", "processing", "quarantined")
OUTBOX_STATES = ("pending", "sending", "failed")


@dataclass(frozen=True, slots=True)
class MailboxTimes:
    name: str
    connected: bool
    last_success_at: datetime | None


@dataclass(frozen=True, slots=True)
class Depths:
    inbound: dict[str, int]  # every state of INBOUND_STATES, 0 when none
    outbox: dict[str, int]
    mailboxes: tuple[MailboxTimes, ...]


def depths(db: Database) -> Depths:
    """Three small queries in one read transaction."""
    with db.read() as s:
        inbound = dict(s.execute(select(Inbound.status, func.count()).where(Inbound.status.in_(INBOUND_STATES))
                                 .group_by(Inbound.status)).all())
        out = dict(s.execute(select(Outbox.status, func.count()).where(Outbox.status.in_(OUTBOX_STATES))
                             .group_by(Outbox.status)).all())
        boxes = tuple(MailboxTimes(name, bool(connected), last) for name, connected, last in s.execute(
            select(MailboxState.name, MailboxState.connected, MailboxState.last_success_at)
            .order_by(MailboxState.name)))
    return Depths({k: int(inbound.get(k, 0)) for k in INBOUND_STATES}, {k: int(out.get(k, 0)) for k in OUTBOX_STATES},
                  boxes)
