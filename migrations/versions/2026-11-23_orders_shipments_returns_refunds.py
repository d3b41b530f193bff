"""Add orders, their shipments, lines, events, return requests and refunds, and product review flags.

Revision ID: 7f023748dc69
Revises: f3c2e2f3a4b5
Create Date: 2026-11-23 09:35:52.054149
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '7f023748dc69'
down_revision = 'f3c2e2f3a4b5'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('product_review_flags',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('product_id', sa.BigInteger(), nullable=False),
    sa.Column('source', sa.String(length=40), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('reference', sa.String(length=200), nullable=True),
    sa.Column('reported_by', sa.BigInteger(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolved_by', sa.BigInteger(), nullable=True),
    sa.Column('resolution_note', sa.Text(), nullable=True),
    sa.CheckConstraint('length(reason) BETWEEN 1 AND 1000', name=op.f('ck_product_review_flags_reason_length')),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_product_review_flags_product_id_products'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reported_by'], ['accounts.id'], name=op.f('fk_product_review_flags_reported_by_accounts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['resolved_by'], ['accounts.id'], name=op.f('fk_product_review_flags_resolved_by_accounts'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_product_review_flags'))
    )
    op.create_index('ix_product_review_flags_open', 'product_review_flags', ['product_id'], unique=False, postgresql_where=sa.text('resolved_at IS NULL'))
    op.create_table('orders',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('number', sa.String(length=24), nullable=False),
    sa.Column('account_id', sa.BigInteger(), nullable=False),
    sa.Column('cart_id', sa.BigInteger(), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=False),
    sa.Column('status', postgresql.ENUM('PLACED', 'PARTIALLY_SHIPPED', 'SHIPPED', 'DELIVERED', 'CANCELLED', name='order_status'), server_default='PLACED', nullable=False),
    sa.Column('currency', sa.String(length=3), server_default='USD', nullable=False),
    sa.Column('subtotal_minor', sa.BigInteger(), nullable=False),
    sa.Column('delivery_minor', sa.BigInteger(), nullable=False),
    sa.Column('tax_minor', sa.BigInteger(), nullable=False),
    sa.Column('discount_minor', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('total_minor', sa.BigInteger(), nullable=False),
    sa.Column('ship_full_name', sa.String(length=100), nullable=True),
    sa.Column('ship_line1', sa.String(length=200), nullable=True),
    sa.Column('ship_line2', sa.String(length=200), nullable=True),
    sa.Column('ship_city', sa.String(length=100), nullable=True),
    sa.Column('ship_region', sa.String(length=100), nullable=True),
    sa.Column('ship_postal_code', sa.String(length=20), nullable=True),
    sa.Column('ship_country_code', sa.String(length=2), nullable=True),
    sa.Column('ship_phone', sa.String(length=30), nullable=True),
    sa.Column('placed_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancel_reason', sa.Text(), nullable=True),
    sa.CheckConstraint("(status = 'CANCELLED') = (cancelled_at IS NOT NULL)", name=op.f('ck_orders_cancelled_has_time')),
    sa.CheckConstraint("currency ~ '^[A-Z]{3}$'", name=op.f('ck_orders_currency_code')),
    sa.CheckConstraint("number ~ '^TRB-[0-9]{4}-[0-9]{7,}-[0-9]$'", name=op.f('ck_orders_number_format')),
    sa.CheckConstraint("ship_country_code IS NULL OR ship_country_code ~ '^[A-Z]{2}$'", name=op.f('ck_orders_ship_country_code_format')),
    sa.CheckConstraint('subtotal_minor >= 0 AND delivery_minor >= 0 AND tax_minor >= 0 AND discount_minor >= 0', name=op.f('ck_orders_amounts_not_negative')),
    sa.CheckConstraint('total_minor = subtotal_minor + delivery_minor + tax_minor - discount_minor', name=op.f('ck_orders_total_adds_up')),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_orders_account_id_accounts'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['cart_id'], ['carts.id'], name=op.f('fk_orders_cart_id_carts'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_orders')),
    sa.UniqueConstraint('cart_id', name=op.f('uq_orders_cart_id')),
    sa.UniqueConstraint('number', name=op.f('uq_orders_number'))
    )
    op.create_index('ix_orders_account_id_placed_at', 'orders', ['account_id', sa.literal_column('placed_at DESC'), sa.literal_column('id DESC')], unique=False)
    op.create_table('shipments',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('order_id', sa.BigInteger(), nullable=False),
    sa.Column('seller_id', sa.BigInteger(), nullable=False),
    sa.Column('kind', postgresql.ENUM('PHYSICAL', 'DIGITAL', name='shipment_kind'), nullable=False),
    sa.Column('fulfilment', postgresql.ENUM('MERCHANT', 'PLATFORM', name='fulfilment', create_type=False), nullable=True),
    sa.Column('delivery_option', postgresql.ENUM('STANDARD', 'TWO_DAY', 'SAME_DAY', 'PICKUP', name='delivery_option_kind', create_type=False), nullable=True),
    sa.Column('pickup_location_id', sa.BigInteger(), nullable=True),
    sa.Column('status', postgresql.ENUM('AWAITING_RELEASE', 'PENDING', 'SHIPPED', 'DELIVERED', 'CANCELLED', name='shipment_status'), nullable=False),
    sa.Column('release_date', sa.Date(), nullable=True),
    sa.Column('estimated_delivery_date', sa.Date(), nullable=True),
    sa.Column('subtotal_minor', sa.BigInteger(), nullable=False),
    sa.Column('delivery_minor', sa.BigInteger(), nullable=False),
    sa.Column('tax_minor', sa.BigInteger(), nullable=False),
    sa.Column('captured_minor', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('currency', sa.String(length=3), server_default='USD', nullable=False),
    sa.Column('carrier', sa.String(length=60), nullable=True),
    sa.Column('tracking_number', sa.String(length=60), nullable=True),
    sa.Column('replacement_for_id', sa.BigInteger(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('shipped_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("(delivery_option = 'PICKUP') = (pickup_location_id IS NOT NULL)", name=op.f('ck_shipments_pickup_has_location')),
    sa.CheckConstraint("(kind = 'DIGITAL') = (delivery_option IS NULL)", name=op.f('ck_shipments_digital_has_no_delivery')),
    sa.CheckConstraint("(kind = 'DIGITAL') = (fulfilment IS NULL)", name=op.f('ck_shipments_digital_has_no_fulfilment')),
    sa.CheckConstraint("(status = 'AWAITING_RELEASE') <= (release_date IS NOT NULL)", name=op.f('ck_shipments_awaiting_release_has_date')),
    sa.CheckConstraint("(status = 'DELIVERED') = (delivered_at IS NOT NULL)", name=op.f('ck_shipments_delivered_has_time')),
    sa.CheckConstraint("(status IN ('SHIPPED', 'DELIVERED')) <= (shipped_at IS NOT NULL)", name=op.f('ck_shipments_shipped_has_time')),
    sa.CheckConstraint('subtotal_minor >= 0 AND delivery_minor >= 0 AND tax_minor >= 0 AND captured_minor >= 0', name=op.f('ck_shipments_amounts_not_negative')),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_shipments_order_id_orders'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['pickup_location_id'], ['pickup_locations.id'], name=op.f('fk_shipments_pickup_location_id_pickup_locations'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['replacement_for_id'], ['shipments.id'], name=op.f('fk_shipments_replacement_for_id_shipments'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['seller_id'], ['sellers.id'], name=op.f('fk_shipments_seller_id_sellers'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shipments'))
    )
    op.create_index('ix_shipments_awaiting_release', 'shipments', ['release_date'], unique=False, postgresql_where=sa.text("status = 'AWAITING_RELEASE'"))
    op.create_index('ix_shipments_order_id', 'shipments', ['order_id'], unique=False)
    op.create_index('ix_shipments_seller_id_status', 'shipments', ['seller_id', 'status', 'id'], unique=False)
    op.create_table('order_events',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('order_id', sa.BigInteger(), nullable=False),
    sa.Column('shipment_id', sa.BigInteger(), nullable=True),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('actor_account_id', sa.BigInteger(), nullable=True),
    sa.Column('data', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['actor_account_id'], ['accounts.id'], name=op.f('fk_order_events_actor_account_id_accounts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_order_events_order_id_orders'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['shipment_id'], ['shipments.id'], name=op.f('fk_order_events_shipment_id_shipments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_order_events'))
    )
    op.create_index('ix_order_events_order_id', 'order_events', ['order_id', 'id'], unique=False)
    op.create_table('order_lines',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('order_id', sa.BigInteger(), nullable=False),
    sa.Column('shipment_id', sa.BigInteger(), nullable=False),
    sa.Column('offer_id', sa.BigInteger(), nullable=False),
    sa.Column('product_id', sa.BigInteger(), nullable=False),
    sa.Column('seller_id', sa.BigInteger(), nullable=False),
    sa.Column('category_id', sa.BigInteger(), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('format', sa.String(length=40), nullable=True),
    sa.Column('digital', sa.Boolean(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('unit_price_minor', sa.BigInteger(), nullable=False),
    sa.Column('line_total_minor', sa.BigInteger(), nullable=False),
    sa.Column('tax_class', postgresql.ENUM('STANDARD', 'BOOKS', name='tax_class', create_type=False), nullable=False),
    sa.Column('tax_minor', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), server_default='USD', nullable=False),
    sa.Column('returned_quantity', sa.Integer(), server_default='0', nullable=False),
    sa.Column('refunded_minor', sa.BigInteger(), server_default='0', nullable=False),
    sa.CheckConstraint('line_total_minor = unit_price_minor * quantity', name=op.f('ck_order_lines_total_adds_up')),
    sa.CheckConstraint('quantity >= 1', name=op.f('ck_order_lines_quantity_positive')),
    sa.CheckConstraint('refunded_minor BETWEEN 0 AND line_total_minor + tax_minor', name=op.f('ck_order_lines_refunded_within_paid')),
    sa.CheckConstraint('returned_quantity BETWEEN 0 AND quantity', name=op.f('ck_order_lines_returned_within_quantity')),
    sa.CheckConstraint('unit_price_minor >= 0 AND line_total_minor >= 0 AND tax_minor >= 0', name=op.f('ck_order_lines_amounts_not_negative')),
    sa.ForeignKeyConstraint(['category_id'], ['categories.id'], name=op.f('fk_order_lines_category_id_categories'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['offer_id'], ['offers.id'], name=op.f('fk_order_lines_offer_id_offers'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_order_lines_order_id_orders'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_order_lines_product_id_products'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['seller_id'], ['sellers.id'], name=op.f('fk_order_lines_seller_id_sellers'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['shipment_id'], ['shipments.id'], name=op.f('fk_order_lines_shipment_id_shipments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_order_lines'))
    )
    op.create_index('ix_order_lines_order_id', 'order_lines', ['order_id'], unique=False)
    op.create_index('ix_order_lines_product_id', 'order_lines', ['product_id'], unique=False)
    op.create_index('ix_order_lines_shipment_id', 'order_lines', ['shipment_id'], unique=False)
    op.create_table('return_requests',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('order_id', sa.BigInteger(), nullable=False),
    sa.Column('account_id', sa.BigInteger(), nullable=False),
    sa.Column('reason', postgresql.ENUM('DAMAGED', 'WRONG_ITEM', 'NOT_AS_DESCRIBED', 'NO_LONGER_NEEDED', 'OTHER', name='return_reason'), nullable=False),
    sa.Column('comment', sa.Text(), server_default='', nullable=False),
    sa.Column('status', postgresql.ENUM('REQUESTED', 'REFUNDED', 'REJECTED', name='return_status'), server_default='REQUESTED', nullable=False),
    sa.Column('refund_minor', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('currency', sa.String(length=3), server_default='USD', nullable=False),
    sa.Column('replacement_shipment_id', sa.BigInteger(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('refund_minor >= 0', name=op.f('ck_return_requests_refund_not_negative')),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_return_requests_account_id_accounts'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_return_requests_order_id_orders'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['replacement_shipment_id'], ['shipments.id'], name=op.f('fk_return_requests_replacement_shipment_id_shipments'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_return_requests'))
    )
    op.create_index('ix_return_requests_order_id', 'return_requests', ['order_id'], unique=False)
    op.create_table('order_refunds',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('order_id', sa.BigInteger(), nullable=False),
    sa.Column('payment_id', sa.BigInteger(), nullable=False),
    sa.Column('kind', postgresql.ENUM('CANCELLATION', 'RETURN', 'GOODWILL', 'PRICE_GUARANTEE', 'OTHER', name='refund_kind'), nullable=False),
    sa.Column('amount_minor', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), server_default='USD', nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('return_request_id', sa.BigInteger(), nullable=True),
    sa.Column('actor_account_id', sa.BigInteger(), nullable=True),
    sa.Column('idempotency_key', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint('amount_minor > 0', name=op.f('ck_order_refunds_amount_positive')),
    sa.CheckConstraint('length(reason) BETWEEN 1 AND 500', name=op.f('ck_order_refunds_reason_length')),
    sa.ForeignKeyConstraint(['actor_account_id'], ['accounts.id'], name=op.f('fk_order_refunds_actor_account_id_accounts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_order_refunds_order_id_orders'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['payment_id'], ['payments.id'], name=op.f('fk_order_refunds_payment_id_payments'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['return_request_id'], ['return_requests.id'], name=op.f('fk_order_refunds_return_request_id_return_requests'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_order_refunds')),
    sa.UniqueConstraint('order_id', 'idempotency_key', name=op.f('uq_order_refunds_order_id_idempotency_key'))
    )
    op.create_index('ix_order_refunds_order_id', 'order_refunds', ['order_id'], unique=False)
    op.create_table('return_request_lines',
    sa.Column('return_request_id', sa.BigInteger(), nullable=False),
    sa.Column('order_line_id', sa.BigInteger(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.CheckConstraint('quantity >= 1', name=op.f('ck_return_request_lines_quantity_positive')),
    sa.ForeignKeyConstraint(['order_line_id'], ['order_lines.id'], name=op.f('fk_return_request_lines_order_line_id_order_lines'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['return_request_id'], ['return_requests.id'], name=op.f('fk_return_request_lines_return_request_id_return_requests'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('return_request_id', 'order_line_id', name=op.f('pk_return_request_lines'))
    )
    op.create_foreign_key(op.f('fk_payments_order_id_orders'), 'payments', 'orders', ['order_id'], ['id'], ondelete='RESTRICT')


def downgrade() -> None:
    op.drop_constraint(op.f('fk_payments_order_id_orders'), 'payments', type_='foreignkey')
    op.drop_table('return_request_lines')
    op.drop_index('ix_order_refunds_order_id', table_name='order_refunds')
    op.drop_table('order_refunds')
    op.drop_index('ix_return_requests_order_id', table_name='return_requests')
    op.drop_table('return_requests')
    op.drop_index('ix_order_lines_shipment_id', table_name='order_lines')
    op.drop_index('ix_order_lines_product_id', table_name='order_lines')
    op.drop_index('ix_order_lines_order_id', table_name='order_lines')
    op.drop_table('order_lines')
    op.drop_index('ix_order_events_order_id', table_name='order_events')
    op.drop_table('order_events')
    op.drop_index('ix_shipments_seller_id_status', table_name='shipments')
    op.drop_index('ix_shipments_order_id', table_name='shipments')
    op.drop_index('ix_shipments_awaiting_release', table_name='shipments', postgresql_where=sa.text("status = 'AWAITING_RELEASE'"))
    op.drop_table('shipments')
    op.drop_index('ix_orders_account_id_placed_at', table_name='orders')
    op.drop_table('orders')
    op.drop_index('ix_product_review_flags_open', table_name='product_review_flags', postgresql_where=sa.text('resolved_at IS NULL'))
    op.drop_table('product_review_flags')
    op.execute('DROP TYPE refund_kind')
    op.execute('DROP TYPE return_status')
    op.execute('DROP TYPE return_reason')
    op.execute('DROP TYPE shipment_status')
    op.execute('DROP TYPE shipment_kind')
    op.execute('DROP TYPE order_status')
