"""What happens to one inbound mail, decided once: `decide_mail(mail, facts) -> Verdict`. Pure.

This is the decision the pipeline used to make inside daemon/pipeline/runner.py (`classify`, `identify`,
`decide_action`); it moved here, unchanged, so that `postdesk route-test` and the daemon act on the very
same verdict. The caller gathers the facts (daemon/pipeline/facts.py) and carries the action out; nothing here looks
anything up. Read top to bottom, `decide_mail` is the rule table: the first rule that holds wins.
"""

from __future__ import annotations

from datetime import timedelta

from postdesk.parsers.authres import contradicts_from, proves_person
from postdesk.parsers.gratitude import is_only_thanks
from postdesk.parsers.model import InboundMail
from postdesk.parsers.rating import rating_of
from postdesk.routing.actions import (
    Action,
    AgentReply,
    Automatic,
    Defer,
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
    Verdict,
)
from postdesk.routing.commands import plan_commands
from postdesk.routing.facts import SUBSCRIBE_WORDS, UNSUBSCRIBE_WORDS, Claim, Desk, Facts, Identity, Thread
from postdesk.routing.route import decide

NOT_A_PARTICIPANT = "the sender is not a participant of that request"


def refusal(mail: InboundMail) -> str | None:
    """Why a mail cannot become a request at all; automatic mail passes on to be recorded, never answered."""
    if mail.auto is None and not mail.sender:
        return "no sender address: neither From nor the envelope sender can be answered"
    return None


def identify(mail: InboundMail, desk: Desk, signed: Claim | None, notified: Claim | None) -> Identity:
    """From alone never makes an agent; it must meet the signed address, the notification, or a DKIM
    signature of that very address reported by the host the admin trusts (parsers.authres)."""
    sender = (mail.sender or "").lower()
    authserv = desk.trusted_authserv_id
    if authserv and (why := contradicts_from(mail.headers, authserv, sender, desk.employee(sender))):
        owner = desk.agent(signed.agent) if signed is not None else None
        return Identity(addressed=owner, ticket_id=signed.ticket_id if owner and signed else None,
                        contradicted=why, spoof=f"From: {sender}, but {authserv} reports {why}")
    if signed is not None:
        owner = desk.agent(signed.agent)
        if owner is not None:
            if sender == owner.address:
                return Identity(owner, owner, signed.ticket_id, "its signed reply address")
            return Identity(None, owner, signed.ticket_id)
    if notified is not None:
        owner = desk.agent(notified.agent)
        if owner is not None and sender == owner.address:
            return Identity(owner, owner, notified.ticket_id, "a reply to its notification")
    claimed = desk.agent(sender)
    if claimed is None:
        return Identity()
    if authserv and (verdict := proves_person(mail.headers, authserv, claimed.address)):
        return Identity(claimed, claimed, None, f"Authentication-Results from {authserv}: {verdict}")
    return Identity(spoof=f"From: {sender} is an agent's address, but the mail came neither to that agent's "
                          "signed reply address nor with a trusted DKIM signature of that address")


def decide_mail(mail: InboundMail, facts: Facts) -> Verdict:
    """The one decision: agents' replies by proof; follow-ups only from participants of a live thread;
    else a new request. The trace says what was found and which rule held."""
    trace = [f"sender: {mail.sender or '-'}; {facts.who.describe()}",
             f"thread: {_thread_line(facts.thread, facts.known)}"]
    if facts.delivered.untrusted_peer:
        trace.append(f"Authentication-Results not believed: handed over by {facts.delivered.untrusted_peer}, "
                     "not by the MX (smtp_in.trusted_relays)")
    action, why = _decide(mail, facts)
    trace.append(why)
    return Verdict(action, tuple(trace))


def _thread_line(thread: Thread | None, known: bool) -> str:
    if thread is None:
        return "none"
    return f"{thread.ref} ({thread.status})" + ("; this mail is already on it" if known else "")


def _decide(mail: InboundMail, facts: Facts) -> tuple[Action, str]:
    thread, who, row, desk = facts.thread, facts.who, facts.delivered, facts.desk
    sender = mail.sender or ""
    if (refused := refusal(mail)) is not None:
        return Refuse(refused), "refused before anything else"
    if facts.waits is not None:
        return Defer(facts.waits), "it answers a mail that is not processed yet"
    if mail.auto is not None:
        bounce = facts.bounce
        return (Automatic(mail.auto.kind, mail.auto.reason, thread or (bounce.thread if bounce else None), bounce),
                "automatic mail is never answered" + (f"; it returns our outbox mail {bounce.outbox_id}"
                                                       if bounce else ""))
    if row.too_large:
        return TooLarge(row.too_large), "the mailbox left it on the server for its size"
    if row.mailbox == "news":
        editor = sender.lower() in desk.news_editors
        authserv = desk.trusted_authserv_id  # None for mail a client other than our MX handed over
        proven = (editor and authserv and proves_person(mail.headers, authserv, sender.lower())) or ""
        return NewsByMail(sender.lower(), editor, proven), "it came to the news address"
    if thread is not None and facts.known:
        return Duplicate(thread), "this Message-ID is already on the thread"
    if who.agent is not None and thread is not None:
        plan = plan_commands(mail.commands, agent=who.agent.address, agents=desk.agents,
                             queues=[q.name for q in desk.routing.queues], ours=desk.our_addresses)
        return (AgentReply(thread, who.agent, who.how, plan, tuple(c.line for c in mail.commands)),
                "a proven agent wrote on a thread")
    if who.addressed is not None and thread is not None and who.ticket_id == thread.id:
        return ThirdParty(thread, who.addressed), "someone else used an agent's signed reply address"
    if who.contradicted and thread is not None:  # its own ticket, never a follow-up as the person it names
        why = f"the sender's authentication contradicts its From ({who.contradicted})"
        return NewTicket(decide(mail, desk.routing, row.queue, desk.predict), thread, why), why
    participant = thread is not None and thread.is_participant(mail.sender)
    if row.web and thread is not None and participant:
        if row.web == "solved":
            return Solved(thread), "the requester clicked 'this solved my problem'"
        if row.web == "rating":
            return Rating(thread, int(row.score or 0), row.comment, "web"), "the requester rated on the page"
    if thread is None and row.queue is None and (asked := _asks(mail, facts.desk)) is not None:
        return asked
    return _reply_or_new(mail, facts, participant)


def _asks(mail: InboundMail, desk: Desk) -> tuple[Action, str] | None:
    """A mail on no thread that asks for something rather than about a problem: the sender's open requests,
    or (un)subscription to the news; None for any other mail."""
    sender = mail.sender or ""
    asked = " ".join(mail.subject.lower().split()).strip(" .!?")
    said = " ".join(mail.text.lower().split()).strip(" .!?")
    if asked in desk.status_subjects:
        return StatusRequest(sender), f"the subject {asked!r} asks for the sender's open requests"
    for words, on in ((UNSUBSCRIBE_WORDS, False), (SUBSCRIBE_WORDS, True)):
        if asked.removeprefix("re: ") in words or said in words:  # the subject, or a reply that says only that
            return Subscription(sender, on), "the mail says only " + ("subscribe" if on else "unsubscribe")
    return None


def _reply_or_new(mail: InboundMail, facts: Facts, participant: bool) -> tuple[Action, str]:
    """The rest: a participant's rating or follow-up on the thread, else a new ticket and why it is one."""
    thread, row, desk = facts.thread, facts.delivered, facts.desk
    if (thread is not None and thread.status in ("resolved", "closed") and participant and not row.silent
            and (rated := rating_of(mail.text)) is not None):
        return Rating(thread, rated[0], rated[1], "mail"), f"a participant's reply on a {thread.status} request " \
                                                           "starts with a score"
    if thread is not None and (row.silent or thread.status != "closed") and participant:
        if row.silent or thread.status != "resolved":
            return FollowUp(thread, reopen=False), "a participant wrote on a live request" + (
                " (history import: nothing reopens)" if row.silent else "")
        if is_only_thanks(mail.text):
            return FollowUp(thread, reopen=False, thanks=True), "only thanks on a resolved request"
        resolved = thread.resolved_at or thread.updated_at
        if facts.now is None or facts.now - resolved <= timedelta(days=desk.reopen_days):
            return FollowUp(thread, reopen=True), f"resolved within {desk.reopen_days} days: the reply reopens it"
    why = NOT_A_PARTICIPANT
    if participant and thread is not None:
        why = ("that request is closed" if thread.status == "closed" else
               f"that request was resolved more than {desk.reopen_days} days ago")
    return NewTicket(decide(mail, desk.routing, row.queue, desk.predict), thread, why), (
        f"not on {thread.ref}: {why}" if thread is not None else "no thread: a new request")
