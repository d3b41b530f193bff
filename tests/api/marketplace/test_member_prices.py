"""A seller sets a Prime member price on an offer: it is always below the price (typed errors
that change nothing otherwise), and the product shows it next to the price everyone pays."""
import pytest

from tests.api.marketplace.helpers import (
    CREATE_OFFER,
    MATCH_PRICE,
    UPDATE_OFFER,
    fetchval,
    gid,
    live_offer,
    offer_state,
    product_without_offer_of,
    usd,
)
from tests.conftest import make_client
from tests.fixtures.identity import account

pytestmark = pytest.mark.one_copy_per_file

MEMBER = "memberPrice { amount currencyCode }"
PRODUCT = """query($id: ID!) { node(id: $id) { ... on Product {
  featuredOffer { id price { amount } memberPrice { amount } }
  priceRange { min { amount } max { amount } memberMin { amount } offerCount } } } }"""


def _with_member(document: str) -> str:
    return document.replace("archivedAt", f"archivedAt {MEMBER}", 1)


def _create_input(seller_id: int, product_id: int, **overrides) -> dict:
    value = {"sellerId": gid("Seller", seller_id), "productId": gid("Product", product_id), "condition": "NEW",
             "fulfilment": "PLATFORM", "price": usd("20.00"), "quantity": 5}
    value.update(overrides)
    return value


async def test_staff_create_an_offer_with_a_member_price_and_the_product_shows_both_prices(writable_database):
    db = writable_database
    offer = await live_offer(db)
    product_id = await product_without_offer_of(db, offer["seller_id"])
    await fetchval(db, "UPDATE offers SET archived_at = now() WHERE product_id = $1", product_id)
    async with make_client(db) as http:
        staff = await account(http, db, "staff", seller_id=offer["seller_id"])
        body = await staff(http, _with_member(CREATE_OFFER), {"input": _create_input(
            offer["seller_id"], product_id, memberPrice=usd("17.99"))})
        created = body["data"]["createOffer"]
        second = await staff(http, _with_member(CREATE_OFFER), {"input": _create_input(
            offer["seller_id"], product_id, condition="USED", conditionNote="Good", price=usd("25.00"))})
        shown = (await http.post("/graphql", json={"query": PRODUCT, "variables": {"id": gid("Product", product_id)}}
                                 )).json()["data"]["node"]
    assert created["userErrors"] == [] and second["data"]["createOffer"]["userErrors"] == []
    assert created["offer"]["memberPrice"] == {"amount": "17.99", "currencyCode": "USD"}
    assert second["data"]["createOffer"]["offer"]["memberPrice"] is None
    assert shown["featuredOffer"] == {"id": created["offer"]["id"], "price": {"amount": "20.00"},
                                      "memberPrice": {"amount": "17.99"}}
    assert shown["priceRange"] == {"min": {"amount": "20.00"}, "max": {"amount": "25.00"},
                                   "memberMin": {"amount": "17.99"}, "offerCount": 2}
    # Search sorts and filters by the price everyone pays.
    assert await fetchval(db, "SELECT price_minor FROM search_documents WHERE product_id = $1", product_id) == 2000


async def test_a_member_price_not_below_the_price_is_a_typed_error_and_creates_nothing(writable_database):
    db = writable_database
    offer = await live_offer(db)
    product_id = await product_without_offer_of(db, offer["seller_id"])
    before = await fetchval(db, "SELECT count(*) FROM offers")
    cases = [(usd("20.00"), "MEMBER_PRICE_NOT_LOWER", ["input", "memberPrice", "amount"]),
             (usd("20.01"), "MEMBER_PRICE_NOT_LOWER", ["input", "memberPrice", "amount"]),
             (usd("0"), "INVALID_PRICE", ["input", "memberPrice", "amount"]),
             (usd("1.001"), "INVALID_PRICE", ["input", "memberPrice", "amount"]),
             ({"amount": "9.00", "currencyCode": "EUR"}, "CURRENCY_MISMATCH", ["input", "memberPrice", "currencyCode"])]
    async with make_client(db) as http:
        staff = await account(http, db, "staff", seller_id=offer["seller_id"])
        for member_price, code, field in cases:
            body = await staff(http, CREATE_OFFER, {"input": _create_input(offer["seller_id"], product_id,
                                                                            memberPrice=member_price)})
            result = body["data"]["createOffer"]
            assert result["offer"] is None, member_price
            assert [(e["code"], e["field"]) for e in result["userErrors"]] == [(code, field)], member_price
    assert await fetchval(db, "SELECT count(*) FROM offers") == before


async def test_staff_set_change_and_remove_a_member_price(writable_database):
    db = writable_database
    offer = await live_offer(db)
    price = offer["price_minor"]
    below = f"{(price - 100) / 100:.2f}"
    offer_id = gid("Offer", offer["id"])
    async with make_client(db) as http:
        staff = await account(http, db, "staff", seller_id=offer["seller_id"])
        document = _with_member(UPDATE_OFFER)
        set_ = (await staff(http, document, {"input": {"offerId": offer_id, "memberPrice": usd(below)}}))["data"]
        kept = (await staff(http, document, {"input": {"offerId": offer_id, "quantity": 3}}))["data"]
        removed = (await staff(http, document, {"input": {"offerId": offer_id, "memberPrice": None}}))["data"]
    assert set_["updateOffer"]["offer"]["memberPrice"] == usd(below)
    assert kept["updateOffer"]["offer"]["memberPrice"] == usd(below)  # omitted: left as it is
    assert removed["updateOffer"]["offer"]["memberPrice"] is None
    assert await fetchval(db, "SELECT member_price_minor FROM offers WHERE id = $1", offer["id"]) is None


async def test_a_price_change_that_would_not_stay_above_the_member_price_is_refused(writable_database):
    db = writable_database
    offer = await live_offer(db)
    price = offer["price_minor"]
    await fetchval(db, "UPDATE offers SET member_price_minor = $2 WHERE id = $1", offer["id"], price - 100)
    offer_id = gid("Offer", offer["id"])
    before = await offer_state(db, offer["id"])
    async with make_client(db) as http:
        staff = await account(http, db, "staff", seller_id=offer["seller_id"])
        lowered = await staff(http, UPDATE_OFFER, {"input": {"offerId": offer_id, "price": usd(f"{(price - 100) / 100:.2f}")}})
        raised = await staff(http, UPDATE_OFFER, {"input": {"offerId": offer_id, "memberPrice": usd(f"{price / 100:.2f}")}})
        assert await offer_state(db, offer["id"]) == before
        both = await staff(http, _with_member(UPDATE_OFFER), {"input": {
            "offerId": offer_id, "price": usd(f"{(price - 100) / 100:.2f}"),
            "memberPrice": usd(f"{(price - 200) / 100:.2f}")}})
    assert [(e["code"], e["field"]) for e in lowered["data"]["updateOffer"]["userErrors"]] == [
        ("MEMBER_PRICE_NOT_LOWER", ["input", "price", "amount"])]
    assert [(e["code"], e["field"]) for e in raised["data"]["updateOffer"]["userErrors"]] == [
        ("MEMBER_PRICE_NOT_LOWER", ["input", "memberPrice", "amount"])]
    assert both["data"]["updateOffer"]["userErrors"] == []
    assert both["data"]["updateOffer"]["offer"]["memberPrice"] == usd(f"{(price - 200) / 100:.2f}")


async def test_a_competitor_match_at_or_below_the_member_price_removes_it(writable_database):
    db = writable_database
    offer = await live_offer(db, first_party=True)
    price = offer["price_minor"]
    await fetchval(db, "UPDATE offers SET member_price_minor = $2 WHERE id = $1", offer["id"], price - 100)
    async with make_client(db) as http:
        admin = await account(http, db, "admin", admin=True)
        body = await admin(http, _with_member(MATCH_PRICE), {"input": {
            "offerId": gid("Offer", offer["id"]), "competitorName": "Elsewhere", "evidenceUrl": "https://example.com/x",
            "competitorPrice": usd(f"{(price - 100) / 100:.2f}")}})
    result = body["data"]["matchCompetitorPrice"]
    assert result["userErrors"] == []
    assert (result["offer"]["price"]["amount"], result["offer"]["memberPrice"]) == (f"{(price - 100) / 100:.2f}", None)
