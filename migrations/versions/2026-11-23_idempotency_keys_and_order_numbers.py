"""Add idempotency keys and the order number sequence.

Revision ID: f3c2e2f3a4b5
Revises: f2b1d1e2f3a4
Create Date: 2026-11-23 08:00:00
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = 'f3c2e2f3a4b5'
down_revision = 'f2b1d1e2f3a4'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
