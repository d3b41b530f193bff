"""A text search lists each work once: its formats share the work in the search documents, and a
refresh keeps it in step when a product changes work."""
from domain.marketplace import search_index
from domain.search import service as search
from domain.search.entities import SearchSpec
from domain.shared.pagination import PageRequest
from tests.fixtures.db import rolled_back


async def _hobbits(conn, group_formats: bool = True) -> tuple[list[str], int]:
    prepared = await search.prepare(conn, SearchSpec(query="the hobbit", group_formats=group_formats))
    page = await search.find_products(conn, prepared, PageRequest(0, 50))
    total = (await search.facets(conn, prepared)).total
    return [p.format for p in page.items if p.title == "The Hobbit"], total


async def test_a_product_moved_to_another_work_is_listed_apart_after_its_refresh(database):
    async with rolled_back(database) as conn:
        formats, total = await _hobbits(conn)
        every, every_total = await _hobbits(conn, group_formats=False)
        paperback = await conn.fetchval("SELECT id FROM products WHERE slug = 'the-hobbit-paperback'")
        work = await conn.fetchval("INSERT INTO works (title) VALUES ('The Hobbit (another edition)') RETURNING id")
        await conn.execute("UPDATE products SET work_id = $1 WHERE id = $2", work, paperback)
        await search_index.refresh(conn, [paperback])
        moved, moved_total = await _hobbits(conn)
        stored = await conn.fetchval("SELECT work_id FROM search_documents WHERE product_id = $1", paperback)
    assert len(formats) == 1 and len(every) >= 3 and every_total > total
    assert stored == work
    assert len(moved) == 2 and "PAPERBACK" in moved and moved_total == total + 1
