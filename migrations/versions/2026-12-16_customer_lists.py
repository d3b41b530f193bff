"""Add customer lists: wish lists, named and shopping lists, their items, households, invitations and sync receipts.

Revision ID: 8e4b1c7d2a95
Revises: a6f3c8e2d915
Create Date: 2026-12-05 08:18:05.656315
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '8e4b1c7d2a95'
down_revision = 'a6f3c8e2d915'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('lists',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('account_id', sa.BigInteger(), nullable=False),
    sa.Column('kind', postgresql.ENUM('WISH_LIST', 'NAMED', 'SHOPPING', name='list_kind'), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('description', sa.Text(), server_default='', nullable=False),
    sa.Column('visibility', postgresql.ENUM('PRIVATE', 'PUBLIC', 'SHARED', name='list_visibility'), server_default='PRIVATE', nullable=False),
    sa.Column('share_token_hash', sa.Text(), nullable=True),
    sa.Column('item_count', sa.Integer(), server_default='0', nullable=False),
    sa.Column('last_seq', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("(visibility = 'SHARED') = (share_token_hash IS NOT NULL)", name=op.f('ck_lists_shared_has_link')),
    sa.CheckConstraint('item_count >= 0', name=op.f('ck_lists_item_count_not_negative')),
    sa.CheckConstraint('length(btrim(name)) >= 1 AND length(name) <= 100', name=op.f('ck_lists_name_length')),
    sa.CheckConstraint('length(description) <= 1000', name=op.f('ck_lists_description_length')),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_lists_account_id_accounts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lists'))
    )
    op.create_index('ix_lists_account_id', 'lists', ['account_id', sa.literal_column('created_at DESC'), sa.literal_column('id DESC')], unique=False)
    op.create_index('ix_lists_public', 'lists', ['account_id', sa.literal_column('updated_at DESC'), sa.literal_column('id DESC')], unique=False, postgresql_where=sa.text("visibility = 'PUBLIC'"))
    op.create_index('uq_lists_share_token_hash', 'lists', ['share_token_hash'], unique=True, postgresql_where=sa.text('share_token_hash IS NOT NULL'))
    op.create_index('uq_lists_wish_list', 'lists', ['account_id'], unique=True, postgresql_where=sa.text("kind = 'WISH_LIST'"))
    op.create_table('list_invitations',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('list_id', sa.BigInteger(), nullable=False),
    sa.Column('email', postgresql.CITEXT(), nullable=False),
    sa.Column('token_hash', sa.Text(), nullable=False),
    sa.Column('invited_by', sa.BigInteger(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('accepted_by', sa.BigInteger(), nullable=True),
    sa.ForeignKeyConstraint(['accepted_by'], ['accounts.id'], name=op.f('fk_list_invitations_accepted_by_accounts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['invited_by'], ['accounts.id'], name=op.f('fk_list_invitations_invited_by_accounts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['list_id'], ['lists.id'], name=op.f('fk_list_invitations_list_id_lists'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_list_invitations'))
    )
    op.create_index('ix_list_invitations_list_id', 'list_invitations', ['list_id', 'created_at'], unique=False)
    op.create_index('uq_list_invitations_token_hash', 'list_invitations', ['token_hash'], unique=True)
    op.create_table('list_items',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('list_id', sa.BigInteger(), nullable=False),
    sa.Column('key', sa.UUID(), server_default=sa.text('gen_random_uuid()'), nullable=False),
    sa.Column('product_id', sa.BigInteger(), nullable=False),
    sa.Column('quantity', sa.Integer(), server_default='1', nullable=False),
    sa.Column('note', sa.Text(), server_default='', nullable=False),
    sa.Column('checked', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('checked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('added_by', sa.BigInteger(), nullable=True),
    sa.Column('seq', sa.BigInteger(), nullable=False),
    sa.Column('added_seq', sa.BigInteger(), nullable=False),
    sa.Column('checked_seq', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('removed_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('checked = (checked_at IS NOT NULL)', name=op.f('ck_list_items_checked_has_time')),
    sa.CheckConstraint('length(note) <= 500', name=op.f('ck_list_items_note_length')),
    sa.CheckConstraint('quantity BETWEEN 1 AND 999', name=op.f('ck_list_items_quantity_range')),
    sa.ForeignKeyConstraint(['added_by'], ['accounts.id'], name=op.f('fk_list_items_added_by_accounts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['list_id'], ['lists.id'], name=op.f('fk_list_items_list_id_lists'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_list_items_product_id_products'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_list_items'))
    )
    op.create_index('ix_list_items_list_id_position', 'list_items', ['list_id', 'id'], unique=False, postgresql_where=sa.text('removed_at IS NULL'))
    op.create_index('ix_list_items_list_id_seq', 'list_items', ['list_id', 'seq'], unique=False)
    op.create_index('ix_list_items_product_id', 'list_items', ['product_id'], unique=False)
    op.create_index('uq_list_items_list_id_key', 'list_items', ['list_id', 'key'], unique=True)
    op.create_index('uq_list_items_live_product', 'list_items', ['list_id', 'product_id'], unique=True, postgresql_where=sa.text('removed_at IS NULL'))
    op.create_table('list_members',
    sa.Column('list_id', sa.BigInteger(), nullable=False),
    sa.Column('account_id', sa.BigInteger(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_list_members_account_id_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['list_id'], ['lists.id'], name=op.f('fk_list_members_list_id_lists'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('list_id', 'account_id', name=op.f('pk_list_members'))
    )
    op.create_index('ix_list_members_account_id', 'list_members', ['account_id'], unique=False)
    op.create_table('list_sync_receipts',
    sa.Column('list_id', sa.BigInteger(), nullable=False),
    sa.Column('change_id', sa.UUID(), nullable=False),
    sa.Column('outcome', postgresql.ENUM('APPLIED', 'MERGED', 'STALE', 'GONE', 'DUPLICATE', name='list_change_outcome'), nullable=False),
    sa.Column('item_key', sa.UUID(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['list_id'], ['lists.id'], name=op.f('fk_list_sync_receipts_list_id_lists'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('list_id', 'change_id', name=op.f('pk_list_sync_receipts'))
    )


def downgrade() -> None:
    op.drop_table('list_sync_receipts')
    op.drop_index('ix_list_members_account_id', table_name='list_members')
    op.drop_table('list_members')
    op.drop_index('uq_list_items_live_product', table_name='list_items', postgresql_where=sa.text('removed_at IS NULL'))
    op.drop_index('uq_list_items_list_id_key', table_name='list_items')
    op.drop_index('ix_list_items_product_id', table_name='list_items')
    op.drop_index('ix_list_items_list_id_seq', table_name='list_items')
    op.drop_index('ix_list_items_list_id_position', table_name='list_items', postgresql_where=sa.text('removed_at IS NULL'))
    op.drop_table('list_items')
    op.drop_index('uq_list_invitations_token_hash', table_name='list_invitations')
    op.drop_index('ix_list_invitations_list_id', table_name='list_invitations')
    op.drop_table('list_invitations')
    op.drop_index('uq_lists_wish_list', table_name='lists', postgresql_where=sa.text("kind = 'WISH_LIST'"))
    op.drop_index('uq_lists_share_token_hash', table_name='lists', postgresql_where=sa.text('share_token_hash IS NOT NULL'))
    op.drop_index('ix_lists_public', table_name='lists', postgresql_where=sa.text("visibility = 'PUBLIC'"))
    op.drop_index('ix_lists_account_id', table_name='lists')
    op.drop_table('lists')
    for name in ('list_change_outcome', 'list_visibility', 'list_kind'):
        postgresql.ENUM(name=name).drop(op.get_bind())
