"""Add e-book lending: lendable products, e-book loans, LOAN licences and suspended licences.

Revision ID: 5d2c8e7a41f9
Revises: c7d2a95e1b64
Create Date: 2026-12-10 06:00:00.000000
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '5d2c8e7a41f9'
down_revision = 'c7d2a95e1b64'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Values added to an enum are usable once committed; nothing below uses them.
    op.execute("ALTER TYPE licence_kind ADD VALUE IF NOT EXISTS 'LOAN'")
    op.execute("ALTER TYPE licence_status ADD VALUE IF NOT EXISTS 'SUSPENDED'")
    op.execute("ALTER TYPE library_change_kind ADD VALUE IF NOT EXISTS 'LICENCE_SUSPENDED'")
    op.execute("ALTER TYPE library_change_kind ADD VALUE IF NOT EXISTS 'LICENCE_REINSTATED'")
    op.add_column('products', sa.Column('lendable', sa.Boolean(), server_default=sa.text('false'), nullable=False))
    status = postgresql.ENUM('PENDING', 'ACTIVE', 'DECLINED', 'NOT_ACCEPTED', 'RETURNED', name='ebook_loan_status')
    op.create_table(
        'ebook_loans',
        sa.Column('id', sa.BigInteger(), nullable=False),
        sa.Column('licence_id', sa.BigInteger(), nullable=False),
        sa.Column('lender_account_id', sa.BigInteger(), nullable=False),
        sa.Column('borrower_email', postgresql.CITEXT(), nullable=False),
        sa.Column('borrower_account_id', sa.BigInteger(), nullable=True),
        sa.Column('borrower_licence_id', sa.BigInteger(), nullable=True),
        sa.Column('status', status, server_default='PENDING', nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('lent_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('accept_by', sa.DateTime(timezone=True), nullable=False),
        sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('ends_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.CheckConstraint('accept_by > lent_at', name=op.f('ck_ebook_loans_accept_by_after_lent_at')),
        sa.CheckConstraint("(status = 'PENDING') = (accepted_at IS NULL AND ended_at IS NULL)",
                           name=op.f('ck_ebook_loans_pending_has_no_times')),
        sa.CheckConstraint('(accepted_at IS NULL) = (borrower_licence_id IS NULL)',
                           name=op.f('ck_ebook_loans_accepted_has_licence')),
        sa.CheckConstraint('(accepted_at IS NULL) = (ends_at IS NULL)', name=op.f('ck_ebook_loans_accepted_has_end')),
        sa.CheckConstraint("(status IN ('PENDING', 'ACTIVE')) = (ended_at IS NULL)",
                           name=op.f('ck_ebook_loans_ended_has_time')),
        sa.ForeignKeyConstraint(['borrower_account_id'], ['accounts.id'],
                                name=op.f('fk_ebook_loans_borrower_account_id_accounts'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['borrower_licence_id'], ['licences.id'],
                                name=op.f('fk_ebook_loans_borrower_licence_id_licences'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['lender_account_id'], ['accounts.id'],
                                name=op.f('fk_ebook_loans_lender_account_id_accounts'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['licence_id'], ['licences.id'],
                                name=op.f('fk_ebook_loans_licence_id_licences'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_ebook_loans')),
    )
    op.create_index('uq_ebook_loans_licence_id', 'ebook_loans', ['licence_id'], unique=True)
    op.create_index('uq_ebook_loans_borrower_licence_id', 'ebook_loans', ['borrower_licence_id'], unique=True)
    op.create_index('uq_ebook_loans_token_hash', 'ebook_loans', ['token_hash'], unique=True)
    op.create_index('ix_ebook_loans_lender_account_id_id', 'ebook_loans', ['lender_account_id', 'id'])
    op.create_index('ix_ebook_loans_borrower_email_id', 'ebook_loans', ['borrower_email', 'id'])
    op.create_index('ix_ebook_loans_pending_accept_by', 'ebook_loans', ['accept_by'],
                    postgresql_where=sa.text("status = 'PENDING'"))
    op.create_index('ix_ebook_loans_active_ends_at', 'ebook_loans', ['ends_at'],
                    postgresql_where=sa.text("status = 'ACTIVE'"))


def downgrade() -> None:
    op.drop_table('ebook_loans')
    op.execute("DROP TYPE ebook_loan_status")
    op.drop_column('products', 'lendable')
    # PostgreSQL cannot drop an enum value: the licences' rows using them go back to what they
    # were before lending, and the values stay unused.
    op.execute("DELETE FROM library_changes WHERE kind IN ('LICENCE_SUSPENDED', 'LICENCE_REINSTATED')")
    op.execute("DELETE FROM licences WHERE kind = 'LOAN'")
    op.execute("UPDATE licences SET status = 'ACTIVE' WHERE status = 'SUSPENDED'")
