"""Create the catalogue, marketplace and search tables with the extensions they need.

Revision ID: e5158502d5e7
Revises: 
Create Date: 2026-11-23 04:45:58.271826
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

import domain.shared.types

revision = 'e5158502d5e7'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute('CREATE EXTENSION IF NOT EXISTS ltree')
    op.execute('CREATE EXTENSION IF NOT EXISTS pg_trgm')
    op.create_table('brands',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('slug', sa.String(length=140), nullable=False),
    sa.Column('description', sa.Text(), server_default='', nullable=False),
    sa.CheckConstraint("slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'", name=op.f('ck_brands_slug_format')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_brands')),
    sa.UniqueConstraint('slug', name=op.f('uq_brands_slug'))
    )
    op.create_table('categories',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('parent_id', sa.BigInteger(), nullable=True),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('slug', sa.String(length=140), nullable=False),
    sa.Column('description', sa.Text(), server_default='', nullable=False),
    sa.Column('path', domain.shared.types.Ltree(), nullable=False),
    sa.Column('position', sa.Integer(), server_default='0', nullable=False),
    sa.CheckConstraint("slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'", name=op.f('ck_categories_slug_format')),
    sa.CheckConstraint('parent_id IS NULL OR parent_id <> id', name=op.f('ck_categories_not_own_parent')),
    sa.ForeignKeyConstraint(['parent_id'], ['categories.id'], name=op.f('fk_categories_parent_id_categories'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_categories')),
    sa.UniqueConstraint('slug', name=op.f('uq_categories_slug'))
    )
    op.create_index('ix_categories_parent_id_position', 'categories', ['parent_id', 'position'], unique=False)
    op.create_index('ix_categories_path_gist', 'categories', ['path'], unique=False, postgresql_using='gist')
    op.create_table('search_terms',
    sa.Column('word', sa.Text(), nullable=False),
    sa.Column('documents', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('word', name=op.f('pk_search_terms'))
    )
    op.create_index('ix_search_terms_word_trgm', 'search_terms', ['word'], unique=False, postgresql_using='gin', postgresql_ops={'word': 'gin_trgm_ops'})
    op.create_table('sellers',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('slug', sa.String(length=140), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('is_first_party', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('standing', postgresql.ENUM('GOOD', 'AT_RISK', 'SUSPENDED', name='seller_standing'), server_default='GOOD', nullable=False),
    sa.Column('rating', sa.Numeric(precision=3, scale=2), nullable=True),
    sa.Column('ratings_count', sa.Integer(), server_default='0', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'", name=op.f('ck_sellers_slug_format')),
    sa.CheckConstraint('rating IS NULL OR rating BETWEEN 0 AND 5', name=op.f('ck_sellers_rating_range')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sellers')),
    sa.UniqueConstraint('slug', name=op.f('uq_sellers_slug'))
    )
    op.create_index('uq_sellers_first_party', 'sellers', ['is_first_party'], unique=True, postgresql_where=sa.text('is_first_party'))
    op.create_table('works',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('original_title', sa.String(length=500), nullable=True),
    sa.Column('original_publication_year', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_works'))
    )
    op.create_table('products',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('slug', sa.String(length=200), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('description', sa.Text(), server_default='', nullable=False),
    sa.Column('kind', postgresql.ENUM('PHYSICAL', 'EBOOK', 'VIDEO', 'MEMBERSHIP', name='product_kind'), nullable=False),
    sa.Column('format', postgresql.ENUM('HARDCOVER', 'PAPERBACK', 'KINDLE', 'AUDIOBOOK', 'DVD', 'BLU_RAY', 'CD', 'VINYL', 'STREAMING', 'STANDARD', name='product_format'), nullable=False),
    sa.Column('category_id', sa.BigInteger(), nullable=False),
    sa.Column('brand_id', sa.BigInteger(), nullable=True),
    sa.Column('work_id', sa.BigInteger(), nullable=True),
    sa.Column('isbn', sa.String(length=13), nullable=True),
    sa.Column('authors', postgresql.ARRAY(sa.Text()), server_default=sa.text("'{}'"), nullable=False),
    sa.Column('attributes', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False),
    sa.Column('images', postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'[]'::jsonb"), nullable=False),
    sa.Column('release_date', sa.Date(), nullable=True),
    sa.Column('average_rating', sa.Numeric(precision=3, scale=2), nullable=True),
    sa.Column('ratings_count', sa.Integer(), server_default='0', nullable=False),
    sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("isbn IS NULL OR isbn ~ '^97[89][0-9]{10}$'", name=op.f('ck_products_isbn13')),
    sa.CheckConstraint("jsonb_typeof(attributes) = 'object'", name=op.f('ck_products_attributes_object')),
    sa.CheckConstraint("jsonb_typeof(images) = 'array'", name=op.f('ck_products_images_array')),
    sa.CheckConstraint("slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'", name=op.f('ck_products_slug_format')),
    sa.CheckConstraint('average_rating IS NULL OR average_rating BETWEEN 1 AND 5', name=op.f('ck_products_average_rating_range')),
    sa.CheckConstraint('ratings_count >= 0', name=op.f('ck_products_ratings_count_positive')),
    sa.ForeignKeyConstraint(['brand_id'], ['brands.id'], name=op.f('fk_products_brand_id_brands'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['category_id'], ['categories.id'], name=op.f('fk_products_category_id_categories'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['work_id'], ['works.id'], name=op.f('fk_products_work_id_works'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_products')),
    sa.UniqueConstraint('isbn', name=op.f('uq_products_isbn')),
    sa.UniqueConstraint('slug', name=op.f('uq_products_slug'))
    )
    op.create_index('ix_products_brand_id', 'products', ['brand_id'], unique=False)
    op.create_index('ix_products_category_id', 'products', ['category_id'], unique=False)
    op.create_index('ix_products_work_id', 'products', ['work_id'], unique=False)
    op.create_table('offers',
    sa.Column('id', sa.BigInteger(), nullable=False),
    sa.Column('seller_id', sa.BigInteger(), nullable=False),
    sa.Column('product_id', sa.BigInteger(), nullable=False),
    sa.Column('condition', postgresql.ENUM('NEW', 'USED', name='offer_condition'), nullable=False),
    sa.Column('condition_note', sa.Text(), server_default='', nullable=False),
    sa.Column('fulfilment', postgresql.ENUM('MERCHANT', 'PLATFORM', name='fulfilment'), nullable=False),
    sa.Column('price_minor', sa.BigInteger(), nullable=False),
    sa.Column('shipping_minor', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('currency', sa.String(length=3), server_default='USD', nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('landed_minor', sa.BigInteger(), sa.Computed('price_minor + shipping_minor', persisted=True), nullable=False),
    sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('now()'), nullable=False),
    sa.CheckConstraint("currency ~ '^[A-Z]{3}$'", name=op.f('ck_offers_currency_code')),
    sa.CheckConstraint('price_minor >= 0', name=op.f('ck_offers_price_not_negative')),
    sa.CheckConstraint('quantity >= 0', name=op.f('ck_offers_quantity_not_negative')),
    sa.CheckConstraint('shipping_minor >= 0', name=op.f('ck_offers_shipping_not_negative')),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_offers_product_id_products'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['seller_id'], ['sellers.id'], name=op.f('fk_offers_seller_id_sellers'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_offers'))
    )
    op.create_index('ix_offers_product_id_landed', 'offers', ['product_id', 'landed_minor'], unique=False)
    op.create_index('ix_offers_seller_id_id', 'offers', ['seller_id', 'id'], unique=False)
    op.create_index('uq_offers_seller_product_condition', 'offers', ['seller_id', 'product_id', 'condition'], unique=True, postgresql_where=sa.text('archived_at IS NULL'))
    op.create_table('search_documents',
    sa.Column('product_id', sa.BigInteger(), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('byline', sa.Text(), server_default='', nullable=False),
    sa.Column('kind', postgresql.ENUM('PHYSICAL', 'EBOOK', 'VIDEO', 'MEMBERSHIP', name='product_kind'), nullable=False),
    sa.Column('format', postgresql.ENUM('HARDCOVER', 'PAPERBACK', 'KINDLE', 'AUDIOBOOK', 'DVD', 'BLU_RAY', 'CD', 'VINYL', 'STREAMING', 'STANDARD', name='product_format'), nullable=False),
    sa.Column('category_path', domain.shared.types.Ltree(), nullable=False),
    sa.Column('brand_id', sa.BigInteger(), nullable=True),
    sa.Column('min_price_minor', sa.BigInteger(), nullable=True),
    sa.Column('currency', sa.String(length=3), server_default='USD', nullable=False),
    sa.Column('in_stock', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('prime_eligible', sa.Boolean(), server_default=sa.text('false'), nullable=False),
    sa.Column('average_rating', sa.Numeric(precision=3, scale=2), nullable=True),
    sa.Column('ratings_count', sa.Integer(), server_default='0', nullable=False),
    sa.Column('release_date', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('document', postgresql.TSVECTOR(), nullable=False),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_search_documents_product_id_products'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('product_id', name=op.f('pk_search_documents'))
    )
    op.create_index('ix_search_documents_brand_id', 'search_documents', ['brand_id'], unique=False)
    op.create_index('ix_search_documents_category_path', 'search_documents', ['category_path'], unique=False, postgresql_using='gist')
    op.create_index('ix_search_documents_document', 'search_documents', ['document'], unique=False, postgresql_using='gin')
    op.create_index('ix_search_documents_popularity', 'search_documents', [sa.literal_column('ratings_count DESC'), 'product_id'], unique=False)
    op.create_index('ix_search_documents_price', 'search_documents', ['min_price_minor', 'product_id'], unique=False)
    op.create_index('ix_search_documents_release', 'search_documents', [sa.literal_column('release_date DESC NULLS LAST'), 'product_id'], unique=False)
    op.create_index('ix_search_documents_title', 'search_documents', ['title', 'product_id'], unique=False)
    op.create_index('ix_search_documents_title_trgm', 'search_documents', [sa.func.lower(sa.text('title')).label('lower_title')], unique=False, postgresql_using='gin', postgresql_ops={'lower_title': 'gin_trgm_ops'})


def downgrade() -> None:
    op.drop_index('ix_search_documents_title_trgm', table_name='search_documents', postgresql_using='gin')
    op.drop_index('ix_search_documents_title', table_name='search_documents')
    op.drop_index('ix_search_documents_release', table_name='search_documents')
    op.drop_index('ix_search_documents_price', table_name='search_documents')
    op.drop_index('ix_search_documents_popularity', table_name='search_documents')
    op.drop_index('ix_search_documents_document', table_name='search_documents', postgresql_using='gin')
    op.drop_index('ix_search_documents_category_path', table_name='search_documents', postgresql_using='gist')
    op.drop_index('ix_search_documents_brand_id', table_name='search_documents')
    op.drop_table('search_documents')
    op.drop_index('uq_offers_seller_product_condition', table_name='offers', postgresql_where=sa.text('archived_at IS NULL'))
    op.drop_index('ix_offers_seller_id_id', table_name='offers')
    op.drop_index('ix_offers_product_id_landed', table_name='offers')
    op.drop_table('offers')
    op.drop_index('ix_products_work_id', table_name='products')
    op.drop_index('ix_products_category_id', table_name='products')
    op.drop_index('ix_products_brand_id', table_name='products')
    op.drop_table('products')
    op.drop_table('works')
    op.drop_index('uq_sellers_first_party', table_name='sellers', postgresql_where=sa.text('is_first_party'))
    op.drop_table('sellers')
    op.drop_index('ix_search_terms_word_trgm', table_name='search_terms', postgresql_using='gin')
    op.drop_table('search_terms')
    op.drop_index('ix_categories_path_gist', table_name='categories', postgresql_using='gist')
    op.drop_index('ix_categories_parent_id_position', table_name='categories')
    op.drop_table('categories')
    op.drop_table('brands')
    for enum in ('fulfilment', 'offer_condition', 'seller_standing', 'product_format', 'product_kind'):
        op.execute(f'DROP TYPE {enum}')
    # The extensions stay: other databases' objects may use them and they hold no data.
