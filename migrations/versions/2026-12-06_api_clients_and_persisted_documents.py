"""API clients with their own cost budgets, automatic persisted queries and trusted documents.

Revision ID: 7c1d4e9a2f60
Revises: 5e9a3c7f1b84
Create Date: 2026-12-06 02:00:00.000000
"""
from alembic import op
import sqlalchemy as sa

revision = '7c1d4e9a2f60'
down_revision = '5e9a3c7f1b84'
branch_labels = None
depends_on = None

_SHA256 = "^[0-9a-f]{64}$"


def upgrade() -> None:
    op.create_table(
        'api_clients',
        sa.Column('id', sa.BigInteger(), nullable=False),
        sa.Column('name', sa.String(length=63), nullable=False),
        sa.Column('key_hash', sa.String(length=64), nullable=False),
        sa.Column('budget', sa.Integer(), nullable=True),
        sa.Column('trusted_documents_only', sa.Boolean(), server_default=sa.text('false'), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("name ~ '^[a-z0-9][a-z0-9_-]{0,62}$'", name=op.f('ck_api_clients_name_format')),
        sa.CheckConstraint(f"key_hash ~ '{_SHA256}'", name=op.f('ck_api_clients_key_hash_format')),
        sa.CheckConstraint('budget IS NULL OR budget > 0', name=op.f('ck_api_clients_budget_positive')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_api_clients')),
        sa.UniqueConstraint('name', name=op.f('uq_api_clients_name')),
        sa.UniqueConstraint('key_hash', name=op.f('uq_api_clients_key_hash')),
    )
    op.create_table(
        'persisted_queries',
        sa.Column('hash', sa.String(length=64), nullable=False),
        sa.Column('document', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.Column('last_used_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.CheckConstraint(f"hash ~ '{_SHA256}'", name=op.f('ck_persisted_queries_hash_format')),
        sa.PrimaryKeyConstraint('hash', name=op.f('pk_persisted_queries')),
    )
    op.create_index('ix_persisted_queries_last_used_at', 'persisted_queries', ['last_used_at'])
    op.create_table(
        'trusted_documents',
        sa.Column('id', sa.BigInteger(), nullable=False),
        sa.Column('hash', sa.String(length=64), nullable=False),
        sa.Column('client_id', sa.BigInteger(), nullable=True),
        sa.Column('name', sa.String(length=200), nullable=True),
        sa.Column('document', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
        sa.CheckConstraint(f"hash ~ '{_SHA256}'", name=op.f('ck_trusted_documents_hash_format')),
        sa.ForeignKeyConstraint(['client_id'], ['api_clients.id'], ondelete='CASCADE',
                                name=op.f('fk_trusted_documents_client_id_api_clients')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_trusted_documents')),
    )
    op.create_index(op.f('ix_trusted_documents_client_id'), 'trusted_documents', ['client_id'])
    op.create_index('uq_trusted_documents_hash_everyone', 'trusted_documents', ['hash'], unique=True,
                    postgresql_where=sa.text('client_id IS NULL'))
    op.create_index('uq_trusted_documents_hash_client_id', 'trusted_documents', ['hash', 'client_id'], unique=True,
                    postgresql_where=sa.text('client_id IS NOT NULL'))


def downgrade() -> None:
    op.drop_table('trusted_documents')
    op.drop_index('ix_persisted_queries_last_used_at', table_name='persisted_queries')
    op.drop_table('persisted_queries')
    op.drop_table('api_clients')
