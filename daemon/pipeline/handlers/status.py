"""Replies that open no ticket: the sender's open tickets listed ("статус"), and the polite word that a
mail was too large to fetch."""

from __future__ import annotations

from postdesk.daemon.outgoing import answers
from postdesk.daemon.outgoing.send import Held, Reason
from postdesk.daemon.pipeline.handlers.context import Handling, Result
from postdesk.daemon.pipeline.stages import stage
from postdesk.routing.actions import StatusRequest, TooLarge


def status_request(h: Handling, action: StatusRequest) -> Result:
    with stage("compose"):
        sent, listed = answers.status_list(h.mailer, h.tx, h.mail, h.row, h.now)
    if isinstance(sent, Held):
        if sent.reason in (Reason.BOUNCED, Reason.UNSENDABLE):
            return None, "status request: the address bounced for good"
        return None, "status request: not answered (null sender or too many this hour)"
    return None, f"status request: {listed} open ticket(s) listed to {h.sender}"


def too_large(h: Handling, action: TooLarge) -> Result:
    with stage("compose"):
        sent = answers.too_large(h.mailer, h.tx, h.mail, h.row, action.size, h.now)
    if isinstance(sent, Held):
        return None, f"too large ({action.size} bytes), left on the server; not answered"
    return None, f"too large ({action.size} bytes), left on the server; the sender was told"
