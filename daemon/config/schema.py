"""The config's values, frozen, each with its default written once, here.

The loader (config/load.py) takes every default it does not find in the file from these dataclasses
(`default(cls, field)`), and the README's configuration reference is checked against them
(tests/daemon/test_config_docs.py), so a default changed here changes everywhere. Defaults that follow
from another value (the relay port from its TLS mode, the reply address from the service address) are
the `default_*` functions beside their field."""

from __future__ import annotations

import dataclasses
import ipaddress
import re
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from postdesk.daemon.config.model import ModelConfig
from postdesk.daemon.web.portal.catalog import PortalSettings
from postdesk.parsers.addresses import mailbox_of
from postdesk.parsers.model import ParseOptions
from postdesk.routing.model import RoutingTable
from postdesk.routing.sla import SlaPolicy
from postdesk.routing.timers import TimerSettings

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
LANGUAGES = ("ru", "en")


def default(cls: type, name: str) -> Any:
    """The default of `cls.name` as the schema writes it: the loader's fallback for a key left out."""
    for f in dataclasses.fields(cls):
        if f.name == name:
            if f.default is not dataclasses.MISSING:
                return f.default
            if f.default_factory is not dataclasses.MISSING:
                return f.default_factory()
            break
    raise LookupError(f"{cls.__name__}.{name} has no default")


def keys(cls: type) -> set[str]:
    """The TOML keys of a section whose keys are the fields of `cls`, one for one."""
    return {f.name for f in dataclasses.fields(cls)}


@dataclass(frozen=True, slots=True)
class Listen:
    host: str
    port: int

    def __str__(self) -> str:
        return f"{self.host}:{self.port}"


@dataclass(frozen=True, slots=True)
class ServiceConfig:
    address: str
    secret: bytes
    base_url: str  # default_base_url: the web listener's
    name: str = "Service desk"
    ticket_prefix: str = "SD"
    language: str = "ru"
    data_dir: Path = Path("var")  # relative to the config file
    auto_replies_per_hour: int = 5
    timezone: str = "UTC"
    reply_address: str = ""  # agents' replies go here; "{token}" is filled per agent and ticket (default_reply_address)
    trusted_authserv_id: str | None = None  # whose Authentication-Results may vouch for an agent's From
    reopen_days: int = 14  # a requester's reply reopens a resolved ticket this long; later it opens a new one
    aliases: tuple[str, ...] = ()  # other addresses the MTA delivers to the service address (helpdesk@ → service@)
    relays_per_hour: int = 5  # an agent's replies relayed per ticket and hour; more are kept, not sent (loops)
    max_participants: int = 50  # people a new ticket takes from To/Cc; the rest are named in an event only

    @staticmethod
    def default_base_url(web: Listen) -> str:
        return f"http://{web}"

    @staticmethod
    def default_reply_address(address: str) -> str:
        """`service+{token}@domain`: plus-addressing brings the agents' replies to the service address."""
        local, _, domain = address.partition("@")
        return f"{local}+{{token}}@{domain}"

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
    timezone: str  # the service's time zone unless given
    audience: str = "requesters"  # requesters | all-known
    active_days: int = 180


@dataclass(frozen=True, slots=True)
class RetentionConfig:
    """How long the raw bytes of mail are kept once they did their work; None keeps them forever."""

    raw_mail: timedelta | None = None


@dataclass(frozen=True, slots=True)
class AgentConfig:
    """An agent of the center: notified of new requests in `queues`, answers them by mail."""

    address: str
    name: str  # default_name: the address's local part
    queues: tuple[str, ...] = ()
    lead: bool = False

    @staticmethod
    def default_name(address: str) -> str:
        return address.partition("@")[0]


@dataclass(frozen=True, slots=True)
class SmtpInConfig:
    """The SMTP/LMTP ingress and its limits: each refusal tells the client why (daemon/ingress/smtp.py)."""

    listen: Listen = Listen("127.0.0.1", 2525)
    max_message_size: int = 25_000_000  # "25MB"
    protocol: str = "smtp"  # smtp | lmtp
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

    maildir: Path | None  # default_maildir, when there is no relay host
    port: int  # default_port
    tls: str  # default_tls
    host: str | None = None
    username: str | None = None
    password: str | None = None
    timeout: float = 30.0
    max_attempts: int = 12
    retry_after: float = 30.0
    rate: float | None = None  # mails a second at most (digests must not flood the relay)
    ca_file: Path | None = None  # certificates to trust instead of the system's (a company's own CA)

    @staticmethod
    def default_maildir(data_dir: Path) -> Path:
        return data_dir / "outbox"

    @staticmethod
    def default_tls(host: str | None) -> str:
        return "starttls" if host else "none"

    @staticmethod
    def default_port(tls: str, host: str | None) -> int:
        return 465 if tls == "implicit" else 587 if host else 25


@dataclass(frozen=True, slots=True)
class MailboxConfig:
    """One department mailbox read over IMAP; `after` says what happens to a mail once it is stored."""

    name: str
    host: str
    port: int  # default_port
    username: str
    tls: str = "implicit"  # implicit | starttls | none
    password: str | None = None
    oauth2_token_command: str | None = None
    folder: str = "INBOX"
    after: str = "move:Processed"  # seen | delete | move:FOLDER
    queue: str | None = None
    idle: bool = True
    poll_interval: float = 60.0
    quarantine_folder: str | None = None
    batch_size: int = 50
    ca_file: Path | None = None  # certificates to trust instead of the system's (a company's own CA)

    @staticmethod
    def default_port(tls: str) -> int:
        return 993 if tls == "implicit" else 143

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
    database_url: str  # default_database_url
    smtp_out: SmtpOutConfig
    routing: RoutingTable
    smtp_in: SmtpInConfig = field(default_factory=SmtpInConfig)
    web: Listen = Listen("127.0.0.1", 8025)
    templates_dir: Path | None = None
    mailboxes: tuple[MailboxConfig, ...] = ()
    agents: tuple[AgentConfig, ...] = ()
    knowledge_dir: Path | None = None
    timers: TimerSettings = field(default_factory=TimerSettings)
    sla: tuple[SlaPolicy, ...] = ()
    news_dir: Path | None = None
    digests: tuple[DigestConfig, ...] = ()
    news_address: str | None = None  # editors publish by mailing it
    news_editors: tuple[str, ...] = ()
    news_remote_images: bool = False  # digests may load images from other hosts (tracking pixels) only if set
    retention: RetentionConfig = field(default_factory=RetentionConfig)
    portal: PortalSettings = field(default_factory=PortalSettings)
    model: ModelConfig = field(default_factory=ModelConfig)  # [model]: learned routing
    # our_addresses(), computed once: is_ours() asks it for every recipient of every mail we write
    _ours: frozenset[str] = field(init=False, repr=False, compare=False, default=frozenset())

    def __post_init__(self) -> None:
        found = {self.service.address, *self.service.aliases}
        for q in self.routing.queues:
            found.update(q.addresses)
        found.update(m.username.lower() for m in self.mailboxes if "@" in m.username)
        if self.news_address:
            found.add(self.news_address)
        object.__setattr__(self, "_ours", frozenset(found))

    @staticmethod
    def default_database_url(data_dir: Path) -> str:
        return f"sqlite:///{data_dir / 'postdesk.db'}"

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
        return self._ours

    def is_ours(self, address: str | None) -> bool:
        """The one answer to "is this the desk itself?": the service address, its aliases, the departments',
        the mailboxes', the news address, and their `+` forms (signed reply addresses, VERP bounce senders).
        Never a participant, never suppressed, never answered."""
        address = (address or "").strip().lower().rstrip(".")  # `service@corp.example.`: the root's dot, still ours
        if "@" not in address:
            return False
        return address in self._ours or mailbox_of(address) in self._ours or self.service.reply_token_of(
            address) is not None
