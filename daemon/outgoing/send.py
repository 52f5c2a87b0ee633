"""One way out: every mail the desk writes is checked, composed and queued here, and nowhere else.

Each kind of mail has a `Rule` (the table below says which). `Post.clear` applies it once: for an answer to
someone's mail the auto-reply guard of RFC 3834 — never answer a null sender or automatic mail (auto-replies,
bounces, lists) — and at most `[service] auto_replies_per_hour` answers to one address an hour, counted over
every kind of answer together (acknowledgments, too-large notices, status lists, subscription answers, news
previews), so a robot that trips two kinds in turn is held as surely as one that trips one. For every mail: never
to one of our own addresses (a loop), never to an address that bounced for good or that our relay cannot take.
Only then is the body rendered (`Post.send` takes it as a function, so a held mail costs no template) and the
mail composed (daemon/outgoing/compose.py) and queued as an outbox row. Callers never call `compose()`
themselves: tests/daemon/test_one_way_out.py holds that.

Mail that is not an answer has its own rules: notifications and command errors to agents (an agent hears of
every request; agents' loops are caught by `[service] relays_per_hour`, in Mailer.relay), rating prompts
and reminders in a ticket's life, an agent's relayed reply (a person's words, not automatic), a digest (asked
for), a sign-in link (asked for on the portal, with its own limit per address).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from postdesk.daemon.config import Config
from postdesk.daemon.logs import fields
from postdesk.daemon.outgoing.compose import OutAttachment, Outgoing, compose, unsendable
from postdesk.parsers import InboundMail
from postdesk.parsers.autolist import unread_mailbox
from postdesk.parsers.autostamp import refuses_answers
from postdesk.storage.tickets import Tx
from postdesk.storage.views import InboundView
from postdesk.templates.render import Renderer

log = logging.getLogger("postdesk.mailer")

WINDOW = timedelta(hours=1)
ANSWER_KINDS = ("ack", "status")  # the outbox kinds that answer a mail: counted together, per address and hour
LOGIN_MAILS_PER_HOUR = 5

People = tuple[tuple[str, str], ...]  # (display name, address)


@dataclass(frozen=True, slots=True)
class Rule:
    """How one kind of mail leaves. `auto` is its Auto-Submitted value ("" for a person's words); `answer`: it
    answers a mail from its recipient, so the auto-reply guard holds it; `counted`: the outbox kinds counted, per
    recipient over the last hour, against `per_hour` (None: `[service] auto_replies_per_hour`); `held_event`: the
    ticket event a held mail leaves; `to_requester`: it goes to the ticket's requester unasked (a rating prompt, a
    reminder), so it is held too when the request that opened the ticket asked for no automatic answers."""

    kind: str
    auto: str
    answer: bool = False
    counted: tuple[str, ...] = ()
    per_hour: int | None = None
    held_event: str | None = None
    to_requester: bool = False


REFUSED_EVENT = "answers-refused"  # the acknowledgment held because the request asked for no automatic answers
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

ACK = Rule("ack", "auto-replied", answer=True, counted=ANSWER_KINDS, held_event="ack-suppressed")
TOO_LARGE = Rule("ack", "auto-replied", answer=True, counted=ANSWER_KINDS)
STATUS = Rule("status", "auto-replied", answer=True, counted=ANSWER_KINDS)  # status list, subscription, news preview
NOTIFY = Rule("notify", "auto-generated")
BOUNCE_NOTICE = Rule("agent-bounced", "auto-generated", counted=("agent-bounced",))  # to the leads; never makes another
COMMAND_ERRORS = Rule("error", "auto-replied")
RATING = Rule("rating", "auto-generated", to_requester=True)
REMINDER = Rule("reminder", "auto-generated", to_requester=True)
RELAY = Rule("reply", "")
DIGEST = Rule("digest", "auto-generated")
LOGIN = Rule("login", "auto-generated", counted=("login",), per_hour=LOGIN_MAILS_PER_HOUR)


class Reason(StrEnum):
    """Why a mail was held."""

    NULL_SENDER = "null sender"
    AUTOMATIC = "automatic mail"
    OURS = "our own address"
    LIMIT = "limit"
    BOUNCED = "bounced"
    UNSENDABLE = "unsendable"
    NOBODY = "nobody"
    LOOP = "loop"  # an agent's replies relayed too often on one ticket: two auto-responders (Mailer.relay)


@dataclass(frozen=True, slots=True)
class Held:
    """Not sent, and why: `reason` for the caller to branch on, `why` in words for the log and the ticket."""

    reason: Reason
    why: str


@dataclass(frozen=True, slots=True)
class Answering:
    """The mail an answer answers, as the guard reads it: its envelope sender ("" is the null sender of
    RFC 5321; None when no envelope was kept) and what kind of automatic mail the parser took it for."""

    envelope_from: str | None
    automatic: str | None = None

    @classmethod
    def of(cls, mail: InboundMail, row: InboundView, ours: frozenset[str] = frozenset()) -> Answering:
        """The parser may read a program's mail as a person's request (a web form's, sent for a visitor; a
        partner's letter through a mass mailer) and make it a ticket; a mail that said `Auto-Submitted`,
        `X-Auto-Response-Suppress: All`, `Precedence: bulk` or a list's headers still gets no automatic answer
        from us (RFC 3834 2 and 5), whatever the mail is (parsers.autostamp.refuses_answers); `ours`, the
        desk's addresses, spare the list headers of the desk's own group alias. A sender whose mailbox is named so
        that nobody reads it (no-reply@, notifications@: parsers.autolist.unread_mailbox) gets none either."""
        if mail.auto is not None:
            return cls(row.envelope_from, mail.auto.kind)
        if mail.sender and unread_mailbox(mail.sender):
            return cls(row.envelope_from, f"From: {mail.sender}, a mailbox nobody reads by its name")
        return cls(row.envelope_from, refuses_answers(mail.headers, ours))


@dataclass(frozen=True, slots=True)
class Letter:
    """One mail before it is checked and rendered: to whom, in which thread, in which language. From is the
    service's unless `from_name` names someone (an agent's relayed reply)."""

    to: People
    subject: str
    language: str
    ticket_id: int | None = None
    ticket_ref: str | None = None
    cc: People = ()
    in_reply_to: str | None = None
    references: tuple[str, ...] = ()
    reply_to: str | None = None
    from_name: str | None = None
    headers: tuple[tuple[str, str], ...] = ()
    attachments: tuple[OutAttachment, ...] = ()


@dataclass(frozen=True, slots=True)
class Body:
    text: str
    html: str | None = None


@dataclass(frozen=True, slots=True)
class Cleared:
    """A letter that passed its rule, with the recipients it may go to; only `Post.clear` makes one."""

    rule: Rule
    letter: Letter


@dataclass(frozen=True, slots=True)
class Sent:
    outbox_id: int
    mail: Outgoing
    body: Body


def sent_this_hour(tx: Tx, address: str, kinds: tuple[str, ...], now: datetime) -> int:
    """How many mails of these outbox kinds `address` got in the last hour; with ANSWER_KINDS, the automatic
    answers the guard counts (what `postdesk route-test` may show as the sender's allowance)."""
    return tx.recent_outbox_count(address.lower(), kinds, now - WINDOW)


def guard(config: Config, tx: Tx, rule: Rule, first: str, now: datetime, answering: Answering | None) -> Held | None:
    """The auto-reply guard and the hourly limits, applied here once for every kind of mail (Post.clear), and
    read, nothing written, by `postdesk route-test` to say whether the daemon's answer would leave."""
    if not first:
        return Held(Reason.NOBODY, "no address to mail")
    if rule.answer:
        if answering is None or answering.envelope_from == "":
            return Held(Reason.NULL_SENDER, "null envelope sender (RFC 3834: never answered automatically)")
        if answering.automatic is not None:
            return Held(Reason.AUTOMATIC, f"{answering.automatic} (RFC 3834: never answered automatically)")
    if rule.counted:
        limit = config.service.auto_replies_per_hour if rule.per_hour is None else rule.per_hour
        if sent_this_hour(tx, first, rule.counted, now) >= limit:
            what = "automatic answers" if rule.counted == ANSWER_KINDS else f"{rule.kind} mails"
            return Held(Reason.LIMIT, f"more than {limit} {what} to {first} in an hour")
    return None


class Post:
    """The desk's way out (see the module doc): `send` = `clear` → render → `queue`."""

    def __init__(self, config: Config, renderer: Renderer):
        self.config = config
        self.renderer = renderer

    def send(self, tx: Tx, rule: Rule, letter: Letter, body: Body | Callable[[], Body], now: datetime,
             answering: Answering | None = None) -> Sent | Held:
        cleared = self.clear(tx, rule, letter, now, answering)
        if isinstance(cleared, Held):
            return cleared
        return self.queue(tx, cleared, body() if callable(body) else body, now)

    def clear(self, tx: Tx, rule: Rule, letter: Letter, now: datetime,
              answering: Answering | None = None) -> Cleared | Held:
        """The letter with the recipients it may go to, or why it may not leave at all."""
        held = self._guard(tx, rule, letter, now, answering)
        if held is None and rule.to_requester and letter.ticket_id is not None and tx.events_since(
                letter.ticket_id, REFUSED_EVENT, "system", EPOCH):
            held = Held(Reason.AUTOMATIC, "the request asked for no automatic answers (RFC 3834)")
        if held is not None:
            if rule.held_event and letter.ticket_id is not None:
                refused = held.reason in (Reason.AUTOMATIC, Reason.NULL_SENDER)  # not a limit: a person, later
                tx.add_event(letter.ticket_id, actor="system", via="system", now=now, reason=held.why,
                             kind=REFUSED_EVENT if refused and rule.answer else rule.held_event)
            return held
        to, dropped = self._sift(tx, letter.ticket_id, letter.to, now)
        cc, _ = self._sift(tx, letter.ticket_id, letter.cc, now) if letter.cc else ((), {})
        if not to and cc:  # the first recipient bounced: the people in copy still hear, the first of them in To
            to, cc = cc[:1], cc[1:]
        if not to:
            reason = dropped.get(letter.to[0][1], Reason.BOUNCED)
            return Held(reason, f"{letter.to[0][1]}: " + ("bounced for good" if reason == Reason.BOUNCED else reason))
        return Cleared(rule, letter if (to, cc) == (letter.to, letter.cc) else replace(letter, to=to, cc=cc))

    def _guard(self, tx: Tx, rule: Rule, letter: Letter, now: datetime, answering: Answering | None) -> Held | None:
        return guard(self.config, tx, rule, letter.to[0][1] if letter.to else "", now, answering)

    def _sift(self, tx: Tx, ticket_id: int | None, people: Sequence[tuple[str, str]], now: datetime
              ) -> tuple[People, dict[str, Reason]]:
        """The recipients that are not ours, have not bounced for good and that our relay can take
        (compose.unsendable: a non-ASCII local part), and why each other one was dropped; a dropped one is an
        event on the ticket."""
        dropped = {email: Reason.OURS for _, email in people if self.config.is_ours(email)}
        for email in dropped:
            log.warning("no mail to %s: one of the desk's own addresses", email)
        held = tx.suppressed([email for _, email in people if email not in dropped], now)
        for _, email in people:
            if email.lower() in held:
                dropped[email] = Reason.BOUNCED
                if ticket_id is not None:
                    tx.add_event(ticket_id, actor="system", via="system", kind="not-sent", now=now, to=email,
                                 reason=f"the address bounced for good; no mail to it until "
                                        f"{held[email.lower()]:%Y-%m-%d}")
        for _, email in people:
            if email not in dropped and (why := unsendable(email)):
                dropped[email] = Reason.UNSENDABLE
                log.warning("no mail to %s: %s", email, why)
                if ticket_id is not None:
                    tx.add_event(ticket_id, actor="system", via="system", kind="not-sent", now=now, to=email,
                                 reason=why)
        return tuple((name, email) for name, email in people if email not in dropped), dropped

    def queue(self, tx: Tx, cleared: Cleared, body: Body, now: datetime) -> Sent:
        """Compose the cleared letter and queue it: one outbox row, sent by the delivery loop."""
        out = self.compose(cleared.rule, cleared.letter, body, now)
        letter, kind = cleared.letter, cleared.rule.kind
        outbox_id = tx.enqueue(kind=kind, message_id=out.message_id, mail_from=out.mail_from, rcpt=list(out.rcpt),
                               subject=out.subject, raw=out.raw, ticket_id=letter.ticket_id, now=now)
        log.debug("queued %s to %s as outbox %s", kind, ",".join(out.rcpt), outbox_id, extra=fields(
            ticket=letter.ticket_ref, outbox=outbox_id, out_message_id=out.message_id))
        return Sent(outbox_id, out, body)

    def compose(self, rule: Rule, letter: Letter, body: Body, now: datetime) -> Outgoing:
        """The mail's bytes, queued by nobody: `queue` uses it, and `postdesk digest preview` shows one."""
        cfg = self.config.service
        return compose(from_name=letter.from_name or cfg.name, from_email=cfg.address, to=list(letter.to),
                       cc=list(letter.cc) or None, subject=letter.subject, text=body.text, html=body.html,
                       in_reply_to=letter.in_reply_to, references=letter.references, now=now, auto=rule.auto or False,
                       ticket_ref=letter.ticket_ref, language=letter.language, reply_to=letter.reply_to,
                       extra_headers=dict(letter.headers) or None, attachments=list(letter.attachments) or None)
