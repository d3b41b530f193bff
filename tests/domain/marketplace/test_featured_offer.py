"""The featured offer (buy box) rule and the price range, on crafted offers."""
import asyncpg
import pytest

from domain.marketplace import search_index
from domain.marketplace import service as marketplace
from domain.shared.pagination import PageRequest

pytestmark = pytest.mark.one_copy_per_file

PRODUCT = 1


async def _given_offers(db, offers: list[dict], standings: dict[int, str] | None = None) -> dict[str, int]:
    """Replace product 1's offers (archived: offers with a price history are never deleted);
    return offer ids by label."""
    conn = await asyncpg.connect(db.url)
    try:
        await conn.execute("UPDATE offers SET archived_at = now() WHERE product_id = $1", PRODUCT)
        for seller_id, standing in (standings or {}).items():
            await conn.execute("UPDATE sellers SET standing = $2 WHERE id = $1", seller_id, standing)
        ids = {}
        for o in offers:
            ids[o["label"]] = await conn.fetchval(
                "INSERT INTO offers (seller_id, product_id, condition, fulfilment, price_minor,"
                " shipping_minor, quantity) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                o["seller"], PRODUCT, o.get("condition", "NEW"), o.get("fulfilment", "MERCHANT"),
                o["price"], o.get("shipping", 0), o.get("quantity", 5))
        await search_index.refresh(conn, [PRODUCT])
    finally:
        await conn.close()
    return ids


async def _summary(db):
    reader = await db.reader()
    try:
        return (await marketplace.offer_summaries(reader, [PRODUCT])).get(PRODUCT)
    finally:
        await reader.close()


@pytest.mark.own_copy
async def test_lowest_landed_price_wins_not_lowest_price(writable_database):
    ids = await _given_offers(writable_database, [
        {"label": "cheap+shipping", "seller": 2, "price": 900, "shipping": 499},
        {"label": "dearer-free-shipping", "seller": 3, "price": 1200},
    ])
    summary = await _summary(writable_database)
    assert summary.featured.id == ids["dearer-free-shipping"]
    assert (summary.min_price.minor, summary.max_price.minor, summary.offer_count) == (900, 1200, 2)


@pytest.mark.own_copy
async def test_platform_fulfilment_wins_a_tie(writable_database):
    ids = await _given_offers(writable_database, [
        {"label": "merchant", "seller": 2, "price": 1000},
        {"label": "platform", "seller": 3, "price": 1000, "fulfilment": "PLATFORM"},
    ])
    summary = await _summary(writable_database)
    assert summary.featured.id == ids["platform"]
    assert summary.featured.prime_eligible is True


async def test_out_of_stock_and_sellers_not_in_good_standing_are_never_featured(writable_database):
    ids = await _given_offers(writable_database, [
        {"label": "sold-out", "seller": 2, "price": 100, "quantity": 0},
        {"label": "at-risk", "seller": 3, "price": 200},
        {"label": "suspended", "seller": 4, "price": 300},
        {"label": "good", "seller": 5, "price": 5000},
    ], standings={3: "AT_RISK", 4: "SUSPENDED", 5: "GOOD"})
    summary = await _summary(writable_database)
    assert summary.featured.id == ids["good"]
    # the at-risk seller's offer still counts in the price range; the suspended one is hidden
    assert (summary.min_price.minor, summary.offer_count) == (200, 2)
    reader = await writable_database.reader()
    try:
        page = (await marketplace.offers_for_products(reader, [PRODUCT], None, PageRequest(0, 10)))[PRODUCT]
    finally:
        await reader.close()
    assert [o.id for o in page.items] == [ids["at-risk"], ids["good"], ids["sold-out"]]
    assert page.total == 3


async def test_nothing_in_stock_means_no_featured_offer(writable_database):
    await _given_offers(writable_database, [{"label": "sold-out", "seller": 2, "price": 100, "quantity": 0}])
    assert await _summary(writable_database) is None
    conn = await asyncpg.connect(writable_database.url)
    try:
        row = await conn.fetchrow("SELECT in_stock, price_minor FROM search_documents WHERE product_id = $1", PRODUCT)
    finally:
        await conn.close()
    assert (row["in_stock"], row["price_minor"]) == (False, None)


async def test_used_condition_filter(writable_database):
    ids = await _given_offers(writable_database, [
        {"label": "new", "seller": 2, "price": 1000},
        {"label": "used", "seller": 3, "price": 400, "condition": "USED"},
    ])
    reader = await writable_database.reader()
    try:
        used = (await marketplace.offers_for_products(reader, [PRODUCT], "USED", PageRequest(0, 10)))[PRODUCT]
    finally:
        await reader.close()
    assert [o.id for o in used.items] == [ids["used"]]


@pytest.mark.own_copy
async def test_used_offers_are_never_featured_even_when_cheapest(writable_database):
    ids = await _given_offers(writable_database, [
        {"label": "used", "seller": 2, "price": 300, "condition": "USED"},
        {"label": "new", "seller": 3, "price": 1000},
    ])
    summary = await _summary(writable_database)
    assert summary.featured.id == ids["new"]
    assert summary.min_price.minor == 300
