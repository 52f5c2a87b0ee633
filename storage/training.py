"""What the learned routing trains on, read from the desk's own history (daemon/learning/fit.py fits it).

Each ticket gives one example: its subject and the new text of its first inbound message, labelled with the
ticket's *final* queue and category — after agents corrected them — so the desk learns from its agents'
judgement. A ticket whose queue an agent changed with `#queue` is marked `corrected`: the fit weights it up,
for it is the kind of mail the routing got wrong.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from postdesk.storage.db import Database
from postdesk.storage.models import Event, Message, Ticket


@dataclass(frozen=True, slots=True)
class Labelled:
    ticket_id: int
    subject: str
    text: str  # the first inbound message's own text (quotes and signature already cut by the parser)
    queue: str
    category: str | None
    created_at: datetime
    corrected: bool


def labelled_tickets(db: Database, limit: int = 200_000) -> list[Labelled]:
    """The most recent `limit` tickets that began with a mail, oldest first (time order, for the self-check)."""
    with db.read() as s:
        first = (select(Message.ticket_id, func.min(Message.id).label("mid"))
                 .where(Message.direction == "in", Message.kind == "request")
                 .group_by(Message.ticket_id).subquery())
        rows = s.execute(
            select(Ticket.id, Ticket.subject, Message.text, Ticket.queue, Ticket.category, Ticket.created_at)
            .join(first, first.c.ticket_id == Ticket.id).join(Message, Message.id == first.c.mid)
            .order_by(Ticket.id.desc()).limit(limit)).all()
        corrected = set(s.execute(select(Event.ticket_id).where(Event.kind == "queue", Event.via == "command")
                                  .distinct()).scalars())
    return [Labelled(r[0], r[1] or "", r[2] or "", r[3], r[4], r[5], r[0] in corrected) for r in reversed(rows)]


def resolved_since(db: Database, since: datetime | None) -> int:
    """Tickets resolved or closed after `since` (all of them when None): new examples since the last fit."""
    with db.read() as s:
        q = select(func.count()).select_from(Ticket).where(Ticket.resolved_at.is_not(None))
        if since is not None:
            q = q.where(Ticket.resolved_at > since)
        return int(s.execute(q).scalar_one())
