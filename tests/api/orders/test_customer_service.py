"""Customer service over HTTP: a wrong item returned (replacement, catalogue flag resolved by an
administrator, refund by the seller's staff), refunds of given amounts and goodwill with their
idempotency keys and refusals, and releasing due pre-orders on demand."""
from datetime import UTC, date, datetime, timedelta

import pytest

from domain.payments.test_provider import TestPaymentProvider
from domain.shared.money import Money
from tests.api.carts.helpers import gid, offer
from tests.conftest import make_client
from tests.fixtures.customer_service import ship, snapshot
from tests.fixtures.db import execute, fetchval
from tests.fixtures.identity import account
from tests.fixtures.orders import placed_order

pytestmark = pytest.mark.one_copy_per_file

SELLER_2 = "o.seller_id = 2 AND p.kind = 'PHYSICAL' AND o.quantity >= 10 AND o.price_minor BETWEEN 500 AND 4000"
ERRORS = "userErrors { code message field }"
REQUEST_RETURN = f"""mutation($input: RequestReturnInput!) {{ requestReturn(input: $input) {{
  returnRequest {{ id status reason comment refund {{ amount }} lines {{ orderLineId quantity }}
    replacementShipment {{ id status subtotal {{ amount }} replacementFor {{ id }} lines {{ unitPrice {{ amount }} }} }} }}
  order {{ status shipments {{ id }} }} {ERRORS} }} }}"""
REFUND_RETURN = f"""mutation($id: ID!) {{ refundReturn(input: {{returnRequestId: $id}}) {{
  returnRequest {{ id status refund {{ amount currencyCode }} resolvedAt }} {ERRORS} }} }}"""
FLAGS = """query($status: ProductReviewFlagStatus) { productReviewFlags(status: $status, first: 10) {
  totalCount nodes { id source reference status reason product { id } resolutionNote } } }"""
RESOLVE = f"""mutation($id: ID!, $note: String!) {{ resolveProductReviewFlag(input: {{flagId: $id, note: $note}}) {{
  productReviewFlag {{ id status resolutionNote }} {ERRORS} }} }}"""
GOODWILL = f"""mutation($input: IssueGoodwillRefundInput!) {{ issueGoodwillRefund(input: $input) {{
  refund {{ id kind amount {{ amount }} reason }} order {{ refunds {{ kind amount {{ amount }} }}
    payment {{ refunded {{ amount }} }} }} {ERRORS} }} }}"""
REFUND_ORDER = f"""mutation($input: RefundOrderInput!) {{ refundOrder(input: $input) {{
  refund {{ id kind amount {{ amount }} }} order {{ lines {{ id refunded {{ amount }} }} }} {ERRORS} }} }}"""
RELEASE = f"""mutation($input: ReleasePreordersInput!) {{ releasePreorders(input: $input) {{
  releasedShipmentCount {ERRORS} }} }}"""


def _utc_today() -> date:
    return datetime.now(UTC).date()


async def _delivered(db, customer_id: int, quantity: int = 1):
    item = await offer(db, SELLER_2)
    placed = await placed_order(db, customer_id, [(item["id"], quantity)])
    async with TestPaymentProvider(db.url) as provider:
        await ship(db, provider, placed.shipment_ids)
    return placed, item


async def test_a_wrong_item_is_replaced_flagged_and_refunded(writable_database):
    db = writable_database
    async with make_client(db) as http:
        me = await account(http, db, "buyer")
        staff = await account(http, db, "staff", seller_id=2)
        admin = await account(http, db, "admin", admin=True)
        placed, item = await _delivered(db, me.account_id)
        line = gid("OrderLine", placed.line_ids[0])
        body = await me(http, REQUEST_RETURN, {"input": {
            "orderId": gid("Order", placed.id), "reason": "WRONG_ITEM", "comment": "A cookbook came",
            "lines": [{"orderLineId": line, "quantity": 1}]}})
        assert "errors" not in body, body
        payload = body["data"]["requestReturn"]
        assert payload["userErrors"] == []
        request = payload["returnRequest"]
        assert (request["status"], request["reason"], request["comment"]) == ("REQUESTED", "WRONG_ITEM",
                                                                              "A cookbook came")
        assert request["lines"] == [{"orderLineId": line, "quantity": 1}]
        replacement = request["replacementShipment"]
        assert replacement["status"] == "PENDING" and replacement["subtotal"]["amount"] == "0.00"
        assert replacement["replacementFor"]["id"] == gid("Shipment", placed.shipment_ids[0])
        assert [x["unitPrice"]["amount"] for x in replacement["lines"]] == ["0.00"]
        assert payload["order"]["status"] == "PARTIALLY_SHIPPED" and len(payload["order"]["shipments"]) == 2

        flags = (await admin(http, FLAGS, {"status": "OPEN"}))["data"]["productReviewFlags"]
        assert flags["totalCount"] == 1
        flag = flags["nodes"][0]
        assert (flag["source"], flag["reference"], flag["product"]["id"]) == (
            "WRONG_ITEM", f"order-line:{placed.line_ids[0]}", gid("Product", item["product_id"]))
        denied = await me(http, FLAGS)
        assert denied["errors"][0]["extensions"]["code"] == "FORBIDDEN"
        resolved = (await admin(http, RESOLVE, {"id": flag["id"], "note": "Swapped the images"}))
        assert resolved["data"]["resolveProductReviewFlag"]["productReviewFlag"]["status"] == "RESOLVED"
        again = await admin(http, RESOLVE, {"id": flag["id"], "note": "Again"})
        assert again["data"]["resolveProductReviewFlag"]["userErrors"][0]["code"] == "FLAG_ALREADY_RESOLVED"

        refunded = (await staff(http, REFUND_RETURN, {"id": request["id"]}))["data"]["refundReturn"]
        assert refunded["userErrors"] == []
        assert refunded["returnRequest"]["status"] == "REFUNDED"
        assert refunded["returnRequest"]["refund"] == {"amount": str(Money(item["price_minor"]).amount),
                                                       "currencyCode": "USD"}
        twice = (await staff(http, REFUND_RETURN, {"id": request["id"]}))["data"]["refundReturn"]
        assert twice["userErrors"][0]["code"] == "RETURN_NOT_OPEN"
        wrong_type = await staff(http, REFUND_RETURN, {"id": gid("Order", placed.id)})
        assert [(e["code"], e["field"]) for e in wrong_type["data"]["refundReturn"]["userErrors"]] == [
            ("INVALID_ID", ["input", "returnRequestId"])]


async def test_refunds_by_customer_service_with_keys_and_refusals(writable_database):
    db = writable_database
    async with make_client(db) as http:
        me = await account(http, db, "buyer")
        admin = await account(http, db, "admin", admin=True)
        placed, item = await _delivered(db, me.account_id, quantity=2)
        captured = await fetchval(db, "SELECT captured_minor FROM payments WHERE id = $1", placed.payment_id)
        goodwill = {"orderId": gid("Order", placed.id), "amount": {"amount": "2.50", "currencyCode": "USD"},
                    "reason": "Parcel was late", "idempotencyKey": "gw-2026-1"}
        first = (await admin(http, GOODWILL, {"input": goodwill}))["data"]["issueGoodwillRefund"]
        assert first["userErrors"] == [] and first["refund"]["kind"] == "GOODWILL"
        assert first["order"]["payment"]["refunded"]["amount"] == "2.50"
        replay = (await admin(http, GOODWILL, {"input": goodwill}))["data"]["issueGoodwillRefund"]
        assert replay["refund"]["id"] == first["refund"]["id"] and len(replay["order"]["refunds"]) == 1
        denied = await me(http, GOODWILL, {"input": {**goodwill, "idempotencyKey": "mine"}})
        assert denied["errors"][0]["extensions"]["code"] == "FORBIDDEN"

        before = await snapshot(db)
        for changes, code in (({"amount": {"amount": str(captured), "currencyCode": "USD"},
                                "idempotencyKey": "too-much"}, "REFUND_EXCEEDS_CAPTURED"),
                              ({"amount": {"amount": "1.005", "currencyCode": "USD"}, "idempotencyKey": "cents"},
                               "INVALID_AMOUNT"),
                              ({"reason": "", "idempotencyKey": "no-reason"}, "REASON_REQUIRED"),
                              ({"amount": {"amount": "3.00", "currencyCode": "USD"}}, "IDEMPOTENCY_KEY_REUSED")):
            refused = (await admin(http, GOODWILL, {"input": {**goodwill, **changes}}))["data"]["issueGoodwillRefund"]
            assert [e["code"] for e in refused["userErrors"]] == [code], refused
            assert refused["refund"] is None
        assert await snapshot(db) == before

        line = gid("OrderLine", placed.line_ids[0])
        by_line = {"orderId": gid("Order", placed.id), "reason": "Scratched cover", "idempotencyKey": "ro-1",
                   "lines": [{"orderLineId": line, "amount": {"amount": "1.00", "currencyCode": "USD"}}]}
        done = (await admin(http, REFUND_ORDER, {"input": by_line}))["data"]["refundOrder"]
        assert done["userErrors"] == [] and done["refund"]["kind"] == "OTHER"
        assert done["order"]["lines"] == [{"id": line, "refunded": {"amount": "1.00"}}]
        too_much = {**by_line, "idempotencyKey": "ro-2",
                    "lines": [{"orderLineId": line, "amount": {"amount": str(item["price_minor"] * 2),
                                                               "currencyCode": "USD"}}]}
        refused = (await admin(http, REFUND_ORDER, {"input": too_much}))["data"]["refundOrder"]
        assert refused["userErrors"][0]["code"] == "REFUND_EXCEEDS_LINE"


async def test_administrators_release_due_preorders_on_demand(writable_database):
    db = writable_database
    async with make_client(db) as http:
        me = await account(http, db, "buyer")
        admin = await account(http, db, "admin", admin=True)
        item = await offer(db, SELLER_2)
        await execute(db, "UPDATE products SET release_date = $2 WHERE id = $1", item["product_id"], _utc_today())
        placed = await placed_order(db, me.account_id, [(item["id"], 1)], today=_utc_today() - timedelta(days=1))
        later = (await admin(http, RELEASE, {"input": {"dueBy": str(_utc_today() + timedelta(days=2))}}))
        assert later["data"]["releasePreorders"]["userErrors"][0]["code"] == "INVALID"
        released = (await admin(http, RELEASE, {"input": {}}))["data"]["releasePreorders"]
        assert released == {"releasedShipmentCount": 1, "userErrors": []}
        assert await fetchval(db, "SELECT status::text FROM shipments WHERE id = $1",
                              placed.shipment_ids[0]) == "PENDING"
        assert (await admin(http, RELEASE, {"input": {}}))["data"]["releasePreorders"]["releasedShipmentCount"] == 0
