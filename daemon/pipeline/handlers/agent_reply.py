"""An agent's proven reply: its commands first, all or none (the decision planned them), then its words —
a note for the agents, or a reply relayed to the requester (unless a loop holds it)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from postdesk.daemon.config import AgentConfig
from postdesk.daemon.learning.predictor import model_corrected
from postdesk.daemon.outgoing.send import Held, Reason
from postdesk.daemon.pipeline.handlers.context import Handling, Result, attachments_of
from postdesk.daemon.pipeline.stages import stage
from postdesk.routing.actions import AgentReply
from postdesk.routing.commands import Change
from postdesk.storage.views import TicketView


@dataclass(frozen=True, slots=True)
class TicketChanges:
    assignee: str | None = None
    resolved: bool = False


def agent_reply(h: Handling, action: AgentReply) -> Result:
    """Commands first, all or none; then the words: a note for the agents, or a reply to the requester."""
    t, agent, ref, plan, tx, now = h.thread(), h.agent(action.agent.address), action.thread.ref, action.plan, \
        h.tx, h.now
    if not plan.ok:
        tx.add_event(t.id, actor=agent.address, via="command", kind="commands-rejected", now=now,
                     errors=[f"{e.line}: {e.problem}" for e in plan.errors], message_id=h.mail.message_id)
        with stage("compose"):
            h.mailer.command_errors(tx, t, agent, h.mail, plan, now)
        return t.id, f"agent {agent.address} on {ref}: {len(plan.errors)} invalid command(s), nothing applied"
    changed = _apply_changes(h, t, agent, plan.changes)
    did = [f"{c.field}={c.value}" for c in plan.changes]
    has_words = bool(h.mail.text.strip() or any(not a.inline for a in h.mail.attachments))
    if plan.note:
        if has_words:
            _store_agent_message(h, t, agent, kind="note", visibility="internal", message_id=h.mail.message_id)
            tx.add_event(t.id, actor=agent.address, via="mail", kind="note", now=now, message_id=h.mail.message_id)
            did.append("note")
    elif has_words:
        did.append(_reply(h, t, agent, plan.changes, changed))
    tx.update_ticket(t.id, now)
    if changed.resolved:
        with stage("compose"):
            h.mailer.ask_rating(tx, tx.ticket(t.id) or t, now)
        did.append("rating asked")
    return t.id, f"agent {agent.address} ({action.how}) on {ref}: {'; '.join(did) or 'nothing to do'}"


def _reply(h: Handling, t: TicketView, agent: AgentConfig, changes: Sequence[Change], changed: TicketChanges) -> str:
    """The agent's words to the requester: the ticket opens and gets its owner, then the reply is relayed —
    or kept where the agents see it (a loop holds it, or every recipient bounced). Says what became of it."""
    tx, now = h.tx, h.now
    if t.status == "new" and not any(c.field == "status" for c in changes):
        tx.change_status(t.id, "new", "open", actor="system", via="system", now=now, reason="an agent answered")
    if not (changed.assignee or t.assignee):
        tx.update_ticket(t.id, now, assignee=agent.address)
        tx.add_event(t.id, actor="system", via="system", kind="assignee", now=now, old=None,
                     new=agent.address, reason="the first agent to answer")
    current = tx.ticket(t.id) or t
    with stage("compose"):
        relayed = h.mailer.relay(tx, current, agent, h.mail, now)  # the loop guard first (Mailer.relay)
    if isinstance(relayed, Held) and relayed.reason == Reason.LOOP:  # kept for the agents, not on the page
        _store_agent_message(h, t, agent, kind="note", visibility="internal", message_id=h.mail.message_id)
        return f"reply kept, not relayed: {relayed.why}"
    if isinstance(relayed, Held):
        _store_agent_message(h, t, agent, kind="reply", visibility="public", message_id=h.mail.message_id)
        return "reply (not sent: every recipient bounced)"
    out, outbox_id = relayed.mail, relayed.outbox_id
    _store_agent_message(h, t, agent, kind="reply", visibility="public", message_id=out.message_id,
                         outbox_id=outbox_id)
    tx.add_event(t.id, actor=agent.address, via="mail", kind="reply", now=now, to=list(out.rcpt),
                 message_id=out.message_id, agent_message_id=h.mail.message_id)
    return f"reply to {', '.join(out.rcpt)}"


def _apply_changes(h: Handling, t: TicketView, agent: AgentConfig, changes: Sequence[Change]) -> TicketChanges:
    """Each change an event; the agent who now owns the ticket (or the queue it moved to) is told."""
    tx, now = h.tx, h.now
    done = TicketChanges()
    for c in changes:
        if c.field == "cc":
            if tx.add_participant(t.id, c.value, "", "cc"):
                tx.add_event(t.id, actor=agent.address, via="command", kind="participant", now=now,
                             added=c.value, role="cc")
            continue
        old = getattr(t, c.field)
        if old == c.value:
            continue
        if c.field == "status":
            tx.change_status(t.id, old, c.value, actor=agent.address, via="command", now=now)
        else:
            tx.update_ticket(t.id, now, **{c.field: c.value})
            tx.add_event(t.id, actor=agent.address, via="command", kind=c.field, now=now, old=old, new=c.value)
        if c.field == "queue":
            model_corrected(tx, t, c.value, agent.address, now)
        if c.field == "status" and c.value == "resolved":
            done = TicketChanges(assignee=done.assignee, resolved=True)
        if c.field == "queue" and not t.assignee and not any(x.field == "assignee" for x in changes):
            h.mailer.notify(tx, tx.ticket(t.id) or t, "moved", now, actor=agent.address)
        if c.field == "assignee":
            done = TicketChanges(assignee=c.value, resolved=done.resolved)
            new = h.config.agent(c.value)
            if new is not None and new.address != agent.address:
                h.mailer.notify(tx, tx.ticket(t.id) or t, "assigned", now, actor=agent.address, to=(new,))
    return done


def _store_agent_message(h: Handling, t: TicketView, agent: AgentConfig, *, kind: str, visibility: str,
                         message_id: str | None, outbox_id: int | None = None) -> None:
    mail = h.mail
    h.tx.add_message(t.id, direction="out" if kind == "reply" else "in", kind=kind, visibility=visibility,
                     message_id=message_id, author_email=agent.address, author_name=agent.name,
                     subject=mail.subject, text=mail.text, full_text=mail.full_text, inbound_id=h.row.id,
                     outbox_id=outbox_id, now=h.now, attachments=attachments_of(mail))
