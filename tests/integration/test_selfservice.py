"""Self-service: knowledge suggestions in the acknowledgment, the tracking page's actions, ratings, status.

Through the daemon's SMTP ingress, its maildir outbox and its HTTP port, as a requester would.
"""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest

from desk import AGENTS, REQUESTER, open_ticket, processed, reply_to, send_to, wait_for, wait_ticket
from support import Center, mail, text_of

KB = Path(__file__).resolve().parents[2] / "examples" / "kb"


@pytest.fixture
def desk(make_center: Callable[..., Center]) -> Iterator[Center]:
    center = make_center(extra=AGENTS + f'\n[knowledge]\ndir = "{KB}"\n')
    center.start()
    yield center


def links(msg: EmailMessage) -> list[str]:
    return re.findall(r"https?://\S+", text_of(msg))


def post(url: str, fields: dict[str, str]) -> tuple[int, str, str]:
    """(status, final URL, body) after following the redirect, as a browser does after a form."""
    data = urllib.parse.urlencode(fields).encode()
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=data, method="POST"), timeout=5) as r:
            return r.status, r.url, r.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, url, exc.read().decode()


def form_fields(page: str) -> dict[str, str]:
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', page))


def test_acknowledgment_suggests_articles_that_answer_and_the_page_shows_them(desk: Center) -> None:
    desk.send(mail("Не работает VPN", "Добрый день! Из дома не подключается VPN, ошибка 809. Что делать?"))
    (ack,) = wait_for(desk, lambda ms: [m for m in ms if REQUESTER in str(m["To"])])
    body = text_of(ack)
    assert "базе знаний" in body
    kb_links = [u for u in links(ack) if "/kb/" in u]
    assert 1 <= len(kb_links) <= 3 and any("vpn" in u for u in kb_links)
    status, page = desk.get(kb_links[0])
    assert status == 200 and "<h1>" in page and "VPN" in page
    tracking = next(u for u in links(ack) if "/t/" in u and not u.endswith("/solved"))
    status, page = desk.get(tracking)
    assert status == 200 and kb_links[0].split("/kb/")[1] in page
    assert desk.get(f"http://127.0.0.1:{desk.web_port}/kb/no-such-article")[0] == 404


def test_an_unrelated_request_gets_no_suggestion(desk: Center) -> None:
    desk.send(mail("Новогодний корпоратив", "Подскажите, когда и где будет новогодний корпоратив?"))
    (ack,) = wait_for(desk, lambda ms: [m for m in ms if REQUESTER in str(m["To"])])
    assert "базе знаний" not in text_of(ack) and not [u for u in links(ack) if "/kb/" in u]


def test_this_solved_my_problem_resolves_after_a_confirmation_and_tells_the_agents(desk: Center) -> None:
    desk.send(mail("Не работает VPN", "Из дома не подключается VPN, ошибка 809."))
    (ack,) = wait_for(desk, lambda ms: [m for m in ms if REQUESTER in str(m["To"])])
    solved = next(u for u in links(ack) if u.endswith("/solved"))
    status, page = desk.get(solved)  # a mail scanner opening the link changes nothing
    assert status == 200 and "Проблема решена?" in page
    time.sleep(0.5)
    assert desk.ticket("SD-1")["status"] == "new"
    status, _, done = post(solved, form_fields(page))
    assert status == 200 and "Заявка закрыта" in done
    t = wait_ticket(desk, lambda t: t["status"] == "resolved")
    assert [e for e in t["events"] if e["via"] == "web" and e["kind"] == "status"]
    wait_for(desk, lambda ms: [m for m in ms if "ivanov" in str(m["To"]) and "проблема решена" in text_of(m)])
    # and the requester is asked for a rating
    wait_for(desk, lambda ms: [m for m in ms if REQUESTER in str(m["To"]) and "/r/" in text_of(m)])
    forged = solved.replace("/t/1-", "/t/2-")
    assert desk.get(forged)[0] == 404
    assert post(solved, {"csrf": "forged"})[0] == 404


def test_a_comment_on_the_page_joins_the_ticket_like_a_mail(desk: Center) -> None:
    _, ack, _ = open_ticket(desk)
    tracking = next(u for u in links(ack) if "/t/" in u and not u.endswith("/solved"))
    _, page = desk.get(tracking)
    action = re.search(r'<form method="post" action="([^"]+/comment)"', page)
    assert action is not None
    status, final, after = post(urllib.parse.urljoin(tracking, action.group(1)),
                                {**form_fields(page), "text": "Перезагрузил роутер — не помогло."})
    assert status == 200 and final.endswith("?sent=1") and "комментарий принят" in after
    t = wait_ticket(desk, lambda t: any(m["kind"] == "follow-up" for m in t["messages"]))
    (comment,) = [m for m in t["messages"] if m["kind"] == "follow-up"]
    assert comment["text"].strip() == "Перезагрузил роутер — не помогло." and comment["from"] == REQUESTER
    notes = wait_for(desk, lambda ms: [m for m in ms if "ivanov" in str(m["To"]) and "не помогло" in text_of(m)])
    assert notes
    _, page = desk.get(tracking)
    assert "Перезагрузил роутер" in page
    assert post(urllib.parse.urljoin(tracking, action.group(1)), {"csrf": "x", "text": "spam"})[0] == 404


# -- ratings
def _resolve(desk: Center) -> EmailMessage:
    """Open a ticket, have the agent resolve it; returns the rating request the requester gets."""
    _, _, note = open_ticket(desk)
    send_to(desk, reply_to(note, "#resolve\n\nПерезапустили VPN-шлюз."))
    (ask,) = wait_for(desk, lambda ms: [m for m in ms if REQUESTER in str(m["To"]) and "/r/" in text_of(m)])
    return ask


@pytest.mark.both_backends
def test_resolution_asks_for_a_rating_and_a_link_records_it(desk: Center) -> None:
    ask = _resolve(desk)
    assert "[SD-1]" in ask["Subject"] and "цифрой от 1 до 5" in text_of(ask)
    four = next(u for u in links(ask) if u.endswith("/4"))
    status, page = desk.get(four)  # what a mail scanner opening every link does: it rates nothing
    assert status == 200 and "Ваша оценка: 4 из 5" in page
    assert desk.get(four.replace("/4", "/1"))[0] == 200
    time.sleep(0.5)
    assert not [e for e in desk.ticket("SD-1")["events"] if e["kind"] == "rating"]
    action = re.search(r'action="([^"]+)"', page)
    assert action is not None
    fields = {**form_fields(page), "text": "Быстро, спасибо"}
    status, _, done = post(urllib.parse.urljoin(four, action.group(1)), fields)
    assert status == 200 and "Спасибо за оценку" in done and "Вы поставили 4 из 5. Комментарий сохранён." in done
    t = wait_ticket(desk, lambda t: any(e["kind"] == "rating" for e in t["events"]))
    (rating,) = [e for e in t["events"] if e["kind"] == "rating"]
    assert (rating["detail"]["score"], rating["detail"]["comment"], rating["via"]) == (4, "Быстро, спасибо", "web")
    assert t["status"] == "resolved"
    assert post(urllib.parse.urljoin(four, action.group(1)), {**fields, "csrf": "forged"})[0] == 404
    assert post(urllib.parse.urljoin(four, action.group(1)), {**fields, "score": "9"})[0] == 404
    report = json.loads(desk.cli("report", "--json").stdout)
    assert report["queues"]["it"]["ratings"] == 1 and report["queues"]["it"]["csat"] == 1.0
    assert report["agents"]["ivanov@corp.example"]["resolved"] == 1
    assert desk.get(four.replace("/4", "/9"))[0] == 404 and desk.get(four[:-12] + "xxxxxxxxx/4")[0] == 404


def test_a_rating_by_reply_does_not_reopen_and_a_low_one_reaches_the_lead(desk: Center) -> None:
    ask = _resolve(desk)
    reply = mail("Re: " + str(ask["Subject"]), "2 — ждал ответа два дня.",
                 headers={"In-Reply-To": str(ask["Message-ID"])})
    desk.send(reply)
    t = wait_ticket(desk, lambda t: any(e["kind"] == "rating" for e in t["events"]))
    (rating,) = [e for e in t["events"] if e["kind"] == "rating"]
    assert rating["detail"]["score"] == 2 and rating["detail"]["comment"] == "ждал ответа два дня."
    assert t["status"] == "resolved"
    (low,) = wait_for(desk, lambda ms: [m for m in ms if "petrova" in str(m["To"]) and "низкую оценку" in text_of(m)])
    assert "ждал ответа два дня" in text_of(low)
    assert "ivanov" not in str(low["To"])  # only the queue's lead


def test_status_by_mail_lists_the_senders_open_tickets(desk: Center) -> None:
    desk.send(mail("Не работает VPN", "Ошибка 809."))
    desk.send(mail("Расчётный листок", "Пришлите листок за октябрь."))
    processed(desk, 2)
    desk.send(mail("статус", ""))
    (listing,) = wait_for(desk, lambda ms: [m for m in ms if "Ваши открытые заявки" in text_of(m)])
    body = text_of(listing)
    assert "SD-1" in body and "SD-2" in body and body.count("/t/") == 2
    assert len(desk.tickets()) == 2  # no ticket for the question itself


def test_healthz_reports_each_part(desk: Center) -> None:
    with urllib.request.urlopen(f"http://127.0.0.1:{desk.web_port}/healthz", timeout=5) as r:
        report = json.loads(r.read())
    assert report["ok"] is True and report["database"]["ok"] and report["smtp"]["ok"] and report["worker"]["ok"]
    assert report["knowledge"]["articles"] >= 20


def test_kb_commands(desk: Center) -> None:
    out = desk.cli("kb", "search", "не работает впн, ошибка 809").stdout
    first = out.splitlines()[0]
    assert first.startswith("*") and "vpn" in first
    assert "articles OK" in desk.cli("kb", "check").stdout


def test_the_bare_address_leads_into_the_portal(desk: Center) -> None:
    """Someone who types the desk's address sees the knowledge base and a way to sign in, not a bare name."""
    with urllib.request.urlopen(f"http://127.0.0.1:{desk.web_port}/", timeout=10) as page:
        assert page.url.endswith("/kb") and page.status == 200
        body = page.read().decode()
    assert "/login" in body and 'href="/kb/' in body
