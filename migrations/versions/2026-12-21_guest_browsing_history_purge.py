"""Index guest browsing histories by their last use, for the nightly purge.

Revision ID: 2b9e6d4a7c15
Revises: 4f7c2a9e1b63
Create Date: 2026-12-21 06:00:00.000000
"""
from alembic import op
import sqlalchemy as sa

revision = '2b9e6d4a7c15'
down_revision = '4f7c2a9e1b63'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_browsing_histories_guest_updated_at', 'browsing_histories', ['updated_at'], unique=False,
                    postgresql_where=sa.text('token_hash IS NOT NULL'))


def downgrade() -> None:
    op.drop_index('ix_browsing_histories_guest_updated_at', table_name='browsing_histories',
                  postgresql_where=sa.text('token_hash IS NOT NULL'))
