"""Add archiving of categories and brands, and staged product imports with their uploaded chunks.

Revision ID: c47a1091b2d3
Revises: 5940ac48226c
Create Date: 2026-11-23 07:00:00
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = 'c47a1091b2d3'
down_revision = '5940ac48226c'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('categories', sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('brands', sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True))
    op.create_table('product_imports',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('created_by', sa.BigInteger(), nullable=True),
    sa.Column('format', postgresql.ENUM('CSV', 'JSONL', name='product_import_format'), nullable=False),
    sa.Column('dry_run', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('status', postgresql.ENUM('UPLOADING', 'PENDING', 'RUNNING', 'DONE', 'FAILED', name='product_import_status'), server_default='UPLOADING', nullable=False),
    sa.Column('chunks', sa.Integer(), server_default='0', nullable=False),
    sa.Column('size_bytes', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('rows_total', sa.Integer(), nullable=True),
    sa.Column('rows_processed', sa.Integer(), server_default='0', nullable=False),
    sa.Column('rows_created', sa.Integer(), server_default='0', nullable=False),
    sa.Column('rows_updated', sa.Integer(), server_default='0', nullable=False),
    sa.Column('rows_failed', sa.Integer(), server_default='0', nullable=False),
    sa.Column('errors', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'[]'::jsonb"), nullable=False),
    sa.Column('failure_message', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('chunks >= 0 AND size_bytes >= 0', name=op.f('ck_product_imports_size_not_negative')),
    sa.CheckConstraint('rows_processed >= 0 AND rows_created >= 0 AND rows_updated >= 0 AND rows_failed >= 0 AND rows_created + rows_updated + rows_failed = rows_processed', name=op.f('ck_product_imports_row_counts_add_up')),
    sa.CheckConstraint("jsonb_typeof(errors) = 'array'", name=op.f('ck_product_imports_errors_array')),
    sa.ForeignKeyConstraint(['created_by'], ['accounts.id'], name=op.f('fk_product_imports_created_by_accounts'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_product_imports'))
    )
    op.create_index('ix_product_imports_created_by', 'product_imports', ['created_by'], unique=False)
    op.create_table('product_import_chunks',
    sa.Column('import_id', sa.BigInteger(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.CheckConstraint('position >= 0', name=op.f('ck_product_import_chunks_position_not_negative')),
    sa.ForeignKeyConstraint(['import_id'], ['product_imports.id'], name=op.f('fk_product_import_chunks_import_id_product_imports'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('import_id', 'position', name=op.f('pk_product_import_chunks'))
    )


def downgrade() -> None:
    op.drop_table('product_import_chunks')
    op.drop_index('ix_product_imports_created_by', table_name='product_imports')
    op.drop_table('product_imports')
    op.execute('DROP TYPE IF EXISTS product_import_status')
    op.execute('DROP TYPE IF EXISTS product_import_format')
    op.drop_column('brands', 'archived_at')
    op.drop_column('categories', 'archived_at')
