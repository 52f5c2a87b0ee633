"""Replies that open no ticket: the sender's open tickets listed ("статус"), and the polite word that a
mail was too large to fetch."""

from __future__ import annotations

from datetime import timedelta

from postdesk.daemon.outgoing.compose import compose, reply_subject, unsendable
from postdesk.daemon.pipeline.handlers.context import Handling, Result
from postdesk.daemon.pipeline.stages import stage
from postdesk.routing.actions import StatusRequest, TooLarge


def status_request(h: Handling, action: StatusRequest) -> Result:
    cfg, tx, now, mail, sender = h.config.service, h.tx, h.now, h.mail, h.sender
    if h.row.envelope_from == "" or tx.recent_outbox_count(sender, "status", now - timedelta(hours=1)) >= \
            cfg.auto_replies_per_hour:
        return None, "status request: not answered (null sender or too many this hour)"
    people = h.mailer.deliverable(tx, None, [(mail.from_.name if mail.from_ else "", sender)], now)
    if not people:
        return None, "status request: the address bounced for good"
    tickets = [{"ref": h.ref(t.id), "ticket": t, "url": h.mailer.tracking_url(t.id)}
               for t in tx.open_tickets_of(sender)]
    with stage("compose"):
        text = h.renderer.render("status.txt", mail.language, tickets=tickets, name=people[0][0],
                                 service_address=cfg.address, service_name=cfg.name)
        out = compose(from_name=cfg.name, from_email=cfg.address, to=people,
                      subject=reply_subject(mail.subject, None), text=text, html=None,
                      in_reply_to=mail.message_id, references=mail.references, now=now, auto=True,
                      ticket_ref=None, language=mail.language)
    h.mailer.enqueue(tx, out, "status", None, now)
    return None, f"status request: {len(tickets)} open ticket(s) listed to {sender}"


def too_large(h: Handling, action: TooLarge) -> Result:
    cfg, tx, now, mail = h.config.service, h.tx, h.now, h.mail
    sender = mail.sender
    limit = h.config.smtp_in.max_message_size
    if not sender or unsendable(sender) or \
            tx.recent_outbox_count(sender, "ack", now - timedelta(hours=1)) >= cfg.auto_replies_per_hour:
        return None, f"too large ({action.size} bytes), left on the server; not answered"
    with stage("compose"):
        text, html = h.renderer.mail("too_large", mail.language, service_name=cfg.name,
                                     subject=mail.subject, size_mb=round(action.size / 1e6, 1),
                                     limit_mb=round(limit / 1e6, 1))
        out = compose(from_name=cfg.name, from_email=cfg.address,
                      to=[(mail.from_.name if mail.from_ else "", sender)],
                      subject=reply_subject(mail.subject, None), text=text, html=html,
                      in_reply_to=mail.message_id, references=mail.references, now=now, auto=True,
                      ticket_ref=None, language=mail.language)
        tx.enqueue(kind="ack", message_id=out.message_id, mail_from=out.mail_from, rcpt=list(out.rcpt),
                   subject=out.subject, raw=out.raw, ticket_id=None, now=now)
    return None, f"too large ({action.size} bytes), left on the server; the sender was told"
