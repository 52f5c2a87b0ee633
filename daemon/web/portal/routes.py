"""One call from daemon/web/app.py adds every portal page to the web app."""

from __future__ import annotations

from collections.abc import Callable

from aiohttp import web

from postdesk.daemon.config import Config
from postdesk.daemon.knowledge import KnowledgeBase
from postdesk.daemon.web.portal import auth, desk, new, pages
from postdesk.daemon.web.portal.base import Portal
from postdesk.storage.db import Database
from postdesk.templates.render import Renderer


def register(app: web.Application, get_config: Callable[[], Config], db: Database,
             get_renderer: Callable[[], Renderer], knowledge: KnowledgeBase | None,
             wake: Callable[[], None]) -> None:
    portal = Portal(get_config, db, get_renderer, knowledge, wake)
    for module in (auth, pages, new, desk):
        module.add_routes(app, portal)
