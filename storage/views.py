"""Frozen views of rows: what the rest of Postdesk sees of the database."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from postdesk.storage import models as m
from postdesk.storage.options import InboundOptions
from postdesk.storage.outcomes import Outcome


@dataclass(frozen=True, slots=True)
class InboundView:
    id: int
    received_at: datetime
    source: str
    mailbox: str
    queue: str | None
    envelope_from: str | None
    envelope_to: tuple[str, ...]
    message_id: str | None
    size: int
    status: str
    stage: str | None
    error: str | None
    attempts: int
    processed_at: datetime | None
    ticket_id: int | None
    outcome: Outcome | None
    options: InboundOptions

    @classmethod
    def of(cls, r: m.Inbound) -> InboundView:
        return cls(r.id, r.received_at, r.source, r.mailbox, r.queue, r.envelope_from, tuple(r.envelope_to or ()),
                   r.message_id, r.size, r.status, r.stage, r.error, r.attempts, r.processed_at, r.ticket_id,
                   Outcome.stored(r.outcome_kind, r.outcome, r.ticket_id), InboundOptions.decode(r.options))


@dataclass(frozen=True, slots=True)
class ParticipantView:
    email: str
    name: str
    role: str


@dataclass(frozen=True, slots=True)
class TicketView:
    id: int
    subject: str
    status: str
    queue: str
    category: str | None
    priority: str
    assignee: str | None
    requester_email: str
    requester_name: str
    language: str
    rule: str | None
    route_reason: str | None
    origin_message_id: str | None
    created_at: datetime
    updated_at: datetime
    resolved_at: datetime | None
    participants: tuple[ParticipantView, ...] = field(default=(), kw_only=True)  # by name; a row's columns are the rest

    @classmethod
    def of(cls, t: m.Ticket, participants: tuple[ParticipantView, ...] = ()) -> TicketView:
        return cls(t.id, t.subject, t.status, t.queue, t.category, t.priority, t.assignee, t.requester_email,
                   t.requester_name, t.language, t.rule, t.route_reason, t.origin_message_id, t.created_at,
                   t.updated_at, t.resolved_at, participants=participants)

    def is_participant(self, email: str | None) -> bool:
        return email is not None and any(p.email == email.lower() for p in self.participants)


@dataclass(frozen=True, slots=True)
class AttachmentView:
    id: int
    filename: str
    content_type: str
    size: int
    inline: bool


@dataclass(frozen=True, slots=True)
class MessageView:
    id: int
    direction: str
    kind: str
    visibility: str
    message_id: str | None
    author_email: str | None
    author_name: str
    subject: str
    text: str
    created_at: datetime
    attachments: tuple[AttachmentView, ...] = ()


@dataclass(frozen=True, slots=True)
class EventView:
    at: datetime
    actor: str
    via: str
    kind: str
    detail: dict[str, Any]


@dataclass(frozen=True, slots=True)
class OutboxView:
    id: int
    created_at: datetime
    ticket_id: int | None
    kind: str
    message_id: str
    mail_from: str
    rcpt: tuple[str, ...]
    subject: str
    status: str
    attempts: int
    next_attempt_at: datetime
    last_error: str | None
    sent_at: datetime | None

    @classmethod
    def of(cls, r: m.Outbox) -> OutboxView:
        return cls(r.id, r.created_at, r.ticket_id, r.kind, r.message_id, r.mail_from, tuple(r.rcpt), r.subject,
                   r.status, r.attempts, r.next_attempt_at, r.last_error, r.sent_at)


@dataclass(frozen=True, slots=True)
class MailboxStateView:
    name: str
    uidvalidity: int | None
    last_uid: int
    connected: bool
    heartbeat_at: datetime | None
    last_success_at: datetime | None
    last_error: str | None
    last_error_at: datetime | None
    idle: bool
    holder: str | None = None
    lease_until: datetime | None = None

    @classmethod
    def of(cls, r: m.MailboxState) -> MailboxStateView:
        return cls(r.name, r.uidvalidity, r.last_uid or 0, bool(r.connected), r.heartbeat_at, r.last_success_at,
                   r.last_error, r.last_error_at, bool(r.idle), r.holder, r.lease_until)


@dataclass(frozen=True, slots=True)
class DaemonView:
    id: str
    host: str
    pid: int
    version: str
    started_at: datetime
    heartbeat_at: datetime
    stopped_at: datetime | None
    alive: bool
    info: dict[str, Any]
