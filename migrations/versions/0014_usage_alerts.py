"""usage alerts the customers set on their period's use

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 13:00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0014'
down_revision: Union[str, Sequence[str], None] = '0013'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('usage_alerts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('customer_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('level', sa.BigInteger(), nullable=False),
    sa.Column('conversation_id', sa.String(length=128), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('cancelled_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_usage_alerts_customer_id_customers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_usage_alerts'))
    )
    with op.batch_alter_table('usage_alerts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_usage_alerts_customer_id'), ['customer_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('usage_alerts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_usage_alerts_customer_id'))
    op.drop_table('usage_alerts')
