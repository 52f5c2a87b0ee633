"""Tickets, their conversation and audit trail; one `Tx` is one mail's transaction."""

from __future__ import annotations

import builtins  # TicketStore.list shadows the builtin in the class's annotations
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Session

from postdesk.routing.sla import Pause, pending_spans
from postdesk.routing.timers import TicketClock
from postdesk.storage.db import Database
from postdesk.storage.models import (
    Attachment,
    Event,
    Inbound,
    Message,
    Outbox,
    Participant,
    Rating,
    Suppression,
    Ticket,
    table_of,
    utcnow,
)
from postdesk.storage.prepared import Prepared, Runner, Savepoint
from postdesk.storage.views import AttachmentView, EventView, MessageView, ParticipantView, TicketView


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
    """The operations one mail's processing may do, inside one transaction.

    Statements are built once at import with bind parameters and run on the connection: at hundreds of
    mails a second, building a statement (and its cache key) per call cost more than running it.
    """

    def __init__(self, session: Session, db: Database):
        self.s = session
        self.db = db
        self.c = session.connection()
        self.run = Runner(self.c)

    def savepoint(self) -> Savepoint:
        """One mail's part of a batch: rolled back alone if that mail fails."""
        return self.run.savepoint()

    # -- the inbound rows this transaction works on
    def claim_pending(self, ids: list[int]) -> set[int]:
        """Which of these rows are still pending; they stay locked (PostgreSQL) until commit."""
        q = _PENDING if self.db.is_sqlite else _PENDING_LOCKED
        return set(self.c.execute(q, {"ids": ids}).scalars())

    def finish_inbound(self, inbound_id: int, ticket_id: int | None, outcome: str) -> None:
        self.run.execute(_FINISH, {"pk": inbound_id, "status": "done", "ticket_id": ticket_id, "outcome": outcome,
                                 "processed_at": utcnow(), "stage": None, "error": None})

    def quarantine_inbound(self, inbound_id: int, stage: str, error: str) -> None:
        self.c.execute(update(Inbound).where(Inbound.id == inbound_id).values(
            status="quarantined", stage=stage, error=error, attempts=Inbound.attempts + 1, processed_at=utcnow()))

    # -- lookups
    def ticket(self, ticket_id: int) -> TicketView | None:
        t = self.run.first(_TICKET, {"pk": ticket_id})
        if t is None:
            return None
        ps = self.run.all(_PARTICIPANTS, {"pk": ticket_id})
        return TicketView(*t, participants=tuple(ParticipantView(*p) for p in ps))

    def ticket_by_message_ids(self, ids: Iterable[str]) -> TicketView | None:
        """The ticket a mail answers, by any Message-ID it references (ours or the requester's)."""
        wanted = [i for i in ids if i]
        if not wanted:
            return None
        ticket_id = self.c.execute(_TICKET_BY_MESSAGE_IDS, {"ids": wanted}).scalar()
        return self.ticket(ticket_id) if ticket_id else None

    def tickets_from_same_mail(self, message_id: str | None, exclude: int) -> list[int]:
        if not message_id:
            return []
        return self.run.scalars(_SAME_ORIGIN, {"mid": message_id, "pk": exclude})

    def answers_pending(self, message_ids: Iterable[str], inbound_id: int) -> str | None:
        """A Message-ID among these of mail that came in before this row and is not processed yet.

        With several daemons, the mail a reply answers may sit in another daemon's open transaction;
        processed now, the reply would find no ticket and open its own.
        """
        wanted = [i for i in message_ids if i]
        if not wanted:
            return None
        return self.c.execute(_EARLIER_PENDING, {"ids": wanted, "pk": inbound_id}).scalar()

    def has_message(self, ticket_id: int, message_id: str | None) -> bool:
        if not message_id:
            return False
        return self.run.first(_HAS_MESSAGE, {"pk": ticket_id, "mid": message_id}) is not None

    def recent_outbox_count(self, recipient: str, kind: str, since: datetime) -> int:
        return self.run.scalar(_RECENT_OUTBOX, {"rcpt": recipient, "kind": kind, "since": since}) or 0

    def notification_for(self, message_ids: Iterable[str]) -> tuple[int, str] | None:
        """(ticket, agent) of a notification one of these Message-IDs names: a reply to it is that agent's."""
        wanted = [i for i in message_ids if i]
        if not wanted:
            return None
        row = self.c.execute(_NOTIFICATION, {"ids": wanted}).first()
        return (int(row[0]), str(row[1])) if row and row[0] is not None else None

    def requester_thread(self, ticket_id: int, requester: str) -> tuple[str | None, tuple[str, ...]]:
        """The requester's last Message-ID and the public thread before it: where a relayed reply belongs."""
        rows = self.c.execute(_THREAD, {"pk": ticket_id}).all()
        last = next((mid for mid, direction, author in reversed(rows)
                     if direction == "in" and (author or "").lower() == requester.lower() and mid), None)
        return last, tuple(mid for mid, _, _ in rows if mid)[-20:]

    def suppressed(self, addresses: Iterable[str], now: datetime) -> dict[str, datetime]:
        wanted = [a.lower() for a in addresses if a]
        if not wanted:
            return {}
        if len(wanted) == 1:
            rows = self.run.all(_SUPPRESSED_ONE, {"id": wanted[0], "now": now})
        else:
            rows = list(self.c.execute(_SUPPRESSED, {"ids": wanted, "now": now}).tuples())
        return {a: until for a, until in rows}

    def suppress(self, address: str, until: datetime, reason: str, now: datetime) -> None:
        address = address.lower()
        self.c.execute(delete(Suppression).where(Suppression.address == address))
        self.c.execute(insert(Suppression), {"address": address, "until": until, "reason": reason[:1000],
                                             "created_at": now})

    def open_tickets_of(self, email: str, limit: int = 50) -> list[TicketView]:
        """The sender's tickets that are not closed, newest first (the "status" mail)."""
        ids = self.c.execute(_OPEN_OF, {"email": email.lower(), "limit": limit}).scalars().all()
        return [t for t in (self.ticket(i) for i in ids) if t is not None]

    def ticket_clock(self, ticket_id: int) -> TicketClock | None:
        """The ticket's timer state, read (and on PostgreSQL locked) inside this transaction."""
        q = select(Ticket.status, Ticket.updated_at, Ticket.resolved_at).where(Ticket.id == ticket_id)
        if not self.db.is_sqlite:
            q = q.with_for_update()
        row = self.c.execute(q).first()
        if row is None:
            return None
        status, updated, resolved = row
        since = None
        for at, detail in self.c.execute(select(Event.at, Event.detail).where(
                Event.ticket_id == ticket_id, Event.kind == "status").order_by(Event.id.desc())):
            if (detail or {}).get("new") == status:
                since = at
                break
        since = since or (resolved if status == "resolved" and resolved else updated)
        kinds = set(self.c.execute(select(Event.kind).where(
            Event.ticket_id == ticket_id, Event.at >= since,
            Event.kind.in_(("pending-reminder", "rating-reminded")))).scalars())
        rated = self.c.execute(select(Rating.ticket_id).where(Rating.ticket_id == ticket_id)).first() is not None
        return TicketClock(status, since, "pending-reminder" in kinds, rated, "rating-reminded" in kinds)

    def sla_facts(self, ticket_id: int) -> tuple[datetime | None, frozenset[str], frozenset[str], tuple[Pause, ...]]:
        """(first agent reply, clocks already warned about, clocks already escalated, spans in pending)."""
        first = self.c.execute(select(func.min(Message.created_at)).where(
            Message.ticket_id == ticket_id, Message.kind == "reply", Message.direction == "out")).scalar()
        if isinstance(first, str):  # func.min() skips the column type on SQLite
            first = datetime.fromisoformat(first)
        if first is not None and first.tzinfo is None:
            first = first.replace(tzinfo=UTC)
        warned: set[str] = set()
        escalated: set[str] = set()
        for kind, detail in self.c.execute(select(Event.kind, Event.detail).where(
                Event.ticket_id == ticket_id, Event.kind.in_(("sla-warning", "sla-breach")))):
            (warned if kind == "sla-warning" else escalated).add((detail or {}).get("clock", ""))
        changes = self.c.execute(select(Event.at, Event.detail).where(
            Event.ticket_id == ticket_id, Event.kind == "status").order_by(Event.id)).all()
        pauses = pending_spans((at, str((detail or {}).get("new", ""))) for at, detail in changes)
        return first, frozenset(warned), frozenset(escalated), pauses

    # -- changes
    def rate(self, ticket_id: int, score: int, comment: str, via: str, now: datetime) -> str:
        """One rating a ticket; a later one replaces it within a week of the first, then it stands."""
        row = self.c.execute(select(Rating.first_at).where(Rating.ticket_id == ticket_id)).first()
        if row is None:
            self.c.execute(insert(Rating), {"ticket_id": ticket_id, "score": score, "comment": comment[:4000],
                                            "via": via, "at": now, "first_at": now})
            return "recorded"
        if now - row[0] > RATING_REPLACEABLE:
            return "kept (the earlier rating is more than 7 days old)"
        self.c.execute(update(Rating).where(Rating.ticket_id == ticket_id).values(
            score=score, comment=comment[:4000] if comment else Rating.comment, via=via, at=now))
        return "replaced"

    def add_participant(self, ticket_id: int, email: str, name: str, role: str) -> bool:
        """False when the address already takes part."""
        if self.run.first(_IS_PARTICIPANT, {"pk": ticket_id, "email": email.lower()}):
            return False
        self.run.insert(_INSERT_PARTICIPANT, {"ticket_id": ticket_id, "email": email.lower(), "name": name,
                                             "role": role})
        return True

    def create_ticket(self, *, subject: str, queue: str, category: str | None, priority: str,
                      assignee: str | None, requester_email: str, requester_name: str, language: str,
                      rule: str | None, route_reason: str, origin_message_id: str | None,
                      now: datetime, status: str = "new", cc: Iterable[tuple[str, str]] = ()) -> TicketView:
        """A new ticket with its requester and the people in copy as participants."""
        ticket_id = self.run.insert(_INSERT_TICKET, {
            "subject": subject, "status": status, "queue": queue, "category": category, "priority": priority,
            "assignee": assignee, "requester_email": requester_email, "requester_name": requester_name,
            "language": language, "rule": rule, "route_reason": route_reason, "origin_message_id": origin_message_id,
            "created_at": now, "updated_at": now, "resolved_at": None,
        })
        people = {requester_email.lower(): ParticipantView(requester_email.lower(), requester_name, "requester")}
        for email, name in cc:
            people.setdefault(email.lower(), ParticipantView(email.lower(), name, "cc"))
        self.run.insert_many(_INSERT_PARTICIPANT, [{"ticket_id": ticket_id, "email": p.email, "name": p.name,
                                              "role": p.role} for p in people.values()])
        return TicketView(ticket_id, subject, status, queue, category, priority, assignee, requester_email,
                          requester_name, language, rule, route_reason, origin_message_id, now, now, None,
                          participants=tuple(people.values()))

    def add_message(self, ticket_id: int, *, direction: str, kind: str, visibility: str = "public",
                    message_id: str | None, author_email: str | None, author_name: str = "", subject: str = "",
                    text: str = "", full_text: str = "", html: str | None = None, inbound_id: int | None = None,
                    outbox_id: int | None = None, attachments: Iterable[NewAttachment] = (),
                    now: datetime) -> int:
        pk = self.run.insert(_INSERT_MESSAGE, {
            "ticket_id": ticket_id, "direction": direction, "kind": kind, "visibility": visibility,
            "message_id": message_id, "author_email": author_email, "author_name": author_name, "subject": subject,
            "text": text, "full_text": full_text, "html": html, "inbound_id": inbound_id, "outbox_id": outbox_id,
            "created_at": now})
        rows = [{"message_pk": pk, "filename": a.filename, "content_type": a.content_type, "size": a.size,
                 "sha256": a.sha256, "inline": a.inline, "data": a.data} for a in attachments]
        if rows:
            self.run.insert_many(_INSERT_ATTACHMENT, rows)
        return int(pk)

    def add_event(self, ticket_id: int, *, actor: str, via: str, kind: str, now: datetime,
                  **detail: Any) -> None:
        self.run.insert(_INSERT_EVENT, {"ticket_id": ticket_id, "actor": actor, "via": via, "kind": kind,
                                       "detail": detail, "at": now})

    def update_ticket(self, ticket_id: int, now: datetime, **changes: Any) -> None:
        """Fields other than the status; a status change goes through `change_status`."""
        self.c.execute(update(Ticket).where(Ticket.id == ticket_id).values(updated_at=now, **changes))

    def change_status(self, ticket_id: int, old: str, new: str, *, actor: str, via: str, now: datetime,
                      reason: str | None = None) -> None:
        """The one way a ticket's status changes, so that what goes with it is never forgotten.

        Resolved or closed keeps the first moment it was resolved (the reports count from it); any other
        status clears it, since the work goes on. The audit event says who, how, from what to what and,
        when the change was not someone's explicit command, why.
        """
        resolved_at: Any = func.coalesce(Ticket.resolved_at, now) if new in DONE_STATUSES else None
        self.c.execute(update(Ticket).where(Ticket.id == ticket_id).values(
            status=new, resolved_at=resolved_at, updated_at=now))
        detail: dict[str, Any] = {"old": old, "new": new}
        if reason is not None:
            detail["reason"] = reason
        self.add_event(ticket_id, actor=actor, via=via, kind="status", now=now, **detail)

    def enqueue(self, *, kind: str, message_id: str, mail_from: str, rcpt: list[str], subject: str, raw: bytes,
                ticket_id: int | None, now: datetime) -> int:
        """Due at once: `now` may be a job's given time, ahead of the clock the sender goes by."""
        return self.run.insert(_INSERT_OUTBOX, {
            "kind": kind, "message_id": message_id, "mail_from": mail_from, "rcpt": rcpt,
            "recipient": rcpt[0].lower() if rcpt else "", "subject": subject, "raw": raw, "ticket_id": ticket_id,
            "status": "pending", "attempts": 0, "created_at": now, "next_attempt_at": min(now, utcnow()),
            "last_error": None, "sent_at": None})


_TICKET_COLUMNS = (Ticket.id, Ticket.subject, Ticket.status, Ticket.queue, Ticket.category, Ticket.priority,
                   Ticket.assignee, Ticket.requester_email, Ticket.requester_name, Ticket.language, Ticket.rule,
                   Ticket.route_reason, Ticket.origin_message_id, Ticket.created_at, Ticket.updated_at,
                   Ticket.resolved_at)

_PENDING = select(Inbound.id).where(Inbound.id.in_(bindparam("ids", expanding=True)), Inbound.status == "pending")
_PENDING_LOCKED = _PENDING.with_for_update(skip_locked=True)
_FINISH = Prepared(update(table_of(Inbound)).where(Inbound.__table__.c.id == bindparam("pk"))
           .values(status=bindparam("status"), ticket_id=bindparam("ticket_id"), outcome=bindparam("outcome"),
                   processed_at=bindparam("processed_at"), stage=bindparam("stage"), error=bindparam("error")))
_TICKET = Prepared(select(*_TICKET_COLUMNS).where(Ticket.id == bindparam("pk")))
_PARTICIPANTS = Prepared(select(Participant.email, Participant.name, Participant.role)
                 .where(Participant.ticket_id == bindparam("pk")).order_by(Participant.id))
_TICKET_BY_MESSAGE_IDS = (select(Message.ticket_id).where(Message.message_id.in_(bindparam("ids", expanding=True)))
                          .order_by(Message.id.desc()).limit(1))
_EARLIER_PENDING = (select(Inbound.message_id).where(Inbound.message_id.in_(bindparam("ids", expanding=True)),
                                                     Inbound.status == "pending", Inbound.id < bindparam("pk"))
                    .limit(1))
_SAME_ORIGIN = Prepared(select(Ticket.id).where(Ticket.origin_message_id == bindparam("mid"),
                                                Ticket.id != bindparam("pk")))
_HAS_MESSAGE = Prepared(select(Message.id).where(Message.ticket_id == bindparam("pk"),
                                                 Message.message_id == bindparam("mid")).limit(1))
_RECENT_OUTBOX = Prepared(select(func.count()).select_from(Outbox).where(
    Outbox.recipient == bindparam("rcpt"), Outbox.kind == bindparam("kind"), Outbox.created_at >= bindparam("since")))
_NOTIFICATION = (select(Outbox.ticket_id, Outbox.recipient)
                 .where(Outbox.kind == "notify", Outbox.message_id.in_(bindparam("ids", expanding=True)))
                 .order_by(Outbox.id.desc()).limit(1))
_THREAD = (select(Message.message_id, Message.direction, Message.author_email)
           .where(Message.ticket_id == bindparam("pk"), Message.visibility.in_(("public", "system")))
           .order_by(Message.id))
_SUPPRESSED = select(Suppression.address, Suppression.until).where(
    Suppression.address.in_(bindparam("ids", expanding=True)), Suppression.until > bindparam("now"))
_SUPPRESSED_ONE = Prepared(select(Suppression.address, Suppression.until).where(  # the usual case: one address
    Suppression.address == bindparam("id"), Suppression.until > bindparam("now")))
_IS_PARTICIPANT = Prepared(select(Participant.id).where(Participant.ticket_id == bindparam("pk"),
                                                        Participant.email == bindparam("email")))
_OPEN_OF = (select(Ticket.id).join(Participant, Participant.ticket_id == Ticket.id)
            .where(Participant.email == bindparam("email"), Participant.role == "requester",
                   Ticket.status != "closed").order_by(Ticket.id.desc()).limit(bindparam("limit")))
_SUGGESTED = (select(Event.detail).where(Event.ticket_id == bindparam("pk"), Event.kind == "suggested")
              .order_by(Event.id.desc()).limit(1))
RATING_REPLACEABLE = timedelta(days=7)
DONE_STATUSES = ("resolved", "closed")  # the statuses that carry a resolved_at
_INSERT_TICKET = Prepared.insert(table_of(Ticket))
_INSERT_PARTICIPANT = Prepared.insert(table_of(Participant))
_INSERT_MESSAGE = Prepared.insert(table_of(Message))
_INSERT_ATTACHMENT = Prepared.insert(table_of(Attachment))
_INSERT_EVENT = Prepared.insert(table_of(Event))
_INSERT_OUTBOX = Prepared.insert(table_of(Outbox))


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

    def rating(self, ticket_id: int) -> tuple[int, str] | None:
        """(score, comment) of the ticket's rating, if any."""
        with self.db.read() as s:
            row = s.execute(select(Rating.score, Rating.comment).where(Rating.ticket_id == ticket_id)).first()
            return (int(row[0]), str(row[1])) if row else None

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
        wanted = [a.lower() for a in addresses]
        if not wanted:
            return {}
        with self.db.read() as s:
            q = select(Suppression.address, Suppression.until, Suppression.reason).where(
                Suppression.address.in_(wanted), Suppression.until > utcnow())
            return {a: (until, reason) for a, until, reason in s.execute(q).all()}

    def count(self) -> int:
        with self.db.read() as s:
            return s.scalar(select(func.count()).select_from(Ticket)) or 0
