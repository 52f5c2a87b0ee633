"""The self-service portal: one-time sign-in links, server-side sessions, per-digest opt-outs."""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('portal_logins',
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('address', sa.String(length=320), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('token_hash')
    )
    op.create_table('portal_sessions',
    sa.Column('id_hash', sa.String(length=64), nullable=False),
    sa.Column('address', sa.String(length=320), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('ended_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id_hash')
    )
    op.create_index('ix_portal_sessions_address', 'portal_sessions', ['address'], unique=False)
    op.create_table('digest_optouts',
    sa.Column('address', sa.String(length=320), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('address', 'digest')
    )


def downgrade() -> None:
    op.drop_table('digest_optouts')
    op.drop_index('ix_portal_sessions_address', 'portal_sessions')
    op.drop_table('portal_sessions')
    op.drop_table('portal_logins')
