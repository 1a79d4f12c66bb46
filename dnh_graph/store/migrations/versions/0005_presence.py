"""presence: who has an analysis open right now

Revision ID: 0005
Revises: 0002
Create Date: 2026-12-03

One row per browser session that has an analysis open (``presence``), rewritten by the session's
heartbeat and ignored once it is older than a few heartbeats (``dnh_graph.store.presence.TTL_S``); deleted with
its analysis.
"""

import sqlalchemy as sa
from alembic import op


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('presence',
    sa.Column('session', sa.String(length=64), nullable=False),
    sa.Column('analysis_id', sa.Integer(), nullable=False),
    sa.Column('person', sa.Text(), nullable=False),
    sa.Column('seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['analysis_id'], ['analysis.id'], name=op.f('fk_presence_analysis_id_analysis'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('session', name=op.f('pk_presence')),
    )
    with op.batch_alter_table('presence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_presence_analysis_id'), ['analysis_id'], unique=False)


def downgrade() -> None:
    op.drop_table('presence')
