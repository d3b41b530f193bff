"""Add payments with their transactions, the test payment provider's table, commission rates per category (seeded from the product spec's examples where those categories exist) and the append-only seller ledger.

Revision ID: f2b1d1e2f3a4
Revises: f1a0c0d1e2f3
Create Date: 2026-11-23 08:00:00
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = 'f2b1d1e2f3a4'
down_revision = 'f1a0c0d1e2f3'
branch_labels = None
depends_on = None

PAYMENT_STATUS = postgresql.ENUM('AUTHORIZED', 'PARTIALLY_CAPTURED', 'CAPTURED', 'PARTIALLY_REFUNDED', 'REFUNDED',
                                 'VOIDED', 'FAILED', name='payment_status', create_type=False)
PAYMENT_TRANSACTION_KIND = postgresql.ENUM('AUTHORIZE', 'CAPTURE', 'VOID', 'REFUND', name='payment_transaction_kind',
                                           create_type=False)
SELLER_LEDGER_ENTRY_KIND = postgresql.ENUM('SALE', 'COMMISSION', 'REFUND', 'COMMISSION_REVERSAL', 'PAYOUT',
                                           'ADJUSTMENT', name='seller_ledger_entry_kind', create_type=False)

# The product spec's example rates, for the categories of those slugs (a database seeded
# later gets them from the seed). Frozen here: later changes go through setCommissionRate.
SPEC_RATES = (('computers', 600), ('electronics', 800), ('books', 1500), ('apparel', 1700), ('jewellery', 2000))

# Money movements are history: nobody rewrites them, not the application, not an operator at a psql prompt.
APPEND_ONLY_FUNCTION = """CREATE FUNCTION money_history_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
    END
    $$"""
APPEND_ONLY_TABLES = ('payment_transactions', 'seller_ledger_entries')


def _append_only(table: str) -> None:
    op.execute(f"""CREATE TRIGGER {table}_no_update_or_delete BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION money_history_append_only()""")
    op.execute(f"""CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION money_history_append_only()""")


def upgrade() -> None:
    PAYMENT_STATUS.create(op.get_bind())
    PAYMENT_TRANSACTION_KIND.create(op.get_bind())
    SELLER_LEDGER_ENTRY_KIND.create(op.get_bind())
    op.execute(APPEND_ONLY_FUNCTION)

    op.create_table('payments',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('reference', sa.Text(), nullable=False),
    sa.Column('order_id', sa.BigInteger(), nullable=True),
    sa.Column('idempotency_key', sa.Text(), nullable=False),
    sa.Column('provider', sa.String(length=40), nullable=False),
    sa.Column('provider_authorization_id', sa.Text(), nullable=True),
    sa.Column('status', PAYMENT_STATUS, nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('amount_minor', sa.BigInteger(), nullable=False),
    sa.Column('captured_minor', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('refunded_minor', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('voided_minor', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('failure_code', sa.Text(), nullable=True),
    sa.Column('failure_message', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("(status = 'FAILED') = (provider_authorization_id IS NULL) AND (status <> 'FAILED' OR captured_minor + voided_minor = 0)", name=op.f('ck_payments_failed_has_no_authorization')),
    sa.CheckConstraint("currency ~ '^[A-Z]{3}$'", name=op.f('ck_payments_currency_code')),
    sa.CheckConstraint('amount_minor > 0', name=op.f('ck_payments_amount_positive')),
    sa.CheckConstraint('captured_minor + voided_minor <= amount_minor', name=op.f('ck_payments_captured_within_authorized')),
    sa.CheckConstraint('captured_minor >= 0 AND refunded_minor >= 0 AND voided_minor >= 0', name=op.f('ck_payments_amounts_not_negative')),
    sa.CheckConstraint('length(idempotency_key) BETWEEN 1 AND 200', name=op.f('ck_payments_idempotency_key_length')),
    sa.CheckConstraint('length(reference) BETWEEN 1 AND 200', name=op.f('ck_payments_reference_length')),
    sa.CheckConstraint('refunded_minor <= captured_minor', name=op.f('ck_payments_refunded_within_captured')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payments')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_payments_idempotency_key'))
    )
    op.create_index('ix_payments_order_id', 'payments', ['order_id'], unique=False)
    op.create_index('ix_payments_reference', 'payments', ['reference'], unique=False)

    op.create_table('payment_transactions',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('payment_id', sa.BigInteger(), nullable=False),
    sa.Column('kind', PAYMENT_TRANSACTION_KIND, nullable=False),
    sa.Column('amount_minor', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('provider_id', sa.Text(), nullable=False),
    sa.Column('parent_id', sa.BigInteger(), nullable=True),
    sa.Column('idempotency_key', sa.Text(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("(kind = 'REFUND') = (parent_id IS NOT NULL)", name=op.f('ck_payment_transactions_refund_has_capture')),
    sa.CheckConstraint("(kind = 'REFUND') = (reason IS NOT NULL)", name=op.f('ck_payment_transactions_refund_has_reason')),
    sa.CheckConstraint("currency ~ '^[A-Z]{3}$'", name=op.f('ck_payment_transactions_currency_code')),
    sa.CheckConstraint('amount_minor > 0', name=op.f('ck_payment_transactions_amount_positive')),
    sa.ForeignKeyConstraint(['parent_id'], ['payment_transactions.id'], name=op.f('fk_payment_transactions_parent_id_payment_transactions'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['payment_id'], ['payments.id'], name=op.f('fk_payment_transactions_payment_id_payments'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payment_transactions'))
    )
    op.create_index('ix_payment_transactions_payment_id_id', 'payment_transactions', ['payment_id', 'id'], unique=False)
    op.create_index('ix_payment_transactions_payment_id_idempotency_key', 'payment_transactions', ['payment_id', 'idempotency_key'], unique=False)

    op.create_table('test_provider_operations',
    sa.Column('id', sa.Text(), nullable=False),
    sa.Column('kind', sa.Text(), nullable=False),
    sa.Column('idempotency_key', sa.Text(), nullable=False),
    sa.Column('parent_id', sa.Text(), nullable=True),
    sa.Column('payment_token', sa.Text(), nullable=True),
    sa.Column('amount_minor', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('outcome', sa.Text(), nullable=False),
    sa.Column('decline_code', sa.Text(), nullable=True),
    sa.Column('captured_minor', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('refunded_minor', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('voided', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("(kind = 'AUTHORIZE') = (parent_id IS NULL)", name=op.f('ck_test_provider_operations_parent_unless_authorization')),
    sa.CheckConstraint("currency ~ '^[A-Z]{3}$'", name=op.f('ck_test_provider_operations_currency_code')),
    sa.CheckConstraint("kind IN ('AUTHORIZE', 'CAPTURE', 'VOID', 'REFUND')", name=op.f('ck_test_provider_operations_kind_known')),
    sa.CheckConstraint("outcome IN ('SUCCEEDED', 'DECLINED')", name=op.f('ck_test_provider_operations_outcome_known')),
    sa.CheckConstraint('amount_minor >= 0 AND captured_minor >= 0 AND refunded_minor >= 0', name=op.f('ck_test_provider_operations_amounts_not_negative')),
    sa.CheckConstraint('captured_minor <= amount_minor AND refunded_minor <= amount_minor', name=op.f('ck_test_provider_operations_within_amount')),
    sa.ForeignKeyConstraint(['parent_id'], ['test_provider_operations.id'], name=op.f('fk_test_provider_operations_parent_id_test_provider_operations'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_test_provider_operations')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_test_provider_operations_idempotency_key'))
    )

    op.create_table('commission_rates',
    sa.Column('category_id', sa.BigInteger(), nullable=False),
    sa.Column('rate_bps', sa.Integer(), nullable=False),
    sa.Column('updated_by', sa.BigInteger(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint('rate_bps BETWEEN 600 AND 2000', name=op.f('ck_commission_rates_rate_range')),
    sa.ForeignKeyConstraint(['category_id'], ['categories.id'], name=op.f('fk_commission_rates_category_id_categories'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('category_id', name=op.f('pk_commission_rates'))
    )
    values = ", ".join(f"('{slug}', {bps})" for slug, bps in SPEC_RATES)
    op.execute(f"INSERT INTO commission_rates (category_id, rate_bps) SELECT c.id, r.bps FROM categories c"
               f" JOIN (VALUES {values}) AS r(slug, bps) ON r.slug = c.slug ON CONFLICT DO NOTHING")

    op.create_table('seller_ledger_entries',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('seller_id', sa.BigInteger(), nullable=False),
    sa.Column('kind', SELLER_LEDGER_ENTRY_KIND, nullable=False),
    sa.Column('amount_minor', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('reference', sa.Text(), nullable=False),
    sa.Column('order_id', sa.BigInteger(), nullable=True),
    sa.Column('sale_entry_id', sa.BigInteger(), nullable=True),
    sa.Column('rate_bps', sa.Integer(), nullable=True),
    sa.Column('created_by', sa.BigInteger(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("(kind IN ('COMMISSION', 'REFUND', 'COMMISSION_REVERSAL')) = (sale_entry_id IS NOT NULL)", name=op.f('ck_seller_ledger_entries_sale_link')),
    sa.CheckConstraint("(kind IN ('SALE', 'COMMISSION_REVERSAL') AND amount_minor > 0) OR (kind IN ('COMMISSION', 'REFUND', 'PAYOUT') AND amount_minor < 0) OR (kind = 'ADJUSTMENT' AND amount_minor <> 0)", name=op.f('ck_seller_ledger_entries_sign_matches_kind')),
    sa.CheckConstraint("currency ~ '^[A-Z]{3}$'", name=op.f('ck_seller_ledger_entries_currency_code')),
    sa.CheckConstraint("rate_bps IS NULL OR (kind = 'COMMISSION' AND rate_bps BETWEEN 0 AND 10000)", name=op.f('ck_seller_ledger_entries_rate_on_commission')),
    sa.CheckConstraint('length(reference) BETWEEN 1 AND 200', name=op.f('ck_seller_ledger_entries_reference_length')),
    sa.ForeignKeyConstraint(['sale_entry_id'], ['seller_ledger_entries.id'], name=op.f('fk_seller_ledger_entries_sale_entry_id_seller_ledger_entries'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['seller_id'], ['sellers.id'], name=op.f('fk_seller_ledger_entries_seller_id_sellers'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_seller_ledger_entries')),
    sa.UniqueConstraint('seller_id', 'kind', 'reference', name=op.f('uq_seller_ledger_entries_seller_id_kind_reference'))
    )
    op.create_index('ix_seller_ledger_entries_sale_entry_id', 'seller_ledger_entries', ['sale_entry_id'], unique=False, postgresql_where=sa.text('sale_entry_id IS NOT NULL'))
    op.create_index('ix_seller_ledger_entries_seller_id_id', 'seller_ledger_entries', ['seller_id', 'id'], unique=False, postgresql_include=['amount_minor'])

    for table in APPEND_ONLY_TABLES:
        _append_only(table)


def downgrade() -> None:
    op.drop_table('seller_ledger_entries')
    op.drop_table('commission_rates')
    op.drop_table('test_provider_operations')
    op.drop_table('payment_transactions')
    op.drop_table('payments')
    op.execute('DROP FUNCTION money_history_append_only()')
    SELLER_LEDGER_ENTRY_KIND.drop(op.get_bind())
    PAYMENT_TRANSACTION_KIND.drop(op.get_bind())
    PAYMENT_STATUS.drop(op.get_bind())
