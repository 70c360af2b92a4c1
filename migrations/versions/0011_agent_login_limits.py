"""the console's login limits: counters per user name, per source and per pair (evn.domain.login_limits)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 09:00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0011'
down_revision: Union[str, Sequence[str], None] = '0010'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('agent_login_limits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('source', sa.String(length=64), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('last_failure_at', sa.DateTime(), nullable=True),
    sa.Column('paced_until', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agent_login_limits')),
    sa.UniqueConstraint('kind', 'username', 'source', name=op.f('uq_agent_login_limits_kind_username_source'))
    )
    with op.batch_alter_table('agent_login_limits', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agent_login_limits_updated_at'), ['updated_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('agent_login_limits', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agent_login_limits_updated_at'))
    op.drop_table('agent_login_limits')
