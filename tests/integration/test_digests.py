"""News digests through the real daemon and CLI, with the time given (`--now`), never slept."""

from __future__ import annotations

import mailbox
import re
import signal
import subprocess
import time
import urllib.request
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from desk import body_text, wait_for
from support import POSTDESK, Center, mail

MSK = ZoneInfo("Europe/Moscow")
NEWS = Path(__file__).resolve().parents[2] / "examples" / "news"
WEEKLY = '''
[news]
dir = "{news}"

[[digests]]
name = "weekly"
schedule = "mon 09:00"
timezone = "Europe/Moscow"
'''
MONDAY = datetime(2026, 11, 30, 9, 30, tzinfo=MSK)  # just after the weekly digest is due


def center_with_news(make_center: Callable[..., Center], tmp_path: Path) -> tuple[Center, Path]:
    news = tmp_path / "news"
    news.mkdir()
    for f in NEWS.iterdir():
        (news / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    return make_center(extra=WEEKLY.format(news=news)), news


def digests(mails: list) -> list:  # type: ignore[type-arg]
    return [m for m in mails if m["List-Unsubscribe"]]


def test_each_subscriber_gets_their_new_items_once(make_center: Callable[..., Center], tmp_path: Path) -> None:
    center, news = center_with_news(make_center, tmp_path)
    center.start()
    center.send(mail("Не работает VPN", "Не работает VPN, ошибка 809."))  # petr: it queue
    center.send(mail("Акт сверки", "Пришлите акт сверки.", sender="Ольга <olga@corp.example>", to="buh@corp.example"))
    center.send(mail("Parking pass", "I need a parking pass.", sender="John <john@corp.example>"))
    wait_for(center, lambda ms: ms, count=3)
    out = center.cli("digest", "run", "weekly", "--now", MONDAY.isoformat()).stdout
    assert "sent: 3" in out
    sent = wait_for(center, digests, count=3)
    by = {str(m["To"]).split("<")[-1].rstrip(">"): m for m in sent}
    petr, olga, john = by["petr@corp.example"], by["olga@corp.example"], by["john@corp.example"]
    assert "FortiClient" in body_text(petr) and "14 дней" in body_text(petr) and "5 этаж" not in body_text(petr)
    assert "5 этаж" in body_text(olga) and "FortiClient" not in body_text(olga)
    assert "14 days" in body_text(john) and "Новый" not in body_text(john)  # his language
    assert petr["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/u/" in petr["List-Unsubscribe"] and petr["Precedence"] == "bulk"
    # the same period again: nothing more; a new item waits for the next period
    assert "sent" not in center.cli("digest", "run", "weekly", "--now", (MONDAY + timedelta(hours=1)).isoformat()
                                    ).stdout.replace("already sent", "")
    (news / "extra.md").write_text("---\ntitle: Плановые работы в субботу\ndate: 2026-12-01\nqueues: all\nlang: ru\n"
                                   "---\nВ субботу почта будет недоступна с 10 до 12.\n", encoding="utf-8")
    next_monday = MONDAY + timedelta(days=7)
    assert "sent: 2" in center.cli("digest", "run", "weekly", "--now", next_monday.isoformat()).stdout
    later = wait_for(center, digests, count=5)[3:]
    assert {str(m["To"]).split("<")[-1].rstrip(">") for m in later} == {"petr@corp.example", "olga@corp.example"}
    assert all("Плановые работы" in body_text(m) and "FortiClient" not in body_text(m) for m in later)


def test_one_click_and_a_mail_both_unsubscribe(make_center: Callable[..., Center], tmp_path: Path) -> None:
    center, _ = center_with_news(make_center, tmp_path)
    center.start()
    center.send(mail("Не работает VPN", "Ошибка 809."))
    center.send(mail("Акт сверки", "Пришлите акт.", sender="olga@corp.example", to="buh@corp.example"))
    wait_for(center, lambda ms: ms, count=2)
    center.cli("digest", "run", "weekly", "--now", MONDAY.isoformat())
    petr = next(m for m in wait_for(center, digests, count=2) if "petr@" in str(m["To"]))
    url = re.search(r"<(http[^>]+/u/[^>]+)>", str(petr["List-Unsubscribe"])).group(1)  # type: ignore[union-attr]
    status, page = center.get(url)  # a scanner opening the link unsubscribes nobody
    assert status == 200 and "Отписаться" in page
    request = urllib.request.Request(url, data=b"List-Unsubscribe=One-Click", method="POST")
    with urllib.request.urlopen(request, timeout=5) as r:  # what a mail app sends (RFC 8058)
        assert r.status == 200 and "отписались" in r.read().decode()
    center.send(mail("Re: новости", "отписаться", sender="olga@corp.example"))
    wait_for(center, lambda ms: [m for m in ms if "olga@" in str(m["To"]) and "отписались" in body_text(m)])
    assert center.get(url.replace("/u/", "/u/x"))[0] == 404
    item = "---\ntitle: Новое\ndate: 2026-12-01\nqueues: all\nlang: ru\n---\nТекст\n"
    (tmp_path / "news" / "new.md").write_text(item, encoding="utf-8")
    out = center.cli("digest", "run", "weekly", "--now", (MONDAY + timedelta(days=7)).isoformat()).stdout
    assert out.strip() == "nobody to send to"
    center.send(mail("подписаться", "", sender="olga@corp.example"))
    wait_for(center, lambda ms: [m for m in ms if "olga@" in str(m["To"]) and "снова подписаны" in body_text(m)])
    assert "sent: 1" in center.cli("digest", "run", "weekly", "--now", (MONDAY + timedelta(days=7)).isoformat()).stdout


def test_killed_halfway_and_run_twice_at_once_still_sends_each_digest_once(
        make_center: Callable[..., Center], tmp_path: Path) -> None:
    center, _ = center_with_news(make_center, tmp_path)
    box = mailbox.mbox(str(tmp_path / "history.mbox"))
    for i in range(300):
        box.add(mail(f"Заявка {i}", "Не работает VPN.", sender=f"user{i}@corp.example").as_bytes())
    box.flush()
    center.cli("import-mbox", str(tmp_path / "history.mbox"), "--queue", "it")
    run = [POSTDESK, "--config", str(center.config), "digest", "run", "weekly", "--now", MONDAY.isoformat()]
    first = subprocess.Popen(run, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    time.sleep(1.5)
    first.send_signal(signal.SIGKILL)  # halfway, or wherever it got to
    first.wait()
    again = [subprocess.Popen(run, stdout=subprocess.PIPE, stderr=subprocess.STDOUT) for _ in range(2)]
    outs = [p.communicate(timeout=120)[0].decode() for p in again]
    assert all(p.returncode == 0 for p in again), outs
    center.start()  # the daemon delivers what the runs queued
    sent = wait_for(center, digests, count=300, timeout=60)
    time.sleep(1)
    per_person = Counter(str(m["To"]) for m in digests(center.outgoing()))
    assert len(per_person) == 300 and set(per_person.values()) == {1}, per_person.most_common(3)
    assert len(sent) == 300


def test_an_editor_publishes_by_mail_only_after_proving_the_mailbox(make_center: Callable[..., Center],
                                                                     tmp_path: Path) -> None:
    center = make_center(extra='[news]\naddress = "news@corp.example"\neditors = ["pr@corp.example"]\n')
    center.start()
    center.send(mail("Новости от самозванца", "Всем срочно сменить пароль по ссылке.", sender="mallory@corp.example",
                     to="news@corp.example"))
    center.send(mail("Столовая закрыта 5 декабря", "В пятницу столовая не работает: санитарный день.",
                     sender="Пресс-служба <pr@corp.example>", to="news@corp.example"))
    (preview,) = wait_for(center, lambda ms: [m for m in ms if "pr@corp.example" in str(m["To"])])
    assert "ответьте на это письмо" in body_text(preview) and "санитарный день" in body_text(preview)
    assert "no news" in center.cli("news", "list").stdout  # not published on From alone
    assert not [m for m in center.outgoing() if "mallory" in str(m["To"])]  # strangers get no answer
    signed = str(preview["Reply-To"])
    assert signed.startswith("news+") and signed.endswith("@corp.example")
    center.send(mail("Re: Столовая", "Неправда, опубликуйте моё.", sender="mallory@corp.example", to=signed))
    time.sleep(1.5)
    assert "no news" in center.cli("news", "list").stdout
    center.send(mail("Re: Столовая закрыта 5 декабря", "Да, публикуем.", sender="pr@corp.example", to=signed))
    wait_for(center, lambda ms: [m for m in ms if "опубликована" in body_text(m)])
    listed = center.cli("news", "list").stdout
    assert "Столовая закрыта 5 декабря" in listed and "самозванца" not in listed


def test_preview_shows_one_persons_digest_without_sending(make_center: Callable[..., Center], tmp_path: Path) -> None:
    center, _ = center_with_news(make_center, tmp_path)
    center.cli("ingest", "--process", "-", input=mail("Не работает VPN", "Не работает VPN, ошибка 809.").as_bytes())
    out = center.cli("digest", "preview", "weekly", "--to", "petr@corp.example").stdout
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in out and "FortiClient" in out
    assert "is no subscriber" in center.cli("digest", "preview", "weekly", "--to", "x@corp.example",
                                            check=False).stderr
    assert "would send: 1" in center.cli("digest", "run", "weekly", "--dry-run").stdout
    assert "sent: 1" in center.cli("digest", "run", "weekly").stdout  # nothing was recorded by the preview


def test_a_digest_left_unfinished_by_a_dead_daemon_is_finished_by_another(make_center: Callable[..., Center],
                                                                         tmp_path: Path) -> None:
    import socket

    from postdesk.daemon.config import load_config
    from postdesk.daemon.process.jobs import finish_for_the_dead, jobs
    from postdesk.storage import daemons
    from postdesk.storage.db import Database
    from postdesk.storage.models import JobRun, utcnow
    from postdesk.templates.render import Renderer

    center, _ = center_with_news(make_center, tmp_path)
    center.start()
    center.send(mail("Не работает VPN", "Не работает VPN, ошибка 809."))
    center.send(mail("Parking pass", "I need a parking pass.", sender="John <john@corp.example>"))
    wait_for(center, lambda ms: ms, count=2)
    config = load_config(center.config)
    db = Database(config.database_url)
    (weekly,) = [j for j in jobs(config) if j.name == "digest:weekly"]
    gone = subprocess.Popen(["true"])
    gone.wait()
    dead = f"{socket.gethostname()[:40]}:{gone.pid}:dead00"  # a daemon of this host whose process is gone
    with db.write() as s:  # it claimed this week's slot, and died before the end
        s.add(JobRun(job=weekly.name, slot=weekly.slot(utcnow()), daemon=dead, at=utcnow()))
    try:
        assert [d for _, _, d in daemons.unfinished_of_the_dead(db, {weekly.name}, utcnow() - timedelta(days=1),
                                                                "tester")] == [dead]
        finish_for_the_dead(config, db, Renderer(config.templates_dir, config.service.timezone), "tester")
        sent = wait_for(center, digests, count=2)
        assert sorted(str(m["To"]).split("<")[-1].rstrip(">") for m in sent) == ["john@corp.example",
                                                                                 "petr@corp.example"]
        assert daemons.unfinished_of_the_dead(db, {weekly.name}, utcnow() - timedelta(days=1), "tester") == []
        finish_for_the_dead(config, db, Renderer(config.templates_dir, config.service.timezone), "tester")
        time.sleep(0.5)
        assert len(digests(center.outgoing())) == 2  # finished once, not again
    finally:
        db.dispose()
    assert center.stop() == 0


def test_an_editor_names_the_queues_a_mailed_item_is_for(make_center: Callable[..., Center]) -> None:
    center = make_center(extra='[news]\naddress = "news@corp.example"\neditors = ["pr@corp.example"]\n')
    center.start()
    center.send(mail("Сверка с контрагентами до 20 декабря", "#очереди buh, склад\n\nПришлите акты сверки до 20-го.",
                     sender="Пресс-служба <pr@corp.example>", to="news@corp.example"))
    (preview,) = wait_for(center, lambda ms: [m for m in ms if "pr@corp.example" in str(m["To"])])
    text = body_text(preview)
    assert "Кому: тем, кто обращался в очереди buh" in text
    assert "Таких очередей нет, они пропущены: склад" in text
    assert "#очереди buh" not in text  # the command line is not part of the item
    center.send(mail("Re: Сверка", "Да.", sender="pr@corp.example", to=str(preview["Reply-To"])))
    wait_for(center, lambda ms: [m for m in ms if "опубликована" in body_text(m)])
    (line, _) = center.cli("news", "list").stdout.splitlines()
    assert " buh " in line and "Сверка с контрагентами" in line


def test_a_subscriber_our_relay_cannot_reach_is_skipped_not_failed(make_center: Callable[..., Center],
                                                                   tmp_path: Path) -> None:
    """A non-ASCII local part (SMTPUTF8) cannot go over an ASCII relay: every run would fail on it again."""
    center, _ = center_with_news(make_center, tmp_path)
    center.start()
    center.send(mail("Не работает VPN", "Не работает VPN, ошибка 809."))
    center.send("From: Пётр <пётр@почта.рф>\r\nTo: service@corp.example\r\nSubject: Пропуск\r\n"
                "Message-ID: <pass@почта.рф>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
                "Нужен пропуск на парковку.\r\n".encode(), sender="bounces@xn--80a1acny.xn--p1ai")
    deadline = time.monotonic() + 10
    while len(center.tickets()) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert {t["requester"] for t in center.tickets()} == {"petr@corp.example", "пётр@почта.рф"}
    out = center.cli("digest", "run", "weekly", "--now", MONDAY.isoformat()).stdout
    assert "cannot be sent: 1" in out and "sent: 1" in out and "failed" not in out
