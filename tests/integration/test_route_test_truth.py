"""`postdesk route-test` tells the truth: on the same database state it predicts what a real daemon then does.

Every mail of tests/mail/, and mails made here (a status request, an unsubscribe, an agent's reply to its
notification, a rating reply on a resolved ticket, a follow-up, a stranger using [SD-n]), goes first through
route-test, then over SMTP into the running daemon; after each, the daemon's inbound row and tickets say what
it did, and that must be what route-test said, action for action, thread for thread, queue for queue.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from email.utils import parseaddr

import pytest

from desk import AGENTS, REQUESTER, addressed, reply_to, wait_for
from postdesk.daemon.config import load_config
from postdesk.storage import inbound as inbound_q
from postdesk.storage.db import Database
from postdesk.storage.views import InboundView
from support import MAIL_DIR, Center, mail


class Both:
    """Feeds mails one by one: route-test's verdict first, then the daemon's, on the same state."""

    def __init__(self, center: Center):
        self.center = center
        self.db = Database(load_config(center.config).database_url)
        self.count = 0
        self.seen: list[tuple[str, str]] = []

    def feed(self, raw: bytes, name: str) -> dict:  # type: ignore[type-arg]
        # the envelope an MTA would give: a Return-Path the mail carries (<> for a bounce), else its From
        return_path = _header(raw, "Return-Path")
        sender = (parseaddr(return_path)[1] if return_path
                  else parseaddr(_header(raw, "From"))[1])
        if not return_path and "@" not in sender:  # a From no MTA would take as the envelope (`<mailto:…>`)
            sender = "petr@corp.example"
        path = self.center.root / "mail.eml"
        path.write_bytes(raw)
        said = json.loads(self.center.cli("route-test", "--json", "--sender", sender, "--recipient",
                                          "service@corp.example", str(path)).stdout)
        self.center.send(raw, rcpt=["service@corp.example"], sender=sender)
        self.count += 1
        row = self._done(self.count)
        # what the daemon did is its inbound row's outcome kind (storage/outcomes.py), the words route-test uses
        assert row.outcome is not None, f"{name}: quarantined at {row.stage}: {row.error}"
        did = row.outcome.kind
        assert said["action"] == did, f"{name}: route-test said {said['line']!r}, the daemon did {row.outcome.text!r}"
        self._same_ticket(name, said, row)
        self.seen.append((name, did))
        return said

    def _done(self, inbound_id: int, timeout: float = 20) -> InboundView:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            loaded = inbound_q.load(self.db, inbound_id)
            if loaded is not None and loaded[0].status in ("done", "quarantined"):
                return loaded[0]
            time.sleep(0.05)
        raise AssertionError(f"inbound {inbound_id} not processed\n{self.center.log.read_text()}")

    def _same_ticket(self, name: str, said: dict, row: InboundView) -> None:  # type: ignore[type-arg]
        thread = said.get("thread") or said.get("mentions")
        if said["action"] == "new-ticket":
            created = self.center.ticket(f"SD-{row.ticket_id}")
            assert created["queue"] == said["queue"], name
            assert created["rule"] == said["rule"], name
            assert (thread or {}).get("ref") == next((e["detail"]["ticket"] for e in created["events"]
                                                      if e["kind"] == "mentions"), None), name
        elif said["action"] in ("follow-up", "duplicate", "agent-reply", "third-party", "rating", "solved"):
            assert f"SD-{row.ticket_id}" == thread["ref"], name
        elif said["action"] == "automatic":
            assert (f"SD-{row.ticket_id}" if row.ticket_id else None) == (thread or {}).get("ref"), name
        else:
            assert row.ticket_id is None, name


def _header(raw: bytes, name: str) -> str:
    """The header's raw value, as an MTA reads it for the envelope (the email package's modern policy raises on
    the suite's hostile mails, an encoded line break in a From name among them)."""
    from email import message_from_bytes

    return str(message_from_bytes(raw).get(name, "") or "")


@pytest.fixture
def both(make_center: Callable[..., Center]) -> Iterator[Both]:
    center = make_center(extra=AGENTS)
    center.start()
    yield Both(center)


def made(subject: str, body: str, sender: str = REQUESTER, **headers: str) -> bytes:
    m = mail(subject, body, sender=sender)
    for k, v in headers.items():
        m[k.replace("_", "-")] = v
    return m.as_bytes()


def test_route_test_and_the_daemon_agree_on_every_mail(both: Both) -> None:
    center = both.center
    # a request, its notification, and the agent's reply to it
    said = both.feed(made("Не работает VPN", "С утра не работает VPN, ошибка 809."), "request")
    assert said["line"] == "new ticket in it (rule outage)"
    (note,) = wait_for(center, addressed("ivanov@corp.example", "notify"))
    both.feed(made("Re: Не работает VPN [SD-1]", "Забыл сказать: с ноутбука."), "follow-up")
    both.feed(made("Re: Не работает VPN [SD-1]", "Я тоже не могу войти", sender="eve@example.net"), "stranger")
    said = both.feed(reply_to(note, "#status resolved\nПерезапустили шлюз, проверьте.").as_bytes(), "agent reply")
    assert said["line"] == "agent reply on SD-1 by Иван Иванов: #status resolved"
    said = both.feed(made("Re: Не работает VPN [SD-1]", "5 спасибо, быстро"), "rating")
    assert said["line"] == "rating 5 for SD-1: спасибо, быстро"
    # a third party at the agent's signed reply address
    third = reply_to(note, "Закройте, я за него решу", sender="Мошенник <mallory@evil.example>")
    both.feed(third.as_bytes(), "third party")
    said = both.feed(made("Статус", ""), "status")
    assert said["line"] == f"status reply to {REQUESTER}"
    said = both.feed(made("Отписаться", ""), "unsubscribe")
    assert said["line"] == f"unsubscribe {REQUESTER} from the news"
    said = both.feed(made("Re: Не работает VPN [SD-1]", "Out of office", Auto_Submitted="auto-replied"), "auto")
    assert said["line"].startswith("record on SD-1: auto-reply (Auto-Submitted: auto-replied)")
    # every mail of the suite's fixtures
    for path in sorted(MAIL_DIR.glob("*.eml")):
        both.feed(path.read_bytes(), path.name)
    kinds = {kind for _, kind in both.seen}
    assert {"new-ticket", "follow-up", "agent-reply", "third-party", "rating", "status", "subscription",
            "automatic"} <= kinds, both.seen


def test_route_test_without_the_database_state_would_be_wrong(both: Both) -> None:
    """The dry run reads the database: the same follow-up is a follow-up once SD-1 exists, a new request before."""
    path = both.center.root / "reply.eml"
    path.write_bytes(made("Re: Принтер [SD-1]", "Всё ещё не печатает"))
    before = json.loads(both.center.cli("route-test", "--json", str(path)).stdout)
    assert (before["action"], before["mentions"]) == ("new-ticket", None)
    both.feed(made("Принтер", "Не печатает"), "request")
    after = json.loads(both.center.cli("route-test", "--json", str(path)).stdout)
    assert (after["action"], after["line"]) == ("follow-up", "follow-up on SD-1")
    text = both.center.cli("route-test", str(path)).stdout
    assert "action:     follow-up on SD-1" in text and "thread: SD-1 (new)" in text
