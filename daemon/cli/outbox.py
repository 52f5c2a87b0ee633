"""`postdesk outbox list`: outgoing mail, what waits, what was sent, what failed."""

from __future__ import annotations

import json

import click

from postdesk.daemon.cli.common import database_of, iso, shown


@click.group("outbox")
def outbox_grp() -> None:
    """Outgoing mail: what waits, what was sent, what failed."""


@outbox_grp.command("list")
@click.option("--status", type=click.Choice(["pending", "sending", "sent", "failed"]), default=None)
@click.option("--json", "as_json", is_flag=True)
@click.option("--limit", default=100, show_default=True)
@click.pass_context
def outbox_list(ctx: click.Context, status: str | None, as_json: bool, limit: int) -> None:
    from postdesk.storage import outbox

    rows = outbox.list_rows(database_of(ctx), status, limit)
    if as_json:
        click.echo(json.dumps([{"id": r.id, "kind": r.kind, "status": r.status, "to": list(r.rcpt),
                                "subject": r.subject, "attempts": r.attempts, "message_id": r.message_id,
                                "created": iso(r.created_at), "next_attempt": iso(r.next_attempt_at),
                                "sent": iso(r.sent_at), "last_error": r.last_error} for r in rows],
                              ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo("outbox is empty")
    for r in rows:
        when = iso(r.sent_at) if r.status == "sent" else f"next {iso(r.next_attempt_at)}"
        click.echo(f"{r.id:>6}  {r.status:<8} {r.kind:<6} {shown(','.join(r.rcpt)):<28} tries {r.attempts}  {when}  "
                   f"{shown(r.subject[:50])}")
        if r.last_error:
            click.echo(f"        last error: {shown(r.last_error)}")

