"""The pages anyone may open: a knowledge article, the news unsubscribe link, the front door, health and metrics."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from typing import Any

from aiohttp import web
from markdown_it import MarkdownIt
from markupsafe import Markup

from postdesk.daemon.web.metrics import CONTENT_TYPE, exposition
from postdesk.daemon.web.site import SECURITY_HEADERS, Site, html, not_found
from postdesk.daemon.web.tokens import verify_unsubscribe_token
from postdesk.storage import news
from postdesk.templates.i18n import words


class Public:
    def __init__(self, site: Site):
        self.site = site
        self.markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")

    async def article(self, request: web.Request) -> web.Response:
        knowledge = self.site.knowledge
        found = knowledge.index().get(request.match_info["slug"]) if knowledge else None
        if found is None:
            return not_found()
        page = self.site.get_renderer().common(
            "kb.html", found.lang, article=found, service_name=self.site.get_config().service.name,
            body=Markup(self.markdown.render(found.body)))  # markdown-it escapes any HTML
        return html(page)

    async def unsubscribe(self, request: web.Request) -> web.Response:
        """GET asks (link scanners open links); POST does it — also RFC 8058's one-click POST from mail apps."""
        token = request.match_info["token"]
        cfg = self.site.get_config().service
        address = verify_unsubscribe_token(cfg.secret, token)
        if address is None:
            return not_found()
        _ = words(cfg.language)
        render = self.site.get_renderer().common
        if request.method in ("GET", "HEAD"):
            return html(render("notice.html", cfg.language, service_name=cfg.name,
                               title=_("Unsubscribe from the service news?"), message=address,
                               form_action=f"/u/{token}", csrf="", hidden={}, textarea=None,
                               button=_("Unsubscribe"), back_url=None))
        await request.post()  # "List-Unsubscribe=One-Click" from a mail app, or our own button
        await self.site.off(news.subscribe, self.site.db, address, False, "web", datetime.now(UTC))
        return html(render("notice.html", cfg.language, service_name=cfg.name,
                           title=_("You are unsubscribed from the service news."),
                           message=_('To get them again, write us "subscribe".'),
                           form_action=None, csrf="", hidden={}, textarea=None, button="", back_url=None))

    async def index(self, request: web.Request) -> web.Response:
        """The address people type: the portal (their requests when signed in, else the knowledge base)."""
        raise web.HTTPSeeOther("/portal", headers=SECURITY_HEADERS)

    async def healthz(self, request: web.Request) -> web.Response:
        """200 when the database answers and every ingress is up; 503 with the details otherwise."""
        started = time.perf_counter()
        report: dict[str, Any] = {}
        try:
            await self.site.off(self.site.store.count)
            report["database"] = {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1)}
        except Exception as exc:
            report["database"] = {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:300]}
        if self.site.health is not None:
            report.update(await self.site.health())
        ok = all(part.get("ok", True) for part in report.values() if isinstance(part, dict)) and all(
            m.get("ok", True) for m in report.get("mailboxes", []))
        report["ok"] = ok
        return web.Response(status=200 if ok else 503, text=json.dumps(report, ensure_ascii=False, indent=2) + "\n",
                            content_type="application/json", headers={"Cache-Control": "no-store"})

    async def metrics(self, request: web.Request) -> web.Response:
        """Prometheus text format: this daemon's counters and the center's queue depths (daemon.metrics)."""
        body = await self.site.off(exposition, self.site.db, lambda: [m.name for m in self.site.get_config().mailboxes])
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE, "Cache-Control": "no-store"})


def add_routes(app: web.Application, site: Site) -> None:
    pages = Public(site)
    app.router.add_get("/", pages.index)
    app.router.add_get("/healthz", pages.healthz)
    app.router.add_get("/metrics", pages.metrics)
    app.router.add_get("/kb/{slug}", pages.article)
    app.router.add_get("/u/{token}", pages.unsubscribe)
    app.router.add_post("/u/{token}", pages.unsubscribe)
