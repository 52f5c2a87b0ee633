"""SLA clocks in business hours, with the time given."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from postdesk.routing.sla import BusinessHours, SlaPolicy, clocks, pending_spans, policy_for, sla_steps

MSK = ZoneInfo("Europe/Moscow")
HOURS = BusinessHours.parse("mon-fri 09:00-18:00", "Europe/Moscow")


def msk(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=MSK)  # 2026-11-27 is a Friday


def test_weekday_names_parse_as_in_cron() -> None:
    assert HOURS.days == frozenset({0, 1, 2, 3, 4})  # Monday is mon = 0, as datetime.weekday()
    assert BusinessHours.parse("sat 10:00-14:00", "UTC").days == frozenset({5})
    assert BusinessHours.parse("fri-mon 08:00-20:00", "UTC").days == frozenset({4, 5, 6, 0})
    for bad in ("weekdays 9-18", "mon-fri 18:00-09:00", "mon-fry 09:00-18:00", "mon-fri 25:00-26:00"):
        with pytest.raises(ValueError):
            BusinessHours.parse(bad, "UTC")


def test_deadlines_skip_nights_and_weekends() -> None:
    assert HOURS.add(msk(27, 17), timedelta(hours=1)) == msk(27, 18)
    assert HOURS.add(msk(27, 17), timedelta(hours=2)) == msk(30, 10)  # Friday 17:00 + 2h = Monday 10:00
    assert HOURS.add(msk(28, 12), timedelta(hours=1)) == msk(30, 10)  # Saturday counts from Monday 09:00
    assert HOURS.add(msk(27, 7), timedelta(hours=8)) == msk(27, 17)
    assert HOURS.elapsed(msk(27, 17), msk(30, 10)) == timedelta(hours=2)
    assert BusinessHours.always("UTC").add(msk(27, 17), timedelta(hours=2)) == msk(27, 19)


def test_warning_at_80_percent_then_breach_each_once() -> None:
    policy = SlaPolicy("it", "high", timedelta(hours=1), timedelta(hours=8), HOURS)
    created = msk(27, 10)
    assert sla_steps(clocks(policy, created, None, None, msk(27, 10, 47)), frozenset(), frozenset()) == ()
    found = clocks(policy, created, None, None, msk(27, 10, 50))
    assert sla_steps(found, frozenset(), frozenset()) == ("warn:first_response",)
    assert sla_steps(found, frozenset({"first_response"}), frozenset()) == ()
    found = clocks(policy, created, None, None, msk(27, 11, 1))
    assert sla_steps(found, frozenset({"first_response"}), frozenset()) == ("breach:first_response",)
    assert sla_steps(found, frozenset({"first_response"}), frozenset({"first_response"})) == ()
    answered = clocks(policy, created, msk(27, 10, 30), None, msk(27, 12).astimezone(UTC))
    assert [c.state for c in answered] == ["met", "running"]


def test_policy_for_prefers_the_exact_priority() -> None:
    anyp = SlaPolicy("it", None, timedelta(hours=4), None, HOURS)
    high = SlaPolicy("it", "high", timedelta(hours=1), None, HOURS)
    assert policy_for((anyp, high), "it", "high") is high
    assert policy_for((anyp, high), "it", "low") is anyp
    assert policy_for((anyp, high), "hr", "high") is None


def test_the_resolution_clock_stops_while_the_ticket_waits_for_the_requester() -> None:
    policy = SlaPolicy("it", None, timedelta(hours=1), timedelta(hours=8), HOURS)
    created = msk(26, 10)  # Thursday 10:00; 8 working hours end Thursday 18:00
    changes = [(msk(26, 11), "open"), (msk(26, 12), "pending"), (msk(27, 12), "open")]
    pauses = pending_spans(changes)
    assert pauses == ((msk(26, 12), msk(27, 12)),)
    # a working day in pending (Thu 12:00 - Fri 12:00 = 9 h) does not count: 2 h before it, 2 h after
    first, resolution = clocks(policy, created, msk(26, 11), None, msk(27, 14), pauses)
    assert resolution.used == pytest.approx(4 / 8) and resolution.state == "running"
    assert resolution.deadline == msk(27, 18)  # 2 h used before the pause, 6 h from Friday 12:00
    assert first.state == "met"  # the first response does not stop
    # without the pause the same moment is a breach
    assert clocks(policy, created, msk(26, 11), None, msk(27, 14))[1].state == "breached"


def test_a_pending_ticket_is_paused_and_never_warned_meanwhile() -> None:
    policy = SlaPolicy("it", None, None, timedelta(hours=2), HOURS)
    created = msk(27, 9)
    pauses = pending_spans([(msk(27, 10), "pending")])  # still waiting
    (resolution,) = clocks(policy, created, None, None, msk(27, 17), pauses)
    assert resolution.state == "paused" and resolution.used == pytest.approx(0.5)
    assert resolution.deadline == msk(27, 18)  # one hour left, counted from now
    assert sla_steps((resolution,), frozenset(), frozenset()) == ()
    # resolved while pending: the span ends there, and the clock is met
    spans = pending_spans([(msk(27, 10), "pending"), (msk(27, 17), "resolved")])
    (met,) = clocks(policy, created, None, msk(27, 17), msk(27, 18), spans)
    assert met.state == "met" and met.used == pytest.approx(0.5)
