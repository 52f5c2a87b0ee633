"""`postdesk run` as a user runs it: mail in over real SMTP, acknowledgment out in the maildir, page over HTTP."""

from __future__ import annotations

import contextlib
import re
import signal
import smtplib
import socket
import subprocess
import time
from pathlib import Path

import pytest

from support import POSTDESK, Center, mail, text_of

LINK = re.compile(r"http://127\.0\.0\.1:\d+/t/[\w-]+")


@pytest.mark.both_backends
def test_acknowledgment_and_tracking_page(running: Center) -> None:
    running.send(mail("Не работает VPN", "Добрый день!\nС утра не работает VPN, ошибка 809.\n\nПётр",
                      message_id="<vpn-1@corp.example>"))
    (ack,) = running.wait_outgoing(1, timeout=5)  # at once: how fast exactly is bench/latency.py's business
    assert ack["Subject"] == "Re: Не работает VPN [SD-1]"
    assert ack["To"].addresses[0].addr_spec == "petr@corp.example"
    assert ack["From"].addresses[0].addr_spec == "service@corp.example"
    assert ack["Auto-Submitted"] == "auto-replied"
    assert ack["In-Reply-To"] == "<vpn-1@corp.example>"
    assert "<vpn-1@corp.example>" in ack["References"]
    assert ack["Message-ID"] and ack["Message-ID"] != "<vpn-1@corp.example>"
    assert ack.get_body(("html",)) is not None
    body = text_of(ack)
    assert "Мы получили ваше обращение" in body
    assert "SD-1" in body and "ИТ-поддержка" in body  # the outage rule sends it to IT
    link = LINK.search(body)
    assert link, body

    status, page = running.get(link.group(0))
    assert status == 200
    assert "Не работает VPN" in page and "SD-1" in page and "Новая" in page
    assert "ошибка 809" in page

    forged = link.group(0)[:-3] + ("xyz" if not link.group(0).endswith("xyz") else "abc")
    assert running.get(forged)[0] == 404
    assert running.get(f"http://127.0.0.1:{running.web_port}/t/1")[0] == 404
    status, text = running.get(f"http://127.0.0.1:{running.web_port}/t/../../etc/passwd")
    assert status == 404 and "Traceback" not in text


def test_english_mail_gets_english_reply_and_page(running: Center) -> None:
    running.send(mail("Printer on 3rd floor jams", "Hi,\nthe printer near room 301 jams on every page.\n\nAnna",
                      sender="Anna Smith <anna@corp.example>"))
    (ack,) = running.wait_outgoing(1)
    body = text_of(ack)
    assert ack["Subject"] == "Re: Printer on 3rd floor jams [SD-1]"
    assert "We have received your message" in body and "Общие вопросы" in body
    status, page = running.get(LINK.search(body).group(0))  # type: ignore[union-attr]
    assert status == 200 and "Track" not in page and "Conversation" in page and "jams on every page" in page


def test_page_escapes_what_the_requester_wrote(running: Center) -> None:
    running.send(mail("<script>alert(1)</script>", "<img src=x onerror=alert(2)> hello"))
    (ack,) = running.wait_outgoing(1)
    _, page = running.get(LINK.search(text_of(ack)).group(0))  # type: ignore[union-attr]
    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page
    assert "<img src=x" not in page


def test_unknown_recipient_is_refused_at_rcpt(running: Center) -> None:
    with smtplib.SMTP("127.0.0.1", running.smtp_port) as s:
        s.ehlo()
        code, _ = s.mail("petr@corp.example")
        assert code == 250
        code, _ = s.rcpt("someone@elsewhere.example")
        assert code == 550
        assert s.rcpt("IT@corp.example")[0] == 250  # case does not matter
        assert s.rcpt("service+abc123@corp.example")[0] == 250  # plus-addresses of ours are ours


def test_too_large_mail_is_refused(running: Center) -> None:
    big = mail("Big", "x" * 1_200_000)
    with pytest.raises(smtplib.SMTPException):
        running.send(big)
    assert running.tickets() == []


@pytest.mark.both_backends
def test_follow_up_from_requester_joins_ticket_stranger_opens_new(running: Center) -> None:
    running.send(mail("Нужен новый ноутбук", "Прошу выдать ноутбук.", message_id="<laptop@corp.example>"))
    (ack,) = running.wait_outgoing(1)
    running.send(mail("Re: Нужен новый ноутбук [SD-1]", "Модель любая, лишь бы 16 ГБ памяти.",
                      headers={"In-Reply-To": ack["Message-ID"]}))
    running.send(mail("Re: Нужен новый ноутбук [SD-1]", "Я тоже хочу ноутбук!",
                      sender="Чужой <stranger@corp.example>"))
    running.wait_outgoing(2)  # the stranger's mail is a new request and gets its own acknowledgment
    time.sleep(0.5)
    tickets = {t["ref"]: t for t in running.tickets()}
    assert set(tickets) == {"SD-1", "SD-2"}
    assert tickets["SD-1"]["messages"] == 2
    assert tickets["SD-2"]["requester"] == "stranger@corp.example"
    sd2 = running.ticket("SD-2")
    assert any(e["kind"] == "mentions" and e["detail"]["ticket"] == "SD-1" for e in sd2["events"])
    assert len(running.outgoing()) == 2  # no acknowledgment for a follow-up


def test_reply_to_resolved_ticket_reopens_it(center: Center) -> None:
    center.start()
    center.send(mail("Пароль", "Сбросьте пароль, пожалуйста."))
    center.wait_outgoing(1)
    center.stop()
    import sqlite3

    with sqlite3.connect(center.root / "var" / "postdesk.db") as db:
        db.execute("UPDATE tickets SET status='resolved'")
    center.start()
    center.send(mail("Re: Пароль [SD-1]", "Пароль всё ещё не подходит."))
    deadline = time.monotonic() + 5
    while center.tickets()[0]["status"] != "open" and time.monotonic() < deadline:
        time.sleep(0.1)
    assert center.tickets()[0]["status"] == "open"
    assert len(center.tickets()) == 1


def test_automatic_mail_gets_no_reply_and_no_ticket(running: Center) -> None:
    running.send(mail("Автоматический ответ: Не работает VPN", "Я в отпуске до 10 декабря.",
                      headers={"Auto-Submitted": "auto-replied"}))
    running.send(mail("Weekly digest", "News", sender="news@lists.example",
                      headers={"List-Id": "<news.lists.example>", "Precedence": "list"}))
    running.send(mail("Hello", "loop", sender="service@corp.example"))
    running.send(mail("Обычное письмо", "Не печатает принтер."))
    running.wait_outgoing(1)
    time.sleep(0.7)
    assert len(running.outgoing()) == 1
    assert [t["subject"] for t in running.tickets()] == ["Обычное письмо"]


def test_auto_replies_per_sender_are_limited(running: Center) -> None:
    for i in range(7):
        running.send(mail(f"Вопрос {i}", "Текст"))
    deadline = time.monotonic() + 5
    while len(running.tickets()) < 7 and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(0.5)
    assert len(running.tickets()) == 7  # every request is recorded...
    assert len(running.outgoing()) == 5  # ...but one sender gets at most 5 acknowledgments an hour


def test_same_mail_to_two_departments_is_two_linked_tickets(running: Center) -> None:
    m = mail("Выход нового сотрудника", "Нужны учётная запись и приказ о приёме.", to="it@corp.example",
             cc="hr@corp.example")
    running.send(m)
    running.wait_outgoing(1)
    deadline = time.monotonic() + 5
    while len(running.tickets()) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    tickets = sorted(running.tickets(), key=lambda t: t["ref"])
    assert sorted(t["queue"] for t in tickets) == ["hr", "it"]
    linked = running.ticket(tickets[1]["ref"])
    assert any(e["kind"] == "linked" and e["detail"]["ticket"] == tickets[0]["ref"] for e in linked["events"])
    # the same mail again (an MTA retry) changes nothing
    running.send(m)
    time.sleep(1.2)
    assert len(running.tickets()) == 2


def test_duplicate_message_id_is_not_processed_twice(running: Center) -> None:
    m = mail("Гостевой пропуск", "Нужен пропуск для гостя на пятницу.", message_id="<guest@corp.example>")
    running.send(m)
    running.wait_outgoing(1)
    running.send(m)
    time.sleep(1.2)
    assert len(running.tickets()) == 1
    assert len(running.outgoing()) == 1


@pytest.mark.both_backends
def test_mail_without_sender_is_quarantined_and_can_be_retried(running: Center) -> None:
    raw = b"To: service@corp.example\r\nSubject: no from\r\nMessage-ID: <nofrom@x>\r\n\r\nbody\r\n"
    running.send(raw, sender="")
    deadline = time.monotonic() + 5
    while "no sender" not in running.cli("quarantine", "list").stdout and time.monotonic() < deadline:
        time.sleep(0.1)
    listing = running.cli("quarantine", "list").stdout
    assert "no sender address" in listing
    inbound_id = listing.split()[0]
    shown = running.cli("quarantine", "show", inbound_id).stdout
    assert "stage:      classify" in shown
    assert running.cli("quarantine", "show", "--raw", inbound_id).stdout.startswith("To: service@corp.example")
    assert "queued again" in running.cli("quarantine", "retry", inbound_id).stdout
    assert running.tickets() == []


def test_sigterm_stops_cleanly_and_sighup_keeps_a_good_config(center: Center) -> None:
    center.start()
    assert center.proc is not None
    good = center.config.read_text()
    center.config.write_text(good.replace('default_queue = "general"', 'default_queue = "nope"'))
    center.proc.send_signal(signal.SIGHUP)
    time.sleep(0.5)
    assert center.proc.poll() is None
    center.send(mail("После неудачной перезагрузки", "Текст"))
    center.wait_outgoing(1)
    log = center.log.read_text()
    assert "reload refused" in log and 'routing.default_queue: unknown queue "nope"' in log
    center.config.write_text(good.replace('name = "Общий центр обслуживания"', 'name = "Центр услуг"'))
    center.proc.send_signal(signal.SIGHUP)
    time.sleep(0.5)
    center.send(mail("После удачной перезагрузки", "Текст"))
    acks = center.wait_outgoing(2)
    assert "Центр услуг" in text_of(acks[1])
    assert center.stop(signal.SIGTERM) == 0
    assert "stopped" in center.log.read_text()


def test_ingest_only_stores_unless_asked_to_process(center: Center) -> None:
    """Piped by the MTA, ingest stores and leaves the rest to the daemon; --process does it all here."""
    raw = mail("Расчётный листок", "Пришлите, пожалуйста, расчётный листок за октябрь.").as_bytes()
    stored = center.cli("ingest", "--recipient", "service@corp.example", "-", input=mail("Справка", "Нужна").as_bytes())
    assert stored.stdout.strip() == "inbound 1: stored" and not center.tickets() and not center.outgoing()
    res = center.cli("ingest", "--process", "--recipient", "service@corp.example", "-", input=raw)
    assert "inbound 2: new ticket SD-1" in res.stdout
    (ack,) = center.outgoing()
    assert ack["Subject"] == "Re: Расчётный листок [SD-1]"
    again = center.cli("ingest", "-", input=raw)
    assert "already stored" in again.stdout
    assert len(center.tickets()) == 1


def test_daemon_picks_up_rows_written_by_ingest(running: Center) -> None:
    raw = mail("Командировка", "Оформите командировку в Казань.").as_bytes()
    running.cli("ingest", "-", input=raw)
    stored = time.monotonic()  # the pickup is timed, not the CLI's own start (slow on a busy machine)
    running.wait_outgoing(1, timeout=5)
    assert time.monotonic() - stored < 4


def test_ingest_cannot_store_exits_tempfail(center: Center) -> None:
    text = center.config.read_text().replace('[smtp_in]', '[database]\nurl = "sqlite:////proc/postdesk/x.db"\n\n'
                                             '[smtp_in]')
    center.config.write_text(text)
    res = center.cli("ingest", "-", input=mail("x", "y").as_bytes(), check=False)
    assert res.returncode == 75
    assert "try again later" in res.stderr and "Traceback" not in res.stderr


def test_broken_config_names_every_key(center: Center) -> None:
    text = center.config.read_text()
    text = text.replace('set = { queue = "hr", category = "vacation"', 'set = { queue = "hrr", category = "vacation"')
    text = text.replace('max_message_size = "1MB"', 'max_message_size = "lots"')
    text = text.replace(f'secret = "{center.config.read_text().split("secret = ")[1].split(chr(10))[0][1:-1]}"',
                        'secret = "env:POSTDESK_TEST_NO_SUCH_VAR"')
    center.config.write_text(text)
    res = center.cli("check-config", check=False)
    assert res.returncode == 2
    assert 'rules[0].set.queue: unknown queue "hrr"' in res.stderr
    assert "smtp_in.max_message_size: not a size" in res.stderr
    assert "service.secret: environment variable POSTDESK_TEST_NO_SUCH_VAR is not set" in res.stderr
    assert "Traceback" not in res.stderr
    run = center.cli("run", check=False)
    assert run.returncode == 2 and "rules[0].set.queue" in run.stderr


def test_route_test_explains_the_decision(center: Center) -> None:
    path = center.root / "m.eml"
    path.write_bytes(mail("Заявление на отпуск", "Прошу предоставить отпуск с 1 декабря.",
                          to="hr@corp.example").as_bytes())
    out = center.cli("route-test", str(path)).stdout
    assert "rule:     vacation" in out and "queue:    hr" in out
    import json

    j = json.loads(center.cli("route-test", "--json", str(path)).stdout)
    assert (j["queue"], j["category"], j["priority"], j["rule"], j["language"]) == (
        "hr", "vacation", "normal", "vacation", "ru")
    assert j["auto"] is None and j["ticket_ref"] is None and "отпуск" in j["text"]
    assert center.tickets() == []


def test_lmtp_ingress_answers_per_recipient(center: Center) -> None:
    center.config.write_text(center.config.read_text().replace('[smtp_in]\n', '[smtp_in]\nprotocol = "lmtp"\n'))
    center.start()
    # smtplib's LMTP client reads one reply after DATA; LMTP has one per recipient, so talk by hand
    body = mail("Новый сотрудник", "Нужен доступ и приказ.").as_bytes().replace(b"\n", b"\r\n")
    with socket.create_connection(("127.0.0.1", center.smtp_port), timeout=10) as sock:
        f = sock.makefile("rwb")

        def say(line: bytes) -> None:
            f.write(line + b"\r\n")
            f.flush()

        def reply() -> bytes:
            lines = [f.readline()]
            while lines[-1][3:4] == b"-":
                lines.append(f.readline())
            return lines[-1]

        assert reply().startswith(b"220")
        say(b"LHLO test")
        assert reply().startswith(b"250")
        say(b"MAIL FROM:<petr@corp.example>")
        assert reply().startswith(b"250")
        for rcpt in (b"it@corp.example", b"hr@corp.example"):
            say(b"RCPT TO:<" + rcpt + b">")
            assert reply().startswith(b"250")
        say(b"DATA")
        assert reply().startswith(b"354")
        f.write(body + b"\r\n.\r\n")
        f.flush()
        assert [reply()[:3], reply()[:3]] == [b"250", b"250"]  # one answer per recipient
        say(b"QUIT")
        assert reply().startswith(b"221")
    center.wait_outgoing(2)
    assert sorted(t["queue"] for t in center.tickets()) == ["hr", "it"]


def test_lines_longer_than_rfc5321_are_still_taken(running: Center) -> None:
    body = ("<p>" + "Очень длинная строка из HTML-редактора без переносов. " * 60 + "</p>").encode()
    raw = (b"From: petr@corp.example\r\nTo: service@corp.example\r\nSubject: Long line\r\n"
           b"Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + body + b"\r\n")
    assert len(body) > 3000
    running.send(raw)
    running.wait_outgoing(1)
    assert running.tickets()[0]["subject"] == "Long line"


def test_an_outdated_database_is_refused_until_db_upgrade(center: Center) -> None:
    import sqlite3
    from pathlib import Path

    schema = Path(__file__).resolve().parents[1] / "data" / "release1-schema.sql"
    (center.root / "var").mkdir(exist_ok=True)
    with sqlite3.connect(center.root / "var" / "postdesk.db") as con:
        con.executescript(schema.read_text())
    refused = subprocess.run([POSTDESK, "--config", str(center.config), "run"], capture_output=True, text=True,
                             timeout=60)
    assert refused.returncode == 2 and "run `postdesk db upgrade`" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert "upgraded from version 0001 to" in center.cli("db", "upgrade").stdout
    assert "already at version" in center.cli("db", "upgrade").stdout
    center.start()
    center.send(mail("После обновления", "Текст"))
    center.wait_outgoing(1)


def test_a_taken_port_is_a_clear_refusal_and_leaves_no_process(center: Center) -> None:
    taken = socket.socket()
    taken.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    taken.bind(("127.0.0.1", center.web_port))
    taken.listen()
    try:
        center.launch()
        assert center.proc is not None
        kids: set[int] = set()
        deadline = time.monotonic() + 20
        while center.proc.poll() is None and time.monotonic() < deadline:
            for task in Path(f"/proc/{center.proc.pid}/task").glob("*"):
                with contextlib.suppress(OSError):
                    kids.update(int(k) for k in (task / "children").read_text().split())
            time.sleep(0.01)
        assert center.proc.returncode == 1
        log = center.log.read_text()
        assert "cannot start:" in log and "address already in use" in log.lower() and "Traceback" not in log
        assert kids, "the worker was never seen"
        for pid in kids:
            state = ""
            try:
                state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
            except FileNotFoundError:
                continue
            assert state in ("Z", "X"), f"process {pid} outlived the front that could not start"
    finally:
        taken.close()
