"""Fan-out across processes: two app instances, each with its own listener, on one database. A
change committed through one (or by anything else: the worker, another machine) reaches
subscribers on the other, and a listener that lost its connection catches up on what was
committed meanwhile."""
from __future__ import annotations

import asyncio
from datetime import timedelta

import httpx
import pytest

from api.core import ids
from domain.orders import service as orders
from domain.payments.test_provider import TestPaymentProvider
from domain.shared import clock
from tests.api.carts.helpers import MERCHANT_GOODS, fetchval, gid, offer
from tests.api.licences.helpers import position_entry
from tests.api.realtime.helpers import ORDER, READING, SHIP, UPDATE_READING, socket
from tests.conftest import make_client
from tests.fixtures.db import execute
from tests.fixtures.identity import account
from tests.fixtures.jobs import queue, worker
from tests.fixtures.live import live_server
from tests.fixtures.orders import placed_order
from tests.fixtures.reading import device, licence
from tests.fixtures.subscribe_and_save import deliveries, subscribe

pytestmark = pytest.mark.one_copy_per_file


async def test_a_change_through_one_process_reaches_a_subscriber_on_another(writable_database):
    db = writable_database
    async with make_client(db) as http, live_server(db) as first, live_server(db) as second:
        reader = await account(http, db, "reader")
        book = await licence(db, reader.account_id)
        kindle = await device(http, reader)
        goods = await offer(db, f"NOT s.is_first_party AND {MERCHANT_GOODS}")
        staff = await account(http, db, "staff", seller_id=goods["seller_id"])
        placed = await placed_order(db, reader.account_id, [(goods["id"], 1)])
        shipment = gid("Shipment", await fetchval(db, "SELECT id FROM shipments WHERE order_id = $1", placed.id))
        async with socket(second, reader.token) as ws:
            reading, order = await asyncio.gather(ws.subscribe(READING, {"id": book.global_id}),
                                                  ws.subscribe(ORDER, {"id": gid("Order", placed.id)}))
            assert (await ws.data(reading))["readingStateChanged"] is None  # never read yet
            assert (await ws.data(order))["orderUpdated"]["status"] == "PLACED"

            async with httpx.AsyncClient(base_url=first) as phone:  # the first process, over the network
                pushed = await reader(phone, UPDATE_READING, {"input": {
                    "deviceId": kindle, "states": [position_entry(book, 1234, -1)]}})
                assert pushed["data"]["updateReadingState"]["userErrors"] == []
                assert (await ws.data(reading))["readingStateChanged"] == {
                    "lastPosition": 1234, "furthestPosition": 1234}

                shipped = await staff(phone, SHIP, {"input": {"shipmentId": shipment, "carrier": "UPS",
                                                              "trackingNumber": "1Z42"}})
                assert shipped["data"]["markShipmentShipped"]["userErrors"] == []
                assert (await ws.data(order))["orderUpdated"]["status"] == "SHIPPED"
        assert first != second


async def test_a_listener_that_lost_its_connection_catches_up(writable_database):
    db = writable_database
    async with make_client(db) as http, live_server(db) as url:
        reader = await account(http, db, "reader")
        book = await licence(db, reader.account_id)
        kindle = await device(http, reader)
        async with socket(url, reader.token) as ws:
            reading = await ws.subscribe(READING, {"id": book.global_id})
            assert (await ws.data(reading))["readingStateChanged"] is None
            # The listener's connection is cut; a position committed before it is back is not lost.
            await execute(db, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                              " WHERE application_name = 'tributary-events' AND datname = current_database()")
            pushed = await reader(http, UPDATE_READING, {"input": {
                "deviceId": kindle, "states": [position_entry(book, 77, -1)]}})
            assert pushed["data"]["updateReadingState"]["userErrors"] == []
            assert (await ws.data(reading))["readingStateChanged"] == {"lastPosition": 77, "furthestPosition": 77}
        assert ids.encode("Licence", book.id) == book.global_id


@pytest.mark.own_copy  # the scheduler places every due delivery of the database
async def test_an_order_the_worker_places_reaches_the_customers_subscription(writable_database):
    db = writable_database
    # The server's own in-process worker would race this test's worker for the delivery job.
    async with TestPaymentProvider(db.url) as provider, make_client(db) as http, \
            live_server(db, run_worker_in_process=False) as url:
        buyer = await account(http, db, "subscriber")
        coffee = await offer(db, "p.subscribe_eligible AND s.is_first_party AND o.quantity >= 5")
        first = clock.now().date() - timedelta(days=31)  # the next delivery is due today or earlier
        sub = await subscribe(db, provider, buyer.account_id, coffee, first=first)
        async with socket(url, buyer.token) as ws:
            mine = await ws.subscribe("subscription { myOrdersUpdated { id status } }")
            await queue(db, orders.SUBSCRIPTION_DELIVERIES_JOB, {"n": 1}, dedupe_key="fan-out:deliver")
            stats = await worker(db, payments=provider).run_once()
            assert stats.failed == 0
            [placed] = [d for d in await deliveries(db, sub) if d["outcome"] == "PLACED"]
            assert (await ws.data(mine))["myOrdersUpdated"] == {"id": gid("Order", placed["order_id"]),
                                                                "status": "PLACED"}
