"""account links: last use (links unused for 180 days expire) and who ended one; revoked widget sessions

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 18:30:00

"""
from datetime import datetime, timezone
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0012'
down_revision: Union[str, Sequence[str], None] = '0011'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    # NULL last_used_at reads as linked_at (COALESCE). Links made before this migration count their 180 days
    # from it (their uses were never recorded): one used yesterday must not expire at the deploy.
    with op.batch_alter_table('account_links', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_used_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('ended_by', sa.String(length=16), nullable=True))
    op.execute("UPDATE account_links SET ended_by = 'user' WHERE unlinked_at IS NOT NULL")
    op.get_bind().execute(sa.text("UPDATE account_links SET last_used_at = :now WHERE unlinked_at IS NULL"),
                          {"now": datetime.now(timezone.utc).replace(tzinfo=None)})
    op.create_table('widget_session_revocations',
    sa.Column('conversation_id', sa.String(length=128), nullable=False),
    sa.Column('revoked_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('conversation_id', name=op.f('pk_widget_session_revocations'))
    )
    with op.batch_alter_table('widget_session_revocations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_widget_session_revocations_revoked_at'), ['revoked_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('widget_session_revocations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_widget_session_revocations_revoked_at'))
    op.drop_table('widget_session_revocations')
    with op.batch_alter_table('account_links', schema=None) as batch_op:
        batch_op.drop_column('ended_by')
        batch_op.drop_column('last_used_at')
