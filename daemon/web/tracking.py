"""The requester's tracking page and what it can do: a comment, "this solved it", a rating.

Every token is signed; anything that does not verify is a plain 404. What a requester does here (a
comment, "solved", a rating) is stored as an inbound row and goes through the same pipeline as mail,
so the worker does the side effects (events, notifications) exactly as for a mailed reply.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any

from aiohttp import web

from postdesk.daemon.config import Config
from postdesk.daemon.logs import mail_fields
from postdesk.daemon.outgoing.compose import encode_words, new_message_id, reply_subject
from postdesk.daemon.web.metrics import count_received
from postdesk.daemon.web.site import Site, csrf_for, csrf_ok, html, not_found
from postdesk.daemon.web.tokens import decimal_id, rating_token, ticket_token, verify_rating_token, verify_ticket_token
from postdesk.storage.inbound import Arrival, Delivery, store_arrivals
from postdesk.storage.options import InboundOptions, WebAction
from postdesk.storage.views import MessageView, TicketView
from postdesk.templates.i18n import words

log = logging.getLogger("postdesk.web")

MAX_COMMENT = 10_000
PAGE_MESSAGES = 200  # a page lists the first messages and first files of each, then says how many more:
PAGE_FILES = 50  # a ticket with 50,000 attachments made a 1.4 MB page that took the front's CPU for seconds

def web_mail(config: Config, ticket: TicketView, text: str) -> tuple[bytes, str]:
    """A requester's action on the page, written as the mail it stands for (the pipeline reads mail)."""
    ref = f"{config.service.ticket_prefix}-{ticket.id}"
    message_id = new_message_id(config.service.address.partition("@")[2] or "localhost", f"web.{ref}")
    subject = reply_subject(ticket.subject, ref)
    name = ticket.requester_name
    sender = f"{encode_words(name)} <{ticket.requester_email}>" if name else ticket.requester_email
    raw = (f"From: {sender}\r\nTo: {config.service.address}\r\n"
           f"Subject: {subject if subject.isascii() else encode_words(subject)}\r\n"
           f"Date: {format_datetime(datetime.now(UTC))}\r\nMessage-ID: <{message_id}>\r\n"
           f"Content-Language: {ticket.language}\r\nX-Postdesk-Source: web\r\nMIME-Version: 1.0\r\n"
           f'Content-Type: text/plain; charset="utf-8"\r\nContent-Transfer-Encoding: 8bit\r\n\r\n').encode()
    return raw + text.replace("\r\n", "\n").replace("\n", "\r\n").encode("utf-8") + b"\r\n", message_id


def capped(messages: Sequence[MessageView], files: dict[int, int]) -> dict[str, Any]:
    """What the page lists: the first PAGE_MESSAGES messages, the first PAGE_FILES files of each, and how
    many more of each there are (the template says "and K more"); `files` counts each message's files."""
    shown = [replace(m, attachments=m.attachments[:PAGE_FILES]) for m in messages[:PAGE_MESSAGES]]
    return {"messages": shown, "more_messages": max(len(messages) - PAGE_MESSAGES, 0),
            "more_files": {m.id: files[m.id] - len(m.attachments) for m in shown
                           if files.get(m.id, 0) > len(m.attachments)}}


class Tracking:
    """The handlers of /t/… and /r/…, and the page they build."""

    def __init__(self, site: Site):
        self.site = site

    def ticket_of(self, token: str) -> TicketView | None:
        ticket_id = verify_ticket_token(self.site.get_config().service.secret, token)
        return self.site.store.get(ticket_id) if ticket_id is not None else None

    def submit(self, ticket: TicketView, text: str, options: InboundOptions) -> None:
        """Store the action like an ingress stores mail (committed before we answer), then wake the worker."""
        config = self.site.get_config()
        raw, message_id = web_mail(config, ticket, text)
        ((inbound_id,),) = store_arrivals(self.site.db, [Arrival(raw, "web", (Delivery("web", None, ()),),
                                                                 ticket.requester_email, message_id,
                                                                 options=options)])
        count_received("web", "web")
        log.info("stored a %s from the tracking page as inbound %s", options.web or "comment", inbound_id,
                 extra=mail_fields(inbound_id, message_id, f"{config.service.ticket_prefix}-{ticket.id}"))
        self.site.wake()

    def suggestions(self, ticket_id: int) -> list[dict[str, str]]:
        """The knowledge articles suggested when the ticket was opened, those still in the knowledge base."""
        index = self.site.knowledge.index() if self.site.knowledge else None
        found = []
        for slug in self.site.store.suggested(ticket_id):
            article = index.get(slug) if index else None
            if article is not None:
                found.append({"title": article.title, "summary": article.summary, "url": f"/kb/{article.slug}"})
        return found

    def render_ticket(self, token: str, notice: str | None, acting: bool = True) -> str | None:
        """The page; `acting=False` is the read-only page of someone in copy (portal /my/<n>): no comment form,
        no "solved", no rating and no link that carries the token, which would act as the requester."""
        config = self.site.get_config()
        cfg, store = config.service, self.site.store
        ticket_id = verify_ticket_token(cfg.secret, token)
        detail = store.detail(ticket_id, public_only=True, files_per_message=PAGE_FILES) \
            if ticket_id is not None else None
        if detail is None:
            return None
        listed = capped(detail.messages, store.file_counts(
            m.id for m in detail.messages[:PAGE_MESSAGES] if len(m.attachments) == PAGE_FILES))
        t = detail.ticket
        agent = config.agent(t.assignee)
        rating = store.rating(t.id)
        rtoken = rating_token(cfg.secret, t.id)
        done = t.status in ("resolved", "closed")
        return self.site.get_renderer().page(
            "ticket.html", t.language, ticket=t, ref=f"{cfg.ticket_prefix}-{t.id}", service_name=cfg.name,
            queue_title=config.routing.queue_title(t.queue, t.language),
            assignee_name=agent.name if agent else (t.assignee or ""), **listed,
            suggestions=self.suggestions(t.id), notice=notice, originals={
                pk: f"/t/{token}/original/{inbound_id}" for pk, inbound_id in store.originals(t.id).items()
            } if acting else {},
            solved_url=f"/t/{token}/solved" if not done and acting else None,
            rating_links={n: f"/r/{rtoken}/{n}" for n in range(1, 6)} if done and acting else None,
            rating={"score": rating[0]} if rating else None,
            comment_url=f"/t/{token}/comment" if t.status != "closed" and acting else None,
            csrf=csrf_for(cfg.secret, token) if acting else "")

    def render_original(self, token: str, inbound_id: int) -> str | None:
        """The whole text of one mail of the ticket, its quoted history and signature included (issue 15)."""
        cfg = self.site.get_config().service
        ticket = self.ticket_of(token)
        message = self.site.store.original(ticket.id, inbound_id) if ticket is not None else None
        if ticket is None or message is None:
            return None
        return self.site.get_renderer().common("original.html", ticket.language, service_name=cfg.name,
                                               ref=f"{cfg.ticket_prefix}-{ticket.id}", message=message,
                                               back_url=f"/t/{token}")

    def notice_page(self, ticket: TicketView, token: str | None, **ctx: Any) -> str:
        cfg = self.site.get_config().service
        _ = words(ticket.language)
        page = {"message": None, "form_action": None, "csrf": "", "hidden": {}, "textarea": None, "button": "",
                **ctx}
        return self.site.get_renderer().common("notice.html", ticket.language, service_name=cfg.name,
                                               back_url=f"/t/{token}" if token else None,
                                               back_label=_("Back to the request"), **page)

    # -- handlers
    async def ticket_page(self, request: web.Request) -> web.Response:
        token = request.match_info["token"]
        notice = None
        if request.query.get("sent") == "1":
            t = await self.site.off(self.ticket_of, token)
            _ = words(t.language if t else "en")
            notice = _("Thank you, your comment was received. It appears in the conversation within seconds.")
        page = await self.site.off(self.render_ticket, token, notice)
        return html(page) if page is not None else not_found()

    async def original(self, request: web.Request) -> web.Response:
        """`/t/<token>/original/<inbound id>`: signed by the ticket's token; any other mail is a 404."""
        number = decimal_id(request.match_info["inbound"])
        if number is None:
            return not_found()
        page = await self.site.off(self.render_original, request.match_info["token"], number)
        return html(page) if page is not None else not_found()

    async def comment(self, request: web.Request) -> web.Response:
        token = request.match_info["token"]
        form = await request.post()
        ticket = await self.site.off(self.ticket_of, token)
        if ticket is None or not csrf_ok(self.site.get_config().service.secret, token, str(form.get("csrf", ""))):
            return not_found()
        text = str(form.get("text", "")).strip()
        if not text or len(text) > MAX_COMMENT or ticket.status == "closed":
            raise web.HTTPSeeOther(f"/t/{token}")
        await self.site.off(self.submit, ticket, text, InboundOptions(web=WebAction.COMMENT))
        raise web.HTTPSeeOther(f"/t/{token}?sent=1")

    async def solved(self, request: web.Request) -> web.Response:
        token = request.match_info["token"]
        ticket = await self.site.off(self.ticket_of, token)
        if ticket is None:
            return not_found()
        _ = words(ticket.language)
        secret = self.site.get_config().service.secret
        if request.method in ("GET", "HEAD"):  # a page, not the action: mail scanners open every link in a mail
            return html(self.notice_page(
                ticket, token, title=_("Is the problem solved?"), message=_(
                    "If the article helped, the request is closed and the agents are told. If not, just go back to "
                    "the request."), form_action=f"/t/{token}/solved", csrf=csrf_for(secret, token),
                button=_("Yes, the problem is solved")))
        form = await request.post()
        if not csrf_ok(secret, token, str(form.get("csrf", ""))):
            return not_found()
        if ticket.status not in ("resolved", "closed"):
            await self.site.off(self.submit, ticket, _("Problem solved."), InboundOptions(web=WebAction.SOLVED))
        return html(self.notice_page(ticket, token, title=_("Thank you! The request is closed."), message=_(
            "If the problem comes back, reply to any mail about the request and it reopens.")))

    async def rate(self, request: web.Request) -> web.Response:
        """GET asks (mail scanners open every link in a mail, and would rate every ticket); POST records."""
        rtoken = request.match_info["token"]
        cfg = self.site.get_config().service
        ticket_id = verify_rating_token(cfg.secret, rtoken)
        ticket = await self.site.off(self.site.store.get, ticket_id) if ticket_id is not None else None
        form = None if request.method in ("GET", "HEAD") else await request.post()
        score = request.match_info.get("score", "") if form is None else str(form.get("score", ""))
        if ticket is None or score not in ("1", "2", "3", "4", "5") or (
                form is not None and not csrf_ok(cfg.secret, rtoken, str(form.get("csrf", "")))):
            return not_found()
        _ = words(ticket.language)
        back = ticket_token(cfg.secret, ticket.id)
        if form is None:
            return html(self.notice_page(ticket, back, title=_("Your rating: %(n)s out of 5") % {"n": score},
                                         message=_("Send it with the button below; you can add a comment."),
                                         form_action=f"/r/{rtoken}", csrf=csrf_for(cfg.secret, rtoken),
                                         hidden={"score": score}, textarea=_("Comment (optional)"),
                                         button=_("Send the rating")))
        text = str(form.get("text", "")).strip()[:4000]
        await self.site.off(self.submit, ticket, f"{score} {text}".strip(),
                            InboundOptions(web=WebAction.RATING, score=int(score), comment=text))
        said = _("You gave %(n)s out of 5. Your comment is saved.") if text else _("You gave %(n)s out of 5.")
        return html(self.notice_page(ticket, back, title=_("Thank you for your rating!"), message=said % {"n": score}))


def add_routes(app: web.Application, site: Site) -> None:
    pages = Tracking(site)
    app.router.add_get("/t/{token}", pages.ticket_page)
    app.router.add_get("/t/{token}/original/{inbound}", pages.original)
    app.router.add_post("/t/{token}/comment", pages.comment)
    app.router.add_get("/t/{token}/solved", pages.solved)
    app.router.add_post("/t/{token}/solved", pages.solved)
    app.router.add_get("/r/{token}/{score}", pages.rate)
    app.router.add_post("/r/{token}", pages.rate)
