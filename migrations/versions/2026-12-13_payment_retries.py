"""Record a membership's card being replaced, and retry a Subscribe & Save delivery whose payment was declined.

Revision ID: 8e3f1a6c2d57
Revises: 5c8d2e7f1a93
Create Date: 2026-12-13 06:00:00.000000
"""
from alembic import op
import sqlalchemy as sa

revision = '8e3f1a6c2d57'
down_revision = '5c8d2e7f1a93'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A value added to an enum is usable once committed; nothing below uses it.
    op.execute("ALTER TYPE membership_event_kind ADD VALUE IF NOT EXISTS 'PAYMENT_METHOD_UPDATED'")
    op.add_column('subscriptions', sa.Column('payment_failures', sa.SmallInteger(), server_default=sa.text('0'),
                                             nullable=False))
    op.add_column('subscriptions', sa.Column('payment_retry_at', sa.DateTime(timezone=True), nullable=True))
    op.create_check_constraint(op.f('ck_subscriptions_retry_after_failure'), 'subscriptions',
                               '(payment_failures = 0) = (payment_retry_at IS NULL)')


def downgrade() -> None:
    op.drop_constraint(op.f('ck_subscriptions_retry_after_failure'), 'subscriptions', type_='check')
    op.drop_column('subscriptions', 'payment_retry_at')
    op.drop_column('subscriptions', 'payment_failures')
    # PostgreSQL cannot drop an enum value: the history lines using it go, and the value stays unused.
    op.execute("DELETE FROM membership_events WHERE kind = 'PAYMENT_METHOD_UPDATED'")
