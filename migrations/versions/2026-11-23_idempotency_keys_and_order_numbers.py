"""Add idempotency keys and the order number sequence.

Revision ID: f3c2e2f3a4b5
Revises: f2b1d1e2f3a4
Create Date: 2026-11-23 08:00:00
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = 'f3c2e2f3a4b5'
down_revision = 'f2b1d1e2f3a4'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('idempotency_keys',
    sa.Column('scope', sa.String(length=100), nullable=False),
    sa.Column('operation', sa.String(length=100), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('request_hash', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('response', postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('char_length(key) BETWEEN 1 AND 200', name=op.f('ck_idempotency_keys_key_length')),
    sa.CheckConstraint("request_hash ~ '^[0-9a-f]{64}$'", name=op.f('ck_idempotency_keys_request_hash_format')),
    sa.CheckConstraint("status IN ('IN_PROGRESS', 'COMPLETED')", name=op.f('ck_idempotency_keys_status_known')),
    sa.CheckConstraint("(status = 'COMPLETED') = (response IS NOT NULL)",
                       name=op.f('ck_idempotency_keys_response_when_completed')),
    sa.CheckConstraint('expires_at > created_at', name=op.f('ck_idempotency_keys_expires_after_creation')),
    sa.PrimaryKeyConstraint('scope', 'operation', 'key', name=op.f('pk_idempotency_keys'))
    )
    op.create_index('ix_idempotency_keys_expires_at', 'idempotency_keys', ['expires_at'], unique=False)
    # Order numbers (domain/orders/numbers.py): never cycles; a rolled-back checkout leaves a gap.
    op.execute('CREATE SEQUENCE order_number_seq AS bigint START WITH 1 NO CYCLE')


def downgrade() -> None:
    op.execute('DROP SEQUENCE order_number_seq')
    op.drop_index('ix_idempotency_keys_expires_at', table_name='idempotency_keys')
    op.drop_table('idempotency_keys')
