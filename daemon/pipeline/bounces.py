"""Delivery failures, proven: a bounce or a refusal holds an address only when it is about a mail we sent.

Anyone can send a null-sender `multipart/report` naming any address, so a DSN proves nothing by itself. Each
recipient of each outbox row gets its own envelope sender, `service+bounces-<row>-<mac>@domain` (VERP, signed
with the service secret): a DSN to that address, naming that recipient as failed, is proof. Without it, a DSN
whose returned Message-ID is one of our rows *with that single recipient* counts too (only that recipient, or
whoever they showed the mail to, knows the Message-ID: they can silence only themselves) — unless a later mail
of ours in the thread named it to someone else too: a participant in copy reads the requester's
acknowledgment's Message-ID in the References of the agent's reply. Anything else is recorded and holds
nobody. An agent's address and the desk's own are never held: the queue's leads are told instead, once an hour
at most.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from postdesk.daemon.config import Config
from postdesk.daemon.logs import fields
from postdesk.daemon.outgoing.delivery import Refusal
from postdesk.daemon.outgoing.mailer import Mailer, ref_of
from postdesk.daemon.outgoing.send import BOUNCE_NOTICE
from postdesk.daemon.web.tokens import bounce_outbox_id, bounce_token, verify_bounce_token
from postdesk.parsers import AutoVerdict, InboundMail
from postdesk.storage.db import Database
from postdesk.storage.models import utcnow
from postdesk.storage.tickets import TicketStore, Tx
from postdesk.storage.views import OutboxView, TicketView
from postdesk.templates.render import Renderer

log = logging.getLogger("postdesk.bounces")

SUPPRESS_FOR = timedelta(days=30)  # an address that failed for good gets no mail this long
NOTICE_KIND = BOUNCE_NOTICE.kind  # the outbox kind of a notice to the leads: its own failure never makes another


@dataclass(frozen=True, slots=True)
class Proof:
    """Which of our rows a bounce returns, and the recipients of that row it may hold."""

    outbox_id: int
    ticket_id: int | None
    recipients: tuple[str, ...]
    how: str  # "VERP" | "Message-ID"


def verp_sender(config: Config, outbox_id: int, recipient: str) -> str:
    """The envelope sender of one recipient's copy of an outbox row."""
    svc = config.service
    return svc.bounce_address(bounce_token(svc.secret, outbox_id, recipient))


def _bounce_tag(config: Config, address: str) -> tuple[str, int] | None:
    """The VERP tag of one of our envelope senders (`service+bounces-<id>-<mac>@…`) and the outbox id it claims;
    None for any other address (most mail: no `+` at all)."""
    if "+" not in address:
        return None
    local, _, domain = config.service.address.lower().partition("@")
    head, _, tail = address.lower().partition("@")
    base, _, token = head.partition("+")
    row_id = bounce_outbox_id(token) if base == local and tail == domain else None
    return (token, row_id) if row_id is not None else None


def prove(tx: Tx, config: Config, mail: InboundMail) -> Proof | None:
    """The outbox row a permanent-failure DSN is provably about, else None (a forgery, or not ours)."""
    failed = [a.lower() for a in mail.bounced_recipients]
    if not failed:
        return None
    tagged = False
    for address in dict.fromkeys(a.lower() for a in (*mail.envelope_to, *(x.email for x in mail.to if x.email))):
        if (tag := _bounce_tag(config, address)) is None:
            continue
        (token, row_id), tagged = tag, True
        recipient = verify_bounce_token(config.service.secret, token, row_id, failed)
        if recipient is None:
            log.warning("bounce to %s: the tag is not ours for %s; it holds nobody", address, ", ".join(failed))
            continue
        row = tx.outbox_row(row_id)
        if row is not None:
            return Proof(row.id, row.ticket_id, (recipient,), "VERP")
    if tagged:  # a made-up tag is a forgery: what it quotes proves nothing either
        return None
    for row in tx.outbox_rows_sent_as(mail.original_message_ids):
        if len(row.rcpt) == 1 and (to := row.rcpt[0].lower()) in failed and not tx.shown_to_others(row, to):
            return Proof(row.id, row.ticket_id, (to,), "Message-ID")
    return None


def to_our_sender(config: Config, mail: InboundMail) -> InboundMail:
    """The mail as automatic when it came to one of our envelope senders (`service+bounces-…`): people answer
    From or Reply-To, and only software writes to the envelope sender (RFC 3834 4: an auto-responder answers
    the Return-Path), so an out-of-office without `Auto-Submitted` there is recorded, never a follow-up that
    tells the agents or a new ticket. A bounce is automatic already; what it proves is `prove`'s."""
    if mail.auto is not None:
        return mail
    for address in (*mail.envelope_to, *(x.email for x in mail.to if x.email)):
        if _bounce_tag(config, address) is not None:
            return replace(mail, auto=AutoVerdict("auto-reply", f"sent to our envelope sender {address}, where "
                                                                 "only automatic mail goes (RFC 3834 4)"))
    return mail


def hold(tx: Tx, config: Config, mailer: Mailer, ticket: TicketView | None, addresses: Iterable[str], reason: str,
         now: datetime) -> list[str]:
    """Suppress each address that failed for good, with an event on the ticket; never an agent's or ours."""
    held: list[str] = []
    for address in dict.fromkeys(a.lower() for a in addresses):
        if config.is_ours(address):
            log.warning("%s, one of the desk's own addresses, failed (%s): not held", address, reason)
            continue
        agent = config.agent(address)
        if agent is not None:
            _tell_leads(tx, config, mailer, ticket, address, reason, now)
            continue
        until = now + SUPPRESS_FOR
        tx.suppress(address, until, reason, now)
        held.append(address)
        if ticket is not None:
            tx.add_event(ticket.id, actor="system", via="system", kind="suppressed", now=now, address=address,
                         until=until.isoformat(), reason=reason)
    return held


def _tell_leads(tx: Tx, config: Config, mailer: Mailer, ticket: TicketView | None, agent: str, reason: str,
                now: datetime) -> None:
    """An agent's mailbox refuses our mail: the leads hear of it (a short notification), nobody is held."""
    ref = ref_of(config, ticket.id) if ticket is not None else None
    log.warning("mail to agent %s failed (%s): not held; telling the leads", agent, reason, extra=fields(ticket=ref))
    if ticket is None:
        return
    tx.add_event(ticket.id, actor="system", via="system", kind="agent-undeliverable", now=now, address=agent,
                 reason=reason)
    leads = tuple(a for a in config.agents_of_queue(ticket.queue) or config.agents if a.lead and a.address != agent)
    if leads:  # at most [service] auto_replies_per_hour such notices to one lead (send.BOUNCE_NOTICE's rule)
        mailer.notify(tx, ticket, "agent-bounced", now, text=f"{agent}: {reason}", author=agent, to=leads,
                      rule=BOUNCE_NOTICE)


class Outcomes:
    """The outbox's side of the desk: VERP senders for rows, and failures for good recorded on their tickets."""

    def __init__(self, config: Config, renderer: Renderer, db: Database):
        self.config = config
        self.mailer = Mailer(config, renderer)
        self.store = TicketStore(db)

    def sender(self, row: OutboxView, recipient: str) -> str:
        return verp_sender(self.config, row.id, recipient)

    def failed(self, row: OutboxView, refused: Mapping[str, Refusal], reason: str | None = None) -> None:
        """Record a delivery failure on the row's ticket; recipients refused for good at RCPT are held,
        as a returned DSN would hold them (a refusal at DATA is about the mail, not the address)."""
        now = utcnow()
        with self.store.transaction() as tx:
            ticket = tx.ticket(row.ticket_id) if row.ticket_id is not None else None
            if ticket is not None:
                tx.add_event(ticket.id, actor="system", via="system", kind="delivery-failed", now=now,
                             outbox=row.id, message_id=row.message_id, kind_of=row.kind,
                             to=sorted(refused) or list(row.rcpt),
                             reason=reason or "; ".join(f"{a}: {r}" for a, r in sorted(refused.items())))
            for address, refusal in sorted(refused.items()):
                if refusal.permanent and refusal.stage == "rcpt":
                    hold(tx, self.config, self.mailer, ticket if row.kind != NOTICE_KIND else None, [address],
                         f"refused by the relay: {refusal}", now)
