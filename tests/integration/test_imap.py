"""Department mailboxes against a real Dovecot: no loss, no duplicates, IDLE, reconnects, XOAUTH2."""

from __future__ import annotations

import collections
import json
import signal
import time
import urllib.request
from collections.abc import Callable

from support import Center, mail


def mailbox_toml(name: str, dovecot, user: str, password: str | None = None, *, queue: str | None = None,  # type: ignore[no-untyped-def]
                 after: str = "move:Processed", extra: str = "") -> str:
    lines = [
        "[[mailboxes]]", f'name = "{name}"', 'host = "127.0.0.1"', f"port = {dovecot.port}", 'tls = "none"',
        f'username = "{user}"', f'after = "{after}"', 'poll_interval = "1s"',
    ]
    if password is not None:
        lines.append(f'password = "{password}"')
    if queue:
        lines.append(f'queue = "{queue}"')
    return "\n".join(lines) + "\n" + extra + "\n"


def wait_for(check: Callable[[], bool], timeout: float, what: str, center: Center | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    log = center.log.read_text() if center and center.log.exists() else ""
    raise AssertionError(f"timed out waiting for {what}\n{log[-3000:]}")


def raw(subject: str, body: str, sender: str = "Пётр Сидоров <petr@corp.example>", to: str = "hr@corp.example",
        message_id: str | None = None) -> bytes:
    return mail(subject, body, sender=sender, to=to, message_id=message_id).as_bytes()


def test_two_mailboxes_are_read_and_mail_is_moved(dovecot, make_center) -> None:  # type: ignore[no-untyped-def]
    hr, hr_pw = dovecot.add_user("hr")
    it, it_pw = dovecot.add_user("it")
    dovecot.append(hr, "INBOX", raw("Заявление на отпуск", "Прошу отпуск с 1 декабря."))
    dovecot.append(it, "INBOX", raw("Не работает принтер", "Принтер на 3 этаже не печатает.", to="it@corp.example"))
    center = make_center(extra=mailbox_toml("hr", dovecot, hr, hr_pw, queue="hr")
                         + mailbox_toml("it", dovecot, it, it_pw, queue="it"))
    center.start()
    center.wait_outgoing(2)
    assert sorted((t["queue"], t["subject"]) for t in center.tickets()) == [
        ("hr", "Заявление на отпуск"), ("it", "Не работает принтер")]
    wait_for(lambda: dovecot.folder_uids(hr, "INBOX") == [] and dovecot.folder_uids(it, "INBOX") == [], 5,
             "the mail to leave INBOX", center)
    assert len(dovecot.folder_uids(hr, "Processed")) == 1 and len(dovecot.folder_uids(it, "Processed")) == 1
    report = {m["name"]: m for m in json.loads(center.cli("mailboxes", "--json").stdout)}
    assert report["hr"]["connected"] and report["hr"]["stored_today"] == 1 and report["hr"]["last_error"] is None
    with urllib.request.urlopen(f"http://127.0.0.1:{center.web_port}/metrics", timeout=5) as r:
        metrics = r.read().decode()
    assert 'postdesk_mails_received_total{ingress="imap",mailbox="imap:hr"} 1.0' in metrics


def test_mail_appended_while_idling_is_acknowledged_within_two_seconds(dovecot, make_center) -> None:  # type: ignore[no-untyped-def]
    user, pw = dovecot.add_user("idle")
    center = make_center(extra=mailbox_toml("hr", dovecot, user, pw, queue="hr"))
    center.start()
    wait_for(lambda: json.loads(center.cli("mailboxes", "--json").stdout)[0]["idle"], 10, "IDLE", center)
    for i in range(3):
        started = time.monotonic()
        dovecot.append(user, "INBOX", raw(f"Справка с места работы {i}", "Нужна справка для визы."))
        center.wait_outgoing(i + 1, timeout=5)
        assert time.monotonic() - started < 2.0, f"acknowledged after {time.monotonic() - started:.2f} s"


def test_sigkill_in_the_middle_of_a_backlog_loses_nothing(dovecot, make_center) -> None:  # type: ignore[no-untyped-def]
    user, pw = dovecot.add_user("backlog")
    dovecot.create_folder(user, "Processed")
    total = 300
    for i in range(total):
        dovecot.append(user, "INBOX", raw(f"Заявка {i:03d}", f"Текст {i}", sender=f"user{i % 50}@corp.example",
                                          message_id=f"<backlog-{i}@corp.example>"))
    center = make_center(service_extra="auto_replies_per_hour = 1000",
                         extra=mailbox_toml("hr", dovecot, user, pw, queue="hr").replace(
                             'poll_interval = "1s"', 'poll_interval = "1s"\nbatch_size = 20'))
    center.start()
    wait_for(lambda: len(dovecot.folder_uids(user, "Processed")) >= 60, 60, "part of the backlog", center)
    assert center.proc is not None
    center.proc.send_signal(signal.SIGKILL)
    center.proc.wait()
    center.proc = None
    assert len(dovecot.folder_uids(user, "INBOX")) > 0, "the kill came too late to prove anything"
    center.start()
    wait_for(lambda: dovecot.folder_uids(user, "INBOX") == [] and len(center.tickets()) >= total, 90,
             "the backlog to drain", center)
    time.sleep(1.5)
    subjects = collections.Counter(t["subject"] for t in center.tickets())
    assert len(subjects) == total and max(subjects.values()) == 1
    assert len(dovecot.folder_uids(user, "Processed")) == total
    acks = collections.Counter(str(m["In-Reply-To"]) for m in center.wait_outgoing(total, timeout=30))
    assert len(acks) == total and max(acks.values()) == 1


def test_dovecot_restart_is_survived(dovecot, make_center) -> None:  # type: ignore[no-untyped-def]
    user, pw = dovecot.add_user("restart")
    center = make_center(extra=mailbox_toml("hr", dovecot, user, pw, queue="hr"))
    center.start()
    wait_for(lambda: json.loads(center.cli("mailboxes", "--json").stdout)[0]["idle"], 10, "IDLE", center)
    dovecot.append(user, "INBOX", raw("До остановки", "Первое письмо"))
    center.wait_outgoing(1)
    dovecot.stop()
    try:
        def down() -> bool:
            report = json.loads(center.cli("mailboxes", "--json").stdout)[0]
            return not report["connected"] and bool(report["last_error"])
        wait_for(down, 15, "the mailbox to be reported down", center)
        time.sleep(2)  # a few reconnect attempts fail meanwhile
        assert center.proc is not None and center.proc.poll() is None  # the daemon lives on
    finally:
        dovecot.start()
    dovecot.append(user, "INBOX", raw("После перезапуска", "Второе письмо"))
    center.wait_outgoing(2, timeout=30)  # the reconnect backoff is at most a few seconds here
    assert sorted(t["subject"] for t in center.tickets()) == ["До остановки", "После перезапуска"]


def test_wrong_password_on_one_mailbox_does_not_stop_the_other(dovecot, make_center) -> None:  # type: ignore[no-untyped-def]
    good, good_pw = dovecot.add_user("good")
    bad, _ = dovecot.add_user("bad")
    center = make_center(extra=mailbox_toml("hr", dovecot, bad, "wrong-password", queue="hr")
                         + mailbox_toml("it", dovecot, good, good_pw, queue="it"))
    center.start()
    dovecot.append(good, "INBOX", raw("Пароль от Wi-Fi", "Подскажите пароль гостевой сети", to="it@corp.example"))
    center.wait_outgoing(1)
    time.sleep(1)
    report = {m["name"]: m for m in json.loads(center.cli("mailboxes", "--json").stdout)}
    assert "authentication failed" in report["hr"]["last_error"] and not report["hr"]["connected"]
    assert report["it"]["connected"]
    assert center.log.read_text().count("authentication failed") == 1  # logged once, not in a hot loop


def test_uidvalidity_change_causes_no_duplicates(dovecot, make_center) -> None:  # type: ignore[no-untyped-def]
    user, pw = dovecot.add_user("uidv")
    first = raw("Пропуск для гостя", "На пятницу", message_id="<uidv-1@corp.example>")
    second = raw("Командировка", "В Казань", message_id="<uidv-2@corp.example>")
    dovecot.append(user, "Requests", first)
    dovecot.append(user, "Requests", second)
    # INBOX cannot be deleted over IMAP; a recreated folder is how UIDVALIDITY changes in real life
    center = make_center(extra=mailbox_toml("hr", dovecot, user, pw, queue="hr", after="seen",
                                            extra='folder = "Requests"'))
    center.start()
    center.wait_outgoing(2)
    center.stop()
    before = dovecot.uidvalidity(user, "Requests")
    dovecot.recreate_folder(user, "Requests")
    assert dovecot.uidvalidity(user, "Requests") != before
    dovecot.append(user, "Requests", first)
    dovecot.append(user, "Requests", second)
    third = raw("Новое после пересоздания", "Третье письмо", message_id="<uidv-3@corp.example>")
    dovecot.append(user, "Requests", third)
    center.start()
    center.wait_outgoing(3)
    time.sleep(1.5)
    assert sorted(t["subject"] for t in center.tickets()) == ["Командировка", "Новое после пересоздания",
                                                              "Пропуск для гостя"]
    assert len(center.outgoing()) == 3


def test_xoauth2_login(dovecot, make_center) -> None:  # type: ignore[no-untyped-def]
    user, _ = dovecot.add_user("oauth")
    token = dovecot.token(user)
    center = make_center(extra=mailbox_toml("hr", dovecot, user, queue="hr",
                                            extra=f'oauth2_token_command = "printf {token}"'))
    dovecot.append(user, "INBOX", raw("Через OAuth", "Проверка входа по токену"))
    center.start()
    center.wait_outgoing(1)
    assert center.tickets()[0]["subject"] == "Через OAuth"


def test_too_large_mail_stays_on_the_server_and_sender_is_told_once(dovecot, make_center) -> None:  # type: ignore[no-untyped-def]
    user, pw = dovecot.add_user("large")
    big = mail("Скан договора", "x" * 1_300_000, message_id="<big@corp.example>").as_bytes()
    dovecot.append(user, "INBOX", big)
    center = make_center(extra=mailbox_toml("hr", dovecot, user, pw, queue="hr",
                                            extra='quarantine_folder = "Quarantine"'))
    center.start()
    (reply,) = center.wait_outgoing(1)
    assert "больше, чем мы" in reply.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    wait_for(lambda: len(dovecot.folder_uids(user, "Quarantine")) == 1, 5, "the move to Quarantine", center)
    assert center.tickets() == []
    center.stop()
    center.start()
    time.sleep(2)
    assert len(center.outgoing()) == 1


def test_import_mbox_sends_nothing(make_center, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import mailbox

    box = mailbox.mbox(tmp_path / "old.mbox")
    first = mail("Старая заявка", "Текст", message_id="<old-1@corp.example>")
    box.add(first)
    reply = mail("Re: Старая заявка", "Дополнение", message_id="<old-2@corp.example>")
    reply["In-Reply-To"] = "<old-1@corp.example>"
    box.add(reply)
    box.add(mail("Другая заявка", "Текст", sender="anna@corp.example"))
    box.flush()
    center = make_center()
    out = center.cli("import-mbox", str(tmp_path / "old.mbox"), "--queue", "hr", "--closed")
    assert "imported 3 mails" in out.stdout and "no mail was sent" in out.stdout
    tickets = center.tickets()
    assert sorted((t["subject"], t["status"], t["queue"], t["messages"]) for t in tickets) == [
        ("Другая заявка", "closed", "hr", 1), ("Старая заявка", "closed", "hr", 2)]
    assert center.outgoing() == []
    again = center.cli("import-mbox", str(tmp_path / "old.mbox"), "--queue", "hr")
    assert "3 already imported" in again.stdout
