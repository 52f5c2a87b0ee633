"""A job slot records when it was done (a digest whose daemon died mid-run is finished by another); inbound
rows are found by Message-ID alone (a reply waits while the mail it answers is still pending)."""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('job_runs') as batch:
        batch.add_column(sa.Column('done_at', sa.DateTime(), nullable=True))
    op.execute("UPDATE job_runs SET done_at = at")  # slots from before this column ran to their end or are moot
    op.create_index('ix_inbound_message_id', 'inbound', ['message_id'])


def downgrade() -> None:
    op.drop_index('ix_inbound_message_id', 'inbound')
    with op.batch_alter_table('job_runs') as batch:
        batch.drop_column('done_at')
