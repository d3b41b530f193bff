"""Subscriptions over a real WebSocket (uvicorn, graphql-transport-ws): a committed change
reaches its subscriber, a rolled-back one never does, and bad input gets a typed error or a clean
close code, never data."""
from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from domain.identity import tokens
from domain.orders import history
from domain.shared.config import Settings
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
        async with socket(url, buyer.token) as ws, socket(url, staff.token) as theirs:
            # Subscribed first, so in place before the order's first message (it yields nothing at once).
            mine = await ws.subscribe("subscription { myOrdersUpdated { id status } }")
            not_mine = await theirs.subscribe("subscription { myOrdersUpdated { id status } }")
            op = await ws.subscribe(ORDER, {"id": gid("Order", placed.id)})
            assert (await ws.data(op))["orderUpdated"]["status"] == "PLACED"  # the state at once

            shipped = await staff(http, SHIP, {"input": {"shipmentId": shipment, "carrier": "UPS",
                                                         "trackingNumber": "1Z999"}})
            assert shipped["data"]["markShipmentShipped"]["userErrors"] == []
            update = (await ws.data(op))["orderUpdated"]
            assert update["status"] == "SHIPPED" and update["shipments"] == [
                {"status": "SHIPPED", "trackingNumber": "1Z999"}]
            assert (await ws.data(mine))["myOrdersUpdated"] == {"id": gid("Order", placed.id), "status": "SHIPPED"}

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
            assert theirs.pending(not_mine) == 0  # the seller's staff are not the customer

async def execute_in(uow, sql: str, values: dict) -> None:
    from sqlalchemy import text
    await uow.session.execute(text(sql), values)


async def test_bad_subscriptions_get_a_typed_error_or_a_clean_close(writable_database):
    db = writable_database
    async with make_client(db) as http, live_server(db, ws_subscriptions_per_connection=100) as url:
        buyer, _, placed, _ = await _order_with_staff(db, http)
        other = await account(http, db, "other")
        order = gid("Order", placed.id)
        async with socket(url, other.token) as ws:
            refused = await ws.next(await ws.subscribe(ORDER, {"id": order}))
            assert refused["type"] == "error" and refused["payload"][0]["extensions"]["code"] == "NOT_FOUND"
            malformed = await ws.next(await ws.subscribe(ORDER, {"id": "not-an-id"}))
            assert malformed["type"] == "error" and malformed["payload"][0]["extensions"]["code"] == "BAD_USER_INPUT"
            too_deep = await ws.next(await ws.subscribe(
                "subscription($id: ID!) { orderUpdated(orderId: $id) { " + "shipments { order { " * 8
                + "id" + " } }" * 8 + " } }", {"id": order}))
            assert too_deep["type"] == "error" and "exceeds maximum operation depth" in too_deep["payload"][0]["message"]
            # 1,000 subscriptions on one connection: the first 100 run, the rest are refused.
            ops = [await ws.subscribe("subscription { myOrdersUpdated { id } }") for _ in range(1000)]
            answers = [await ws.next(op) for op in ops[100:]]
            assert {a["type"] for a in answers} == {"error"}
            assert {a["payload"][0]["message"] for a in answers} == {"Subscription limit reached"}
            assert all(ws.pending(op) == 0 for op in ops[:100])
        async with socket(url) as ws:  # anonymous: a connection, but nothing of anyone's
            anonymous = await ws.next(await ws.subscribe(ORDER, {"id": order}))
            assert anonymous["type"] == "error" and anonymous["payload"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        async with socket(url, buyer.token) as ws:  # the webhooks' payload root is not a stream
            event = await ws.next(await ws.subscribe("subscription { event { eventId } }"))
            assert event["type"] in ("error", "next"), event
            errors = event["payload"] if event["type"] == "error" else event["payload"]["errors"]
            assert errors[0]["extensions"]["code"] == "FORBIDDEN"
        async with socket(url, "forged", ack=False) as ws:
            assert await ws.closed() == (4403, "Forbidden: TOKEN_INVALID")
        async with socket(url, buyer.token) as ws:
            await ws.ws.send('{"type": "ping", "payload": "' + "x" * 1_000_000 + '"}')
            assert (await ws.closed())[0] == 4400


async def test_a_signed_out_session_closes_its_sockets(writable_database):
    db = writable_database
    async with make_client(db) as http, live_server(db, ws_session_check_seconds=0.2) as url:
        buyer, _, placed, _ = await _order_with_staff(db, http)
        async with socket(url, buyer.token) as ws:
            op = await ws.subscribe(ORDER, {"id": gid("Order", placed.id)})
            assert (await ws.data(op))["orderUpdated"]["status"] == "PLACED"
            await execute(db, "UPDATE auth_sessions SET revoked_at = now() WHERE id = $1::uuid", buyer.session_id)
            assert await ws.closed() == (4401, "Session signed out")


async def test_an_account_holds_a_limited_number_of_connections(writable_database):
    db = writable_database
    async with make_client(db) as http, live_server(db, ws_connections_per_account=2) as url:
        buyer = await account(http, db, "many")
        async with socket(url, buyer.token), socket(url, buyer.token):
            async with socket(url, buyer.token, ack=False) as third:
                assert await third.closed() == (4429, "Too many connections for this account")
        async with socket(url, buyer.token):  # the others closed: room again
            pass


async def test_a_socket_closes_when_its_access_token_expires(writable_database):
    db = writable_database
    async with make_client(db) as http, live_server(db) as url:
        buyer = await account(http, db, "short")
        key = tokens.signing_key(Settings(env="development"))
        # Issued 56 seconds ago for a minute: a few seconds left, time enough to connect on a busy machine.
        short, _ = tokens.issue_access_token(key, buyer.account_id, uuid.UUID(buyer.session_id),
                                             datetime.now(UTC) - timedelta(seconds=56), 1)
        async with socket(url, short) as ws:
            assert await ws.closed() == (4401, "Access token expired")


async def test_a_subscription_over_the_cost_limit_is_refused_as_a_query_is(writable_database):
    db = writable_database
    async with make_client(db) as http, live_server(db, max_cost=1) as url:
        buyer = await account(http, db, "costly")
        async with socket(url, buyer.token) as ws:
            op = await ws.subscribe(ORDER, {"id": gid("Order", 1)})
            refused = await ws.next(op)
            assert refused["payload"]["data"] is None
            assert [e["extensions"]["code"] for e in refused["payload"]["errors"]] == ["MAX_COST_EXCEEDED"]
            assert (await ws.next(op))["type"] == "complete"
