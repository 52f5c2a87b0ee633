"""The tracking page in a real headless Chromium: it renders, its forms work, hostile mail runs nothing."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest

from browser import Browser
from desk import AGENTS, REQUESTER, body_text, open_ticket, reply_to, send_to, wait_for, wait_ticket
from support import Center, mail

KB = Path(__file__).resolve().parents[2] / "examples" / "kb"
HOSTILE_SUBJECT = '<script>alert("subject")</script><img src=x onerror=alert("img")>'
HOSTILE_BODY = ('Посмотрите <a href="javascript:alert(\'link\')">сюда</a> <script>alert("body")</script>\n'
                '<img src=x onerror="alert(\'onerror\')"> <svg onload=alert("svg")></svg>\n'
                "javascript:alert('bare')")


@pytest.fixture
def desk(make_center: Callable[..., Center]) -> Iterator[Center]:
    center = make_center(extra=AGENTS + f'\n[knowledge]\ndir = "{KB}"\n')
    center.start()
    yield center


def tracking_url(ack: EmailMessage) -> str:
    return next(u for u in re.findall(r"https?://\S+", body_text(ack)) if "/t/" in u and not u.endswith("/solved"))


def test_page_renders_on_a_phone_with_the_conversation_and_agent_name(desk: Center, browser: Browser) -> None:
    _, ack, note = open_ticket(desk)
    send_to(desk, reply_to(note, "Пётр, переустановите клиент VPN."))
    wait_ticket(desk, lambda t: t["assignee"] == "ivanov@corp.example")
    page = browser.page()
    try:
        page.set_viewport(390, 844, mobile=True)
        assert page.goto(tracking_url(ack)) == 200
        text = page.text()
        assert "Не работает VPN" in text and "SD-1" in text and "В работе" in text
        assert "Иван Иванов" in text and "переустановите клиент VPN" in text
        assert "ivanov@corp.example" not in page.html()
        # nothing wider than the phone: no horizontal scrolling
        assert page.eval("document.documentElement.scrollWidth <= window.innerWidth + 1") is True
        assert page.eval("document.scripts.length") == 0
    finally:
        page.close()


def test_comment_form_works_in_the_browser(desk: Center, browser: Browser) -> None:
    _, ack, _ = open_ticket(desk)
    page = browser.page()
    try:
        assert page.goto(tracking_url(ack)) == 200
        page.fill("textarea[name=text]", "Добавляю скриншот ошибки позже, пока — код 809.")
        assert page.submit("form[action$='/comment']") == 200
        assert page.url.endswith("?sent=1") and "комментарий принят" in page.text()
        wait_ticket(desk, lambda t: any(m["kind"] == "follow-up" for m in t["messages"]))
        assert page.goto(tracking_url(ack)) == 200
        assert "пока — код 809" in page.text()
    finally:
        page.close()


def test_hostile_subject_and_body_execute_nothing(desk: Center, browser: Browser) -> None:
    desk.send(mail(HOSTILE_SUBJECT, HOSTILE_BODY))
    (ack,) = wait_for(desk, lambda ms: [m for m in ms if REQUESTER in str(m["To"])])
    page = browser.page()
    try:
        assert page.goto(tracking_url(ack)) == 200
        assert page.dialogs == []
        text = page.text()
        assert '<script>alert("subject")</script>' in text  # shown as text, not run
        assert page.eval("document.scripts.length") == 0
        assert page.eval("document.querySelectorAll('img[onerror], svg, a[href^=\"javascript\"]').length") == 0
        assert page.eval("[...document.querySelectorAll('a')].every(a => !a.href.startsWith('javascript'))") is True
        for link in page.eval("[...document.querySelectorAll('a')].map(a => a.href)"):
            assert not link.lower().startswith("javascript")
        assert page.dialogs == []
    finally:
        page.close()


def test_rating_from_the_page(desk: Center, browser: Browser) -> None:
    _, ack, note = open_ticket(desk)
    send_to(desk, reply_to(note, "#resolve\n\nГотово."))
    wait_ticket(desk, lambda t: t["status"] == "resolved")
    page = browser.page()
    try:
        assert page.goto(tracking_url(ack)) == 200
        assert "Оцените, как мы справились" in page.text()
        assert page.click("#rating a:nth-child(5)") == 200
        assert "Ваша оценка: 5 из 5" in page.text()
        assert page.click("form button") == 200
        assert "Спасибо за оценку" in page.text() and "Вы поставили 5 из 5." in page.text()
        wait_ticket(desk, lambda t: any(e["kind"] == "rating" for e in t["events"]))
        assert page.goto(tracking_url(ack)) == 200
        assert page.eval("document.querySelector('#rating a.chosen').textContent") == "5"
    finally:
        page.close()


def test_unknown_token_is_a_plain_404(desk: Center, browser: Browser) -> None:
    page = browser.page()
    try:
        assert page.goto(f"http://127.0.0.1:{desk.web_port}/t/1-forged") == 404
        assert page.text().strip() == "404 Not Found"
    finally:
        page.close()
