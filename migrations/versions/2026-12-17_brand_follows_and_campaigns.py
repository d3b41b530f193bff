"""Add brand follows, brand-message opt-outs, brand campaigns with their recipients, and brand logos.

Revision ID: b7e4c1a9d2f6
Revises: 8e4b1c7d2a95
Create Date: 2026-12-13 06:00:00.000000
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = 'b7e4c1a9d2f6'
down_revision = '8e4b1c7d2a95'
branch_labels = None
depends_on = None

KIND = postgresql.ENUM('NEW_PRODUCT', 'SALE', 'ANNOUNCEMENT', name='brand_campaign_kind', create_type=False)
STATUS = postgresql.ENUM('SCHEDULED', 'SENDING', 'SENT', 'REJECTED', name='brand_campaign_status', create_type=False)


def upgrade() -> None:
    KIND.create(op.get_bind())
    STATUS.create(op.get_bind())
    op.create_table('brand_campaigns',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('brand_id', sa.BigInteger(), nullable=False),
    sa.Column('created_by', sa.BigInteger(), nullable=True),
    sa.Column('kind', KIND, nullable=False),
    sa.Column('subject', sa.String(length=150), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('product_ids', sa.ARRAY(sa.BigInteger()), server_default=sa.text("'{}'"), nullable=False),
    sa.Column('status', STATUS, server_default='SCHEDULED', nullable=False),
    sa.Column('rejection_reasons', sa.ARRAY(sa.Text()), server_default=sa.text("'{}'"), nullable=False),
    sa.Column('recipients_count', sa.Integer(), server_default='0', nullable=False),
    sa.Column('delivered_count', sa.Integer(), server_default='0', nullable=False),
    sa.Column('skipped_count', sa.Integer(), server_default='0', nullable=False),
    sa.Column('batch_size', sa.Integer(), server_default='500', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("(status = 'REJECTED') = (cardinality(rejection_reasons) > 0)", name=op.f('ck_brand_campaigns_rejected_has_reasons')),
    sa.CheckConstraint("(status = 'SENT') = (finished_at IS NOT NULL)", name=op.f('ck_brand_campaigns_finished_when_sent')),
    sa.CheckConstraint("status IN ('SCHEDULED', 'REJECTED') OR started_at IS NOT NULL", name=op.f('ck_brand_campaigns_started_when_sending')),
    sa.CheckConstraint('cardinality(product_ids) <= 10', name=op.f('ck_brand_campaigns_at_most_ten_products')),
    sa.CheckConstraint('delivered_count + skipped_count <= recipients_count', name=op.f('ck_brand_campaigns_counts_consistent')),
    sa.CheckConstraint('length(body) BETWEEN 1 AND 5000', name=op.f('ck_brand_campaigns_body_length')),
    sa.CheckConstraint('length(subject) BETWEEN 1 AND 150', name=op.f('ck_brand_campaigns_subject_length')),
    sa.ForeignKeyConstraint(['brand_id'], ['brands.id'], name=op.f('fk_brand_campaigns_brand_id_brands'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_brand_campaigns'))
    )
    op.create_index('ix_brand_campaigns_brand_id_id', 'brand_campaigns', ['brand_id', 'id'], unique=False)
    op.create_table('brand_follows',
    sa.Column('brand_id', sa.BigInteger(), nullable=False),
    sa.Column('account_id', sa.BigInteger(), nullable=False),
    sa.Column('followed_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('opted_out_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_brand_follows_account_id_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['brand_id'], ['brands.id'], name=op.f('fk_brand_follows_brand_id_brands'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('brand_id', 'account_id', name=op.f('pk_brand_follows'))
    )
    op.create_index('ix_brand_follows_account_id_followed_at', 'brand_follows', ['account_id', 'followed_at', 'brand_id'], unique=False)
    op.create_table('brand_message_opt_outs',
    sa.Column('account_id', sa.BigInteger(), nullable=False),
    sa.Column('opted_out_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_brand_message_opt_outs_account_id_accounts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('account_id', name=op.f('pk_brand_message_opt_outs'))
    )
    op.create_table('brand_campaign_recipients',
    sa.Column('campaign_id', sa.BigInteger(), nullable=False),
    sa.Column('account_id', sa.BigInteger(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('delivered', sa.Boolean(), nullable=True),
    sa.Column('settled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('opted_out_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('position >= 1', name=op.f('ck_brand_campaign_recipients_position_positive')),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_brand_campaign_recipients_account_id_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['campaign_id'], ['brand_campaigns.id'], name=op.f('fk_brand_campaign_recipients_campaign_id_brand_campaigns'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('campaign_id', 'account_id', name=op.f('pk_brand_campaign_recipients'))
    )
    op.create_index('ix_brand_campaign_recipients_account_id', 'brand_campaign_recipients', ['account_id'], unique=False)
    op.create_index('ix_brand_campaign_recipients_opted_out', 'brand_campaign_recipients', ['campaign_id'], unique=False, postgresql_where=sa.text('opted_out_at IS NOT NULL'))
    op.create_index('uq_brand_campaign_recipients_campaign_id_position', 'brand_campaign_recipients', ['campaign_id', 'position'], unique=True)
    op.add_column('brands', sa.Column('logo_url', sa.Text(), nullable=True))
    op.create_check_constraint(op.f('ck_brands_logo_url_https'), 'brands',
                               "logo_url IS NULL OR (logo_url ~ '^https://' AND length(logo_url) <= 2000)")


def downgrade() -> None:
    op.drop_constraint(op.f('ck_brands_logo_url_https'), 'brands', type_='check')
    op.drop_column('brands', 'logo_url')
    op.drop_index('uq_brand_campaign_recipients_campaign_id_position', table_name='brand_campaign_recipients')
    op.drop_index('ix_brand_campaign_recipients_opted_out', table_name='brand_campaign_recipients', postgresql_where=sa.text('opted_out_at IS NOT NULL'))
    op.drop_index('ix_brand_campaign_recipients_account_id', table_name='brand_campaign_recipients')
    op.drop_table('brand_campaign_recipients')
    op.drop_table('brand_message_opt_outs')
    op.drop_index('ix_brand_follows_account_id_followed_at', table_name='brand_follows')
    op.drop_table('brand_follows')
    op.drop_index('ix_brand_campaigns_brand_id_id', table_name='brand_campaigns')
    op.drop_table('brand_campaigns')
    STATUS.drop(op.get_bind())
    KIND.drop(op.get_bind())
