"""Mail that opens nothing: refused, a duplicate, or automatic (recorded on its thread, never answered)."""

from __future__ import annotations

import logging

from postdesk.daemon.pipeline import bounces
from postdesk.daemon.pipeline.handlers.context import Handling, Result
from postdesk.daemon.pipeline.stages import Reject
from postdesk.routing.actions import Automatic, Duplicate, Refuse

log = logging.getLogger("postdesk.pipeline")

# recipients a bounce's event keeps, then how many more: a forged DSN naming 50,000 addresses made a 1.3 MB
# event on the ticket it named (by [SD-n] in its subject), and `tickets show` printed all of them
BOUNCED_KEPT = 20


def refuse(h: Handling, action: Refuse) -> Result:
    raise Reject(action.reason)  # classify() refuses first; the decision says the same for route-test


def duplicate(h: Handling, action: Duplicate) -> Result:
    return action.thread.id, f"already on {action.thread.ref}"


def automatic(h: Handling, action: Automatic) -> Result:
    """Recorded, never answered; a bounce holds an address only when it proves it returns our mail."""
    mail, ticket = h.mail, h.ticket
    assert mail.auto is not None
    what = f"{mail.auto.kind}: {mail.auto.reason}"
    proof = action.bounce  # gathered (daemon/pipeline/facts.py); `ticket` is the bounce's when the mail named none
    suppressed: list[str] = []
    if proof is not None:  # bounced_recipients holds permanent failures only, never delays
        suppressed = bounces.hold(h.tx, h.config, h.mailer, ticket, proof.recipients,
                                  f"{mail.auto.reason} (<{mail.message_id or '-'}>)", h.now)
    elif named := mail.bounced_recipients:  # a forged one may list hundreds: one short log line all the same
        log.warning("bounce <%s> naming %s returns no mail of ours (no valid VERP tag or Message-ID): "
                    "it holds nobody", mail.message_id or "-",
                    ", ".join(named[:5]) + (f" and {len(named) - 5} more" if len(named) > 5 else ""))
    if ticket is None:
        held = f"; {', '.join(suppressed)} get no mail for {bounces.SUPPRESS_FOR.days} days" if suppressed else ""
        return None, f"automatic mail ({what}), no ticket: not answered{held}"
    h.tx.add_event(ticket.id, actor=h.sender, via="mail", kind="automatic-mail", now=h.now,
                   auto=mail.auto.kind, reason=mail.auto.reason, message_id=mail.message_id,
                   subject=mail.subject, bounced=list(mail.bounced_recipients[:BOUNCED_KEPT]),
                   **({"bounced_more": len(mail.bounced_recipients) - BOUNCED_KEPT}
                      if len(mail.bounced_recipients) > BOUNCED_KEPT else {}),
                   **({"proven": f"{proof.how}, outbox {proof.outbox_id}"} if proof else
                      {"proven": "no: names no mail of ours, holds nobody"} if mail.bounced_recipients else {}))
    return ticket.id, f"automatic mail ({what}) recorded on {h.ref(ticket.id)}"
