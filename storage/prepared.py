"""Fixed statements compiled once per dialect and run on the DB-API cursor of the transaction.

SQLAlchemy's `Connection.execute` costs ~60 µs a call against ~2 µs in sqlite3 itself; a new ticket
runs a dozen statements. The SQL, bind order and type conversions are still SQLAlchemy's own, taken
from the compiled statement and the column types, so both paths write and read the same values.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, Table, bindparam, insert
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.sql import Executable
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ClauseElement

Processor = Callable[[Any], Any] | None


@dataclass(frozen=True, slots=True)
class Compiled:
    sql: str
    names: tuple[str, ...]  # bind names in the order the SQL wants them
    fixed: Mapping[str, Any]  # values of binds the statement carries itself (literals in a WHERE)
    binds: tuple[Processor, ...]
    results: tuple[Processor, ...]
    positional: bool
    returning: bool  # the SQL ends in RETURNING the key (SQLite gives it as lastrowid instead)

    def params(self, given: Mapping[str, Any]) -> tuple[Any, ...] | dict[str, Any]:
        values = [given[n] if n in given else self.fixed[n] for n in self.names]
        values = [v if p is None or v is None else p(v) for v, p in zip(values, self.binds, strict=True)]
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
        fixed = {name: bp.value for bp, name in c.bind_names.items() if not bp.required}
        by_name = {name: bp for bp, name in c.bind_names.items()}
        binds = tuple(by_name[n].type.dialect_impl(dialect).bind_processor(dialect) for n in names)
        results: tuple[Processor, ...] = ()
        if isinstance(self.statement, Select):
            results = tuple(col.type.dialect_impl(dialect).result_processor(dialect, None)
                            for col in self.statement.selected_columns)
        return Compiled(str(c), names, fixed, binds, results, positional, returning)

    def params(self, given: Mapping[str, Any]) -> Mapping[str, Any]:
        if not self.defaults:
            return given
        full = dict(given)
        for name, default in self.defaults.items():
            if name not in full:
                full[name] = default() if callable(default) else default
        return full


def _no_context(fn: Callable[..., Any]) -> Callable[[], Any]:
    """SQLAlchemy wraps a column's default callable to take an execution context; ours take none."""
    return lambda: fn(None)


class Runner:
    """A transaction's cursor for prepared statements: what `Connection.execute` does, minus the cost."""

    def __init__(self, conn: Connection):
        self.dialect = conn.dialect
        self.cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        self.IntegrityError: type[Exception] = conn.dialect.loaded_dbapi.IntegrityError  # the driver's own

    def execute(self, prepared: Prepared, params: Mapping[str, Any]) -> Any:
        c = prepared.compiled(self.dialect)
        self.cursor.execute(c.sql, c.params(prepared.params(params)))
        return self.cursor

    def insert(self, prepared: Prepared, params: Mapping[str, Any]) -> int:
        """The new row's key."""
        cur = self.execute(prepared, params)
        return int(cur.fetchone()[0]) if prepared.compiled(self.dialect).returning else int(cur.lastrowid)

    def insert_many(self, prepared: Prepared, rows: Sequence[Mapping[str, Any]]) -> None:
        if not rows:
            return
        c = prepared.compiled(self.dialect)
        if c.returning:  # RETURNING with executemany: row by row
            for r in rows:
                self.insert(prepared, r)
            return
        batch: list[Any] = [c.params(prepared.params(r)) for r in rows]  # all tuples or all dicts (c.positional)
        self.cursor.executemany(c.sql, batch)

    def first(self, prepared: Prepared, params: Mapping[str, Any]) -> tuple[Any, ...] | None:
        raw = self.execute(prepared, params).fetchone()
        return None if raw is None else prepared.compiled(self.dialect).row(raw)

    def all(self, prepared: Prepared, params: Mapping[str, Any]) -> list[tuple[Any, ...]]:
        c = prepared.compiled(self.dialect)
        return [c.row(raw) for raw in self.execute(prepared, params).fetchall()]

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
