"""An inbound row keeps the kind of its outcome (storage/outcomes.py) beside its line; rows done before
have none, and their line still shows."""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('inbound') as batch:
        batch.add_column(sa.Column('outcome_kind', sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('inbound') as batch:
        batch.drop_column('outcome_kind')
