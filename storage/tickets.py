"""Tickets and their participants, and `Tx`: one mail's transaction, composed of every table group's part."""

from __future__ import annotations

import builtins  # TicketStore.list shadows the builtin in the class's annotations
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import Session

from postdesk.storage import ratings
from postdesk.storage import suppressions as suppression_rows
from postdesk.storage.clocks import ClocksTx
from postdesk.storage.conversation import ConversationTx
from postdesk.storage.conversation import NewAttachment as NewAttachment
from postdesk.storage.db import Database
from postdesk.storage.inbound import InboundTx
from postdesk.storage.models import Attachment, Event, Message, Participant, Ticket, table_of
from postdesk.storage.news import NewsTx
from postdesk.storage.outbox import OutboxTx
from postdesk.storage.portal import PortalTx
from postdesk.storage.prepared import Prepared
from postdesk.storage.ratings import RatingsTx
from postdesk.storage.suppressions import SuppressionsTx
from postdesk.storage.views import AttachmentView, EventView, MessageView, ParticipantView, TicketView

DONE_STATUSES = ("resolved", "closed")  # the statuses that carry a resolved_at


@dataclass(frozen=True, slots=True)
class TicketDetail:
    ticket: TicketView
    messages: tuple[MessageView, ...]
    events: tuple[EventView, ...]


class TicketsTx(ConversationTx):
    """Tickets and participants inside one mail's transaction; a change of a ticket writes its event."""

    def ticket(self, ticket_id: int) -> TicketView | None:
        t = self._run.first(_TICKET, {"pk": ticket_id})
        return None if t is None else self._with_participants(t)

    def _with_participants(self, t: tuple[Any, ...]) -> TicketView:
        ps = self._run.all(_PARTICIPANTS, {"pk": t[0]})
        return TicketView(*t, participants=tuple(ParticipantView(*p) for p in ps))

    def hold_ticket(self, ticket_id: int) -> TicketView | None:
        """The ticket a mail acts on, locked on PostgreSQL until the mail's transaction ends.

        Two daemons' mails on one ticket then take turns, and the second reads what the first wrote: a
        check-then-write such as "the leads hear of a low rating once" or "the agent hears of strangers once
        an hour" holds across daemons. SQLite's single writer already serializes them; a read transaction
        (route-test) locks nothing."""
        if self._writing and not self._db.is_sqlite:
            t = self._run.first(_TICKET_HELD, {"pk": ticket_id})
            return None if t is None else self._with_participants(t)
        return self.ticket(ticket_id)

    def tickets_from_same_mail(self, message_id: str | None, exclude: int) -> list[int]:
        if not message_id:
            return []
        return self._run.scalars(_SAME_ORIGIN, {"mid": message_id, "pk": exclude})

    def open_tickets_of(self, email: str, limit: int = 50) -> list[TicketView]:
        """The sender's tickets that are not closed, newest first (the "status" mail)."""
        ids = self._c.execute(_OPEN_OF, {"email": email.lower(), "limit": limit}).scalars().all()
        return [t for t in (self.ticket(i) for i in ids) if t is not None]

    def add_participant(self, ticket_id: int, email: str, name: str, role: str) -> bool:
        """False when the address already takes part."""
        if self._run.first(_IS_PARTICIPANT, {"pk": ticket_id, "email": email.lower()}):
            return False
        self._run.insert(_INSERT_PARTICIPANT, {"ticket_id": ticket_id, "email": email.lower(), "name": name,
                                               "role": role})
        return True

    def create_ticket(self, *, subject: str, queue: str, category: str | None, priority: str,
                      assignee: str | None, requester_email: str, requester_name: str, language: str,
                      rule: str | None, route_reason: str, origin_message_id: str | None,
                      now: datetime, status: str = "new", cc: Iterable[tuple[str, str]] = ()) -> TicketView:
        """A new ticket with its requester and the people in copy as participants."""
        ticket_id = self._run.insert(_INSERT_TICKET, {
            "subject": subject, "status": status, "queue": queue, "category": category, "priority": priority,
            "assignee": assignee, "requester_email": requester_email, "requester_name": requester_name,
            "language": language, "rule": rule, "route_reason": route_reason, "origin_message_id": origin_message_id,
            "created_at": now, "updated_at": now, "resolved_at": None,
        })
        people = {requester_email.lower(): ParticipantView(requester_email.lower(), requester_name, "requester")}
        for email, name in cc:
            people.setdefault(email.lower(), ParticipantView(email.lower(), name, "cc"))
        self._run.insert_many(_INSERT_PARTICIPANT, [{"ticket_id": ticket_id, "email": p.email, "name": p.name,
                                                     "role": p.role} for p in people.values()])
        return TicketView(ticket_id, subject, status, queue, category, priority, assignee, requester_email,
                          requester_name, language, rule, route_reason, origin_message_id, now, now, None,
                          participants=tuple(people.values()))

    def update_ticket(self, ticket_id: int, now: datetime, **changes: Any) -> None:
        """Fields other than the status; a status change goes through `change_status`, which writes what
        always goes with it (so it is refused here rather than written half)."""
        if "status" in changes or "resolved_at" in changes:
            raise ValueError("a ticket's status changes through Tx.change_status")
        self._c.execute(update(Ticket).where(Ticket.id == ticket_id).values(updated_at=now, **changes))

    def change_status(self, ticket_id: int, old: str, new: str, *, actor: str, via: str, now: datetime,
                      reason: str | None = None) -> None:
        """The one way a ticket's status changes, so that what goes with it is never forgotten.

        Resolved or closed keeps the first moment it was resolved (the reports count from it); any other
        status clears it, since the work goes on. The audit event says who, how, from what to what and,
        when the change was not someone's explicit command, why.
        """
        resolved_at: Any = func.coalesce(Ticket.resolved_at, now) if new in DONE_STATUSES else None
        self._c.execute(update(Ticket).where(Ticket.id == ticket_id).values(
            status=new, resolved_at=resolved_at, updated_at=now))
        detail: dict[str, Any] = {"old": old, "new": new}
        if reason is not None:
            detail["reason"] = reason
        self.add_event(ticket_id, actor=actor, via=via, kind="status", now=now, **detail)


class Tx(TicketsTx, ClocksTx, RatingsTx, SuppressionsTx, OutboxTx, InboundTx, NewsTx, PortalTx):
    """The operations one mail's processing may do, inside one transaction.

    One part per table group, each beside the rest of its group's statements (storage.conversation,
    .ratings, .suppressions, .outbox, .inbound, .news, .portal, .clocks); composed here so that one
    mail's work, whatever tables it touches, commits or rolls back as one. Statements are built once at
    import with bind parameters and run on the connection: at hundreds of mails a second, building a
    statement (and its cache key) per call cost more than running it.
    """


_TICKET_COLUMNS = (Ticket.id, Ticket.subject, Ticket.status, Ticket.queue, Ticket.category, Ticket.priority,
                   Ticket.assignee, Ticket.requester_email, Ticket.requester_name, Ticket.language, Ticket.rule,
                   Ticket.route_reason, Ticket.origin_message_id, Ticket.created_at, Ticket.updated_at,
                   Ticket.resolved_at)
_TICKET = Prepared(select(*_TICKET_COLUMNS).where(Ticket.id == bindparam("pk")))
# FOR NO KEY UPDATE: rows that only point at the ticket (events, messages, participants) can still be inserted by
# others meanwhile; FOR UPDATE would make each of those wait for the whole batch, and deadlock with the outbox
_TICKET_HELD = Prepared(select(*_TICKET_COLUMNS).where(Ticket.id == bindparam("pk")).with_for_update(key_share=True))
_PARTICIPANTS = Prepared(select(Participant.email, Participant.name, Participant.role)
                         .where(Participant.ticket_id == bindparam("pk")).order_by(Participant.id))
_SAME_ORIGIN = Prepared(select(Ticket.id).where(Ticket.origin_message_id == bindparam("mid"),
                                                Ticket.id != bindparam("pk")))
_IS_PARTICIPANT = Prepared(select(Participant.id).where(Participant.ticket_id == bindparam("pk"),
                                                        Participant.email == bindparam("email")))
_OPEN_OF = (select(Ticket.id).join(Participant, Participant.ticket_id == Ticket.id)
            .where(Participant.email == bindparam("email"), Participant.role == "requester",
                   Ticket.status != "closed").order_by(Ticket.id.desc()).limit(bindparam("limit")))
_SUGGESTED = (select(Event.detail).where(Event.ticket_id == bindparam("pk"), Event.kind == "suggested")
              .order_by(Event.id.desc()).limit(1))
_INSERT_TICKET = Prepared.insert(table_of(Ticket))
_INSERT_PARTICIPANT = Prepared.insert(table_of(Participant))


def _view(s: Session, t: Ticket) -> TicketView:
    ps = s.scalars(select(Participant).where(Participant.ticket_id == t.id).order_by(Participant.id))
    return TicketView.of(t, tuple(ParticipantView(p.email, p.name, p.role) for p in ps))


class TicketStore:
    """Entry point of the ticket side of storage."""

    def __init__(self, db: Database):
        self.db = db

    @contextmanager
    def transaction(self) -> Iterator[Tx]:
        """One mail's (or one job's) work: commits on success, rolls back on any exception."""
        with self.db.core_write() as c:
            yield Tx(c, self.db)

    @contextmanager
    def reading(self) -> Iterator[Tx]:
        """The same operations in a read transaction (route-test's dry run), holding up no writer."""
        with self.db.core_read() as c:
            yield Tx(c, self.db, writing=False)

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

    def detail(self, ticket_id: int, *, public_only: bool = False,
               files_per_message: int | None = None) -> TicketDetail | None:
        """The ticket with its messages and events; `files_per_message` loads only the first files of each
        message (the page lists no more: 50,000 attachment rows cost the front a second)."""
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
                if files_per_message is None:
                    found = s.execute(aq).all()
                else:  # a query per message, each reading only its first rows of the index
                    found = [a for m in msgs for a in s.execute(aq.where(Attachment.message_pk == m.id)
                                                                 .limit(files_per_message)).all()]
                for a in found:
                    atts.setdefault(a.message_pk, []).append(
                        AttachmentView(a.id, a.filename, a.content_type, a.size, a.inline))
            messages = tuple(
                MessageView(m.id, m.direction, m.kind, m.visibility, m.message_id, m.author_email, m.author_name,
                            m.subject, m.text, m.created_at, tuple(atts.get(m.id, ())))
                for m in msgs)
            events = tuple(EventView(e.at, e.actor, e.via, e.kind, dict(e.detail or {}))
                           for e in s.scalars(select(Event).where(Event.ticket_id == ticket_id).order_by(Event.id)))
            return TicketDetail(_view(s, t), messages, events)

    def file_counts(self, message_ids: Iterable[int]) -> dict[int, int]:
        """How many files each of these messages has (the page says how many it does not list)."""
        wanted = list(message_ids)
        if not wanted:
            return {}
        with self.db.read() as s:
            return dict(s.execute(select(Attachment.message_pk, func.count()).where(
                Attachment.message_pk.in_(wanted)).group_by(Attachment.message_pk)).all())

    def originals(self, ticket_id: int) -> dict[int, int]:
        """The ticket's public mails whose text was cut from a longer original (quoted history, a signature),
        message id -> the inbound row it came from: the page offers the full original of each (issue 15)."""
        with self.db.read() as s:
            rows = s.execute(select(Message.id, Message.inbound_id).where(
                Message.ticket_id == ticket_id, Message.visibility == "public", Message.direction == "in",
                Message.inbound_id.is_not(None), func.length(Message.full_text) > func.length(Message.text))).all()
            return {pk: inbound_id for pk, inbound_id in rows if inbound_id is not None}

    def original(self, ticket_id: int, inbound_id: int) -> MessageView | None:
        """The public mail of this ticket that came in as that inbound row, its `text` the whole original.
        Only mails that came in: an agent's reply is relayed cut, and its quoted history may hold a note."""
        with self.db.read() as s:
            m = s.scalars(select(Message).where(
                Message.ticket_id == ticket_id, Message.inbound_id == inbound_id, Message.visibility == "public",
                Message.direction == "in").order_by(Message.id).limit(1)).first()
            return None if m is None else MessageView(
                m.id, m.direction, m.kind, m.visibility, m.message_id, m.author_email, m.author_name, m.subject,
                m.full_text or m.text, m.created_at)

    def rating(self, ticket_id: int) -> tuple[int, str] | None:
        """(score, comment) of the ticket's rating, if any."""
        return ratings.rating(self.db, ticket_id)

    def suggested(self, ticket_id: int) -> builtins.list[str]:
        """The knowledge articles the acknowledgment suggested (the page shows them again)."""
        with self.db.read() as s:
            row = s.execute(_SUGGESTED, {"pk": ticket_id}).first()
            return list((row[0] or {}).get("slugs", [])) if row else []

    def running_sla(self, queues: Iterable[str]) -> builtins.list[int]:
        """Tickets not yet resolved in queues that have an SLA."""
        wanted = list(queues)
        if not wanted:
            return []
        with self.db.read() as s:
            return list(s.scalars(select(Ticket.id).where(Ticket.status.in_(("new", "open", "pending")),
                                                         Ticket.queue.in_(wanted)).order_by(Ticket.id)))

    def waiting(self) -> builtins.list[int]:
        """Tickets some timer may concern: pending (waiting for the requester) or resolved (to close)."""
        with self.db.read() as s:
            return list(s.scalars(select(Ticket.id).where(Ticket.status.in_(("pending", "resolved")))
                                  .order_by(Ticket.id)))

    def suppressions(self, addresses: Iterable[str]) -> dict[str, tuple[datetime, str]]:
        """Addresses among these that get no mail for now (a permanent bounce): until when, and why."""
        return suppression_rows.suppressions(self.db, addresses)

    def count(self) -> int:
        with self.db.read() as s:
            return s.scalar(select(func.count()).select_from(Ticket)) or 0
