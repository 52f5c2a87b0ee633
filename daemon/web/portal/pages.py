"""The employee's pages: my requests, the knowledge base, the news and the digest switches, the stylesheet."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import quote

from aiohttp import web

from postdesk.daemon.outgoing.digest import load_news_dir, news_html
from postdesk.daemon.web.portal.base import Portal
from postdesk.daemon.web.portal.words import contrast, on_color
from postdesk.daemon.web.site import Site, html
from postdesk.daemon.web.tokens import decimal_id, ticket_token
from postdesk.daemon.web.tracking import Tracking
from postdesk.routing.knowledge import Article
from postdesk.routing.news import NewsItem
from postdesk.storage import news
from postdesk.storage import portal as rows

KB_SEARCH_THRESHOLD = 0.15  # a search box shows weaker matches than a mail's suggestions (0.35) do


def published(p: Portal) -> list[NewsItem]:
    """Items of the news folder (read now: the folder is the truth) and those published by mail, newest first;
    none dated in the future."""
    config = p.get_config()
    found = {i.key: i for i in news.items(p.db) if not i.key.startswith("file:")}
    if config.news_dir is not None:
        found.update((i.key, i) for i in load_news_dir(config.news_dir)[0])
    today = datetime.now(UTC).date()
    return sorted((i for i in found.values() if i.date <= today), key=lambda i: (i.date, i.key), reverse=True)


def stylesheet(color: str) -> str:
    link = color if contrast(color, "#ffffff") >= 4.5 else "#0b4a8b"  # links must stay readable on white
    return f":root {{ --accent: {color}; --on-accent: {on_color(color)}; --link: {link}; }}\n"


class EmployeePages:
    """The handlers of the employee's pages."""

    def __init__(self, p: Portal):
        self.p = p
        self.tracking = Tracking(Site(p.get_config, p.db, p.get_renderer, p.knowledge, p.wake, None))

    async def css(self, request: web.Request) -> web.Response:
        p = self.p
        text = stylesheet(p.get_config().portal.color) + p.get_renderer().env.get_template(
            "common/portal/portal.css").render()
        return web.Response(text=text, content_type="text/css", charset="utf-8",
                            headers={"Cache-Control": "public, max-age=3600", "X-Content-Type-Options": "nosniff"})

    async def my(self, request: web.Request) -> web.Response:
        p = self.p
        address = await p.address(request)
        if not address:
            p.to_login()
        state = request.query.get("state", "open")
        state = state if state in ("open", "closed", "all") else "open"
        text = request.query.get("q", "")[:200]
        found = await p.off(rows.my_tickets, p.db, address, state, text)
        titles = p.queue_titles(request)
        return await p.page(request, "my.html", tickets=found, state=state, q=text, titles=titles)

    async def my_ticket(self, request: web.Request) -> web.Response:
        """`/my/<number>`: the employee's own ticket opens its tracking page; one they are in copy of is shown
        here, read-only (the tracking page acts as the requester: its comments, "solved" and rating are theirs);
        anyone else's is not found."""
        p = self.p
        address = await p.address(request)
        if not address:
            p.to_login()
        number = decimal_id(request.match_info["id"])
        role = await p.off(rows.role_on, p.db, address, number) if number is not None else None
        if role is None or number is None:
            return await p.not_found(request)
        token = ticket_token(p.get_config().service.secret, number)
        if role == "requester":
            raise web.HTTPSeeOther(f"/t/{token}")
        page = await p.off(self.tracking.render_ticket, token, None, False)
        return html(page) if page is not None else await p.not_found(request)

    async def kb(self, request: web.Request) -> web.Response:
        p = self.p
        lang = p.lang(request)
        index = p.knowledge.index() if p.knowledge else None
        articles: list[Article] = list(index.articles()) if index else []
        queue = request.query.get("queue", "")
        tag = request.query.get("tag", "")[:100]
        text = request.query.get("q", "")[:500]
        if text.strip() and index is not None:
            hits = await p.off(lambda: index.search(text, lang=lang, queue=queue or None, limit=20,
                                                    threshold=KB_SEARCH_THRESHOLD))
            articles = [h.article for h in hits]
        else:
            articles.sort(key=lambda a: (a.lang != lang, a.title.casefold()))  # the visitor's language first
        if queue:
            articles = [a for a in articles if a.queue == queue]
        if tag:
            articles = [a for a in articles if tag.casefold() in (t.casefold() for t in a.tags)]
        titles = p.queue_titles(request)
        searched = bool(text.strip())
        if not searched:  # browsing goes by queue, the config's first in its order; a search keeps its ranking
            order = {name: i for i, name in enumerate(titles)}
            articles.sort(key=lambda a: order.get(a.queue or "", len(order)))
        groups: dict[str, list[Article]] = {}
        for a in articles:
            groups.setdefault("" if searched else a.queue or "", []).append(a)
        tags = sorted({t for a in (index.articles() if index else ()) if a.lang == lang for t in a.tags},
                      key=str.casefold)
        return await p.page(request, "kb.html", groups=groups, titles=titles, queue=queue, tag=tag, q=text,
                            searched=searched, tags=tags, count=len(articles))

    async def news_list(self, request: web.Request) -> web.Response:
        p = self.p
        address = await p.address(request)
        config = p.get_config()
        queue = request.query.get("queue", "")
        lang = p.lang(request)
        items = await p.off(published, p)
        if any(i.lang == lang for i in items):  # as the digests do: their language, else whatever there is
            items = [i for i in items if i.lang == lang]
        if queue:
            items = [i for i in items if not i.queues or queue in i.queues]
        titles = p.queue_titles(request)
        subs = None
        if address:
            wanted = await p.off(rows.news_wanted, p.db, address)
            off = await p.off(rows.opted_out, p.db, address)
            subs = {"all": wanted, "digests": [(d.name, d.name not in off) for d in config.digests]}
        return await p.page(request, "news.html", items=[(i, quote(i.key, safe="")) for i in items], titles=titles,
                            queue=queue, subs=subs)

    async def news_item(self, request: web.Request) -> web.Response:
        p = self.p
        key = request.match_info["key"]
        item = next((i for i in await p.off(published, p) if i.key == key), None)
        if item is None:
            return await p.not_found(request)
        titles = p.queue_titles(request)
        return await p.page(request, "news_item.html", item=item, titles=titles,
                            body=news_html(item.body, p.get_config().news_remote_images))  # escapes any HTML

    async def subscription(self, request: web.Request) -> web.Response:
        """The switches of /news: `all` is the same row the mailed unsubscribe link sets; a digest's own switch
        is an opt-out of that digest alone."""
        p = self.p
        address = await p.address(request)
        form = await request.post()
        if not address or not p.csrf_ok(request, form.get("csrf")):
            return await p.refuse(request)
        which, on = str(form.get("digest", "")), form.get("on") == "1"
        now = datetime.now(UTC)
        if which == "*":
            await p.off(news.subscribe, p.db, address, on, "portal", now)
        elif p.get_config().digest(which) is not None:
            await p.off(rows.set_digest, p.db, address, which, on, now)
        else:
            return await p.not_found(request)
        raise web.HTTPSeeOther("/news#subscriptions")

    async def home(self, request: web.Request) -> web.Response:
        p = self.p
        raise web.HTTPSeeOther("/my" if await p.address(request) else "/kb")


def add_routes(app: web.Application, p: Portal) -> None:
    pages = EmployeePages(p)
    app.router.add_get("/portal.css", pages.css)
    app.router.add_get("/portal", pages.home)
    app.router.add_get("/my", pages.my)
    app.router.add_get("/my/{id}", pages.my_ticket)
    app.router.add_get("/kb", pages.kb)
    app.router.add_get("/news", pages.news_list)
    app.router.add_get("/news/{key:.+}", pages.news_item)
    app.router.add_post("/subscription", pages.subscription)
