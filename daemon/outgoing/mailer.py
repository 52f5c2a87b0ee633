"""Mail the desk writes on a ticket's behalf: agent notifications, relayed agent replies, command errors.

Every mail goes through `send`, which drops addresses that bounced for good and records that it did.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime

from postdesk.daemon.config import AgentConfig, Config
from postdesk.daemon.logs import fields
from postdesk.daemon.outgoing.compose import OutAttachment, Outgoing, compose, reply_subject, unsendable
from postdesk.daemon.web.tokens import rating_token, reply_token, ticket_token
from postdesk.parsers import InboundMail
from postdesk.routing.commands import VALID_FORMS, CommandPlan
from postdesk.storage.tickets import Tx
from postdesk.storage.views import TicketView
from postdesk.templates.render import Renderer

log = logging.getLogger("postdesk.mailer")


def ref_of(config: Config, ticket_id: int) -> str:
    return f"{config.service.ticket_prefix}-{ticket_id}"


class Mailer:
    def __init__(self, config: Config, renderer: Renderer):
        self.config = config
        self.renderer = renderer

    def tracking_url(self, ticket_id: int) -> str:
        cfg = self.config.service
        return f"{cfg.base_url}/t/{ticket_token(cfg.secret, ticket_id)}"

    def deliverable(self, tx: Tx, ticket_id: int | None, people: Sequence[tuple[str, str]], now: datetime
                    ) -> list[tuple[str, str]]:
        """The recipients that have not bounced for good and that our relay can take (compose.unsendable: a
        non-ASCII local part); a dropped one is an event on the ticket."""
        held = tx.suppressed([email for _, email in people], now)
        for _, email in people:
            if email.lower() in held and ticket_id is not None:
                tx.add_event(ticket_id, actor="system", via="system", kind="not-sent", now=now, to=email,
                             reason=f"the address bounced for good; no mail to it until {held[email.lower()]:%Y-%m-%d}")
        cannot = {email: why for _, email in people if (why := unsendable(email))}
        for email, why in cannot.items():
            log.warning("no mail to %s: %s", email, why)
            if ticket_id is not None:
                tx.add_event(ticket_id, actor="system", via="system", kind="not-sent", now=now, to=email, reason=why)
        return [(name, email) for name, email in people if email.lower() not in held and email not in cannot]

    def enqueue(self, tx: Tx, out: Outgoing, kind: str, ticket_id: int | None, now: datetime) -> int:
        outbox_id = tx.enqueue(kind=kind, message_id=out.message_id, mail_from=out.mail_from, rcpt=list(out.rcpt),
                               subject=out.subject, raw=out.raw, ticket_id=ticket_id, now=now)
        log.debug("queued %s to %s as outbox %s", kind, ",".join(out.rcpt), outbox_id, extra=fields(
            ticket=ref_of(self.config, ticket_id) if ticket_id is not None else None, outbox=outbox_id,
            out_message_id=out.message_id))
        return outbox_id

    # -- to agents
    def notify(self, tx: Tx, ticket: TicketView, event: str, now: datetime, *, text: str = "",
               attachments: Sequence[str] = (), actor: str | None = None, author: str = "",
               to: Sequence[AgentConfig] | None = None, kind: str = "notify",
               guesses: Sequence[tuple[str, float]] = ()) -> int:
        """Tell the assignee, or the queue's agents while nobody is assigned; never the agent who acted.
        `guesses`: the learned model's best queues when it was not sure enough to route (shown to agents)."""
        if to is None:
            assignee = self.config.agent(ticket.assignee)
            to = (assignee,) if assignee else self.config.agents_of_queue(ticket.queue)
        cfg = self.config.service
        ref = ref_of(self.config, ticket.id)
        assignee = self.config.agent(ticket.assignee)
        acting = self.config.agent(actor)
        sent = 0
        for agent in to:
            if agent.address == (actor or "").lower():
                continue
            if not self.deliverable(tx, ticket.id, [(agent.name, agent.address)], now):
                continue
            body = self.renderer.render(
                "notify.txt", cfg.language, event=event, ticket=ticket, ref=ref,
                queue_title=self.config.routing.queue_title(ticket.queue, cfg.language),
                assignee_name=assignee.name if assignee else ticket.assignee, text=text.strip(),
                attachments=list(attachments), url=self.tracking_url(ticket.id),
                actor_name=acting.name if acting else "", author=author, guesses=list(guesses))
            out = compose(from_name=cfg.name, from_email=cfg.address, to=[(agent.name, agent.address)],
                          subject=f"[{ref}] {ticket.subject or '-'}", text=body, html=None, in_reply_to=None,
                          references=(), now=now, auto="auto-generated", ticket_ref=ref, language=cfg.language,
                          reply_to=cfg.reply_address_for(reply_token(cfg.secret, ticket.id, agent.address)))
            self.enqueue(tx, out, kind, ticket.id, now)
            sent += 1
        return sent

    def command_errors(self, tx: Tx, ticket: TicketView, agent: AgentConfig, mail: InboundMail, plan: CommandPlan,
                       now: datetime) -> None:
        cfg = self.config.service
        ref = ref_of(self.config, ticket.id)
        language = plan.language(cfg.language)
        body = self.renderer.render("command_errors.txt", language, ref=ref, errors=plan.errors,
                                    forms=VALID_FORMS, service_name=cfg.name)
        subject = reply_subject(mail.subject or ticket.subject, ref)
        out = compose(from_name=cfg.name, from_email=cfg.address, to=[(agent.name, agent.address)],
                      subject=subject, text=body, html=None, in_reply_to=mail.message_id, references=mail.references,
                      now=now, auto="auto-replied", ticket_ref=ref, language=language,
                      reply_to=cfg.reply_address_for(reply_token(cfg.secret, ticket.id, agent.address)))
        self.enqueue(tx, out, "error", ticket.id, now)

    # -- to the requester
    def relay(self, tx: Tx, ticket: TicketView, agent: AgentConfig, mail: InboundMail, now: datetime
              ) -> tuple[Outgoing, list[str]] | None:
        """The agent's words to the requester and the people in copy, from the service address, in the
        requester's own thread; the agent's address never leaves the desk."""
        cfg = self.config.service
        ref = ref_of(self.config, ticket.id)
        agents = {a.address for a in self.config.agents}
        people = [(ticket.requester_name, ticket.requester_email)] + [
            (p.name, p.email) for p in ticket.participants
            if p.role == "cc" and p.email not in agents and p.email != ticket.requester_email.lower()
            and not self.config.is_ours(p.email)]  # an alias of the desk in copy would come back as a loop
        people = self.deliverable(tx, ticket.id, people, now)
        if not people:
            return None
        last, thread = tx.requester_thread(ticket.id, ticket.requester_email)
        to, cc = people[:1], people[1:]  # when the requester bounced, the people in copy still hear
        files = [OutAttachment(a.filename, a.content_type, a.data) for a in mail.attachments if not a.inline]
        out = compose(from_name=f"{agent.name} ({cfg.name})", from_email=cfg.address, to=to, cc=cc,
                      subject=reply_subject(ticket.subject, ref), text=mail.text.strip() + "\n", html=None,
                      in_reply_to=last, references=thread, now=now, auto=False, ticket_ref=ref,
                      language=ticket.language, attachments=files)
        return out, [f.filename for f in files]

    def ask_rating(self, tx: Tx, t: TicketView, now: datetime, reminder: bool = False) -> bool:
        """Five signed one-click links, or a digit by reply; once on resolution, once more as a reminder."""
        cfg = self.config.service
        ref = ref_of(self.config, t.id)
        people = self.deliverable(tx, t.id, [(t.requester_name, t.requester_email)], now)
        if not people:
            return False
        token = rating_token(cfg.secret, t.id)
        links = {n: f"{cfg.base_url}/r/{token}/{n}" for n in range(1, 6)}
        last, thread = tx.requester_thread(t.id, t.requester_email)
        text, html = self.renderer.mail("rating", t.language, ticket=t, ref=ref, name=t.requester_name,
                                        links=links, service_name=cfg.name, reminder=reminder)
        out = compose(from_name=cfg.name, from_email=cfg.address, to=people, subject=reply_subject(t.subject, ref),
                      text=text, html=html, in_reply_to=last, references=thread, now=now, auto="auto-generated",
                      ticket_ref=ref, language=t.language)
        self.enqueue(tx, out, "rating", t.id, now)
        tx.add_event(t.id, actor="system", via="system", kind="rating-reminded" if reminder else "rating-asked",
                     now=now, message_id=out.message_id)
        return True

    def tell_requester(self, tx: Tx, t: TicketView, template: str, kind: str, now: datetime, **ctx: object) -> bool:
        """A short automatic mail to the requester in their thread (reminders, auto-resolution)."""
        cfg = self.config.service
        ref = ref_of(self.config, t.id)
        people = self.deliverable(tx, t.id, [(t.requester_name, t.requester_email)], now)
        if not people:
            return False
        last, thread = tx.requester_thread(t.id, t.requester_email)
        text = self.renderer.render(f"{template}.txt", t.language, ticket=t, ref=ref, name=t.requester_name,
                                    url=self.tracking_url(t.id), service_name=cfg.name, **ctx)
        out = compose(from_name=cfg.name, from_email=cfg.address, to=people, subject=reply_subject(t.subject, ref),
                      text=text, html=None, in_reply_to=last, references=thread, now=now, auto="auto-generated",
                      ticket_ref=ref, language=t.language)
        self.enqueue(tx, out, kind, t.id, now)
        return True
