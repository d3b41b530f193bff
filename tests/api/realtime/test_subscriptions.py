"""Subscriptions over a real WebSocket (uvicorn, graphql-transport-ws): a committed change
reaches its subscriber, a rolled-back one never does, and bad input gets a typed error or a clean
close code, never data."""
from __future__ import annotations

import asyncio

import pytest

from domain.orders import history
from domain.shared.unit_of_work import UnitOfWork
from tests.api.carts.helpers import MERCHANT_GOODS, execute, fetchval, gid, offer
from tests.api.realtime.helpers import ORDER, SHIP, socket
from tests.conftest import make_client
from tests.fixtures.identity import account
from tests.fixtures.live import live_server
from tests.fixtures.orders import placed_order

pytestmark = pytest.mark.one_copy_per_file

DELIVER = """mutation($input: MarkShipmentDeliveredInput!) { markShipmentDelivered(input: $input) {
  shipment { status } userErrors { code } } }"""


async def _order_with_staff(db, http):
    goods = await offer(db, f"NOT s.is_first_party AND {MERCHANT_GOODS}")
    buyer = await account(http, db, "buyer")
    staff = await account(http, db, "staff", seller_id=goods["seller_id"])
    placed = await placed_order(db, buyer.account_id, [(goods["id"], 1)])
    shipment = await fetchval(db, "SELECT id FROM shipments WHERE order_id = $1", placed.id)
    return buyer, staff, placed, gid("Shipment", shipment)


async def test_an_order_change_reaches_its_subscriber_and_a_rolled_back_one_never_does(writable_database):
    db = writable_database
    async with make_client(db) as http, live_server(db) as url:
        buyer, staff, placed, shipment = await _order_with_staff(db, http)
        async with socket(url, buyer.token) as ws:
            op = await ws.subscribe(ORDER, {"id": gid("Order", placed.id)})
            assert (await ws.data(op))["orderUpdated"]["status"] == "PLACED"  # the state at once

            shipped = await staff(http, SHIP, {"input": {"shipmentId": shipment, "carrier": "UPS",
                                                         "trackingNumber": "1Z999"}})
            assert shipped["data"]["markShipmentShipped"]["userErrors"] == []
            update = (await ws.data(op))["orderUpdated"]
            assert update["status"] == "SHIPPED" and update["shipments"] == [
                {"status": "SHIPPED", "trackingNumber": "1Z999"}]

            events_before = await fetchval(db, "SELECT count(*) FROM events WHERE subject_id = $1", placed.id)
            async with UnitOfWork(db) as uow:  # announced, then rolled back: never heard
                await execute_in(uow, "UPDATE shipments SET status = 'DELIVERED', delivered_at = now()"
                                      " WHERE order_id = :o", {"o": placed.id})
                await history.record(uow.session, placed.id, "DELIVERED", "Delivered.")
            assert await fetchval(db, "SELECT count(*) FROM events WHERE subject_id = $1", placed.id) == events_before

            delivered = await staff(http, DELIVER, {"input": {"shipmentId": shipment}})
            assert delivered["data"]["markShipmentDelivered"]["userErrors"] == []
            # The next message is the committed delivery: the rolled-back one would have come first.
            assert (await ws.data(op))["orderUpdated"]["status"] == "DELIVERED"
            assert ws.pending(op) == 0

async def execute_in(uow, sql: str, values: dict) -> None:
    from sqlalchemy import text
    await uow.session.execute(text(sql), values)
