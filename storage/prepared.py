"""Fixed statements compiled once per dialect and run on the DB-API cursor of the transaction.

SQLAlchemy's `Connection.execute` costs ~60 µs a call against ~2 µs in sqlite3 itself; a new ticket
runs a dozen statements. The SQL, bind order and type conversions are still SQLAlchemy's own, taken
from the compiled statement and the column types, so both paths write and read the same values. Where
SQLAlchemy's conversion is Python code a line of C does as well (a UTC datetime as SQLite's text, bytes
as a BLOB), `_fast` uses that line once it has given the very values SQLAlchemy's does on a few probes:
the conversions were a tenth of the worker's time a mail.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import JSON, LargeBinary, Select, Table, bindparam, insert
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.sql import Executable
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ClauseElement
from sqlalchemy.types import TypeEngine

from postdesk.storage.models import UTCDateTime

Processor = Callable[[Any], Any] | None


@dataclass(frozen=True, slots=True)
class Compiled:
    sql: str
    names: tuple[str, ...]  # bind names in the order the SQL wants them
    missing: Mapping[str, Callable[[], Any]]  # a bind not given: the statement's own literal or the column default
    converts: tuple[tuple[int, Callable[[Any], Any]], ...]  # (position, conversion) of the binds that have one
    results: tuple[Processor, ...]
    positional: bool
    returning: bool  # the SQL ends in RETURNING the key (SQLite gives it as lastrowid instead)

    def params(self, given: Mapping[str, Any]) -> tuple[Any, ...] | dict[str, Any]:
        missing = self.missing
        values = [given[n] if n in given else missing[n]() for n in self.names]
        for i, convert in self.converts:
            if (v := values[i]) is not None:
                values[i] = convert(v)
        return tuple(values) if self.positional else dict(zip(self.names, values, strict=True))

    def row(self, raw: Sequence[Any]) -> tuple[Any, ...]:
        return tuple(v if p is None or v is None else p(v) for v, p in zip(raw, self.results, strict=True))


class Prepared:
    """One statement without IN-lists to expand, run through a transaction's `Runner`."""

    def __init__(self, statement: Executable, *, defaults: Mapping[str, Callable[[], Any] | Any] | None = None,
                 returns_id: bool = False):
        self.statement = statement
        self.defaults = dict(defaults or {})
        self.returns_id = returns_id
        self._compiled: dict[str, Compiled] = {}

    @classmethod
    def insert(cls, table: Table) -> Prepared:
        """INSERT of every column but the key, returning the new key; columns left out get their default."""
        columns = [c for c in table.columns if not c.primary_key]
        defaults: dict[str, Any] = {}
        for c in columns:
            default = c.default
            if default is None:
                defaults[c.name] = None
            elif getattr(default, "is_callable", False):
                defaults[c.name] = _no_context(default.arg)  # type: ignore[attr-defined]
            elif getattr(default, "is_scalar", False):
                defaults[c.name] = default.arg  # type: ignore[attr-defined]
            else:
                raise ValueError(f"{table.name}.{c.name}: only plain and callable defaults can be prepared")
        statement = insert(table).values({c.name: bindparam(c.name, type_=c.type) for c in columns})
        return cls(statement, defaults=defaults, returns_id=True)

    def compiled(self, dialect: Dialect) -> Compiled:
        found = self._compiled.get(dialect.name)
        if found is None:
            found = self._compiled[dialect.name] = self._compile(dialect)
        return found

    def _compile(self, dialect: Dialect) -> Compiled:
        statement = self.statement
        returning = self.returns_id and dialect.name != "sqlite"
        if returning:
            table = statement.table  # type: ignore[attr-defined]
            statement = statement.returning(*[c for c in table.columns if c.primary_key])  # type: ignore[attr-defined]
        assert isinstance(statement, ClauseElement)
        c = statement.compile(dialect=dialect)
        assert isinstance(c, SQLCompiler)  # what a DML or SELECT compiles to; compile() is typed as any Compiled
        positional = bool(c.positional)
        names = tuple(c.positiontup or ()) if positional else tuple(dict.fromkeys(c.bind_names.values()))
        missing = {name: _constant(bp.value) for bp, name in c.bind_names.items() if not bp.required}
        missing.update({name: d if callable(d) else _constant(d) for name, d in self.defaults.items()})
        by_name = {name: bp for bp, name in c.bind_names.items()}
        binds = [_fast(by_name[n].type, dialect, "bind") for n in names]
        results: tuple[Processor, ...] = ()
        if isinstance(self.statement, Select):
            results = tuple(_fast(col.type, dialect, "result") for col in self.statement.selected_columns)
        return Compiled(str(c), names, missing, tuple((i, p) for i, p in enumerate(binds) if p is not None),
                        results, positional, returning)


def _constant(value: Any) -> Callable[[], Any]:
    return lambda: value


class PreparedIn:
    """A statement with one IN-list, prepared once per list length rounded up to a power of two (the list
    padded with its last value, which IN does not count twice): a handful of statements whatever the mails
    say. SQLAlchemy's expanding IN costs its execution overhead (~60 µs) every time, and a mail's thread
    lookup by the Message-IDs it answers ran that way. Past `longest` values it runs as SQLAlchemy's."""

    def __init__(self, build: Callable[[Any], Executable], longest: int = 256):
        self.build = build  # the statement, given the IN-list's binds (a list of them, or one expanding)
        self.longest = longest
        self.expanding = build(bindparam("ids", expanding=True))
        self._sized: dict[int, Prepared] = {}

    def sized(self, ids: Sequence[Any]) -> tuple[Prepared, dict[str, Any]] | None:
        """The statement for this many values and their binds; None when there are more than `longest`."""
        n = len(ids)
        if not 0 < n <= self.longest:
            return None
        size = 1 << (n - 1).bit_length()
        found = self._sized.get(size)
        if found is None:
            found = self._sized[size] = Prepared(self.build([bindparam(f"in{i}") for i in range(size)]))
        return found, {f"in{i}": ids[i] if i < n else ids[-1] for i in range(size)}


def _in_binds(query: PreparedIn, ids: Sequence[Any], params: Mapping[str, Any] | None
              ) -> tuple[Prepared | None, dict[str, Any]]:
    """The prepared statement for this many `ids` and all its binds; past `longest`, None and the binds of
    SQLAlchemy's expanding statement."""
    sized = query.sized(ids)
    if sized is None:
        return None, {**(params or {}), "ids": list(ids)}
    prepared, binds = sized
    return prepared, {**(params or {}), **binds}


def _no_context(fn: Callable[..., Any]) -> Callable[[], Any]:
    """SQLAlchemy wraps a column's default callable to take an execution context; ours take none."""
    return lambda: fn(None)


class Runner:
    """A transaction's cursor for prepared statements: what `Connection.execute` does, minus the cost."""

    def __init__(self, conn: Connection):
        self.conn = conn
        self.dialect = conn.dialect
        self.cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        self.IntegrityError: type[Exception] = conn.dialect.loaded_dbapi.IntegrityError  # the driver's own

    def execute(self, prepared: Prepared, params: Mapping[str, Any]) -> Any:
        c = prepared.compiled(self.dialect)
        self.cursor.execute(c.sql, c.params(params))
        return self.cursor

    def insert(self, prepared: Prepared, params: Mapping[str, Any]) -> int:
        """The new row's key."""
        c = prepared.compiled(self.dialect)
        cur: Any = self.cursor
        cur.execute(c.sql, c.params(params))
        return int(cur.fetchone()[0]) if c.returning else int(cur.lastrowid)

    def insert_many(self, prepared: Prepared, rows: Sequence[Mapping[str, Any]]) -> None:
        if not rows:
            return
        c = prepared.compiled(self.dialect)
        if c.returning:  # RETURNING with executemany: row by row
            for r in rows:
                self.insert(prepared, r)
            return
        batch: list[Any] = [c.params(r) for r in rows]  # all tuples or all dicts (c.positional)
        self.cursor.executemany(c.sql, batch)

    def first(self, prepared: Prepared, params: Mapping[str, Any]) -> tuple[Any, ...] | None:
        raw = self.execute(prepared, params).fetchone()
        return None if raw is None else prepared.compiled(self.dialect).row(raw)

    def all(self, prepared: Prepared, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        c = prepared.compiled(self.dialect)
        return [c.row(raw) for raw in self.execute(prepared, params).fetchall()]

    def all_in(self, query: PreparedIn, ids: Sequence[Any], params: Mapping[str, Any] | None = None
               ) -> list[tuple[Any, ...]]:
        """The rows of a statement with an IN-list of `ids` (none: no rows, as SQL's empty IN has none)."""
        if not ids:
            return []
        prepared, binds = _in_binds(query, ids, params)
        if prepared is None:
            return [tuple(r) for r in self.conn.execute(query.expanding, binds)]
        return self.all(prepared, binds)

    def execute_in(self, query: PreparedIn, ids: Sequence[Any], params: Mapping[str, Any] | None = None) -> None:
        """A statement with an IN-list of `ids` that returns no rows (an UPDATE, a DELETE)."""
        if not ids:
            return
        prepared, binds = _in_binds(query, ids, params)
        if prepared is None:
            self.conn.execute(query.expanding, binds)
        else:
            self.execute(prepared, binds)

    def scalars(self, prepared: Prepared, params: Mapping[str, Any]) -> list[Any]:
        return [r[0] for r in self.all(prepared, params)]

    def scalar(self, prepared: Prepared, params: Mapping[str, Any]) -> Any:
        row = self.first(prepared, params)
        return None if row is None else row[0]

    def savepoint(self) -> Savepoint:
        return Savepoint(self.cursor)


class Savepoint:
    """One mail's part of a batch: SAVEPOINT, then RELEASE on success or ROLLBACK TO on failure."""

    def __init__(self, cursor: Any):
        self.cursor = cursor
        cursor.execute("SAVEPOINT mail")

    def commit(self) -> None:
        self.cursor.execute("RELEASE SAVEPOINT mail")

    def rollback(self) -> None:
        self.cursor.execute("ROLLBACK TO SAVEPOINT mail")
        self.cursor.execute("RELEASE SAVEPOINT mail")


# -- conversions in C where SQLAlchemy's are Python: each used only once it agrees with SQLAlchemy's on the probes
def _utc_text(value: datetime) -> str:
    """UTCDateTime then SQLite's DATETIME: naive UTC as 'YYYY-MM-DD HH:MM:SS.ffffff'."""
    if value.tzinfo is None:
        raise ValueError("naive datetime given to the database")
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


def _utc_of_text(value: str) -> datetime:
    return datetime.fromisoformat(value).replace(tzinfo=UTC)


def _same(value: Any) -> Any:
    return value


_PROBES: dict[str, tuple[Any, ...]] = {
    "datetime": (datetime(2026, 11, 27, 9, 30, 15, 123456, tzinfo=UTC), datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
                 datetime(2026, 6, 30, 23, 59, 59, 999999, tzinfo=timezone(timedelta(hours=3)))),
    "text": ("2026-11-27 09:30:15.123456", "2026-01-02 03:04:05.000000", "2026-06-30 20:59:59"),
    "bytes": (b"", b"\x00\xffraw", "ё".encode()),
    "json": ({"trace": ["rule it", "ё"], "n": 1, "none": None}, ["a@b.c"], [], {}),
}


def _fast(type_: TypeEngine[Any], dialect: Dialect, kind: str) -> Processor:
    """SQLAlchemy's processor for this type, or a C-speed one that gives the same values on the probes."""
    impl = type_.dialect_impl(dialect)
    slow = impl.bind_processor(dialect) if kind == "bind" else impl.result_processor(dialect, None)
    if slow is None or dialect.name != "sqlite":
        return slow
    fast: Callable[[Any], Any] | None = None
    probes: tuple[Any, ...] = ()
    same: Callable[[Any, Any], bool] = lambda a, b: a == b and type(a) is type(b)  # noqa: E731
    if isinstance(type_, UTCDateTime):
        fast, probes = (_utc_text, _PROBES["datetime"]) if kind == "bind" else (_utc_of_text, _PROBES["text"])
    elif isinstance(type_, LargeBinary) and kind == "bind":  # sqlite3 binds bytes as a BLOB, as it does a memoryview
        fast, probes, same = _same, _PROBES["bytes"], lambda a, b: bytes(a) == bytes(b)
    elif isinstance(type_, JSON) and kind == "bind" and getattr(dialect, "_json_serializer", None) is None:
        fast, probes = json.dumps, _PROBES["json"]
    if fast is None or not all(same(fast(p), slow(p)) for p in probes):
        return slow
    return fast
