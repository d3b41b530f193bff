"""Index the search documents' words together with their category ids, so a search within a department intersects both in one index scan.

Revision ID: 3c7e9a2d5f14
Revises: 9b2d5e8f3c41
Create Date: 2026-12-26 06:00:00.000000
"""
from alembic import op
import sqlalchemy as sa

revision = '3c7e9a2d5f14'
down_revision = '9b2d5e8f3c41'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_search_documents_document_categories', 'search_documents',
                    ['document', sa.text("string_to_array(category_path::text, '.')")], unique=False,
                    postgresql_using='gin')


def downgrade() -> None:
    op.drop_index('ix_search_documents_document_categories', table_name='search_documents', postgresql_using='gin')
