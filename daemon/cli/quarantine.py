"""`postdesk quarantine list | show | retry`: the mails that failed processing, and their way back."""

from __future__ import annotations

import sys

import click

from postdesk.daemon.cli.common import database_of, fail, iso, shown


@click.group("quarantine")
def quarantine_grp() -> None:
    """Mails that failed processing: list, show, retry."""


@quarantine_grp.command("list")
@click.pass_context
def quarantine_list(ctx: click.Context) -> None:
    from postdesk.storage import inbound

    rows = inbound.list_by_status(database_of(ctx), "quarantined")
    if not rows:
        click.echo("quarantine is empty")
    for r in rows:
        first = (r.error or "").splitlines()[0] if r.error else ""
        click.echo(f"{r.id:>6}  {iso(r.received_at)}  {shown(r.envelope_from or '-'):<28} {r.stage}: "
                   f"{shown(first[:80])}")


@quarantine_grp.command("show")
@click.option("--raw", is_flag=True, help="Print the raw mail.")
@click.argument("inbound_id", type=int)
@click.pass_context
def quarantine_show(ctx: click.Context, raw: bool, inbound_id: int) -> None:
    from postdesk.storage import inbound

    loaded = inbound.load(database_of(ctx), inbound_id)
    if loaded is None:
        fail(f"no inbound mail {inbound_id}")
    row, data = loaded
    if raw:
        if data is None:
            fail(f"inbound {row.id}: the raw mail was purged by retention ([retention] raw_mail); "
                 "its ticket, text and attachments are kept (postdesk tickets show)")
        sys.stdout.buffer.write(data)
        return
    size = f"{row.size} bytes" + (" (raw mail purged by retention)" if data is None else "")
    click.echo(f"inbound:    {row.id} ({row.status})\nreceived:   {iso(row.received_at)} via {row.source} "
               f"for {row.mailbox}\nfrom:       {shown(row.envelope_from or '-')}\n"
               f"message-id: {shown(row.message_id or '-')}\nsize:       {size}\n"
               f"stage:      {row.stage or '-'}\nerror:")
    for line in (row.error or "-").splitlines():  # a traceback's lines, each escaped
        click.echo(shown(line))


@quarantine_grp.command("retry")
@click.argument("inbound_ids", type=int, nargs=-1, required=True)
@click.pass_context
def quarantine_retry(ctx: click.Context, inbound_ids: tuple[int, ...]) -> None:
    """Put mails back into the pipeline; a running daemon processes them within seconds."""
    from postdesk.storage import inbound

    db = database_of(ctx)
    for i in inbound_ids:
        click.echo(f"{i}: " + ("queued again" if inbound.requeue(db, i) else "not in quarantine"))

