"""Sorting, filtering and counting by price use the featured offer's price: the price a
product card shows, not the lowest price of any offer (a cheap used copy, say)."""
from domain.marketplace import search_index
from domain.marketplace import service as marketplace
from domain.search import service as search
from domain.search.entities import ProductFilter, SearchSpec
from domain.shared.pagination import PageRequest
from tests.fixtures.db import rolled_back

USED, NEW = "USED", "NEW"


async def _given(conn) -> tuple[int, dict[str, int]]:
    """Three products of a brand of their own, with only these offers to buy:
    dear: a used copy at 1.00 and a new one at 30.00 (featured);
    mid: a new one at 20.00 (featured);
    used_only: a used copy at 5.00 (nothing featured)."""
    brand = await conn.fetchval("INSERT INTO brands (name, slug) VALUES ('Price Test', 'price-test') RETURNING id")
    ids = [r[0] for r in await conn.fetch(
        "SELECT id FROM products WHERE archived_at IS NULL AND kind = 'PHYSICAL' ORDER BY id LIMIT 3")]
    products = dict(zip(("dear", "mid", "used_only"), ids))
    await conn.execute("UPDATE products SET brand_id = $1 WHERE id = ANY($2::bigint[])", brand, ids)
    await conn.execute("UPDATE offers SET archived_at = now() WHERE product_id = ANY($1::bigint[])", ids)
    await conn.execute("UPDATE sellers SET standing = 'GOOD' WHERE id IN (2, 3)")
    for product, seller, condition, price in (("dear", 2, USED, 100), ("dear", 3, NEW, 3000),
                                              ("mid", 2, NEW, 2000), ("used_only", 2, USED, 500)):
        await conn.execute(
            "INSERT INTO offers (seller_id, product_id, condition, fulfilment, price_minor, quantity)"
            " VALUES ($1, $2, $3, 'MERCHANT', $4, 5)", seller, products[product], condition, price)
    await search_index.refresh(conn, ids)
    return brand, products


async def _order(conn, brand: int, reverse: bool = False, **filters) -> list[int]:
    spec = SearchSpec(filter=ProductFilter(brand_ids=(brand,), **filters), sort_key="PRICE", reverse=reverse)
    prepared = await search.prepare(conn, spec)
    return [p.id for p in (await search.find_products(conn, prepared, PageRequest(0, 10))).items]


async def test_price_sort_follows_the_featured_offer_not_a_cheaper_used_copy(database):
    async with rolled_back(database) as conn:
        brand, p = await _given(conn)
        cheapest_first = await _order(conn, brand)
        dearest_first = await _order(conn, brand, reverse=True)
        summaries = await marketplace.offer_summaries(conn, list(p.values()))
    assert cheapest_first == [p["mid"], p["dear"], p["used_only"]]
    # reversed too, a product without a featured offer comes last
    assert dearest_first == [p["dear"], p["mid"], p["used_only"]]
    # the order is the one of the price the card shows
    assert [summaries[i].featured.price.minor for i in cheapest_first[:2]] == [2000, 3000]
    assert summaries[p["used_only"]].featured is None


async def test_price_filter_and_bands_use_the_featured_price(database):
    async with rolled_back(database) as conn:
        brand, p = await _given(conn)
        under_25 = await _order(conn, brand, max_price_minor=2500)
        from_25 = await _order(conn, brand, min_price_minor=2500)
        prepared = await search.prepare(conn, SearchSpec(filter=ProductFilter(brand_ids=(brand,))))
        facets = await search.facets(conn, prepared)
    # the used copy at 1.00 does not bring `dear` under 25.00; `used_only` has no price to filter on
    assert under_25 == [p["mid"]]
    assert from_25 == [p["dear"]]
    assert [(b.min_minor, b.max_minor, b.count) for b in facets.price_bands] == [(1000, 2500, 1), (2500, 5000, 1)]
    assert (facets.total, facets.in_stock) == (3, 3)
