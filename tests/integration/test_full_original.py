"""Issue 15: when the reply cut trimmed a mail, the tracking page and the agents' notification offer the whole.

Through a real daemon: the requester answers the acknowledgment above its quote; the ticket keeps the new
words only, and the page links the whole mail, quoted part included, shown as text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from email.message import EmailMessage
from email.utils import make_msgid

import pytest

from desk import AGENTS, REQUESTER, addressed, open_ticket, wait_for, wait_ticket
from support import Center, text_of

NEW_WORDS = "Перезагрузил ноутбук — ошибка та же, 809."
QUOTED = "Старая строка <b>из письма</b> & всё такое"


@pytest.fixture
def desk(make_center: Callable[..., Center]) -> Iterator[Center]:
    center = make_center(extra=AGENTS)
    center.start()
    yield center


def requester_reply(ack: EmailMessage) -> EmailMessage:
    """The requester's "Reply" to the acknowledgment: new words on top, the attribution and the quote below."""
    m = EmailMessage()
    m["From"] = f"Пётр Сидоров <{REQUESTER}>"
    m["To"] = "service@corp.example"
    m["Subject"] = "Re: " + str(ack["Subject"])
    m["Message-ID"] = make_msgid(domain="corp.example")
    m["In-Reply-To"] = m["References"] = str(ack["Message-ID"])
    quoted = "\n".join("> " + line for line in [QUOTED, *text_of(ack).splitlines()])
    m.set_content(f"{NEW_WORDS}\n\n27.11.2026, 10:00, Общий центр обслуживания пишет:\n{quoted}\n")
    return m


def test_a_cut_reply_offers_the_whole_mail_on_the_page_and_in_the_notification(desk: Center) -> None:
    _, ack, _ = open_ticket(desk)
    desk.send(requester_reply(ack))
    t = wait_ticket(desk, lambda t: any(m["kind"] == "follow-up" for m in t["messages"]))
    (follow_up,) = [m for m in t["messages"] if m["kind"] == "follow-up"]
    assert follow_up["text"].strip() == NEW_WORDS  # the ticket keeps the new words only

    tracking = re.search(r"https?://\S+/t/[\w-]+", text_of(ack))
    assert tracking is not None
    status, page = desk.get(tracking.group(0))
    links = re.findall(r'href="(/t/[\w-]+/original/\d+)"', page)
    assert status == 200 and len(links) == 1  # the first request was not cut: no link for it
    assert "Показать письмо целиком" in page and "Старая строка" not in page

    base = tracking.group(0).split("/t/")[0]
    status, whole = desk.get(base + links[0])
    assert status == 200 and NEW_WORDS in whole and "Общий центр обслуживания пишет:" in whole
    assert "Старая строка &lt;b&gt;из письма&lt;/b&gt; &amp; всё такое" in whole  # text, never HTML
    assert "<b>из письма</b>" not in whole

    notes = wait_for(desk, addressed("ivanov@corp.example", "notify"), count=2)
    said = text_of(notes[-1])
    assert NEW_WORDS in said and "Старая строка" not in said
    url = re.search(r"Письмо целиком, с цитатой: (\S+)", said)
    assert url is not None and url.group(1) == base + links[0]


def test_the_whole_mail_needs_the_ticket_s_own_signed_link(desk: Center) -> None:
    _, ack, _ = open_ticket(desk)
    desk.send(requester_reply(ack))
    wait_ticket(desk, lambda t: any(m["kind"] == "follow-up" for m in t["messages"]))
    tracking = re.search(r"(https?://\S+)/t/([\w-]+)", text_of(ack))
    assert tracking is not None
    base, token = tracking.groups()
    status, page = desk.get(f"{base}/t/{token}")
    (link,) = re.findall(r'href="/t/[\w-]+/original/(\d+)"', page)
    assert status == 200
    assert desk.get(f"{base}/t/{token}/original/{link}")[0] == 200
    forged = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert desk.get(f"{base}/t/{forged}/original/{link}")[0] == 404
    assert desk.get(f"{base}/t/{token}/original/{int(link) + 100}")[0] == 404  # no mail of this ticket
    assert desk.get(f"{base}/t/{token}/original/x1")[0] == 404
    other = "2-" + token.partition("-")[2]  # another ticket's number under this ticket's MAC
    assert desk.get(f"{base}/t/{other}/original/{link}")[0] == 404
