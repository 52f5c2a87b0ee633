"""Service-level clocks: a first response and a resolution due within so many business hours.

Pure: the policy and the ticket's times in, deadlines and what is due out; the job acts on it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")  # as in cron and datetime.weekday()
WARN_AT = 0.8  # share of the allowed time after which the assignee is warned
_HOURS = re.compile(r"^\s*([a-z]{3})(?:\s*-\s*([a-z]{3}))?\s+(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$", re.I)


@dataclass(frozen=True, slots=True)
class BusinessHours:
    """Working days and one daily span in a time zone; `always` counts every hour."""

    days: frozenset[int]
    start: time
    end: time
    zone: str

    @classmethod
    def always(cls, zone: str = "UTC") -> BusinessHours:
        return cls(frozenset(range(7)), time(0), time(0), zone)

    @classmethod
    def parse(cls, text: str, zone: str) -> BusinessHours:
        """ "mon-fri 09:00-18:00", "sat 10:00-14:00"; raises ValueError with what is wrong."""
        m = _HOURS.match(text)
        if not m:
            raise ValueError(f'write it like "mon-fri 09:00-18:00", not {text!r}')
        first, last = m.group(1).lower(), (m.group(2) or m.group(1)).lower()
        for day in (first, last):
            if day not in WEEKDAYS:
                raise ValueError(f"unknown weekday {day!r} (mon, tue, wed, thu, fri, sat, sun)")
        a, b = WEEKDAYS.index(first), WEEKDAYS.index(last)
        days = frozenset(range(a, b + 1)) if a <= b else frozenset([*range(a, 7), *range(0, b + 1)])
        h1, m1, h2, m2 = (int(m.group(i)) for i in range(3, 7))
        if not (0 <= h1 < 24 and 0 <= h2 <= 24 and m1 < 60 and m2 < 60) or (h2, m2) <= (h1, m1):
            raise ValueError(f"the day must start before it ends: {text!r}")
        return cls(days, time(h1, m1), time(0) if h2 == 24 else time(h2, m2), zone)

    def _spans(self, day: datetime) -> tuple[datetime, datetime] | None:
        """The working span of the local day `day` falls in, or None on a day off."""
        if day.weekday() not in self.days:
            return None
        start = day.replace(hour=self.start.hour, minute=self.start.minute, second=0, microsecond=0)
        end = day.replace(hour=self.end.hour, minute=self.end.minute, second=0, microsecond=0)
        if end <= start:
            end += timedelta(days=1)
        return start, end

    def add(self, start: datetime, duration: timedelta) -> datetime:
        """The moment `duration` of working time has passed since `start` (aware datetimes)."""
        tz = ZoneInfo(self.zone)
        t = start.astimezone(tz)
        left = duration
        for _ in range(3700):  # ten years of days; a policy always has a working day
            span = self._spans(t.replace(hour=0, minute=0, second=0, microsecond=0))
            if span is not None:
                a, b = span
                a = max(a, t)
                if a < b:
                    if a + left <= b:
                        return (a + left).astimezone(start.tzinfo)
                    left -= b - a
            t = (t + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
        raise ValueError("no working time in these business hours")

    def elapsed(self, start: datetime, end: datetime) -> timedelta:
        """Working time between two moments."""
        if end <= start:
            return timedelta(0)
        tz = ZoneInfo(self.zone)
        t, end = start.astimezone(tz), end.astimezone(tz)
        total = timedelta(0)
        while t < end:
            span = self._spans(t.replace(hour=0, minute=0, second=0, microsecond=0))
            if span is not None:
                a, b = max(span[0], t), min(span[1], end)
                if a < b:
                    total += b - a
            t = (t + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
        return total


@dataclass(frozen=True, slots=True)
class SlaPolicy:
    queue: str
    priority: str | None  # None: every priority of the queue
    first_response: timedelta | None
    resolution: timedelta | None
    hours: BusinessHours


def policy_for(policies: tuple[SlaPolicy, ...], queue: str, priority: str) -> SlaPolicy | None:
    """The queue's policy for this priority, else the queue's catch-all."""
    exact = [p for p in policies if p.queue == queue and p.priority == priority]
    return next(iter(exact or [p for p in policies if p.queue == queue and p.priority is None]), None)


Pause = tuple[datetime, datetime | None]  # a span in `pending` (waiting for the requester); None: still in it


def pending_spans(status_changes: Iterable[tuple[datetime, str]]) -> tuple[Pause, ...]:
    """The spans a ticket spent in `pending`, from its status changes (moment, new status) in order."""
    spans: list[Pause] = []
    since: datetime | None = None
    for at, status in status_changes:
        if status == "pending" and since is None:
            since = at
        elif status != "pending" and since is not None:
            spans.append((since, at))
            since = None
    if since is not None:
        spans.append((since, None))
    return tuple(spans)


@dataclass(frozen=True, slots=True)
class Clock:
    name: str  # first_response | resolution
    deadline: datetime  # while paused: when it would fall due if the ticket went on now
    used: float  # share of the allowed working time used so far (or when met)
    met_at: datetime | None
    paused: bool = False

    @property
    def state(self) -> str:
        if self.met_at is not None:
            return "met" if self.met_at <= self.deadline else "met late"
        if self.used >= 1:
            return "breached"
        return "paused" if self.paused else "warning" if self.used >= WARN_AT else "running"


def clocks(policy: SlaPolicy, created: datetime, first_response: datetime | None, resolved: datetime | None,
           now: datetime, pauses: tuple[Pause, ...] = ()) -> tuple[Clock, ...]:
    """The first-response and resolution clocks; the resolution clock stops while the ticket is pending."""
    out = []
    for name, allowed, met in (("first_response", policy.first_response, first_response),
                               ("resolution", policy.resolution, resolved)):
        if allowed is None:
            continue
        until = met or now
        stops = pauses if name == "resolution" else ()
        worked = _worked(policy.hours, created, until, stops)
        used = worked / allowed if allowed else 1.0
        paused = met is None and bool(stops) and stops[-1][1] is None
        out.append(Clock(name, _deadline(policy.hours, created, allowed, stops, now), used, met, paused))
    return tuple(out)


def _worked(hours: BusinessHours, start: datetime, until: datetime, pauses: tuple[Pause, ...]) -> timedelta:
    """Working time from `start` to `until`, less the working time spent in the pauses."""
    total = hours.elapsed(start, until)
    for a, b in pauses:
        total -= hours.elapsed(max(a, start), min(b or until, until))
    return max(total, timedelta(0))


def _deadline(hours: BusinessHours, start: datetime, allowed: timedelta, pauses: tuple[Pause, ...],
              now: datetime) -> datetime:
    """When `allowed` working time outside the pauses has passed; during a pause, as if it ended now."""
    t, left = start, allowed
    for a, b in sorted(pauses, key=lambda p: p[0]):
        if a > t:
            ran = hours.elapsed(t, a)
            if ran >= left:
                return hours.add(t, left)
            left -= ran
        t = max(t, b if b is not None else now)
    return hours.add(t, left)


def sla_steps(clock_list: tuple[Clock, ...], warned: frozenset[str], escalated: frozenset[str]) -> tuple[str, ...]:
    """`warn:<clock>` once at 80 %, `breach:<clock>` once when over: the job mails and records each."""
    steps = []
    for c in clock_list:
        if c.state == "breached" and c.name not in escalated:
            steps.append(f"breach:{c.name}")
        elif c.state == "warning" and c.name not in warned:
            steps.append(f"warn:{c.name}")
    return tuple(steps)
