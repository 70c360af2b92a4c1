"""incidents: unplanned outages with their reports, cause, estimate and restoration

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 21:00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0017'
down_revision: Union[str, Sequence[str], None] = '0016'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('incidents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('place_key', sa.String(length=200), nullable=False),
    sa.Column('province', sa.String(length=60), nullable=True),
    sa.Column('district', sa.String(length=60), nullable=True),
    sa.Column('ward', sa.String(length=60), nullable=True),
    sa.Column('label', sa.String(length=120), nullable=False),
    sa.Column('power_company', sa.String(length=16), nullable=True),
    sa.Column('cause', sa.String(length=16), nullable=True),
    sa.Column('estimated_at', sa.DateTime(), nullable=True),
    sa.Column('opened_at', sa.DateTime(), nullable=False),
    sa.Column('restored_at', sa.DateTime(), nullable=True),
    sa.Column('follows_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['follows_id'], ['incidents.id'], name=op.f('fk_incidents_follows_id_incidents')),
    sa.ForeignKeyConstraint(['request_id'], ['service_requests.id'],
                            name=op.f('fk_incidents_request_id_service_requests')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incidents')),
    sa.UniqueConstraint('request_id', name=op.f('uq_incidents_request_id'))
    )
    with op.batch_alter_table('incidents', schema=None) as batch_op:
        batch_op.create_index('ix_incidents_place', ['place_key', 'opened_at'], unique=False)
        batch_op.create_index('ix_incidents_area', ['district', 'ward', 'opened_at'], unique=False)
    op.create_table('incident_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=False),
    sa.Column('conversation_id', sa.String(length=128), nullable=False),
    sa.Column('channel', sa.String(length=32), nullable=False),
    sa.Column('customer_code', sa.String(length=13), nullable=True),
    sa.Column('contact_phone', sa.String(length=11), nullable=True),
    sa.Column('reported_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['incident_id'], ['incidents.id'], name=op.f('fk_incident_reports_incident_id_incidents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incident_reports')),
    sa.UniqueConstraint('incident_id', 'conversation_id', name='uq_incident_reports_conversation')
    )
    op.create_table('incident_updates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('incident_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('cause', sa.String(length=16), nullable=True),
    sa.Column('estimated_at', sa.DateTime(), nullable=True),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('by', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['incident_id'], ['incidents.id'], name=op.f('fk_incident_updates_incident_id_incidents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incident_updates'))
    )
    with op.batch_alter_table('incident_updates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_incident_updates_incident_id'), ['incident_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('incident_updates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_incident_updates_incident_id'))
    op.drop_table('incident_updates')
    op.drop_table('incident_reports')
    with op.batch_alter_table('incidents', schema=None) as batch_op:
        batch_op.drop_index('ix_incidents_area')
        batch_op.drop_index('ix_incidents_place')
    op.drop_table('incidents')
