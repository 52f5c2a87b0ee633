"""Each mail all-or-nothing: parse → classify → thread → decide → store → compose → done.

Each stage is a small named function; a failure anywhere rolls that mail back (its savepoint) and
quarantines it with the stage and the error, so nothing is half-done, nothing is lost, and the other
mails of the batch go on.
"""

from __future__ import annotations

import collections
import logging
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from daemon.compose import compose, reply_subject
from daemon.config import Config
from daemon.tokens import ticket_token
from parsers import InboundMail, ParseOptions, parse_mail
from routing import Decision, decide
from storage import inbound as inbound_q
from storage.db import Database
from storage.models import utcnow
from storage.tickets import NewAttachment, TicketStore, Tx
from storage.views import InboundView, TicketView
from templates.render import Renderer

log = logging.getLogger("postdesk.pipeline")


class Reject(Exception):
    """A mail that cannot become a request; quarantined with this reason."""


class StageFailed(Exception):
    """An error inside a later stage, carrying that stage's name to the quarantine record."""

    def __init__(self, stage: str):
        super().__init__(stage)
        self.stage = stage


# -- actions: what decide() chose; handlers carry them out
@dataclass(frozen=True, slots=True)
class AutoMail:
    ticket: TicketView | None


@dataclass(frozen=True, slots=True)
class FollowUp:
    ticket: TicketView
    reopen: bool


@dataclass(frozen=True, slots=True)
class NewTicket:
    decision: Decision
    mentions: TicketView | None


@dataclass(frozen=True, slots=True)
class AlreadyThere:
    ticket: TicketView


@dataclass(frozen=True, slots=True)
class TooLarge:
    """A mail left on the IMAP server for its size: one polite reply, no ticket."""

    size: int


Action = AutoMail | FollowUp | NewTicket | AlreadyThere | TooLarge


def parse_one(raw: bytes, options: ParseOptions, envelope: tuple[str | None, tuple[str, ...]]
              ) -> InboundMail | Exception:
    """Parse for the pipeline; a module-level function so a process pool can run it."""
    try:
        return parse_mail(raw, options, envelope_from=envelope[0], envelope_to=tuple(envelope[1]))
    except Exception as exc:  # parse_mail must not raise; if it does, the mail is quarantined, not lost
        return exc


def ref_of(config: Config, ticket_id: int) -> str:
    return f"{config.service.ticket_prefix}-{ticket_id}"


# -- stages
def classify(mail: InboundMail) -> None:
    """Refuse what cannot become a request; automatic mail passes on to be recorded, never answered."""
    if mail.auto is None and not mail.sender:
        raise Reject("no sender address: neither From nor the envelope sender can be answered")


def find_thread(tx: Tx, mail: InboundMail, prefix: str) -> TicketView | None:
    """The ticket the mail belongs to: its `[SD-n]` reference, else the Message-IDs it answers."""
    if mail.ticket_ref:
        head, _, number = mail.ticket_ref.rpartition("-")
        if head.upper() == prefix.upper() and number.isdigit():
            ticket = tx.ticket(int(number))
            if ticket is not None:
                return ticket
    return tx.ticket_by_message_ids((*mail.in_reply_to, *reversed(mail.references), *mail.original_message_ids))


def decide_action(mail: InboundMail, thread: TicketView | None, config: Config, row: InboundView,
                  message_known: bool) -> Action:
    """Pure: follow-up only from a participant of an open thread; anyone else opens a new request."""
    if mail.auto is not None:
        return AutoMail(thread)
    if row.options.get("too_large"):
        return TooLarge(int(row.options["too_large"]))
    if thread is not None and message_known:
        return AlreadyThere(thread)
    importing = bool(row.options.get("silent"))  # history: threads join whatever their status, nothing reopens
    if thread is not None and (importing or thread.status != "closed") and thread.is_participant(mail.sender):
        return FollowUp(thread, reopen=thread.status == "resolved" and not importing)
    return NewTicket(decide(mail, config.routing, row.queue), mentions=thread)


class Pipeline:
    """Processes inbound rows; safe to run from several threads or processes at once."""

    def __init__(self, config: Config, db: Database, renderer: Renderer, clock: Callable[[], datetime] = utcnow):
        self.config = config
        self.db = db
        self.store = TicketStore(db)
        self.renderer = renderer
        self.clock = clock
        self.options = config.parse_options()
        self.ours = config.our_addresses()
        self.seconds: collections.Counter[str] = collections.Counter()  # per stage, for bench/ and metrics

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
            with self.store.transaction() as tx:
                pending = tx.claim_pending([row.id for row, _ in chunk])
                lap = self._lap("claim", lap)
                for row, _ in chunk:
                    mail = next(mails)
                    lap = self._lap("parse", lap)
                    if row.id not in pending:
                        continue
                    if isinstance(mail, Exception):
                        outcomes[row.id] = self._quarantine(tx, row.id, "parse", mail)
                        continue
                    outcomes[row.id], lap = self._one(tx, row, mail, lap)
            lap = self._lap("commit", lap)
        return outcomes

    def _parse_all(self, loaded: list[tuple[InboundView, bytes]],
                   parse: Callable[..., Iterable[InboundMail]] | None) -> Iterator[InboundMail | Exception]:
        """Parsed mails in order, as they become ready; a broken pool falls back to parsing here."""
        raws = [raw for _, raw in loaded]
        envelopes = [(row.envelope_from, row.envelope_to) for row, _ in loaded]
        done = 0
        if parse is not None:
            try:
                for mail in parse(parse_one, raws, [self.options] * len(raws), envelopes):
                    done += 1
                    yield mail
                return
            except Exception as exc:
                log.error("parse pool failed (%s: %s); parsing in the pipeline thread", type(exc).__name__, exc)
        for raw, env in zip(raws[done:], envelopes[done:], strict=True):
            yield parse_one(raw, self.options, env)

    def _lap(self, stage: str, since: float) -> float:
        now = time.perf_counter()
        self.seconds[stage] += now - since
        return now

    def _one(self, tx: Tx, row: InboundView, mail: InboundMail, lap: float) -> tuple[str, float]:
        """One mail inside its savepoint: classify → thread → decide → store (→ compose)."""
        stage = "classify"
        savepoint = tx.savepoint()
        try:
            classify(mail)
            stage = "thread"
            thread = find_thread(tx, mail, self.config.service.ticket_prefix)
            known = thread is not None and tx.has_message(thread.id, mail.message_id)
            lap = self._lap("thread", lap)
            stage = "decide"
            action = decide_action(mail, thread, self.config, row, known)
            lap = self._lap("decide", lap)
            stage = "store"
            ticket_id, outcome = self._apply(tx, action, mail, row)
            tx.finish_inbound(row.id, ticket_id, outcome)
            savepoint.commit()
            lap = self._lap("store", lap)
        except Exception as exc:
            savepoint.rollback()
            if isinstance(exc, StageFailed) and exc.__cause__ is not None:
                stage, exc = exc.stage, exc.__cause__  # type: ignore[assignment]
            return self._quarantine(tx, row.id, stage, exc), lap
        log.info("inbound %s <%s>: %s", row.id, mail.message_id or "-", outcome)
        return outcome, lap

    def _quarantine(self, tx: Tx, inbound_id: int, stage: str, exc: Exception) -> str:
        """Keep the mail with where and why it failed; never lose it, never stop the others."""
        if isinstance(exc, Reject):
            tx.quarantine_inbound(inbound_id, stage, str(exc))
            log.warning("inbound %s quarantined at %s: %s", inbound_id, stage, exc)
            return f"quarantined: {exc}"
        detail = f"{type(exc).__name__}: {exc}\n\n" + "".join(traceback.format_exception(exc, limit=8))
        tx.quarantine_inbound(inbound_id, stage, detail)
        log.error("inbound %s quarantined at %s: %s: %s", inbound_id, stage, type(exc).__name__, exc)
        return f"quarantined: {type(exc).__name__}"

    # -- handlers
    def _apply(self, tx: Tx, action: Action, mail: InboundMail, row: InboundView) -> tuple[int | None, str]:
        now = self.clock()
        if isinstance(action, AutoMail):
            return self._auto(tx, action, mail, now)
        if isinstance(action, AlreadyThere):
            return action.ticket.id, f"already on {ref_of(self.config, action.ticket.id)}"
        if isinstance(action, FollowUp):
            return self._follow_up(tx, action, mail, row, now)
        if isinstance(action, TooLarge):
            return self._too_large(tx, action, mail, row, now)
        return self._new_ticket(tx, action, mail, row, now)

    def _auto(self, tx: Tx, action: AutoMail, mail: InboundMail, now: datetime) -> tuple[int | None, str]:
        assert mail.auto is not None
        what = f"{mail.auto.kind}: {mail.auto.reason}"
        if action.ticket is None:
            return None, f"automatic mail ({what}), no ticket: not answered"
        tx.add_event(action.ticket.id, actor=mail.sender or "", via="mail", kind="automatic-mail", now=now,
                     auto=mail.auto.kind, reason=mail.auto.reason, message_id=mail.message_id,
                     subject=mail.subject, bounced=list(mail.bounced_recipients))
        return action.ticket.id, f"automatic mail ({what}) recorded on {ref_of(self.config, action.ticket.id)}"

    def _store_message(self, tx: Tx, ticket_id: int, mail: InboundMail, row: InboundView, kind: str,
                       now: datetime) -> None:
        author = mail.from_
        tx.add_message(ticket_id, direction="in", kind=kind, message_id=mail.message_id,
                       author_email=mail.sender, author_name=author.name if author else "", subject=mail.subject,
                       text=mail.text or mail.full_text, full_text=mail.full_text, html=mail.html,
                       inbound_id=row.id, now=now,
                       attachments=[NewAttachment(a.filename, a.content_type, a.size, a.sha256, a.data, a.inline)
                                    for a in mail.attachments])

    def _follow_up(self, tx: Tx, action: FollowUp, mail: InboundMail, row: InboundView,
                   now: datetime) -> tuple[int, str]:
        t = action.ticket
        self._store_message(tx, t.id, mail, row, "follow-up", now)
        sender = mail.sender or ""
        tx.add_event(t.id, actor=sender, via="mail", kind="message", now=now, message_id=mail.message_id)
        if action.reopen:
            tx.update_ticket(t.id, now, status="open", resolved_at=None)
            tx.add_event(t.id, actor=sender, via="mail", kind="status", now=now, old=t.status, new="open",
                         reason="the requester replied")
        else:
            tx.update_ticket(t.id, now)
        ref = ref_of(self.config, t.id)
        return t.id, f"follow-up on {ref}" + (" (reopened)" if action.reopen else "")

    def _new_ticket(self, tx: Tx, action: NewTicket, mail: InboundMail, row: InboundView,
                    now: datetime) -> tuple[int, str]:
        d = action.decision
        sender = mail.sender or ""
        name = mail.from_.name if mail.from_ else ""
        ticket = tx.create_ticket(subject=mail.subject, queue=d.queue, category=d.category, priority=d.priority,
                                  assignee=d.assignee, requester_email=sender, requester_name=name,
                                  language=mail.language, rule=d.rule, route_reason=d.reason,
                                  origin_message_id=mail.message_id, now=now,
                                  status=row.options.get("status", "new"),
                                  cc=[(a.email, a.name) for a in mail.cc + mail.to
                                      if a.email and a.email != sender and not _is_ours(a.email, self.ours)])
        self._store_message(tx, ticket.id, mail, row, "request", now)
        tx.add_event(ticket.id, actor=sender, via="mail", kind="created", now=now, queue=d.queue,
                     category=d.category, priority=d.priority, rule=d.rule, reason=d.reason, trace=list(d.trace),
                     ingress=row.source, mailbox=row.mailbox)
        ref = ref_of(self.config, ticket.id)
        if action.mentions is not None:
            other = ref_of(self.config, action.mentions.id)
            tx.add_event(ticket.id, actor="system", via="system", kind="mentions", now=now, ticket=other,
                         reason="the sender is not a participant of that request")
        for other_id in tx.tickets_from_same_mail(mail.message_id, exclude=ticket.id):
            tx.add_event(ticket.id, actor="system", via="system", kind="linked", now=now,
                         ticket=ref_of(self.config, other_id), reason="the same mail went to another department")
            tx.add_event(other_id, actor="system", via="system", kind="linked", now=now, ticket=ref,
                         reason="the same mail went to another department")
        started = time.perf_counter()
        try:
            acked = self._acknowledge(tx, ticket, mail, row, now)
        except Exception as exc:
            raise StageFailed("compose") from exc
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
        ref = ref_of(self.config, ticket.id)
        queue = self.config.routing.queue(ticket.queue)
        ctx = dict(ticket=ticket, ref=ref, name=ticket.requester_name, service_name=cfg.name,
                   queue_title=queue.title if queue else ticket.queue,
                   url=f"{cfg.base_url}/t/{ticket_token(cfg.secret, ticket.id)}")
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

    def _too_large(self, tx: Tx, action: TooLarge, mail: InboundMail, row: InboundView,
                   now: datetime) -> tuple[None, str]:
        cfg = self.config.service
        sender = mail.sender
        limit = self.config.smtp_in.max_message_size
        if not sender or tx.recent_outbox_count(sender, "ack", now - timedelta(hours=1)) >= cfg.auto_replies_per_hour:
            return None, f"too large ({action.size} bytes), left on the server; not answered"
        try:
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
        except Exception as exc:
            raise StageFailed("compose") from exc
        return None, f"too large ({action.size} bytes), left on the server; the sender was told"


def _is_ours(email: str, ours: frozenset[str]) -> bool:
    """Plus-addresses of our own addresses are ours too (service+token@…)."""
    local, _, domain = email.partition("@")
    return f"{local.split('+', 1)[0]}@{domain}" in ours
