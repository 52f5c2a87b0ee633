"""Retention: the raw bytes of mail that did its work long ago are dropped; tickets, messages and attachments stay.

Only inbound mail that was processed (`done`) and outgoing mail that was `sent` lose their raw bytes
(`raw` becomes NULL; the row, its size and its Message-ID stay). Pending, processing and quarantined
inbound mail and pending or failed outgoing mail keep theirs at any age. The work goes through the table in
windows of ids, each purged in its own short write transaction, so a first purge of a million rows never
holds SQLite's write lock for more than a moment: ingress and the pipeline go on in between.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update

from postdesk.storage.db import Database, rowcount
from postdesk.storage.models import Inbound, Outbox

WINDOW = 200  # ids per write transaction: ~50 ms of the write lock each (bench/retention_purge.py)


@dataclass(frozen=True, slots=True)
class Purged:
    """What one run did: rows whose raw bytes were dropped, for mail older than `before`."""

    before: datetime
    inbound: int
    outbox: int


def purge_raw(db: Database, before: datetime, window: int = WINDOW) -> Purged:
    """Drop the raw bytes of done inbound mail received before `before` and of outgoing mail sent before it."""
    inbound = _purge(db, Inbound, "done", Inbound.received_at, Inbound.received_at, before, window)
    outbox = _purge(db, Outbox, "sent", Outbox.sent_at, Outbox.created_at, before, window)
    return Purged(before, inbound, outbox)


def _purge(db: Database, table: Any, finished: str, when: Any, order: Any, before: datetime, window: int) -> int:
    """Window by window in id order, from the first finished row that still has its bytes; stops at the first
    window wholly newer than `before` (`order` grows with the id; a mail is sent after it was created).

    Each window is read by primary key alone and sifted here: a condition on the status would let the
    planner walk the status index instead, over every sent row for every window.
    """
    with db.read() as s:  # from the first finished row that still has its bytes: a daily run skips the purged
        low = s.scalar(select(func.min(table.id)).where(table.status == finished, table.raw.is_not(None)))
        high = s.scalar(select(func.max(table.id)))
    if low is None or high is None:
        return 0
    purged = 0
    for start in range(low, high + 1, window):
        with db.read() as s:
            rows = s.execute(select(table.id, table.status, when, order, table.raw.is_not(None))
                             .where(table.id >= start, table.id < start + window)).all()
        if rows and min(r[3] for r in rows) >= before:
            break
        ids = [r[0] for r in rows if r[1] == finished and r[2] is not None and r[2] < before and r[4]]
        if ids:
            with db.write() as s:  # status re-checked: a row requeued meanwhile keeps its bytes
                purged += rowcount(s.execute(update(table).where(table.id.in_(ids), table.status == finished,
                                                                 table.raw.is_not(None)).values(raw=None)))
    return purged
