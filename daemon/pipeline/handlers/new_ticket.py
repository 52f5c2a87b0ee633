"""A new request: the ticket as the decision routed it, its participants, its links, the acknowledgment to
the requester (with articles that may answer it) and the notification to the agents."""

from __future__ import annotations

import time

from postdesk.daemon.learning.predictor import model_event
from postdesk.daemon.outgoing import answers
from postdesk.daemon.outgoing.send import Sent
from postdesk.daemon.pipeline.handlers.context import Handling, Result
from postdesk.daemon.pipeline.stages import stage
from postdesk.routing.actions import NewTicket
from postdesk.storage.views import TicketView


def new_ticket(h: Handling, action: NewTicket) -> Result:
    d, tx, now, mail, sender = action.decision, h.tx, h.now, h.mail, h.sender  # the model had its word in d
    cc, named = _participants(h)
    cap = h.config.service.max_participants
    ticket = tx.create_ticket(subject=mail.subject, queue=d.queue, category=d.category, priority=d.priority,
                              assignee=d.assignee, requester_email=sender,
                              requester_name=mail.from_.name if mail.from_ else "", language=mail.language,
                              rule=d.rule, route_reason=d.reason, origin_message_id=mail.message_id, now=now,
                              status=h.row.options.status or "new", cc=cc)
    if named > cap:
        tx.add_event(ticket.id, actor="system", via="system", kind="participants-capped", now=now,
                     kept=cap, left_out=named - cap,
                     reason=f"the mail named {named} people in To/Cc; the first {cap} take part "
                            f"([service] max_participants), {named - cap} were left out")
    h.store_message(ticket.id, "request")
    tx.add_event(ticket.id, actor=sender, via="mail", kind="created", now=now, queue=d.queue,
                 category=d.category, priority=d.priority, rule=d.rule, reason=d.reason, trace=list(d.trace),
                 ingress=h.row.source, mailbox=h.row.mailbox)
    if d.model or d.guesses:
        model_event(tx, ticket.id, d, now)
    _link(h, ticket.id, action)
    started = time.perf_counter()
    with stage("compose"):
        acked = _acknowledge(h, ticket)
    if not h.row.options.silent and h.config.agents:
        h.notify(ticket, "new", guesses=d.guesses)
    h.seconds["compose"] += time.perf_counter() - started
    h.seconds["store"] -= time.perf_counter() - started
    return ticket.id, f"new ticket {h.ref(ticket.id)} in {d.queue}" + ("" if acked else " (not acknowledged)")


def _participants(h: Handling) -> tuple[list[tuple[str, str]], int]:
    """Everyone else in To/Cc who is not us, capped at [service] max_participants (a mail to 50,000 people
    must not make 50,000 participants); and how many distinct people the mail named."""
    sender = h.sender
    cc = [(a.email, a.name) for a in h.mail.cc + h.mail.to
          if a.email and a.email != sender and not h.config.is_ours(a.email)]
    named = list(dict.fromkeys(email.lower() for email, _ in cc))
    cap = h.config.service.max_participants
    if len(named) > cap:
        kept = set(named[:cap])
        cc = [(email, n) for email, n in cc if email.lower() in kept]
    return cc, len(named)


def _link(h: Handling, ticket_id: int, action: NewTicket) -> None:
    """The thread this mail mentions but did not join, and the tickets the same mail opened elsewhere."""
    tx, now, ref = h.tx, h.now, h.ref(ticket_id)
    if action.mentions is not None:
        tx.add_event(ticket_id, actor="system", via="system", kind="mentions", now=now,
                     ticket=h.ref(action.mentions.id), reason=action.why)
    for other_id in tx.tickets_from_same_mail(h.mail.message_id, exclude=ticket_id):
        tx.add_event(ticket_id, actor="system", via="system", kind="linked", now=now,
                     ticket=h.ref(other_id), reason="the same mail went to another department")
        tx.add_event(other_id, actor="system", via="system", kind="linked", now=now, ticket=ref,
                     reason="the same mail went to another department")


def _acknowledge(h: Handling, ticket: TicketView) -> bool:
    """Mail the requester the number and the tracking link, unless the one way out holds it (a null sender, too
    many automatic answers this hour, an address that bounced: daemon/outgoing/send.py)."""
    if h.row.options.silent:
        return False
    sent = answers.acknowledge(h.mailer, h.tx, ticket, h.mail, h.row, h.now, lambda: _suggest(h, ticket))
    return isinstance(sent, Sent)


def _suggest(h: Handling, ticket: TicketView) -> list[dict[str, str]]:
    """Up to three articles that may answer the request; remembered for the tracking page."""
    if h.knowledge is None:
        return []
    started = time.perf_counter()
    mail = h.mail
    found = h.knowledge.index().search(f"{mail.subject}\n{mail.subject}\n{mail.text}", lang=ticket.language,
                                       queue=ticket.queue, category=ticket.category, limit=3)
    h.seconds["suggest"] += time.perf_counter() - started
    if not found:
        return []
    h.tx.add_event(ticket.id, actor="system", via="system", kind="suggested", now=h.now,
                   slugs=[f.article.slug for f in found], scores=[round(f.score, 3) for f in found])
    base = h.config.service.base_url
    return [{"title": f.article.title, "summary": f.article.summary, "url": f"{base}/kb/{f.article.slug}"}
            for f in found]
