"""satisfaction ratings: the one question after a filed request, a closed handoff or a confirmed payment

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-08 00:30:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0018'
down_revision: Union[str, Sequence[str], None] = '0017'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('satisfaction_ratings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conversation_id', sa.String(length=128), nullable=False),
    sa.Column('channel', sa.String(length=32), nullable=False),
    sa.Column('topic', sa.String(length=16), nullable=False),
    sa.Column('subject', sa.String(length=40), nullable=False),
    sa.Column('agent_id', sa.Integer(), nullable=True),
    sa.Column('asked_at', sa.DateTime(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=True),
    sa.Column('answered_at', sa.DateTime(), nullable=True),
    sa.Column('comment', sa.String(length=500), nullable=True),
    sa.Column('callback_ticket', sa.String(length=20), nullable=True),
    sa.ForeignKeyConstraint(['agent_id'], ['agents.id'], name=op.f('fk_satisfaction_ratings_agent_id_agents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_satisfaction_ratings'))
    )
    with op.batch_alter_table('satisfaction_ratings', schema=None) as batch_op:
        batch_op.create_index('ix_satisfaction_conversation', ['conversation_id', 'asked_at'], unique=False)
        batch_op.create_index('ix_satisfaction_asked', ['asked_at'], unique=False)
        batch_op.create_index('ix_satisfaction_agent', ['agent_id', 'answered_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('satisfaction_ratings', schema=None) as batch_op:
        batch_op.drop_index('ix_satisfaction_agent')
        batch_op.drop_index('ix_satisfaction_asked')
        batch_op.drop_index('ix_satisfaction_conversation')
    op.drop_table('satisfaction_ratings')
