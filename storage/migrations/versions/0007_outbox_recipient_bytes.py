"""PostgreSQL: an index for the hourly limits' byte range over an address's `+` forms (`petr+…@x`), which the
database's collation cannot serve: without it every outgoing mail counted by scanning the whole outbox. SQLite
compares bytes already and keeps using ix_outbox_recipient_kind."""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.create_index("ix_outbox_recipient_bytes", "outbox", [sa.text('(recipient COLLATE "C")'), "kind",
                                                                "created_at"])


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_outbox_recipient_bytes", table_name="outbox")
