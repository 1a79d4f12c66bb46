"""accounts: people who log in, their roles per workspace and analysis, the cookie key, the login log

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03

Issue 13. ``account`` (a name, an argon2 password hash, the slow-down after wrong passwords),
``membership`` (a role in a workspace, or in one analysis), ``app_secret`` (the key that signs
login cookies, made once per database) and ``login_event`` (every login, failed ones too).
"""

import sqlalchemy as sa
from alembic import op


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def _bookkeeping():
    return [
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    ]


def upgrade() -> None:
    op.create_table('account',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('email', sa.Text(), nullable=False),
    sa.Column('password_hash', sa.Text(), nullable=False),
    sa.Column('admin', sa.Boolean(), nullable=False),
    sa.Column('epoch', sa.Integer(), nullable=False),
    sa.Column('failed_logins', sa.Integer(), nullable=False),
    sa.Column('next_try_at', sa.DateTime(timezone=True), nullable=True),
    *_bookkeeping(),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_account')),
    sa.UniqueConstraint('name', name=op.f('uq_account_name')),
    )
    op.create_table('membership',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('workspace', sa.String(length=100), nullable=False),
    sa.Column('analysis', sa.String(length=100), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('reveal', sa.Boolean(), nullable=False),
    *_bookkeeping(),
    sa.ForeignKeyConstraint(['account_id'], ['account.id'], name=op.f('fk_membership_account_id_account'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_membership')),
    sa.UniqueConstraint('account_id', 'workspace', 'analysis', name=op.f('uq_membership_account_id')),
    )
    with op.batch_alter_table('membership', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_membership_account_id'), ['account_id'], unique=False)
    op.create_table('app_secret',
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_app_secret')),
    )
    op.create_table('login_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('outcome', sa.String(length=20), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_event')),
    )


def downgrade() -> None:
    op.drop_table('login_event')
    op.drop_table('app_secret')
    op.drop_table('membership')
    op.drop_table('account')
