"""What the clock asks of a ticket: remind a silent requester, resolve and close old tickets, ask again
for a rating. Pure, so a fake `now` tests it; the job re-reads the ticket in its transaction and asks again,
so running it twice (or in two daemons) does nothing twice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

REMIND_PENDING, AUTORESOLVE, CLOSE, REMIND_RATING = "remind-pending", "autoresolve", "close", "remind-rating"


@dataclass(frozen=True, slots=True)
class TimerSettings:
    pending_reminder: timedelta = timedelta(days=3)
    pending_autoresolve: timedelta = timedelta(days=7)
    close_after: timedelta = timedelta(days=7)
    rating_reminder: timedelta = timedelta(days=2)


@dataclass(frozen=True, slots=True)
class TicketClock:
    """The little a timer needs to know about a ticket."""

    status: str
    since: datetime  # when it got its current status
    reminded: bool  # a pending reminder went out since then
    rated: bool
    rating_reminded: bool


def due(clock: TicketClock, now: datetime, s: TimerSettings) -> tuple[str, ...]:
    """The steps due now, in order; at most one status change."""
    waited = now - clock.since
    if clock.status == "pending":
        if waited >= s.pending_autoresolve:
            return (AUTORESOLVE,)
        if waited >= s.pending_reminder and not clock.reminded:
            return (REMIND_PENDING,)
        return ()
    if clock.status == "resolved":
        steps: list[str] = []
        if not clock.rated and not clock.rating_reminded and s.rating_reminder <= waited < s.close_after:
            steps.append(REMIND_RATING)
        if waited >= s.close_after:
            steps.append(CLOSE)
        return tuple(steps)
    return ()
