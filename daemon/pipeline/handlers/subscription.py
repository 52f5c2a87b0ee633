"""A mail that says only "subscribe"/"unsubscribe": the news subscription changes, and the sender is told
(unless the sender is null or had too many automatic replies this hour)."""

from __future__ import annotations

from postdesk.daemon.outgoing import answers
from postdesk.daemon.outgoing.send import Held, Reason
from postdesk.daemon.pipeline.handlers.context import Handling, Result
from postdesk.routing.actions import Subscription


def subscription(h: Handling, action: Subscription) -> Result:
    tx, now, mail, sender = h.tx, h.now, h.mail, h.sender
    changed = tx.subscribe(sender, action.subscribe, "mail", now)
    what = "subscribed to" if action.subscribe else "unsubscribed from"
    sent = answers.subscription_answer(h.mailer, tx, mail, h.row, action.subscribe, now)
    if isinstance(sent, Held) and sent.reason not in (Reason.BOUNCED, Reason.UNSENDABLE):
        return None, f"{sender} {what} the news (not confirmed: null sender or too many this hour)"
    return None, f"{sender} {what} the news" + ("" if changed else " (no change)")
