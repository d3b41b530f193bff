"""The `Webhook` and `WebhookDelivery` types: what their owners (a seller's staff, or
administrators) see of them. The secret is never among them: it is shown once, at registration."""
from __future__ import annotations

import datetime
from typing import Optional

import strawberry
from strawberry.types import Info

from api.core.arguments import After, First
from api.core.node import Node, node_id
from api.core.pagination import Connection, connection, page_request
from api.marketplace.types import Seller
from api.webhooks.enums import WebhookDeliveryStatus, WebhookEventType
from domain.webhooks import entities
from domain.webhooks import service as webhooks


@strawberry.type(description="One event sent (or being sent) to a webhook, with the answer of its last try: the delivery log. Visible to those who manage the webhook.")
class WebhookDelivery(Node):
    id: strawberry.ID = node_id("WebhookDelivery")
    status: WebhookDeliveryStatus = strawberry.field(description="Where the delivery stands.")
    attempts: int = strawberry.field(description="Tries so far.")
    response_status: Optional[int] = strawberry.field(description="The HTTP status the endpoint answered on the last try; null when it did not answer (timeout, refused connection, address refused).")
    duration_ms: Optional[int] = strawberry.field(description="How long the last try took, in milliseconds.")
    error: Optional[str] = strawberry.field(description="Why the last try failed, in words (never the body or the secret); null after a success.")
    next_attempt_at: Optional[datetime.datetime] = strawberry.field(description="When the next try is due (UTC); null when none is.")
    last_attempt_at: Optional[datetime.datetime] = strawberry.field(description="When it was last tried (UTC).")
    finished_at: Optional[datetime.datetime] = strawberry.field(description="When it SUCCEEDED or FAILED (UTC).")
    created_at: datetime.datetime = strawberry.field(description="When the delivery was made (UTC), soon after the event.")

    @classmethod
    def is_type_of(cls, obj, info) -> bool:
        return isinstance(obj, entities.DeliveryRecord)

    @strawberry.field(description="The event's id, as in the `Tributary-Event-Id` header (evt_<n>, or ping_<delivery> for a test event).")
    def event_id(self) -> str:
        return f"evt_{self.event_id}" if self.event_id is not None else f"ping_{self.id}"

    @strawberry.field(description="The event's name as in the `Tributary-Event-Type` header, e.g. order.placed, or webhook.ping for a test event.")
    def event_type(self) -> str:
        return self.event_kind

    @strawberry.field(description="The webhook it was sent to.")
    async def webhook(self, info: Info) -> Optional["Webhook"]:
        return await info.context.loaders.webhook_by_id.load(self.webhook_id)


@strawberry.type(description="An endpoint told of platform events, with a signed POST each (see docs/webhooks.md). Visible to administrators and, for a seller's webhook, to the seller's staff.")
class Webhook(Node):
    id: strawberry.ID = node_id("Webhook")
    url: str = strawberry.field(description="Where events are POSTed.")
    query: Optional[str] = strawberry.field(description="The payload document; null for the default payload.")
    failing_since: Optional[datetime.datetime] = strawberry.field(description="Since when every try has failed (UTC); null when the last try succeeded. A day of failures disables the webhook.")
    disabled_at: Optional[datetime.datetime] = strawberry.field(description="When it was turned off, by its owner or by the circuit breaker (UTC); null while it is on.")
    created_at: datetime.datetime = strawberry.field(description="When it was registered (UTC).")
    updated_at: datetime.datetime = strawberry.field(description="When it last changed (UTC).")

    @classmethod
    def is_type_of(cls, obj, info) -> bool:
        return isinstance(obj, entities.WebhookRecord)

    @strawberry.field(description="The event types it is sent.")
    def events(self) -> list[WebhookEventType]:
        return [WebhookEventType(k.replace(".", "_", 1).upper()) for k in self.events]

    @strawberry.field(description="Whether events are sent to it.")
    def enabled(self) -> bool:
        return self.disabled_at is None

    @strawberry.field(description="The seller whose events it is told of; null for a platform webhook.")
    async def seller(self, info: Info) -> Optional[Seller]:
        if self.seller_id is None:
            return None
        return await info.context.loaders.seller_by_id.load(self.seller_id)

    @strawberry.field(description="Its delivery log, newest first (kept 30 days after each delivery ends).")
    async def deliveries(self, info: Info, first: First = None, after: After = None) -> Connection[WebhookDelivery]:
        return connection(await webhooks.deliveries_page(info.context.reader, self.id, page_request(first, after)))


__all__ = ["Webhook", "WebhookDelivery"]
