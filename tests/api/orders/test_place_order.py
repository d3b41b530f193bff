"""placeOrder over HTTP: the order in the payload, a retried key answering with the same order,
each refusal as a typed userError with what the client needs to act on it (and nothing
changed), guests signing in and merging before they order, and anonymous callers refused."""
from decimal import Decimal

import httpx
import pytest

from api.app import create_app
from domain.carts.pricing import round_half_up
from domain.payments.test_provider import TestPaymentProvider
from domain.shared.config import Settings
from tests.api.carts.helpers import (
    KINDLE,
    MERGE,
    PLATFORM_BOOK,
    SEATTLE,
    SET_ADDRESS,
    SET_BILLING,
    customer_cart,
    execute,
    fetch,
    fetchval,
    guest_cart,
    line,
    offer,
    ok,
    pk,
)
from tests.api.identity.helpers import call
from tests.fixtures.checkout import state
from tests.fixtures.identity import account

pytestmark = pytest.mark.one_copy_per_file

PLACE = """mutation($input: PlaceOrderInput!) { placeOrder(input: $input) {
  order { id number status total { amount currencyCode } subtotal { amount } delivery { amount } tax { amount }
    shippingAddress { city } billingAddress { city countryCode }
    shipments { kind status fulfilment deliveryOption estimatedDeliveryDate lines { title quantity } }
    lines { title quantity unitPrice { amount } } }
  userErrors { code message field ... on PlaceOrderError { availableQuantity quantityLimit lineId declineCode
    expectedTotal { amount currencyCode } total { amount currencyCode } } } } }"""


@pytest.fixture
async def http(writable_database):
    async with TestPaymentProvider(writable_database.url) as provider:
        app = create_app(Settings(env="development", cost_budget=1_000_000_000), database=writable_database,
                         payments=provider)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
            yield client


async def _ready_cart(http, db, *lines) -> tuple:
    buyer = await account(http, db, "shopper")
    cart = await customer_cart(http, buyer, *lines)
    cart = ok(await buyer(http, SET_ADDRESS, {"input": {"cartId": cart["id"], "address": SEATTLE}}),
              "setCartShippingAddress")
    return buyer, cart


def _input(cart: dict, key: str = "checkout-1", token: str = "tok_visa", expected: str | None = None) -> dict:
    given = {"cartId": cart["id"], "idempotencyKey": key, "paymentToken": token}
    if expected is not None:
        given["expectedTotal"] = {"amount": expected, "currencyCode": "USD"}
    return {"input": given}


def _payload(body: dict) -> dict:
    assert "errors" not in body, body
    return body["data"]["placeOrder"]


@pytest.mark.own_copy
async def test_a_customer_places_their_cart_and_gets_the_order(http, writable_database):
    db = writable_database
    book, ebook = await offer(db, PLATFORM_BOOK), await offer(db, KINDLE)
    buyer, cart = await _ready_cart(http, db, line(book, 2), line(ebook))

    placed = _payload(await buyer(http, PLACE, _input(cart, expected=cart["totals"]["total"]["amount"])))

    assert placed["userErrors"] == []
    order = placed["order"]
    assert order["number"].startswith("TRB-") and order["shippingAddress"]["city"] == "Seattle"
    assert order["total"] == {"amount": cart["totals"]["total"]["amount"], "currencyCode": "USD"}
    assert sorted((s["kind"], s["status"]) for s in order["shipments"]) == [("DIGITAL", "DELIVERED"),
                                                                            ("PHYSICAL", "PENDING")]
    assert sorted(line_["quantity"] for line_ in order["lines"]) == [1, 2]
    assert order["status"] == "PLACED"  # the e-book is delivered, but nothing has shipped yet
    # The cart is now history, and the customer's next cart is a new one.
    assert await fetchval(db, "SELECT status::text FROM carts WHERE id = $1", pk(cart["id"])) == "ORDERED"
    assert await fetchval(db, "SELECT payload->>'to' FROM jobs WHERE payload->>'template' = 'order_confirmation'") \
        == buyer.email


async def test_the_same_key_again_answers_with_the_same_order_and_another_request_is_refused(http, writable_database):
    db = writable_database
    buyer, cart = await _ready_cart(http, db, line(await offer(db, PLATFORM_BOOK)))
    first = _payload(await buyer(http, PLACE, _input(cart)))["order"]
    before = await state(db)

    again = _payload(await buyer(http, PLACE, _input(cart)))
    other = _payload(await buyer(http, PLACE, _input(cart, token="tok_mastercard")))

    assert again == {"order": first, "userErrors": []}
    assert other["order"] is None
    assert [(e["code"], e["field"]) for e in other["userErrors"]] == [("IDEMPOTENCY_KEY_REUSED",
                                                                       ["input", "idempotencyKey"])]
    assert await state(db) == before


async def test_a_changed_total_gives_the_new_total_to_show(http, writable_database):
    db = writable_database
    book = await offer(db, PLATFORM_BOOK)
    buyer, cart = await _ready_cart(http, db, line(book))
    await execute(db, "UPDATE offers SET price_minor = price_minor + 100 WHERE id = $1", book["id"])
    before = await state(db)

    shown = cart["totals"]["total"]["amount"]
    [error] = _payload(await buyer(http, PLACE, _input(cart, expected=shown)))["userErrors"]

    assert (error["code"], error["field"], error["expectedTotal"]["amount"]) == (
        "TOTAL_CHANGED", ["input", "expectedTotal"], shown)
    assert float(error["total"]["amount"]) > float(shown)
    assert await state(db) == before
    placed = _payload(await buyer(http, PLACE, _input(cart, key="checkout-2", expected=error["total"]["amount"])))
    assert placed["order"]["total"]["amount"] == error["total"]["amount"]


async def test_a_declined_card_says_why_and_changes_nothing(http, writable_database):
    db = writable_database
    buyer, cart = await _ready_cart(http, db, line(await offer(db, PLATFORM_BOOK)))
    before = await state(db)
    body = await buyer(http, PLACE, _input(cart, token="tok_insufficient_funds"))
    [error] = _payload(body)["userErrors"]
    assert (error["code"], error["declineCode"]) == ("PAYMENT_DECLINED", "insufficient_funds")
    [error] = _payload(await buyer(http, PLACE, _input(cart, key="checkout-2", token="tok_error")))["userErrors"]
    assert error["code"] == "PAYMENT_PROVIDER_ERROR"
    assert await state(db) == before



@pytest.mark.own_copy
async def test_after_a_decline_the_same_key_places_the_order_with_another_card(http, writable_database):
    db = writable_database
    buyer, cart = await _ready_cart(http, db, line(await offer(db, PLATFORM_BOOK)))
    [error] = _payload(await buyer(http, PLACE, _input(cart, token="tok_declined")))["userErrors"]
    assert (error["code"], error["declineCode"]) == ("PAYMENT_DECLINED", "card_declined")

    placed = _payload(await buyer(http, PLACE, _input(cart, token="tok_visa")))

    assert placed["userErrors"] == [] and placed["order"]["status"] == "PLACED"
    again = _payload(await buyer(http, PLACE, _input(cart, token="tok_visa")))
    assert again["order"]["number"] == placed["order"]["number"]
    before = await state(db)
    [reused] = _payload(await buyer(http, PLACE, _input(cart, token="tok_declined")))["userErrors"]
    assert (reused["code"], reused["field"]) == ("IDEMPOTENCY_KEY_REUSED", ["input", "idempotencyKey"])
    assert await state(db) == before
    assert await fetchval(db, "SELECT count(*) FROM orders") == 1

async def test_a_line_short_of_stock_names_the_line_and_what_is_left(http, writable_database):
    db = writable_database
    book = await offer(db, PLATFORM_BOOK)
    buyer, cart = await _ready_cart(http, db, line(book, 3))
    await execute(db, "UPDATE offers SET quantity = 1 WHERE id = $1", book["id"])
    [error] = _payload(await buyer(http, PLACE, _input(cart)))["userErrors"]
    assert (error["code"], error["field"], error["availableQuantity"], error["lineId"]) == (
        "QUANTITY_UNAVAILABLE", ["cart", "lines", "0", "quantity"], 1, cart["lines"][0]["id"])


async def test_an_ebook_already_owned_is_a_cart_problem_and_refused_with_its_line(http, writable_database):
    db = writable_database
    book, ebook = await offer(db, PLATFORM_BOOK), await offer(db, KINDLE)
    buyer, cart = await _ready_cart(http, db, line(book), line(ebook))
    await execute(db, "INSERT INTO licences (account_id, product_id, kind) VALUES ($1, $2, 'PURCHASE')",
                  buyer.account_id, ebook["product_id"])
    lines = (await buyer(http, "query($id: ID!) { cart(id: $id) { lines { id problems { code message } } } }",
                         {"id": cart["id"]}))["data"]["cart"]["lines"]
    assert [[p["code"] for p in item["problems"]] for item in lines] == [[], ["ALREADY_OWNED"]]
    before = await state(db)
    [error] = _payload(await buyer(http, PLACE, _input(cart)))["userErrors"]
    assert (error["code"], error["field"], error["lineId"]) == (
        "ALREADY_OWNED", ["cart", "lines", "1", "offer"], cart["lines"][1]["id"])
    assert await state(db) == before


@pytest.mark.own_copy
@pytest.mark.parametrize("given, code", [
    ({"idempotencyKey": "has spaces"}, "IDEMPOTENCY_KEY_INVALID"),
    ({"expectedTotal": {"amount": "1.001", "currencyCode": "USD"}}, "INVALID"),
    ({"paymentToken": ""}, "INVALID"),
])
async def test_malformed_input_is_refused(http, writable_database, given, code):
    db = writable_database
    buyer, cart = await _ready_cart(http, db, line(await offer(db, PLATFORM_BOOK)))
    variables = _input(cart)
    variables["input"].update(given)
    [error] = _payload(await buyer(http, PLACE, variables))["userErrors"]
    assert error["code"] == code
    assert await fetch(db, "SELECT id FROM orders") == []


async def test_a_guest_signs_in_merges_the_cart_and_places_it(http, writable_database):
    db = writable_database
    book = await offer(db, PLATFORM_BOOK)
    cart, token = await guest_cart(http, line(book))
    # A guest cart cannot be placed by anyone: the customer's own cart is.
    anonymous = await call(http, PLACE, _input(cart))
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    buyer = await account(http, db, "guest")
    [error] = _payload(await buyer(http, PLACE, _input(cart)))["userErrors"]
    assert error["code"] == "NOT_FOUND"

    merged = (await buyer(http, MERGE, {"input": {"cartToken": token}}))["data"]["mergeGuestCart"]["cart"]
    ok(await buyer(http, SET_ADDRESS, {"input": {"cartId": merged["id"], "address": SEATTLE}}), "setCartShippingAddress")
    placed = _payload(await buyer(http, PLACE, _input(merged, key="after-merge")))

    assert placed["userErrors"] == [] and placed["order"]["lines"][0]["quantity"] == 1
    [error] = _payload(await buyer(http, PLACE, _input(cart, key="the-merged-one")))["userErrors"]
    assert error["code"] == "CART_NOT_ACTIVE"


async def test_an_ebook_order_is_taxed_at_its_billing_address_and_refused_without_one(http, writable_database):
    db = writable_database
    ebook = await offer(db, KINDLE)
    buyer = await account(http, db, "reader")
    cart = await customer_cart(http, buyer, line(ebook))
    before = await state(db)
    [error] = _payload(await buyer(http, PLACE, _input(cart)))["userErrors"]
    assert (error["code"], error["field"]) == ("BILLING_ADDRESS_REQUIRED", ["cart", "billingAddress"])
    assert await state(db) == before

    berlin = {"fullName": "Ada Leserin", "line1": "Unter den Linden 1", "city": "Berlin", "postalCode": "10117",
              "countryCode": "DE"}
    billed = ok(await buyer(http, SET_BILLING, {"input": {"cartId": cart["id"], "address": berlin}}),
                "setCartBillingAddress")
    tax = round_half_up(ebook["price_minor"] * 700, 10_000)  # Germany's reduced VAT on books, e-books included
    assert (billed["totals"]["taxStatus"], billed["totals"]["tax"]["amount"]) == (
        "CALCULATED", str(Decimal(tax).scaleb(-2)))
    placed = _payload(await buyer(http, PLACE, _input(cart, key="billed", expected=billed["totals"]["total"]["amount"])))
    assert placed["userErrors"] == []
    order = placed["order"]
    assert (order["tax"]["amount"], order["shippingAddress"], order["billingAddress"]) == (
        billed["totals"]["tax"]["amount"], None, {"city": "Berlin", "countryCode": "DE"})


@pytest.mark.own_copy
async def test_another_customers_cart_is_not_found(http, writable_database):
    db = writable_database
    _, cart = await _ready_cart(http, db, line(await offer(db, PLATFORM_BOOK)))
    stranger = await account(http, db, "stranger")
    [error] = _payload(await stranger(http, PLACE, _input(cart)))["userErrors"]
    assert (error["code"], error["field"]) == ("NOT_FOUND", ["input", "cartId"])
    assert await fetch(db, "SELECT id FROM orders") == []
