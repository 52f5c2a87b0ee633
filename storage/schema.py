"""The schema's version: Alembic migrations shipped in the package (storage/migrations).

An empty database is brought to the newest schema at once (the embedded default needs no extra step); a
database at an older version is refused until `postdesk db upgrade`, so no daemon runs on a schema it
does not know. A database made by the first release (create_all, no version table) counts as 0001.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Connection, inspect, text

from postdesk.storage.models import Base

if TYPE_CHECKING:
    from alembic.config import Config

    from postdesk.storage.db import Database

HEAD = "0007"
SCHEMA_LOCK = 0x706F7374  # "post": the advisory lock key for creating or upgrading the schema
FIRST_RELEASE_TABLES = {"inbound", "outbox", "tickets", "messages", "events"}


class SchemaOutdated(Exception):
    """The database needs `postdesk db upgrade` before this version of Postdesk may use it."""


def _alembic(connection: Connection) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", "postdesk.storage:migrations")
    cfg.attributes["connection"] = connection
    return cfg


def revision_of(c: Connection) -> str | None:
    """The version a database is at; "0001" for the first release's unversioned tables, None when empty."""
    tables = set(inspect(c).get_table_names())
    if "alembic_version" in tables:
        return c.execute(text("SELECT version_num FROM alembic_version")).scalar()
    return "0001" if tables >= FIRST_RELEASE_TABLES else None


def _one_at_a_time(db: Database, c: Connection) -> None:
    """Daemons that start together on an empty PostgreSQL database must not both create the tables
    (SQLite's BEGIN IMMEDIATE already serializes them)."""
    if not db.is_sqlite:
        c.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK})


def ensure(db: Database) -> None:
    """Create an empty database at the newest version; refuse an older one with what to do."""
    with db.write_engine.begin() as c:
        _one_at_a_time(db, c)
        found = revision_of(c)
        if found == HEAD:
            return
        if found is None:  # new: the models' schema at once, recorded as the newest version (the migration
            Base.metadata.create_all(c)  # test proves both ways give the same schema); no Alembic to import
            c.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, "
                           "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))"))
            c.execute(text("INSERT INTO alembic_version (version_num) VALUES (:v)"), {"v": HEAD})
            return
    raise SchemaOutdated(f"the database schema is at version {found}, this Postdesk needs {HEAD}: "
                         f"back the database up, then run `postdesk db upgrade`")


def upgrade(db: Database) -> tuple[str | None, str]:
    """Bring the database to the newest version; returns (from, to)."""
    with db.write_engine.begin() as c:
        _one_at_a_time(db, c)
        found = revision_of(c)
        if found != HEAD:
            _upgrade(c, found)
        return found, HEAD


def _upgrade(c: Connection, found: str | None) -> None:
    from alembic import command

    cfg = _alembic(c)
    if found is not None and "alembic_version" not in inspect(c).get_table_names():
        command.stamp(cfg, found)  # the first release's tables: known to be 0001
    command.upgrade(cfg, "head")
