"""Shared steps of cart tests: documents, offers of each kind from the demo data, and the rows a
refused mutation must leave as they were."""
from __future__ import annotations

import asyncpg
import httpx

from api.core import ids
from domain.shared.db import Database
from tests.api.identity.helpers import call
from tests.fixtures.db import execute, fetch, fetchval  # noqa: F401  (re-exported for the tests here)

ERRORS = "userErrors { code message field ... on OrderingError { availableQuantity quantityLimit } }"
CART = """id status isGuest currencyCode totalQuantity createdAt updatedAt
  lines { id quantity offer { id } seller { id } product { id title } unitPrice { amount currencyCode }
    priceWhenAdded { amount } lineTotal { amount } tax { amount } requiresDelivery purchasable
    problems { code message availableQuantity previousUnitPrice { amount } } }
  shippingAddress { fullName city region postalCode countryCode addressId }
  billingAddress { fullName city region postalCode countryCode addressId }
  shipmentGroups { seller { id } fulfilment lines { id }
    deliveryOptions { kind available unavailableReason price { amount } estimatedDeliveryDate cutOffLocalTime
      timeZone pickupLocations { id name city } }
    selectedDeliveryOption { kind price { amount } estimatedDeliveryDate } selectedPickupLocation { id } notice }
  totals { subtotal { amount } delivery { amount } tax { amount } discount { amount } total { amount currencyCode }
    taxStatus taxNote }"""

CART_CREATE = f"""mutation($input: CartCreateInput!) {{ createCart(input: $input) {{
  cart {{ {CART} }} cartToken {ERRORS} }} }}"""
LINES_ADD = f"""mutation($input: CartLinesAddInput!) {{ addCartLines(input: $input) {{
  cart {{ {CART} }} {ERRORS} }} }}"""
LINES_UPDATE = f"""mutation($input: CartLinesUpdateInput!) {{ updateCartLines(input: $input) {{
  cart {{ {CART} }} {ERRORS} }} }}"""
LINES_REMOVE = f"""mutation($input: CartLinesRemoveInput!) {{ removeCartLines(input: $input) {{
  cart {{ {CART} }} {ERRORS} }} }}"""
SET_ADDRESS = f"""mutation($input: CartSetShippingAddressInput!) {{ setCartShippingAddress(input: $input) {{
  cart {{ {CART} }} {ERRORS} }} }}"""
SET_BILLING = f"""mutation($input: CartSetBillingAddressInput!) {{ setCartBillingAddress(input: $input) {{
  cart {{ {CART} }} {ERRORS} }} }}"""
SELECT_DELIVERY = f"""mutation($input: CartSelectDeliveryOptionInput!) {{ selectCartDeliveryOption(input: $input) {{
  cart {{ {CART} }} {ERRORS} }} }}"""
MERGE = f"""mutation($input: CartMergeInput!) {{ mergeGuestCart(input: $input) {{
  cart {{ {CART} }} mergedLineCount cappedLineCount skippedLineCount {ERRORS} }} }}"""
CART_QUERY = f"""query($id: ID, $token: String) {{ cart(id: $id, token: $token) {{ {CART} }} }}"""

SEATTLE = {"fullName": "Ada Reader", "line1": "400 Broad St", "city": "Seattle", "region": "WA",
           "postalCode": "98109", "countryCode": "US"}
PORTLAND = {"fullName": "Ada Reader", "line1": "1 Main St", "city": "Portland", "region": "OR",
            "postalCode": "97201", "countryCode": "US"}
BERLIN = {"fullName": "Ada Leserin", "line1": "Unter den Linden 1", "city": "Berlin", "postalCode": "10117",
          "countryCode": "DE"}
MADRID = {"fullName": "Ada Lectora", "line1": "Calle Mayor 1", "city": "Madrid", "postalCode": "28013",
          "countryCode": "ES"}


def gid(type_name: str, pk: int) -> str:
    return ids.encode(type_name, pk)


def pk(global_id: str) -> int:
    return ids.decode(global_id)[1]


_OFFER = """SELECT o.id, o.seller_id, o.product_id, o.price_minor, o.shipping_minor, o.quantity,
  o.fulfilment::text AS fulfilment, p.format::text AS format
FROM offers o JOIN sellers s ON s.id = o.seller_id JOIN products p ON p.id = o.product_id
WHERE o.archived_at IS NULL AND p.archived_at IS NULL AND s.standing <> 'SUSPENDED' AND o.currency = 'USD'"""


async def offers(db: Database, where: str, limit: int = 1, *args) -> list[asyncpg.Record]:
    """Live offers matching `where` (over o, s and p), lowest id first."""
    return await fetch(db, f"{_OFFER} AND {where} ORDER BY o.id LIMIT {limit}", *args)


async def offer(db: Database, where: str) -> asyncpg.Record:
    return (await offers(db, where))[0]


# Offers of each kind the demo data has.
PLATFORM_BOOK = "s.is_first_party AND p.format = 'PAPERBACK' AND o.quantity >= 20"
PLATFORM_GOODS = "s.is_first_party AND p.format = 'STANDARD' AND o.quantity >= 20"
MERCHANT_GOODS = "o.fulfilment = 'MERCHANT' AND o.shipping_minor > 0 AND o.quantity >= 20 AND p.format = 'STANDARD'"
KINDLE = "p.format = 'KINDLE'"
LOW_STOCK = "o.quantity BETWEEN 2 AND 5 AND p.kind = 'PHYSICAL'"


def line(offer_row, quantity: int = 1) -> dict:
    return {"offerId": gid("Offer", offer_row["id"]), "quantity": quantity}


async def cart_rows(db: Database, cart_id: int | None = None) -> dict:
    """Every row a refused cart mutation must leave as it was (one cart's, or all carts')."""
    where, args = ("WHERE id = $1", [cart_id]) if cart_id is not None else ("", [])
    line_where = "WHERE cart_id = $1" if cart_id is not None else ""
    return {
        "carts": [dict(r) for r in await fetch(db, f"SELECT * FROM carts {where} ORDER BY id", *args)],
        "lines": [dict(r) for r in await fetch(db, f"SELECT * FROM cart_lines {line_where} ORDER BY id", *args)],
        "selections": [dict(r) for r in await fetch(
            db, f"SELECT * FROM cart_delivery_selections {line_where} ORDER BY seller_id, fulfilment", *args)],
    }


async def guest_cart(http: httpx.AsyncClient, *lines: dict) -> tuple[dict, str]:
    """A new guest cart with these lines: (cart, token)."""
    body = await call(http, CART_CREATE, {"input": {"lines": list(lines)}})
    payload = body["data"]["createCart"]
    assert payload["userErrors"] == [], payload
    return payload["cart"], payload["cartToken"]


async def customer_cart(http: httpx.AsyncClient, caller, *lines: dict) -> dict:
    body = await caller(http, CART_CREATE, {"input": {"lines": list(lines)}})
    payload = body["data"]["createCart"]
    assert payload["userErrors"] == [] and payload["cartToken"] is None, payload
    return payload["cart"]


def ok(body: dict, field: str) -> dict:
    assert "errors" not in body, body
    payload = body["data"][field]
    assert payload["userErrors"] == [], payload
    return payload["cart"]


def codes(body: dict, field: str) -> list[str]:
    assert "errors" not in body, body
    return [e["code"] for e in body["data"][field]["userErrors"]]


def amounts(cart: dict) -> dict:
    return {k: v["amount"] for k, v in cart["totals"].items() if isinstance(v, dict)}
