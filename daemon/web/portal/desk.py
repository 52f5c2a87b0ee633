"""`/desk`: the lead agents' read-only view — open tickets per queue and agent, overdue first, and the
figures of `postdesk report` with charts drawn on the server."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from aiohttp import web
from markupsafe import Markup

from postdesk.daemon.web.portal.base import Portal
from postdesk.daemon.web.portal.charts import bar_chart
from postdesk.storage import portal as rows
from postdesk.storage.report import Daily, daily, report
from postdesk.templates.i18n import words

PERIODS = (7, 30, 90)


def charts(_: Callable[[str], str], titles: dict[str, str], figures: dict[str, dict[str, object]], days: Daily
           ) -> dict[str, str]:
    """The three charts of the desk as SVG text; pure, from the report's numbers."""
    labels = [(days.start + timedelta(days=i)).strftime("%d.%m") for i in range(len(days.opened))]
    out = {"daily": bar_chart(_("Requests per day"), labels, [(_("opened"), days.opened),
                                                               (_("resolved"), days.resolved)],
                              every=max(1, len(labels) // 6), width=480, empty=_("no data"))}
    queues = list(figures)
    names = [titles.get(q, q) for q in queues]

    def numbers(key: str, scale: float = 1.0) -> list[float | None]:
        values = [figures[q].get(key) for q in queues]
        return [round(float(v) * scale, 1) if isinstance(v, int | float) else None for v in values]

    out["times"] = bar_chart(_("Median, hours"), names, [(_("first response"), numbers(
        "median_first_response_hours")), (_("resolution"), numbers("median_resolution_hours"))],
        width=400, height=240, empty=_("no data"))
    out["csat"] = bar_chart(_("Satisfaction (share of 4–5 ratings)"), names, [("CSAT", numbers("csat", 100.0))],
                            unit="%", top=100.0, width=400, height=240, empty=_("no data"))
    return out


def add_routes(app: web.Application, p: Portal) -> None:
    async def desk(request: web.Request) -> web.Response:
        address = await p.address(request)
        if not address:
            p.to_login()
        if not p.is_lead(address):
            return await p.not_found(request)
        config = p.get_config()
        agent = config.agent(address)
        period = int(request.query.get("days", "30")) if request.query.get("days", "30") in {
            str(d) for d in PERIODS} else 30
        since = datetime.now(UTC) - timedelta(days=period)
        scope = set(agent.queues) if agent and agent.queues else None
        tickets = await p.off(rows.open_tickets, p.db, scope)
        figures = await p.off(report, p.db, since)
        days = await p.off(daily, p.db, since)
        _ = words(p.lang(request))
        titles = p.queue_titles(request)
        names = {a.address: a.name for a in config.agents}
        per_queue = Counter(t.queue for t in tickets)
        per_agent = Counter(t.assignee or "" for t in tickets)
        drawn = {k: Markup(v) for k, v in charts(_, titles, figures["queues"], days).items()}  # escaped inside
        return await p.page(request, "desk.html", tickets=tickets, per_queue=sorted(per_queue.items()),
                            per_agent=sorted(per_agent.items(), key=lambda kv: -kv[1]), titles=titles,
                            names=names, figures=figures["queues"], charts=drawn, period=period, periods=PERIODS,
                            overdue=sum(t.overdue for t in tickets))

    app.router.add_get("/desk", desk)
