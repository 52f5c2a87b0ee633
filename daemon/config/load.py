"""Reading the one TOML file an admin writes: every section validated into the schema's frozen values
(config/schema.py, where the defaults are), every problem collected with its key, and raised together.

`load_config` reads the sections in a fixed order; the problems come out in that order (the README and the
CLI show them as they come)."""

from __future__ import annotations

import dataclasses
import re
import tomllib
from datetime import timedelta
from pathlib import Path
from typing import Any

from postdesk.daemon.config import arrays
from postdesk.daemon.config.model import parse_model
from postdesk.daemon.config.reader import ConfigError, Reader
from postdesk.daemon.config.schema import (
    LANGUAGES,
    Config,
    Listen,
    RetentionConfig,
    ServiceConfig,
    SmtpInConfig,
    SmtpOutConfig,
    default,
    keys,
)
from postdesk.daemon.config.values import (
    EMAIL,
    parse_duration,
    parse_listen,
    parse_networks,
    parse_rate,
    parse_size,
    parse_zone,
)
from postdesk.daemon.web.portal.catalog import PortalSettings, parse_services
from postdesk.routing.model import RoutingTable
from postdesk.routing.timers import TimerSettings

TOP_LEVEL = {"service", "database", "smtp_in", "smtp_out", "web", "routing", "queues", "rules", "templates",
             "mailboxes", "agents", "knowledge", "tickets", "sla", "news", "digests", "retention",
             "services", "model"}
SERVICE_KEYS = keys(ServiceConfig)
WEB_KEYS = {"listen"} | keys(PortalSettings) - {"services"}  # [[services]] is a section of its own
SMTP_IN_KEYS = keys(SmtpInConfig)
SMTP_OUT_KEYS = keys(SmtpOutConfig)
TICKETS_KEYS = keys(TimerSettings)
KEEP_FOREVER = ("forever", "never")
MIN_RETENTION = 86400.0  # a bare number is seconds: `raw_mail = 180` must not purge mail three minutes old


def load_config(path: Path) -> Config:
    """Read and validate; raises ConfigError listing every problem, or OSError if unreadable."""
    data = _toml(path)
    r = Reader(path.resolve().parent)
    r.unknown(data, "(top level)", TOP_LEVEL)
    service, web_table, web = _service(r, data)
    database_url = _database_url(r, data, service.data_dir)
    smtp_in = _smtp_in(r, data)
    smtp_out = _smtp_out(r, data, service.data_dir)
    routing = _routing(r, data, service)
    names = {q.name for q in routing.queues}
    mailboxes = arrays.mailboxes(r, data, names)
    agents = arrays.agents(r, data, names, our={service.address, *service.aliases,
                                                 *(a for q in routing.queues for a in q.addresses)})
    templates_dir = r.directory(r.table(data, "templates", {"dir"}), "dir", "templates.dir")
    timers = _timers(r, data)
    sla = arrays.sla(r, data, names, service.timezone)
    news = _news(r, data)
    digests = arrays.digests(r, data, service.timezone)
    knowledge_dir = r.directory(r.table(data, "knowledge", {"dir"}), "dir", "knowledge.dir")
    retention = _retention(r, data)
    model = parse_model(r, data)
    portal = _portal(r, data, web_table, names, service.address)
    if r.problems:
        raise ConfigError(r.problems)
    return Config(path=path.resolve(), service=service, database_url=database_url, smtp_in=smtp_in,
                  smtp_out=smtp_out, web=web, routing=routing, templates_dir=templates_dir,
                  mailboxes=mailboxes, agents=agents, knowledge_dir=knowledge_dir, timers=timers,
                  sla=sla, digests=digests, retention=retention, portal=portal, model=model, **news)


def _toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError([f"{path}: not valid TOML: {exc}"]) from None
    except UnicodeDecodeError:
        raise ConfigError([f"{path}: not UTF-8 text"]) from None


def _service(r: Reader, data: dict[str, Any]) -> tuple[ServiceConfig, dict[str, Any], Listen]:
    """`[service]`, and `[web] listen` that its base_url defaults to; the `[web]` table for the portal's keys."""
    svc = r.table(data, "service", SERVICE_KEYS)
    address = (r.string(svc, "address", "service.address", required=True) or "service@localhost").lower()
    if not EMAIL.match(address):
        r.problem("service.address", f"not an address: {address!r}")
    prefix = r.string(svc, "ticket_prefix", "service.ticket_prefix", default=_d("ticket_prefix")) or _d(
        "ticket_prefix")
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9]{0,9}", prefix):
        r.problem("service.ticket_prefix", f"{prefix!r}: use 1–10 letters or digits, starting with a letter")
    secret = _secret(r, svc)
    data_dir = r.path(r.string(svc, "data_dir", "service.data_dir", default=str(_d("data_dir")))
                      or str(_d("data_dir")))
    web_table = r.table(data, "web", WEB_KEYS)
    web = r.convert(web_table, "listen", "web.listen", default(Config, "web"), parse_listen)
    base_url = (r.string(svc, "base_url", "service.base_url") or ServiceConfig.default_base_url(web)).rstrip("/")
    if not re.match(r"^https?://", base_url):
        r.problem("service.base_url", f"must start with http:// or https://, not {base_url!r}")
    service = ServiceConfig(
        name=r.string(svc, "name", "service.name", default=_d("name")) or _d("name"),
        address=address, base_url=base_url, ticket_prefix=prefix.upper(), secret=secret, data_dir=data_dir,
        language=r.choice(svc, "language", "service.language", _d("language"), LANGUAGES),
        auto_replies_per_hour=r.integer(svc, "auto_replies_per_hour", "service.auto_replies_per_hour",
                                        _d("auto_replies_per_hour")),
        timezone=r.convert(svc, "timezone", "service.timezone", _d("timezone"), parse_zone),
        reply_address=_reply_address(r, svc, address),
        trusted_authserv_id=(r.string(svc, "trusted_authserv_id", "service.trusted_authserv_id") or "").lower()
        or None,
        reopen_days=r.integer(svc, "reopen_days", "service.reopen_days", _d("reopen_days")),
        aliases=r.addresses(svc.get("aliases", list(_d("aliases"))), "service.aliases"),
        relays_per_hour=r.integer(svc, "relays_per_hour", "service.relays_per_hour", _d("relays_per_hour"), 1),
        max_participants=r.integer(svc, "max_participants", "service.max_participants", _d("max_participants")),
    )
    return service, web_table, web


def _d(name: str) -> Any:
    """A `[service]` key's default."""
    return default(ServiceConfig, name)


def _secret(r: Reader, svc: dict[str, Any]) -> bytes:
    secret = r.secret(svc, "secret", "service.secret")
    if "secret" not in svc:
        r.problem("service.secret", 'missing: set a long random string, or "env:POSTDESK_SECRET" to read it '
                                    "from the environment (tracking links are signed with it)")
    elif secret is not None and len(secret) < 16:
        r.problem("service.secret", "too short: use at least 16 characters")
    return (secret or "").encode()


def _reply_address(r: Reader, svc: dict[str, Any], address: str) -> str:
    local, _, domain = address.partition("@")
    value = (r.string(svc, "reply_address", "service.reply_address")
             or ServiceConfig.default_reply_address(address)).lower()
    if value.count("{token}") != 1 or not EMAIL.match(value.replace("{token}", "x")):
        r.problem("service.reply_address", f'must be an address with one "{{token}}" in it, like '
                                           f'"{local}+{{token}}@{domain}", not {value!r}')
    elif "{token}" not in value.partition("@")[0]:
        r.problem("service.reply_address", '"{token}" must be in the part before the @')
    return value


def _database_url(r: Reader, data: dict[str, Any], data_dir: Path) -> str:
    """SQLite under the data directory by default; a relative SQLite path is relative to the config."""
    url = r.string(r.table(data, "database", {"url"}), "url", "database.url")
    if not url:
        return Config.default_database_url(data_dir)
    if url.startswith("sqlite:///") and not url.startswith("sqlite:////") and url != "sqlite:///:memory:":
        return f"sqlite:///{(r.base / url[len('sqlite:///'):]).resolve()}"
    return url


def _smtp_in(r: Reader, data: dict[str, Any]) -> SmtpInConfig:
    si = r.table(data, "smtp_in", SMTP_IN_KEYS)

    def get(name: str) -> Any:
        return default(SmtpInConfig, name)
    return SmtpInConfig(
        listen=r.convert(si, "listen", "smtp_in.listen", get("listen"), parse_listen),
        max_message_size=r.convert(si, "max_message_size", "smtp_in.max_message_size", get("max_message_size"),
                                   parse_size),
        protocol=r.choice(si, "protocol", "smtp_in.protocol", get("protocol"), ("smtp", "lmtp")),
        max_recipients=r.integer(si, "max_recipients", "smtp_in.max_recipients", get("max_recipients"), 100),
        max_connections=r.integer(si, "max_connections", "smtp_in.max_connections", get("max_connections"), 1),
        max_connections_per_ip=r.integer(si, "max_connections_per_ip", "smtp_in.max_connections_per_ip",
                                         get("max_connections_per_ip"), 1),
        idle_timeout=r.convert(si, "idle_timeout", "smtp_in.idle_timeout", get("idle_timeout"), parse_duration),
        trusted_relays=r.convert(si, "trusted_relays", "smtp_in.trusted_relays", get("trusted_relays"),
                                 parse_networks),
    )


def _smtp_out(r: Reader, data: dict[str, Any], data_dir: Path) -> SmtpOutConfig:
    so = r.table(data, "smtp_out", SMTP_OUT_KEYS)

    def get(name: str) -> Any:
        return default(SmtpOutConfig, name)
    host = r.string(so, "host", "smtp_out.host")
    maildir = r.string(so, "maildir", "smtp_out.maildir")
    if host and maildir:
        r.problem("smtp_out", "give either maildir or host, not both")
    tls = r.choice(so, "tls", "smtp_out.tls", SmtpOutConfig.default_tls(host), ("none", "starttls", "implicit"))
    return SmtpOutConfig(
        maildir=None if host else r.path(maildir) if maildir else SmtpOutConfig.default_maildir(data_dir),
        host=host,
        port=r.integer(so, "port", "smtp_out.port", SmtpOutConfig.default_port(tls, host), 1),
        username=r.string(so, "username", "smtp_out.username"),
        password=r.secret(so, "password", "smtp_out.password"),
        tls=tls,
        timeout=r.convert(so, "timeout", "smtp_out.timeout", get("timeout"), parse_duration),
        max_attempts=r.integer(so, "max_attempts", "smtp_out.max_attempts", get("max_attempts"), 1),
        retry_after=r.convert(so, "retry_after", "smtp_out.retry_after", get("retry_after"), parse_duration),
        rate=r.convert(so, "rate", "smtp_out.rate", get("rate"), parse_rate) or None,  # "0/s": no limit
        ca_file=r.ca_file(so, "ca_file", "smtp_out.ca_file"),
    )


def _routing(r: Reader, data: dict[str, Any], service: ServiceConfig) -> RoutingTable:
    """`[[queues]]`, `[routing]`, `[[rules]]`; a queue may not claim the service's own addresses."""
    queues = arrays.queues(r, data, service.language)
    names = {q.name for q in queues}
    first = queues[0].name if queues else "general"  # the default queue: the first one
    default_queue = r.string(r.table(data, "routing", {"default_queue"}), "default_queue", "routing.default_queue",
                             default=first) or "general"
    if queues and default_queue not in names:
        r.problem("routing.default_queue", f'unknown queue "{default_queue}"')
    address = service.address
    for q in queues:
        if address in q.addresses:
            r.problem("service.address", f"{address} is also an address of queue {q.name!r}")
        for alias in set(service.aliases) & set(q.addresses):
            r.problem("service.aliases", f"{alias} is an address of queue {q.name!r}, not the service's")
    if address in service.aliases:
        r.problem("service.aliases", f"{address} is service.address itself")
    return RoutingTable(queues=queues, rules=arrays.rules(r, data, names), default_queue=default_queue)


def _timers(r: Reader, data: dict[str, Any]) -> TimerSettings:
    tk = r.table(data, "tickets", TICKETS_KEYS)

    def span(key: str) -> timedelta:
        return timedelta(seconds=r.convert(tk, key, f"tickets.{key}", default(TimerSettings, key).total_seconds(),
                                           parse_duration))
    timers = TimerSettings(**{f.name: span(f.name) for f in dataclasses.fields(TimerSettings)})
    if timers.pending_reminder >= timers.pending_autoresolve:
        r.problem("tickets.pending_reminder", "must be shorter than tickets.pending_autoresolve")
    return timers


def _news(r: Reader, data: dict[str, Any]) -> dict[str, Any]:
    """`[news]`: the Config's news_* fields."""
    nw = r.table(data, "news", {"dir", "address", "editors", "remote_images"})
    remote_images = r.boolean(nw, "remote_images", "news.remote_images", default(Config, "news_remote_images"))
    news_address = r.address(nw, "address", "news.address") or None
    news_editors = r.addresses(nw.get("editors", list(default(Config, "news_editors"))), "news.editors")
    if news_editors and not news_address:
        r.problem("news.editors", "editors publish by mail to news.address: set it too")
    return {"news_dir": r.directory(nw, "dir", "news.dir"), "news_address": news_address,
            "news_editors": news_editors, "news_remote_images": remote_images}


def _retention(r: Reader, data: dict[str, Any]) -> RetentionConfig:
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


def _portal(r: Reader, data: dict[str, Any], web: dict[str, Any], names: set[str], address: str) -> PortalSettings:
    """`[web]`'s portal keys and `[[services]]` (its catalog, read by web/portal/catalog.py)."""
    def get(name: str) -> Any:
        return default(PortalSettings, name)
    color = r.string(web, "color", "web.color", default=get("color")) or get("color")
    if not re.fullmatch(r"#[0-9a-fA-F]{6}", color):
        r.problem("web.color", f"{color!r}: write it as #rrggbb")
    domains = web.get("login_domains", [address.partition("@")[2]])  # the service address's domain
    if not isinstance(domains, list) or not all(isinstance(d, str) and re.fullmatch(r"[\w.-]+\.\w+", d)
                                                for d in domains):
        r.problem("web.login_domains", 'must be a list of domains, e.g. ["corp.example"]')
        domains = []
    services, found = parse_services(data.get("services"), names)
    r.problems.extend(found)
    return PortalSettings(
        session_days=r.integer(web, "session_days", "web.session_days", get("session_days"), 1),
        login_link_minutes=r.integer(web, "login_link_minutes", "web.login_link_minutes", get("login_link_minutes"),
                                     1),
        color=color.lower(), login_domains=tuple(d.lower() for d in domains),
        max_file_size=r.convert(web, "max_file_size", "web.max_file_size", get("max_file_size"), parse_size),
        idle_timeout=r.convert(web, "idle_timeout", "web.idle_timeout", get("idle_timeout"), parse_duration),
        services=services)
