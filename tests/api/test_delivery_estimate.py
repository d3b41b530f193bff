"""The product page's delivery estimate: the earliest option a cart holding the featured offer
alone would show (the cart and the page agree), for the location given, the signed-in
customer's default address or the configured default; digital items are available at once;
it costs statements only when asked for, and bad locations are typed errors."""
from datetime import UTC, datetime

import pytest

from bench.pages import PRODUCT_PAGE, SEARCH_PAGE
from domain.shared import clock
from tests.api.carts.helpers import PLATFORM_BOOK, SEATTLE, SET_ADDRESS, gid, guest_cart, line, offer, ok
from tests.api.identity.helpers import call
from tests.conftest import count_statements, make_client
from tests.fixtures.identity import account

pytestmark = pytest.mark.one_copy_per_file

TUESDAY_10_SEATTLE = datetime(2026, 11, 24, 18, 0, tzinfo=UTC)
ESTIMATE = """query($id: ID!, $country: String, $region: String, $city: String, $postalCode: String) {
  node(id: $id) { ... on Product { deliveryEstimate(countryCode: $country, region: $region, city: $city,
    postalCode: $postalCode) {
      status message estimatedDate option { kind price { amount } estimatedDeliveryDate }
      location { countryCode region city postalCode } locationSource } } } }"""
CREATE_ADDRESS = """mutation($input: CreateAddressInput!) { createAddress(input: $input) { userErrors { code } } }"""


@pytest.fixture
def tuesday(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: TUESDAY_10_SEATTLE)


async def _estimate(gql, product_id: int, **location) -> dict:
    body = await gql(ESTIMATE, {"id": gid("Product", product_id), **location})
    return body["data"]["node"]["deliveryEstimate"]


async def _featured_platform_book(database) -> dict:
    """A paperback whose featured offer is the platform's (Prime) offer."""
    return await offer(database, f"{PLATFORM_BOOK} AND o.id = (SELECT f.id FROM offers f JOIN sellers fs"
                                 " ON fs.id = f.seller_id WHERE f.product_id = p.id AND f.archived_at IS NULL"
                                 " AND f.quantity > 0 AND f.condition = 'NEW' AND fs.standing = 'GOOD'"
                                 " AND f.purchase_option = 'BUY' ORDER BY f.landed_minor,"
                                 " f.fulfilment = 'PLATFORM' DESC, fs.rating DESC NULLS LAST, f.id LIMIT 1)")


async def test_without_a_location_an_anonymous_caller_gets_the_configured_default(gql, database, tuesday):
    book = await _featured_platform_book(database)
    estimate = await _estimate(gql, book["product_id"])
    assert (estimate["locationSource"], estimate["location"]) == (
        "CONFIGURED_DEFAULT", {"countryCode": "US", "region": "", "city": "", "postalCode": ""})
    # no city: no same-day; two-day and pickup both take 2 business days, pickup is free
    assert estimate["status"] == "SHIPS"
    assert estimate["option"] == {"kind": "PICKUP", "price": {"amount": "0.00"}, "estimatedDeliveryDate": "2026-11-26"}
    assert estimate["estimatedDate"] == "2026-11-26"
    assert estimate["message"] == "Ready for pickup by Thursday, November 26 (free)."


async def test_a_served_city_before_its_cut_off_gets_same_day(gql, database, tuesday):
    book = await _featured_platform_book(database)
    estimate = await _estimate(gql, book["product_id"], country="us", region="wa", city="seattle")
    assert estimate["location"] == {"countryCode": "US", "region": "WA", "city": "seattle", "postalCode": ""}
    assert (estimate["status"], estimate["locationSource"]) == ("SHIPS", "GIVEN")
    assert estimate["option"]["kind"] == "SAME_DAY" and estimate["estimatedDate"] == "2026-11-24"
    assert estimate["message"].startswith("Arrives by Tuesday, November 24 with Same-day delivery (USD ")


async def test_the_product_page_and_the_cart_agree(writable_database):
    db = writable_database
    book = await _featured_platform_book(db)
    async with make_client(db) as http:
        customer = await account(http, db, "estimate")
        created = await customer(http, CREATE_ADDRESS, {"input": SEATTLE})
        assert created["data"]["createAddress"]["userErrors"] == []
        cart, token = await guest_cart(http, line(book))
        cart = ok(await call(http, SET_ADDRESS, {"input": {"cartId": cart["id"], "cartToken": token,
                                                           "address": SEATTLE}}), "setCartShippingAddress")
        given = (await call(http, ESTIMATE, {"id": gid("Product", book["product_id"]), "country": "US",
                                             "region": "WA", "city": "Seattle", "postalCode": "98109"}))
        own = await customer(http, ESTIMATE, {"id": gid("Product", book["product_id"])})
    (group,) = cart["shipmentGroups"]
    available = [o for o in group["deliveryOptions"] if o["available"]]
    first = min(available, key=lambda o: (o["estimatedDeliveryDate"], float(o["price"]["amount"])))
    for estimate in (given["data"]["node"]["deliveryEstimate"], own["data"]["node"]["deliveryEstimate"]):
        assert estimate["option"] == {"kind": first["kind"], "price": first["price"],
                                      "estimatedDeliveryDate": first["estimatedDeliveryDate"]}
    assert own["data"]["node"]["deliveryEstimate"]["locationSource"] == "DEFAULT_ADDRESS"
    assert own["data"]["node"]["deliveryEstimate"]["location"]["city"] == "Seattle"


async def test_an_ebook_is_available_at_once_without_a_location(gql, database, tuesday):
    kindle = await offer(database, "p.format = 'KINDLE' AND (p.release_date IS NULL OR p.release_date <= '2026-11-24')")
    estimate = await _estimate(gql, kindle["product_id"], country="US", city="Seattle")
    assert estimate == {"status": "INSTANT", "message": "Available instantly in your library after purchase.",
                        "estimatedDate": "2026-11-24", "option": None, "location": None, "locationSource": None}


async def test_the_estimate_costs_statements_only_when_asked_and_not_per_product(gql, database):
    slug = (await gql("query($id: ID!) { node(id: $id) { ... on Product { slug } } }",
                      {"id": gid("Product", (await _featured_platform_book(database))["product_id"])}))["data"]["node"]["slug"]
    with_estimate = PRODUCT_PAGE.replace("isPreorder", "isPreorder deliveryEstimate { status estimatedDate }", 1)
    with count_statements() as plain:
        await gql(PRODUCT_PAGE, {"slug": slug, "offers": 5})
    with count_statements() as estimated:
        await gql(with_estimate, {"slug": slug, "offers": 5})
    # the product page's 5, plus the delivery configuration
    assert (plain.count, estimated.count) == (5, 6), "\n".join(estimated.statements)
    search = SEARCH_PAGE.replace("averageRating", "averageRating deliveryEstimate { status }", 1).replace(
        "filter: $filter)", "filter: $filter, groupFormats: false)", 1)  # 20 products, formats apart
    counts = []
    for first in (2, 20):
        with count_statements() as counter:
            nodes = (await gql(search, {"query": "harry potter", "first": first}))["data"]["search"]["nodes"]
        counts.append(counter.count)
        assert len(nodes) == first and {n["deliveryEstimate"]["status"] for n in nodes} <= {"SHIPS", "INSTANT"}
    assert counts == [6, 6]  # the search page's 5 (its ids and products in one), the delivery configuration


@pytest.mark.parametrize("location, reason, field", [
    ({"country": "ZZ"}, "COUNTRY_NOT_SUPPORTED", ["countryCode"]),
    ({"country": "U5"}, "INVALID", ["countryCode"]),
    ({"city": "Seattle"}, "INVALID", ["countryCode"]),
    ({"country": "US", "region": "Narnia"}, "INVALID", ["region"]),
    ({"country": "US", "city": "x" * 101}, "INVALID", ["city"]),
])
async def test_a_bad_location_is_a_typed_error(gql, database, location, reason, field):
    book = await _featured_platform_book(database)
    body = await gql(ESTIMATE, {"id": gid("Product", book["product_id"]), **location}, expect_errors=True)
    (error,) = body["errors"]
    assert (error["extensions"]["code"], error["extensions"]["reason"], error["extensions"].get("field")) == (
        "BAD_USER_INPUT", reason, field)
