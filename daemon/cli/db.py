"""The data the desk keeps: `db upgrade` (its schema), `retention run` (raw mail dropped when it did its
work), `sessions revoke` (portal sign-ins ended)."""

from __future__ import annotations

from datetime import datetime

import click

from postdesk.daemon.cli.common import EX_CONFIG, config_of, database_of, fail, now_option


@click.group("db")
def db_grp() -> None:
    """The database schema."""


@db_grp.command("upgrade")
@click.pass_context
def db_upgrade(ctx: click.Context) -> None:
    """Bring the database to this version's schema (back it up first); safe to run again."""
    from postdesk.storage.db import Database
    from postdesk.storage.schema import upgrade

    c = config_of(ctx)
    before, after = upgrade(Database(c.database_url))
    if before == after:
        click.echo(f"the schema is already at version {after}")
    else:
        click.echo(f"schema upgraded from version {before or '(empty)'} to {after}")


@click.group("retention")
def retention_grp() -> None:
    """Raw mail is kept for [retention] raw_mail; the daemon purges older raw mail daily."""


@retention_grp.command("run")
@click.option("--now", "at", help="Purge as if it were this time (ISO 8601 with a zone, e.g. 2026-12-01T10:00+03:00).")
@click.pass_context
def retention_run(ctx: click.Context, at: str | None) -> None:
    """Drop the raw bytes of processed and sent mail older than [retention] raw_mail now; tickets stay."""
    from datetime import UTC

    from postdesk.storage.retention import purge_raw

    c = config_of(ctx)
    keep = c.retention.raw_mail
    if keep is None:
        fail('[retention] raw_mail is not set, so raw mail is kept forever (set e.g. raw_mail = "180d")', EX_CONFIG)
    now = now_option(at) or datetime.now(UTC)
    purged = purge_raw(database_of(ctx), now - keep)
    click.echo(f"purged the raw bytes of {purged.inbound} processed inbound mail(s) and {purged.outbox} sent "
               f"mail(s) from before {purged.before.isoformat(timespec='seconds')} ({keep.days} days); "
               "tickets, messages and attachments are kept")


@click.group("sessions")
def sessions_grp() -> None:
    """Portal sessions: an employee signs in by a mailed link; a session lasts [web] session_days."""


@sessions_grp.command("revoke")
@click.argument("address")
@click.pass_context
def sessions_revoke(ctx: click.Context, address: str) -> None:
    """End every portal session of ADDRESS now (a lost laptop, someone who left); tracking links still work."""
    from datetime import UTC

    from postdesk.storage.portal import end_sessions_of

    ended = end_sessions_of(database_of(ctx), address, datetime.now(UTC))
    click.echo(f"ended {ended} portal session(s) of {address.lower()}")

