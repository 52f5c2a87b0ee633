"""The per-sender limit on automatic answers, through a real daemon: one count for every kind of answer.

A robot (or a person) who writes to the desk gets at most `[service] auto_replies_per_hour` answers an hour —
acknowledgments, status lists, subscription answers … together — so switching from one kind of mail to
another does not open a fresh allowance (daemon/outgoing/send.py applies the rule, once, for all of them).
"""

from __future__ import annotations

import json

from desk import REQUESTER, addressed, events, processed, wait_for
from support import Center, mail, text_of


def _answers(center: Center) -> list[str]:
    """What the requester got: "ack" or "status", in order."""
    return ["status" if "открытых заявок" in text_of(m) or "открытые заявки" in text_of(m) else "ack"
            for m in addressed(REQUESTER)(center.outgoing())]


def test_acknowledgments_and_status_lists_count_together(running: Center) -> None:
    for i in range(3):
        running.send(mail(f"Вопрос {i}", "Текст"))
    wait_for(running, addressed(REQUESTER), 3)
    for _ in range(3):
        running.send(mail("статус", ""))
    processed(running, 6)
    assert _answers(running) == ["ack"] * 3 + ["status"] * 2  # the third status request is the sixth answer
    assert "SD-1" in text_of(addressed(REQUESTER)(running.outgoing())[3])

    running.send(mail("Ещё вопрос", "Текст"))
    processed(running, 7)
    assert len(running.tickets()) == 4  # the request is recorded...
    assert len(addressed(REQUESTER)(running.outgoing())) == 5  # ...and not acknowledged: five answers this hour
    held = [e for e in events(running, "SD-4") if e["kind"] == "ack-suppressed"]
    assert len(held) == 1 and "more than 5 automatic answers to petr@corp.example" in held[0]["detail"]["reason"]


def _route_test_answer(center: Center, subject: str, body: str) -> dict | None:  # type: ignore[type-arg]
    path = center.root / "next.eml"
    path.write_bytes(mail(subject, body).as_bytes())
    said = json.loads(center.cli("route-test", "--json", "--sender", REQUESTER, str(path)).stdout)
    return said["answer"]  # type: ignore[no-any-return]


def test_status_lists_use_up_the_acknowledgments_too(running: Center) -> None:
    for _ in range(4):
        running.send(mail("статус", ""))
    processed(running, 4)
    # route-test reads the same allowance the daemon's guard reads: one answer left, then none
    assert _route_test_answer(running, "статус", "") == {"to": REQUESTER, "held": None}
    running.send(mail("статус", ""))
    processed(running, 5)
    said = _route_test_answer(running, "Не работает VPN", "Ошибка 809.")
    assert said == {"to": REQUESTER, "held": f"more than 5 automatic answers to {REQUESTER} in an hour"}
    text = running.cli("route-test", "--sender", REQUESTER, str(running.root / "next.eml")).stdout
    assert f"answer:     held, more than 5 automatic answers to {REQUESTER} in an hour" in text
    running.send(mail("Не работает VPN", "Ошибка 809."))
    processed(running, 6)
    assert _answers(running) == ["status"] * 5
    assert [t["subject"] for t in running.tickets()] == ["Не работает VPN"]
    assert any(e["kind"] == "ack-suppressed" for e in events(running, "SD-1"))
