"""Timed work through the real daemon and CLI, with the time given (`jobs run --now`), never slept."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest

from desk import AGENTS, REQUESTER, body_text, open_ticket, reply_to, send_to, wait_for, wait_ticket
from support import Center, mail


@pytest.fixture
def desk(make_center: Callable[..., Center]) -> Iterator[Center]:
    center = make_center(extra=AGENTS)
    center.start()
    yield center


def at(days: float) -> str:
    return (datetime.now(UTC) + timedelta(days=days)).isoformat()


def to_requester(desk: Center) -> int:
    return len([m for m in desk.outgoing() if REQUESTER in str(m["To"])])


def test_pending_ticket_is_reminded_once_then_resolved(desk: Center) -> None:
    _, _, note = open_ticket(desk)
    send_to(desk, reply_to(note, "#status pending\n\nПришлите, пожалуйста, скриншот ошибки."))
    wait_ticket(desk, lambda t: t["status"] == "pending")
    wait_for(desk, lambda ms: [m for m in ms if "скриншот" in body_text(m)])
    assert desk.cli("jobs", "run", "ticket-timers", "--now", at(1)).stdout.strip() == "nothing was due"
    assert "remind-pending: 1" in desk.cli("jobs", "run", "ticket-timers", "--now", at(3.1)).stdout
    (reminder,) = wait_for(desk, lambda ms: [m for m in ms if "ждём вашего ответа" in body_text(m)])
    assert REQUESTER in str(reminder["To"]) and "[SD-1]" in reminder["Subject"]
    before = to_requester(desk)
    assert desk.cli("jobs", "run", "ticket-timers", "--now", at(3.2)).stdout.strip() == "nothing was due"
    assert "autoresolve: 1" in desk.cli("jobs", "run", "ticket-timers", "--now", at(7.1)).stdout
    t = wait_ticket(desk, lambda t: t["status"] == "resolved")
    assert [e for e in t["events"] if e["kind"] == "status" and "no answer" in e["detail"].get("reason", "")]
    wait_for(desk, lambda ms: [m for m in ms if "отметили её решённой" in body_text(m)])
    time.sleep(0.5)
    assert to_requester(desk) == before + 1


def test_resolved_ticket_gets_a_rating_reminder_then_closes(desk: Center) -> None:
    _, ack, note = open_ticket(desk)
    send_to(desk, reply_to(note, "#resolve\n\nГотово."))
    wait_ticket(desk, lambda t: t["status"] == "resolved")
    assert "remind-rating: 1" in desk.cli("jobs", "run", "ticket-timers", "--now", at(2.1)).stdout
    wait_for(desk, lambda ms: [m for m in ms if "Напоминаем" in body_text(m)])
    assert desk.cli("jobs", "run", "ticket-timers", "--now", at(2.5)).stdout.strip() == "nothing was due"
    assert "close: 1" in desk.cli("jobs", "run", "ticket-timers", "--now", at(7.1)).stdout
    wait_ticket(desk, lambda t: t["status"] == "closed")
    desk.send(mail("Re: " + str(ack["Subject"]), "VPN снова не работает."))
    wait_ticket(desk, lambda t: t["status"] == "new", ref="SD-2")


def test_jobs_lists_the_schedule(desk: Center) -> None:
    out = desk.cli("jobs").stdout
    assert out.startswith("ticket-timers") and "next 20" in out


SLA = '''
[[sla]]
queue = "it"
priority = "high"
first_response = "1h"
resolution = "8h"
'''


@pytest.mark.both_backends
def test_sla_warns_at_80_percent_and_escalates_a_breach_to_the_leads_once(
        make_center: Callable[..., Center]) -> None:
    desk = make_center(extra=AGENTS + SLA)
    desk.start()
    open_ticket(desk)
    hours = 1 / 24
    assert desk.cli("jobs", "run", "sla", "--now", at(0.7 * hours)).stdout.strip() == "nothing was due"
    assert "warn:first_response: 1" in desk.cli("jobs", "run", "sla", "--now", at(0.85 * hours)).stdout
    warnings = wait_for(desk, lambda ms: [m for m in ms if "срок SLA на исходе" in body_text(m)], count=2)
    assert {str(m["To"]).split("<")[1].rstrip(">") for m in warnings} == {"ivanov@corp.example",
                                                                          "petrova@corp.example"}
    assert desk.cli("jobs", "run", "sla", "--now", at(0.9 * hours)).stdout.strip() == "nothing was due"
    assert "breach:first_response: 1" in desk.cli("jobs", "run", "sla", "--now", at(1.1 * hours)).stdout
    (breach,) = wait_for(desk, lambda ms: [m for m in ms if "срок SLA нарушен" in body_text(m)])
    assert "petrova@corp.example" in str(breach["To"])  # the queue's lead only
    assert desk.cli("jobs", "run", "sla", "--now", at(2 * hours)).stdout.strip() == "nothing was due"
    t = desk.ticket("SD-1")
    assert [e["kind"] for e in t["events"] if e["kind"].startswith("sla-")] == ["sla-warning", "sla-breach"]
    assert [k["clock"] for k in t["sla"]] == ["first_response", "resolution"]
    assert "SLA:        first response" in desk.cli("tickets", "show", "SD-1").stdout
    assert json.loads(desk.cli("report", "--json").stdout)["queues"]["it"]["sla_breached"] == 1


def test_the_resolution_clock_stops_while_the_requester_is_asked(make_center: Callable[..., Center]) -> None:
    desk = make_center(extra=AGENTS + SLA)
    desk.start()
    _, _, note = open_ticket(desk)
    send_to(desk, reply_to(note, "#status pending\n\nПришлите, пожалуйста, снимок экрана с ошибкой."))
    wait_ticket(desk, lambda t: t["status"] == "pending")
    hours = 1 / 24
    # 7.5 of the 8 hours later: a warning if the clock ran, nothing while it waits for the requester
    assert desk.cli("jobs", "run", "sla", "--now", at(7.5 * hours)).stdout.strip() == "nothing was due"
    clocks = {k["clock"]: k["state"] for k in desk.ticket("SD-1")["sla"]}
    assert clocks == {"first_response": "met", "resolution": "paused"}
