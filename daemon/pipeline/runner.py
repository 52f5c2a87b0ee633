"""Each mail all-or-nothing: parse → classify → gather the facts → decide → act (store, compose) → done.

The decision is not made here: daemon/pipeline/facts.py gathers the facts, routing.decision.decide_mail returns one
action (routing/actions.py), and HANDLERS below map each kind of action to the method that carries it out;
`postdesk route-test` gathers and decides the same way. Each stage is a small named function; a failure
anywhere rolls that mail back (its savepoint) and quarantines it with the stage and the error, so nothing
is half-done, nothing is lost, and the other mails of the batch go on.
"""

from __future__ import annotations

import collections
import logging
import time
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from postdesk.daemon.config import AgentConfig, Config
from postdesk.daemon.knowledge import KnowledgeBase
from postdesk.daemon.learning.predictor import model_corrected, model_event, predictor_for
from postdesk.daemon.logs import about, fields, use_ticket_prefix
from postdesk.daemon.outgoing.compose import compose, reply_subject, unsendable
from postdesk.daemon.outgoing.mailer import Mailer, ref_of
from postdesk.daemon.pipeline import bounces, loops
from postdesk.daemon.pipeline.facts import desk_of, gather_facts
from postdesk.daemon.web import metrics
from postdesk.daemon.web.tokens import news_token, ticket_token
from postdesk.parsers import InboundMail, parse_or_error
from postdesk.routing.actions import (
    Action,
    AgentReply,
    Automatic,
    Defer,
    Duplicate,
    FollowUp,
    NewsByMail,
    NewTicket,
    Rating,
    Refuse,
    Solved,
    StatusRequest,
    Subscription,
    ThirdParty,
    TooLarge,
)
from postdesk.routing.commands import Change
from postdesk.routing.decision import decide_mail, refusal
from postdesk.routing.news import NewsItem, mailed_queues
from postdesk.storage import inbound as inbound_q
from postdesk.storage import news
from postdesk.storage.db import Database
from postdesk.storage.models import utcnow
from postdesk.storage.tickets import NewAttachment, TicketStore, Tx
from postdesk.storage.views import InboundView, TicketView
from postdesk.templates.render import Renderer

log = logging.getLogger("postdesk.pipeline")


@dataclass(frozen=True, slots=True)
class TicketChanges:
    assignee: str | None = None
    resolved: bool = False


class Reject(Exception):
    """A mail that cannot become a request; quarantined with this reason."""


class RawPurged(Exception):
    """The raw bytes of a stored mail are gone ([retention] raw_mail): there is nothing to process."""


class StageFailed(Exception):
    """An error inside a later stage, carrying that stage's name to the quarantine record."""

    def __init__(self, stage: str):
        super().__init__(stage)
        self.stage = stage


@contextmanager
def stage(name: str) -> Iterator[None]:
    """The one way a failure is attributed: whatever goes wrong inside is quarantined under `name` (an inner
    stage keeps its own), so a broken notification says "notify", not the "store" around it."""
    try:
        yield
    except StageFailed:
        raise
    except Exception as exc:
        raise StageFailed(name) from exc


# The actions, `identify` and `decide_action` moved to routing/ (actions.py, decision.py) and the thread lookup
# to daemon/pipeline/facts.py: the pipeline gathers the facts, routing decides, the handlers below carry the action out.
def classify(mail: InboundMail) -> None:
    """Refuse what cannot become a request (routing.decision.refusal); automatic mail passes on."""
    if (why := refusal(mail)) is not None:
        raise Reject(why)


def _ticket(ticket: TicketView | None) -> TicketView:
    """The thread's ticket as storage has it: gather_facts hands it over with every action on a thread."""
    if ticket is None:
        raise LookupError("an action on a thread came without its ticket")
    return ticket


class Pipeline:
    """Processes inbound rows; safe to run from several threads or processes at once."""

    def __init__(self, config: Config, db: Database, renderer: Renderer, clock: Callable[[], datetime] = utcnow,
                 knowledge: KnowledgeBase | None = None):
        self.config = config
        self.db = db
        self.store = TicketStore(db)
        self.renderer = renderer
        self.clock = clock
        self.options = config.parse_options()
        self.predict = predictor_for(config)  # [model]: the learned routing, None when it is off
        self.desk = desk_of(config, self.predict)  # the config as routing.decision needs it, built once
        self.mailer = Mailer(config, renderer)
        self.pool_failed = False
        self.knowledge = knowledge
        self.seconds: dict[str, float] = collections.defaultdict(float)  # per stage, for bench/ and metrics
        self.settled: list[metrics.Settled] = []  # the mails of the transaction in hand, counted once it commits
        use_ticket_prefix(config.service.ticket_prefix)

    def process(self, inbound_id: int) -> str | None:
        """Process one row; returns what happened, or None when the row was not pending."""
        return self.process_batch([inbound_id]).get(inbound_id)

    def process_batch(self, ids: list[int], parse: Callable[..., Iterable[InboundMail]] | None = None,
                      commit_every: int = 50) -> dict[int, str]:
        """Process rows, `commit_every` mails to a database transaction, with a savepoint per mail.

        Each mail is still all-or-nothing (its savepoint); a batch only shares the commit, and a crash
        before it leaves every row of the batch pending, to be done again. `parse` may be a process
        pool's `map`: it parses ahead, on other cores, while the mails before are being stored.
        """
        lap = time.perf_counter()
        outcomes: dict[int, str] = {}
        loaded = inbound_q.load_pending(self.db, ids)
        if not loaded:
            return outcomes
        lap = self._lap("load", lap)
        mails = self._parse_all(loaded, parse)
        for k in range(0, len(loaded), commit_every):
            chunk = loaded[k:k + commit_every]
            parsed = [next(mails) for _ in chunk]  # before the transaction: never wait for a parser holding the lock
            lap = self._lap("parse", lap)
            self.settled = []
            with self.store.transaction() as tx:
                pending = tx.claim_pending([row.id for row, _ in chunk])
                lap = self._lap("claim", lap)
                for (row, raw), mail in zip(chunk, parsed, strict=True):
                    if row.id not in pending:
                        continue
                    if raw is None:
                        outcomes[row.id] = self._quarantine(tx, row, "load", RawPurged(
                            "the raw mail was purged by retention ([retention] raw_mail); nothing to process"))
                        continue
                    if isinstance(mail, Exception):
                        outcomes[row.id] = self._quarantine(tx, row, "parse", mail)
                        continue
                    outcomes[row.id], lap = self._one(tx, row, mail, lap)
            metrics.settled(self.settled, utcnow())
            lap = self._lap("commit", lap)
        return outcomes

    def _parse_all(self, loaded: list[tuple[InboundView, bytes | None]],
                   parse: Callable[..., Iterable[InboundMail]] | None) -> Iterator[InboundMail | Exception]:
        """Parsed mails in order, as they become ready; a broken pool falls back to parsing here."""
        raws = [raw or b"" for _, raw in loaded]  # a purged one (None) is quarantined, never parsed
        envelopes = [(row.envelope_from, row.envelope_to) for row, _ in loaded]
        done = 0
        if parse is not None:
            try:
                for mail in parse(parse_or_error, raws, [self.options] * len(raws), envelopes):
                    done += 1
                    yield mail
                return
            except Exception as exc:  # a dead or hung (timeout) pool: the worker replaces it after this batch
                self.pool_failed = True
                log.error("parse pool failed (%s: %s); parsing in the pipeline thread", type(exc).__name__, exc)
        for raw, env in zip(raws[done:], envelopes[done:], strict=True):
            yield parse_or_error(raw, self.options, env)

    def _lap(self, stage: str, since: float) -> float:
        now = time.perf_counter()
        self.seconds[stage] += now - since
        return now

    def _one(self, tx: Tx, row: InboundView, mail: InboundMail, lap: float) -> tuple[str, float]:
        """One mail inside its savepoint: classify → gather → decide → act (store, compose, notify)."""
        with about(inbound=row.id, message_id=row.message_id):  # every line meanwhile names the mail
            return self._one_mail(tx, row, mail, lap)

    def _one_mail(self, tx: Tx, row: InboundView, mail: InboundMail, lap: float) -> tuple[str, float]:
        savepoint = tx.savepoint()
        try:
            with stage("classify"):
                classify(mail)
            with stage("identify"):  # gathering starts with who wrote, then the thread (daemon/pipeline/facts.py)
                gathered = gather_facts(tx, mail, row, self.config, self.clock(), self.desk)
            lap = self._lap("thread", lap)
            with stage("decide"):
                verdict = decide_mail(mail, gathered.facts)
                action, thread, who = verdict.action, gathered.ticket, gathered.facts.who
                if isinstance(action, Defer):
                    savepoint.commit()  # nothing written: the row stays pending for a later pass
                    log.debug("inbound %s waits for <%s>, which it answers and is not processed yet", row.id,
                              action.waits_for)
                    return f"deferred: answers <{action.waits_for}>, not processed yet", self._lap("decide", lap)
            lap = self._lap("decide", lap)
            with stage("store"):
                if who.spoof and mail.auto is None:
                    log.warning("inbound %s: possible spoof: %s; handled as an employee's mail", row.id, who.spoof,
                                extra=fields(ticket=ref_of(self.config, thread.id) if thread else None))
                    if thread is not None:
                        tx.add_event(thread.id, actor=mail.sender or "", via="mail", kind="possible-spoof",
                                     now=self.clock(), reason=who.spoof, message_id=mail.message_id)
                ticket_id, outcome = self._apply(tx, action, thread, mail, row)
                tx.finish_inbound(row.id, ticket_id, outcome)
                savepoint.commit()
            lap = self._lap("store", lap)
        except StageFailed as failed:
            savepoint.rollback()
            cause = failed.__cause__
            return self._quarantine(tx, row, failed.stage, cause if isinstance(cause, Exception) else failed), lap
        self.settled.append(metrics.Settled(row.received_at, action.decision.queue
                                            if isinstance(action, NewTicket) else None))
        log.info("inbound %s <%s>: %s", row.id, mail.message_id or "-", outcome,
                 extra=fields(ticket=ref_of(self.config, ticket_id) if ticket_id is not None else None))
        return outcome, lap

    def _quarantine(self, tx: Tx, row: InboundView, stage: str, exc: Exception) -> str:
        """Keep the mail with where and why it failed; never lose it, never stop the others."""
        self.settled.append(metrics.Settled(row.received_at, quarantined_at=stage))
        about_it = fields(inbound=row.id, message_id=row.message_id)
        if isinstance(exc, Reject | RawPurged):
            tx.quarantine_inbound(row.id, stage, str(exc))
            log.warning("inbound %s quarantined at %s: %s", row.id, stage, exc, extra=about_it)
            return f"quarantined: {exc}"
        detail = f"{type(exc).__name__}: {exc}\n\n" + "".join(traceback.format_exception(exc, limit=8))
        tx.quarantine_inbound(row.id, stage, detail)
        log.error("inbound %s quarantined at %s: %s: %s", row.id, stage, type(exc).__name__, exc, extra=about_it)
        return f"quarantined: {type(exc).__name__}"

    # -- handlers
    def _apply(self, tx: Tx, action: Action, ticket: TicketView | None, mail: InboundMail,
               row: InboundView) -> tuple[int | None, str]:
        """One handler per kind of action (HANDLERS below); `ticket` is the thread's, when there is one."""
        return HANDLERS[type(action)](self, tx, action, ticket, mail, row, self.clock())

    def _refuse(self, tx: Tx, action: Refuse, ticket: TicketView | None, mail: InboundMail, row: InboundView,
                now: datetime) -> tuple[int | None, str]:
        raise Reject(action.reason)  # classify() refuses first; the decision says the same for route-test

    def _duplicate(self, tx: Tx, action: Duplicate, ticket: TicketView | None, mail: InboundMail, row: InboundView,
                   now: datetime) -> tuple[int, str]:
        return action.thread.id, f"already on {action.thread.ref}"

    def _auto(self, tx: Tx, action: Automatic, ticket: TicketView | None, mail: InboundMail, row: InboundView,
              now: datetime) -> tuple[int | None, str]:
        """Recorded, never answered; a bounce holds an address only when it proves it returns our mail."""
        assert mail.auto is not None
        what = f"{mail.auto.kind}: {mail.auto.reason}"
        proof = action.bounce  # gathered (daemon/pipeline/facts.py); `ticket` is the bounce's when the mail named none
        suppressed: list[str] = []
        if proof is not None:  # bounced_recipients holds permanent failures only, never delays
            suppressed = bounces.hold(tx, self.config, self.mailer, ticket, proof.recipients,
                                      f"{mail.auto.reason} (<{mail.message_id or '-'}>)", now)
        elif mail.bounced_recipients:
            log.warning("bounce <%s> naming %s returns no mail of ours (no valid VERP tag or Message-ID): "
                        "it holds nobody", mail.message_id or "-", ", ".join(mail.bounced_recipients))
        if ticket is None:
            held = f"; {', '.join(suppressed)} get no mail for {bounces.SUPPRESS_FOR.days} days" if suppressed else ""
            return None, f"automatic mail ({what}), no ticket: not answered{held}"
        tx.add_event(ticket.id, actor=mail.sender or "", via="mail", kind="automatic-mail", now=now,
                     auto=mail.auto.kind, reason=mail.auto.reason, message_id=mail.message_id,
                     subject=mail.subject, bounced=list(mail.bounced_recipients),
                     **({"proven": f"{proof.how}, outbox {proof.outbox_id}"} if proof else
                        {"proven": "no: names no mail of ours, holds nobody"} if mail.bounced_recipients else {}))
        return ticket.id, f"automatic mail ({what}) recorded on {ref_of(self.config, ticket.id)}"

    def _store_message(self, tx: Tx, ticket_id: int, mail: InboundMail, row: InboundView, kind: str,
                       now: datetime, visibility: str = "public") -> None:
        author = mail.from_
        tx.add_message(ticket_id, direction="in", kind=kind, visibility=visibility, message_id=mail.message_id,
                       author_email=mail.sender, author_name=author.name if author else "", subject=mail.subject,
                       text=mail.text or mail.full_text, full_text=mail.full_text, html=mail.html,
                       inbound_id=row.id, now=now,
                       attachments=[NewAttachment(a.filename, a.content_type, a.size, a.sha256, a.data, a.inline)
                                    for a in mail.attachments])

    def _follow_up(self, tx: Tx, action: FollowUp, ticket: TicketView | None, mail: InboundMail, row: InboundView,
                   now: datetime) -> tuple[int, str]:
        t = _ticket(ticket)
        self._store_message(tx, t.id, mail, row, "follow-up", now)
        sender = mail.sender or ""
        tx.add_event(t.id, actor=sender, via="mail", kind="message", now=now, message_id=mail.message_id,
                     **({"thanks": True} if action.thanks else {}))
        ref = ref_of(self.config, t.id)
        if action.reopen:
            tx.update_ticket(t.id, now, status="open", resolved_at=None)
            tx.add_event(t.id, actor=sender, via="mail", kind="status", now=now, old=t.status, new="open",
                         reason="the requester replied")
        else:
            tx.update_ticket(t.id, now)
        if action.thanks:
            return t.id, f"thanks on {ref}, which stays {t.status}"
        if not row.options.get("silent"):
            current = tx.ticket(t.id) or t
            self._notify(tx, current, "reopened" if action.reopen else "message", mail, now)
        return t.id, f"follow-up on {ref}" + (" (reopened)" if action.reopen else "")

    def _notify(self, tx: Tx, ticket: TicketView, event: str, mail: InboundMail, now: datetime,
                guesses: Sequence[tuple[str, float]] = ()) -> None:
        with stage("notify"):
            self.mailer.notify(tx, ticket, event, now, text=mail.text or mail.full_text, actor=mail.sender,
                               attachments=[a.filename for a in mail.attachments if not a.inline], guesses=guesses)

    def _agent_mail(self, tx: Tx, action: AgentReply, ticket: TicketView | None, mail: InboundMail, row: InboundView,
                    now: datetime) -> tuple[int, str]:
        """Commands first, all or none (the decision planned them); then the words: a note for the agents, or a
        reply to the requester."""
        t, agent, ref, plan = _ticket(ticket), self._agent(action.agent.address), action.thread.ref, action.plan
        if not plan.ok:
            tx.add_event(t.id, actor=agent.address, via="command", kind="commands-rejected", now=now,
                         errors=[f"{e.line}: {e.problem}" for e in plan.errors], message_id=mail.message_id)
            with stage("compose"):
                self.mailer.command_errors(tx, t, agent, mail, plan, now)
            return t.id, f"agent {agent.address} on {ref}: {len(plan.errors)} invalid command(s), nothing applied"
        changed = self._apply_changes(tx, t, agent, plan.changes, now)
        text = mail.text.strip()
        files = [a for a in mail.attachments if not a.inline]
        did = [f"{c.field}={c.value}" for c in plan.changes]
        if plan.note:
            if text or files:
                self._store_agent_message(tx, t, agent, mail, row, now, kind="note", visibility="internal",
                                          message_id=mail.message_id)
                tx.add_event(t.id, actor=agent.address, via="mail", kind="note", now=now,
                             message_id=mail.message_id)
                did.append("note")
        elif text or files:
            if t.status == "new" and not any(c.field == "status" for c in plan.changes):
                tx.update_ticket(t.id, now, status="open")
                tx.add_event(t.id, actor="system", via="system", kind="status", now=now, old="new", new="open",
                             reason="an agent answered")
            if not (changed.assignee or t.assignee):
                tx.update_ticket(t.id, now, assignee=agent.address)
                tx.add_event(t.id, actor="system", via="system", kind="assignee", now=now, old=None,
                             new=agent.address, reason="the first agent to answer")
            current = tx.ticket(t.id) or t
            with stage("compose"):
                held = loops.relay_held(tx, self.config, self.mailer, current, agent, mail.message_id, now)
                relayed = None if held else self.mailer.relay(tx, current, agent, mail, now)
            if held:  # kept where the agents see it, never on the requester's page: it was not sent
                self._store_agent_message(tx, t, agent, mail, row, now, kind="note", visibility="internal",
                                          message_id=mail.message_id)
                did.append(f"reply kept, not relayed: {held}")
            elif relayed is None:
                self._store_agent_message(tx, t, agent, mail, row, now, kind="reply", visibility="public",
                                          message_id=mail.message_id)
                did.append("reply (not sent: every recipient bounced)")
            else:
                out, _ = relayed
                outbox_id = self.mailer.enqueue(tx, out, "reply", t.id, now)
                self._store_agent_message(tx, t, agent, mail, row, now, kind="reply", visibility="public",
                                          message_id=out.message_id, outbox_id=outbox_id)
                tx.add_event(t.id, actor=agent.address, via="mail", kind="reply", now=now, to=list(out.rcpt),
                             message_id=out.message_id, agent_message_id=mail.message_id)
                did.append(f"reply to {', '.join(out.rcpt)}")
        tx.update_ticket(t.id, now)
        if changed.resolved:
            with stage("compose"):
                self._ask_rating(tx, tx.ticket(t.id) or t, now)
            did.append("rating asked")
        return t.id, f"agent {agent.address} ({action.how}) on {ref}: {'; '.join(did) or 'nothing to do'}"

    def _apply_changes(self, tx: Tx, t: TicketView, agent: AgentConfig, changes: Sequence[Change],
                       now: datetime) -> TicketChanges:
        """Each change an event; the agent who now owns the ticket (or the queue it moved to) is told."""
        done = TicketChanges()
        for c in changes:
            if c.field == "cc":
                if tx.add_participant(t.id, c.value, "", "cc"):
                    tx.add_event(t.id, actor=agent.address, via="command", kind="participant", now=now,
                                 added=c.value, role="cc")
                continue
            old = getattr(t, c.field)
            if old == c.value:
                continue
            values: dict[str, object] = {c.field: c.value}
            if c.field == "status":
                values["resolved_at"] = now if c.value in ("resolved", "closed") and t.resolved_at is None else (
                    None if c.value in ("open", "pending", "new") else t.resolved_at)
            tx.update_ticket(t.id, now, **values)
            tx.add_event(t.id, actor=agent.address, via="command", kind=c.field, now=now, old=old, new=c.value)
            if c.field == "queue":
                model_corrected(tx, t, c.value, agent.address, now)
            if c.field == "status" and c.value == "resolved":
                done = TicketChanges(assignee=done.assignee, resolved=True)
            if c.field == "queue" and not t.assignee and not any(x.field == "assignee" for x in changes):
                current = tx.ticket(t.id) or t
                self.mailer.notify(tx, current, "moved", now, actor=agent.address)
            if c.field == "assignee":
                done = TicketChanges(assignee=c.value, resolved=done.resolved)
                new = self.config.agent(c.value)
                if new is not None and new.address != agent.address:
                    current = tx.ticket(t.id) or t
                    self.mailer.notify(tx, current, "assigned", now, actor=agent.address, to=(new,))
        return done

    def _store_agent_message(self, tx: Tx, t: TicketView, agent: AgentConfig, mail: InboundMail, row: InboundView,
                             now: datetime, *, kind: str, visibility: str, message_id: str | None,
                             outbox_id: int | None = None) -> None:
        tx.add_message(t.id, direction="out" if kind == "reply" else "in", kind=kind, visibility=visibility,
                       message_id=message_id, author_email=agent.address, author_name=agent.name,
                       subject=mail.subject, text=mail.text, full_text=mail.full_text, inbound_id=row.id,
                       outbox_id=outbox_id, now=now,
                       attachments=[NewAttachment(a.filename, a.content_type, a.size, a.sha256, a.data, a.inline)
                                    for a in mail.attachments])

    def _rate(self, tx: Tx, action: Rating, ticket: TicketView | None, mail: InboundMail, row: InboundView,
              now: datetime) -> tuple[int, str]:
        t, ref = _ticket(ticket), action.thread.ref
        if action.via == "mail":
            self._store_message(tx, t.id, mail, row, "rating", now, visibility="internal")
        result = tx.rate(t.id, action.score, action.comment, action.via, now)
        tx.add_event(t.id, actor=mail.sender or "", via=action.via, kind="rating", now=now, score=action.score,
                     comment=action.comment, result=result)
        if action.score <= 2 and not result.startswith("kept"):
            leads = tuple(a for a in self.config.agents_of_queue(t.queue) if a.lead)
            if leads:
                with stage("notify"):
                    self.mailer.notify(tx, t, "low-rating", now, text=f"{action.score}/5. {action.comment}".strip(),
                                       to=leads)
        return t.id, f"rating {action.score} on {ref}: {result}"

    def _solved(self, tx: Tx, action: Solved, ticket: TicketView | None, mail: InboundMail, row: InboundView,
                now: datetime) -> tuple[int, str]:
        t, ref = _ticket(ticket), action.thread.ref
        if t.status in ("resolved", "closed"):
            return t.id, f"{ref} was already {t.status}"
        tx.update_ticket(t.id, now, status="resolved", resolved_at=now)
        tx.add_event(t.id, actor=mail.sender or "", via="web", kind="status", now=now, old=t.status, new="resolved",
                     reason="the requester: this solved my problem")
        current = tx.ticket(t.id) or t
        with stage("notify"):
            self.mailer.notify(tx, current, "solved", now, actor=mail.sender)
            self._ask_rating(tx, current, now)
        return t.id, f"{ref} resolved by the requester"

    def _ask_rating(self, tx: Tx, t: TicketView, now: datetime) -> None:
        self.mailer.ask_rating(tx, t, now)

    def _agent(self, address: str) -> AgentConfig:
        """The config's agent the decision named (routing knows agents only by address and name)."""
        agent = self.config.agent(address)
        if agent is None:
            raise LookupError(f"the decision named {address}, who is no agent of the config")
        return agent

    def _news_mail(self, tx: Tx, action: NewsByMail, ticket: TicketView | None, mail: InboundMail, row: InboundView,
                   now: datetime) -> tuple[None, str]:
        """Editors only. The preview's Reply-To is signed for the draft and the editor: a reply from the
        editor's mailbox proves them (as the agents' reply addresses do), or a trusted DKIM/SPF pass does."""
        cfg, sender = self.config, (mail.sender or "").lower()
        if sender not in cfg.news_editors:
            log.warning("news mail from %s, who is no editor: ignored", sender or "(no sender)")
            return None, f"news mail from {sender or '(no sender)'}, who is no editor: ignored"
        tokens = {a.lower().partition("@")[0].partition("+")[2] for a in (*mail.envelope_to, *(
            x.email for x in (*mail.to, *mail.cc) if x.email))} - {""}
        for key in news.drafts(tx.c):
            if news_token(cfg.service.secret, key, sender) in tokens:
                news.publish(tx.c, key)
                item = news_item_of(tx, key)
                if item is not None:
                    self._news_preview(tx, sender, item, True, now, mail)
                return None, f"news {key} published by {sender} (confirmed from the preview)"
        queues, unknown = mailed_queues(((c.name, c.args) for c in mail.commands),
                                        (q.name for q in cfg.routing.queues))
        item = NewsItem(f"mail:{mail.message_id or now.isoformat()}", mail.subject.strip() or "-",
                        (mail.text or mail.full_text).strip(), mail.language, queues, now.date())
        news.add_draft(tx.c, item)
        if action.proven:  # decided with the facts: never from Authentication-Results a stranger handed over
            news.publish(tx.c, item.key)
        self._news_preview(tx, sender, item, bool(action.proven), now, mail, unknown)
        return None, f"news {item.key} from {sender}: " + ("published" if action.proven
                                                           else "preview sent for confirmation")

    def _news_preview(self, tx: Tx, editor: str, item: NewsItem, published: bool, now: datetime,
                      mail: InboundMail, unknown: tuple[str, ...] = ()) -> None:
        cfg = self.config
        text = self.renderer.render("news_preview.txt", cfg.service.language, item=item, published=published,
                                    service_name=cfg.service.name, unknown=unknown,
                                    queues=[q.name for q in cfg.routing.queues])
        local, _, domain = (cfg.news_address or cfg.service.address).partition("@")
        reply_to = None if published else f"{local}+{news_token(cfg.service.secret, item.key, editor)}@{domain}"
        out = compose(from_name=cfg.service.name, from_email=cfg.service.address, to=[("", editor)],
                      subject=reply_subject(item.title, None), text=text, html=None, in_reply_to=mail.message_id,
                      references=mail.references, now=now, auto=True, ticket_ref=None,
                      language=cfg.service.language, reply_to=reply_to)
        self.mailer.enqueue(tx, out, "status", None, now)

    def _subscription(self, tx: Tx, action: Subscription, ticket: TicketView | None, mail: InboundMail,
                      row: InboundView, now: datetime) -> tuple[None, str]:
        sender = mail.sender or ""
        changed = news.subscribe_on(tx.c, sender, action.subscribe, "mail", now)
        what = "subscribed to" if action.subscribe else "unsubscribed from"
        if row.envelope_from == "" or tx.recent_outbox_count(sender, "status", now - timedelta(hours=1)) >= \
                self.config.service.auto_replies_per_hour:
            return None, f"{sender} {what} the news (not confirmed: null sender or too many this hour)"
        cfg = self.config.service
        people = self.mailer.deliverable(tx, None, [(mail.from_.name if mail.from_ else "", sender)], now)
        if people:
            text = self.renderer.render("subscription.txt", mail.language, subscribed=action.subscribe,
                                        name=people[0][0], service_name=cfg.name)
            out = compose(from_name=cfg.name, from_email=cfg.address, to=people,
                          subject=reply_subject(mail.subject or ("подписка" if mail.language == "ru" else "news"),
                                                None), text=text, html=None, in_reply_to=mail.message_id,
                          references=mail.references, now=now, auto=True, ticket_ref=None, language=mail.language)
            self.mailer.enqueue(tx, out, "status", None, now)
        return None, f"{sender} {what} the news" + ("" if changed else " (no change)")

    def _status_request(self, tx: Tx, action: StatusRequest, ticket: TicketView | None, mail: InboundMail,
                        row: InboundView, now: datetime) -> tuple[None, str]:
        cfg = self.config.service
        sender = mail.sender or ""
        if row.envelope_from == "" or tx.recent_outbox_count(sender, "status", now - timedelta(hours=1)) >= \
                cfg.auto_replies_per_hour:
            return None, "status request: not answered (null sender or too many this hour)"
        people = self.mailer.deliverable(tx, None, [(mail.from_.name if mail.from_ else "", sender)], now)
        if not people:
            return None, "status request: the address bounced for good"
        tickets = [{"ref": ref_of(self.config, t.id), "ticket": t, "url": self.mailer.tracking_url(t.id)}
                   for t in tx.open_tickets_of(sender)]
        with stage("compose"):
            text = self.renderer.render("status.txt", mail.language, tickets=tickets, name=people[0][0],
                                        service_address=cfg.address, service_name=cfg.name)
            out = compose(from_name=cfg.name, from_email=cfg.address, to=people,
                          subject=reply_subject(mail.subject, None), text=text, html=None,
                          in_reply_to=mail.message_id, references=mail.references, now=now, auto=True,
                          ticket_ref=None, language=mail.language)
        self.mailer.enqueue(tx, out, "status", None, now)
        return None, f"status request: {len(tickets)} open ticket(s) listed to {sender}"

    def _third_party(self, tx: Tx, action: ThirdParty, ticket: TicketView | None, mail: InboundMail, row: InboundView,
                     now: datetime) -> tuple[int, str]:
        t, agent = _ticket(ticket), self._agent(action.agent.address)
        self._store_message(tx, t.id, mail, row, "third-party", now, visibility="internal")
        tx.add_event(t.id, actor=mail.sender or "", via="mail", kind="third-party", now=now,
                     message_id=mail.message_id, reply_address_of=agent.address,
                     reason="not the agent whose signed reply address it used; not relayed")
        log.warning("inbound %s: %s wrote to %s's reply address for %s; kept, not relayed", row.id, mail.sender,
                    agent.address, ref_of(self.config, t.id), extra=fields(ticket=ref_of(self.config, t.id)))
        with stage("notify"):
            self.mailer.notify(tx, t, "third-party", now, text=mail.text or mail.full_text,
                               author=mail.sender or "", to=(agent,))
        return t.id, f"third party {mail.sender} at {agent.address}'s reply address on " \
                     f"{ref_of(self.config, t.id)}: kept, not relayed"

    def _new_ticket(self, tx: Tx, action: NewTicket, ticket: TicketView | None, mail: InboundMail, row: InboundView,
                    now: datetime) -> tuple[int, str]:
        d = action.decision  # the model, when on, had its word in the decision (routing.facts.Desk.predict)
        sender = mail.sender or ""
        name = mail.from_.name if mail.from_ else ""
        cc = [(a.email, a.name) for a in mail.cc + mail.to
              if a.email and a.email != sender and not self.config.is_ours(a.email)]
        named = list(dict.fromkeys(email.lower() for email, _ in cc))
        cap = self.config.service.max_participants  # a mail to 50,000 people must not make 50,000 participants
        if len(named) > cap:
            kept = set(named[:cap])
            cc = [(email, n) for email, n in cc if email.lower() in kept]
        ticket = tx.create_ticket(subject=mail.subject, queue=d.queue, category=d.category, priority=d.priority,
                                  assignee=d.assignee, requester_email=sender, requester_name=name,
                                  language=mail.language, rule=d.rule, route_reason=d.reason,
                                  origin_message_id=mail.message_id, now=now,
                                  status=row.options.get("status", "new"), cc=cc)
        if len(named) > cap:
            tx.add_event(ticket.id, actor="system", via="system", kind="participants-capped", now=now,
                         kept=cap, left_out=len(named) - cap,
                         reason=f"the mail named {len(named)} people in To/Cc; the first {cap} take part "
                                f"([service] max_participants), {len(named) - cap} were left out")
        self._store_message(tx, ticket.id, mail, row, "request", now)
        tx.add_event(ticket.id, actor=sender, via="mail", kind="created", now=now, queue=d.queue,
                     category=d.category, priority=d.priority, rule=d.rule, reason=d.reason, trace=list(d.trace),
                     ingress=row.source, mailbox=row.mailbox)
        if d.model or d.guesses:
            model_event(tx, ticket.id, d, now)
        ref = ref_of(self.config, ticket.id)
        if action.mentions is not None:
            other = ref_of(self.config, action.mentions.id)
            tx.add_event(ticket.id, actor="system", via="system", kind="mentions", now=now, ticket=other,
                         reason=action.why)
        for other_id in tx.tickets_from_same_mail(mail.message_id, exclude=ticket.id):
            tx.add_event(ticket.id, actor="system", via="system", kind="linked", now=now,
                         ticket=ref_of(self.config, other_id), reason="the same mail went to another department")
            tx.add_event(other_id, actor="system", via="system", kind="linked", now=now, ticket=ref,
                         reason="the same mail went to another department")
        started = time.perf_counter()
        with stage("compose"):
            acked = self._acknowledge(tx, ticket, mail, row, now)
        if not row.options.get("silent") and self.config.agents:
            self._notify(tx, ticket, "new", mail, now, guesses=d.guesses)
        self.seconds["compose"] += time.perf_counter() - started
        self.seconds["store"] -= time.perf_counter() - started
        return ticket.id, f"new ticket {ref} in {d.queue}" + ("" if acked else " (not acknowledged)")

    def _acknowledge(self, tx: Tx, ticket: TicketView, mail: InboundMail, row: InboundView, now: datetime) -> bool:
        """Mail the requester the number and the tracking link, unless they had too many replies this hour."""
        cfg = self.config.service
        sender = ticket.requester_email
        if row.options.get("silent"):
            return False
        if row.envelope_from == "":
            tx.add_event(ticket.id, actor="system", via="system", kind="ack-suppressed", now=now,
                         reason="null envelope sender (RFC 3834: never answered automatically)")
            return False
        if tx.recent_outbox_count(sender, "ack", now - timedelta(hours=1)) >= cfg.auto_replies_per_hour:
            tx.add_event(ticket.id, actor="system", via="system", kind="ack-suppressed", now=now,
                         reason=f"more than {cfg.auto_replies_per_hour} acknowledgments to {sender} in an hour")
            return False
        if not self.mailer.deliverable(tx, ticket.id, [(ticket.requester_name, sender)], now):
            return False
        ref = ref_of(self.config, ticket.id)
        suggestions = self._suggest(tx, ticket, mail, now)
        url = f"{cfg.base_url}/t/{ticket_token(cfg.secret, ticket.id)}"  # one HMAC, not one a link
        ctx = dict(ticket=ticket, ref=ref, name=ticket.requester_name, service_name=cfg.name,
                   queue_title=self.config.routing.queue_title(ticket.queue, ticket.language),
                   url=url, suggestions=suggestions, solved_url=f"{url}/solved")
        text, html = self.renderer.mail("ack", ticket.language, **ctx)
        out = compose(from_name=cfg.name, from_email=cfg.address, to=[(ticket.requester_name, sender)],
                      subject=reply_subject(mail.subject, ref), text=text, html=html, in_reply_to=mail.message_id,
                      references=mail.references, now=now, auto=True, ticket_ref=ref, language=ticket.language)
        outbox_id = tx.enqueue(kind="ack", message_id=out.message_id, mail_from=out.mail_from, rcpt=list(out.rcpt),
                               subject=out.subject, raw=out.raw, ticket_id=ticket.id, now=now)
        tx.add_message(ticket.id, direction="out", kind="ack", visibility="system", message_id=out.message_id,
                       author_email=cfg.address, author_name=cfg.name, subject=out.subject, text=text,
                       outbox_id=outbox_id, now=now)
        return True

    def _suggest(self, tx: Tx, ticket: TicketView, mail: InboundMail, now: datetime) -> list[dict[str, str]]:
        """Up to three articles that may answer the request; remembered for the tracking page."""
        if self.knowledge is None:
            return []
        started = time.perf_counter()
        found = self.knowledge.index().search(f"{mail.subject}\n{mail.subject}\n{mail.text}", lang=ticket.language,
                                              queue=ticket.queue, category=ticket.category, limit=3)
        self.seconds["suggest"] += time.perf_counter() - started
        if not found:
            return []
        tx.add_event(ticket.id, actor="system", via="system", kind="suggested", now=now,
                     slugs=[f.article.slug for f in found], scores=[round(f.score, 3) for f in found])
        base = self.config.service.base_url
        return [{"title": f.article.title, "summary": f.article.summary, "url": f"{base}/kb/{f.article.slug}"}
                for f in found]

    def _too_large(self, tx: Tx, action: TooLarge, ticket: TicketView | None, mail: InboundMail, row: InboundView,
                   now: datetime) -> tuple[None, str]:
        cfg = self.config.service
        sender = mail.sender
        limit = self.config.smtp_in.max_message_size
        if not sender or unsendable(sender) or \
                tx.recent_outbox_count(sender, "ack", now - timedelta(hours=1)) >= cfg.auto_replies_per_hour:
            return None, f"too large ({action.size} bytes), left on the server; not answered"
        with stage("compose"):
            text, html = self.renderer.mail("too_large", mail.language, service_name=cfg.name,
                                            subject=mail.subject, size_mb=round(action.size / 1e6, 1),
                                            limit_mb=round(limit / 1e6, 1))
            out = compose(from_name=cfg.name, from_email=cfg.address,
                          to=[(mail.from_.name if mail.from_ else "", sender)],
                          subject=reply_subject(mail.subject, None), text=text, html=html,
                          in_reply_to=mail.message_id, references=mail.references, now=now, auto=True,
                          ticket_ref=None, language=mail.language)
            tx.enqueue(kind="ack", message_id=out.message_id, mail_from=out.mail_from, rcpt=list(out.rcpt),
                       subject=out.subject, raw=out.raw, ticket_id=None, now=now)
        return None, f"too large ({action.size} bytes), left on the server; the sender was told"


# One handler per kind of action (routing.actions.KINDS): the pipeline's only dispatch. A Defer never gets
# here: `_one_mail` leaves its row pending, untouched, for a later pass.
HANDLERS: dict[type[Action], Callable[..., tuple[int | None, str]]] = {
    Refuse: Pipeline._refuse, Automatic: Pipeline._auto, TooLarge: Pipeline._too_large,
    NewsByMail: Pipeline._news_mail, Duplicate: Pipeline._duplicate, AgentReply: Pipeline._agent_mail,
    ThirdParty: Pipeline._third_party, Solved: Pipeline._solved, Rating: Pipeline._rate,
    StatusRequest: Pipeline._status_request, Subscription: Pipeline._subscription, FollowUp: Pipeline._follow_up,
    NewTicket: Pipeline._new_ticket,
}


def news_item_of(tx: Tx, key: str) -> NewsItem | None:
    return next((i for i in news.items_on(tx.c) if i.key == key), None)
