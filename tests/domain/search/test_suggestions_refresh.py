"""Refreshes of different products racing on shared words (new ones included, in opposite
orders) both commit, and the dictionary then has both titles and their words."""
import asyncio

import asyncpg

from domain.marketplace import search_index
from domain.search import service as search
from domain.search.statuses import SearchSuggestionKind as Kind


async def test_racing_refreshes_sharing_new_words_both_commit(writable_database):
    db = writable_database
    first, second = await asyncpg.connect(db.url), await asyncpg.connect(db.url)
    try:
        products = [r[0] for r in await first.fetch(
            "SELECT product_id FROM search_documents ORDER BY product_id LIMIT 2")]
        titles = ["Vermilion Quokka Atlas", "Atlas Quokka Vermilion Companion"]
        both_written = asyncio.Barrier(2)

        async def rename(conn: asyncpg.Connection, product: int, title: str) -> None:
            async with conn.transaction():
                await conn.execute("UPDATE products SET title = $2 WHERE id = $1", product, title)
                await both_written.wait()
                await search_index.refresh(conn, [product])

        await asyncio.wait_for(asyncio.gather(rename(first, products[0], titles[0]),
                                              rename(second, products[1], titles[1])), timeout=30)
        found = await search.suggest(first, "quokka vermil", 8)
        words = {r[0] for r in await first.fetch(
            "SELECT word FROM search_suggestion_terms WHERE word = ANY($1::text[])",
            ["vermilion", "quokka", "atlas", "companion"])}
    finally:
        await first.close()
        await second.close()
    assert sorted((s.kind, s.text, s.ref_id) for s in found) == sorted(
        [(Kind.PRODUCT, titles[0], products[0]), (Kind.PRODUCT, titles[1], products[1])])
    assert words == {"vermilion", "quokka", "atlas", "companion"}
