"""The `postdesk` command line."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from postdesk.daemon.cli.common import (
    EX_CONFIG,
    EX_TEMPFAIL,
    config_of,
    database_of,
    fail,
    iso,
    now_option,
    setup_logging,
    shown,
)
from postdesk.daemon.cli.model import model_grp
from postdesk.daemon.config import Config, ConfigError, load_config


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


@main.command("run")
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
    forked = fork_worker(daemon_id, ctx.obj["verbose"])  # before any thread, sharing what is imported
    try:
        asyncio.run(Daemon(config, ctx.obj["verbose"], daemon_id, forked).run())
    except OSError as exc:
        fail(f"cannot start: {exc}")


@main.command("check-config")
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


@main.command("route-test")
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


@main.command("parse")
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


@main.command("ingest")
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


@main.command("import-mbox")
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
            outcome = pipeline.process(inbound_id) or ""
            counts["quarantined" if outcome.startswith("quarantined") else "stored"] += 1
    click.echo(f"imported {counts['stored']} mails, {counts['already']} already imported, "
               f"{counts['quarantined']} quarantined (see postdesk quarantine list); no mail was sent")


# -- tickets
@main.group("tickets")
def tickets_grp() -> None:
    """Look at tickets."""


def _store(ctx: click.Context) -> tuple[Config, Any]:
    from postdesk.storage.tickets import TicketStore

    c = config_of(ctx)
    db = database_of(ctx)
    return c, TicketStore(db)


@tickets_grp.command("list")
@click.option("--json", "as_json", is_flag=True)
@click.option("--status", default=None, help="Only tickets in this status.")
@click.option("--queue", default=None, help="Only tickets in this queue.")
@click.option("--limit", default=200, show_default=True)
@click.pass_context
def tickets_list(ctx: click.Context, as_json: bool, status: str | None, queue: str | None, limit: int) -> None:
    """List tickets, newest first."""
    c, store = _store(ctx)
    rows = store.list(status=status, queue=queue, limit=limit)
    prefix = c.service.ticket_prefix
    if as_json:
        click.echo(json.dumps([{
            "ref": f"{prefix}-{t.id}", "subject": t.subject, "status": t.status, "queue": t.queue,
            "category": t.category, "priority": t.priority, "assignee": t.assignee, "requester": t.requester_email,
            "created": iso(t.created_at), "updated": iso(t.updated_at), "messages": n} for t, n in rows],
            ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo("no tickets")
        return
    for t, n in rows:
        click.echo(f"{prefix}-{t.id:<6} {t.status:<9} {t.queue:<10} {t.priority:<7} {n:>3} msg  "
                   f"{shown(t.requester_email):<28} {shown(t.subject[:60])}")


@tickets_grp.command("show")
@click.option("--json", "as_json", is_flag=True)
@click.argument("ref")
@click.pass_context
def tickets_show(ctx: click.Context, as_json: bool, ref: str) -> None:
    """Show one ticket (SD-12 or 12) with its messages and events."""
    c, store = _store(ctx)
    number = ref.rpartition("-")[2]
    if not number.isdigit():
        fail(f"not a ticket reference: {ref!r}")
    detail = store.detail(int(number))
    if detail is None:
        fail(f"no ticket {ref}")
    t = detail.ticket
    head = {"ref": f"{c.service.ticket_prefix}-{t.id}", "subject": t.subject, "status": t.status, "queue": t.queue,
            "category": t.category, "priority": t.priority, "assignee": t.assignee, "requester": t.requester_email,
            "requester_name": t.requester_name, "language": t.language, "rule": t.rule,
            "route_reason": t.route_reason, "created": iso(t.created_at), "updated": iso(t.updated_at),
            "participants": [{"email": p.email, "name": p.name, "role": p.role} for p in t.participants]}
    from postdesk.routing.sla import clocks, pending_spans, policy_for

    policy = policy_for(c.sla, t.queue, t.priority)
    replies = [m.created_at for m in detail.messages if m.kind == "reply" and m.direction == "out"]
    sla: list[dict[str, Any]]
    sla = [{"clock": k.name, "state": k.state, "deadline": iso(k.deadline), "used": round(k.used, 2)}
           for k in (clocks(policy, t.created_at, min(replies) if replies else None, t.resolved_at,
                            datetime.now(t.created_at.tzinfo),
                            pending_spans((e.at, str(e.detail.get("new", ""))) for e in detail.events
                                          if e.kind == "status")) if policy else ())]
    head["sla"] = sla
    held = store.suppressions([p.email for p in t.participants])
    head["suppressed"] = [{"address": a, "until": iso(until), "reason": reason} for a, (until, reason) in held.items()]
    messages = [{"direction": m.direction, "kind": m.kind, "visibility": m.visibility, "message_id": m.message_id,
                 "from": m.author_email, "name": m.author_name, "subject": m.subject, "text": m.text,
                 "created": iso(m.created_at),
                 "attachments": [{"filename": a.filename, "content_type": a.content_type, "size": a.size}
                                 for a in m.attachments]} for m in detail.messages]
    events = [{"at": iso(e.at), "actor": e.actor, "via": e.via, "kind": e.kind, "detail": e.detail}
              for e in detail.events]
    if as_json:
        click.echo(json.dumps({**head, "messages": messages, "events": events}, ensure_ascii=False, indent=2))
        return
    for k in ("ref", "subject", "status", "queue", "category", "priority", "assignee", "requester", "language",
              "created", "updated"):
        click.echo(f"{k + ':':<11} {shown(str(head[k])) if head[k] is not None else '-'}")
    click.echo(f"{'routed:':<11} {shown(t.route_reason or '-')}")
    click.echo("people:     " + ", ".join(f"{shown(p.email)} ({p.role})" for p in t.participants))
    for a, (until, reason) in held.items():
        click.echo(f"no mail to: {shown(a)} until {iso(until)} ({shown(reason)})")
    for clock in sla:
        click.echo(f"SLA:        {clock['clock'].replace('_', ' ')} {clock['state']}, due {clock['deadline']} "
                   f"({100 * clock['used']:.0f}% used)")
    click.echo("\nmessages:")
    for m in messages:
        click.echo(f"  [{m['created']}] {m['direction']} {m['kind']} from {shown(m['from'] or '-')}: "
                   f"{shown(m['subject'] or '')}")
        for line in (m["text"] or "").strip().splitlines()[:6]:
            click.echo(f"      {shown(line)}")
        for a in m["attachments"]:
            click.echo(f"      📎 {shown(a['filename'])} ({a['size']} bytes)")
    click.echo("\nevents:")
    for e in events:
        detail = ", ".join(f"{k}={v}" for k, v in e["detail"].items() if v not in (None, [], ""))
        click.echo(f"  [{e['at']}] {e['kind']} by {shown(e['actor'])} via {e['via']}: {shown(detail)}")


# -- mailboxes and status
@main.command("mailboxes")
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


@main.command("status")
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


# -- outbox
@main.group("outbox")
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


# -- quarantine
@main.group("quarantine")
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


# -- retention
@main.group("retention")
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


# -- knowledge base
@main.group("kb")
def kb_grp() -> None:
    """The knowledge base: search it as the acknowledgment does, check the articles."""


def _knowledge(ctx: click.Context) -> Any:
    from postdesk.daemon.knowledge import load_articles

    c = config_of(ctx)
    if c.knowledge_dir is None:
        fail("no knowledge base: set [knowledge] dir in the config")
    return c, load_articles(c.knowledge_dir)


@kb_grp.command("search")
@click.argument("text")
@click.option("--lang", type=click.Choice(["ru", "en"]), help="The requester's language (default: guessed).")
@click.option("--queue", help="The ticket's queue (its articles get a boost).")
@click.option("--limit", default=5, show_default=True)
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def kb_search(ctx: click.Context, text: str, lang: str | None, queue: str | None, limit: int, as_json: bool) -> None:
    """Ranked articles for TEXT with their scores; those above the line would be suggested."""
    from postdesk.parsers.language import detect_language
    from postdesk.routing.knowledge import DEFAULT_THRESHOLD, KnowledgeIndex

    _, (articles, _) = _knowledge(ctx)
    index = KnowledgeIndex.build(articles)
    lang = lang or detect_language(text)
    found = index.search(text, lang=lang, queue=queue, limit=limit, threshold=0.0)
    if as_json:
        click.echo(json.dumps([{"slug": f.article.slug, "title": f.article.title, "lang": f.article.lang,
                                "score": round(f.score, 4), "suggested": f.score >= DEFAULT_THRESHOLD}
                               for f in found], ensure_ascii=False, indent=2))
        return
    if not found:
        click.echo("no article matches")
    for f in found:
        mark = "*" if f.score >= DEFAULT_THRESHOLD else " "
        click.echo(f"{mark} {f.score:6.3f}  {f.article.slug:<36} [{f.article.lang}] {f.article.title}")
    click.echo(f"(* = suggested in an acknowledgment: score >= {DEFAULT_THRESHOLD}; {len(index)} articles, "
               f"language {lang})")


@kb_grp.command("check")
@click.pass_context
def kb_check(ctx: click.Context) -> None:
    """Validate the front matter of every article; exit 1 when any is wrong."""
    c, (articles, problems) = _knowledge(ctx)
    for p in problems:
        click.echo(f"{c.knowledge_dir}/{p}", err=True)
    click.echo(f"{len(articles)} articles OK in {c.knowledge_dir}" + (f", {len(problems)} problem(s)" if problems
                                                                       else ""))
    sys.exit(1 if problems else 0)


# -- report
@main.command("report")
@click.option("--since", default="30d", show_default=True, help="How far back: 7d, 30d, 12h ...")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def report_cmd(ctx: click.Context, since: str, as_json: bool) -> None:
    """Per queue and per agent: opened, resolved, median first response and resolution, CSAT, ratings."""
    from datetime import UTC, timedelta

    from postdesk.daemon.config import parse_duration
    from postdesk.storage.report import report

    c = config_of(ctx)
    try:
        seconds = parse_duration(since)
    except ValueError as exc:
        fail(f"--since: {exc}")
    db = database_of(ctx)
    data = report(db, datetime.now(UTC) - timedelta(seconds=seconds))
    if as_json:
        click.echo(json.dumps({"since": since, **data}, ensure_ascii=False, indent=2))
        return
    names = {a.address: a.name for a in c.agents}
    for title, rows in (("queue", data["queues"]), ("agent", data["agents"])):
        click.echo(f"{title:<28} {'opened':>7} {'resolved':>8} {'1st resp h':>10} {'resol. h':>9} {'CSAT':>6} "
                   f"{'ratings':>7} {'SLA miss':>8}")
        for key, f in rows.items():
            label = names.get(key, key) if title == "agent" else key

            def num(v: object) -> str:
                return "-" if v is None else f"{v:g}"
            csat = "-" if f["csat"] is None else f"{100 * float(f['csat']):.0f}%"  # type: ignore[arg-type]
            click.echo(f"{label[:28]:<28} {f['opened']:>7} {f['resolved']:>8} "
                       f"{num(f['median_first_response_hours']):>10} {num(f['median_resolution_hours']):>9} "
                       f"{csat:>6} {f['ratings']:>7} {f['sla_breached']:>8}")
        click.echo("")
    click.echo(f"(tickets opened in the last {since})")


# -- timed jobs
@main.group("jobs", invoke_without_command=True)
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


# -- news and digests
@main.group("news")
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


@main.group("digest")
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


# -- database
@main.group("db")
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


@main.group("sessions")
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


main.add_command(model_grp)
