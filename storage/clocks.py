"""What a ticket's timers go by, read inside the transaction that acts on them: status clock and SLA facts."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select

from postdesk.routing.sla import Pause, pending_spans
from postdesk.routing.timers import TicketClock
from postdesk.storage.models import Event, Message, Rating, Ticket
from postdesk.storage.txbase import TxBase


class ClocksTx(TxBase):
    """The timers' reads: the ticket jobs decide (in routing) on what these return, then change the ticket."""

    def ticket_clock(self, ticket_id: int) -> TicketClock | None:
        """The ticket's timer state, read (and on PostgreSQL locked) inside this transaction."""
        q = select(Ticket.status, Ticket.updated_at, Ticket.resolved_at).where(Ticket.id == ticket_id)
        if not self._db.is_sqlite:
            q = q.with_for_update()
        row = self._c.execute(q).first()
        if row is None:
            return None
        status, updated, resolved = row
        since = None
        for at, detail in self._c.execute(select(Event.at, Event.detail).where(
                Event.ticket_id == ticket_id, Event.kind == "status").order_by(Event.id.desc())):
            if (detail or {}).get("new") == status:
                since = at
                break
        since = since or (resolved if status == "resolved" and resolved else updated)
        kinds = set(self._c.execute(select(Event.kind).where(
            Event.ticket_id == ticket_id, Event.at >= since,
            Event.kind.in_(("pending-reminder", "rating-reminded")))).scalars())
        rated = self._c.execute(select(Rating.ticket_id).where(Rating.ticket_id == ticket_id)).first() is not None
        return TicketClock(status, since, "pending-reminder" in kinds, rated, "rating-reminded" in kinds)

    def sla_facts(self, ticket_id: int) -> tuple[datetime | None, frozenset[str], frozenset[str], tuple[Pause, ...]]:
        """(first agent reply, clocks already warned about, clocks already escalated, spans in pending)."""
        first = self._c.execute(select(func.min(Message.created_at)).where(
            Message.ticket_id == ticket_id, Message.kind == "reply", Message.direction == "out")).scalar()
        if isinstance(first, str):  # func.min() skips the column type on SQLite
            first = datetime.fromisoformat(first)
        if first is not None and first.tzinfo is None:
            first = first.replace(tzinfo=UTC)
        warned: set[str] = set()
        escalated: set[str] = set()
        for kind, detail in self._c.execute(select(Event.kind, Event.detail).where(
                Event.ticket_id == ticket_id, Event.kind.in_(("sla-warning", "sla-breach")))):
            (warned if kind == "sla-warning" else escalated).add((detail or {}).get("clock", ""))
        changes = self._c.execute(select(Event.at, Event.detail).where(
            Event.ticket_id == ticket_id, Event.kind == "status").order_by(Event.id)).all()
        pauses = pending_spans((at, str((detail or {}).get("new", ""))) for at, detail in changes)
        return first, frozenset(warned), frozenset(escalated), pauses
