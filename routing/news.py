"""News about the services, and which items a subscriber's digest carries. Pure.

A digest period is the latest moment the schedule fired: "mon 09:00" makes one period a week, and
(digest, period, subscriber) is the key that keeps a digest from going out twice.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:  # imported where a trigger is made: every CLI call reads the config, few need cron
    from apscheduler.triggers.cron import CronTrigger

_FRONT = re.compile(r"\A\ufeff?---[ \t]*\n(.*?)\n---[ \t]*\n?(.*)\Z", re.S)
_KEY = re.compile(r"^([A-Za-z_]+)\s*:\s*(.*?)\s*$")
_KEYS = {"title", "date", "queues", "lang", "until"}
_SIMPLE = re.compile(r"^\s*([a-z]{3}(?:\s*-\s*[a-z]{3})?(?:\s*,\s*[a-z]{3})*)\s+(\d{1,2}):(\d{2})\s*$", re.I)
_CRON_DOW = {"0": "sun", "1": "mon", "2": "tue", "3": "wed", "4": "thu", "5": "fri", "6": "sat", "7": "sun"}

_Day = date  # inside NewsItem the field `date` hides the type


@dataclass(frozen=True, slots=True)
class NewsItem:
    key: str  # "file:<name>" or "mail:<Message-ID>": stable across restarts
    title: str
    body: str  # Markdown
    lang: str
    queues: tuple[str, ...]  # () = news for everyone
    date: _Day
    until: _Day | None = None

    def live(self, now: datetime) -> bool:
        today = now.date()
        return self.date <= today and (self.until is None or today <= self.until)


def parse_news(text: str, source: str) -> tuple[NewsItem | None, tuple[str, ...]]:
    """A news file: front matter title, date, queues (a list, or "all"), lang, optional until."""
    m = _FRONT.match(text.replace("\r\n", "\n"))
    if not m:
        return None, ("no front matter: the file must start with a '---' line and close it with another",)
    fields: dict[str, str] = {}
    problems: list[str] = []
    for line in m.group(1).splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        km = _KEY.match(line)
        if not km or km.group(1).lower() not in _KEYS:
            problems.append(f"unknown or malformed line {line.strip()[:40]!r}")
            continue
        fields[km.group(1).lower()] = km.group(2).strip().strip("\"'")
    title, lang = fields.get("title", ""), fields.get("lang", "ru").lower()
    if not title:
        problems.append("title: missing")
    if lang not in ("ru", "en"):
        problems.append(f"lang: must be ru or en, not {lang!r}")
    dates: dict[str, date | None] = {}
    for key in ("date", "until"):
        try:
            dates[key] = date.fromisoformat(fields[key]) if fields.get(key) else None
        except ValueError:
            problems.append(f"{key}: not a date like 2026-12-01: {fields[key]!r}")
            dates[key] = None
    if dates["date"] is None and "date" not in fields:
        problems.append("date: missing")
    raw = fields.get("queues", "all").strip("[]")
    queues = tuple(q.strip().strip("\"'") for q in raw.split(",") if q.strip()) if raw.strip() != "all" else ()
    if problems or dates["date"] is None:
        return None, tuple(problems)
    return NewsItem(f"file:{source}", title, m.group(2).strip(), lang, queues, dates["date"], dates["until"]), ()


QUEUE_COMMANDS = {"queues", "queue", "очереди", "очередь"}
EVERYONE = {"all", "все", "всем"}


def mailed_queues(commands: Iterable[tuple[str, str]], known: Iterable[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(queues, unknown names) an editor's `#очереди it, hr` line gives a mailed news item; () is everyone."""
    names = set(known)
    wanted: list[str] = []
    for name, args in commands:
        if name in QUEUE_COMMANDS:
            wanted += [w for w in re.split(r"[\s,;]+", args.lower()) if w]
    if any(w in EVERYONE for w in wanted):
        return (), ()
    return (tuple(dict.fromkeys(w for w in wanted if w in names)),
            tuple(dict.fromkeys(w for w in wanted if w not in names)))


def for_subscriber(items: Iterable[NewsItem], queues: Iterable[str], lang: str, received: set[str],
                   now: datetime) -> list[NewsItem]:
    """Live items about the services this person used (or everyone), not yet sent, in their language — or in
    any language when the center writes none in theirs."""
    items = list(items)
    used = set(queues)
    writes_theirs = any(i.lang == lang and i.live(now) for i in items)
    chosen = [i for i in items if i.key not in received and i.live(now) and (not i.queues or used & set(i.queues))
              and (i.lang == lang or not writes_theirs)]
    return sorted(chosen, key=lambda i: (i.date, i.title), reverse=True)


def cron_trigger(schedule: str, zone: str) -> CronTrigger:
    """ "mon 09:00", "mon,thu 09:30", or a cron line "0 9 * * mon" (cron's 0/7 = Sunday, 1 = Monday)."""
    from apscheduler.triggers.cron import CronTrigger

    m = _SIMPLE.match(schedule)
    if m:
        return CronTrigger(day_of_week=m.group(1).lower().replace(" ", ""), hour=int(m.group(2)),
                           minute=int(m.group(3)), timezone=ZoneInfo(zone))
    parts = schedule.split()
    if len(parts) != 5:
        raise ValueError(f'write "mon 09:00" or a cron line like "0 9 * * mon", not {schedule!r}')
    dow = re.sub(r"\d", lambda d: _CRON_DOW[d.group(0)], parts[4]) if parts[4] != "*" else "*"
    try:
        return CronTrigger(minute=parts[0], hour=parts[1], day=parts[2], month=parts[3], day_of_week=dow,
                           timezone=ZoneInfo(zone))
    except ValueError as exc:
        raise ValueError(f"{schedule!r}: {exc}") from None


def period_of(trigger: CronTrigger, now: datetime) -> datetime | None:
    """The latest moment at or before `now` the schedule fired: the digest period `now` belongs to."""
    start = now - timedelta(days=62)  # a monthly digest is the rarest we expect
    last = None
    fire = trigger.get_next_fire_time(None, start)
    while fire is not None and fire <= now:
        last = fire
        fire = trigger.get_next_fire_time(fire, fire + timedelta(seconds=1))
    return last
