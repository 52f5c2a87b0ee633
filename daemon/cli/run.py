"""`postdesk run` and `check-config`: the daemon itself, and what it would run with."""

from __future__ import annotations

from typing import Any

import click

from postdesk.daemon.cli.common import config_of, fail, setup_logging


@click.command("run")
@click.option("--log-format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              envvar="POSTDESK_LOG_FORMAT", help="Log lines for people, or one JSON object a line for a collector.")
@click.pass_context
def run_cmd(ctx: click.Context, log_format: str) -> None:
    """Run the daemon until SIGTERM or SIGINT; SIGHUP reloads the config."""
    config = config_of(ctx)
    setup_logging(ctx.obj["verbose"], log_format)
    from postdesk.daemon.process.metricsdir import use_metrics_dir

    try:
        use_metrics_dir(config.service.data_dir)  # before anything imports prometheus_client
    except OSError as exc:
        fail(f"cannot start: service.data_dir {config.service.data_dir}: {exc.strerror or exc}")
    import asyncio

    from postdesk.daemon.process.fork import fork_worker
    from postdesk.daemon.process.service import Daemon
    from postdesk.storage.daemons import new_id

    daemon_id = new_id()
    forked = fork_worker(daemon_id, ctx.obj["verbose"], config.database_url)  # before any thread: it shares our modules
    try:
        asyncio.run(Daemon(config, ctx.obj["verbose"], daemon_id, forked).run())
    except OSError as exc:
        fail(f"cannot start: {exc}")


@click.command("check-config")
@click.pass_context
def check_config_cmd(ctx: click.Context) -> None:
    """Validate the config and print a summary."""
    c = config_of(ctx)
    out = (c.smtp_out.host and f"relay {c.smtp_out.host}:{c.smtp_out.port} ({c.smtp_out.tls})") or (
        f"maildir {c.smtp_out.maildir}")
    click.echo(f"{c.path}: OK")
    click.echo(f"service:   {c.service.name} <{c.service.address}>, prefix {c.service.ticket_prefix}, "
               f"language {c.service.language}")
    click.echo(f"database:  {c.database_url}")
    click.echo(f"smtp in:   {c.smtp_in.protocol} on {c.smtp_in.listen}, max {c.smtp_in.max_message_size} bytes")
    click.echo(f"mail out:  {out}")
    click.echo(f"web:       http://{c.web} (links: {c.service.base_url}; metrics: http://{c.web}/metrics)")
    keep = c.retention.raw_mail
    click.echo("retention: raw mail " + (f"purged {keep.days} days after it came in or went out" if keep
                                         else "kept forever"))
    click.echo(f"queues:    {len(c.routing.queues)} (default {c.routing.default_queue})")
    for q in c.routing.queues:
        click.echo(f"  {q.name:<12} {q.title}" + (f"  <- {', '.join(q.addresses)}" if q.addresses else ""))
    click.echo(f"rules:     {len(c.routing.rules)}")
    for i, r in enumerate(c.routing.rules):
        conds = ", ".join(f"{cd.field}={'|'.join(p.source for p in cd.patterns)}" for cd in r.conditions)
        sets = ", ".join(f"{k}={v}" for k, v in vars_of(r.assignment).items() if v)
        click.echo(f"  {i}. {r.name}: {conds} -> {sets}")
    click.echo(f"agents:    {len(c.agents)}, replies to {c.service.reply_address}"
               + (f", trusting Authentication-Results of {c.service.trusted_authserv_id}"
                  if c.service.trusted_authserv_id else ""))
    for a in c.agents:
        click.echo(f"  {a.address:<28} {a.name}  queues: {', '.join(a.queues) or '-'}" + ("  (lead)" if a.lead else ""))


def vars_of(obj: Any) -> dict[str, Any]:
    return {k: getattr(obj, k) for k in obj.__slots__}

