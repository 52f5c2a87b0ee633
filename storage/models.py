"""The tables. Rows never leave `storage/`: callers get the frozen views of storage.views."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, deferred, mapped_column


class UTCDateTime(TypeDecorator[datetime]):
    """Stores naive UTC, hands out aware UTC: SQLite keeps no zone, and comparisons must not mix."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return value.replace(tzinfo=UTC) if value is not None else None


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


def table_of(model: type[Base]) -> Table:
    """The Table a model is mapped to. DeclarativeBase types `__table__` as any FromClause (a model may map a
    subquery); every model here maps a Table, which Prepared.insert and update() need."""
    table = model.__table__
    if not isinstance(table, Table):
        raise TypeError(f"{model.__name__} is not mapped to a Table")
    return table


class Inbound(Base):
    """Raw mail as an ingress took it; a queue whose status is its state."""

    __tablename__ = "inbound"
    __table_args__ = (
        UniqueConstraint("mailbox", "message_id", name="uq_inbound_mailbox_message_id"),
        UniqueConstraint("mailbox", "uidvalidity", "uid", name="uq_inbound_mailbox_uid"),
        Index("ix_inbound_status", "status", "id"),
        Index("ix_inbound_message_id", "message_id"),  # a reply waits for the mail it answers (Tx.answers_pending)
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    source: Mapped[str] = mapped_column(String(16))
    mailbox: Mapped[str] = mapped_column(String(255))
    queue: Mapped[str | None] = mapped_column(String(64))
    envelope_from: Mapped[str | None] = mapped_column(String(998))
    envelope_to: Mapped[list[str]] = mapped_column(JSON, default=list)
    message_id: Mapped[str | None] = mapped_column(String(998))
    uidvalidity: Mapped[int | None] = mapped_column(BigInteger)
    uid: Mapped[int | None] = mapped_column(BigInteger)
    size: Mapped[int] = mapped_column(Integer)
    raw: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))  # None once retention purged it
    status: Mapped[str] = mapped_column(String(16), default="pending")
    stage: Mapped[str | None] = mapped_column(String(32))
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    processed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ticket_id: Mapped[int | None] = mapped_column(Integer)
    outcome: Mapped[str | None] = mapped_column(Text)
    outcome_kind: Mapped[str | None] = mapped_column(String(32))  # storage/outcomes.py's OutcomeKind; None before
    # what the ingress knew beyond the bytes: storage/options.py's InboundOptions, encoded with its version ("v")
    options: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class MailboxState(Base):
    """Per IMAP mailbox: where reading stopped, and how the last attempts went (for `postdesk mailboxes`)."""

    __tablename__ = "mailbox_state"

    name: Mapped[str] = mapped_column(String(255), primary_key=True)
    uidvalidity: Mapped[int | None] = mapped_column(BigInteger)
    last_uid: Mapped[int] = mapped_column(BigInteger, default=0)
    connected: Mapped[bool] = mapped_column(Boolean, default=False)
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_success_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    last_error_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    idle: Mapped[bool] = mapped_column(Boolean, default=False)
    holder: Mapped[str | None] = mapped_column(String(64))  # the daemon that reads it; one at a time
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)  # another daemon may take over after this


class Daemon(Base):
    """One row per running daemon, kept fresh by a heartbeat: what `postdesk status` shows alive."""

    __tablename__ = "daemons"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    host: Mapped[str] = mapped_column(String(255))
    pid: Mapped[int] = mapped_column(Integer)
    version: Mapped[str] = mapped_column(String(32), default="")
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    heartbeat_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    stopped_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    info: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # listeners, for the operator


class JobRun(Base):
    """(job, slot) once: whichever daemon inserts the row runs that slot of a scheduled job."""

    __tablename__ = "job_runs"

    job: Mapped[str] = mapped_column(String(64), primary_key=True)
    slot: Mapped[str] = mapped_column(String(40), primary_key=True)
    daemon: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)  # None: running, or its daemon died


class Ticket(Base):
    __tablename__ = "tickets"
    __table_args__ = (Index("ix_tickets_origin", "origin_message_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subject: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="new")
    queue: Mapped[str] = mapped_column(String(64))
    category: Mapped[str | None] = mapped_column(String(64))
    priority: Mapped[str] = mapped_column(String(16), default="normal")
    assignee: Mapped[str | None] = mapped_column(String(320))
    requester_email: Mapped[str] = mapped_column(String(320))
    requester_name: Mapped[str] = mapped_column(String(320), default="")
    language: Mapped[str] = mapped_column(String(8))
    rule: Mapped[str | None] = mapped_column(String(128))
    route_reason: Mapped[str | None] = mapped_column(Text)
    origin_message_id: Mapped[str | None] = mapped_column(String(998))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Participant(Base):
    """Who may write into a ticket by mail and who receives its public replies."""

    __tablename__ = "participants"
    __table_args__ = (UniqueConstraint("ticket_id", "email", name="uq_participant"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(320))
    name: Mapped[str] = mapped_column(String(320), default="")
    role: Mapped[str] = mapped_column(String(16))  # requester | cc | agent


class Message(Base):
    """One mail of a ticket's conversation, in or out; `visibility` keeps notes off the page."""

    __tablename__ = "messages"
    __table_args__ = (Index("ix_messages_message_id", "message_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    inbound_id: Mapped[int | None] = mapped_column(Integer)
    outbox_id: Mapped[int | None] = mapped_column(Integer)
    direction: Mapped[str] = mapped_column(String(8))  # in | out
    kind: Mapped[str] = mapped_column(String(16))  # request | follow-up | ack | reply | note
    visibility: Mapped[str] = mapped_column(String(16), default="public")  # public | internal | system
    message_id: Mapped[str | None] = mapped_column(String(998))
    author_email: Mapped[str | None] = mapped_column(String(320))
    author_name: Mapped[str] = mapped_column(String(320), default="")
    subject: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text, default="")
    full_text: Mapped[str] = deferred(mapped_column(Text, default=""))
    html: Mapped[str | None] = deferred(mapped_column(Text))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Attachment(Base):
    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    message_pk: Mapped[int] = mapped_column(ForeignKey("messages.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(Text)
    content_type: Mapped[str] = mapped_column(String(255))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    inline: Mapped[bool] = mapped_column(Boolean, default=False)
    data: Mapped[bytes] = deferred(mapped_column(LargeBinary))


class Event(Base):
    """The audit trail: every change with who, when and how."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(String(320))
    via: Mapped[str] = mapped_column(String(16))  # mail | command | system | web | cli
    kind: Mapped[str] = mapped_column(String(32))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class Outbox(Base):
    """Composed mail waiting for delivery; the Message-ID is fixed so a retry is recognizable."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_status_due", "status", "next_attempt_at"),
        Index("ix_outbox_recipient_kind", "recipient", "kind", "created_at"),
        # the + forms of an address as a byte range (storage.outbox.recent_outbox_count): PostgreSQL's own
        # collation may sort punctuation otherwise, so there the range needs an index of its own
        Index("ix_outbox_recipient_bytes", text('(recipient COLLATE "C")'), "kind", "created_at").ddl_if(
            dialect="postgresql"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ticket_id: Mapped[int | None] = mapped_column(Integer, index=True)
    kind: Mapped[str] = mapped_column(String(16))  # ack | reply | notify | error
    message_id: Mapped[str] = mapped_column(String(998), unique=True)
    mail_from: Mapped[str] = mapped_column(String(320))
    rcpt: Mapped[list[str]] = mapped_column(JSON)
    recipient: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(Text, default="")
    raw: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))  # None once retention purged a sent mail
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claimed_by: Mapped[str | None] = mapped_column(String(64))  # the daemon sending it; reclaimed if that one dies


class Suppression(Base):
    """An address that failed permanently: no mail goes to it until `until` (a bounce storm ends here)."""

    __tablename__ = "suppressions"

    address: Mapped[str] = mapped_column(String(320), primary_key=True)
    until: Mapped[datetime] = mapped_column(UTCDateTime)
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Rating(Base):
    """The requester's verdict on a resolved ticket: one per ticket, replaceable for a week."""

    __tablename__ = "ratings"

    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id", ondelete="CASCADE"), primary_key=True)
    score: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")
    via: Mapped[str] = mapped_column(String(16))  # web | mail
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    first_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class NewsRow(Base):
    """A news item: from a file in `[news] dir` (kept in step with it) or published by mail."""

    __tablename__ = "news"

    key: Mapped[str] = mapped_column(String(1000), primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    lang: Mapped[str] = mapped_column(String(8))
    queues: Mapped[list[str]] = mapped_column(JSON, default=list)
    date: Mapped[str] = mapped_column(String(10))
    until: Mapped[str | None] = mapped_column(String(10))
    removed: Mapped[bool] = mapped_column(Boolean, default=False)


class Subscription(Base):
    """Only the exceptions: everyone who wrote to the center gets the news until they say stop."""

    __tablename__ = "subscriptions"

    address: Mapped[str] = mapped_column(String(320), primary_key=True)
    subscribed: Mapped[bool] = mapped_column(Boolean)
    via: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class DigestSend(Base):
    """(digest, period, address) once: the unique key is what makes a digest go out exactly once."""

    __tablename__ = "digest_sends"
    __table_args__ = (UniqueConstraint("digest", "period", "address", name="uq_digest_send"),
                      Index("ix_digest_sends_address", "address"))  # what each subscriber already got

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    digest: Mapped[str] = mapped_column(String(64))
    period: Mapped[str] = mapped_column(String(40))
    address: Mapped[str] = mapped_column(String(320))
    outbox_id: Mapped[int | None] = mapped_column(Integer)
    items: Mapped[list[str]] = mapped_column(JSON, default=list)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PortalLogin(Base):
    """A mailed one-time sign-in link; only its hash is kept, so the table alone opens nothing."""

    __tablename__ = "portal_logins"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    address: Mapped[str] = mapped_column(String(320))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # single use: set once, by the button


class PortalSession(Base):
    """A signed-in employee: the cookie holds a random id, the table its hash (revocable, expiring)."""

    __tablename__ = "portal_sessions"
    __table_args__ = (Index("ix_portal_sessions_address", "address"),)

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    address: Mapped[str] = mapped_column(String(320))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # signed out (or revoked)


class DigestOptOut(Base):
    """One digest switched off on the portal; `subscriptions` still says whether any news is wanted."""

    __tablename__ = "digest_optouts"

    address: Mapped[str] = mapped_column(String(320), primary_key=True)
    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
