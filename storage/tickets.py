"""Tickets, their conversation and audit trail; one `Tx` is one mail's transaction."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.db import Database
from storage.models import Attachment, Event, Inbound, Message, Outbox, Participant, Ticket, utcnow
from storage.views import AttachmentView, EventView, MessageView, ParticipantView, TicketView


@dataclass(frozen=True, slots=True)
class NewAttachment:
    filename: str
    content_type: str
    size: int
    sha256: str
    data: bytes
    inline: bool = False


@dataclass(frozen=True, slots=True)
class TicketDetail:
    ticket: TicketView
    messages: tuple[MessageView, ...]
    events: tuple[EventView, ...]


class Tx:
    """The operations one mail's processing may do, all inside one transaction."""

    def __init__(self, session: Session, db: Database):
        self.s = session
        self.db = db

    # -- the inbound row this transaction works on
    def claim_inbound(self, inbound_id: int) -> bool:
        """True if the row is still pending; the row stays locked until commit."""
        q = select(Inbound).where(Inbound.id == inbound_id)
        if not self.db.is_sqlite:
            q = q.with_for_update(skip_locked=True)
        row = self.s.scalars(q).first()
        return row is not None and row.status == "pending"

    def finish_inbound(self, inbound_id: int, ticket_id: int | None, outcome: str) -> None:
        row = self.s.get(Inbound, inbound_id)
        assert row is not None
        row.status, row.ticket_id, row.outcome = "done", ticket_id, outcome
        row.processed_at, row.stage, row.error = utcnow(), None, None

    # -- lookups
    def ticket(self, ticket_id: int) -> TicketView | None:
        t = self.s.get(Ticket, ticket_id)
        return _view(self.s, t) if t else None

    def ticket_by_message_ids(self, ids: Iterable[str]) -> TicketView | None:
        """The ticket a mail answers, by any Message-ID it references (ours or the requester's)."""
        wanted = [i for i in ids if i]
        if not wanted:
            return None
        q = (select(Message.ticket_id).where(Message.message_id.in_(wanted))
             .order_by(Message.id.desc()).limit(1))
        ticket_id = self.s.scalar(q)
        return self.ticket(ticket_id) if ticket_id else None

    def tickets_from_same_mail(self, message_id: str | None, exclude: int) -> list[int]:
        if not message_id:
            return []
        q = select(Ticket.id).where(Ticket.origin_message_id == message_id, Ticket.id != exclude)
        return list(self.s.scalars(q))

    def has_message(self, ticket_id: int, message_id: str | None) -> bool:
        if not message_id:
            return False
        q = select(Message.id).where(Message.ticket_id == ticket_id, Message.message_id == message_id).limit(1)
        return self.s.execute(q).first() is not None

    def thread_ids(self, ticket_id: int) -> tuple[str | None, tuple[str, ...]]:
        """In-Reply-To and References for a mail to the requester: their last mail, and the thread."""
        q = (select(Message.message_id, Message.direction).where(Message.ticket_id == ticket_id,
                                                                  Message.message_id.is_not(None))
             .order_by(Message.id))
        rows = self.s.execute(q).all()
        ids = tuple(r.message_id for r in rows)
        last_in = next((r.message_id for r in reversed(rows) if r.direction == "in"), None)
        return last_in, ids[-20:]

    def recent_outbox_count(self, recipient: str, kind: str, since: datetime) -> int:
        q = select(func.count()).select_from(Outbox).where(
            Outbox.recipient == recipient, Outbox.kind == kind, Outbox.created_at >= since)
        return self.s.scalar(q) or 0

    # -- changes
    def create_ticket(self, *, subject: str, queue: str, category: str | None, priority: str,
                      assignee: str | None, requester_email: str, requester_name: str, language: str,
                      rule: str | None, route_reason: str, origin_message_id: str | None,
                      now: datetime, status: str = "new") -> TicketView:
        t = Ticket(subject=subject, status=status, queue=queue, category=category, priority=priority,
                   assignee=assignee, requester_email=requester_email, requester_name=requester_name,
                   language=language, rule=rule, route_reason=route_reason,
                   origin_message_id=origin_message_id, created_at=now, updated_at=now)
        self.s.add(t)
        self.s.flush()
        self.add_participant(t.id, requester_email, requester_name, "requester")
        return _view(self.s, t)

    def add_participant(self, ticket_id: int, email: str, name: str, role: str) -> bool:
        email = email.lower()
        q = select(Participant.id).where(Participant.ticket_id == ticket_id, Participant.email == email)
        if self.s.execute(q).first():
            return False
        self.s.add(Participant(ticket_id=ticket_id, email=email, name=name, role=role))
        self.s.flush()
        return True

    def add_message(self, ticket_id: int, *, direction: str, kind: str, visibility: str = "public",
                    message_id: str | None, author_email: str | None, author_name: str = "", subject: str = "",
                    text: str = "", full_text: str = "", html: str | None = None, inbound_id: int | None = None,
                    outbox_id: int | None = None, attachments: Iterable[NewAttachment] = (),
                    now: datetime) -> int:
        msg = Message(ticket_id=ticket_id, direction=direction, kind=kind, visibility=visibility,
                      message_id=message_id, author_email=author_email, author_name=author_name,
                      subject=subject, text=text, full_text=full_text, html=html, inbound_id=inbound_id,
                      outbox_id=outbox_id, created_at=now)
        self.s.add(msg)
        self.s.flush()
        for a in attachments:
            self.s.add(Attachment(message_pk=msg.id, filename=a.filename, content_type=a.content_type,
                                  size=a.size, sha256=a.sha256, inline=a.inline, data=a.data))
        return msg.id

    def add_event(self, ticket_id: int, *, actor: str, via: str, kind: str, now: datetime,
                  **detail: Any) -> None:
        self.s.add(Event(ticket_id=ticket_id, actor=actor, via=via, kind=kind, detail=detail, at=now))

    def update_ticket(self, ticket_id: int, now: datetime, **changes: Any) -> TicketView:
        t = self.s.get(Ticket, ticket_id)
        assert t is not None
        for k, v in changes.items():
            setattr(t, k, v)
        t.updated_at = now
        self.s.flush()
        return _view(self.s, t)

    def enqueue(self, *, kind: str, message_id: str, mail_from: str, rcpt: list[str], subject: str, raw: bytes,
                ticket_id: int | None, now: datetime) -> int:
        row = Outbox(kind=kind, message_id=message_id, mail_from=mail_from, rcpt=rcpt,
                     recipient=rcpt[0].lower() if rcpt else "", subject=subject, raw=raw, ticket_id=ticket_id,
                     status="pending", created_at=now, next_attempt_at=now)
        self.s.add(row)
        self.s.flush()
        return row.id


def _view(s: Session, t: Ticket) -> TicketView:
    ps = s.scalars(select(Participant).where(Participant.ticket_id == t.id).order_by(Participant.id))
    return TicketView.of(t, tuple(ParticipantView(p.email, p.name, p.role) for p in ps))


class TicketStore:
    """Entry point of the ticket side of storage."""

    def __init__(self, db: Database):
        self.db = db

    @contextmanager
    def transaction(self) -> Iterator[Tx]:
        with self.db.write() as s:
            yield Tx(s, self.db)

    def get(self, ticket_id: int) -> TicketView | None:
        with self.db.read() as s:
            t = s.get(Ticket, ticket_id)
            return _view(s, t) if t else None

    def list(self, *, status: str | None = None, queue: str | None = None, limit: int = 200) -> list[
            tuple[TicketView, int]]:
        """Tickets, newest first, each with its number of messages."""
        with self.db.read() as s:
            counts = (select(Message.ticket_id, func.count().label("n"))
                      .where(Message.kind.in_(("request", "follow-up", "reply", "note")))
                      .group_by(Message.ticket_id).subquery())
            q = (select(Ticket, func.coalesce(counts.c.n, 0)).outerjoin(counts, counts.c.ticket_id == Ticket.id)
                 .order_by(Ticket.id.desc()).limit(limit))
            if status:
                q = q.where(Ticket.status == status)
            if queue:
                q = q.where(Ticket.queue == queue)
            return [(_view(s, t), n) for t, n in s.execute(q).all()]

    def detail(self, ticket_id: int, *, public_only: bool = False) -> TicketDetail | None:
        with self.db.read() as s:
            t = s.get(Ticket, ticket_id)
            if t is None:
                return None
            q = select(Message).where(Message.ticket_id == ticket_id).order_by(Message.id)
            if public_only:
                q = q.where(Message.visibility == "public")
            msgs = list(s.scalars(q))
            atts: dict[int, list[AttachmentView]] = {}
            if msgs:
                aq = select(Attachment.id, Attachment.message_pk, Attachment.filename, Attachment.content_type,
                            Attachment.size, Attachment.inline).where(
                    Attachment.message_pk.in_([m.id for m in msgs])).order_by(Attachment.id)
                for a in s.execute(aq).all():
                    atts.setdefault(a.message_pk, []).append(
                        AttachmentView(a.id, a.filename, a.content_type, a.size, a.inline))
            messages = tuple(
                MessageView(m.id, m.direction, m.kind, m.visibility, m.message_id, m.author_email, m.author_name,
                            m.subject, m.text, m.created_at, tuple(atts.get(m.id, ())))
                for m in msgs)
            events = tuple(EventView(e.at, e.actor, e.via, e.kind, dict(e.detail or {}))
                           for e in s.scalars(select(Event).where(Event.ticket_id == ticket_id).order_by(Event.id)))
            return TicketDetail(_view(s, t), messages, events)

    def count(self) -> int:
        with self.db.read() as s:
            return s.scalar(select(func.count()).select_from(Ticket)) or 0
