"""Add what the job worker needs beyond the job table.

Revision ID: e69c3213d4f5
Revises: d58b2102c3e4
Create Date: 2026-11-23 07:10:00
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = 'e69c3213d4f5'
down_revision = 'd58b2102c3e4'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
