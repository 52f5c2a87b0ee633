"""The facts one mail is decided on: a frozen snapshot the caller gathers, so the decision itself does no I/O.

The daemon gathers them from its database (daemon/pipeline/facts.py) before it decides and acts; `postdesk route-test`
gathers the same ones, read-only, so the dry run and the daemon decide on the same values. Nothing here
imports storage: a ticket is seen as a `Thread`, the config as a `Desk`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from postdesk.routing.commands import AgentRef
from postdesk.routing.model import RoutingTable
from postdesk.routing.route import Predictor

# A mail to the service address whose subject (or only words) is one of these asks for something other
# than a new request: the sender's open tickets, or the news by mail on or off.
STATUS_SUBJECTS = frozenset({"status", "статус", "мои заявки", "my requests", "статус заявок", "мои обращения"})
UNSUBSCRIBE_WORDS = frozenset({"unsubscribe", "отписаться", "отписка", "отпишите меня", "unsubscribe me"})
SUBSCRIBE_WORDS = frozenset({"subscribe", "подписаться", "подпишите меня", "subscribe me"})


@dataclass(frozen=True, slots=True)
class Thread:
    """The ticket a mail belongs to, as the decision needs it: `ref` is its reference (SD-12), `participants`
    the lower-cased addresses of the people taking part."""

    id: int
    ref: str
    status: str
    updated_at: datetime
    resolved_at: datetime | None = None
    participants: frozenset[str] = frozenset()

    def is_participant(self, email: str | None) -> bool:
        return email is not None and email.lower() in self.participants


@dataclass(frozen=True, slots=True)
class Claim:
    """A ticket and an agent a mail points to: its signed reply address decoded, or the notification it
    answers. Only a claim: it proves the agent when the From is that agent's too."""

    ticket_id: int
    agent: str


@dataclass(frozen=True, slots=True)
class Bounce:
    """The outbox row a permanent-failure report is provably about (its VERP tag, or the one Message-ID it
    quotes, sent to that one recipient): only then does it hold `recipients`. `thread` is that mail's ticket
    when the report names no thread of its own."""

    outbox_id: int
    how: str  # "VERP" | "Message-ID"
    recipients: tuple[str, ...]
    ticket_id: int | None = None
    thread: Thread | None = None


@dataclass(frozen=True, slots=True)
class Delivered:
    """This copy of the mail as it was stored: its mailbox (and that mailbox's queue) and the inbound
    row's options that change the decision."""

    mailbox: str = "service"
    queue: str | None = None
    too_large: int | None = None  # bytes of a mail left on the IMAP server for its size
    web: str | None = None  # "solved" | "rating": a click on the requester's page, turned into a row
    score: int | None = None
    comment: str = ""
    silent: bool = False  # a history import: threads join whatever their status, nothing reopens, nobody hears
    untrusted_peer: str | None = None  # handed over by a client that is not our MX: its Authentication-Results
    # prove nothing, whatever authserv-id they name


@dataclass(frozen=True, slots=True)
class Desk:
    """What the decision needs of the config, as plain values (built once per config by the caller);
    `predict` is the learned routing model when [model] is on (a pure function of the mail, asked by
    routing.route.decide only where the rules leave it room)."""

    routing: RoutingTable
    agents: tuple[AgentRef, ...] = ()
    reopen_days: int = 14
    trusted_authserv_id: str | None = None
    own_domains: frozenset[str] = frozenset()  # the service's, the queues', the agents' domains: employees
    our_addresses: frozenset[str] = frozenset()  # the desk's own, lower case (Config.our_addresses)
    news_editors: frozenset[str] = frozenset()
    status_subjects: frozenset[str] = STATUS_SUBJECTS
    predict: Predictor | None = field(default=None, compare=False)

    def agent(self, address: str | None) -> AgentRef | None:
        address = (address or "").lower()
        return next((a for a in self.agents if a.address == address), None)

    def employee(self, address: str) -> bool:
        """From one of the center's own domains."""
        domain = address.rpartition("@")[2]
        return bool(domain) and domain in self.own_domains


@dataclass(frozen=True, slots=True)
class Identity:
    """Who wrote, as far as the desk can prove it: `agent` only when proven (`how` says by what);
    `addressed` is the agent whose signed reply address (or notification) the mail used, `ticket_id` the
    ticket that names. `contradicted`: our MX's authentication says the From is not genuine."""

    agent: AgentRef | None = None
    addressed: AgentRef | None = None
    ticket_id: int | None = None
    how: str = ""
    spoof: str | None = None
    contradicted: str | None = None

    def describe(self) -> str:
        if self.agent is not None:
            return f"agent {self.agent.address}, proven by {self.how}"
        if self.contradicted:
            return f"not who its From says: {self.contradicted}"
        if self.addressed is not None:
            return f"not the agent {self.addressed.address}, whose signed reply address it used"
        return "no agent" + (f" ({self.spoof})" if self.spoof else "")


@dataclass(frozen=True, slots=True)
class Facts:
    """Everything one mail is decided on besides the mail itself. `waits` is the Message-ID of an earlier
    mail it answers that is not processed yet; `known`: the mail is already on `thread`; `bounce`: what a
    bounce provably returns (daemon/pipeline/bounces.py), else None."""

    desk: Desk
    now: datetime | None = None
    who: Identity = field(default_factory=Identity)
    thread: Thread | None = None
    known: bool = False
    waits: str | None = None
    bounce: Bounce | None = None
    delivered: Delivered = field(default_factory=Delivered)
