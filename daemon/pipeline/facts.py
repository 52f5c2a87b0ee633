"""Gather the facts one mail is decided on (routing.facts), from the database and the config.

Used by the pipeline before it decides (routing.decision.decide_mail) and by `postdesk route-test`, in a
transaction it rolls back, so the dry run sees exactly what the daemon would. Only reads.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from postdesk.daemon.config import Config
from postdesk.daemon.pipeline import bounces
from postdesk.daemon.web.tokens import decimal_id, verify_reply_token
from postdesk.parsers import InboundMail
from postdesk.routing.commands import AgentRef
from postdesk.routing.decision import identify
from postdesk.routing.facts import Bounce, Claim, Delivered, Desk, Facts, Thread
from postdesk.routing.route import Predictor
from postdesk.storage.tickets import Tx
from postdesk.storage.views import InboundView, TicketView


@dataclass(frozen=True, slots=True)
class Gathered:
    """The facts, and the ticket they name as storage sees it (the handlers change that one)."""

    facts: Facts
    ticket: TicketView | None


def desk_of(config: Config, predict: Predictor | None = None) -> Desk:
    """The config as the decision needs it, with the learned model if any (daemon/learning/predictor.py); built once
    per pipeline."""
    own = {a.rpartition("@")[2] for a in (*config.our_addresses(), *(x.address for x in config.agents))}
    return Desk(routing=config.routing, agents=tuple(AgentRef(a.address, a.name) for a in config.agents),
                reopen_days=config.service.reopen_days, trusted_authserv_id=config.service.trusted_authserv_id,
                own_domains=frozenset(own - {""}), our_addresses=frozenset(a.lower() for a in config.our_addresses()),
                news_editors=frozenset(e.lower() for e in config.news_editors),
                predict=predict)


def thread_of(config: Config, ticket: TicketView) -> Thread:
    return Thread(ticket.id, f"{config.service.ticket_prefix}-{ticket.id}", ticket.status, ticket.updated_at,
                  ticket.resolved_at, frozenset(p.email for p in ticket.participants))


def delivered_of(row: InboundView) -> Delivered:
    """The inbound row's mailbox and the options (written by the ingresses and the web page) that matter."""
    o = row.options
    return Delivered(mailbox=row.mailbox, queue=row.queue, too_large=o.too_large, web=o.web, score=o.score,
                     comment=o.comment, silent=o.silent, untrusted_peer=o.untrusted_peer)


def gather_facts(tx: Tx, mail: InboundMail, row: InboundView, config: Config, now: datetime,
                 desk: Desk | None = None) -> Gathered:
    """Who wrote (the signed address, the notification answered), the thread, whether the mail is already on
    it, or the earlier mail it waits for, and what a bounce provably returns. The same lookups, in the same
    order, the pipeline always made."""
    desk = desk or desk_of(config)
    delivered = delivered_of(row)
    if delivered.untrusted_peer and desk.trusted_authserv_id:  # not handed over by our MX: its results are claims
        desk = replace(desk, trusted_authserv_id=None)
    who = identify(mail, desk, *_claims(tx, mail, config)) if config.agents else identify(mail, desk, None, None)
    ticket = find_thread(tx, mail, config.service.ticket_prefix, named=who.ticket_id)
    if ticket is None and (answered := (*mail.in_reply_to, *mail.references)):
        if waits := tx.answers_pending(answered, row.id):
            return Gathered(Facts(desk, now, who, waits=waits, delivered=delivered), None)
        # another daemon may have committed the mail it answers between the two looks (its ticket and its row's
        # status commit together): no longer pending, so its ticket is there now
        ticket = find_thread(tx, mail, config.service.ticket_prefix, named=who.ticket_id)
    known = ticket is not None and tx.has_message(ticket.id, mail.message_id)
    bounce, about = _bounce(tx, mail, config), ticket
    if ticket is None and bounce is not None and bounce.ticket_id is not None:
        about = tx.hold_ticket(bounce.ticket_id)  # a bounce that names no thread is about the mail it returns
        bounce = replace(bounce, thread=thread_of(config, about) if about is not None else None)
    thread = thread_of(config, ticket) if ticket is not None else None
    return Gathered(Facts(desk, now, who, thread, known, bounce=bounce, delivered=delivered), about)


def _bounce(tx: Tx, mail: InboundMail, config: Config) -> Bounce | None:
    """The outbox mail a bounce provably returns (daemon/pipeline/bounces.py); only bounces are looked at."""
    if mail.auto is None or mail.auto.kind != "bounce" or (proof := bounces.prove(tx, config, mail)) is None:
        return None
    return Bounce(proof.outbox_id, proof.how, tuple(proof.recipients), proof.ticket_id)


def _claims(tx: Tx, mail: InboundMail, config: Config) -> tuple[Claim | None, Claim | None]:
    """The signed reply address the mail came to, decoded; else the notification it answers (agents only)."""
    svc = config.service
    agents = [a.address for a in config.agents]
    for address in dict.fromkeys((*mail.envelope_to, *(a.email for a in (*mail.to, *mail.cc) if a.email))):
        token = svc.reply_token_of(address)
        if token and (signed := verify_reply_token(svc.secret, token, agents)):
            return Claim(*signed), None
    if config.agent(mail.sender) is not None and (notified := tx.notification_for((*mail.in_reply_to,
                                                                                    *mail.references))):
        return None, Claim(*notified)
    return None, None


def find_thread(tx: Tx, mail: InboundMail, prefix: str, named: int | None = None) -> TicketView | None:
    """The ticket the mail belongs to, held for the mail's transaction (Tx.hold_ticket): the one its reply
    address names, its `[SD-n]` reference, else the Message-IDs it answers."""
    if named is not None and (ticket := tx.hold_ticket(named)) is not None:
        return ticket
    if mail.ticket_ref:
        head, _, digits = mail.ticket_ref.rpartition("-")
        if (head.upper() == prefix.upper() and (number := decimal_id(digits)) is not None
                and (ticket := tx.hold_ticket(number)) is not None):
            return ticket
    answered = tx.ticket_id_by_message_ids((*mail.in_reply_to, *reversed(mail.references), *mail.original_message_ids))
    return tx.hold_ticket(answered) if answered else None

