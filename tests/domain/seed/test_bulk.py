"""Growing a seeded catalogue with merchandise generated inside PostgreSQL (the seed's path past
100,000 items): sellable, searchable products, the same ones whenever they are generated."""
import asyncpg
import pytest

from domain.seed.service import grow
from tests.fixtures.db import rolled_back

ADDED = 400


async def _new_products(conn, first: int) -> list[asyncpg.Record]:
    return await conn.fetch(
        "SELECT p.id, p.title, p.slug, b.name AS brand, d.price_minor, d.in_stock, d.prime_eligible,"
        " (SELECT count(*) FROM offers o WHERE o.product_id = p.id) AS offers,"
        " (SELECT count(*) FROM offer_price_history h JOIN offers o ON o.id = h.offer_id"
        "  WHERE o.product_id = p.id) AS history"
        " FROM products p JOIN brands b ON b.id = p.brand_id"
        " LEFT JOIN search_documents d ON d.product_id = p.id WHERE p.id >= $1 ORDER BY p.id", first)


async def test_grown_products_are_sold_indexed_and_the_same_each_time(database):
    async with rolled_back(database) as conn:
        before = await conn.fetchval("SELECT count(*) FROM products")
        first = await conn.fetchval("SELECT max(id) FROM products") + 1
        black = await conn.fetchval("SELECT coalesce(sum(documents), 0) FROM search_terms WHERE word = 'black'")

        class Undo(Exception):
            pass

        with pytest.raises(Undo):
            async with conn.transaction():
                assert await grow(conn, before + ADDED) == ADDED
                once = await _new_products(conn, first)
                learnt = await conn.fetchval("SELECT documents FROM search_terms WHERE word = 'black'")
                suggested = await conn.fetchval(
                    "SELECT count(*) FROM search_suggestions WHERE kind = 'PRODUCT' AND ref_id >= $1", first)
                raise Undo
        assert await grow(conn, before + ADDED) == ADDED
        again = await _new_products(conn, first)
        assert await grow(conn, before + ADDED) == 0
        assert await grow(conn, before) == 0

    assert [tuple(r) for r in again] == [tuple(r) for r in once]
    assert len(once) == ADDED and [r["id"] for r in once] == list(range(first, first + ADDED))
    assert all(r["title"].startswith(r["brand"] + " ") for r in once)
    assert len({r["slug"] for r in once}) == ADDED
    assert all(r["offers"] >= 1 and r["history"] == r["offers"] for r in once)
    # every product is a search document, most with a featured price and a Prime offer
    assert all(r["in_stock"] is not None for r in once)
    priced = [r for r in once if r["price_minor"] is not None]
    assert len(priced) > ADDED * 0.9 and sum(r["prime_eligible"] for r in once) > ADDED / 2
    # the dictionary counted the new titles' words
    assert learnt > black
    # and their titles are suggested in the search box
    assert suggested > ADDED / 2
