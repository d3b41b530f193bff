"""The webhooks guide works as written: a seller's staff registers the guide's webhook with its
payload document, pings it and reads the log; the receiver checks the signature with the
guide's own `verify`; then a real order reaches it with the document's shape. Runs the worker:
a copy of its own."""
import orjson

from api.core import ids
from domain.payments.test_provider import TestPaymentProvider
from tests.conftest import make_client
from tests.docs.guides import DOCS, examples, ok, steps
from tests.fixtures.checkout import MERCHANT_GOODS, cart, customer, offer, place
from tests.fixtures.identity import account
from tests.fixtures.webhooks import Receiver, verify, worker

STEPS = steps("webhooks.md", "webhooks")
[PAYLOAD] = examples(DOCS / "webhooks.md", "webhook-payload")


async def test_the_webhooks_walkthrough(private_database):
    db = private_database
    assert list(STEPS) == ["CreateWebhook", "PingWebhook", "WebhookDeliveries"]
    goods = await offer(db, MERCHANT_GOODS)
    async with make_client(db, webhooks_allow_private_addresses=True) as http, Receiver() as receiver:
        staff = await account(http, db, "warehouse", seller_id=goods["seller_id"])
        made = ok(await staff(http, STEPS["CreateWebhook"], {"input": {
            "url": receiver.url, "sellerId": ids.encode("Seller", goods["seller_id"]),
            "events": ["ORDER_PLACED", "OFFER_OUT_OF_STOCK"], "query": PAYLOAD}}), "createWebhook")
        secret, webhook_id = made["secret"], made["webhook"]["id"]
        assert made["webhook"]["events"] == ["ORDER_PLACED", "OFFER_OUT_OF_STOCK"]
        ping = ok(await staff(http, STEPS["PingWebhook"], {"webhookId": webhook_id}), "pingWebhook")
        assert ping["delivery"]["status"] == "PENDING"
        buyer = await customer(db)
        async with TestPaymentProvider(db.url) as provider:
            await place(db, provider, buyer, await cart(db, buyer, [(goods["id"], 1)]))

        await worker(db).run_once()

        pinged, placed = receiver.requests
        for request in (pinged, placed):
            assert verify(secret, request.headers, request.body)
        assert pinged.headers["tributary-event-type"] == "webhook.ping"
        event = orjson.loads(placed.body)["data"]["event"]
        assert event["type"] == "order.placed" and placed.headers["tributary-event-id"] == event["eventId"]
        [shipment] = event["shipments"]
        assert set(shipment) == {"id", "status", "shipTo", "lines"} and shipment["shipTo"]["city"] == "Seattle"
        log = ok(await staff(http, STEPS["WebhookDeliveries"], {"id": webhook_id}), "webhook")
        assert [(d["eventType"], d["status"], d["responseStatus"]) for d in log["deliveries"]["nodes"]] == [
            ("order.placed", "SUCCEEDED", 200), ("webhook.ping", "SUCCEEDED", 200)]
