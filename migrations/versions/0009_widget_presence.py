"""widget presence: which widget conversations have a socket open now, so a notice waits for the next opening

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 13:00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0009'
down_revision: Union[str, Sequence[str], None] = '0008'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('widget_presence',
    sa.Column('conversation_id', sa.String(length=128), nullable=False),
    sa.Column('sockets', sa.Integer(), nullable=False),
    sa.Column('seen_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('conversation_id', name=op.f('pk_widget_presence'))
    )
    with op.batch_alter_table('notices', schema=None) as batch_op:
        batch_op.create_index('ix_notices_conversation_status', ['conversation_id', 'status'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('notices', schema=None) as batch_op:
        batch_op.drop_index('ix_notices_conversation_status')
    op.drop_table('widget_presence')
