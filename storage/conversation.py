"""A ticket's conversation and audit trail: messages with their attachments, and events.

The part of one mail's transaction (`storage.tickets.Tx`) that writes and reads these tables.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, select

from postdesk.storage.models import Attachment, Event, Message, table_of
from postdesk.storage.prepared import Prepared, PreparedIn
from postdesk.storage.txbase import TxBase


@dataclass(frozen=True, slots=True)
class NewAttachment:
    filename: str
    content_type: str
    size: int
    sha256: str
    data: bytes
    inline: bool = False


class ConversationTx(TxBase):
    """Messages and events inside one mail's transaction."""

    def add_message(self, ticket_id: int, *, direction: str, kind: str, visibility: str = "public",
                    message_id: str | None, author_email: str | None, author_name: str = "", subject: str = "",
                    text: str = "", full_text: str = "", html: str | None = None, inbound_id: int | None = None,
                    outbox_id: int | None = None, attachments: Iterable[NewAttachment] = (),
                    now: datetime) -> int:
        pk = self._run.insert(_INSERT_MESSAGE, {
            "ticket_id": ticket_id, "direction": direction, "kind": kind, "visibility": visibility,
            "message_id": message_id, "author_email": author_email, "author_name": author_name, "subject": subject,
            "text": text, "full_text": full_text, "html": html, "inbound_id": inbound_id, "outbox_id": outbox_id,
            "created_at": now})
        rows = [{"message_pk": pk, "filename": a.filename, "content_type": a.content_type, "size": a.size,
                 "sha256": a.sha256, "inline": a.inline, "data": a.data} for a in attachments]
        if rows:
            self._run.insert_many(_INSERT_ATTACHMENT, rows)
        return int(pk)

    def add_event(self, ticket_id: int, *, actor: str, via: str, kind: str, now: datetime,
                  **detail: Any) -> None:
        self._run.insert(_INSERT_EVENT, {"ticket_id": ticket_id, "actor": actor, "via": via, "kind": kind,
                                         "detail": detail, "at": now})

    def has_message(self, ticket_id: int, message_id: str | None) -> bool:
        if not message_id:
            return False
        return self._run.first(_HAS_MESSAGE, {"pk": ticket_id, "mid": message_id}) is not None

    def ticket_id_by_message_ids(self, ids: Iterable[str]) -> int | None:
        """The ticket of the newest message carrying any of these Message-IDs (ours or the requester's)."""
        wanted = [i for i in ids if i]
        if not wanted:
            return None
        found = self._run.all_in(_TICKET_BY_MESSAGE_IDS, wanted)
        return int(found[0][0]) if found and found[0][0] else None

    def requester_thread(self, ticket_id: int, requester: str) -> tuple[str | None, tuple[str, ...]]:
        """The requester's last Message-ID and the public thread before it: where a relayed reply belongs."""
        rows = self._c.execute(_THREAD, {"pk": ticket_id}).all()
        last = next((mid for mid, direction, author in reversed(rows)
                     if direction == "in" and (author or "").lower() == requester.lower() and mid), None)
        return last, tuple(mid for mid, _, _ in rows if mid)[-20:]

    def relayed_count(self, ticket_id: int, author: str, since: datetime) -> int:
        """Replies of `author` relayed on the ticket since then (a loop between auto-responders is counted here)."""
        return self._c.execute(select(func.count()).select_from(Message).where(
            Message.ticket_id == ticket_id, Message.kind == "reply", Message.author_email == author.lower(),
            Message.outbox_id.is_not(None), Message.created_at >= since)).scalar() or 0

    def events_since(self, ticket_id: int, kind: str, actor: str | None, since: datetime) -> int:
        """How many events of this kind by this actor (None: by anyone) the ticket had since then."""
        by = () if actor is None else (Event.actor == actor,)
        return self._c.execute(select(func.count()).select_from(Event).where(
            Event.ticket_id == ticket_id, Event.kind == kind, *by, Event.at >= since)).scalar() or 0


_TICKET_BY_MESSAGE_IDS = PreparedIn(lambda ids: select(Message.ticket_id).where(Message.message_id.in_(ids))
                                    .order_by(Message.id.desc()).limit(1))
_HAS_MESSAGE = Prepared(select(Message.id).where(Message.ticket_id == bindparam("pk"),
                                                 Message.message_id == bindparam("mid")).limit(1))
_THREAD = (select(Message.message_id, Message.direction, Message.author_email)
           .where(Message.ticket_id == bindparam("pk"), Message.visibility.in_(("public", "system")))
           .order_by(Message.id))
_INSERT_MESSAGE = Prepared.insert(table_of(Message))
_INSERT_ATTACHMENT = Prepared.insert(table_of(Attachment))
_INSERT_EVENT = Prepared.insert(table_of(Event))
