"""Add Subscribe & Save: eligible products, subscriptions and their deliveries, and orders without a cart.

Revision ID: 5c8d2e7f1a93
Revises: 5d2c8e7a41f9
Create Date: 2026-12-10 06:00:00.000000
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '5c8d2e7f1a93'
down_revision = '5d2c8e7a41f9'
branch_labels = None
depends_on = None

STATUS = postgresql.ENUM('ACTIVE', 'PAUSED', 'CANCELLED', name='subscription_status', create_type=False)
OUTCOME = postgresql.ENUM('PLACED', 'SKIPPED', 'FAILED', name='subscription_delivery_outcome', create_type=False)


def upgrade() -> None:
    STATUS.create(op.get_bind())
    OUTCOME.create(op.get_bind())
    op.add_column('products', sa.Column('subscribe_eligible', sa.Boolean(), server_default=sa.text('false'),
                                        nullable=False))
    op.alter_column('orders', 'cart_id', existing_type=sa.BigInteger(), nullable=True)
    op.add_column('cart_lines', sa.Column('subscription_frequency_months', sa.SmallInteger(), nullable=True))
    op.create_check_constraint(op.f('ck_cart_lines_subscription_frequency_range'), 'cart_lines',
                               'subscription_frequency_months BETWEEN 1 AND 6')
    op.create_table(
        'subscriptions',
        sa.Column('id', sa.BigInteger(), nullable=False),
        sa.Column('account_id', sa.BigInteger(), nullable=False),
        sa.Column('offer_id', sa.BigInteger(), nullable=False),
        sa.Column('product_id', sa.BigInteger(), nullable=False),
        sa.Column('seller_id', sa.BigInteger(), nullable=False),
        sa.Column('quantity', sa.SmallInteger(), nullable=False),
        sa.Column('frequency_months', sa.SmallInteger(), nullable=False),
        sa.Column('anchor_day', sa.SmallInteger(), nullable=False),
        sa.Column('status', STATUS, nullable=False),
        sa.Column('next_delivery_date', sa.Date(), nullable=False),
        sa.Column('reminded_for', sa.Date(), nullable=True),
        sa.Column('reminded_price_minor', sa.BigInteger(), nullable=True),
        sa.Column('currency', sa.String(length=3), nullable=False),
        sa.Column('ship_full_name', sa.String(length=100), nullable=False),
        sa.Column('ship_line1', sa.String(length=200), nullable=False),
        sa.Column('ship_line2', sa.String(length=200), nullable=False),
        sa.Column('ship_city', sa.String(length=100), nullable=False),
        sa.Column('ship_region', sa.String(length=100), nullable=False),
        sa.Column('ship_postal_code', sa.String(length=20), nullable=False),
        sa.Column('ship_country_code', sa.String(length=2), nullable=False),
        sa.Column('ship_phone', sa.String(length=30), nullable=False),
        sa.Column('provider', sa.String(length=40), nullable=False),
        sa.Column('payment_method_id', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint('quantity BETWEEN 1 AND 10', name=op.f('ck_subscriptions_quantity_range')),
        sa.CheckConstraint('frequency_months BETWEEN 1 AND 6', name=op.f('ck_subscriptions_frequency_range')),
        sa.CheckConstraint('anchor_day BETWEEN 1 AND 31', name=op.f('ck_subscriptions_anchor_day_range')),
        sa.CheckConstraint('(reminded_for IS NULL) = (reminded_price_minor IS NULL)',
                           name=op.f('ck_subscriptions_reminder_has_price')),
        sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_subscriptions_account_id_accounts'),
                                ondelete='RESTRICT'),
        sa.ForeignKeyConstraint(['offer_id'], ['offers.id'], name=op.f('fk_subscriptions_offer_id_offers'),
                                ondelete='RESTRICT'),
        sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_subscriptions_product_id_products'),
                                ondelete='RESTRICT'),
        sa.ForeignKeyConstraint(['seller_id'], ['sellers.id'], name=op.f('fk_subscriptions_seller_id_sellers'),
                                ondelete='RESTRICT'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_subscriptions')),
    )
    op.create_index('ix_subscriptions_account_id_id', 'subscriptions', ['account_id', 'id'])
    op.create_index('ix_subscriptions_due', 'subscriptions', ['next_delivery_date', 'id'],
                    postgresql_where=sa.text("status = 'ACTIVE'"))
    op.create_table(
        'subscription_deliveries',
        sa.Column('id', sa.BigInteger(), nullable=False),
        sa.Column('subscription_id', sa.BigInteger(), nullable=False),
        sa.Column('due_date', sa.Date(), nullable=False),
        sa.Column('outcome', OUTCOME, nullable=False),
        sa.Column('order_id', sa.BigInteger(), nullable=True),
        sa.Column('unit_price_minor', sa.BigInteger(), nullable=True),
        sa.Column('reason', sa.Text(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("(outcome = 'PLACED') = (order_id IS NOT NULL)",
                           name=op.f('ck_subscription_deliveries_placed_has_order')),
        sa.CheckConstraint("outcome = 'PLACED' OR reason IS NOT NULL",
                           name=op.f('ck_subscription_deliveries_unplaced_has_reason')),
        sa.ForeignKeyConstraint(['subscription_id'], ['subscriptions.id'],
                                name=op.f('fk_subscription_deliveries_subscription_id_subscriptions'),
                                ondelete='RESTRICT'),
        sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_subscription_deliveries_order_id_orders'),
                                ondelete='RESTRICT'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_subscription_deliveries')),
        sa.UniqueConstraint('subscription_id', 'due_date', name='uq_subscription_deliveries_due'),
    )
    op.create_index('ix_subscription_deliveries_order_id', 'subscription_deliveries', ['order_id'])


def downgrade() -> None:
    op.drop_index('ix_subscription_deliveries_order_id', table_name='subscription_deliveries')
    op.drop_table('subscription_deliveries')
    op.drop_index('ix_subscriptions_due', table_name='subscriptions')
    op.drop_index('ix_subscriptions_account_id_id', table_name='subscriptions')
    op.drop_table('subscriptions')
    op.alter_column('orders', 'cart_id', existing_type=sa.BigInteger(), nullable=False)
    op.drop_constraint(op.f('ck_cart_lines_subscription_frequency_range'), 'cart_lines', type_='check')
    op.drop_column('cart_lines', 'subscription_frequency_months')
    op.drop_column('products', 'subscribe_eligible')
    OUTCOME.drop(op.get_bind())
    STATUS.drop(op.get_bind())
