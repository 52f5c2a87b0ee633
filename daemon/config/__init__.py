"""The one TOML file an admin writes, validated into frozen values with errors that name the key."""

from __future__ import annotations

import dataclasses
import ipaddress
import os
import re
import ssl
import tomllib
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from postdesk.daemon.config.model import ModelConfig, parse_model
from postdesk.daemon.web.portal.catalog import PortalSettings, parse_services
from postdesk.parsers.model import ParseOptions
from postdesk.routing.model import PRIORITIES, SET_FIELDS, Assignment, Condition, Pattern, QueueDef, RoutingTable, Rule
from postdesk.routing.news import cron_trigger
from postdesk.routing.sla import BusinessHours, SlaPolicy
from postdesk.routing.timers import TimerSettings

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
LANGUAGES = ("ru", "en")


class ConfigError(Exception):
    """A config that does not validate; `problems` has one line per problem, each naming its key."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True, slots=True)
class Listen:
    host: str
    port: int

    def __str__(self) -> str:
        return f"{self.host}:{self.port}"


@dataclass(frozen=True, slots=True)
class ServiceConfig:
    name: str
    address: str
    base_url: str
    ticket_prefix: str
    secret: bytes
    language: str
    data_dir: Path
    auto_replies_per_hour: int
    timezone: str
    reply_address: str = ""  # agents' replies go here; "{token}" is filled per agent and ticket
    trusted_authserv_id: str | None = None  # whose Authentication-Results may vouch for an agent's From
    reopen_days: int = 14  # a requester's reply reopens a resolved ticket this long; later it opens a new one
    aliases: tuple[str, ...] = ()  # other addresses the MTA delivers to the service address (helpdesk@ → service@)
    relays_per_hour: int = 5  # an agent's replies relayed per ticket and hour; more are kept, not sent (loops)
    max_participants: int = 50  # people a new ticket takes from To/Cc; the rest are named in an event only

    def reply_address_for(self, token: str) -> str:
        return self.reply_address.replace("{token}", token)

    def bounce_address(self, token: str) -> str:
        """The VERP envelope sender `service+<token>@domain`: the MTA's recipient delimiter brings it home."""
        local, _, domain = self.address.partition("@")
        return f"{local}+{token}@{domain}"

    def reply_token_of(self, address: str) -> str | None:
        """The token of an address that has the shape of `reply_address`, else None."""
        head, _, tail = self.reply_address.lower().partition("{token}")
        address = address.lower()
        if len(address) > len(head) + len(tail) and address.startswith(head) and address.endswith(tail):
            token = address[len(head):len(address) - len(tail)]
            return token if re.fullmatch(r"[a-z0-9-]+", token) else None
        return None


@dataclass(frozen=True, slots=True)
class DigestConfig:
    """A news digest on a schedule ("mon 09:00" or a cron line) to the people who wrote to the center."""

    name: str
    schedule: str
    timezone: str
    audience: str  # requesters | all-known
    active_days: int


@dataclass(frozen=True, slots=True)
class RetentionConfig:
    """How long the raw bytes of mail are kept once they did their work; None keeps them forever."""

    raw_mail: timedelta | None = None


@dataclass(frozen=True, slots=True)
class AgentConfig:
    """An agent of the center: notified of new requests in `queues`, answers them by mail."""

    address: str
    name: str
    queues: tuple[str, ...]
    lead: bool


@dataclass(frozen=True, slots=True)
class SmtpInConfig:
    """The SMTP/LMTP ingress and its limits: each refusal tells the client why (daemon/ingress/smtp.py)."""

    listen: Listen
    max_message_size: int
    protocol: str
    max_recipients: int = 1000  # per transaction; RFC 5321 asks for at least 100
    max_connections: int = 200  # in all; Postfix opens up to 20 per destination
    max_connections_per_ip: int = 50
    idle_timeout: float = 300.0  # seconds without a command; RFC 5321's 5 minutes
    # the MX that hands mail over: only mail from these hosts may carry Authentication-Results we believe
    trusted_relays: tuple[IPNetwork, ...] = (ipaddress.ip_network("127.0.0.0/8"), ipaddress.ip_network("::1/128"))

    def relayed_by_mx(self, ip: str) -> bool:
        """Whether a client at `ip` is our MX (a client anywhere else can write any header it likes)."""
        try:
            address = ipaddress.ip_address(ip.partition("%")[0])
        except ValueError:
            return False
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
            address = address.ipv4_mapped
        return any(address in net for net in self.trusted_relays)


@dataclass(frozen=True, slots=True)
class SmtpOutConfig:
    """Either a maildir (development) or a relay; retries back off up to `max_attempts`."""

    maildir: Path | None
    host: str | None
    port: int
    username: str | None
    password: str | None
    tls: str
    timeout: float
    max_attempts: int
    retry_after: float
    rate: float | None = None  # mails a second at most (digests must not flood the relay)
    ca_file: Path | None = None  # certificates to trust instead of the system's (a company's own CA)


@dataclass(frozen=True, slots=True)
class MailboxConfig:
    """One department mailbox read over IMAP; `after` says what happens to a mail once it is stored."""

    name: str
    host: str
    port: int
    tls: str  # implicit | starttls | none
    username: str
    password: str | None
    oauth2_token_command: str | None
    folder: str
    after: str  # seen | delete | move:FOLDER
    queue: str | None
    idle: bool
    poll_interval: float
    quarantine_folder: str | None
    batch_size: int
    ca_file: Path | None = None  # certificates to trust instead of the system's (a company's own CA)

    @property
    def key(self) -> str:
        """The inbound `mailbox` of mail read here (dedupe is per mailbox)."""
        return f"imap:{self.name}"

    @property
    def move_to(self) -> str | None:
        return self.after[5:] if self.after.startswith("move:") else None


@dataclass(frozen=True, slots=True)
class Config:
    path: Path
    service: ServiceConfig
    database_url: str
    smtp_in: SmtpInConfig
    smtp_out: SmtpOutConfig
    web: Listen
    routing: RoutingTable
    templates_dir: Path | None
    mailboxes: tuple[MailboxConfig, ...] = ()
    agents: tuple[AgentConfig, ...] = ()
    knowledge_dir: Path | None = None
    timers: TimerSettings = dataclasses.field(default_factory=TimerSettings)
    sla: tuple[SlaPolicy, ...] = ()
    news_dir: Path | None = None
    digests: tuple[DigestConfig, ...] = ()
    news_address: str | None = None  # editors publish by mailing it
    news_editors: tuple[str, ...] = ()
    news_remote_images: bool = False  # digests may load images from other hosts (tracking pixels) only if set
    retention: RetentionConfig = dataclasses.field(default_factory=RetentionConfig)
    portal: PortalSettings = dataclasses.field(default_factory=PortalSettings)
    model: ModelConfig = dataclasses.field(default_factory=ModelConfig)  # [model]: learned routing

    def digest(self, name: str) -> DigestConfig | None:
        return next((d for d in self.digests if d.name == name), None)

    def agent(self, address: str | None) -> AgentConfig | None:
        address = (address or "").lower()
        return next((a for a in self.agents if a.address == address), None)

    def agents_of_queue(self, queue: str) -> tuple[AgentConfig, ...]:
        return tuple(a for a in self.agents if queue in a.queues)

    def parse_options(self) -> ParseOptions:
        return ParseOptions(ticket_prefix=self.service.ticket_prefix, our_addresses=self.our_addresses())

    def our_addresses(self) -> frozenset[str]:
        """Every address that is ours: mail from them is a loop, mail to them is accepted."""
        found = {self.service.address, *self.service.aliases}
        for q in self.routing.queues:
            found.update(q.addresses)
        found.update(m.username.lower() for m in self.mailboxes if "@" in m.username)
        if self.news_address:
            found.add(self.news_address)
        return frozenset(found)

    def is_ours(self, address: str | None) -> bool:
        """The one answer to "is this the desk itself?": the service address, its aliases, the departments',
        the mailboxes', the news address, and their `+` forms (signed reply addresses, VERP bounce senders).
        Never a participant, never suppressed, never answered."""
        address = (address or "").strip().lower()
        local, at, domain = address.rpartition("@")
        if not at:
            return False
        ours = self.our_addresses()
        return (address in ours or f"{local.split('+', 1)[0]}@{domain}" in ours
                or self.service.reply_token_of(address) is not None)


_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmg]?i?b?)?\s*$", re.I)
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$", re.I)
_SIZE_UNITS = {"": 1, "b": 1, "k": 1000, "kb": 1000, "kib": 1024, "m": 1000**2, "mb": 1000**2, "mib": 1024**2,
               "g": 1000**3, "gb": 1000**3, "gib": 1024**3}
_DURATION_UNITS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400, None: 1}
_EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


def parse_size(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    m = _SIZE.match(str(value))
    if not m or (m.group(2) or "").lower() not in _SIZE_UNITS:
        raise ValueError(f'not a size: {value!r} (write e.g. "25MB")')
    return int(float(m.group(1)) * _SIZE_UNITS[(m.group(2) or "").lower()])


def parse_duration(value: Any) -> float:
    """Seconds from "30s", "5m", "2h", "1d" or a bare number of seconds."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    m = _DURATION.match(str(value))
    if not m:
        raise ValueError(f'not a duration: {value!r} (write e.g. "30s", "5m", "2h")')
    return float(m.group(1)) * _DURATION_UNITS[m.group(2).lower() if m.group(2) else None]


def _zone(value: Any) -> str:
    try:
        ZoneInfo(str(value))
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f'unknown time zone {value!r} (write e.g. "Europe/Moscow")') from None
    return str(value)


def parse_rate(value: Any) -> float:
    """ "20/s", "600/m" -> mails a second; "0/s" means no limit."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*/\s*(s|m|h)\s*", str(value))
    if not m:
        raise ValueError(f'write a rate like "20/s" or "600/m", not {value!r}')
    return float(m.group(1)) / {"s": 1, "m": 60, "h": 3600}[m.group(2)]


def parse_listen(value: Any) -> Listen:
    text = str(value)
    host, sep, port = text.rpartition(":")
    if not sep or not port.isdigit() or not (0 < int(port) < 65536):
        raise ValueError(f'not HOST:PORT: {text!r} (write e.g. "127.0.0.1:2525")')
    return Listen(host.strip("[]") or "127.0.0.1", int(port))


class _Reader:
    """Walks the TOML tables, collecting every problem instead of stopping at the first."""

    def __init__(self, base: Path):
        self.base = base
        self.problems: list[str] = []

    def problem(self, key: str, message: str) -> None:
        self.problems.append(f"{key}: {message}")

    def table(self, data: dict[str, Any], key: str, allowed: set[str]) -> dict[str, Any]:
        value = data.get(key, {})
        if not isinstance(value, dict):
            self.problem(key, "must be a table")
            return {}
        self.unknown(value, key, allowed)
        return value

    def array(self, data: dict[str, Any], key: str, allowed: set[str]) -> list[tuple[str, dict[str, Any]]]:
        """The tables of a `[[key]]` array, each with its key path (`rules[0]`), unknown keys reported."""
        raw = data.get(key, [])
        if not isinstance(raw, list):
            self.problem(key, f"must be an array of tables ([[{key}]])")
            return []
        out = []
        for i, item in enumerate(raw):
            if not isinstance(item, dict):
                self.problem(f"{key}[{i}]", "must be a table")
                continue
            self.unknown(item, f"{key}[{i}]", allowed)
            out.append((f"{key}[{i}]", item))
        return out

    def unknown(self, table: dict[str, Any], key: str, allowed: set[str]) -> None:
        for name in table:
            if name not in allowed:
                self.problem(f"{key}.{name}", f"unknown key (known: {', '.join(sorted(allowed))})")

    def string(self, table: dict[str, Any], key: str, path: str, default: str | None = None,
               required: bool = False) -> str | None:
        value = table.get(key)
        if value is None:
            if required:
                self.problem(path, "missing")
            return default
        if not isinstance(value, str):
            self.problem(path, f"must be a string, not {type(value).__name__}")
            return default
        return value

    def secret(self, table: dict[str, Any], key: str, path: str, required: bool = False) -> str | None:
        """A string that may be "env:NAME" to keep it out of the file."""
        value = self.string(table, key, path, required=required)
        if value is not None and value.startswith("env:"):
            name = value[4:]
            resolved = os.environ.get(name)
            if not resolved:
                self.problem(path, f"environment variable {name} is not set")
                return None
            return resolved
        return value

    def integer(self, table: dict[str, Any], key: str, path: str, default: int, minimum: int = 0) -> int:
        value = table.get(key, default)
        if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
            self.problem(path, f"must be a whole number ≥ {minimum}")
            return default
        return value

    def convert(self, table: dict[str, Any], key: str, path: str, default: Any, fn: Any) -> Any:
        try:
            return fn(table.get(key, default))
        except ValueError as exc:
            self.problem(path, str(exc))
            return fn(default)

    def path(self, value: str) -> Path:
        p = Path(value).expanduser()
        return p if p.is_absolute() else (self.base / p)

    def ca_file(self, table: dict[str, Any], key: str, path: str) -> Path | None:
        """A PEM file of certificates to trust; checked now, not at the first connection an hour later."""
        value = self.string(table, key, path)
        if value is None:
            return None
        p = self.path(value)
        try:
            ssl.create_default_context(cafile=str(p))
        except FileNotFoundError:
            self.problem(path, f"no such file: {p}")
        except (ssl.SSLError, OSError, ValueError) as exc:
            self.problem(path, f"{p} is not a PEM file of certificates: {exc}")
        return p

    def choice(self, table: dict[str, Any], key: str, path: str, default: str, choices: tuple[str, ...]) -> str:
        value = self.string(table, key, path, default) or default
        if value not in choices:
            self.problem(path, f"must be one of {', '.join(choices)}, not {value!r}")
            return default
        return value

    def addresses(self, value: Any, path: str) -> tuple[str, ...]:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem(path, "must be a list of addresses")
            return ()
        for v in value:
            if not _EMAIL.match(v):
                self.problem(path, f"not an address: {v!r}")
        return tuple(v.lower() for v in value)


def _database_url(url: str | None, data_dir: Path, base: Path) -> str:
    """SQLite under the data directory by default; a relative SQLite path is relative to the config."""
    if not url:
        return f"sqlite:///{data_dir / 'postdesk.db'}"
    if url.startswith("sqlite:///") and not url.startswith("sqlite:////") and url != "sqlite:///:memory:":
        return f"sqlite:///{(base / url[len('sqlite:///'):]).resolve()}"
    return url


def _rules(r: _Reader, data: dict[str, Any], queue_names: set[str]) -> tuple[Rule, ...]:
    rules: list[Rule] = []
    seen: set[str] = set()
    for key, item in r.array(data, "rules", {"name", "match", "set", "classify"}):
        name = r.string(item, "name", f"{key}.name", default=key) or key
        if name in seen:
            r.problem(f"{key}.name", f"duplicate rule name {name!r}")
        seen.add(name)
        match = item.get("match", {})
        conditions: list[Condition] = []
        if not isinstance(match, dict) or not match:
            r.problem(f"{key}.match", "must be a non-empty table (to, from, subject, body, header.<Name>)")
            match = {}
        for field, spec in _flatten_headers(match):
            path = f"{key}.match.{field}"
            if field not in ("to", "from", "subject", "body") and not field.startswith("header."):
                r.problem(path, "unknown match key (known: to, from, subject, body, header.<Name>)")
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
        classify = item.get("classify", False) is True  # the learned model still picks the queue
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
        assignment = Assignment(queue=queue, category=r.string(sets, "category", f"{key}.set.category"),
                                priority=priority, assignee=r.string(sets, "assignee", f"{key}.set.assignee"))
        rules.append(Rule(name, tuple(conditions), assignment, classify))
    return tuple(rules)


def _flatten_headers(match: dict[str, Any]) -> list[tuple[str, Any]]:
    """TOML reads `header.X-Priority = "1"` as a nested table; flatten it back to one key."""
    out: list[tuple[str, Any]] = []
    for k, v in match.items():
        if k == "header" and isinstance(v, dict):
            out += [(f"header.{name}", spec) for name, spec in v.items()]
        else:
            out.append((k, v))
    return out


def _queues(r: _Reader, data: dict[str, Any]) -> tuple[QueueDef, ...]:
    if not data.get("queues"):
        r.problem("queues", "at least one [[queues]] entry is needed")
        return ()
    queues: list[QueueDef] = []
    owner: dict[str, str] = {}
    for key, item in r.array(data, "queues", {"name", "title", "addresses"}):
        name = r.string(item, "name", f"{key}.name", required=True)
        if name is None:
            continue
        if not _NAME.match(name):
            r.problem(f"{key}.name", f"{name!r}: use lower-case letters, digits, - and _")
        if any(q.name == name for q in queues):
            r.problem(f"{key}.name", f"duplicate queue {name!r}")
        addresses = r.addresses(item.get("addresses", []), f"{key}.addresses")
        for a in addresses:
            if a in owner:
                r.problem(f"{key}.addresses", f"{a} already belongs to queue {owner[a]!r}")
            owner[a] = name
        raw_title = item.get("title")
        titles = _titles(r, raw_title, f"{key}.title")
        language = str((data.get("service") or {}).get("language", "ru"))
        plain = raw_title.strip() if isinstance(raw_title, str) else ""
        title = plain or dict(titles).get(language) or (titles[0][1] if titles else name)
        queues.append(QueueDef(name, title, addresses, titles))
    return tuple(queues)


def _titles(r: _Reader, value: Any, path: str) -> tuple[tuple[str, str], ...]:
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


def parse_networks(value: Any) -> tuple[IPNetwork, ...]:
    """`["127.0.0.1", "10.0.0.0/24", "::1"]`: addresses or networks."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError('must be a list of addresses or networks, e.g. ["127.0.0.1", "10.0.0.0/24"]')
    try:
        return tuple(ipaddress.ip_network(v.strip(), strict=False) for v in value)
    except ValueError as exc:
        raise ValueError(f"not an address or network: {exc}") from None


LOCAL_HOSTS = ("127.0.0.1", "::1", "localhost")


def _mailboxes(r: _Reader, data: dict[str, Any], queue_names: set[str]) -> tuple[MailboxConfig, ...]:
    out: list[MailboxConfig] = []
    allowed = {"name", "host", "port", "tls", "username", "password", "oauth2_token_command", "folder", "after",
               "queue", "idle", "poll_interval", "quarantine_folder", "batch_size", "ca_file"}
    for key, item in r.array(data, "mailboxes", allowed):
        name = r.string(item, "name", f"{key}.name", required=True) or key
        if not _NAME.match(name):
            r.problem(f"{key}.name", f"{name!r}: use lower-case letters, digits, - and _")
        if any(m.name == name for m in out):
            r.problem(f"{key}.name", f"duplicate mailbox {name!r}")
        host = r.string(item, "host", f"{key}.host", required=True) or "localhost"
        tls = r.choice(item, "tls", f"{key}.tls", "implicit", ("implicit", "starttls", "none"))
        if tls == "none" and host not in LOCAL_HOSTS:
            r.problem(f"{key}.tls", f'"none" sends the password in clear text; it is allowed only for 127.0.0.1, '
                                    f"not {host!r}")
        password = r.secret(item, "password", f"{key}.password")
        token_command = r.string(item, "oauth2_token_command", f"{key}.oauth2_token_command")
        if (password is None) == (token_command is None) and not any(
                p.startswith(f"{key}.password") for p in r.problems):
            r.problem(key, "give either password or oauth2_token_command")
        after = r.string(item, "after", f"{key}.after", default="move:Processed") or "move:Processed"
        if after not in ("seen", "delete") and not (after.startswith("move:") and len(after) > 5):
            r.problem(f"{key}.after", f'must be "seen", "delete" or "move:FOLDER", not {after!r}')
        queue = r.string(item, "queue", f"{key}.queue")
        if queue is not None and queue not in queue_names:
            r.problem(f"{key}.queue", f'unknown queue "{queue}"')
        idle = item.get("idle", True)
        if not isinstance(idle, bool):
            r.problem(f"{key}.idle", "must be true or false")
            idle = True
        out.append(MailboxConfig(
            name=name, host=host, port=r.integer(item, "port", f"{key}.port", 993 if tls == "implicit" else 143, 1),
            tls=tls, username=r.string(item, "username", f"{key}.username", required=True) or "",
            password=password, oauth2_token_command=token_command,
            folder=r.string(item, "folder", f"{key}.folder", default="INBOX") or "INBOX", after=after,
            queue=queue, idle=idle,
            poll_interval=r.convert(item, "poll_interval", f"{key}.poll_interval", "60s", parse_duration),
            quarantine_folder=r.string(item, "quarantine_folder", f"{key}.quarantine_folder"),
            batch_size=r.integer(item, "batch_size", f"{key}.batch_size", 50, 1),
            ca_file=r.ca_file(item, "ca_file", f"{key}.ca_file")))
    return tuple(out)


TOP_LEVEL = {"service", "database", "smtp_in", "smtp_out", "web", "routing", "queues", "rules", "templates",
             "mailboxes", "agents", "knowledge", "tickets", "sla", "news", "digests", "retention",
             "services", "model"}
KEEP_FOREVER = ("forever", "never")
MIN_RETENTION = 86400.0  # a bare number is seconds: `raw_mail = 180` must not purge mail three minutes old


def _retention(r: _Reader, data: dict[str, Any]) -> RetentionConfig:
    table = r.table(data, "retention", {"raw_mail"})
    value = table.get("raw_mail")
    if value is None or value in KEEP_FOREVER:
        return RetentionConfig()
    try:
        seconds = parse_duration(value)
    except ValueError as exc:
        r.problem("retention.raw_mail", f'{exc}, or "forever"')
        return RetentionConfig()
    if seconds < MIN_RETENTION:
        r.problem("retention.raw_mail", f'{value!r} is less than a day (a bare number means seconds): write e.g. '
                                        '"180d", or "forever"')
        return RetentionConfig()
    return RetentionConfig(timedelta(seconds=seconds))


def _digests(r: _Reader, data: dict[str, Any], zone: str) -> tuple[DigestConfig, ...]:
    out: list[DigestConfig] = []
    for key, item in r.array(data, "digests", {"name", "schedule", "timezone", "audience", "active_days"}):
        name = r.string(item, "name", f"{key}.name", required=True) or key
        if not _NAME.match(name):
            r.problem(f"{key}.name", f"{name!r}: use lower-case letters, digits, - and _")
        if any(d.name == name for d in out):
            r.problem(f"{key}.name", f"duplicate digest {name!r}")
        tz = r.convert(item, "timezone", f"{key}.timezone", zone, _zone)
        schedule = r.string(item, "schedule", f"{key}.schedule", required=True) or "mon 09:00"
        try:
            cron_trigger(schedule, tz)
        except ValueError as exc:
            r.problem(f"{key}.schedule", str(exc))
        audience = r.choice(item, "audience", f"{key}.audience", "requesters", ("requesters", "all-known"))
        out.append(DigestConfig(name, schedule, tz, audience,
                                r.integer(item, "active_days", f"{key}.active_days", 180, 1)))
    return tuple(out)


def _sla(r: _Reader, data: dict[str, Any], queue_names: set[str], zone: str) -> tuple[SlaPolicy, ...]:
    out: list[SlaPolicy] = []
    allowed = {"queue", "priority", "first_response", "resolution", "business_hours", "timezone"}
    for key, item in r.array(data, "sla", allowed):
        queue = r.string(item, "queue", f"{key}.queue", required=True) or ""
        if queue and queue not in queue_names:
            r.problem(f"{key}.queue", f'unknown queue "{queue}"')
        priority = r.string(item, "priority", f"{key}.priority")
        if priority is not None and priority not in PRIORITIES:
            r.problem(f"{key}.priority", f"must be one of {', '.join(PRIORITIES)}, not {priority!r}")
        first = r.convert(item, "first_response", f"{key}.first_response", "0s", parse_duration) \
            if "first_response" in item else None
        resolution = r.convert(item, "resolution", f"{key}.resolution", "0s", parse_duration) \
            if "resolution" in item else None
        if first is None and resolution is None:
            r.problem(key, "give first_response, resolution or both")
        tz = r.convert(item, "timezone", f"{key}.timezone", zone, _zone)
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


def _reply_address(r: _Reader, svc: dict[str, Any], address: str) -> str:
    local, _, domain = address.partition("@")
    value = (r.string(svc, "reply_address", "service.reply_address") or f"{local}+{{token}}@{domain}").lower()
    if value.count("{token}") != 1 or not _EMAIL.match(value.replace("{token}", "x")):
        r.problem("service.reply_address", f'must be an address with one "{{token}}" in it, like '
                                           f'"{local}+{{token}}@{domain}", not {value!r}')
    elif "{token}" not in value.partition("@")[0]:
        r.problem("service.reply_address", '"{token}" must be in the part before the @')
    return value


def _agents(r: _Reader, data: dict[str, Any], queue_names: set[str], our: set[str]) -> tuple[AgentConfig, ...]:
    out: list[AgentConfig] = []
    for key, item in r.array(data, "agents", {"address", "name", "queues", "lead"}):
        address = (r.string(item, "address", f"{key}.address", required=True) or "").lower()
        if address and not _EMAIL.match(address):
            r.problem(f"{key}.address", f"not an address: {address!r}")
        if address in our:
            r.problem(f"{key}.address", f"{address} is one of the desk's own addresses")
        if any(a.address == address for a in out):
            r.problem(f"{key}.address", f"duplicate agent {address}")
        name = r.string(item, "name", f"{key}.name", default=address.partition("@")[0]) or address
        queues = item.get("queues", [])
        if not isinstance(queues, list) or not all(isinstance(q, str) for q in queues):
            r.problem(f"{key}.queues", "must be a list of queue names")
            queues = []
        for q in queues:
            if q not in queue_names:
                r.problem(f"{key}.queues", f'unknown queue "{q}"')
        lead = item.get("lead", False)
        if not isinstance(lead, bool):
            r.problem(f"{key}.lead", "must be true or false")
            lead = False
        out.append(AgentConfig(address=address, name=name, queues=tuple(queues), lead=lead))
    return tuple(out)


def load_config(path: Path) -> Config:
    """Read and validate; raises ConfigError listing every problem, or OSError if unreadable."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError([f"{path}: not valid TOML: {exc}"]) from None
    except UnicodeDecodeError:
        raise ConfigError([f"{path}: not UTF-8 text"]) from None
    base = path.resolve().parent
    r = _Reader(base)
    r.unknown(data, "(top level)", TOP_LEVEL)

    svc = r.table(data, "service", {"name", "address", "base_url", "ticket_prefix", "secret", "language",
                                    "data_dir", "auto_replies_per_hour", "timezone", "reply_address",
                                    "trusted_authserv_id", "reopen_days", "aliases", "relays_per_hour",
                                    "max_participants"})
    address = (r.string(svc, "address", "service.address", required=True) or "service@localhost").lower()
    if not _EMAIL.match(address):
        r.problem("service.address", f"not an address: {address!r}")
    prefix = r.string(svc, "ticket_prefix", "service.ticket_prefix", default="SD") or "SD"
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9]{0,9}", prefix):
        r.problem("service.ticket_prefix", f"{prefix!r}: use 1–10 letters or digits, starting with a letter")
    secret = r.secret(svc, "secret", "service.secret")
    if "secret" not in svc:
        r.problem("service.secret", 'missing: set a long random string, or "env:POSTDESK_SECRET" to read it '
                                    "from the environment (tracking links are signed with it)")
    elif secret is not None and len(secret) < 16:
        r.problem("service.secret", "too short: use at least 16 characters")
    data_dir = r.path(r.string(svc, "data_dir", "service.data_dir", default="var") or "var")

    web_t = r.table(data, "web", {"listen", "session_days", "login_link_minutes", "color", "login_domains",
                                  "max_file_size"})
    web = r.convert(web_t, "listen", "web.listen", "127.0.0.1:8025", parse_listen)
    base_url = (r.string(svc, "base_url", "service.base_url") or f"http://{web}").rstrip("/")
    if not re.match(r"^https?://", base_url):
        r.problem("service.base_url", f"must start with http:// or https://, not {base_url!r}")

    service = ServiceConfig(
        name=r.string(svc, "name", "service.name", default="Service desk") or "Service desk",
        address=address, base_url=base_url, ticket_prefix=prefix.upper(),
        secret=(secret or "").encode(), data_dir=data_dir,
        language=r.choice(svc, "language", "service.language", "ru", LANGUAGES),
        auto_replies_per_hour=r.integer(svc, "auto_replies_per_hour", "service.auto_replies_per_hour", 5),
        timezone=r.convert(svc, "timezone", "service.timezone", "UTC", _zone),
        reply_address=_reply_address(r, svc, address),
        trusted_authserv_id=(r.string(svc, "trusted_authserv_id", "service.trusted_authserv_id") or "").lower()
        or None,
        reopen_days=r.integer(svc, "reopen_days", "service.reopen_days", 14),
        aliases=r.addresses(svc.get("aliases", []), "service.aliases"),
        relays_per_hour=r.integer(svc, "relays_per_hour", "service.relays_per_hour", 5, 1),
        max_participants=r.integer(svc, "max_participants", "service.max_participants", 50),
    )

    db = r.table(data, "database", {"url"})
    database_url = _database_url(r.string(db, "url", "database.url"), data_dir, base)

    si = r.table(data, "smtp_in", {"listen", "max_message_size", "protocol", "max_recipients", "max_connections",
                                   "max_connections_per_ip", "idle_timeout", "trusted_relays"})
    smtp_in = SmtpInConfig(
        listen=r.convert(si, "listen", "smtp_in.listen", "127.0.0.1:2525", parse_listen),
        max_message_size=r.convert(si, "max_message_size", "smtp_in.max_message_size", "25MB", parse_size),
        protocol=r.choice(si, "protocol", "smtp_in.protocol", "smtp", ("smtp", "lmtp")),
        max_recipients=r.integer(si, "max_recipients", "smtp_in.max_recipients", 1000, minimum=100),
        max_connections=r.integer(si, "max_connections", "smtp_in.max_connections", 200, minimum=1),
        max_connections_per_ip=r.integer(si, "max_connections_per_ip", "smtp_in.max_connections_per_ip", 50,
                                         minimum=1),
        idle_timeout=r.convert(si, "idle_timeout", "smtp_in.idle_timeout", "5m", parse_duration),
        trusted_relays=r.convert(si, "trusted_relays", "smtp_in.trusted_relays", ["127.0.0.0/8", "::1"],
                                 parse_networks),
    )

    so = r.table(data, "smtp_out", {"maildir", "host", "port", "username", "password", "tls", "timeout",
                                    "max_attempts", "retry_after", "rate", "ca_file"})
    host = r.string(so, "host", "smtp_out.host")
    maildir = r.string(so, "maildir", "smtp_out.maildir")
    if host and maildir:
        r.problem("smtp_out", "give either maildir or host, not both")
    tls = r.choice(so, "tls", "smtp_out.tls", "starttls" if host else "none", ("none", "starttls", "implicit"))
    smtp_out = SmtpOutConfig(
        maildir=None if host else r.path(maildir or str(data_dir / "outbox")),
        host=host,
        port=r.integer(so, "port", "smtp_out.port", 465 if tls == "implicit" else 587 if host else 25, 1),
        username=r.string(so, "username", "smtp_out.username"),
        password=r.secret(so, "password", "smtp_out.password"),
        tls=tls,
        timeout=r.convert(so, "timeout", "smtp_out.timeout", "30s", parse_duration),
        max_attempts=r.integer(so, "max_attempts", "smtp_out.max_attempts", 12, 1),
        retry_after=r.convert(so, "retry_after", "smtp_out.retry_after", "30s", parse_duration),
        rate=r.convert(so, "rate", "smtp_out.rate", "0/s", parse_rate) or None,
        ca_file=r.ca_file(so, "ca_file", "smtp_out.ca_file"),
    )

    queues = _queues(r, data)
    names = {q.name for q in queues}
    rt = r.table(data, "routing", {"default_queue"})
    default_queue = r.string(rt, "default_queue", "routing.default_queue",
                             default=queues[0].name if queues else "general") or "general"
    if queues and default_queue not in names:
        r.problem("routing.default_queue", f'unknown queue "{default_queue}"')
    for q in queues:
        if address in q.addresses:
            r.problem("service.address", f"{address} is also an address of queue {q.name!r}")
        for alias in set(service.aliases) & set(q.addresses):
            r.problem("service.aliases", f"{alias} is an address of queue {q.name!r}, not the service's")
    if address in service.aliases:
        r.problem("service.aliases", f"{address} is service.address itself")
    routing = RoutingTable(queues=queues, rules=_rules(r, data, names), default_queue=default_queue)

    mailboxes = _mailboxes(r, data, names)
    agents = _agents(r, data, names, our={address, *service.aliases, *(a for q in queues for a in q.addresses)})

    tpl = r.table(data, "templates", {"dir"})
    tdir = r.string(tpl, "dir", "templates.dir")
    templates_dir = r.path(tdir) if tdir else None
    if templates_dir is not None and not templates_dir.is_dir():
        r.problem("templates.dir", f"not a directory: {templates_dir}")

    tk = r.table(data, "tickets", {"pending_reminder", "pending_autoresolve", "close_after", "rating_reminder"})

    def days(key: str, default: str) -> timedelta:
        return timedelta(seconds=r.convert(tk, key, f"tickets.{key}", default, parse_duration))
    timers = TimerSettings(pending_reminder=days("pending_reminder", "3d"),
                           pending_autoresolve=days("pending_autoresolve", "7d"),
                           close_after=days("close_after", "7d"), rating_reminder=days("rating_reminder", "2d"))
    if timers.pending_reminder >= timers.pending_autoresolve:
        r.problem("tickets.pending_reminder", "must be shorter than tickets.pending_autoresolve")

    sla = _sla(r, data, names, service.timezone)

    nw = r.table(data, "news", {"dir", "address", "editors", "remote_images"})
    remote_images = nw.get("remote_images", False)
    if not isinstance(remote_images, bool):
        r.problem("news.remote_images", "must be true or false")
        remote_images = False
    news_address = (r.string(nw, "address", "news.address") or "").lower() or None
    if news_address and not _EMAIL.match(news_address):
        r.problem("news.address", f"not an address: {news_address!r}")
    news_editors = r.addresses(nw.get("editors", []), "news.editors")
    if news_editors and not news_address:
        r.problem("news.editors", "editors publish by mail to news.address: set it too")
    ndir = r.string(nw, "dir", "news.dir")
    news_dir = r.path(ndir) if ndir else None
    if news_dir is not None and not news_dir.is_dir():
        r.problem("news.dir", f"not a directory: {news_dir}")
    digests = _digests(r, data, service.timezone)

    kb = r.table(data, "knowledge", {"dir"})
    kdir = r.string(kb, "dir", "knowledge.dir")
    knowledge_dir = r.path(kdir) if kdir else None
    if knowledge_dir is not None and not knowledge_dir.is_dir():
        r.problem("knowledge.dir", f"not a directory: {knowledge_dir}")

    retention = _retention(r, data)
    model = parse_model(r, data)

    color = r.string(web_t, "color", "web.color", default="#0b5cad") or "#0b5cad"
    if not re.fullmatch(r"#[0-9a-fA-F]{6}", color):
        r.problem("web.color", f"{color!r}: write it as #rrggbb")
    domains = web_t.get("login_domains", [address.partition("@")[2]])
    if not isinstance(domains, list) or not all(isinstance(d, str) and re.fullmatch(r"[\w.-]+\.\w+", d)
                                                for d in domains):
        r.problem("web.login_domains", 'must be a list of domains, e.g. ["corp.example"]')
        domains = []
    services, found = parse_services(data.get("services"), names)
    r.problems.extend(found)
    portal = PortalSettings(
        session_days=r.integer(web_t, "session_days", "web.session_days", 30, 1),
        login_link_minutes=r.integer(web_t, "login_link_minutes", "web.login_link_minutes", 15, 1),
        color=color.lower(), login_domains=tuple(d.lower() for d in domains),
        max_file_size=r.convert(web_t, "max_file_size", "web.max_file_size", "10MB", parse_size), services=services)

    if r.problems:
        raise ConfigError(r.problems)
    return Config(path=path.resolve(), service=service, database_url=database_url, smtp_in=smtp_in,
                  smtp_out=smtp_out, web=web, routing=routing, templates_dir=templates_dir,
                  mailboxes=mailboxes, agents=agents, knowledge_dir=knowledge_dir, timers=timers,
                  sla=sla, news_dir=news_dir, digests=digests, news_address=news_address,
                  news_editors=news_editors, news_remote_images=remote_images, retention=retention,
                  portal=portal, model=model)
