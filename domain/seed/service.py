"""Seeds an empty, migrated database with the demo catalogue and marketplace.

Ten thousand real books (goodbooks-10k) in hardcover, paperback and Kindle editions, generated
general merchandise, invented brands and sellers, and their offers; the readers of the ratings
sample as demo customers with their delivered orders and star ratings; then the search index.
Everything is derived from fixed seeds and a fixed reference date, so every run yields the
same rows and tests can rely on them.
"""
from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import astuple

import asyncpg

from domain.licences import service as licences
from domain.marketplace import search_index
from domain.marketplace import service as marketplace
from domain.seed import bulk
from domain.seed.dataset import Dataset, build_dataset
from domain.seed.demo_customers import insert_demo_customers, prepare_demo_customers
from domain.seed.merchandise import MERCHANDISE_PER_SCALE
from domain.seed.offers import OFFER_COLUMNS, PRICE_HISTORY_COLUMNS
from domain.seed.records import BRAND_COLUMNS, PRODUCT_COLUMNS, WORK_COLUMNS
from domain.seed.sellers import SELLER_COLUMNS

_SEEDED_TABLES = ("categories", "brands", "works", "products", "sellers", "offers")
_HISTORY_TABLES = ("accounts", "carts", "orders", "shipments", "order_lines", "payments", "reviews",
                   "review_summaries", "profiles", "profile_follows")
_COUNTED_TABLES = (*_SEEDED_TABLES, "offer_price_history", "search_documents", "search_terms", "digital_contents",
                   "accounts", "orders", "reviews")

# Categories go through INSERT ... unnest rather than COPY: COPY is binary and asyncpg has
# no binary codec for ltree, while a text parameter cast to ltree works everywhere.
_INSERT_CATEGORIES = """
INSERT INTO categories (id, parent_id, name, slug, description, path, position)
SELECT id, parent_id, name, slug, description, path::ltree, position
FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[],
            $7::int[]) AS c(id, parent_id, name, slug, description, path, position)
"""


async def seed(
    conn: asyncpg.Connection,
    *,
    scale: int = 1,
    books_limit: int | None = None,
    merchandise: int | None = None,
    customers_limit: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, int]:
    """Fill an empty database in one transaction and return the row count of each table.

    `scale` multiplies the generated merchandise (5,000 products per step; past 100,000 the
    rest is made inside PostgreSQL, see `bulk`); `merchandise` sets that number outright and `books_limit` takes only the first books of the data set,
    for quick test databases; `customers_limit` keeps only the first demo customers (readers
    of the ratings sample, with their orders and reviews of the seeded books; 0 for none). Raises RuntimeError if the catalogue already has data.
    """
    _check_arguments(scale, books_limit, merchandise, customers_limit)
    say = progress or _silent
    count = MERCHANDISE_PER_SCALE * scale if merchandise is None else merchandise
    async with conn.transaction():
        # Two processes starting on one empty database must not both seed it.
        await conn.execute("SELECT pg_advisory_xact_lock(hashtext('tributary.seed'))")
        await _refuse_if_seeded(conn)
        say("building the demo data set")
        # CPU-bound for a few seconds: keep the event loop free for whoever else runs on it.
        data = await asyncio.to_thread(build_dataset, merchandise=min(count, bulk.PYTHON_MERCHANDISE),
                                       books_limit=books_limit)
        demo = None if customers_limit == 0 else await prepare_demo_customers(
            conn, data.products, data.offers, limit=customers_limit, books=books_limit)
        await _insert(conn, data, say)
        if demo is not None:
            await insert_demo_customers(conn, await demo, say)
        say(f"digital contents (e-books and streams): {await licences.seed_digital_contents(conn)}")
        await _reset_sequences(conn)
        if count > bulk.PYTHON_MERCHANDISE:
            last = data.products[-1].id
            await bulk.add_merchandise(conn, last + 1, last + count - bulk.PYTHON_MERCHANDISE, say)
            await _reset_sequences(conn)
        await conn.execute(f"ANALYZE {', '.join(_SEEDED_TABLES + _HISTORY_TABLES)}")
        say("building the search index")
        await search_index.rebuild(conn)
        counts = await _counts(conn)
    say("done: " + ", ".join(f"{table} {n}" for table, n in counts.items()))
    return counts


def _silent(_message: str) -> None:
    pass


def _check_arguments(scale: int, books_limit: int | None, merchandise: int | None,
                     customers_limit: int | None) -> None:
    if scale < 1:
        raise ValueError(f"scale must be at least 1, got {scale}")
    if books_limit is not None and books_limit < 0:
        raise ValueError(f"books_limit must not be negative, got {books_limit}")
    if customers_limit is not None and customers_limit < 0:
        raise ValueError(f"customers_limit must not be negative, got {customers_limit}")
    if merchandise is not None and merchandise < 0:
        raise ValueError(f"merchandise must not be negative, got {merchandise}")


async def _refuse_if_seeded(conn: asyncpg.Connection) -> None:
    products = await conn.fetchval("SELECT count(*) FROM products")
    if products:
        raise RuntimeError(
            f"refusing to seed: the database already has {products} products; "
            "seed only a freshly migrated, empty database"
        )
    # Explicit ids would collide with rows left behind in the other tables.
    for table in _SEEDED_TABLES:
        if await conn.fetchval(f"SELECT EXISTS (SELECT 1 FROM {table})"):
            raise RuntimeError(
                f"refusing to seed: table {table} already has rows; "
                "seed only a freshly migrated, empty database"
            )


# The membership library of the demo, the same titles at every seed: every fourth e-book by id
# (300 at most) and every other streaming video (videos are fewer; 300 at most). Every column is
# qualified: an unqualified `format` outside the numbered rows once resolved to the row being
# updated, a correlated subquery that PostgreSQL 15 and 16 re-ran for each of the 30,000+
# products (a quarter of an hour), where 17 and later turn it into a join.
_MEMBERSHIP_LIBRARY = """WITH marked AS (
  UPDATE products p SET membership_included = true
  FROM (SELECT id, format, row_number() OVER (PARTITION BY format ORDER BY id) AS n FROM products
        WHERE (kind = 'EBOOK' AND format = 'KINDLE') OR (kind = 'VIDEO' AND format = 'STREAMING')) s
  WHERE p.id = s.id
    AND ((s.format = 'KINDLE' AND s.n % 4 = 1 AND s.n <= 1200)
         OR (s.format = 'STREAMING' AND s.n % 2 = 1 AND s.n <= 600))
  RETURNING 1)
SELECT count(*) FROM marked"""


async def _insert(conn: asyncpg.Connection, data: Dataset, say: Callable[[str], None]) -> None:
    columns = list(zip(*(astuple(c) for c in data.categories)))
    await conn.execute(_INSERT_CATEGORIES, *(list(column) for column in columns))
    say(f"categories: {len(data.categories)}")
    say(f"commission rates: {await marketplace.seed_default_commission_rates(conn)}")
    await _copy(conn, "brands", BRAND_COLUMNS, [b.record() for b in data.brands], say)
    await _copy(conn, "works", WORK_COLUMNS, [w.record() for w in data.works], say)
    await _copy(conn, "products", PRODUCT_COLUMNS, [p.record() for p in data.products], say)
    say(f"membership library: {await conn.fetchval(_MEMBERSHIP_LIBRARY)}")
    say(f"lendable e-books: {await _mark_lendable(conn)}")
    await _copy(conn, "sellers", SELLER_COLUMNS, [s.record() for s in data.sellers], say)
    await _copy(conn, "offers", OFFER_COLUMNS, [o.record() for o in data.offers], say)
    await _copy(conn, "offer_price_history", PRICE_HISTORY_COLUMNS, [o.history_record() for o in data.offers], say)


async def _mark_lendable(conn: asyncpg.Connection) -> int:
    """Publishers allow lending of about two Kindle e-books in five: by product id, so the same
    titles each time the demo data is seeded."""
    status = await conn.execute("UPDATE products SET lendable = true WHERE format = 'KINDLE' AND id % 5 IN (1, 3)")
    return int(status.split()[-1])


async def _copy(
    conn: asyncpg.Connection, table: str, columns: Sequence[str],
    records: list[tuple[object, ...]], say: Callable[[str], None],
) -> None:
    if records:
        await conn.copy_records_to_table(table, records=records, columns=list(columns))
    say(f"{table}: {len(records)}")


async def _reset_sequences(conn: asyncpg.Connection) -> None:
    # Rows were given explicit ids, so move each id sequence past them for later inserts.
    for table in _SEEDED_TABLES:
        await conn.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), coalesce(max(id), 1),"
            f" max(id) IS NOT NULL) FROM {table}"
        )


async def _counts(conn: asyncpg.Connection) -> dict[str, int]:
    return {
        table: await conn.fetchval(f"SELECT count(*) FROM {table}") for table in _COUNTED_TABLES
    }


async def add_demo_customers(
    conn: asyncpg.Connection, *, scale: int = 1, books_limit: int | None = None,
    merchandise: int | None = None, customers_limit: int | None = None,
) -> int:
    """Add the demo customers, their histories and reviews to a database seeded without them
    (`customers_limit=0`) with the same catalogue arguments; returns how many were added."""
    _check_arguments(scale, books_limit, merchandise, customers_limit)
    count = MERCHANDISE_PER_SCALE * scale if merchandise is None else merchandise
    async with conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock(hashtext('tributary.seed'))")
        data = await asyncio.to_thread(build_dataset, merchandise=count, books_limit=books_limit)
        demo = await prepare_demo_customers(conn, data.products, data.offers, limit=customers_limit,
                                            books=books_limit)
        customers = await demo
        await insert_demo_customers(conn, customers, _silent)
        await conn.execute(f"ANALYZE {', '.join(_HISTORY_TABLES)}")
    return len(customers.customers)


async def grow(conn: asyncpg.Connection, products: int, progress: Callable[[str], None] | None = None) -> int:
    """Add generated merchandise (see `bulk`) after the last product of a seeded database until
    it holds `products` products in all, with their offers and search documents, in one
    transaction; returns how many were added (none when it already holds that many)."""
    say = progress or _silent
    async with conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock(hashtext('tributary.seed'))")
        last = await conn.fetchval("SELECT coalesce(max(id), 0) FROM products")
        if not last:
            raise RuntimeError("refusing to grow: the database has no products; seed it first")
        have = await conn.fetchval("SELECT count(*) FROM products")
        added = products - have
        if added <= 0:
            return 0
        await bulk.add_merchandise(conn, last + 1, last + added, say)
        await _reset_sequences(conn)
        await conn.execute("ANALYZE products, offers, offer_price_history")
        say("indexing the new products for search")
        await search_index.add_range(conn, last + 1, last + added)
    return added
