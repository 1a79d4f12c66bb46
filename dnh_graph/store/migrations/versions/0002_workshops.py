"""workshops: where a facilitator's room stands, its quick notes, and coach comments

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03

Three tables hanging on an analysis (deleted with it): ``workshop_session`` (the current step and
the timer, one per analysis), ``workshop_note`` (quick capture and the parking lot) and ``comment``
(a coach's comments on actors, factors, details, impacts and options, resolved when dealt with).
"""

import sqlalchemy as sa
from alembic import op


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def _bookkeeping():
    return [
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    ]


def _analysis_fk(table):
    return sa.ForeignKeyConstraint(['analysis_id'], ['analysis.id'], name=op.f(f'fk_{table}_analysis_id_analysis'),
                                   ondelete='CASCADE')


def upgrade() -> None:
    op.create_table('workshop_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('analysis_id', sa.Integer(), nullable=False),
    sa.Column('step', sa.Integer(), nullable=False),
    sa.Column('timer_end', sa.DateTime(timezone=True), nullable=True),
    sa.Column('timer_minutes', sa.Integer(), nullable=False),
    *_bookkeeping(),
    _analysis_fk('workshop_session'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workshop_session')),
    sa.UniqueConstraint('analysis_id', name=op.f('uq_workshop_session_analysis_id')),
    )
    op.create_table('workshop_note',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('analysis_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('step', sa.Integer(), nullable=False),
    sa.Column('parked', sa.Boolean(), nullable=False),
    sa.Column('sorted_to', sa.String(length=100), nullable=False),
    *_bookkeeping(),
    _analysis_fk('workshop_note'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workshop_note')),
    )
    with op.batch_alter_table('workshop_note', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_workshop_note_analysis_id'), ['analysis_id'], unique=False)
    op.create_table('comment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('analysis_id', sa.Integer(), nullable=False),
    sa.Column('sheet', sa.String(length=40), nullable=False),
    sa.Column('row_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('author', sa.Text(), nullable=False),
    sa.Column('resolved', sa.Boolean(), nullable=False),
    sa.Column('resolved_by', sa.Text(), nullable=False),
    *_bookkeeping(),
    _analysis_fk('comment'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_comment')),
    )
    with op.batch_alter_table('comment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_comment_analysis_id'), ['analysis_id'], unique=False)


def downgrade() -> None:
    op.drop_table('comment')
    op.drop_table('workshop_note')
    op.drop_table('workshop_session')
