"""Offers to rent: only a streaming video can be rented; a seller may offer it to rent and to
buy at once; a rental's price is neither the featured offer to buy nor the product's price
range, nor its search price: the product shows it apart (`purchaseOption: RENT`), and offer
lists filter by purchase option."""
from decimal import Decimal

import pytest

from tests.api.marketplace.helpers import CREATE_OFFER, FIRST_PARTY, fetch, fetchval, gid, usd
from tests.conftest import count_statements, make_client
from tests.fixtures.identity import account

pytestmark = pytest.mark.one_copy_per_file

PRODUCT = """query($id: ID!) { node(id: $id) { ... on Product {
  featuredOffer { id purchaseOption price { amount } } priceRange { min { amount } max { amount } }
  offers(first: 10) { nodes { purchaseOption price { amount } } }
  rental: featuredOffer(purchaseOption: RENT) { id purchaseOption price { amount } }
  rentalRange: priceRange(purchaseOption: RENT) { min { amount } max { amount } offerCount }
  rentals: offers(first: 10, purchaseOption: RENT) { totalCount nodes { purchaseOption price { amount } } }
  buys: offers(first: 10, purchaseOption: BUY) { totalCount nodes { purchaseOption price { amount } } } } } }"""


def _input(product_id: int, option: str, price: str) -> dict:
    return {"input": {"sellerId": gid("Seller", FIRST_PARTY), "productId": gid("Product", product_id),
                      "condition": "NEW", "fulfilment": "PLATFORM", "price": usd(price), "quantity": 1000,
                      "purchaseOption": option}}


async def test_only_a_streaming_video_is_offered_to_rent(writable_database):
    db = writable_database
    disc = await fetchval(db, "SELECT id FROM products WHERE format IN ('DVD', 'BLU_RAY')"
                              " AND archived_at IS NULL ORDER BY id LIMIT 1")
    ebook = await fetchval(db, "SELECT id FROM products WHERE kind = 'EBOOK' AND archived_at IS NULL ORDER BY id LIMIT 1")
    async with make_client(db) as http:
        staff = await account(http, db, "staff", seller_id=FIRST_PARTY)
        before = await fetchval(db, "SELECT count(*) FROM offers")
        for product in (disc, ebook):
            body = (await staff(http, CREATE_OFFER, _input(product, "RENT", "3.99")))["data"]["createOffer"]
            assert [(e["code"], e["field"]) for e in body["userErrors"]] == \
                [("RENT_NOT_AVAILABLE", ["input", "purchaseOption"])]
        assert await fetchval(db, "SELECT count(*) FROM offers") == before


async def test_a_rental_offer_sits_beside_the_offer_to_buy_without_pricing_the_product(writable_database):
    db = writable_database
    # A stream the demo data offers to buy and to rent; the seller lists its rental anew, cheaper.
    product = await fetchval(db, "SELECT product_id FROM offers WHERE purchase_option = 'RENT' ORDER BY id LIMIT 1")
    buy = (await fetch(db, "SELECT id, price_minor FROM offers WHERE product_id = $1 AND purchase_option = 'BUY'",
                       product))[0]
    await fetch(db, "UPDATE offers SET archived_at = now() WHERE product_id = $1 AND purchase_option = 'RENT'", product)
    async with make_client(db) as http:
        staff = await account(http, db, "staff", seller_id=FIRST_PARTY)
        created = (await staff(http, CREATE_OFFER, _input(product, "RENT", "0.99")))["data"]["createOffer"]
        assert created["userErrors"] == []
        rental_id = created["offer"]["id"]
        again = (await staff(http, CREATE_OFFER, _input(product, "RENT", "1.99")))["data"]["createOffer"]
        assert [e["code"] for e in again["userErrors"]] == ["OFFER_EXISTS"]
        shown = (await staff(http, PRODUCT, {"id": gid("Product", product)}))["data"]["node"]
    assert shown["featuredOffer"]["id"] == gid("Offer", buy["id"])
    assert shown["featuredOffer"]["purchaseOption"] == "BUY"
    price = f"{buy['price_minor'] / 100:.2f}"
    assert shown["priceRange"] == {"min": {"amount": price}, "max": {"amount": price}}
    assert sorted((o["purchaseOption"], o["price"]["amount"]) for o in shown["offers"]["nodes"]) == \
        [("BUY", price), ("RENT", "0.99")]
    assert await fetchval(db, "SELECT price_minor FROM search_documents WHERE product_id = $1", product) == \
        buy["price_minor"]
    # the rental's own buy box and price range, and each list holds only its option
    assert shown["rental"] == {"id": rental_id, "purchaseOption": "RENT", "price": {"amount": "0.99"}}
    assert shown["rentalRange"] == {"min": {"amount": "0.99"}, "max": {"amount": "0.99"}, "offerCount": 1}
    assert shown["rentals"] == {"totalCount": 1, "nodes": [{"purchaseOption": "RENT", "price": {"amount": "0.99"}}]}
    assert shown["buys"] == {"totalCount": 1, "nodes": [{"purchaseOption": "BUY", "price": {"amount": price}}]}


STREAMS = """query($rent: Boolean!) { products(first: 20, filter: {formats: [STREAMING]}) { nodes {
  featuredOffer { price { amount } }
  rental: featuredOffer(purchaseOption: RENT) @include(if: $rent) { purchaseOption price { amount } }
  rentalRange: priceRange(purchaseOption: RENT) @include(if: $rent) { min { amount } } } } }"""


async def test_a_stream_list_shows_rent_and_buy_prices_for_the_statements_of_buy_alone(gql):
    with count_statements() as buy_only:
        await gql(STREAMS, {"rent": False})
    with count_statements() as both:
        nodes = (await gql(STREAMS, {"rent": True}))["data"]["products"]["nodes"]
    assert both.count == buy_only.count, "\n".join(both.statements)
    assert nodes and all(n["rental"]["purchaseOption"] == "RENT" for n in nodes)
    # the demo data rents a stream for about a fifth of its price to buy
    assert all(Decimal(n["rental"]["price"]["amount"]) < Decimal(n["featuredOffer"]["price"]["amount"])
               for n in nodes)
    assert all(n["rentalRange"]["min"] == n["rental"]["price"] for n in nodes)


async def test_a_sellers_offers_filter_by_purchase_option(gql, database):
    body = await gql("""{ seller(slug: "tributary-retail") { id
      all: offers(first: 1) { totalCount }
      buy: offers(first: 1, purchaseOption: BUY) { totalCount }
      rent: offers(first: 100, purchaseOption: RENT) { totalCount nodes { purchaseOption } } } }""")
    seller = body["data"]["seller"]
    rentals = await fetchval(database, "SELECT count(*) FROM offers o JOIN sellers s ON s.id = o.seller_id"
                                       " WHERE s.slug = 'tributary-retail' AND o.purchase_option = 'RENT'"
                                       " AND o.archived_at IS NULL")
    assert rentals > 0 and seller["rent"]["totalCount"] == rentals
    assert {n["purchaseOption"] for n in seller["rent"]["nodes"]} == {"RENT"}
    assert seller["buy"]["totalCount"] + rentals == seller["all"]["totalCount"]
