"""daily readings of remotely read meters, and the meter data system's files loaded

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 12:00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0013'
down_revision: Union[str, Sequence[str], None] = '0012'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    # The primary key (meter_id, read_on) is the only index: every read is one meter's days in order
    # (docs/benchmarks.md, "Daily readings", for why no partitioning).
    op.create_table('daily_readings',
    sa.Column('meter_id', sa.Integer(), nullable=False),
    sa.Column('read_on', sa.Date(), nullable=False),
    sa.Column('register', sa.Integer(), nullable=True),
    sa.Column('quality', sa.String(length=1), nullable=False),
    sa.ForeignKeyConstraint(['meter_id'], ['meters.id'], name=op.f('fk_daily_readings_meter_id_meters')),
    sa.PrimaryKeyConstraint('meter_id', 'read_on', name=op.f('pk_daily_readings'))
    )
    op.create_table('meter_data_imports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('file_name', sa.String(length=200), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('imported_at', sa.DateTime(), nullable=False),
    sa.Column('rows', sa.Integer(), nullable=False),
    sa.Column('loaded', sa.Integer(), nullable=False),
    sa.Column('unchanged', sa.Integer(), nullable=False),
    sa.Column('replaced', sa.Integer(), nullable=False),
    sa.Column('rejected', sa.Integer(), nullable=False),
    sa.Column('first_day', sa.Date(), nullable=True),
    sa.Column('last_day', sa.Date(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meter_data_imports'))
    )
    with op.batch_alter_table('meter_data_imports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meter_data_imports_sha256'), ['sha256'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('meter_data_imports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meter_data_imports_sha256'))
    op.drop_table('meter_data_imports')
    op.drop_table('daily_readings')
