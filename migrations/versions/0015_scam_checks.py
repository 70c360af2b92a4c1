"""scam checks: what customers forwarded to be checked, and the verdicts

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 18:00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0015'
down_revision: Union[str, Sequence[str], None] = '0014'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('scam_checks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('checked_at', sa.DateTime(), nullable=False),
    sa.Column('conversation_id', sa.String(length=128), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('verdict', sa.String(length=16), nullable=False),
    sa.Column('pattern', sa.String(length=40), nullable=False),
    sa.Column('shown', sa.String(length=120), nullable=False),
    sa.Column('picture_id', sa.String(length=40), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scam_checks'))
    )
    with op.batch_alter_table('scam_checks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_scam_checks_checked_at'), ['checked_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('scam_checks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_scam_checks_checked_at'))
    op.drop_table('scam_checks')
