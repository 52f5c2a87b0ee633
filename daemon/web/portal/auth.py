"""Sign in by a mailed one-time link, and sign out.

The sign-in page answers the same whatever the address, so it cannot tell who works here. The link's
mail goes through the outbox like every mail we send: marked auto-generated (RFC 3834), never to one of
our own addresses or to one that bounced for good, at most LOGIN_MAILS_PER_HOUR to one address. The link
itself only shows a button (mail scanners open links); the button spends it and opens a session. The
button's token is bound to the browser that opened the link too, so no other site can make a visitor's
browser press it and sign them in as someone else (login CSRF).

The page answers before the mail is even looked into, so its timing says nothing either, and one client
gets at most LOGIN_ASKS_PER_CLIENT sign-in mails an hour, whatever addresses it types: otherwise anyone
could make the desk mail every address of the center's domains, existing or not.
"""

from __future__ import annotations

import asyncio
import logging
import re
import secrets
import time
from collections import deque
from datetime import UTC, datetime, timedelta

from aiohttp import web

from postdesk.daemon.config import Config
from postdesk.daemon.logs import fields
from postdesk.daemon.outgoing.compose import UnsafeHeader
from postdesk.daemon.outgoing.send import LOGIN, LOGIN_MAILS_PER_HOUR, Body, Held, Letter, Post, Reason
from postdesk.daemon.web.portal.base import SESSION_COOKIE, Portal, cookie_value
from postdesk.storage import portal as rows
from postdesk.storage.db import Database
from postdesk.storage.tickets import TicketStore
from postdesk.templates.i18n import words
from postdesk.templates.render import Renderer

log = logging.getLogger("postdesk.portal")

LOGIN_ASKS_PER_CLIENT = 120  # an hour, from one client address (behind a NAT or proxy: all its users)
# a dot-atom of printable ASCII: no control character, no non-ASCII local part (the relay takes none), no quotes
_EMAIL = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,63}$")


class ClientLimit:
    """At most `limit` asks an hour per client address, in memory (a restart forgets, which is harmless)."""

    def __init__(self, limit: int, window: float = 3600.0):
        self.limit, self.window = limit, window
        self.seen: dict[str, deque[float]] = {}
        self.swept = 0.0

    def allow(self, client: str, now: float) -> bool:
        if len(self.seen) > 1000 and now - self.swept > 60:  # forget idle clients, now and then, not every ask
            self.swept = now
            for key in [k for k, q in self.seen.items() if not q or q[-1] < now - self.window]:
                del self.seen[key]
        asks = self.seen.setdefault(client, deque())
        while asks and asks[0] < now - self.window:
            asks.popleft()
        if len(asks) >= self.limit:
            return False
        asks.append(now)
        return True


def may_sign_in(config: Config, has_tickets: bool, address: str) -> bool:
    """The center's domains, its agents, or anyone who already has a request; never one of our own addresses."""
    if config.is_ours(address):  # its `+` forms too: signed reply addresses, VERP senders
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
    with TicketStore(db).transaction() as tx:
        subject = f"Вход на портал: {cfg.name}" if lang == "ru" else f"Sign in to {cfg.name}"
        try:  # the one way out (daemon/outgoing/send.py): at most LOGIN_MAILS_PER_HOUR, never ours, never bounced
            sent = Post(config, renderer).send(tx, LOGIN, Letter(to=(("", address),), subject=subject, language=lang),
                                               lambda: Body(renderer.render("login.txt", lang, minutes=minutes,
                                                                            url=f"{cfg.base_url}/login/{token}",
                                                                            service_name=cfg.name)), now)
        except UnsafeHeader as exc:
            return f"no mail can go to this address: {exc}"
        if isinstance(sent, Held):
            return {Reason.LIMIT: f"more than {LOGIN_MAILS_PER_HOUR} sign-in mails in an hour",
                    Reason.BOUNCED: "the address bounced for good"}.get(sent.reason,
                                                                        f"no mail can go to this address: {sent.why}")
        tx.add_login(token, address, now, timedelta(minutes=minutes))
    return "sent"


class SignIn:
    """The handlers of /login and /logout, and the sign-in mails being queued."""

    def __init__(self, p: Portal):
        self.p = p
        self.clients = ClientLimit(LOGIN_ASKS_PER_CLIENT)
        self.pending: set[asyncio.Future[str]] = set()  # sign-in mails being queued; kept so none is collected

    def ask(self, address: str, lang: str, client: str) -> None:
        """Queue the sign-in mail in the background: the page must not wait for it (its time would tell)."""
        p = self.p
        if not self.clients.allow(client, time.monotonic()):
            log.warning("portal sign-in refused: more than %d asks in an hour from one client",
                        LOGIN_ASKS_PER_CLIENT, extra=fields(address=address, client=client))
            return
        job = asyncio.ensure_future(p.off(send_link, p.get_config(), p.get_renderer(), p.db, address, lang,
                                          datetime.now(UTC)))
        self.pending.add(job)

        def done(f: asyncio.Future[str]) -> None:
            self.pending.discard(f)
            if f.cancelled() or f.exception() is not None:
                log.error("portal sign-in mail failed: %r", None if f.cancelled() else f.exception(),
                          extra=fields(address=address))
                return
            log.info("portal sign-in asked: %s", f.result(), extra=fields(address=address))
            p.wake()

        job.add_done_callback(done)

    async def login_form(self, request: web.Request) -> web.Response:
        p = self.p
        if await p.address(request):
            raise web.HTTPSeeOther("/my")
        return await p.page(request, "login.html", error=None, email="")

    async def login_post(self, request: web.Request) -> web.Response:
        p = self.p
        await p.address(request)
        form = await request.post()
        if not p.csrf_ok(request, form.get("csrf")):
            return await p.refuse(request)
        lang = p.lang(request)
        _ = words(lang)
        address = " ".join(str(form.get("email", "")).split()).lower()[:320]
        if not _EMAIL.match(address):
            return await p.page(request, "login.html", status=400, email=address,
                                error=_("That does not look like an email address."))
        config = p.get_config()
        self.ask(address, lang, request.remote or "")
        return await p.notice(request, _("Check your mail"),
                              _("If this address may use the portal, a mail with a sign-in link is on its way. "
                                "The link works for %(minutes)s minutes, once.")
                              % {"minutes": config.portal.login_link_minutes})

    async def link_gone(self, request: web.Request) -> web.Response:
        p = self.p
        _ = words(p.lang(request))
        return await p.notice(request, _("This sign-in link does not work"),
                              _("It was used already or it expired. Ask for a new one."), 410,
                              links=(("/login", _("Ask for a new link")),))

    async def confirm(self, request: web.Request) -> web.Response:
        p = self.p
        token = request.match_info["token"]
        await p.address(request)  # the button's token is bound to this browser's session or cookie
        if len(token) > 64 or not await p.off(rows.login_usable, p.db, token, datetime.now(UTC)):
            return await self.link_gone(request)
        _ = words(p.lang(request))
        return await p.page(request, "confirm.html", title=_("Sign in to the portal?"), action=f"/login/{token}",
                            link_csrf=p.csrf(request, f"login:{token}:"))

    async def sign_in(self, request: web.Request) -> web.Response:
        p = self.p
        token = request.match_info["token"]
        await p.address(request)
        form = await request.post()
        if len(token) > 64 or not p.csrf_ok(request, form.get("csrf"), f"login:{token}:"):
            return await p.refuse(request)
        session = secrets.token_urlsafe(32)
        address = await p.off(rows.use_login, p.db, token, session, datetime.now(UTC),
                              p.get_config().portal.session_days)
        if address is None:
            return await self.link_gone(request)
        log.info("portal: signed in", extra=fields(address=address))
        response = web.HTTPSeeOther("/my")
        response.set_cookie(SESSION_COOKIE, session, max_age=p.get_config().portal.session_days * 86400,
                            httponly=True, samesite="Lax", secure=p.secure, path="/")
        raise response

    async def sign_out(self, request: web.Request) -> web.Response:
        p = self.p
        address = await p.address(request)
        form = await request.post()
        if not address or not p.csrf_ok(request, form.get("csrf")):
            return await p.refuse(request)
        sid = cookie_value(request.cookies.get(SESSION_COOKIE))
        if sid:
            await p.off(rows.end_session, p.db, sid, datetime.now(UTC))
        request["pd_address"] = None
        _ = words(p.lang(request))
        response = await p.notice(request, _("You are signed out"), _("The session on this device is over."),
                                  links=(("/login", _("Sign in")),))
        response.del_cookie(SESSION_COOKIE, path="/")
        return response


def add_routes(app: web.Application, p: Portal) -> None:
    pages = SignIn(p)
    app.router.add_get("/login", pages.login_form)
    app.router.add_post("/login", pages.login_post)
    app.router.add_get("/login/{token}", pages.confirm)
    app.router.add_post("/login/{token}", pages.sign_in)
    app.router.add_post("/logout", pages.sign_out)
