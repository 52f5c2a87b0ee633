"""Answers to someone's mail: the acknowledgment of a new request, the too-large notice, the list of open
requests ("статус"), the subscription answer and the news preview to an editor.

Each is an answer in the sense of RFC 3834 (Auto-Submitted: auto-replied, in the sender's thread), so each leaves
under a rule of daemon/outgoing/send.py that applies the auto-reply guard: never to a null sender or automatic
mail, and at most `[service] auto_replies_per_hour` answers of every kind together to one address an hour.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from postdesk.daemon.outgoing.compose import reply_subject
from postdesk.daemon.outgoing.mailer import Mailer, ref_of
from postdesk.daemon.outgoing.send import ACK, STATUS, TOO_LARGE, Answering, Body, Held, Letter, Rule, Sent
from postdesk.daemon.web.tokens import news_token, ticket_token
from postdesk.parsers import InboundMail
from postdesk.routing.actions import NewsByMail, NewTicket, StatusRequest, Subscription, TooLarge
from postdesk.routing.news import NewsItem
from postdesk.storage.tickets import Tx
from postdesk.storage.views import InboundView, TicketView

# The actions answered here, with the rule each answer leaves under: `postdesk route-test` reads the guard for it.
ANSWERED_WITH: dict[type, Rule] = {NewTicket: ACK, TooLarge: TOO_LARGE, StatusRequest: STATUS, Subscription: STATUS,
                                   NewsByMail: STATUS}

def answer_to(mail: InboundMail, subject: str, language: str, *, name: str | None = None, address: str | None = None,
              ticket_id: int | None = None, ticket_ref: str | None = None, reply_to: str | None = None) -> Letter:
    """A letter to the mail's sender (or to `address`) in the sender's thread: In-Reply-To and References."""
    if name is None:
        name = mail.from_.name if mail.from_ else ""
    return Letter(to=((name, address or mail.sender or ""),),
                  subject=subject, language=language, ticket_id=ticket_id, ticket_ref=ticket_ref,
                  in_reply_to=mail.message_id, references=mail.references, reply_to=reply_to)


def _answering(post: Mailer, mail: InboundMail, row: InboundView) -> Answering:
    """What the answered mail says of automatic answers (send.Answering.of), our own group alias's list headers
    aside."""
    return Answering.of(mail, row, post.config.our_addresses())


def acknowledge(post: Mailer, tx: Tx, ticket: TicketView, mail: InboundMail, row: InboundView, now: datetime,
                suggest: Callable[[], list[dict[str, str]]]) -> Sent | Held:
    """The number and the tracking link to the requester; kept on the ticket as a system message. `suggest`
    (articles that may answer it) is asked only for an acknowledgment that leaves."""
    cfg = post.config.service
    ref = ref_of(post.config, ticket.id)
    letter = answer_to(mail, reply_subject(mail.subject, ref), ticket.language, name=ticket.requester_name,
                       address=ticket.requester_email, ticket_id=ticket.id, ticket_ref=ref)

    def body() -> Body:
        url = f"{cfg.base_url}/t/{ticket_token(cfg.secret, ticket.id)}"  # one HMAC, not one a link
        return Body(*post.renderer.mail(
            "ack", ticket.language, ticket=ticket, ref=ref, name=ticket.requester_name, service_name=cfg.name,
            queue_title=post.config.routing.queue_title(ticket.queue, ticket.language), url=url,
            suggestions=suggest(), solved_url=f"{url}/solved"))

    sent = post.send(tx, ACK, letter, body, now, _answering(post, mail, row))
    if isinstance(sent, Sent):
        tx.add_message(ticket.id, direction="out", kind="ack", visibility="system", message_id=sent.mail.message_id,
                       author_email=cfg.address, author_name=cfg.name, subject=sent.mail.subject,
                       text=sent.body.text, outbox_id=sent.outbox_id, now=now)
    return sent


def too_large(post: Mailer, tx: Tx, mail: InboundMail, row: InboundView, size: int, now: datetime) -> Sent | Held:
    """The sender's mail stayed on the server for its size: say so, with the limit."""
    limit = post.config.smtp_in.max_message_size
    letter = answer_to(mail, reply_subject(mail.subject, None), mail.language)
    return post.send(tx, TOO_LARGE, letter, lambda: Body(*post.renderer.mail(
        "too_large", mail.language, service_name=post.config.service.name, subject=mail.subject,
        size_mb=round(size / 1e6, 1), limit_mb=round(limit / 1e6, 1))), now, _answering(post, mail, row))


def status_list(post: Mailer, tx: Tx, mail: InboundMail, row: InboundView, now: datetime) -> tuple[Sent | Held, int]:
    """The sender's open requests with their tracking links; and how many were listed."""
    cfg = post.config.service
    sender = mail.sender or ""
    listed: list[int] = []

    def body() -> Body:
        tickets = [{"ref": ref_of(post.config, t.id), "ticket": t, "url": post.tracking_url(t.id)}
                   for t in tx.open_tickets_of(sender)]
        listed.append(len(tickets))
        return Body(post.renderer.render("status.txt", mail.language, tickets=tickets, name=letter.to[0][0],
                                         service_address=cfg.address, service_name=cfg.name))

    letter = answer_to(mail, reply_subject(mail.subject, None), mail.language)
    sent = post.send(tx, STATUS, letter, body, now, _answering(post, mail, row))
    return sent, sum(listed)


def subscription_answer(post: Mailer, tx: Tx, mail: InboundMail, row: InboundView, subscribed: bool,
                        now: datetime) -> Sent | Held:
    """The news by mail switched on or off, confirmed to the sender."""
    subject = reply_subject(mail.subject or ("подписка" if mail.language == "ru" else "news"), None)
    letter = answer_to(mail, subject, mail.language)
    return post.send(tx, STATUS, letter, lambda: Body(post.renderer.render(
        "subscription.txt", mail.language, subscribed=subscribed, name=letter.to[0][0],
        service_name=post.config.service.name)), now, _answering(post, mail, row))


def news_preview(post: Mailer, tx: Tx, mail: InboundMail, row: InboundView, editor: str, item: NewsItem,
                 published: bool, now: datetime, unknown: tuple[str, ...] = ()) -> Sent | Held:
    """The editor's news as the digest will show it; while a draft, its Reply-To is signed for the draft and
    the editor, so a reply from the editor's mailbox confirms it."""
    cfg = post.config
    local, _, domain = (cfg.news_address or cfg.service.address).partition("@")
    reply_to = None if published else f"{local}+{news_token(cfg.service.secret, item.key, editor)}@{domain}"
    letter = answer_to(mail, reply_subject(item.title, None), cfg.service.language, name="", address=editor,
                       reply_to=reply_to)
    return post.send(tx, STATUS, letter, lambda: Body(post.renderer.render(
        "news_preview.txt", cfg.service.language, item=item, published=published, service_name=cfg.service.name,
        unknown=unknown, queues=[q.name for q in cfg.routing.queues])), now, _answering(post, mail, row))
