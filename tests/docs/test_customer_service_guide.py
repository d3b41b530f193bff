"""The customer service guide's examples work as written (fenced `graphql service`: they need
an order and the IDs each step hands to the next, so the test of stand-alone examples skips
them)."""
from datetime import UTC, date, datetime, timedelta

import pytest

from domain.payments.test_provider import TestPaymentProvider
from tests.api.carts.helpers import gid, offer
from tests.api.orders.test_customer_service import SELLER_2
from tests.conftest import make_client
from tests.docs.guides import ok, steps
from tests.fixtures.customer_service import ship
from tests.fixtures.db import execute
from tests.fixtures.identity import account
from tests.fixtures.orders import placed_order

pytestmark = pytest.mark.one_copy_per_file

STEPS = steps("customer-service.md", "service")


def _utc_today() -> date:
    return datetime.now(UTC).date()


async def test_the_customer_service_examples_run(writable_database):
    assert list(STEPS) == ["RequestReturn", "RefundReturn", "RejectReturn", "ReviewFlags", "ResolveFlag",
                           "RefundOrder", "GoodwillRefund", "ReleasePreorders"]
    db = writable_database
    item = await offer(db, SELLER_2)
    async with make_client(db) as http:
        me = await account(http, db, "buyer")
        admin = await account(http, db, "admin", admin=True)
        placed = await placed_order(db, me.account_id, [(item["id"], 3)], tax_bp=825)
        async with TestPaymentProvider(db.url) as provider:
            await ship(db, provider, placed.shipment_ids)
        ids = {"orderId": gid("Order", placed.id), "lineId": gid("OrderLine", placed.line_ids[0])}

        first = ok(await me(http, STEPS["RequestReturn"], ids), "requestReturn")["returnRequest"]
        refunded = ok(await admin(http, STEPS["RefundReturn"], {"returnRequestId": first["id"]}), "refundReturn")
        assert refunded["returnRequest"]["status"] == "REFUNDED"
        second = ok(await me(http, STEPS["RequestReturn"], ids), "requestReturn")["returnRequest"]
        rejected = ok(await admin(http, STEPS["RejectReturn"], {"returnRequestId": second["id"]}), "rejectReturn")
        assert rejected["returnRequest"]["status"] == "REJECTED"

        await execute(db, "INSERT INTO product_review_flags (product_id, source, reason, reference)"
                          " VALUES ($1, 'WRONG_ITEM', 'A different item arrived', 'order-line:1')", item["product_id"])
        flags = (await admin(http, STEPS["ReviewFlags"]))["data"]["productReviewFlags"]
        assert flags["totalCount"] == 1
        resolved = ok(await admin(http, STEPS["ResolveFlag"], {"flagId": flags["nodes"][0]["id"]}),
                       "resolveProductReviewFlag")
        assert resolved["productReviewFlag"]["status"] == "RESOLVED"

        by_line = ok(await admin(http, STEPS["RefundOrder"], ids), "refundOrder")
        assert by_line["refund"]["amount"]["amount"] == "2.00"
        goodwill = ok(await admin(http, STEPS["GoodwillRefund"], ids), "issueGoodwillRefund")
        assert goodwill["refund"]["kind"] == "GOODWILL"
        again = ok(await admin(http, STEPS["GoodwillRefund"], ids), "issueGoodwillRefund")
        assert again["refund"]["id"] == goodwill["refund"]["id"]

        await execute(db, "UPDATE products SET release_date = $2 WHERE id = $1", item["product_id"], _utc_today())
        await placed_order(db, me.account_id, [(item["id"], 1)], today=_utc_today() - timedelta(days=1))
        released = ok(await admin(http, STEPS["ReleasePreorders"]), "releasePreorders")
        assert released["releasedShipmentCount"] == 1
