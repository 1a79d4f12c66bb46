"""history: what the audit log needs to rebuild any past state and to undo one change

Revision ID: 0004
Revises: 0002
Create Date: 2026-12-03

Five nullable columns on ``audit_log`` (entries written before this migration keep them empty and
can be read but neither undone nor restored past):

* ``analysis_id``: the analysis' row id, so its history follows it through a rename of its key;
* ``row_id``: the changed row's id, its identity across renames of its key;
* ``version``: the row's version after the change (empty for a deletion), so an undo can tell
  whether a later change moved the row on;
* ``txn``: one value per transaction, grouping a deletion with the rows it took with it;
* ``undo_of``: the entry this one undid.
"""

import sqlalchemy as sa
from alembic import op


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.add_column(sa.Column('analysis_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('row_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('txn', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('undo_of', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_audit_log_analysis_id'), ['analysis_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_analysis_id'))
        batch_op.drop_column('undo_of')
        batch_op.drop_column('txn')
        batch_op.drop_column('version')
        batch_op.drop_column('row_id')
        batch_op.drop_column('analysis_id')
