"""Guests and customers create carts and change their lines; every refused change is a typed
error that changes nothing; a cart is visible only to its owner, the holder of its token, and
(through `node`) administrators."""
import hashlib

import pytest

from tests.api.carts.helpers import (
    CART_CREATE,
    CART_QUERY,
    KINDLE,
    LINES_ADD,
    LINES_REMOVE,
    LINES_UPDATE,
    LOW_STOCK,
    MERCHANT_GOODS,
    PLATFORM_BOOK,
    PLATFORM_GOODS,
    cart_rows,
    codes,
    customer_cart,
    execute,
    fetch,
    fetchval,
    gid,
    guest_cart,
    line,
    offer,
    ok,
    pk,
)
from tests.api.identity.helpers import call
from tests.conftest import make_client
from tests.fixtures.identity import account

pytestmark = pytest.mark.one_copy_per_file


async def test_a_guest_gets_a_cart_and_its_token_once_and_only_the_token_opens_it(writable_database):
    db = writable_database
    book = await offer(db, PLATFORM_BOOK)
    async with make_client(db) as http:
        cart, token = await guest_cart(http, line(book, 2))
        assert (cart["status"], cart["isGuest"], cart["currencyCode"], cart["totalQuantity"]) == (
            "ACTIVE", True, "USD", 2)
        [only] = cart["lines"]
        assert only["offer"]["id"] == gid("Offer", book["id"])
        assert only["seller"]["id"] == gid("Seller", book["seller_id"])
        assert only["product"]["id"] == gid("Product", book["product_id"])
        assert only["unitPrice"]["amount"] == only["priceWhenAdded"]["amount"]
        assert only["problems"] == [] and only["purchasable"] is True
        stored = await fetch(db, "SELECT account_id, token_hash FROM carts WHERE id = $1", pk(cart["id"]))
        assert [tuple(r) for r in stored] == [(None, hashlib.sha256(token.encode()).hexdigest())]

        by_token = (await call(http, CART_QUERY, {"token": token}))["data"]["cart"]
        by_id_and_token = (await call(http, CART_QUERY, {"id": cart["id"], "token": token}))["data"]["cart"]
        assert by_token == by_id_and_token == cart
        for variables in ({"id": cart["id"]}, {"id": cart["id"], "token": token + "x"}, {"token": "guessed"}, {}):
            body = await call(http, CART_QUERY, variables)
            assert body["data"] == {"cart": None}, variables


async def test_a_customer_has_one_active_cart_which_create_cart_returns_with_the_lines_added(writable_database):
    db = writable_database
    book, goods = await offer(db, PLATFORM_BOOK), await offer(db, PLATFORM_GOODS)
    async with make_client(db) as http:
        ada = await account(http, db, "ada")
        first = await customer_cart(http, ada, line(book))
        second = await customer_cart(http, ada, line(book, 2), line(goods))
        assert second["id"] == first["id"] and second["isGuest"] is False
        assert [(ln["offer"]["id"], ln["quantity"]) for ln in second["lines"]] == [
            (gid("Offer", book["id"]), 3), (gid("Offer", goods["id"]), 1)]
        mine = (await ada(http, CART_QUERY))["data"]["cart"]
        assert mine == second
    assert await fetchval(db, "SELECT count(*) FROM carts WHERE account_id = $1", ada.account_id) == 1


async def test_adding_an_offer_twice_adds_up_and_update_and_remove_change_lines(writable_database):
    db = writable_database
    book, goods = await offer(db, PLATFORM_BOOK), await offer(db, MERCHANT_GOODS)
    async with make_client(db) as http:
        cart, token = await guest_cart(http)
        added = ok(await call(http, LINES_ADD, {"input": {"cartId": cart["id"], "cartToken": token,
                                                          "lines": [line(book), line(goods, 2), line(book, 3)]}}),
                   "addCartLines")
        assert [ln["quantity"] for ln in added["lines"]] == [4, 2]
        book_line, goods_line = added["lines"]
        updated = ok(await call(http, LINES_UPDATE, {"input": {"cartId": cart["id"], "cartToken": token, "lines": [
            {"lineId": book_line["id"], "quantity": 1}, {"lineId": goods_line["id"], "quantity": 5}]}}),
            "updateCartLines")
        assert [(ln["id"], ln["quantity"]) for ln in updated["lines"]] == [(book_line["id"], 1), (goods_line["id"], 5)]
        removed = ok(await call(http, LINES_REMOVE, {"input": {"cartId": cart["id"], "cartToken": token,
                                                               "lineIds": [book_line["id"]]}}), "removeCartLines")
        assert [ln["id"] for ln in removed["lines"]] == [goods_line["id"]]
        assert removed["totalQuantity"] == 5
        assert removed["updatedAt"] > cart["updatedAt"]


async def test_digital_lines_need_no_delivery_and_no_stock_while_discs_are_shipped(writable_database):
    db = writable_database
    kindle = await offer(db, KINDLE)
    dvd = await offer(db, "p.format = 'DVD' AND o.quantity >= 1 AND o.fulfilment = 'PLATFORM'")
    await execute(db, "UPDATE offers SET quantity = 0 WHERE id = $1", kindle["id"])  # e-books never run out
    async with make_client(db) as http:
        cart, token = await guest_cart(http, line(kindle), line(dvd))
        # An e-book is one licence: a second unit is refused, not charged for nothing.
        before = await cart_rows(db)
        body = await call(http, LINES_ADD, {"input": {"cartId": cart["id"], "cartToken": token,
                                                      "lines": [line(kindle)]}})
        refused = body["data"]["addCartLines"]["userErrors"]
        assert [(e["code"], e["field"]) for e in refused] == [("QUANTITY_LIMIT", ["input", "lines", "0", "quantity"])]
        assert await cart_rows(db) == before
    kindle_line, dvd_line = cart["lines"]
    assert (kindle_line["requiresDelivery"], kindle_line["problems"]) == (False, [])
    assert dvd_line["requiresDelivery"] is True
    assert [[ln["id"] for ln in g["lines"]] for g in cart["shipmentGroups"]] == [[dvd_line["id"]]]


async def _cart_with_lines(http, db):
    book, goods = await offer(db, PLATFORM_BOOK), await offer(db, MERCHANT_GOODS)
    cart, token = await guest_cart(http, line(book, 2), line(goods))
    return cart, token


def _add_input(cart, token, *lines):
    return {"input": {"cartId": cart["id"], "cartToken": token, "lines": list(lines)}}


@pytest.mark.parametrize("case", ["zero", "negative", "over_limit", "over_limit_with_the_line", "over_stock",
                                  "archived", "suspended_seller", "unknown_offer", "empty"])
async def test_refused_additions_are_typed_errors_that_change_nothing(writable_database, case):
    db = writable_database
    async with make_client(db) as http:
        cart, token = await _cart_with_lines(http, db)
        book = await offer(db, PLATFORM_BOOK)
        valid = line(await offer(db, PLATFORM_GOODS))
        low = await offer(db, LOW_STOCK)
        archived = await offer(db, "s.is_first_party AND o.quantity > 5 AND p.format = 'HARDCOVER'")
        await execute(db, "UPDATE offers SET archived_at = now() WHERE id = $1", archived["id"])
        suspended = (await fetch(db, "SELECT o.id FROM offers o JOIN sellers s ON s.id = o.seller_id"
                                     " WHERE s.standing = 'SUSPENDED' AND o.archived_at IS NULL LIMIT 1"))[0]
        bad, code, extra = {
            "zero": (line(book, 0), "INVALID_QUANTITY", {}),
            "negative": (line(book, -3), "INVALID_QUANTITY", {}),
            "over_limit": (line(await offer(db, MERCHANT_GOODS), 11), "QUANTITY_LIMIT", {"quantityLimit": 10}),
            "over_limit_with_the_line": (line(book, 9), "QUANTITY_LIMIT", {"quantityLimit": 10}),
            "over_stock": (line(low, low["quantity"] + 1), "QUANTITY_UNAVAILABLE",
                           {"availableQuantity": low["quantity"]}),
            "archived": (line(archived), "OFFER_UNAVAILABLE", {}),
            "suspended_seller": ({"offerId": gid("Offer", suspended["id"]), "quantity": 1}, "OFFER_UNAVAILABLE", {}),
            "unknown_offer": ({"offerId": gid("Offer", 987654321), "quantity": 1}, "OFFER_UNAVAILABLE", {}),
            "empty": (None, "INVALID", {}),
        }[case]
        before = await cart_rows(db)
        lines = [] if bad is None else [valid, bad]  # a valid line first: it must not be written either
        body = await call(http, LINES_ADD, _add_input(cart, token, *lines))
        # A new cart with the same lines is refused whole too (the limit with the line needs the line).
        created = (None if bad is None or case == "over_limit_with_the_line"
                   else await call(http, CART_CREATE, {"input": {"lines": lines}}))
    assert codes(body, "addCartLines") == [code]
    [error] = body["data"]["addCartLines"]["userErrors"]
    assert error["message"]
    for key, value in extra.items():
        assert error[key] == value
    if bad is not None:
        assert error["field"][:3] == ["input", "lines", "1"]
    if created is not None:
        assert codes(created, "createCart") == [code]
        assert created["data"]["createCart"]["cartToken"] is None
    assert body["data"]["addCartLines"]["cart"] is None
    assert await cart_rows(db) == before


@pytest.mark.parametrize("case", ["zero", "over_limit", "over_stock", "unknown_line", "same_line_twice",
                                  "other_carts_line", "withdrawn_offer", "empty"])
async def test_refused_updates_change_nothing(writable_database, case):
    db = writable_database
    async with make_client(db) as http:
        low = await offer(db, LOW_STOCK)
        cart, token = await guest_cart(http, line(await offer(db, PLATFORM_BOOK)), line(low))
        other, _ = await guest_cart(http, line(await offer(db, PLATFORM_GOODS)))
        first, second = cart["lines"]
        if case == "withdrawn_offer":
            await execute(db, "UPDATE offers SET archived_at = now() WHERE id = $1", low["id"])
        change = {
            "zero": ({"lineId": second["id"], "quantity": 0}, "INVALID_QUANTITY"),
            "over_limit": ({"lineId": second["id"], "quantity": 11}, "QUANTITY_LIMIT"),
            "over_stock": ({"lineId": second["id"], "quantity": low["quantity"] + 1}, "QUANTITY_UNAVAILABLE"),
            "unknown_line": ({"lineId": gid("CartLine", 987654321), "quantity": 1}, "NOT_FOUND"),
            "same_line_twice": ({"lineId": first["id"], "quantity": 2}, "INVALID"),
            "other_carts_line": ({"lineId": other["lines"][0]["id"], "quantity": 1}, "NOT_FOUND"),
            "withdrawn_offer": ({"lineId": second["id"], "quantity": 1}, "OFFER_UNAVAILABLE"),
            "empty": (None, "INVALID"),
        }
        bad, code = change[case]
        lines = [] if bad is None else [{"lineId": first["id"], "quantity": 3}, bad]
        before = await cart_rows(db)
        body = await call(http, LINES_UPDATE, {"input": {"cartId": cart["id"], "cartToken": token, "lines": lines}})
    assert codes(body, "updateCartLines") == [code]
    assert await cart_rows(db) == before


async def test_removing_an_unknown_line_removes_nothing(writable_database):
    db = writable_database
    async with make_client(db) as http:
        cart, token = await _cart_with_lines(http, db)
        before = await cart_rows(db)
        unknown = await call(http, LINES_REMOVE, {"input": {"cartId": cart["id"], "cartToken": token, "lineIds": [
            cart["lines"][0]["id"], gid("CartLine", 987654321)]}})
        empty = await call(http, LINES_REMOVE, {"input": {"cartId": cart["id"], "cartToken": token, "lineIds": []}})
    assert codes(unknown, "removeCartLines") == ["NOT_FOUND"]
    assert unknown["data"]["removeCartLines"]["userErrors"][0]["field"] == ["input", "lineIds", "1"]
    assert codes(empty, "removeCartLines") == ["INVALID"]
    assert await cart_rows(db) == before


async def test_a_cart_holds_at_most_the_configured_number_of_lines(writable_database):
    db = writable_database
    book, goods = await offer(db, PLATFORM_BOOK), await offer(db, PLATFORM_GOODS)
    other = await offer(db, MERCHANT_GOODS)
    async with make_client(db, cart_max_lines=2, cart_quantity_limit=3) as http:
        cart, token = await guest_cart(http, line(book), line(goods))
        before = await cart_rows(db)
        full = await call(http, LINES_ADD, _add_input(cart, token, line(book), line(other)))
        too_many = await call(http, CART_CREATE, {"input": {"lines": [line(book), line(goods), line(other)]}})
        limit = await call(http, LINES_ADD, _add_input(cart, token, line(book, 3)))
        assert await cart_rows(db) == before
        more_of_one = ok(await call(http, LINES_ADD, _add_input(cart, token, line(book, 2))), "addCartLines")
    assert codes(full, "addCartLines") == ["CART_FULL"]
    assert codes(too_many, "createCart") == ["CART_FULL"]
    assert codes(limit, "addCartLines") == ["QUANTITY_LIMIT"]
    assert limit["data"]["addCartLines"]["userErrors"][0]["quantityLimit"] == 3
    assert [ln["quantity"] for ln in more_of_one["lines"]] == [3, 1]


async def test_only_the_owner_or_the_token_holder_changes_a_cart(writable_database):
    db = writable_database
    book = await offer(db, PLATFORM_BOOK)
    async with make_client(db) as http:
        ada = await account(http, db, "ada")
        ben = await account(http, db, "ben")
        admin = await account(http, db, "admin", admin=True)
        customer = await customer_cart(http, ada, line(book))
        guest, token = await guest_cart(http, line(book))
        before = await cart_rows(db)
        refused = [
            await ben(http, LINES_ADD, _add_input(customer, None, line(book))),
            await admin(http, LINES_ADD, _add_input(customer, None, line(book))),
            await call(http, LINES_ADD, _add_input(customer, None, line(book))),
            await call(http, LINES_ADD, _add_input(customer, token, line(book))),  # another cart's token
            await call(http, LINES_ADD, _add_input(guest, None, line(book))),
            await call(http, LINES_ADD, _add_input(guest, "not-the-token", line(book))),
            await ada(http, LINES_ADD, _add_input(guest, "x" * 5000, line(book))),
        ]
        assert [codes(body, "addCartLines") for body in refused] == [["NOT_FOUND"]] * len(refused)
        assert await cart_rows(db) == before
        # The token opens a guest cart for anyone holding it, signed in or not.
        ok(await ben(http, LINES_ADD, _add_input(guest, token, line(book))), "addCartLines")
        # Reads: the owner and administrators by id and node; nobody else.
        node = "query($id: ID!) { node(id: $id) { ... on Cart { id totalQuantity } } }"
        assert (await ada(http, node, {"id": customer["id"]}))["data"]["node"]["id"] == customer["id"]
        assert (await admin(http, node, {"id": customer["id"]}))["data"]["node"]["id"] == customer["id"]
        assert (await admin(http, node, {"id": guest["id"]}))["data"]["node"]["totalQuantity"] == 2
        assert (await ben(http, node, {"id": customer["id"]}))["data"]["node"] is None
        assert (await call(http, node, {"id": guest["id"]}))["data"]["node"] is None
        assert (await ben(http, CART_QUERY, {"id": customer["id"]}))["data"]["cart"] is None
        assert (await ben(http, CART_QUERY))["data"]["cart"] is None  # ben has no cart of his own


async def test_a_wrong_kind_of_id_is_a_clear_error(writable_database):
    async with make_client(writable_database) as http:
        body = await call(http, LINES_ADD, {"input": {"cartId": gid("Offer", 1), "lines": []}})
    [error] = body["data"]["addCartLines"]["userErrors"]
    assert (error["code"], error["field"]) == ("INVALID_ID", ["input", "cartId"])
