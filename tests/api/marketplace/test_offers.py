"""Seller staff create, update and archive offers; every bad input is a typed error that
changes nothing; the featured offer and search follow at once."""
from decimal import Decimal

import pytest

from tests.api.marketplace.helpers import (
    ARCHIVE_OFFER,
    CREATE_OFFER,
    UPDATE_OFFER,
    fetch,
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

FEATURED = """query($id: ID!) { node(id: $id) { ... on Product {
  featuredOffer { id price { amount } } priceRange { min { amount } } } } }"""


def _create_input(seller_id: int, product_id: int, **overrides) -> dict:
    value = {"sellerId": gid("Seller", seller_id), "productId": gid("Product", product_id), "condition": "NEW",
             "fulfilment": "MERCHANT", "price": usd("12.34"), "shippingPrice": usd("3.99"), "quantity": 7}
    value.update(overrides)
    return value


async def test_staff_create_an_offer_with_its_first_history_entry_and_search_sees_it(writable_database):
    db = writable_database
    offer = await live_offer(db)
    product_id = await product_without_offer_of(db, offer["seller_id"])
    async with make_client(db) as http:
        staff = await account(http, db, "staff", seller_id=offer["seller_id"])
        body = await staff(http, CREATE_OFFER, {"input": _create_input(
            offer["seller_id"], product_id, price=usd("0.05"), conditionNote="  boxed  ")})
    result = body["data"]["createOffer"]
    assert result["userErrors"] == []
    created = result["offer"]
    assert created["price"] == {"amount": "0.05", "currencyCode": "USD"}
    assert created["shippingPrice"]["amount"] == "3.99"
    assert (created["quantityAvailable"], created["conditionNote"], created["archivedAt"]) == (7, "boxed", None)
    assert created["seller"]["id"] == gid("Seller", offer["seller_id"])
    history = await fetch(db, "SELECT price_minor, shipping_minor, source::text, changed_by FROM offer_price_history"
                              " WHERE offer_id = (SELECT max(id) FROM offers)")
    assert [tuple(h) for h in history] == [(5, 399, "SELLER", staff.account_id)]
    document = (await fetch(db, "SELECT price_minor, in_stock FROM search_documents WHERE product_id = $1",
                            product_id))[0]
    assert (document["price_minor"], document["in_stock"]) == (5, True)


CREATE_ERRORS = [
    ({"price": usd("-1.00")}, "INVALID_PRICE", ["input", "price", "amount"]),
    ({"price": usd("0")}, "INVALID_PRICE", ["input", "price", "amount"]),
    ({"price": usd("1.234")}, "INVALID_PRICE", ["input", "price", "amount"]),
    ({"price": usd("1000000.01")}, "INVALID_PRICE", ["input", "price", "amount"]),
    ({"price": usd("NaN")}, "INVALID_PRICE", ["input", "price", "amount"]),
    ({"price": {"amount": "12.00", "currencyCode": "EUR"}}, "CURRENCY_MISMATCH", ["input", "price", "currencyCode"]),
    ({"shippingPrice": usd("-0.01")}, "INVALID_PRICE", ["input", "shippingPrice", "amount"]),
    ({"shippingPrice": {"amount": "1", "currencyCode": "GBP"}}, "CURRENCY_MISMATCH",
     ["input", "shippingPrice", "currencyCode"]),
    ({"quantity": -1}, "INVALID_QUANTITY", ["input", "quantity"]),
    ({"quantity": 1_000_001}, "INVALID_QUANTITY", ["input", "quantity"]),
    ({"conditionNote": "x" * 1001}, "CONDITION_NOTE_TOO_LONG", ["input", "conditionNote"]),
]


async def test_bad_offer_inputs_are_typed_errors_and_create_nothing(writable_database):
    db = writable_database
    offer = await live_offer(db)
    product_id = await product_without_offer_of(db, offer["seller_id"])
    before = await fetchval(db, "SELECT count(*) FROM offers"), await fetchval(db, "SELECT count(*) FROM offer_price_history")
    async with make_client(db) as http:
        staff = await account(http, db, "staff", seller_id=offer["seller_id"])
        for overrides, code, field in CREATE_ERRORS:
            body = await staff(http, CREATE_OFFER, {"input": _create_input(offer["seller_id"], product_id, **overrides)})
            result = body["data"]["createOffer"]
            assert result["offer"] is None, overrides
            assert [(e["code"], e["field"]) for e in result["userErrors"]] == [(code, field)], overrides
    after = await fetchval(db, "SELECT count(*) FROM offers"), await fetchval(db, "SELECT count(*) FROM offer_price_history")
    assert after == before


@pytest.mark.own_copy
async def test_a_second_live_offer_in_the_same_condition_is_offer_exists(writable_database):
    db = writable_database
    offer = await live_offer(db)
    before = await offer_state(db, offer["id"])
    async with make_client(db) as http:
        staff = await account(http, db, "staff", seller_id=offer["seller_id"])
        body = await staff(http, CREATE_OFFER, {"input": _create_input(offer["seller_id"], offer["product_id"])})
        used = await staff(http, CREATE_OFFER, {"input": _create_input(
            offer["seller_id"], offer["product_id"], condition="USED", conditionNote="Good: light wear.")})
    assert [e["code"] for e in body["data"]["createOffer"]["userErrors"]] == ["OFFER_EXISTS"]
    assert used["data"]["createOffer"]["userErrors"] == []  # another condition is another offer
    after = await offer_state(db, offer["id"])
    assert after["offer"] == before["offer"] and after["history"] == before["history"]
    assert after["offers"] == before["offers"] + 1


async def test_an_archived_or_unknown_product_is_not_found(writable_database):
    db = writable_database
    offer = await live_offer(db)
    product_id = await product_without_offer_of(db, offer["seller_id"])
    await fetch(db, "UPDATE products SET archived_at = now() WHERE id = $1", product_id)
    before = await fetchval(db, "SELECT count(*) FROM offers")
    async with make_client(db) as http:
        staff = await account(http, db, "staff", seller_id=offer["seller_id"])
        archived = await staff(http, CREATE_OFFER, {"input": _create_input(offer["seller_id"], product_id)})
        unknown = await staff(http, CREATE_OFFER, {"input": _create_input(offer["seller_id"], 99_999_999)})
    for body in (archived, unknown):
        assert [(e["code"], e["field"]) for e in body["data"]["createOffer"]["userErrors"]] == [
            ("NOT_FOUND", ["input", "productId"])]
    assert await fetchval(db, "SELECT count(*) FROM offers") == before


async def test_only_staff_of_the_seller_may_create_its_offers(writable_database):
    db = writable_database
    offer = await live_offer(db)
    product_id = await product_without_offer_of(db, offer["seller_id"])
    variables = {"input": _create_input(offer["seller_id"], product_id)}
    before = await fetchval(db, "SELECT count(*) FROM offers")
    async with make_client(db) as http:
        anonymous = (await http.post("/graphql", json={"query": CREATE_OFFER, "variables": variables})).json()
        customer = await account(http, db, "customer")
        other_staff = await account(http, db, "other", seller_id=offer["seller_id"] + 1)
        admin = await account(http, db, "admin", admin=True)
        refused = {"anonymous": anonymous}
        for name, caller in (("customer", customer), ("other seller's staff", other_staff), ("admin", admin)):
            refused[name] = await caller(http, CREATE_OFFER, variables)
    codes = {name: body["errors"][0]["extensions"]["code"] for name, body in refused.items()}
    assert codes == {"anonymous": "UNAUTHENTICATED", "customer": "FORBIDDEN", "other seller's staff": "FORBIDDEN",
                     "admin": "FORBIDDEN"}
    assert all(body["data"] is None for body in refused.values())
    assert await fetchval(db, "SELECT count(*) FROM offers") == before


async def _product_with_two_featurable_offers(db):
    """A product with in-stock new offers from two third-party sellers in good standing:
    (product id, the featured offer's id, the other offer's row)."""
    rows = await fetch(db, """
        SELECT o.product_id, o.id, o.seller_id, o.landed_minor FROM offers o JOIN sellers s ON s.id = o.seller_id
        WHERE o.archived_at IS NULL AND o.quantity > 0 AND o.condition = 'NEW' AND s.standing = 'GOOD'
          AND NOT s.is_first_party AND o.product_id IN (
            SELECT o2.product_id FROM offers o2 JOIN sellers s2 ON s2.id = o2.seller_id
            WHERE o2.archived_at IS NULL AND o2.quantity > 0 AND o2.condition = 'NEW' AND s2.standing = 'GOOD'
            GROUP BY o2.product_id HAVING count(*) >= 2)
        ORDER BY o.product_id, o.landed_minor DESC LIMIT 1""")
    return rows[0]


async def test_a_price_change_shows_in_the_featured_offer_immediately_and_in_the_history(writable_database):
    db = writable_database
    other = await _product_with_two_featurable_offers(db)
    product = gid("Product", other["product_id"])
    async with make_client(db) as http:
        staff = await account(http, db, "staff", seller_id=other["seller_id"])
        before = (await staff(http, FEATURED, {"id": product}))["data"]["node"]
        body = await staff(http, UPDATE_OFFER, {"input": {"offerId": gid("Offer", other["id"]), "price": usd("0.01"),
                                                          "shippingPrice": usd("0")}})
        after = (await staff(http, FEATURED, {"id": product}))["data"]["node"]
        history = await staff(http, """query($id: ID!) { node(id: $id) { ... on Offer {
            priceHistory { nodes { price { amount } shippingPrice { amount } source } } } } }""",
                              {"id": gid("Offer", other["id"])})
    assert body["data"]["updateOffer"]["userErrors"] == []
    assert before["featuredOffer"]["id"] != gid("Offer", other["id"])
    assert after["featuredOffer"] == {"id": gid("Offer", other["id"]), "price": {"amount": "0.01"}}
    assert after["priceRange"]["min"]["amount"] == "0.01"
    entries = history["data"]["node"]["priceHistory"]["nodes"]
    assert entries[0] == {"price": {"amount": "0.01"}, "shippingPrice": {"amount": "0.00"}, "source": "SELLER"}
    assert [e["source"] for e in entries] == ["SELLER", "SEED"]
    assert await fetchval(db, "SELECT price_minor FROM search_documents WHERE product_id = $1",
                          other["product_id"]) == 1


@pytest.mark.own_copy
async def test_stock_and_note_changes_add_no_history_entry(writable_database):
    db = writable_database
    offer = await live_offer(db)
    async with make_client(db) as http:
        staff = await account(http, db, "staff", seller_id=offer["seller_id"])
        body = await staff(http, UPDATE_OFFER, {"input": {
            "offerId": gid("Offer", offer["id"]), "quantity": 0, "conditionNote": "Signed copy", "fulfilment": "PLATFORM",
            "price": usd(str(Decimal(offer["price_minor"]).scaleb(-2)))}})
    updated = body["data"]["updateOffer"]
    assert updated["userErrors"] == []
    assert (updated["offer"]["quantityAvailable"], updated["offer"]["conditionNote"],
            updated["offer"]["fulfilment"]) == (0, "Signed copy", "PLATFORM")
    assert await fetchval(db, "SELECT count(*) FROM offer_price_history WHERE offer_id = $1", offer["id"]) == 1


UPDATE_ERRORS = [
    ({"price": usd("-5")}, "INVALID_PRICE", ["input", "price", "amount"]),
    ({"price": usd("0.00")}, "INVALID_PRICE", ["input", "price", "amount"]),
    ({"price": usd("9.999")}, "INVALID_PRICE", ["input", "price", "amount"]),
    ({"price": {"amount": "9.99", "currencyCode": "JPY"}}, "CURRENCY_MISMATCH", ["input", "price", "currencyCode"]),
    ({"shippingPrice": usd("-1")}, "INVALID_PRICE", ["input", "shippingPrice", "amount"]),
    ({"quantity": -3}, "INVALID_QUANTITY", ["input", "quantity"]),
    ({"quantity": 2_000_000}, "INVALID_QUANTITY", ["input", "quantity"]),
    ({"price": usd("1.00"), "quantity": -1}, "INVALID_QUANTITY", ["input", "quantity"]),
]


async def test_bad_updates_are_typed_errors_and_change_nothing(writable_database):
    db = writable_database
    offer = await live_offer(db)
    before = await offer_state(db, offer["id"])
    async with make_client(db) as http:
        staff = await account(http, db, "staff", seller_id=offer["seller_id"])
        for overrides, code, field in UPDATE_ERRORS:
            body = await staff(http, UPDATE_OFFER, {"input": {"offerId": gid("Offer", offer["id"]), **overrides}})
            result = body["data"]["updateOffer"]
            assert result["offer"] is None
            assert [(e["code"], e["field"]) for e in result["userErrors"]] == [(code, field)], overrides
    assert await offer_state(db, offer["id"]) == before


async def test_another_sellers_offer_is_forbidden_for_everyone_but_its_staff(writable_database):
    db = writable_database
    offer = await live_offer(db)
    variables = {"input": {"offerId": gid("Offer", offer["id"]), "price": usd("1.00"), "quantity": 1}}
    before = await offer_state(db, offer["id"])
    async with make_client(db) as http:
        refused = {"anonymous": (await http.post("/graphql", json={"query": UPDATE_OFFER,
                                                                   "variables": variables})).json()}
        for name, kwargs in (("customer", {}), ("other seller's staff", {"seller_id": offer["seller_id"] + 1}),
                             ("admin", {"admin": True})):
            caller = await account(http, db, "caller", **kwargs)
            refused[name] = await caller(http, UPDATE_OFFER, variables)
            refused[name + " archiving"] = await caller(http, ARCHIVE_OFFER, {"input": {
                "offerId": gid("Offer", offer["id"])}})
        assert await offer_state(db, offer["id"]) == before
        staff = await account(http, db, "staff", seller_id=offer["seller_id"])
        allowed = await staff(http, UPDATE_OFFER, variables)
    codes = {name: body["errors"][0]["extensions"]["code"] for name, body in refused.items()}
    assert codes == {"anonymous": "UNAUTHENTICATED", "customer": "FORBIDDEN", "customer archiving": "FORBIDDEN",
                     "other seller's staff": "FORBIDDEN", "other seller's staff archiving": "FORBIDDEN",
                     "admin": "FORBIDDEN", "admin archiving": "FORBIDDEN"}
    assert allowed["data"]["updateOffer"]["offer"]["price"]["amount"] == "1.00"


async def test_an_offer_the_public_cannot_see_is_not_found_to_other_sellers(writable_database):
    db = writable_database
    offer = await live_offer(db)
    await fetch(db, "UPDATE offers SET archived_at = now() WHERE id = $1", offer["id"])
    async with make_client(db) as http:
        other = await account(http, db, "other", seller_id=offer["seller_id"] + 1)
        body = await other(http, UPDATE_OFFER, {"input": {"offerId": gid("Offer", offer["id"]), "quantity": 1}})
        unknown = await other(http, UPDATE_OFFER, {"input": {"offerId": gid("Offer", 99_999_999), "quantity": 1}})
    assert [e["code"] for e in body["data"]["updateOffer"]["userErrors"]] == ["NOT_FOUND"]
    assert [e["code"] for e in unknown["data"]["updateOffer"]["userErrors"]] == ["NOT_FOUND"]


async def test_archiving_withdraws_the_offer_keeps_its_history_and_frees_its_place(writable_database):
    db = writable_database
    offer = await live_offer(db)
    offer_id = gid("Offer", offer["id"])
    async with make_client(db) as http:
        staff = await account(http, db, "staff", seller_id=offer["seller_id"])
        archived = (await staff(http, ARCHIVE_OFFER, {"input": {"offerId": offer_id}}))["data"]["archiveOffer"]
        again = (await staff(http, ARCHIVE_OFFER, {"input": {"offerId": offer_id}}))["data"]["archiveOffer"]
        update = (await staff(http, UPDATE_OFFER, {"input": {"offerId": offer_id, "quantity": 3}}))["data"]["updateOffer"]
        node = (await staff(http, "query($id: ID!) { node(id: $id) { id } }", {"id": offer_id}))["data"]["node"]
        listed = await staff(http, """query($id: ID!) { node(id: $id) { ... on Product {
            offers(first: 100) { nodes { id } } } } }""", {"id": gid("Product", offer["product_id"])})
        recreated = await staff(http, CREATE_OFFER, {"input": _create_input(offer["seller_id"], offer["product_id"])})
    assert archived["userErrors"] == [] and archived["offer"]["archivedAt"] is not None
    assert again["userErrors"] == [] and again["offer"]["archivedAt"] == archived["offer"]["archivedAt"]
    assert [e["code"] for e in update["userErrors"]] == ["OFFER_ARCHIVED"]
    assert node is None
    assert offer_id not in {o["id"] for o in listed["data"]["node"]["offers"]["nodes"]}
    assert recreated["data"]["createOffer"]["userErrors"] == []
    assert await fetchval(db, "SELECT count(*) FROM offer_price_history WHERE offer_id = $1", offer["id"]) == 1


async def test_staff_of_a_suspended_seller_change_no_offer(writable_database):
    db = writable_database
    offer = await live_offer(db)
    product_id = await product_without_offer_of(db, offer["seller_id"])
    await fetch(db, "UPDATE sellers SET standing = 'SUSPENDED' WHERE id = $1", offer["seller_id"])
    before = await offer_state(db, offer["id"])
    async with make_client(db) as http:
        staff = await account(http, db, "staff", seller_id=offer["seller_id"])
        results = [
            (await staff(http, UPDATE_OFFER, {"input": {"offerId": gid("Offer", offer["id"]), "quantity": 2}}))[
                "data"]["updateOffer"],
            (await staff(http, ARCHIVE_OFFER, {"input": {"offerId": gid("Offer", offer["id"])}}))["data"]["archiveOffer"],
            (await staff(http, CREATE_OFFER, {"input": _create_input(offer["seller_id"], product_id)}))[
                "data"]["createOffer"],
        ]
    assert [[e["code"] for e in r["userErrors"]] for r in results] == [["SELLER_SUSPENDED"]] * 3
    assert await offer_state(db, offer["id"]) == before
