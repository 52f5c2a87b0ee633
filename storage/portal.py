"""The portal's rows: one-time sign-in links, sessions, an employee's own tickets, the lead agents' desk.

Links and sessions are stored as SHA-256 hashes of the random values mailed or set as a cookie: a copy
of the database opens no session. A link is used by one UPDATE that also checks it is unused and fresh,
so two presses of the button (or two daemons) cannot both sign in.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, delete, exists, func, insert, select, update

from postdesk.storage.db import Database, rowcount
from postdesk.storage.models import DigestOptOut, Event, Participant, PortalLogin, PortalSession, Subscription, Ticket
from postdesk.storage.txbase import TxBase

OPEN = ("new", "open", "pending")


def digest_of(secret: str) -> str:
    """What the tables keep of a mailed token or a cookie value."""
    return hashlib.sha256(secret.encode()).hexdigest()


# -- sign-in links
class PortalTx(TxBase):
    """The portal's part of a transaction: a sign-in link is stored with the mail that carries it."""

    def add_login(self, token: str, address: str, now: datetime, valid: timedelta) -> None:
        """Inside the transaction that queues the mail carrying it: no link without its mail, no mail without it."""
        self._c.execute(insert(PortalLogin).values(token_hash=digest_of(token), address=address.lower(),
                                                   created_at=now, expires_at=now + valid, used_at=None))


def login_usable(db: Database, token: str, now: datetime) -> bool:
    with db.read() as s:
        return s.execute(select(PortalLogin.address).where(
            PortalLogin.token_hash == digest_of(token), PortalLogin.used_at.is_(None),
            PortalLogin.expires_at > now)).first() is not None


def use_login(db: Database, token: str, session_id: str, now: datetime, days: int) -> str | None:
    """Spend the link and open a session in one transaction; the address, or None for a used/expired/unknown link."""
    with db.write() as s:
        c = s.connection()
        h = digest_of(token)
        address = c.execute(select(PortalLogin.address).where(PortalLogin.token_hash == h)).scalar()
        spent = c.execute(update(PortalLogin).where(PortalLogin.token_hash == h, PortalLogin.used_at.is_(None),
                                                    PortalLogin.expires_at > now).values(used_at=now)).rowcount
        if address is None or spent != 1:
            return None
        c.execute(insert(PortalSession).values(id_hash=digest_of(session_id), address=address, created_at=now,
                                               expires_at=now + timedelta(days=days), ended_at=None))
        c.execute(delete(PortalLogin).where(PortalLogin.expires_at < now - timedelta(days=1)))  # old links go,
        c.execute(delete(PortalSession).where(PortalSession.expires_at < now - timedelta(days=1)))  # and sessions
        return str(address)


# -- sessions
def session_address(db: Database, session_id: str, now: datetime) -> str | None:
    with db.read() as s:
        return s.execute(select(PortalSession.address).where(
            PortalSession.id_hash == digest_of(session_id), PortalSession.ended_at.is_(None),
            PortalSession.expires_at > now)).scalar()


def end_session(db: Database, session_id: str, now: datetime) -> None:
    with db.write() as s:
        s.execute(update(PortalSession).where(PortalSession.id_hash == digest_of(session_id))
                  .values(ended_at=now))


def end_sessions_of(db: Database, address: str, now: datetime) -> int:
    """Revoke: every live session of one address ends now."""
    with db.write() as s:
        return rowcount(s.execute(update(PortalSession).where(
            PortalSession.address == address.lower(), PortalSession.ended_at.is_(None),
            PortalSession.expires_at > now).values(ended_at=now)))


def has_tickets(db: Database, address: str) -> bool:
    with db.read() as s:
        return s.execute(select(Participant.id).where(Participant.email == address.lower(),
                                                      Participant.role.in_(("requester", "cc"))).limit(1)
                         ).first() is not None


# -- an employee's tickets
@dataclass(frozen=True, slots=True)
class MyTicket:
    id: int
    subject: str
    status: str
    queue: str
    updated_at: datetime
    role: str  # requester | cc


def my_tickets(db: Database, address: str, state: str = "all", text: str = "", limit: int = 200) -> list[MyTicket]:
    """The employee's tickets and those they take part in, open first, newest change first."""
    address = address.lower()
    q = (select(Ticket.id, Ticket.subject, Ticket.status, Ticket.queue, Ticket.updated_at, Participant.role)
         .join(Participant, Participant.ticket_id == Ticket.id)
         .where(Participant.email == address, Participant.role.in_(("requester", "cc"))))
    if state == "open":
        q = q.where(Ticket.status.in_(OPEN))
    elif state == "closed":
        q = q.where(Ticket.status.not_in(OPEN))
    words = text.strip()[:200]
    if words:
        escaped = words.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        q = q.where(func.lower(Ticket.subject).like(f"%{escaped}%", escape="\\"))
    with db.read() as s:
        rows = s.execute(q.order_by(Ticket.updated_at.desc(), Ticket.id.desc()).limit(limit)).all()
    found = [MyTicket(r.id, r.subject, r.status, r.queue, r.updated_at, r.role) for r in rows]
    # SQLite's lower() folds ASCII only: a Cyrillic search is checked again here
    found = [t for t in found if not words or words.casefold() in t.subject.casefold()]
    return sorted(found, key=lambda t: t.status not in OPEN)  # stable: open first, each newest first


def role_on(db: Database, address: str, ticket_id: int) -> str | None:
    """"requester" or "cc" when the address takes part in the ticket (the requester's role first), else None."""
    with db.read() as s:
        roles = set(s.execute(select(Participant.role).where(
            Participant.ticket_id == ticket_id, Participant.email == address.lower(),
            Participant.role.in_(("requester", "cc")))).scalars())
        return "requester" if "requester" in roles else ("cc" if roles else None)


# -- news subscriptions: `subscriptions` (the mailed links) and one switch per digest
def news_wanted(db: Database, address: str) -> bool:
    with db.read() as s:
        return s.execute(select(Subscription.subscribed).where(Subscription.address == address.lower())
                         ).scalar() is not False


def opted_out(db: Database, address: str) -> set[str]:
    with db.read() as s:
        return set(s.execute(select(DigestOptOut.digest).where(DigestOptOut.address == address.lower())).scalars())


def opted_out_of(db: Database, digest: str) -> set[str]:
    """Addresses that switched this one digest off on the portal."""
    with db.read() as s:
        return set(s.execute(select(DigestOptOut.address).where(DigestOptOut.digest == digest)).scalars())


def set_digest(db: Database, address: str, digest: str, on: bool, now: datetime) -> None:
    with db.write() as s:
        c = s.connection()
        c.execute(delete(DigestOptOut).where(DigestOptOut.address == address.lower(), DigestOptOut.digest == digest))
        if not on:
            c.execute(insert(DigestOptOut).values(address=address.lower(), digest=digest, at=now))


# -- the lead agents' desk
@dataclass(frozen=True, slots=True)
class DeskTicket:
    id: int
    subject: str
    status: str
    queue: str
    assignee: str | None
    priority: str
    created_at: datetime
    overdue: bool  # an SLA clock was breached and the ticket is still open


def open_tickets(db: Database, queues: set[str] | None = None, limit: int = 1000) -> list[DeskTicket]:
    """Open tickets, overdue first, then oldest first."""
    breached = exists().where(and_(Event.ticket_id == Ticket.id, Event.kind == "sla-breach"))
    q = (select(Ticket.id, Ticket.subject, Ticket.status, Ticket.queue, Ticket.assignee, Ticket.priority,
                Ticket.created_at, breached.label("overdue"))
         .where(Ticket.status.in_(OPEN)))
    if queues is not None:
        q = q.where(Ticket.queue.in_(sorted(queues)))
    with db.read() as s:
        rows = s.execute(q.order_by(Ticket.created_at, Ticket.id).limit(limit)).all()
    found = [DeskTicket(r.id, r.subject, r.status, r.queue, r.assignee, r.priority, r.created_at, bool(r.overdue))
             for r in rows]
    return sorted(found, key=lambda t: not t.overdue)
