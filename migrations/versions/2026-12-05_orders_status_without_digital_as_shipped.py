"""Re-derive the status of orders that read PARTIALLY_SHIPPED only because a digital item was delivered.

Revision ID: 7d1e4b2a9c60
Revises: 3c5e7a9b1d2f
Create Date: 2026-12-05 09:00:00.000000
"""
from alembic import op

revision = '7d1e4b2a9c60'
down_revision = '7d4b2e9c6a1f'
branch_labels = None
depends_on = None

# A delivered digital shipment is not a parcel that left: an order whose only shipments that
# left are delivered digital ones has nothing shipped yet.
UPGRADE = """
UPDATE orders o SET status = 'PLACED' WHERE o.status = 'PARTIALLY_SHIPPED' AND NOT EXISTS (
  SELECT 1 FROM shipments s WHERE s.order_id = o.id AND s.status IN ('SHIPPED', 'DELIVERED')
    AND NOT (s.kind = 'DIGITAL' AND s.status = 'DELIVERED'))
"""
# The rule before: any delivered shipment, digital ones included, made a placed order PARTIALLY_SHIPPED.
DOWNGRADE = """
UPDATE orders o SET status = 'PARTIALLY_SHIPPED' WHERE o.status = 'PLACED' AND EXISTS (
  SELECT 1 FROM shipments s WHERE s.order_id = o.id AND s.kind = 'DIGITAL' AND s.status = 'DELIVERED')
"""


def upgrade() -> None:
    op.execute(UPGRADE)


def downgrade() -> None:
    op.execute(DOWNGRADE)
