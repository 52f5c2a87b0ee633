"""A ticket's status changes in one storage operation that also keeps resolved_at and the audit trail right."""

from __future__ import annotations

from datetime import timedelta

import pytest

from postdesk.storage.db import Database
from postdesk.storage.models import utcnow
from postdesk.storage.tickets import TicketStore


def new_ticket(store: TicketStore) -> int:
    with store.transaction() as tx:
        t = tx.create_ticket(subject="Принтер", queue="it", category=None, priority="normal", assignee=None,
                             requester_email="petr@corp.example", requester_name="Пётр", language="ru", rule=None,
                             route_reason="default", origin_message_id=None, now=utcnow())
        return t.id


def test_status_change_keeps_resolved_at_and_writes_the_event(database_url: str) -> None:
    db = Database(database_url)
    db.create_schema()
    store = TicketStore(db)
    ticket_id = new_ticket(store)
    start = utcnow().replace(microsecond=0)
    steps = [("new", "resolved", start, "the requester: this solved my problem"),
             ("resolved", "closed", start + timedelta(days=7), "resolved for 7 days"),
             ("closed", "open", start + timedelta(days=8), None),
             ("open", "resolved", start + timedelta(days=9), None)]
    seen = []
    for old, new, at, reason in steps:
        with store.transaction() as tx:
            tx.change_status(ticket_id, old, new, actor="petr@corp.example", via="mail", now=at, reason=reason)
        t = store.get(ticket_id)
        assert t is not None
        seen.append((t.status, t.resolved_at, t.updated_at))
    # closing keeps the moment it was resolved; reopening clears it; resolving again sets it anew
    assert seen == [("resolved", start, start),
                    ("closed", start, start + timedelta(days=7)),
                    ("open", None, start + timedelta(days=8)),
                    ("resolved", start + timedelta(days=9), start + timedelta(days=9))]
    detail = store.detail(ticket_id)
    assert detail is not None
    events = [(e.kind, e.detail) for e in detail.events if e.kind == "status"]
    assert events == [("status", {"old": "new", "new": "resolved", "reason": "the requester: this solved my problem"}),
                      ("status", {"old": "resolved", "new": "closed", "reason": "resolved for 7 days"}),
                      ("status", {"old": "closed", "new": "open"}),
                      ("status", {"old": "open", "new": "resolved"})]


def test_a_status_is_never_written_without_what_goes_with_it(database_url: str) -> None:
    """update_ticket takes other fields only: a status written there would lack its resolved_at and event."""
    db = Database(database_url)
    db.create_schema()
    store = TicketStore(db)
    ticket_id = new_ticket(store)
    for change in ({"status": "closed"}, {"resolved_at": utcnow()}):
        with pytest.raises(ValueError, match="change_status"), store.transaction() as tx:
            tx.update_ticket(ticket_id, utcnow(), **change)
    with store.transaction() as tx:
        tx.update_ticket(ticket_id, utcnow(), priority="high")
    t = store.get(ticket_id)
    assert t is not None and (t.status, t.resolved_at, t.priority) == ("new", None, "high")
