"""account links: the customer codes a channel user asked the assistant to remember (consent records)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 09:00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0007'
down_revision: Union[str, Sequence[str], None] = '0006'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('account_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conversation_id', sa.String(length=128), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('channel_user', sa.String(length=64), nullable=False),
    sa.Column('customer_code', sa.String(length=13), nullable=False),
    sa.Column('linked_at', sa.DateTime(), nullable=False),
    sa.Column('unlinked_at', sa.DateTime(), nullable=True),
    sa.Column('active_key', sa.String(length=160), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_account_links')),
    sa.UniqueConstraint('active_key', name=op.f('uq_account_links_active_key'))
    )
    with op.batch_alter_table('account_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_account_links_conversation_id'), ['conversation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_account_links_customer_code'), ['customer_code'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('account_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_account_links_customer_code'))
        batch_op.drop_index(batch_op.f('ix_account_links_conversation_id'))
    op.drop_table('account_links')
