"""News items, subscriptions and the record of digests sent."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import Connection, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from postdesk.routing.news import NewsItem
from postdesk.storage.db import Database
from postdesk.storage.models import DigestSend, NewsRow, Participant, Subscription, Ticket
from postdesk.storage.txbase import TxBase


def sync_files(db: Database, items: Iterable[NewsItem]) -> None:
    """The news folder is the truth for `file:` items: new ones added, edited ones updated, gone ones removed."""
    wanted = {i.key: i for i in items}
    with db.write() as s:
        c = s.connection()
        have = set(c.execute(select(NewsRow.key).where(NewsRow.key.like("file:%"))).scalars())
        for key in have - wanted.keys():
            c.execute(update(NewsRow).where(NewsRow.key == key).values(removed=True))
        for key, i in wanted.items():
            values = {"title": i.title, "body": i.body, "lang": i.lang, "queues": list(i.queues),
                      "date": i.date.isoformat(), "until": i.until.isoformat() if i.until else None, "removed": False}
            if key in have:
                c.execute(update(NewsRow).where(NewsRow.key == key).values(**values))
            else:
                c.execute(insert(NewsRow).values(key=key, **values))


def add_item(db: Database, item: NewsItem) -> None:
    with db.write() as s:
        s.connection().execute(delete(NewsRow).where(NewsRow.key == item.key))
        s.connection().execute(insert(NewsRow).values(
            key=item.key, title=item.title, body=item.body, lang=item.lang, queues=list(item.queues),
            date=item.date.isoformat(), until=item.until.isoformat() if item.until else None, removed=False))


def remove_item(db: Database, key: str) -> bool:
    with db.write() as s:
        return bool(s.connection().execute(update(NewsRow).where(NewsRow.key == key).values(removed=True)).rowcount)


def items(db: Database) -> list[NewsItem]:
    with db.read() as s:
        return _items_on(s.connection())


def _items_on(c: Connection) -> list[NewsItem]:
    rows = c.execute(select(NewsRow).where(NewsRow.removed.is_(False))).mappings().all()
    return [NewsItem(r["key"], r["title"], r["body"], r["lang"], tuple(r["queues"] or ()),
                     date.fromisoformat(r["date"]), date.fromisoformat(r["until"]) if r["until"] else None)
            for r in rows]


def audience(db: Database, since: datetime | None) -> list[tuple[str, str, str, tuple[str, ...]]]:
    """(address, name, language, queues used) of everyone who wrote in since `since` (None: ever), minus those
    who unsubscribed."""
    with db.read() as s:
        c = s.connection()
        q = (select(Participant.email, Ticket.requester_name, Ticket.language, Ticket.queue, Ticket.created_at)
             .join(Ticket, Ticket.id == Participant.ticket_id).where(Participant.role == "requester")
             .order_by(Ticket.id))
        if since is not None:
            q = q.where(Ticket.created_at >= since)
        people: dict[str, tuple[str, str, set[str]]] = {}
        for email, name, lang, queue, _ in c.execute(q):
            _, _, queues = people.get(email, ("", "", set()))
            people[email] = (name, lang, queues | {queue})
        off = set(c.execute(select(Subscription.address).where(Subscription.subscribed.is_(False))).scalars())
    return [(a, n, lang, tuple(sorted(qs))) for a, (n, lang, qs) in sorted(people.items()) if a not in off]


def received(db: Database, address: str) -> set[str]:
    with db.read() as s:
        rows = s.connection().execute(select(DigestSend.items).where(DigestSend.address == address)).scalars()
        return {k for keys in rows for k in (keys or ())}


def _claim(c: Connection, digest: str, period: str, address: str, keys: list[str], now: datetime) -> int | None:
    """Record this (digest, period, address) before its mail is queued, in the same transaction; None when
    it was already sent (a second run, a restart, another daemon)."""
    try:
        with c.begin_nested():
            key = c.execute(insert(DigestSend).values(digest=digest, period=period, address=address,
                                                      items=keys, at=now)).inserted_primary_key
            assert key is not None  # an INSERT of one row has its key
            return int(key[0])
    except IntegrityError:
        return None


def _set_outbox(c: Connection, send_id: int, outbox_id: int) -> None:
    c.execute(update(DigestSend).where(DigestSend.id == send_id).values(outbox_id=outbox_id))


def subscribe(db: Database, address: str, subscribed: bool, via: str, now: datetime) -> bool:
    with db.write() as s:
        return _subscribe_on(s.connection(), address, subscribed, via, now)


def _subscribe_on(c: Connection, address: str, subscribed: bool, via: str, now: datetime) -> bool:
    """Inside a transaction already open (the pipeline's); returns whether anything changed."""
    address = address.lower()
    current = c.execute(select(Subscription.subscribed).where(Subscription.address == address)).scalar()
    if (current is None and subscribed) or current == subscribed:
        return False
    c.execute(delete(Subscription).where(Subscription.address == address))
    c.execute(insert(Subscription).values(address=address, subscribed=subscribed, via=via, at=now))
    return True


def _add_draft(c: Connection, item: NewsItem) -> None:
    """An item mailed in by an editor, hidden until the editor confirms it (or it was proven at once)."""
    if c.execute(select(NewsRow.key).where(NewsRow.key == item.key)).first() is None:
        c.execute(insert(NewsRow).values(key=item.key, title=item.title, body=item.body, lang=item.lang,
                                         queues=list(item.queues), date=item.date.isoformat(), until=None,
                                         removed=True))


def _drafts(c: Connection) -> list[str]:
    return list(c.execute(select(NewsRow.key).where(NewsRow.key.like("mail:%"), NewsRow.removed.is_(True)))
                .scalars())


def _publish(c: Connection, key: str) -> bool:
    return bool(c.execute(update(NewsRow).where(NewsRow.key == key).values(removed=False)).rowcount)


class NewsTx(TxBase):
    """News, subscriptions and digests inside one transaction: a mail that edits news or (un)subscribes,
    a digest recorded together with the mail that carries it."""

    def news_items(self) -> list[NewsItem]:
        """The items published now."""
        return _items_on(self._c)

    def news_drafts(self) -> list[str]:
        """Keys of the items mailed in and not confirmed yet."""
        return _drafts(self._c)

    def add_news_draft(self, item: NewsItem) -> None:
        _add_draft(self._c, item)

    def publish_news(self, key: str) -> bool:
        return _publish(self._c, key)

    def subscribe(self, address: str, subscribed: bool, via: str, now: datetime) -> bool:
        """Whether anything changed."""
        return _subscribe_on(self._c, address, subscribed, via, now)

    def claim_digest(self, digest: str, period: str, address: str, keys: list[str], now: datetime) -> int | None:
        """See `_claim`: the record of this digest for this address, or None when it was sent already."""
        return _claim(self._c, digest, period, address, keys, now)

    def set_digest_outbox(self, send_id: int, outbox_id: int) -> None:
        _set_outbox(self._c, send_id, outbox_id)
