"""Add seller applications, seller standing changes, the append-only offer price history (backfilled with one SEED entry per offer) and the brand registry.

Revision ID: d58b2102c3e4
Revises: c47a1091b2d3
Create Date: 2026-11-23 07:00:00
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = 'd58b2102c3e4'
down_revision = 'c47a1091b2d3'
branch_labels = None
depends_on = None

APPLICATION_STATUS = postgresql.ENUM('PENDING', 'APPROVED', 'REJECTED', name='application_status', create_type=False)
PRICE_CHANGE_SOURCE = postgresql.ENUM('SELLER', 'COMPETITOR_MATCH', 'SEED', name='price_change_source',
                                      create_type=False)
SELLER_STANDING = postgresql.ENUM('GOOD', 'AT_RISK', 'SUSPENDED', name='seller_standing', create_type=False)

# Nobody rewrites the price history: not the application, not an operator at a psql prompt.
APPEND_ONLY = (
    """CREATE FUNCTION offer_price_history_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'offer_price_history is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
    END
    $$""",
    """CREATE TRIGGER offer_price_history_no_update_or_delete BEFORE UPDATE OR DELETE ON offer_price_history
    FOR EACH ROW EXECUTE FUNCTION offer_price_history_append_only()""",
    """CREATE TRIGGER offer_price_history_no_truncate BEFORE TRUNCATE ON offer_price_history
    FOR EACH STATEMENT EXECUTE FUNCTION offer_price_history_append_only()""",
)

def upgrade() -> None:
    APPLICATION_STATUS.create(op.get_bind())
    PRICE_CHANGE_SOURCE.create(op.get_bind())
    op.create_table('seller_applications',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('account_id', sa.BigInteger(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('slug', sa.String(length=140), nullable=False),
    sa.Column('status', APPLICATION_STATUS, server_default='PENDING', nullable=False),
    sa.Column('reason', sa.Text(), server_default='', nullable=False),
    sa.Column('decided_by', sa.BigInteger(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('seller_id', sa.BigInteger(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("(status = 'PENDING' AND decided_at IS NULL AND seller_id IS NULL) OR (status = 'APPROVED' AND decided_at IS NOT NULL AND seller_id IS NOT NULL) OR (status = 'REJECTED' AND decided_at IS NOT NULL AND seller_id IS NULL)", name=op.f('ck_seller_applications_decision_consistent')),
    sa.CheckConstraint('length(name) BETWEEN 2 AND 120', name=op.f('ck_seller_applications_name_length')),
    sa.CheckConstraint("slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'", name=op.f('ck_seller_applications_slug_format')),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_seller_applications_account_id_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['decided_by'], ['accounts.id'], name=op.f('fk_seller_applications_decided_by_accounts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['seller_id'], ['sellers.id'], name=op.f('fk_seller_applications_seller_id_sellers'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_seller_applications'))
    )
    op.create_index('ix_seller_applications_account_id_id', 'seller_applications', ['account_id', 'id'], unique=False)
    op.create_index('ix_seller_applications_status_id', 'seller_applications', ['status', 'id'], unique=False)
    op.create_index('uq_seller_applications_pending', 'seller_applications', ['account_id'], unique=True, postgresql_where=sa.text("status = 'PENDING'"))

    op.create_table('seller_standing_changes',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('seller_id', sa.BigInteger(), nullable=False),
    sa.Column('standing', SELLER_STANDING, nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('changed_by', sa.BigInteger(), nullable=True),
    sa.Column('changed_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint('length(reason) BETWEEN 1 AND 1000', name=op.f('ck_seller_standing_changes_reason_length')),
    sa.ForeignKeyConstraint(['changed_by'], ['accounts.id'], name=op.f('fk_seller_standing_changes_changed_by_accounts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['seller_id'], ['sellers.id'], name=op.f('fk_seller_standing_changes_seller_id_sellers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_seller_standing_changes'))
    )
    op.create_index('ix_seller_standing_changes_seller_id_id', 'seller_standing_changes', ['seller_id', 'id'], unique=False)

    op.create_table('offer_price_history',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('offer_id', sa.BigInteger(), nullable=False),
    sa.Column('price_minor', sa.BigInteger(), nullable=False),
    sa.Column('shipping_minor', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('changed_by', sa.BigInteger(), nullable=True),
    sa.Column('source', PRICE_CHANGE_SOURCE, nullable=False),
    sa.Column('competitor_name', sa.String(length=120), nullable=True),
    sa.Column('competitor_price_minor', sa.BigInteger(), nullable=True),
    sa.Column('evidence_url', sa.Text(), nullable=True),
    sa.CheckConstraint("(source = 'COMPETITOR_MATCH') = (competitor_name IS NOT NULL AND competitor_price_minor IS NOT NULL AND evidence_url IS NOT NULL)", name=op.f('ck_offer_price_history_competitor_only_on_match')),
    sa.CheckConstraint("source = 'COMPETITOR_MATCH' OR (competitor_name IS NULL AND competitor_price_minor IS NULL AND evidence_url IS NULL)", name=op.f('ck_offer_price_history_no_competitor_otherwise')),
    sa.CheckConstraint("currency ~ '^[A-Z]{3}$'", name=op.f('ck_offer_price_history_currency_code')),
    sa.CheckConstraint('price_minor >= 0', name=op.f('ck_offer_price_history_price_not_negative')),
    sa.CheckConstraint('shipping_minor >= 0', name=op.f('ck_offer_price_history_shipping_not_negative')),
    sa.ForeignKeyConstraint(['offer_id'], ['offers.id'], name=op.f('fk_offer_price_history_offer_id_offers'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_offer_price_history'))
    )
    op.create_index('ix_offer_price_history_offer_id_changed_at', 'offer_price_history', ['offer_id', 'changed_at', 'id'], unique=False)
    # Offers listed before the history existed start it with their current price.
    op.execute("INSERT INTO offer_price_history (offer_id, price_minor, shipping_minor, currency, changed_at, source)"
               " SELECT id, price_minor, shipping_minor, currency, updated_at, 'SEED' FROM offers ORDER BY id")
    for statement in APPEND_ONLY:
        op.execute(statement)

    op.create_table('brand_registrations',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('account_id', sa.BigInteger(), nullable=False),
    sa.Column('brand_id', sa.BigInteger(), nullable=True),
    sa.Column('brand_name', sa.String(length=120), nullable=True),
    sa.Column('trademark_number', sa.String(length=40), nullable=False),
    sa.Column('evidence_url', sa.Text(), nullable=True),
    sa.Column('status', APPLICATION_STATUS, server_default='PENDING', nullable=False),
    sa.Column('reason', sa.Text(), server_default='', nullable=False),
    sa.Column('decided_by', sa.BigInteger(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("(status = 'PENDING' AND decided_at IS NULL) OR (status = 'APPROVED' AND decided_at IS NOT NULL AND brand_id IS NOT NULL) OR (status = 'REJECTED' AND decided_at IS NOT NULL)", name=op.f('ck_brand_registrations_decision_consistent')),
    sa.CheckConstraint('brand_id IS NOT NULL OR brand_name IS NOT NULL', name=op.f('ck_brand_registrations_names_a_brand')),
    sa.CheckConstraint('length(trademark_number) BETWEEN 1 AND 40', name=op.f('ck_brand_registrations_trademark_number_length')),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_brand_registrations_account_id_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['brand_id'], ['brands.id'], name=op.f('fk_brand_registrations_brand_id_brands'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['decided_by'], ['accounts.id'], name=op.f('fk_brand_registrations_decided_by_accounts'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_brand_registrations'))
    )
    op.create_index('ix_brand_registrations_account_id_id', 'brand_registrations', ['account_id', 'id'], unique=False)
    op.create_index('ix_brand_registrations_status_id', 'brand_registrations', ['status', 'id'], unique=False)
    op.create_index('uq_brand_registrations_approved_brand', 'brand_registrations', ['brand_id'], unique=True, postgresql_where=sa.text("status = 'APPROVED'"))
    op.create_index('uq_brand_registrations_pending_brand', 'brand_registrations', ['account_id', 'brand_id'], unique=True, postgresql_where=sa.text("status = 'PENDING' AND brand_id IS NOT NULL"))
    op.create_index('uq_brand_registrations_pending_name', 'brand_registrations', ['account_id', sa.text('lower(brand_name)')], unique=True, postgresql_where=sa.text("status = 'PENDING' AND brand_id IS NULL"))


def downgrade() -> None:
    op.drop_table('brand_registrations')
    op.drop_table('offer_price_history')
    op.execute('DROP FUNCTION offer_price_history_append_only()')
    op.drop_table('seller_standing_changes')
    op.drop_table('seller_applications')
    PRICE_CHANGE_SOURCE.drop(op.get_bind())
    APPLICATION_STATUS.drop(op.get_bind())
