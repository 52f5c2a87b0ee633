"""The daemon's HTTP side: one aiohttp app with the requester's pages, the public ones and the portal.

Every token is signed; anything that does not verify, and any route that does not exist, is a plain 404.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web
from aiohttp.typedefs import Handler

from postdesk.daemon.config import Config
from postdesk.daemon.knowledge import KnowledgeBase
from postdesk.daemon.web import public, tracking
from postdesk.daemon.web.portal.routes import register as register_portal
from postdesk.daemon.web.site import SECURITY_HEADERS, Site, not_found
from postdesk.storage.db import Database
from postdesk.templates.render import Renderer

__all__ = ["SECURITY_HEADERS", "make_app"]

log = logging.getLogger("postdesk.web")


@web.middleware
async def errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """A 404 or 405 says no more than "not found"; any other failure is logged and answered with a bare 500."""
    try:
        return await handler(request)
    except web.HTTPException as exc:
        if exc.status in (404, 405):
            return not_found()
        raise
    except Exception:
        log.exception("error serving %s", request.path)
        return web.Response(status=500, text="500 Internal Server Error\n", headers=SECURITY_HEADERS)


def make_app(get_config: Callable[[], Config], db: Database, get_renderer: Callable[[], Renderer],
             knowledge: KnowledgeBase | None = None, wake: Callable[[], None] = lambda: None,
             health: Callable[[], Awaitable[dict[str, Any]]] | None = None) -> web.Application:
    site = Site(get_config, db, get_renderer, knowledge, wake, health)
    app = web.Application(middlewares=[errors], client_max_size=64 * 1024)
    public.add_routes(app, site)
    tracking.add_routes(app, site)
    register_portal(app, get_config, db, get_renderer, knowledge, wake)
    return app
