"""A cart ships to a copy of one of the customer's addresses or of an address given inline,
checked with the identity context's rules; a refused address changes nothing."""
import pytest

from tests.api.carts.helpers import (
    PLATFORM_BOOK,
    SEATTLE,
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
from tests.api.identity.helpers import call
from tests.conftest import make_client
from tests.fixtures.identity import account

pytestmark = pytest.mark.one_copy_per_file

CREATE_ADDRESS = """mutation($input: CreateAddressInput!) { createAddress(input: $input) { address { id } } }"""


async def test_a_customer_ships_to_a_copy_of_one_of_their_addresses(writable_database):
    db = writable_database
    book = await offer(db, PLATFORM_BOOK)
    async with make_client(db) as http:
        ada = await account(http, db, "ada")
        address_id = (await ada(http, CREATE_ADDRESS, {"input": {**SEATTLE, "line1": " 400   Broad St "}}))[
            "data"]["createAddress"]["address"]["id"]
        cart = await customer_cart(http, ada, line(book))
        shipped = ok(await ada(http, SET_ADDRESS, {"input": {"cartId": cart["id"], "addressId": address_id}}),
                     "setCartShippingAddress")
        # Later edits of the address book do not move the cart.
        await ada(http, """mutation($id: ID!) { updateAddress(input: {addressId: $id, city: "Tacoma"}) {
            address { id } } }""", {"id": address_id})
        again = (await ada(http, "{ cart { shippingAddress { city addressId } } }"))["data"]["cart"]
    assert shipped["shippingAddress"] == {"fullName": "Ada Reader", "city": "Seattle", "region": "WA",
                                          "postalCode": "98109", "countryCode": "US", "addressId": address_id}
    assert again["shippingAddress"] == {"city": "Seattle", "addressId": address_id}
    assert shipped["totals"]["taxStatus"] == "CALCULATED"


async def test_an_inline_address_is_stored_in_its_canonical_form(writable_database):
    db = writable_database
    async with make_client(db) as http:
        cart, token = await guest_cart(http)
        shipped = ok(await call(http, SET_ADDRESS, {"input": {"cartId": cart["id"], "cartToken": token, "address": {
            "fullName": " Ada  Reader ", "line1": "1 Pancras Square", "city": "London", "postalCode": "n1c4ag",
            "countryCode": "gb"}}}), "setCartShippingAddress")
    assert shipped["shippingAddress"] == {"fullName": "Ada Reader", "city": "London", "region": "", "postalCode":
                                          "N1C 4AG", "countryCode": "GB", "addressId": None}
    # An empty cart with an address has its tax rate at hand already.
    assert shipped["totals"]["taxStatus"] == "CALCULATED"


@pytest.mark.parametrize("case, code, field", [
    ("bad_postal_code", "ADDRESS_INVALID", ["input", "address", "postalCode"]),
    ("missing_region", "ADDRESS_INVALID", ["input", "address", "region"]),
    ("unsupported_country", "COUNTRY_NOT_SUPPORTED", ["input", "address", "countryCode"]),
    ("both", "INVALID", ["input"]),
    ("neither", "INVALID", ["input"]),
    ("someone_elses_address", "NOT_FOUND", ["input", "addressId"]),
    ("guest_with_an_address_id", "NOT_FOUND", ["input", "addressId"]),
])
async def test_a_refused_address_changes_nothing(writable_database, case, code, field):
    db = writable_database
    book = await offer(db, PLATFORM_BOOK)
    async with make_client(db) as http:
        ada, ben = await account(http, db, "ada"), await account(http, db, "ben")
        bens = (await ben(http, CREATE_ADDRESS, {"input": SEATTLE}))["data"]["createAddress"]["address"]["id"]
        cart = await customer_cart(http, ada, line(book))
        guest, token = await guest_cart(http, line(book))
        ok(await ada(http, SET_ADDRESS, {"input": {"cartId": cart["id"], "address": SEATTLE}}),
           "setCartShippingAddress")
        inputs = {
            "bad_postal_code": {"address": {**SEATTLE, "postalCode": "9810"}},
            "missing_region": {"address": {**SEATTLE, "region": ""}},
            "unsupported_country": {"address": {**SEATTLE, "countryCode": "ZZ"}},
            "both": {"address": SEATTLE, "addressId": bens},
            "neither": {},
            "someone_elses_address": {"addressId": bens},
        }
        before = await cart_rows(db)
        if case == "guest_with_an_address_id":
            body = await call(http, SET_ADDRESS, {"input": {"cartId": guest["id"], "cartToken": token,
                                                            "addressId": bens}})
        else:
            body = await ada(http, SET_ADDRESS, {"input": {"cartId": cart["id"], **inputs[case]}})
    assert codes(body, "setCartShippingAddress") == [code]
    assert body["data"]["setCartShippingAddress"]["userErrors"][0]["field"] == field
    assert await cart_rows(db) == before
    assert (await fetch(db, "SELECT ship_city FROM carts WHERE id = $1", pk(cart["id"])))[0][0] == "Seattle"


async def test_an_offer_in_another_currency_than_the_cart_is_refused(writable_database):
    db = writable_database
    book, other = await offer(db, PLATFORM_BOOK), await offer(db, f"{PLATFORM_BOOK} AND o.id > 100")
    async with make_client(db) as http:
        cart, token = await guest_cart(http, line(book))
        conn_rows = await fetch(db, "UPDATE offers SET currency = 'EUR' WHERE id = $1 RETURNING id", other["id"])
        assert len(conn_rows) == 1
        before = await cart_rows(db)
        body = await call(http, """mutation($input: CartLinesAddInput!) { addCartLines(input: $input) {
            userErrors { code field } } }""", {"input": {"cartId": cart["id"], "cartToken": token,
                                                         "lines": [{"offerId": gid("Offer", other["id"])}]}})
    assert body["data"]["addCartLines"]["userErrors"] == [{"code": "CURRENCY_MISMATCH",
                                                           "field": ["input", "lines", "0", "offerId"]}]
    assert await cart_rows(db) == before
