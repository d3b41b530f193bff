"""Add carts, cart lines, delivery options and tax rates.

Revision ID: f1a0c0d1e2f3
Revises: e69c3213d4f5
Create Date: 2026-11-23 08:00:00
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = 'f1a0c0d1e2f3'
down_revision = 'e69c3213d4f5'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
