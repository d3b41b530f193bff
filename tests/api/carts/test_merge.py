"""At sign-in the client calls `mergeGuestCart` with the guest cart's token: the guest's lines go into
the customer's cart (quantities add up to the per-order limit), and the guest cart is closed."""
import pytest

from tests.api.carts.helpers import (
    BERLIN,
    CART_QUERY,
    KINDLE,
    LINES_ADD,
    MERCHANT_GOODS,
    MERGE,
    PLATFORM_BOOK,
    PLATFORM_GOODS,
    SEATTLE,
    SELECT_DELIVERY,
    SET_ADDRESS,
    cart_rows,
    codes,
    customer_cart,
    fetch,
    gid,
    guest_cart,
    line,
    offer,
    ok,
    pk,
)
from tests.api.identity.helpers import PASSWORD, call, register, sign_in
from tests.conftest import make_client
from tests.fixtures.identity import account

pytestmark = pytest.mark.one_copy_per_file


def _merge(token: str) -> dict:
    return {"input": {"cartToken": token}}


async def test_a_guest_cart_merges_into_the_customers_cart_after_sign_in(writable_database):
    db = writable_database
    book, goods, kindle = await offer(db, PLATFORM_BOOK), await offer(db, PLATFORM_GOODS), await offer(db, KINDLE)
    async with make_client(db) as http:
        guest, token = await guest_cart(http, line(book, 7), line(kindle))
        ada = await account(http, db, "ada")
        # The e-book is in both carts: it stays one unit, a licence being had once.
        mine = await customer_cart(http, ada, line(book, 5), line(goods), line(kindle))
        body = await ada(http, MERGE, _merge(token))
        payload = body["data"]["mergeGuestCart"]
        assert payload["userErrors"] == []
        assert (payload["mergedLineCount"], payload["cappedLineCount"], payload["skippedLineCount"]) == (2, 2, 0)
        merged = payload["cart"]
        assert merged["id"] == mine["id"]
        assert [(ln["offer"]["id"], ln["quantity"]) for ln in merged["lines"]] == [
            (gid("Offer", book["id"]), 10), (gid("Offer", goods["id"]), 1), (gid("Offer", kindle["id"]), 1)]
        closed = (await call(http, CART_QUERY, {"token": token}))["data"]["cart"]
        assert (closed["status"], closed["totalQuantity"]) == ("MERGED", 8)
        rows = await fetch(db, "SELECT status::text, merged_into_id FROM carts WHERE id = $1", pk(guest["id"]))
        assert [tuple(r) for r in rows] == [("MERGED", pk(mine["id"]))]
        # The guest cart is history now.
        before = await cart_rows(db)
        late = await call(http, LINES_ADD, {"input": {"cartId": guest["id"], "cartToken": token,
                                                      "lines": [line(goods)]}})
        assert codes(late, "addCartLines") == ["CART_NOT_ACTIVE"]
        # Merging again (a retried request) changes nothing and answers with the same cart.
        again = (await ada(http, MERGE, _merge(token)))["data"]["mergeGuestCart"]
        assert (again["userErrors"], again["mergedLineCount"], again["cart"]["id"]) == ([], 0, mine["id"])
        assert await cart_rows(db) == before


async def test_a_customer_without_a_cart_gets_the_guests_lines_address_and_delivery_choices(writable_database):
    db = writable_database
    book, goods = await offer(db, PLATFORM_BOOK), await offer(db, MERCHANT_GOODS)
    async with make_client(db) as http:
        guest, token = await guest_cart(http, line(book, 2), line(goods))
        shipped = ok(await call(http, SET_ADDRESS, {"input": {"cartId": guest["id"], "cartToken": token,
                                                              "address": SEATTLE}}), "setCartShippingAddress")
        platform = shipped["shipmentGroups"][0]
        ok(await call(http, SELECT_DELIVERY, {"input": {"cartId": guest["id"], "cartToken": token,
                                                        "sellerId": platform["seller"]["id"],
                                                        "fulfilment": "PLATFORM", "option": "TWO_DAY"}}),
           "selectCartDeliveryOption")
        # The real sign-in, then the merge the client sends right after it.
        assert (await register(http, "returning@example.com"))["accepted"]
        signed = await sign_in(http, "returning@example.com", PASSWORD)
        access = signed["tokens"]["accessToken"]
        payload = (await call(http, MERGE, _merge(token), token=access))["data"]["mergeGuestCart"]
    assert payload["userErrors"] == []
    merged = payload["cart"]
    assert merged["id"] != guest["id"] and merged["isGuest"] is False
    assert [(ln["offer"]["id"], ln["quantity"]) for ln in merged["lines"]] == [
        (gid("Offer", book["id"]), 2), (gid("Offer", goods["id"]), 1)]
    assert [ln["priceWhenAdded"] for ln in merged["lines"]] == [ln["priceWhenAdded"] for ln in guest["lines"]]
    assert (merged["shippingAddress"]["city"], merged["shippingAddress"]["addressId"]) == ("Seattle", None)
    assert [g["selectedDeliveryOption"]["kind"] for g in merged["shipmentGroups"]] == ["TWO_DAY", "STANDARD"]


async def test_the_customers_own_address_and_choices_win(writable_database):
    db = writable_database
    book = await offer(db, PLATFORM_BOOK)
    async with make_client(db) as http:
        guest, token = await guest_cart(http, line(book))
        ok(await call(http, SET_ADDRESS, {"input": {"cartId": guest["id"], "cartToken": token, "address": SEATTLE}}),
           "setCartShippingAddress")
        ada = await account(http, db, "ada")
        mine = await customer_cart(http, ada, line(book))
        ok(await ada(http, SET_ADDRESS, {"input": {"cartId": mine["id"], "address": BERLIN}}), "setCartShippingAddress")
        merged = ok(await ada(http, MERGE, _merge(token)), "mergeGuestCart")
    assert merged["shippingAddress"]["city"] == "Berlin"
    assert merged["lines"][0]["quantity"] == 2


async def test_lines_that_do_not_fit_are_left_out_and_counted(writable_database):
    db = writable_database
    book, goods = await offer(db, PLATFORM_BOOK), await offer(db, PLATFORM_GOODS)
    other = await offer(db, MERCHANT_GOODS)
    async with make_client(db, cart_max_lines=2) as http:
        guest, token = await guest_cart(http, line(goods), line(other))
        ada = await account(http, db, "ada")
        await customer_cart(http, ada, line(book))
        payload = (await ada(http, MERGE, _merge(token)))["data"]["mergeGuestCart"]
    assert (payload["mergedLineCount"], payload["skippedLineCount"]) == (1, 1)
    assert [ln["offer"]["id"] for ln in payload["cart"]["lines"]] == [gid("Offer", book["id"]),
                                                                     gid("Offer", goods["id"])]


async def test_merging_needs_sign_in_and_a_guest_cart_token_and_changes_nothing_otherwise(writable_database):
    db = writable_database
    book = await offer(db, PLATFORM_BOOK)
    async with make_client(db) as http:
        guest, token = await guest_cart(http, line(book))
        ada = await account(http, db, "ada")
        ben = await account(http, db, "ben")
        ok(await ada(http, MERGE, _merge(token)), "mergeGuestCart")
        before = await cart_rows(db)
        anonymous = await call(http, MERGE, _merge(token))
        unknown = await ben(http, MERGE, _merge("no-such-token"))
        huge = await ben(http, MERGE, _merge("t" * 5000))
        someone_elses = await ben(http, MERGE, _merge(token))  # already merged into ada's cart
        after = await cart_rows(db)
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert codes(unknown, "mergeGuestCart") == codes(huge, "mergeGuestCart") == codes(someone_elses, "mergeGuestCart") == ["NOT_FOUND"]
    assert unknown["data"]["mergeGuestCart"]["userErrors"][0]["field"] == ["input", "cartToken"]
    assert after == before  # ben got no cart either
