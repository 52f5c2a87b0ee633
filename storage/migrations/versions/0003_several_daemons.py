"""Several daemons on one database: heartbeat rows, mailbox leases, job slots; raw mail may be purged."""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('daemons',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('host', sa.String(length=255), nullable=False),
    sa.Column('pid', sa.Integer(), nullable=False),
    sa.Column('version', sa.String(length=32), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('heartbeat_at', sa.DateTime(), nullable=False),
    sa.Column('stopped_at', sa.DateTime(), nullable=True),
    sa.Column('info', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('job_runs',
    sa.Column('job', sa.String(length=64), nullable=False),
    sa.Column('slot', sa.String(length=40), nullable=False),
    sa.Column('daemon', sa.String(length=64), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('job', 'slot')
    )
    with op.batch_alter_table('mailbox_state') as batch:
        batch.add_column(sa.Column('holder', sa.String(length=64), nullable=True))
        batch.add_column(sa.Column('lease_until', sa.DateTime(), nullable=True))
    with op.batch_alter_table('inbound') as batch:
        batch.alter_column('raw', existing_type=sa.LargeBinary(), nullable=True)
    with op.batch_alter_table('outbox') as batch:
        batch.alter_column('raw', existing_type=sa.LargeBinary(), nullable=True)
        batch.add_column(sa.Column('claimed_by', sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('outbox') as batch:
        batch.drop_column('claimed_by')
        batch.alter_column('raw', existing_type=sa.LargeBinary(), nullable=False)
    with op.batch_alter_table('inbound') as batch:
        batch.alter_column('raw', existing_type=sa.LargeBinary(), nullable=False)
    with op.batch_alter_table('mailbox_state') as batch:
        batch.drop_column('lease_until')
        batch.drop_column('holder')
    op.drop_table('job_runs')
    op.drop_table('daemons')
