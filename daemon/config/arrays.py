"""The config's arrays of tables — `[[queues]]`, `[[rules]]`, `[[mailboxes]]`, `[[agents]]`, `[[sla]]`,
`[[digests]]` — read into frozen values; each problem names its entry (`rules[2].set.queue: …`)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from postdesk.daemon.config.reader import Reader
from postdesk.daemon.config.schema import LANGUAGES, AgentConfig, DigestConfig, MailboxConfig, default, keys
from postdesk.daemon.config.values import NAME, parse_duration, parse_zone
from postdesk.routing.model import PRIORITIES, SET_FIELDS, Assignment, Condition, Pattern, QueueDef, Rule
from postdesk.routing.news import cron_trigger
from postdesk.routing.sla import BusinessHours, SlaPolicy

LOCAL_HOSTS = ("127.0.0.1", "::1", "localhost")
MATCH_KEYS = "to, from, subject, body, header.<Name>"


def check_name(r: Reader, key: str, name: str, taken: Iterable[str], what: str) -> None:
    """The name an entry is known by (a queue, a mailbox, a digest): a NAME, and not an earlier entry's."""
    if not NAME.match(name):
        r.problem(f"{key}.name", f"{name!r}: use lower-case letters, digits, - and _")
    if name in taken:
        r.problem(f"{key}.name", f"duplicate {what} {name!r}")


def queues(r: Reader, data: dict[str, Any], language: str) -> tuple[QueueDef, ...]:
    """`language` is the center's: a queue's title in it is the one shown where no requester's language is."""
    if not data.get("queues"):
        r.problem("queues", "at least one [[queues]] entry is needed")
        return ()
    out: list[QueueDef] = []
    owner: dict[str, str] = {}
    for key, item in r.array(data, "queues", {"name", "title", "addresses"}):
        name = r.string(item, "name", f"{key}.name", required=True)
        if name is None:
            continue
        check_name(r, key, name, (q.name for q in out), "queue")
        addresses = r.addresses(item.get("addresses", []), f"{key}.addresses")
        for a in addresses:
            if a in owner:
                r.problem(f"{key}.addresses", f"{a} already belongs to queue {owner[a]!r}")
            owner[a] = name
        raw_title = item.get("title")
        titles = _titles(r, raw_title, f"{key}.title")
        plain = raw_title.strip() if isinstance(raw_title, str) else ""
        title = plain or dict(titles).get(language) or (titles[0][1] if titles else name)
        out.append(QueueDef(name, title, addresses, titles))
    return tuple(out)


def _titles(r: Reader, value: Any, path: str) -> tuple[tuple[str, str], ...]:
    """`title = "ИТ"` (every language) or `title = { ru = "ИТ-поддержка", en = "IT support" }`."""
    if value is None or isinstance(value, str):
        return ()
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        r.problem(path, 'must be a string or a table of languages, e.g. { ru = "ИТ-поддержка", en = "IT support" }')
        return ()
    unknown = sorted(set(value) - set(LANGUAGES))
    if unknown:
        r.problem(path, f"unknown language {unknown[0]!r}: use {', '.join(LANGUAGES)}")
    return tuple((lang, value[lang]) for lang in LANGUAGES if value.get(lang))


def rules(r: Reader, data: dict[str, Any], queue_names: set[str]) -> tuple[Rule, ...]:
    out: list[Rule] = []
    seen: set[str] = set()
    for key, item in r.array(data, "rules", {"name", "match", "set", "classify"}):
        name = r.string(item, "name", f"{key}.name", default=key) or key
        if name in seen:
            r.problem(f"{key}.name", f"duplicate rule name {name!r}")
        seen.add(name)
        conditions = _conditions(r, item.get("match", {}), f"{key}.match")
        classify = item.get("classify", False) is True  # the learned model still picks the queue
        out.append(Rule(name, conditions, _assignment(r, item, key, classify, queue_names), classify))
    return tuple(out)


def _conditions(r: Reader, match: Any, key: str) -> tuple[Condition, ...]:
    conditions: list[Condition] = []
    if not isinstance(match, dict) or not match:
        r.problem(key, f"must be a non-empty table ({MATCH_KEYS})")
        match = {}
    for field, spec in _flatten_headers(match):
        path = f"{key}.{field}"
        if field not in ("to", "from", "subject", "body") and not field.startswith("header."):
            r.problem(path, f"unknown match key (known: {MATCH_KEYS})")
            continue
        values = spec if isinstance(spec, list) else [spec]
        if not values or not all(isinstance(v, str) for v in values):
            r.problem(path, "must be a string or a list of strings")
            continue
        patterns = []
        for v in values:
            try:
                patterns.append(Pattern.parse(v))
            except re.error as exc:
                r.problem(path, f"bad regular expression {v!r}: {exc}")
        conditions.append(Condition(field, tuple(patterns)))
    return tuple(conditions)


def _assignment(r: Reader, item: dict[str, Any], key: str, classify: bool, queue_names: set[str]) -> Assignment:
    sets = item.get("set", {} if not classify else {"queue": None})
    if not isinstance(sets, dict) or not sets:
        r.problem(f"{key}.set", "must be a non-empty table (queue, category, priority, assignee)")
        sets = {}
    r.unknown(sets, f"{key}.set", set(SET_FIELDS))
    queue = r.string(sets, "queue", f"{key}.set.queue")
    if queue is not None and queue not in queue_names:
        r.problem(f"{key}.set.queue", f'unknown queue "{queue}"')
    priority = r.string(sets, "priority", f"{key}.set.priority")
    if priority is not None and priority not in PRIORITIES:
        r.problem(f"{key}.set.priority", f"must be one of {', '.join(PRIORITIES)}, not {priority!r}")
    return Assignment(queue=queue, category=r.string(sets, "category", f"{key}.set.category"),
                      priority=priority, assignee=r.string(sets, "assignee", f"{key}.set.assignee"))


def _flatten_headers(match: dict[str, Any]) -> list[tuple[str, Any]]:
    """TOML reads `header.X-Priority = "1"` as a nested table; flatten it back to one key."""
    out: list[tuple[str, Any]] = []
    for k, v in match.items():
        if k == "header" and isinstance(v, dict):
            out += [(f"header.{name}", spec) for name, spec in v.items()]
        else:
            out.append((k, v))
    return out




def mailboxes(r: Reader, data: dict[str, Any], queue_names: set[str]) -> tuple[MailboxConfig, ...]:
    out: list[MailboxConfig] = []
    for key, item in r.array(data, "mailboxes", keys(MailboxConfig)):
        name = r.string(item, "name", f"{key}.name", required=True) or key
        check_name(r, key, name, (m.name for m in out), "mailbox")
        host = r.string(item, "host", f"{key}.host", required=True) or "localhost"
        tls = r.choice(item, "tls", f"{key}.tls", default(MailboxConfig, "tls"), ("implicit", "starttls", "none"))
        if tls == "none" and host not in LOCAL_HOSTS:
            r.problem(f"{key}.tls", f'"none" sends the password in clear text; it is allowed only for 127.0.0.1, '
                                    f"not {host!r}")
        password = r.secret(item, "password", f"{key}.password")
        token_command = r.string(item, "oauth2_token_command", f"{key}.oauth2_token_command")
        if (password is None) == (token_command is None) and not any(
                p.startswith(f"{key}.password") for p in r.problems):
            r.problem(key, "give either password or oauth2_token_command")
        after = _after(r, item, key)
        queue = r.string(item, "queue", f"{key}.queue")
        if queue is not None and queue not in queue_names:
            r.problem(f"{key}.queue", f'unknown queue "{queue}"')
        idle = r.boolean(item, "idle", f"{key}.idle", default(MailboxConfig, "idle"))
        out.append(_mailbox(r, item, key, name=name, host=host, tls=tls, password=password,
                            oauth2_token_command=token_command, after=after, queue=queue, idle=idle))
    return tuple(out)


def _after(r: Reader, item: dict[str, Any], key: str) -> str:
    after = r.string(item, "after", f"{key}.after", default=default(MailboxConfig, "after")) or default(
        MailboxConfig, "after")
    if after not in ("seen", "delete") and not (after.startswith("move:") and len(after) > 5):
        r.problem(f"{key}.after", f'must be "seen", "delete" or "move:FOLDER", not {after!r}')
    return str(after)


def _mailbox(r: Reader, item: dict[str, Any], key: str, **read: Any) -> MailboxConfig:
    """The keys that depend on nothing read before (problems keep the order they always had)."""
    def get(name: str) -> Any:
        return default(MailboxConfig, name)
    return MailboxConfig(
        port=r.integer(item, "port", f"{key}.port", MailboxConfig.default_port(read["tls"]), 1),
        username=r.string(item, "username", f"{key}.username", required=True) or "",
        folder=r.string(item, "folder", f"{key}.folder", default=get("folder")) or get("folder"),
        poll_interval=r.convert(item, "poll_interval", f"{key}.poll_interval", get("poll_interval"), parse_duration),
        quarantine_folder=r.string(item, "quarantine_folder", f"{key}.quarantine_folder"),
        batch_size=r.integer(item, "batch_size", f"{key}.batch_size", get("batch_size"), 1),
        ca_file=r.ca_file(item, "ca_file", f"{key}.ca_file"), **read)


def agents(r: Reader, data: dict[str, Any], queue_names: set[str], our: set[str]) -> tuple[AgentConfig, ...]:
    out: list[AgentConfig] = []
    for key, item in r.array(data, "agents", keys(AgentConfig)):
        address = r.address(item, "address", f"{key}.address", required=True)
        if address in our:
            r.problem(f"{key}.address", f"{address} is one of the desk's own addresses")
        if any(a.address == address for a in out):
            r.problem(f"{key}.address", f"duplicate agent {address}")
        name = r.string(item, "name", f"{key}.name", default=AgentConfig.default_name(address)) or address
        names = item.get("queues", list(default(AgentConfig, "queues")))
        if not isinstance(names, list) or not all(isinstance(q, str) for q in names):
            r.problem(f"{key}.queues", "must be a list of queue names")
            names = []
        for q in names:
            if q not in queue_names:
                r.problem(f"{key}.queues", f'unknown queue "{q}"')
        lead = r.boolean(item, "lead", f"{key}.lead", default(AgentConfig, "lead"))
        out.append(AgentConfig(address=address, name=name, queues=tuple(names), lead=lead))
    return tuple(out)


def sla(r: Reader, data: dict[str, Any], queue_names: set[str], zone: str) -> tuple[SlaPolicy, ...]:
    out: list[SlaPolicy] = []
    allowed = {"queue", "priority", "first_response", "resolution", "business_hours", "timezone"}
    for key, item in r.array(data, "sla", allowed):
        queue = r.string(item, "queue", f"{key}.queue", required=True) or ""
        if queue and queue not in queue_names:
            r.problem(f"{key}.queue", f'unknown queue "{queue}"')
        priority = r.string(item, "priority", f"{key}.priority")
        if priority is not None and priority not in PRIORITIES:
            r.problem(f"{key}.priority", f"must be one of {', '.join(PRIORITIES)}, not {priority!r}")
        first = r.convert(item, "first_response", f"{key}.first_response", 0.0, parse_duration) \
            if "first_response" in item else None
        resolution = r.convert(item, "resolution", f"{key}.resolution", 0.0, parse_duration) \
            if "resolution" in item else None
        if first is None and resolution is None:
            r.problem(key, "give first_response, resolution or both")
        tz = r.convert(item, "timezone", f"{key}.timezone", zone, parse_zone)
        hours = BusinessHours.always(tz)
        if "business_hours" in item:
            try:
                hours = BusinessHours.parse(str(item["business_hours"]), tz)
            except ValueError as exc:
                r.problem(f"{key}.business_hours", str(exc))
        if any(p.queue == queue and p.priority == priority for p in out):
            r.problem(key, f"a second policy for queue {queue!r} and priority {priority or 'any'}")
        out.append(SlaPolicy(queue, priority, timedelta(seconds=first) if first is not None else None,
                             timedelta(seconds=resolution) if resolution is not None else None, hours))
    return tuple(out)


def digests(r: Reader, data: dict[str, Any], zone: str) -> tuple[DigestConfig, ...]:
    out: list[DigestConfig] = []
    for key, item in r.array(data, "digests", keys(DigestConfig)):
        name = r.string(item, "name", f"{key}.name", required=True) or key
        check_name(r, key, name, (d.name for d in out), "digest")
        tz = r.convert(item, "timezone", f"{key}.timezone", zone, parse_zone)
        schedule = r.string(item, "schedule", f"{key}.schedule", required=True) or "mon 09:00"
        try:
            cron_trigger(schedule, tz)
        except ValueError as exc:
            r.problem(f"{key}.schedule", str(exc))
        audience = r.choice(item, "audience", f"{key}.audience", default(DigestConfig, "audience"),
                            ("requesters", "all-known"))
        active_days = r.integer(item, "active_days", f"{key}.active_days", default(DigestConfig, "active_days"), 1)
        out.append(DigestConfig(name, schedule, tz, audience, active_days))
    return tuple(out)
