"""A product's price range read alone (`price_ranges_by_option`) is the one its offer summary
holds: the same offers counted, per purchase option, in the featured offer's currency."""
from domain.marketplace import service as marketplace
from tests.fixtures.db import rolled_back


def _ranges_of(summaries: dict) -> dict:
    return {pid: {option: (s.min_price, s.max_price, s.offer_count, s.member_min_price)
                  for option, s in by_option.items()} for pid, by_option in summaries.items()}


async def test_the_ranges_are_the_summaries_ranges_for_every_product_and_option(database):
    async with rolled_back(database) as conn:
        ids = [r["product_id"] for r in await conn.fetch(
            "SELECT DISTINCT product_id FROM offers ORDER BY product_id LIMIT 400")]
        ids += [r["product_id"] for r in await conn.fetch(  # rentals, member prices, one without offers
            "(SELECT product_id FROM offers WHERE purchase_option = 'RENT' LIMIT 20) UNION"
            " (SELECT product_id FROM offers WHERE member_price_minor IS NOT NULL LIMIT 20)")]
        ids.append(-1)
        ranges = await marketplace.price_ranges_by_option(conn, ids)
        assert _ranges_of(ranges) == _ranges_of(await marketplace.offer_summaries_by_option(conn, ids))
        assert {option for by_option in ranges.values() for option in by_option} == {"BUY", "RENT"}
        assert any(r.member_min_price for by_option in ranges.values() for r in by_option.values())
        assert ranges[ids[0]]["BUY"].product_id == ids[0] and -1 not in ranges
        buy_only = await marketplace.price_ranges_by_option(conn, ids, ("BUY",))
        assert {option for by_option in buy_only.values() for option in by_option} == {"BUY"}


async def test_the_currency_is_the_featured_offers_and_unseen_offers_are_not_counted(database):
    async with rolled_back(database) as conn:
        product = await conn.fetchval(
            "SELECT product_id FROM offers o JOIN sellers s ON s.id = o.seller_id WHERE o.quantity > 0"
            " AND o.archived_at IS NULL AND s.standing = 'GOOD' AND o.purchase_option = 'BUY'"
            " GROUP BY product_id HAVING count(*) >= 3 LIMIT 1")
        offers = await conn.fetch("SELECT id FROM offers WHERE product_id = $1 ORDER BY landed_minor DESC", product)
        # The dearest offer in another currency, the next out of stock: the featured offer's
        # currency names the range; an offer out of stock is not in it.
        await conn.execute("UPDATE offers SET currency = 'EUR' WHERE id = $1", offers[0]["id"])
        await conn.execute("UPDATE offers SET quantity = 0 WHERE id = $1", offers[1]["id"])
        summaries = await marketplace.offer_summaries_by_option(conn, [product])
        ranges = await marketplace.price_ranges_by_option(conn, [product])
        assert _ranges_of(ranges) == _ranges_of(summaries)
        assert ranges[product]["BUY"].min_price.currency == summaries[product]["BUY"].featured.currency
