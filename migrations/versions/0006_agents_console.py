"""agents, the handoff's life (taken, closed, outcome) and the agents' audit log

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 08:00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0006'
down_revision: Union[str, Sequence[str], None] = '0005'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('agents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('display_name', sa.String(length=100), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('session_version', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agents')),
    sa.UniqueConstraint('username', name=op.f('uq_agents_username'))
    )
    op.create_table('agent_audit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agent_id', sa.Integer(), nullable=True),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.Column('handoff_id', sa.Integer(), nullable=True),
    sa.Column('conversation_id', sa.String(length=128), nullable=True),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['agent_id'], ['agents.id'], name=op.f('fk_agent_audit_agent_id_agents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agent_audit'))
    )
    with op.batch_alter_table('agent_audit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agent_audit_agent_id'), ['agent_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_agent_audit_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_agent_audit_handoff_id'), ['handoff_id'], unique=False)

    with op.batch_alter_table('handoffs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('question', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('verified_code', sa.String(length=13), nullable=True))
        batch_op.add_column(sa.Column('agent_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('taken_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('closed_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('outcome', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('outcome_note', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('unanswered_at', sa.DateTime(), nullable=True))
        batch_op.create_index(batch_op.f('ix_handoffs_agent_id'), ['agent_id'], unique=False)
        batch_op.create_index('ix_handoffs_status_created', ['status', 'created_at'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_handoffs_agent_id_agents'), 'agents', ['agent_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('handoffs', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_handoffs_agent_id_agents'), type_='foreignkey')
        batch_op.drop_index('ix_handoffs_status_created')
        batch_op.drop_index(batch_op.f('ix_handoffs_agent_id'))
        for column in ('unanswered_at', 'outcome_note', 'outcome', 'closed_at', 'taken_at', 'agent_id',
                       'verified_code', 'question'):
            batch_op.drop_column(column)
    with op.batch_alter_table('agent_audit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agent_audit_handoff_id'))
        batch_op.drop_index(batch_op.f('ix_agent_audit_at'))
        batch_op.drop_index(batch_op.f('ix_agent_audit_agent_id'))
    op.drop_table('agent_audit')
    op.drop_table('agents')
