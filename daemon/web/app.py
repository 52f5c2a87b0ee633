"""The requester's pages: where a request stands, a comment, "this solved it", a rating, an article.

Every token is signed; anything that does not verify is a plain 404. What a requester does here (a
comment, "solved", a rating) is stored as an inbound row and goes through the same pipeline as mail,
so the worker does the side effects (events, notifications) exactly as for a mailed reply.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any

from aiohttp import web
from aiohttp.typedefs import Handler
from markdown_it import MarkdownIt
from markupsafe import Markup

from postdesk.daemon.config import Config
from postdesk.daemon.knowledge import KnowledgeBase
from postdesk.daemon.logs import mail_fields
from postdesk.daemon.outgoing.compose import encode_words, new_message_id, reply_subject
from postdesk.daemon.web.metrics import CONTENT_TYPE, count_received, exposition
from postdesk.daemon.web.portal.routes import register as register_portal
from postdesk.daemon.web.tokens import (
    csrf_token,
    rating_token,
    ticket_token,
    verify_rating_token,
    verify_ticket_token,
    verify_unsubscribe_token,
)
from postdesk.storage import news
from postdesk.storage.db import Database
from postdesk.storage.inbound import Arrival, Delivery, store_arrivals
from postdesk.storage.tickets import TicketStore
from postdesk.storage.views import MessageView, TicketView
from postdesk.templates.render import Renderer

log = logging.getLogger("postdesk.web")

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}
MAX_COMMENT = 10_000
PAGE_MESSAGES = 200  # a page lists the first messages and first files of each, then says how many more:
PAGE_FILES = 50  # a ticket with 50,000 attachments made a 1.4 MB page that took the front's CPU for seconds
PAGE_THREADS = 4  # pages are built in threads of their own: a burst of page loads never holds the ingress's

_TEXT = {
    "ru": {"comment_sent": "Спасибо, ваш комментарий принят. Он появится в переписке через несколько секунд.",
           "solved_q": "Проблема решена?", "solved_msg": "Если статья помогла, заявка будет закрыта, а специалисты "
           "получат уведомление. Если нет — просто вернитесь к заявке.", "solved_btn": "Да, проблема решена",
           "solved_done": "Спасибо! Заявка закрыта.", "solved_done_msg": "Если проблема вернётся, ответьте на любое "
           "письмо по заявке — она откроется снова.", "rate_q": "Ваша оценка: {n} из 5",
           "rate_msg": "Отправьте её кнопкой ниже; можно добавить комментарий.", "rate_btn": "Отправить оценку",
           "comment_ph": "Комментарий (необязательно)", "rated": "Спасибо за оценку!",
           "rated_msg": "Вы поставили {n} из 5.", "rated_comment": "Вы поставили {n} из 5. Комментарий сохранён.",
           "back": "Вернуться к заявке"},
    "en": {"comment_sent": "Thank you, your comment was received. It appears in the conversation within seconds.",
           "solved_q": "Is the problem solved?", "solved_msg": "If the article helped, the request is closed and the "
           "agents are told. If not, just go back to the request.", "solved_btn": "Yes, the problem is solved",
           "solved_done": "Thank you! The request is closed.", "solved_done_msg": "If the problem comes back, reply to "
           "any mail about the request and it reopens.", "rate_q": "Your rating: {n} out of 5",
           "rate_msg": "Send it with the button below; you can add a comment.", "rate_btn": "Send the rating",
           "comment_ph": "Comment (optional)", "rated": "Thank you for your rating!",
           "rated_msg": "You gave {n} out of 5.", "rated_comment": "You gave {n} out of 5. Your comment is saved.",
           "back": "Back to the request"},
}


def not_found() -> web.Response:
    return web.Response(status=404, text="404 Not Found\n", headers=SECURITY_HEADERS)


def html(page: str, status: int = 200) -> web.Response:
    return web.Response(status=status, text=page, content_type="text/html", charset="utf-8",
                        headers=SECURITY_HEADERS)


def csrf_for(secret: bytes, token: str) -> str:
    """Bound to the page's own token: a form posted from anywhere else carries no valid one."""
    return csrf_token(secret, token)


def csrf_ok(secret: bytes, token: str, given: str) -> bool:
    return hmac.compare_digest(given.encode(), csrf_for(secret, token).encode())


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


def make_app(get_config: Callable[[], Config], db: Database, get_renderer: Callable[[], Renderer],
             knowledge: KnowledgeBase | None = None, wake: Callable[[], None] = lambda: None,
             health: Callable[[], Awaitable[dict[str, Any]]] | None = None) -> web.Application:
    store = TicketStore(db)
    markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")

    pages = ThreadPoolExecutor(PAGE_THREADS, thread_name_prefix="web")

    async def off_loop(fn: Callable[..., Any], *args: Any) -> Any:
        return await asyncio.get_running_loop().run_in_executor(pages, fn, *args)

    def ticket_of(token: str) -> TicketView | None:
        ticket_id = verify_ticket_token(get_config().service.secret, token)
        return store.get(ticket_id) if ticket_id is not None else None

    def submit(ticket: TicketView, text: str, options: dict[str, Any]) -> None:
        """Store the action like an ingress stores mail (committed before we answer), then wake the worker."""
        config = get_config()
        raw, message_id = web_mail(config, ticket, text)
        ((inbound_id,),) = store_arrivals(db, [Arrival(raw, "web", (Delivery("web", None, ()),),
                                                       ticket.requester_email, message_id, options=options)])
        count_received("web", "web")
        log.info("stored a %s from the tracking page as inbound %s", options.get("web", "comment"), inbound_id,
                 extra=mail_fields(inbound_id, message_id, f"{config.service.ticket_prefix}-{ticket.id}"))
        wake()

    def render_ticket(token: str, notice: str | None) -> str | None:
        config = get_config()
        cfg = config.service
        ticket_id = verify_ticket_token(cfg.secret, token)
        if ticket_id is None:
            return None
        detail = store.detail(ticket_id, public_only=True, files_per_message=PAGE_FILES)
        if detail is None:
            return None
        listed = capped(detail.messages, store.file_counts(
            m.id for m in detail.messages[:PAGE_MESSAGES] if len(m.attachments) == PAGE_FILES))
        t = detail.ticket
        agent = config.agent(t.assignee)
        rating = store.rating(t.id)
        suggestions = []
        index = knowledge.index() if knowledge else None
        for slug in store.suggested(t.id):
            article = index.get(slug) if index else None
            if article is not None:
                suggestions.append({"title": article.title, "summary": article.summary,
                                    "url": f"/kb/{article.slug}"})
        rtoken = rating_token(cfg.secret, t.id)
        return get_renderer().render(
            "ticket.html", t.language, ticket=t, ref=f"{cfg.ticket_prefix}-{t.id}", service_name=cfg.name,
            queue_title=config.routing.queue_title(t.queue, t.language),
            assignee_name=agent.name if agent else (t.assignee or ""), **listed,
            suggestions=suggestions, notice=notice,
            solved_url=f"/t/{token}/solved" if t.status not in ("resolved", "closed") else None,
            rating_links={n: f"/r/{rtoken}/{n}" for n in range(1, 6)} if t.status in ("resolved", "closed") else None,
            rating={"score": rating[0]} if rating else None,
            comment_url=f"/t/{token}/comment" if t.status != "closed" else None, csrf=csrf_for(cfg.secret, token))

    def notice_page(ticket: TicketView, token: str | None, **ctx: Any) -> str:
        cfg = get_config().service
        page = {"message": None, "form_action": None, "csrf": "", "hidden": {}, "textarea": None, "button": "",
                **ctx}
        return get_renderer().common("notice.html", ticket.language, service_name=cfg.name,
                                     back_url=f"/t/{token}" if token else None,
                                     back_label=_TEXT[Renderer.lang(ticket.language)]["back"], **page)

    # -- routes
    async def ticket_page(request: web.Request) -> web.Response:
        token = request.match_info["token"]
        notice = None
        if request.query.get("sent") == "1":
            t = await off_loop(ticket_of, token)
            notice = _TEXT[Renderer.lang(t.language if t else None)]["comment_sent"]
        page = await off_loop(render_ticket, token, notice)
        return html(page) if page is not None else not_found()

    async def comment(request: web.Request) -> web.Response:
        token = request.match_info["token"]
        form = await request.post()
        ticket = await off_loop(ticket_of, token)
        if ticket is None or not csrf_ok(get_config().service.secret, token, str(form.get("csrf", ""))):
            return not_found()
        text = str(form.get("text", "")).strip()
        if not text or len(text) > MAX_COMMENT or ticket.status == "closed":
            raise web.HTTPSeeOther(f"/t/{token}")
        await off_loop(submit, ticket, text, {"web": "comment"})
        raise web.HTTPSeeOther(f"/t/{token}?sent=1")

    async def solved(request: web.Request) -> web.Response:
        token = request.match_info["token"]
        ticket = await off_loop(ticket_of, token)
        if ticket is None:
            return not_found()
        words = _TEXT[Renderer.lang(ticket.language)]
        secret = get_config().service.secret
        if request.method in ("GET", "HEAD"):  # a page, not the action: mail scanners open every link in a mail
            return html(notice_page(ticket, token, title=words["solved_q"], message=words["solved_msg"],
                                    form_action=f"/t/{token}/solved", csrf=csrf_for(secret, token),
                                    button=words["solved_btn"]))
        form = await request.post()
        if not csrf_ok(secret, token, str(form.get("csrf", ""))):
            return not_found()
        if ticket.status not in ("resolved", "closed"):
            await off_loop(submit, ticket, "Проблема решена." if ticket.language == "ru" else "Problem solved.",
                           {"web": "solved"})
        return html(notice_page(ticket, token, title=words["solved_done"], message=words["solved_done_msg"]))

    async def rate(request: web.Request) -> web.Response:
        """GET asks (mail scanners open every link in a mail, and would rate every ticket); POST records."""
        rtoken = request.match_info["token"]
        cfg = get_config().service
        ticket_id = verify_rating_token(cfg.secret, rtoken)
        ticket = await off_loop(store.get, ticket_id) if ticket_id is not None else None
        form = None if request.method in ("GET", "HEAD") else await request.post()
        score = request.match_info.get("score", "") if form is None else str(form.get("score", ""))
        if ticket is None or score not in ("1", "2", "3", "4", "5") or (
                form is not None and not csrf_ok(cfg.secret, rtoken, str(form.get("csrf", "")))):
            return not_found()
        words = _TEXT[Renderer.lang(ticket.language)]
        back = ticket_token(cfg.secret, ticket.id)
        if form is None:
            return html(notice_page(ticket, back, title=words["rate_q"].format(n=score), message=words["rate_msg"],
                                    form_action=f"/r/{rtoken}", csrf=csrf_for(cfg.secret, rtoken),
                                    hidden={"score": score}, textarea=words["comment_ph"], button=words["rate_btn"]))
        text = str(form.get("text", "")).strip()[:4000]
        await off_loop(submit, ticket, f"{score} {text}".strip(),
                       {"web": "rating", "score": int(score), **({"comment": text} if text else {})})
        return html(notice_page(ticket, back, title=words["rated"],
                                message=words["rated_comment" if text else "rated_msg"].format(n=score)))

    async def article(request: web.Request) -> web.Response:
        found = knowledge.index().get(request.match_info["slug"]) if knowledge else None
        if found is None:
            return not_found()
        page = get_renderer().common("kb.html", found.lang, article=found, service_name=get_config().service.name,
                                     body=Markup(markdown.render(found.body)))  # markdown-it escapes any HTML
        return html(page)

    async def unsubscribe(request: web.Request) -> web.Response:
        """GET asks (link scanners open links); POST does it — also RFC 8058's one-click POST from mail apps."""
        token = request.match_info["token"]
        cfg = get_config().service
        address = verify_unsubscribe_token(cfg.secret, token)
        if address is None:
            return not_found()
        ru = cfg.language == "ru"
        if request.method in ("GET", "HEAD"):
            title = "Отписаться от новостей сервисов?" if ru else "Unsubscribe from the service news?"
            page = get_renderer().common("notice.html", cfg.language, service_name=cfg.name, title=title,
                                         message=address, form_action=f"/u/{token}", csrf="", hidden={},
                                         textarea=None, button="Отписаться" if ru else "Unsubscribe", back_url=None)
            return html(page)
        await request.post()  # "List-Unsubscribe=One-Click" from a mail app, or our own button
        await off_loop(news.subscribe, db, address, False, "web", datetime.now(UTC))
        title = "Вы отписались от новостей сервисов." if ru else "You are unsubscribed from the service news."
        message = ("Подписаться снова: напишите нам письмо со словом «подписаться»." if ru else
                   'To get them again, write us "subscribe".')
        page = get_renderer().common("notice.html", cfg.language, service_name=cfg.name, title=title, message=message,
                                     form_action=None, csrf="", hidden={}, textarea=None, button="", back_url=None)
        return html(page)

    async def index(request: web.Request) -> web.Response:
        """The address people type: the portal (their requests when signed in, else the knowledge base)."""
        raise web.HTTPSeeOther("/portal", headers=SECURITY_HEADERS)

    async def healthz(request: web.Request) -> web.Response:
        """200 when the database answers and every ingress is up; 503 with the details otherwise."""
        started = time.perf_counter()
        report: dict[str, Any] = {}
        try:
            await off_loop(store.count)
            report["database"] = {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1)}
        except Exception as exc:
            report["database"] = {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:300]}
        if health is not None:
            report.update(await health())
        ok = all(part.get("ok", True) for part in report.values() if isinstance(part, dict)) and all(
            m.get("ok", True) for m in report.get("mailboxes", []))
        report["ok"] = ok
        return web.Response(status=200 if ok else 503, text=json.dumps(report, ensure_ascii=False, indent=2) + "\n",
                            content_type="application/json", headers={"Cache-Control": "no-store"})

    async def metrics(request: web.Request) -> web.Response:
        """Prometheus text format: this daemon's counters and the center's queue depths (daemon.metrics)."""
        body = await off_loop(exposition, db, lambda: [m.name for m in get_config().mailboxes])
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE, "Cache-Control": "no-store"})

    @web.middleware
    async def errors(request: web.Request, handler: Handler) -> web.StreamResponse:
        try:
            return await handler(request)
        except web.HTTPException as exc:
            if exc.status in (404, 405):
                return not_found()
            raise
        except Exception:
            log.exception("error serving %s", request.path)
            return web.Response(status=500, text="500 Internal Server Error\n", headers=SECURITY_HEADERS)

    app = web.Application(middlewares=[errors], client_max_size=64 * 1024)
    app.router.add_get("/", index)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/metrics", metrics)
    app.router.add_get("/t/{token}", ticket_page)
    app.router.add_post("/t/{token}/comment", comment)
    app.router.add_get("/t/{token}/solved", solved)
    app.router.add_post("/t/{token}/solved", solved)
    app.router.add_get("/r/{token}/{score}", rate)
    app.router.add_post("/r/{token}", rate)
    app.router.add_get("/kb/{slug}", article)
    app.router.add_get("/u/{token}", unsubscribe)
    app.router.add_post("/u/{token}", unsubscribe)
    register_portal(app, get_config, db, get_renderer, knowledge, wake)
    return app
