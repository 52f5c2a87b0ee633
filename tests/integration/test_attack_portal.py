"""The portal attacked from outside, over real HTTP against a real daemon: what an attacker tried, and what
they saw. Each test is one hole that was found (and closed) in the portal, asserted as a visitor sees it.
"""

from __future__ import annotations

import base64
import http.cookiejar
import re
import sqlite3
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable, Iterator

import pytest

from desk import AGENTS, addressed, body_text, wait_for
from support import Center

ATTACKER = "mallory@corp.example"
VICTIM = "petr@corp.example"
OUTSIDER = "outsider@evil.example"
EXTRA = AGENTS + """
[[services]]
name = "laptop"
queue = "it"
title = "Новый ноутбук"
description = "Замена или выдача рабочего ноутбука."
"""


@pytest.fixture
def portal(make_center: Callable[..., Center]) -> Iterator[Center]:
    center = make_center(extra=EXTRA)
    center.start()
    yield center


class Browser:
    """A visitor's cookies and nothing else: no redirect is followed, every answer is seen as it comes."""

    def __init__(self, center: Center):
        self.base = f"http://127.0.0.1:{center.web_port}"
        self.jar = http.cookiejar.CookieJar()

        class Stay(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
                return None

        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), Stay)

    def request(self, method: str, path: str, data: bytes | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], str]:
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=headers or {})
        try:
            with self.opener.open(req, timeout=20) as r:
                return r.status, dict(r.headers), r.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:
            return exc.code, dict(exc.headers), exc.read().decode("utf-8", "replace")

    def get(self, path: str) -> tuple[int, dict[str, str], str]:
        return self.request("GET", path)

    def post(self, path: str, fields: dict[str, str]) -> tuple[int, dict[str, str], str]:
        return self.request("POST", path, urllib.parse.urlencode(fields).encode(),
                            {"Content-Type": "application/x-www-form-urlencoded"})

    def post_multipart(self, path: str, fields: dict[str, str], files: tuple[tuple[str, bytes], ...] = ()
                       ) -> tuple[int, dict[str, str], str]:
        boundary = uuid.uuid4().hex
        body = b"".join(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
                        for k, v in fields.items())
        body += b"".join(f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{name}"\r\n'
                         f"Content-Type: application/octet-stream\r\n\r\n".encode() + data + b"\r\n"
                         for name, data in files) + f"--{boundary}--\r\n".encode()
        return self.request("POST", path, body, {"Content-Type": f"multipart/form-data; boundary={boundary}"})

    def csrf(self, path: str) -> str:
        status, _, page = self.get(path)
        assert status == 200, (path, status)
        return re.search(r'name="csrf" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]

    def cookie(self, name: str) -> str | None:
        return next((c.value for c in self.jar if c.name == name), None)


def login_mails(center: Center, address: str) -> list[str]:
    return [body_text(m) for m in addressed(address)(center.outgoing()) if "/login/" in body_text(m)]


def link_path(center: Center, address: str, count: int = 1) -> str:
    mails = wait_for(center, lambda ms: [m for m in addressed(address)(ms) if "/login/" in body_text(m)], count)
    url = re.search(r"https?://\S+/login/\S+", body_text(mails[-1])).group(0)  # type: ignore[union-attr]
    return urllib.parse.urlsplit(url).path


def ask_link(center: Center, browser: Browser, address: str) -> tuple[int, str]:
    status, _, page = browser.post("/login", {"csrf": browser.csrf("/login"), "email": address})
    return status, page


def signed_in(center: Center, address: str) -> Browser:
    b = Browser(center)
    assert ask_link(center, b, address)[0] == 200
    path = link_path(center, address)
    status, headers, _ = b.post(path, {"csrf": b.csrf(path)})
    assert status == 303 and headers["Location"] == "/my"
    return b


def test_another_site_cannot_press_the_sign_in_button_for_a_visitor(portal: Center) -> None:
    """Login CSRF: the attacker asks a link for his own address, opens it, and copies the button's form into
    a page of his; a visitor's browser submitting it must not end up signed in as the attacker (whatever the
    visitor then files would be the attacker's to read)."""
    attacker = Browser(portal)
    ask_link(portal, attacker, ATTACKER)
    path = link_path(portal, ATTACKER)
    token = attacker.csrf(path)  # the button's hidden field, as the attacker's own page shows it

    for visitor in (Browser(portal), Browser(portal)):
        visitor.get("/kb")  # the second one has been on the portal before: it has its own cookie
        status, headers, _ = visitor.post(path, {"csrf": token})
        assert status == 403
        assert visitor.cookie("pd_session") is None and "pd_session" not in headers.get("Set-Cookie", "")
        assert visitor.get("/my")[0] == 303  # not signed in

    status, headers, _ = attacker.post(path, {"csrf": token})  # the link still works in the attacker's browser
    assert status == 303 and headers["Location"] == "/my"


def test_an_address_no_relay_takes_gets_a_plain_answer_the_same_for_every_domain(portal: Center) -> None:
    """A control character or a non-ASCII local part in the sign-in address made the mail composer raise: a
    500 for the center's domains, a calm 200 for others — a probe of who may sign in, and a server error."""
    b = Browser(portal)
    for local in ("a\x00b", "x\x7fy", "пётр", "a\x1bb"):
        answers = {ask_link(portal, b, f"{local}@{domain}")[0] for domain in ("corp.example", "other.example")}
        assert answers == {400}, (local, answers)
    assert "Traceback" not in portal.log.read_text()


def test_a_broken_form_body_is_a_plain_400_not_a_server_error(portal: Center) -> None:
    b = signed_in(portal, VICTIM)
    csrf = b.csrf("/new?service=laptop")
    bodies = [
        (b"--x\r\n", "multipart/form-data"),  # no boundary
        (b"garbage", "multipart/form-data; boundary=zz"),  # no starting boundary
        (b'--zz\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n' + csrf.encode(),
         "multipart/form-data; boundary=zz"),  # cut off
        (b'--zz\r\nContent-Disposition: form-data; name="files"; filename="a\x00b.txt"\r\n\r\nx\r\n--zz--\r\n',
         "multipart/form-data; boundary=zz"),  # a NUL in a part's header
    ]
    for path in ("/new", "/new/send"):
        for body, ctype in bodies:
            status, headers, page = b.request("POST", path, body, {"Content-Type": ctype})
            assert status in (400, 403), (path, body, status, page)
            assert "Content-Security-Policy" in headers and "Traceback" not in page
    assert "Traceback" not in portal.log.read_text()
    assert portal.tickets() == []


def test_a_subject_cannot_write_a_header_into_the_filed_mail(portal: Center) -> None:
    """The email package decodes an encoded word typed into the subject and writes the decoded line break
    as is: `=?utf-8?b?…?=` hiding `\\r\\nCc: outsider@evil.example` put a real Cc header into the composed
    mail, and the outsider became a participant of the ticket who hears every agent's reply."""
    b = signed_in(portal, VICTIM)
    hidden = base64.b64encode(f"Printer\r\nCc: {OUTSIDER}\r\nX-Evil: 1".encode()).decode()
    fields = {"csrf": b.csrf("/new?service=laptop"), "service": "laptop", "subject": f"=?utf-8?b?{hidden}?=",
              "description": "Нужен новый ноутбук."}
    status, headers, page = b.post_multipart("/new/send", fields)
    assert status == 303 and headers["Location"] == "/new/sent", page

    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not portal.tickets():
        time.sleep(0.1)
    (ticket,) = portal.tickets()
    shown = portal.ticket(ticket["ref"])
    assert [p["email"] for p in shown["participants"]] == [VICTIM]
    wait_for(portal, addressed(VICTIM), 2)  # the sign-in link and the acknowledgment
    assert addressed(OUTSIDER)(portal.outgoing()) == []
    with sqlite3.connect(portal.root / "var" / "postdesk.db") as db:
        (raw,) = db.execute("SELECT raw FROM inbound").fetchone()
    head = raw.split(b"\r\n\r\n", 1)[0]
    assert not re.search(rb"^(Cc|X-Evil):", head, re.M | re.I), head


def test_one_client_cannot_make_the_desk_mail_the_whole_domain(portal: Center) -> None:
    """Each address had its 5 sign-in mails an hour, but one client could ask for every address of the
    center's domains, existing or not: the desk as a mail cannon (and a bounce storm). The page still answers
    the same every time, so it tells nothing either."""
    b = Browser(portal)
    csrf = b.csrf("/login")
    answers = {b.post("/login", {"csrf": csrf, "email": f"user{i}@corp.example"})[2] for i in range(130)}
    assert len(answers) == 1  # the very same page every time
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and len([m for m in portal.outgoing() if "/login/" in body_text(m)]) < 120:
        time.sleep(0.2)
    time.sleep(1)
    assert len([m for m in portal.outgoing() if "/login/" in body_text(m)]) == 120


def test_a_form_of_empty_parts_does_not_stall_the_mail_intake(portal: Center) -> None:
    """The upload limits counted only what the parts held: 40,000 empty parts (2 MB, over the 1 MB mail limit)
    went through as nothing, and parsing them held the event loop the SMTP ingress shares for seconds — any
    signed-in employee could stall the center's mail intake."""
    import socket
    import threading

    b = signed_in(portal, VICTIM)
    csrf = b.csrf("/new?service=laptop")
    empty = b'--zz\r\nContent-Disposition: form-data; name="x"\r\n\r\n\r\n' * 40_000
    body = f'--zz\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n{csrf}\r\n'.encode() + empty + b"--zz--\r\n"
    answers: list[int] = []

    def post(path: str) -> None:
        try:
            answers.append(b.request("POST", path, body, {"Content-Type": "multipart/form-data; boundary=zz"})[0])
        except OSError:  # the server may answer and close before the whole body is sent
            answers.append(0)

    posts = [threading.Thread(target=post, args=(path,)) for path in ("/new", "/new/send", "/new/send")]
    for t in posts:
        t.start()
    time.sleep(0.3)
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", portal.smtp_port), timeout=30) as smtp:
        assert smtp.recv(100).startswith(b"220")
    assert time.monotonic() - started < 1.0
    for t in posts:
        t.join()
    assert all(a in (0, 413, 403) for a in answers), answers
    assert portal.tickets() == []


def test_no_sign_in_link_goes_to_a_plus_form_of_the_desks_own_addresses(portal: Center) -> None:
    """Our own addresses were refused only as written: `service+x@…`, `it+x@…` (signed reply and VERP forms)
    are in the center's domain, so the desk mailed a sign-in link to itself."""
    b = Browser(portal)
    ours = ("service+x@corp.example", "it+1-aaaa@corp.example", "service+bounces-1-aaaa@corp.example")
    for address in (*ours, VICTIM):
        assert ask_link(portal, b, address)[0] == 200
    wait_for(portal, addressed(VICTIM))
    time.sleep(1)
    assert [m for m in portal.outgoing() if any(a in str(m["To"]) for a in ours)] == []


def test_an_uploaded_name_cannot_hide_its_real_extension(portal: Center) -> None:
    """U+202E (right-to-left override) in a file name: `invoice<RLO>fdp.exe` reads as `invoiceexe.pdf` in the
    agents' notification and on the page; the name kept must show what the file is."""
    b = signed_in(portal, VICTIM)
    fields = {"csrf": b.csrf("/new?service=laptop"), "service": "laptop", "subject": "Счёт",
              "description": "Счёт во вложении."}
    files = (("invoice\u202efdp.exe", b"MZ"), ("\u200bscan\u2066.pdf", b"%PDF"))
    status, _, page = b.post_multipart("/new/send", fields, files)
    assert status == 303, page
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not portal.tickets():
        time.sleep(0.1)
    (ticket,) = portal.tickets()
    names = [a["filename"] for a in portal.ticket(ticket["ref"])["messages"][0]["attachments"]]
    assert names == ["invoice_fdp.exe", "_scan_.pdf"]
