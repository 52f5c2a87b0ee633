"""What every `postdesk` command group shares: reading the config, failing with one line, the database,
and printing what a mail controls. A module of its own so that the command groups (daemon/cli/run.py,
mail.py, tickets.py, …, model.py) import it, not each other; daemon/cli/main.py registers them."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from typing import Any, NoReturn

import click

from postdesk.daemon.config import Config, ConfigError, load_config

EX_CONFIG = 2
EX_TEMPFAIL = 75


def shown(value: str) -> str:
    """A value that came in a mail, safe to print on one line of the admin's terminal: its control characters
    (a CR/LF that would forge a line of the listing, an ESC sequence that would retitle or rewrite the terminal)
    are written out as `\\r`, `\\x1b`, as in the log."""
    from postdesk.daemon.logs import escape_controls

    return escape_controls(value)


def fail(message: str, code: int = 1) -> NoReturn:
    click.echo(f"postdesk: {message}", err=True)
    sys.exit(code)


def config_of(ctx: click.Context) -> Config:
    path: Path = ctx.obj["config_path"]
    try:
        return load_config(path)
    except FileNotFoundError:
        fail(f"no config file at {path} (give one with --config FILE; see examples/postdesk.toml)", EX_CONFIG)
    except OSError as exc:
        fail(f"cannot read {path}: {exc.strerror}", EX_CONFIG)
    except ConfigError as exc:
        click.echo(f"postdesk: {path} does not validate:", err=True)
        for problem in exc.problems:
            click.echo(f"  {problem}", err=True)
        sys.exit(EX_CONFIG)


def setup_logging(verbose: bool, log_format: str | None = None) -> None:
    """Text or JSON lines on stderr (daemon.logs); without a format, the one `postdesk run` chose for its worker."""
    from postdesk.daemon.logs import configure

    configure(verbose, log_format)


def now_option(at: str | None) -> datetime | None:
    """The `--now` of the commands that act as of a time (the tests' fake clock): ISO 8601 with a zone."""
    if not at:
        return None
    try:
        when = datetime.fromisoformat(at)
    except ValueError:
        fail(f"--now: not an ISO 8601 time: {at!r}")
    if when.tzinfo is None:
        fail("--now: give a time zone, e.g. 2026-12-01T10:00+03:00")
    return when


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def database_of(ctx: click.Context) -> Any:
    """The configured database, its schema created when it is new."""
    from postdesk.storage.db import Database

    c = config_of(ctx)
    db = Database(c.database_url)
    db.create_schema()
    return db
