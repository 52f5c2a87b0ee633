"""Each mail all-or-nothing: parse → classify → gather the facts → decide → act (store, compose) → done.

The decision is not made here: daemon/pipeline/facts.py gathers the facts, routing.decision.decide_mail returns one
action (routing/actions.py), and daemon/pipeline/handlers/ carries it out, one handler per kind of action;
`postdesk route-test` gathers and decides the same way. A failure anywhere is attributed to its stage
(daemon/pipeline/stages.py), rolls that mail back (its savepoint) and quarantines it with the stage and the error,
so nothing is half-done, nothing is lost, and the other mails of the batch go on.
"""

from __future__ import annotations

import collections
import logging
import random
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime

from postdesk.daemon.aftercommit import holding
from postdesk.daemon.config import Config
from postdesk.daemon.knowledge import KnowledgeBase
from postdesk.daemon.learning.predictor import predictor_for
from postdesk.daemon.logs import about, fields, use_ticket_prefix
from postdesk.daemon.outgoing.mailer import Mailer, ref_of
from postdesk.daemon.pipeline import bounces
from postdesk.daemon.pipeline.facts import desk_of, gather_facts
from postdesk.daemon.pipeline.handlers import handle
from postdesk.daemon.pipeline.handlers.context import Handling
from postdesk.daemon.pipeline.stages import RawPurged, Reject, StageFailed, stage
from postdesk.daemon.web import metrics
from postdesk.parsers import InboundMail, parse_or_error
from postdesk.routing.actions import Action, Defer, NewTicket
from postdesk.routing.decision import decide_mail, refusal
from postdesk.storage import inbound as inbound_q
from postdesk.storage.db import Database, is_conflict
from postdesk.storage.models import utcnow
from postdesk.storage.outcomes import Outcome, OutcomeKind
from postdesk.storage.tickets import TicketStore, Tx
from postdesk.storage.views import InboundView, TicketView
from postdesk.templates.render import Renderer

log = logging.getLogger("postdesk.pipeline")

CONFLICT_TRIES = 5  # a transaction PostgreSQL undid for a deadlock with another daemon is done again this often


class ParseTimedOut(Exception):
    """The parse pool gave up waiting for this mail (a mail the parser would take hours over, or a hung pool)."""


class ParseDeferred(Exception):
    """Not parsed in this pass: the pool timed out before it; a later pass parses it alone (Pipeline.suspects)."""


def classify(mail: InboundMail) -> None:
    """Refuse what cannot become a request (routing.decision.refusal); automatic mail passes on."""
    if (why := refusal(mail)) is not None:
        raise Reject(why)


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
        self.suspects: list[int] = []  # rows a timed-out pool did not reach: the worker passes each alone
        self.knowledge = knowledge
        self.seconds: dict[str, float] = collections.defaultdict(float)  # per stage, for bench/ and metrics
        self.settled: list[metrics.Settled] = []  # the mails of the transaction in hand, counted once it commits
        use_ticket_prefix(config.service.ticket_prefix)

    def process(self, inbound_id: int) -> Outcome | None:
        """Process one row; returns what happened, or None when the row was not pending."""
        return self.process_batch([inbound_id]).get(inbound_id)

    def process_batch(self, ids: list[int], parse: Callable[..., Iterable[InboundMail]] | None = None,
                      commit_every: int = 50) -> dict[int, Outcome]:
        """Process rows, `commit_every` mails to a database transaction, with a savepoint per mail.

        Each mail is still all-or-nothing (its savepoint); a batch only shares the commit, and a crash
        before it leaves every row of the batch pending, to be done again. A transaction ends early, after
        any mail, when an ingress waits to store mail its client waits for (Database.ingress_waiting).
        `parse` may be a process pool's `map`: it parses ahead, on other cores, while the mails before are
        being stored.
        """
        lap = time.perf_counter()
        outcomes: dict[int, Outcome] = {}
        loaded = inbound_q.load_pending(self.db, ids)
        if not loaded:
            return outcomes
        lap = self._lap("load", lap)
        mails = self._parse_all(loaded, parse)
        parsed: list[InboundMail | Exception] = []
        while loaded:
            chunk = loaded[:commit_every]
            parsed += [next(mails) for _ in range(len(chunk) - len(parsed))]  # before the transaction: never
            lap = self._lap("parse", lap)  # wait for a parser holding the lock
            for attempt in range(1, CONFLICT_TRIES + 1):
                with holding() as hold:  # its lines and counts wait for the commit (daemon/aftercommit.py)
                    try:
                        done, lap = self._transaction(chunk, parsed, outcomes, lap)
                        break
                    except Exception as exc:
                        if not is_conflict(exc) or attempt == CONFLICT_TRIES:
                            raise
                        undone = hold.drop()
                        log.warning("PostgreSQL undid a transaction of %d mails for a lock conflict with another "
                                    "daemon (attempt %d; %d of its log lines and counts dropped); doing them again",
                                    len(chunk), attempt, undone)
                time.sleep(random.uniform(0.005, 0.05) * attempt)  # the two daemons part ways
            loaded, parsed = loaded[done:], parsed[done:]
        return outcomes

    def _transaction(self, chunk: list[tuple[InboundView, bytes | None]], parsed: list[InboundMail | Exception],
                     outcomes: dict[int, Outcome], lap: float) -> tuple[int, float]:
        """One database transaction over the chunk's mails; (how many it took, lap). Outcomes are kept only
        once it commits: a transaction undone by a conflict is done again from the start."""
        self.settled, settled = [], {}
        self.db.give_way()
        with self.store.transaction() as tx:
            pending = tx.claim_pending([row.id for row, _ in chunk])
            lap = self._lap("claim", lap)
            done = 0
            for (row, raw), mail in zip(chunk, parsed, strict=True):
                done += 1
                if row.id in pending:
                    settled[row.id], lap = self._settle(tx, row, raw, mail, lap)
                    if done < len(chunk) and self.db.ingress_waiting():
                        break  # after any mail: a client waits for its 250 behind this transaction
        outcomes.update(settled)
        metrics.settled(self.settled, utcnow())
        return done, self._lap("commit", lap)

    def _settle(self, tx: Tx, row: InboundView, raw: bytes | None, mail: InboundMail | Exception,
                lap: float) -> tuple[Outcome, float]:
        """One claimed row: processed, or quarantined when its raw mail is gone or did not parse."""
        if raw is None:
            return self._quarantine(tx, row, "load", RawPurged(
                "the raw mail was purged by retention ([retention] raw_mail); nothing to process")), lap
        if isinstance(mail, ParseDeferred):  # nothing written: the row stays pending for a pass of its own
            return Outcome(OutcomeKind.DEFER, f"deferred: {mail}"), lap
        if isinstance(mail, Exception):
            return self._quarantine(tx, row, "parse", mail), lap
        return self._one(tx, row, mail, lap)

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
                if isinstance(exc, TimeoutError):  # the mail it hung on would hang this thread too
                    yield from self._timed_out([row.id for row, _ in loaded[done:]], alone=len(loaded) == 1)
                    return
                log.error("parse pool failed (%s: %s); parsing in the pipeline thread", type(exc).__name__, exc)
        for raw, env in zip(raws[done:], envelopes[done:], strict=True):
            yield parse_or_error(raw, self.options, env)

    def _timed_out(self, unparsed: list[int], alone: bool) -> Iterator[Exception]:
        """The pool gave up on the pass at the first of `unparsed`. Alone in its pass, that mail is the one: it is
        quarantined at "parse". Else none of them is parsed here (the one that hangs the parser would hang the
        worker's own thread for hours) and each is a suspect, passed alone with a fresh pool (the worker)."""
        if alone:
            yield ParseTimedOut("the mail did not parse in the time a pass allows (PARSE_TIMEOUT); a mail the parser "
                                "takes this long over is kept here instead of holding every other mail back")
            return
        log.error("parse pool timed out; the %d mails it did not reach are parsed one a pass to find the one it "
                  "hung on", len(unparsed))
        self.suspects = [i for i in self.suspects if i not in unparsed] + unparsed
        for _ in unparsed:
            yield ParseDeferred("the parse pool timed out before this mail; it is parsed in a pass of its own")

    def _lap(self, stage: str, since: float) -> float:
        now = time.perf_counter()
        self.seconds[stage] += now - since
        return now

    def _one(self, tx: Tx, row: InboundView, mail: InboundMail, lap: float) -> tuple[Outcome, float]:
        """One mail inside its savepoint: classify → gather → decide → act (store, compose, notify)."""
        with about(inbound=row.id, message_id=row.message_id):  # every line meanwhile names the mail
            return self._one_mail(tx, row, mail, lap)

    def _one_mail(self, tx: Tx, row: InboundView, mail: InboundMail, lap: float) -> tuple[Outcome, float]:
        savepoint = tx.savepoint()
        try:
            with stage("classify"):
                classify(mail)
                mail = bounces.to_our_sender(self.config, mail)
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
                    return Outcome(OutcomeKind.DEFER, f"deferred: answers <{action.waits_for}>, not processed yet"), \
                        self._lap("decide", lap)
            lap = self._lap("decide", lap)
            with stage("store"):
                if who.spoof and mail.auto is None:
                    log.warning("inbound %s: possible spoof: %s; handled as an employee's mail", row.id, who.spoof,
                                extra=fields(ticket=ref_of(self.config, thread.id) if thread else None))
                    if thread is not None:
                        tx.add_event(thread.id, actor=mail.sender or "", via="mail", kind="possible-spoof",
                                     now=self.clock(), reason=who.spoof, message_id=mail.message_id)
                outcome = self._apply(tx, action, thread, mail, row)
                tx.finish_inbound(row.id, outcome)
                savepoint.commit()
            lap = self._lap("store", lap)
        except StageFailed as failed:
            if is_conflict(failed):  # not this mail's fault: the whole transaction is undone and done again
                raise
            savepoint.rollback()
            cause = failed.__cause__
            return self._quarantine(tx, row, failed.stage, cause if isinstance(cause, Exception) else failed), lap
        self.settled.append(metrics.Settled(row.received_at, action.decision.queue
                                            if isinstance(action, NewTicket) else None))
        log.info("inbound %s <%s>: %s", row.id, mail.message_id or "-", outcome, extra=fields(
            ticket=ref_of(self.config, outcome.ticket_id) if outcome.ticket_id is not None else None))
        return outcome, lap

    def _quarantine(self, tx: Tx, row: InboundView, stage: str, exc: Exception) -> Outcome:
        """Keep the mail with where and why it failed; never lose it, never stop the others."""
        self.settled.append(metrics.Settled(row.received_at, quarantined_at=stage))
        about_it = fields(inbound=row.id, message_id=row.message_id)
        if isinstance(exc, Reject | RawPurged):
            tx.quarantine_inbound(row.id, stage, str(exc))
            log.warning("inbound %s quarantined at %s: %s", row.id, stage, exc, extra=about_it)
            return Outcome(OutcomeKind.REFUSE if isinstance(exc, Reject) else OutcomeKind.QUARANTINED,
                           f"quarantined: {exc}")
        detail = f"{type(exc).__name__}: {exc}\n\n" + "".join(traceback.format_exception(exc, limit=8))
        tx.quarantine_inbound(row.id, stage, detail)
        log.error("inbound %s quarantined at %s: %s: %s", row.id, stage, type(exc).__name__, exc, extra=about_it)
        return Outcome(OutcomeKind.QUARANTINED, f"quarantined: {type(exc).__name__}")

    def _apply(self, tx: Tx, action: Action, ticket: TicketView | None, mail: InboundMail,
               row: InboundView) -> Outcome:
        """Hand the action to its handler (daemon/pipeline/handlers/); `ticket` is the thread's, when there is one.
        The outcome's kind is the action's: a handler says only which ticket and what happened, in words."""
        ticket_id, text = handle(Handling(self.config, self.mailer, self.renderer, self.knowledge, self.seconds, tx,
                                          mail, row, ticket, self.clock()), action)
        return Outcome(OutcomeKind(action.kind), text, ticket_id)
