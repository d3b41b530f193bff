"""What a webhook's payload document selects from: the `event` of the subscription root, one
type per event, each with the objects it is about, loaded with the webhook owner's rights (an
object its owner may not see is null, with an error in the payload's `errors`).

`event` exists only for webhook documents: the worker runs the document with the event it
delivers; a client that subscribes to it directly is refused."""
from __future__ import annotations

import datetime
from collections.abc import AsyncGenerator
from typing import Optional

import strawberry
from strawberry.types import Info

from api.core import ids
from api.marketplace.types import Offer
from api.orders.types import Order, OrderRefund, ReturnRequest, Shipment
from api.reviews.types import Review
from domain.shared.errors import Forbidden
from domain.webhooks.payloads import EventRecord


@strawberry.interface(description="Something that happened on the platform, as a webhook is told of it.")
class WebhookEvent:
    record: strawberry.Private[EventRecord]

    @strawberry.field(description="The event's id, the same as the `Tributary-Event-Id` header and on every try of its delivery: de-duplicate on it (delivery is at-least-once).")
    def event_id(self) -> str:
        return f"evt_{self.record.id}" if self.record.id is not None else "ping"

    @strawberry.field(description="The event's name, as in the `Tributary-Event-Type` header: order.placed, order.updated, shipment.created, shipment.updated, refund.created, return.requested, offer.out_of_stock, review.created, or webhook.ping.")
    def type(self) -> str:
        return self.record.kind

    @strawberry.field(description="When it happened (UTC).")
    def occurred_at(self) -> datetime.datetime:
        return self.record.created_at

    @strawberry.field(description="Global ID of what the event is about (the order, shipment, refund, return request, offer or review); null for a test event.")
    def subject_id(self) -> Optional[strawberry.ID]:
        type_name = SUBJECT_TYPES.get(self.record.kind)
        if type_name is None or self.record.subject_id is None:
            return None
        return strawberry.ID(ids.encode(type_name, self.record.subject_id))


@strawberry.type(description="An order was placed. A seller's webhook is told of orders with lines of its offers, and sees its own shipments of it, not the customer's order.")
class OrderPlaced(WebhookEvent):
    @strawberry.field(description="The order; null unless the webhook's owner is an administrator.")
    async def order(self, info: Info) -> Optional[Order]:
        return await info.context.loaders.order_by_id.load(self.record.subject_id)

    @strawberry.field(description="The order's shipments the webhook's owner may see: a seller's own, or all of them for administrators.")
    async def shipments(self, info: Info) -> list[Shipment]:
        wanted = [int(i) for i in self.record.data.get("shipmentIds", [])]
        found = await info.context.loaders.shipment_by_id.load_many(wanted)
        return [s for s in found if s is not None]


@strawberry.type(description="An order's status, shipments or refunds changed (platform webhooks only).")
class OrderUpdated(WebhookEvent):
    @strawberry.field(description="The order as it is now.")
    async def order(self, info: Info) -> Optional[Order]:
        return await info.context.loaders.order_by_id.load(self.record.subject_id)


@strawberry.type(description="A shipment was made.")
class ShipmentCreated(WebhookEvent):
    @strawberry.field(description="The shipment as it is now.")
    async def shipment(self, info: Info) -> Optional[Shipment]:
        return await info.context.loaders.shipment_by_id.load(self.record.subject_id)


@strawberry.type(description="A shipment got its tracking, was delivered or cancelled.")
class ShipmentUpdated(WebhookEvent):
    @strawberry.field(description="The shipment as it is now.")
    async def shipment(self, info: Info) -> Optional[Shipment]:
        return await info.context.loaders.shipment_by_id.load(self.record.subject_id)


@strawberry.type(description="Money was given back on an order. A seller's webhook hears of refunds of orders with its lines, and sees the shipments concerned, not the refund or the order (the customer's).")
class RefundCreated(WebhookEvent):
    @strawberry.field(description="The refund; null unless the webhook's owner is an administrator.")
    async def refund(self, info: Info) -> Optional[OrderRefund]:
        return await info.context.loaders.order_refund_by_id.load(self.record.subject_id)

    @strawberry.field(description="The shipments of the refunded order the webhook's owner may see.")
    async def shipments(self, info: Info) -> list[Shipment]:
        wanted = [int(i) for i in self.record.data.get("shipmentIds", [])]
        return [s for s in await info.context.loaders.shipment_by_id.load_many(wanted) if s is not None]


@strawberry.type(description="A customer asked to send items back. A seller's webhook hears of returns of its items and sees its shipments concerned.")
class ReturnRequested(WebhookEvent):
    @strawberry.field(description="The return request; null unless the webhook's owner is an administrator.")
    async def return_request(self, info: Info) -> Optional[ReturnRequest]:
        return await info.context.loaders.return_request_by_id.load(self.record.subject_id)

    @strawberry.field(description="The shipments with items asked back that the webhook's owner may see.")
    async def shipments(self, info: Info) -> list[Shipment]:
        wanted = [int(i) for i in self.record.data.get("shipmentIds", [])]
        return [s for s in await info.context.loaders.shipment_by_id.load_many(wanted) if s is not None]


@strawberry.type(description="An offer's last unit was sold.")
class OfferOutOfStock(WebhookEvent):
    @strawberry.field(description="The offer as it is now (restocked since, perhaps).")
    async def offer(self, info: Info) -> Optional[Offer]:
        return await info.context.loaders.offer_by_id.load(self.record.subject_id)


@strawberry.type(description="A review was written (a seller's webhook hears of reviews of products it has a live offer of).")
class ReviewCreated(WebhookEvent):
    @strawberry.field(description="The review, while it is published.")
    async def review(self, info: Info) -> Optional[Review]:
        return await info.context.loaders.review_by_id.load(self.record.subject_id)


@strawberry.type(description="A test event, sent by `pingWebhook`.")
class WebhookPing(WebhookEvent):
    pass


EVENT_TYPES: dict[str, type] = {
    "order.placed": OrderPlaced, "order.updated": OrderUpdated, "shipment.created": ShipmentCreated,
    "shipment.updated": ShipmentUpdated, "refund.created": RefundCreated, "return.requested": ReturnRequested,
    "offer.out_of_stock": OfferOutOfStock, "review.created": ReviewCreated, "webhook.ping": WebhookPing,
}
SUBJECT_TYPES = {"order.placed": "Order", "order.updated": "Order", "shipment.created": "Shipment",
                 "shipment.updated": "Shipment", "refund.created": "OrderRefund", "return.requested": "ReturnRequest",
                 "offer.out_of_stock": "Offer", "review.created": "Review"}


def event_object(record: EventRecord) -> WebhookEvent:
    return EVENT_TYPES[record.kind](record=record)


@strawberry.type
class WebhookEventSubscription:
    @strawberry.subscription(description="The event a webhook delivers: the root of a webhook's payload document (`createWebhook`'s `query`). Only webhook documents run it; subscribing to it directly is refused (FORBIDDEN).")
    async def event(self, info: Info) -> AsyncGenerator[WebhookEvent, None]:
        event = getattr(info.context, "webhook_event", None)
        if event is None:
            raise Forbidden("`event` is the root of webhook payload documents; it cannot be subscribed to directly.")
        yield event
