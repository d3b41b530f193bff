"""Record a membership's card being replaced in its history.

Revision ID: 8e3f1a6c2d57
Revises: 5c8d2e7f1a93
Create Date: 2026-12-13 06:00:00.000000
"""
from alembic import op

revision = '8e3f1a6c2d57'
down_revision = '5c8d2e7f1a93'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A value added to an enum is usable once committed; nothing below uses it.
    op.execute("ALTER TYPE membership_event_kind ADD VALUE IF NOT EXISTS 'PAYMENT_METHOD_UPDATED'")


def downgrade() -> None:
    # PostgreSQL cannot drop an enum value: the history lines using it go, and the value stays unused.
    op.execute("DELETE FROM membership_events WHERE kind = 'PAYMENT_METHOD_UPDATED'")
