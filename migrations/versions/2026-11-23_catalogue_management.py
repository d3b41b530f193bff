"""Add what managing the catalogue needs (archiving, import runs).

Revision ID: c47a1091b2d3
Revises: 5940ac48226c
Create Date: 2026-11-23 07:00:00
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = 'c47a1091b2d3'
down_revision = '5940ac48226c'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
