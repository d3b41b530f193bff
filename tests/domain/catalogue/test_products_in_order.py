"""A page of products in one statement: the live products of the ids a query selects, in its
order, and how many ids it selected (whether there is a next page)."""
from domain.catalogue import repository
from tests.fixtures.db import rolled_back

_IDS = "SELECT id FROM unnest($1::bigint[]) WITH ORDINALITY AS listed(id, n) ORDER BY n"


async def test_the_products_come_in_the_query_order_and_archived_ones_are_left_out(database):
    async with rolled_back(database) as conn:
        ids = [r["id"] for r in await conn.fetch(
            "SELECT id FROM products WHERE archived_at IS NULL ORDER BY id DESC LIMIT 5")]
        await conn.execute("UPDATE products SET archived_at = now() WHERE id = $1", ids[1])
        listed = [ids[3], ids[1], ids[0], -1, ids[2], ids[4]]  # -1: no such product
        products, selected = await repository.products_in_order(conn, _IDS, [listed], 5)
        assert [p.id for p in products] == [ids[3], ids[0], ids[2]]
        assert selected == 6
        assert products[0] == (await repository.products_by_ids(conn, [ids[3]]))[ids[3]]
        assert await repository.products_in_order(conn, _IDS, [[]], 5) == ([], 0)
        assert await repository.products_in_order(conn, _IDS, [listed], 1) == ([products[0]], 6)
