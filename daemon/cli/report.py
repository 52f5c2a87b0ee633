"""`postdesk report`: per queue and per agent, how fast and how well requests were answered."""

from __future__ import annotations

import json
from datetime import datetime

import click

from postdesk.daemon.cli.common import config_of, database_of, fail


@click.command("report")
@click.option("--since", default="30d", show_default=True, help="How far back: 7d, 30d, 12h ...")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def report_cmd(ctx: click.Context, since: str, as_json: bool) -> None:
    """Per queue and per agent: opened, resolved, median first response and resolution, CSAT, ratings."""
    from datetime import UTC, timedelta

    from postdesk.daemon.config import parse_duration
    from postdesk.storage.report import report

    c = config_of(ctx)
    try:
        seconds = parse_duration(since)
    except ValueError as exc:
        fail(f"--since: {exc}")
    db = database_of(ctx)
    data = report(db, datetime.now(UTC) - timedelta(seconds=seconds))
    if as_json:
        click.echo(json.dumps({"since": since, **data}, ensure_ascii=False, indent=2))
        return
    names = {a.address: a.name for a in c.agents}
    for title, rows in (("queue", data["queues"]), ("agent", data["agents"])):
        click.echo(f"{title:<28} {'opened':>7} {'resolved':>8} {'1st resp h':>10} {'resol. h':>9} {'CSAT':>6} "
                   f"{'ratings':>7} {'SLA miss':>8}")
        for key, f in rows.items():
            label = names.get(key, key) if title == "agent" else key

            def num(v: object) -> str:
                return "-" if v is None else f"{v:g}"
            csat = "-" if f["csat"] is None else f"{100 * float(f['csat']):.0f}%"  # type: ignore[arg-type]
            click.echo(f"{label[:28]:<28} {f['opened']:>7} {f['resolved']:>8} "
                       f"{num(f['median_first_response_hours']):>10} {num(f['median_resolution_hours']):>9} "
                       f"{csat:>6} {f['ratings']:>7} {f['sla_breached']:>8}")
        click.echo("")
    click.echo(f"(tickets opened in the last {since})")

