"""Sign in by a mailed one-time link, and sign out.

The sign-in page answers the same whatever the address, so it cannot tell who works here. The link's
mail goes through the outbox like every mail we send: marked auto-generated (RFC 3834), never to one of
our own addresses or to one that bounced for good, at most LOGIN_MAILS_PER_HOUR to one address. The link
itself only shows a button (mail scanners open links); the button spends it and opens a session.
"""

from __future__ import annotations

import logging
import re
import secrets
from datetime import UTC, datetime, timedelta

from aiohttp import web

from daemon.compose import compose
from daemon.config import Config
from daemon.logs import fields
from daemon.portal.base import SESSION_COOKIE, Portal, cookie_value
from daemon.portal.words import WORDS
from daemon.tokens import csrf_token
from storage import portal as rows
from storage.db import Database
from storage.tickets import Tx
from templates.render import Renderer

log = logging.getLogger("postdesk.portal")

LOGIN_MAILS_PER_HOUR = 5
_EMAIL = re.compile(r"^[^@\s<>\"(),;:\\\[\]]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,63}$")


def may_sign_in(config: Config, has_tickets: bool, address: str) -> bool:
    """The center's domains, its agents, or anyone who already has a request; never one of our own addresses."""
    if address in config.our_addresses():
        return False
    domain = address.rpartition("@")[2]
    return domain in config.portal.login_domains or config.agent(address) is not None or has_tickets


def send_link(config: Config, renderer: Renderer, db: Database, address: str, lang: str, now: datetime) -> str:
    """Queue the sign-in mail if this address may have one now; what happened, for the log only."""
    if not may_sign_in(config, rows.has_tickets(db, address), address):
        return "not a desk user"
    cfg = config.service
    token = secrets.token_urlsafe(24)
    minutes = config.portal.login_link_minutes
    with db.write() as s:
        tx = Tx(s, db)
        if tx.recent_outbox_count(address, "login", now - timedelta(hours=1)) >= LOGIN_MAILS_PER_HOUR:
            return f"more than {LOGIN_MAILS_PER_HOUR} sign-in mails in an hour"
        if tx.suppressed([address], now):
            return "the address bounced for good"
        rows.add_login(tx.c, token, address, now, timedelta(minutes=minutes))
        url = f"{cfg.base_url}/login/{token}"
        text = renderer.render("login.txt", lang, url=url, minutes=minutes, service_name=cfg.name)
        subject = f"Вход на портал: {cfg.name}" if lang == "ru" else f"Sign in to {cfg.name}"
        out = compose(from_name=cfg.name, from_email=cfg.address, to=[("", address)], subject=subject, text=text,
                      html=None, in_reply_to=None, references=(), now=now, auto="auto-generated", ticket_ref=None,
                      language=lang)
        tx.enqueue(kind="login", message_id=out.message_id, mail_from=out.mail_from, rcpt=list(out.rcpt),
                   subject=out.subject, raw=out.raw, ticket_id=None, now=now)
    return "sent"


def add_routes(app: web.Application, p: Portal) -> None:
    async def login_form(request: web.Request) -> web.Response:
        if await p.address(request):
            raise web.HTTPSeeOther("/my")
        return await p.page(request, "login.html", error=None, email="")

    async def login_post(request: web.Request) -> web.Response:
        await p.address(request)
        form = await request.post()
        if not p.csrf_ok(request, form.get("csrf")):
            return await p.refuse(request)
        lang = p.lang(request)
        w = WORDS[lang]
        address = " ".join(str(form.get("email", "")).split()).lower()[:320]
        if not _EMAIL.match(address):
            return await p.page(request, "login.html", status=400, error=w["login_bad_email"], email=address)
        config = p.get_config()
        outcome = await p.off(send_link, config, p.get_renderer(), p.db, address, lang, datetime.now(UTC))
        log.info("portal sign-in asked: %s", outcome, extra=fields(address=address))
        p.wake()
        return await p.notice(request, w["login_sent"],
                              w["login_sent_msg"].format(minutes=config.portal.login_link_minutes))

    async def link_gone(request: web.Request) -> web.Response:
        w = WORDS[p.lang(request)]
        return await p.notice(request, w["link_gone"], w["link_gone_msg"], 410, links=(("/login", w["new_link"]),))

    async def confirm(request: web.Request) -> web.Response:
        token = request.match_info["token"]
        secret = p.get_config().service.secret
        if len(token) > 64 or not await p.off(rows.login_usable, p.db, token, datetime.now(UTC)):
            return await link_gone(request)
        w = WORDS[p.lang(request)]
        return await p.page(request, "confirm.html", title=w["confirm_title"], action=f"/login/{token}",
                            link_csrf=csrf_token(secret, f"login:{token}"))

    async def sign_in(request: web.Request) -> web.Response:
        token = request.match_info["token"]
        form = await request.post()
        given = str(form.get("csrf", ""))
        expected = csrf_token(p.get_config().service.secret, f"login:{token}")
        if len(token) > 64 or not secrets.compare_digest(given.encode(), expected.encode()):
            return await p.refuse(request)
        session = secrets.token_urlsafe(32)
        address = await p.off(rows.use_login, p.db, token, session, datetime.now(UTC),
                              p.get_config().portal.session_days)
        if address is None:
            return await link_gone(request)
        log.info("portal: signed in", extra=fields(address=address))
        response = web.HTTPSeeOther("/my")
        response.set_cookie(SESSION_COOKIE, session, max_age=p.get_config().portal.session_days * 86400,
                            httponly=True, samesite="Lax", secure=p.secure, path="/")
        raise response

    async def sign_out(request: web.Request) -> web.Response:
        address = await p.address(request)
        form = await request.post()
        if not address or not p.csrf_ok(request, form.get("csrf")):
            return await p.refuse(request)
        sid = cookie_value(request.cookies.get(SESSION_COOKIE))
        if sid:
            await p.off(rows.end_session, p.db, sid, datetime.now(UTC))
        request["pd_address"] = None
        w = WORDS[p.lang(request)]
        response = await p.notice(request, w["signed_out"], w["signed_out_msg"], links=(("/login", w["sign_in"]),))
        response.del_cookie(SESSION_COOKIE, path="/")
        return response

    app.router.add_get("/login", login_form)
    app.router.add_post("/login", login_post)
    app.router.add_get("/login/{token}", confirm)
    app.router.add_post("/login/{token}", sign_in)
    app.router.add_post("/logout", sign_out)
