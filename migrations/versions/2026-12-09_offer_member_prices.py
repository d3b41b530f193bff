"""Add a Prime member price to offers, lower than the offer's price when set.

Revision ID: 9b4e1f6a2c38
Revises: e3b9a41f6c25
Create Date: 2026-12-08 06:00:00.000000
"""
from alembic import op
import sqlalchemy as sa

revision = '9b4e1f6a2c38'
down_revision = 'e3b9a41f6c25'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('offers', sa.Column('member_price_minor', sa.BigInteger(), nullable=True))
    op.create_check_constraint(op.f('ck_offers_member_price_below_price'), 'offers',
                               'member_price_minor IS NULL OR (member_price_minor > 0 AND member_price_minor < price_minor)')


def downgrade() -> None:
    op.drop_constraint(op.f('ck_offers_member_price_below_price'), 'offers', type_='check')
    op.drop_column('offers', 'member_price_minor')
