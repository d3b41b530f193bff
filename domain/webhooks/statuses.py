"""The event types a webhook subscribes to and the states of its deliveries; the database enums,
the use cases and the GraphQL enums all take their values from here."""
from enum import StrEnum

from domain.events.kinds import EventKind


class WebhookEventType(StrEnum):
    """Platform events an integration can be told of. ORDER_PLACED: an order was placed (a seller
    is told of orders with lines of its offers). ORDER_UPDATED: an order's status, shipments or
    refunds changed (administrators only: an order is the customer's). SHIPMENT_CREATED,
    SHIPMENT_UPDATED: a shipment was made, or got tracking or was delivered (its seller).
    REFUND_CREATED: money was given back on an order. RETURN_REQUESTED: a customer asked to send
    items back (the sellers of the items). OFFER_OUT_OF_STOCK: an offer's last unit was sold
    (its seller). REVIEW_CREATED: a review was written (the sellers with a live offer of the
    reviewed product)."""

    ORDER_PLACED = "ORDER_PLACED"
    ORDER_UPDATED = "ORDER_UPDATED"
    SHIPMENT_CREATED = "SHIPMENT_CREATED"
    SHIPMENT_UPDATED = "SHIPMENT_UPDATED"
    REFUND_CREATED = "REFUND_CREATED"
    RETURN_REQUESTED = "RETURN_REQUESTED"
    OFFER_OUT_OF_STOCK = "OFFER_OUT_OF_STOCK"
    REVIEW_CREATED = "REVIEW_CREATED"

    @property
    def kind(self) -> EventKind:
        """The outbox's name of the event."""
        return EventKind(self.value.lower().replace("_", ".", 1))


# A seller's staff hear of what concerns their seller; an order's own updates are the customer's.
SELLER_EVENT_TYPES = frozenset(WebhookEventType) - {WebhookEventType.ORDER_UPDATED}

# The type of the test event `pingWebhook` sends: no outbox event is behind it.
PING = "webhook.ping"


class WebhookDeliveryStatus(StrEnum):
    """PENDING: not received yet (trying, or waiting for the next try). SUCCEEDED: the endpoint
    answered 2xx. FAILED: still refused after 24 hours of tries, or the webhook was disabled or
    deleted meanwhile; `redeliverWebhookDelivery` tries again."""

    PENDING = "PENDING"
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"
