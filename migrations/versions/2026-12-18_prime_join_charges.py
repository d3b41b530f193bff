"""Record the first charge of a Prime join before the provider is asked, so a join that dies after the provider charged is completed by its retry or refunded by the worker.

Revision ID: 6a1d4f8b2e70
Revises: b7e4c1a9d2f6
Create Date: 2026-12-15 06:00:00.000000
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '6a1d4f8b2e70'
down_revision = 'b7e4c1a9d2f6'
branch_labels = None
depends_on = None

PLAN = postgresql.ENUM('PRIME_MONTHLY', 'PRIME_ANNUAL', name='membership_plan', create_type=False)


def upgrade() -> None:
    op.create_table(
        'prime_join_charges',
        sa.Column('idempotency_key', sa.Text(), nullable=False),
        sa.Column('account_id', sa.BigInteger(), nullable=False),
        sa.Column('plan', PLAN, nullable=False),
        sa.Column('amount_minor', sa.BigInteger(), nullable=False),
        sa.Column('currency', sa.String(length=3), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('settled_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('outcome', sa.Text(), nullable=True),
        sa.Column('membership_id', sa.BigInteger(), nullable=True),
        sa.Column('provider_refund_id', sa.Text(), nullable=True),
        sa.CheckConstraint('amount_minor > 0', name=op.f('ck_prime_join_charges_amount_positive')),
        sa.CheckConstraint("outcome IN ('JOINED', 'REFUNDED', 'NOT_CHARGED', 'DECLINED')",
                           name=op.f('ck_prime_join_charges_outcome_known')),
        sa.CheckConstraint('(outcome IS NULL) = (settled_at IS NULL)',
                           name=op.f('ck_prime_join_charges_settled_has_outcome')),
        sa.CheckConstraint("(outcome = 'JOINED') = (membership_id IS NOT NULL)",
                           name=op.f('ck_prime_join_charges_joined_has_membership')),
        sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_prime_join_charges_account_id_accounts'),
                                ondelete='RESTRICT'),
        sa.ForeignKeyConstraint(['membership_id'], ['memberships.id'],
                                name=op.f('fk_prime_join_charges_membership_id_memberships'), ondelete='RESTRICT'),
        sa.PrimaryKeyConstraint('idempotency_key', name=op.f('pk_prime_join_charges')),
    )
    op.create_index('ix_prime_join_charges_unsettled', 'prime_join_charges', ['account_id', 'plan'],
                    postgresql_where=sa.text('settled_at IS NULL'))
    op.create_index('ix_prime_join_charges_unsettled_created_at', 'prime_join_charges', ['created_at'],
                    postgresql_where=sa.text('settled_at IS NULL'))


def downgrade() -> None:
    op.drop_table('prime_join_charges')
