"""Mark products included in the membership, and allow one borrowed licence per title at a time.

Revision ID: c7d2a95e1b64
Revises: 9b4e1f6a2c38
Create Date: 2026-12-10 06:00:00.000000
"""
from alembic import op
import sqlalchemy as sa

revision = 'c7d2a95e1b64'
down_revision = '9b4e1f6a2c38'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('products', sa.Column('membership_included', sa.Boolean(), server_default=sa.text('false'),
                                        nullable=False))
    op.create_index('ix_products_membership_included', 'products', ['id'], unique=False,
                    postgresql_where=sa.text('membership_included'))
    op.create_index('uq_licences_membership_active', 'licences', ['account_id', 'product_id'], unique=True,
                    postgresql_where=sa.text("kind = 'MEMBERSHIP' AND status = 'ACTIVE'"))


def downgrade() -> None:
    op.drop_index('uq_licences_membership_active', table_name='licences',
                  postgresql_where=sa.text("kind = 'MEMBERSHIP' AND status = 'ACTIVE'"))
    op.drop_index('ix_products_membership_included', table_name='products',
                  postgresql_where=sa.text('membership_included'))
    op.drop_column('products', 'membership_included')
