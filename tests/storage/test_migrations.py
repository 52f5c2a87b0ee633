"""Schema migrations: an empty database (SQLite, PostgreSQL) or a first-release one ends at the models' schema."""

from __future__ import annotations

import sqlite3
import warnings
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from postdesk.storage.db import Database
from postdesk.storage.models import Base
from postdesk.storage.schema import HEAD, SchemaOutdated, revision_of, upgrade

RELEASE1 = Path(__file__).resolve().parents[1] / "data" / "release1-schema.sql"


EXPRESSION_INDEXES = {"ix_outbox_recipient_bytes"}  # Alembic skips them in the models, sees them in a database


def differences(db: Database) -> list[object]:
    """What the migrated database lacks or has beyond the models (types compared too); an expression index is
    compared by `test_expression_indexes_exist_where_they_are_made` instead."""
    with db.engine.connect() as c, warnings.catch_warnings():
        warnings.filterwarnings("ignore", "autogenerate skipping metadata-specified expression-based index")
        found = compare_metadata(MigrationContext.configure(c, opts={"compare_type": True}), Base.metadata)
    return [d for d in found if not (isinstance(d, tuple) and (
        (d[0] == "remove_table" and d[1].name == "alembic_version")
        or (d[0] in ("add_index", "remove_index") and d[1].name in EXPRESSION_INDEXES)))]


def test_expression_indexes_exist_where_they_are_made(database_url: str) -> None:
    # PostgreSQL's byte-range index of the hourly limits (storage/outbox.py); SQLite compares bytes already
    migrated, created = Database(database_url), None
    upgrade(migrated)
    with migrated.engine.connect() as c:
        created = {i["name"] for i in inspect(c).get_indexes("outbox")}
    assert ("ix_outbox_recipient_bytes" in created) == database_url.startswith("postgresql")


def test_migrating_an_empty_database_gives_the_models_schema(database_url: str) -> None:
    db = Database(database_url)
    assert upgrade(db) == (None, HEAD)
    assert differences(db) == []


def test_an_empty_database_gets_the_newest_schema(database_url: str) -> None:
    db = Database(database_url)
    db.create_schema()
    db.create_schema()  # a second start changes nothing
    with db.engine.connect() as c:
        assert revision_of(c) == HEAD
    assert differences(db) == []


def test_a_first_release_database_is_refused_until_upgraded_and_keeps_its_data(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as con:
        con.executescript(RELEASE1.read_text())
        con.execute("INSERT INTO tickets (id, subject, status, queue, priority, requester_email, requester_name, "
                    "language, created_at, updated_at) VALUES (1, 'Старая заявка', 'open', 'it', 'normal', "
                    "'petr@corp.example', 'Пётр', 'ru', '2026-11-01 10:00:00', '2026-11-01 10:00:00')")
    db = Database(f"sqlite:///{path}")
    with pytest.raises(SchemaOutdated, match="postdesk db upgrade"):
        db.create_schema()
    assert upgrade(db) == ("0001", HEAD)
    assert upgrade(db) == (HEAD, HEAD)
    db.create_schema()
    assert differences(db) == []
    with sqlite3.connect(path) as con:
        assert con.execute("SELECT subject FROM tickets WHERE id = 1").fetchone() == ("Старая заявка",)
