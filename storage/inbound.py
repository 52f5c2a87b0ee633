"""The inbound queue: raw mail committed before any ingress acknowledges it."""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from sqlalchemy import bindparam, func, select, update

from postdesk.storage.db import Database, rowcount
from postdesk.storage.models import Inbound, table_of, utcnow
from postdesk.storage.options import InboundOptions
from postdesk.storage.outcomes import Outcome
from postdesk.storage.prepared import Prepared, PreparedIn, Runner
from postdesk.storage.txbase import TxBase
from postdesk.storage.views import InboundView


@dataclass(frozen=True, slots=True)
class Delivery:
    """One copy of a mail for one mailbox: `mailbox` is the dedupe key, `queue` its default queue."""

    mailbox: str
    queue: str | None
    envelope_to: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Arrival:
    """One mail as an ingress took it, before it is stored."""

    raw: bytes
    source: str
    deliveries: tuple[Delivery, ...]
    envelope_from: str | None
    message_id: str | None
    uidvalidity: int | None = None
    uid: int | None = None
    options: InboundOptions | None = None


def store_inbound(db: Database, raw: bytes, *, source: str, deliveries: list[Delivery],
                  envelope_from: str | None, message_id: str | None,
                  uidvalidity: int | None = None, uid: int | None = None,
                  options: InboundOptions | None = None) -> list[int | None]:
    """Commit one row per delivery; a copy already stored for that mailbox gives None (not stored twice)."""
    return store_arrivals(db, [Arrival(raw, source, tuple(deliveries), envelope_from, message_id, uidvalidity, uid,
                                       options)])[0]


_SEEN_MESSAGE_ID = Prepared(select(Inbound.id).where(Inbound.mailbox == bindparam("mailbox"),
                                                      Inbound.message_id == bindparam("message_id")).limit(1))
_SEEN_UID = Prepared(select(Inbound.id).where(Inbound.mailbox == bindparam("mailbox"),
                                              Inbound.uidvalidity == bindparam("uidvalidity"),
                                              Inbound.uid == bindparam("uid")).limit(1))
_INBOUND = table_of(Inbound)
_INSERT = Prepared.insert(_INBOUND)
_LOAD_PENDING = PreparedIn(lambda ids: select(*_INBOUND.columns).where(
    _INBOUND.c.id.in_(ids), _INBOUND.c.status == "pending").order_by(_INBOUND.c.id))
_InboundRow = namedtuple("_InboundRow", [c.name for c in _INBOUND.columns])  # type: ignore[misc]
_RAW = _InboundRow._fields.index("raw")


def store_arrivals(db: Database, arrivals: list[Arrival]) -> list[list[int | None]]:
    """Several mails in one transaction (group commit): ids per delivery of each, None for a copy seen before.

    Prepared statements: this runs for every mail while the SMTP client waits for its 250. Durable: the
    commit is on disk when this returns (storage.db.Database), so every ingress may acknowledge the mail
    (250, deletion on the IMAP server, exit 0 of `postdesk ingest`); one sync serves the whole group.
    """
    out: list[list[int | None]] = []
    with db.core_write(durable=True) as c:  # a plain connection: the ORM Session cost ~70 µs a commit more
        run = Runner(c)
        for a in arrivals:
            ids: list[int | None] = []
            for d in a.deliveries:
                if _seen(run, d.mailbox, a.message_id, a.uidvalidity, a.uid):
                    ids.append(None)
                    continue
                values = {"source": a.source, "mailbox": d.mailbox, "queue": d.queue,
                          "envelope_from": a.envelope_from, "envelope_to": list(d.envelope_to),
                          "message_id": a.message_id, "uidvalidity": a.uidvalidity, "uid": a.uid,
                          "size": len(a.raw), "raw": a.raw, "status": "pending", "received_at": utcnow(),
                          "options": (a.options or InboundOptions()).encode()}
                savepoint = run.savepoint()
                try:
                    ids.append(run.insert(_INSERT, values))
                except run.IntegrityError:  # another process stored the same copy in between
                    savepoint.rollback()
                    ids.append(None)
                else:
                    savepoint.commit()
            out.append(ids)
    return out


def _seen(run: Runner, mailbox: str, message_id: str | None, uidvalidity: int | None, uid: int | None) -> bool:
    if message_id is not None and run.first(_SEEN_MESSAGE_ID, {"mailbox": mailbox, "message_id": message_id}):
        return True
    return uid is not None and run.first(_SEEN_UID, {"mailbox": mailbox, "uidvalidity": uidvalidity,
                                                     "uid": uid}) is not None


def stored_uids(db: Database, mailbox: str, uidvalidity: int, uids: list[int]) -> set[int]:
    """Which of these IMAP UIDs are already stored (a crash may have come before the server was told)."""
    found: set[int] = set()
    with db.read() as s:
        for i in range(0, len(uids), 500):
            q = select(Inbound.uid).where(Inbound.mailbox == mailbox, Inbound.uidvalidity == uidvalidity,
                                          Inbound.uid.in_(uids[i:i + 500]))
            found.update(u for u in s.scalars(q) if u is not None)
    return found


def pending_ids(db: Database, limit: int = 100, share: tuple[int, int] | None = None) -> list[int]:
    """The oldest pending rows. With `share` = (k, n), daemon k of n takes its part first (id mod n = k), so
    daemons sharing a database rarely reach for the same rows; when its part is empty it helps the others."""
    with db.core_read() as c:
        q = select(Inbound.id).where(Inbound.status == "pending").order_by(Inbound.id).limit(limit)
        if share is not None and share[1] > 1:
            ours = list(c.scalars(q.where(Inbound.id % share[1] == share[0])))
            if ours:
                return ours
        return list(c.scalars(q))


def load(db: Database, inbound_id: int) -> tuple[InboundView, bytes | None] | None:
    """The row and its raw bytes; None for the bytes once retention purged them."""
    with db.read() as s:
        row = s.get(Inbound, inbound_id)
        if row is None:
            return None
        return InboundView.of(row), row.raw


def load_pending(db: Database, ids: list[int]) -> list[tuple[InboundView, bytes | None]]:
    """The pending rows among `ids` with their raw bytes (None: purged), in id order, in one query.

    Plain rows, not ORM objects: the worker loads every mail this way, and the ORM object made it cost
    a third more (33 against 22–24 µs a row with its view and raw bytes, 200 rows at a time); a prepared
    statement, not SQLAlchemy's result rows, for the same reason. A row has the mapped class's attribute
    names, so InboundView.of reads it as it reads the object.
    """
    with db.core_read() as c:
        rows = [_InboundRow(*r) for r in Runner(c).all_in(_LOAD_PENDING, ids)]
        return [(InboundView.of(cast(Inbound, r)), r[_RAW]) for r in rows]


def list_by_status(db: Database, status: str, limit: int = 100) -> list[InboundView]:
    with db.read() as s:
        q = select(Inbound).where(Inbound.status == status).order_by(Inbound.id.desc()).limit(limit)
        return [InboundView.of(r) for r in s.scalars(q)]


def requeue(db: Database, inbound_id: int) -> bool:
    """Send a quarantined mail through the pipeline again."""
    with db.write() as s:
        res = s.execute(update(Inbound).where(Inbound.id == inbound_id, Inbound.status == "quarantined")
                        .values(status="pending", stage=None, error=None))
        return rowcount(res) == 1


def counts(db: Database) -> dict[str, int]:
    with db.read() as s:
        return dict(s.execute(select(Inbound.status, func.count()).group_by(Inbound.status)).all())


def received_since(db: Database, since: datetime) -> dict[str, int]:
    """Mails stored per mailbox since a moment (e.g. today)."""
    with db.read() as s:
        q = (select(Inbound.mailbox, func.count()).where(Inbound.received_at >= since)
             .group_by(Inbound.mailbox))
        return dict(s.execute(q).all())


class InboundTx(TxBase):
    """The inbound rows one transaction works on: claimed, then finished or quarantined with the mail's work."""

    def claim_pending(self, ids: list[int]) -> set[int]:
        """Which of these rows are still pending; they stay locked (PostgreSQL) until commit.

        On SQLite a prepared lookup per row (a few µs each, no round trip) costs less than one IN-list
        statement through SQLAlchemy (~0.3 ms, once per transaction of the worker's batch)."""
        if self._db.is_sqlite:
            return {i for i in ids if self._run.first(_PENDING_ONE, {"pk": i}) is not None}
        return set(self._c.execute(_PENDING_LOCKED, {"ids": ids}).scalars())

    def finish_inbound(self, inbound_id: int, outcome: Outcome) -> None:
        self._run.execute(_FINISH, {"pk": inbound_id, "status": "done", "ticket_id": outcome.ticket_id,
                                    "outcome": outcome.text, "outcome_kind": outcome.kind and outcome.kind.value,
                                    "processed_at": utcnow(), "stage": None, "error": None})

    def quarantine_inbound(self, inbound_id: int, stage: str, error: str) -> None:
        self._c.execute(update(Inbound).where(Inbound.id == inbound_id).values(
            status="quarantined", stage=stage, error=error, attempts=Inbound.attempts + 1, processed_at=utcnow()))

    def answers_pending(self, message_ids: Iterable[str], inbound_id: int) -> str | None:
        """A Message-ID among these of mail that came in before this row and is not processed yet.

        With several daemons, the mail a reply answers may sit in another daemon's open transaction;
        processed now, the reply would find no ticket and open its own.
        """
        wanted = [i for i in message_ids if i]
        if not wanted:
            return None
        found = self._run.all_in(_EARLIER_PENDING, wanted, {"pk": inbound_id})
        return found[0][0] if found else None


_PENDING = select(Inbound.id).where(Inbound.id.in_(bindparam("ids", expanding=True)), Inbound.status == "pending")
_PENDING_LOCKED = _PENDING.with_for_update(skip_locked=True)
_PENDING_ONE = Prepared(select(Inbound.id).where(Inbound.id == bindparam("pk"), Inbound.status == "pending"))
_FINISH = Prepared(update(table_of(Inbound)).where(Inbound.__table__.c.id == bindparam("pk"))
                   .values(status=bindparam("status"), ticket_id=bindparam("ticket_id"), outcome=bindparam("outcome"),
                           outcome_kind=bindparam("outcome_kind"),
                           processed_at=bindparam("processed_at"), stage=bindparam("stage"), error=bindparam("error")))
_EARLIER_PENDING = PreparedIn(lambda ids: select(Inbound.message_id).where(
    Inbound.message_id.in_(ids), Inbound.status == "pending", Inbound.id < bindparam("pk")).limit(1))
