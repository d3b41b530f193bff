"""Make DVDs and Blu-rays PHYSICAL products (VIDEO is streaming only, checked per kind) and index each product's featured offer price for search.

Revision ID: 7d4b2e9c6a1f
Revises: 3c5e7a9b1d2f
Create Date: 2026-12-05 10:00:00.000000
"""
from alembic import op

revision = '7d4b2e9c6a1f'
down_revision = '3c5e7a9b1d2f'
branch_labels = None
depends_on = None

# Frozen copies of the rules as of this revision (later code may change them).
_FORMAT_OF_KIND = (
    "(kind = 'PHYSICAL' AND format IN ('HARDCOVER', 'PAPERBACK', 'AUDIOBOOK', 'DVD', 'BLU_RAY', 'CD', 'VINYL',"
    " 'STANDARD')) OR (kind = 'EBOOK' AND format IN ('KINDLE', 'AUDIOBOOK'))"
    " OR (kind = 'VIDEO' AND format IN ('STREAMING')) OR (kind = 'MEMBERSHIP' AND format IN ('STANDARD'))"
)
_FEATURED_PRICE = """
UPDATE search_documents d SET price_minor = f.price_minor, currency = coalesce(f.currency, d.currency)
FROM search_documents d2
LEFT JOIN LATERAL (
    SELECT o.price_minor, o.currency FROM offers o JOIN sellers s ON s.id = o.seller_id
    WHERE o.product_id = d2.product_id AND o.archived_at IS NULL AND o.purchase_option = 'BUY'
      AND o.quantity > 0 AND o.condition = 'NEW' AND s.standing = 'GOOD'
    ORDER BY o.landed_minor, o.fulfilment = 'PLATFORM' DESC, s.rating DESC NULLS LAST, o.id
    LIMIT 1
) f ON true
WHERE d2.product_id = d.product_id
"""
_LOWEST_PRICE = """
UPDATE search_documents d SET min_price_minor = (
    SELECT min(o.price_minor) FROM offers o JOIN sellers s ON s.id = o.seller_id
    WHERE o.product_id = d.product_id AND o.archived_at IS NULL AND s.standing <> 'SUSPENDED'
      AND o.purchase_option = 'BUY' AND o.quantity > 0)
"""
_DISCS = "format IN ('DVD', 'BLU_RAY')"


def upgrade() -> None:
    for table in ('products', 'search_documents'):
        op.execute(f"UPDATE {table} SET kind = 'PHYSICAL' WHERE kind = 'VIDEO' AND {_DISCS}")
    op.create_check_constraint(op.f('ck_products_format_of_kind'), 'products', _FORMAT_OF_KIND)
    op.alter_column('search_documents', 'min_price_minor', new_column_name='price_minor')
    op.execute(_FEATURED_PRICE)


def downgrade() -> None:
    op.alter_column('search_documents', 'price_minor', new_column_name='min_price_minor')
    op.execute(_LOWEST_PRICE)
    op.drop_constraint(op.f('ck_products_format_of_kind'), 'products', type_='check')
    for table in ('products', 'search_documents'):
        op.execute(f"UPDATE {table} SET kind = 'VIDEO' WHERE kind = 'PHYSICAL' AND {_DISCS}")
