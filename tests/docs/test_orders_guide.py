"""The orders guide's examples work as written: read an order, ship and deliver a shipment,
cancel a shipment, an order, and a pre-ordered line. (Fenced `graphql orders`: they need variables, so the
test of stand-alone examples skips them.)"""
import pytest

from tests.api.carts.helpers import MERCHANT_GOODS, PLATFORM_BOOK, execute, gid, offer
from tests.conftest import make_client
from tests.docs.guides import ok, steps
from tests.fixtures.identity import account
from tests.fixtures.orders import placed_order

pytestmark = pytest.mark.one_copy_per_file

STEPS = steps("orders.md", "orders")


async def test_the_order_examples_run(writable_database):
    assert list(STEPS) == ["MyOrder", "Ship", "Delivered", "Cancel", "CancelShipment", "CancelPreorderLine"]
    db = writable_database
    goods, book = await offer(db, MERCHANT_GOODS), await offer(db, PLATFORM_BOOK)
    async with make_client(db) as http:
        me = await account(http, db, "reader")
        admin = await account(http, db, "admin", admin=True)
        shipped = await placed_order(db, me.account_id, [(goods["id"], 1), (book["id"], 1)])
        first, second = (gid("Shipment", pk) for pk in shipped.shipment_ids)
        assert ok(await admin(http, STEPS["Ship"], {"shipmentId": first}), "markShipmentShipped")[
            "shipment"]["status"] == "SHIPPED"
        assert ok(await admin(http, STEPS["Delivered"], {"shipmentId": first}), "markShipmentDelivered")[
            "shipment"]["status"] == "DELIVERED"
        assert ok(await admin(http, STEPS["CancelShipment"], {"shipmentId": second}), "cancelShipment")[
            "shipment"]["status"] == "CANCELLED"
        order = ok(await me(http, STEPS["MyOrder"], {"number": shipped.number}), "order")
        assert order["status"] == "DELIVERED" and order["payment"]["status"] == "CAPTURED"

        cancelled = await placed_order(db, me.account_id, [(goods["id"], 1)])
        result = ok(await me(http, STEPS["Cancel"], {"orderId": gid("Order", cancelled.id)}), "cancelOrder")
        assert (result["order"]["status"], result["order"]["payment"]["status"]) == ("CANCELLED", "VOIDED")

        # A pre-ordered line, cancelled after the rest of its order shipped.
        await execute(db, "UPDATE products SET release_date = current_date + 30 WHERE id = $1", book["product_id"])
        partly = await placed_order(db, me.account_id, [(goods["id"], 1), (book["id"], 1)])
        ok(await admin(http, STEPS["Ship"], {"shipmentId": gid("Shipment", partly.shipment_ids[0])}),
            "markShipmentShipped")
        line = gid("OrderLine", partly.line_ids[1])
        result = ok(await me(http, STEPS["CancelPreorderLine"], {"orderLineId": line}), "cancelPreorderLine")
        assert (result["order"]["status"], sorted(s["status"] for s in result["order"]["shipments"])) == (
            "SHIPPED", ["CANCELLED", "SHIPPED"])
