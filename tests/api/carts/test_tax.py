"""Tax follows the shipping address (a cart of digital items only: the billing address): the
region's rate over the country's, a reduced rate for books where the law has one, half-up
rounding per line, nothing until there is an address."""
import pytest

from domain.carts.pricing import round_half_up
from tests.api.carts.helpers import (
    BERLIN,
    KINDLE,
    MADRID,
    MERGE,
    PLATFORM_BOOK,
    PLATFORM_GOODS,
    PORTLAND,
    SEATTLE,
    SET_ADDRESS,
    SET_BILLING,
    amounts,
    cart_rows,
    execute,
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

MEXICO = {"fullName": "Ada Lectora", "line1": "Av. Reforma 1", "city": "Ciudad de México", "postalCode": "06600",
          "countryCode": "MX"}
TORONTO = {"fullName": "Ada Reader", "line1": "1 Front St W", "city": "Toronto", "region": "ON",
           "postalCode": "M5J 2X5", "countryCode": "CA"}
MONTREAL = {"fullName": "Ada Reader", "line1": "1 Rue Sainte-Catherine", "city": "Montreal", "region": "QC",
            "postalCode": "H2X 1Z4", "countryCode": "CA"}


def _cents(minor: int) -> str:
    return f"{minor // 100}.{minor % 100:02d}"


def _tax(minor: int, rate_bp: int) -> int:
    return round_half_up(minor * rate_bp, 10_000)


@pytest.fixture
async def cart(writable_database):
    db = writable_database
    book, goods, kindle = await offer(db, PLATFORM_BOOK), await offer(db, PLATFORM_GOODS), await offer(db, KINDLE)
    async with make_client(db) as http:
        made, token = await guest_cart(http, line(book, 3), line(goods), line(kindle))

        async def ship_to(address: dict) -> dict:
            return ok(await call(http, SET_ADDRESS, {"input": {"cartId": made["id"], "cartToken": token,
                                                              "address": address}}), "setCartShippingAddress")

        yield made, ship_to, (3 * book["price_minor"], goods["price_minor"], kindle["price_minor"])


async def test_without_an_address_tax_waits_for_one(cart):
    made, _, _ = cart
    totals = made["totals"]
    assert (totals["tax"]["amount"], totals["taxStatus"], totals["taxNote"]) == (
        "0.00", "NEEDS_ADDRESS", "Add a shipping address to see the tax.")
    cents = {k: int(v.replace(".", "")) for k, v in amounts(made).items()}
    assert cents["total"] == cents["subtotal"] + cents["delivery"]


@pytest.mark.own_copy
@pytest.mark.parametrize("address, rates", [
    (SEATTLE, (650, 650, 650)),  # Washington's state sales tax, books included
    (PORTLAND, (0, 0, 0)),  # Oregon has no sales tax
    (BERLIN, (700, 1900, 700)),  # German VAT: 7% on printed and e-books
    (MADRID, (400, 2100, 400)),
    (TORONTO, (1300, 1300, 1300)),  # Ontario's HST replaces the federal GST
    (MONTREAL, (500, 500, 500)),  # no row for Quebec: the country's GST
])
async def test_each_line_is_taxed_at_the_rate_of_the_address_rounded_half_up(cart, address, rates):
    made, ship_to, line_totals = cart
    shipped = await ship_to(address)
    expected = [_tax(total, rate) for total, rate in zip(line_totals, rates)]
    assert [ln["tax"]["amount"] for ln in shipped["lines"]] == [_cents(t) for t in expected]
    totals = amounts(shipped)
    assert totals["tax"] == _cents(sum(expected))
    assert (shipped["totals"]["taxStatus"], shipped["totals"]["taxNote"]) == ("CALCULATED", None)
    cents = {k: int(v.replace(".", "")) for k, v in totals.items()}
    assert cents["total"] == cents["subtotal"] + cents["delivery"] + cents["tax"] - cents["discount"]
    assert cents["discount"] == 0


async def test_an_address_without_a_configured_rate_pays_no_tax_and_says_so(cart):
    _, ship_to, _ = cart
    shipped = await ship_to(MEXICO)
    assert (shipped["totals"]["tax"]["amount"], shipped["totals"]["taxStatus"]) == ("0.00", "NO_RATE")
    assert "No sales tax or VAT rate" in shipped["totals"]["taxNote"]


async def test_rates_are_read_from_the_table_operators_edit(cart, writable_database):
    _, ship_to, line_totals = cart
    await execute(writable_database, "UPDATE tax_rates SET rate_bp = 1025 WHERE country_code = 'US' AND region = 'WA'")
    shipped = await ship_to(SEATTLE)
    assert shipped["totals"]["tax"]["amount"] == _cents(sum(_tax(t, 1025) for t in line_totals))


async def test_a_cart_of_ebooks_is_taxed_at_its_billing_address(writable_database):
    db = writable_database
    kindle = await offer(db, KINDLE)
    async with make_client(db) as http:
        made, token = await guest_cart(http, line(kindle))
        assert (made["totals"]["taxStatus"], made["totals"]["taxNote"]) == (
            "NEEDS_ADDRESS", "Add a billing address to see the tax.")
        billed = ok(await call(http, SET_BILLING, {"input": {"cartId": made["id"], "cartToken": token,
                                                              "address": BERLIN}}), "setCartBillingAddress")
        assert (billed["billingAddress"]["city"], billed["shippingAddress"], billed["shipmentGroups"]) == (
            "Berlin", None, [])
        assert [ln["tax"]["amount"] for ln in billed["lines"]] == [_cents(_tax(kindle["price_minor"], 700))]
        assert (billed["totals"]["taxStatus"], billed["totals"]["taxNote"]) == ("CALCULATED", None)
        # Billed to a place without a rate: said so, about the billing address.
        mexico = ok(await call(http, SET_BILLING, {"input": {"cartId": made["id"], "cartToken": token,
                                                              "address": MEXICO}}), "setCartBillingAddress")
        assert (mexico["totals"]["taxStatus"], mexico["totals"]["taxNote"]) == (
            "NO_RATE", "No sales tax or VAT rate is configured for the billing address; tax is 0.")

        # The customer signs in: the billing address comes along with the lines.
        customer = await account(http, db, "reader")
        merged = (await customer(http, MERGE, {"input": {"cartToken": token}}))["data"]["mergeGuestCart"]["cart"]
        assert merged["billingAddress"]["countryCode"] == "MX" and merged["totals"]["taxStatus"] == "NO_RATE"


async def test_a_refused_billing_address_changes_nothing(writable_database):
    db = writable_database
    kindle = await offer(db, KINDLE)
    async with make_client(db) as http:
        made, token = await guest_cart(http, line(kindle))
        stranger = await account(http, db, "stranger")
        theirs = await stranger(http, """mutation { createAddress(input: {fullName: "B", line1: "1 Main St",
            city: "Seattle", region: "WA", postalCode: "98109", countryCode: "US"}) { address { id } } }""")
        before = await cart_rows(db, pk(made["id"]))
        for given, code, field in (
                ({"address": {**BERLIN, "postalCode": "1"}}, "ADDRESS_INVALID", ["input", "address", "postalCode"]),
                ({"addressId": theirs["data"]["createAddress"]["address"]["id"]}, "NOT_FOUND",
                 ["input", "addressId"]),
                ({"address": BERLIN, "addressId": theirs["data"]["createAddress"]["address"]["id"]}, "INVALID",
                 ["input"])):
            body = await call(http, SET_BILLING, {"input": {"cartId": made["id"], "cartToken": token, **given}})
            payload = body["data"]["setCartBillingAddress"]
            assert payload["cart"] is None
            assert [(e["code"], e["field"]) for e in payload["userErrors"]] == [(code, field)]
        assert await cart_rows(db, pk(made["id"])) == before
