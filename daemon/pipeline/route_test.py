"""`postdesk route-test FILE`: what the daemon would do with a mail, decided exactly as the daemon decides.

It parses the mail as an ingress would store it (the envelope from --sender/--recipient, or an IMAP
mailbox), gathers the same facts the pipeline gathers (daemon/pipeline/facts.py) from the configured database in a
read transaction, and runs the same decision (routing.decision.decide_mail). Nothing is written.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from postdesk.daemon.config import Config
from postdesk.daemon.learning.predictor import predictor_for
from postdesk.daemon.outgoing.answers import ANSWERED_WITH
from postdesk.daemon.outgoing.send import Answering, guard
from postdesk.daemon.pipeline.bounces import to_our_sender
from postdesk.daemon.pipeline.facts import desk_of, gather_facts
from postdesk.parsers import InboundMail, parse_mail
from postdesk.routing.actions import NewsByMail, NewTicket, Verdict
from postdesk.routing.decision import decide_mail
from postdesk.storage.db import Database
from postdesk.storage.inbound import Delivery
from postdesk.storage.models import utcnow
from postdesk.storage.options import InboundOptions
from postdesk.storage.tickets import TicketStore
from postdesk.storage.views import InboundView

NOT_STORED = 2**62  # a row id after every stored row: each pending mail came in before this one


@dataclass(frozen=True, slots=True)
class Answer:
    """Whether the daemon's answer to the sender would leave: the auto-reply guard of daemon/outgoing/send.py,
    read on the same state (an allowance used up this hour, a null sender, automatic mail)."""

    to: str
    held: str | None

    def line(self) -> str:
        return f"held, {self.held}" if self.held else f"to {self.to}"


class BadOption(ValueError):
    """An option that names nothing of the config (the CLI prints it, no traceback)."""


def route_test(config: Config, db: Database, raw: bytes, *, sender: str | None = None,
               recipients: tuple[str, ...] = (), mailbox: str | None = None, now: datetime | None = None,
               as_json: bool = False) -> str:
    """The text (or JSON) `postdesk route-test` prints: the mail as parsed, then per stored copy the action
    line, the trace of why, and for a new ticket the queue rules tried."""
    now = now or utcnow()
    copies = []
    for delivery in _deliveries(config, recipients, mailbox):
        mail = to_our_sender(config, parse_mail(raw, config.parse_options(), envelope_from=sender,
                                                envelope_to=delivery.envelope_to))
        copies.append((delivery, mail, *decide_stored(config, db, mail, _row(delivery, sender, mail, len(raw), now),
                                                      now)))
    if as_json:
        return json.dumps(_json(copies), ensure_ascii=False)
    out = _mail_lines(copies[0][1])
    for delivery, _mail, verdict, answer in copies:
        if len(copies) > 1:
            out.append(f"copy for the {delivery.mailbox!r} mailbox:")
        out.append(f"action:     {verdict.line()}")
        if answer is not None:
            out.append(f"answer:     {answer.line()}")
        out.append("why:")
        out += [f"  {line}" for line in verdict.trace]
        if isinstance(verdict.action, NewTicket):
            out.append(verdict.action.decision.explain())
    return "\n".join(out)


def decide_stored(config: Config, db: Database, mail: InboundMail, row: InboundView, now: datetime
                  ) -> tuple[Verdict, Answer | None]:
    """The facts from the database in a read transaction (a running daemon is not held up), then the verdict,
    and whether its answer to the sender would leave (None: the action answers nobody).
    The learned model, when [model] is on, is part of the decision (routing.facts.Desk.predict), as in the
    pipeline: a new ticket's queue here is the one the daemon would choose."""
    with TicketStore(db).reading() as tx:
        gathered = gather_facts(tx, mail, row, config, now, desk_of(config, predictor_for(config)))
        verdict = decide_mail(mail, gathered.facts)
        rule = ANSWERED_WITH.get(type(verdict.action))
        if rule is None or (isinstance(verdict.action, NewsByMail) and not verdict.action.editor):
            return verdict, None
        to = mail.sender or ""
        held = guard(config, tx, rule, to, now, Answering.of(mail, row, config.our_addresses()))
    return verdict, Answer(to, held.why if held else None)


def _deliveries(c: Config, recipients: tuple[str, ...], mailbox: str | None) -> list[Delivery]:
    """The copies an ingress would store: per department written to (SMTP), or the IMAP mailbox's one."""
    from postdesk.daemon.ingress.smtp import deliveries_for  # the SMTP ingress's own rule, imported only here

    if mailbox is not None:
        mb = next((m for m in c.mailboxes if m.name == mailbox), None)
        if mb is None:
            raise BadOption(f"--mailbox: no [[mailboxes]] entry named {mailbox!r}")
        return [Delivery(mb.key, mb.queue, ())]
    if recipients:
        found = deliveries_for(c, [r.lower() for r in recipients])
        if not found:
            raise BadOption("--recipient: none of these addresses is delivered to the desk")
        return found
    return [Delivery("service", None, ())]  # as `postdesk ingest` stores a mail without recipients


def _row(delivery: Delivery, sender: str | None, mail: InboundMail, size: int, now: datetime) -> InboundView:
    """The inbound row this copy would be: not stored, so no id, status or options of its own."""
    return InboundView(NOT_STORED, now, "route-test", delivery.mailbox, delivery.queue, sender,
                       delivery.envelope_to, mail.message_id, size, "pending", None, None, 0, None, None, None,
                       InboundOptions())


def _mail_lines(mail: InboundMail) -> list[str]:
    lines = (mail.text or "").strip().splitlines()
    out = [f"from:       {mail.from_.formatted() if mail.from_ else '-'}",
           f"subject:    {mail.subject}",
           f"language:   {mail.language}",
           f"ticket ref: {mail.ticket_ref or '-'}",
           f"automatic:  {f'{mail.auto.kind} ({mail.auto.reason})' if mail.auto else 'no'}"]
    if mail.defects:
        out.append(f"defects:    {'; '.join(mail.defects)}")
    out.append("text:")
    out += [f"  | {line}" for line in lines[:8]]
    if len(lines) > 8:
        out.append(f"  | … ({len(lines) - 8} more lines)")
    return out


def _json(copies: list[tuple[Delivery, InboundMail, Verdict, Answer | None]]) -> dict[str, Any]:
    """The mail as parsed, the first copy's verdict at the top (a new ticket's queue fields too, as before),
    and every copy's verdict under "copies" when the mail went to several departments."""
    _, mail, verdict, answer = copies[0]
    out: dict[str, Any] = {
        "from": mail.sender, "subject": mail.subject, "language": mail.language,
        "auto": {"kind": mail.auto.kind, "reason": mail.auto.reason} if mail.auto else None,
        "ticket_ref": mail.ticket_ref, "text": mail.text, "defects": list(mail.defects)}
    out.update(verdict.as_json())
    out["answer"] = {"to": answer.to, "held": answer.held} if answer else None
    if isinstance(verdict.action, NewTicket):
        out.update(out.pop("decision"))
    if len(copies) > 1:
        out["copies"] = [{"mailbox": d.mailbox, **v.as_json(), "answer": {"to": a.to, "held": a.held} if a else None}
                         for d, _, v, a in copies]
    return out
