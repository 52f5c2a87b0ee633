"""Read a department mailbox over IMAP: by UID, stored before the server is told, IDLE when offered.

Each mailbox has its own thread and connection, so a slow or broken server never holds up another
mailbox or the SMTP ingress. The order for every batch is: fetch with BODY.PEEK[] → commit to `inbound`
→ only then mark/move/delete on the server → remember the UID. A crash anywhere repeats at most the
last step, and the (mailbox, UIDVALIDITY, UID) and (mailbox, Message-ID) keys make a repeat a no-op.
"""

from __future__ import annotations

import contextlib
import logging
import ssl
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError

from postdesk.daemon.config import Config, MailboxConfig
from postdesk.daemon.ingress.imap_client import AuthFailed, close, connect, idle_until_news
from postdesk.daemon.logs import about, mail_fields
from postdesk.daemon.web.metrics import count_received
from postdesk.parsers.headerscan import message_id_of
from postdesk.storage import inbound as inbound_q
from postdesk.storage import mailboxes as state
from postdesk.storage.db import Database
from postdesk.storage.inbound import Arrival, Delivery
from postdesk.storage.models import utcnow
from postdesk.storage.options import InboundOptions

log = logging.getLogger("postdesk.imap")

AUTH_BACKOFF_FIRST = 10.0
AUTH_BACKOFF_MAX = 300.0
NET_BACKOFF_MAX = 300.0
STALE_WARNING = timedelta(minutes=15)
HEARTBEAT_EVERY = 10.0  # IDLE is re-issued (and the mailbox lease renewed) this often; RFC 2177 allows 29 minutes
STANDBY_POLL = 5.0  # a daemon whose mailbox another one reads looks this often whether it must take over


class LeaseLost(Exception):
    """Another daemon took this mailbox over (this one looked dead to it): stop reading it."""


class MailboxReader:
    """One mailbox's loop: connect, catch up, then IDLE (or poll); reconnect with backoff on any error."""

    def __init__(self, mb: MailboxConfig, get_config: Callable[[], Config], db: Database,
                 on_stored: Callable[[], None], stop: threading.Event, me: str):
        self.mb = mb
        self.me = me
        self.get_config = get_config
        self.db = db
        self.on_stored = on_stored
        self.stop = stop
        self.client: IMAPClient | None = None
        self.warned_stale = False
        self.started = utcnow()

    # -- the loop
    def run(self) -> None:
        with about(mailbox=self.mb.name):
            self._run()

    def _run(self) -> None:
        auth_delay = AUTH_BACKOFF_FIRST
        net_delay = 1.0
        auth_logged = False
        standby_logged: str | None = None
        while not self.stop.is_set():
            holder = state.take_lease(self.db, self.mb.name, self.me)
            if holder is not None:  # another daemon reads it; take over when its lease runs out
                if holder != standby_logged:
                    log.info("mailbox %s: read by daemon %s; standing by", self.mb.name, holder)
                    standby_logged = holder
                self.stop.wait(STANDBY_POLL)
                continue
            if standby_logged:
                log.info("mailbox %s: taken over from daemon %s", self.mb.name, standby_logged)
                standby_logged = None
            try:
                self.client = connect(self.mb)
                log.info("mailbox %s: connected to %s:%d as %s", self.mb.name, self.mb.host, self.mb.port,
                         self.mb.username)
                auth_logged, auth_delay, net_delay = False, AUTH_BACKOFF_FIRST, 1.0
                self.session()
            except LeaseLost:
                log.warning("mailbox %s: another daemon took it over; standing by", self.mb.name)
            except AuthFailed as exc:
                state.record_error(self.db, self.mb.name, f"authentication failed: {exc}")
                if not auth_logged:
                    log.error("mailbox %s: authentication failed for %s: %s (retrying every %d s at most)",
                              self.mb.name, self.mb.username, exc, int(AUTH_BACKOFF_MAX))
                    auth_logged = True
                self.stop.wait(auth_delay)
                auth_delay = min(auth_delay * 2, AUTH_BACKOFF_MAX)
            except (TimeoutError, OSError, IMAPClientError, ssl.SSLError) as exc:
                state.record_error(self.db, self.mb.name, f"{type(exc).__name__}: {exc}")
                log.warning("mailbox %s: %s: %s; reconnecting in %.0f s", self.mb.name, type(exc).__name__, exc,
                            net_delay)
                self.stop.wait(net_delay)
                net_delay = min(net_delay * 2, NET_BACKOFF_MAX)
            except Exception as exc:  # a bug must not end the thread: log it and retry like a network error
                state.record_error(self.db, self.mb.name, f"{type(exc).__name__}: {exc}")
                log.exception("mailbox %s: unexpected error; reconnecting in %.0f s", self.mb.name, net_delay)
                self.stop.wait(net_delay)
                net_delay = min(net_delay * 2, NET_BACKOFF_MAX)
            finally:
                if self.client is not None:
                    close(self.client)
                    self.client = None
                self.warn_if_stale()
        with contextlib.suppress(Exception):
            state.release_lease(self.db, self.mb.name, self.me)

    def session(self) -> None:
        """Catch up, then wait for new mail until stopped or the connection breaks."""
        client = self.client
        assert client is not None
        use_idle = self.mb.idle and client.has_capability("IDLE")
        first = True
        while not self.stop.is_set():
            self.keep_lease()
            stored = self.catch_up()
            if first:  # one line per connection: it says the session got past its first fetch
                log.info("mailbox %s: caught up (%d stored), now %s", self.mb.name, stored,
                         "idling" if use_idle else f"polling every {self.mb.poll_interval:g} s")
                first = False
            if use_idle:
                self.idle_wait()
            else:
                self.stop.wait(self.mb.poll_interval)
                client.noop()

    def idle_wait(self) -> None:
        """IDLE until the server reports new mail, or for a minute at most; then the caller fetches."""
        client = self.client
        assert client is not None
        idle_until_news(client, self.stop, HEARTBEAT_EVERY,
                        on_idle=lambda: state.update(self.db, self.mb.name, connected=True, heartbeat_at=utcnow(),
                                                     idle=True))

    def keep_lease(self) -> None:
        if not state.renew_lease(self.db, self.mb.name, self.me):
            raise LeaseLost(self.mb.name)

    def warn_if_stale(self) -> None:
        st = state.get(self.db, self.mb.name)
        last = (st.last_success_at if st else None) or self.started
        if utcnow() - last > STALE_WARNING and not self.warned_stale:
            log.warning("mailbox %s: no successful fetch since %s", self.mb.name, last.isoformat(timespec="seconds"))
            self.warned_stale = True

    # -- one pass
    def catch_up(self) -> int:
        """Store every new mail, then apply `after`; returns how many mails were stored."""
        client = self.client
        assert client is not None
        info = client.select_folder(self.mb.folder)
        uidvalidity = int(info[b"UIDVALIDITY"])
        st = state.get(self.db, self.mb.name)
        last_uid = st.last_uid if st and st.uidvalidity == uidvalidity else 0
        if st and st.uidvalidity is not None and st.uidvalidity != uidvalidity:
            log.warning("mailbox %s: UIDVALIDITY changed (%s -> %s); rescanning, Message-IDs prevent duplicates",
                        self.mb.name, st.uidvalidity, uidvalidity)
        if self.mb.after == "seen":
            uids = [u for u in client.search(["UID", f"{last_uid + 1}:*", "UNDELETED"]) if u > last_uid]
        else:
            uids = list(client.search(["UNDELETED"]))  # moved or deleted mail leaves; what stays is ours to do
        uids.sort()
        stored = 0
        for i in range(0, len(uids), self.mb.batch_size):
            if self.stop.is_set():
                break
            batch = uids[i:i + self.mb.batch_size]
            stored += self.take(batch, uidvalidity)
            last_uid = max(last_uid, batch[-1])
            self.keep_lease()
            state.record_success(self.db, self.mb.name, uidvalidity=uidvalidity, last_uid=last_uid, idle=False)
        if not uids:
            state.record_success(self.db, self.mb.name, uidvalidity=uidvalidity, last_uid=last_uid, idle=False)
        self.warned_stale = False
        return stored

    def take(self, uids: list[int], uidvalidity: int) -> int:
        """Fetch, commit, then tell the server: the order that loses nothing."""
        client = self.client
        assert client is not None
        config = self.get_config()
        limit = config.smtp_in.max_message_size
        known = inbound_q.stored_uids(self.db, self.mb.key, uidvalidity, uids)
        todo = [u for u in uids if u not in known]
        sizes = client.fetch(todo, ["RFC822.SIZE"]) if todo else {}
        small = [u for u in todo if int(sizes.get(u, {}).get(b"RFC822.SIZE", 0)) <= limit]
        large = [u for u in todo if u not in small]
        delivery = [Delivery(mailbox=self.mb.key, queue=self.mb.queue, envelope_to=())]
        stored = 0
        if small:
            arrivals = [Arrival(bytes(data[b"BODY[]"]), "imap", tuple(delivery), None,
                                message_id_of(bytes(data[b"BODY[]"])), uidvalidity, uid)
                        for uid, data in client.fetch(small, ["BODY.PEEK[]"]).items() if b"BODY[]" in data]
            results = inbound_q.store_arrivals(self.db, arrivals)  # the whole batch in one commit
            for arrival, ids in zip(arrivals, results, strict=True):
                for inbound_id in ids:
                    if inbound_id is not None:
                        stored += 1
                        count_received("imap", self.mb.key)
                        log.debug("mailbox %s: stored UID %s", self.mb.name, arrival.uid,
                                  extra=mail_fields(inbound_id, arrival.message_id))
        for uid in large:
            stored += self.take_too_large(uid, uidvalidity, int(sizes[uid][b"RFC822.SIZE"]), delivery)
        if stored:
            self.on_stored()
            log.info("mailbox %s: stored %d mail(s)", self.mb.name, stored)
        done = [u for u in uids if u not in large]
        self.apply_after(done)
        if large and self.mb.quarantine_folder:
            self.move(large, self.mb.quarantine_folder)
        return stored

    def take_too_large(self, uid: int, uidvalidity: int, size: int, delivery: list[Delivery]) -> int:
        """Keep only the header (for one polite reply); the mail itself stays on the server."""
        client = self.client
        assert client is not None
        fetched = client.fetch([uid], ["BODY.PEEK[HEADER]"]).get(uid, {})
        header = bytes(fetched.get(b"BODY[HEADER]", b""))
        log.warning("mailbox %s: UID %d is %d bytes, over smtp_in.max_message_size; left on the server",
                    self.mb.name, uid, size)
        ids = inbound_q.store_inbound(self.db, header, source="imap", deliveries=delivery, envelope_from=None,
                                      message_id=message_id_of(header), uidvalidity=uidvalidity, uid=uid,
                                      options=InboundOptions(too_large=size))
        return sum(1 for x in ids if x is not None)

    def apply_after(self, uids: list[int]) -> None:
        if not uids:
            return
        client = self.client
        assert client is not None
        if self.mb.after == "seen":
            client.add_flags(uids, [b"\\Seen"], silent=True)
        elif self.mb.after == "delete":
            client.add_flags(uids, [b"\\Deleted"], silent=True)
            self.expunge(uids)
        else:
            assert self.mb.move_to
            self.move(uids, self.mb.move_to)

    def move(self, uids: list[int], folder: str) -> None:
        client = self.client
        assert client is not None
        if not client.folder_exists(folder):
            client.create_folder(folder)
        if client.has_capability("MOVE"):
            client.move(uids, folder)
        else:
            client.copy(uids, folder)
            client.add_flags(uids, [b"\\Deleted"], silent=True)
            self.expunge(uids)

    def expunge(self, uids: list[int]) -> None:
        client = self.client
        assert client is not None
        if client.has_capability("UIDPLUS"):
            client.uid_expunge(uids)
        else:
            client.expunge()


class MailboxReaders:
    """Starts one reader thread per configured mailbox and stops them all."""

    def __init__(self, get_config: Callable[[], Config], db: Database, on_stored: Callable[[], None], me: str):
        self.me = me
        self.get_config = get_config
        self.db = db
        self.on_stored = on_stored
        self.stop = threading.Event()
        self.threads: list[threading.Thread] = []

    def start(self) -> None:
        for mb in self.get_config().mailboxes:
            reader = MailboxReader(mb, self.get_config, self.db, self.on_stored, self.stop, self.me)
            t = threading.Thread(target=reader.run, name=f"imap-{mb.name}", daemon=True)
            t.start()
            self.threads.append(t)

    def close(self, timeout: float = 10.0) -> None:
        self.stop.set()
        deadline = time.monotonic() + timeout
        for t in self.threads:
            t.join(max(0.0, deadline - time.monotonic()))


def mailbox_report(config: Config, db: Database, now: datetime | None = None) -> list[dict[str, Any]]:
    """What `postdesk mailboxes` prints: per mailbox, connected or not, last fetch, last error, mail today."""
    now = now or utcnow()
    today = now.replace(hour=0, minute=0, second=0, microsecond=0)
    counts = inbound_q.received_since(db, today)
    states = {s.name: s for s in state.all_states(db)}
    out = []
    for mb in config.mailboxes:
        st = states.get(mb.name)
        alive = bool(st and st.connected and st.heartbeat_at and now - st.heartbeat_at < timedelta(minutes=3))
        out.append({
            "name": mb.name, "server": f"{mb.host}:{mb.port}", "folder": mb.folder, "user": mb.username,
            "connected": alive, "idle": bool(st and st.idle and alive),
            "held_by": st.holder if st and st.lease_until and st.lease_until > now else None,
            "last_success": st.last_success_at.isoformat() if st and st.last_success_at else None,
            "last_error": st.last_error if st else None,
            "last_error_at": st.last_error_at.isoformat() if st and st.last_error_at else None,
            "stored_today": counts.get(mb.key, 0),
            "stale": bool(st is None or st.last_success_at is None or now - st.last_success_at > STALE_WARNING),
        })
    return out
