"""Hostile mail against a running daemon, round 7 of issue 15: what an outsider tried that the earlier attack
tests (test_attack_*.py, test_hostile_*.py) did not, and what the desk does now.
"""

from __future__ import annotations

import json
import smtplib
import time
from collections.abc import Callable, Iterator

import pytest

from desk import AGENTS, addressed, processed, wait_for
from support import Center, mail, smtp_reply, smtp_session


@pytest.fixture
def desk(make_center: Callable[..., Center]) -> Iterator[Center]:
    center = make_center(extra=AGENTS)
    center.start()
    yield center


def _acks(center: Center, local: str) -> list[str]:
    """The envelope recipients of the acknowledgments queued to addresses holding `local` (as the outbox lists
    them: the email package reads `x@example.` as no address at all)."""
    rows = json.loads(center.cli("outbox", "list", "--json", "--limit", "1000").stdout)
    return [to for r in rows if r["kind"] == "ack" for to in r["to"] if local in to.lower()]


def test_spellings_of_one_mailbox_share_its_hourly_answers(desk: Center) -> None:
    """`victim@corp.example.` (the DNS root's dot) and `"victim"@corp.example` (needless quotes) reach the same
    mailbox as `victim@corp.example`. A forger who wrote From that way got every mail acknowledged (eight mails
    from `victim@corp.example.`, eight acknowledgments in the victim's mailbox): the outbox kept the spelling, and
    the hourly count compared spellings. Five answers an hour reach the mailbox, however its address is spelt."""
    senders = [*(["victim@corp.example."] * 4), '"victim"@corp.example', '"victim+q"@corp.example',
               "Victim+1@Corp.Example.", "victim@corp.example"]
    for i, sender in enumerate(senders):
        desk.send(mail(f"Вопрос {i}", "Не печатает принтер.", sender=sender), sender="relay@corp.example")
    wait_for(desk, addressed("ivanov@corp.example", "notify"), count=len(senders))
    time.sleep(1)
    assert len(_acks(desk, "victim")) == 5, _acks(desk, "victim")


def test_commands_that_deliver_nothing_do_not_hold_a_connection_open(center: Center) -> None:
    """The idle timer was re-armed by every command: a client sending NOOP (or RSET) every few minutes kept its
    connection for ever, and four such clients held all `max_connections` of the listener, refusing everyone
    else with 421. A connection is idle when it delivers no mail: after `idle_timeout` since it opened or since
    its last mail it is closed with the reason, however many commands came meanwhile; a mail resets the clock."""
    text = center.config.read_text(encoding="utf-8")
    limit = 'max_message_size = "1MB"\n'
    center.config.write_text(text.replace(limit, limit + 'idle_timeout = "2s"\n'), encoding="utf-8")
    center.start()
    sock = smtp_session(center)
    started, answers = time.monotonic(), b""
    while time.monotonic() - started < 8 and not answers.startswith(b"421"):
        time.sleep(0.4)
        try:
            sock.sendall(b"NOOP\r\n")
            answers = smtp_reply(sock)
        except OSError:
            break
    assert answers.startswith(b"421 4.4.2 Idle for 2 s"), answers
    assert 1.5 < time.monotonic() - started < 5
    sock.close()
    # a client that delivers a mail within the time gets the time again from that mail
    with smtplib.SMTP("127.0.0.1", center.smtp_port, timeout=10) as s:
        for i in range(3):
            time.sleep(1.2)
            s.send_message(mail(f"Письмо {i}", "Не печатает принтер."))
    processed(center, 3)
    assert len(center.tickets()) == 3
    # a mail whose transfer starts late in the connection still gets the whole time for its data (a cached
    # connection's next mail, a large attachment over a slow link): the DATA command that will take a mail counts
    sock = smtp_session(center)
    time.sleep(1.5)
    for line in (b"MAIL FROM:<petr@corp.example>", b"RCPT TO:<service@corp.example>", b"DATA"):
        sock.sendall(line + b"\r\n")
        assert smtp_reply(sock)[:1] in (b"2", b"3")
    sock.sendall(b"From: petr@corp.example\r\nTo: service@corp.example\r\nSubject: Large scan\r\n\r\nPart one\r\n")
    time.sleep(1.2)  # 2.7 s since the connection opened, 1.2 s into the transfer
    sock.sendall(b"Part two\r\n.\r\n")
    assert smtp_reply(sock).startswith(b"250"), "the transfer was cut off"
    sock.close()
    processed(center, 4)
    center.stop()
