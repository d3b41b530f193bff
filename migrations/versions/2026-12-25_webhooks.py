"""Add webhooks, their delivery log, and the dispatcher's cursor in the events outbox.

Revision ID: 9b2d5e8f3c41
Revises: 5c2e9a7d1f36
Create Date: 2026-12-25 06:00:00.000000
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '9b2d5e8f3c41'
down_revision = '5c2e9a7d1f36'
branch_labels = None
depends_on = None

STATUS = postgresql.ENUM('PENDING', 'SUCCEEDED', 'FAILED', name='webhook_delivery_status', create_type=False)


def upgrade() -> None:
    STATUS.create(op.get_bind(), checkfirst=False)
    op.create_table(
        'webhooks',
        sa.Column('id', sa.BigInteger(), nullable=False),
        sa.Column('owner_account_id', sa.BigInteger(), nullable=False),
        sa.Column('seller_id', sa.BigInteger(), nullable=True),
        sa.Column('url', sa.Text(), nullable=False),
        sa.Column('events', postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column('query', sa.Text(), nullable=True),
        sa.Column('secret', sa.Text(), nullable=False),
        sa.Column('failing_since', sa.DateTime(timezone=True), nullable=True),
        sa.Column('disabled_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.CheckConstraint('cardinality(events) >= 1', name=op.f('ck_webhooks_has_events')),
        sa.CheckConstraint('length(url) <= 2000', name=op.f('ck_webhooks_url_length')),
        sa.CheckConstraint('length(query) <= 10000', name=op.f('ck_webhooks_query_length')),
        sa.ForeignKeyConstraint(['owner_account_id'], ['accounts.id'], name=op.f('fk_webhooks_owner_account_id_accounts'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['seller_id'], ['sellers.id'], name=op.f('fk_webhooks_seller_id_sellers'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_webhooks')),
    )
    op.create_index('ix_webhooks_seller_id', 'webhooks', ['seller_id', 'id'], unique=False)
    op.create_index('ix_webhooks_events_live', 'webhooks', ['events'], unique=False, postgresql_using='gin',
                    postgresql_where=sa.text('disabled_at IS NULL'))
    op.create_table(
        'webhook_deliveries',
        sa.Column('id', sa.BigInteger(), nullable=False),
        sa.Column('webhook_id', sa.BigInteger(), nullable=False),
        sa.Column('event_id', sa.BigInteger(), nullable=True),
        sa.Column('event_kind', sa.Text(), nullable=False),
        sa.Column('body', sa.Text(), nullable=True),
        sa.Column('status', STATUS, server_default='PENDING', nullable=False),
        sa.Column('attempts', sa.Integer(), server_default='0', nullable=False),
        sa.Column('response_status', sa.SmallInteger(), nullable=True),
        sa.Column('duration_ms', sa.Integer(), nullable=True),
        sa.Column('error', sa.Text(), nullable=True),
        sa.Column('retry_until', sa.DateTime(timezone=True), nullable=False),
        sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('last_attempt_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.CheckConstraint('attempts >= 0', name=op.f('ck_webhook_deliveries_attempts_not_negative')),
        sa.CheckConstraint('length(error) <= 500', name=op.f('ck_webhook_deliveries_error_length')),
        sa.ForeignKeyConstraint(['webhook_id'], ['webhooks.id'], name=op.f('fk_webhook_deliveries_webhook_id_webhooks'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_webhook_deliveries')),
    )
    op.create_index('uq_webhook_deliveries_event', 'webhook_deliveries', ['webhook_id', 'event_id'], unique=True,
                    postgresql_where=sa.text('event_id IS NOT NULL'))
    op.create_index('ix_webhook_deliveries_webhook', 'webhook_deliveries', ['webhook_id', sa.text('id DESC')],
                    unique=False)
    op.create_index('ix_webhook_deliveries_finished', 'webhook_deliveries', ['finished_at'], unique=False,
                    postgresql_where=sa.text('finished_at IS NOT NULL'))
    op.create_table(
        'webhook_dispatch_cursor',
        sa.Column('id', sa.SmallInteger(), nullable=False),
        sa.Column('last_event_id', sa.BigInteger(), nullable=False),
        sa.Column('pending_gaps', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'"), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.CheckConstraint('id = 1', name=op.f('ck_webhook_dispatch_cursor_single_row')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_webhook_dispatch_cursor')),
    )


def downgrade() -> None:
    op.drop_table('webhook_dispatch_cursor')
    op.drop_index('ix_webhook_deliveries_finished', table_name='webhook_deliveries')
    op.drop_index('ix_webhook_deliveries_webhook', table_name='webhook_deliveries')
    op.drop_index('uq_webhook_deliveries_event', table_name='webhook_deliveries')
    op.drop_table('webhook_deliveries')
    op.drop_index('ix_webhooks_events_live', table_name='webhooks')
    op.drop_index('ix_webhooks_seller_id', table_name='webhooks')
    op.drop_table('webhooks')
    STATUS.drop(op.get_bind(), checkfirst=False)
