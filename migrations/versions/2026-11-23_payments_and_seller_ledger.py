"""Add payments, commission rates and the seller ledger.

Revision ID: f2b1d1e2f3a4
Revises: f1a0c0d1e2f3
Create Date: 2026-11-23 08:00:00
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = 'f2b1d1e2f3a4'
down_revision = 'f1a0c0d1e2f3'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
