"""The requester's word on a ticket's end: "this solved my problem" resolves it, a rating (by mail or on
the page) is kept, and a low one tells the queue's leads."""

from __future__ import annotations

from postdesk.daemon.pipeline.handlers.context import Handling, Result
from postdesk.daemon.pipeline.stages import stage
from postdesk.routing.actions import Rating, Solved

LEADS_TOLD = "low-rating-told"  # the event that says the queue's leads were mailed this ticket's low rating


def rating(h: Handling, action: Rating) -> Result:
    t, ref, tx = h.thread(), action.thread.ref, h.tx
    if action.via == "mail":
        h.store_message(t.id, "rating", visibility="internal")
    result = tx.rate(t.id, action.score, action.comment, action.via, h.now)
    tx.add_event(t.id, actor=h.sender, via=action.via, kind="rating", now=h.now, score=action.score,
                 comment=action.comment, result=result)
    # The leads hear of a ticket's low rating once: a requester (or anyone writing as one) who rates 1 again and
    # again, or 1, 5, 1 …, replaces the rating each time (the events keep every one) but mails the leads no more.
    if action.score <= 2 and not result.startswith("kept") and not tx.events_since(t.id, LEADS_TOLD, "system",
                                                                                    t.created_at):
        leads = tuple(a for a in h.config.agents_of_queue(t.queue) if a.lead)
        if leads:
            with stage("notify"):
                h.mailer.notify(tx, t, "low-rating", h.now, text=f"{action.score}/5. {action.comment}".strip(),
                                to=leads)
            tx.add_event(t.id, actor="system", via="system", kind=LEADS_TOLD, now=h.now, score=action.score,
                         to=[a.address for a in leads])
    return t.id, f"rating {action.score} on {ref}: {result}"


def solved(h: Handling, action: Solved) -> Result:
    t, ref, tx, now = h.thread(), action.thread.ref, h.tx, h.now
    if t.status in ("resolved", "closed"):
        return t.id, f"{ref} was already {t.status}"
    tx.change_status(t.id, t.status, "resolved", actor=h.sender, via="web", now=now,
                     reason="the requester: this solved my problem")
    current = tx.ticket(t.id) or t
    with stage("notify"):
        h.mailer.notify(tx, current, "solved", now, actor=h.mail.sender)
        h.mailer.ask_rating(tx, current, now)
    return t.id, f"{ref} resolved by the requester"
