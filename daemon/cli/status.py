"""`postdesk status` and `mailboxes`: the daemons alive, the mailboxes read, the queue depths."""

from __future__ import annotations

import json
from typing import Any

import click

from postdesk.daemon.cli.common import config_of, database_of, iso


@click.command("mailboxes")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def mailboxes_cmd(ctx: click.Context, as_json: bool) -> None:
    """Per IMAP mailbox: connected or not, last successful fetch, last error, mail stored today."""
    from postdesk.daemon.ingress.imap import mailbox_report

    c = config_of(ctx)
    report = mailbox_report(c, database_of(ctx))
    if as_json:
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    if not report:
        click.echo("no [[mailboxes]] configured")
    for m in report:
        state = ("connected, idle" if m["idle"] else "connected") if m["connected"] else "not connected"
        click.echo(f"{m['name']:<12} {m['user']} at {m['server']} {m['folder']}: {state}")
        click.echo(f"{'':<12} last fetch {m['last_success'] or 'never'}; {m['stored_today']} stored today"
                   + ("  (no successful fetch for 15 minutes!)" if m["stale"] else ""))
        if m["last_error"]:
            click.echo(f"{'':<12} last error {m['last_error_at']}: {m['last_error']}")


@click.command("status")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def status_cmd(ctx: click.Context, as_json: bool) -> None:
    """The daemons alive, who reads which mailbox, and the queue depths, at a glance."""
    from postdesk.daemon.ingress.imap import mailbox_report
    from postdesk.storage import daemons, inbound, outbox

    c = config_of(ctx)
    db = database_of(ctx)
    running = daemons.listing(db)
    data: dict[str, Any] = {
        "daemons": [{"id": d.id, "host": d.host, "pid": d.pid, "version": d.version, "alive": d.alive,
                     "started": iso(d.started_at), "heartbeat": iso(d.heartbeat_at), "stopped": iso(d.stopped_at),
                     **d.info} for d in running],
        "inbound": inbound.counts(db), "outbox": outbox.counts(db), "mailboxes": mailbox_report(c, db)}
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    alive = [d for d in running if d.alive]
    click.echo(f"daemons: {len(alive)} alive" + ("" if alive else " (none is running)"))
    for d in running:
        if d.alive:
            click.echo(f"  {d.id}  up since {iso(d.started_at)}, heartbeat {iso(d.heartbeat_at)}")
        elif d.stopped_at is None:
            click.echo(f"  {d.id}  DEAD: no heartbeat since {iso(d.heartbeat_at)}")
    i, o = data["inbound"], data["outbox"]
    click.echo(f"inbound: {i.get('pending', 0)} pending, {i.get('quarantined', 0)} quarantined, "
               f"{i.get('done', 0)} done")
    click.echo(f"outbox:  {o.get('pending', 0) + o.get('sending', 0)} pending, {o.get('failed', 0)} failed, "
               f"{o.get('sent', 0)} sent")
    for m in data["mailboxes"]:
        click.echo(f"mailbox {m['name']}: {'connected' if m['connected'] else 'NOT connected'}"
                   f"{', read by ' + m['held_by'] if m['held_by'] else ''}, "
                   f"last fetch {m['last_success'] or 'never'}, {m['stored_today']} today")

