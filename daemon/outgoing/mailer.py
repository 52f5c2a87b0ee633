"""Mail the desk writes on a ticket's behalf: agent notifications, relayed agent replies, command errors, rating
prompts and reminders. Each leaves through `Post.send` (daemon/outgoing/send.py) under its kind's rule."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from postdesk.daemon.config import AgentConfig, Config
from postdesk.daemon.logs import fields
from postdesk.daemon.outgoing.compose import OutAttachment, reply_subject
from postdesk.daemon.outgoing.send import (
    COMMAND_ERRORS,
    NOTIFY,
    RATING,
    RELAY,
    REMINDER,
    WINDOW,
    Body,
    Held,
    Letter,
    Post,
    Reason,
    Rule,
    Sent,
)
from postdesk.daemon.web.tokens import rating_token, reply_token, ticket_token
from postdesk.parsers import InboundMail
from postdesk.parsers.filenames import safe_filename
from postdesk.routing.commands import VALID_FORMS, CommandPlan
from postdesk.storage.tickets import Tx
from postdesk.storage.views import TicketView

log = logging.getLogger("postdesk.mailer")


def ref_of(config: Config, ticket_id: int) -> str:
    return f"{config.service.ticket_prefix}-{ticket_id}"


NOTICE_FILES = 50  # files a notice names, as the tracking page lists (8,000 parts made a 120 KB notice)

class Mailer(Post):
    """The way out (Post) with the mail of a ticket's life: what to say, to whom, in which thread."""

    def tracking_url(self, ticket_id: int) -> str:
        cfg = self.config.service
        return f"{cfg.base_url}/t/{ticket_token(cfg.secret, ticket_id)}"

    def _requester_letter(self, tx: Tx, t: TicketView) -> Letter:
        """To the requester, in their own thread of the ticket."""
        last, thread = tx.requester_thread(t.id, t.requester_email)
        ref = ref_of(self.config, t.id)
        return Letter(to=((t.requester_name, t.requester_email),), subject=reply_subject(t.subject, ref),
                      language=t.language, ticket_id=t.id, ticket_ref=ref, in_reply_to=last, references=thread)

    # -- to agents
    def notify(self, tx: Tx, ticket: TicketView, event: str, now: datetime, *, text: str = "",
               attachments: Sequence[str] = (), actor: str | None = None, author: str = "",
               to: Sequence[AgentConfig] | None = None, rule: Rule = NOTIFY,
               guesses: Sequence[tuple[str, float]] = (), original: int | None = None) -> int:
        """Tell the assignee, or the queue's agents while nobody is assigned; never the agent who acted.
        `guesses`: the learned model's best queues when it was not sure enough to route (shown to agents);
        `original`: the inbound row of a mail whose text was cut, for a link to the whole of it."""
        if to is None:
            assignee = self.config.agent(ticket.assignee)
            to = (assignee,) if assignee else self.config.agents_of_queue(ticket.queue)
        cfg = self.config.service
        ref = ref_of(self.config, ticket.id)
        rendered: list[Body] = []
        files = list(attachments)

        def body() -> Body:  # the same words for every agent: rendered once, for the first that is mailed
            if not rendered:
                assignee = self.config.agent(ticket.assignee)
                acting = self.config.agent(actor)
                rendered.append(Body(self.renderer.render(
                    "notify.txt", cfg.language, event=event, ticket=ticket, ref=ref,
                    queue_title=self.config.routing.queue_title(ticket.queue, cfg.language),
                    assignee_name=assignee.name if assignee else ticket.assignee, text=text.strip(),
                    attachments=files[:NOTICE_FILES], more_files=max(len(files) - NOTICE_FILES, 0),
                    url=self.tracking_url(ticket.id),
                    actor_name=acting.name if acting else "", author=author, guesses=list(guesses),
                    original_url=f"{self.tracking_url(ticket.id)}/original/{original}" if original else None)))
            return rendered[0]

        sent = 0
        for agent in to:
            if agent.address == (actor or "").lower():
                continue
            letter = Letter(to=((agent.name, agent.address),), subject=f"[{ref}] {ticket.subject or '-'}",
                            language=cfg.language, ticket_id=ticket.id, ticket_ref=ref,
                            reply_to=cfg.reply_address_for(reply_token(cfg.secret, ticket.id, agent.address)))
            if isinstance(self.send(tx, rule, letter, body, now), Sent):
                sent += 1
        return sent

    def command_errors(self, tx: Tx, ticket: TicketView, agent: AgentConfig, mail: InboundMail, plan: CommandPlan,
                       now: datetime) -> None:
        cfg = self.config.service
        ref = ref_of(self.config, ticket.id)
        language = plan.language(cfg.language)
        body = Body(self.renderer.render("command_errors.txt", language, ref=ref, errors=plan.errors,
                                         forms=VALID_FORMS, service_name=cfg.name))
        letter = Letter(to=((agent.name, agent.address),), subject=reply_subject(mail.subject or ticket.subject, ref),
                        language=language, ticket_id=ticket.id, ticket_ref=ref, in_reply_to=mail.message_id,
                        references=mail.references,
                        reply_to=cfg.reply_address_for(reply_token(cfg.secret, ticket.id, agent.address)))
        self.send(tx, COMMAND_ERRORS, letter, body, now)

    # -- to the requester
    def relay(self, tx: Tx, ticket: TicketView, agent: AgentConfig, mail: InboundMail, now: datetime) -> Sent | Held:
        """The agent's words to the requester and the people in copy, from the service address, in the
        requester's own thread; the agent's address never leaves the desk. A person's words, not automatic:
        no auto-reply guard, but the loop guard below (Reason.LOOP) holds it past `[service] relays_per_hour`."""
        if (why := self._relay_held(tx, ticket, agent, mail.message_id, now)) is not None:
            return Held(Reason.LOOP, why)
        agents = {a.address for a in self.config.agents}
        cc = tuple((p.name, p.email) for p in ticket.participants
                   if p.role == "cc" and p.email not in agents and p.email != ticket.requester_email.lower())
        # under the name the desk stored and showed (the last path part, no control or shell characters): the
        # agent's `../../etc/passwd` or `a<CR><LF>b.pdf` is not handed on to the requester's mail client
        files = tuple(OutAttachment(safe_filename(a.filename), a.content_type, a.data) for a in mail.attachments
                      if not a.inline)
        letter = replace(self._requester_letter(tx, ticket), cc=cc, attachments=files,
                         from_name=f"{agent.name} ({self.config.service.name})")
        return self.send(tx, RELAY, letter, Body(mail.text.strip() + "\n"), now)

    def _relay_held(self, tx: Tx, ticket: TicketView, agent: AgentConfig, message_id: str | None, now: datetime
                    ) -> str | None:
        """Loops no header gives away: two auto-responders that answer each other through the desk.

        The requester's out-of-office answers our relayed reply; the desk tells the agent; the agent's
        out-of-office answers the signed reply address, which the desk relays... Neither sets Auto-Submitted
        or Precedence, so every round looks like people writing. What gives it away is the rate: an agent's
        relayed replies on one ticket are counted over the last hour, and past `[service] relays_per_hour`
        they are kept on the ticket (an internal note and an event) but not sent, and the agent is told once.
        Returns why, or None while the reply may go.
        """
        limit = self.config.service.relays_per_hour
        since = now - WINDOW
        if tx.relayed_count(ticket.id, agent.address, since) < limit:
            return None
        why = f"{limit} replies on this ticket relayed in the last hour ([service] relays_per_hour)"
        first = tx.events_since(ticket.id, "relay-held", agent.address, since) == 0
        tx.add_event(ticket.id, actor=agent.address, via="mail", kind="relay-held", now=now, message_id=message_id,
                     reason=why)
        ref = ref_of(self.config, ticket.id)
        log.warning("reply of %s on %s kept, not relayed: %s", agent.address, ref, why, extra=fields(ticket=ref))
        if first:
            self.notify(tx, ticket, "relay-held", now, text=why, to=(agent,))
        return why

    def ask_rating(self, tx: Tx, t: TicketView, now: datetime, reminder: bool = False) -> bool:
        """Five signed one-click links, or a digit by reply; once on resolution, once more as a reminder."""
        cfg = self.config.service
        ref = ref_of(self.config, t.id)

        def body() -> Body:
            token = rating_token(cfg.secret, t.id)
            links = {n: f"{cfg.base_url}/r/{token}/{n}" for n in range(1, 6)}
            return Body(*self.renderer.mail("rating", t.language, ticket=t, ref=ref, name=t.requester_name,
                                            links=links, service_name=cfg.name, reminder=reminder))

        sent = self.send(tx, RATING, self._requester_letter(tx, t), body, now)
        if not isinstance(sent, Sent):
            return False
        tx.add_event(t.id, actor="system", via="system", kind="rating-reminded" if reminder else "rating-asked",
                     now=now, message_id=sent.mail.message_id)
        return True

    def tell_requester(self, tx: Tx, t: TicketView, template: str, now: datetime, **ctx: object) -> bool:
        """A short automatic mail to the requester in their thread (reminders, auto-resolution)."""
        cfg = self.config.service
        ref = ref_of(self.config, t.id)
        sent = self.send(tx, REMINDER, self._requester_letter(tx, t), lambda: Body(self.renderer.render(
            f"{template}.txt", t.language, ticket=t, ref=ref, name=t.requester_name, url=self.tracking_url(t.id),
            service_name=cfg.name, **ctx)), now)
        return isinstance(sent, Sent)

