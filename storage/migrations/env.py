"""Alembic's entry: migrations run on the connection storage.schema hands over (no alembic.ini needed)."""

from __future__ import annotations

from alembic import context

from postdesk.storage.models import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True,
                  compare_type=True)
with context.begin_transaction():
    context.run_migrations()
