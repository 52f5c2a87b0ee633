"""Loops no header gives away: two auto-responders that answer each other through the desk.

The requester's out-of-office answers our relayed reply; the desk tells the agent; the agent's
out-of-office answers the signed reply address, which the desk relays... Neither sets Auto-Submitted
or Precedence, so every round looks like people writing. What gives it away is the rate: an agent's
relayed replies on one ticket are counted over the last hour, and past `[service] relays_per_hour`
they are kept on the ticket (an internal note and an event) but not sent, and the agent is told once.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from postdesk.daemon.config import AgentConfig, Config
from postdesk.daemon.logs import fields
from postdesk.daemon.outgoing.mailer import Mailer, ref_of
from postdesk.storage.tickets import Tx
from postdesk.storage.views import TicketView

log = logging.getLogger("postdesk.loops")

WINDOW = timedelta(hours=1)


def relay_held(tx: Tx, config: Config, mailer: Mailer, ticket: TicketView, agent: AgentConfig, message_id: str | None,
               now: datetime) -> str | None:
    """Why this reply is not relayed (the limit is reached), else None; the first hold in a window tells the
    agent (one notification), every hold is an event."""
    limit = config.service.relays_per_hour
    since = now - WINDOW
    if tx.relayed_count(ticket.id, agent.address, since) < limit:
        return None
    why = f"{limit} replies on this ticket relayed in the last hour ([service] relays_per_hour)"
    first = tx.events_since(ticket.id, "relay-held", agent.address, since) == 0
    tx.add_event(ticket.id, actor=agent.address, via="mail", kind="relay-held", now=now, message_id=message_id,
                 reason=why)
    log.warning("reply of %s on %s kept, not relayed: %s", agent.address, ref_of(config, ticket.id), why,
                extra=fields(ticket=ref_of(config, ticket.id)))
    if first:
        mailer.notify(tx, ticket, "relay-held", now, text=why, to=(agent,))
    return why
