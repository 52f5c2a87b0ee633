"""Prepared statements on the DB-API cursor store and read the very values SQLAlchemy's own path does."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import bindparam, select

from postdesk.storage.db import Database
from postdesk.storage.models import Event, Inbound, Outbox, Participant, Ticket
from postdesk.storage.prepared import Prepared, Runner
from postdesk.storage.tickets import TicketStore

WHEN = datetime(2026, 11, 27, 9, 30, 15, 123456, tzinfo=UTC)


def db_of(url: str) -> Database:
    db = Database(url)
    db.create_schema()
    return db


def test_an_insert_reads_back_through_the_orm_with_types_and_defaults(database_url: str) -> None:
    db = db_of(database_url)
    with db.write() as s:
        run = Runner(s.connection())
        ticket = run.insert(Prepared.insert(Ticket.__table__), {
            "subject": "Не работает VPN", "queue": "it", "requester_email": "anna@corp.example",
            "language": "ru", "created_at": WHEN, "updated_at": WHEN})
        run.insert(Prepared.insert(Event.__table__), {"ticket_id": ticket, "actor": "system", "via": "mail",
                                                      "kind": "created", "at": WHEN,
                                                      "detail": {"trace": ["rule it", "queue it"], "n": 1}})
        outbox = run.insert(Prepared.insert(Outbox.__table__), {
            "kind": "ack", "message_id": "m1@corp.example", "mail_from": "service@corp.example",
            "rcpt": ["anna@corp.example"], "recipient": "anna@corp.example", "raw": b"\x00\xffraw",
            "ticket_id": ticket})
    with db.read() as s:
        t = s.get(Ticket, ticket)
        assert t is not None
        assert (t.subject, t.status, t.priority, t.requester_name) == ("Не работает VPN", "new", "normal", "")
        assert t.created_at == WHEN and t.created_at.tzinfo is not None
        event = s.scalars(select(Event).where(Event.ticket_id == ticket)).one()
        assert event.detail == {"trace": ["rule it", "queue it"], "n": 1}
        o = s.get(Outbox, outbox)
        assert o is not None
        assert (o.rcpt, o.raw, o.status, o.attempts) == (["anna@corp.example"], b"\x00\xffraw", "pending", 0)
        assert abs(o.created_at - datetime.now(UTC)) < timedelta(minutes=1)  # the column's default, utcnow


def test_a_select_converts_results_as_sqlalchemy_does(database_url: str) -> None:
    db = db_of(database_url)
    with db.write() as s:
        s.add(Inbound(source="smtp", mailbox="service", raw=b"x", size=1, received_at=WHEN, envelope_to=["a@b"]))
    query = Prepared(select(Inbound.id, Inbound.received_at, Inbound.envelope_to, Inbound.status)
                     .where(Inbound.mailbox == bindparam("mailbox"), Inbound.status == "pending"))
    with db.write() as s:
        rows = Runner(s.connection()).all(query, {"mailbox": "service"})
        orm = s.execute(query.statement, {"mailbox": "service"}).all()
        assert rows == [tuple(r) for r in orm]
        assert rows[0][1:] == (WHEN, ["a@b"], "pending")
        assert Runner(s.connection()).all(query, {"mailbox": "hr"}) == []


def test_a_failed_mail_rolls_back_to_its_savepoint_only(database_url: str) -> None:
    db = db_of(database_url)
    store = TicketStore(db)
    with store.transaction() as tx:
        kept = tx.create_ticket(subject="kept", queue="it", category=None, priority="normal", assignee=None,
                                requester_email="anna@corp.example", requester_name="Анна", language="ru",
                                rule=None, route_reason="", origin_message_id="a@x", now=WHEN)
        sp = tx.savepoint()
        tx.create_ticket(subject="rolled back", queue="it", category=None, priority="normal", assignee=None,
                         requester_email="petr@corp.example", requester_name="", language="en", rule=None,
                         route_reason="", origin_message_id="b@x", now=WHEN, cc=[("olga@corp.example", "Olga")])
        sp.rollback()
        sp = tx.savepoint()
        assert tx.add_participant(kept.id, "olga@corp.example", "Olga", "cc")
        assert not tx.add_participant(kept.id, "OLGA@corp.example", "Olga", "cc")
        sp.commit()
    assert [t.subject for t, _ in store.list()] == ["kept"]
    with db.read() as s:
        assert sorted(s.scalars(select(Participant.email))) == ["anna@corp.example", "olga@corp.example"]
    ticket = store.get(kept.id)
    assert ticket is not None and ticket.requester_name == "Анна" and ticket.created_at == WHEN


def test_a_column_default_that_is_sql_is_refused_at_import() -> None:
    from sqlalchemy import Column, Integer, MetaData, Table, func

    table = Table("t", MetaData(), Column("id", Integer, primary_key=True), Column("n", Integer, default=func.now()))
    with pytest.raises(ValueError, match=r"t\.n"):
        Prepared.insert(table)


def test_times_in_any_zone_are_stored_as_utc_and_a_naive_one_is_refused(database_url: str) -> None:
    """The prepared path converts datetimes itself (storage.prepared._fast): the same instant whatever its zone,
    read back as aware UTC by SQLAlchemy's own path; a naive one is refused as UTCDateTime refuses it."""
    moscow = WHEN.astimezone(timezone(timedelta(hours=3)))
    db = db_of(database_url)
    with db.write() as s:
        run = Runner(s.connection())
        ticket = run.insert(Prepared.insert(Ticket.__table__), {
            "subject": "s", "queue": "it", "requester_email": "a@corp.example", "language": "ru",
            "created_at": moscow, "updated_at": WHEN.replace(microsecond=0)})
        with pytest.raises(ValueError, match="naive"):
            run.insert(Prepared.insert(Event.__table__), {"ticket_id": ticket, "actor": "system", "via": "mail",
                                                          "kind": "created", "at": WHEN.replace(tzinfo=None)})
    with db.read() as s:
        t = s.get(Ticket, ticket)
        assert t is not None and (t.created_at, t.updated_at) == (WHEN, WHEN.replace(microsecond=0))
        assert t.created_at.utcoffset() == timedelta(0)
    with db.read() as s:
        got = Runner(s.connection()).first(
            Prepared(select(Ticket.created_at, Ticket.updated_at).where(Ticket.id == bindparam("pk"))), {"pk": ticket})
    assert got == (WHEN, WHEN.replace(microsecond=0))


def test_an_in_list_finds_the_same_rows_at_every_length(database_url: str) -> None:
    """PreparedIn pads a list to a power of two with its last value and runs SQLAlchemy's expanding IN past
    `longest`: the rows found are those of the expanding IN, whatever the length."""
    from postdesk.storage.prepared import PreparedIn

    db = db_of(database_url)
    with db.write() as s:
        for i in range(7):
            s.add(Inbound(source="smtp", mailbox="service", raw=b"x", size=1, received_at=WHEN, envelope_to=[],
                          message_id=f"m{i}@corp.example"))
    query = PreparedIn(lambda ids: select(Inbound.message_id).where(Inbound.message_id.in_(ids),
                                                                    Inbound.id > bindparam("after"))
                       .order_by(Inbound.id), longest=4)
    with db.read() as s:
        run = Runner(s.connection())
        for ids in ([], ["m0@corp.example"], ["m1@corp.example", "nobody@x", "m3@corp.example"],
                    [f"m{i}@corp.example" for i in range(6)]):  # 0, 1, 3 (padded to 4), 6 (past longest)
            expected = [tuple(r) for r in s.execute(query.expanding, {"ids": ids, "after": 1})] if ids else []
            assert run.all_in(query, ids, {"after": 1}) == expected
        assert [r[0] for r in run.all_in(query, [f"m{i}@corp.example" for i in range(6)], {"after": 1})] == [
            f"m{i}@corp.example" for i in range(1, 6)]
