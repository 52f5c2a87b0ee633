"""The tracking page: a signed link shows a requester where their request stands."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from aiohttp import web

from daemon.config import Config
from daemon.tokens import verify_ticket_token
from storage.db import Database
from storage.tickets import TicketStore
from templates.render import Renderer

log = logging.getLogger("postdesk.web")

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}


def not_found() -> web.Response:
    return web.Response(status=404, text="404 Not Found\n", headers=SECURITY_HEADERS)


def make_app(get_config: Callable[[], Config], db: Database, get_renderer: Callable[[], Renderer]) -> web.Application:
    store = TicketStore(db)

    def render_ticket(token: str) -> str | None:
        config = get_config()
        ticket_id = verify_ticket_token(config.service.secret, token)
        if ticket_id is None:
            return None
        detail = store.detail(ticket_id, public_only=True)
        if detail is None:
            return None
        t = detail.ticket
        queue = config.routing.queue(t.queue)
        return get_renderer().render(
            "ticket.html", t.language, ticket=t, ref=f"{config.service.ticket_prefix}-{t.id}",
            service_name=config.service.name, queue_title=queue.title if queue else t.queue,
            assignee_name=t.assignee, messages=detail.messages)

    async def ticket_page(request: web.Request) -> web.Response:
        page = await asyncio.get_running_loop().run_in_executor(None, render_ticket, request.match_info["token"])
        if page is None:
            return not_found()
        return web.Response(text=page, content_type="text/html", charset="utf-8", headers=SECURITY_HEADERS)

    async def index(request: web.Request) -> web.Response:
        return web.Response(text=f"{get_config().service.name}\n", headers=SECURITY_HEADERS)

    async def health(request: web.Request) -> web.Response:
        return web.Response(text="ok\n")

    @web.middleware
    async def errors(request: web.Request, handler: Callable) -> web.StreamResponse:  # type: ignore[type-arg]
        try:
            return await handler(request)
        except web.HTTPException as exc:
            if exc.status == 404:
                return not_found()
            raise
        except Exception:
            log.exception("error serving %s", request.path)
            return web.Response(status=500, text="500 Internal Server Error\n", headers=SECURITY_HEADERS)

    app = web.Application(middlewares=[errors], client_max_size=1024 * 1024)
    app.router.add_get("/", index)
    app.router.add_get("/healthz", health)
    app.router.add_get("/t/{token}", ticket_page)
    return app
