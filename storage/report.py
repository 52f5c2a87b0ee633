"""How the center is doing: per queue and per agent, over a period (`postdesk report`)."""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy import func, select

from postdesk.storage.db import Database
from postdesk.storage.models import Event, Message, Rating, Ticket


@dataclass
class Figures:
    opened: int = 0
    resolved: int = 0
    first_response: list[float] = field(default_factory=list)  # seconds
    resolution: list[float] = field(default_factory=list)
    ratings: list[int] = field(default_factory=list)
    sla_breached: int = 0  # tickets with at least one breached SLA clock

    def as_dict(self) -> dict[str, object]:
        return {
            "opened": self.opened, "resolved": self.resolved,
            "median_first_response_hours": _hours(self.first_response),
            "median_resolution_hours": _hours(self.resolution),
            "csat": round(sum(1 for r in self.ratings if r >= 4) / len(self.ratings), 3) if self.ratings else None,
            "ratings": len(self.ratings), "sla_breached": self.sla_breached,
        }


def _hours(seconds: list[float]) -> float | None:
    return round(statistics.median(seconds) / 3600, 2) if seconds else None


def report(db: Database, since: datetime) -> dict[str, dict[str, dict[str, object]]]:
    """Tickets opened since `since`, grouped by queue and by assignee; times are medians in hours."""
    by_queue: dict[str, Figures] = defaultdict(Figures)
    by_agent: dict[str, Figures] = defaultdict(Figures)
    with db.read() as s:
        first_reply = (select(Message.ticket_id, func.min(Message.created_at).label("at"))
                       .where(Message.kind == "reply", Message.direction == "out")
                       .group_by(Message.ticket_id).subquery())
        breached = select(Event.ticket_id).where(Event.kind == "sla-breach").distinct().subquery()
        q = (select(Ticket.queue, Ticket.assignee, Ticket.created_at, Ticket.resolved_at, first_reply.c.at,
                    Rating.score, breached.c.ticket_id)
             .outerjoin(first_reply, first_reply.c.ticket_id == Ticket.id)
             .outerjoin(Rating, Rating.ticket_id == Ticket.id)
             .outerjoin(breached, breached.c.ticket_id == Ticket.id)
             .where(Ticket.created_at >= since))
        for queue, assignee, created, resolved, replied, score, breach in s.execute(q).all():
            targets = [by_queue[queue]] + ([by_agent[assignee]] if assignee else [])
            for f in targets:
                f.opened += 1
                if resolved is not None:
                    f.resolved += 1
                    f.resolution.append((resolved - created).total_seconds())
                if replied is not None:
                    f.first_response.append((_aware(replied) - created).total_seconds())
                if score is not None:
                    f.ratings.append(int(score))
                if breach is not None:
                    f.sla_breached += 1
    return {"queues": {k: v.as_dict() for k, v in sorted(by_queue.items())},
            "agents": {k: v.as_dict() for k, v in sorted(by_agent.items())}}


def _aware(value: datetime | str) -> datetime:
    """func.min() hands SQLite's stored text back without the column type's conversion (naive UTC)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Daily:
    start: date
    opened: tuple[int, ...]
    resolved: tuple[int, ...]


def daily(db: Database, since: datetime) -> Daily:
    """Tickets opened and resolved per day (UTC) since `since`, one number per day up to today: the chart's data."""
    today = datetime.now(UTC).date()
    start = since.astimezone(UTC).date()
    days = (today - start).days + 1
    opened, resolved = [0] * days, [0] * days
    with db.read() as s:
        for created, done in s.execute(select(Ticket.created_at, Ticket.resolved_at).where(
                (Ticket.created_at >= since) | (Ticket.resolved_at >= since))).all():
            for when, counts in ((created, opened), (done, resolved)):
                if when is not None and 0 <= (i := (when.astimezone(UTC).date() - start).days) < days:
                    counts[i] += 1
    return Daily(start, tuple(opened), tuple(resolved))
