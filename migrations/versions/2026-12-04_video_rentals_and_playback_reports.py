"""Add rent-or-buy offers, playback quality reports, the automatic refund of a rental that played badly, and its refund kind.

Revision ID: 3c5e7a9b1d2f
Revises: 18536be567e8
Create Date: 2026-12-04 15:40:00.000000
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '3c5e7a9b1d2f'
down_revision = '18536be567e8'
branch_labels = None
depends_on = None

_REFUND_KINDS = ('CANCELLATION', 'RETURN', 'GOODWILL', 'PRICE_GUARANTEE', 'OTHER')


def upgrade() -> None:
    purchase_option = postgresql.ENUM('BUY', 'RENT', name='purchase_option')
    purchase_option.create(op.get_bind())
    op.add_column('offers', sa.Column('purchase_option', purchase_option, server_default='BUY', nullable=False))
    op.drop_index('uq_offers_seller_product_condition', table_name='offers', postgresql_where=sa.text('archived_at IS NULL'))
    op.create_index('uq_offers_seller_product_condition_option', 'offers', ['seller_id', 'product_id', 'condition', 'purchase_option'], unique=True, postgresql_where=sa.text('archived_at IS NULL'))
    # The new value is only used by later transactions, which PostgreSQL 12+ allows here.
    op.execute("ALTER TYPE refund_kind ADD VALUE 'PLAYBACK_QUALITY'")
    op.add_column('licences', sa.Column('playback_refunded_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('licences', sa.Column('playback_refund_id', sa.BigInteger(), nullable=True))
    op.create_foreign_key(op.f('fk_licences_playback_refund_id_order_refunds'), 'licences', 'order_refunds', ['playback_refund_id'], ['id'], ondelete='SET NULL')
    op.create_check_constraint(op.f('ck_licences_playback_refund_has_time'), 'licences', 'playback_refund_id IS NULL OR playback_refunded_at IS NOT NULL')
    op.create_table('playback_reports',
    sa.Column('id', postgresql.UUID(as_uuid=False), nullable=False),
    sa.Column('licence_id', sa.BigInteger(), nullable=False),
    sa.Column('device_id', sa.BigInteger(), nullable=True),
    sa.Column('watched_seconds', sa.Integer(), nullable=False),
    sa.Column('rebuffering_seconds', sa.Integer(), nullable=False),
    sa.Column('average_bitrate_kbps', sa.Integer(), nullable=False),
    sa.Column('errors', postgresql.ARRAY(sa.Text()), server_default='{}', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint('watched_seconds BETWEEN 0 AND 86400 AND rebuffering_seconds BETWEEN 0 AND 86400', name=op.f('ck_playback_reports_seconds_range')),
    sa.CheckConstraint('average_bitrate_kbps BETWEEN 0 AND 1000000', name=op.f('ck_playback_reports_bitrate_range')),
    sa.CheckConstraint('cardinality(errors) <= 20', name=op.f('ck_playback_reports_errors_count')),
    sa.ForeignKeyConstraint(['device_id'], ['devices.id'], name=op.f('fk_playback_reports_device_id_devices'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['licence_id'], ['licences.id'], name=op.f('fk_playback_reports_licence_id_licences'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_playback_reports'))
    )
    op.create_index('ix_playback_reports_licence_id', 'playback_reports', ['licence_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_playback_reports_licence_id', table_name='playback_reports')
    op.drop_table('playback_reports')
    op.drop_constraint(op.f('ck_licences_playback_refund_has_time'), 'licences', type_='check')
    op.drop_constraint(op.f('fk_licences_playback_refund_id_order_refunds'), 'licences', type_='foreignkey')
    op.drop_column('licences', 'playback_refund_id')
    op.drop_column('licences', 'playback_refunded_at')
    # PostgreSQL cannot drop an enum value: the type is rebuilt without it.
    op.execute("UPDATE order_refunds SET kind = 'GOODWILL' WHERE kind = 'PLAYBACK_QUALITY'")
    op.execute("ALTER TYPE refund_kind RENAME TO refund_kind_old")
    op.execute("CREATE TYPE refund_kind AS ENUM (" + ", ".join(f"'{k}'" for k in _REFUND_KINDS) + ")")
    op.execute("ALTER TABLE order_refunds ALTER COLUMN kind TYPE refund_kind USING kind::text::refund_kind")
    op.execute("DROP TYPE refund_kind_old")
    op.drop_index('uq_offers_seller_product_condition_option', table_name='offers', postgresql_where=sa.text('archived_at IS NULL'))
    # Rental offers become history: buyers' orders and price history still point at them.
    op.execute("UPDATE offers SET archived_at = coalesce(archived_at, now()) WHERE purchase_option = 'RENT'")
    op.create_index('uq_offers_seller_product_condition', 'offers', ['seller_id', 'product_id', 'condition'], unique=True, postgresql_where=sa.text('archived_at IS NULL'))
    op.drop_column('offers', 'purchase_option')
    sa.Enum(name='purchase_option').drop(op.get_bind())
