"""Offer.priceHistory and Offer.priorPrice over the API: newest first, paged, batched."""
from datetime import timedelta

import pytest

from api.core import ids
from domain.shared import clock
from tests.api.marketplace.helpers import (
    CREATE_OFFER,
    UPDATE_OFFER,
    fetch,
    fetchval,
    gid,
    live_offer,
    product_without_offer_of,
    usd,
)
from tests.conftest import count_statements, make_client
from tests.fixtures.identity import account

pytestmark = pytest.mark.one_copy_per_file

HISTORY = """query($id: ID!, $first: Int, $after: String) { node(id: $id) { ... on Offer {
  price { amount } priorPrice { amount currencyCode }
  priceHistory(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor }
    nodes { price { amount } shippingPrice { amount } source changedAt competitorMatch { competitorName } } } } } }"""

PRODUCT_OFFERS = """query($id: ID!, $n: Int!) { node(id: $id) { ... on Product {
  offers(first: $n) { nodes { id price { amount } priorPrice { amount }
    priceHistory(first: 3) { nodes { price { amount } changedAt } } } } } } }"""


async def test_every_price_change_is_listed_newest_first_and_paged(writable_database):
    db = writable_database
    offer = await live_offer(db)
    offer_id = gid("Offer", offer["id"])
    async with make_client(db) as http:
        staff = await account(http, db, "staff", seller_id=offer["seller_id"])
        for price in ("10.00", "9.00", "11.50"):
            body = await staff(http, UPDATE_OFFER, {"input": {"offerId": offer_id, "price": usd(price)}})
            assert body["data"]["updateOffer"]["userErrors"] == []
        first = (await staff(http, HISTORY, {"id": offer_id, "first": 2}))["data"]["node"]
        rest = (await staff(http, HISTORY, {"id": offer_id, "first": 2,
                                            "after": first["priceHistory"]["pageInfo"]["endCursor"]}))["data"]["node"]
    history = first["priceHistory"]
    assert history["totalCount"] == 4
    assert [e["price"]["amount"] for e in history["nodes"]] == ["11.50", "9.00"]
    assert history["pageInfo"]["hasNextPage"] is True
    assert [e["source"] for e in rest["priceHistory"]["nodes"]] == ["SELLER", "SEED"]
    assert rest["priceHistory"]["pageInfo"]["hasNextPage"] is False
    changed = [e["changedAt"] for e in history["nodes"] + rest["priceHistory"]["nodes"]]
    assert changed == sorted(changed, reverse=True)
    # the current price (11.50) took effect just now: the seeded price (replaced just now too),
    # 10.00 and 9.00 were in effect in the 30 days before it
    lowest = min(offer["price_minor"], 900)
    assert first["priorPrice"] == {"amount": f"{lowest // 100}.{lowest % 100:02d}", "currencyCode": "USD"}


async def test_prior_price_is_null_for_an_offer_whose_price_never_changed(gql, database):
    offer = await live_offer(database)
    body = await gql(HISTORY, {"id": gid("Offer", offer["id"])})
    assert body["data"]["node"]["priorPrice"] is None
    assert [e["source"] for e in body["data"]["node"]["priceHistory"]["nodes"]] == ["SEED"]


async def test_prior_price_from_history_entries_of_the_past(writable_database):
    db = writable_database
    seller = (await live_offer(db))["seller_id"]
    product_id = await product_without_offer_of(db, seller)
    async with make_client(db) as http:
        staff = await account(http, db, "staff", seller_id=seller)
        created = await staff(http, CREATE_OFFER, {"input": {
            "sellerId": gid("Seller", seller), "productId": gid("Product", product_id), "condition": "NEW",
            "fulfilment": "MERCHANT", "price": usd("50.00"), "quantity": 3}})
        offer_id = created["data"]["createOffer"]["offer"]["id"]
        # back-dated: 40.00 from 45 days ago, 35.00 from 20 days ago, then 50.00 (listed now)
        now = clock.now()
        for days_ago, price in ((45, 4000), (20, 3500)):
            await fetch(db, "INSERT INTO offer_price_history (offer_id, price_minor, shipping_minor, currency,"
                            " changed_at, source) VALUES ($1, $2, 0, 'USD', $3, 'SELLER')",
                        ids.decode(offer_id)[1], price, now - timedelta(days=days_ago))
        await staff(http, UPDATE_OFFER, {"input": {"offerId": offer_id, "price": usd("30.00")}})
        body = await staff(http, HISTORY, {"id": offer_id})
    node = body["data"]["node"]
    assert [e["price"]["amount"] for e in node["priceHistory"]["nodes"]] == ["30.00", "50.00", "35.00", "40.00"]
    # in the 30 days before 30.00 took effect: 40.00 (until 20 days ago), 35.00, 50.00
    assert node["priorPrice"]["amount"] == "35.00"


async def test_a_page_of_offers_with_history_and_prior_prices_costs_a_fixed_number_of_statements(gql, database):
    product_id = await fetchval(database, """
        SELECT o.product_id FROM offers o JOIN sellers s ON s.id = o.seller_id
        WHERE o.archived_at IS NULL AND s.standing <> 'SUSPENDED'
        GROUP BY o.product_id ORDER BY count(*) DESC, o.product_id LIMIT 1""")
    counts, sizes = [], []
    for n in (1, 5, 100):
        with count_statements() as counter:
            body = await gql(PRODUCT_OFFERS, {"id": gid("Product", product_id), "n": n})
        counts.append(counter.count)
        sizes.append(len(body["data"]["node"]["offers"]["nodes"]))
    assert sizes[0] == 1 and sizes[2] > 5
    # product, offers page, price history page, prior prices
    assert counts == [4, 4, 4], counts
