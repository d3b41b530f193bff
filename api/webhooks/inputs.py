"""Inputs of the webhook mutations."""
from __future__ import annotations

from typing import Optional

import strawberry

from api.webhooks.enums import WebhookEventType

_QUERY = ("A GraphQL subscription document choosing the payload, e.g. `subscription { event { eventId ... on OrderPlaced"
          " { shipments { id lines { quantity } } } } }`: one subscription operation selecting `event`, with fragments"
          " only on the event types the webhook subscribes to, and only fields its owner may see (a seller's webhook never"
          " sees a customer's order or e-mail). It runs at delivery with the owner's rights as they are then. At most"
          " 10,000 characters.")


@strawberry.input(description="A new webhook.")
class CreateWebhookInput:
    url: str = strawberry.field(description="Where to POST events: an absolute https:// URL (http only in development) whose host resolves to public addresses only; at most 2,000 characters.")
    events: list[WebhookEventType] = strawberry.field(description="The event types to send (at least one).")
    seller_id: Optional[strawberry.ID] = strawberry.field(default=None, description="Global ID of your seller, for a seller's webhook (its staff, or an administrator); null for a platform webhook (administrators only), told of every event of its types.")
    query: Optional[str] = strawberry.field(default=None, description=f"{_QUERY} Null for the default payload: the event's id, type, time and subject's ID.")
    secret: Optional[str] = strawberry.field(default=None, description="The signing secret, 24-200 visible ASCII characters; null (advised) to have one generated. Shown once, in the payload.")


@strawberry.input(description="Changes to a webhook; fields left out stay as they are.")
class UpdateWebhookInput:
    webhook_id: strawberry.ID = strawberry.field(description="Global ID of a webhook you manage.")
    url: Optional[str] = strawberry.field(default=None, description="A new URL (same rules as at registration).")
    events: Optional[list[WebhookEventType]] = strawberry.field(default=None, description="New event types (at least one); the document is checked against them.")
    query: Optional[str] = strawberry.field(default=None, description=f"A new payload document; an empty string goes back to the default payload. {_QUERY}")
    enabled: Optional[bool] = strawberry.field(default=None, description="false turns the webhook off; true turns it back on (after the circuit breaker disabled it) and clears its run of failures.")


@strawberry.input(description="A webhook you manage.")
class WebhookIdInput:
    webhook_id: strawberry.ID = strawberry.field(description="Global ID of the webhook.")


@strawberry.input(description="A delivery of a webhook you manage.")
class WebhookDeliveryIdInput:
    delivery_id: strawberry.ID = strawberry.field(description="Global ID of the delivery (`WebhookDelivery.id`).")
