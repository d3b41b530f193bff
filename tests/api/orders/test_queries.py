"""Reading orders: the customer's list and an order by number with its shipments, lines,
history and payment; who sees what (the customer and administrators the order, the seller's
staff their shipments only); a fixed number of statements per page."""
from __future__ import annotations

import pytest

from tests.api.carts.helpers import KINDLE, PLATFORM_BOOK, offer, pk
from tests.conftest import count_statements, make_client
from tests.fixtures.db import fetchval
from tests.fixtures.identity import account
from tests.fixtures.orders import placed_order

pytestmark = pytest.mark.one_copy_per_file

ORDER = """number status email total { amount currencyCode } subtotal { amount } delivery { amount } tax { amount }
  shippingAddress { city countryCode }
  shipments { id kind status fulfilment deliveryOption subtotal { amount } total { amount } captured { amount }
    seller { id } lines { title quantity unitPrice { amount } } orderNumber shipTo { city } }
  lines { id title quantity unitPrice { amount } lineTotal { amount } digital product { id } }
  events { kind message }
  payment { status authorized { amount } captured { amount } }"""
ORDERS = f"query($status: OrderStatus) {{ orders(first: 10, status: $status) {{ totalCount nodes {{ id {ORDER} }} }} }}"
BY_NUMBER = f"query($n: String!) {{ order(number: $n) {{ id {ORDER} }} }}"
SELLER_SHIPMENTS = """query($s: ID!, $st: ShipmentStatus) { sellerShipments(sellerId: $s, status: $st, first: 10) {
  totalCount nodes { id status orderNumber shipTo { fullName city } order { id } lines { title } } } }"""


async def test_customer_reads_orders_and_an_order_by_number(writable_database):
    db = writable_database
    book = await offer(db, PLATFORM_BOOK)
    ebook = await offer(db, KINDLE)
    async with make_client(db) as http:
        me = await account(http, db, "buyer")
        placed = await placed_order(db, me.account_id, [(book["id"], 2), (ebook["id"], 1)])
        listed = (await me(http, ORDERS))["data"]["orders"]
        assert listed["totalCount"] == 1
        order = listed["nodes"][0]
        assert order["number"] == placed.number and order["email"] == me.email
        kinds = sorted(s["kind"] for s in order["shipments"])
        assert kinds == ["DIGITAL", "PHYSICAL"]
        digital = next(s for s in order["shipments"] if s["kind"] == "DIGITAL")
        assert digital["status"] == "DELIVERED" and digital["captured"] == digital["total"]
        physical = next(s for s in order["shipments"] if s["kind"] == "PHYSICAL")
        assert physical["status"] == "PENDING" and physical["deliveryOption"] == "STANDARD"
        assert physical["shipTo"]["city"] == "Seattle" and physical["orderNumber"] == placed.number
        assert order["payment"]["status"] == "PARTIALLY_CAPTURED"
        assert [e["kind"] for e in order["events"]][0] == "PLACED"
        spaced = placed.number.replace("-", " ").lower()
        found = (await me(http, BY_NUMBER, {"n": spaced}))["data"]["order"]
        assert found["number"] == placed.number
        assert (await me(http, BY_NUMBER, {"n": "TRB-2026-0000001-0"}))["data"]["order"] is None
        assert (await me(http, ORDERS, {"status": "CANCELLED"}))["data"]["orders"]["totalCount"] == 0


@pytest.mark.own_copy
async def test_others_see_nothing_and_sellers_see_their_shipments_only(writable_database):
    db = writable_database
    book = await offer(db, "o.seller_id = 2 AND p.kind = 'PHYSICAL' AND o.quantity >= 5")
    other = await offer(db, "o.seller_id <> 2 AND p.kind = 'PHYSICAL' AND o.quantity >= 5")
    async with make_client(db) as http:
        me = await account(http, db, "buyer")
        stranger = await account(http, db, "stranger")
        staff = await account(http, db, "staff", seller_id=2)
        admin = await account(http, db, "admin", admin=True)
        placed = await placed_order(db, me.account_id, [(book["id"], 1), (other["id"], 1)])
        assert (await stranger(http, BY_NUMBER, {"n": placed.number}))["data"]["order"] is None
        assert (await stranger(http, ORDERS))["data"]["orders"]["totalCount"] == 0
        assert (await staff(http, BY_NUMBER, {"n": placed.number}))["data"]["order"] is None
        assert (await admin(http, BY_NUMBER, {"n": placed.number}))["data"]["order"]["number"] == placed.number
        shipments = (await staff(http, SELLER_SHIPMENTS, {"s": _seller_gid(2)}))["data"]["sellerShipments"]
        assert shipments["totalCount"] == 1
        mine = shipments["nodes"][0]
        assert mine["orderNumber"] == placed.number and mine["shipTo"]["city"] == "Seattle"
        assert mine["order"] is None
        forbidden = await stranger(http, SELLER_SHIPMENTS, {"s": _seller_gid(2)})
        assert forbidden["errors"][0]["extensions"]["code"] == "FORBIDDEN"
        other_seller = await fetchval(db, "SELECT seller_id FROM offers WHERE id = $1", other["id"])
        denied = await staff(http, SELLER_SHIPMENTS, {"s": _seller_gid(other_seller)})
        assert denied["errors"][0]["extensions"]["code"] == "FORBIDDEN"
        node = """query($id: ID!) { node(id: $id) { ... on Shipment { id } ... on Order { id } } }"""
        their_shipment = next(s for s in placed.shipment_ids if s != pk(mine["id"]))
        assert (await staff(http, node, {"id": _gid("Shipment", their_shipment)}))["data"]["node"] is None
        assert (await staff(http, node, {"id": mine["id"]}))["data"]["node"] == {"id": mine["id"]}
        assert (await stranger(http, node, {"id": _gid("Order", placed.id)}))["data"]["node"] is None


async def test_an_order_page_costs_the_same_statements_whatever_its_size(writable_database):
    db = writable_database
    books = await _offers(db, 6)
    async with make_client(db) as http:
        me = await account(http, db, "buyer")
        await placed_order(db, me.account_id, [(books[0], 1)])
        counts = []
        for extra in (1, 5):
            await placed_order(db, me.account_id, [(b, 1) for b in books[:extra]])
            with count_statements() as counted:
                await me(http, ORDERS)
            counts.append(counted.count)
        assert counts[0] == counts[1], counts


async def _offers(db, n):
    from tests.api.carts.helpers import offers
    return [r["id"] for r in await offers(db, "p.kind = 'PHYSICAL' AND o.quantity >= 5", n)]


def _seller_gid(seller_id: int) -> str:
    return _gid("Seller", seller_id)


def _gid(type_name: str, pk_: int) -> str:
    from api.core import ids
    return ids.encode(type_name, pk_)
