"""A cart tells the customer what changed since a line was added (the price, the stock, the
offer withdrawn or its seller suspended) without blocking changes to the cart."""
from decimal import Decimal

import pytest

from tests.api.carts.helpers import (
    CART_QUERY,
    LINES_ADD,
    LINES_REMOVE,
    LINES_UPDATE,
    MERCHANT_GOODS,
    PLATFORM_BOOK,
    PLATFORM_GOODS,
    amounts,
    codes,
    gid,
    guest_cart,
    line,
    offer,
    ok,
)
from tests.api.identity.helpers import call
from tests.api.marketplace.helpers import ARCHIVE_OFFER, UPDATE_OFFER
from tests.conftest import make_client
from tests.fixtures.identity import account

pytestmark = pytest.mark.one_copy_per_file


async def _read(http, token: str) -> dict:
    return (await call(http, CART_QUERY, {"token": token}))["data"]["cart"]


def _money(minor: int) -> str:
    return str(Decimal(minor).scaleb(-2))


async def test_a_price_change_shows_on_the_line_until_the_customer_changes_it(writable_database):
    db = writable_database
    book = await offer(db, PLATFORM_BOOK)
    async with make_client(db) as http:
        cart, token = await guest_cart(http, line(book, 2))
        staff = await account(http, db, "staff", seller_id=book["seller_id"])
        new_price = _money(book["price_minor"] + 150)
        updated = await staff(http, UPDATE_OFFER, {"input": {"offerId": gid("Offer", book["id"]),
                                                             "price": {"amount": new_price, "currencyCode": "USD"}}})
        assert updated["data"]["updateOffer"]["userErrors"] == []
        now = await _read(http, token)
        [changed] = now["lines"]
        assert [(p["code"], p["previousUnitPrice"]["amount"]) for p in changed["problems"]] == [
            ("PRICE_CHANGED", _money(book["price_minor"]))]
        assert "changed from USD" in changed["problems"][0]["message"]
        assert (changed["unitPrice"]["amount"], changed["priceWhenAdded"]["amount"]) == (
            new_price, _money(book["price_minor"]))
        assert changed["lineTotal"]["amount"] == _money(2 * (book["price_minor"] + 150))
        assert amounts(now)["subtotal"] == changed["lineTotal"]["amount"]
        # Changing the line is seeing the new price: the problem goes.
        seen = ok(await call(http, LINES_UPDATE, {"input": {"cartId": cart["id"], "cartToken": token, "lines": [
            {"lineId": changed["id"], "quantity": 1}]}}), "updateCartLines")
        assert seen["lines"][0]["problems"] == []
        assert seen["lines"][0]["priceWhenAdded"]["amount"] == new_price


async def test_a_stock_drop_shows_the_quantity_left(writable_database):
    db = writable_database
    goods = await offer(db, MERCHANT_GOODS)
    async with make_client(db) as http:
        cart, token = await guest_cart(http, line(goods, 4))
        staff = await account(http, db, "staff", seller_id=goods["seller_id"])
        for quantity, expected in ((3, 3), (0, 0)):
            await staff(http, UPDATE_OFFER, {"input": {"offerId": gid("Offer", goods["id"]), "quantity": quantity}})
            [short] = (await _read(http, token))["lines"]
            assert [(p["code"], p["availableQuantity"]) for p in short["problems"]] == [
                ("QUANTITY_UNAVAILABLE", expected)]
            assert short["purchasable"] is True  # still in the totals; the customer lowers the quantity
        assert "out of stock" in short["problems"][0]["message"]
        refused = await call(http, LINES_UPDATE, {"input": {"cartId": cart["id"], "cartToken": token, "lines": [
            {"lineId": short["id"], "quantity": 1}]}})
        assert codes(refused, "updateCartLines") == ["QUANTITY_UNAVAILABLE"]
        assert refused["data"]["updateCartLines"]["userErrors"][0]["availableQuantity"] == 0


async def test_a_withdrawn_offer_stays_as_a_line_that_counts_in_no_total_and_can_be_removed(writable_database):
    db = writable_database
    book, goods = await offer(db, PLATFORM_BOOK), await offer(db, PLATFORM_GOODS)
    async with make_client(db) as http:
        cart, token = await guest_cart(http, line(book), line(goods))
        staff = await account(http, db, "staff", seller_id=goods["seller_id"])
        archived = await staff(http, ARCHIVE_OFFER, {"input": {"offerId": gid("Offer", goods["id"])}})
        assert archived["data"]["archiveOffer"]["userErrors"] == []
        now = await _read(http, token)
        kept, gone = now["lines"]
        assert [p["code"] for p in gone["problems"]] == ["OFFER_UNAVAILABLE"]
        assert (gone["offer"], gone["seller"]["id"], gone["purchasable"]) == (
            None, gid("Seller", goods["seller_id"]), False)
        assert gone["unitPrice"]["amount"] == _money(goods["price_minor"])  # the last price known
        assert gone["product"]["id"] == gid("Product", goods["product_id"])
        assert amounts(now)["subtotal"] == kept["lineTotal"]["amount"]
        assert [[ln["id"] for ln in g["lines"]] for g in now["shipmentGroups"]] == [[kept["id"]]]
        assert gone["tax"]["amount"] == "0.00"
        changed = await call(http, LINES_UPDATE, {"input": {"cartId": cart["id"], "cartToken": token, "lines": [
            {"lineId": gone["id"], "quantity": 2}]}})
        assert codes(changed, "updateCartLines") == ["OFFER_UNAVAILABLE"]
        # Other changes to the cart still work.
        ok(await call(http, LINES_ADD, {"input": {"cartId": cart["id"], "cartToken": token, "lines": [line(book)]}}),
           "addCartLines")
        removed = ok(await call(http, LINES_REMOVE, {"input": {"cartId": cart["id"], "cartToken": token,
                                                               "lineIds": [gone["id"]]}}), "removeCartLines")
        assert [ln["id"] for ln in removed["lines"]] == [kept["id"]]


async def test_a_suspended_sellers_offer_becomes_unavailable_in_the_cart(writable_database):
    db = writable_database
    goods = await offer(db, "o.fulfilment = 'MERCHANT' AND o.quantity >= 5 AND NOT s.is_first_party"
                            " AND s.standing = 'GOOD'")
    async with make_client(db) as http:
        cart, token = await guest_cart(http, line(goods))
        admin = await account(http, db, "admin", admin=True)
        body = await admin(http, """mutation($id: ID!) { setSellerStanding(input: {sellerId: $id, standing: SUSPENDED,
            reason: "Counterfeits"}) { userErrors { code } } }""", {"id": gid("Seller", goods["seller_id"])})
        assert body["data"]["setSellerStanding"]["userErrors"] == []
        [line_now] = (await _read(http, token))["lines"]
    assert [p["code"] for p in line_now["problems"]] == ["OFFER_UNAVAILABLE"]
    assert line_now["seller"]["id"] == gid("Seller", goods["seller_id"])
