"""The outbox queue: composed mail, delivered with retries; a crash never loses or repeats a row."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, case, func, or_, select, update

from postdesk.parsers.addresses import mailbox_of, plain_address
from postdesk.storage.daemons import alive_ids, gone_here
from postdesk.storage.db import Database, bytewise, rowcount
from postdesk.storage.models import Outbox, table_of, utcnow
from postdesk.storage.prepared import Prepared, PreparedIn, Runner
from postdesk.storage.txbase import TxBase
from postdesk.storage.views import OutboxView

BACKOFF_MAX = 3600.0


def backoff(attempts: int, first: float) -> timedelta:
    """first, 2×first, 4×first, … capped at an hour: a relay that is down is not hammered."""
    return timedelta(seconds=min(first * 2 ** max(attempts - 1, 0), BACKOFF_MAX))


def reset_sending(db: Database, me: str | None = None) -> int:
    """Rows a crash left in `sending` go back to pending: all of them for the one worker a SQLite file
    allows, or those of this daemon (`me`) whose worker was restarted."""
    q = update(Outbox).where(Outbox.status == "sending")
    if me is not None:
        q = q.where(Outbox.claimed_by == me)
    with db.write() as s:
        return rowcount(s.execute(q.values(status="pending", claimed_by=None)))


def reclaim_orphans(db: Database, me: str, now: datetime | None = None) -> int:
    """Rows another daemon was sending when it died (or stopped) go back to pending, for anyone to send.

    Never this daemon's own: a heartbeat that is merely late must not make two daemons send one mail.
    """
    with db.write() as s:
        claimers = s.scalars(select(Outbox.claimed_by).where(Outbox.status == "sending").distinct()).all()
        dead_here = [c for c in claimers if c != me and gone_here(c)]  # this host's crashed daemons: at once
        return rowcount(s.execute(update(Outbox).where(
            Outbox.status == "sending", Outbox.claimed_by.is_distinct_from(me),
            or_(Outbox.claimed_by.is_(None), Outbox.claimed_by.not_in(alive_ids(now)),
                Outbox.claimed_by.in_(dead_here)),
        ).values(status="pending", claimed_by=None)))


_DUE_COLUMNS = (Outbox.id, Outbox.created_at, Outbox.ticket_id, Outbox.kind, Outbox.message_id, Outbox.mail_from,
                Outbox.rcpt, Outbox.subject, Outbox.status, Outbox.attempts, Outbox.next_attempt_at,
                Outbox.last_error, Outbox.sent_at, Outbox.raw)
_DUE_QUERY = (select(*_DUE_COLUMNS).where(Outbox.status == "pending", Outbox.next_attempt_at <= bindparam("now"))
              .order_by(case((Outbox.kind == "digest", 1), else_=0), Outbox.id)  # tickets first
              .limit(bindparam("limit")))
_DUE = Prepared(_DUE_QUERY)
_DUE_LOCKED = Prepared(_DUE_QUERY.with_for_update(skip_locked=True))  # several daemons: each claims its own rows
_OUTBOX = table_of(Outbox)
_CLAIM = PreparedIn(lambda ids: update(_OUTBOX).where(_OUTBOX.c.id.in_(ids)).values(
    status="sending", attempts=_OUTBOX.c.attempts + 1, claimed_by=bindparam("me", type_=_OUTBOX.c.claimed_by.type)))
_SENT = PreparedIn(lambda ids: update(_OUTBOX).where(_OUTBOX.c.id.in_(ids)).values(
    status="sent", sent_at=bindparam("now", type_=_OUTBOX.c.sent_at.type), last_error=None))


def claim_due(db: Database, limit: int = 50, now: datetime | None = None,
              me: str | None = None) -> list[tuple[OutboxView, bytes]]:
    """Mark due rows `sending` and hand them out; prepared statements, as this runs after every pipeline batch
    (through SQLAlchemy, its statements and rows cost ~30 µs a row of the worker's time).

    Durable (storage.db.Database): nothing leaves the machine before the rows that made it, and the claim,
    are on disk; a claim that finds nothing writes nothing and syncs nothing.
    """
    with db.core_write(durable=True) as c:
        run = Runner(c)
        rows = run.all(_DUE if db.is_sqlite else _DUE_LOCKED, {"now": now or utcnow(), "limit": limit})
        if not rows:
            return []
        run.execute_in(_CLAIM, [r[0] for r in rows], {"me": me})
        return [(OutboxView(pk, created, ticket, kind, mid, sender, tuple(rcpt), subject, "sending", attempts + 1,
                            due, error, sent), raw)
                for pk, created, ticket, kind, mid, sender, rcpt, subject, _, attempts, due, error, sent, raw in rows]


def mark_sent(db: Database, outbox_ids: list[int]) -> None:
    """Durable: a power failure must not make a sent row pending again (it would be sent twice)."""
    with db.core_write(durable=True) as c:
        Runner(c).execute_in(_SENT, outbox_ids, {"now": utcnow()})


def mark_failed_attempt(db: Database, outbox_id: int, error: str, max_attempts: int, retry_after: float,
                        permanent: bool = False) -> str:
    """Schedule a retry with backoff, or give up after `max_attempts`; returns the new status."""
    with db.write() as s:
        row = s.get(Outbox, outbox_id)
        if row is None:
            return "missing"
        row.last_error = error[:2000]
        if permanent or row.attempts >= max_attempts:
            row.status = "failed"
        else:
            row.status = "pending"
            row.next_attempt_at = utcnow() + backoff(row.attempts, retry_after)
        return row.status


def retry_recipients(db: Database, outbox_id: int, remaining: list[str], error: str, max_attempts: int,
                     retry_after: float) -> str:
    """Only `remaining` still wants the mail (the others took it or refused it for good): the row is narrowed
    to them and retried with the usual backoff, or failed after `max_attempts`; returns the new status."""
    with db.write() as s:
        s.execute(update(Outbox).where(Outbox.id == outbox_id).values(rcpt=list(remaining)))
    return mark_failed_attempt(db, outbox_id, error, max_attempts, retry_after)


def _view_of(r: tuple[Any, ...]) -> OutboxView:
    """A row of _DUE_COLUMNS without the raw bytes."""
    pk, created, ticket, kind, mid, sender, rcpt, subject, status, attempts, due, error, sent = r
    return OutboxView(pk, created, ticket, kind, mid, sender, tuple(rcpt), subject, status, attempts, due, error, sent)


def counts(db: Database) -> dict[str, int]:
    with db.read() as s:
        return dict(s.execute(select(Outbox.status, func.count()).group_by(Outbox.status)).all())


def list_rows(db: Database, status: str | None = None, limit: int = 100) -> list[OutboxView]:
    with db.read() as s:
        q = select(Outbox).order_by(Outbox.id.desc()).limit(limit)
        if status:
            q = q.where(Outbox.status == status)
        return [OutboxView.of(r) for r in s.scalars(q)]


class OutboxTx(TxBase):
    """The outbox inside one mail's transaction: what it queues, and what earlier rows say about a sender."""

    def enqueue(self, *, kind: str, message_id: str, mail_from: str, rcpt: list[str], subject: str, raw: bytes,
                ticket_id: int | None, now: datetime) -> int:
        """Due at once: `now` may be a job's given time, ahead of the clock the sender goes by."""
        return self._run.insert(_INSERT_OUTBOX, {
            "kind": kind, "message_id": message_id, "mail_from": mail_from, "rcpt": rcpt,
            "recipient": plain_address(rcpt[0]) if rcpt else "", "subject": subject, "raw": raw, "ticket_id": ticket_id,
            "status": "pending", "attempts": 0, "created_at": now, "next_attempt_at": min(now, utcnow()),
            "last_error": None, "sent_at": None})

    def recent_outbox_count(self, recipient: str, kinds: tuple[str, ...], since: datetime) -> int:
        """Mails of these kinds queued to `recipient`'s mailbox since then, in one query (a limit may span kinds).
        The mailbox is the address with its `+` forms (`petr+1@…`, `petr+x@…` reach `petr@…`): a forger who
        tags the victim's address anew in each From would otherwise get each of them an allowance of its own."""
        base, _, domain = mailbox_of(recipient).rpartition("@")
        found = self._run.all_in(_RECENT_OUTBOX, kinds, {
            "rcpt": f"{base}@{domain}", "tagged_from": base + "+", "tagged_below": base + ",",  # "," follows "+"
            "at_domain": "@" + domain, "at_length": len(domain) + 1, "since": since})
        return found[0][0] if found else 0

    def notification_for(self, message_ids: Iterable[str]) -> tuple[int, str] | None:
        """(ticket, agent) of a notification one of these Message-IDs names: a reply to it is that agent's."""
        wanted = [i for i in message_ids if i]
        if not wanted:
            return None
        rows = self._run.all_in(_NOTIFICATION, wanted)
        return (int(rows[0][0]), str(rows[0][1])) if rows and rows[0][0] is not None else None

    def outbox_row(self, outbox_id: int) -> OutboxView | None:
        """One row, without its raw mail (a bounce names it by its VERP sender)."""
        r = self._run.first(_ROW, {"id": outbox_id})
        return _view_of(r) if r is not None else None

    def shown_to_others(self, row: OutboxView, recipient: str) -> bool:
        """Whether a later mail of ours on the row's ticket carried the row's Message-ID (the References of a
        reply in the thread) to anyone but `recipient`, or can no longer tell (its raw mail purged): then
        someone else knows that Message-ID, and a bounce quoting it proves nothing about `recipient`."""
        if row.ticket_id is None:
            return False
        needle = row.message_id.encode()
        later = self._c.execute(select(Outbox.id, Outbox.rcpt).where(Outbox.ticket_id == row.ticket_id,
                                                                     Outbox.id > row.id)).all()
        for outbox_id, rcpt in later:  # a raw mail (a relayed reply's files too) is read only where it may tell
            if any(r.lower() != recipient for r in rcpt):
                raw = self._c.execute(select(Outbox.raw).where(Outbox.id == outbox_id)).scalar()
                if raw is None or needle in raw:
                    return True
        return False

    def outbox_rows_sent_as(self, message_ids: Iterable[str]) -> list[OutboxView]:
        """The rows that sent these Message-IDs (what a bounce says it returns)."""
        wanted = [m for m in message_ids if m][:20]
        if not wanted:
            return []
        return [_view_of(r) for r in self._run.all_in(_SENT_AS, wanted)]


_ROW = Prepared(select(*_DUE_COLUMNS[:-1]).where(Outbox.id == bindparam("id")))
_SENT_AS = PreparedIn(lambda ids: select(*_DUE_COLUMNS[:-1]).where(Outbox.message_id.in_(ids)))



# each one index range: ix_outbox_recipient_kind (on PostgreSQL ix_outbox_recipient_bytes for the + forms); their
# OR cost SQLite a merge of both ranges per outgoing mail and PostgreSQL a scan of the whole table
def _recent(kinds: Any, *where: Any) -> Any:
    return select(func.count()).select_from(Outbox).where(
        *where, Outbox.kind.in_(kinds), Outbox.created_at >= bindparam("since")).scalar_subquery()


# the address, and its + forms as a byte range of the local part with the domain compared by its tail (a LIKE's
# bound pattern made SQLite plan the statement anew at every call): each count one index range
_RECENT_OUTBOX = PreparedIn(lambda kinds: select(
    _recent(kinds, Outbox.recipient == bindparam("rcpt"))
    + _recent(kinds, bytewise(Outbox.recipient) >= bindparam("tagged_from"),
              bytewise(Outbox.recipient) < bindparam("tagged_below"),
              func.substr(Outbox.recipient, func.length(Outbox.recipient) - bindparam("at_length") + 1)
              == bindparam("at_domain"))))
_NOTIFICATION = PreparedIn(lambda ids: select(Outbox.ticket_id, Outbox.recipient)
                           .where(Outbox.kind == "notify", Outbox.message_id.in_(ids))
                           .order_by(Outbox.id.desc()).limit(1))
_INSERT_OUTBOX = Prepared.insert(table_of(Outbox))
