"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-22

The first schema: every entity of README.md#data-model, the workspace and the append-only audit log.
"""

import sqlalchemy as sa
from alembic import op


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('who', sa.Text(), nullable=False),
    sa.Column('workspace', sa.String(length=100), nullable=False),
    sa.Column('analysis', sa.String(length=100), nullable=False),
    sa.Column('entity', sa.String(length=40), nullable=False),
    sa.Column('entity_key', sa.Text(), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_analysis'), ['analysis'], unique=False)

    op.create_table('workspace',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workspace')),
    sa.UniqueConstraint('key', name=op.f('uq_workspace_key'))
    )
    op.create_table('analysis',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workspace_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('location', sa.Text(), nullable=False),
    sa.Column('context', sa.Text(), nullable=False),
    sa.Column('conflict', sa.Text(), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('revision', sa.Integer(), server_default='1', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['workspace_id'], ['workspace.id'], name=op.f('fk_analysis_workspace_id_workspace'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_analysis')),
    sa.UniqueConstraint('workspace_id', 'key', name=op.f('uq_analysis_workspace_id'))
    )
    op.create_table('actor',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('analysis_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('type', sa.String(length=40), nullable=False),
    sa.Column('stance', sa.String(length=40), nullable=False),
    sa.Column('influence', sa.Integer(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('sensitive', sa.Boolean(), nullable=False),
    sa.Column('tags', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['analysis_id'], ['analysis.id'], name=op.f('fk_actor_analysis_id_analysis'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_actor')),
    sa.UniqueConstraint('analysis_id', 'key', name=op.f('uq_actor_analysis_id'))
    )
    with op.batch_alter_table('actor', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_actor_analysis_id'), ['analysis_id'], unique=False)

    op.create_table('detail',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('analysis_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('question', sa.String(length=40), nullable=False),
    sa.Column('activity', sa.Text(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['analysis_id'], ['analysis.id'], name=op.f('fk_detail_analysis_id_analysis'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_detail')),
    sa.UniqueConstraint('analysis_id', 'key', name=op.f('uq_detail_analysis_id'))
    )
    with op.batch_alter_table('detail', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_detail_analysis_id'), ['analysis_id'], unique=False)

    op.create_table('factor',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('analysis_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('category', sa.String(length=40), nullable=False),
    sa.Column('priority', sa.Integer(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('tags', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['analysis_id'], ['analysis.id'], name=op.f('fk_factor_analysis_id_analysis'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_factor')),
    sa.UniqueConstraint('analysis_id', 'key', name=op.f('uq_factor_analysis_id'))
    )
    with op.batch_alter_table('factor', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_factor_analysis_id'), ['analysis_id'], unique=False)

    op.create_table('review',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('analysis_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('date', sa.Date(), nullable=True),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('events', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['analysis_id'], ['analysis.id'], name=op.f('fk_review_analysis_id_analysis'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review')),
    sa.UniqueConstraint('analysis_id', 'key', name=op.f('uq_review_analysis_id'))
    )
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_analysis_id'), ['analysis_id'], unique=False)

    op.create_table('actor_reading',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('analysis_id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=False),
    sa.Column('influence', sa.Integer(), nullable=False),
    sa.Column('stance', sa.String(length=40), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['actor.id'], name=op.f('fk_actor_reading_actor_id_actor'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['analysis_id'], ['analysis.id'], name=op.f('fk_actor_reading_analysis_id_analysis'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['review_id'], ['review.id'], name=op.f('fk_actor_reading_review_id_review'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_actor_reading')),
    sa.UniqueConstraint('review_id', 'actor_id', name=op.f('uq_actor_reading_review_id'))
    )
    with op.batch_alter_table('actor_reading', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_actor_reading_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_actor_reading_analysis_id'), ['analysis_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_actor_reading_review_id'), ['review_id'], unique=False)

    op.create_table('factor_actor',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('analysis_id', sa.Integer(), nullable=False),
    sa.Column('factor_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=40), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['actor.id'], name=op.f('fk_factor_actor_actor_id_actor'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['analysis_id'], ['analysis.id'], name=op.f('fk_factor_actor_analysis_id_analysis'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['factor_id'], ['factor.id'], name=op.f('fk_factor_actor_factor_id_factor'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_factor_actor')),
    sa.UniqueConstraint('factor_id', 'actor_id', 'role', name=op.f('uq_factor_actor_factor_id'))
    )
    with op.batch_alter_table('factor_actor', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_factor_actor_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_factor_actor_analysis_id'), ['analysis_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_factor_actor_factor_id'), ['factor_id'], unique=False)

    op.create_table('factor_reading',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('analysis_id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('factor_id', sa.Integer(), nullable=False),
    sa.Column('strength', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['analysis_id'], ['analysis.id'], name=op.f('fk_factor_reading_analysis_id_analysis'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['factor_id'], ['factor.id'], name=op.f('fk_factor_reading_factor_id_factor'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['review_id'], ['review.id'], name=op.f('fk_factor_reading_review_id_review'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_factor_reading')),
    sa.UniqueConstraint('review_id', 'factor_id', name=op.f('uq_factor_reading_review_id'))
    )
    with op.batch_alter_table('factor_reading', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_factor_reading_analysis_id'), ['analysis_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_factor_reading_factor_id'), ['factor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_factor_reading_review_id'), ['review_id'], unique=False)

    op.create_table('impact',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('analysis_id', sa.Integer(), nullable=False),
    sa.Column('detail_id', sa.Integer(), nullable=False),
    sa.Column('factor_id', sa.Integer(), nullable=False),
    sa.Column('effect', sa.String(length=40), nullable=False),
    sa.Column('magnitude', sa.Integer(), nullable=False),
    sa.Column('mechanism', sa.String(length=40), nullable=False),
    sa.Column('pattern', sa.String(length=40), nullable=False),
    sa.Column('confidence', sa.String(length=40), nullable=False),
    sa.Column('evidence', sa.Text(), nullable=False),
    sa.Column('observed_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['analysis_id'], ['analysis.id'], name=op.f('fk_impact_analysis_id_analysis'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['detail_id'], ['detail.id'], name=op.f('fk_impact_detail_id_detail'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['factor_id'], ['factor.id'], name=op.f('fk_impact_factor_id_factor'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_impact'))
    )
    with op.batch_alter_table('impact', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_impact_analysis_id'), ['analysis_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_impact_detail_id'), ['detail_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_impact_factor_id'), ['factor_id'], unique=False)

    op.create_table('monitoring',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('analysis_id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('criterion', sa.String(length=40), nullable=False),
    sa.Column('rating', sa.String(length=40), nullable=False),
    sa.Column('evidence', sa.Text(), nullable=False),
    sa.Column('recommendation', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['analysis_id'], ['analysis.id'], name=op.f('fk_monitoring_analysis_id_analysis'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['review_id'], ['review.id'], name=op.f('fk_monitoring_review_id_review'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_monitoring')),
    sa.UniqueConstraint('review_id', 'criterion', name=op.f('uq_monitoring_review_id'))
    )
    with op.batch_alter_table('monitoring', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_monitoring_analysis_id'), ['analysis_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_monitoring_review_id'), ['review_id'], unique=False)

    op.create_table('option',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('analysis_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('detail_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('feasibility', sa.Integer(), nullable=False),
    sa.Column('cost', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=40), nullable=False),
    sa.Column('side_effects', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['analysis_id'], ['analysis.id'], name=op.f('fk_option_analysis_id_analysis'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['detail_id'], ['detail.id'], name=op.f('fk_option_detail_id_detail'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_option')),
    sa.UniqueConstraint('analysis_id', 'key', name=op.f('uq_option_analysis_id'))
    )
    with op.batch_alter_table('option', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_option_analysis_id'), ['analysis_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_option_detail_id'), ['detail_id'], unique=False)

    op.create_table('relationship',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('analysis_id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('type', sa.String(length=40), nullable=False),
    sa.Column('strength', sa.Integer(), nullable=False),
    sa.Column('directed', sa.Boolean(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['analysis_id'], ['analysis.id'], name=op.f('fk_relationship_analysis_id_analysis'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['source_id'], ['actor.id'], name=op.f('fk_relationship_source_id_actor'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['target_id'], ['actor.id'], name=op.f('fk_relationship_target_id_actor'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_relationship'))
    )
    with op.batch_alter_table('relationship', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_relationship_analysis_id'), ['analysis_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_relationship_source_id'), ['source_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_relationship_target_id'), ['target_id'], unique=False)

    op.create_table('option_impact',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('analysis_id', sa.Integer(), nullable=False),
    sa.Column('option_id', sa.Integer(), nullable=False),
    sa.Column('factor_id', sa.Integer(), nullable=False),
    sa.Column('effect', sa.String(length=40), nullable=False),
    sa.Column('magnitude', sa.Integer(), nullable=False),
    sa.Column('mechanism', sa.String(length=40), nullable=False),
    sa.Column('pattern', sa.String(length=40), nullable=False),
    sa.Column('confidence', sa.String(length=40), nullable=False),
    sa.Column('evidence', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['analysis_id'], ['analysis.id'], name=op.f('fk_option_impact_analysis_id_analysis'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['factor_id'], ['factor.id'], name=op.f('fk_option_impact_factor_id_factor'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['option_id'], ['option.id'], name=op.f('fk_option_impact_option_id_option'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_option_impact'))
    )
    with op.batch_alter_table('option_impact', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_option_impact_analysis_id'), ['analysis_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_option_impact_factor_id'), ['factor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_option_impact_option_id'), ['option_id'], unique=False)




def downgrade() -> None:

    with op.batch_alter_table('option_impact', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_option_impact_option_id'))
        batch_op.drop_index(batch_op.f('ix_option_impact_factor_id'))
        batch_op.drop_index(batch_op.f('ix_option_impact_analysis_id'))

    op.drop_table('option_impact')
    with op.batch_alter_table('relationship', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_relationship_target_id'))
        batch_op.drop_index(batch_op.f('ix_relationship_source_id'))
        batch_op.drop_index(batch_op.f('ix_relationship_analysis_id'))

    op.drop_table('relationship')
    with op.batch_alter_table('option', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_option_detail_id'))
        batch_op.drop_index(batch_op.f('ix_option_analysis_id'))

    op.drop_table('option')
    with op.batch_alter_table('monitoring', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_monitoring_review_id'))
        batch_op.drop_index(batch_op.f('ix_monitoring_analysis_id'))

    op.drop_table('monitoring')
    with op.batch_alter_table('impact', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_impact_factor_id'))
        batch_op.drop_index(batch_op.f('ix_impact_detail_id'))
        batch_op.drop_index(batch_op.f('ix_impact_analysis_id'))

    op.drop_table('impact')
    with op.batch_alter_table('factor_reading', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_factor_reading_review_id'))
        batch_op.drop_index(batch_op.f('ix_factor_reading_factor_id'))
        batch_op.drop_index(batch_op.f('ix_factor_reading_analysis_id'))

    op.drop_table('factor_reading')
    with op.batch_alter_table('factor_actor', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_factor_actor_factor_id'))
        batch_op.drop_index(batch_op.f('ix_factor_actor_analysis_id'))
        batch_op.drop_index(batch_op.f('ix_factor_actor_actor_id'))

    op.drop_table('factor_actor')
    with op.batch_alter_table('actor_reading', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_actor_reading_review_id'))
        batch_op.drop_index(batch_op.f('ix_actor_reading_analysis_id'))
        batch_op.drop_index(batch_op.f('ix_actor_reading_actor_id'))

    op.drop_table('actor_reading')
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_analysis_id'))

    op.drop_table('review')
    with op.batch_alter_table('factor', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_factor_analysis_id'))

    op.drop_table('factor')
    with op.batch_alter_table('detail', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_detail_analysis_id'))

    op.drop_table('detail')
    with op.batch_alter_table('actor', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_actor_analysis_id'))

    op.drop_table('actor')
    op.drop_table('analysis')
    op.drop_table('workspace')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_analysis'))

    op.drop_table('audit_log')

