"""Webhooks delivered by the worker to a receiver on loopback: signed, retried after a 500,
never for a rolled-back change, with the payload its document chose and its owner may see.
Each test runs the worker, which acts on every due job: each has a copy of its own."""
from __future__ import annotations

import asyncio

import orjson

from domain.events.kinds import EventKind
from domain.events.outbox import publish
from domain.payments.test_provider import TestPaymentProvider
from domain.shared.unit_of_work import UnitOfWork
from domain.webhooks import service as webhooks
from tests.api.webhooks.helpers import (
    CREATE,
    DELIVERIES,
    PING,
    REDELIVER,
    call,
    dispatch_now,
    fetch,
    fetchval,
    gid,
    published,
    retries_due_now,
)
from tests.conftest import count_statements, make_client
from tests.fixtures.checkout import MERCHANT_GOODS, PLATFORM_BOOK, cart, customer, offer, place
from tests.fixtures.identity import account
from tests.fixtures.webhooks import SETTINGS, Receiver, verify, worker


def _client(db):
    return make_client(db, webhooks_allow_private_addresses=True)


async def _register(http, token, url, events, **extra) -> tuple[str, str]:
    body = await call(http, token, CREATE, {"input": {"url": url, "events": events, **extra}})
    payload = body["data"]["createWebhook"]
    assert payload["userErrors"] == [], payload
    return payload["webhook"]["id"], payload["secret"]


async def test_a_delivery_arrives_signed_is_retried_after_a_500_and_logged(private_database):
    db = private_database
    async with _client(db) as http, Receiver(statuses=[500]) as receiver:
        admin = await account(http, db, "ops", admin=True)
        webhook_id, secret = await _register(http, admin.token, receiver.url, ["REVIEW_CREATED"])
        event_id = await published(db, EventKind.REVIEW_CREATED, 4242, seller_ids=[7])

        await worker(db).run_once()
        assert len(receiver.requests) == 1  # answered 500: retried later, not at once
        await retries_due_now(db)
        await worker(db).run_once()

        first, second = receiver.requests
        for request in (first, second):
            assert verify(secret, request.headers, request.body)
            assert request.headers["tributary-event-id"] == f"evt_{event_id}"
            assert request.headers["tributary-event-type"] == "review.created"
            assert request.headers["content-type"] == "application/json"
        assert second.body == first.body  # the same bytes on every try
        assert not verify("whsec_not-the-secret-at-all-000000", first.headers, first.body)
        assert orjson.loads(first.body) == {"data": {"event": {
            "eventId": f"evt_{event_id}", "type": "review.created", "subjectId": gid("Review", 4242),
            "occurredAt": orjson.loads(first.body)["data"]["event"]["occurredAt"]}}}
        log = (await call(http, admin.token, DELIVERIES, {"id": webhook_id}))["data"]["webhook"]["deliveries"]
        [delivery] = log["nodes"]
        assert (delivery["status"], delivery["attempts"], delivery["responseStatus"], delivery["error"]) == (
            "SUCCEEDED", 2, 200, None)
        assert delivery["durationMs"] >= 0 and delivery["eventType"] == "review.created"
        assert await fetchval(db, "SELECT failing_since FROM webhooks") is None


async def test_a_rolled_back_change_is_never_delivered_and_a_late_commit_is(private_database):
    db = private_database
    async with _client(db) as http, Receiver() as receiver:
        admin = await account(http, db, "ops", admin=True)
        await _register(http, admin.token, receiver.url, ["OFFER_OUT_OF_STOCK"])
        async with UnitOfWork(db) as slow:
            late = await publish(slow.session, EventKind.OFFER_OUT_OF_STOCK, 1, seller_ids=[1])
            early = await published(db, EventKind.OFFER_OUT_OF_STOCK, 2, seller_ids=[1])
            async with UnitOfWork(db) as undone:  # left without a commit: rolled back
                await publish(undone.session, EventKind.OFFER_OUT_OF_STOCK, 3, seller_ids=[1])
            await worker(db).run_once()
            assert [r.headers["tributary-event-id"] for r in receiver.requests] == [f"evt_{early}"]
            await slow.commit()  # committed after a larger id was dispatched: still delivered
        after = await published(db, EventKind.OFFER_OUT_OF_STOCK, 4, seller_ids=[1])
        await dispatch_now(db)
        await worker(db).run_once()

        assert [r.headers["tributary-event-id"] for r in receiver.requests] == [
            f"evt_{early}", f"evt_{late}", f"evt_{after}"]
        subjects = [orjson.loads(r.body)["data"]["event"]["subjectId"] for r in receiver.requests]
        assert gid("Offer", 3) not in subjects


async def test_a_sellers_webhook_hears_of_its_orders_and_sees_only_its_own_shipments(private_database):
    db = private_database
    book, goods = await offer(db, PLATFORM_BOOK), await offer(db, MERCHANT_GOODS)
    document = ("subscription { event { eventId ... on OrderPlaced { shipments { id seller { id } lines { quantity }"
                " order { __typename } } } } }")
    async with _client(db) as http, Receiver() as mine, Receiver() as theirs:
        staff = await account(http, db, "staff", seller_id=goods["seller_id"])
        other = await account(http, db, "other", seller_id=book["seller_id"])
        await _register(http, staff.token, mine.url, ["ORDER_PLACED"], query=document,
                        sellerId=gid("Seller", goods["seller_id"]))
        await _register(http, other.token, theirs.url, ["OFFER_OUT_OF_STOCK"],
                        sellerId=gid("Seller", book["seller_id"]))
        buyer = await customer(db)
        cart_id = await cart(db, buyer, [(book["id"], 1), (goods["id"], 2)],
                             choices=[(book["seller_id"], "PLATFORM", "TWO_DAY")])
        async with TestPaymentProvider(db.url) as provider:
            order_id = await place(db, provider, buyer, cart_id)

        await worker(db).run_once()

        assert theirs.requests == []  # subscribed to another event type
        [request] = mine.requests
        body = orjson.loads(request.body)
        shipment = await fetchval(db, "SELECT id FROM shipments WHERE order_id = $1 AND seller_id = $2", order_id,
                                  goods["seller_id"])
        [seen] = body["data"]["event"]["shipments"]
        assert seen == {"id": gid("Shipment", shipment), "seller": {"id": gid("Seller", goods["seller_id"])},
                        "lines": [{"quantity": 2}], "order": None}  # the customer's order: null for a seller
        email = await fetchval(db, "SELECT email::text FROM accounts WHERE id = $1", buyer.account_id)
        assert email not in request.body.decode()


async def test_ping_and_redelivery_send_the_same_signed_event_again(private_database):
    db = private_database
    async with _client(db) as http, Receiver() as receiver:
        admin = await account(http, db, "ops", admin=True)
        webhook_id, secret = await _register(http, admin.token, receiver.url, ["ORDER_PLACED"])
        ping = (await call(http, admin.token, PING, {"input": {"webhookId": webhook_id}}))["data"]["pingWebhook"]
        assert ping["userErrors"] == [] and ping["delivery"]["status"] == "PENDING"
        assert receiver.requests == []  # nothing leaves from inside the request
        await worker(db).run_once()
        again = (await call(http, admin.token, REDELIVER, {"input": {"deliveryId": ping["delivery"]["id"]}}))
        assert again["data"]["redeliverWebhookDelivery"]["userErrors"] == []
        await worker(db).run_once()

        first, second = receiver.requests
        assert orjson.loads(first.body)["data"]["event"]["type"] == "webhook.ping"
        assert second.body == first.body and second.headers["tributary-event-id"] == first.headers["tributary-event-id"]
        assert verify(secret, second.headers, second.body)
        log = (await call(http, admin.token, DELIVERIES, {"id": webhook_id}))["data"]["webhook"]["deliveries"]
        assert [(d["status"], d["attempts"]) for d in log["nodes"]] == [("SUCCEEDED", 2)]


async def test_a_day_of_failures_disables_the_webhook_and_tells_its_owner(private_database):
    db = private_database
    async with _client(db) as http, Receiver(statuses=[503, 503]) as receiver:
        owner = await account(http, db, "ops", admin=True)
        webhook_id, _ = await _register(http, owner.token, receiver.url, ["REVIEW_CREATED"])
        await published(db, EventKind.REVIEW_CREATED, 1)
        await published(db, EventKind.REVIEW_CREATED, 2)
        await fetch(db, "UPDATE webhooks SET failing_since = now() - interval '25 hours'")
        from tests.fixtures.jobs import RecordingSender
        sender = RecordingSender()

        await worker(db, sender).run_once()

        assert len(receiver.requests) == 1  # the breaker opened on the first failure: the second is not tried
        state = await fetch(db, "SELECT disabled_at IS NOT NULL AS off FROM webhooks")
        assert [r["off"] for r in state] == [True]
        statuses = await fetch(db, "SELECT status::text FROM webhook_deliveries ORDER BY id")
        assert [r["status"] for r in statuses] == ["FAILED", "FAILED"]
        [mail] = [m for m in sender.sent if "turned off" in m.subject]
        assert mail.to == owner.email and "HTTP 503" in mail.text
        ping = (await call(http, owner.token, PING, {"input": {"webhookId": webhook_id}}))["data"]["pingWebhook"]
        assert [e["code"] for e in ping["userErrors"]] == ["WEBHOOK_DISABLED"]


async def test_a_webhook_is_not_called_when_its_host_turns_private_after_registration(private_database):
    db = private_database
    async with _client(db) as http, Receiver() as receiver:
        admin = await account(http, db, "ops", admin=True)
        await _register(http, admin.token, receiver.url, ["REVIEW_CREATED"])
        await published(db, EventKind.REVIEW_CREATED, 1)
        strict = SETTINGS.model_copy(update={"webhooks_allow_private_addresses": False})
        await worker(db, settings=strict).run_once()

        assert receiver.requests == []
        [row] = await fetch(db, "SELECT status::text, attempts, error FROM webhook_deliveries")
        assert (row["status"], row["attempts"]) == ("PENDING", 1)
        assert "private, loopback" in row["error"]


async def test_concurrent_workers_deliver_each_event_once(private_database):
    db = private_database
    async with _client(db) as http, Receiver() as receiver:
        admin = await account(http, db, "ops", admin=True)
        await _register(http, admin.token, receiver.url, ["REVIEW_CREATED"])
        for subject in range(12):
            await published(db, EventKind.REVIEW_CREATED, subject)

        await asyncio.gather(*(worker(db).run_once() for _ in range(3)))

        ids = sorted(r.headers["tributary-event-id"] for r in receiver.requests)
        assert len(ids) == 12 and len(set(ids)) == 12


async def test_a_delivery_costs_a_bounded_number_of_statements(private_database):
    db = private_database
    async with _client(db) as http, Receiver() as receiver:
        admin = await account(http, db, "ops", admin=True)
        await _register(http, admin.token, receiver.url, ["REVIEW_CREATED"])
        await published(db, EventKind.REVIEW_CREATED, 1)
        async with UnitOfWork(db) as uow:
            await webhooks.dispatch(uow.session, SETTINGS)
            await uow.commit()
        delivery_id = await fetchval(db, "SELECT id FROM webhook_deliveries")

        with count_statements() as counter:
            async with UnitOfWork(db) as uow:
                status = await webhooks.deliver(uow.session, db, SETTINGS, delivery_id)
                await uow.commit()

        assert status == "SUCCEEDED" and len(receiver.requests) == 1
        # Load the delivery with its webhook, the owner's roles, the event; record the outcome
        # with the body: four, whatever the payload (the default one reads nothing more).
        assert counter.count == 4, counter.statements
