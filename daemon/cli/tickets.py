"""`postdesk tickets list | show`: the tickets as an agent sees them, with their SLA clocks and events."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import click

from postdesk.daemon.cli.common import config_of, database_of, fail, iso, shown
from postdesk.daemon.config import Config
from postdesk.daemon.web.tokens import decimal_id


@click.group("tickets")
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


def _sla_clocks(c: Config, detail: Any) -> list[dict[str, Any]]:
    """The ticket's SLA clocks as of now (routing/sla.py), as `tickets show` prints them."""
    from postdesk.routing.sla import clocks, pending_spans, policy_for

    t = detail.ticket
    policy = policy_for(c.sla, t.queue, t.priority)
    if not policy:
        return []
    replies = [m.created_at for m in detail.messages if m.kind == "reply" and m.direction == "out"]
    return [{"clock": k.name, "state": k.state, "deadline": iso(k.deadline), "used": round(k.used, 2)}
            for k in clocks(policy, t.created_at, min(replies) if replies else None, t.resolved_at,
                            datetime.now(t.created_at.tzinfo),
                            pending_spans((e.at, str(e.detail.get("new", ""))) for e in detail.events
                                          if e.kind == "status"))]


@tickets_grp.command("show")
@click.option("--json", "as_json", is_flag=True)
@click.argument("ref")
@click.pass_context
def tickets_show(ctx: click.Context, as_json: bool, ref: str) -> None:
    """Show one ticket (SD-12 or 12) with its messages and events."""
    c, store = _store(ctx)
    number = decimal_id(ref.rpartition("-")[2])
    if number is None:
        fail(f"not a ticket reference: {ref!r}")
    detail = store.detail(number)
    if detail is None:
        fail(f"no ticket {ref}")
    t = detail.ticket
    head = {"ref": f"{c.service.ticket_prefix}-{t.id}", "subject": t.subject, "status": t.status, "queue": t.queue,
            "category": t.category, "priority": t.priority, "assignee": t.assignee, "requester": t.requester_email,
            "requester_name": t.requester_name, "language": t.language, "rule": t.rule,
            "route_reason": t.route_reason, "created": iso(t.created_at), "updated": iso(t.updated_at),
            "participants": [{"email": p.email, "name": p.name, "role": p.role} for p in t.participants]}
    sla = _sla_clocks(c, detail)
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

