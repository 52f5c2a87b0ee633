"""The self-service portal in a real headless Chromium, as an employee and a lead agent would use it.

Screenshots of every page at phone and desktop width go to test-screenshots/portal/ (gitignored) for a
person to look at.
"""

from __future__ import annotations

import json
import re
import sqlite3
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

from browser import Browser, Page
from desk import AGENTS, REQUESTER, addressed, body_text, open_ticket, reply_to, send_to, wait_for, wait_ticket
from support import Center, mail

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "test-screenshots" / "portal"
EXTRA = AGENTS + f'''
[knowledge]
dir = "{ROOT / 'examples' / 'kb'}"

[news]
dir = "{ROOT / 'examples' / 'news'}"

[[digests]]
name = "weekly"
schedule = "mon 09:00"
audience = "all-known"

[web_extra]
'''.replace("[web_extra]\n", "") + '''
[[services]]
name = "ndfl"
queue = "buh"
title = "Справка 2-НДФЛ"
description = "Справка о доходах для банка, визы или налогового вычета."
fields = [
  { name = "period", label = "Период", type = "choice", choices = ["2025", "2026"], required = true },
  { name = "copies", label = "Количество экземпляров", type = "text", required = true },
  { name = "by", label = "Нужна к", type = "date" },
]

[[services]]
name = "laptop"
queue = "it"
title = "Новый ноутбук"
description = "Замена или выдача рабочего ноутбука."
'''
SERVICE_EXTRA = ""
MAX_FILE = 100_000
OTHER = "anna@corp.example"
LEAD = "petrova@corp.example"
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert("img")>'


@pytest.fixture
def portal(make_center: Callable[..., Center]) -> Iterator[Center]:
    center = make_center(extra=EXTRA)
    text = center.config.read_text(encoding="utf-8")
    center.config.write_text(text.replace('[web]\n', f'[web]\nmax_file_size = {MAX_FILE}\n', 1), encoding="utf-8")
    center.start()
    yield center


def base(center: Center) -> str:
    return f"http://127.0.0.1:{center.web_port}"


def shoot(page: Page, name: str) -> None:
    """The page as it is now at phone and desktop width, whole length; the phone must not scroll sideways."""
    for label, width, height, mobile in (("phone", 390, 844, True), ("desktop", 1280, 900, False)):
        page.set_viewport(width, height, mobile=mobile)
        page.screenshot(SHOTS / f"{name}-{label}.png", full_page=True)
        assert page.eval("document.documentElement.scrollWidth <= window.innerWidth + 1") is True, (name, label)
    assert page.eval("document.scripts.length") == 0 and page.dialogs == [] and page.csp_violations == []


def login_link(center: Center, address: str, count: int = 1) -> str:
    mails = wait_for(center, lambda ms: [m for m in addressed(address)(ms) if "/login/" in body_text(m)], count)
    return re.search(r"https?://\S+/login/\S+", body_text(mails[-1])).group(0)  # type: ignore[union-attr]


def russian(browser: Browser) -> Page:
    """A tab of a browser set to Russian, like the employees' own."""
    page = browser.page()
    page.set_accept_language("ru-RU,ru;q=0.9,en;q=0.5")
    return page


def sign_in(center: Center, page: Page, address: str = REQUESTER, count: int = 1, shots: bool = False) -> None:
    assert page.goto(f"{base(center)}/login") == 200
    if shots:
        shoot(page, "login")
    page.fill("#email", address)
    assert page.submit("form[action='/login']") == 200
    assert "Проверьте почту" in page.text()
    link = login_link(center, address, count)
    assert page.goto(link) == 200
    if shots:
        shoot(page, "login-confirm")
    assert page.click("main form button") == 200
    assert page.url.endswith("/my")


def ticket_json(center: Center, ref: str) -> dict:  # type: ignore[type-arg]
    return json.loads(center.cli("tickets", "show", ref, "--json").stdout)


def test_an_employee_signs_in_files_a_request_and_rates_it(portal: Center, browser: Browser,
                                                           tmp_path: Path) -> None:
    open_ticket(portal)  # SD-1, by mail, before the portal
    page = russian(browser)
    try:
        sign_in(portal, page, shots=True)
        text = page.text()
        assert "SD-1" in text and "Не работает VPN" in text and "Новая" in text
        shoot(page, "my")

        # the catalog, a service with declared fields, and "before you send"
        assert page.goto(f"{base(portal)}/new") == 200
        assert "Справка 2-НДФЛ" in page.text() and "Бухгалтерия" in page.text()
        shoot(page, "new-catalog")
        assert page.click("a[href='/new?service=ndfl']") == 200
        page.fill("#subject", "Справка 2-НДФЛ для банка")
        page.fill("#f_period", "2026")
        page.fill("#f_copies", "2 экземпляра")
        page.fill("#f_by", "2026-12-20")
        page.fill("#description", "Нужна справка о доходах для ипотеки, забрать в офисе.")
        shoot(page, "new-form")
        assert page.submit("form[action='/new']") == 200
        assert "Перед отправкой" in page.text() and "2 экземпляра" in page.text()
        scan = tmp_path / "паспорт скан.pdf"
        scan.write_bytes(b"%PDF-1.4\n" + b"x" * 2000)
        page.set_files("#files", [scan])
        shoot(page, "new-review")
        assert page.submit("form[action='/new/send']") == 200
        assert page.url.endswith("/new/sent") and "Заявка отправлена" in page.text()
        shoot(page, "new-sent")

        # the acknowledgment comes by mail, like for any mail
        ack = wait_for(portal, lambda ms: [m for m in addressed(REQUESTER)(ms) if "[SD-2]" in str(m["Subject"])])[0]
        assert "Справка 2-НДФЛ для банка" in str(ack["Subject"])
        t = wait_ticket(portal, lambda t: t["status"] == "new", ref="SD-2")
        assert t["queue"] == "buh"
        request = t["messages"][0]
        assert "--- Справка 2-НДФЛ ---" in request["text"] and "Количество экземпляров: 2 экземпляра" in request["text"]
        assert [a["filename"] for a in request["attachments"]] == ["паспорт скан.pdf"]

        # under my requests, opening its page; resolved by an agent, then rated
        assert page.goto(f"{base(portal)}/my") == 200
        assert "SD-2" in page.text() and "Справка 2-НДФЛ для банка" in page.text()
        assert page.click("a[href='/my/2']") == 200
        assert "/t/2-" in page.url and "Количество экземпляров" in page.text() and "паспорт скан.pdf" in page.text()
        shoot(page, "ticket")
    finally:
        page.close()


def test_rating_a_resolved_request_from_my_requests(portal: Center, browser: Browser) -> None:
    _, _, note = open_ticket(portal)
    send_to(portal, reply_to(note, "#resolve\n\nПереустановили клиент, всё работает."))
    wait_ticket(portal, lambda t: t["status"] == "resolved")
    page = russian(browser)
    try:
        sign_in(portal, page)
        assert page.goto(f"{base(portal)}/my?state=closed") == 200
        assert "Решена" in page.text()
        assert page.click("a[href='/my/1']") == 200
        assert page.click("#rating a:nth-child(4)") == 200
        assert page.click("form button") == 200
        assert "Спасибо за оценку" in page.text()
        wait_ticket(portal, lambda t: any(e["kind"] == "rating" for e in t["events"]))
    finally:
        page.close()


def test_knowledge_base_search_and_did_not_help(portal: Center, browser: Browser) -> None:
    page = russian(browser)
    try:
        assert page.goto(f"{base(portal)}/kb") == 200
        shoot(page, "kb")
        page.fill("#q", "не подключается впн ошибка 809")
        assert page.submit("form[role=search]") == 200
        first = page.eval("document.querySelector('main .list a').textContent")
        assert "VPN" in first
        shoot(page, "kb-search")
        assert page.click("main .list a") == 200
        shoot(page, "kb-article")
        assert page.click("a.button[href^='/new']") == 200  # not signed in: the sign-in page first
        assert page.url.endswith("/login")
        sign_in(portal, page)
        assert page.goto(f"{base(portal)}/kb/vpn-ne-podklyuchaetsya") == 200
        assert page.click("a.button[href^='/new']") == 200
        assert page.eval("document.querySelector('#queue').value") == "it"
        # English after the switch, and kept
        assert page.goto(f"{base(portal)}/kb?lang=en") == 200
        assert "Knowledge base" in page.text()
        assert page.goto(f"{base(portal)}/kb") == 200 and "Search the knowledge base" in page.text()
        shoot(page, "kb-en")
    finally:
        page.close()


@pytest.mark.both_backends
def test_news_and_switching_a_digest(portal: Center, browser: Browser) -> None:
    open_ticket(portal)
    page = russian(browser)
    try:
        assert page.goto(f"{base(portal)}/news") == 200
        assert "Новый VPN-клиент с 1 декабря" in page.text() and "Переезд бухгалтерии на 5 этаж" in page.text()
        assert page.click("a[href='/news?queue=buh']") == 200
        assert "Переезд бухгалтерии на 5 этаж" in page.text() and "VPN" not in page.text()
        assert "Рассылки" not in page.text()  # switches only when signed in
        assert page.click("main .list a") == 200
        shoot(page, "news-item")
        sign_in(portal, page)
        assert page.goto(f"{base(portal)}/news") == 200
        shoot(page, "news")
        assert "Рассылка «weekly»: включена" in page.text()
        before = portal.cli("digest", "run", "weekly", "--dry-run").stdout
        assert "would send: 1" in before, before
        assert page.click("form.switch:nth-of-type(2) button") == 200
        assert "Рассылка «weekly»: выключена" in page.text()
        after = portal.cli("digest", "run", "weekly", "--dry-run").stdout
        assert "switched off: 1" in after and "would send" not in after, after
        assert page.click("form.switch:nth-of-type(2) button") == 200  # on again
        assert page.click("form.switch:nth-of-type(1) button") == 200  # all news off: the mailed link's switch
        assert "Рассылка новостей по почте: выключена" in page.text()
        assert "would send" not in portal.cli("digest", "run", "weekly", "--dry-run").stdout
    finally:
        page.close()


@pytest.mark.both_backends
def test_lead_agent_sees_the_desk_and_an_employee_does_not(portal: Center, browser: Browser) -> None:
    open_ticket(portal)
    portal.send(mail("Нужен пропуск для гостя", "Гость придёт завтра в 10:00.", sender="Анна <anna@corp.example>"))
    wait_ticket(portal, lambda t: True, ref="SD-2")
    page = russian(browser)
    try:
        sign_in(portal, page, LEAD)
        assert page.goto(f"{base(portal)}/desk") == 200
        text = page.text()
        assert "Пульт руководителя" in text and "Не работает VPN" in text and "ИТ-поддержка" in text
        assert page.eval("document.querySelectorAll('svg.chart').length") == 3
        shoot(page, "desk")
    finally:
        page.close()
    page = russian(browser)
    try:
        sign_in(portal, page)
        assert page.goto(f"{base(portal)}/desk") == 404
        assert "Пульт" not in page.text()
    finally:
        page.close()


# -- the refusals: each a plain page, nothing changed

class Client:
    """An HTTP client with its own cookies, for posts a browser's page would never make."""

    def __init__(self, center: Center):
        self.center = center
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def request(self, path: str, data: bytes | None = None, headers: dict[str, str] | None = None
                ) -> tuple[int, str]:
        req = urllib.request.Request(base(self.center) + path, data=data, headers=headers or {})
        try:
            with self.opener.open(req, timeout=10) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()

    def post(self, path: str, fields: dict[str, str]) -> tuple[int, str]:
        return self.request(path, urllib.parse.urlencode(fields).encode())

    def multipart(self, path: str, fields: dict[str, str], files: list[tuple[str, bytes]]) -> tuple[int, str]:
        parts = [f'--B\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
                 for k, v in fields.items()]
        parts += [f'--B\r\nContent-Disposition: form-data; name="files"; filename="{n}"\r\n'
                  f'Content-Type: application/octet-stream\r\n\r\n'.encode() + d + b"\r\n" for n, d in files]
        return self.request(path, b"".join(parts) + b"--B--\r\n",
                            {"Content-Type": "multipart/form-data; boundary=B"})

    def signed_in(self) -> bool:
        status, page = self.request("/my")
        return status == 200 and "<h1>Мои заявки</h1>" in page

    @staticmethod
    def csrf(page: str) -> str:
        return re.search(r'name="csrf" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]

    def sign_in(self, address: str = REQUESTER, count: int = 1) -> str:
        self.post("/login", {"csrf": self.csrf(self.request("/login")[1]), "email": address})
        link = login_link(self.center, address, count).removeprefix(base(self.center))
        status, page = self.request(link)
        assert status == 200, page
        status, page = self.post(link, {"csrf": self.csrf(page)})
        assert status == 200 and "Мои заявки" in page, page
        return link


def form_of(client: Client) -> dict[str, str]:
    return {"csrf": Client.csrf(client.request("/my")[1]), "service": "laptop", "subject": "Ноутбук",
            "description": "Нужен новый."}


def inbound_count(center: Center) -> int:
    return sum(json.loads(center.cli("status", "--json").stdout)["inbound"].values())


def test_used_and_expired_links_forged_cookie_and_missing_csrf_are_refused(portal: Center, browser: Browser) -> None:
    client = Client(portal)
    link = client.sign_in()
    # the same link again: a plain page, no second session
    again = Client(portal)
    status, page = again.request(link)
    assert status == 410 and "недействительна" in page
    status, page = again.post(link, {"csrf": "x"})
    assert status == 403
    assert not again.signed_in()
    # an expired link
    again.post("/login", {"csrf": Client.csrf(again.request("/login")[1]), "email": REQUESTER})
    link2 = login_link(portal, REQUESTER, 2).removeprefix(base(portal))
    with sqlite3.connect(portal.root / "var" / "postdesk.db") as db:
        db.execute("UPDATE portal_logins SET expires_at = ? WHERE used_at IS NULL",
                   ((datetime.now(UTC) - timedelta(minutes=1)).replace(tzinfo=None).isoformat(" "),))
    status, page = again.request(link2)
    assert status == 410
    assert again.post(link2, {"csrf": Client.csrf(again.request("/login")[1])})[0] == 403
    # a forged session cookie: signed out, and the desk is not there
    page_ = russian(browser)
    try:
        page_.set_cookie("pd_session", "A" * 43, base(portal))
        assert page_.goto(f"{base(portal)}/my") == 200 and page_.url.endswith("/login")
        assert page_.goto(f"{base(portal)}/new") == 200 and page_.url.endswith("/login")
        shoot(page_, "forged-cookie")
    finally:
        page_.close()
    # posts without a CSRF token, or with another browser's, change nothing
    inbound = inbound_count(portal)
    form = {"service": "laptop", "subject": "Ноутбук", "description": "Нужен новый."}
    assert client.post("/new", form)[0] == 403
    assert client.multipart("/new", form, [])[0] == 403
    assert client.multipart("/new/send", {**form, "csrf": "forged"}, [])[0] == 403
    assert client.multipart("/new/send", {**form, "csrf": Client.csrf(again.request("/login")[1])}, [])[0] == 403
    assert client.post("/subscription", {"digest": "*", "on": "0"})[0] == 403
    assert client.post("/logout", {})[0] == 403
    assert inbound_count(portal) == inbound
    assert client.signed_in()  # the logout without a token did nothing
    status, page = client.post("/logout", {"csrf": Client.csrf(client.request("/my")[1])})
    assert status == 200 and "Вы вышли" in page
    assert not client.signed_in()
    # an admin revokes every session of an address at once
    first, second = Client(portal), Client(portal)
    first.sign_in(count=3)
    second.sign_in(count=4)
    assert "ended 2 portal session(s) of petr@corp.example" in portal.cli("sessions", "revoke", REQUESTER).stdout
    assert not first.signed_in() and not second.signed_in()


@pytest.mark.both_backends
def test_another_employees_ticket_oversized_upload_and_a_path_in_a_file_name(portal: Center) -> None:
    portal.send(mail("Пропуск для гостя", "Гость придёт завтра.", sender=f"Анна <{OTHER}>"))
    wait_ticket(portal, lambda t: True, ref="SD-1")
    client = Client(portal)
    client.sign_in()
    status, page = client.request("/my/1")
    assert status == 404 and "Пропуск" not in page
    assert "Пропуск" not in client.request("/my?state=all")[1]
    # a long Cyrillic description fits step one (percent-encoded it would pass the web app's body limit)
    status, page = client.multipart("/new", {**form_of(client), "description": "Жалоба " * 2500}, [])
    assert status == 200 and "Перед отправкой" in page
    # an upload over the per-file limit: a plain page, nothing stored
    inbound = inbound_count(portal)
    csrf = Client.csrf(client.request("/my")[1])
    form = {"csrf": csrf, "service": "laptop", "subject": "Ноутбук", "description": "Нужен новый."}
    status, page = client.multipart("/new/send", form, [("big.bin", b"x" * (MAX_FILE + 1))])
    assert status == 413 and "Слишком большой файл" in page
    assert inbound_count(portal) == inbound
    # a path in the name: only its last part is kept
    status, page = client.multipart("/new/send", form, [("../../etc/passwd", b"root:x:0:0")])
    assert status == 200 and "Заявка отправлена" in page
    t = wait_ticket(portal, lambda t: True, ref="SD-2")
    assert [a["filename"] for a in t["messages"][0]["attachments"]] == ["passwd"]
    # a ticket the employee was copied on is theirs to see too, marked so
    portal.send(mail("Совещание по бюджету", "Нужна переговорная.", sender=f"Анна <{OTHER}>", cc=REQUESTER))
    wait_ticket(portal, lambda t: True, ref="SD-3")
    status, page = client.request("/my")
    assert "Совещание по бюджету" in page and "вы участник" in page and "Пропуск" not in page
    status, page = client.request("/my/3")
    assert status == 200 and "Совещание по бюджету" in page and "Нужна переговорная" in page


def test_hostile_html_in_subject_and_field_is_shown_as_text(portal: Center, browser: Browser) -> None:
    page = russian(browser)
    try:
        sign_in(portal, page)
        assert page.goto(f"{base(portal)}/new?service=ndfl") == 200
        page.fill("#subject", HOSTILE)
        page.fill("#f_period", "2025")
        page.fill("#f_copies", HOSTILE)
        page.fill("#description", HOSTILE)
        assert page.submit("form[action='/new']") == 200
        assert page.text().count('<script>alert("x")</script>') >= 3
        assert page.submit("form[action='/new/send']") == 200
        wait_ticket(portal, lambda t: True, ref="SD-1")
        assert page.goto(f"{base(portal)}/my") == 200
        assert '<script>alert("x")</script>' in page.text()
        shoot(page, "hostile-my")
        assert page.click("a[href='/my/1']") == 200
        assert 'Количество экземпляров: <script>alert("x")</script>' in page.text()
        assert page.eval("document.querySelectorAll('img[onerror], script').length") == 0
        assert page.dialogs == [] and page.csp_violations == []
    finally:
        page.close()
