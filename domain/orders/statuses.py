"""Statuses and kinds of orders, shipments, returns and refunds; the database enums, the use
cases and the GraphQL enums all take their values from here."""
from enum import StrEnum


class OrderStatus(StrEnum):
    PLACED = "PLACED"
    PARTIALLY_SHIPPED = "PARTIALLY_SHIPPED"
    SHIPPED = "SHIPPED"
    DELIVERED = "DELIVERED"
    CANCELLED = "CANCELLED"


class ShipmentStatus(StrEnum):
    AWAITING_RELEASE = "AWAITING_RELEASE"
    PENDING = "PENDING"
    SHIPPED = "SHIPPED"
    DELIVERED = "DELIVERED"
    CANCELLED = "CANCELLED"


class ShipmentKind(StrEnum):
    PHYSICAL = "PHYSICAL"
    DIGITAL = "DIGITAL"


class ReturnReason(StrEnum):
    """Why a customer sends items back: DAMAGED (arrived damaged or defective), WRONG_ITEM (a
    different item arrived: a replacement ships and the product's catalogue data is flagged for
    review), NOT_AS_DESCRIBED, NO_LONGER_NEEDED (changed their mind), OTHER (see the comment)."""

    DAMAGED = "DAMAGED"
    WRONG_ITEM = "WRONG_ITEM"
    NOT_AS_DESCRIBED = "NOT_AS_DESCRIBED"
    NO_LONGER_NEEDED = "NO_LONGER_NEEDED"
    OTHER = "OTHER"


class ReturnStatus(StrEnum):
    REQUESTED = "REQUESTED"
    REFUNDED = "REFUNDED"
    REJECTED = "REJECTED"


class RefundKind(StrEnum):
    CANCELLATION = "CANCELLATION"
    RETURN = "RETURN"
    GOODWILL = "GOODWILL"
    PRICE_GUARANTEE = "PRICE_GUARANTEE"
    OTHER = "OTHER"
    PLAYBACK_QUALITY = "PLAYBACK_QUALITY"
