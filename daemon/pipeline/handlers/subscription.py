"""A mail that says only "subscribe"/"unsubscribe": the news subscription changes, and the sender is told
(unless the sender is null or had too many automatic replies this hour)."""

from __future__ import annotations

from datetime import timedelta

from postdesk.daemon.outgoing.compose import compose, reply_subject
from postdesk.daemon.pipeline.handlers.context import Handling, Result
from postdesk.routing.actions import Subscription


def subscription(h: Handling, action: Subscription) -> Result:
    tx, now, mail, sender = h.tx, h.now, h.mail, h.sender
    changed = tx.subscribe(sender, action.subscribe, "mail", now)
    what = "subscribed to" if action.subscribe else "unsubscribed from"
    if h.row.envelope_from == "" or tx.recent_outbox_count(sender, "status", now - timedelta(hours=1)) >= \
            h.config.service.auto_replies_per_hour:
        return None, f"{sender} {what} the news (not confirmed: null sender or too many this hour)"
    cfg = h.config.service
    people = h.mailer.deliverable(tx, None, [(mail.from_.name if mail.from_ else "", sender)], now)
    if people:
        text = h.renderer.render("subscription.txt", mail.language, subscribed=action.subscribe,
                                 name=people[0][0], service_name=cfg.name)
        out = compose(from_name=cfg.name, from_email=cfg.address, to=people,
                      subject=reply_subject(mail.subject or ("подписка" if mail.language == "ru" else "news"),
                                            None), text=text, html=None, in_reply_to=mail.message_id,
                      references=mail.references, now=now, auto=True, ticket_ref=None, language=mail.language)
        h.mailer.enqueue(tx, out, "status", None, now)
    return None, f"{sender} {what} the news" + ("" if changed else " (no change)")
