"""Hostile mail against a running daemon, round 7 of issue 15: what an outsider tried that the earlier attack
tests (test_attack_*.py, test_hostile_*.py) did not, and what the desk does now.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator

import pytest

from desk import AGENTS, addressed, wait_for
from support import Center, mail


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
