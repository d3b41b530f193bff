"""Keeps the search read model (`domain/search/models.py`) in step with the catalogue and the
marketplace.

A document's price is its featured offer's price (the buy box rule of
`domain/marketplace/buy_box.py`, applied to offers to buy): the price a product card shows,
so sorting, the price filter and the price facet agree with it. A product nobody features
(nothing new in stock from a seller in good standing) has no price.

A search index is by nature a join of the catalogue's and the marketplace's tables, and
building it in SQL keeps a full rebuild of 100,000+ products to seconds. It lives here, in the
lower of the two contexts that refresh it, because a document is made of the marketplace's
rules (the buy box, seller standing); the catalogue refreshes it through
`domain.marketplace.service`, and search only reads the documents, so nothing imports back up.
Callers refresh the products they changed, in the same transaction (with an asyncpg
connection, or with their SQLAlchemy session through `refresh_products`). A refresh adds
the new words of its titles, authors and brands to the spelling dictionary (`search_terms`),
so a query for a new title is not "corrected" into an older word; words that no document
uses any more leave the dictionary, and counts are exact again, at the next full `rebuild`.
The search-box suggestions follow the same two paths (`search_suggestions.py`).
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

import asyncpg
from sqlalchemy.ext.asyncio import AsyncSession

from domain.marketplace import buy_box, search_suggestions


class Executor(Protocol):
    """What a refresh needs of a connection: an asyncpg connection, or the caller's
    SQLAlchemy transaction (see `refresh_products`)."""

    async def execute(self, sql: str, *args: Any) -> Any: ...


_DOCUMENT_SELECT = f"""
SELECT p.id, p.title, b.byline, p.kind, p.format, c.path, p.brand_id,
       featured.price_minor, coalesce(featured.currency, o.currency, 'USD'), coalesce(o.in_stock, false),
       coalesce(o.prime_eligible, false), p.average_rating, p.ratings_count, p.release_date,
       p.created_at, p.work_id,
       setweight(to_tsvector('english', p.title), 'A')
       || setweight(to_tsvector('english', b.byline), 'B')
       || setweight(to_tsvector('english', left(p.description, 4000)), 'C')
FROM products p
JOIN categories c ON c.id = p.category_id
CROSS JOIN LATERAL (
    SELECT concat_ws(' ', array_to_string(p.authors, ' '),
                     (SELECT name FROM brands WHERE id = p.brand_id)) AS byline
) b
LEFT JOIN LATERAL (
    SELECT min(o.currency) AS currency,
           bool_or(o.quantity > 0) AS in_stock,
           bool_or(o.quantity > 0 AND o.fulfilment = 'PLATFORM') AS prime_eligible
    FROM offers o JOIN sellers s ON s.id = o.seller_id
    WHERE o.product_id = p.id AND o.archived_at IS NULL AND s.standing <> 'SUSPENDED'
      AND o.purchase_option = 'BUY'
) o ON true
LEFT JOIN LATERAL (
    SELECT o.price_minor, o.currency
    FROM offers o JOIN sellers s ON s.id = o.seller_id
    WHERE o.product_id = p.id AND o.archived_at IS NULL AND o.purchase_option = 'BUY'
      AND {buy_box.FEATURABLE}
    ORDER BY {buy_box.ORDER}
    LIMIT 1
) featured ON true
WHERE p.archived_at IS NULL
"""

_COLUMNS = """(product_id, title, byline, kind, format, category_path, brand_id, price_minor,
  currency, in_stock, prime_eligible, average_rating, ratings_count, release_date, created_at,
  work_id, document)"""

_UPSERT_TAIL = """
ON CONFLICT (product_id) DO UPDATE SET
  title = excluded.title, byline = excluded.byline, kind = excluded.kind,
  format = excluded.format, category_path = excluded.category_path,
  brand_id = excluded.brand_id, price_minor = excluded.price_minor,
  currency = excluded.currency, in_stock = excluded.in_stock,
  prime_eligible = excluded.prime_eligible, average_rating = excluded.average_rating,
  ratings_count = excluded.ratings_count, release_date = excluded.release_date,
  created_at = excluded.created_at, work_id = excluded.work_id, document = excluded.document
"""

_TERMS_REBUILD = """
TRUNCATE search_terms;
INSERT INTO search_terms (word, documents)
SELECT word, ndoc FROM ts_stat(
  $$SELECT to_tsvector('simple', title || ' ' || byline) FROM search_documents$$)
WHERE length(word) BETWEEN 2 AND 40;
"""


async def rebuild(conn: asyncpg.Connection) -> None:
    """Rebuild every search document and the spelling dictionary from scratch."""
    await conn.execute("TRUNCATE search_documents")
    # Most popular first: a search that ranks or counts only its first matches in the table's
    # order (domain/search/repository.py) then takes the popular ones.
    await conn.execute(f"INSERT INTO search_documents {_COLUMNS} {_DOCUMENT_SELECT}"
                       " ORDER BY p.ratings_count DESC, p.id")
    await conn.execute(_TERMS_REBUILD)
    await search_suggestions.rebuild(conn)
    await conn.execute("ANALYZE search_documents; ANALYZE search_terms; ANALYZE search_suggestions;"
                       " ANALYZE search_suggestion_words; ANALYZE search_suggestion_terms")
    # Rows inserted after a TRUNCATE wait in the GIN indexes' pending lists until a vacuum; typo
    # lookups and text matches would scan those lists on every query until then.
    await conn.execute("SELECT gin_clean_pending_list('ix_search_terms_word_trgm'::regclass),"
                       " gin_clean_pending_list('ix_search_documents_document'::regclass)")


_LEARN_TERMS = """
INSERT INTO search_terms (word, documents)
SELECT word, count(*) FROM (
  SELECT DISTINCT d.product_id, t.lexeme AS word
  FROM search_documents d, unnest(to_tsvector('simple', d.title || ' ' || d.byline)) t
  WHERE d.product_id = ANY($1::bigint[]) AND length(t.lexeme) BETWEEN 2 AND 40
) w
GROUP BY word
ON CONFLICT (word) DO NOTHING
"""


async def refresh(conn: Executor, product_ids: Sequence[int]) -> None:
    """Bring the documents of these products up to date (archived ones are removed) and
    learn the words of their titles, authors and brands."""
    ids = list(product_ids)
    await conn.execute(
        f"INSERT INTO search_documents {_COLUMNS} {_DOCUMENT_SELECT} AND p.id = ANY($1::bigint[])"
        f" {_UPSERT_TAIL}",
        ids,
    )
    await conn.execute(
        "DELETE FROM search_documents d USING products p"
        " WHERE d.product_id = p.id AND p.id = ANY($1::bigint[]) AND p.archived_at IS NOT NULL",
        ids,
    )
    await conn.execute(_LEARN_TERMS, ids)
    await search_suggestions.refresh(conn, ids)


_COUNT_TERMS_OF_RANGE = """
INSERT INTO search_terms (word, documents)
SELECT word, count(*) FROM (
  SELECT DISTINCT d.product_id, t.lexeme AS word
  FROM search_documents d, unnest(to_tsvector('simple', d.title || ' ' || d.byline)) t
  WHERE d.product_id BETWEEN $1 AND $2 AND length(t.lexeme) BETWEEN 2 AND 40
) w
GROUP BY word
ON CONFLICT (word) DO UPDATE SET documents = search_terms.documents + excluded.documents
"""


async def add_range(conn: asyncpg.Connection, first_id: int, last_id: int) -> None:
    """Index products `first_id`..`last_id`, new in bulk (a seed growing the catalogue): one
    statement for their documents, and their words counted into the dictionary, so the counts
    stay exact without a full `rebuild`. The search-box suggestions are made again from every
    document: their weights count products across the whole catalogue, and a refresh by product
    id recounts one title at a time."""
    await conn.execute(
        f"INSERT INTO search_documents {_COLUMNS} {_DOCUMENT_SELECT} AND p.id BETWEEN $1 AND $2 {_UPSERT_TAIL}",
        first_id, last_id,
    )
    await conn.execute(_COUNT_TERMS_OF_RANGE, first_id, last_id)
    await search_suggestions.rebuild(conn)
    await conn.execute("ANALYZE search_documents; ANALYZE search_terms; ANALYZE search_suggestions;"
                       " ANALYZE search_suggestion_words; ANALYZE search_suggestion_terms")


async def move_category(conn: Executor, old_path: str, new_path: str) -> None:
    """Documents of the products under a moved category follow it to its new place in the tree."""
    await conn.execute(
        "UPDATE search_documents SET category_path = CASE WHEN category_path = $1::ltree THEN $2::ltree"
        " ELSE $2::ltree || subpath(category_path, nlevel($1::ltree)) END"
        " WHERE category_path <@ $1::ltree",
        old_path, new_path,
    )


class _CallersTransaction:
    """`execute` over the caller's session: same connection, same transaction, so a
    document changes exactly when the catalogue change it reflects commits."""

    __slots__ = ("_session",)

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def execute(self, sql: str, *args: Any) -> None:
        connection = await self._session.connection()
        await connection.exec_driver_sql(sql, args)


async def refresh_products(session: AsyncSession, product_ids: Sequence[int]) -> None:
    """`refresh` in the caller's transaction: new and changed products become findable,
    archived ones disappear."""
    if product_ids:
        await refresh(_CallersTransaction(session), sorted(set(product_ids)))


async def move_category_in(session: AsyncSession, old_path: str, new_path: str) -> None:
    """`move_category` in the caller's transaction."""
    await move_category(_CallersTransaction(session), old_path, new_path)
