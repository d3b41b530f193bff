"""Add Prime memberships, their charge attempts (one successful charge per period) and their history, and the test provider's saved payment methods.

Revision ID: e3b9a41f6c25
Revises: 7d2a6c1e8b47
Create Date: 2026-12-08 05:36:20.773699
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = 'e3b9a41f6c25'
down_revision = '7d2a6c1e8b47'
branch_labels = None
depends_on = None

_NEW_ENUMS = {
    'membership_plan': ('PRIME_MONTHLY', 'PRIME_ANNUAL'),
    'membership_status': ('TRIAL', 'ACTIVE', 'GRACE', 'CANCELLED', 'ENDED', 'LAPSED'),
    'membership_charge_outcome': ('SUCCEEDED', 'DECLINED'),
    'membership_event_kind': ('JOINED', 'TRIAL_STARTED', 'RENEWED', 'PAYMENT_FAILED', 'LAPSED', 'CANCELLED',
                              'REFUNDED', 'RESUMED', 'PLAN_CHANGE_SCHEDULED', 'PLAN_CHANGED', 'ENDED', 'BENEFIT_USED'),
}


def _enum(name: str) -> postgresql.ENUM:
    # Created once in upgrade(), never per table.
    return postgresql.ENUM(name=name, create_type=False)


def upgrade() -> None:
    for name, values in _NEW_ENUMS.items():
        postgresql.ENUM(*values, name=name).create(op.get_bind())
    op.create_table('test_provider_payment_methods',
    sa.Column('id', sa.Text(), nullable=False),
    sa.Column('payment_token', sa.Text(), nullable=False),
    sa.Column('brand', sa.Text(), nullable=True),
    sa.Column('last4', sa.String(length=4), nullable=True),
    sa.Column('charges_left', sa.BigInteger(), nullable=True),
    sa.Column('decline_code', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint('charges_left IS NULL OR charges_left >= 0', name=op.f('ck_test_provider_payment_methods_charges_left_not_negative')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_test_provider_payment_methods'))
    )
    op.create_table('memberships',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('account_id', sa.BigInteger(), nullable=False),
    sa.Column('plan', _enum('membership_plan'), nullable=False),
    sa.Column('next_plan', _enum('membership_plan'), nullable=True),
    sa.Column('status', _enum('membership_status'), nullable=False),
    sa.Column('provider', sa.String(length=40), nullable=False),
    sa.Column('payment_method_id', sa.Text(), nullable=False),
    sa.Column('payment_method_brand', sa.Text(), nullable=True),
    sa.Column('payment_method_last4', sa.String(length=4), nullable=True),
    sa.Column('anchor_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('period_index', sa.BigInteger(), nullable=False),
    sa.Column('current_period_start', sa.DateTime(timezone=True), nullable=False),
    sa.Column('current_period_end', sa.DateTime(timezone=True), nullable=False),
    sa.Column('trial_ends_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('trial_reminded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('failed_attempts', sa.SmallInteger(), server_default='0', nullable=False),
    sa.Column('grace_started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('benefit_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("(status = 'GRACE') = (grace_started_at IS NOT NULL)", name=op.f('ck_memberships_grace_has_start')),
    sa.CheckConstraint("(status IN ('CANCELLED', 'ENDED', 'LAPSED')) = (ends_at IS NOT NULL)", name=op.f('ck_memberships_ended_has_end')),
    sa.CheckConstraint("(status IN ('TRIAL', 'ACTIVE', 'GRACE')) = (next_attempt_at IS NOT NULL)", name=op.f('ck_memberships_renewing_has_next_attempt')),
    sa.CheckConstraint("status <> 'TRIAL' OR trial_ends_at IS NOT NULL", name=op.f('ck_memberships_trial_has_end')),
    sa.CheckConstraint('current_period_start < current_period_end', name=op.f('ck_memberships_period_not_empty')),
    sa.CheckConstraint('failed_attempts BETWEEN 0 AND 10', name=op.f('ck_memberships_failed_attempts_range')),
    sa.CheckConstraint('next_plan IS NULL OR next_plan <> plan', name=op.f('ck_memberships_next_plan_differs')),
    sa.CheckConstraint('period_index >= 0', name=op.f('ck_memberships_period_index_not_negative')),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_memberships_account_id_accounts'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_memberships'))
    )
    op.create_index('ix_memberships_account_id', 'memberships', ['account_id'], unique=False)
    op.create_index('ix_memberships_cancelled_ends_at', 'memberships', ['ends_at'], unique=False, postgresql_where=sa.text("status = 'CANCELLED'"))
    op.create_index('ix_memberships_due', 'memberships', ['next_attempt_at', 'id'], unique=False, postgresql_where=sa.text('next_attempt_at IS NOT NULL'))
    op.create_index('uq_memberships_live_account_id', 'memberships', ['account_id'], unique=True, postgresql_where=sa.text("status IN ('TRIAL', 'ACTIVE', 'GRACE', 'CANCELLED')"))
    op.create_table('membership_charges',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('membership_id', sa.BigInteger(), nullable=False),
    sa.Column('plan', _enum('membership_plan'), nullable=False),
    sa.Column('period_start', sa.DateTime(timezone=True), nullable=False),
    sa.Column('period_end', sa.DateTime(timezone=True), nullable=False),
    sa.Column('attempt', sa.SmallInteger(), nullable=False),
    sa.Column('idempotency_key', sa.Text(), nullable=False),
    sa.Column('amount_minor', sa.BigInteger(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('outcome', _enum('membership_charge_outcome'), nullable=False),
    sa.Column('decline_code', sa.Text(), nullable=True),
    sa.Column('provider_charge_id', sa.Text(), nullable=True),
    sa.Column('refunded_minor', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('provider_refund_id', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("(outcome = 'DECLINED') = (decline_code IS NOT NULL)", name=op.f('ck_membership_charges_declined_has_code')),
    sa.CheckConstraint("(outcome = 'SUCCEEDED') = (provider_charge_id IS NOT NULL)", name=op.f('ck_membership_charges_succeeded_has_charge')),
    sa.CheckConstraint("currency ~ '^[A-Z]{3}$'", name=op.f('ck_membership_charges_currency_code')),
    sa.CheckConstraint('amount_minor > 0', name=op.f('ck_membership_charges_amount_positive')),
    sa.CheckConstraint('attempt >= 1', name=op.f('ck_membership_charges_attempt_positive')),
    sa.CheckConstraint('refunded_minor >= 0 AND refunded_minor <= amount_minor', name=op.f('ck_membership_charges_refunded_within_amount')),
    sa.ForeignKeyConstraint(['membership_id'], ['memberships.id'], name=op.f('fk_membership_charges_membership_id_memberships'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_membership_charges')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_membership_charges_idempotency_key')),
    sa.UniqueConstraint('membership_id', 'period_start', 'attempt', name='uq_membership_charges_attempt')
    )
    op.create_index('uq_membership_charges_paid_period', 'membership_charges', ['membership_id', 'period_start'], unique=True, postgresql_where=sa.text("outcome = 'SUCCEEDED'"))
    op.create_table('membership_events',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('membership_id', sa.BigInteger(), nullable=False),
    sa.Column('kind', _enum('membership_event_kind'), nullable=False),
    sa.Column('status', _enum('membership_status'), nullable=False),
    sa.Column('details', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['membership_id'], ['memberships.id'], name=op.f('fk_membership_events_membership_id_memberships'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_membership_events'))
    )
    op.create_index('ix_membership_events_membership_id_id', 'membership_events', ['membership_id', 'id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_membership_events_membership_id_id', table_name='membership_events')
    op.drop_table('membership_events')
    op.drop_index('uq_membership_charges_paid_period', table_name='membership_charges', postgresql_where=sa.text("outcome = 'SUCCEEDED'"))
    op.drop_table('membership_charges')
    op.drop_index('uq_memberships_live_account_id', table_name='memberships', postgresql_where=sa.text("status IN ('TRIAL', 'ACTIVE', 'GRACE', 'CANCELLED')"))
    op.drop_index('ix_memberships_due', table_name='memberships', postgresql_where=sa.text('next_attempt_at IS NOT NULL'))
    op.drop_index('ix_memberships_cancelled_ends_at', table_name='memberships', postgresql_where=sa.text("status = 'CANCELLED'"))
    op.drop_index('ix_memberships_account_id', table_name='memberships')
    op.drop_table('memberships')
    op.drop_table('test_provider_payment_methods')
    for name in _NEW_ENUMS:
        postgresql.ENUM(name=name).drop(op.get_bind())
