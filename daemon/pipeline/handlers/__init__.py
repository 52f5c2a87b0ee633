"""One handler per kind of action (routing.actions.KINDS): the pipeline's only dispatch.

Each module carries out one kind or a related group; a handler is `(Handling, action) -> (ticket id, outcome)`.
A Defer never gets here: the runner leaves its row pending, untouched, for a later pass.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from postdesk.daemon.pipeline.handlers import (
    agent_reply,
    drop,
    followup,
    new_ticket,
    news,
    rating,
    status,
    subscription,
)
from postdesk.daemon.pipeline.handlers.context import Handling, Result
from postdesk.routing.actions import (
    Action,
    AgentReply,
    Automatic,
    Duplicate,
    FollowUp,
    NewsByMail,
    NewTicket,
    Rating,
    Refuse,
    Solved,
    StatusRequest,
    Subscription,
    ThirdParty,
    TooLarge,
)

HANDLERS: dict[type[Action], Callable[[Handling, Any], Result]] = {
    Refuse: drop.refuse, Automatic: drop.automatic, Duplicate: drop.duplicate, TooLarge: status.too_large,
    NewsByMail: news.news_mail, AgentReply: agent_reply.agent_reply, ThirdParty: followup.third_party,
    Solved: rating.solved, Rating: rating.rating, StatusRequest: status.status_request,
    Subscription: subscription.subscription, FollowUp: followup.follow_up, NewTicket: new_ticket.new_ticket,
}


def handle(h: Handling, action: Action) -> Result:
    """Carry out `action` for the mail in `h`; `h.ticket` is the thread's, when there is one."""
    return HANDLERS[type(action)](h, action)
