"""Engines and sessions: SQLite tuned for one writer at a time, PostgreSQL as it is."""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ClassVar

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Connection, CursorResult, Engine, Result
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import QueryableAttribute, Session, sessionmaker
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import ColumnElement
from sqlalchemy.sql.functions import GenericFunction

from postdesk.storage.durable import IngressTurn, WalSync

LOCK_WAIT_SECONDS = 30.0


class bytewise(GenericFunction[str]):
    """A text column compared byte by byte, so a range such as `>= 'petr+' AND < 'petr,'` holds exactly the
    strings that start with `petr+`: SQLite compares so already (and keeps its index), PostgreSQL's collation
    of the database might sort punctuation otherwise, so there it is `COLLATE "C"`."""

    inherit_cache = True

    def __init__(self, column: ColumnElement[str] | QueryableAttribute[str]):
        super().__init__(column)


@compiles(bytewise)
def _bytewise(element: bytewise, compiler: SQLCompiler, **kw: Any) -> str:
    return str(compiler.process(element.clauses, **kw))


@compiles(bytewise, "postgresql")
def _bytewise_postgresql(element: bytewise, compiler: SQLCompiler, **kw: Any) -> str:
    return f'({compiler.process(element.clauses, **kw)} COLLATE "C")'


def begin_immediate(dbapi_conn: sqlite3.Connection) -> None:
    """Take SQLite's write lock, retrying every fraction of a millisecond while another process holds it.

    SQLite's own busy handler sleeps 1, 2, 5 … 100 ms between tries; with the front and the worker both
    writing, those sleeps, not the writes, would set the pace.
    """
    deadline = time.monotonic() + LOCK_WAIT_SECONDS
    pause = 0.0002
    dbapi_conn.execute("PRAGMA busy_timeout=0")
    try:
        while True:
            try:
                dbapi_conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if ("locked" not in str(exc) and "busy" not in str(exc)) or time.monotonic() > deadline:
                    raise
            time.sleep(pause)
            pause = min(pause * 1.5, 0.005)
    finally:
        dbapi_conn.execute(f"PRAGMA busy_timeout={int(LOCK_WAIT_SECONDS * 1000)}")


def _sqlite_engine(url: str, immediate: bool) -> Engine:
    engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (pysqlite's own is broken)
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")  # durable writes sync themselves: storage.durable
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={int(LOCK_WAIT_SECONDS * 1000)}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        # A writer takes the lock up front: upgrading a read lock later can fail with no retry.
        if immediate:
            begin_immediate(conn.connection.dbapi_connection)
        else:
            conn.exec_driver_sql("BEGIN")

    return engine


class Database:
    """One database: `write()` for transactions that change rows, `read()` for those that only look.

    Durability. `write(durable=True)` returns only once the commit is on disk: on SQLite it syncs the WAL
    right after the commit, outside the write lock (storage.durable: as safe as `synchronous=FULL`, which
    would hold the lock for the length of the sync); on PostgreSQL it sets `synchronous_commit=on` for
    the transaction, whatever the server's default. The ingresses store raw mail that way before they
    answer 250, delete a mail on an IMAP server or let `postdesk ingest` exit 0, and the mailer claims
    outbox rows that way before it sends them.

    Every other write (the worker's tickets, events, outbox rows) runs `synchronous=NORMAL`: a crash of
    the process loses nothing, and a power or OS failure can lose only the commits since the last sync of
    the WAL. Those commits all came after the last durable one (the WAL is one file written in order, and
    a sync covers everything before it), so what such a failure takes away is work done on mail whose raw
    bytes are still on disk with status "pending": the worker does it again. Nothing of it has left the
    machine either, since the mailer's durable claim syncs every row it sends and everything committed
    before it. So no mail is lost and none is sent twice by such a failure (beyond the one duplicate a
    crash between sending and marking sent can always cause).
    """

    opened: ClassVar[weakref.WeakSet[Database]] = weakref.WeakSet()  # for whoever runs commands in-process to close

    def __init__(self, url: str):
        Database.opened.add(self)
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        if self.is_sqlite:
            path = url.split("///", 1)[1] if "///" in url else ""
            if path and path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            self.engine = _sqlite_engine(url, immediate=False)
            self.write_engine = _sqlite_engine(url, immediate=True)
        else:
            self.engine = create_engine(url, pool_pre_ping=True)
            self.write_engine = self.engine
        path = url.split("///", 1)[1].partition("?")[0] if self.is_sqlite and "///" in url else ""
        self._sync = WalSync(Path(path)) if path and path != ":memory:" else None
        self._turn = IngressTurn(Path(path)) if path and path != ":memory:" else None
        self._write_lock: threading.Lock | contextlib.nullcontext[None] = (
            threading.Lock() if self.is_sqlite else contextlib.nullcontext())
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        self._write = sessionmaker(self.write_engine, expire_on_commit=False)

    def create_schema(self) -> None:
        """An empty database gets the newest schema; an older one raises storage.schema.SchemaOutdated."""
        from postdesk.storage.schema import ensure

        ensure(self)

    @contextmanager
    def write(self, durable: bool = False) -> Iterator[Session]:
        """A transaction that commits on success and rolls back on any exception; `durable`: see the class.

        On SQLite, writers of this process queue on a lock first: SQLite's own busy handler sleeps
        1, 2, 5 … 100 ms between tries, which under load cost far more than the writes themselves.
        """
        with self._writing(durable), self._write() as session, session.begin():
            if durable and not self.is_sqlite:
                session.execute(text("SET LOCAL synchronous_commit TO on"))
            yield session

    @contextmanager
    def core_write(self, durable: bool = False) -> Iterator[Connection]:
        """`write()` on a plain connection, for transactions that run only Core and prepared statements (a
        batch of mails, an outbox claim): the ORM's Session cost ~70 µs a transaction more."""
        with self._writing(durable), self.write_engine.begin() as conn:
            if durable and not self.is_sqlite:
                conn.execute(text("SET LOCAL synchronous_commit TO on"))
            yield conn

    @contextmanager
    def _writing(self, durable: bool) -> Iterator[None]:
        """What every write shares: this process's writers in turn, a durable one after waiting ingresses'
        turn, and its WAL synced once the commit (inside) is done and the lock is free."""
        turn = self._turn.durable() if durable and self._turn is not None else contextlib.nullcontext()
        with self._write_lock, turn:
            yield
        if durable and self._sync is not None:  # committed, the lock is free: now the sync
            self._sync()

    def ingress_waiting(self) -> bool:
        """A writer whose client waits (storage.durable.IngressTurn): a batch should commit and let it in."""
        return self._turn is not None and self._turn.wanted()

    def give_way(self) -> None:
        """Before a batch's transaction: let the writers whose clients wait go first (bounded)."""
        if self._turn is not None:
            self._turn.give_way()

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._read() as session, session.begin():
            yield session

    @contextmanager
    def core_read(self) -> Iterator[Connection]:
        """`read()` on a plain connection (see core_write)."""
        with self.engine.begin() as conn:
            yield conn

    def dispose(self) -> None:
        self.engine.dispose()
        if self.write_engine is not self.engine:
            self.write_engine.dispose()


def rowcount(result: Result[Any]) -> int:
    """The rows an UPDATE or DELETE matched. Session.execute is typed as giving any Result; for such a
    statement it is a CursorResult, the one kind that knows the count."""
    if not isinstance(result, CursorResult):
        raise TypeError(f"no row count in a {type(result).__name__}")
    return result.rowcount


def import_dialect(url: str) -> None:
    """Import SQLAlchemy's dialect of `url` now rather than when an engine is first made: a process about
    to fork (daemon.process.fork) then shares it with its child instead of both importing their own.
    A URL that does not parse is left to fail where the engine is made."""
    from sqlalchemy.engine import make_url

    with contextlib.suppress(Exception):
        make_url(url).get_dialect()


# a deadlock, a serialization failure: PostgreSQL undid one of two transactions so that the other goes on. Not a
# lock wait that timed out (55P03): the holder may hold on for good, and the mail is quarantined as before.
CONFLICTS = frozenset({"40P01", "40001"})


def is_conflict(exc: BaseException | None) -> bool:
    """PostgreSQL ended the transaction because of another one (two daemons' mails locking two tickets in
    opposite orders): a fault of neither mail, and done again it goes through. Any other error is the mail's
    own and is quarantined with it. Looks through the causes and the errors being handled when it was raised."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if getattr(getattr(exc, "orig", exc), "sqlstate", None) in CONFLICTS:
            return True
        exc = exc.__cause__ or exc.__context__
    return False
