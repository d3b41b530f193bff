"""The platform's events: what happened, named `<noun>.<past participle>`.

An event names its subject by id; whoever is told of it (a WebSocket subscriber, a webhook) reads
the data after, with its own permissions, so an event carries nothing a reader could not see."""
from __future__ import annotations

from enum import StrEnum


class EventKind(StrEnum):
    ORDER_PLACED = "order.placed"
    ORDER_UPDATED = "order.updated"  # status, shipments, tracking, refunds
    SHIPMENT_CREATED = "shipment.created"
    SHIPMENT_UPDATED = "shipment.updated"  # tracking added, delivered
    REFUND_CREATED = "refund.created"
    RETURN_REQUESTED = "return.requested"
    OFFER_OUT_OF_STOCK = "offer.out_of_stock"
    REVIEW_CREATED = "review.created"
    CART_UPDATED = "cart.updated"
    LIBRARY_CHANGED = "library.changed"  # subject: the account; data: the last change number
    READING_STATE_CHANGED = "reading_state.changed"  # subject: the licence
    SHOPPING_LIST_CHANGED = "shopping_list.changed"
