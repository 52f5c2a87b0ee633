"""One call from daemon/web.py adds every portal page to the web app."""

from __future__ import annotations

from collections.abc import Callable

from aiohttp import web

from daemon.config import Config
from daemon.knowledge import KnowledgeBase
from daemon.portal import auth, desk, new, pages
from daemon.portal.base import Portal
from storage.db import Database
from templates.render import Renderer


def register(app: web.Application, get_config: Callable[[], Config], db: Database,
             get_renderer: Callable[[], Renderer], knowledge: KnowledgeBase | None,
             wake: Callable[[], None]) -> None:
    portal = Portal(get_config, db, get_renderer, knowledge, wake)
    for module in (auth, pages, new, desk):
        module.add_routes(app, portal)
