"""The commands that take a mail: `route-test` (what the daemon would do), `parse` (what it reads),
`ingest` (the MTA's pipe delivery) and `import-mbox` (old mail as tickets, no mail sent)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from postdesk.daemon.cli.common import EX_CONFIG, EX_TEMPFAIL, config_of, database_of, fail, now_option, setup_logging
from postdesk.daemon.config import Config, ConfigError, load_config


@click.command("route-test")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.option("--sender", default=None, help="Envelope sender (the MTA's $sender; \"\" for a bounce).")
@click.option("--recipient", "recipients", multiple=True, help="Envelope recipient (repeatable; $recipient).")
@click.option("--mailbox", default=None, help="As read from this [[mailboxes]] entry (its name).")
@click.option("--now", "at", default=None, help="Decide as of this time (ISO 8601 with a zone).")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.pass_context
def route_test_cmd(ctx: click.Context, as_json: bool, sender: str | None, recipients: tuple[str, ...],
                   mailbox: str | None, at: str | None, file: str) -> None:
    """Show what the daemon would do with a mail and why (its facts and decision), storing nothing."""
    from postdesk.daemon.pipeline.route_test import BadOption, route_test
    from postdesk.storage.schema import SchemaOutdated

    c = config_of(ctx)
    try:
        db = database_of(ctx)  # the decision needs the facts: threads, agents' notifications, earlier mail
    except SchemaOutdated:
        raise
    except Exception as exc:  # no server, no file, a refused login: said in one line, not a traceback
        fail(f"cannot read the database to decide on its facts: {type(exc).__name__}: "
             f"{str(exc).splitlines()[0] if str(exc) else ''}", EX_CONFIG)
    try:
        click.echo(route_test(c, db, Path(file).read_bytes(), sender=sender, recipients=recipients,
                              mailbox=mailbox, now=now_option(at), as_json=as_json))
    except BadOption as exc:
        fail(str(exc))


@click.command("parse")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per file, one per line (the default).")
@click.option("--prefix", default=None, help="Ticket reference prefix (default: from the config, else SD).")
@click.option("--our-address", "our", multiple=True, help="One of our own addresses (repeatable).")
@click.argument("files", nargs=-1, type=click.Path())
@click.pass_context
def parse_cmd(ctx: click.Context, as_json: bool, prefix: str | None, our: tuple[str, ...],
              files: tuple[str, ...]) -> None:
    """Parse mail files and print what Postdesk reads from each; never stops on a bad file."""
    from postdesk.parsers import ParseOptions, parse_mail
    from postdesk.parsers.jsonview import mail_as_dict

    ours = frozenset(a.lower() for a in our)
    path: Path = ctx.obj["config_path"]
    if path.exists() and (prefix is None or not ours):
        try:
            with_config = load_config(path)
            prefix = prefix or with_config.service.ticket_prefix
            ours = ours or with_config.our_addresses()
        except (ConfigError, OSError) as exc:
            click.echo(f"postdesk: {path} not used ({str(exc).splitlines()[0]}); prefix SD", err=True)
    opts = ParseOptions(ticket_prefix=prefix or "SD", our_addresses=ours)
    out = sys.stdout
    for name in files:
        try:
            raw = Path(name).read_bytes()
        except OSError as exc:
            out.write(json.dumps({"file": name, "error": exc.strerror or str(exc)}, ensure_ascii=False) + "\n")
            continue
        try:
            record = {"file": name, **mail_as_dict(parse_mail(raw, opts))}
        except Exception as exc:  # parse_mail must not raise; if it ever does, report and go on
            record = {"file": name, "error": f"parser failed: {type(exc).__name__}: {exc}"}
        out.write(json.dumps(record, ensure_ascii=False) + "\n")


@click.command("ingest")
@click.option("--sender", default=None, help="Envelope sender (the MTA's $sender).")
@click.option("--recipient", "recipients", multiple=True, help="Envelope recipient (repeatable; $recipient).")
@click.option("--process", is_flag=True,
              help="Also process the mail and deliver its replies here, for when no daemon runs.")
@click.argument("file", default="-")
@click.pass_context
def ingest_cmd(ctx: click.Context, sender: str | None, recipients: tuple[str, ...], process: bool, file: str) -> None:
    """Store one mail from FILE or stdin (MTA pipe delivery): exit 0 when stored, 75 to make the MTA retry.

    Only storing is the MTA's business: a running daemon sees the row within a second and does the rest, so a
    piped mail costs no knowledge-base index, no templates and no pipeline start (0.5 s a mail before)."""
    c = config_of(ctx)
    setup_logging(ctx.obj["verbose"])
    from postdesk.daemon.ingress.smtp import deliveries_for
    from postdesk.parsers.headerscan import message_id_of
    from postdesk.storage.inbound import Delivery, store_inbound

    try:
        raw = sys.stdin.buffer.read() if file == "-" else Path(file).read_bytes()
    except OSError as exc:
        fail(f"cannot read {file}: {exc.strerror}", EX_TEMPFAIL)
    if len(raw) > c.smtp_in.max_message_size:
        fail(f"message of {len(raw)} bytes is over smtp_in.max_message_size", 1)
    rcpts = [r.lower() for r in recipients]
    deliveries = deliveries_for(c, rcpts) if rcpts else [Delivery("service", None, ())]
    try:
        db = database_of(ctx)
        ids = store_inbound(db, raw, source="ingest", deliveries=deliveries, envelope_from=sender,
                            message_id=message_id_of(raw))
    except Exception as exc:
        fail(f"could not store the mail, try again later: {type(exc).__name__}: {exc}", EX_TEMPFAIL)
    if any(inbound_id is None for inbound_id in ids):
        click.echo("already stored: nothing to do")
    stored = [inbound_id for inbound_id in ids if inbound_id is not None]
    if not process:
        for inbound_id in stored:
            click.echo(f"inbound {inbound_id}: stored")
        return
    _process_here(c, db, stored)


def _process_here(c: Config, db: Any, ids: list[int]) -> None:
    """What the daemon would do with the rows, done in this process (`ingest --process`)."""
    from postdesk.daemon.knowledge import KnowledgeBase
    from postdesk.daemon.outgoing.delivery import send_due, transport_for
    from postdesk.daemon.pipeline.bounces import Outcomes
    from postdesk.daemon.pipeline.runner import Pipeline
    from postdesk.daemon.process.worker import renderer_for

    pipeline = Pipeline(c, db, renderer_for(c), knowledge=KnowledgeBase(c.knowledge_dir))
    for inbound_id in ids:
        outcome = pipeline.process(inbound_id)
        click.echo(f"inbound {inbound_id}: {outcome or 'taken by a running daemon'}")
    sent = send_due(db, transport_for(c.smtp_out), c.smtp_out, desk=Outcomes(c, pipeline.renderer, db))
    click.echo(f"delivered {sent} outgoing mail(s)")


@click.command("import-mbox")
@click.option("--queue", required=True, help="The queue the imported requests belong to (rules still apply).")
@click.option("--closed", is_flag=True, help="Import the requests as closed history.")
@click.argument("path", type=click.Path(exists=True))
@click.pass_context
def import_mbox_cmd(ctx: click.Context, queue: str, closed: bool, path: str) -> None:
    """Import an mbox file or a maildir folder as tickets, without sending any mail."""
    import mailbox as mailboxes

    from postdesk.daemon.knowledge import KnowledgeBase
    from postdesk.daemon.pipeline.runner import Pipeline
    from postdesk.daemon.process.worker import renderer_for
    from postdesk.parsers.headerscan import message_id_of
    from postdesk.storage.inbound import Delivery, store_inbound
    from postdesk.storage.options import InboundOptions

    c = config_of(ctx)
    if c.routing.queue(queue) is None:
        fail(f'unknown queue "{queue}" (known: {", ".join(q.name for q in c.routing.queues)})', EX_CONFIG)
    box: mailboxes.Mailbox = mailboxes.Maildir(path, create=False) if Path(path).is_dir() else mailboxes.mbox(
        path, create=False)
    db = database_of(ctx)
    pipeline = Pipeline(c, db, renderer_for(c), knowledge=KnowledgeBase(c.knowledge_dir))
    options = InboundOptions(silent=True, status="closed" if closed else None)
    counts = {"stored": 0, "already": 0, "quarantined": 0}
    keys = list(box.keys())
    with click.progressbar(keys, label=f"importing {len(keys)} mails", file=sys.stderr) as bar:
        for key in bar:
            raw = box.get_bytes(key)
            (inbound_id,) = store_inbound(db, raw, source="import", deliveries=[Delivery(f"import:{queue}", queue, ())],
                                          envelope_from=None, message_id=message_id_of(raw), options=options)
            if inbound_id is None:
                counts["already"] += 1
                continue
            outcome = pipeline.process(inbound_id)
            counts["quarantined" if outcome is not None and outcome.quarantined else "stored"] += 1
    click.echo(f"imported {counts['stored']} mails, {counts['already']} already imported, "
               f"{counts['quarantined']} quarantined (see postdesk quarantine list); no mail was sent")

