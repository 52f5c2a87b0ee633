"""The `postdesk` command line: the group, its options, and the command groups it is made of.

Each command group is a module of its own (daemon/cli/run.py, mail.py, tickets.py, …); they share
daemon/cli/common.py and import nothing of each other, so this module only registers them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from postdesk.daemon.cli import db, jobs, kb, mail, news, outbox, quarantine, report, run, status, tickets
from postdesk.daemon.cli.common import EX_CONFIG, fail
from postdesk.daemon.cli.model import model_grp


class Postdesk(click.Group):
    """Every command: a database at an older schema is a clear message, not a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        from postdesk.storage.schema import SchemaOutdated

        try:
            return super().invoke(ctx)
        except SchemaOutdated as exc:
            fail(str(exc), EX_CONFIG)


@click.group(cls=Postdesk)
@click.option("--config", "config_path", default="postdesk.toml", show_default=True,
              type=click.Path(dir_okay=False), help="The TOML configuration file.")
@click.option("-v", "--verbose", is_flag=True, help="Log debugging detail.")
@click.pass_context
def main(ctx: click.Context, config_path: str, verbose: bool) -> None:
    """Postdesk: an email-driven service desk."""
    ctx.obj = {"config_path": Path(config_path), "verbose": verbose}


COMMANDS: tuple[click.Command, ...] = (
    run.run_cmd, run.check_config_cmd,
    mail.route_test_cmd, mail.parse_cmd, mail.ingest_cmd, mail.import_mbox_cmd,
    tickets.tickets_grp, status.mailboxes_cmd, status.status_cmd, outbox.outbox_grp, quarantine.quarantine_grp,
    db.retention_grp, kb.kb_grp, report.report_cmd, jobs.jobs_grp, news.news_grp, news.digest_grp, db.db_grp,
    db.sessions_grp, model_grp,
)
for command in COMMANDS:
    main.add_command(command)
