"""Ticket timers with a fake clock: what is due when."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from postdesk.routing.timers import AUTORESOLVE, CLOSE, REMIND_PENDING, REMIND_RATING, TicketClock, TimerSettings, due

T0 = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
S = TimerSettings()


def clock(status: str, reminded: bool = False, rated: bool = False, rating_reminded: bool = False) -> TicketClock:
    return TicketClock(status, T0, reminded, rated, rating_reminded)


def test_pending_gets_one_reminder_then_resolves() -> None:
    assert due(clock("pending"), T0 + timedelta(days=2, hours=23), S) == ()
    assert due(clock("pending"), T0 + timedelta(days=3), S) == (REMIND_PENDING,)
    assert due(clock("pending", reminded=True), T0 + timedelta(days=5), S) == ()
    assert due(clock("pending", reminded=True), T0 + timedelta(days=7), S) == (AUTORESOLVE,)
    assert due(clock("pending"), T0 + timedelta(days=30), S) == (AUTORESOLVE,)  # a long outage: no late reminder


def test_resolved_gets_a_rating_reminder_then_closes() -> None:
    assert due(clock("resolved"), T0 + timedelta(days=1), S) == ()
    assert due(clock("resolved"), T0 + timedelta(days=2), S) == (REMIND_RATING,)
    assert due(clock("resolved", rated=True), T0 + timedelta(days=2), S) == ()
    assert due(clock("resolved", rating_reminded=True), T0 + timedelta(days=3), S) == ()
    assert due(clock("resolved"), T0 + timedelta(days=7), S) == (CLOSE,)  # no reminder on the way out


def test_other_statuses_have_no_timers() -> None:
    for status in ("new", "open", "closed"):
        assert due(clock(status), T0 + timedelta(days=100), S) == ()
