"""What every portal page shares: who is signed in, the language, CSRF tokens, rendering and plain refusals.

Sessions are server-side rows (storage.portal); the cookie holds only a random id. A visitor without a
session gets a random `pd_anon` cookie so that even the sign-in form's CSRF token is bound to one browser.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import secrets
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, NoReturn

from aiohttp import web

from postdesk.daemon.config import Config
from postdesk.daemon.knowledge import KnowledgeBase
from postdesk.daemon.web.portal.words import LANGS, OTHER_LANGUAGE, choose_language, status_words
from postdesk.daemon.web.tokens import csrf_token
from postdesk.storage import portal as rows
from postdesk.storage.db import Database
from postdesk.templates.i18n import words
from postdesk.templates.render import Renderer

SESSION_COOKIE = "pd_session"
ANON_COOKIE = "pd_anon"
LANG_COOKIE = "pd_lang"
HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
                               "frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}


def cookie_value(value: str | None) -> str | None:
    """Our cookies are url-safe base64 of a fixed length; anything else is treated as absent."""
    if value and 20 <= len(value) <= 64 and all(c.isalnum() or c in "-_" for c in value):
        return value
    return None


class Portal:
    """The portal's handlers' shared state; one per web app."""

    def __init__(self, get_config: Callable[[], Config], db: Database, get_renderer: Callable[[], Renderer],
                 knowledge: KnowledgeBase | None, wake: Callable[[], None]):
        self.get_config = get_config
        self.db = db
        self.get_renderer = get_renderer
        self.knowledge = knowledge
        self.wake = wake

    async def off(self, fn: Callable[..., Any], *args: Any) -> Any:
        """Database and rendering work off the event loop, like the rest of the web app."""
        return await asyncio.get_running_loop().run_in_executor(None, fn, *args)

    @property
    def secure(self) -> bool:
        return self.get_config().service.base_url.startswith("https://")

    # -- who and which language
    async def address(self, request: web.Request) -> str | None:
        """The signed-in employee's address, or None (no cookie, a forged or ended session)."""
        if "pd_address" not in request:
            sid = cookie_value(request.cookies.get(SESSION_COOKIE))
            request["pd_address"] = await self.off(rows.session_address, self.db, sid, datetime.now(UTC)) \
                if sid else None
        return request["pd_address"]

    def lang(self, request: web.Request) -> str:
        return choose_language(request.query.get("lang"), request.cookies.get(LANG_COOKIE),
                               request.headers.get("Accept-Language"), self.get_config().service.language)

    def queue_titles(self, request: web.Request) -> dict[str, str]:
        """Queue name -> its title in the visitor's language."""
        lang = self.lang(request)
        return {q.name: q.title_in(lang) for q in self.get_config().routing.queues}

    def is_lead(self, address: str | None) -> bool:
        agent = self.get_config().agent(address)
        return bool(agent and agent.lead)

    # -- CSRF: bound to the session, or to the anonymous browser cookie
    def _binding(self, request: web.Request) -> str:
        sid = cookie_value(request.cookies.get(SESSION_COOKIE))
        if sid and request.get("pd_address"):
            return f"session:{sid}"
        anon = cookie_value(request.cookies.get(ANON_COOKIE)) or request.get("pd_new_anon")
        if anon is None:
            anon = request["pd_new_anon"] = secrets.token_urlsafe(24)
        return f"anon:{anon}"

    def csrf(self, request: web.Request, purpose: str = "") -> str:
        """The token of this browser's forms; `purpose` binds it to one thing too (a sign-in link)."""
        return csrf_token(self.get_config().service.secret, f"{purpose}{self._binding(request)}")

    def csrf_ok(self, request: web.Request, given: Any, purpose: str = "") -> bool:
        """A form's token matches this browser's session (or its anonymous cookie). A browser that came without
        either gets a new cookie here, which no token posted with this request can match."""
        if not isinstance(given, str) or not given:
            return False
        expected = self.csrf(request, purpose)
        return not request.get("pd_new_anon") and hmac.compare_digest(given.encode(), expected.encode())

    # -- answers
    def _finish(self, request: web.Request, response: web.Response) -> web.Response:
        if request.get("pd_new_anon"):
            response.set_cookie(ANON_COOKIE, request["pd_new_anon"], httponly=True, samesite="Lax",
                                secure=self.secure, path="/")
        if request.query.get("lang") in LANGS:
            response.set_cookie(LANG_COOKIE, request.query["lang"], max_age=365 * 86400, samesite="Lax",
                                secure=self.secure, path="/", httponly=True)
        return response

    def context(self, request: web.Request, address: str | None) -> dict[str, Any]:
        config = self.get_config()
        lang = self.lang(request)
        css = hashlib.sha256(config.portal.color.encode()).hexdigest()[:8]
        other_lang, other_lang_name = OTHER_LANGUAGE[lang]
        return {"lang": lang, "other_lang": other_lang, "other_lang_name": other_lang_name,
                "status_words": status_words(lang), "service_name": config.service.name, "address": address,
                "is_lead": self.is_lead(address), "csrf": self.csrf(request), "css": f"/portal.css?v={css}",
                "path": request.path, "prefix": config.service.ticket_prefix}

    async def page(self, request: web.Request, template: str, status: int = 200, **ctx: Any) -> web.Response:
        address = await self.address(request)
        full = {**self.context(request, address), **ctx}
        lang = full.pop("lang")
        text = await self.off(lambda: self.get_renderer().common(f"portal/{template}", lang, **full))
        return self._finish(request, web.Response(status=status, text=text, content_type="text/html",
                                                  charset="utf-8", headers=HEADERS))

    async def notice(self, request: web.Request, title: str, message: str = "", status: int = 200,
                     links: tuple[tuple[str, str], ...] = ()) -> web.Response:
        """A plain page: what happened in words, and where to go; nothing else on it can act."""
        return await self.page(request, "notice.html", status=status, title=title, message=message,
                               links=links)

    async def refuse(self, request: web.Request) -> web.Response:
        """A form without a valid CSRF token: a plain 403 page, nothing done."""
        _ = words(self.lang(request))
        return await self.notice(request, _("Not allowed"),
                                 _("The form is stale or did not come from this page. Nothing was changed."), 403)

    async def not_found(self, request: web.Request) -> web.Response:
        _ = words(self.lang(request))
        return await self.notice(request, _("Page not found"), "", 404)

    @staticmethod
    def to_login() -> NoReturn:
        raise web.HTTPSeeOther("/login")
