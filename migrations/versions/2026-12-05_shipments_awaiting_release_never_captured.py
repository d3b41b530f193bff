"""Refuse a capture on a shipment still awaiting its release: a pre-order is charged at its release, never before.

Revision ID: 2b8f6e0d4a17
Revises: 7d1e4b2a9c60
Create Date: 2026-12-05 09:30:00.000000
"""
from alembic import op

revision = '2b8f6e0d4a17'
down_revision = '7d1e4b2a9c60'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_check_constraint(op.f('ck_shipments_awaiting_release_not_captured'), 'shipments',
                               "(status = 'AWAITING_RELEASE') <= (captured_minor = 0)")


def downgrade() -> None:
    op.drop_constraint(op.f('ck_shipments_awaiting_release_not_captured'), 'shipments', type_='check')
