"""News items, who gets which, and digest periods from schedules."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from postdesk.routing.news import NewsItem, cron_trigger, for_subscriber, mailed_queues, parse_news, period_of

MSK = ZoneInfo("Europe/Moscow")
NOW = datetime(2026, 12, 2, 12, 0, tzinfo=MSK)  # a Wednesday


def item(key: str, lang: str = "ru", queues: tuple[str, ...] = (), day: int = 1,
         until: date | None = None) -> NewsItem:
    return NewsItem(key, key, "text", lang, queues, date(2026, 12, day), until)


def test_parse_news() -> None:
    ok, problems = parse_news("---\ntitle: Новый VPN\ndate: 2026-12-01\nqueues: [it, hr]\nlang: ru\n"
                              "until: 2026-12-31\n---\nТекст новости.\n", "vpn.md")
    assert problems == () and ok is not None
    assert (ok.key, ok.queues, ok.until, ok.body) == ("file:vpn.md", ("it", "hr"), date(2026, 12, 31), "Текст новости.")
    every, _ = parse_news("---\ntitle: Всем\ndate: 2026-12-01\nqueues: all\n---\nx", "all.md")
    assert every is not None and every.queues == () and every.lang == "ru"
    bad, problems = parse_news("---\ntitle: \ndate: вчера\nlang: de\ncolour: red\n---\nx", "bad.md")
    assert bad is None and len(problems) == 4
    assert parse_news("no front matter", "x.md")[0] is None


def test_who_gets_what() -> None:
    items = [item("vpn", queues=("it",)), item("all"), item("buh", queues=("buh",)), item("en", lang="en"),
             item("old", until=date(2026, 12, 1)), item("future", day=20)]
    assert [i.key for i in for_subscriber(items, ["it"], "ru", set(), NOW)] == ["vpn", "all"]
    assert [i.key for i in for_subscriber(items, ["it"], "ru", {"vpn"}, NOW)] == ["all"]
    assert [i.key for i in for_subscriber(items, ["hr"], "en", set(), NOW)] == ["en"]
    only_ru = [i for i in items if i.lang == "ru"]
    assert [i.key for i in for_subscriber(only_ru, ["hr"], "en", set(), NOW)] == ["all"]  # nothing in theirs


@pytest.mark.parametrize(("schedule", "period"), [
    ("mon 09:00", datetime(2026, 11, 30, 9, 0, tzinfo=MSK)),
    ("0 9 * * mon", datetime(2026, 11, 30, 9, 0, tzinfo=MSK)),
    ("0 9 * * 1", datetime(2026, 11, 30, 9, 0, tzinfo=MSK)),  # cron: 1 is Monday
    ("0 9 * * 0", datetime(2026, 11, 29, 9, 0, tzinfo=MSK)),  # cron: 0 is Sunday
    ("mon,thu 09:30", datetime(2026, 11, 30, 9, 30, tzinfo=MSK)),
    ("0 12 * * *", datetime(2026, 12, 2, 12, 0, tzinfo=MSK)),
])
def test_periods_follow_cron_weekdays(schedule: str, period: datetime) -> None:
    assert period_of(cron_trigger(schedule, "Europe/Moscow"), NOW) == period


def test_bad_schedules_say_what_to_write() -> None:
    for bad in ("weekly", "mon 9", "0 9 * *", "0 25 * * mon"):
        with pytest.raises(ValueError):
            cron_trigger(bad, "UTC")


def test_queues_of_a_mailed_item_come_from_its_command_line() -> None:
    known = ("it", "hr", "buh")
    assert mailed_queues([("очереди", "buh, HR")], known) == (("buh", "hr"), ())
    assert mailed_queues([("queues", "it;склад it")], known) == (("it",), ("склад",))
    assert mailed_queues([("очереди", "все")], known) == ((), ())  # everyone
    assert mailed_queues([("priority", "high")], known) == ((), ())  # no such line: everyone
