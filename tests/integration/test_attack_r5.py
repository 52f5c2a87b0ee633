"""Hostile mail and careless clients against a running daemon, round 5 of issue 15: what an outsider tried
that the earlier attack tests (test_attack_*.py, test_hostile_*.py) did not, and what the desk does now.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator

import pytest

from desk import AGENTS, addressed, body_text, open_ticket, reply_to, send_to, wait_ticket
from support import Center, mail


@pytest.fixture
def desk(make_center: Callable[..., Center]) -> Iterator[Center]:
    center = make_center(extra=AGENTS)
    center.start()
    yield center


def test_a_requester_rating_again_and_again_mails_the_leads_once(desk: Center) -> None:
    """A rating may be replaced for a week, and anyone can write as the requester: each low one mailed the
    queue's leads again (six replies "1", six mails to the lead). The leads hear of a ticket's low rating once;
    every rating stays on the ticket."""
    _, ack, note = open_ticket(desk)
    send_to(desk, reply_to(note, "#resolve\nПереустановите клиент VPN."))
    wait_ticket(desk, lambda t: t["status"] == "resolved")
    for i, score in enumerate((1, 2, 5, 1, 1)):
        desk.send(mail(f"Re: {ack['Subject']}", f"{score} плохо, попытка {i}",
                       headers={"In-Reply-To": str(ack["Message-ID"])}))
    t = wait_ticket(desk, lambda t: len([e for e in t["events"] if e["kind"] == "rating"]) == 5)
    assert [e["detail"]["score"] for e in t["events"] if e["kind"] == "rating"] == [1, 2, 5, 1, 1]
    time.sleep(1.5)  # the worker has queued whatever it was going to
    low = re.compile(r"^[1-5]/5\.", re.M)  # the score line of a low-rating mail
    to_lead = [m for m in addressed("petrova@corp.example")(desk.outgoing()) if low.search(body_text(m))]
    assert len(to_lead) == 1, [body_text(m)[:80] for m in to_lead]
