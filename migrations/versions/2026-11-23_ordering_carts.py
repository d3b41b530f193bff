"""Add carts, cart lines and the delivery option chosen per shipment group, with the delivery and tax configuration (delivery rates, same-day cities, pickup locations, tax rates) seeded with demo rows.

Revision ID: f1a0c0d1e2f3
Revises: e69c3213d4f5
Create Date: 2026-11-23 08:00:00
"""
from datetime import time

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = 'f1a0c0d1e2f3'
down_revision = 'e69c3213d4f5'
branch_labels = None
depends_on = None

CART_STATUS = postgresql.ENUM('ACTIVE', 'MERGED', 'ORDERED', name='cart_status', create_type=False)
DELIVERY_OPTION_KIND = postgresql.ENUM('STANDARD', 'TWO_DAY', 'SAME_DAY', 'PICKUP', name='delivery_option_kind',
                                       create_type=False)
TAX_CLASS = postgresql.ENUM('STANDARD', 'BOOKS', name='tax_class', create_type=False)
FULFILMENT = postgresql.ENUM('MERCHANT', 'PLATFORM', name='fulfilment', create_type=False)

# Demo configuration; operators change these rows. Money in USD cents.
DELIVERY_RATES = [
    # kind, fulfilment, fee, free at or above (the group's items), business days
    ('STANDARD', 'PLATFORM', 599, 3500, 5),
    ('STANDARD', 'MERCHANT', 0, None, 7),  # plus the offers' own shipping charges
    ('TWO_DAY', 'PLATFORM', 999, None, 2),  # free for Prime members
    ('PICKUP', 'PLATFORM', 0, None, 2),
]
SAME_DAY_CITIES = [
    # country, region, city, time zone, local cut-off, fee
    ('US', 'WA', 'Seattle', 'America/Los_Angeles', time(13, 0), 1999),
    ('US', 'CA', 'San Francisco', 'America/Los_Angeles', time(13, 0), 1999),
    ('US', 'NY', 'New York', 'America/New_York', time(10, 0), 1999),
    ('US', 'IL', 'Chicago', 'America/Chicago', time(10, 0), 1999),
    ('US', 'TX', 'Austin', 'America/Chicago', time(13, 0), 1499),
    ('GB', '', 'London', 'Europe/London', time(10, 0), 1999),
    ('DE', '', 'Berlin', 'Europe/Berlin', time(13, 0), 1999),
]
PICKUP_LOCATIONS = [
    # name, line1, city, region, postal code, country
    ('Tributary Locker - Pike Street', '1500 Pike Street', 'Seattle', 'WA', '98101', 'US'),
    ('Tributary Pickup - Union Square', '35 Union Square West', 'New York', 'NY', '10003', 'US'),
    ('Tributary Locker - Loop', '233 South Wacker Drive', 'Chicago', 'IL', '60606', 'US'),
    ("Tributary Locker - King's Cross", '1 Pancras Square', 'London', '', 'N1C 4AG', 'GB'),
    ('Tributary Pickup - Alexanderplatz', 'Alexanderplatz 9', 'Berlin', '', '10178', 'DE'),
]
# Country, region (None: the whole country), class, rate in basis points. US rows are the
# states' own sales tax (local taxes left out); VAT countries tax books at a reduced rate.
TAX_RATES = [
    ('US', 'CA', 'STANDARD', 725), ('US', 'NY', 'STANDARD', 400), ('US', 'TX', 'STANDARD', 625),
    ('US', 'WA', 'STANDARD', 650), ('US', 'IL', 'STANDARD', 625), ('US', 'FL', 'STANDARD', 600),
    ('US', 'MA', 'STANDARD', 625), ('US', 'PA', 'STANDARD', 600), ('US', 'OR', 'STANDARD', 0),
    ('US', 'DE', 'STANDARD', 0), ('US', 'MT', 'STANDARD', 0), ('US', 'NH', 'STANDARD', 0),
    ('CA', None, 'STANDARD', 500), ('CA', 'ON', 'STANDARD', 1300), ('CA', 'BC', 'STANDARD', 1200),
    ('GB', None, 'STANDARD', 2000), ('GB', None, 'BOOKS', 0),
    ('IE', None, 'STANDARD', 2300), ('IE', None, 'BOOKS', 0),
    ('DE', None, 'STANDARD', 1900), ('DE', None, 'BOOKS', 700),
    ('FR', None, 'STANDARD', 2000), ('FR', None, 'BOOKS', 550),
    ('IT', None, 'STANDARD', 2200), ('IT', None, 'BOOKS', 400),
    ('ES', None, 'STANDARD', 2100), ('ES', None, 'BOOKS', 400),
    ('NL', None, 'STANDARD', 2100), ('NL', None, 'BOOKS', 900),
    ('JP', None, 'STANDARD', 1000), ('AU', None, 'STANDARD', 1000),
]


def upgrade() -> None:
    bind = op.get_bind()
    for enum in (CART_STATUS, DELIVERY_OPTION_KIND, TAX_CLASS):
        enum.create(bind)
    op.create_table('delivery_rates',
    sa.Column('kind', DELIVERY_OPTION_KIND, nullable=False),
    sa.Column('fulfilment', FULFILMENT, nullable=False),
    sa.Column('fee_minor', sa.BigInteger(), nullable=False),
    sa.Column('free_over_minor', sa.BigInteger(), nullable=True),
    sa.Column('business_days', sa.SmallInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), server_default='USD', nullable=False),
    sa.CheckConstraint("currency ~ '^[A-Z]{3}$'", name=op.f('ck_delivery_rates_currency_code')),
    sa.CheckConstraint('business_days BETWEEN 0 AND 30', name=op.f('ck_delivery_rates_business_days_range')),
    sa.CheckConstraint('fee_minor >= 0', name=op.f('ck_delivery_rates_fee_not_negative')),
    sa.CheckConstraint('free_over_minor IS NULL OR free_over_minor >= 0', name=op.f('ck_delivery_rates_free_over_not_negative')),
    sa.PrimaryKeyConstraint('kind', 'fulfilment', name=op.f('pk_delivery_rates'))
    )
    op.create_table('pickup_locations',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('line1', sa.String(length=200), nullable=False),
    sa.Column('line2', sa.String(length=200), server_default='', nullable=False),
    sa.Column('city', sa.String(length=100), nullable=False),
    sa.Column('region', sa.String(length=100), server_default='', nullable=False),
    sa.Column('postal_code', sa.String(length=20), server_default='', nullable=False),
    sa.Column('country_code', sa.String(length=2), nullable=False),
    sa.Column('active', sa.Boolean(), server_default=sa.text('true'), nullable=False),
    sa.CheckConstraint("country_code ~ '^[A-Z]{2}$'", name=op.f('ck_pickup_locations_country_code_format')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pickup_locations'))
    )
    op.create_index('ix_pickup_locations_country_code', 'pickup_locations', ['country_code'], unique=False)
    op.create_table('same_day_cities',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('country_code', sa.String(length=2), nullable=False),
    sa.Column('region', sa.String(length=100), server_default='', nullable=False),
    sa.Column('city', sa.String(length=100), nullable=False),
    sa.Column('timezone', sa.String(length=60), nullable=False),
    sa.Column('cutoff_local', sa.Time(), nullable=False),
    sa.Column('fee_minor', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), server_default='USD', nullable=False),
    sa.Column('active', sa.Boolean(), server_default=sa.text('true'), nullable=False),
    sa.CheckConstraint("country_code ~ '^[A-Z]{2}$'", name=op.f('ck_same_day_cities_country_code_format')),
    sa.CheckConstraint("currency ~ '^[A-Z]{3}$'", name=op.f('ck_same_day_cities_currency_code')),
    sa.CheckConstraint('fee_minor >= 0', name=op.f('ck_same_day_cities_fee_not_negative')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_same_day_cities')),
    sa.UniqueConstraint('country_code', 'region', 'city', name=op.f('uq_same_day_cities_country_code_region_city'))
    )
    op.create_table('tax_rates',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('country_code', sa.String(length=2), nullable=False),
    sa.Column('region', sa.String(length=100), nullable=True),
    sa.Column('tax_class', TAX_CLASS, server_default='STANDARD', nullable=False),
    sa.Column('rate_bp', sa.Integer(), nullable=False),
    sa.CheckConstraint("country_code ~ '^[A-Z]{2}$'", name=op.f('ck_tax_rates_country_code_format')),
    sa.CheckConstraint('rate_bp BETWEEN 0 AND 10000', name=op.f('ck_tax_rates_rate_range')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tax_rates'))
    )
    op.create_index('uq_tax_rates_place_class', 'tax_rates', ['country_code', sa.literal_column("coalesce(region, '')"), 'tax_class'], unique=True)
    op.create_table('carts',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('account_id', sa.BigInteger(), nullable=True),
    sa.Column('token_hash', sa.String(length=64), nullable=True),
    sa.Column('status', CART_STATUS, server_default='ACTIVE', nullable=False),
    sa.Column('currency', sa.String(length=3), server_default='USD', nullable=False),
    sa.Column('merged_into_id', sa.BigInteger(), nullable=True),
    sa.Column('shipping_address_id', sa.BigInteger(), nullable=True),
    sa.Column('ship_full_name', sa.String(length=100), nullable=True),
    sa.Column('ship_line1', sa.String(length=200), nullable=True),
    sa.Column('ship_line2', sa.String(length=200), nullable=True),
    sa.Column('ship_city', sa.String(length=100), nullable=True),
    sa.Column('ship_region', sa.String(length=100), nullable=True),
    sa.Column('ship_postal_code', sa.String(length=20), nullable=True),
    sa.Column('ship_country_code', sa.String(length=2), nullable=True),
    sa.Column('ship_phone', sa.String(length=30), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("(status = 'MERGED') = (merged_into_id IS NOT NULL)", name=op.f('ck_carts_merged_has_target')),
    sa.CheckConstraint("currency ~ '^[A-Z]{3}$'", name=op.f('ck_carts_currency_code')),
    sa.CheckConstraint("ship_country_code IS NULL OR ship_country_code ~ '^[A-Z]{2}$'", name=op.f('ck_carts_ship_country_code_format')),
    sa.CheckConstraint('(ship_country_code IS NULL) = (ship_full_name IS NULL) AND (ship_country_code IS NULL) = (ship_line1 IS NULL) AND (ship_country_code IS NULL) = (ship_city IS NULL)', name=op.f('ck_carts_shipping_address_complete')),
    sa.CheckConstraint('account_id IS NOT NULL OR token_hash IS NOT NULL', name=op.f('ck_carts_has_owner')),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_carts_account_id_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['merged_into_id'], ['carts.id'], name=op.f('fk_carts_merged_into_id_carts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['shipping_address_id'], ['addresses.id'], name=op.f('fk_carts_shipping_address_id_addresses'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_carts')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_carts_token_hash'))
    )
    op.create_index('ix_carts_account_id', 'carts', ['account_id'], unique=False)
    op.create_index('uq_carts_active_account', 'carts', ['account_id'], unique=True, postgresql_where=sa.text("status = 'ACTIVE'"))
    op.create_table('cart_delivery_selections',
    sa.Column('cart_id', sa.BigInteger(), nullable=False),
    sa.Column('seller_id', sa.BigInteger(), nullable=False),
    sa.Column('fulfilment', FULFILMENT, nullable=False),
    sa.Column('option', DELIVERY_OPTION_KIND, nullable=False),
    sa.Column('pickup_location_id', sa.BigInteger(), nullable=True),
    sa.Column('selected_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("(option = 'PICKUP') = (pickup_location_id IS NOT NULL)", name=op.f('ck_cart_delivery_selections_pickup_has_location')),
    sa.ForeignKeyConstraint(['cart_id'], ['carts.id'], name=op.f('fk_cart_delivery_selections_cart_id_carts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['pickup_location_id'], ['pickup_locations.id'], name=op.f('fk_cart_delivery_selections_pickup_location_id_pickup_locations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['seller_id'], ['sellers.id'], name=op.f('fk_cart_delivery_selections_seller_id_sellers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('cart_id', 'seller_id', 'fulfilment', name=op.f('pk_cart_delivery_selections'))
    )
    op.create_table('cart_lines',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('cart_id', sa.BigInteger(), nullable=False),
    sa.Column('offer_id', sa.BigInteger(), nullable=False),
    sa.Column('product_id', sa.BigInteger(), nullable=False),
    sa.Column('seller_id', sa.BigInteger(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('unit_price_minor_at_add', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), server_default='USD', nullable=False),
    sa.Column('added_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("currency ~ '^[A-Z]{3}$'", name=op.f('ck_cart_lines_currency_code')),
    sa.CheckConstraint('quantity BETWEEN 1 AND 999', name=op.f('ck_cart_lines_quantity_range')),
    sa.CheckConstraint('unit_price_minor_at_add >= 0', name=op.f('ck_cart_lines_price_not_negative')),
    sa.ForeignKeyConstraint(['cart_id'], ['carts.id'], name=op.f('fk_cart_lines_cart_id_carts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['offer_id'], ['offers.id'], name=op.f('fk_cart_lines_offer_id_offers'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_cart_lines_product_id_products'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['seller_id'], ['sellers.id'], name=op.f('fk_cart_lines_seller_id_sellers'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cart_lines')),
    sa.UniqueConstraint('cart_id', 'offer_id', name=op.f('uq_cart_lines_cart_id_offer_id'))
    )

    op.bulk_insert(sa.table('delivery_rates', sa.column('kind', DELIVERY_OPTION_KIND), sa.column('fulfilment', FULFILMENT),
                            sa.column('fee_minor'), sa.column('free_over_minor'), sa.column('business_days')),
                   [dict(zip(('kind', 'fulfilment', 'fee_minor', 'free_over_minor', 'business_days'), row))
                    for row in DELIVERY_RATES])
    op.bulk_insert(sa.table('same_day_cities', sa.column('country_code'), sa.column('region'), sa.column('city'),
                            sa.column('timezone'), sa.column('cutoff_local', sa.Time()), sa.column('fee_minor')),
                   [dict(zip(('country_code', 'region', 'city', 'timezone', 'cutoff_local', 'fee_minor'), row))
                    for row in SAME_DAY_CITIES])
    op.bulk_insert(sa.table('pickup_locations', sa.column('name'), sa.column('line1'), sa.column('city'),
                            sa.column('region'), sa.column('postal_code'), sa.column('country_code')),
                   [dict(zip(('name', 'line1', 'city', 'region', 'postal_code', 'country_code'), row))
                    for row in PICKUP_LOCATIONS])
    op.bulk_insert(sa.table('tax_rates', sa.column('country_code'), sa.column('region'),
                            sa.column('tax_class', TAX_CLASS), sa.column('rate_bp')),
                   [dict(zip(('country_code', 'region', 'tax_class', 'rate_bp'), row)) for row in TAX_RATES])


def downgrade() -> None:
    op.drop_table('cart_lines')
    op.drop_table('cart_delivery_selections')
    op.drop_index('uq_carts_active_account', table_name='carts', postgresql_where=sa.text("status = 'ACTIVE'"))
    op.drop_index('ix_carts_account_id', table_name='carts')
    op.drop_table('carts')
    op.drop_index('uq_tax_rates_place_class', table_name='tax_rates')
    op.drop_table('tax_rates')
    op.drop_table('same_day_cities')
    op.drop_index('ix_pickup_locations_country_code', table_name='pickup_locations')
    op.drop_table('pickup_locations')
    op.drop_table('delivery_rates')
    bind = op.get_bind()
    for enum in (TAX_CLASS, DELIVERY_OPTION_KIND, CART_STATUS):
        enum.drop(bind)
