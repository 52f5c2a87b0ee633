"""What every page of the web app shares: the config, the database, the renderer, a thread pool, plain answers.

The requester's pages (daemon.web.tracking) and the public ones (daemon.web.public) take one `Site`; the
portal has its own (daemon.web.portal.base), with sessions on top.
"""

from __future__ import annotations

import asyncio
import hmac
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from aiohttp import web

from postdesk.daemon.config import Config
from postdesk.daemon.knowledge import KnowledgeBase
from postdesk.daemon.web.tokens import csrf_token
from postdesk.storage.db import Database
from postdesk.storage.tickets import TicketStore
from postdesk.templates.render import Renderer

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}
PAGE_THREADS = 4  # pages are built in threads of their own: a burst of page loads never holds the ingress's


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


class Site:
    """The web app's shared state; one per app (a SIGHUP gives new config and renderer through the getters)."""

    def __init__(self, get_config: Callable[[], Config], db: Database, get_renderer: Callable[[], Renderer],
                 knowledge: KnowledgeBase | None, wake: Callable[[], None],
                 health: Callable[[], Awaitable[dict[str, Any]]] | None):
        self.get_config = get_config
        self.db = db
        self.store = TicketStore(db)
        self.get_renderer = get_renderer
        self.knowledge = knowledge
        self.wake = wake
        self.health = health
        self.pages = ThreadPoolExecutor(PAGE_THREADS, thread_name_prefix="web")

    async def off(self, fn: Callable[..., Any], *args: Any) -> Any:
        """Database and rendering work off the event loop, in the pages' own threads."""
        return await asyncio.get_running_loop().run_in_executor(self.pages, fn, *args)
