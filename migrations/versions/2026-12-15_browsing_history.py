"""Add browsing history: a history per customer or guest, and the products viewed in it.

Revision ID: a6f3c8e2d915
Revises: 3e7b9c2d5a10
Create Date: 2026-12-13 06:00:00.000000
"""
from alembic import op
import sqlalchemy as sa

revision = 'a6f3c8e2d915'
down_revision = '3e7b9c2d5a10'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(sa.schema.CreateSequence(sa.Sequence('browsing_history_positions')))
    op.create_table(
        'browsing_histories',
        sa.Column('id', sa.BigInteger(), nullable=False),
        sa.Column('account_id', sa.BigInteger(), nullable=True),
        sa.Column('token_hash', sa.Text(), nullable=True),
        sa.Column('merged_into_account_id', sa.BigInteger(), nullable=True),
        sa.Column('paused', sa.Boolean(), server_default=sa.text('false'), nullable=False),
        sa.Column('entry_count', sa.Integer(), server_default='0', nullable=False),
        sa.Column('allowance', sa.Float(), nullable=False),
        sa.Column('allowance_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.CheckConstraint('(account_id IS NULL) <> (token_hash IS NULL)',
                           name=op.f('ck_browsing_histories_customer_or_guest')),
        sa.CheckConstraint('token_hash IS NULL OR length(token_hash) = 64',
                           name=op.f('ck_browsing_histories_token_hash_is_sha256')),
        sa.CheckConstraint('merged_into_account_id IS NULL OR token_hash IS NOT NULL',
                           name=op.f('ck_browsing_histories_only_guests_merge')),
        sa.CheckConstraint('entry_count >= 0', name=op.f('ck_browsing_histories_entry_count_not_negative')),
        sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_browsing_histories_account_id_accounts'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['merged_into_account_id'], ['accounts.id'],
                                name=op.f('fk_browsing_histories_merged_into_account_id_accounts'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_browsing_histories')),
        sa.UniqueConstraint('account_id', name=op.f('uq_browsing_histories_account_id')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_browsing_histories_token_hash')),
    )
    op.create_index(op.f('ix_browsing_histories_merged_into_account_id'), 'browsing_histories',
                    ['merged_into_account_id'])
    op.create_table(
        'browsing_history_views',
        sa.Column('id', sa.BigInteger(), nullable=False),
        sa.Column('history_id', sa.BigInteger(), nullable=False),
        sa.Column('product_id', sa.BigInteger(), nullable=False),
        sa.Column('position', sa.BigInteger(), nullable=False),
        sa.Column('viewed_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.ForeignKeyConstraint(['history_id'], ['browsing_histories.id'],
                                name=op.f('fk_browsing_history_views_history_id_browsing_histories'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['product_id'], ['products.id'],
                                name=op.f('fk_browsing_history_views_product_id_products'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_browsing_history_views')),
        sa.UniqueConstraint('history_id', 'product_id', name=op.f('uq_browsing_history_views_history_id_product_id')),
    )
    op.create_index('ix_browsing_history_views_history_id_position', 'browsing_history_views',
                    ['history_id', 'position'])
    op.create_index(op.f('ix_browsing_history_views_product_id'), 'browsing_history_views', ['product_id'])


def downgrade() -> None:
    op.drop_table('browsing_history_views')
    op.drop_table('browsing_histories')
    op.execute(sa.schema.DropSequence(sa.Sequence('browsing_history_positions')))
