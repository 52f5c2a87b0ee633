"""`postdesk jobs [run NAME]`: the daemon's timed jobs, listed or run now."""

from __future__ import annotations

from datetime import datetime

import click

from postdesk.daemon.cli.common import config_of, database_of, fail, now_option, setup_logging


@click.group("jobs", invoke_without_command=True)
@click.pass_context
def jobs_grp(ctx: click.Context) -> None:
    """The daemon's timed jobs and when they next run; `jobs run NAME` runs one now."""
    if ctx.invoked_subcommand is not None:
        return
    from datetime import UTC

    from postdesk.daemon.process.jobs import jobs

    c = config_of(ctx)
    now = datetime.now(UTC)
    for job in jobs(c):
        nxt = job.trigger.get_next_fire_time(None, now)
        click.echo(f"{job.name:<16} next {nxt.isoformat(timespec='seconds') if nxt else '-':<26} {job.trigger}  "
                   f"{job.what}")


@jobs_grp.command("run")
@click.argument("name")
@click.option("--now", "at", help="Run as if it were this time (ISO 8601, e.g. 2026-12-01T10:00+03:00).")
@click.pass_context
def jobs_run(ctx: click.Context, name: str, at: str | None) -> None:
    """Run one job now, in this process (a running daemon then delivers what it wrote to the outbox)."""
    from postdesk.daemon.process.jobs import jobs
    from postdesk.daemon.process.worker import renderer_for

    c = config_of(ctx)
    known = {j.name: j for j in jobs(c)}
    if name not in known:
        fail(f"no job {name!r}; known: {', '.join(sorted(known))}")
    when = now_option(at)
    setup_logging(ctx.obj["verbose"])
    db = database_of(ctx)
    done = known[name].run(c, db, renderer_for(c), when)
    click.echo(", ".join(f"{k}: {v}" for k, v in sorted(done.items())) or "nothing was due")

