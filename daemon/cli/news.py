"""`postdesk news list | add | remove` and `digest preview | run`: news items and the digests that carry them."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from postdesk.daemon.cli.common import config_of, database_of, fail, now_option, setup_logging, shown


@click.group("news")
def news_grp() -> None:
    """News items for the digests: files in [news] dir, or added here."""


@news_grp.command("list")
@click.pass_context
def news_list(ctx: click.Context) -> None:
    """Every live or future news item (files are read in first)."""
    from postdesk.daemon.outgoing.digest import sync_news
    from postdesk.storage import news

    c = config_of(ctx)
    db = database_of(ctx)
    for p in sync_news(c, db):
        click.echo(f"problem: {p}", err=True)
    rows = sorted(news.items(db), key=lambda i: i.date, reverse=True)
    if not rows:
        click.echo("no news")
    for i in rows:
        until = f" until {i.until}" if i.until else ""
        click.echo(f"{i.date} [{i.lang}] {', '.join(i.queues) or 'all':<16} {shown(i.title)}{until}")
        click.echo(f"    id {shown(i.key)}")


@news_grp.command("add")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.pass_context
def news_add(ctx: click.Context, file: str) -> None:
    """Add a news file (front matter: title, date, queues, lang, until) without putting it in the folder."""
    from postdesk.routing.news import parse_news
    from postdesk.storage import news

    path = Path(file)
    item, problems = parse_news(path.read_text(encoding="utf-8"), path.name)
    if item is None:
        fail(f"{file}: " + "; ".join(problems))
    db = database_of(ctx)
    item = type(item)(f"added:{path.name}", item.title, item.body, item.lang, item.queues, item.date, item.until)
    news.add_item(db, item)
    click.echo(f"added {item.key}: {item.title} ({item.date}); it goes out in the next digest")


@news_grp.command("remove")
@click.argument("key")
@click.pass_context
def news_remove(ctx: click.Context, key: str) -> None:
    """Take an item out of future digests (ID as `news list` shows it)."""
    from postdesk.storage import news

    db = database_of(ctx)
    if not news.remove_item(db, key):
        fail(f"no news item {key!r}")
    click.echo(f"removed {key}" + ("; delete the file too, or it comes back" if key.startswith("file:") else ""))


@click.group("digest")
def digest_grp() -> None:
    """News digests: preview one person's, or run one now."""


@digest_grp.command("preview")
@click.argument("name")
@click.option("--to", "address", required=True, help="The subscriber whose digest to show.")
@click.pass_context
def digest_preview(ctx: click.Context, name: str, address: str) -> None:
    """Print the mail ADDRESS would get in this period's digest, without sending or recording anything."""
    from datetime import UTC

    from postdesk.daemon.outgoing.digest import compose_digest, sync_news
    from postdesk.daemon.process.worker import renderer_for
    from postdesk.routing.news import for_subscriber
    from postdesk.storage import news

    c = config_of(ctx)
    d = c.digest(name)
    if d is None:
        fail(f"no digest {name!r}; the config has: {', '.join(x.name for x in c.digests) or 'none'}")
    db = database_of(ctx)
    sync_news(c, db)
    now = datetime.now(UTC)
    person = next((p for p in news.audience(db, None) if p[0] == address.lower()), None)
    if person is None:
        fail(f"{address} is no subscriber (has not written to the center, or unsubscribed)")
    items = for_subscriber(news.items(db), person[3], person[2], news.received(db, person[0]), now)
    if not items:
        click.echo(f"{address} has nothing new: no digest this period")
        return
    out = compose_digest(c, renderer_for(c), d, person[0], person[1], person[2], items, now)
    import email
    from email.policy import default

    msg = email.message_from_bytes(out.raw, policy=default)
    for h in ("From", "To", "Subject", "List-Unsubscribe", "List-Unsubscribe-Post"):
        click.echo(f"{h}: {msg[h]}")
    body = msg.get_body(("plain",))
    click.echo("\n" + (body.get_content() if body is not None else ""))


@digest_grp.command("run")
@click.argument("name")
@click.option("--dry-run", is_flag=True, help="Count who would get what; queue nothing.")
@click.option("--now", "at", help="Run as if it were this time (ISO 8601 with a zone).")
@click.pass_context
def digest_run(ctx: click.Context, name: str, dry_run: bool, at: str | None) -> None:
    """Queue this period's digest into the outbox now (a running daemon delivers it); never twice a period."""
    from postdesk.daemon.outgoing.digest import run_digest
    from postdesk.daemon.process.worker import renderer_for

    c = config_of(ctx)
    if c.digest(name) is None:
        fail(f"no digest {name!r}; the config has: {', '.join(x.name for x in c.digests) or 'none'}")
    when = now_option(at)
    setup_logging(ctx.obj["verbose"])
    db = database_of(ctx)
    done = run_digest(c, db, renderer_for(c), name, when, dry_run)
    click.echo(", ".join(f"{k}: {v}" for k, v in sorted(done.items())) or "nobody to send to")

