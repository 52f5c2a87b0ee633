"""A participant's mail on a live thread (a follow-up, a reopening, thanks), and a third party's mail to an
agent's signed reply address (kept for the agents, never relayed)."""

from __future__ import annotations

import logging
from datetime import timedelta

from postdesk.daemon.logs import fields
from postdesk.daemon.pipeline.handlers.context import Handling, Result
from postdesk.daemon.pipeline.stages import stage
from postdesk.routing.actions import FollowUp, ThirdParty

log = logging.getLogger("postdesk.pipeline")

THIRD_PARTY_QUIET = timedelta(hours=1)


def follow_up(h: Handling, action: FollowUp) -> Result:
    t, tx, now, sender = h.thread(), h.tx, h.now, h.sender
    h.store_message(t.id, "follow-up")
    tx.add_event(t.id, actor=sender, via="mail", kind="message", now=now, message_id=h.mail.message_id,
                 **({"thanks": True} if action.thanks else {}))
    ref = h.ref(t.id)
    if action.reopen:
        tx.change_status(t.id, t.status, "open", actor=sender, via="mail", now=now, reason="the requester replied")
    else:
        tx.update_ticket(t.id, now)
    if action.thanks:
        return t.id, f"thanks on {ref}, which stays {t.status}"
    if not h.row.options.silent:
        h.notify(tx.ticket(t.id) or t, "reopened" if action.reopen else "message")
    return t.id, f"follow-up on {ref}" + (" (reopened)" if action.reopen else "")


def third_party(h: Handling, action: ThirdParty) -> Result:
    t, agent, mail, ref = h.thread(), h.agent(action.agent.address), h.mail, h.ref(h.thread().id)
    # the agent hears of strangers on one ticket once an hour, whoever they say they are: someone who learned the
    # signed address (or their auto-responder, or a forger with a new From each time) could otherwise have the
    # desk mail the agent once per mail; every one is kept on the ticket
    first = h.tx.events_since(t.id, "third-party", None, h.now - THIRD_PARTY_QUIET) == 0
    h.store_message(t.id, "third-party", visibility="internal")
    h.tx.add_event(t.id, actor=h.sender, via="mail", kind="third-party", now=h.now,
                   message_id=mail.message_id, reply_address_of=agent.address,
                   reason="not the agent whose signed reply address it used; not relayed")
    log.warning("inbound %s: %s wrote to %s's reply address for %s; kept, not relayed", h.row.id, mail.sender,
                agent.address, ref, extra=fields(ticket=ref))
    if first:
        with stage("notify"):
            h.mailer.notify(h.tx, t, "third-party", h.now, text=mail.text or mail.full_text,
                            author=h.sender, to=(agent,))
    return t.id, f"third party {mail.sender} at {agent.address}'s reply address on {ref}: kept, not relayed"
